"""What the person page's header says: key facts, consent per purpose, retention date.

Derived from the domain's own rules (``amif_eligible``, ``age_on``, ``consent_active``,
``retention_after``) so the page never restates them; the result is plain text in the UI
language, ready for labels, and easy to check in tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kisi_desktop.core.consent_check import DOCUMENTATION_PURPOSE
from kisi_desktop.core.domain import Case, Consent, Partner, Person
from kisi_desktop.core.domain.case import retention_after
from kisi_desktop.core.domain.consent import consent_active
from kisi_desktop.core.domain.person import age_on, amif_eligible
from kisi_desktop.core.i18n import _, format_date, ngettext, ui_language
from kisi_desktop.core.retention import counselling_ended, deletion_due, documentation_withdrawn
from kisi_desktop.core.text_sort import sort_text
from kisi_desktop.core.workspace import Workspace


@dataclass(frozen=True, slots=True)
class ConsentState:
    """One purpose: its label, "active" / "withdrawn" / "none", and the record to edit."""

    purpose: str
    label: str
    state: str
    text: str
    consent_id: str | None
    partners: tuple[ConsentState, ...] = ()
    """For sharing with a named partner: one line per partner (``label`` is its name),
    since the consent covers that partner only (Art. 6(1)(a), 7 GDPR)."""


@dataclass(frozen=True, slots=True)
class PersonSummary:
    """Everything the header shows about one person."""

    name: str
    facts: tuple[tuple[str, str], ...]  # (label, value)
    consents: tuple[ConsentState, ...]
    retention: str
    case_id: str | None = None
    """The case "Edit case" opens: the open one, else the newest (None: no case yet)."""
    case_open: bool = False
    notes_due: bool = False
    """The notes' deletion date has come and notes or follow-ups are still there."""


def _age(person: Person, today: date) -> str:
    try:
        age = age_on(person, today)
    except ValueError:
        return "—"
    if age is None:
        return _("not known")
    text = str(age)
    return f"~{text}" if person.birth_estimated else text


def summarize(workspace: Workspace, person: Person, today: date) -> PersonSummary:
    """The header of ``person``'s page as of ``today``."""
    ref, lang = workspace.ref, ui_language()
    if person.stateless:
        nationality = ref.stateless.label(lang)
    else:
        nationality = ", ".join(ref.label("countries", c, lang) for c in person.nationalities)
    eligible = amif_eligible(person, ref)
    facts = (
        (_("Age"), _age(person, today)),
        (_("Nationality"), nationality or _("not known")),
        (_("Residence status"), ref.label("residence_statuses", person.residence_status, lang)),
        *(
            (
                _("Earlier status"),
                _("{status} until {day}").format(
                    status=ref.label("residence_statuses", e.residence_status, lang),
                    day=format_date(e.ended_on - timedelta(days=1)),
                ),
            )
            for e in reversed(person.earlier)
        ),
        (_("AMIF eligible"), _("yes") if eligible else _("no")),
        (
            _("Handout language"),
            ref.label("handout_languages", person.handout_language, lang)
            if person.handout_language
            else _("not chosen"),
        ),
        (_("Phone"), person.phone or "—"),
    )
    cases = workspace.list(Case, owner=person.id)
    open_cases = [c for c in cases if c.closed_on is None]
    newest = max(open_cases or cases, key=lambda c: c.opened_on, default=None)
    return PersonSummary(
        name=person.name,
        facts=facts,
        consents=_consents(workspace, person.id, today),
        retention=_retention(workspace, person.id, today),
        case_id=newest.id if newest else None,
        case_open=bool(open_cases),
        notes_due=bool(deletion_due(workspace, today, owner=person.id)),
    )


def _consents(workspace: Workspace, person_id: str, today: date) -> tuple[ConsentState, ...]:
    ref, lang = workspace.ref, ui_language()
    by_purpose: dict[str, list[Consent]] = {}
    for consent in workspace.list(Consent, owner=person_id):
        by_purpose.setdefault(consent.purpose, []).append(consent)
    states = []
    for purpose, entry in ref.enum("consent_purposes").items():
        given = by_purpose.get(purpose, [])
        state, text, chosen = _state_of(given, today)
        partners: tuple[ConsentState, ...] = ()
        if entry.extra.get("needs_partner"):
            partners = _partner_states(workspace, purpose, given, today)
            active = sum(p.state == "active" for p in partners)
            if active:
                text = ngettext("given for {n} partner", "given for {n} partners", active)
                text = text.format(n=active)
        states.append(
            ConsentState(
                purpose, entry.label(lang), state, text, chosen.id if chosen else None, partners
            )
        )
    return tuple(states)


