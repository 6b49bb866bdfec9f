"""A write the vault file refuses (a full disk): said in words, nothing half-stored, and
the same input saves once there is room again."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from kisi_desktop.core.domain import Person
from kisi_desktop.core.errors import VaultWriteFailed
from kisi_desktop.core.files import why_not_written
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from tests.support.full_disk import fill_the_disk, make_room

PASS = "Sonnenblume am Fenster"


def test_a_full_disk_is_said_and_nothing_is_half_stored(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    ws.add(Person(name="Amina Haidari", nationalities=("AF",)))
    fill_the_disk(ws.vault.conn)
    people = [
        Person(name=f"Yonas Haile {i} " + "x" * 150, nationalities=("ER",)) for i in range(40)
    ]
    with pytest.raises(VaultWriteFailed) as refused:
        ws.save(people, "import")
    assert str(refused.value).startswith("Die Festplatte ist voll")
    assert ws.count(Person) == 1
    assert ws.search("Yonas") == []
    # Room again: the same records save, and the file is whole.
    make_room(ws.vault.conn)
    ws.save(people, "import")
    assert ws.count(Person) == 41
    ws.lock()
    reopened = Workspace.open(path, passphrase=PASS)
    assert reopened.problems == ()
    assert reopened.count(Person) == 41
    assert reopened.audit_verify().ok
    reopened.lock()


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (errno.ENOSPC, "der Datenträger ist voll"),
        (errno.ENOENT, "der Ordner existiert nicht (mehr)"),
        (errno.EACCES, "dort darf nicht geschrieben werden"),
        (errno.EROFS, "das Laufwerk ist schreibgeschützt"),
        (errno.ENAMETOOLONG, "File name too long"),  # the system's words where we have none
    ],
)
def test_why_a_file_was_not_written_in_the_guides_words(code: int, said: str) -> None:
    assert why_not_written(OSError(code, os.strerror(code))) == said
