"""Is this person already in the vault? The same name, and birth data that agree.

A person entered twice counts twice in the AMIF figures (O.2.3 counts people, not
records) and splits their notes over two pages. Namesakes are common, so the rule is
careful: the same name, and a year or date of birth that agrees where both are known.
The People form and ``kisi person add`` ask before they add such a person; both check
once, at saving.

"The same name" is the same whichever way it was written in Latin letters
(:func:`alike`): "Ahmed Karimi" was added beside "Ahmad Karimi" without a question (QA
pass), as were "Karimi, Ahmad" and "KARIMI Ahmad", and later "Hamed" beside "Hamid",
"Chérif" beside "Sherif", "Jusuf" beside "Youssef". It is only a question
(saving again adds the person), so a near miss costs a click; a miss costs a double count.
The import of a list skips who is there already without asking, so it keeps to the name
as written (:func:`name_key`, core/people_list.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kisi_desktop.core.domain import Person
from kisi_desktop.core.workspace import Workspace

# Letters written two ways in names that are the same: Turkish dotless i (AYŞE YILMAZ and
# Ayşe Yılmaz), and the hamza and alef forms and final letters of Arabic script.
_SAME_LETTER = (("ı", "i"), ("İ", "i"), ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"),
                ("ى", "ي"), ("ة", "ه"), ("ؤ", "و"), ("ئ", "ي"))  # fmt: skip


def _replaced(text: str, pairs: Iterable[tuple[str, str]]) -> str:
    """``text`` with each pair's first string replaced by its second, in turn: for a few
    letters far faster than ``str.translate``, which looks every character of a text
    with any non-ASCII letter up in its table (10,000 names: 25 ms against 2)."""
    for before, after in pairs:
        text = text.replace(before, after)
    return text


_PUNCTUATION = re.compile(r"[.\-_()/:]+")


def _folded(text: str) -> str:
    """:func:`name_key` but for the spaces (the same for names joined by line breaks)."""
    text = _replaced(unicodedata.normalize("NFC", text), _SAME_LETTER).casefold()
    return _PUNCTUATION.sub(" ", text)


def name_key(name: str) -> str:
    """A name as it is compared: NFC, case-folded, letters written two ways made one, a
    hyphen or dot taken as a space ("Al-Hassan" is "Al Hassan")."""
    return " ".join(_folded(name).split())


# Where Latin spellings of one name differ. The Arabic script (Arabic, Persian, Pashto)
# is an abjad: it writes consonants and long vowels, not short ones, so Ahmad/Ahmed,
# Mohammed/Muhammad/Mohamad, Omar/Umar are one written name, and a/o/u in a Latin
# spelling are the one class of unwritten short vowels (A); i, ee, y (and ei, ai: Hussein,
# Hussain) most often stand for the long i (ي) that is written, so they are a class of
# their own (I) and Hassan (حسن) stays apart from Hussain (حسين), Omar (عمر) from Amir
# (أمير), Amina from Amin. An e stands for either: the short a (Ahmed, Mehdi) or the
# short i (Hamed for Hamid حامد, Ebrahim, Esmail, Chérif); a run of vowels with an e and
# no i is kept as E, which agrees with A and with I (so Hamed is asked about beside
# Hamad and beside Hamid, which stay apart). Letters whose spelling depends on the
# scheme: خ is "kh" in English usage and "ch" in German (DIN 31635 writes ḫ), ش "sh",
# German "sch" and French "ch" (Chadi, Chérif): a "ch" is kept as C, which agrees with
# kh (K) and with sh (S); ج "j"/"dj"/"dsch", ق "q"/"k", غ "gh"/"g", Persian و "w"/"v";
# a y before a vowel at the start of a name is the German j (Yusuf/Jusuf, Yohannes/
# Johannes); a final h after a vowel (ه, ة: Fatemeh/Fatema, Abdullah/Abdulla) is written
# or left out; a doubled letter (shadda) is written once or twice. Tigrinya names (Ge'ez
# script) vary the same way in their vowels (Tesfaye/Tesfay/Tesfai).
_SPELT_AS = (("dsch", "j"), ("sch", "sh"), ("dj", "j"), ("ch", "C"), ("ph", "f"),
             ("ck", "k"), ("gh", "g"), ("q", "k"), ("w", "v"), ("ee", "i"))  # fmt: skip
_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670\u0640]")  # accents, harakat, tatweel
_APART = re.compile(r"[,;]")
_LEFT_OUT = re.compile("['’`ʼʿʾ]")  # Ja'far, Ja’far, Jaʿfar, Jafar
# DIN 31635's letters for خ ش ج غ, written as two letters elsewhere (its ḥ, ṣ, ḍ lose
# their dots with the accents).
_DIN_31635 = (("ḫ", "kh"), ("š", "sh"), ("ǧ", "j"), ("ġ", "g"))
_Y_AS_J = re.compile(r"\by(?=[aeiou])")
# Each vowel as its class (A: a o u, I: i y, E: e), then a run of them as one: with an I
# in it, the long i; else with an E, either; else a short vowel.
_VOWEL_CLASS = (("a", "A"), ("e", "E"), ("o", "A"), ("u", "A"), ("i", "I"), ("y", "I"))
_LONG_I = re.compile("[AE]*I[AEI]*")
_EITHER = re.compile("A*E[AE]*")
_SHORT = re.compile("AA+")
_FINAL_H = re.compile(r"([AEI])h\b")
_CONSONANTS = "bcdfghjklmnprstvxz"
# Muhammad's usual short forms (Mohd, Muhd, Mhd, Md) as the rules above leave them.
_MUHAMMAD = re.compile(r"\b(?:mAhd|mhd|md)\b")
# The letters that agree with more than themselves, and the one each stands for in a
# likeness key: two names can only be alike when their keys are equal.
_EITHER_OF = {"E": "AI", "C": "KS"}
_AS_ONE = (("E", "A"), ("I", "A"), ("C", "K"), ("S", "K"))


def _spelt(names: Iterable[str]) -> list[str]:
    """Each name as its letters are compared: :func:`name_key`, a comma a space, accents
    left off, and every Latin spelling of one name written one way, but for the letters
    that agree with more than one (E, C; see the comment above); the words as typed.

    The names are worked on as one text, a line each, by string methods more than
    regular expressions: a call per name took twice as long as :func:`name_key` did,
    with 10,000 people at every save of a person."""
    listed = [name.replace("\n", " ") for name in names]
    if not listed:
        return []
    text = _LEFT_OUT.sub("", _APART.sub(" ", _folded("\n".join(listed))))
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", _replaced(text, _DIN_31635)))
    text = _replaced(_replaced(_Y_AS_J.sub("j", text), _SPELT_AS), _VOWEL_CLASS)
    text = _SHORT.sub("A", _EITHER.sub("E", _LONG_I.sub("I", text)))
    text = _FINAL_H.sub(r"\1", text)
    for letter in _CONSONANTS:  # a doubled letter written once
        while (twice := letter + letter) in text:
            text = text.replace(twice, letter)
    text = _MUHAMMAD.sub("mAhAmAd", text).replace("kh", "K").replace("sh", "S")
    return text.split("\n")


def likeness_keys(names: Iterable[str]) -> list[str]:
    """Names as they are sieved for likely duplicates: equal for any two names that
    :func:`alike` takes for one (not only for them: Hassan and Hussain share a key), with
    the words in any order. "Karimi, Ahmed" and "Ahmad KARIMI" both give "AhmAd kArAmA".
    One pass for the whole vault; :func:`alike` then looks at the few that share a key."""
    spelt = _spelt(names)
    text = _replaced("\n".join(spelt), _AS_ONE)
    return [" ".join(sorted(line.split())) for line in text.split("\n")] if spelt else []


def likeness_key(name: str) -> str:
    """One name's :func:`likeness_keys`."""
    return likeness_keys([name])[0]


