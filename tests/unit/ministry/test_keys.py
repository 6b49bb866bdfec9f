"""The ministry folder: one key per purpose, private files for the owner only, never replaced."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

import pytest

from kisi_desktop.core.clock import FixedClock

from kisi_desktop.bundles import minisign
from kisi_desktop.bundles.age import Identity, encrypt
from kisi_desktop.ministry.keys import (
    MinistryExists,
    NotAMinistry,
    init_ministry,
    load_ministry,
)

from .conftest import NOW


def test_init_makes_keys_private_and_public_parts_readable(tmp_path: Path) -> None:
    folder = tmp_path / "hmaijs"
    with init_ministry(folder, clock=FixedClock(NOW)) as ministry:
        recipient = ministry.recipient
        keys = {k: ministry_key.public for k, ministry_key in (
            ("root", ministry.root), ("content", ministry.content), ("receipt", ministry.receipt)
        ) if ministry_key is not None}  # fmt: skip
    assert stat.S_IMODE((folder / "keys").stat().st_mode) == 0o700
    for name in ("identity.txt", "root.key", "content.key", "receipt.key"):
        assert stat.S_IMODE((folder / "keys" / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE((folder / "intake.sqlite").stat().st_mode) == 0o600
    assert (folder / "public" / "recipient.txt").read_text().strip() == recipient
    for purpose, public in keys.items():
        text = (folder / "public" / f"{purpose}.pub").read_text()
        assert minisign.parse_public_key(text) == public
        assert f"{purpose} key {public.key_id_hex()}" in text
    # One key per purpose: three different keys and key ids.
    assert len({k.key for k in keys.values()}) == 3
    assert len({k.key_id for k in keys.values()}) == 3
    meta = json.loads((folder / "ministry.json").read_text())
    assert meta == {
        "format": "kisi-ministry/1",
        "demo": False,
        "created_at": "2026-11-25T12:00:00Z",
        "profile": "p1",
    }


def test_load_gives_back_the_same_keys(tmp_path: Path) -> None:
    with init_ministry(tmp_path / "m", demo=True) as made:
        identity = str(made.identity)
        root = made.root.public if made.root else None
        receipt = made.receipt.public
    with load_ministry(tmp_path / "m") as loaded:
        assert str(loaded.identity) == identity
        assert loaded.root is not None and loaded.root.public == root
        assert loaded.receipt.public == receipt
        assert loaded.demo is True


def test_the_age_tool_opens_bundles_with_the_identity_file(tmp_path: Path) -> None:
    with init_ministry(tmp_path / "m") as ministry:
        data = encrypt(b"payload", [ministry.identity.recipient()])
    (tmp_path / "b.age").write_bytes(data)
    done = subprocess.run(
        ["age", "-d", "-i", str(tmp_path / "m" / "keys" / "identity.txt"), str(tmp_path / "b.age")],
        capture_output=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"payload"


def test_init_never_overwrites(tmp_path: Path) -> None:
    with init_ministry(tmp_path / "m") as ministry:
        first = str(ministry.identity)
    with pytest.raises(MinistryExists):
        init_ministry(tmp_path / "m")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("x")
    with pytest.raises(MinistryExists):
        init_ministry(tmp_path / "other")
    with load_ministry(tmp_path / "m") as ministry:
        assert str(ministry.identity) == first


def test_load_refuses_what_is_not_a_ministry(tmp_path: Path) -> None:
    with pytest.raises(NotAMinistry):
        load_ministry(tmp_path)
    with init_ministry(tmp_path / "m"):
        pass
    (tmp_path / "m" / "keys" / "receipt.key").write_text("{}")
    with pytest.raises(NotAMinistry, match=r"receipt\.key"):
        load_ministry(tmp_path / "m")


def test_the_root_key_may_be_kept_offline(tmp_path: Path) -> None:
    with init_ministry(tmp_path / "m"):
        pass
    (tmp_path / "m" / "keys" / "root.key").rename(tmp_path / "offline-root.key")
    with load_ministry(tmp_path / "m") as ministry:
        assert ministry.root is None
        assert ministry.identity != Identity.generate()
