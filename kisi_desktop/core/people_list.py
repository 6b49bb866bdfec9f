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
left out (also any past the limit). A person already in the vault (same name, and the
same year of birth where both are known) is not added twice; nor is one listed twice. A
first-contact day becomes a counselling contact on that day, its length and kind as the
list says (else as the guide sets for the whole list, in the office), with a note saying
where it came from. The list itself stays plain text on the disk: the guide is told to
delete it.

Two things spreadsheets do to a list are caught rather than stored wrong. A phone number
typed without spaces is stored by Excel as a number and loses its leading 0 (also in a CSV
it saves): a German mobile or landline number gets the 0 back, "49..." of 12 digits and
more becomes "+49...", and the rows are named for the guide to look at; other digits
without 0 or + (a number from abroad that lost its "+") are refused rather than guessed,
as is one shortened to "1,51E+10". A formula cell whose value was never calculated (a file written
by a script, not saved by Excel or LibreOffice) has no value to read: refused, not read
as empty.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from kisi_desktop.core.domain import Contact, Person
from kisi_desktop.core.domain.before_birth import check_after_birth
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import UserError, ValidationError
from kisi_desktop.core.files import os_error_reason, read_limited
from kisi_desktop.core.i18n import _, ngettext
from kisi_desktop.core.namesakes import name_key, same_person

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 60
# How far past MAX_COLUMNS a heading is read, only to name what is left out.
HEADING_SPAN = 4
MAX_CELL = 2_000
# What an Excel file may unpack to (its XML): a list of 5,000 people needs a few MB.
MAX_UNPACKED = 50 * 1024 * 1024
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
    "contact_mode": (
        "kontaktart",
        "artdeserstkontakts",
        "erstkontaktart",
        "kontaktweg",
        "contactmode",
        "mode",
    ),
}
# Words for the kind of the first contact besides the codes and their labels.
_MODE_WORDS = {
    "büro": "office", "persönlich": "office", "vorort": "office",
    "hausbesuch": "outreach", "aufsuchend": "outreach", "homevisit": "outreach",
    "telefon": "phone", "tel": "phone", "anruf": "phone",
    "email": "messenger_email", "mail": "messenger_email", "messenger": "messenger_email",
    "whatsapp": "messenger_email", "signal": "messenger_email",
    "videoanruf": "video", "videocall": "video",
}  # fmt: skip
_GENDER_WORDS = {
    "w": "female", "weibl": "female", "f": "female", "frau": "female",
    "m": "male", "männl": "male", "mann": "male",
    "d": "diverse", "x": "diverse",
}  # fmt: skip
_STATELESS = {"staatenlos", "stateless", "ungeklärt", "ungeklaert"}
# A phone number Excel stored as a number and wrote in its short form ("1,51123E+10").
_PHONE_SHORTENED = re.compile(r"\d[.,]\d*e\+?\d+", re.IGNORECASE)
# A German number Excel kept as a number, its leading 0 lost: a mobile number (015x, 016x,
# 017x) or a landline of at most 10 digits without the 0.
_GERMAN_WITHOUT_0 = re.compile(r"1[5-7]\d{8,9}|[2-9]\d{5,9}")
# What a cell holds whose formula was never calculated (NUL never occurs in a sheet's XML).
NO_VALUE = "\x00"
_DATE_DE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?")
# Not "und"/"and": "Bosnien und Herzegowina" is one country.
_SPLIT = re.compile(r"\s*[,;/]\s*")
# A multi-byte UTF-8 sequence: a file that has them is UTF-8, even with a damaged byte.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


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
    # (row, the earlier row of the same person): listed twice, added once.
    twice: list[tuple[int, int]]
    problems: list[Problem]
    columns: dict[str, str]
    ignored: list[str]
    # Rows whose phone number had lost its leading 0 (stored as a number) and got it back.
    phones_mended: list[int] = dataclasses.field(default_factory=list)

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
    progress: Callable[[int, int], None] | None = None,
) -> PeopleList:
    """Read and check the list at ``path`` (CSV or XLSX); nothing is stored.
    ``progress(rows checked, rows)`` as it goes (a list of thousands takes seconds).

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
    by_name: dict[str, list[Person]] = {}
    for person in existing:
        by_name.setdefault(name_key(person.name), []).append(person)
    listed_rows: dict[str, list[tuple[int, Person]]] = {}
    order = {title.strip(): index for index, title in enumerate(heading)}  # (left to right)
    people: list[ListedPerson] = []
    mended: list[int] = []
    already: list[tuple[int, str]] = []
    twice: list[tuple[int, int]] = []
    problems: list[Problem] = []
    for number, cells in enumerate(rows, start=2):
        if progress is not None and (number - 2) % 50 == 0:
            progress(number - 2, len(rows))
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            field: cells[index].strip() if index < len(cells) else ""
            for field, index in columns.items()
        }
        row = _Row(number, values, heading, columns, ref, today, first_contact_minutes)
        listed = row.build()
        problems.extend(sorted(row.problems, key=lambda p: order.get(p.column, len(order))))
        if row.phone_mended and listed is not None:
            mended.append(number)
        if listed is None:
            continue
        key = name_key(listed.person.name)
        if any(same_person(listed.person, p) for p in by_name.get(key, [])):
            already.append((number, listed.person.name))
            continue
        earlier = [row for row, p in listed_rows.get(key, []) if same_person(listed.person, p)]
        if earlier:
            twice.append((number, earlier[0]))
            continue
        listed_rows.setdefault(key, []).append((number, listed.person))
        people.append(listed)
    if progress is not None:
        progress(len(rows), len(rows))
    shown = {field: heading[index] for field, index in columns.items()}
    return PeopleList(people, already, twice, problems, shown, ignored, mended)


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


def summary_lines(listed: PeopleList, *, rows: bool = True) -> list[str]:
    """What the list holds, line by line, for the window and the command line alike.

    Args:
        rows: also a line for each person already there and each problem (the window
            shows those in tables of their own).
    """
    contacts = sum(1 for p in listed.people if p.first_contact is not None)
    lines = [
        ngettext(
            "{n} person to add, {c} with a first contact.",
            "{n} people to add, {c} of them with a first contact.",
            len(listed.people),
        ).format(n=len(listed.people), c=contacts)
    ]
    if listed.columns:
        lines.append(_("Columns read: {names}").format(names=", ".join(listed.columns.values())))
    if listed.ignored:
        lines.append(_("Columns left out: {names}").format(names=", ".join(listed.ignored)))
    if listed.twice:
        twice = ", ".join(str(row) for row, _earlier in listed.twice)
        lines.append(_("Listed twice, added once: rows {rows}").format(rows=twice))
    if listed.phones_mended:
        lines.append(
            _(
                "Phone numbers stored as numbers had lost their leading 0; it was put back "
                "(please check): rows {rows}"
            ).format(rows=_rows_text(listed.phones_mended))
        )
    if not rows:
        return lines
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


def _rows_text(rows: Sequence[int], shown: int = 20) -> str:
    """Row numbers for a line: the first ``shown`` of them, then how many more."""
    text = ", ".join(str(row) for row in rows[:shown])
    if len(rows) > shown:
        text += " " + _("and {n} more").format(n=len(rows) - shown)
    return text


def added_message(n: int) -> str:
    """What to say once ``n`` people were added: how many, and that the list file, plain
    text on the disk, should go now (window and command line alike)."""
    return ngettext(
        "{n} person added. The list itself is not encrypted: delete it now, and empty the "
        "wastebasket.",
        "{n} people added. The list itself is not encrypted: delete it now, and empty the "
        "wastebasket.",
        n,
    ).format(n=n)


# ---------------------------------------------------------------------- reading the file
def read_table(path: Path) -> list[list[str]]:
    """The cells of the file as text, row by row (Excel: the first sheet)."""
    try:
        data = read_limited(path, MAX_BYTES)
    except FileNotFoundError:
        raise UserError(
            _("There is no list {path}: check its name and folder.").format(path=path)
        ) from None
    except OSError as error:
        # In words, not the system's English ("No such file or directory" was shown).
        raise UserError(
            _("The list {path} cannot be read: {reason}").format(
                path=path.name, reason=os_error_reason(error)
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
        # The heading keeps its columns past the limit, to name them as left out.
        cells = cells[: MAX_COLUMNS * (HEADING_SPAN if not table else 1)]
        if table or any(cell.strip() for cell in cells):  # (empty rows above the heading)
            table.append([cell[:MAX_CELL] for cell in cells])
    return table


def _csv_rows(data: bytes, path: Path) -> Iterable[list[str]]:
    text = _decoded(data[3:] if data.startswith(b"\xef\xbb\xbf") else data, path)
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


def _decoded(data: bytes, path: Path) -> str:
    """UTF-8, or Windows-1252 (Excel's "CSV" on German Windows); never a guess that turns
    names into garbage: a UTF-8 file with a damaged byte is refused, naming its line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _UTF8_SEQUENCE.search(data):  # (real UTF-8 around the damage: not Windows-1252)
            line = data[: error.start].count(b"\n") + 1
            raise UserError(
                _(
                    "Line {line} of {path} holds a character that cannot be read. Save "
                    "the list again as “CSV UTF-8” and import it again."
                ).format(line=line, path=path.name)
            ) from None
    text = data.decode("cp1252", errors="replace")
    if "\ufffd" in text:  # (bytes Windows-1252 leaves undefined)
        line = text[: text.index("\ufffd")].count("\n") + 1
        raise UserError(
            _(
                "Line {line} of {path} holds a character that cannot be read. Save "
                "the list again as “CSV UTF-8” and import it again."
            ).format(line=line, path=path.name)
        )
    return text


def _xlsx_rows(data: bytes, path: Path) -> Iterator[list[str]]:
    """The first sheet's rows. The workbook is refused unread when it would unpack to more
    than :data:`MAX_UNPACKED` (openpyxl reads its shared strings whole: a small file
    could fill the laptop's memory); anything the reader trips over is a reason, not a
    crash."""
    # Imported here: only a list needs it, and it costs the start of every command.
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _no_list(path, error) from None
    if unpacked > MAX_UNPACKED:
        raise UserError(
            _("The list {path} is larger than {mb} MB.").format(
                path=path.name, mb=MAX_UNPACKED // (1024 * 1024)
            )
        )
    books = []
    try:
        books.append(load_workbook(io.BytesIO(data), **_READ_VALUES))
        if _has_formulas(data):
            # Read a second time with the formulas, only to know which cells had no value.
            books.append(load_workbook(io.BytesIO(data), **_READ_FORMULAS))
    except Exception as error:  # a workbook is a zip of XML: any part can be broken
        for book in books:
            book.close()
        raise _no_list(path, error) from None
    span = MAX_COLUMNS * HEADING_SPAN
    try:
        if len(books) == 1:
            for values in books[0].worksheets[0].iter_rows(values_only=True):
                yield [_cell_text(value) for value in values[:span]]
            return
        # Cells, not values: a formula whose result is empty text has the type "str"; one
        # never calculated has none (both have no value).
        cells = books[0].worksheets[0].iter_rows()
        formulas = books[1].worksheets[0].iter_rows(values_only=True)
        for row, written in zip(cells, formulas, strict=False):
            yield [
                NO_VALUE if _never_calculated(cell, formula) else _cell_text(cell.value)
                for cell, formula in itertools.zip_longest(row[:span], written[:span])
            ]
    except UserError:
        raise
    except Exception as error:
        raise _no_list(path, error) from None
    finally:
        for book in books:
            book.close()


_READ_VALUES = {"read_only": True, "data_only": True, "keep_links": False}
_READ_FORMULAS = {"read_only": True, "data_only": False, "keep_links": False}


def _has_formulas(data: bytes) -> bool:
    """Whether any sheet of the workbook holds a formula (most lists hold none, and are
    read once). The archive was measured before: it unpacks to at most MAX_UNPACKED."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                xml = archive.read(member)
                if b"<f>" in xml or b"<f " in xml or b":f>" in xml or b":f " in xml:
                    return True
    return False


def _never_calculated(cell: object, formula: object) -> bool:
    """A formula cell without a stored result (a file written by a script, not saved by
    Excel or LibreOffice): its value would read as empty."""
    if getattr(cell, "value", None) is not None or getattr(cell, "data_type", "n") != "n":
        return False
    # An array formula comes as an object holding its text.
    text = formula if isinstance(formula, str) else getattr(formula, "text", None)
    return isinstance(text, str) and text.startswith("=")


def _no_list(path: Path, error: BaseException) -> UserError:
    return UserError(
        _("{path} is not a CSV or Excel list ({reason}).").format(
            path=path.name, reason=type(error).__name__
        )
    )


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
        field = lookup.get(_key(title)) if index < MAX_COLUMNS else None
        if field is None or field in columns:
            if title.strip():
                ignored.append(title.strip())
            continue
        columns[field] = index
    return columns, ignored


def _number(text: str) -> int | None:
    """A whole number written with the digits 0-9 only ("²" counts as a digit to Python)."""
    return int(text) if text.isascii() and text.isdigit() else None


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
        self.phone_mended = False

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

    def _phone(self) -> str:
        """The phone number, with the leading 0 back that Excel drops from a number."""
        text = self.values.get("phone", "")
        if _PHONE_SHORTENED.fullmatch(text):
            self._wrong(
                "phone",
                _(
                    "“{text}” was shortened by the spreadsheet: format the column as text "
                    "and type the number again."
                ).format(text=text),
            )
            return ""
        if _number(text) is None or text.startswith("0"):
            return text
        if _GERMAN_WITHOUT_0.fullmatch(text):
            self.phone_mended = True
            return f"0{text}"
        if text.startswith("49") and len(text) >= 12:
            self.phone_mended = True
            return f"+{text}"
        # Longer: a number from abroad that lost its "+" (963…, 380…, 93…)? Not guessed.
        self._wrong(
            "phone",
            _(
                "“{text}” has neither 0 nor +: write it with + and the country code "
                "(e.g. +963…), or with its leading 0."
            ).format(text=text),
        )
        return ""

    def _mode(self) -> str:
        text = self.values.get("contact_mode", "")
        if not text:
            return "office"
        return (
            _MODE_WORDS.get(_key(text)) or self._code("contact_mode", "contact_modes", text) or ""
        )

    def build(self) -> ListedPerson | None:
        v = self.values
        for field, text in v.items():
            if text == NO_VALUE:
                self._wrong(
                    field,
                    _(
                        "A formula without a calculated value: open the list in Excel or "
                        "LibreOffice, save it, and read it again."
                    ),
                )
        if self.problems:
            return None
        name = v.get("name") or " ".join(
            part for part in (v.get("first_name", ""), v.get("last_name", "")) if part
        )
        if not name:
            self._wrong("name" if "name" in self.columns else "last_name", _("No name."))
        birth_date = self._day("birth_date")
        arrival = self._day("arrival_date")
        first_contact = self._day("first_contact")
        for field, day in (("birth_date", birth_date), ("arrival_date", arrival),
                           ("first_contact", first_contact)):  # fmt: skip
            if day is not None and day > self.today:  # (as the People form refuses)
                self._wrong(field, _("Lies in the future."))
        birth_year: int | None = None
        if v.get("birth_year") and birth_date is None:
            if _number(v["birth_year"]) is None:
                self._wrong("birth_year", _("Not a year."))
            elif (birth_year := int(v["birth_year"])) > self.today.year:
                self._wrong("birth_year", _("Lies in the future."))
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
        phone = self._phone()
        mode = self._mode()
        minutes = self.minutes
        if v.get("minutes"):
            if (given := _number(v["minutes"])) is not None and 0 < given <= 24 * 60:
                minutes = given
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
                phone=phone,
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
                    mode=mode,
                    note=FIRST_CONTACT_NOTE,
                )
                contact.validate(self.ref)
                contact.entry_check()
                check_after_birth(contact, person)
        except ValidationError as error:
            self._wrong(_field_of(error.field), str(error.message))
            return None
        return ListedPerson(self.number, person, contact)


def _field_of(field: str) -> str:
    """The list's column for a person field a check named (``contacted_on`` is the list's
    first-contact day)."""
    names = {"contacted_on": "first_contact", "duration_minutes": "minutes", "mode": "contact_mode"}
    return names.get(field, field)
