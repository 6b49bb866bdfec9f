"""Demo records of the office: profile, guide, partners, activities, volunteers and money."""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from kisi_desktop.core.demo.names import GERMAN_FIRST, GERMAN_LAST, NAMES
from kisi_desktop.core.demo.people import PROJECT_START, between, rid, weighted
from kisi_desktop.core.domain import (
    Activity,
    BudgetPlan,
    Expense,
    Guide,
    Municipality,
    Need,
    Partner,
    Publication,
    TimeSheet,
    Training,
    Trip,
    Volunteer,
    VolunteerDeployment,
)
from kisi_desktop.core.domain.municipality import EarlierPay
from kisi_desktop.core.domain.registry import Record

TOWN = ("35274", "Kirchhain")
# (name, type, services, languages, referral targets it serves)
PARTNERS = (
    (
        "Migrationsberatung für Erwachsene (MBE), Caritas",
        "counselling_service",
        ("arrival", "residence", "family_reunification"),
        ("de", "ar", "fa"),
        ("mbe",),
    ),
    (
        "Jugendmigrationsdienst (JMD)",
        "counselling_service",
        ("school", "vocational_training"),
        ("de", "en"),
        ("jmd",),
    ),
    ("Jobcenter Marburg-Biedenkopf", "authority", ("work", "benefits"), ("de",), ("jobcenter",)),
    (
        "Agentur für Arbeit Marburg",
        "employment",
        ("work", "vocational_training"),
        ("de", "en"),
        ("employment_agency",),
    ),
    (
        "Ausländerbehörde des Landkreises",
        "authority",
        ("residence",),
        ("de",),
        ("immigration_office",),
    ),
    (
        "VHS Integrationskurse",
        "education",
        ("language_course", "civic_education"),
        ("de", "en"),
        ("integration_course",),
    ),
    (
        "IQ Anerkennungsberatung Hessen",
        "counselling_service",
        ("recognition",),
        ("de", "ar", "uk"),
        ("recognition_counselling",),
    ),
    ("WIR-Vielfaltszentrum", "authority", ("participation",), ("de",), ("wir_centre",)),
    (
        "Afghanischer Kulturverein",
        "migrant_organisation",
        ("participation",),
        ("prs", "ps"),
        ("migrant_organisation",),
    ),
    (
        "Familienzentrum Kirchhain",
        "association",
        ("childcare", "family"),
        ("de", "tr"),
        ("youth_office",),
    ),
    ("Gesundheitsamt", "health", ("health",), ("de",), ("health",)),
    ("TSV Kirchhain", "association", ("participation",), ("de",), ()),
    ("Tafel Ostkreis", "association", ("benefits",), ("de",), ()),
)
ACTIVITY_TITLES = {
    "information_event": (
        "Infoabend Wohnungssuche",
        "Informationsveranstaltung Integrationskurs",
        "Elternabend Schule in einfacher Sprache",
        "Info-Café Arbeit und Jobcenter",
    ),
    "civic_orientation": (
        "Werte-Workshop „Leben in Deutschland“",
        "Kommunalwahl erklärt",
        "Rathausführung mit Bürgermeisterin",
    ),
    "encounter": (
        "Interkulturelles Frühstück",
        "Sprachcafé im Familienzentrum",
        "Begegnungsfest im Stadtpark",
        "Gemeinsam kochen",
        "Frauentreff",
    ),
    "volunteer_recruitment": ("Ehrenamtsbörse", "Infoabend für neue Integrationslotsen"),
    "administration_training": (
        "Interkulturelle Kompetenz in der Verwaltung",
        "Einfache Sprache im Bürgerbüro",
    ),
    "network_meeting": (
        "Netzwerktreffen Integration",
        "Runder Tisch Migration",
        "Austausch mit der Migrationsberatung",
    ),
    "public_relations": ("Infostand auf dem Wochenmarkt", "Pressegespräch KISI"),
    "needs_workshop": (
        "Bedarfsanalyse: Workshop mit Geflüchteten",
        "Bedarfsanalyse: Befragung der Verwaltung",
    ),
}
ACTIVITY_WEIGHTS = {
    "information_event": 6,
    "civic_orientation": 3,
    "encounter": 6,
    "volunteer_recruitment": 2,
    "administration_training": 2,
    "network_meeting": 5,
    "public_relations": 2,
    "needs_workshop": 2,
}
GROUPS = {
    "administration_training": ("administration",),
    "network_meeting": ("administration",),
    "volunteer_recruitment": ("volunteers", "local"),
    "public_relations": ("local", "tcn"),
    "encounter": ("tcn", "local"),
    "needs_workshop": ("tcn", "administration"),
}
TRAININGS = (
    "Grundlagen Asyl- und Aufenthaltsrecht",
    "Interkulturelle Kommunikation",
    "Dolmetschen im Ehrenamt: Rollen und Grenzen",
    "Datenschutz im Ehrenamt",
    "Traumasensibler Umgang mit Geflüchteten",
    "Erste Hilfe",
)
CENT = Decimal("0.01")


