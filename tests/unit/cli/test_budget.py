"""``kisi budget``: plan, show and warnings, with every figure worked out by hand.

Plan: travel PY1 1,000.00 (real cost), administrative PY1 7 % flat rate 100.00.
Expenses: travel 2026-09-30 800.00 (last day of PY1), travel 2026-10-01 50.00 (PY2, no plan).
  travel PY1 800.00 of 1,000.00 = 80.00 %            -> warning (exactly 80 %)
  travel PY2 50.00 without a plan                    -> over
  travel all years 850.00 of 1,000.00 = 85.00 %      -> warning
  administrative PY1: 7 % of direct costs 800.00 = 56.00 of 100.00 = 56.00 %
  PY1 856.00 of 1,100.00 = 77.82 %; PY2 50.00 without a plan -> over
As of 2026-10-31 (13 project months): 906.00 spent, 906 / 13 = 69.69 a month,
forecast 906 x 36 / 13 = 2,508.92.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from kisi_desktop.core.domain import Guide, TimeSheet, Volunteer, VolunteerDeployment
from kisi_desktop.core.workspace import Workspace

from .conftest import PASSPHRASE, Kisi

AS_OF = ("--date", "2026-10-31")


def _setup(kisi: Kisi) -> None:
    travel = ("--category", "travel", "--year", "1", "--amount", "1000")
    assert kisi("budget", "plan", *travel).code == 0
    flat = ("--category", "administrative", "--year", "1", "--amount", "100", "--percent", "7")
    assert kisi("budget", "plan", *flat).code == 0
    for day, amount in (("2026-09-30", "800"), ("2026-10-01", "50")):
        paid = ("--date", day, "--amount", amount, "--category", "travel", "--payee", "DB")
        assert kisi("expense", "add", *paid).code == 0


def test_plan_show_round_trip(kisi: Kisi, vault: Path) -> None:
    _setup(kisi)
    data = kisi("budget", "show", *AS_OF, "--json").json()
    lines = {(ln["category"], ln["project_year"]): ln for ln in data["lines"]}
    assert lines[("travel", 1)] == {
        "category": "travel",
        "project_year": 1,
        "funding_mode": "real_cost",
        "flat_rate_percent": None,
        "flat_rate_base": None,
        "planned": "1000.00",
        "spent": "800.00",
        "remaining": "200.00",
        "percent_used": "80.00",
        "ineligible": "0.00",
    }
    assert lines[("travel", 2)]["spent"] == "50.00"
    assert lines[("travel", 2)]["percent_used"] is None
    admin = lines[("administrative", 1)]
    assert (admin["flat_rate_percent"], admin["flat_rate_base"], admin["spent"]) == (
        "7.00",
        "800.00",
        "56.00",
    )
    assert data["total"]["spent"] == "906.00"
    assert data["cap"] == "290657.90" and data["cap_remaining"] == "289751.90"
    assert data["burn_rate"]["per_month"] == "69.69"
    assert data["burn_rate"]["forecast"] == "2508.92"
    warnings = [
        (w["level"], w["what"], w["category"], w["project_year"], w["percent"])
        for w in data["warnings"]
    ]
    assert warnings == [
        ("over", "year", None, 2, None),
        ("warn", "category", "travel", None, "85.00"),
        ("warn", "category_year", "travel", 1, "80.00"),
        ("over", "category_year", "travel", 2, None),
    ]


def test_plan_replaces_the_plan_of_that_category_year(kisi: Kisi, vault: Path) -> None:
    first = kisi(
        "budget", "plan", "--category", "travel", "--year", "1", "--amount", "1000", "--json"
    ).json()
    assert first["replaced"] is False
    second = kisi(
        "budget", "plan", "--category", "travel", "--year", "PY1", "--amount", "1200,50", "--json"
    ).json()
    assert second["replaced"] is True and second["id"] == first["id"]
    assert second["planned_total"] == "1200.50"
    data = kisi("budget", "show", *AS_OF, "--json").json()
    travel = next(
        ln for ln in data["lines"] if ln["category"] == "travel" and ln["project_year"] == 1
    )
    assert travel["planned"] == "1200.50"


def test_show_in_german_and_english(kisi: Kisi, vault: Path) -> None:
    _setup(kisi)
    german = kisi("budget", "show", *AS_OF)
    assert german.code == 0
    assert "1.000,00\xa0€" in german.out and "80,00\xa0%" in german.out
    assert "69,69\xa0€" in german.out  # burn rate note
    english = kisi("--lang", "en", "budget", "show", *AS_OF)
    assert "€1,000.00" in english.out and "80.00%" in english.out
    assert "travel costs, project year 2: €50.00 spent without a plan." in english.out
    only_py2 = kisi("--lang", "en", "budget", "show", *AS_OF, "--year", "2")
    table = only_py2.out.split("\n\n")[1]
    assert "PY2" in table and "PY1" not in table
    assert kisi("budget", "show", *AS_OF, "--year", "2", "--json").json()["categories"] == []


def test_warnings_exit_zero_and_name_volunteers_locally(kisi: Kisi, vault: Path) -> None:
    assert kisi("--lang", "en", "budget", "warnings", *AS_OF).out.strip() == "No warnings."
    # 2026: 600.00 + 360.01 = 960.01 of the 960 EUR Ehrenamtspauschale -> over
    ws = Workspace.open(vault, passphrase=PASSPHRASE)
    amira = ws.add(Volunteer(name="Amira Haddad", payment_regime="ehrenamtspauschale"))
    for day, paid in ((date(2026, 3, 1), "600.00"), (date(2026, 4, 1), "360.01")):
        ws.add(
            VolunteerDeployment(
                volunteer_id=amira.id,
                deployed_on=day,
                hours=Decimal(3),
                kind="interpreting",
                allowance_paid=Decimal(paid),
            )
        )
    ws.lock()
    result = kisi("--lang", "en", "budget", "warnings", *AS_OF)
    assert result.code == 0
    assert (
        "exceeded: Amira Haddad, 2026: allowances of €960.01, 100.00% of the tax-free €960.00."
        in result.out
    )
    # The allowances are noted on the deployments only, not booked as expenses:
    unbooked = "to check: volunteer costs: €960.01 paid to volunteers for their deployments"
    assert unbooked in result.out
    found = kisi("budget", "warnings", *AS_OF, "--json").json()
    assert [(w["what"], w["level"], w["amount"], w["limit"], w["until"]) for w in found] == [
        ("volunteers_unbooked", "check", "960.01", "0.00", "2026-06-30"),
        ("volunteer", "over", "960.01", "960.00", None),
    ]
    assert [w["deadline"] for w in found] == [None, None]


def test_plan_above_the_cap_warns_but_is_stored(kisi: Kisi, vault: Path) -> None:
    result = kisi(
        "--lang",
        "en",
        "budget",
        "plan",
        "--category",
        "staff",
        "--year",
        "1",
        "--amount",
        "290657.91",
    )
    assert result.code == 0
    assert result.err.strip() == (
        "The plan exceeds the grant cap: €290,657.91 planned, the cap is €290,657.90."
    )
    data = kisi("budget", "warnings", *AS_OF, "--json").json()
    assert [(w["level"], w["what"]) for w in data] == [("over", "plan_cap")]


def test_plan_refuses_bad_input_with_one_line(kisi: Kisi, vault: Path) -> None:
    def error(*argv: str) -> str:
        return kisi("--lang", "en", "budget", "plan", *argv).user_error()

    assert "--year" in error("--category", "travel", "--year", "4", "--amount", "1")
    assert "--category" in error("--category", "petrol", "--year", "1", "--amount", "1")
    assert "--amount" in error("--category", "travel", "--year", "1", "--amount", "lots")
    assert "--percent" in error(
        "--category", "administrative", "--year", "1", "--amount", "1", "--mode", "flat_rate"
    )
    assert "--mode" in error(
        "--category", "travel", "--year", "1", "--amount", "1", "--percent", "7"
    )
    assert "--date" in kisi("budget", "show", "--date", "31.10.26").user_error()


def test_a_flat_rate_on_staff_costs_is_named_with_base(kisi: Kisi, vault: Path) -> None:
    """5 % of the staff costs (1,000.00) = 50.00, not 5 % of all direct costs (2,000.00)."""
    flat = ("--category", "administrative", "--year", "1", "--amount", "100", "--percent", "5")
    assert kisi("budget", "plan", *flat, "--base", "indirect_of_direct_staff_costs").code == 0
    for category in ("staff", "other"):
        paid = ("--date", "2026-03-02", "--amount", "1000", "--category", category)
        assert kisi("expense", "add", *paid, "--payee", "Stadtkasse").code == 0
    data = kisi("budget", "show", *AS_OF, "--json").json()
    admin = next(ln for ln in data["lines"] if ln["category"] == "administrative")
    assert (admin["flat_rate_base"], admin["spent"]) == ("1000.00", "50.00")
    assert "--base" in kisi("budget", "plan", *flat, "--base", "staff").user_error()


def test_warnings_name_time_sheets_left_from_before_the_checks(kisi: Kisi, vault: Path) -> None:
    """An older version let in a second sheet for Maria's March (100 h, then 120 h) and kept
    Jonas's April (8 h) after he was removed: both are listed, locally, with the month."""
    ws = Workspace.open(vault, passphrase=PASSPHRASE)
    maria = ws.add(Guide(name="Maria Weber", fte=Decimal(1), started_on=date(2025, 10, 1)))
    jonas = ws.add(Guide(name="Jonas Becker", fte=Decimal(1), started_on=date(2025, 10, 1)))
    first = ws.add(TimeSheet(guide_id=maria.id, month="2026-03", hours=Decimal(100)))
    ws.add(TimeSheet(guide_id=maria.id, month="2026-03", hours=Decimal(120)))
    his = ws.add(TimeSheet(guide_id=jonas.id, month="2026-04", hours=Decimal(8)))
    ws.delete(Guide.KIND, jonas.id, despite_hold=True)  # (as an older version removed him)
    ws.lock()
    result = kisi("budget", "warnings", *AS_OF)
    assert result.code == 0
    assert "prüfen: Maria Weber hat zwei Stundennachweise für März 2026 (100 h und 120 h)." in (
        result.out
    )
    assert "prüfen: Ein Stundennachweis für April 2026 (8 h) gehört zu einem Teammitglied" in (
        result.out
    )
    found = kisi("budget", "warnings", *AS_OF, "--json").json()
    assert [(w["what"], w["level"], w["id"], w["month"], w["amount"]) for w in found] == [
        ("time_sheets_same_month", "check", first.id, "2026-03", "100.00"),
        ("time_sheets_orphaned", "check", his.id, "2026-04", "8.00"),
    ]
