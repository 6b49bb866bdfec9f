"""The in-memory working set: every opened record, for lists, filters and full-text search.

An in-memory SQLite database (``temp_store=MEMORY``, so sorts never spill to a temp file)
holds each record's plaintext envelope as JSON text. Label and search text are virtual
generated columns computed from per-kind JSON paths, so bulk loading at unlock costs one
insert per record and one FTS5 rebuild, with no Python-side parsing. The database lives
only in this process and is closed on lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from kisi_desktop.core.spellings import ARABIC_LETTERS, german_spellings

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
# unicode61 with diacritics removed: "auslanderbehorde" finds "Ausländerbehörde".
_TOKENIZER = "unicode61 remove_diacritics 2"
_WORD = re.compile(r"[^\W_]+")

# What unicode61 does not fold but guides type without: Arabic short-vowel marks, shadda,
# sukun, superscript alef and tatweel (Arabic, Farsi, Dari, Pashto), and the Turkish
# dotless/dotted i, so that "yilmaz" finds "Yılmaz" and "مرحبا" finds "مَرْحَبًا"; and the
# Arabic and Persian forms of one letter (core/spellings.py), so that "علی" finds "علي".
_FOLD: dict[int, str | None] = dict.fromkeys((*range(0x064B, 0x0660), 0x0670, 0x0640))
_FOLD.update({ord("ı"): "i", ord("İ"): "I"})
_FOLD.update(ARABIC_LETTERS)
# The two private-use characters that mark matches in snippets (MATCH_START, MATCH_END,
# below): a text that holds them (pasted from a document whose font put symbols there)
# would have its own taken for matches. Nobody types or reads them.
_FOLD.update({0xE000: None, 0xE001: None})
_FOLDABLE = re.compile("[" + "".join(chr(cp) for cp in _FOLD) + "]")

# A copy for a worker (WorkingSet(copy_of=...)) is taken in steps of this many pages (1 MiB):
# SQLite holds the source's lock for one step at a time, so the owning thread waits at most
# about a millisecond to read or write meanwhile.
COPY_STEP_PAGES = 256
# While the owning thread is inside a batch of changes, a step waits this long and tries
# again; after COPY_WAIT_S of nothing but waiting the copy gives up (a batch left open is a
# bug: without a bound the worker would try forever).
COPY_RETRY_S = 0.002
COPY_WAIT_S = 5.0
# A commit through the source starts an in-memory copy over (SQLite's pager.c: an in-memory
# database has no file to update the copied pages from). After this many restarts the rest
# is copied in one step.
COPY_RESTARTS = 3
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class CopyStopped(Exception):
    """The copy was no longer wanted (its ``stop`` said so, or the source was closed) and
    was dropped half made."""


class _Restarting(Exception):
    """Saves started the copy over too often: it goes on in one step."""


def fold(text: str | None) -> str:
    """Text as the search index sees it (also applied to what the user types).

    Runs once per record at unlock: the regular-expression scan (C speed) skips the slow
    ``str.translate`` for the many texts that contain nothing to fold.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    try:
        # Every letter to fold lies above U+00FF: German, French or Turkish-free Latin text
        # passes this copy (a memcpy for such strings) and skips the scan, which takes
        # ten times as long on a typical note (0.2 s of a cold unlock of 100,000 notes).
        text.encode("latin-1")
    except UnicodeEncodeError:
        return text.translate(_FOLD) if _FOLDABLE.search(text) else text
    return text


