"""A town's vault and the environment for running ``kisi-desktop`` in a process of its own
(as a guide starts it), unlocked by ``KISI_PASSPHRASE``."""

from __future__ import annotations

import os
from pathlib import Path

from kisi_desktop.core.domain import Municipality, Note, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace


def town_vault(folder: Path, passphrase: str) -> Path:
    """A locked vault of Kirchhain (its profile only) in ``folder``."""
    path = folder / "vault.kisi"
    ws, _code = Workspace.create(path, passphrase, kdf=TEST_PARAMS)
    ws.add(Municipality(ags="06534011", name="Kirchhain"))
    ws.lock()
    return path


def town_vault_with_a_note(folder: Path, passphrase: str) -> Path:
    """Kirchhain's vault with one person (Amina Haidari) and her note "Kitaplatz
    beantragt", locked."""
    path = folder / "vault.kisi"
    ws, _code = Workspace.create(path, passphrase, kdf=TEST_PARAMS)
    ws.add(Municipality(ags="06534011", name="Kirchhain"))
    person = ws.add(Person(name="Amina Haidari", nationalities=("AF",)))
    ws.add(Note(person_id=person.id, written_on=ws.clock.now().date(), text="Kitaplatz beantragt"))
    ws.lock()
    return path


def app_environment(folder: Path, passphrase: str, **more: str) -> dict[str, str]:
    """This process's environment for the app: offscreen, settings of its own in
    ``folder``, the passphrase to unlock with, and ``more``."""
    return dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        KISI_PASSPHRASE=passphrase,
        KISI_CONFIG_DIR=str(folder / "settings"),
        **more,
    )
