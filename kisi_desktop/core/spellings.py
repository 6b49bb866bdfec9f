"""Letters and spellings that stand for the same name, so that a search finds it either way.

Two families of near-misses came up in casework:

* German umlauts and ß are written out where a keyboard, a passport or an office's form has
  no umlauts: "Mueller" for "Müller", "Strasse" for "Straße" (DIN 5007-2 treats them as
  equal). A guide types one, the record holds the other.
* Names in Arabic script are typed on Arabic or Persian keyboards, whose yeh and kaf are
  different characters that look alike (علي / علی, كريمي / کریمی); alef is written with or
  without hamza (أحمد / احمد) and a final ta marbuta as heh (فاطمة / فاطمه), depending on
  who wrote the name down. Search engines for these languages treat them as one letter.

Both the search index (core/store/working_set.py) and the typed filter of the People list
use what is here, so that the two find the same people.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence

ARABIC_LETTERS: dict[int, str] = {
    0x064A: "\u06cc",  # Arabic yeh -> Farsi yeh
    0x0649: "\u06cc",  # alef maksura -> Farsi yeh
    0x0626: "\u06cc",  # yeh with hamza above -> Farsi yeh
    0x0643: "\u06a9",  # Arabic kaf -> keheh (Persian kaf)
    0x0622: "\u0627",  # alef with madda -> alef
    0x0623: "\u0627",  # alef with hamza above -> alef
    0x0625: "\u0627",  # alef with hamza below -> alef
    0x0671: "\u0627",  # alef wasla -> alef
    0x0624: "\u0648",  # waw with hamza above -> waw
    0x0629: "\u0647",  # ta marbuta -> heh
    0x06C1: "\u0647",  # heh goal (Urdu, Pashto) -> heh
}
"""Arabic-script letters folded into the one a Persian keyboard types (a map for
``str.translate``)."""

# An umlaut or ß and its spelling without one; each side is matched in what was typed.
_OTHER_SPELLING = {
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "ß": "ss",
    "ae": "ä",
    "oe": "ö",
    "ue": "ü",
    "ss": "ß",
}
_SPELT = re.compile("ä|ö|ü|ß|ae|oe|ue|ss")
# A word with more places than this gets two spellings (as typed, every place swapped)
# instead of every mix of them.
_MIXED_UP_TO = 3
_LIST_FOLD = {**ARABIC_LETTERS, ord("ı"): "i"}


def german_spellings(word: str) -> tuple[str, ...]:
    """``word`` (NFC) as typed, then lower-cased with umlauts and ß written the other way.

    "Müller" gives ("Müller", "mueller"); "Mueller" gives ("Mueller", "müller"), which
    finds "Müller" too. A word that holds "ae", "ue" or "ss" without meaning an umlaut
    ("Michael", "Manuel") also finds the same name with one ("Michäl"): a few more hits,
    never fewer.
    """
    lower = word.lower()
    pieces = _SPELT.split(lower)
    if len(pieces) == 1:
        return (word,)
    places = _SPELT.findall(lower)
    choices: Iterable[Sequence[str]]
    if len(places) <= _MIXED_UP_TO:
        choices = itertools.product(*((place, _OTHER_SPELLING[place]) for place in places))
    else:
        choices = (places, [_OTHER_SPELLING[place] for place in places])
    found = [word]
    seen = {lower}
    for chosen in choices:
        spelt = "".join(
            piece + (chosen[i] if i < len(chosen) else "") for i, piece in enumerate(pieces)
        )
        if spelt not in seen:
            seen.add(spelt)
            found.append(spelt)
    return tuple(found)


def match_text(text: str) -> str:
    """``text`` as the typed filters of lists compare it: casefolded, without accents,
    ı as i, Arabic-script letters as a Persian keyboard types them ("Öztürk" is matched
    by "ozturk", "علي" by "علی")."""
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        folded = folded.translate(_LIST_FOLD)
    return folded


def typed_words(text: str) -> tuple[tuple[str, ...], ...]:
    """The words typed into a list's filter, each as its spellings made by
    :func:`match_text`: a row matches when its text holds one spelling of every word."""
    return tuple(
        tuple(dict.fromkeys(match_text(spelt) for spelt in german_spellings(word)))
        for word in unicodedata.normalize("NFC", text).split()
    )