def as_written(snippet: str, plain: str | None) -> str:
    """``snippet`` (cut from the folded text the index holds) in the letters of ``plain``,
    the text it was folded from: an Arabic note shown with Persian yeh and kaf and without
    its vowel marks, or "Yılmaz" as "Yilmaz", is not what the guide wrote.

    Folding keeps or drops each character of the NFC text, so every folded character
    stands for one written one (and the marks dropped after it). A snippet that cannot be
    placed in the folded text is returned as it is.
    """
    text = unicodedata.normalize("NFC", plain or "")
    whole = fold(text)
    if not snippet or whole == text:
        return snippet
    starts: Sequence[int] = range(len(text))  # where each kept character stands in text
    if len(whole) != len(text):  # marks were dropped: placed one by one (slower)
        starts = [at for at, char in enumerate(text) if _FOLD.get(ord(char), char)]
    fragment = snippet.replace(MATCH_START, "").replace(MATCH_END, "")
    lead = trail = ""
    begin = whole.find(fragment)
    if begin < 0:  # the ellipses FTS5 put where the text goes on
        lead = "…" if fragment.startswith("…") else ""
        trail = "…" if fragment.endswith("…") and len(fragment) > len(lead) else ""
        fragment = fragment[len(lead) : len(fragment) - len(trail)]
        begin = whole.find(fragment)
        if begin < 0:
            return snippet
    ends = [*starts[1:], len(text)] if isinstance(starts, list) else range(1, len(text) + 1)
    out = [lead]
    position = begin
    for char in snippet[len(lead) : len(snippet) - len(trail)]:
        if char in (MATCH_START, MATCH_END):
            out.append(char)
        else:
            # (with the marks folding dropped, but never a stored marker character)
            written = text[starts[position] : ends[position]]
            out.append(written.replace(MATCH_START, "").replace(MATCH_END, ""))
            position += 1
    out.append(trail)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class IndexSpec:
    """Which payload fields of a kind make its label and its searchable text."""

    label: tuple[str, ...]
    search: tuple[str, ...] = ()
    day: str | None = None
    """The payload field with the record's date (a contact's day, a follow-up's due date):
    indexed, so that a month or a project year is found without reading every record."""


# Around each matched word in a snippet: private-use characters, which typed text does not
# hold, so that each caller marks matches its own way (:meth:`Hit.marked`).
MATCH_START, MATCH_END = "\ue000", "\ue001"


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result."""

    id: str
    kind: str
    label: str
    snippet: str
    """The text around the match, matched words between MATCH_START and MATCH_END, the
    record's fields one per line."""
    owner: str | None = None
    """The person the record belongs to (a person's own id for a person)."""

    def marked(self, start: str = "[", end: str = "]", fields: str = "\n") -> str:
        """The snippet with its matches between ``start`` and ``end`` (the command line:
        brackets; a list of results: nothing) and its fields joined by ``fields``."""
        text = self.snippet.replace(MATCH_START, start).replace(MATCH_END, end)
        return fields.join(line.strip() for line in text.splitlines() if line.strip())


def _concat(paths: Sequence[str], row: str) -> str:
    if not paths:
        return "''"
    parts = []
    for path in paths:
        if not _IDENT.match(path):
            raise ValueError(f"bad field name {path!r}")
        parts.append(f"coalesce(json_extract({row}body, '$.d.{path}'), '')")
    return " || ' ' || ".join(parts)


def _case(spec: Mapping[str, IndexSpec], attr: str, row: str = "") -> str:
    """SQL for a kind's label or search text; ``row`` is "" or a trigger's "new."/"old."."""
    whens = []
    for kind, index in sorted(spec.items()):
        if not _IDENT.match(kind):
            raise ValueError(f"bad kind {kind!r}")
        whens.append(f"WHEN '{kind}' THEN {_concat(getattr(index, attr), row)}")
    return f"CASE {row}kind " + " ".join(whens) + " ELSE '' END" if whens else "''"


def _day_case(spec: Mapping[str, IndexSpec]) -> str:
    """SQL for a kind's date field, NULL for kinds without one."""
    whens = []
    for kind, index in sorted(spec.items()):
        if index.day is None:
            continue
        if not _IDENT.match(kind) or not _IDENT.match(index.day):
            raise ValueError(f"bad kind or date field {kind!r}/{index.day!r}")
        whens.append(f"WHEN '{kind}' THEN json_extract(body, '$.d.{index.day}')")
    return "CASE kind " + " ".join(whens) + " END" if whens else "NULL"


def fts_query(text: str) -> str | None:
    """Turn what a user typed into an FTS5 query: every word must match, as a prefix."""
    # NFC first: a word typed or pasted decomposed ("Ausla\u0308nder") would otherwise split
    # at the combining mark. Words are runs of letters and digits, as unicode61 cuts them:
    # "_" is a separator there, and a quoted word the tokenizer cuts in two is a phrase,
    # which the index (detail=none) refuses with an error.
    words = _WORD.findall(fold(text))
    if not words:
        return None
    # "Mueller" finds "Müller" and the other way round (core/spellings.py).
    return " AND ".join(_any_spelling(german_spellings(word)) for word in words)


def _any_spelling(spellings: Sequence[str]) -> str:
    if len(spellings) == 1:
        return '"' + spellings[0] + '"*'
    return "(" + " OR ".join('"' + spelt + '"*' for spelt in spellings) + ")"


