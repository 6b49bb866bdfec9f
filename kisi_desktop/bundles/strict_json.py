"""Strict JSON in, canonical JSON out: the only JSON reader and writer for outside files.

Manifests, receipts, provisioning documents and the JSON Lines data files are signed or
hashed byte for byte, so the writer must give one spelling per value (RFC 8785 style: UTF-8,
keys sorted by UTF-16 code units, no whitespace, no floats) and the reader must not accept
what another JSON parser could read differently. :func:`loads` therefore refuses, with a
:class:`~kisi_desktop.bundles.reasons.Rejected` and never another exception:

* anything but UTF-8 (a byte order mark, invalid sequences, escapes of lone surrogates);
* duplicate keys (parsers disagree on which one wins), NaN and Infinity;
* numbers with a fraction or exponent (none of our formats has one) and integers beyond
  :data:`~kisi_desktop.bundles.limits.MAX_JSON_INT` (other languages would round them);
* nesting deeper than the limit - found by a linear pre-scan, before the recursive parser
  runs, so a document of a million ``[`` costs a regex pass, not a stack overflow.

Whitespace and trailing data follow :mod:`json`: whitespace around values is allowed,
anything after the value is not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from itertools import accumulate
from typing import Any

from kisi_desktop.core.i18n import _

from kisi_desktop.bundles import limits
from kisi_desktop.bundles.reasons import MALFORMED, OVERSIZED, Rejected

_BOM = b"\xef\xbb\xbf"

# A JSON string from its opening quote to its closing quote, or to wherever it stops being
# one (the closing quote is optional so that an unterminated string never makes the regex
# backtrack: the pre-scan stays linear on any input).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
# A \uD800-\uDFFF escape somewhere in the text: only then can a lone surrogate appear.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")

_MAX_INT_DIGITS = len(str(limits.MAX_JSON_INT))
_KEY_SHOWN = 40  # characters of a duplicate key quoted in the message


class _Refusal(Exception):
    """A refusal not yet naming the file: :func:`loads` and :func:`loads_lines` add that."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _refuse_float(text: str) -> Any:
    raise _Refusal(
        MALFORMED,
        _("a number with a fraction or exponent ({number})").format(number=text[:_KEY_SHOWN]),
    )


def _refuse_constant(text: str) -> Any:
    raise _Refusal(MALFORMED, _("{constant}, which JSON does not allow").format(constant=text))


def _parse_int(text: str) -> int:
    # The digit count is checked before int() runs: a million digits would otherwise cost
    # quadratic time or hit Python's 4,300-digit guard (a ValueError of its own).
    if len(text) - text.startswith("-") > _MAX_INT_DIGITS or abs(int(text)) > limits.MAX_JSON_INT:
        raise _Refusal(
            OVERSIZED,
            _("a whole number beyond ±{limit}").format(limit=limits.MAX_JSON_INT),
        )
    return int(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _Refusal(
                    MALFORMED,
                    _("the key {key} appears twice").format(key=repr(key[:_KEY_SHOWN])),
                )
            seen.add(key)
    return result


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object,
    parse_float=_refuse_float,
    parse_int=_parse_int,
    parse_constant=_refuse_constant,
    strict=True,  # control characters inside strings are refused
)


def _too_deep(text: str, max_depth: int) -> bool:
    """Whether arrays and objects nest deeper than ``max_depth``, found without parsing."""
    if text.count("[") + text.count("{") <= max_depth:
        return False  # the common case, decided by two C-speed counts
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))  # strings hold no nesting
    return max(accumulate(1 if char in "[{" else -1 for char in brackets), default=0) > max_depth


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _reject(code: str, what: str, problem: str) -> Rejected:
    return Rejected(code, _("{what}: {problem}.").format(what=what, problem=problem))


def _parse(data: bytes, max_depth: int) -> Any:
    """The value in ``data``; raises _Refusal so that the caller can say where."""
    if data.startswith(_BOM):
        raise _Refusal(MALFORMED, _("starts with a byte order mark"))
    try:
        text = data.decode("utf-8")  # strict: also refuses encoded surrogates
    except UnicodeDecodeError as error:
        raise _Refusal(
            MALFORMED, _("not UTF-8 text (byte {offset})").format(offset=error.start)
        ) from None
    if _too_deep(text, max_depth):
        raise _Refusal(OVERSIZED, _("nested more than {limit} levels deep").format(limit=max_depth))
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as error:
        raise _Refusal(
            MALFORMED,
            _("not valid JSON (line {line}, column {column})").format(
                line=error.lineno, column=error.colno
            ),
        ) from None
    except (ValueError, RecursionError):  # pragma: no cover - guarded by the checks above
        raise _Refusal(MALFORMED, _("not valid JSON")) from None
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise _Refusal(MALFORMED, _("contains an unpaired UTF-16 surrogate escape"))
    return value


