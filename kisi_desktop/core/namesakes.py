"""Is this person already in the vault? The same name, and birth data that agree.

A person entered twice counts twice in the AMIF figures (O.2.3 counts people, not
records) and splits their notes over two pages. Namesakes are common, so the rule is
careful: the same name (compared without case, accents kept, spaces folded), and a year
or date of birth that agrees where both are known. The People form, ``kisi person add``
and the import of a list ask before they add such a person (core/people_list.py).
"""

from __future__ import annotations

import re
import unicodedata

from kisi_desktop.core.domain import Person
from kisi_desktop.core.workspace import Workspace

# Letters written two ways in names that are the same: Turkish dotless i (AYŞE YILMAZ and
# Ayşe Yılmaz), and the hamza and alef forms and final letters of Arabic script.
_SAME_LETTER = str.maketrans(
    {"ı": "i", "İ": "i", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
     "ؤ": "و", "ئ": "ي"}
)  # fmt: skip


def name_key(name: str) -> str:
    """A name as it is compared: NFC, case-folded, letters written two ways made one, a
    hyphen or dot taken as a space ("Al-Hassan" is "Al Hassan")."""
    text = unicodedata.normalize("NFC", name).translate(_SAME_LETTER).casefold()
    return " ".join(re.sub(r"[.\-_()/:]+", " ", text).split())


def same_person(a: Person, b: Person) -> bool:
    """Same name, and birth years that agree where both are known (a date and a year
    match when the year does; a person without birth data matches either)."""
    if name_key(a.name) != name_key(b.name):
        return False
    years = [p.birth_date.year if p.birth_date else p.birth_year for p in (a, b)]
    if None in years:
        return True
    if a.birth_date and b.birth_date:
        return a.birth_date == b.birth_date
    return years[0] == years[1]


def namesakes(ws: Workspace, person: Person) -> list[Person]:
    """The people in ``ws`` (other than ``person`` itself) that :func:`same_person` takes
    for ``person``. Every person's name is compared (milliseconds with 10,000 people):
    the search index matches words as prefixes and newest first, and could leave the
    one person out among hundreds of longer names that begin alike."""
    key = name_key(person.name)
    found = []
    for rid, name in ws.rows(Person, ("name",)):
        if rid != person.id and isinstance(name, str) and name_key(name) == key:
            other = ws.get(Person, rid)
            if same_person(person, other):
                found.append(other)
    return found
