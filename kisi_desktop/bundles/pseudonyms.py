"""Participation pseudonyms: the same person, the same pseudonym, on every device of a town.

When the ministry asks for proof of participation, a bundle lists people as
``HMAC-SHA256(municipality key, normalised name | birth date)`` (or, without an exact
date, ``| year of birth | gender | nationalities``). The key stays with
the municipality (the ministry cannot reverse or test guesses against the pseudonyms), and
the input is what two guides of the same office would both have written down, so a person
seen on two laptops is one pseudonym, counted once. Scheme name: ``hmac-sha256/v1``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from collections.abc import Sequence

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain.person import Person
from kisi_desktop.core.domain.provisioning import PseudonymKey
from kisi_desktop.core.workspace import Workspace

SCHEME = "hmac-sha256/v1"


def pseudonym_key(ws: Workspace) -> bytes:
    """The municipality's pseudonym key, created and sealed in the vault on first use."""
    stored = ws.list(PseudonymKey)
    if stored:
        return bytes.fromhex(stored[0].key_hex)
    key = os.urandom(32)
    ws.add(PseudonymKey(key_hex=key.hex(), created_on=today(ws.clock)))
    return key


def normalised_name(name: str) -> str:
    """Name as two guides would both type it: NFKC, case-folded, single spaces."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def pseudonym(key: bytes, person: Person) -> str:
    """The person's pseudonym (hex, 32 characters: 128 bits are plenty to never collide)."""
    return pseudonym_of(
        key,
        name=person.name,
        birth_date=person.birth_date.isoformat() if person.birth_date else None,
        birth_year=person.birth_year,
        gender=person.gender,
        nationalities=person.nationalities,
    )


def pseudonym_of(
    key: bytes,
    *,
    name: str,
    birth_date: str | None,
    birth_year: int | None,
    gender: str,
    nationalities: Sequence[str],
) -> str:
    """:func:`pseudonym` from the raw fields (ISO birth date), for exports over many people."""
    if birth_date:
        facts = birth_date
    else:
        # With only a year of birth, namesakes of one age would share a pseudonym and count
        # as one person; gender and nationalities (as both guides would record them) keep
        # them apart without adding anything that changes over time.
        facts = "|".join([str(birth_year or ""), gender, ",".join(sorted(nationalities))])
    message = f"{normalised_name(name)}|{facts}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]
