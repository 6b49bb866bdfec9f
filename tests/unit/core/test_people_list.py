"""The people of a guide's spreadsheet list come in whole or not at all (core/people_list.py)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook  # type: ignore[import-untyped]

from kisi_desktop.core import people_list
from kisi_desktop.core.domain import Contact, Person
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.people_list import (
    FIRST_CONTACT_NOTE,
    add_people,
    added_message,
    read_people_list,
    summary_lines,
)
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

TODAY = date(2026, 3, 18)
# As German Excel saves "CSV (Trennzeichen-getrennt)": semicolons, Windows-1252.
GERMAN_CSV = (
    "Vorname;Nachname;Geburtsdatum;Geschlecht;Staatsangehörigkeit;Erstkontakt;Dauer;Bemerkung\r\n"
    "Amina;Haidari;03.05.1991;w;Afghanistan;04.11.2025;60;kommt mit Tochter\r\n"
    "Yonas;Tesfay;;m;Eritrea, Äthiopien;12.01.2026;;\r\n"
    ";;;;;;;\r\n"
    "Ilya;Petrenko;1988-02-29;männlich;staatenlos;;;\r\n"
).encode("cp1252")


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return ReferenceData.load()


def _list(tmp_path: Path, data: bytes, name: str = "liste.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_german_excel_csv_is_read_row_by_row(tmp_path: Path, ref: ReferenceData) -> None:
    listed = read_people_list(_list(tmp_path, GERMAN_CSV), ref, [], today=TODAY)
    assert listed.problems == [] and listed.ready
    assert listed.ignored == ["Bemerkung"]  # (a free-text column is named, not read)
    amina, yonas, ilya = (entry.person for entry in listed.people)
    assert [entry.row for entry in listed.people] == [2, 3, 5]  # as the spreadsheet counts
    assert (amina.name, amina.birth_date, amina.gender, amina.nationalities) == (
        "Amina Haidari",
        date(1991, 5, 3),
        "female",
        ("AF",),
    )
    assert (yonas.nationalities, yonas.birth_date) == (("ER", "ET"), None)
    assert (ilya.stateless, ilya.nationalities, ilya.birth_date) == (True, (), date(1988, 2, 29))
    first = [entry.first_contact for entry in listed.people]
    assert first[2] is None
    assert first[0] is not None and first[1] is not None
    assert (first[0].contacted_on, first[0].duration_minutes) == (date(2025, 11, 4), 60)
    # Without a duration in the list, the length the guide set for the whole list.
    assert first[1].duration_minutes == 30 and first[1].note == FIRST_CONTACT_NOTE
    assert first[0].person_id == amina.id


def test_an_excel_file_with_real_dates_is_read_and_added_in_one_go(
    tmp_path: Path, ref: ReferenceData
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Geburtsjahr", "Nationality", "First contact", "Telefon"])
    sheet.append(["Noor Qasim", 1979, "SY", datetime(2025, 10, 20), "0171 2345678"])
    sheet.append(["Ирина Ткаченко", 1990, "Ukraine", datetime(2026, 2, 2), None])
    book.save(tmp_path / "liste.xlsx")
    vault = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(vault, "Lindenblüte 2026", kdf=TEST_PARAMS)
    listed = read_people_list(tmp_path / "liste.xlsx", ref, ws.list(Person), today=TODAY)
    assert listed.ready, listed.problems
    assert add_people(ws, listed) == 2
    people = {p.name: p for p in ws.list(Person)}
    assert people["Noor Qasim"].birth_year == 1979 and people["Noor Qasim"].phone == "0171 2345678"
    assert people["Ирина Ткаченко"].nationalities == ("UA",)
    contacts = sorted((c.contacted_on, c.person_id) for c in ws.list(Contact))
    assert contacts == [
        (date(2025, 10, 20), people["Noor Qasim"].id),
        (date(2026, 2, 2), people["Ирина Ткаченко"].id),
    ]
    # Read again: everyone is there already, nobody is added twice.
    again = read_people_list(tmp_path / "liste.xlsx", ref, ws.list(Person), today=TODAY)
    assert again.people == [] and [row for row, _name in again.already_there] == [2, 3]
    ws.lock()


def test_a_row_with_problems_keeps_the_whole_list_out(tmp_path: Path, ref: ReferenceData) -> None:
    data = (
        "Name;Geburtsdatum;Staatsangehörigkeit;Erstkontakt;Geschlecht\n"
        "Amina Haidari;31.02.1991;Afghanistan;04.11.2025;w\n"
        "Yonas Tesfay;01.01.1990;Atlantis;01.04.2026;m\n"
        "Farid Ahmadi;01.01.1985;Iran;02.12.2025;vielleicht\n"
        "Sara Kidane;02.02.1992;Eritrea;03.12.2025;w\n"
    ).encode()
    listed = read_people_list(_list(tmp_path, data), ref, [], today=TODAY)
    assert not listed.ready
    assert [(p.row, p.column) for p in listed.problems] == [
        (2, "Geburtsdatum"),
        (3, "Staatsangehörigkeit"),
        (3, "Erstkontakt"),
        (4, "Geschlecht"),
    ]
    assert listed.problems[0].message == "„31.02.1991“ ist kein Datum (z. B. 03.11.2025)."
    assert listed.problems[2].message == "Liegt in der Zukunft."
    with pytest.raises(UserError):
        add_people(object(), listed)


def test_the_same_person_twice_in_the_list_is_added_once(
    tmp_path: Path, ref: ReferenceData
) -> None:
    data = b"Name,Geburtsdatum\nAmina Haidari,03.05.1991\namina  haidari,1991-05-03\n"
    listed = read_people_list(_list(tmp_path, data), ref, [], today=TODAY)
    assert len(listed.people) == 1 and listed.already_there == []
    assert listed.twice == [(3, 2)]


def test_the_summary_counts_in_words_and_leaves_rows_to_a_window(
    tmp_path: Path, ref: ReferenceData
) -> None:
    data = b"Name;Erstkontakt;Notiz\nAmina Haidari;04.11.2025;x\nYonas Tesfay;32.11.2025;\n"
    listed = read_people_list(_list(tmp_path, data), ref, [], today=TODAY)
    head = [
        "1 Person anzulegen, 1 mit Erstkontakt.",
        "Gelesene Spalten: Name, Erstkontakt",
        "Nicht übernommene Spalten: Notiz",
    ]
    assert summary_lines(listed, rows=False) == head
    assert summary_lines(listed) == [
        *head,
        "Zeile 3, Erstkontakt: „32.11.2025“ ist kein Datum (z. B. 03.11.2025).",
    ]
    assert added_message(1).startswith("1 Person angelegt. Die Liste selbst")
    assert added_message(2).startswith("2 Personen angelegt. Die Liste selbst")


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"", "ist leer"),
        (b"Vorname;Geburtsdatum\nAmina;1991-01-01\n", "Keine Spalte nennt die Personen"),
        (b"PK\x03\x04 not really a workbook", "ist keine CSV- oder Excel-Liste"),
        (b"Name\x00\x01\x02", "ist keine CSV- oder Excel-Liste"),
    ],
)
def test_a_file_that_is_no_list_is_refused_with_a_reason(
    tmp_path: Path, ref: ReferenceData, data: bytes, said: str
) -> None:
    with pytest.raises(UserError, match=said):
        read_people_list(_list(tmp_path, data), ref, [], today=TODAY)


def test_a_list_too_large_or_too_long_is_refused(
    tmp_path: Path, ref: ReferenceData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people_list, "MAX_ROWS", 3)
    rows = b"Name\n" + b"".join(b"Person %d\n" % n for n in range(4))
    with pytest.raises(UserError, match="mehr als 3 Zeilen"):
        read_people_list(_list(tmp_path, rows), ref, [], today=TODAY)
    monkeypatch.setattr(people_list, "MAX_BYTES", 10)
    with pytest.raises(UserError, match="größer als"):
        read_people_list(_list(tmp_path, b"Name\nAmina Haidari\n"), ref, [], today=TODAY)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lists")


@given(data=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: ("Name;" + t).encode()))
@settings(max_examples=200)
def test_whatever_the_file_holds_it_is_a_list_or_a_reason(
    folder: Path, ref: ReferenceData, data: bytes
) -> None:
    """Hostile input: any bytes give a checked list or a UserError, never a crash."""
    try:
        listed = read_people_list(_list(folder, data), ref, [], today=TODAY)
    except UserError:
        return
    for entry in listed.people:
        entry.person.validate(ref)


def test_the_import_refuses_what_the_people_form_refuses_and_reads_whole_country_names(
    tmp_path: Path, ref: ReferenceData
) -> None:
    data = (
        "Name;Geburtsdatum;Geburtsjahr;Einreise;Staatsangehörigkeit;Dauer;Erstkontakt\n"
        "Amina Haidari;01.01.2027;;;Afghanistan;;\n"
        "Yonas Tesfay;;2031;;Eritrea;;\n"
        "Farid Ahmadi;;²;05.05.2026;Iran;²;01.03.2026\n"
        "Emina Hodžić;;1980;;Bosnien und Herzegowina;;\n"
    ).encode()
    listed = read_people_list(_list(tmp_path, data), ref, [], today=TODAY)
    assert [(p.row, p.column, p.message) for p in listed.problems] == [
        (2, "Geburtsdatum", "Liegt in der Zukunft."),
        (3, "Geburtsjahr", "Liegt in der Zukunft."),
        (4, "Geburtsjahr", "Keine Jahreszahl."),
        (4, "Einreise", "Liegt in der Zukunft."),
        (4, "Dauer", "Keine Minutenzahl."),
    ]
    [emina] = listed.people
    assert emina.person.nationalities == ("BA",)


def test_someone_in_the_vault_is_known_by_name_and_year_of_birth(
    tmp_path: Path, ref: ReferenceData
) -> None:
    there = [
        Person(name="Amina Haidari", birth_date=date(1990, 5, 1)),
        Person(name="Yonas Tesfay"),
        Person(name="Sara Kidane", birth_year=1992),
    ]
    data = b"Name;Geburtsjahr\nAmina Haidari;1990\nYonas Tesfay;1985\nSara Kidane;1993\n"
    listed = read_people_list(_list(tmp_path, data), ref, there, today=TODAY)
    # The year of a known date, and a person without birth data, are the same person;
    # another year is someone else of the same name.
    assert [row for row, _name in listed.already_there] == [2, 3]
    assert [entry.person.name for entry in listed.people] == ["Sara Kidane"]


def test_a_damaged_character_is_named_not_guessed(tmp_path: Path, ref: ReferenceData) -> None:
    """A UTF-8 list with one broken byte would read as Windows-1252 garbage: refused."""
    data = "Name\nأحمد محمود\nAmina Haidari\n".encode() + b"Farid \xff\n"
    with pytest.raises(UserError, match=r"Zeile 4 von liste\.csv enthält ein Zeichen"):
        read_people_list(_list(tmp_path, data), ref, [], today=TODAY)
    # Windows-1252 bytes it leaves undefined are refused the same way.
    with pytest.raises(UserError, match=r"Zeile 2 von liste\.csv"):
        read_people_list(_list(tmp_path, b"Name\nAmina \x81\n"), ref, [], today=TODAY)


def test_an_excel_bomb_or_a_broken_sheet_is_refused_unread(
    tmp_path: Path, ref: ReferenceData
) -> None:
    book = Workbook()
    book.active.append(["Name"])
    book.active.append(["Amina Haidari"])
    book.save(tmp_path / "good.xlsx")
    good = (tmp_path / "good.xlsx").read_bytes()

    def rewritten(member: str, content: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
            names = [info.filename for info in src.infolist()]
            for name in dict.fromkeys([*names, member]):  # (added when not there)
                body = content if name == member else src.read(name)
                dst.writestr(name, body, compress_type=zipfile.ZIP_DEFLATED)
        return out.getvalue()

    # 60 MB of shared strings in a file of about 60 KB.
    bomb = rewritten("xl/sharedStrings.xml", b"<sst>" + b" " * (60 * 1024 * 1024) + b"</sst>")
    assert len(bomb) < 200_000
    with pytest.raises(UserError, match="größer als 50 MB"):
        read_people_list(_list(tmp_path, bomb, "bombe.xlsx"), ref, [], today=TODAY)
    broken = rewritten("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row")
    with pytest.raises(UserError, match="ist keine CSV- oder Excel-Liste"):
        read_people_list(_list(tmp_path, broken, "kaputt.xlsx"), ref, [], today=TODAY)


def test_an_excel_list_longer_than_allowed_is_refused_even_below_blank_rows(
    tmp_path: Path, ref: ReferenceData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people_list, "MAX_ROWS", 5)
    book = Workbook()
    sheet = book.active
    sheet.append([None])
    sheet.append([None])
    sheet.append(["Name"])
    for n in range(4):
        sheet.append([f"Person {n}"])
    sheet.append([None])
    sheet.append(["Person nach der Lücke"])
    book.save(tmp_path / "lang.xlsx")
    with pytest.raises(UserError, match="mehr als 5 Zeilen"):
        read_people_list(tmp_path / "lang.xlsx", ref, [], today=TODAY)


def test_a_column_past_the_limit_is_named_as_left_out(
    tmp_path: Path, ref: ReferenceData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people_list, "MAX_COLUMNS", 3)
    data = b"Name;Notiz;Zimmer;Geburtsdatum\nAmina Haidari;x;12;03.05.1991\n"
    listed = read_people_list(_list(tmp_path, data), ref, [], today=TODAY)
    assert listed.ignored == ["Notiz", "Zimmer", "Geburtsdatum"]
    assert listed.people[0].person.birth_date is None  # (not read: said, not silent)


def test_phone_numbers_excel_stored_as_numbers_get_their_leading_zero_back(
    tmp_path: Path, ref: ReferenceData
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Telefon"])
    sheet.append(["Noor Qasim", 1712345678])  # typed as 01712345678, kept as a number
    sheet.append(["Amina Haidari", 4915112345678])  # typed as 004915112345678 or +49…
    sheet.append(["Yonas Tesfay", "0171 2345678"])  # kept as text: left alone
    path = tmp_path / "liste.xlsx"
    book.save(path)
    listed = read_people_list(path, ref, [], today=TODAY)
    phones = [entry.person.phone for entry in listed.people]
    assert phones == ["01712345678", "+4915112345678", "0171 2345678"]
    assert listed.phones_mended == [2, 3]
    assert any(line.endswith(" 2, 3") for line in summary_lines(listed))


def test_a_phone_number_the_spreadsheet_shortened_is_refused(
    tmp_path: Path, ref: ReferenceData
) -> None:
    data = "Name;Telefon\r\nNoor Qasim;1,71235E+10\r\n".encode("cp1252")
    listed = read_people_list(_list(tmp_path, data), ref, [], today=TODAY)
    assert not listed.ready
    [problem] = listed.problems
    assert (problem.row, problem.column) == (2, "Telefon")
    assert "1,71235E+10" in problem.message


def test_a_formula_never_calculated_is_refused_not_read_as_empty(
    tmp_path: Path, ref: ReferenceData
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Geburtsjahr", "Notiz"])
    # Written by a script: the formula has no stored value until Excel calculates it.
    sheet.append(["Noor Qasim", "=2026-47", "=1+1"])
    sheet.append(["Amina Haidari", 1991, ""])
    path = tmp_path / "liste.xlsx"
    book.save(path)
    listed = read_people_list(path, ref, [], today=TODAY)
    assert not listed.ready
    # Only the column that is read counts: the formula in "Notiz" is left out with it.
    [problem] = listed.problems
    assert (problem.row, problem.column) == (2, "Geburtsjahr")
    assert "formula" in problem.message.casefold() or "formel" in problem.message.casefold()
    assert [entry.row for entry in listed.people] == [3]


def test_the_kind_of_first_contact_comes_from_the_list(tmp_path: Path, ref: ReferenceData) -> None:
    data = (
        "Name;Erstkontakt;Kontaktart\r\n"
        "Noor Qasim;04.11.2025;Hausbesuch\r\n"
        "Amina Haidari;05.11.2025;telefonisch\r\n"
        "Yonas Tesfay;06.11.2025;\r\n"
        "Ilya Petrenko;07.11.2025;Brieftaube\r\n"
    ).encode("cp1252")
    listed = read_people_list(_list(tmp_path, data), ref, [], today=TODAY)
    [problem] = listed.problems
    assert (problem.row, problem.column) == (5, "Kontaktart")
    modes = [e.first_contact.mode for e in listed.people if e.first_contact is not None]
    assert modes == ["outreach", "phone", "office"]


def test_a_formula_excel_calculated_to_empty_text_is_read_as_empty(
    tmp_path: Path, ref: ReferenceData
) -> None:
    """=WENN(D2="";"";D2) saved by Excel: an empty result is a value, not a missing one."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Telefon"])
    sheet.append(["Noor Qasim", "=1+1"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    saved = tmp_path / "liste.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(saved, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                calculated = b'<c r="B2" t="str"><f>IF(1,"","")</f><v></v></c>'
                data = data.replace(b'<c r="B2"><f>1+1</f><v></v></c>', calculated)
                assert calculated in data
            target.writestr(item, data)
    listed = read_people_list(saved, ref, [], today=TODAY)
    assert listed.problems == [] and [e.person.phone for e in listed.people] == [""]


def test_a_number_from_abroad_that_lost_its_plus_is_not_guessed(
    tmp_path: Path, ref: ReferenceData
) -> None:
    data = b"Name;Telefon\r\nNoor Qasim;963944123456\r\nAmina Haidari;6421123456\r\n"
    listed = read_people_list(_list(tmp_path, data), ref, [], today=TODAY)
    [problem] = listed.problems
    assert (problem.row, problem.column) == (2, "Telefon") and "963944123456" in problem.message
    assert listed.phones_mended == [3]  # a Marburg landline: its 0 back


def test_a_first_contact_before_the_birth_is_a_problem_of_its_row(
    tmp_path: Path, ref: ReferenceData
) -> None:
    # QA: a first contact typed as 1985 for someone born in 1991 was imported without a
    # word; the workspace's refusal alone would fail the whole list at saving, unnamed.
    data = (
        b"Name;Geburtsjahr;Erstkontakt\n"
        b"Amina Haidari;1991;04.11.1985\n"
        b"Yonas Tesfay;1990;04.11.2025\n"
    )
    listed = read_people_list(_list(tmp_path, data), ref, [], today=TODAY)
    assert [(p.row, p.column, p.message) for p in listed.problems] == [
        (2, "Erstkontakt", "Liegt vor der Geburt der Person (1991).")
    ]
