"""Bringing in the people of a spreadsheet list (CSV or Excel) a guide kept before the app.

Many guides began in October 2025 with a list in Excel: names, dates of birth,
nationalities, the day of the first contact. Typing it again is where errors creep in, and
without the first contacts the AMIF figures from the project's start would be short. So
the list is read, every row checked as the People form checks a person, and nothing is
stored unless every row is right: the guide mends the list and reads it again, instead of
finding half a list in the vault (:func:`read_people_list`, then :func:`add_people` in one
vault transaction).

The file comes from outside and is read as hostile: at most :data:`MAX_BYTES`, at most
:data:`MAX_ROWS` rows of :data:`MAX_COLUMNS` columns, cells of :data:`MAX_CELL` characters;
an Excel file is read as values only (no formulas run, no links followed). Columns are
known by their headings in German or English (:data:`HEADINGS`), others are named and
left out. A person already in the vault (same name and date or year of birth) is not
added twice. A first-contact day becomes a counselling contact on that day, its length as
the list says or as the guide sets for the whole list, with a note saying where it came
from. The list itself stays plain text on the disk: the guide is told to delete it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from kisi_desktop.core.domain import Contact, Person
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import UserError, ValidationError
from kisi_desktop.core.files import read_limited
from kisi_desktop.core.i18n import _

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 60
MAX_CELL = 2_000
# The note on a contact taken from a list (in the vault's language of record: German).
FIRST_CONTACT_NOTE = "Erstkontakt aus einer importierten Liste übernommen."
# Problems said at most; the rest are counted (a list with a shifted column has one per row).
SHOWN_PROBLEMS = 30

# Field -> the headings that name it (compared without case, spaces, dots and hyphens).
HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("name", "vollständigername", "vorundnachname", "fullname", "klientin", "klient"),
    "first_name": ("vorname", "firstname", "givenname"),
    "last_name": ("nachname", "familienname", "lastname", "surname", "familyname"),
    "birth_date": ("geburtsdatum", "geboren", "geb", "dateofbirth", "birthdate", "dob"),
    "birth_year": ("geburtsjahr", "yearofbirth", "birthyear"),
    "gender": ("geschlecht", "gender", "sex"),
    "nationalities": (
        "staatsangehörigkeit",
        "staatsangehörigkeiten",
        "nationalität",
        "staatsbürgerschaft",
        "nationality",
        "nationalities",
        "citizenship",
    ),
    "phone": ("telefon", "tel", "telefonnummer", "handy", "mobil", "phone", "mobile"),
    "email": ("email", "mail", "emailadresse"),
    "address": ("adresse", "anschrift", "address"),
    "arrival_date": ("einreise", "einreisedatum", "ankunft", "arrival", "dateofarrival"),
    "residence_status": ("aufenthaltsstatus", "aufenthaltstitel", "residencestatus"),
    "languages": ("sprachen", "sprache", "languages", "language"),
    "first_contact": ("erstkontakt", "ersterkontakt", "firstcontact", "datumerstkontakt"),
    "minutes": ("dauer", "dauerminuten", "minuten", "duration", "minutes"),
}
_GENDER_WORDS = {
    "w": "female", "weibl": "female", "f": "female", "frau": "female",
    "m": "male", "männl": "male", "mann": "male",
    "d": "diverse", "x": "diverse",
}  # fmt: skip
_STATELESS = {"staatenlos", "stateless", "ungeklärt", "ungeklaert"}
_DATE_DE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?")
_SPLIT = re.compile(r"\s*[,;/]\s*|\s+und\s+|\s+and\s+")


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong in one row (1 = the heading row, as a spreadsheet counts) and column."""

    row: int
    column: str
    message: str


@dataclass(frozen=True, slots=True)
class ListedPerson:
    """A row that will become a person, with the contact of its first-contact day."""

    row: int
    person: Person
    first_contact: Contact | None


@dataclass(frozen=True, slots=True)
class PeopleList:
    """What a list holds, before anything is stored."""

    people: list[ListedPerson]
    already_there: list[tuple[int, str]]
    problems: list[Problem]
    columns: dict[str, str]
    ignored: list[str]

    @property
    def ready(self) -> bool:
        """True when it can be added: no problem in any row, and someone to add."""
        return not self.problems and bool(self.people)


