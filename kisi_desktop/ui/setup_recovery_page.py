"""The recovery-code page of the first-run wizard: show once, print or save, type two groups back.

SECURITY.md 6.1.4: the code is shown once at set-up and the GUI asks the user to type back
two groups, so a code that was never written down (or written down wrongly) is caught
while the vault is still open. Printing itself is in recovery_sheet.py.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from kisi_desktop.core.i18n import _
from kisi_desktop.core.settings import remember_recovery_check
from kisi_desktop.core.vault.recovery import as_read

from kisi_desktop.ui.recovery_sheet import PRINT_DPI, pdf_printer, print_recovery_sheet
from kisi_desktop.ui.setup_pages import SetupState
from kisi_desktop.ui.widgets.code_groups import CodeGroupChain
from kisi_desktop.ui.widgets.new_passphrase import error_label, wrapping_label

CODE_GROUPS = 8  # recovery.format_code: 8 groups of 4, then the check character


class RecoveryPage(QWizardPage):
    """Shows the recovery code once; the guide prints it and types two groups back."""

    def __init__(self, state: SetupState) -> None:
        super().__init__()
        self._state = state
        first, second = sorted(secrets.SystemRandom().sample(range(CODE_GROUPS), 2))
        self.check_groups: tuple[int, int] = (first, second)
        """Zero-based indexes of the two groups the guide must type back."""
        self.code = QLabel()
        self.code.setObjectName("recoveryCode")
        # Not selectable on purpose: the code is to be written down or printed, not copied
        # to a clipboard that other programs can read.
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), 9.0) * 1.6)
        mono.setWeight(QFont.Weight.Bold)
        self.code.setFont(mono)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setMinimumHeight(48)
        self.advice = wrapping_label("recoveryAdvice")
        self.print_button = QPushButton()
        self.print_button.setObjectName("printRecovery")
        self.pdf_button = QPushButton()
        self.pdf_button.setObjectName("saveRecoveryPdf")
        self.check_intro = wrapping_label("recoveryCheckIntro")
        self.group_labels = (QLabel(), QLabel())
        self.group_edits = (QLineEdit(), QLineEdit())
        for index, (label, edit) in enumerate(
            zip(self.group_labels, self.group_edits, strict=True)
        ):
            edit.setObjectName(f"recoveryGroup{index + 1}")
            edit.setMaximumWidth(120)
            edit.setFont(mono)
            edit.textChanged.connect(self._typed)
            label.setBuddy(edit)
        # Typed on from field to field; a pasted code fills both (widgets/code_groups.py).
        self.group_chain = CodeGroupChain(self.group_edits, self.check_groups, self)
        self.mismatch = error_label("recoveryMismatch")
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        grid = QGridLayout()
        for index, (label, edit) in enumerate(
            zip(self.group_labels, self.group_edits, strict=True)
        ):
            grid.addWidget(label, 0, 2 * index)
            grid.addWidget(edit, 0, 2 * index + 1)
        grid.setColumnStretch(4, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.code)
        layout.addWidget(self.advice)
        layout.addLayout(buttons)
        layout.addSpacing(12)
        layout.addWidget(self.check_intro)
        layout.addLayout(grid)
        layout.addWidget(self.mismatch)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.setTitle(_("Write down your recovery code"))
        self.setSubTitle(
            _(
                "It opens the vault if the passphrase is forgotten. It is shown only now and "
                "cannot be shown again."
            )
        )
        self.code.setAccessibleName(_("Recovery code"))
        self.advice.setText(
            _(
                "Print it or write it down and keep the sheet locked away, for example in the "
                "office safe. If you save it as a PDF, put the file on a USB stick, not on "
                "this laptop."
            )
        )
        self.print_button.setText(_("&Print…"))
        self.pdf_button.setText(_("Save as P&DF…"))
        self.check_intro.setText(
            _("To check that it is written down correctly, type these two groups of it:")
        )
        for label, edit, group in zip(
            self.group_labels, self.group_edits, self.check_groups, strict=True
        ):
            # Alt and the group's number jumps to its field ("Gruppe &3:").
            text = _("Group &{n}:").format(n=group + 1)
            label.setText(text)
            edit.setAccessibleName(text.replace("&", ""))
        self._typed()

    def initializePage(self) -> None:
        """Show the code made by the creating page."""
        self.code.setText(self._state.recovery_code)

    def validatePage(self) -> bool:
        """Next, with both groups right: the code is written down, and the window stops
        reminding of it (see ``widgets/set_up_reminder.py``)."""
        workspace = self._state.workspace
        if workspace is not None:
            remember_recovery_check(workspace.vault_id, checked=True)
        return True

    def expected(self) -> tuple[str, str]:
        """The two groups the guide must type."""
        groups = self._state.recovery_code.split("-")
        if len(groups) <= max(self.check_groups):
            return ("", "")
        return (groups[self.check_groups[0]], groups[self.check_groups[1]])

    def _typed(self) -> None:
        # Read as the unlock screen reads it: "0a0m" is the group OAOM.
        typed = [as_read(edit.text()) for edit in self.group_edits]
        wrong = any(
            len(text) == 4 and text != want
            for text, want in zip(typed, self.expected(), strict=True)
        )
        self.mismatch.setText(_("This does not match the code above. Please check it."))
        self.mismatch.setVisible(wrong)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        """Both groups typed as shown."""
        want = self.expected()
        typed = tuple(as_read(edit.text()) for edit in self.group_edits)
        return bool(want[0]) and typed == want

    def forget(self) -> None:
        """Take the code off the screen (wizard finished or cancelled)."""
        self.code.clear()
        for edit in self.group_edits:
            edit.setText("")  # (clear() would keep what was typed for undo)


class SheetActions:
    """Print or save as PDF the recovery sheet of ``self.state``: mixed into the wizards
    that show a code (set-up, and a new code from the File menu). Tests replace
    :meth:`ask_printer` and :meth:`ask_pdf_path`, the system dialogs."""

    state: SetupState

    def print_recovery_code(self) -> None:
        """Print the recovery sheet through the system print dialog."""
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setResolution(PRINT_DPI)
        printer.setDocName(_("KISI Desktop recovery code"))
        if self.ask_printer(printer):
            self._print_sheet(printer)

    def ask_printer(self, printer: QPrinter) -> bool:
        """The print dialog; True when the guide chose a printer and pressed Print."""
        dialog = QPrintDialog(printer, cast(QWidget, self))
        dialog.setWindowTitle(_("Print recovery code"))
        return dialog.exec() == QDialog.DialogCode.Accepted

    def save_recovery_pdf(self) -> None:
        """Write the recovery sheet to a PDF file the guide chooses."""
        path = self.ask_pdf_path()
        if path is not None:
            self._print_sheet(pdf_printer(path))

    def ask_pdf_path(self) -> Path | None:
        """The file dialog; None when cancelled."""
        suggested = Path.home() / _("KISI recovery code.pdf")
        name, _filter = QFileDialog.getSaveFileName(
            cast(QWidget, self),
            _("Save recovery code as PDF"),
            str(suggested),
            _("PDF files (*.pdf)"),
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

    def _print_sheet(self, printer: QPrinter) -> None:
        if not self.state.recovery_code:
            return  # taken off the screen meanwhile (a lock): no sheet without a code
        print_recovery_sheet(self.state.recovery_code, printer, vault_path=self.state.vault_path)
