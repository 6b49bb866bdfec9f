"""Making a content pack: a folder of handout texts, signed with the ministry's content key.

The folder is laid out like the app's own handouts (topic folders with ``topic.toml`` and
one ``<language>.md`` per language). The version must be higher than every pack sent
before - the apps refuse anything else - so the form suggests one more than the last pack
made from this ministry folder and refuses a version that is not higher. The ministry's
database records every pack made, by this window or ``kisi ministry content-pack``
(``ministry.content_pack``); a number remembered by an older window in the view's state
counts too. Making the pack reads every text the way the app will and verifies the result;
it runs on a worker with its own connection, and what the maker refuses (a broken text, a
language the app does not ship, a version another maker took meanwhile) is said under the
form.

Signals:
    status(str): a short message for the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.clock import today
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.files import os_error_reason, safe_file_name
from kisi_desktop.core.i18n import N_, _, format_date, ngettext, ui_language
from kisi_desktop.core.typed_input import UnreadableInput

from kisi_desktop.ministry.content_pack import (
    PackSummary,
    VersionNotHigher,
    last_version,
    make_and_record,
    outdated_lines,
)
from kisi_desktop.ministry.keys import Ministry

from kisi_desktop.ui.forms.field_widgets import DateField
from kisi_desktop.ui.ministry.context import MinistryContext
from kisi_desktop.ui.ministry.provisioning_maker import error_label, valid_until

FILTER = N_("Content packs (*.zip);;All files (*)")
DEFAULT_DAYS = 365


def make_and_write(
    open_ministry: Callable[[], Ministry], folder: Path, version: int, expires: date, path: Path
) -> PackSummary:
    """Make the pack, record it, write it, and say what went in (on a worker; no Qt)."""
    with open_ministry() as ministry:
        return make_and_record(ministry, folder, version, expires, path)


class PackMaker(QGroupBox):
    """See the module docstring."""

    status = Signal(str)

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("packMaker")
        self.context = context
        self.running = False
        self.last_file: Path | None = None
        on = today(context.ministry.clock)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.folder = QLineEdit(context.state.content_folder)
        self.folder.setObjectName("packFolder")
        self.folder.setReadOnly(True)
        self.folder_button = QPushButton()
        self.folder_button.setObjectName("packChooseFolder")
        self.folder_button.clicked.connect(lambda: self.choose_folder())
        folder_row = QWidget()
        row = QHBoxLayout(folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.folder, 1)
        row.addWidget(self.folder_button)
        self.version = QSpinBox()
        self.version.setObjectName("packVersion")
        self.version.setRange(1, 10**9 - 1)
        self.version.setValue(self.last_version() + 1)
        self.expires = DateField(today=lambda: today(context.ministry.clock))
        self.expires.setObjectName("packExpires")
        self.expires.set_day(date.fromordinal(on.toordinal() + DEFAULT_DAYS))
        self.labels = {name: QLabel() for name in ("folder", "version", "expires")}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.labels["folder"], folder_row)
        form.addRow(self.labels["version"], self.version)
        form.addRow(self.labels["expires"], self.expires)
        self.labels["folder"].setBuddy(self.folder_button)
        self.labels["version"].setBuddy(self.version)
        self.labels["expires"].setBuddy(self.expires)
        self.error = error_label("packError")
        self.version.valueChanged.connect(lambda _v: self.error.hide())
        self.save_button = QPushButton()
        self.save_button.setObjectName("packSave")
        self.save_button.clicked.connect(lambda: self.save())
        self.result = QLabel()
        self.result.setObjectName("packResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.retranslate_ui()
        self._update()

    def retranslate_ui(self) -> None:
        """Texts in the UI language."""
        self.setTitle(_("Content pack: handout texts for the apps"))
        self.intro.setText(
            _(
                "Signs a folder of handout texts (topic folders with topic.toml and one "
                "<language>.md each, as in the app's handouts folder). The version must be "
                "higher than every pack sent before."
            )
        )
        self.labels["folder"].setText(_("Fol&der:"))
        self.folder.setAccessibleName(_("Folder of handout texts"))
        self.folder.setPlaceholderText(_("No folder chosen"))
        self.folder_button.setText(_("C&hoose…"))
        self.folder_button.setAccessibleName(_("Choose the folder of handout texts"))
        self.labels["version"].setText(_("V&ersion:"))
        self.version.setAccessibleName(_("Version of the content pack"))
        self.labels["expires"].setText(_("Valid u&ntil:"))
        self.expires.edit.setAccessibleName(_("Content pack valid until"))
        self.expires.set_language(ui_language())
        self.save_button.setText(_("Save &content pack…"))
        self.save_button.setAccessibleName(_("Save the content pack"))

    def _update(self) -> None:
        self.save_button.setEnabled(bool(self.folder.text()) and not self.running)

    def showEvent(self, event: QShowEvent) -> None:
        # `kisi ministry content-pack` may have made a pack meanwhile.
        super().showEvent(event)
        last = self.last_version()
        if self.version.value() <= last and not self.running:
            self.version.setValue(last + 1)

    def last_version(self) -> int:
        """The last version made from this folder: recorded in its database, or remembered
        by a window from before the database kept it."""
        recorded = last_version(self.context.ministry.store)
        return max(recorded, self.context.state.content_pack_version)

    def choose_folder(self) -> None:
        """Ask for the folder of handout texts."""
        start = self.folder.text() or str(self.context.default_dir())
        chosen = QFileDialog.getExistingDirectory(self, _("Folder of handout texts"), start)
        if not chosen:
            return
        self.folder.setText(chosen)
        self.context.state.content_folder = chosen
        self.context.remember()
        self.error.hide()
        self._update()

    def save(self) -> None:
        """Ask where, then make and write the pack on a worker."""
        if self.running or not self.folder.text():
            return
        self.error.hide()
        try:
            expires = valid_until(self.expires)
        except UnreadableInput as error:
            self.error.setText(str(error))
            self.error.show()
            return
        version = self.version.value()
        last = self.last_version()
        if version <= last:
            # The apps take only a higher version than the one installed ("rollback", or
            # "equivocation" for the same number with other texts); said before any dialog.
            self.error.setText(str(VersionNotHigher(version, last)))
            self.error.show()
            return
        name = safe_file_name(_("KISI-handouts_v{version}").format(version=version))
        start = self.context.default_dir() / f"{name}.zip"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the content pack"), str(start), _(FILTER)
        )
        if not chosen:
            return
        path = Path(chosen)
        self.running = True
        self._update()
        self.result.setText(_("Making the content pack…"))
        work = partial(
            make_and_write, self.context.open, Path(self.folder.text()), version, expires, path
        )
        self.context.runner.run(work, partial(self._made, path), self._failed)

    def _made(self, path: Path, summary: PackSummary) -> None:
        self.running = False
        self.last_file = path
        self.context.state.save_dir = str(path.parent)
        self.context.remember()
        self.version.setValue(summary.version + 1)
        # ngettext: "(1 Themen, …)" for a pack of one topic (QA 26b).
        message = ngettext(
            "Content pack version {version} written: {path} ({topics} topic, languages "
            "{languages}; valid until {date}).",
            "Content pack version {version} written: {path} ({topics} topics, languages "
            "{languages}; valid until {date}).",
            len(summary.topics),
        ).format(
            version=summary.version,
            path=path,
            topics=len(summary.topics),
            languages=", ".join(summary.languages),
            date=format_date(summary.expires),
        )
        # A new German text leaves translations outdated: said under the result, where the
        # clerk reads it before sending the pack to 42 municipalities.
        self.result.setText("\n".join([message, *outdated_lines(summary.outdated)]))
        self.status.emit(message)
        self._update()

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.result.clear()
        self._update()
        if isinstance(error, OSError):
            self.error.setText(
                _("Could not save the pack: {error}").format(error=os_error_reason(error))
            )
        elif isinstance(error, UserError):
            if isinstance(error, VersionNotHigher):  # another maker took it meanwhile
                self.version.setValue(error.last + 1)
            self.error.setText(str(error))
        else:
            raise error
        self.error.show()
