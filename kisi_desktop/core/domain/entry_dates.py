"""Dates of what has already happened may not lie ahead of the day they are entered.

A contact on 01.01.2099 or a person born in 2030 is a typing slip, and once stored it
reaches the AMIF figures (a person "born" in 2030 counts as under 18). The window says so
under the field as the guide types (ui/forms/field_widgets.py reads the same sets); the
workspace refuses it at saving, for every way in: the command line, an import. Plans may
lie ahead (an event, a trip, a follow-up), but not past :data:`YEARS_AHEAD` years: a
date that far out is a slip too.

Only what is added or edited by hand meets the rule (``Workspace.save`` with an entry
action), so a record entered on a computer whose clock ran ahead still opens.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _
from kisi_desktop.core.typed_input import YEARS_AHEAD

# Dates of a life before the counselling: a two-digit year is never read as a coming one.
PAST_YEARS = frozenset({"birth_date", "arrival_date", "residence_status_date"})
# Dates of what has happened: a day still to come is a typing error.
NOT_AHEAD = PAST_YEARS | {
    "contacted_on",
    "written_on",
    "occurred_on",
    "handed_out_on",
    "done_on",
    "referred_on",
    "given_on",
    "withdrawn_on",
    "recorded_on",
    "opened_on",
    "closed_on",
    "held_on",
    "spent_on",
    "claim_submitted_on",
    "eligibility_checked_on",
}


# Records the app writes itself, from signed files or its own bookkeeping: a content
# pack may well expire in 2040; nobody typed those dates.
SYSTEM_KINDS = frozenset(
    {"bundle_entry", "content_pack", "draft", "provisioning", "pseudonym_key", "signing_key"}
)


def check_entry_dates(record: object, today: date) -> None:
    """Raise ValidationError (naming the field) for a date of ``record`` that lies ahead
    where it may not, or more than :data:`YEARS_AHEAD` years ahead anywhere (records a
    person enters only: not :data:`SYSTEM_KINDS`)."""
    if not dataclasses.is_dataclass(record) or getattr(record, "KIND", None) in SYSTEM_KINDS:
        return
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        if not isinstance(value, date):
            continue
        if field.name in NOT_AHEAD and value > today:
            raise ValidationError(field.name, _("Lies in the future."))
        if value.year > today.year + YEARS_AHEAD:
            raise ValidationError(
                field.name,
                _("Lies more than {n} years ahead: a typing error?").format(n=YEARS_AHEAD),
            )
    birth_year = getattr(record, "birth_year", None)
    if isinstance(birth_year, int) and birth_year > today.year:
        raise ValidationError("birth_year", _("Lies in the future."))
    month = getattr(record, "month", None)
    if getattr(record, "KIND", None) == "time_sheet" and isinstance(month, str):
        if month > today.strftime("%Y-%m"):
            raise ValidationError("month", _("A month still to come has no hours worked yet."))
