"""Read the JSON known-answer vectors in tests/vectors/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).resolve().parents[1] / "vectors"


def load_vector(name: str) -> Any:
    """The parsed ``tests/vectors/<name>.json``."""
    return json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))


def field_value(field: list[Any]) -> bytes | str | int:
    """Decode a typed field ``["str"|"int"|"hex", value]`` from a vector file."""
    kind, value = field
    if kind == "str":
        return str(value)
    if kind == "int":
        return int(value)
    if kind == "hex":
        return bytes.fromhex(value)
    raise ValueError(f"unknown field type {kind!r}")