def money(rng: random.Random, low: int, high: int) -> Decimal:
    """An amount in EUR between ``low`` and ``high`` with cents."""
    return (Decimal(rng.randint(low * 100, high * 100)) / 100).quantize(CENT)


def profile_records(rng: random.Random) -> tuple[Municipality, Guide]:
    """The municipality profile and its guide."""
    municipality = Municipality(
        id=rid(rng),
        ags="06534011",
        name="Kirchhain",
        district="Landkreis Marburg-Biedenkopf",
        office_address="Am Markt 1, 35274 Kirchhain",
        office_hours="Di 9–12 Uhr, Do 14–18 Uhr",
        phone="+49 6422 808-0",
        email="integration@kirchhain.example",
        website="https://www.kirchhain.example/integration",
        population=16400,
        contract_ref="KISI-WV-2025-017",
    )
    guide = Guide(
        id=rid(rng),
        name="Katharina Weber",
        role="Integrationsguide",
        fte=Decimal(1),
        started_on=PROJECT_START,
        municipality_ags=(municipality.ags,),
        annual_gross_cost=Decimal("64800.00"),
        # A pay rise from July 2026: the Team form shows the earlier pay.
        pay_since=date(2026, 7, 1),
        earlier_pay=(
            EarlierPay(
                ended_on=date(2026, 7, 1), annual_gross_cost=Decimal("62400.00"), fte=Decimal(1)
            ),
        ),
        email="k.weber@kirchhain.example",
    )
    return municipality, guide


HANDOUT_ROLES = {
    "mbe": "mbe",
    "jmd": "jmd",
    "jobcenter": "jobcenter",
    "employment_agency": "employment_agency",
    "immigration_office": "immigration_office",
    "integration_course": "course_provider",
    "recognition_counselling": "recognition_counselling",
    "youth_office": "youth_office",
}
"""Which partner fills which ``{{local.<role>}}`` of the handouts, by referral target."""


def partner_records(rng: random.Random) -> tuple[list[Partner], dict[str, str]]:
    """The partner organisations and which of them serves each referral target."""
    partners, targets = [], {}
    for name, kind, services, languages, serves in PARTNERS:
        partner = Partner(
            id=rid(rng),
            name=name,
            partner_type=kind,
            services=services,
            languages=languages,
            phone=f"+49 642{rng.randint(1, 9)} {rng.randint(1000, 99999)}",
            handout_role=next((HANDOUT_ROLES[t] for t in serves if t in HANDOUT_ROLES), None),
        )
        partners.append(partner)
        targets.update(dict.fromkeys(serves, partner.id))
    return partners, targets


