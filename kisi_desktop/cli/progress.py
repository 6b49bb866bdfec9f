"""Progress of long work (a backup, a bundle, demo data, every handout) on standard error.

Shown only to a person watching: on a terminal, as one line rewritten in place. Piped,
redirected or with ``--json`` nothing is written, so that a script's log holds only what
went wrong. The line is ended when the work ends, also by an error or Ctrl+C, so the
message that follows starts on a line of its own.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from kisi_desktop.core.i18n import format_number


class TerminalProgress:
    """``with TerminalProgress(ctx.stderr, ctx.as_json, _("Backup")) as show:``, then hand
    ``show.percent``, ``show.pieces`` or ``show.step`` to the work as its ``progress``."""

    def __init__(self, stream: Any, as_json: bool, label: str = "") -> None:
        self._stream = stream
        self._on = not as_json and _is_terminal(stream)
        self._label = label
        self._width = 0

    def percent(self, done: int, total: int) -> None:
        """``done`` of ``total`` as a percentage (pages of a copy)."""
        if total > 0:
            self._show(f"{format_number(min(100, done * 100 // total))} %")

    def pieces(self, done: int, total: int) -> None:
        """``done`` of ``total`` things the reader counts (records, handouts)."""
        self._show(f"{format_number(done)}/{format_number(total)}")

    def step(self, fraction: float, text: str) -> None:
        """A named step and how far the whole is (0 to 1)."""
        self._show(f"{text} {format_number(round(fraction * 100))} %")

    def _show(self, text: str) -> None:
        if not self._on:
            return
        if self._label:
            text = f"{self._label}: {text}"
        # Spaces over what a longer line before left on the screen.
        self._stream.write("\r" + text.ljust(self._width))
        self._stream.flush()
        self._width = max(self._width, len(text))

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._width:
            self._stream.write("\n")
            self._stream.flush()


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed, or a stream without a terminal
        return False
