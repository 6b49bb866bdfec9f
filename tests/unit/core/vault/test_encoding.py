"""Length-prefixed associated data: pinned bytes and injectivity."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.vault.encoding import length_prefixed

from tests.support.vectors import field_value, load_vector


def test_length_prefixed_vectors() -> None:
    """Pinned bytes: any change here would make every sealed record unreadable."""
    for case in load_vector("seal")["length_prefixed"]:
        fields = [field_value(f) for f in case["fields"]]
        assert length_prefixed(*fields).hex() == case["encoded_hex"]


def test_layout_is_four_byte_length_then_bytes() -> None:
    assert length_prefixed("ab", 1, b"\xff") == (
        b"\x00\x00\x00\x02ab"
        + b"\x00\x00\x00\x08"
        + (1).to_bytes(8, "big")
        + b"\x00\x00\x00\x01\xff"
    )


def test_shifting_a_boundary_changes_the_encoding() -> None:
    assert length_prefixed("ab", "c") != length_prefixed("a", "bc")
    assert length_prefixed("", "abc") != length_prefixed("abc", "")
    assert length_prefixed("abc") != length_prefixed("abc", "")


@pytest.mark.parametrize("bad", [True, False, -1, 2**64, 3.0, None])
def test_values_that_cannot_be_encoded_unambiguously_are_refused(bad: object) -> None:
    with pytest.raises((TypeError, ValueError, OverflowError, struct.error)):
        length_prefixed("x", bad)  # type: ignore[arg-type]


_field = st.one_of(
    st.text(max_size=12),
    st.binary(max_size=12),
    st.integers(min_value=0, max_value=2**64 - 1),
)


def _canonical(fields: list[bytes | str | int]) -> list[bytes]:
    out = []
    for field in fields:
        if isinstance(field, int):
            out.append(field.to_bytes(8, "big"))
        elif isinstance(field, str):
            out.append(field.encode("utf-8"))
        else:
            out.append(field)
    return out


@settings(max_examples=300)
@given(a=st.lists(_field, max_size=6), b=st.lists(_field, max_size=6))
def test_length_prefixed_is_injective(
    a: list[bytes | str | int], b: list[bytes | str | int]
) -> None:
    """Different field lists (as bytes) never give the same associated data."""
    if _canonical(a) != _canonical(b):
        assert length_prefixed(*a) != length_prefixed(*b)
    else:
        assert length_prefixed(*a) == length_prefixed(*b)


@given(raw=st.binary(max_size=40), cuts=st.tuples(st.integers(0), st.integers(0)))
def test_moving_bytes_across_a_field_boundary_is_always_visible(
    raw: bytes, cuts: tuple[int, int]
) -> None:
    """("ab", "c") vs ("a", "bc"): the same bytes split differently never collide."""
    first, second = (cut % (len(raw) + 1) for cut in cuts)
    same = length_prefixed(raw[:first], raw[first:]) == length_prefixed(raw[:second], raw[second:])
    assert same == (first == second)
