"""The pages of the main window, in navigation order (Ctrl+1, Ctrl+2, ... follow it)."""

from __future__ import annotations

from collections.abc import Callable

from kisi_desktop.ui.pages.base import Page, PageContext


def page_factories() -> list[Callable[[PageContext], Page]]:
    """One factory per page; imported here so the window does not know the page modules."""
    factories: list[Callable[[PageContext], Page]] = []
    return factories
