"""The Distribute tab: what the ministry sends to the municipalities, made and saved here.

Left the provisioning file (:mod:`provisioning_maker`), right a content pack of handout
texts (:mod:`pack_maker`). Both are files: the ministry sends them by mail or on a USB
stick, and the municipalities install them on their app's Sync page.

Signals:
    status(str): a short message for the status bar.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kisi_desktop.ui.ministry.context import MinistryContext
from kisi_desktop.ui.ministry.pack_maker import PackMaker
from kisi_desktop.ui.ministry.provisioning_maker import ProvisioningMaker


class DistributeTab(QWidget):
    """See the module docstring."""

    status = Signal(str)

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("distributeTab")
        self.provisioning = ProvisioningMaker(context)
        self.pack = PackMaker(context)
        self.provisioning.status.connect(self.status)
        self.pack.status.connect(self.status)
        layout = QHBoxLayout(self)
        layout.addWidget(self.provisioning, 1)
        layout.addWidget(self.pack, 1)

    def retranslate_ui(self) -> None:
        """Texts in the UI language."""
        self.provisioning.retranslate_ui()
        self.pack.retranslate_ui()
