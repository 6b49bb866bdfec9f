"""Opening the ministry view from the command line: the folder, or the offer to make one.

``kisi-desktop --ministry DIR``: a ministry folder opens in the ministry window; an absent
or empty folder gets the offer to make one (with the warning about its private keys); a
folder that holds something else, or a damaged ministry folder, gets a message and the app
ends - nothing in it is touched.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from kisi_desktop.core.clock import Clock
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import N_, _

from kisi_desktop.ministry.keys import Ministry, load_ministry

from kisi_desktop.ui.ministry.init_dialog import MISSING, OTHER, InitMinistryDialog, folder_state
from kisi_desktop.ui.ministry.window import MinistryWindow, build_ministry_window

TITLE = N_("KISI – Ministry")


def open_ministry(path: Path, clock: Clock | None = None) -> Ministry | None:
    """The opened ministry folder at ``path``, made first if the staff agree; None if not."""
    path = path.expanduser().absolute()
    state = folder_state(path)
    if state == OTHER:
        QMessageBox.warning(
            None,
            _(TITLE),
            _(
                "{path} is not a ministry folder and not empty. Choose an empty or new "
                "folder to create one, or an existing ministry folder."
            ).format(path=path),
        )
        return None
    if state == MISSING:
        dialog = InitMinistryDialog(path, clock)
        if not dialog.exec():
            return None
        return dialog.ministry
    try:
        return load_ministry(path, clock=clock)
    except (UserError, OSError) as error:
        QMessageBox.warning(
            None,
            _(TITLE),
            _("The ministry folder {path} cannot be opened: {reason}").format(
                path=path, reason=error
            ),
        )
        return None


def ministry_window(path: Path, clock: Clock | None = None) -> MinistryWindow | None:
    """The ministry window for ``path`` (not shown), or None when nothing is to be opened."""
    ministry = open_ministry(path, clock)
    return None if ministry is None else build_ministry_window(ministry, clock=clock)
