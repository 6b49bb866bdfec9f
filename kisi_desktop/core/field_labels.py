"""Field labels, in the users' words; translated when shown.

The forms label their fields with these, and ``kisi person show`` and ``kisi municipality
show`` name a record's fields with the same words; so they live here, free of Qt, rather
than beside the forms (``ui/forms/labels.py`` imports them from here).

Most fields mean the same in every record, so labels are keyed by field name; a few are
worded per record kind (``(kind, field)`` wins over ``field``).
"""

from __future__ import annotations

from kisi_desktop.core.i18n import N_, _

_LABELS: dict[str, str] = {
    "id": N_("ID"),
    "name": N_("Name"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "address": N_("Address"),
    "website": N_("Website"),
    "handout_role": N_("Named in handouts as"),
    "birth_date": N_("Date of birth"),
    "birth_year": N_("Year of birth"),
    "birth_estimated": N_("Birth date or year is an estimate"),
    "gender": N_("Gender"),
    "nationalities": N_("Nationalities"),
    "stateless": N_("Stateless"),
    "residence_status": N_("Residence status"),
    "residence_status_date": N_("Status since"),
    "eligibility_evidence": N_("Evidence seen"),
    "eligibility_checked_on": N_("Evidence checked on"),
    "arrival_date": N_("Arrived on"),
    "languages": N_("Languages"),
    "language": N_("Language"),
    "handout_language": N_("Handout language"),
    "interpreter_needed": N_("Needs an interpreter"),
    "literate": N_("Can read and write"),
    "household_id": N_("Household"),
    "person_id": N_("Person"),
    "purpose": N_("Purpose"),
    "form_version": N_("Form version"),
    "form_language": N_("Form language"),
    "given_on": N_("Given on"),
    "handed_out_on": N_("Handed out on"),
    "copies": N_("Copies"),
    "withdrawn_on": N_("Withdrawn on"),
    "partner_id": N_("Partner"),
    "opened_on": N_("Opened on"),
    "closed_on": N_("Closed on"),
    "status": N_("Status"),
    "main_topics": N_("Main topics"),
    "legal_hold": N_("Legal hold (do not delete)"),
    "municipality_ags": N_("Municipality"),
    "guide_id": N_("Guide"),
    "case_id": N_("Case"),
    "contacted_on": N_("Date"),
    "duration_minutes": N_("Duration (minutes)"),
    "mode": N_("Mode"),
    "interpreter_type": N_("Interpreter"),
    "interpreter_language": N_("Interpreted language"),
    "topics": N_("Topics"),
    "actions": N_("Actions"),
    "family_members": N_("Family members advised too"),
    "note": N_("Note"),
    "handouts": N_("Handouts given"),
    "amif_support": N_("AMIF support"),
    "contact_id": N_("Contact"),
    "referred_on": N_("Referred on"),
    "target": N_("Referred to"),
    "follow_up_on": N_("Follow up on"),
    "occurred_on": N_("Date"),
    "kind": N_("Kind"),
    "level_before": N_("Language level before"),
    "level_after": N_("Language level after"),
    "feedback": N_("Found it helpful"),
    "written_on": N_("Date"),
    "text": N_("Text"),
    "due_on": N_("Due on"),
    "done": N_("Done"),
    "done_on": N_("Done on"),
    "partner_type": N_("Type"),
    "services": N_("Services"),
    "contact_person": N_("Contact person"),
    "activity_type": N_("Type"),
    "title": N_("Title"),
    "starts_on": N_("Date"),
    "ends_on": N_("Until"),
    "target_groups": N_("Target groups"),
    "participant_ids": N_("Named participants"),
    "counts_by_target_group": N_("Attendance by group"),
    "counts_by_gender": N_("Attendance by gender"),
    "partner_ids": N_("Partners"),
    "is_event": N_("Event with attendance"),
    "attendance_total": N_("Attendance in total"),
    "started_on": N_("Since"),
    "since": N_("Since"),
    "active": N_("Active"),
    "payment_regime": N_("Allowance"),
    "volunteer_id": N_("Volunteer"),
    "deployed_on": N_("Date"),
    "hours": N_("Hours"),
    "activity_id": N_("Activity"),
    "km": N_("Kilometres"),
    "expenses": N_("Expenses (EUR)"),
    "allowance_paid": N_("Allowance paid (EUR)"),
    "held_on": N_("Date"),
    "topic": N_("Topic"),
    "trainer": N_("Trainer"),
    "fee_based": N_("Paid trainer"),
    "attendee_ids": N_("Volunteers attending"),
    "administration_attendees": N_("Administration staff attending"),
    "spent_on": N_("Date"),
    "amount": N_("Amount (EUR)"),
    "payee": N_("Payee"),
    "category": N_("Budget category"),
    "receipt_ref": N_("Receipt"),
    "eligibility": N_("Eligible"),
    "description": N_("Description"),
    "allocation_percent": N_("Share charged to KISI (%)"),
    "paid_on": N_("Paid on"),
    "ags": N_("Municipality key (AGS)"),
    "district": N_("District"),
    "office_address": N_("Office address"),
    "office_hours": N_("Office hours"),
    "population": N_("Population"),
    "contract_ref": N_("Contract reference"),
    "role": N_("Role"),
    "fte": N_("Full-time share"),
    "ended_on": N_("Until"),
    "annual_gross_cost": N_("Annual gross cost (EUR)"),
    "pay_since": N_("Pay since"),
    "travelled_on": N_("Date"),
    "origin": N_("From"),
    "destination": N_("To"),
    "vehicle_type": N_("Vehicle"),
    "valid_reasons": N_("Car needed (valid reasons)"),
    "passengers": N_("Passengers"),
    "claim_submitted_on": N_("Claim submitted on"),
    "returned_on": N_("Last day of the trip"),
    "hours_away": N_("Hours away (no overnight stay)"),
    "local_field_work": N_("In the town of office or home, as regular field work"),
    "breakfasts_provided": N_("Breakfasts provided"),
    "lunches_provided": N_("Lunches provided"),
    "dinners_provided": N_("Dinners provided"),
    "project_year": N_("Project year (1-3)"),
    "planned": N_("Planned (EUR)"),
    "funding_mode": N_("Funding"),
    "flat_rate_percent": N_("Flat rate (percent of its base)"),
    "flat_rate_base": N_("Base of the flat rate"),
    "recorded_on": N_("Date"),
    "group": N_("Target group"),
    "need": N_("Need"),
    "urgency": N_("Urgency"),
    "respondents": N_("Respondents"),
    "publication_type": N_("Type"),
    "published_on": N_("Published on"),
    "version": N_("Version"),
    "print_run": N_("Copies printed"),
    "distribution": N_("Where handed out"),
}

_BY_KIND: dict[tuple[str, str], str] = {
    ("note", "text"): N_("Note"),
    ("followup", "text"): N_("What to do"),
    ("outcome", "kind"): N_("Outcome"),
    ("volunteer_deployment", "kind"): N_("Kind of help"),
    ("time_sheet", "guide_id"): N_("Team member"),
    ("time_sheet", "month"): N_("Month"),
    ("time_sheet", "hours"): N_("Hours on KISI"),
    ("volunteer_deployment", "paid_on"): N_("Allowance paid out on"),
}


def field_label(kind: str, field: str) -> str:
    """The translated label of ``field`` in a ``kind`` form (the field name if unknown)."""
    text = _BY_KIND.get((kind, field)) or _LABELS.get(field)
    return _(text) if text else field


_MEALS_HINT = N_(
    "Meals given to you free (by the host, or in a ticket or hotel bill that is refunded) "
    "reduce the Tagegeld: a breakfast by 20 percent, a lunch or a dinner by 40 percent of "
    "the full-day rate (HRKG § 10), at most to nothing."
)

# What a label alone cannot say; shown as the field's tooltip and accessible description.
_HINTS: dict[tuple[str, str], str] = {
    ("trip", "returned_on"): N_(
        "Only for a trip over several days, with an overnight stay: the first and the last "
        "day earn the Tagegeld of a day of arrival or departure, each day between the "
        "full-day rate (HRKG § 7). Leave it empty for a trip on one day. A trip over "
        "midnight without an overnight stay: the next day, and the hours away."
    ),
    ("trip", "hours_away"): N_(
        "For a trip without an overnight stay: the hours away from home or office, from "
        "leaving to coming back, also past midnight. More than eight hours earn Tagegeld "
        "once (HRKG § 7); a trip with an overnight stay needs no hours."
    ),
    ("trip", "local_field_work"): N_(
        "A trip within the town of your office or home earns half the Tagegeld, and only "
        "if you regularly work in the field and are away more than eight hours (HRKG § 7 "
        "sentence 2). If you do not work in the field, enter no hours for such a trip."
    ),
    ("trip", "breakfasts_provided"): _MEALS_HINT,
    ("trip", "lunches_provided"): _MEALS_HINT,
    ("trip", "dinners_provided"): _MEALS_HINT,
    ("volunteer_deployment", "paid_on"): N_(
        "Only if the allowance was paid later than the deployment: the tax-free annual cap "
        "counts by the year of payment (a December deployment paid in January counts in "
        "January's year)."
    ),
    ("budget_plan", "flat_rate_base"): N_(
        "As the grant decision says. Left empty, 7 % or less counts as a share of all direct "
        "costs, more as a share of the staff costs."
    ),
    ("guide", "pay_since"): N_(
        "When the gross cost or the full-time share changes (a pay rise, more hours), enter "
        "the day of the change here: time sheets of the months before keep the earlier "
        "hourly rate. A month counts with the pay held on its first day. Without a later "
        "day the change counts as a correction."
    ),
    ("person", "residence_status_date"): N_(
        "When the status or nationality changes (settlement permit, naturalisation), enter "
        "the day of the change here: support before it keeps counting under the earlier "
        "status. Without a later day the change counts as a correction."
    ),
}


def field_hint(kind: str, field: str) -> str:
    """The translated hint of ``field`` in a ``kind`` form, or an empty string."""
    text = _HINTS.get((kind, field))
    return _(text) if text else ""
