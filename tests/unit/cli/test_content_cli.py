"""``kisi content import|status`` and ``kisi ministry content-pack``, as a guide and the
ministry's staff would run them."""

from __future__ import annotations

import argparse
import io
import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.settings import Settings
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.content_packs import packs_root
from kisi_desktop.bundles.provisioning import (
    Provisioning,
    fingerprint,
    install_provisioning,
    write_provisioning,
)
from kisi_desktop.cli.content import register_ministry_content_pack
from kisi_desktop.cli.main import Context
from kisi_desktop.handouts.catalog import load_catalog, shipped_folder
from kisi_desktop.ministry.content_pack import made_packs
from kisi_desktop.ministry.keys import init_ministry, load_ministry

from .conftest import PASSPHRASE, Kisi, Result

EXPIRES = (datetime.now(UTC) + timedelta(days=365)).date()


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The vault fixture clears KISI_LANG: the settings say English instead.
    set_ui_language("en")
    monkeypatch.setattr("kisi_desktop.cli.main.load_settings", lambda: Settings(language="en"))
    monkeypatch.setenv("KISI_HANDOUTS", str(tmp_path / "no-user-folder"))


@pytest.fixture
def ministry(tmp_path: Path) -> Path:
    folder = tmp_path / "ministry"
    init_ministry(folder).close()
    return folder


def provision(vault: Path, ministry: Path) -> None:
    """Install a provisioning file naming the ministry's content key (root confirmed by
    fingerprint, as the guide would after a phone call)."""
    with load_ministry(ministry) as m:
        assert m.root is not None
        doc = Provisioning(
            version=1,
            issued="2026-11-01T00:00:00Z",
            expires=EXPIRES,
            demo=False,
            root_key=m.root.public.base64(),
            age_recipients=(m.recipient,),
            content_key_lines=(m.content.public.base64(),),
            receipt_key_lines=(m.receipt.public.base64(),),
            intake_url=None,
            spki_pins=(),
            participation_rows=False,
            min_app_version="0.1.0",
        )
        data = write_provisioning(doc, m.root.private, m.root.key_id)
    ws = Workspace.open(vault, passphrase=PASSPHRASE)
    try:
        install_provisioning(ws, data, confirmed_fingerprint=fingerprint(doc.root_key))
    finally:
        ws.lock()


def texts(tmp_path: Path, greeting: str, name: str) -> Path:
    folder = tmp_path / name / "welcome"
    folder.mkdir(parents=True)
    shipped = shipped_folder() / "welcome"
    shutil.copy(shipped / "topic.toml", folder / "topic.toml")
    shutil.copy(shipped / "uk.md", folder / "uk.md")
    german = (shipped / "de.md").read_text("utf-8")
    (folder / "de.md").write_text(german.replace("## Herzlich willkommen", f"## {greeting}"))
    return folder.parent


def ministry_cli(*argv: str) -> Result:
    """``kisi ministry <argv>`` with only the content-pack command registered, as
    cli/ministry.py registers it."""
    parser = argparse.ArgumentParser(prog="kisi ministry")
    register_ministry_content_pack(parser.add_subparsers(dest="action", required=True))
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    ctx = Context(vault_path=Path("unused"), as_json=args.json, stdout=out, stderr=err)
    try:
        code = args.handler(ctx, args)
    except UserError as error:
        return Result(1, out.getvalue(), f"Error: {error}\n")
    return Result(code, out.getvalue(), err.getvalue())


def make_pack(ministry: Path, folder: Path, out: Path, version: int, expires: date) -> Result:
    return ministry_cli(
        "content-pack", "--dir", str(ministry), "--from", str(folder),
        "--version", str(version), "--expires", expires.isoformat(), "--out", str(out), "--json",
    )  # fmt: skip


