"""The warning after an unlock whose row check found records missing or changed.

A line in the status bar was gone after eight seconds and sent the guide to a command
line; this box stays until it is closed, says in plain words what was found (counts, no
names), what it means and what to do, and keeps the check's own list behind Qt's details
button for whoever helps (IT, the data protection officer). It opens with ``open()``:
the window keeps running (auto-lock, workers) while the guide reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from kisi_desktop.core.i18n import _, ngettext

if TYPE_CHECKING:
    # For the type only: the window imports this module at start, the audit log it shows
    # is imported with the vault.
    from kisi_desktop.core.store.audit import Findings

OBJECT_NAME = "integrityWarning"


def integrity_text(findings: Findings) -> str:
    """What was found and what it means, one line per kind of finding."""
    lines = [_("When unlocking, KISI Desktop checked the vault and found:")]
    if findings.missing:
        lines.append(
            "• "
            + ngettext(
                "{n} record is missing from the vault file.",
                "{n} records are missing from the vault file.",
                findings.missing,
            ).format(n=findings.missing)
        )
    if findings.changed:
        lines.append(
            "• "
            + ngettext(
                "{n} record was changed or can no longer be opened.",
                "{n} records were changed or can no longer be opened.",
                findings.changed,
            ).format(n=findings.changed)
        )
    if findings.other > 0:
        lines.append(
            "• "
            + ngettext(
                "{n} problem in the change log or in the file itself.",
                "{n} problems in the change log or in the file itself.",
                findings.other,
            ).format(n=findings.other)
        )
    lines.append("")
    meaning = _(
        "This means that the vault file was changed outside KISI Desktop, or that an "
        "older copy of it was put in its place."
    )
    if findings.missing or findings.changed:
        meaning += " " + _("The records concerned are not shown.")
    lines.append(meaning)
    return "\n".join(lines)


def integrity_advice() -> str:
    """What the guide does next, without a terminal."""
    return _(
        "What to do now: do not go on working with important data. Contact your "
        "municipality's IT or the office responsible for data protection. With them, "
        "restore the latest backup (made with File → Make a backup…): once the changed "
        "vault file has been moved aside, KISI Desktop starts with its set-up assistant, "
        "which offers “Restore from a backup…”."
    )


def show_integrity_warning(parent: QWidget, findings: Findings) -> QMessageBox:
    """Open the warning over ``parent`` (window-modal, not blocking); it deletes itself
    when closed. "Show Details…" lists each problem (record kinds and ids, no content)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _("Vault file changed"),
        integrity_text(findings),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName(OBJECT_NAME)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(integrity_advice())
    box.setDetailedText("\n".join(findings.problems))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
