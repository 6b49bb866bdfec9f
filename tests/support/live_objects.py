"""What the garbage collector can still reach after a lock (SECURITY.md test plan P2).

Python cannot wipe memory (core/store/FORMAT.md, "Known limits"); what a lock can and
must do is leave nothing *reachable* that holds personal data: no record object, no
record text in a container or a cache. This module looks for both among the objects
``gc.get_objects()`` returns, after a full collection.

Limits of the search, by how CPython works:

* ``str`` and ``bytes`` objects are not tracked by the collector, so they are never in
  ``gc.get_objects()`` themselves. They are found through the tracked objects that refer
  to them (``gc.get_referents``: list items, dict keys and values, tuple items, instance
  slots and ``__dict__``, frames' locals, closures' cells). Containers the collector has
  stopped tracking because they hold only atomic values (tuples of strings, dicts of
  strings) are walked into from whatever tracked object refers to them.
* A string referred to only from C (a Qt widget's QString, SQLite's own copies, a
  C extension's static buffer) or from nothing at all (freed, but not yet overwritten) is
  not found: that is memory the process still holds, not something a reference keeps.
* The marker is split into a prefix and a number, and only both together count, so the
  test's own variables (which hold the two halves) do not match.
"""

from __future__ import annotations

import gc
import secrets
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from kisi_desktop.core.domain.registry import RECORD_TYPES
from kisi_desktop.core.store.sealed_store import LoadedRecord

PREFIX = "ZQXLOCKMARKER"
_WALK_DEPTH = 6


@dataclass(frozen=True, slots=True)
class Marker:
    """A unique word to type into a note; :meth:`text` is the only place it is whole."""

    number: str

    @classmethod
    def new(cls) -> Marker:
        return cls(str(secrets.randbits(60)).zfill(19))

    def text(self) -> str:
        return PREFIX + self.number

    def found_in(self, value: str | bytes | bytearray) -> bool:
        """Whether ``value`` holds the marker (as typed, or lower-cased by a search)."""
        if isinstance(value, str):
            for prefix in (PREFIX, PREFIX.lower()):
                at = value.find(prefix)
                while at >= 0:
                    start = at + len(prefix)
                    if value[start : start + len(self.number)] == self.number:
                        return True
                    at = value.find(prefix, at + 1)
            return False
        number = self.number.encode("ascii")
        for prefix_bytes in (PREFIX.encode("ascii"), PREFIX.lower().encode("ascii")):
            at = value.find(prefix_bytes)
            while at >= 0:
                start = at + len(prefix_bytes)
                if value[start : start + len(number)] == number:
                    return True
                at = value.find(prefix_bytes, at + 1)
        return False


def record_classes() -> tuple[type, ...]:
    """Every domain record class, and the store's opened record."""
    return (*RECORD_TYPES.values(), LoadedRecord)


def _records() -> list[object]:
    gc.collect()
    classes = record_classes()
    return [obj for obj in gc.get_objects() if isinstance(obj, classes)]


class RecordCensus:
    """The record objects reachable when it was taken, so that :meth:`new` names only
    those that came later: other test modules keep records of their own alive in
    module-level samples and fixtures, which are no leftover of the lock under test.

    The census keeps those earlier objects alive, so no later object can take over the
    address (``id``) of one of them.
    """

    def __init__(self) -> None:
        self._before = _records()
        self._ids = {id(obj) for obj in self._before}

    def new(self) -> list[str]:
        """Class names of the record objects reachable now that were not at the census."""
        return sorted(type(obj).__qualname__ for obj in _records() if id(obj) not in self._ids)


def open_connections(among: Iterable[sqlite3.Connection]) -> list[sqlite3.Connection]:
    """Those of ``among`` that still answer a query (a closed one raises)."""
    still = []
    for conn in among:
        try:
            conn.execute("SELECT 1")
        except sqlite3.ProgrammingError:
            continue
        still.append(conn)
    return still


def holders(marker: Marker) -> list[str]:
    """Descriptions of the reachable objects that refer to text holding ``marker``."""
    gc.collect()
    found: list[str] = []
    walked: set[int] = set()

    def visit(value: object, holder: object, depth: int) -> None:
        if isinstance(value, str | bytes | bytearray):
            if marker.found_in(value):
                found.append(f"{type(holder).__module__}.{type(holder).__qualname__}")
            return
        if (
            depth < _WALK_DEPTH
            and isinstance(value, tuple | dict | list | frozenset | set)
            and not gc.is_tracked(value)
            and id(value) not in walked
        ):
            walked.add(id(value))
            for inner in gc.get_referents(value):
                visit(inner, value, depth + 1)

    for obj in gc.get_objects():
        if isinstance(obj, bytearray) and marker.found_in(obj):
            found.append("bytearray")
        for value in gc.get_referents(obj):
            visit(value, obj, 0)
    return found
