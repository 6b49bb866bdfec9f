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

# Found by the search index first: far fewer people to open than all of them.
MAX_CANDIDATES = 200


def name_key(name: str) -> str:
    """A name as it is compared: NFC, case-folded, words without dots or hyphens."""
    return " ".join(_word(part) for part in name.split())


def _word(text: str) -> str:
    return re.sub(r"[.\-_()/:]+", "", unicodedata.normalize("NFC", text).casefold())


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
    for ``person``."""
    hits = ws.search(person.name, kinds=["person"], limit=MAX_CANDIDATES)
    found = []
    for hit in hits:
        if hit.id == person.id:
            continue
        other = ws.get(Person, hit.id)
        if same_person(person, other):
            found.append(other)
    return found
