"""The people table model and its filter proxy: Qt's model checks, labels, sort keys, filter."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytestqt.modeltest import ModelTester

from PySide6.QtCore import Qt

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ui.pages.people.person_filter import PersonFilterModel
from kisi_desktop.ui.pages.people.person_table_model import (
    Column,
    PersonRole,
    PersonRow,
    PersonTableModel,
    load_person_rows,
    sort_rows,
    sort_text,
)

from tests.gui.people.conftest import Harness, add_person

pytestmark = pytest.mark.gui


def _fill(h: Harness) -> None:
    add_person(
        h.ws,
        "Zainab Ahmadi",
        nationalities=("AF",),
        residence_status="refugee",
        birth_year=1990,
        birth_estimated=True,
        gender="female",
        arrival_date=date(2022, 5, 1),
    )
    add_person(
        h.ws,
        "ahmad Karimi",
        nationalities=("SY",),
        residence_status="unknown",
        birth_date=date(1985, 12, 24),
        gender="male",
        phone="+49 151 2345678",
    )
    add_person(h.ws, "Émile Dupont", nationalities=("FR",), residence_status="employment")
    add_person(h.ws, "محمد الأحمد", stateless=True, residence_status="tolerated")


def test_model_and_proxy_pass_qt_model_checks(harness: Harness, qtmodeltester: ModelTester) -> None:
    _fill(harness)
    model = PersonTableModel()
    model.set_rows(load_person_rows(harness.ws))
    qtmodeltester.check(model)
    proxy = PersonFilterModel()
    proxy.setSourceModel(model)
    proxy.set_criteria("a")
    qtmodeltester.check(proxy)
    model.sort(Column.BORN, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)


def test_cells_show_labels_in_the_ui_language(harness: Harness) -> None:
    _fill(harness)
    model = PersonTableModel()
    model.set_rows(load_person_rows(harness.ws))
    model.sort(Column.NAME)
    names = [model.index(r, Column.NAME).data() for r in range(model.rowCount())]
    assert names == ["ahmad Karimi", "Émile Dupont", "Zainab Ahmadi", "محمد الأحمد"]
    row = {model.index(r, 0).data(): r for r in range(4)}
    zainab, ahmad = row["Zainab Ahmadi"], row["ahmad Karimi"]
    assert model.index(zainab, Column.BORN).data() == "~1990"
    assert model.index(ahmad, Column.BORN).data() == "24.12.1985"
    assert model.index(zainab, Column.NATIONALITY).data() == "Afghanistan"
    assert model.index(row["محمد الأحمد"], Column.NATIONALITY).data() == "staatenlos"
    assert model.index(zainab, Column.STATUS).data().startswith("Flüchtling")
    assert model.index(zainab, Column.GENDER).data() == "weiblich"
    assert model.index(zainab, 0).data(PersonRole.ELIGIBLE) is True
    assert model.index(ahmad, 0).data(PersonRole.ELIGIBLE) is False  # status unknown
    assert model.index(row["Émile Dupont"], 0).data(PersonRole.ELIGIBLE) is False  # EU
    assert model.index(row["محمد الأحمد"], 0).data(PersonRole.ELIGIBLE) is True
    set_ui_language("en")
    model.set_rows(load_person_rows(harness.ws))
    ahmad = next(r for r in range(4) if model.index(r, 0).data() == "ahmad Karimi")
    assert model.index(ahmad, Column.BORN).data() == "Dec 24, 1985"
    assert model.index(ahmad, Column.NATIONALITY).data() == "Syria"


def test_sort_keys_put_dates_in_order_and_unknowns_last(harness: Harness) -> None:
    _fill(harness)
    model = PersonTableModel()
    model.set_rows(load_person_rows(harness.ws))
    model.sort(Column.BORN)
    born = [model.index(r, Column.BORN).data() for r in range(model.rowCount())]
    assert born == ["24.12.1985", "~1990", "", ""]
    model.sort(Column.ARRIVED, Qt.SortOrder.DescendingOrder)
    assert (
        model.index(3, Column.ARRIVED).data() == "01.05.2022"
        or model.index(0, Column.ARRIVED).data() == ""
    )


def test_filter_matches_name_phone_and_nationality_words(harness: Harness) -> None:
    _fill(harness)
    model = PersonTableModel()
    model.set_rows(load_person_rows(harness.ws))
    proxy = PersonFilterModel()
    proxy.setSourceModel(model)

    def shown(text: str = "", **kw: object) -> set[str]:
        proxy.set_criteria(text, **kw)  # type: ignore[arg-type]
        return {proxy.index(r, 0).data() for r in range(proxy.rowCount())}

    assert shown("AHMAD") == {"ahmad Karimi", "Zainab Ahmadi"}
    assert shown("syrien") == {"ahmad Karimi"}
    assert shown("2345") == {"ahmad Karimi"}
    assert shown("zainab afgh") == {"Zainab Ahmadi"}
    assert shown("الأحمد") == {"محمد الأحمد"}
    assert shown(status="refugee") == {"Zainab Ahmadi"}
    assert shown(eligible_only=True) == {"Zainab Ahmadi", "محمد الأحمد"}
    assert len(shown()) == 4


@given(st.text(max_size=40))
def test_sort_text_folds_case_and_drops_accents_for_every_script(text: str) -> None:
    # The ASCII shortcut must give what the full decomposition gives.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    assert sort_text(text) == "".join(c for c in decomposed if not unicodedata.combining(c))


def test_sort_text_puts_accented_names_beside_plain_ones() -> None:
    assert sort_text("Émile") == sort_text("emile") == "emile"
    assert sort_text("Müller") == "muller"
    assert sorted(["Zoe", "Émile", "Emil", "Abbas"], key=sort_text) == [
        "Abbas", "Emil", "Émile", "Zoe"
    ]  # fmt: skip


def _row(pid: str, name: str, born: str) -> PersonRow:
    return PersonRow(
        id=pid, name=name, born=born, born_estimated=False, gender="", nationality="",
        status="unknown", status_label="", arrived="", eligible=False,
        haystack=name.casefold(), name_key=sort_text(name),
    )  # fmt: skip


_NAMES = st.sampled_from(["Amina", "amina", "Émile", "Yonas", "Zahra", "Ilya", "", "Ахмед"])
_BORN = st.sampled_from(["", "1960", "1975-03-01", "1990", "2001-12-31"])


@given(
    start=st.lists(st.tuples(_NAMES, _BORN), max_size=12),
    saves=st.lists(st.tuples(st.integers(0, 20), _NAMES, _BORN), max_size=8),
    column=st.sampled_from([Column.NAME, Column.BORN]),
    descending=st.booleans(),
)
def test_a_saved_line_lands_where_sorting_the_whole_list_would_put_it(
    start: list[tuple[str, str]],
    saves: list[tuple[int, str, str]],
    column: Column,
    descending: bool,
) -> None:
    """New and changed lines, one at a time, as the page saves them (``upsert``)."""
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    model = PersonTableModel()
    model.set_rows([_row(f"p{n}", name, born) for n, (name, born) in enumerate(start)])
    model.sort(column, order)
    for number, name, born in saves:
        model.upsert(_row(f"p{number}", name, born))  # an existing id changes its line
    expected = list(model.rows())
    sort_rows(expected, column, order)
    assert model.rows() == expected
    assert all(model.row_of(row.id) == at for at, row in enumerate(model.rows()))
