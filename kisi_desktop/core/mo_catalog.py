"""A gettext catalog that looks each message up in the ``.mo`` file when it is asked for.

Python's :class:`gettext.GNUTranslations` decodes every message of a catalog into a dict
when it opens it: 10-12 ms for the German catalog's 2,700 messages, on the way to every
start's first paint, which shows a few dozen of them. A ``.mo`` file lists its original
messages sorted, so a message is found by binary search in place; the ones found are
kept. Files whose originals are not sorted (the format allows a hash table instead) are
read whole, as gettext reads them.

The format: https://www.gnu.org/software/gettext/manual/html_node/MO-Files.html
"""

from __future__ import annotations

import gettext
import struct
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from itertools import pairwise
from typing import IO, Any

_LITTLE, _BIG = 0x950412DE, 0xDE120495
_NUL = b"\x00"

CatalogKey = str | tuple[str, int]


class MoCatalog(Mapping[CatalogKey, str]):
    """The messages of one ``.mo`` file, keyed as gettext keys them: the message, or
    (the singular, the plural form's index) for plural messages."""

    def __init__(self, data: bytes, charset: str = "utf-8") -> None:
        magic = struct.unpack_from("<I", data)[0]
        if magic not in (_LITTLE, _BIG):
            raise OSError(0, "Bad magic number")
        order = "<" if magic == _LITTLE else ">"
        version, count, originals_at, translations_at = struct.unpack_from(f"{order}IIII", data, 4)
        if version >> 16 not in gettext.GNUTranslations.VERSIONS:
            raise OSError(0, f"Bad version number {version >> 16}")
        self._data = data
        self.charset = charset
        self._count = int(count)
        # (length, offset) pairs, one per message
        self._originals = struct.unpack_from(f"{order}{2 * count}I", data, originals_at)
        self._translations = struct.unpack_from(f"{order}{2 * count}I", data, translations_at)
        self._found: dict[CatalogKey, str] = {}
        ids = [self._original(i) for i in range(count)]
        self.sorted = all(a <= b for a, b in pairwise(ids))

    def __bool__(self) -> bool:
        return self._count > 0

    def header(self) -> str:
        """The catalog's header (the translation of the empty message), or ""."""
        return self.translation(0) if self._original(0) == b"" else ""

    def _original(self, index: int) -> bytes:
        length, offset = self._originals[2 * index], self._originals[2 * index + 1]
        return self._data[offset : offset + length]

    def translation(self, index: int) -> str:
        """The translation at ``index`` (plural forms joined by NUL), decoded."""
        length, offset = self._translations[2 * index], self._translations[2 * index + 1]
        return self._data[offset : offset + length].decode(self.charset)

    def _index(self, original: bytes, *, prefix: bool = False) -> int | None:
        index = bisect_left(range(self._count), original, key=self._original)
        if index == self._count:
            return None
        found = self._original(index)
        if found == original or (prefix and found.startswith(original)):
            return index
        return None

    def __getitem__(self, key: CatalogKey) -> str:
        known = self._found.get(key)
        if known is not None:
            return known
        if isinstance(key, tuple):
            singular, form = key
            # A plural message's original is "singular NUL plural".
            index = self._index(singular.encode(self.charset) + _NUL, prefix=True)
            forms = [] if index is None else self.translation(index).split("\x00")
            if not 0 <= form < len(forms):
                raise KeyError(key)
            text = forms[form]
        else:
            index = self._index(key.encode(self.charset))
            if index is None:
                raise KeyError(key)
            text = self.translation(index)
        self._found[key] = text
        return text

    def __iter__(self) -> Iterator[CatalogKey]:
        for index in range(self._count):
            original = self._original(index).decode(self.charset)
            if "\x00" in original:
                singular = original.split("\x00", 1)[0]
                for form in range(len(self.translation(index).split("\x00"))):
                    yield (singular, form)
            else:
                yield original

    def __len__(self) -> int:
        return sum(1 for _key in self)


class LazyTranslations(gettext.GNUTranslations):
    """:class:`gettext.GNUTranslations` over a :class:`MoCatalog`; pass it as ``class_`` to
    :func:`gettext.translation`. Only the catalog's header is read when it opens."""

    def _parse(self, fp: Any) -> None:  # (a binary file: gettext opens it)
        data = fp.read()
        catalog = MoCatalog(data)
        if not catalog.sorted or not catalog:
            super()._parse(_Rewound(data, fp))  # read whole, as gettext does
            return
        self._read_header(catalog.header())
        catalog.charset = self._charset or "utf-8"
        self._catalog: Any = catalog

    def _read_header(self, header: str) -> None:
        """What gettext takes from the header: its fields, the charset, the plural rule."""
        self._info: dict[str, str] = {}
        self._charset: str | None = None
        self.plural = lambda n: int(n != 1)  # germanic plural, gettext's default
        last = ""
        for line in header.split("\n"):
            line = line.strip()
            if not line:
                continue
            if ":" in line:
                name, value = line.split(":", 1)
                last = name.strip().lower()
                self._info[last] = value.strip()
            elif last:
                self._info[last] += "\n" + line
        content_type = self._info.get("content-type", "")
        if "charset=" in content_type:
            self._charset = content_type.split("charset=")[1].strip()
        plural_forms = self._info.get("plural-forms", "")
        if "plural=" in plural_forms:
            self.plural = gettext.c2py(plural_forms.split(";")[1].split("plural=")[1])


class _Rewound:
    """The bytes already read from a catalog file, readable again (for gettext's parser)."""

    def __init__(self, data: bytes, fp: IO[bytes]) -> None:
        self._data = data
        self.name = getattr(fp, "name", "")

    def read(self) -> bytes:
        return self._data
