"""The handout text format: what it accepts, what it refuses (and where), round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.handouts.text_format import (
    Block,
    BlockKind,
    ContentError,
    Review,
    parse_text,
    split_bold,
)


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    """Error messages are checked in English (the source language of the catalogs)."""
    set_ui_language("en")


GOOD = """---
title: Kita und Schule
review: unreviewed
source-sha256: PENDING
---
## Kita

Kinder ab 1 Jahr haben ein Recht auf einen Platz.
Melden Sie Ihr Kind **früh** an.

- Jugendamt: {{local.youth_office}}
- Telefon: {{office.phone}}
"""


def test_a_valid_text_parses_into_blocks() -> None:
    text = parse_text(GOOD.encode(), "kita/de.md")
    assert text.front.title == "Kita und Schule"
    assert text.front.review is Review.UNREVIEWED
    assert text.front.source_sha256 == ""
    assert [b.kind for b in text.blocks] == [
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.BULLET,
        BlockKind.BULLET,
    ]
    assert text.blocks[1].lines == (
        "Kinder ab 1 Jahr haben ein Recht auf einen Platz.",
        "Melden Sie Ihr Kind **früh** an.",
    )


def test_the_hash_ignores_review_lines_but_not_the_text() -> None:
    base = parse_text(GOOD.encode(), "x").content_hash
    reviewed = GOOD.replace("review: unreviewed", "review: reviewed\nreviewed-by: A. B.")
    assert parse_text(reviewed.encode(), "x").content_hash == base
    changed = GOOD.replace("früh", "rechtzeitig")
    assert parse_text(changed.encode(), "x").content_hash != base
    crlf = GOOD.replace("\n", "\r\n")
    assert parse_text(crlf.encode(), "x").content_hash == base


@pytest.mark.parametrize(
    ("broken", "says"),
    [
        (GOOD.replace("---\ntitle", "title", 1), "line 1"),
        (GOOD.replace("review: unreviewed", "review: maybe"), "review must be"),
        (GOOD.replace("review: unreviewed", "colour: red"), "unknown front matter"),
        (GOOD.replace("## Kita", "# Kita"), "line 6"),
        (GOOD.replace("- Telefon", "* Telefon"), "bullets use"),
        (GOOD.replace("- Telefon", "| Telefon |"), "tables"),
        (GOOD.replace("**früh**", "**früh"), "not closed"),
        (GOOD.replace("{{office.phone}}", "{{office.phone}"), "placeholder"),
        (GOOD.replace("Kita\n", "Kita <b>x</b>\n").replace("## Kita <b>", "<b>"), "HTML"),
        (GOOD.replace("früh", "fr\u202eüh"), "U+202E"),
        (GOOD.replace("früh", "fr\x00üh"), "U+0000"),
        (GOOD.split("---\n## ")[0] + "---\n", "empty"),
        (GOOD.replace("source-sha256: PENDING", "source-sha256: abc"), "64 hex"),
    ],
)
def test_broken_texts_are_refused_with_file_and_reason(broken: str, says: str) -> None:
    with pytest.raises(ContentError) as error:
        parse_text(broken.encode(), "kita/ar.md")
    assert says in str(error.value)
    assert "kita/ar.md" in str(error.value)


def test_not_utf8_and_oversized_files_are_refused() -> None:
    with pytest.raises(ContentError, match="UTF-8"):
        parse_text(GOOD.encode("utf-16"), "x.md")
    with pytest.raises(ContentError, match="KiB"):
        parse_text(GOOD.encode() + b"a" * 70_000, "x.md")


@given(st.binary(max_size=400))
def test_any_bytes_parse_or_are_refused_cleanly(raw: bytes) -> None:
    try:
        parse_text(raw, "fuzz.md")
    except ContentError:
        pass


safe_word = st.text(
    alphabet=st.sampled_from(list("abcdeäöüßمرحباትግርኛ0123456789.,:!?()")), min_size=1, max_size=12
)
line = st.lists(safe_word, min_size=1, max_size=8).map(" ".join)
block = st.one_of(
    st.builds(lambda t: Block(BlockKind.HEADING, (t,)), line),
    st.builds(lambda t: Block(BlockKind.BULLET, (t,)), line),
    st.builds(
        lambda ls: Block(BlockKind.PARAGRAPH, tuple(ls)), st.lists(line, min_size=1, max_size=3)
    ),
)


def _write(blocks: list[Block]) -> str:
    parts = []
    for b in blocks:
        if b.kind is BlockKind.HEADING:
            parts.append(f"## {b.lines[0]}\n")
        elif b.kind is BlockKind.BULLET:
            parts.append(f"- {b.lines[0]}\n")
        else:
            parts.append("\n".join(b.lines) + "\n")
    return "---\ntitle: T\nreview: source\n---\n" + "\n".join(parts)


@settings(max_examples=200, deadline=None)
@given(st.lists(block, min_size=1, max_size=12))
def test_written_blocks_parse_back_to_the_same_blocks(blocks: list[Block]) -> None:
    # Consecutive paragraphs separated by a blank line stay separate; bullets and headings
    # end a paragraph. The writer puts a blank line between all blocks.
    assert list(parse_text(_write(blocks).encode(), "rt.md").blocks) == blocks


def test_bold_is_split_into_runs() -> None:
    assert split_bold("a **b c** d **e**") == [
        ("a ", False),
        ("b c", True),
        (" d ", False),
        ("e", True),
    ]
