"""sqlite-utils over our own connections, with its plugin hooks switched off.

sqlite-utils runs every installed ``sqlite_utils`` plugin when a ``Database`` is made (and
the first time scans every installed package for them: 17 ms of each unlock). Nothing
installed beside the app should get a hook into the vault's or the ministry's connection,
so plugins are never run on them.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def database(conn: sqlite3.Connection) -> Database:
    """A sqlite-utils ``Database`` on ``conn`` that runs no plugins.

    sqlite-utils is imported on first use (the first write after unlock), not at start.
    """
    from sqlite_utils import Database

    return Database(conn, execute_plugins=False)