def read_people_list(
    path: Path,
    ref: ReferenceData,
    existing: Iterable[Person],
    *,
    today: date,
    first_contact_minutes: int = 30,
) -> PeopleList:
    """Read and check the list at ``path`` (CSV or XLSX); nothing is stored.

    Raises:
        UserError: the file cannot be read, is too large, or has no heading that names
            the people (a name, or first and last name).
    """
    table = read_table(path)
    if not table:
        raise UserError(_("The list {path} is empty.").format(path=path.name))
    heading, rows = table[0], table[1:]
    columns, ignored = _columns(heading)
    if "name" not in columns and not {"first_name", "last_name"} <= columns.keys():
        raise UserError(
            _(
                "No column names the people: the first row needs a heading such as "
                "“Name”, or “Vorname” and “Nachname”."
            )
        )
    known = {_identity(p.name, p.birth_date, p.birth_year) for p in existing}
    order = {title.strip(): index for index, title in enumerate(heading)}  # (left to right)
    people: list[ListedPerson] = []
    already: list[tuple[int, str]] = []
    problems: list[Problem] = []
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            field: cells[index].strip() if index < len(cells) else ""
            for field, index in columns.items()
        }
        row = _Row(number, values, heading, columns, ref, today, first_contact_minutes)
        listed = row.build()
        problems.extend(sorted(row.problems, key=lambda p: order.get(p.column, len(order))))
        if listed is None:
            continue
        key = _identity(listed.person.name, listed.person.birth_date, listed.person.birth_year)
        if key in known:
            already.append((number, listed.person.name))
            continue
        known.add(key)
        people.append(listed)
    shown = {field: heading[index] for field, index in columns.items()}
    return PeopleList(people, already, problems, shown, ignored)


def add_people(workspace: object, listed: PeopleList) -> int:
    """Store every person of a checked list and their first contacts, in one transaction
    (all or nothing); how many people were added."""
    if not listed.ready:
        raise UserError(_("The list has problems; nothing was added."))
    records: list[Person | Contact] = []
    for entry in listed.people:
        records.append(entry.person)
        if entry.first_contact is not None:
            records.append(entry.first_contact)
    workspace.save(records, "add")  # type: ignore[attr-defined]
    return len(listed.people)


def summary_lines(listed: PeopleList) -> list[str]:
    """What the list holds, line by line, for the window and the command line alike."""
    contacts = sum(1 for p in listed.people if p.first_contact is not None)
    lines = [
        _("{n} people to add, {c} of them with a first contact.").format(
            n=len(listed.people), c=contacts
        )
    ]
    if listed.columns:
        lines.append(_("Columns read: {names}").format(names=", ".join(listed.columns.values())))
    if listed.ignored:
        lines.append(_("Columns left out: {names}").format(names=", ".join(listed.ignored)))
    for row, name in listed.already_there:
        lines.append(_("Row {row}: {name} is already in the vault.").format(row=row, name=name))
    for problem in listed.problems[:SHOWN_PROBLEMS]:
        lines.append(
            _("Row {row}, {column}: {message}").format(
                row=problem.row, column=problem.column, message=problem.message
            )
        )
    if len(listed.problems) > SHOWN_PROBLEMS:
        lines.append(_("… and {n} more problems.").format(n=len(listed.problems) - SHOWN_PROBLEMS))
    return lines


# ---------------------------------------------------------------------- reading the file
def read_table(path: Path) -> list[list[str]]:
    """The cells of the file as text, row by row (Excel: the first sheet)."""
    try:
        data = read_limited(path, MAX_BYTES)
    except OSError as error:
        raise UserError(
            _("The list {path} cannot be read: {reason}").format(
                path=path.name, reason=error.strerror or error
            )
        ) from None
    if len(data) > MAX_BYTES:
        raise UserError(
            _("The list {path} is larger than {mb} MB.").format(
                path=path.name, mb=MAX_BYTES // (1024 * 1024)
            )
        )
    rows = _xlsx_rows(data, path) if data[:4] == b"PK\x03\x04" else _csv_rows(data, path)
    table: list[list[str]] = []
    for cells in rows:
        if len(table) > MAX_ROWS:
            raise UserError(
                _("The list {path} has more than {n} rows.").format(path=path.name, n=MAX_ROWS)
            )
        if len(cells) > MAX_COLUMNS:
            cells = cells[:MAX_COLUMNS]
        if table or any(cell.strip() for cell in cells):  # (empty rows above the heading)
            table.append([cell[:MAX_CELL] for cell in cells])
    return table


def _csv_rows(data: bytes, path: Path) -> Iterable[list[str]]:
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on German Windows
    if "\x00" in text:
        raise UserError(_("{path} is not a CSV or Excel list.").format(path=path.name))
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise UserError(
            _("The list {path} cannot be read: {reason}").format(path=path.name, reason=error)
        ) from None


def _xlsx_rows(data: bytes, path: Path) -> Iterable[list[str]]:
    # Imported here: only a list needs it, and it costs the start of every command.
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise UserError(
            _("{path} is not a CSV or Excel list ({reason}).").format(
                path=path.name, reason=type(error).__name__
            )
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2):
            rows.append([_cell_text(value) for value in values[:MAX_COLUMNS]])
        return rows
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------------- columns and rows
def _key(heading: str) -> str:
    text = unicodedata.normalize("NFC", heading).casefold()
    return re.sub(r"[\s.\-_()/:]+", "", text)


