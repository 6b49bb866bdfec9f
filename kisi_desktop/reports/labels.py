"""Words of the report tables in German or English: from the message catalog or the data.

KISI's own figures and the needs analysis write their headings, titles and notes as English
msgids and take the German from the catalog, and name codes (target groups, needs, contact
topics) by the reference data's labels; both do it through these few functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import translator


def german(msgid: str) -> str:
    """The German catalog's translation of ``msgid``."""
    return translator("de").gettext(msgid)


def word(msgid: str, language: str) -> str:
    """``msgid`` in ``language``: German from the catalog, else the English msgid itself."""
    return german(msgid) if language == "de" else msgid


def code_label(ref: ReferenceData, enums: Sequence[str], code: str, language: str) -> str:
    """The label from the first enumeration that knows ``code``, else the code itself."""
    for enum in enums:
        if ref.has_code(enum, code):
            return ref.label(enum, code, language)
    return code


def in_ref_order(ref: ReferenceData, enum: str, codes: Iterable[str]) -> list[str]:
    """``codes`` once each in the order of enumeration ``enum``; unknown codes last, sorted."""
    known = list(ref.enum(enum))
    return sorted(set(codes), key=lambda c: (known.index(c) if c in known else len(known), c))
