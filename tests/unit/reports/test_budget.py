"""The budget on a small vault whose every figure is worked out by hand below.

Reference day ("today"): 2026-06-30, nine whole project months after 2025-10-01.

Plans (EUR)                      PY1         PY2
  staff (real cost)              40,000.00   40,000.00
  fees                              100.00
  travel                          1,000.00
  acquisitions                    1,500.00
  room_rent                         100.00
  administrative (flat rate)    7 %: 600.00  15 %: 1,000.00
  other                             100.00
  sum                            43,400.00   41,000.00   -> total 84,400.00 (cap 290,657.90)

Expenses (allocated = amount x allocation %, rounded to the cent half up per receipt)
  staff  2025-09-30  1,000.00 100 %  -> outside the project (day before it starts)
  staff  2025-10-31  3,000.00 100 %  -> PY1  3,000.00
  staff  2026-09-30  4,000.00  50 %  -> PY1  2,000.00  (last day of PY1; after today)
  staff  2026-10-01  4,000.00  75 %  -> PY2  3,000.00  (first day of PY2; after today)
  fees   2026-01-15  3 x 66.67  50 % -> 3 x 33.335 -> 3 x 33.34 = 100.02 (not 100.01)
  acquisitions 2025-10-01 1,000.00    -> PY1 1,000.00
  acquisitions 2026-02-01   500.00 ineligible -> not counted, shown as ineligible
  travel 2026-04-01  973.00          -> PY1 973.00
  room_rent 2026-05-01 79.99         -> 79.99 of 100.00: 79.99 %, no warning
  other  2026-06-30 80.00            -> 80.00 of 100.00: 80.00 %, warning (spent "today")

Trips (travel)
  T1 2026-03-10 car 100 km + 1 passenger: 100 x 0.21 + 100 x 0.02 = 23.00, claimed 2026-03-20
  T2 2025-11-05 bicycle 50 km: 50 x 0.06 = 3.00, never claimed; deadline 2026-05-05: overdue
  T3 2025-10-10 e-bike 10 km: 10 x 0.10 = 1.00, claimed 2026-04-11, deadline 2026-04-10: late
  travel PY1 = 973.00 + 23.00 + 3.00 + 1.00 = 1,000.00 = 100 % of plan: warning, not over

Flat rates
  PY1 7 % of direct costs: 5,000.00 + 100.02 + 1,000.00 + 1,000.00 + 79.99 + 80.00
      = 7,260.01 x 0.07 = 508.2007 -> 508.20, of 600.00 planned = 84.70 %: warning
  PY2 15 % of staff costs 3,000.00 = 450.00 of 1,000.00 = 45.00 %

Spent per year: PY1 5,000.00 + 100.02 + 1,000.00 + 1,000.00 + 79.99 + 80.00 + 508.20
  = 7,768.21; PY2 3,000.00 + 450.00 = 3,450.00; total 11,218.21 (3.86 % of the cap).

Burn rate up to 2026-06-30 (staff 2026-09-30 and 2026-10-01 not yet): direct costs
  3,000.00 + 100.02 + 1,000.00 + 1,000.00 + 79.99 + 80.00 = 5,260.01, flat rate
  5,260.01 x 0.07 = 368.2007 -> 368.20; so far 5,628.21; / 9 = 625.3566 -> 625.36 a month;
  forecast 5,628.21 x 36 / 9 = 22,512.84 = 7.75 % of the cap (22,512.84 / 2,906.579).

Volunteer allowances (calendar years)
  Amira (Ehrenamtspauschale) 2025: 800.00 of 840 = 95.24 %  -> warning
  Amira 2026: 480.00 + 288.00 = 768.00 of 960 = 80.00 %     -> warning (exactly 80 %)
  Bernd (Übungsleiter) 2026: 3,000.00 + 300.01 = 3,300.01 of 3,300 = 100.00 % -> over
  Carla (no payment regime) 2026: 100.00, no cap            -> "to check": an allowance
                                                               the regime does not cover
  Paid per the deployments up to four months before today (2026-02-27): 800.00 + 480.00
  + 3,000.00 = 4,280.00, none of it booked as a volunteers' expense -> "to check"
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from kisi_desktop.core.domain import (
    BudgetPlan,
    Expense,
    Guide,
    TimeSheet,
    Trip,
    Volunteer,
    VolunteerDeployment,
)
from kisi_desktop.core.domain.municipality import EarlierPay
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.budget import BudgetOverview, BudgetRecords, budget_overview
from kisi_desktop.reports.budget_spending import flat_rate_key, months_elapsed
from kisi_desktop.reports.budget_tables import (
    describe,
    overdue_claims_table,
    plan_notes,
    plan_table,
    volunteer_table,
    warnings_table,
)
from kisi_desktop.reports.csv_export import csv_text
from kisi_desktop.reports.money import format_eur, format_percent

TODAY = date(2026, 6, 30)
D = Decimal


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return ReferenceData.load()


def plan(category: str, year: int, planned: str, percent: str | None = None) -> BudgetPlan:
    return BudgetPlan(
        category=category,
        project_year=year,
        planned=D(planned),
        funding_mode="flat_rate" if percent else "real_cost",
        flat_rate_percent=D(percent) if percent else None,
    )


def expense(
    day: date, amount: str, category: str, allocation: str = "100", eligibility: str = "eligible"
) -> Expense:
    return Expense(
        spent_on=day,
        amount=D(amount),
        payee="Stadtkasse",
        category=category,
        allocation_percent=D(allocation),
        eligibility=eligibility,
    )


def deployment(volunteer: Volunteer, day: date, allowance: str) -> VolunteerDeployment:
    return VolunteerDeployment(
        volunteer_id=volunteer.id,
        deployed_on=day,
        hours=D(2),
        kind="accompaniment",
        allowance_paid=D(allowance),
    )


AMIRA = Volunteer(name="Amira", payment_regime="ehrenamtspauschale")
BERND = Volunteer(name="Bernd", payment_regime="uebungsleiter")
CARLA = Volunteer(name="Carla", payment_regime="none")
T2 = Trip(
    travelled_on=date(2025, 11, 5),
    purpose="Netzwerktreffen",
    origin="Rathaus",
    destination="Landratsamt",
    km=D(50),
    vehicle_type="bicycle",
)
T3 = Trip(
    travelled_on=date(2025, 10, 10),
    purpose="Begleitung",
    origin="Rathaus",
    destination="Musterweg 1",
    km=D(10),
    vehicle_type="e_bike",
    claim_submitted_on=date(2026, 4, 11),
)

RECORDS = BudgetRecords(
    plans=(
        plan("staff", 1, "40000.00"),
        plan("staff", 2, "40000.00"),
        plan("fees", 1, "100.00"),
        plan("travel", 1, "1000.00"),
        plan("acquisitions", 1, "1500.00"),
        plan("room_rent", 1, "100.00"),
        plan("administrative", 1, "600.00", percent="7"),
        plan("administrative", 2, "1000.00", percent="15"),
        plan("other", 1, "100.00"),
    ),
    expenses=(
        expense(date(2025, 9, 30), "1000.00", "staff"),
        expense(date(2025, 10, 31), "3000.00", "staff"),
        expense(date(2026, 9, 30), "4000.00", "staff", allocation="50"),
        expense(date(2026, 10, 1), "4000.00", "staff", allocation="75"),
        *(expense(date(2026, 1, 15), "66.67", "fees", allocation="50") for _ in range(3)),
        expense(date(2025, 10, 1), "1000.00", "acquisitions"),
        expense(date(2026, 2, 1), "500.00", "acquisitions", eligibility="ineligible"),
        expense(date(2026, 4, 1), "973.00", "travel"),
        expense(date(2026, 5, 1), "79.99", "room_rent"),
        expense(date(2026, 6, 30), "80.00", "other"),
    ),
    trips=(
        Trip(
            travelled_on=date(2026, 3, 10),
            purpose="Schulung",
            origin="Rathaus",
            destination="Marburg",
            km=D(100),
            vehicle_type="car",
            passengers=1,
            claim_submitted_on=date(2026, 3, 20),
        ),
        T2,
        T3,
    ),
    volunteers=(AMIRA, BERND, CARLA),
    deployments=(
        deployment(AMIRA, date(2025, 12, 10), "800.00"),
        deployment(AMIRA, date(2026, 2, 1), "480.00"),
        deployment(AMIRA, date(2026, 3, 1), "288.00"),
        deployment(BERND, date(2026, 1, 10), "3000.00"),
        deployment(BERND, date(2026, 6, 1), "300.01"),
        deployment(CARLA, date(2026, 6, 1), "100.00"),
    ),
)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The records above stored in a real vault (so validation and loading are exercised)."""
    path: Path = tmp_path_factory.mktemp("budget") / "vault.kisi"
    ws, _code = Workspace.create(path, "correct horse battery staple", kdf=TEST_PARAMS)
    for group in (
        RECORDS.plans,
        RECORDS.expenses,
        RECORDS.trips,
        RECORDS.volunteers,
        RECORDS.deployments,
    ):
        for record in group:
            ws.add(record)
    return ws


