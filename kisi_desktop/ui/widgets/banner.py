"""The look of the app's notice lines (a kept draft, forms waiting, sync warnings): one
pale amber panel, so the guide learns to read it as "something to see to", not an error."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame


def style_as_banner(frame: QFrame, name: str) -> None:
    """Name ``frame`` (for tests and style) and give it the notice look."""
    frame.setObjectName(name)
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setStyleSheet(
        f"#{name} {{ background: #fff4ce; border: 1px solid #e0c060; border-radius: 3px; }}"
    )