def activities(
    rng: random.Random,
    end: date,
    ags: str,
    people: list[tuple[date, str]],
    partner_ids: list[str],
    count: int,
) -> list[Activity]:
    """Activities and events; named participants are people first seen before the day."""
    people = sorted(people)
    result = []
    for _n in range(count):
        kind = weighted(rng, ACTIVITY_WEIGHTS)
        day = between(rng, PROJECT_START, end)
        groups = GROUPS.get(kind, ("tcn",))
        is_event = rng.random() < (
            0.5 if kind in ("network_meeting", "administration_training") else 0.85
        )
        known = bisect.bisect_right(people, (day, "g"))
        named: tuple[str, ...] = ()
        if "tcn" in groups and known:
            pool = [pid for _d, pid in people[max(0, known - 400) : known]]
            named = tuple(rng.sample(pool, min(len(pool), rng.randint(0, 12))))
        anon = {g: rng.randint(2, 25) for g in groups}
        total = len(named) + sum(anon.values())
        female = rng.randint(0, total)
        male = rng.randint(0, total - female)
        result.append(
            Activity(
                id=rid(rng),
                activity_type=kind,
                title=rng.choice(ACTIVITY_TITLES[kind]),
                starts_on=day,
                municipality_ags=ags,
                target_groups=groups,
                participant_ids=named,
                counts_by_target_group=tuple(anon.items()),
                counts_by_gender=(("female", female), ("male", male)),
                partner_ids=tuple(
                    rng.sample(partner_ids, min(len(partner_ids), rng.randint(0, 2)))
                ),
                is_event=is_event,
                attendance_total=total if is_event else None,
                note=rng.choice(
                    (
                        "",
                        "Mit Dolmetscherin für Dari und Arabisch.",
                        "Kinderbetreuung wurde angeboten.",
                        "Raum im Bürgerhaus.",
                    )
                ),
            )
        )
    return result


def volunteer_records(rng: random.Random, end: date, count: int) -> list[Record]:
    """Volunteers with their deployments (allowances within the yearly cap) and trainings."""
    records: list[Record] = []
    volunteers = []
    for _n in range(count):
        if rng.random() < 0.7:
            name = f"{rng.choice(GERMAN_FIRST)} {rng.choice(GERMAN_LAST)}"
            languages: tuple[str, ...] = ("de", "en") if rng.random() < 0.5 else ("de",)
        else:
            country = rng.choice(("AF", "SY", "TR", "UA", "IR"))
            females, males, families = NAMES[country]
            name = f"{rng.choice(females + males)[0]} {rng.choice(families)[0]}"
            lang = {"AF": "prs", "SY": "ar", "TR": "tr", "UA": "uk", "IR": "fa"}[country]
            languages = ("de", lang)
        volunteer = Volunteer(
            id=rid(rng),
            name=name,
            languages=languages,
            started_on=between(rng, PROJECT_START, max(PROJECT_START, end - timedelta(days=30))),
            active=rng.random() < 0.85,
            payment_regime=weighted(
                rng, {"ehrenamtspauschale": 4, "uebungsleiter": 1, "expenses_only": 2, "none": 2}
            ),
            phone=f"+49 1{rng.choice('567')}{rng.randint(0, 9)} {rng.randint(1000000, 9999999)}",
        )
        volunteers.append(volunteer)
        records.append(volunteer)
        records.extend(_deployments(rng, volunteer, end))
    day = PROJECT_START + timedelta(days=30)
    while day <= end:
        eligible = [v.id for v in volunteers if v.started_on and v.started_on <= day]
        records.append(
            Training(
                id=rid(rng),
                held_on=day,
                topic=rng.choice(TRAININGS),
                trainer=rng.choice(
                    ("Netzwerk Ehrenamt Hessen", "Katharina Weber", "Dr. Miriam Sander")
                ),
                fee_based=rng.random() < 0.5,
                attendee_ids=tuple(rng.sample(eligible, min(len(eligible), rng.randint(3, 15)))),
                administration_attendees=rng.choice((0, 0, 2, 5, 8)),
            )
        )
        day += timedelta(days=rng.randint(45, 75))
    return records