def _columns(heading: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Field -> column index (the first column with that meaning), and the headings left out."""
    lookup = {synonym: field for field, synonyms in HEADINGS.items() for synonym in synonyms}
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, title in enumerate(heading):
        field = lookup.get(_key(title))
        if field is None or field in columns:
            if title.strip():
                ignored.append(title.strip())
            continue
        columns[field] = index
    return columns, ignored


def _identity(name: str, birth_date: date | None, birth_year: int | None) -> tuple[str, object]:
    year = birth_date.year if birth_date else birth_year
    return " ".join(_key(part) for part in name.split()), birth_date or year


class _Row:
    """One row turned into a person, collecting what is wrong column by column."""

    def __init__(
        self,
        number: int,
        values: dict[str, str],
        heading: Sequence[str],
        columns: dict[str, int],
        ref: ReferenceData,
        today: date,
        minutes: int,
    ) -> None:
        self.number = number
        self.values = values
        self.heading = heading
        self.columns = columns
        self.ref = ref
        self.today = today
        self.minutes = minutes
        self.problems: list[Problem] = []

    def _wrong(self, field: str, message: str) -> None:
        title = self.heading[self.columns[field]] if field in self.columns else field
        self.problems.append(Problem(self.number, title.strip(), message))

    def _day(self, field: str) -> date | None:
        text = self.values.get(field, "")
        if not text:
            return None
        found = _DATE_DE.fullmatch(text)
        parts: tuple[str, ...] | None = (
            (found.group(3), found.group(2), found.group(1)) if found else None
        )
        if parts is None and (iso := _DATE_ISO.fullmatch(text)):
            parts = iso.groups()
        try:
            if parts is None:
                raise ValueError
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            self._wrong(field, _("“{text}” is not a date (e.g. 03.11.2025).").format(text=text))
            return None

    def _code(self, field: str, enum: str, text: str) -> str | None:
        wanted = _key(text)
        for code, entry in self.ref.enum(enum).items():
            if wanted in (_key(code), _key(entry.de), _key(entry.en)):
                return code
        self._wrong(field, _("“{text}” is not one of the known values.").format(text=text))
        return None

    def build(self) -> ListedPerson | None:
        v = self.values
        name = v.get("name") or " ".join(
            part for part in (v.get("first_name", ""), v.get("last_name", "")) if part
        )
        if not name:
            self._wrong("name" if "name" in self.columns else "last_name", _("No name."))
        birth_date = self._day("birth_date")
        arrival = self._day("arrival_date")
        first_contact = self._day("first_contact")
        if first_contact is not None and first_contact > self.today:
            self._wrong("first_contact", _("Lies in the future."))
        birth_year: int | None = None
        if v.get("birth_year") and birth_date is None:
            if v["birth_year"].isdigit():
                birth_year = int(v["birth_year"])
            else:
                self._wrong("birth_year", _("Not a year."))
        gender = "unspecified"
        if v.get("gender"):
            word = _key(v["gender"])
            gender = _GENDER_WORDS.get(word) or self._code("gender", "genders", v["gender"]) or ""
        nationalities: list[str] = []
        stateless = False
        for part in filter(None, _SPLIT.split(v.get("nationalities", ""))):
            if _key(part) in _STATELESS:
                stateless = True
            elif len(part) == 2 and part.isalpha():
                nationalities.append(part.upper())
            elif (code := self._code("nationalities", "countries", part)) is not None:
                nationalities.append(code)
        languages = [
            code
            for part in filter(None, _SPLIT.split(v.get("languages", "")))
            if (code := self._code("languages", "languages", part)) is not None
        ]
        status: str | None = "unknown"
        if v.get("residence_status"):
            status = self._code("residence_status", "residence_statuses", v["residence_status"])
        minutes = self.minutes
        if v.get("minutes"):
            if v["minutes"].isdigit() and 0 < int(v["minutes"]) <= 24 * 60:
                minutes = int(v["minutes"])
            else:
                self._wrong("minutes", _("Not a number of minutes."))
        if self.problems:
            return None
        try:
            person = Person(
                name=name,
                birth_date=birth_date,
                birth_year=birth_year,
                gender=gender,
                nationalities=tuple(dict.fromkeys(nationalities)),
                stateless=stateless,
                residence_status=status or "unknown",
                arrival_date=arrival,
                languages=tuple(dict.fromkeys(languages)),
                phone=v.get("phone", ""),
                email=v.get("email", ""),
                address=v.get("address", ""),
            )
            person.validate(self.ref)
            person.entry_check()
            contact = None
            if first_contact is not None:
                contact = Contact(
                    person_id=person.id,
                    contacted_on=first_contact,
                    duration_minutes=minutes,
                    mode="office",
                    note=FIRST_CONTACT_NOTE,
                )
                contact.validate(self.ref)
                contact.entry_check()
        except ValidationError as error:
            self._wrong(_field_of(error.field), str(error.message))
            return None
        return ListedPerson(self.number, person, contact)


def _field_of(field: str) -> str:
    """The list's column for a person field a check named (``contacted_on`` is the list's
    first-contact day)."""
    return {"contacted_on": "first_contact", "duration_minutes": "minutes"}.get(field, field)
