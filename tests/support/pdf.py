"""Reading PDFs back with poppler, as a reader's tools would: words with positions, fonts."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Word:
    """A word as ``pdftotext -bbox`` reports it (points, y grows downwards)."""

    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def words(pdf: Path) -> list[Word]:
    """Every word of every page with its bounding box."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    found = []
    page = 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
            line,
        )
        if m and m.group(5):
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            found.append(Word(page, html.unescape(m.group(5)), x0, y0, x1, y1))
    return found


def lines(found: list[Word], *, x_min: float = 0, x_max: float = 10_000) -> list[list[Word]]:
    """Words inside [x_min, x_max] grouped into lines (by vertical centre), top to bottom."""
    picked = sorted(
        (w for w in found if w.x0 >= x_min and w.x1 <= x_max),
        key=lambda w: (w.page, (w.y0 + w.y1) / 2),
    )
    grouped: list[list[Word]] = []
    for word in picked:
        centre = (word.y0 + word.y1) / 2
        if grouped:
            last = grouped[-1][0]
            if last.page == word.page and abs((last.y0 + last.y1) / 2 - centre) < 4:
                grouped[-1].append(word)
                continue
        grouped.append([word])
    return grouped


def reading_order(line: list[Word], rtl: bool) -> list[str]:
    """A line's words as a reader takes them: right to left for RTL, else left to right."""
    return [w.text for w in sorted(line, key=lambda w: w.x0, reverse=rtl)]


def fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font the PDF uses (``pdffonts``)."""
    out = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    result = []
    for row in out:
        parts = row.split()
        # name, type..., encoding, emb, sub, uni, object, id: emb is 5th from the end
        result.append((parts[0], parts[-5] == "yes"))
    return result


def text(pdf: Path) -> str:
    """The plain text poppler extracts."""
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def page_count(pdf: Path) -> int:
    """How many pages poppler finds (``pdfinfo``)."""
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(
        next(line for line in out.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )
