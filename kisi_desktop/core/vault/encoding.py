"""Length-prefixed encoding of associated data, so no two field lists encode alike."""

from __future__ import annotations

import functools
import struct


def length_prefixed(*fields: bytes | str | int) -> bytes:
    """Encode fields as ``len(4 bytes, big-endian) || bytes`` each.

    Integers become 8-byte big-endian values and strings UTF-8, so ``("ab", "c")`` and
    ``("a", "bc")`` can never produce the same associated data.
    """
    out = bytearray()
    for field in fields:
        if isinstance(field, bool):
            raise TypeError("booleans are not valid associated-data fields")
        if isinstance(field, int):
            raw = struct.pack(">Q", field)
        elif isinstance(field, str):
            raw = field.encode("utf-8")
        else:
            raw = bytes(field)
        out += struct.pack(">I", len(raw))
        out += raw
    return bytes(out)


_LEN8 = b"\x00\x00\x00\x08"


@functools.lru_cache(maxsize=4096)
def _field(text: str) -> bytes:
    """One length-prefixed text field; kinds and key references repeat, so cache them."""
    raw = text.encode("utf-8")
    return struct.pack(">I", len(raw)) + raw


_ID_PREFIX = struct.pack(">I", 32)


def record_aad(
    prefix: bytes, kind: str, rid: str, version: int, key_ref: str, schema_v: int
) -> bytes:
    """``prefix + length_prefixed(kind, rid, version, key_ref, schema_v)``, fast.

    Same bytes as :func:`length_prefixed` (a test pins that); written out because it runs
    once per record at every unlock and every write.
    """
    ib = rid.encode()
    pack = struct.pack
    return b"".join(
        (
            prefix,
            _field(kind),
            _ID_PREFIX if len(ib) == 32 else pack(">I", len(ib)),
            ib,
            _LEN8,
            pack(">Q", version),
            _field(key_ref),
            _LEN8,
            pack(">Q", schema_v),
        )
    )
