"""Records as people read them: a code's label, a record kind's name, a field's value.

What is stored is written for machines: ISO dates, decimals with a point, codes such as
``information_event``. That form stays in the JSON the command line prints, in bundles and
in CSV files. Wherever a person reads a record, in the window or in ``kisi``'s own lines,
it reads in the UI language instead: 26.11.2026 and 2,5 in German, and for a code the
label the reference data gives it ("Informationsveranstaltung"). The window and the
command line say it through these functions, so they say it alike; no Qt here, so that
``kisi`` can use them (CONTRIBUTING.md: the CLI imports no ``ui`` module).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from kisi_desktop.core.domain.field_groups import Counts, Many, Maybe, Nested
from kisi_desktop.core.domain.fields import Amount, Code, Day, Flag, Id, OpenCode, Spec, Whole
from kisi_desktop.core.domain.record import field_specs
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.field_labels import field_label
from kisi_desktop.core.i18n import N_, _, format_date, format_number, ui_language

# Record kinds as search results and lists name them (what the demo data adds, too).
KIND_NAMES = {
    "municipality": N_("Municipality profile"),
    "guide": N_("Team member"),
    "person": N_("Person"),
    "contact": N_("Contact"),
    "note": N_("Note"),
    "followup": N_("Follow-up"),
    "referral": N_("Referral"),
    "activity": N_("Activity"),
    "volunteer": N_("Volunteer"),
    "volunteer_deployment": N_("Volunteer deployment"),
    "training": N_("Volunteer training"),
    "partner": N_("Partner"),
    "publication": N_("Publication"),
    "expense": N_("Expense"),
    "trip": N_("Business trip"),
    "need": N_("Need"),
    "time_sheet": N_("Time sheet"),
    "case": N_("Case"),
    "consent": N_("Consent"),
    "outcome": N_("Result"),
    "handout_given": N_("Handout"),
    "budget_plan": N_("Budget plan"),
}


def kind_name(kind: str) -> str:
    """The name of a record kind in the UI language ("Person"); an unknown kind as itself."""
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def code_label(ref: ReferenceData, enum: str, code: str | None, language: str | None = None) -> str:
    """The label of ``code`` from enumeration ``enum`` in ``language`` (default: the UI
    language); "" for no code. A code the reference data does not know (a record older than
    a data update) shows as itself rather than failing the list it is in."""
    if not code:
        return ""
    entry = ref.enum(enum).get(code)
    return entry.label(language or ui_language()) if entry is not None else code


def code_labels(
    ref: ReferenceData, enum: str, codes: Iterable[str], language: str | None = None
) -> str:
    """The labels of ``codes`` (as :func:`code_label`), joined by commas."""
    return ", ".join(code_label(ref, enum, code, language) for code in codes)


def year_like(spec: Whole) -> bool:
    """Whether a whole-number field holds a year, which is written without a thousands
    mark ("1994", never "1.994")."""
    return 1000 <= spec.minimum and spec.maximum <= 9999


def field_text(
    ref: ReferenceData,
    spec: Spec,
    value: Any,
    *,
    name_of: Callable[[str], str] | None = None,
) -> str:
    """A field's stored (payload) ``value`` in words of the UI language; "" for nothing.

    Args:
        spec: the field's kind, from :func:`~kisi_desktop.core.domain.record.field_specs`.
        name_of: what an id stands for (a partner's name); without it the id itself.
    """
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(spec, Maybe):
        return field_text(ref, spec.inner, value, name_of=name_of)
    if isinstance(spec, Many):
        texts = (field_text(ref, spec.item, item, name_of=name_of) for item in value)
        # Entries of several fields each ("Topic: Health, Language: Arabic") apart by ";".
        return ("; " if isinstance(spec.item, Nested) else ", ").join(t for t in texts if t)
    if isinstance(spec, Code | OpenCode):
        return code_label(ref, spec.enum, str(value))
    if isinstance(spec, Counts):
        items = value.items() if isinstance(value, Mapping) else value
        return ", ".join(
            f"{code_label(ref, spec.enum, str(code))}: {format_number(int(n))}" for code, n in items
        )
    if isinstance(spec, Nested) and isinstance(value, Mapping):
        parts = (  # (a "no" said of an earlier state is noise: left out)
            (field.name, field_text(ref, inner, value.get(field.name), name_of=name_of))
            for field, inner in field_specs(spec.cls)
            if value.get(field.name) is not False
        )
        return ", ".join(f"{field_label('', name)}: {text}" for name, text in parts if text)
    if isinstance(spec, Day):
        return format_date(value if isinstance(value, date) else date.fromisoformat(str(value)))
    if isinstance(spec, Flag):
        return _("yes") if value else _("no")
    if isinstance(spec, Amount):
        try:
            return format_number(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if isinstance(spec, Whole) and isinstance(value, int) and not year_like(spec):
        return format_number(value)
    if isinstance(spec, Id):
        return name_of(str(value)) if name_of is not None else str(value)
    return str(value)
