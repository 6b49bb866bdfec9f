"""No sqlite-utils plugin installed beside the app gets a hook into the vault's connection.

A plugin's ``prepare_connection`` would run on every connection sqlite-utils wraps, and
could register SQL functions there. The vault, its writes and the ministry's intake
database never let plugins run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils.hookspecs import hookimpl
from sqlite_utils.plugins import pm

from kisi_desktop.core.domain import Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ministry.store import IntakeStore


class Snooper:
    """What a third-party plugin could do: see every connection sqlite-utils prepares."""

    def __init__(self) -> None:
        self.seen: list[sqlite3.Connection] = []

    @hookimpl
    def prepare_connection(self, conn: sqlite3.Connection) -> None:
        self.seen.append(conn)


@pytest.fixture
def snooper() -> Iterator[Snooper]:
    plugin = Snooper()
    pm.register(plugin, name="test-snooper")
    yield plugin
    pm.unregister(name="test-snooper")


def test_vault_and_intake_connections_are_not_shown_to_plugins(
    snooper: Snooper, tmp_path: Path
) -> None:
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, "Sonnenblume am Fenster", kdf=TEST_PARAMS)
    ws.add(Person(name="Amina Haidari"))
    ws.lock()
    ws = Workspace.open(path, passphrase="Sonnenblume am Fenster")
    ws.add(Person(name="Omid Rahimi"))
    ws.lock()
    IntakeStore.create(tmp_path / "intake.db").close()
    IntakeStore.open(tmp_path / "intake.db").close()
    assert snooper.seen == []


def test_the_snooper_would_see_a_connection_made_the_default_way(snooper: Snooper) -> None:
    """The guard above can fail: a Database made without our helper runs the plugin."""
    from sqlite_utils import Database

    conn = sqlite3.connect(":memory:")
    Database(conn)
    assert snooper.seen == [conn]
