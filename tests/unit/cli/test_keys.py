"""``kisi keys show``: one key per vault, sealed there, verifiable with the minisign tool."""

from __future__ import annotations

import subprocess
from pathlib import Path

from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.minisign import sign

from .conftest import PASSPHRASE, Kisi


def test_keys_show_gives_a_stable_minisign_key_the_tool_accepts(
    kisi: Kisi, vault: Path, tmp_path: Path
) -> None:
    kisi("municipality", "set", "--ags", "06534011", "--name", "Kirchhain")
    first = kisi("keys", "show", "--json").json()
    again = kisi("keys", "show", "--json").json()
    assert first == again  # created once, then read back from the vault
    assert first["municipality_ags"] == "06534011" and first["device_epoch"] == 1
    assert first["minisign"].startswith("untrusted comment: minisign public key ")
    # A manifest signed with the vault's key verifies with the published key.
    ws = Workspace.open(vault, passphrase=PASSPHRASE)
    me = signer(ws)
    (tmp_path / "m.json").write_bytes(b"{}")
    (tmp_path / "m.json.minisig").write_text(
        sign(b"{}", me.private, me.key_id, trusted_comment="t")
    )
    ws.lock()
    (tmp_path / "k.pub").write_text(first["minisign"])
    done = subprocess.run(
        ["minisign", "-V", "-p", str(tmp_path / "k.pub"), "-m", str(tmp_path / "m.json")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_the_private_key_never_reaches_the_disk_in_plaintext(kisi: Kisi, vault: Path) -> None:
    kisi("keys", "show")
    ws = Workspace.open(vault, passphrase=PASSPHRASE)
    private_hex = signer(ws).private.private_bytes_raw().hex()
    ws.lock()
    for path in vault.parent.iterdir():
        data = path.read_bytes()
        assert private_hex.encode() not in data and bytes.fromhex(private_hex) not in data