def _letters_agree(one: str, other: str) -> bool:
    """Two spelt words (:func:`_spelt`) are one when each letter is the same or one of
    them stands for either (E for A or I, C for K or S)."""
    return len(one) == len(other) and all(
        a == b or b in _EITHER_OF.get(a, "") or a in _EITHER_OF.get(b, "")
        for a, b in zip(one, other, strict=True)
    )


def alike(one: str, other: str) -> bool:
    """Are two names likely one, written two ways (see the comment above)? The same
    number of words, each agreeing with one of the other's, in any order. Not
    transitive: Hamed is like Hamad and like Hamid, which are two names."""
    words, others = (line.split() for line in _spelt([one, other]))
    if len(words) != len(others):
        return False
    # Each word paired with one of the other name's, by augmenting paths (Kuhn): names
    # have a few words, and a word can agree with two ("Hamed Hamid" and "Hamid Hamad").
    paired: dict[int, int] = {}

    def pair(i: int, seen: set[int]) -> bool:
        for j, word in enumerate(others):
            if j not in seen and _letters_agree(words[i], word):
                seen.add(j)
                if j not in paired or pair(paired[j], seen):
                    paired[j] = i
                    return True
        return False

    return all(pair(i, set()) for i in range(len(words)))


def same_person(a: Person, b: Person) -> bool:
    """Same name (:func:`alike`), and birth years that agree where both are known
    (a date and a year match when the year does; a person without birth data matches
    either)."""
    if not alike(a.name, b.name):
        return False
    years = [p.birth_date.year if p.birth_date else p.birth_year for p in (a, b)]
    if None in years:
        return True
    if a.birth_date and b.birth_date:
        return a.birth_date == b.birth_date
    return years[0] == years[1]


def namesakes(ws: Workspace, person: Person) -> list[Person]:
    """The people in ``ws`` (other than ``person`` itself) that :func:`same_person` takes
    for ``person``. Every person's name is compared (0.1 s with 10,000 people, half of it
    reading the names; as long as comparing the spelling alone took): the search index
    matches words as prefixes and newest first, and could leave the one person out among
    hundreds of longer names that begin alike."""
    key = likeness_key(person.name)
    rows = [(rid, name) for rid, name in ws.rows(Person, ("name",)) if isinstance(name, str)]
    found = []
    for (rid, _name), other_key in zip(rows, likeness_keys(n for _, n in rows), strict=True):
        if other_key == key and rid != person.id:
            other = ws.get(Person, rid)
            if same_person(person, other):
                found.append(other)
    return found
