"""Filling placeholders: values from the vault's records, and never a raw placeholder."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.domain import Guide, Municipality, Partner

from kisi_desktop.handouts.catalog import LOCAL_ROLES, PLACEHOLDER_NAMES, load_catalog
from kisi_desktop.handouts.profile import HandoutProfile, fill_blocks, profile_from_records
from kisi_desktop.handouts.text_format import Block, BlockKind

ALL_NAMES = sorted(PLACEHOLDER_NAMES | {f"local.{r}" for r in LOCAL_ROLES})


def test_profile_comes_from_municipality_guides_and_marked_partners() -> None:
    town = Municipality(
        ags="06534011",
        name="Kirchhain",
        office_address="Am Markt 1\n35274 Kirchhain",
        phone="+49 6422 808-0",
    )
    guides = [
        Guide(
            name="Old Guide",
            fte=Decimal(1),
            started_on=date(2025, 10, 1),
            ended_on=date(2026, 1, 31),
            municipality_ags=("06534011",),
        ),
        Guide(
            name="K. Weber",
            fte=Decimal(1),
            started_on=date(2025, 10, 1),
            municipality_ags=("06534011",),
            email="kw@kirchhain.example",
        ),
        Guide(
            name="Elsewhere",
            fte=Decimal(1),
            started_on=date(2025, 10, 1),
            municipality_ags=("06431001",),
        ),
    ]
    partners = [
        Partner(name="Jobcenter Marburg", handout_role="jobcenter", phone="06421 1"),
        Partner(name="Sportverein", partner_type="association"),
    ]
    profile = profile_from_records(town, guides, partners)
    assert profile.values["guide"] == "K. Weber"
    assert profile.values["office.address"] == "Am Markt 1, 35274 Kirchhain"
    assert profile.values["local.jobcenter"] == "Jobcenter Marburg, 06421 1"
    assert "local.volunteer_centre" not in profile.values
    assert profile.contact_line() == "K. Weber · +49 6422 808-0 · kw@kirchhain.example"
    # A leaving date still to come keeps a guide on the handouts until that day.
    while_there = profile_from_records(town, guides, partners, on=date(2026, 1, 31))
    assert while_there.values["guide"] == "K. Weber, Old Guide"
    after = profile_from_records(town, guides, partners, on=date(2026, 2, 1))
    assert after.values["guide"] == "K. Weber"


def test_a_line_without_a_value_is_dropped_and_so_is_an_empty_heading() -> None:
    blocks = [
        Block(BlockKind.HEADING, ("Kontakt",)),
        Block(BlockKind.BULLET, ("Telefon: {{office.phone}}",)),
        Block(BlockKind.HEADING, ("Sprechzeiten",)),
        Block(BlockKind.PARAGRAPH, ("Kommen Sie vorbei.", "Zeiten: {{office.hours}}")),
    ]
    filled = fill_blocks(blocks, HandoutProfile({"office.hours": "Di 9–12 Uhr"}))
    assert filled == [
        Block(BlockKind.HEADING, ("Sprechzeiten",)),
        Block(BlockKind.PARAGRAPH, ("Kommen Sie vorbei.", "Zeiten: Di 9–12 Uhr")),
    ]


def test_values_cannot_switch_on_bold() -> None:
    block = Block(BlockKind.BULLET, ("{{municipality}}",))
    [filled] = fill_blocks([block], HandoutProfile({"municipality": "**Laut**"}))
    assert "**" not in filled.lines[0]


@settings(max_examples=40, deadline=None)
@given(st.sets(st.sampled_from(ALL_NAMES)))
def test_no_shipped_text_ever_shows_a_raw_placeholder(known: set[str]) -> None:
    profile = HandoutProfile({name: f"<{name}>" for name in known})
    catalog = load_catalog()
    for topic in catalog.topics.values():
        for code, text in topic.texts.items():
            rtl = catalog.languages[code].rtl
            for block in fill_blocks(text.blocks, profile, rtl=rtl):
                for line in block.lines:
                    assert "{{" not in line and "}}" not in line, (topic.id, code, line)