class WorkingSet:
    """Opened records in memory. Not thread-safe: use from the thread that owns the vault."""

    def __init__(
        self,
        spec: Mapping[str, IndexSpec],
        snapshot: bytes | memoryview | None = None,
        *,
        copy_of: WorkingSet | None = None,
        stop: Callable[[], bool] = lambda: False,
    ) -> None:
        """An empty working set, one restored from :meth:`serialize` output, or a copy of
        another one (``copy_of``).

        A snapshot made for other index fields (an older app version) is refused with
        ValueError; the caller then loads records one by one.

        A copy is made on the calling thread (a worker) while the thread that owns
        ``copy_of`` goes on reading and writing it: page by page through SQLite's backup,
        which holds the source for one step at a time (:data:`COPY_STEP_PAGES`) and ends
        outside any :meth:`batch` of changes, so that the copy holds whole saves only. A
        change committed meanwhile starts the copy over (an in-memory source), after a
        few restarts the rest is copied in one step (:data:`COPY_RESTARTS`). Taking the
        same copy as a serialized image on the owning thread froze the window 35-55 ms
        at every count or list read on a worker (10,000 people). ``stop`` is asked after
        every step: once it says True the copy is dropped and :class:`CopyStopped` raised
        (the vault was locked meanwhile); so it is when the source is closed meanwhile
        (SQLite would keep the closed connection for the copy and finish it).
        """
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            ":memory:", isolation_level=None, check_same_thread=False
        )
        # Held by close(), and by a copy from just before it attaches to this connection
        # until it has: CPython's backup() reads the connection again after it let go of
        # the GIL, and a close in that moment would free it under the copy.
        self._closing = threading.Lock()
        self._conn.create_function("kisi_fold", 1, fold, deterministic=True)
        conn = self._conn
        conn.execute("PRAGMA temp_store=MEMORY")
        # Freed pages are zeroed, so a serialised snapshot carries no deleted text.
        conn.execute("PRAGMA secure_delete=ON")
        self._triggers_on = False
        self._indexed = False
        # id -> rid lookups from a dict: cheaper to fill at unlock than a unique index.
        # After a restore it is filled later (0.06 s for 100,000 records that the first
        # paint of the window does not need): in steps by the window (map_ids), or all at
        # once by the first read or write by id.
        self._rid_map: dict[str, int] | None = {}
        # While the map is built in steps (map_ids): the highest row mapped so far.
        self._mapped_after: int | None = None
        self._next_rid = 1
        # Set when text was deleted or replaced: only then does compact() have work to do.
        self.replaced_text = False
        # Whether the (kind, owner) index is known to exist, and whether it was built here
        # (then a snapshot restored without it should be written again: see owner_index()).
        self._owner_indexed = False
        self.owner_index_built = False
        self._spec = dict(spec)
        self._schema = self._ddl(spec)
        if copy_of is not None:
            self._copy(copy_of, stop)
            return
        if snapshot is not None:
            self._restore(snapshot)
            return
        for statement in self._schema:
            conn.execute(statement)
        conn.execute("CREATE TABLE ws_meta (format TEXT NOT NULL)")
        conn.execute("INSERT INTO ws_meta VALUES (?)", (self._format(),))

    @property
    def _rids(self) -> dict[str, int]:
        if self._rid_map is None or self._mapped_after is not None:
            self.map_ids()
        return cast("dict[str, int]", self._rid_map)

    @property
    def ids_mapped(self) -> bool:
        """Whether the map from record id to row is complete (:meth:`map_ids`)."""
        return self._rid_map is not None and self._mapped_after is None

    def map_ids(self, rows: int | None = None) -> bool:
        """Build the map from record id to row: the rest of it, or ``rows`` more; True once
        it is complete. After a snapshot the first read or write by id built all of it, 65 ms
        for 100,000 records, on the UI thread when a guide opened the first person after an
        unlock; the window builds it in steps meanwhile (ui/session.py)."""
        if self.ids_mapped:
            return True
        if self._rid_map is None:
            self._rid_map, self._mapped_after = {}, -1
        sql = "SELECT id, rid FROM item WHERE rid > ? ORDER BY rid"
        if rows is None:
            self._rid_map.update(self.conn.execute(sql, (self._mapped_after,)))
            self._mapped_after = None
            return True
        # As one JSON text, not a row each: SQLite hands the GIL over at every row fetched,
        # and while a worker reads (the unlock's row check, a list) each handover cost the
        # UI thread up to the interpreter's switch interval: a step of 1,000 rows took
        # 40-100 ms instead of 2.
        (found,) = self.conn.execute(
            f"SELECT json_group_array(json_array(id, rid)) FROM ({sql} LIMIT ?)",  # noqa: S608
            (self._mapped_after, rows),
        ).fetchone()
        batch = json.loads(found)
        self._rid_map.update(batch)
        if len(batch) < rows:
            self._mapped_after = None
            return True
        self._mapped_after = max(rid for _id, rid in batch)
        return False

    def _format(self) -> str:
        digest = hashlib.sha256("\n".join(self._schema).encode()).hexdigest()[:16]
        # /2: Arabic and Persian letter forms folded into one (an index made before
        # holds them apart, and a query folded now would miss its words).
        return f"kisi-ws/2/{digest}"

    def _restore(self, snapshot: bytes | memoryview) -> None:
        conn = self.conn
        try:
            conn.deserialize(snapshot)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise ValueError("not a working-set snapshot") from exc
        self._restored()

    def _copy(self, source: WorkingSet, stop: Callable[[], bool]) -> None:
        waiting_since: float | None = None
        left: int | None = None
        restarts = 0
        in_one_step = False
        holding = True  # source._closing, until the first step has attached the copy

        def step(status: int, remaining: int, _pages: int) -> None:
            nonlocal waiting_since, left, restarts, holding
            if holding:
                holding = False
                source._closing.release()
            if stop() or source._conn is None:
                raise CopyStopped
            if status not in _BUSY:
                waiting_since = None
            elif waiting_since is None:
                waiting_since = time.monotonic()
            elif time.monotonic() - waiting_since > COPY_WAIT_S:
                raise RuntimeError("the working set stayed inside a batch of changes")
            if not in_one_step and left is not None and remaining > left:
                restarts += 1
                if restarts >= COPY_RESTARTS:
                    raise _Restarting
            left = remaining

        source._closing.acquire()
        try:
            if source._conn is None:
                raise CopyStopped  # closed (locked) before the copy began
            try:
                source.conn.backup(
                    self.conn, pages=COPY_STEP_PAGES, progress=step, sleep=COPY_RETRY_S
                )
            except _Restarting:
                # Saves keep coming (an import writes one record after another): each
                # starts an in-memory copy over. So the whole copy in one step: it holds the
                # source 20-40 ms (10,000 people) but cannot be started over.
                in_one_step = True
                source.conn.backup(self.conn, pages=-1, progress=step, sleep=COPY_RETRY_S)
        except BaseException:
            self.close()
            raise
        finally:
            if holding:
                source._closing.release()
        self._restored()

    def _restored(self) -> None:
        conn = self.conn
        try:
            found = conn.execute("SELECT format FROM ws_meta").fetchone()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise ValueError("not a working-set snapshot") from exc
        if found is None or found[0] != self._format():
            self.close()
            raise ValueError("snapshot made for other index fields")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA secure_delete=ON")
        self._rid_map = None
        self._next_rid = (
            int(conn.execute("SELECT coalesce(max(rid), 0) FROM item").fetchone()[0]) + 1
        )
        self._triggers_on = True
        self._indexed = True

    def compact(self) -> None:
        """Drop every trace of deleted or replaced text from the in-memory database.

        FTS5 only marks deleted entries; their words stay in older index segments until
        a rebuild. VACUUM then rewrites the file image without free pages.
        """
        self._install_triggers()
        if not self.replaced_text:
            return
        self.conn.execute("INSERT INTO item_fts (item_fts) VALUES ('rebuild')")
        self.conn.execute("VACUUM")
        self.replaced_text = False

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Changes that belong together (one save, one erasure): a copy taken on another
        thread meanwhile holds all of them or none (see ``copy_of``). Not a rollback: a
        change that fails leaves those before it in place, as without a batch (the vault
        has them already). Within another batch it adds nothing."""
        conn = self.conn
        if conn.in_transaction:
            yield
            return
        # (Installing them runs a script, and a script commits an open transaction first.)
        self._install_triggers()
        conn.execute("BEGIN")
        try:
            yield
        finally:
            if self._conn is not None and self._conn.in_transaction:
                self._conn.execute("COMMIT")

    def serialize(self) -> bytes:
        """The whole in-memory database as bytes, for the vault to seal as a snapshot."""
        self._install_triggers()
        return self.conn.serialize()

    @staticmethod
    def _ddl(spec: Mapping[str, IndexSpec]) -> list[str]:
        return [
            f"""CREATE TABLE item (
                rid INTEGER PRIMARY KEY,
                id TEXT NOT NULL,
                kind TEXT NOT NULL,
                version INTEGER NOT NULL,
                body TEXT NOT NULL,
                owner TEXT GENERATED ALWAYS AS (json_extract(body, '$.o')) VIRTUAL,
                created_at TEXT GENERATED ALWAYS AS (json_extract(body, '$.c')) VIRTUAL,
                updated_at TEXT GENERATED ALWAYS AS (json_extract(body, '$.u')) VIRTUAL,
                label TEXT GENERATED ALWAYS AS ({_case(spec, "label")}) VIRTUAL,
                day TEXT GENERATED ALWAYS AS ({_day_case(spec)}) VIRTUAL
            )""",
            # The searchable text is a view, not a generated column of ``item``: SQLite
            # computes generated columns on every insert too, which doubled the Python
            # folding work of a cold unlock.
            # kinds and field names are checked against _IDENT in _case/_concat
            f"""CREATE VIEW item_search AS
                SELECT rid, kisi_fold({_case(spec, "search")}) AS search FROM item""",  # noqa: S608
            # detail=none: no positions, so no phrase queries, which search does not offer;
            # prefix queries and snippets still work and the index builds about 40 % faster.
            "CREATE VIRTUAL TABLE item_fts USING fts5(search, content='item_search', "
            f"content_rowid='rid', tokenize='{_TOKENIZER}', detail=none, columnsize=0)",
        ]

    @property
    def conn(self) -> sqlite3.Connection:
        """The in-memory connection, for read-only queries by reports."""
        if self._conn is None:
            raise RuntimeError("working set is closed")
        return self._conn

    def _install_triggers(self) -> None:
        if self._triggers_on:
            return
        self._finish_indexes()
        new = f"kisi_fold({_case(self._spec, 'search', 'new.')})"
        old = f"kisi_fold({_case(self._spec, 'search', 'old.')})"
        # Kinds and field names in the expressions are checked against _IDENT.
        self.conn.executescript(
            f"""
            CREATE TRIGGER item_ai AFTER INSERT ON item BEGIN
              INSERT INTO item_fts (rowid, search) VALUES (new.rid, {new});
            END;
            CREATE TRIGGER item_ad AFTER DELETE ON item BEGIN
              INSERT INTO item_fts (item_fts, rowid, search) VALUES ('delete', old.rid, {old});
            END;
            CREATE TRIGGER item_au AFTER UPDATE ON item BEGIN
              INSERT INTO item_fts (item_fts, rowid, search) VALUES ('delete', old.rid, {old});
              INSERT INTO item_fts (rowid, search) VALUES (new.rid, {new});
            END;
            """  # noqa: S608
        )
        self._triggers_on = True

    def _finish_indexes(self) -> None:
        # Built once after bulk loading: one sort is cheaper than 100,000 index updates.
        if not self._indexed:
            self.conn.execute("CREATE INDEX IF NOT EXISTS item_kind ON item (kind)")
            # A month's contacts, a project year's outcomes, each person's first contact:
            # found without parsing the JSON of every record (0.07 s for 30,000 contacts,
            # 6 ms with the index). Partial: undated kinds (notes, consents...) cost the
            # cold unlock nothing, and SQLite uses it for any comparison on ``day``.
            self.conn.execute(
                "CREATE INDEX IF NOT EXISTS item_day ON item (kind, day, owner) "
                "WHERE day IS NOT NULL"
            )
            self._indexed = True

    def owner_index(self) -> None:
        """Make sure one person's records are found through an index on (kind, owner).

        Without it the person page read every record of each kind to find one person's:
        0.12 s with 10,000 people, at every opening and after every save there; with it,
        under a millisecond. Building it takes 0.15 s for 110,000 records, so it is not
        built at unlock: on first use, or before a snapshot is written, which then carries
        it to every later unlock.
        """
        if self._owner_indexed or self.conn.in_transaction:
            return  # (inside a bulk load's transaction it could be rolled back with it)
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'item_owner'"
        ).fetchone()
        if exists is None:
            self.conn.execute("CREATE INDEX item_owner ON item (kind, owner)")
            self.owner_index_built = True
        self._owner_indexed = True

    def load(self, records: Iterable[tuple[str, str, int, str | bytes]]) -> None:
        """Bulk-insert (id, kind, version, body) rows and build the search index once."""
        loader = self.loader()
        loader.add(list(records))
        loader.finish()

    def loader(self) -> BulkLoader:
        """A loader for the records opened at unlock, fed chunk by chunk."""
        if self._triggers_on:
            raise RuntimeError("bulk loading is only possible into a fresh working set")
        return BulkLoader(self)

    def upsert(self, rid: str, kind: str, version: int, body: str) -> None:
        """Insert or replace one record after a write."""
        self._install_triggers()
        row = self._rids.get(rid)
        if row is None:
            row = self._next_rid
            self._next_rid += 1
            self.conn.execute(
                "INSERT INTO item (rid, id, kind, version, body) VALUES (?, ?, ?, ?, ?)",
                (row, rid, kind, version, body),
            )
            self._rids[rid] = row
        else:
            self.conn.execute(
                "UPDATE item SET kind = ?, version = ?, body = ? WHERE rid = ?",
                (kind, version, body, row),
            )
            self.replaced_text = True

    def remove(self, rid: str) -> None:
        """Forget a record (erased or deleted)."""
        self._install_triggers()
        row = self._rids.pop(rid, None)
        if row is not None:
            self.conn.execute("DELETE FROM item WHERE rid = ?", (row,))
            self.replaced_text = True

    def body(self, rid: str) -> tuple[str, str] | None:
        """(kind, envelope JSON) of one record, or None."""
        row = self._rids.get(rid)
        if row is None:
            return None
        found = self.conn.execute("SELECT kind, body FROM item WHERE rid = ?", (row,)).fetchone()
        return (found[0], found[1]) if found else None

    def bodies(self, kind: str, *, owner: str | None = None) -> list[tuple[str, str]]:
        """(id, envelope JSON) of every record of a kind, newest first; optionally one owner's."""
        if owner is None:
            cur = self.conn.execute(
                "SELECT id, body FROM item WHERE kind = ? ORDER BY created_at DESC, rid DESC",
                (kind,),
            )
        else:
            self.owner_index()
            cur = self.conn.execute(
                "SELECT id, body FROM item WHERE kind = ? AND owner = ? "
                "ORDER BY created_at DESC, rid DESC",
                (kind, owner),
            )
        return cur.fetchall()

    def rows(
        self,
        kind: str,
        fields: Sequence[str],
        *,
        owner: str | None = None,
        days: tuple[str | None, str | None] | None = None,
        ids: Iterable[str] | None = None,
        owners: Iterable[str] | None = None,
        until: tuple[str, str] | None = None,
        excluding: tuple[str, Sequence[str]] | None = None,
    ) -> list[tuple[Any, ...]]:
        """``(id, *payload fields)`` for every record of ``kind``, in the order they came.

        Narrowed to one owner's records, to records whose date field (:attr:`IndexSpec.day`)
        lies in ``days`` (ISO ``first``..``last``, either end open with None; records
        without a date are left out), to the records with the given ``ids`` (found by
        reading every record of the kind), to those of the given ``owners`` (through
        the owner index: 715 of 10,000 people in 2 ms instead of 9), or to those whose
        payload field ``until[0]`` is set and at most ``until[1]`` (ISO): SQLite skips the
        others without handing them to Python (the Overview's referrals to follow up, a
        few of 10,000), and without those whose field ``excluding[0]`` holds one of the
        values ``excluding[1]`` (referrals already settled).
        """
        narrowing = [n[0] for n in (until, excluding) if n is not None]
        for name in (*fields, *narrowing):
            if not _IDENT.match(name):
                raise ValueError(f"bad field name {name!r}")
        columns = "".join(f", json_extract(body, '$.d.{name}')" for name in fields)
        sql = f"SELECT id{columns} FROM item WHERE kind = ?"  # noqa: S608 - names checked above
        params: list[Any] = [kind]
        if owner is not None:
            self.owner_index()
            sql += " AND owner = ?"
            params.append(owner)
        if days is not None:
            sql += " AND day >= ? AND day <= ?"
            # ISO dates compare as text; "" sorts before and "~" after every date.
            params.extend((days[0] or "", days[1] or "~"))
        if ids is not None:
            sql += " AND id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(set(ids))))
        if until is not None:
            # (NULL compares as neither: a record without the field is left out)
            sql += f" AND json_extract(body, '$.d.{until[0]}') <= ?"
            params.append(until[1])
        if excluding is not None:
            field = excluding[0]
            sql += (
                f" AND coalesce(json_extract(body, '$.d.{field}'), '') "  # noqa: S608 - checked
                "NOT IN (SELECT value FROM json_each(?))"
            )
            params.append(json.dumps(sorted(excluding[1])))
        if owners is not None:
            self.owner_index()
            # As a list of rids: written plainly, the ORDER BY below makes SQLite walk
            # every record of the kind in rid order instead of taking the owner index.
            sql += (
                " AND rid IN (SELECT rid FROM item WHERE kind = ? "
                "AND owner IN (SELECT value FROM json_each(?)))"
            )
            params.extend((kind, json.dumps(sorted(set(owners)))))
        return self.conn.execute(sql + " ORDER BY rid", params).fetchall()

    def owner_rows(self, kind: str, owner: str, fields: Sequence[str]) -> list[list[Any]]:
        """``[id, *payload fields]`` of ``owner``'s records of ``kind``, in no set order,
        as JSON values: a list field is a list here, not JSON text as in :meth:`rows`, a
        flag 1 or 0, a missing field None.

        Read as one JSON text, not a row each (as :meth:`map_ids` reads): a person page reads
        up to a thousand of one person's records on the UI thread, and while a worker ran
        Python (the row check, the People list read again after a save) 500 contacts
        read a row at a time took 0.2-0.4 s instead of 5 ms.
        """
        for name in fields:
            if not _IDENT.match(name):
                raise ValueError(f"bad field name {name!r}")
        self.owner_index()
        columns = "".join(f", json_extract(body, '$.d.{name}')" for name in fields)
        (found,) = self.conn.execute(
            f"SELECT json_group_array(json_array(id{columns})) FROM item "  # noqa: S608 - names checked above
            "WHERE kind = ? AND owner = ?",
            (kind, owner),
        ).fetchone()
        rows: list[list[Any]] = json.loads(found)
        return rows

    def owners(self, kind: str) -> set[str]:
        """The owners (people) with at least one record of ``kind``, from the owner index."""
        self.owner_index()
        rows = self.conn.execute(
            "SELECT DISTINCT owner FROM item WHERE kind = ? AND owner IS NOT NULL", (kind,)
        ).fetchall()
        return {str(owner) for (owner,) in rows}

    def owners_with_text(self, kind: str, field: str, among: Iterable[str]) -> set[str]:
        """Those of ``among`` who own a record of ``kind`` whose ``field`` holds text (a
        contact's note): through the (kind, owner) index, so only their records are parsed."""
        if not _IDENT.match(field):
            raise ValueError(f"bad field name {field!r}")
        self.owner_index()
        rows = self.conn.execute(
            "SELECT DISTINCT owner FROM item WHERE kind = ? "  # noqa: S608 - name checked above
            "AND owner IN (SELECT value FROM json_each(?)) "
            f"AND coalesce(json_extract(body, '$.d.{field}'), '') <> ''",
            (kind, json.dumps(sorted(set(among)))),
        ).fetchall()
        return {str(owner) for (owner,) in rows}

    def first_days(self, kind: str) -> dict[str, str]:
        """Owner -> earliest date of that owner's records of ``kind`` (from the index alone)."""
        return dict(
            self.conn.execute(
                # The date index holds day and owner: nothing is parsed. Left to itself,
                # SQLite groups along the (kind, owner) index instead and parses every
                # record's JSON for its date, five times slower (11 -> 54 ms); "+owner"
                # keeps that index out of the choice (and nothing fails if one is missing).
                "SELECT owner, min(day) FROM item WHERE kind = ? "
                "AND day IS NOT NULL AND +owner IS NOT NULL GROUP BY +owner",
                (kind,),
            ).fetchall()
        )

    def last_days(self, kind: str, owner: str | None = None) -> dict[str, str]:
        """Owner -> latest date of that owner's records of ``kind`` (only ``owner``'s, if
        given), from the indexes alone."""
        if owner is not None:
            self.owner_index()
            row = self.conn.execute(
                "SELECT max(day) FROM item WHERE kind = ? AND owner = ?", (kind, owner)
            ).fetchone()
            return {} if row[0] is None else {owner: row[0]}
        return dict(
            self.conn.execute(
                # "+owner": as in first_days.
                "SELECT owner, max(day) FROM item WHERE kind = ? "
                "AND day IS NOT NULL AND +owner IS NOT NULL GROUP BY +owner",
                (kind,),
            ).fetchall()
        )

    def count_first_days(self, kind: str, first: str, last: str) -> int:
        """How many owners have their earliest record of ``kind`` in ``first``..``last``.

        Counted inside SQLite: the Overview's "new people" needs the number, and handing
        10,000 owners to Python for it cost twice as long.
        """
        return int(
            self.conn.execute(
                # "+owner": as in first_days.
                "SELECT count(*) FROM (SELECT min(day) AS first FROM item "
                "WHERE kind = ? AND day IS NOT NULL AND +owner IS NOT NULL GROUP BY +owner) "
                "WHERE first >= ? AND first <= ?",
                (kind, first, last),
            ).fetchone()[0]
        )

    def owned_by(self, person_id: str) -> list[tuple[str, str]]:
        """(kind, id) of every record whose owner is that person."""
        return self.conn.execute(
            "SELECT kind, id FROM item WHERE owner = ?", (person_id,)
        ).fetchall()

    def count(self, kind: str | None = None) -> int:
        """How many records (of a kind) are open."""
        if kind is None:
            return int(self.conn.execute("SELECT count(*) FROM item").fetchone()[0])
        return int(
            self.conn.execute("SELECT count(*) FROM item WHERE kind = ?", (kind,)).fetchone()[0]
        )

    def _insert_chunk(self, rows: list[tuple[int, str, str, int, str | bytes]]) -> None:
        # CAST: bodies may arrive as UTF-8 bytes; SQLite reads them as text without a
        # Python-side decode.
        self.conn.executemany(
            "INSERT INTO item (rid, id, kind, version, body) VALUES (?, ?, ?, ?, CAST(? AS TEXT))",
            rows,
        )

    def _assign_rids(
        self, rows: list[tuple[str, str, int, str | bytes]]
    ) -> list[tuple[int, str, str, int, str | bytes]]:
        start = self._next_rid
        self._next_rid += len(rows)
        out = [(start + i, *row) for i, row in enumerate(rows)]
        self._rids.update((row[1], row[0]) for row in out)
        return out

    def search(
        self, text: str, *, kinds: Sequence[str] | None = None, limit: int = 50
    ) -> list[Hit]:
        """Newest matches first; every typed word must occur (as a word prefix)."""
        query = fts_query(text)
        if query is None:
            return []
        # The text searched, unfolded beside the snippet: shown as it was written.
        plain = _case(self._spec, "search", "item.")  # (names checked against _IDENT)
        sql = (
            "SELECT item.id, item.kind, item.label, "  # noqa: S608 - see plain
            f"snippet(item_fts, 0, ?, ?, '…', 12), item.owner, {plain} FROM item_fts "
            "JOIN item ON item.rid = item_fts.rowid WHERE item_fts MATCH ?"
        )
        params: list[object] = [MATCH_START, MATCH_END, query]
        if kinds:
            sql += " AND item.kind IN (" + ",".join("?" * len(kinds)) + ")"
            params.extend(kinds)
        # Newest first: rows are loaded and written in creation order, and ordering by
        # rowid lets FTS5 stop after ``limit`` matches instead of ranking every match.
        sql += " ORDER BY item_fts.rowid DESC LIMIT ?"
        params.append(limit)
        try:
            return [
                Hit(rid, kind, label, as_written(snippet, plain), owner)
                for rid, kind, label, snippet, owner, plain in self.conn.execute(sql, params)
            ]
        except sqlite3.OperationalError as exc:
            # Python and SQLite (Unicode 6.1 tables) disagree on a few letters, e.g. New
            # Tai Lue vowel signs; such a word becomes a phrase the index cannot answer.
            # What the user typed must never end in an SQL error: no match instead.
            if str(exc).startswith("fts5:"):
                return []
            raise

    def close(self) -> None:
        """Drop everything held in memory (a copy being taken of it goes on until its
        ``stop`` says otherwise: see ``copy_of``)."""
        with self._closing:  # (not in the moment a copy attaches itself: _copy)
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class BulkLoader:
    """Inserts chunks of opened records as they come and builds the search index at the end.

    A worker thread that indexed while the caller decrypted was tried and measured slower
    (1.7 s sequential vs 2.1 s threaded for 100,000 notes): both halves hold the GIL for
    most of their time, so they only contended.
    """

    def __init__(self, working_set: WorkingSet) -> None:
        self._ws = working_set
        self._ws.conn.execute("BEGIN")

    def add(self, rows: list[tuple[str, str, int, str | bytes]]) -> None:
        """Insert a chunk of (id, kind, version, body) rows; body as text or UTF-8 bytes."""
        try:
            self._ws._insert_chunk(self._ws._assign_rids(rows))
        except BaseException:
            self._ws.conn.execute("ROLLBACK")
            raise

    def finish(self) -> None:
        """Build the full-text index and the lookup index, and commit."""
        conn = self._ws.conn
        if not conn.in_transaction:
            return
        conn.execute("INSERT INTO item_fts (item_fts) VALUES ('rebuild')")
        conn.execute("COMMIT")
        self._ws._install_triggers()