def _deployments(rng: random.Random, volunteer: Volunteer, end: date) -> list[Record]:
    rate, cap = {
        "ehrenamtspauschale": (Decimal(5), Decimal(960)),
        "uebungsleiter": (Decimal(15), Decimal(3300)),
    }.get(volunteer.payment_regime, (Decimal(0), Decimal(0)))
    paid: dict[int, Decimal] = {}
    result: list[Record] = []
    start = volunteer.started_on or PROJECT_START
    for _n in range(rng.randint(3, 30)):
        day = between(rng, start, end)
        hours = Decimal(rng.randint(2, 10)) / 2
        allowance = min(hours * rate, cap - paid.get(day.year, Decimal(0)))
        paid[day.year] = paid.get(day.year, Decimal(0)) + allowance
        km = Decimal(rng.randint(0, 400)) / 10
        result.append(
            VolunteerDeployment(
                id=rid(rng),
                volunteer_id=volunteer.id,
                deployed_on=day,
                hours=hours,
                kind=weighted(
                    rng,
                    {
                        "accompaniment": 5,
                        "interpreting": 3,
                        "language_cafe": 3,
                        "mentoring": 2,
                        "event_support": 2,
                        "other": 1,
                    },
                ),
                km=km,
                expenses=(km * Decimal("0.30")).quantize(CENT),
                allowance_paid=allowance.quantize(CENT),
            )
        )
    return result


def _months_before(month: date, count: int) -> date:
    """The first day of the month ``count`` months before ``month`` (a first day)."""
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def quarterly_payouts(records: Iterable[Record]) -> dict[date, Decimal]:
    """What the deployments paid to volunteers (allowances and expenses) per calendar
    quarter, keyed by the quarter's first day: the town pays it out in one booking after
    the quarter, so the budget and the deployments agree."""
    payouts: dict[date, Decimal] = {}
    for record in records:
        if isinstance(record, VolunteerDeployment):
            day = record.deployed_on
            quarter = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
            paid = record.allowance_paid + record.expenses
            payouts[quarter] = payouts.get(quarter, Decimal(0)) + paid
    return payouts


VEHICLES = {"car": 8, "e_bike": 1, "bicycle": 1}