@pytest.fixture(scope="module")
def overview(ws: Workspace) -> BudgetOverview:
    return budget_overview(ws, TODAY, ws.ref)


def figures(overview: BudgetOverview, category: str, year: int | None) -> tuple[Decimal, ...]:
    line = overview.line(category, year)
    return line.planned, line.spent, line.remaining


def test_expenses_land_in_the_project_year_of_their_date(overview: BudgetOverview) -> None:
    # 30 Sep 2026 (50 % of 4,000) is PY1, 1 Oct 2026 (75 % of 4,000) is PY2.
    assert figures(overview, "staff", 1) == (D("40000.00"), D("5000.00"), D("35000.00"))
    assert figures(overview, "staff", 2) == (D("40000.00"), D("3000.00"), D("37000.00"))
    assert overview.line("staff", 3).spent == 0
    assert overview.line("staff").spent == D("8000.00")
    assert overview.outside_project == D("1000.00")


def test_each_receipt_is_rounded_half_up_to_the_cent(overview: BudgetOverview) -> None:
    fees = overview.line("fees", 1)
    assert fees.spent == D("100.02")  # 3 x round(33.335) = 3 x 33.34, not round(100.005)
    assert fees.remaining == D("-0.02")
    assert fees.percent_used == D("100.02")


def test_trips_count_as_travel_and_a_full_plan_is_a_warning_not_over(
    overview: BudgetOverview,
) -> None:
    travel = overview.line("travel", 1)
    assert travel.spent == D("1000.00")  # 973.00 + 23.00 + 3.00 + 1.00
    assert travel.percent_used == D("100.00")
    assert travel.level == "warn"


def test_ineligible_expenses_are_apart(overview: BudgetOverview) -> None:
    acquisitions = overview.line("acquisitions", 1)
    assert acquisitions.spent == D("1000.00")
    assert acquisitions.ineligible == D("500.00")
    assert overview.total.ineligible == D("500.00")