def test_a_pack_made_by_the_ministry_is_imported_and_shown(
    kisi: Kisi, vault: Path, ministry: Path, tmp_path: Path
) -> None:
    assert kisi("content", "status", "--json").json() == {"installed": False}
    made = make_pack(ministry, texts(tmp_path, "Neu", "v1"), tmp_path / "v1.zip", 1, EXPIRES)
    assert made.code == 0, made
    info = made.json()
    assert (info["version"], info["languages"], info["topics"]) == (1, ["de", "uk"], ["welcome"])

    line = kisi("content", "import", str(tmp_path / "v1.zip")).user_error()
    assert "provisioning file" in line  # no content key known yet: nothing installed
    assert not packs_root(vault).exists()

    provision(vault, ministry)
    done = kisi("content", "import", str(tmp_path / "v1.zip"))
    assert done.code == 0, done
    assert "Content pack kisi-handouts version 1 installed" in done.out
    # The guide learns which handouts to print anew, and why translations say "outdated".
    assert "Handouts with new texts: Willkommen – Ihr Integrationsguide (de)" in done.out
    assert "translations are now marked outdated" in done.out
    again = kisi("content", "import", str(tmp_path / "v1.zip"), "--json").json()
    assert again["changed"] is False and again["sha256"] == info["sha256"]

    status = kisi("content", "status", "--json").json()
    assert status["version"] == 1 and status["expires"] == EXPIRES.isoformat()
    assert (status["expired"], status["intact"], status["warning"]) == (False, True, None)
    text = kisi("content", "status").out
    assert "version 1" in text and "Languages: de, uk" in text


def test_a_pack_of_one_topic_says_one_topic_in_words(ministry: Path, tmp_path: Path) -> None:
    # A pack of one topic said "1 topics, 3 files"; in German "1 Themen".
    made = ministry_cli(
        "content-pack", "--dir", str(ministry), "--from", str(texts(tmp_path, "Neu", "v1")),
        "--version", "1", "--expires", EXPIRES.isoformat(), "--out", str(tmp_path / "v1.zip"),
    )  # fmt: skip
    assert made.code == 0, made
    assert "1 topic, 3 files, languages: de, uk;" in made.out
    set_ui_language("de")
    made = ministry_cli(
        "content-pack", "--dir", str(ministry), "--from", str(texts(tmp_path, "Neu", "v2")),
        "--version", "2", "--expires", EXPIRES.isoformat(), "--out", str(tmp_path / "v2.zip"),
    )  # fmt: skip
    assert "1 Thema, 3 Dateien, Sprachen: de, uk;" in made.out


def test_refusals_are_one_line_with_the_reason(
    kisi: Kisi, vault: Path, ministry: Path, tmp_path: Path
) -> None:
    provision(vault, ministry)
    for version in (1, 2):
        out = tmp_path / f"v{version}.zip"
        assert make_pack(ministry, texts(tmp_path, f"V{version}", f"t{version}"), out,
                         version, EXPIRES).code == 0  # fmt: skip
    assert kisi("content", "import", str(tmp_path / "v2.zip")).code == 0
    assert (
        "older than the installed version 2"
        in kisi("content", "import", str(tmp_path / "v1.zip")).user_error()
    )
    # Signed by another ministry's content key.
    other = tmp_path / "other-ministry"
    init_ministry(other).close()
    assert make_pack(other, texts(tmp_path, "X", "t3"), tmp_path / "x.zip", 3, EXPIRES).code == 0
    assert (
        "Ask the ministry to send the pack again"
        in kisi("content", "import", str(tmp_path / "x.zip")).user_error()
    )
    (tmp_path / "junk.zip").write_bytes(b"not a zip at all")
    kisi("content", "import", str(tmp_path / "junk.zip")).user_error()
    assert kisi("content", "status", "--json").json()["version"] == 2


def test_the_ministry_command_refuses_what_the_app_would_refuse(
    ministry: Path, tmp_path: Path
) -> None:
    folder = texts(tmp_path, "Neu", "bad")
    (folder / "welcome" / "xx.md").write_text("---\ntitle: X\nreview: unreviewed\n---\nText\n")
    done = make_pack(ministry, folder, tmp_path / "bad.zip", 1, EXPIRES)
    assert done.code == 1 and "'xx'" in done.err
    (folder / "welcome" / "xx.md").unlink()
    (folder / "welcome" / "de.md").write_text("---\ntitle: X\nreview: source\n---\nA \x07 B\n")
    done = make_pack(ministry, folder, tmp_path / "bad.zip", 1, EXPIRES)
    assert done.code == 1 and "U+0007" in done.err
    assert make_pack(ministry, folder, tmp_path / "bad.zip", 0, EXPIRES).code == 1
    past = date(2020, 1, 1)
    assert make_pack(ministry, texts(tmp_path, "Ok", "ok"), tmp_path / "p.zip", 1, past).code == 1
    assert not (tmp_path / "bad.zip").exists() and not (tmp_path / "p.zip").exists()


