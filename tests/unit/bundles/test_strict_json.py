"""Strict JSON: canonical bytes out, and hostile documents refused with a reason code."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles import limits
from kisi_desktop.bundles.reasons import MALFORMED, OVERSIZED, Rejected
from kisi_desktop.bundles.strict_json import dumps, dumps_lines, loads, loads_lines


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    """Reasons are checked in English, the catalogs' source language."""
    set_ui_language("en")


INTS = st.integers(min_value=-limits.MAX_JSON_INT, max_value=limits.MAX_JSON_INT)
SCALARS = st.none() | st.booleans() | INTS | st.text()
ANY_KEY = st.text()


def json_values(keys: st.SearchStrategy[str] = ANY_KEY) -> st.SearchStrategy[Any]:
    """Every value our formats can hold (no floats), nested well inside the depth limit."""
    return st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=5),
        max_leaves=20,
    )


def _same(a: Any, b: Any) -> bool:
    """Equal including the difference between True and 1."""
    return dumps(a) == dumps(b)


# ---------------------------------------------------------------------------------------
# Writer
# ---------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(json_values())
def test_what_we_write_reads_back_as_the_same_value(value: Any) -> None:
    encoded = dumps(value)
    assert _same(loads(encoded, what="x"), value)
    assert json.loads(encoded) == value  # and any JSON parser reads the same
    assert dumps(json.loads(encoded)) == encoded  # one spelling per value


@settings(max_examples=200, deadline=None)
@given(json_values(keys=st.text(st.characters(max_codepoint=0xD7FF))))
def test_canonical_form_is_sorted_keys_without_whitespace(value: Any) -> None:
    # Below U+D800 code point order and UTF-16 order agree, so Python's sort_keys applies.
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert dumps(value) == expected.encode("utf-8")


def test_keys_are_sorted_by_utf16_code_units_as_rfc_8785_shows() -> None:
    # RFC 8785 section 3.2.3: the emoji (a surrogate pair) sorts before U+FB33.
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter",
        "1": "One",
        "\U0001f600": "Emoji",
        "\u0080": "Control",
        "\u00f6": "o umlaut",
    }
    assert list(json.loads(dumps(value)).values()) == [
        "Carriage Return",
        "One",
        "Control",
        "o umlaut",
        "Euro Sign",
        "Emoji",
        "Hebrew Letter",
    ]


def test_canonical_strings_escape_only_what_json_requires() -> None:
    text = 'a"b\\c\n\t\x00\x1f\x7f é € \U0001f600 \u2028'
    assert dumps(text) == '"a\\"b\\\\c\\n\\t\\u0000\\u001f\x7f é € \U0001f600 \u2028"'.encode()
    assert dumps({"b": [True, None, -0], "a": {}}) == b'{"a":{},"b":[true,null,0]}'


def test_json_lines_are_one_canonical_value_per_line() -> None:
    assert dumps_lines([{"b": 1, "a": 2}, [], "x"]) == b'{"a":2,"b":1}\n[]\n"x"\n'
    assert dumps_lines([]) == b""


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (1.5, ValueError),
        (float("nan"), ValueError),
        ({"a": [0.0]}, ValueError),
        (limits.MAX_JSON_INT + 1, ValueError),
        (-limits.MAX_JSON_INT - 1, ValueError),
        ("\ud800", ValueError),
        ({"\udc00": 1}, ValueError),
        ((1, 2), TypeError),
        ({1: "a"}, TypeError),
        (b"bytes", TypeError),
        ({"set"}, TypeError),
    ],
    ids=repr,
)
def test_writer_refuses_values_the_reader_would_refuse(value: Any, error: type) -> None:
    with pytest.raises(error):
        dumps(value)


def test_writer_refuses_deep_nesting_and_cycles() -> None:
    deep: list[Any] = []
    for _ in range(limits.MAX_JSON_DEPTH - 1):
        deep = [deep]
    assert loads(dumps(deep), what="x") == deep  # 32 levels: fine
    with pytest.raises(ValueError, match="deeper"):
        dumps([deep])
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="deeper"):
        dumps(cycle)


# ---------------------------------------------------------------------------------------
# Reader: agreement with Python's json on valid documents
# ---------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(json_values(), st.sampled_from([None, 0, 2, "\t"]), st.booleans())
def test_reader_agrees_with_python_json_on_any_formatting(
    value: Any, indent: int | str | None, ascii_only: bool
) -> None:
    document = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    for data in (document.encode(), f" \r\n\t{document}\n ".encode()):
        assert _same(loads(data, what="x"), json.loads(data))


@settings(max_examples=500, deadline=None)
@given(json_values(), st.data())
def test_changed_documents_are_read_like_json_or_refused(value: Any, data: st.DataObject) -> None:
    document = bytearray(dumps(value))
    position = data.draw(st.integers(0, len(document)))
    document[position:position] = data.draw(st.binary(min_size=1, max_size=3))
    try:
        result = loads(bytes(document), what="x")
    except Rejected as refusal:
        assert refusal.code in (MALFORMED, OVERSIZED)
    else:  # whatever strict JSON accepts, Python's json reads the same way
        assert _same(result, json.loads(bytes(document)))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_arbitrary_bytes_never_raise_anything_but_rejected(data: bytes) -> None:
    try:
        loads(data, what="x")
    except Rejected:
        pass