def test_flat_rates_from_direct_and_staff_costs(overview: BudgetOverview) -> None:
    py1 = overview.line("administrative", 1)
    assert py1.flat_rate_key == "indirect_of_direct_costs"
    assert py1.flat_rate_base == D("7260.01")
    assert py1.spent == D("508.20")
    assert py1.percent_used == D("84.70")
    py2 = overview.line("administrative", 2)
    assert py2.flat_rate_key == "indirect_of_direct_staff_costs"
    assert (py2.flat_rate_base, py2.spent, py2.percent_used) == (
        D("3000.00"),
        D("450.00"),
        D("45.00"),
    )


def test_a_flat_rate_takes_the_base_its_plan_names(ref: ReferenceData) -> None:
    """5 % may be a share of all direct costs (up to 7 %) or of the staff costs (up to
    15 %); the grant decision says which. Named on the plan, it is used; unnamed, 5 % is
    read as a share of the direct costs, as before. PY2 here: staff 40,000.00 and other
    10,000.00 direct costs; 5 % of staff = 2,000.00, of all direct costs = 2,500.00."""
    named = replace(plan("administrative", 2, "3000", "5"),
                    flat_rate_base="indirect_of_direct_staff_costs")  # fmt: skip
    spending = (expense(date(2026, 10, 5), "40000", "staff"),
                expense(date(2026, 10, 5), "10000", "other"))  # fmt: skip
    for chosen, base, spent in (
        (named, D("40000.00"), D("2000.00")),
        (plan("administrative", 2, "3000", "5"), D("50000.00"), D("2500.00")),
    ):
        records = BudgetRecords(plans=(chosen,), expenses=spending)
        line = budget_overview(records, date(2027, 1, 1), ref).line("administrative", 2)
        assert (line.flat_rate_base, line.spent) == (base, spent)
    with pytest.raises(ValidationError, match="Bemessungsgrundlage"):
        replace(plan("travel", 2, "100"), flat_rate_base="indirect_of_direct_costs")


def test_totals_per_year_and_against_the_cap(overview: BudgetOverview) -> None:
    py1, py2, py3 = overview.years
    assert (py1.planned, py1.spent) == (D("43400.00"), D("7768.21"))
    assert (py2.planned, py2.spent) == (D("41000.00"), D("3450.00"))
    assert (py3.planned, py3.spent) == (0, 0)
    assert (overview.total.planned, overview.total.spent) == (D("84400.00"), D("11218.21"))
    assert overview.cap == D("290657.90")
    assert overview.cap_remaining == D("279439.69")
    assert overview.cap_percent == D("3.86")


def test_burn_rate_and_forecast(overview: BudgetOverview) -> None:
    burn = overview.burn
    assert burn.months_elapsed == D("9.00")
    assert burn.spent_so_far == D("5628.21")
    assert burn.per_month == D("625.36")
    assert burn.forecast == D("22512.84")
    assert burn.forecast_percent_of_cap == D("7.75")


def test_warnings_at_80_and_over_100_percent(overview: BudgetOverview) -> None:
    found = [
        (w.level, w.what, w.category, w.project_year, w.year, w.percent) for w in overview.warnings
    ]
    assert found == [
        ("over", "category", "fees", None, None, D("100.02")),
        ("warn", "category", "travel", None, None, D("100.00")),
        ("warn", "category", "other", None, None, D("80.00")),
        ("over", "category_year", "fees", 1, None, D("100.02")),
        ("warn", "category_year", "travel", 1, None, D("100.00")),
        ("warn", "category_year", "administrative", 1, None, D("84.70")),
        ("warn", "category_year", "other", 1, None, D("80.00")),
        ("check", "volunteers_unbooked", "volunteers", None, None, None),
        ("warn", "volunteer", None, None, 2025, D("95.24")),
        ("warn", "volunteer", None, None, 2026, D("80.00")),
        ("over", "volunteer", None, None, 2026, D("100.00")),
        ("check", "volunteer", None, None, 2026, None),
        ("over", "claim", None, None, None, None),
        ("over", "claim", None, None, None, None),
    ]
    # room_rent at 79.99 % is not among them
    assert overview.line("room_rent", 1).percent_used == D("79.99")
    assert overview.line("room_rent", 1).level is None


def test_volunteer_allowances_per_person_and_calendar_year(overview: BudgetOverview) -> None:
    rows = [(a.name, a.year, a.paid, a.cap, a.level) for a in overview.volunteers]
    assert rows == [
        ("Amira", 2025, D("800.00"), D(840), "warn"),
        ("Amira", 2026, D("768.00"), D(960), "warn"),
        ("Bernd", 2026, D("3300.01"), D(3300), "over"),
        ("Carla", 2026, D("100.00"), None, "check"),
    ]


def test_overdue_claims(overview: BudgetOverview) -> None:
    claims = [(c.trip_id, c.deadline, c.submitted_on, c.amount) for c in overview.overdue_claims]
    assert claims == [
        (T3.id, date(2026, 4, 10), date(2026, 4, 11), D("1.00")),
        (T2.id, date(2026, 5, 5), None, D("3.00")),
    ]


