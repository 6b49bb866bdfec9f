"""Message boxes and outside files for the Sync page and its import flows.

Boxes open with ``open()``, never ``exec()``: the window keeps running (auto-lock, workers
reporting back) while the guide reads, and tests find them by object name. Files from a
USB stick or a mail are read only after their size was checked against the format's limit.
"""

from __future__ import annotations

import logging
from pathlib import Path

import shiboken6

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.files import read_limited
from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.export import AlreadyCovered
from kisi_desktop.bundles.reasons import NOT_PROVISIONED, OVERSIZED, Rejected

log = logging.getLogger(__name__)


def message_box(
    parent: QWidget,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    name: str,
    *,
    details: str = "",
) -> QMessageBox:
    """Show ``text`` in a window-modal box with an OK button; it deletes itself when closed."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(name)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if details:
        box.setInformativeText(details)
    box.open()
    return box


def close_quietly(widget: QWidget | None) -> None:
    """Close ``widget`` if it is still there (a box closed by the guide deleted itself)."""
    if widget is not None and shiboken6.isValid(widget):
        widget.close()


def error_text(error: BaseException) -> str:
    """What to tell the guide about ``error``: the message and where to click for the step
    it names (the ``kisi`` command words its own: cli/hints.py).

    No reason code: an English machine word in a German sentence tells the guide nothing
    (QA 26b); the readers' messages say what is wrong and what to do, and the code is in
    the log for whoever supports the guide.
    """
    message = str(error)
    if isinstance(error, Rejected):
        log.info("refused (%s)", error.code)
    hint = window_hint(error)
    return f"{message} {hint}" if hint else message


def window_hint(error: BaseException) -> str:
    """Which button on the Sync page takes the step ``error`` names, or ""."""
    if isinstance(error, AlreadyCovered):
        return _("To write it again: select it under “{list}”, then “{button}”.").format(
            list=_("Bundles &sent").replace("&", ""),
            button=_("&Write again…").replace("&", ""),
        )
    if isinstance(error, Rejected) and error.code == NOT_PROVISIONED:
        return _("To import it: “{button}” on this page.").format(
            button=_("Import provisionin&g file…").replace("&", "")
        )
    return ""


def read_outside(path: Path, limit: int) -> bytes:
    """The file at ``path``, refused unread when it is larger than ``limit`` bytes.

    Raises:
        Rejected: too large (``oversized``).
        UserError: the file cannot be read.
    """
    try:
        data = read_limited(path, limit)
    except OSError as error:
        raise UserError(
            _("Cannot read {name}: {reason}").format(name=path.name, reason=error.strerror)
        ) from None
    if len(data) > limit:
        raise Rejected(OVERSIZED, _("{name} is larger than allowed.").format(name=path.name))
    return data