def test_each_pack_made_is_recorded_and_its_version_not_handed_out_twice(
    ministry: Path, tmp_path: Path
) -> None:
    """Only the window remembered pack versions (in its own ministry-view.json): the
    command made version 1 again after version 1, and every app refused the second."""
    first = make_pack(ministry, texts(tmp_path, "Eins", "v1"), tmp_path / "v1.zip", 1, EXPIRES)
    assert first.code == 0, first
    again = make_pack(ministry, texts(tmp_path, "Zwei", "v1b"), tmp_path / "v1b.zip", 1, EXPIRES)
    assert again.code == 1 and not (tmp_path / "v1b.zip").exists()
    assert "Version 1 is not higher than the last content pack made here (version 1)" in again.err
    assert "Choose version 2 or higher." in again.err
    second = make_pack(ministry, texts(tmp_path, "Zwei", "v2"), tmp_path / "v2.zip", 2, EXPIRES)
    assert second.code == 0, second
    with load_ministry(ministry) as opened:
        made = made_packs(opened.store)
    assert [(p.pack_id, p.version, p.sha256, p.expires) for p in made] == [
        ("kisi-handouts", 2, second.json()["sha256"], EXPIRES.isoformat()),
        ("kisi-handouts", 1, first.json()["sha256"], EXPIRES.isoformat()),
    ]
    assert all(p.made_at.endswith("Z") for p in made)


def test_the_maker_says_which_translations_a_new_german_text_makes_outdated(
    ministry: Path, tmp_path: Path
) -> None:
    # The pack rewrites the German welcome text and carries the old Ukrainian translation:
    # every municipality would print Ukrainian (and each shipped language) as "outdated".
    folder = texts(tmp_path, "Neu", "v1")
    made = make_pack(ministry, folder, tmp_path / "v1.zip", 1, EXPIRES)
    assert made.code == 0, made
    outdated = made.json()["outdated"]
    shipped = sorted(p.stem for p in (shipped_folder() / "welcome").glob("*.md") if p.stem != "de")
    assert outdated == [
        {
            "topic": "welcome",
            "title": "Willkommen – Ihr Integrationsguide",
            "languages": shipped,
            "in_pack": ["uk"],
        }
    ]
    text = ministry_cli(
        "content-pack", "--dir", str(ministry), "--from", str(folder),
        "--version", "2", "--expires", EXPIRES.isoformat(), "--out", str(tmp_path / "v2.zip"),
    ).out  # fmt: skip
    assert "will print marked outdated" in text
    assert "Willkommen – Ihr Integrationsguide (welcome): uk (in this pack), " in text
    # Translated anew from the new German text: nothing to warn about.
    new_hash = load_catalog([folder]).topics["welcome"].texts["de"].content_hash
    ukrainian = (folder / "welcome" / "uk.md").read_text("utf-8")
    (folder / "welcome" / "uk.md").write_text(
        re.sub(r"source-sha256: \w+", f"source-sha256: {new_hash}", ukrainian), "utf-8"
    )
    fresh = make_pack(ministry, folder, tmp_path / "v3.zip", 3, EXPIRES).json()
    assert fresh["outdated"][0]["in_pack"] == []
    assert "uk" not in fresh["outdated"][0]["languages"]


def test_handout_list_check_and_review_use_the_installed_pack(
    kisi: Kisi, vault: Path, ministry: Path, tmp_path: Path
) -> None:
    """``kisi handout list|check|review`` read the shipped texts only: with a pack that
    rewrote the German welcome text they said Ukrainian was fine while the app printed it
    as outdated, and a review stamped the shipped file against the old German."""
    provision(vault, ministry)
    folder = texts(tmp_path, "Neu", "v1")
    with (folder / "welcome" / "de.md").open("a", encoding="utf-8") as german:
        german.write("\nEin neuer Absatz des Ministeriums.\n")  # one block more
    made = make_pack(ministry, folder, tmp_path / "v1.zip", 1, EXPIRES)
    assert made.code == 0, made
    assert kisi("content", "import", str(tmp_path / "v1.zip")).code == 0

    listed = {t["topic"]: t for t in kisi("handout", "list", "--json").json()}
    assert listed["welcome"]["languages"]["uk"] == "outdated"
    checked = kisi("handout", "check", "--json")
    assert checked.code == 1
    assert any(p.startswith("welcome/uk: ") and "blocks" in p for p in checked.json())

    reviewed = kisi(
        "handout", "review", "--topic", "welcome", "--lang", "uk", "--by", "Olena K."
    )  # fmt: skip
    assert reviewed.code == 0, reviewed
    # Stamped against the pack's German text, the one the app prints beside it.
    listed = {t["topic"]: t for t in kisi("handout", "list", "--json").json()}
    assert listed["welcome"]["languages"]["uk"] == "reviewed"
    assert listed["welcome"]["languages"]["ar"] == "outdated"
