"""Who is due for deletion: the people whose notes have passed their retention date.

The person page says each person's deletion date; a data protection officer asks for the
list. A person is due when every case of theirs is closed and on no legal hold, the
latest notes deletion date among them (:func:`notes_due_on`) has come, and notes,
follow-ups, unsaved forms or the free text of contacts and referrals are still there (once
the guide has deleted those, the person drops out; the proof of participation is kept
longer, until its own date). People without a case have no date yet (the person page says
so), and are not listed.
"""

from __future__ import annotations

from datetime import date

from kisi_desktop.core.domain import Contact, Draft, Referral
from kisi_desktop.core.domain.case import Case, notes_due_on
from kisi_desktop.core.domain.note import FollowUp, Note
from kisi_desktop.core.workspace import Workspace


def deletion_due(ws: Workspace, day: date, *, owner: str | None = None) -> dict[str, date]:
    """Person id -> the notes deletion date, for the people due on ``day`` (or only
    ``owner``, if due)."""
    latest: dict[str, date | None] = {}
    for _cid, person_id, closed_on, hold in ws.rows(
        Case, ["person_id", "closed_on", "legal_hold"], owner=owner
    ):
        if not person_id:
            continue
        if closed_on is None or hold or latest.get(person_id, date.min) is None:
            latest[person_id] = None  # an open case or a hold: no date at all
            continue
        due = notes_due_on(date.fromisoformat(closed_on), ws.ref)
        latest[person_id] = max(latest.get(person_id) or date.min, due)
    come = {pid: due for pid, due in latest.items() if due is not None and due <= day}
    # Who still has notes, follow-ups or unsaved forms: from the owner index, nothing parsed.
    kept = ws.owners(Note) | ws.owners(FollowUp) | ws.owners(Draft)
    # The free text of contacts and referrals is a note too (delete_notes empties it):
    # parsed only for the people due with nothing else left.
    rest = come.keys() - kept
    for cls in (Contact, Referral):
        if rest:
            found = ws.owners_with_text(cls, "note", rest)
            kept |= found
            rest -= found
    return {pid: due for pid, due in come.items() if pid in kept}
