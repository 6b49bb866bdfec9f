"""What a guide is told a content pack changed: which handouts read differently, which
translations are now outdated, and which version it replaces."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.content_packs import install_pack
from kisi_desktop.bundles.pack_changes import change_lines
from kisi_desktop.handouts.catalog import Status, load_catalog, shipped_folder

from tests.unit.bundles.test_content_packs import NOW, PASSPHRASE, Key, make, new_key, texts


@pytest.fixture(autouse=True)
def english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    set_ui_language("en")
    monkeypatch.setenv("KISI_HANDOUTS", str(tmp_path / "no-user-folder"))


@pytest.fixture
def key() -> Key:
    return new_key()


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace, _code = Workspace.create(
        tmp_path / "vault.kisi", PASSPHRASE, kdf=TEST_PARAMS, clock=FixedClock(NOW)
    )
    yield workspace
    workspace.lock()


def with_work(folder: Path) -> Path:
    """``folder`` plus the work topic with one German word changed."""
    work = folder / "work"
    work.mkdir()
    shipped = shipped_folder() / "work"
    shutil.copy(shipped / "topic.toml", work / "topic.toml")
    german = (shipped / "de.md").read_text("utf-8")
    (work / "de.md").write_text(german.replace("Mindestlohn", "gesetzlichen Mindestlohn"))
    return folder


def test_an_import_names_the_handouts_that_changed_and_the_translations_now_outdated(
    ws: Workspace, key: Key, tmp_path: Path
) -> None:
    shipped = load_catalog().topics["welcome"]
    # Every shipped welcome translation that matched the shipped German goes out of date.
    current = [
        c for c in shipped.texts if shipped.status(c) not in (Status.SOURCE, Status.OUTDATED)
    ]
    first = install_pack(ws, make(key, texts(tmp_path, "Willkommen in Hessen"), 1), [key.public])
    assert [(t.topic, t.languages) for t in first.changes.topics] == [("welcome", ("de",))]
    assert first.changes.newly_outdated == len(current) > 0
    lines = change_lines(first)
    assert "Handouts with new texts: Willkommen – Ihr Integrationsguide (de)" in lines
    assert f"{len(current)} translations are now marked outdated" in " ".join(lines)

    # Version 2 keeps the welcome texts and changes the German of the work topic.
    second = with_work(texts(tmp_path, "Willkommen in Hessen", "v2"))
    result = install_pack(ws, make(key, second, 2), [key.public])
    assert [(t.topic, t.languages) for t in result.changes.topics] == [("work", ("de",))]
    lines = change_lines(result)
    assert lines[0] == "It replaces version 1."
    assert "Handouts with new texts: Arbeit, Jobcenter und Agentur für Arbeit (de)" in lines

    # Version 3 drops the work topic again: it prints the shipped text once more.
    third = install_pack(ws, make(key, texts(tmp_path, "Willkommen in Hessen", "v3"), 3),
                         [key.public])  # fmt: skip
    assert [(t.topic, t.languages) for t in third.changes.topics] == [("work", ("de",))]

    same = install_pack(ws, make(key, texts(tmp_path, "Willkommen in Hessen", "v3b"), 3),
                        [key.public])  # fmt: skip
    assert not same.changed and change_lines(same) == []


def test_a_pack_with_the_shipped_texts_says_nothing_changed(
    ws: Workspace, key: Key, tmp_path: Path
) -> None:
    result = install_pack(ws, make(key, texts(tmp_path), 1), [key.public])
    assert result.changes.topics == () and result.changes.newly_outdated == 0
    assert change_lines(result) == ["No handout text changed."]