def test_the_travel_line_counts_the_tagegeld_with_the_mileage(ref: ReferenceData) -> None:
    """The budget's travel line is what the guide claims: mileage and Tagegeld.

    A training in Wiesbaden from Mon 2 to Wed 4 March 2026, 240 km by car:
      mileage 240 x 0.21 = 50.40; Tagegeld 14 + 28 + 14 = 56.00, less two breakfasts
      (2 x 5.60) and one dinner (11.20) provided = 33.60; claim 84.00.
    A day at the ministry on 10 March, 9.5 h away, 200 km by car with valid reasons:
      200 x 0.35 = 70.00 + 14.00 = 84.00.
    A network meeting on 11 March, exactly 8 h away, 20 km by car: 4.20, no Tagegeld.
    Travel PY1 = 84.00 + 84.00 + 4.20 = 172.20 of 1,000.00 planned.
    Never claimed: the training's deadline runs from its last day (4 Sep 2026), the day
    trips' from theirs (10 and 11 Sep); on 6 Sep 2026 only the training is overdue, with
    its whole claim of 84.00.
    """
    common = {"purpose": "Schulung", "origin": "Rathaus", "vehicle_type": "car"}
    training = Trip(
        travelled_on=date(2026, 3, 2),
        returned_on=date(2026, 3, 4),
        destination="Wiesbaden",
        km=D(240),
        breakfasts_provided=2,
        dinners_provided=1,
        **common,
    )
    ministry = Trip(
        travelled_on=date(2026, 3, 10),
        destination="Wiesbaden, HMAIJS",
        km=D(200),
        valid_reasons=True,
        hours_away=D("9.5"),
        **common,
    )
    network = Trip(
        travelled_on=date(2026, 3, 11),
        destination="Marburg",
        km=D(20),
        hours_away=D(8),
        **common,
    )
    records = BudgetRecords(
        plans=(plan("travel", 1, "1000.00"),), trips=(training, ministry, network)
    )
    overview = budget_overview(records, date(2026, 9, 6), ref)
    assert figures(overview, "travel", 1) == (D("1000.00"), D("172.20"), D("827.80"))
    assert overview.total.spent == D("172.20")
    claims = [(c.trip_id, c.deadline, c.amount) for c in overview.overdue_claims]
    assert claims == [(training.id, date(2026, 9, 4), D("84.00"))]


def test_plain_records_give_the_same_overview(overview: BudgetOverview, ref: ReferenceData) -> None:
    assert budget_overview(RECORDS, TODAY, ref) == overview


def test_every_figure_is_a_decimal(overview: BudgetOverview) -> None:
    for line in (*overview.lines, *overview.categories, *overview.years, overview.total):
        assert isinstance(line.planned, Decimal) and isinstance(line.spent, Decimal)
    assert all(isinstance(w.amount, Decimal) for w in overview.warnings)


def test_plan_above_the_cap_and_spending_from_80_percent_of_it(ref: ReferenceData) -> None:
    # cap 290,657.90; 80 % of it = 232,526.32 exactly
    at_cap = BudgetRecords(plans=(plan("staff", 1, "290657.90"),))
    assert budget_overview(at_cap, TODAY, ref).warnings == ()
    above = BudgetRecords(plans=(plan("staff", 1, "200000.00"), plan("staff", 2, "90657.91")))
    [warning] = budget_overview(above, TODAY, ref).warnings
    assert (warning.level, warning.what, warning.amount, warning.limit) == (
        "over",
        "plan_cap",
        D("290657.91"),
        D("290657.90"),
    )

    def cap_warnings(spent: str) -> list[tuple[str, Decimal | None]]:
        records = BudgetRecords(
            plans=at_cap.plans, expenses=(expense(date(2026, 1, 1), spent, "staff"),)
        )
        warnings = budget_overview(records, TODAY, ref).warnings
        return [(w.level, w.percent) for w in warnings if w.what == "cap"]

    assert cap_warnings("232526.31") == []
    assert cap_warnings("232526.32") == [("warn", D("80.00"))]
    assert cap_warnings("290657.91") == [("over", D("100.00"))]


def test_spending_without_a_plan_is_over(ref: ReferenceData) -> None:
    records = BudgetRecords(expenses=(expense(date(2026, 1, 1), "10.00", "other"),))
    warnings = budget_overview(records, TODAY, ref).warnings
    assert [(w.level, w.what, w.percent) for w in warnings] == [
        ("over", "year", None),
        ("over", "category", None),
        ("over", "category_year", None),
    ]


def test_flat_rate_above_every_maximum_is_flagged(ref: ReferenceData) -> None:
    # 20 % > 15 %: read as a share of staff costs 1,000.00 -> 200.00, and flagged
    records = BudgetRecords(
        plans=(plan("staff", 1, "1000.00"), plan("administrative", 1, "300.00", percent="20")),
        expenses=(expense(date(2026, 1, 1), "1000.00", "staff"),),
    )
    overview = budget_overview(records, TODAY, ref)
    assert overview.line("administrative", 1).spent == D("200.00")
    flat = [w for w in overview.warnings if w.what == "flat_rate"]
    assert [(w.level, w.amount, w.limit) for w in flat] == [("over", D(20), D("15.00"))]


def test_flat_rate_base_follows_the_legal_maxima() -> None:
    maxima = {"indirect_of_direct_costs": D(7), "indirect_of_direct_staff_costs": D(15)}
    assert flat_rate_key(D(7), maxima) == "indirect_of_direct_costs"
    assert flat_rate_key(D("7.01"), maxima) == "indirect_of_direct_staff_costs"
    assert flat_rate_key(D(15), maxima) == "indirect_of_direct_staff_costs"


def test_months_elapsed() -> None:
    assert months_elapsed(date(2025, 9, 30)) == 0
    assert months_elapsed(date(2025, 10, 31)) == 1
    assert months_elapsed(date(2026, 3, 31)) == 6
    assert months_elapsed(date(2026, 2, 14)) == D(4) + D(14) / D(28)
    assert months_elapsed(date(2029, 1, 1)) == 36


def test_no_burn_rate_before_the_project(ref: ReferenceData) -> None:
    burn = budget_overview(RECORDS, date(2025, 9, 30), ref).burn
    assert (burn.per_month, burn.forecast) == (None, None)


def test_format_eur_and_percent() -> None:
    assert format_eur(D("290657.90"), "de") == "290.657,90\xa0€"
    assert format_eur(D("290657.90"), "en") == "€290,657.90"
    assert format_eur(D("2.665"), "de") == "2,67\xa0€"  # half up, where Babel rounds to even
    assert format_eur(D("-0.02"), "en") == "-€0.02"
    assert format_percent(D("79.99"), "de") == "79,99\xa0%"
    assert format_percent(D("100.02"), "en") == "100.02%"


