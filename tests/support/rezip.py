"""S2 tampering inside a signed ZIP: each byte of each member changed in turn and the ZIP
written again as KISI writes it, so no CRC or length gives the change away and only the
signature can catch it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from kisi_desktop.bundles.safe_zip import write_zip


def each_byte_changed(parts: Mapping[str, bytes]) -> Iterator[tuple[str, int, bytes]]:
    """(member, offset, the whole ZIP again with that byte of that member XOR 0x01)."""
    for name, body in parts.items():
        for offset in range(len(body)):
            changed = bytearray(body)
            changed[offset] ^= 0x01
            yield (
                name,
                offset,
                write_zip([(n, bytes(changed) if n == name else b) for n, b in parts.items()]),
            )