def money_records(
    rng: random.Random, end: date, payouts: Mapping[date, Decimal] | None = None
) -> list[Record]:
    """Monthly expenses across the budget categories, and the guide's trips; ``payouts``:
    the volunteers' payouts per quarter (:func:`quarterly_payouts`), booked in the month
    after it."""
    records: list[Record] = []
    seq = 0

    def expense(day: date, amount: Decimal, category: str, payee: str, text: str) -> None:
        nonlocal seq
        seq += 1
        recent = (end - day).days < 90
        paid = day + timedelta(days=rng.randint(0, 20))
        records.append(
            Expense(
                id=rid(rng),
                spent_on=day,
                amount=amount,
                payee=payee,
                category=category,
                receipt_ref=f"B-{day.year}-{seq:04d}",
                description=text,
                eligibility=weighted(
                    rng,
                    {"eligible": 60, "unclear": 35, "ineligible": 5}
                    if recent
                    else {"eligible": 90, "unclear": 7, "ineligible": 3},
                ),
                paid_on=paid if paid <= end else None,
            )
        )

    expense(
        PROJECT_START,
        Decimal("1149.00"),
        "acquisitions",
        "Bürobedarf Hessen GmbH",
        "Laptop für die Integrationsguide",
    )
    expense(
        PROJECT_START,
        Decimal("389.90"),
        "acquisitions",
        "Bürobedarf Hessen GmbH",
        "Multifunktionsdrucker",
    )
    month = PROJECT_START
    while month <= end:
        last = min(end, (month + timedelta(days=32)).replace(day=1) - timedelta(days=1))
        label = f"{month.month:02d}/{month.year}"
        expense(
            last,
            money(rng, 5150, 5450),
            "staff",
            "Stadtkasse Kirchhain",
            f"Personalausgaben Integrationsguide {label}",
        )
        expense(
            between(rng, month, last),
            money(rng, 120, 380),
            "administrative",
            "Stadtkasse Kirchhain",
            f"Verwaltungskosten {label}",
        )
        if rng.random() < 0.6:
            expense(
                between(rng, month, last),
                money(rng, 80, 450),
                "fees",
                "Dolmetscherdienst Mittelhessen",
                "Dolmetschen Beratungsgespräche",
            )
        if rng.random() < 0.3:
            expense(
                between(rng, month, last),
                money(rng, 150, 600),
                "fees",
                "Dr. Miriam Sander",
                "Honorar Schulung Ehrenamtliche",
            )
        if rng.random() < 0.3:
            expense(
                between(rng, month, last),
                money(rng, 50, 250),
                "room_rent",
                "Bürgerhaus Kirchhain",
                "Raummiete Veranstaltung",
            )
        if month.month in (1, 4, 7, 10):
            quarter = _months_before(month, 3)
            amount = money(rng, 300, 1500) if payouts is None else payouts.get(quarter, Decimal(0))
            if amount > 0:
                expense(
                    between(rng, month, last),
                    amount,
                    "volunteers",
                    "Ehrenamtliche (Sammelauszahlung)",
                    f"Ehrenamtspauschalen und Auslagen {(quarter.month + 2) // 3}. Quartal "
                    f"{quarter.year}",
                )
        if rng.random() < 0.15:
            expense(
                between(rng, month, last),
                money(rng, 200, 1200),
                "other",
                "Druckerei Schmidt",
                "Druck Wegweiser und Flyer",
            )
        for _n in range(rng.randint(2, 5)):
            day = between(rng, month, last)
            submitted = day + timedelta(days=rng.randint(3, 60))
            trip_id = rid(rng)
            purpose = rng.choice(
                (
                    "Begleitung zur Ausländerbehörde",
                    "Netzwerktreffen",
                    "Hausbesuch",
                    "Fortbildung",
                    "Termin beim Jobcenter",
                )
            )
            destination = rng.choice(
                (
                    "Marburg, Landratsamt",
                    "Marburg, Jobcenter",
                    "Stadtallendorf",
                    "Wiesbaden, HMAIJS",
                    "Amöneburg",
                )
            )
            # A day at the ministry in Wiesbaden is a long one (Tagegeld), a training there
            # takes two days with breakfast and one lunch served. Nothing drawn from rng
            # for it, so the rest of the demo stays as it was.
            ministry = destination.startswith("Wiesbaden")
            training = ministry and purpose == "Fortbildung" and day < end
            records.append(
                Trip(
                    id=trip_id,
                    travelled_on=day,
                    purpose=purpose,
                    origin="Rathaus Kirchhain",
                    destination=destination,
                    km=Decimal(rng.randint(40, 1600)) / 10,
                    vehicle_type=(vehicle := weighted(rng, VEHICLES)),
                    # Drawn for every vehicle, so the rest of the demo stays as it was; a
                    # bicycle takes neither (budget.check_trip_vehicle).
                    valid_reasons=rng.random() < 0.5 and vehicle == "car",
                    passengers=rng.choice((0, 0, 0, 1)) * (vehicle == "car"),
                    returned_on=day + timedelta(days=1) if training else None,
                    hours_away=Decimal("9.5") if ministry and not training else None,
                    breakfasts_provided=1 if training else 0,
                    lunches_provided=1 if training else 0,
                    claim_submitted_on=submitted if submitted <= end else None,
                )
            )
        month = last + timedelta(days=1)
    return records


