"""Who is due for deletion: the people whose notes have passed their retention date.

The person page says each person's deletion date; a data protection officer asks for the
list. The clock starts when the counselling ended (MBE practice, DOMAIN.md): the later of
the day the person's last case closed and the day of their last contact, so a contact
after the closing moves it, and a person the guide saw without ever opening a case gets a
date too (a year after the last contact). No date while a case is open or on legal hold.
Notes kept on the person's consent to case documentation are due on the day that consent
is withdrawn (Art. 7(3), 17(1)(b) GDPR), open case or not, unless consent was given anew;
a legal hold stops that too. A person is due when that date has come and notes,
follow-ups, unsaved forms or the free text of contacts and referrals are still there
(once the guide has deleted those, the person drops out; the proof of participation is
kept longer, until its own date).
"""

from __future__ import annotations

from datetime import date

from kisi_desktop.core.consent_check import DOCUMENTATION_PURPOSE
from kisi_desktop.core.domain import Consent, Contact, Draft, Referral
from kisi_desktop.core.domain.case import Case, notes_due_on
from kisi_desktop.core.domain.note import FollowUp, Note
from kisi_desktop.core.workspace import Workspace


def counselling_ended(ws: Workspace, *, owner: str | None = None) -> dict[str, date | None]:
    """Person id -> the day their counselling ended (see the module), or None while a case
    of theirs is open or on legal hold; people with neither a case nor a contact are absent.

    Contacts are the counselling sessions; a referral or note is made in one, so only
    contact days count (they are indexed: no record is parsed for them).
    """
    ended: dict[str, date | None] = {}
    for _cid, person_id, closed_on, hold in ws.rows(
        Case, ["person_id", "closed_on", "legal_hold"], owner=owner
    ):
        if not person_id:
            continue
        if closed_on is None or hold or ended.get(person_id, date.min) is None:
            ended[person_id] = None  # an open case or a hold: no date at all
            continue
        ended[person_id] = max(ended.get(person_id) or date.min, date.fromisoformat(closed_on))
    for person_id, day in ws.last_days(Contact, owner=owner).items():
        if ended.get(person_id, date.min) is not None:
            ended[person_id] = max(ended.get(person_id) or date.min, day)
    return ended


def documentation_withdrawn(
    ws: Workspace, day: date, *, owner: str | None = None
) -> dict[str, date]:
    """Person id -> the day their consent to case documentation was withdrawn, for the
    people without such a consent on ``day`` who had one (legal holds not looked at).
    Raw rows, as ``consent_check.proof_consents`` reads them: nothing parsed for 10,000 people."""
    iso = day.isoformat()
    active: set[str] = set()
    withdrawn: dict[str, str] = {}
    fields = ["person_id", "purpose", "given_on", "withdrawn_on"]
    for _cid, pid, purpose, given, ended in ws.rows(Consent, fields, owner=owner):
        if purpose != DOCUMENTATION_PURPOSE or not pid or not given:
            continue
        if given <= iso and (ended is None or iso < ended):
            active.add(pid)
        elif ended is not None and ended <= iso:
            withdrawn[pid] = max(withdrawn.get(pid, ended), ended)
    return {pid: date.fromisoformat(on) for pid, on in withdrawn.items() if pid not in active}


def notes_due(ws: Workspace, day: date, *, owner: str | None = None) -> dict[str, date]:
    """Person id -> the day their notes are due for deletion, as known on ``day``: a year
    after the counselling ended, or the day consent to documenting it was withdrawn if
    that is earlier; absent while a case is open (and nothing withdrawn) or on hold."""
    due = {
        pid: notes_due_on(ended, ws.ref)
        for pid, ended in counselling_ended(ws, owner=owner).items()
        if ended is not None
    }
    withdrawn = documentation_withdrawn(ws, day, owner=owner)
    if withdrawn:
        held = {pid for _cid, pid, hold in ws.rows(Case, ["person_id", "legal_hold"]) if hold}
        for pid, on in withdrawn.items():
            if pid not in held:
                due[pid] = min(due.get(pid, on), on)
    return due


def deletion_due(ws: Workspace, day: date, *, owner: str | None = None) -> dict[str, date]:
    """Person id -> the notes deletion date, for the people due on ``day`` (or only
    ``owner``, if due)."""
    come = {pid: due for pid, due in notes_due(ws, day, owner=owner).items() if due <= day}
    # Who still has notes, follow-ups or unsaved forms: from the owner index, nothing parsed.
    kept = ws.owners(Note) | ws.owners(FollowUp) | ws.owners(Draft)
    # The free text of contacts and referrals is a note too, a referral's follow-up day
    # a follow-up (delete_notes empties both): parsed only for the people due with
    # nothing else left.
    rest = come.keys() - kept
    for cls, field in ((Contact, "note"), (Referral, "note"), (Referral, "follow_up_on")):
        if rest:
            found = ws.owners_with_text(cls, field, rest)
            kept |= found
            rest -= found
    return {pid: due for pid, due in come.items() if pid in kept}