def test_plan_table(overview: BudgetOverview, ref: ReferenceData) -> None:
    table = plan_table(overview, ref)
    assert table.leaves_laptop
    by_key = {(r["category_en"], r["year"]): r for r in table.rows}
    fees = by_key[("fees (speakers, trainers, interpreters)", "PY1")]
    assert fees["category_de"] == "Honorare"
    assert (fees["planned"], fees["spent"], fees["remaining"], fees["percent"]) == (
        D("100.00"),
        D("100.02"),
        D("-0.02"),
        D("100.02"),
    )
    assert by_key[("administrative costs", "PY1")]["mode_en"] == "flat rate 7.00%"
    cap = by_key[("grant cap", "PY1–PY3")]
    assert (cap["planned"], cap["spent"], cap["remaining"]) == (
        D("290657.90"),
        D("11218.21"),
        D("279439.69"),
    )
    # volunteers have no plan and no spending: no rows; PY3 of staff neither
    assert not [k for k in by_key if k[0] == "volunteer costs"]
    assert ("staff costs (integration guides)", "PY3") not in by_key
    notes = " ".join(table.notes("en"))
    assert "7.00% of direct costs €7,260.01" in notes
    assert "€625.36 a month" in notes and "€22,512.84" in notes
    assert "(€500.00)" in notes and "(€1,000.00)" in notes
    assert "625,36\xa0€" in " ".join(table.notes("de"))
    # First, what "spent" counts: a quarter's report read as that quarter's spending.
    assert table.notes("de")[0].startswith(
        "Ausgegeben: alle für die drei Projektjahre gebuchten Kosten, Stand "
    )
    assert table.notes("en")[0].startswith("Spent: every cost booked for the three project")
    one_year = plan_table(overview, ref, year=2)
    assert {r["year"] for r in one_year.rows} == {"PY2"}


def test_tables_that_name_people_stay_on_the_laptop(
    overview: BudgetOverview, ref: ReferenceData
) -> None:
    shared = warnings_table(overview, ref)
    assert shared.leaves_laptop
    assert len(shared.rows) == 8  # 14 warnings less 4 volunteer and 2 claim warnings
    text = repr(shared.rows) + repr(shared.notes("en")) + repr(shared.notes("de"))
    for secret in ("Amira", "Bernd", "Musterweg", AMIRA.id, T2.id):
        assert secret not in text
    assert "6 warnings" in shared.notes("en")[0]
    fees = shared.rows[0]
    assert fees["level_en"] == "exceeded"
    assert fees["message_en"] == (
        "fees (speakers, trainers, interpreters), all project years: "
        "€100.02 of €100.00 spent (100.02%)."
    )
    assert "100,02\xa0€" in fees["message_de"]
    unbooked = next(r for r in shared.rows if "paid to volunteers" in r["message_en"])
    assert unbooked["level_en"] == "to check" and unbooked["level_de"] == "prüfen"
    assert unbooked["used"] is None and unbooked["limit"] is None  # (no limit: in the text)
    local = warnings_table(overview, ref, local=True)
    assert not local.leaves_laptop and len(local.rows) == 14
    messages = [r["message_en"] for r in local.rows]
    assert (
        "volunteer costs: €4,280.00 paid to volunteers for their deployments up to "
        "Feb 27, 2026 (allowances and expenses), but only €0.00 booked as expenses. Book the "
        "payments, or the budget shows too little spent."
    ) in messages
    assert (
        "Aufwendungen für Ehrenamtliche: 4.280,00\xa0€ an Ehrenamtliche gezahlt für ihre "
        "Einsätze bis 27.02.2026 (Pauschalen und Auslagen), aber nur 0,00\xa0€ als Ausgaben "
        "gebucht. Buchen Sie die Zahlungen, sonst zeigt der Finanzplan zu wenig verbraucht."
    ) in [r["message_de"] for r in local.rows]
    assert "Bernd, 2026: allowances of €3,300.01, 100.00% of the tax-free €3,300.00." in messages
    assert (
        "Carla, 2026: allowances of €100.00 recorded, but the payment regime is “no payment”, "
        "which has no tax-free allowance. Check the regime or the payments."
    ) in messages
    assert "Trip on Nov 5, 2025 (€3.00): not claimed, the deadline was May 5, 2026." in messages
    assert "Trip on Oct 10, 2025 (€1.00): claimed on Apr 11, 2026, after Apr 10, 2026." in messages
    volunteers = volunteer_table(overview, ref)
    assert not volunteers.leaves_laptop
    assert [r["name"] for r in volunteers.rows] == ["Amira", "Amira", "Bernd", "Carla"]
    claims = overdue_claims_table(overview)
    assert not claims.leaves_laptop
    assert [r["route"] for r in claims.rows] == ["Rathaus – Musterweg 1", "Rathaus – Landratsamt"]


def test_a_trip_before_the_project_is_left_out_not_a_crash() -> None:
    from kisi_desktop.core.domain import Trip
    from kisi_desktop.core.domain.reference import ReferenceData

    from kisi_desktop.reports.budget import BudgetRecords, budget_overview

    ref = ReferenceData.load()
    early = Trip(
        travelled_on=date(2025, 9, 15),
        purpose="Vorgespräch",
        origin="Kirchhain",
        destination="Marburg",
        km=Decimal("20"),
        vehicle_type="car",
    )
    overview = budget_overview(BudgetRecords((), (), (early,), (), ()), date(2026, 3, 1), ref)
    assert overview.total.spent == Decimal("0.00")
    assert overview.overdue_claims == ()
    # One after the project's end is priced and shown as outside it (2 Oct 2028, 100 km by
    # car at 0.21 = 21.00), not dropped.
    late = replace(early, travelled_on=date(2028, 10, 2), km=Decimal("100"))
    overview = budget_overview(BudgetRecords((), (), (early, late), (), ()), date(2028, 12, 1), ref)
    assert overview.outside_project == Decimal("21.00")
    assert overview.total.spent == Decimal("0.00")