# ---------------------------------------------------------------------------------------
# Reader: the hostile corpus
# ---------------------------------------------------------------------------------------

DEEP = 10**5
HOSTILE: list[tuple[str, bytes, str, str]] = [
    ("depth 10^5 arrays", b"[" * DEEP + b"]" * DEEP, OVERSIZED, "nested more than 32"),
    ("depth 10^5 objects", b'{"a":' * DEEP + b"1" + b"}" * DEEP, OVERSIZED, "nested"),
    ("10^6 unclosed brackets", b"[" * 10**6, OVERSIZED, "nested"),
    ("depth 33", b"[" * 33 + b"]" * 33, OVERSIZED, "nested more than 32"),
    ("duplicate key", b'{"a":1,"a":2}', MALFORMED, "the key 'a' appears twice"),
    ("duplicate key, nested", b'[{"x":{"k":1,"k":1}}]', MALFORMED, "appears twice"),
    ("duplicate key, escaped", b'{"a":1,"\\u0061":2}', MALFORMED, "appears twice"),
    ("10^6-digit int", b"9" * 10**6, OVERSIZED, "whole number beyond"),
    ("5000-digit int", b"[-" + b"1" * 5000 + b"]", OVERSIZED, "whole number beyond"),
    ("2^63", str(2**63).encode(), OVERSIZED, "whole number beyond"),
    ("-2^63", str(-(2**63)).encode(), OVERSIZED, "whole number beyond"),
    ("NaN", b"[NaN]", MALFORMED, "NaN, which JSON does not allow"),
    ("Infinity", b'{"a":Infinity}', MALFORMED, "Infinity"),
    ("-Infinity", b"-Infinity", MALFORMED, "-Infinity"),
    ("float", b"[1.5]", MALFORMED, "fraction or exponent"),
    ("exponent", b"1e5", MALFORMED, "fraction or exponent"),
    ("huge exponent", b"1E400", MALFORMED, "fraction or exponent"),
    ("zero float", b"0.0", MALFORMED, "fraction or exponent"),
    ("BOM", b'\xef\xbb\xbf{"a":1}', MALFORMED, "byte order mark"),
    ("UTF-16 with BOM", '{"a":1}'.encode("utf-16"), MALFORMED, "not UTF-8"),
    ("invalid UTF-8", b'"\xff"', MALFORMED, "not UTF-8 text (byte 1)"),
    ("overlong UTF-8", b'"\xc0\xaf"', MALFORMED, "not UTF-8"),
    ("cut UTF-8", b'"\xe2\x82"', MALFORMED, "not UTF-8"),
    ("encoded surrogate", b'"\xed\xa0\x80"', MALFORMED, "not UTF-8"),
    ("Latin-1", b'{"k":"Stra\xdfe"}', MALFORMED, "not UTF-8"),
    ("lone high surrogate", b'"\\ud800"', MALFORMED, "unpaired UTF-16 surrogate"),
    ("lone low surrogate", b'["\\uDC00"]', MALFORMED, "surrogate"),
    ("high then letter", b'"\\ud83dA"', MALFORMED, "surrogate"),
    ("pair reversed", b'"\\ude00\\ud83d"', MALFORMED, "surrogate"),
    ("surrogate in key", b'{"\\ud800":1}', MALFORMED, "surrogate"),
    ("trailing value", b"{} {}", MALFORMED, "not valid JSON (line 1, column 4)"),
    ("trailing junk", b'{"a":1}x', MALFORMED, "not valid JSON"),
    ("extra bracket", b"[]]", MALFORMED, "not valid JSON"),
    ("empty", b"", MALFORMED, "not valid JSON"),
    ("only whitespace", b" \n", MALFORMED, "not valid JSON"),
    ("trailing comma", b"[1,]", MALFORMED, "not valid JSON"),
    ("single quotes", b"{'a':1}", MALFORMED, "not valid JSON"),
    ("raw control char", b'"a\nb"', MALFORMED, "not valid JSON"),
    ("unterminated string", b'"\\"' * 300_000, MALFORMED, "not valid JSON"),
    ("unterminated, brackets", b'"[' * 300_000, OVERSIZED, "nested"),
    ("comment", b"[1] // no", MALFORMED, "not valid JSON"),
    ("leading zero", b"[01]", MALFORMED, "not valid JSON"),
    ("plus sign", b"+1", MALFORMED, "not valid JSON"),
    ("too large", b" " * limits.MAX_MANIFEST + b"1", OVERSIZED, "larger than 1048576 bytes"),
]


