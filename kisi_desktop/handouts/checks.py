"""Checks a translator or the ministry runs before shipping texts, and the review stamp.

Parsing (``text_format``) refuses what cannot be printed; these checks find what would print
but mislead: a translation with a bullet fewer than its German, a placeholder lost, a
character no bundled font can draw, a language without its page strings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kisi_desktop.core.i18n import _

from kisi_desktop.handouts.catalog import SOURCE_LANGUAGE, Catalog, Status
from kisi_desktop.handouts.text_format import PLACEHOLDER, ContentError, HandoutText
from kisi_desktop.typeset.fonts import script_of_language
from kisi_desktop.typeset.paragraph import missing_glyphs


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding, named by topic and language."""

    topic: str
    language: str
    message: str

    def __str__(self) -> str:
        return f"{self.topic}/{self.language}: {self.message}"


def _placeholders(text: HandoutText) -> Counter[str]:
    return Counter(
        name for b in text.blocks for line in b.lines for name in PLACEHOLDER.findall(line)
    )


def check_catalog(catalog: Catalog) -> list[Problem]:
    """Every problem in the catalog, in topic and language order (empty: all good)."""
    problems: list[Problem] = []
    for topic_id in catalog.ordered_ids():
        topic = catalog.topics[topic_id]
        source = topic.texts.get(SOURCE_LANGUAGE)
        if source is None:
            problems.append(Problem(topic_id, SOURCE_LANGUAGE, _("the German text is missing.")))
            continue
        shape = [b.kind for b in source.blocks]
        for code in sorted(topic.texts):
            text = topic.texts[code]
            language = catalog.languages.get(code)
            if language is None:
                problems.append(
                    Problem(topic_id, code, _("no languages/{code}.toml.").format(code=code))
                )
                continue
            if code != SOURCE_LANGUAGE:
                kinds = [b.kind for b in text.blocks]
                if kinds != shape:
                    problems.append(
                        Problem(
                            topic_id,
                            code,
                            _("{n} blocks where the German has {m}, or in another order.").format(
                                n=len(kinds), m=len(shape)
                            ),
                        )
                    )
                if _placeholders(text) != _placeholders(source):
                    problems.append(
                        Problem(topic_id, code, _("placeholders differ from the German text."))
                    )
            script = script_of_language(language.rtl, code)
            body = " ".join([text.front.title, *(line for b in text.blocks for line in b.lines)])
            strings = " ".join(language.strings.values())
            missing = missing_glyphs(body + " " + strings, script)
            if missing:
                chars = ", ".join(f"U+{ord(c):04X}" for c in sorted(missing))
                problems.append(
                    Problem(topic_id, code, _("no bundled font draws {chars}.").format(chars=chars))
                )
    return problems


_FRONT_LINE = re.compile(r"^(review|reviewed-by|reviewed-on|source-sha256)\s*:.*$")


def stamp_file(
    path: Path,
    source_hash: str,
    *,
    reviewed_by: str | None = None,
    reviewed_on: date | None = None,
) -> None:
    """Record in ``path`` that it was made from the German text with ``source_hash``.

    With ``reviewed_by`` the translation is also marked reviewed (by whom, when); without,
    it keeps its review state, so stamping never turns an unchecked text into a checked one.
    Only the front matter changes; the body is written back byte for byte.
    """
    raw = path.read_bytes().decode("utf-8")
    lines = raw.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(_("{file}: no front matter.").format(file=path))
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise ContentError(_("{file}: the front matter is not closed by '---'.").format(file=path))
    front = [line for line in lines[1:end] if not _FRONT_LINE.match(line.strip())]
    old = {m.group(1): line for line in lines[1:end] if (m := _FRONT_LINE.match(line.strip()))}
    if reviewed_by is not None:
        front.append("review: reviewed")
        front.append(f"reviewed-by: {reviewed_by.strip()}")
        front.append(f"reviewed-on: {(reviewed_on or date.today()).isoformat()}")
    else:
        front.extend(old[key] for key in ("review", "reviewed-by", "reviewed-on") if key in old)
    front.append(f"source-sha256: {source_hash}")
    path.write_text("\n".join(["---", *front, *lines[end:]]), encoding="utf-8")


def stamp_pending(folder: Path, catalog: Catalog) -> list[Path]:
    """Stamp every translation in ``folder`` whose hash says PENDING (new texts).

    For maintainers adding texts to a folder: a new translation is made from today's
    German, so it is stamped with today's hash and stays unreviewed.
    """
    stamped = []
    for topic_id, topic in catalog.topics.items():
        source = topic.texts.get(SOURCE_LANGUAGE)
        if source is None:
            continue
        for path in sorted((folder / topic_id).glob("*.md")):
            if path.stem == SOURCE_LANGUAGE:
                continue
            if re.search(r"^source-sha256:\s*PENDING\s*$", path.read_text("utf-8"), re.M):
                stamp_file(path, source.content_hash)
                stamped.append(path)
    return stamped


def status_counts(catalog: Catalog) -> Counter[Status]:
    """How many language versions are in each review state."""
    return Counter(catalog.topics[t].status(code) for t, code in catalog.pairs())