def _unbooked(records: BudgetRecords, ref: ReferenceData, today: date) -> list[tuple[D, D | None]]:
    overview = budget_overview(records, today, ref)
    return [(w.amount, w.limit) for w in overview.warnings if w.what == "volunteers_unbooked"]


def test_volunteer_payments_not_booked_as_expenses_are_pointed_out(ref: ReferenceData) -> None:
    # Allowances and expenses noted on deployments are not counted by the budget (the
    # receipt is): the guide is told when the receipts stay short of what was paid.
    paid = VolunteerDeployment(
        volunteer_id=AMIRA.id, deployed_on=date(2026, 9, 20), hours=D(2),
        kind="accompaniment", allowance_paid=D("480.00"), expenses=D("20.00"),
    )  # fmt: skip
    before = deployment(AMIRA, date(2025, 9, 30), "900.00")  # before the project: not asked
    records = BudgetRecords(volunteers=(AMIRA,), deployments=(paid, before))
    # Paid in the quarter's payout: four months' grace before anything is said.
    assert _unbooked(records, ref, date(2027, 1, 20)) == []
    assert _unbooked(records, ref, date(2027, 1, 21)) == [(D("500.00"), D("0"))]
    # Booked in October, the next project year: it pays the September deployment.
    october = expense(date(2026, 10, 15), "499.99", "volunteers")
    later = date(2027, 3, 1)
    assert _unbooked(replace(records, expenses=(october,)), ref, later) == [
        (D("500.00"), D("499.99"))
    ]
    ineligible = expense(date(2026, 10, 15), "0.01", "volunteers", eligibility="ineligible")
    assert _unbooked(replace(records, expenses=(october, ineligible)), ref, later) == []
    # A booking after today does not count yet.
    assert _unbooked(replace(records, expenses=(october, ineligible)), ref, date(2027, 2, 1)) == []
    future = expense(date(2027, 6, 1), "500.00", "volunteers")
    assert _unbooked(replace(records, expenses=(future,)), ref, later) == [(D("500.00"), D("0"))]


def test_the_last_quarters_payout_after_the_project_ends_is_booked_too(
    ref: ReferenceData,
) -> None:
    # July to September 2028 are paid out in October, after the project's last day: in the
    # final accounts the guide must not be told to book them again.
    last = deployment(AMIRA, date(2028, 9, 10), "300.00")
    after = deployment(AMIRA, date(2028, 10, 5), "40.00")  # after the end: not the project's
    payout = expense(date(2028, 10, 20), "300.00", "volunteers")
    records = BudgetRecords(volunteers=(AMIRA,), deployments=(last, after), expenses=(payout,))
    assert _unbooked(records, ref, date(2029, 3, 1)) == []
    assert _unbooked(replace(records, expenses=()), ref, date(2029, 3, 1)) == [
        (D("300.00"), D("0"))
    ]


def test_an_hourly_rate_plan_is_pointed_out_as_counted_from_receipts(ref: ReferenceData) -> None:
    """Without time sheets the budget cannot work out hours x gross / 1,720 (Art. 55): it
    counts the receipts and says so, rather than show them as the eligible amount."""
    hourly = replace(plan("staff", 1, "60000"), funding_mode="hourly_rate")
    records = BudgetRecords(
        plans=(hourly,), expenses=(expense(date(2026, 1, 30), "4200", "staff"),)
    )
    overview = budget_overview(records, date(2026, 3, 1), ref)
    [warning] = [w for w in overview.warnings if w.what == "hourly_rate"]
    assert (warning.level, warning.amount, warning.project_year) == ("check", D("4200.00"), 1)
    text = describe(warning, overview, ref, "en")
    assert "4,200.00" in text and "Time sheets" in text
    real = BudgetRecords(plans=(plan("staff", 1, "60000"),), expenses=records.expenses)
    assert not [w for w in budget_overview(real, date(2026, 3, 1), ref).warnings
                if w.what == "hourly_rate"]  # fmt: skip


