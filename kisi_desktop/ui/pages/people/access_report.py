"""The readable half of a GDPR Art. 15 export: what is held on a person, in words.

The JSON file beside it is for machines (and Art. 20); this text is for the person and
whoever helps them read it: field names and codes in the UI's language, dates as the
language writes them, and what Art. 15(1) asks to be told besides the data itself
(purposes, recipients, how long it is kept, the person's rights, where to complain).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from kisi_desktop.core.domain import Municipality, Partner, Person
from kisi_desktop.core.domain.fields import Day, Spec
from kisi_desktop.core.domain.record import field_specs
from kisi_desktop.core.domain.registry import RECORD_TYPES
from kisi_desktop.core.errors import RecordNotFound
from kisi_desktop.core.field_labels import field_label
from kisi_desktop.core.i18n import N_, _, format_date
from kisi_desktop.core.record_text import field_text
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.pages.people.person_summary import summarize

# Headings per kind, in the order they are listed.
SECTIONS = {
    "person": N_("Personal details"),
    "consent": N_("Consents"),
    "case": N_("Cases"),
    "contact": N_("Contacts"),
    "note": N_("Notes"),
    "referral": N_("Referrals"),
    "followup": N_("Follow-ups"),
    "outcome": N_("Results"),
    "handout_given": N_("Handouts given"),
    "draft": N_("Unfinished forms (drafts)"),
}
# Fields that only link records together; they mean nothing to the reader.
_LINKS = {"id", "person_id"}


def readable_path_beside(json_path: Path) -> Path:
    """Where the text goes: beside the JSON, never over it nor over another file."""
    candidate = json_path.with_suffix(".txt")
    number = 1
    while candidate == json_path or candidate.exists():
        number += 1
        candidate = json_path.with_name(f"{json_path.stem}-{number}.txt")
    return candidate


def access_report(workspace: Workspace, person_id: str, today: date) -> str:
    """The text for ``person_id`` as of ``today``, in the UI language."""
    export = workspace.export_person(person_id)
    person = workspace.get(Person, person_id)
    summary = summarize(workspace, person, today)
    profiles = workspace.list(Municipality)
    holder = profiles[0].name if profiles else _("the municipality")
    title = _("Information on the data held about {name} (GDPR Art. 15)").format(name=person.name)
    lines = [title, "=" * len(title), ""]
    lines += [
        _("As of {day}, kept by the integration guide of {holder} (project KISI, AMIF).").format(
            day=format_date(today), holder=holder
        ),
        "",
        _(
            "Why: to accompany and advise you in your first time here, and to prove to the "
            "funder (AMIF, Hessian ministry) that the project's help reached people."
        ),
        _(
            "Who receives it: the ministry gets counts and pseudonyms, never your name. "
            "Partners get something only where a consent below says so."
        ),
        _("How long: {retention}").format(retention=summary.retention),
        _(
            "Your rights: correction (Art. 16), erasure (Art. 17), restriction (Art. 18), "
            "objection (Art. 21), withdrawing a consent at any time, and a complaint to the "
            "Hessian Commissioner for Data Protection and Freedom of Information (Art. 77)."
        ),
    ]
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for record in export["records"]:
        by_kind.setdefault(record["kind"], []).append(record)
    for kind in [*SECTIONS, *sorted(set(by_kind) - set(SECTIONS))]:
        records = by_kind.get(kind, [])
        if not records:
            continue
        heading = _(SECTIONS[kind]) if kind in SECTIONS else kind
        heading = f"{heading} ({len(records)})"
        lines += ["", heading, "-" * len(heading)]
        day_field = _day_field(kind)
        if day_field:  # oldest first, as a history reads
            records.sort(key=lambda r: str(r["data"].get(day_field) or ""))
        for number, record in enumerate(records):
            lines += [""] if number else []
            lines += _record_lines(workspace, kind, record["data"])
    activities = [m for m in export["mentioned_in"] if m["kind"] == "activity"]
    if activities:
        heading = _("Taking part in activities and events")
        lines += ["", heading, "-" * len(heading)]
        for mention in sorted(activities, key=lambda m: str(m["data"].get("starts_on") or "")):
            data = mention["data"]
            day = _text(workspace, Day(), data.get("starts_on"))
            lines.append(f"  {day}: {data.get('title', '')}")
    return "\n".join(lines) + "\n"


def _day_field(kind: str) -> str | None:
    """The field a record of ``kind`` is dated by: its ``DAY_FIELD``, else its first date.

    Notes, referrals and consents name no ``DAY_FIELD`` (it would index them by day);
    without this fallback they were listed in the random order of their ids."""
    cls = RECORD_TYPES.get(kind)
    if cls is None:
        return None
    named = getattr(cls, "DAY_FIELD", None)
    if named:
        return str(named)
    for field, spec in field_specs(cls):
        if isinstance(spec, Day):
            return field.name
    return None


def _record_lines(workspace: Workspace, kind: str, data: dict[str, Any]) -> list[str]:
    cls = RECORD_TYPES.get(kind)
    if cls is None:
        return []
    lines = []
    for field, spec in field_specs(cls):
        if field.name in _LINKS or kind == "draft":
            continue
        text = _text(workspace, spec, data.get(field.name))
        if text:
            text = "\n    ".join(text.splitlines())  # a note's further lines, indented
            lines.append(f"  {field_label(kind, field.name)}: {text}")
    if kind == "draft":
        lines.append("  " + _("a form not saved yet, kept sealed until it is saved or discarded"))
    return lines


def _text(workspace: Workspace, spec: Spec, value: Any) -> str:
    """``value`` of a field with ``spec`` in words ("" for nothing); an id by the name of
    the partner it stands for (a referral's or consent's partner)."""

    def partner_name(rid: str) -> str:
        try:
            return workspace.get(Partner, rid).name
        except RecordNotFound:
            return ""

    return field_text(workspace.ref, spec, value, name_of=partner_name)
