"""Which fields each People form shows, under which draft name, with which defaults.

Kept as data so the page, the draft banner and the tests agree on form names (a draft
left by auto-lock is matched to its form by name) and so a field added to a form is one
line here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kisi_desktop.core.domain import (
    Case,
    Consent,
    Contact,
    FollowUp,
    HandoutGiven,
    Note,
    OutcomeEvent,
    Partner,
    Person,
    Referral,
)
from kisi_desktop.core.domain.registry import Record
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import N_, _
from kisi_desktop.core.text_sort import sort_text
from kisi_desktop.core.workspace import Workspace

# Check lists long enough to need a filter field (countries: ~250, languages: ~70).


@dataclass(frozen=True, slots=True)
class FormSpec:
    """One form: record class, shown fields, draft name and dialog titles (msgids)."""

    cls: type[Record]
    fields: tuple[str, ...]
    name: str
    new_title: str
    edit_title: str
    # Defaults for a new record, from the person id and today's date.
    defaults: Callable[[str | None, date], dict[str, Any]]
    # What the form asks beyond the record's own rules (ValidationError under a field).
    check: Callable[[Record], None] = field(default=lambda _record: None)
    # Fields in a second column (the check lists), so that the form fits a 768-px screen.
    beside: tuple[str, ...] = ()


def _person_defaults(_pid: str | None, _today: date) -> dict[str, Any]:
    return {}


def check_contact_content(record: Record) -> None:
    """A contact saved from the form says what it was about: a topic, an action or a note.

    The form opens with the day, 45 minutes and "in person" filled in, so one Ctrl+S on
    an untouched form would store a session nobody described, and it would count in the
    Overview, the hours and the AMIF figures. A form rule, not one of the record's: a
    contact typed up from a paper list (``kisi contact add`` with its required minutes)
    may honestly know no more than day and length, and such records are stored already.
    """
    if isinstance(record, Contact) and not (record.topics or record.actions or record.note):
        raise ValidationError(
            "topics", _("Say what it was about: tick a topic or an action, or write a note.")
        )


FORMS: dict[str, FormSpec] = {
    spec.cls.KIND: spec
    for spec in (
        FormSpec(
            Person,
            (
                "name",
                "phone",
                "email",
                "address",
                "birth_date",
                "birth_year",
                "birth_estimated",
                "gender",
                "nationalities",
                "stateless",
                "residence_status",
                "residence_status_date",
                "arrival_date",
                "languages",
                "handout_language",
                "interpreter_needed",
                "literate",
            ),
            "people.person",
            N_("New person"),
            N_("Edit person"),
            _person_defaults,
        ),
        FormSpec(
            Contact,
            (
                "contacted_on",
                "duration_minutes",
                "mode",
                "interpreter_type",
                "interpreter_language",
                "family_members",
                "note",
                # Beside them: in one column the form was 876 px tall and scrolled at
                # 1366x768 (QA pass).
                "topics",
                "actions",
                "amif_support",
            ),
            "people.contact",
            N_("New contact"),
            N_("Edit contact"),
            # True defaults: most sessions are today, about 45 minutes, at the office.
            lambda pid, today: {
                "person_id": pid,
                "contacted_on": today,
                "duration_minutes": 45,
                "mode": "office",
            },
            check_contact_content,
            beside=("topics", "actions", "amif_support"),
        ),
        FormSpec(
            Note,
            ("written_on", "text"),
            "people.note",
            N_("New note"),
            N_("Edit note"),
            lambda pid, today: {"person_id": pid, "written_on": today},
        ),
        FormSpec(
            FollowUp,
            ("due_on", "text", "done", "done_on"),
            "people.followup",
            N_("New follow-up"),
            N_("Edit follow-up"),
            lambda pid, today: {"person_id": pid, "due_on": today},
        ),
        FormSpec(
            Referral,
            ("referred_on", "target", "partner_id", "status", "follow_up_on", "note"),
            "people.referral",
            N_("New referral"),
            N_("Edit referral"),
            lambda pid, today: {"person_id": pid, "referred_on": today},
        ),
        FormSpec(
            Consent,
            ("purpose", "form_version", "form_language", "given_on", "withdrawn_on", "partner_id"),
            "people.consent",
            N_("Record consent"),
            N_("Edit consent"),
            lambda pid, today: {"person_id": pid, "given_on": today},
        ),
        FormSpec(
            # Opening and closing dates start the retention periods (DOMAIN.md): closed
            # cases' notes are deleted after their time; a legal hold stops that.
            Case,
            ("opened_on", "status", "closed_on", "main_topics", "legal_hold"),
            "people.case",
            N_("Open a case"),
            N_("Edit case"),
            lambda pid, today: {"person_id": pid, "opened_on": today},
        ),
        FormSpec(
            # Results behind the AMIF result indicators (R.2.8-R.2.11, O.2.5): a language
            # level reached, a recognition or long-term residence applied for, feedback.
            OutcomeEvent,
            ("occurred_on", "kind", "level_before", "level_after", "feedback"),
            "people.outcome",
            N_("New result"),
            N_("Edit result"),
            lambda pid, today: {"person_id": pid, "occurred_on": today},
        ),
        FormSpec(
            # Recorded from the Handouts page; here only the day and the number of copies
            # can be corrected (topic and language are what was printed).
            HandoutGiven,
            ("handed_out_on", "copies"),
            "people.handout_given",
            N_("Handout given"),
            N_("Edit handout given"),
            lambda pid, today: {"person_id": pid, "handed_out_on": today},
        ),
    )
}
FORM_BY_NAME = {spec.name: spec for spec in FORMS.values()}


def form_title(spec: FormSpec, *, new: bool, person_name: str = "") -> str:
    """The dialog title, naming the person for their records."""
    title = _(spec.new_title if new else spec.edit_title)
    if person_name and spec.cls is not Person:
        return _("{title} – {name}").format(title=title, name=person_name)
    return title


def choices_for(workspace: Workspace) -> Callable[[str], Sequence[tuple[str, str]]]:
    """Record choices of the People forms: partners by name (referral, consent)."""

    def choices(field: str) -> Sequence[tuple[str, str]]:
        if field == "partner_id":
            return sorted(
                ((p.id, p.name) for p in workspace.list(Partner)), key=lambda x: sort_text(x[1])
            )
        return ()

    return choices
