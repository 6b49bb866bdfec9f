"""The app's progress dialogs: shown at once, busy until the work says how far it got, and
left open until the caller closes them (Qt's defaults would wait 4 s before showing,
and close or reset the dialog by themselves when the bar reaches its end)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog


def set_up_progress(
    dialog: QProgressDialog,
    object_name: str,
    title: str,
    text: str,
    modality: Qt.WindowModality = Qt.WindowModality.WindowModal,
) -> None:
    """Give ``dialog`` its name, title and text, busy, modal, wide enough for German."""
    dialog.setObjectName(object_name)
    dialog.setWindowTitle(title)
    dialog.setLabelText(text)
    dialog.setRange(0, 0)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setWindowModality(modality)
    dialog.setMinimumWidth(420)


def show_progress(dialog: QProgressDialog, done: int, total: int) -> None:
    """From busy to a real bar once the work reports ``done`` of ``total``."""
    if total <= 0:
        return
    if dialog.maximum() != total:
        dialog.setRange(0, total)
    dialog.setValue(done)


def close_progress(dialog: QProgressDialog | None) -> None:
    """Close ``dialog`` (if any) and have Qt delete it once the current event is handled."""
    if dialog is not None:
        dialog.close()
        dialog.deleteLater()