def test_an_hourly_rate_line_counts_the_hours_on_the_time_sheets(ref: ReferenceData) -> None:
    """Art. 55: hours x annual gross / 1,720, month by month. Anna, 55,000.00 a year:
    31.976... = 31.98 an hour; March 120 h = 3,837.60, April 100 h = 3,198.00. March's
    salary receipt (4,583.33) is booked, not counted: the sheet counts. January has no
    sheet: its receipt (4,200.00) counts, and the line says so. PY1: 3,837.60 + 3,198.00 +
    4,200.00 = 11,235.60; a 15 % flat rate on staff costs: 1,685.34."""
    anna = Guide(name="Anna", fte=D(1), started_on=date(2025, 10, 1),
                 annual_gross_cost=D("55000.00"))  # fmt: skip
    ben = Guide(name="Ben", fte=D("0.5"), started_on=date(2025, 10, 1))
    hourly = replace(plan("staff", 1, "60000"), funding_mode="hourly_rate")
    admin = replace(plan("administrative", 1, "2000", "15"),
                    flat_rate_base="indirect_of_direct_staff_costs")  # fmt: skip
    sheets = (TimeSheet(guide_id=anna.id, month="2026-03", hours=D(120)),
              TimeSheet(guide_id=anna.id, month="2026-04", hours=D(100)))  # fmt: skip
    paid = (expense(date(2026, 1, 30), "4200", "staff"),
            expense(date(2026, 3, 31), "4583.33", "staff"))  # fmt: skip
    records = BudgetRecords(plans=(hourly, admin), guides=(anna, ben), time_sheets=sheets,
                            expenses=paid)  # fmt: skip
    overview = budget_overview(records, date(2026, 6, 1), ref)
    staff = overview.line("staff", 1)
    assert (staff.spent, staff.booked) == (D("11235.60"), D("8783.33"))
    assert overview.line("administrative", 1).spent == D("1685.34")
    assert [w.what for w in overview.warnings if w.what.startswith("hourly")] == ["hourly_rate"]
    # Up to 31 March: January's receipt and March's sheet, 8,037.60, + 15 % = 9,243.24.
    assert budget_overview(records, date(2026, 3, 31), ref).burn.spent_so_far == D("9243.24")
    # Every month entered: no warning.
    january = TimeSheet(guide_id=anna.id, month="2026-01", hours=D(130))
    whole = replace(records, time_sheets=(*sheets, january))
    assert not [w for w in budget_overview(whole, date(2026, 6, 1), ref).warnings
                if w.what.startswith("hourly")]  # fmt: skip
    # Ben has no gross cost: his hours are left out, and the line says so.
    unpriced = replace(whole, time_sheets=(*whole.time_sheets, TimeSheet(guide_id=ben.id,
                       month="2026-05", hours=D(10))))  # fmt: skip
    overview = budget_overview(unpriced, date(2026, 6, 1), ref)
    # 130 h x 31.98 = 4,157.40, + 7,035.60, + 0.00 for Ben: 11,193.00.
    assert overview.line("staff", 1).spent == D("11193.00")
    [warning] = [w for w in overview.warnings if w.what.startswith("hourly")]
    assert warning.what == "hourly_rate_unpriced"
    assert "Team" in describe(warning, overview, ref, "en")


def test_a_raise_does_not_reprice_the_months_before_it(ref: ReferenceData) -> None:
    """Anna: 55,040.00 a year (32.00 an hour) until March, 58,480.00 (34.00) from 1 April.
    March 100 h = 3,200.00 and April 100 h = 3,400.00: 6,600.00. Before the pay history,
    the raise repriced March too (6,800.00)."""
    anna = Guide(name="Anna", fte=D(1), started_on=date(2025, 10, 1),
                 annual_gross_cost=D("58480.00"), pay_since=date(2026, 4, 1),
                 earlier_pay=(EarlierPay(ended_on=date(2026, 4, 1), fte=D(1),
                                         annual_gross_cost=D("55040.00")),))  # fmt: skip
    hourly = replace(plan("staff", 1, "60000"), funding_mode="hourly_rate")
    sheets = tuple(TimeSheet(guide_id=anna.id, month=m, hours=D(100))
                   for m in ("2026-03", "2026-04"))  # fmt: skip
    records = BudgetRecords(plans=(hourly,), guides=(anna,), time_sheets=sheets)
    assert budget_overview(records, date(2026, 6, 1), ref).line("staff", 1).spent == D("6600.00")


def test_an_allowance_paid_out_late_is_not_asked_for_before_it_was_paid(
    ref: ReferenceData,
) -> None:
    """The unbooked-payments check waits four months after the payout, not the deployment:
    September's deployment paid out in February is not "unbooked" in early June."""
    late = replace(deployment(AMIRA, date(2026, 9, 20), "480.00"), paid_on=date(2027, 2, 15))
    records = BudgetRecords(volunteers=(AMIRA,), deployments=(late,))
    assert _unbooked(records, ref, date(2027, 6, 1)) == []
    assert _unbooked(records, ref, date(2027, 6, 30)) != []  # four months after the payout


def test_wir_integration_pilots_are_paid_by_the_hour_from_the_wir_programme(
    ref: ReferenceData,
) -> None:
    """Dilan is a WIR Integrationslotsin: 5.00 EUR an hour from the Land's WIR funds, under
    the instructor allowance (3,300.00 in 2026). Three deployments of 2 hours paid 10.00
    each are right, and none of it is asked to be booked in KISI (the WIR funds pay it).
    One payment of 15.00 for 2 hours is more than the programme pays (40.00 for 8 hours:
    45.00 paid). A 4.50 bus fare refunded on top is flagged: the WIR allowance covers
    travel. 140 deployments of 2 hours, 280 hours, are more than the 276 a year the
    programme pays, but not than the 414 of a Lotsin who coordinates."""
    dilan = Volunteer(name="Dilan", payment_regime="wir_integrationslotsen")
    days = [date(2026, 2, 3), date(2026, 2, 10), date(2026, 2, 17)]
    right = [deployment(dilan, d, "10.00") for d in days]
    records = BudgetRecords(volunteers=(dilan,), deployments=tuple(right))
    overview = budget_overview(records, date(2026, 9, 1), ref)
    [allowance] = overview.volunteers
    assert (allowance.paid, allowance.cap, allowance.hours, allowance.due) == (
        D("30.00"), D(3300), D(6), D("30.00"))  # fmt: skip
    assert not [w for w in overview.warnings if w.what.startswith("volunteer")]
    # An ehrenamtspauschale volunteer with the same payments is asked for all of it.
    hers = tuple(replace(d, volunteer_id=AMIRA.id) for d in right)
    amira = replace(records, volunteers=(AMIRA,), deployments=hers)
    assert _unbooked(amira, ref, date(2026, 9, 1)) == [(D("30.00"), D(0))]

    more = replace(records, deployments=(*right, deployment(dilan, date(2026, 2, 24), "15.00")))
    overview = budget_overview(more, date(2026, 9, 1), ref)
    [warning] = [w for w in overview.warnings if w.what == "volunteer_rate"]
    assert (warning.amount, warning.limit, warning.year) == (D("45.00"), D("40.00"), 2026)
    text = describe(warning, overview, ref, "de")
    assert "Dilan, 2026" in text and "8 Stunden" in text and "40,00" in text
    assert warning.personal

    fare = replace(records, deployments=(replace(right[0], expenses=D("4.50")), *right[1:]))
    overview = budget_overview(fare, date(2026, 9, 1), ref)
    [warning] = [w for w in overview.warnings if w.what.startswith("volunteer")]
    assert (warning.what, warning.amount, warning.personal) == (
        "volunteer_expenses",
        D("4.50"),
        True,
    )
    assert "zweimal" in describe(warning, overview, ref, "de")
    assert _unbooked(fare, ref, date(2026, 9, 1)) == []  # not KISI's to book either

    start = date(2026, 1, 5)
    year = tuple(deployment(dilan, start + timedelta(days=2 * i), "10.00") for i in range(140))
    overview = budget_overview(replace(records, deployments=year), date(2027, 6, 1), ref)
    [warning] = [w for w in overview.warnings if w.what == "volunteer_hours"]
    assert (warning.amount, warning.limit) == (D(280), D(276))
    assert "276 Stunden im Jahr" in describe(warning, overview, ref, "de")
    coordinates = replace(dilan, payment_regime="wir_integrationslotsen_coordination")
    both = BudgetRecords(volunteers=(coordinates,), deployments=year)
    assert not [w for w in budget_overview(both, date(2027, 6, 1), ref).warnings
                if w.what.startswith("volunteer")]  # fmt: skip