def _state_of(given: list[Consent], today: date) -> tuple[str, str, Consent | None]:
    """The state of the newest of ``given`` that covers ``today`` (else of the newest), its
    words, and the consent a double click opens."""
    given = sorted(given, key=lambda c: c.given_on, reverse=True)
    active = [c for c in given if consent_active(c, today)]
    if active:
        return "active", _("given on {day}").format(day=format_date(active[0].given_on)), active[0]
    if given and given[0].withdrawn_on is not None:
        text = _("withdrawn on {day}").format(day=format_date(given[0].withdrawn_on))
        return "withdrawn", text, given[0]
    if given:  # dated in the future
        return "none", _("valid from {day}").format(day=format_date(given[0].given_on)), given[0]
    return "none", _("none"), None


def _partner_states(
    workspace: Workspace, purpose: str, given: list[Consent], today: date
) -> tuple[ConsentState, ...]:
    """One line per partner named in ``given``, by the partner's name."""
    names = {p.id: p.name for p in workspace.list(Partner)}
    by_partner: dict[str, list[Consent]] = {}
    for consent in given:
        by_partner.setdefault(consent.partner_id or "", []).append(consent)
    lines = []
    for partner_id, consents in by_partner.items():
        state, text, chosen = _state_of(consents, today)
        name = names.get(partner_id) or _("(partner no longer listed)")
        lines.append(ConsentState(purpose, name, state, text, chosen.id if chosen else None))
    return tuple(sorted(lines, key=lambda line: sort_text(line.label)))


def _retention(workspace: Workspace, person_id: str, today: date) -> str:
    ended = counselling_ended(workspace, owner=person_id)
    withdrawn = documentation_withdrawn(workspace, today, owner=person_id).get(person_id)
    if withdrawn is not None and not workspace.on_legal_hold(person_id):
        # The notes go with the consent they were kept on; the proof keeps its own date.
        purpose = workspace.ref.label("consent_purposes", DOCUMENTATION_PURPOSE, ui_language())
        day = ended.get(person_id)
        deleted_on = workspace.notes_deleted_on(person_id)
        if _notes_left(workspace, person_id, today):
            notes_state = _("notes due for deletion since that day")
        elif deleted_on is not None:
            notes_state = _("notes deleted on {day}").format(day=format_date(deleted_on))
        else:
            # No day kept: none were written, or they went before deleting noted the day
            # (vaults from before that): "none to delete" read as "there never were any".
            notes_state = _("no notes left to delete")
        proof_state = (
            _("proof of participation: no date yet while a case is open")
            if day is None
            else _("proof of participation on {day}").format(
                day=format_date(retention_after(day, workspace.ref)[1])
            )
        )
        return _("Consent “{purpose}” withdrawn on {day}: {notes}; {proof}.").format(
            purpose=purpose, day=format_date(withdrawn), notes=notes_state, proof=proof_state
        )
    if person_id not in ended:
        return _("No case or contact recorded: no deletion date yet.")
    day = ended[person_id]
    if day is None:
        return _("A case is open or on legal hold: no deletion date yet.")
    notes, proof = retention_after(day, workspace.ref)
    if notes <= today and not _notes_left(workspace, person_id, today):
        # Said only where a deletion was recorded: a person seen without a word written
        # down has had nothing deleted (QA: the page said "Notizen gelöscht" for them too).
        # Nor is the opposite said where no day was kept: notes deleted before deleting
        # noted the day on the person's record have none (QA: "Keine Notizen zu löschen").
        deleted_on = workspace.notes_deleted_on(person_id)
        if deleted_on is None:
            return _("No notes left to delete; proof of participation on {proof}.").format(
                proof=format_date(proof)
            )
        return _(
            "Notes deleted on {day} (due on {notes}); proof of participation on {proof}."
        ).format(day=format_date(deleted_on), notes=format_date(notes), proof=format_date(proof))
    return _("Notes due for deletion on {notes}; proof of participation on {proof}.").format(
        notes=format_date(notes), proof=format_date(proof)
    )


def _notes_left(workspace: Workspace, person_id: str, today: date) -> bool:
    """Whether notes whose date has come are still there; once the guide deleted them the
    page said "notes due for deletion on …" as if nothing had been done."""
    return person_id in deletion_due(workspace, today, owner=person_id)