@pytest.mark.parametrize(
    ("data", "code", "reason"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE]
)
def test_hostile_documents_are_refused_quickly_with_a_reason(
    data: bytes, code: str, reason: str
) -> None:
    started = time.perf_counter()
    with pytest.raises(Rejected) as refused:
        loads(data, what="manifest.json")
    assert time.perf_counter() - started < 1.0
    assert refused.value.code == code
    assert str(refused.value).startswith("manifest.json: ")
    assert reason in str(refused.value)


@pytest.mark.parametrize(
    ("data", "value"),
    [
        (b"[" * 32 + b"]" * 32, json.loads("[" * 32 + "]" * 32)),
        (b'["' + b"[" * 100 + b'"]', ["[" * 100]),  # brackets in strings are not nesting
        (b'"\\\\\\"[[["', '\\"[[['),
        (b'"\\ud83d\\ude00"', "\U0001f600"),  # a surrogate pair is one character
        (b'"\\\\ud800"', "\\ud800"),  # an escaped backslash, then text
        (str(limits.MAX_JSON_INT).encode(), limits.MAX_JSON_INT),
        (str(-limits.MAX_JSON_INT).encode(), -limits.MAX_JSON_INT),
        (b"-0", 0),
        (b' \t\r\n{"a" : [ 1 , true , null ] }\n', {"a": [1, True, None]}),
        ('{"Straße":"ሰላም"}'.encode(), {"Straße": "ሰላም"}),
    ],
    ids=repr,
)
def test_edge_cases_that_are_valid_json_are_read(data: bytes, value: Any) -> None:
    assert _same(loads(data, what="x"), value)


def test_limits_can_be_tightened_per_call() -> None:
    with pytest.raises(Rejected) as refused:
        loads(b"[[1]]", what="receipt.json", max_depth=1)
    assert refused.value.code == OVERSIZED
    with pytest.raises(Rejected) as refused:
        loads(b"[1, 2]", what="receipt.json", max_bytes=5)
    assert (refused.value.code, str(refused.value)) == (
        OVERSIZED,
        "receipt.json: larger than 5 bytes.",
    )


# ---------------------------------------------------------------------------------------
# JSON Lines
# ---------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(json_values(), max_size=8))
def test_json_lines_round_trip(values: list[Any]) -> None:
    assert _same(loads_lines(dumps_lines(values), what="x", max_depth=32), values)


def test_an_empty_data_file_has_no_records() -> None:
    assert loads_lines(b"", what="data/contacts.jsonl") == []


LINES_HOSTILE: list[tuple[str, bytes, str, str]] = [
    ("no final newline", b'{"a":1}\n{"a":2}', MALFORMED, "does not end with a line break"),
    ("empty line", b"{}\n\n{}\n", MALFORMED, "line 2: empty line"),
    ("only a newline", b"\n", MALFORMED, "line 1: empty line"),
    ("blank line", b"{}\n \n", MALFORMED, "line 2: not valid JSON"),
    ("two values on a line", b"{}\n{} {}\n", MALFORMED, "line 2: not valid JSON"),
    ("value over two lines", b'{"a":\n1}\n', MALFORMED, "line 1: not valid JSON"),
    ("long line", b'"' + b"a" * limits.MAX_JSONL_LINE + b'"\n', OVERSIZED, "line 1: longer"),
    ("deep line", b"{}\n" + b"[" * 9 + b"]" * 9 + b"\n", OVERSIZED, "line 2: nested"),
    ("depth 30000", b"[" * 30_000 + b"]" * 30_000 + b"\n", OVERSIZED, "line 1: nested"),
    ("BOM", b"\xef\xbb\xbf{}\n", MALFORMED, "byte order mark"),
    ("duplicate key", b'{}\n{}\n{"a":1,"a":1}\n', MALFORMED, "line 3: the key 'a' appears"),
    ("float", b"[1]\n[1.0]\n", MALFORMED, "line 2: a number with a fraction"),
    ("invalid UTF-8", b'"\xfe"\n', MALFORMED, "not UTF-8"),
    ("lone surrogate", b'"\\udfff"\n', MALFORMED, "surrogate"),
    ("big int", b"1" * 10**6 + b"\n", OVERSIZED, "longer than"),
]


@pytest.mark.parametrize(
    ("data", "code", "reason"),
    [case[1:] for case in LINES_HOSTILE],
    ids=[case[0] for case in LINES_HOSTILE],
)
def test_hostile_json_lines_are_refused_naming_the_line(
    data: bytes, code: str, reason: str
) -> None:
    started = time.perf_counter()
    with pytest.raises(Rejected) as refused:
        loads_lines(data, what="data/contacts.jsonl")
    assert time.perf_counter() - started < 1.0
    assert refused.value.code == code
    assert str(refused.value).startswith("data/contacts.jsonl")
    assert reason in str(refused.value)


def test_a_large_data_file_is_read_quickly() -> None:
    records = [
        {"id": f"c{n:06d}", "minutes": n % 120, "topics": ["housing", "school"]}
        for n in range(20_000)
    ]
    data = dumps_lines(records)
    started = time.perf_counter()
    assert loads_lines(data, what="data/contacts.jsonl") == records
    assert time.perf_counter() - started < 1.0