def test_wir_pilots_paid_in_the_projects_first_months_do_not_break_the_budget(
    ref: ReferenceData,
) -> None:
    """The programme's hours a year are dated from October 2025, the project's start: a
    deployment paid in November 2025 is counted against them (it raised an error that
    took the whole Budget page, the report and the bundle with it)."""
    dilan = Volunteer(name="Dilan", payment_regime="wir_integrationslotsen")
    early = BudgetRecords(volunteers=(dilan,),
                          deployments=(deployment(dilan, date(2025, 11, 4), "10.00"),))  # fmt: skip
    [allowance] = budget_overview(early, date(2026, 3, 1), ref).volunteers
    assert (allowance.year, allowance.hours, allowance.hours_cap, allowance.due) == (
        2025, D(2), D(276), D("10.00"))  # fmt: skip


def test_staff_costs_at_a_flat_rate_of_the_other_direct_costs(ref: ReferenceData) -> None:
    """Art. 55(1): staff costs as 20 % of the other direct costs. PY1: travel receipts
    1,000.00 and room rent 4,000.00 give staff 1,000.00 (a 900.00 salary receipt is
    booked, not counted); 7 % of the direct costs, now 6,000.00, is 420.00. 25 % is
    above the maximum; staff at a flat rate must name its base, and no other category
    can take it."""
    staff = replace(plan("staff", 1, "20000", "20"), flat_rate_base="staff_of_other_direct_costs")
    admin = replace(
        plan("administrative", 1, "2000", "7"), flat_rate_base="indirect_of_direct_costs"
    )
    paid = (
        expense(date(2026, 2, 1), "1000", "travel"),
        expense(date(2026, 3, 1), "4000", "room_rent"),
        expense(date(2026, 3, 31), "900", "staff"),
    )
    records = BudgetRecords(plans=(staff, admin), expenses=paid)
    overview = budget_overview(records, date(2026, 9, 1), ref)
    line = overview.line("staff", 1)
    assert (line.spent, line.flat_rate_base) == (D("1000.00"), D("5000.00"))
    assert overview.line("administrative", 1).spent == D("420.00")
    assert "Pauschale 20,00\xa0% auf die übrigen direkten Kosten von 5.000,00" in " ".join(
        plan_notes(overview, ref, "de")
    )
    assert not [w for w in overview.warnings if w.what == "flat_rate"]
    # The salary receipt does not count under a flat rate, and the line says so.
    [booked] = [w for w in overview.warnings if w.what == "flat_rate_receipts"]
    assert (booked.category, booked.project_year, booked.amount) == ("staff", 1, D("900.00"))
    high = replace(staff, flat_rate_percent=D(25))
    [warning] = [w for w in budget_overview(replace(records, plans=(high, admin)), date(2026, 9, 1),
                                            ref).warnings if w.what == "flat_rate"]  # fmt: skip
    assert (warning.amount, warning.limit) == (D(25), D(20))
    for wrong, field in (
        (replace(staff, flat_rate_base=None), "flat_rate_base"),
        (replace(admin, flat_rate_base="staff_of_other_direct_costs"), "flat_rate_base"),
        (plan("travel", 1, "10", "5"), "funding_mode"),
    ):
        with pytest.raises(ValidationError) as error:
            wrong.validate(ref)
        assert error.value.field == field
    staff.validate(ref)
    admin.validate(ref)


def test_the_csv_writes_every_amount_to_the_cent(
    overview: BudgetOverview, ref: ReferenceData
) -> None:
    """Zero read "0" in the budget CSV, beside "66000.00": a script reading the file, or a
    spreadsheet, saw two kinds of figure. Every amount has its two decimals now."""
    rows = list(csv.DictReader(io.StringIO(csv_text([plan_table(overview, ref)]))))
    money = [r["value"] for r in rows if r["kind"] == "money" and r["value"]]
    assert "0.00" in money and "0" not in money
    assert all(re.fullmatch(r"-?[0-9]+\.[0-9]{2}", value) for value in money), money
