"""Render handouts: one topic in one language (beside German), or every pair on all cores."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from kisi_desktop.core.files import write_atomic
from kisi_desktop.core.i18n import _

from kisi_desktop.handouts.catalog import SOURCE_LANGUAGE, Catalog, Language, load_catalog
from kisi_desktop.handouts.layout import HandoutPage, Layout, Side, build_pdf, build_pdf_many
from kisi_desktop.handouts.profile import HandoutProfile, fill_blocks
from kisi_desktop.handouts.text_format import ContentError, HandoutText
from kisi_desktop.typeset.fonts import script_of_language
from kisi_desktop.typeset.paragraph import missing_glyphs

SHOWN_MISSING = 6
"""How many of the characters no font draws a refusal names (a whole alphabet is too long)."""


@dataclass(frozen=True, slots=True)
class Request:
    """What to print: a topic, the reader's language, and beside which language."""

    topic: str
    language: str
    layout: Layout = Layout.SIDE_BY_SIDE

    def file_name(self) -> str:
        """``<topic>_<language>.pdf``, or ``..._de.pdf`` alone for single-language prints."""
        suffix = "" if self.layout is not Layout.SINGLE else "_single"
        return f"{self.topic}_{self.language}{suffix}.pdf"


def handout_page(
    catalog: Catalog, request: Request, profile: HandoutProfile, issued: date
) -> HandoutPage:
    """The filled-in page for ``request``: texts, statuses, links.

    Printing German beside German makes no sense, so a German (or simple German) request is
    always a single-language page.
    """
    topic = catalog.topic(request.topic)
    if request.language not in topic.texts:
        raise ContentError(
            f"{request.topic}: no text in {request.language!r} ({', '.join(sorted(topic.texts))})."
        )
    language = catalog.language(request.language)
    text = topic.texts[request.language]
    reader = Side(
        language,
        text.front.title,
        fill_blocks(text.blocks, profile, rtl=language.rtl),
        topic.status(request.language),
    )
    _refuse_boxes(request.topic, language, text)
    layout = request.layout
    german = None
    if layout is not Layout.SINGLE and not request.language.startswith(SOURCE_LANGUAGE):
        source = topic.texts.get(SOURCE_LANGUAGE)
        if source is None:
            raise ContentError(
                _("{topic}: the German text is missing.").format(topic=request.topic)
            )
        german = Side(
            catalog.language(SOURCE_LANGUAGE),
            source.front.title,
            fill_blocks(source.blocks, profile),
            topic.status(SOURCE_LANGUAGE),
        )
    else:
        layout = Layout.SINGLE
    return HandoutPage(reader, german, profile, topic.links, issued, layout, topic.id)


def _refuse_boxes(topic: str, language: Language, text: HandoutText) -> None:
    """Refuse a text with letters no bundled font has: printed, each would be an empty box.

    ``kisi handout check`` names them too, but a guide's own folder (a language the app does
    not ship, such as Georgian) reaches the printer without that check. The text as written
    is checked, not the municipality's details filled into it: an odd character in a
    partner's address should not stop every handout.
    """
    lines = (line for block in text.blocks for line in block.lines)
    written = " ".join([text.front.title, *lines, *language.strings.values()])
    missing = sorted(missing_glyphs(written, script_of_language(language.rtl, language.code)))
    if not missing:
        return
    chars = ", ".join(f"U+{ord(c):04X}" for c in missing[:SHOWN_MISSING])
    if len(missing) > SHOWN_MISSING:
        chars += " …"
    raise ContentError(
        _(
            "{topic}/{code}: no font of the app draws {chars}; they would print as empty boxes."
        ).format(topic=topic, code=language.code, chars=chars)
    )


def render(catalog: Catalog, request: Request, profile: HandoutProfile, issued: date) -> bytes:
    """The PDF for ``request``."""
    return build_pdf(handout_page(catalog, request, profile, issued))


def render_many(
    catalog: Catalog, requests: Sequence[Request], profile: HandoutProfile, issued: date
) -> bytes:
    """Several handouts in one PDF, each starting on a new page (e.g. a welcome pack)."""
    return build_pdf_many([handout_page(catalog, r, profile, issued) for r in requests])


@lru_cache(maxsize=4)
def _worker_catalog(content: tuple[str, ...]) -> Catalog:
    """The catalog, loaded once per worker process and kept for its next requests."""
    return load_catalog([Path(c) for c in content])


def _render_to_file(
    content: tuple[str, ...], request: Request, profile: HandoutProfile, issued: date, out: str
) -> str:
    """Worker-process entry: render from the worker's catalog and write the file."""
    catalog = _worker_catalog(content)
    path = Path(out) / request.file_name()
    write_atomic(path, render(catalog, request, profile, issued))
    return str(path)


def render_all(
    content: Sequence[Path],
    out_dir: Path,
    profile: HandoutProfile,
    issued: date,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Every topic in every language beside German into ``out_dir``, on all cores.

    Each worker process loads the catalog itself and writes its own files, so only short
    requests and file names cross process boundaries.
    """
    catalog = load_catalog(content)
    requests = [Request(topic, code) for topic, code in catalog.pairs()]
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = workers or min(os.cpu_count() or 1, 8)
    written: list[Path] = []
    folders = tuple(str(c) for c in content)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(_render_to_file, folders, r, profile, issued, str(out_dir))
            for r in requests
        ]
        for done, future in enumerate(as_completed(futures), 1):
            written.append(Path(future.result()))
            if progress is not None:
                progress(done, len(futures))
    return sorted(written)