PLAN = {
    "staff": "66000.00",
    "volunteers": "6000.00",
    "fees": "4000.00",
    "travel": "1500.00",
    "acquisitions": "600.00",
    "room_rent": "1200.00",
    "administrative": "3600.00",
    "other": "2500.00",
}
"""Planned EUR per category and project year: about 85,000 a year, under the 290,657.90 cap."""


def time_sheet_records(guide: Guide, end: date) -> list[Record]:
    """The guide's monthly time sheets, for every month ended by ``end``: full time, less
    in the summer and at the turn of the year (leave).

    Made from the month alone, not from the shared random numbers: a demo made before
    time sheets were in it keeps every other record.
    """
    records: list[Record] = []
    month = PROJECT_START.replace(day=1)
    while (following := (month + timedelta(days=32)).replace(day=1)) <= end:
        leave = {8: 40, 12: 32, 1: 16}.get(month.month, 0)
        hours = Decimal(160 + (month.month * 7) % 13 - leave)
        records.append(
            TimeSheet(
                id=rid(random.Random(f"time sheet {guide.id} {month:%Y-%m}")),  # noqa: S311 - demo ids
                guide_id=guide.id,
                month=f"{month.year:04d}-{month.month:02d}",
                hours=hours,
                note="Urlaub" if leave else "",
            )
        )
        month = following
    return records


def plan_records(rng: random.Random) -> list[Record]:
    """The budget plan of the three project years (equipment bought in the first)."""
    plans: list[Record] = []
    for year in (1, 2, 3):
        for category, amount in PLAN.items():
            planned = Decimal(amount)
            if category == "acquisitions" and year == 1:
                planned = Decimal("2000.00")
            plans.append(
                BudgetPlan(id=rid(rng), category=category, project_year=year, planned=planned)
            )
    return plans


NEEDS = (
    ("tcn", "language_course_places", "high"),
    ("tcn", "childcare", "high"),
    ("tcn", "housing", "high"),
    ("tcn", "work", "medium"),
    ("tcn", "mobility", "medium"),
    ("tcn", "translation", "medium"),
    ("tcn", "leisure_meeting", "low"),
    ("local", "leisure_meeting", "medium"),
    ("local", "counselling", "low"),
    ("administration", "translation", "high"),
    ("administration", "intercultural_training", "medium"),
    ("administration", "administration_access", "low"),
)


def need_records(rng: random.Random, end: date) -> list[Record]:
    """Findings of the needs analysis: a survey in the first months, then now and then."""
    records: list[Record] = []
    survey_end = min(end, PROJECT_START + timedelta(days=75))
    for group, need, urgency in NEEDS:
        for _ in range(rng.randint(1, 3)):
            records.append(
                Need(
                    id=rid(rng),
                    recorded_on=between(rng, PROJECT_START, survey_end),
                    group=group,
                    need=need,
                    urgency=urgency
                    if rng.random() < 0.7
                    else rng.choice(("low", "medium", "high")),
                    respondents=rng.randint(1, 12),
                )
            )
    return records


def publication_records(rng: random.Random, end: date) -> list[Record]:
    """The administration guide and a flyer the project produced in its first months."""
    made = [
        ("administration_guide", "Wegweiser durch das Rathaus", 60, ("de", "ar", "uk", "prs"), 400),
        ("flyer", "Sprechstunde der Integrationsguide", 20, ("de", "ar", "uk", "ti", "tr"), 1000),
        ("guideline", "Leitfaden: Begleitung zu Ämtern für Ehrenamtliche", 200, ("de",), 80),
    ]
    return [
        Publication(
            id=rid(rng),
            publication_type=kind,
            title=title,
            published_on=PROJECT_START + timedelta(days=days),
            languages=languages,
            version="1.0",
            print_run=run,
            distribution="Bürgerbüro, Partner, Website",
        )
        for kind, title, days, languages, run in made
        if PROJECT_START + timedelta(days=days) <= end
    ]