def loads(
    data: bytes,
    *,
    what: str,
    max_bytes: int = limits.MAX_MANIFEST,
    max_depth: int = limits.MAX_JSON_DEPTH,
) -> Any:
    """The one JSON value in ``data``, read strictly (see the module docstring).

    ``what`` names the file for the message (e.g. ``"manifest.json"``). Raises
    :class:`Rejected` with ``OVERSIZED`` (size, depth, integer range) or ``MALFORMED``.
    """
    if len(data) > max_bytes:
        raise _reject(OVERSIZED, what, _("larger than {limit} bytes").format(limit=max_bytes))
    try:
        return _parse(data, max_depth)
    except _Refusal as refusal:
        raise _reject(refusal.code, what, refusal.message) from None


def loads_lines(
    data: bytes,
    *,
    what: str,
    max_line: int = limits.MAX_JSONL_LINE,
    max_depth: int = 8,
) -> list[Any]:
    """The values of a JSON Lines file: one strict value per line, every line ends in "\\n".

    Empty data is an empty list (a data file with no records). Empty lines, a missing final
    line break and lines longer than ``max_line`` bytes are refused; the message names the
    line number.
    """
    if not data:
        return []
    if not data.endswith(b"\n"):
        raise _reject(MALFORMED, what, _("the last line does not end with a line break"))
    values = []
    for number, line in enumerate(data[:-1].split(b"\n"), start=1):
        try:
            if len(line) > max_line:
                raise _Refusal(OVERSIZED, _("longer than {limit} bytes").format(limit=max_line))
            if not line:
                raise _Refusal(MALFORMED, _("empty line"))
            values.append(_parse(line, max_depth))
        except _Refusal as refusal:
            where = _("{what}, line {line}").format(what=what, line=number)
            raise _reject(refusal.code, where, refusal.message) from None
    return values


def _utf16_order(key: str) -> bytes:
    return key.encode("utf-16-be")  # big-endian bytes compare like UTF-16 code units


def _canonical(value: Any, depth: int) -> Any:
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        if abs(value) > limits.MAX_JSON_INT:
            raise ValueError(f"integer beyond ±{limits.MAX_JSON_INT} cannot be written")
        return value
    if kind is float:
        raise ValueError("floats have no canonical form here; use integers or strings")
    if depth >= limits.MAX_JSON_DEPTH:
        raise ValueError(f"nested deeper than {limits.MAX_JSON_DEPTH} levels (or a cycle)")
    if kind is list:
        return [_canonical(item, depth + 1) for item in value]
    if kind is dict:
        for key in value:
            if type(key) is not str:
                raise TypeError(f"object keys must be str, not {type(key).__name__}")
        try:
            keys = sorted(value, key=_utf16_order)
        except UnicodeEncodeError:
            raise ValueError("an object key contains a lone surrogate") from None
        return {key: _canonical(value[key], depth + 1) for key in keys}
    raise TypeError(f"{kind.__name__} is not one of dict, list, str, int, bool, None")


def dumps(value: Any) -> bytes:
    """Canonical JSON bytes of ``value``: the same value always gives the same bytes.

    Only ``dict`` (``str`` keys), ``list``, ``str``, ``int``, ``bool`` and ``None`` (exact
    types: tuples, enums and other subclasses are a ``TypeError``, so that nothing is
    spelled differently by accident). Floats, integers beyond ``MAX_JSON_INT``, lone
    surrogates and nesting beyond ``MAX_JSON_DEPTH`` are a ``ValueError``: the writer never
    produces what :func:`loads` would refuse.
    """
    text = json.dumps(
        _canonical(value, 0),
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
        check_circular=False,
    )
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("a string contains a lone surrogate") from None


def dumps_lines(values: Iterable[Any]) -> bytes:
    """JSON Lines: the canonical form of each value, each followed by "\\n"."""
    return b"".join(dumps(value) + b"\n" for value in values)
