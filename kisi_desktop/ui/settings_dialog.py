"""The settings dialog: UI language and auto-lock time, saved to the settings file, applied at once.

Applying means: switch the gettext catalog and Qt's own catalog (qt_i18n.py), let the main
window set its texts again, and give the session the new idle time. Nothing needs a restart.

While a vault is open the dialog also shows the ministry's provisioning file (status and
import), the same box as on the Sync page: it lives in the vault, not in the settings file.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.i18n import _, ui_language
from kisi_desktop.core.settings import (
    MAX_IDLE_MINUTES,
    MIN_IDLE_MINUTES,
    Settings,
    load_settings,
    save_settings,
)

from kisi_desktop.ui.pages.sync.provisioning_box import ProvisioningBox
from kisi_desktop.ui.qt_i18n import switch_language

if TYPE_CHECKING:
    from kisi_desktop.ui.main_window import MainWindow

# Each language is named in itself, so a guide who switched by mistake can switch back.
LANGUAGE_NAMES = (("de", "Deutsch"), ("en", "English"))


class SettingsDialog(QDialog):
    """Edits a :class:`Settings` value; :meth:`settings` reads the result."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self._initial = settings
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(settings.language), 0))
        self.idle = QSpinBox()
        self.idle.setObjectName("idleMinutes")
        self.idle.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)
        self.idle.setValue(settings.idle_lock_minutes)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.idle_label = QLabel()
        self.idle_label.setBuddy(self.idle)
        self.idle_help = QLabel()
        self.idle_help.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.language_label, self.language)
        form.addRow(self.idle_label, self.idle)
        form.addRow("", self.idle_help)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.provisioning: QWidget | None = None  # add_provisioning() puts it here
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.setWindowTitle(_("Settings"))
        self.language_label.setText(_("&Language:"))
        self.language.setAccessibleName(_("Language"))
        self.idle_label.setText(_("Lock &after:"))
        self.idle.setSuffix(" " + _("min"))
        self.idle.setAccessibleName(_("Lock after minutes without input"))
        self.idle_help.setText(
            _(
                "Minutes without input until KISI Desktop locks the vault ({low}–{high}). "
                "It also locks when the screen is locked."
            ).format(low=MIN_IDLE_MINUTES, high=MAX_IDLE_MINUTES)
        )

    def settings(self) -> Settings:
        """The settings as chosen in the dialog."""
        return replace(
            self._initial,
            language=str(self.language.currentData()),
            idle_lock_minutes=self.idle.value(),
        ).checked()


def current_settings(window: MainWindow) -> Settings:
    """What is in effect now: the running language and the session's idle time."""
    minutes = round(window.session.idle_seconds / 60)
    # (What the dialog does not show, such as the backup folder, as the file has it.)
    return replace(load_settings(), language=ui_language(), idle_lock_minutes=minutes).checked()


def apply_settings(window: MainWindow, settings: Settings) -> None:
    """Put ``settings`` into effect in the running app, without a restart."""
    app = QApplication.instance()
    if settings.language != ui_language() and app is not None:
        switch_language(app, settings.language)
        window.retranslate_ui()
        # A message in the language just left would stand there for seconds more.
        window.statusBar().clearMessage()
    window.session.idle_seconds = settings.idle_lock_minutes * 60
    window.session.touch()


def save_and_apply(window: MainWindow, settings: Settings, path: Path | None = None) -> None:
    """Save ``settings`` (the settings file) and apply them; a failed save is reported."""
    apply_settings(window, settings)
    try:
        save_settings(settings, path)
    except OSError as error:
        QMessageBox.warning(
            window,
            _("Settings"),
            _("The settings apply now but could not be saved: {reason}").format(reason=error),
        )


def open_settings(window: MainWindow, path: Path | None = None) -> SettingsDialog:
    """Show the settings dialog (window-modal, not blocking); OK saves and applies."""
    dialog = SettingsDialog(current_settings(window), window)
    add_provisioning(dialog, window)
    dialog.accepted.connect(lambda: save_and_apply(window, dialog.settings(), path))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


# -- The ministry's provisioning file (issue 6) -------------------------------------------
# Not a setting of the settings file: it lives in the vault, so it shows only while one is
# open. The same box as on the Sync page; importing here refreshes that page.


def add_provisioning(dialog: SettingsDialog, window: MainWindow) -> ProvisioningBox | None:
    """Add the provisioning status and import to ``dialog`` while a vault is open."""
    if window.session.workspace is None:
        return None
    box = ProvisioningBox(lambda: window.session.workspace, dialog)
    box.installed.connect(lambda: _refresh_sync_page(window))
    # Connected to the box's own slot: Qt drops the connection with the dialog.
    window.session.locked.connect(box.abandon)
    layout = dialog.layout()
    assert isinstance(layout, QVBoxLayout)  # noqa: S101 - built in SettingsDialog.__init__
    layout.insertWidget(1, box)
    # Added after OK and Cancel, its controls would come after them in the Tab order.
    previous: QWidget = dialog.idle
    for child in box.findChildren(QWidget):
        if child.focusPolicy() & Qt.FocusPolicy.TabFocus:
            QWidget.setTabOrder(previous, child)
            previous = child
    dialog.provisioning = box
    return box


def _refresh_sync_page(window: MainWindow) -> None:
    for page in window.page_list:
        if page.key == "sync":
            page.refresh()
