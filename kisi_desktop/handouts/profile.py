"""The municipality's details that fill a handout's placeholders, and the filling itself.

A placeholder with no value must never print as ``{{office.phone}}``, and a sentence with a
hole in it reads worse than no sentence: the line that holds it is left out whole (texts
put each placeholder on a line of its own, FORMAT.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from kisi_desktop.core.domain import Guide, Municipality, Partner
from kisi_desktop.core.domain.municipality import guides_of

from kisi_desktop.handouts.text_format import PLACEHOLDER, Block, BlockKind
from kisi_desktop.typeset.bidi import LRE, PDF


@dataclass(frozen=True, slots=True)
class HandoutProfile:
    """Placeholder values plus the two lines printed on every page."""

    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def municipality(self) -> str:
        """The municipality's name, or empty when no profile was given."""
        return self.values.get("municipality", "")

    def contact_line(self) -> str:
        """Guide, phone and e-mail for the page header, whatever is known of them."""
        phone = self.values.get("guide.phone") or self.values.get("office.phone", "")
        email = self.values.get("guide.email") or self.values.get("office.email", "")
        parts = [self.values.get("guide", ""), phone, email]
        return " · ".join(p for p in parts if p)


def _plain(value: str) -> str:
    """A value as literal text: ``**`` in a partner's name must not turn on bold."""
    return value.replace("**", "*\u200b*")


def _one_line(text: str) -> str:
    return ", ".join(part.strip() for part in text.splitlines() if part.strip())


def profile_from_records(
    municipality: Municipality | None,
    guides: Iterable[Guide] = (),
    partners: Iterable[Partner] = (),
    on: date | None = None,
) -> HandoutProfile:
    """The profile from the vault's records: the municipality, its guides, marked partners.

    Only guides in post ``on`` that day serve (without a day: those with no end date; a
    leaving date still to come keeps a guide on the handouts until then); when several
    partners carry the same handout role, the first by name is printed, so the choice is
    stable.
    """
    values: dict[str, str] = {}
    if municipality is not None:
        values["municipality"] = municipality.name
        values["office.address"] = _one_line(municipality.office_address)
        values["office.hours"] = _one_line(municipality.office_hours)
        values["office.phone"] = municipality.phone
        values["office.email"] = municipality.email
        values["office.website"] = municipality.website
        active = [
            g
            for g in guides_of(municipality.ags, guides)
            if (g.ended_on is None and on is None)
            or (on is not None and g.started_on <= on and (g.ended_on is None or on <= g.ended_on))
        ]
        active.sort(key=lambda g: g.name)
        values["guide"] = ", ".join(g.name for g in active)
        if active:
            values["guide.phone"] = active[0].phone
            values["guide.email"] = active[0].email
    for partner in sorted(partners, key=lambda p: p.name):
        if partner.handout_role:
            key = f"local.{partner.handout_role}"
            if key not in values:
                details = [partner.name, _one_line(partner.address), partner.phone]
                values[key] = ", ".join(d for d in details if d)
    return HandoutProfile({k: v for k, v in values.items() if v.strip()})


def fill_blocks(
    blocks: Iterable[Block], profile: HandoutProfile, *, rtl: bool = False
) -> list[Block]:
    """The blocks with placeholders filled; lines (and emptied blocks) without a value dropped.

    A heading whose section lost every line below it is dropped as well, so no page shows a
    heading over nothing. In a right-to-left text each value is embedded left to right:
    an address or opening hours are German text ("Di 9-12 Uhr, Do 14-18 Uhr") whose parts
    the bidi algorithm would otherwise reorder.
    """
    wrap = (lambda v: f"{LRE}{v}{PDF}") if rtl else (lambda v: v)
    filled: list[Block] = []
    for block in blocks:
        lines = []
        for line in block.lines:
            names = PLACEHOLDER.findall(line)
            if any(not profile.values.get(name) for name in names):
                continue
            lines.append(PLACEHOLDER.sub(lambda m: wrap(_plain(profile.values[m.group(1)])), line))
        if lines:
            filled.append(Block(block.kind, tuple(lines)))
    return [
        block
        for pos, block in enumerate(filled)
        if block.kind is not BlockKind.HEADING
        or (pos + 1 < len(filled) and filled[pos + 1].kind is not BlockKind.HEADING)
    ]
