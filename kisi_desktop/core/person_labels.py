"""How a person is named where several may share a name: "Amina Haidari (geb. 1994,
Afghanistan)".

In a rural office many newcomers share a name with someone else (in the demo vault most
do). A pick list or a search hit that shows the name alone lets a note or an event land
on the wrong person. The year of birth and the nationalities tell them apart without
showing more than the People list already does, and in its words: the countries named
in the UI language, as the People list names them (a code such as ET meant nothing to a
guide, QA pass). Labels stay on the laptop: bundles and reports carry pseudonyms and codes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kisi_desktop.core.domain.person import Person
from kisi_desktop.core.i18n import _, country_name
from kisi_desktop.core.text_sort import sort_text

if TYPE_CHECKING:  # (the workspace imports the Overview's counting, which labels people)
    from kisi_desktop.core.workspace import Workspace

FIELDS = ("name", "birth_date", "birth_year", "nationalities")


def person_label(name: Any, birth_date: Any, birth_year: Any, nationalities: Any) -> str:
    """The label from raw working-set values (ISO date text, JSON list text)."""
    text = str(name or "")
    year = str(birth_date)[:4] if birth_date else (str(birth_year) if birth_year else "")
    try:
        codes = json.loads(nationalities) if isinstance(nationalities, str) else []
    except ValueError:
        codes = []
    country = ", ".join(country_name(c) for c in codes if isinstance(c, str))
    if year and country:
        return _("{name} (b. {year}, {country})").format(name=text, year=year, country=country)
    if year:
        return _("{name} (b. {year})").format(name=text, year=year)
    if country:
        return f"{text} ({country})"
    return text


def person_labels(ws: Workspace, ids: Iterable[str] | None = None) -> dict[str, str]:
    """Labels of the people ``ids`` (all when None), by id."""
    rows = ws.rows(Person, FIELDS, ids=ids)
    return {str(rid): person_label(*values) for rid, *values in rows}


def person_choices(ws: Workspace) -> list[tuple[str, str]]:
    """(id, label) of every person, sorted by label: the choices of a person field."""
    labels = person_labels(ws)
    return sorted(labels.items(), key=lambda item: (sort_text(item[1]), item[0]))
