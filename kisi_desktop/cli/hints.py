"""What to type next, for errors whose message says what to do in words only.

Messages raised below the CLI reach the window as well as the terminal, so they carry no
command syntax (a guide must not need a terminal); an error that names a next step
carries its data instead (a bundle's number, a reason code), and the window and this
module each word how to take that step.
"""

from __future__ import annotations

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _
from kisi_desktop.core.team import HasTimeSheets, SecondTimeSheet

from kisi_desktop.bundles.export import AlreadyCovered
from kisi_desktop.bundles.reasons import NOT_PROVISIONED, Rejected
from kisi_desktop.ministry.keys import NoMinistryFolder
from kisi_desktop.ministry.registry import AlreadyRegistered


def command_hint(error: UserError) -> str:
    """The command that takes the step ``error`` names, or "" when there is none."""
    if isinstance(error, AlreadyCovered):
        return _("To write it again: kisi export --again {seq} --out FOLDER").format(seq=error.seq)
    if isinstance(error, Rejected) and error.code == NOT_PROVISIONED:
        return _("To import it: kisi provision FILE")
    if isinstance(error, NoMinistryFolder):
        return _("To make one: kisi ministry init --dir FOLDER")
    if isinstance(error, AlreadyRegistered):
        return _("To register a new key for it, add --replace.")
    if isinstance(error, HasTimeSheets):
        return _("To list the time sheets: kisi timesheet list --member {id}").format(
            id=error.guide_id
        )
    if isinstance(error, SecondTimeSheet):
        return _("To change it: kisi timesheet edit {id} --hours HOURS").format(
            id=error.existing.id
        )
    return ""
