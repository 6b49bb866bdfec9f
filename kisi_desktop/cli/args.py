"""Shared argument helpers: parse dates, amounts and ids into domain values, build records.

Values are parsed in the handler rather than by argparse ``type=`` functions, so that a bad
value is a user error (exit 1, one line naming the option) like any other refused field.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from kisi_desktop.core.clock import Clock, today
from kisi_desktop.core.domain.fields import parse_date
from kisi_desktop.core.domain.registry import Record
from kisi_desktop.core.errors import RecordNotFound, UserError, ValidationError
from kisi_desktop.core.i18n import _
from kisi_desktop.core.workspace import Workspace

R = TypeVar("R", bound=Record)

_ID_TEXT = re.compile(r"[0-9a-f]{4,32}")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def add_json(parser: argparse.ArgumentParser) -> None:
    """The ``--json`` switch every command offers."""
    parser.add_argument("--json", action="store_true", help=_("print JSON instead of text"))


def free_text(raw: str | None) -> str:
    """A note's text as given; ``-`` reads it from standard input instead. A case note on
    the command line is visible to every account on the machine in the process list (and
    to tools that log command lines) while the command runs; piped in, it is not."""
    if raw is None:
        return ""
    if raw == "-":
        if sys.stdin.isatty():
            print(_("Type the text; end it with Ctrl+D on a line of its own."), file=sys.stderr)
        # UTF-8 whatever the system's code page (Windows pipes decode with the ANSI one).
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else None
        try:
            # "utf-8-sig": Notepad's byte order mark would otherwise stay in the name.
            text = data.decode("utf-8-sig") if data is not None else sys.stdin.read()
        except UnicodeDecodeError:
            raise UserError(
                _(
                    "The text given on standard input is not UTF-8: save it as UTF-8 (in "
                    "Notepad: Save as, Encoding UTF-8) and give it again."
                )
            ) from None
        return text.replace("\r\n", "\n").rstrip("\n")
    return raw


def day(raw: str | None, option: str, clock: Clock | None = None) -> date:
    """An ISO date given for ``option``; today (by ``clock``) when it was left out."""
    if raw is None:
        if clock is None:
            raise ValidationError(option, _("This field is required."))
        return today(clock)
    if raw.strip().lower() in ("today", "heute") and clock is not None:
        return today(clock)
    return _date(raw, option)


def maybe_day(raw: str | None, option: str) -> date | None:
    """An optional date, as :func:`day` reads it."""
    return None if raw is None else _date(raw, option)


def _date(raw: str, option: str) -> date:
    """``2026-03-15``, or ``15.3.2026`` as a German clerk types it (the window takes it
    too; refused, it was the first thing the command said no to). Only with four digits
    of year: a script's date must never be a guess about its century."""
    text = raw.strip()
    if dotted := _GERMAN_DATE.fullmatch(text):
        text = f"{dotted[3]}-{int(dotted[2]):02d}-{int(dotted[1]):02d}"
    return parse_date(text, option)


def amount(raw: str, option: str) -> Decimal:
    """An exact decimal; a decimal comma (``12,50``) is accepted as German users type it."""
    text = raw.strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(option, _("Expected an exact decimal number.")) from None
    if not value.is_finite():
        raise ValidationError(option, _("Expected an exact decimal number."))
    return value


def codes(values: Sequence[str] | None, *, upper: bool = False) -> tuple[str, ...]:
    """Repeated or comma-separated codes, in order, without duplicates."""
    result: list[str] = []
    for value in values or ():
        for part in value.split(","):
            code = part.strip().upper() if upper else part.strip().lower()
            if code and code not in result:
                result.append(code)
    return tuple(result)


def find(ws: Workspace, cls: type[R], text: str) -> R:
    """The record of ``cls`` with id ``text`` or a unique id prefix (at least 4 characters)."""
    key = text.strip().lower()
    if re.fullmatch(r"[0-9a-f]{1,3}", key):
        raise UserError(
            _("The id {id} is too short: give at least 4 of its characters.").format(id=text)
        )
    if _ID_TEXT.fullmatch(key) is None:
        raise RecordNotFound(_("No such record: {id}").format(id=text))
    if len(key) == 32:
        return ws.get(cls, key)
    matches = [record for record in ws.list(cls) if record.id.startswith(key)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise RecordNotFound(_("No such record: {id}").format(id=text))
    raise UserError(_("The id {id} is ambiguous; give more characters.").format(id=text))


def build(cls: type[R], options: Mapping[str, str], **values: Any) -> R:
    """Construct a record; a refused field is reported under its command-line option."""
    try:
        return cls(**values)
    except ValidationError as error:
        raise renamed(error, options) from None


def edit(record: R, options: Mapping[str, str], **changes: Any) -> R:
    """A changed copy of a record; a refused field is reported under its option name."""
    try:
        return dataclasses.replace(record, **changes)  # type: ignore[type-var]  # records are dataclasses; the Protocol cannot say so
    except ValidationError as error:
        raise renamed(error, options) from None


def save(ws: Workspace, records: Sequence[Record], action: str, options: Mapping[str, str]) -> None:
    """Store records as one action; a refused field is reported under its option name."""
    try:
        ws.save(list(records), action)
    except ValidationError as error:
        raise renamed(error, options) from None


def renamed(error: ValidationError, options: Mapping[str, str]) -> ValidationError:
    """The same error with the domain field name replaced by the option the user typed."""
    head, _sep, rest = error.field.partition(".")
    option = options.get(head)
    if option is None:
        return error
    return ValidationError(option + ("." + rest if rest else ""), error.message)


def add_actions(parser: argparse.ArgumentParser) -> Any:
    """The sub-parsers for a noun's actions (``kisi person add|list|...``). The placeholder
    is in the user's language: ``kisi person`` alone answered "diese Argumente fehlen:
    ACTION" in the German help."""
    return parser.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
