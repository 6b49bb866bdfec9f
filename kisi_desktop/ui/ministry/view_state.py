"""What the ministry view remembers between sessions, kept in the ministry folder itself.

Where receipts go and where the last files were saved belong to one ministry folder (two
folders, say a real and a training one, keep their own), so they live in
``ministry-view.json`` beside ``ministry.json``. The file holds no key and no figure; a
missing or damaged file gives the defaults, and a folder that cannot be written keeps the
choices for this session only.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

VIEW_FILE = "ministry-view.json"
# Three folder names and a number; anything far larger is not this file.
MAX_VIEW_BYTES = 64 * 1024


@dataclass
class ViewState:
    """The remembered choices; empty strings and 0 mean "not chosen yet"."""

    receipts_dir: str = ""
    save_dir: str = ""
    content_folder: str = ""
    content_pack_version: int = 0
    """The last pack version an older window made (the database records packs now,
    ``ministry.content_pack``); still read, so that its number is not handed out again."""


def load_state(folder: Path) -> ViewState:
    """The choices remembered for the ministry folder ``folder``."""
    try:
        with (folder / VIEW_FILE).open("rb") as file:
            data = file.read(MAX_VIEW_BYTES + 1)
        if len(data) > MAX_VIEW_BYTES:
            return ViewState()
        raw = json.loads(data.decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # (nesting too deep for the parser)
        return ViewState()
    if not isinstance(raw, dict):
        return ViewState()
    state = ViewState()
    for key in ("receipts_dir", "save_dir", "content_folder"):
        if isinstance(raw.get(key), str):
            setattr(state, key, raw[key][:4096])
    version = raw.get("content_pack_version")
    if isinstance(version, int) and not isinstance(version, bool) and 0 <= version < 10**9:
        state.content_pack_version = version
    return state


def save_state(folder: Path, state: ViewState) -> None:
    """Write the choices (atomically); a read-only folder keeps them for this session only."""
    target = folder / VIEW_FILE
    tmp = target.with_suffix(".tmp")
    with contextlib.suppress(OSError):
        tmp.write_text(json.dumps(asdict(state), indent=2) + "\n", "utf-8")
        os.replace(tmp, target)
