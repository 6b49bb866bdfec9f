"""Qt's offscreen platform with a screen of a given size (its default is 800x800)."""

from __future__ import annotations

import json
from pathlib import Path


def offscreen_platform(folder: str | Path, width: int = 1920, height: int = 1080) -> str:
    """A ``QT_QPA_PLATFORM`` value: offscreen, with one screen of ``width`` x ``height``
    described in a file written to ``folder``."""
    screen = {
        "name": "offscreen",
        "x": 0,
        "y": 0,
        "width": width,
        "height": height,
        "logicalDpi": 96,
        "logicalBaseDpi": 96,
        "dpr": 1,
    }
    path = Path(folder) / f"offscreen-{width}x{height}.json"
    path.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return f"offscreen:configfile={path}"
