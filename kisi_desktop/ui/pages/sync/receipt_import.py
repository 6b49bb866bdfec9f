"""Importing the ministry's receipts on the Sync page, and the result of each file.

The guide picks any number of receipt files (from a USB stick or a mail); each is checked
on its own (:func:`kisi_desktop.bundles.receipts.apply_receipt`: signed by a receipt key of
the provisioning, naming a bundle of this vault), so one bad file does not stop the others.
The dialog afterwards lists every file with what happened and, for a refused file or a
bundle the ministry refused, the reason in a sentence (the code the ministry and the format
document use only in its tooltip, for quoting it on the phone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import N_, _, ngettext
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.limits import MAX_RECEIPT_FILE
from kisi_desktop.bundles.reasons import Rejected
from kisi_desktop.bundles.receipt_reasons import file_reason, ministry_reason
from kisi_desktop.bundles.receipts import apply_receipt

from kisi_desktop.ui.pages.sync.ledger_rows import GREEN, RED
from kisi_desktop.ui.pages.sync.messages import read_outside
from kisi_desktop.ui.tables.row_model import Column, RowTableModel
from kisi_desktop.ui.tables.row_view import row_table

OUTCOME_LABELS = {
    "confirmed": N_("bundle confirmed"),
    "rejected": N_("the ministry refused the bundle"),
    "held": N_("held by the ministry: an earlier bundle is missing"),
    "unreadable": N_("the ministry could not read a bundle"),
    "unknown": N_("not a bundle of this vault"),
    "already": N_("already imported"),
    "refused": N_("file refused"),
}


@dataclass(frozen=True, slots=True)
class ReceiptResult:
    """What one receipt file did."""

    id: str
    file: str
    seq: int | None
    status: str
    """An outcome of :class:`kisi_desktop.bundles.receipts.ReceiptOutcome`, or ``refused``."""
    reason: str | None
    message: str


def import_receipts(ws: Workspace, paths: Sequence[Path]) -> list[ReceiptResult]:
    """Apply every receipt file in ``paths``; one result per file, in the order given."""
    results = []
    for number, path in enumerate(paths):
        try:
            outcome = apply_receipt(ws, read_outside(path, MAX_RECEIPT_FILE), path.name)
        except Rejected as error:
            results.append(
                ReceiptResult(str(number), path.name, None, "refused", error.code, str(error))
            )
            continue
        except UserError as error:
            results.append(ReceiptResult(str(number), path.name, None, "refused", None, str(error)))
            continue
        results.append(
            ReceiptResult(
                str(number),
                path.name,
                outcome.seq,
                outcome.status,
                outcome.reason_code,
                outcome.message,
            )
        )
    return results


def outcome_text(result: ReceiptResult) -> str:
    """What happened, in words."""
    return _(OUTCOME_LABELS.get(result.status, result.status))


def reason_text(result: ReceiptResult) -> str:
    """Why, in a sentence: about the file for a refused one, else the ministry's reason."""
    if result.status == "refused":
        return file_reason(result.reason)
    return ministry_reason(result.reason)


def _reason_code_tip(result: ReceiptResult) -> str:
    if not result.reason:
        return ""
    return _("Reason code (for the ministry): {code}").format(code=result.reason)


def summary_text(results: Sequence[ReceiptResult]) -> str:
    """How many files were read, bundles confirmed and files refused, in proper plurals."""
    confirmed = sum(1 for r in results if r.status == "confirmed")
    refused = sum(1 for r in results if r.status == "refused")
    # Translators: the three parts are the next three messages, e.g. "3 receipt files
    # read", "1 bundle confirmed", "2 files refused".
    return _("{files_read}: {bundles_confirmed}, {files_refused}.").format(
        files_read=ngettext("{n} receipt file read", "{n} receipt files read", len(results)).format(
            n=len(results)
        ),
        bundles_confirmed=ngettext(
            "{n} bundle confirmed", "{n} bundles confirmed", confirmed
        ).format(n=confirmed),
        files_refused=ngettext("{n} file refused", "{n} files refused", refused).format(n=refused),
    )


def _ink(result: ReceiptResult) -> object:
    if result.status == "confirmed":
        return GREEN
    if result.status in ("refused", "rejected", "unreadable"):
        return RED
    return None


RESULT_COLUMNS = [
    Column(N_("File"), lambda r: r.file, tooltip=lambda r: r.file),
    Column(N_("No."), lambda r: "" if r.seq is None else str(r.seq), numeric=True),
    Column(N_("Result"), outcome_text, foreground=_ink),
    Column(N_("Reason"), reason_text, tooltip=_reason_code_tip),
    Column(N_("Details"), lambda r: r.message, tooltip=lambda r: r.message),
]


class ReceiptResultsDialog(QDialog):
    """One line per imported receipt file; see the module docstring."""

    def __init__(self, results: list[ReceiptResult], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptResults")
        self.setWindowTitle(_("Receipts imported"))
        self.results = results
        self.summary = QLabel(summary_text(results))
        self.summary.setObjectName("receiptSummary")
        self.summary.setWordWrap(True)
        self.model = RowTableModel(RESULT_COLUMNS, self)
        self.model.set_rows(results)
        self.view = row_table("receiptResultTable", self.model, alternating=True)
        self.view.setAccessibleName(_("Result per receipt file"))
        self.view.setWordWrap(True)
        header = self.view.horizontalHeader()
        fit = QHeaderView.ResizeMode.ResizeToContents
        for column in (1, 2):
            header.setSectionResizeMode(column, fit)
        header.resizeSection(0, 250)
        header.resizeSection(3, 220)  # a sentence, wrapped
        header.setStretchLastSection(True)
        self.view.verticalHeader().setSectionResizeMode(fit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1100, 400)

    def texts(self) -> list[list[str]]:
        """Every cell as shown (for tests and screen readers' checks)."""
        return [
            [
                str(self.model.index(row, column).data())
                for column in range(self.model.columnCount())
            ]
            for row in range(self.model.rowCount())
        ]
