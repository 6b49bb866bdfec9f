"""The catalog read where a message is looked up translates exactly as gettext's own."""

from __future__ import annotations

import gettext
import io
import struct

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.i18n import translations_dir, translator
from kisi_desktop.core.mo_catalog import LazyTranslations, MoCatalog

# Messages as the app writes them: any text without NUL (gettext's separator) or EOT
# (its context mark), non-empty (the empty message is the header).
message_text = st.text(
    alphabet=st.characters(blacklist_characters="\x00\x04", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=30,
)


def _mo(singulars: dict[str, str], plurals: dict[str, tuple[str, str, str]]) -> bytes:
    catalog = Catalog(locale="de")
    for msgid, msgstr in singulars.items():
        catalog.add(msgid, msgstr)
    for singular, (plural, one, many) in plurals.items():
        catalog.add((singular, plural), (one, many))
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _both(data: bytes) -> tuple[gettext.GNUTranslations, LazyTranslations]:
    return gettext.GNUTranslations(io.BytesIO(data)), LazyTranslations(io.BytesIO(data))


@settings(max_examples=60, deadline=None)
@given(
    singulars=st.dictionaries(message_text, message_text, max_size=25),
    plurals=st.dictionaries(message_text, st.tuples(message_text, message_text, message_text)),
    missing=st.lists(message_text, max_size=5),
)
def test_every_message_and_every_miss_as_gettext_has_it(
    singulars: dict[str, str],
    plurals: dict[str, tuple[str, str, str]],
    missing: list[str],
) -> None:
    singulars = {k: v for k, v in singulars.items() if k not in plurals}  # (one entry an id)
    full, lazy = _both(_mo(singulars, plurals))
    assert isinstance(lazy._catalog, MoCatalog)  # (read in place, not whole)
    for msgid in [*singulars, *plurals, *missing]:
        assert lazy.gettext(msgid) == full.gettext(msgid)
        for n in (0, 1, 2, 5):
            assert lazy.ngettext(msgid, msgid + "s", n) == full.ngettext(msgid, msgid + "s", n)
    assert dict(lazy._catalog) == full._catalog


def test_the_shipped_catalogs_translate_as_gettext_does() -> None:
    for language in ("de", "en"):
        path = translations_dir() / language / "LC_MESSAGES" / "kisi.mo"
        full, lazy = _both(path.read_bytes())
        assert isinstance(lazy._catalog, MoCatalog)
        for key, text in full._catalog.items():
            if isinstance(key, str):
                assert lazy.gettext(key) == text
            else:
                assert lazy._catalog[key] == text
        assert lazy._info == full._info
    german = translator("de")
    assert isinstance(german, LazyTranslations)
    assert german.gettext("People") == "Personen"
    assert german.ngettext("{n} participant", "{n} participants", 2) == "{n} Teilnehmende"


def _unsorted_mo(pairs: list[tuple[bytes, bytes]]) -> bytes:
    """A .mo file with its messages in the order given (msgfmt and Babel sort them)."""
    count = len(pairs)
    header = 7 * 4
    originals_at, translations_at = header, header + 8 * count
    strings_at = translations_at + 8 * count
    table_o, table_t, blob = [], [], b""
    for original, translation in pairs:
        table_o += [len(original), strings_at + len(blob)]
        blob += original + b"\x00"
        table_t += [len(translation), strings_at + len(blob)]
        blob += translation + b"\x00"
    return (
        struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, 0)
        + struct.pack(f"<{2 * count}I", *table_o)
        + struct.pack(f"<{2 * count}I", *table_t)
        + blob
    )


def test_a_catalog_not_sorted_is_read_whole_and_still_translates() -> None:
    header = b"Content-Type: text/plain; charset=UTF-8\n"
    data = _unsorted_mo([(b"", header), (b"Save", b"Speichern"), (b"Lock", b"Sperren")])
    full, lazy = _both(data)
    assert not isinstance(lazy._catalog, MoCatalog)
    assert lazy.gettext("Lock") == full.gettext("Lock") == "Sperren"
    assert lazy.gettext("Save") == "Speichern"


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00" * 40, struct.pack("<7I", 0x950412DE, 7 << 16, 0, 28, 28, 0, 0)],
    ids=["empty", "bad magic", "unknown major version"],
)
def test_a_broken_catalog_is_refused_as_gettext_refuses_it(data: bytes) -> None:
    for reader in (gettext.GNUTranslations, LazyTranslations):
        with pytest.raises((OSError, struct.error)):
            reader(io.BytesIO(data))
