"""Page furniture that needs the whole document: "page 2 of 3", drawn once pages are known.

ReportLab draws a page as soon as its content is placed, before it knows how many pages
follow. The canvas here keeps each finished page's drawing state and, at ``save``, hands
every page to a footer callback together with the page count, the usual ReportLab recipe.
Documents start in a bundled font, so no PDF references an unembedded Helvetica.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from kisi_desktop.typeset.fonts import Script, fonts

Footer = Callable[[Canvas, int, int], None]
"""Draws the footer of page ``number`` (1-based) of ``count`` pages."""


def counting_canvas(footer: Footer) -> type[Canvas]:
    """A canvas class for ``doc.build(canvasmaker=...)`` that calls ``footer`` per page."""
    initial_font = fonts().face(Script.LATIN).name

    class CountingCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Document templates pass initialFontName=None explicitly: override that too.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or initial_font
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            count = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, 1):
                self.__dict__.update(state)
                footer(self, number, count)
                super().showPage()
            super().save()

    return CountingCanvas
