"""A full disk, as SQLite meets it, without filling one."""

from __future__ import annotations

import sqlite3

NO_LIMIT = 1_073_741_823  # SQLite's largest max_page_count


def fill_the_disk(conn: sqlite3.Connection) -> None:
    """SQLite's own limit on the file's pages: the next page it needs fails as SQLITE_FULL,
    the error a full disk gives."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def make_room(conn: sqlite3.Connection) -> None:
    """Space again, as after the guide deleted some files."""
    conn.execute(f"PRAGMA max_page_count = {NO_LIMIT}")
