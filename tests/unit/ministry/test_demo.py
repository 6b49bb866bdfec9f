"""The demo ministry beside the demo vault: the whole round works out of the box, marked DEMO."""

from __future__ import annotations

from pathlib import Path

from kisi_desktop.core.demo.vault import ensure_demo_vault
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import export_bundle
from kisi_desktop.bundles.provisioning import current_provisioning
from kisi_desktop.bundles.receipts import apply_receipt
from kisi_desktop.ministry.demo import ensure_demo_ministry
from kisi_desktop.ministry.intake import import_bundle
from kisi_desktop.ministry.keys import load_ministry

PASSPHRASE = "kisi-demo-2025"


def test_the_demo_vault_comes_with_a_demo_ministry(tmp_path: Path) -> None:
    vault = tmp_path / "demo" / "vault.kisi"
    vault.parent.mkdir()
    assert ensure_demo_vault(vault, people=20, kdf=TEST_PARAMS)
    folder = ensure_demo_ministry(vault, PASSPHRASE)
    assert folder == tmp_path / "demo" / "ministry"
    assert ensure_demo_ministry(vault, PASSPHRASE) is None  # made once
    ws = Workspace.open(vault, passphrase=PASSPHRASE)
    doc = current_provisioning(ws)
    assert doc is not None and doc.demo
    out = tmp_path / "stick"
    out.mkdir()
    bundle = export_bundle(ws, out)
    with load_ministry(folder) as ministry:
        assert ministry.demo
        result = import_bundle(ministry, bundle.path.read_bytes(), bundle.path.name)
    assert result.outcome == "imported"
    assert result.receipt is not None
    assert apply_receipt(ws, result.receipt).status == "confirmed"
    ws.lock()
