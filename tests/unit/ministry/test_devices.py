"""Two guides of one municipality: two laptops, two keys, one AGS, both counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from kisi_desktop.core.domain import Municipality
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import export_bundle
from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.provisioning import fingerprint, install_provisioning
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.intake import import_bundle
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.provision import make_provisioning

from tests.support.sync import demo_workspace


def laptop(ministry: Ministry, path: Path, seed: int) -> Workspace:
    ws = demo_workspace(path, 30, seed=seed)
    assert ministry.root is not None
    install_provisioning(
        ws,
        make_provisioning(ministry),
        confirmed_fingerprint=fingerprint(ministry.root.public.base64()),
    )
    return ws


def test_a_second_device_counts_once_registered(ministry: Ministry, tmp_path: Path) -> None:
    first = laptop(ministry, tmp_path / "a" / "vault.kisi", seed=1)
    second = laptop(ministry, tmp_path / "b" / "vault.kisi", seed=1)  # same demo town
    town = first.list(Municipality)[0]
    assert second.list(Municipality)[0].ags == town.ags
    registry.register(ministry, ags=town.ags, name=town.name, key=signer(first).public.text())
    out = tmp_path / "stick"
    out.mkdir()
    a = export_bundle(first, out, period="PY1")
    b = export_bundle(second, out, period="PY1")
    assert import_bundle(ministry, a.path.read_bytes(), a.path.name).outcome == "imported"
    refused = import_bundle(ministry, b.path.read_bytes(), b.path.name)
    assert (refused.outcome, refused.reason_code) == ("rejected", "bad_signature")
    registry.add_device_key(ministry, town.ags, signer(second).public.text())
    again = import_bundle(ministry, b.path.read_bytes(), b.path.name)
    assert (again.outcome, again.seq) == ("imported", 1)
    with pytest.raises(UserError):
        registry.add_device_key(ministry, town.ags, signer(second).public.text())
    # A stolen second laptop: only its key is revoked, the first device goes on.
    registry.revoke_device_key(ministry, town.ags, signer(second).public.key_id_hex())
    listed = registry.device_key_list(ministry, town.ags)
    assert [(k.key_id, k.first, k.revoked, k.device_ids, k.bundles) for k in listed] == [
        (signer(first).public.key_id_hex(), True, False, (signer(first).device_id,), 1),
        (signer(second).public.key_id_hex(), False, True, (signer(second).device_id,), 1),
    ]
    b2 = export_bundle(second, out, since_last=True)
    stolen = import_bundle(ministry, b2.path.read_bytes(), b2.path.name)
    assert (stolen.outcome, stolen.reason_code) == ("rejected", "bad_signature")
    a2 = export_bundle(first, out, since_last=True)
    assert import_bundle(ministry, a2.path.read_bytes(), a2.path.name).outcome == "imported"
    # Revoking the municipality stops every one of its devices.
    registry.revoke(ministry, town.ags)
    first.clock.advance(days=2)  # type: ignore[attr-defined]
    c = export_bundle(first, out, since_last=True)
    late = import_bundle(ministry, c.path.read_bytes(), c.path.name)
    assert (late.outcome, late.reason_code) == ("rejected", "revoked_key")


def test_a_vault_restored_on_another_computer_starts_a_new_epoch(
    ministry: Ministry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kisi_desktop.bundles import keys
    from kisi_desktop.bundles.receipts import apply_receipt

    ws = laptop(ministry, tmp_path / "vault.kisi", seed=2)
    town = ws.list(Municipality)[0]
    registry.register(ministry, ags=town.ags, name=town.name, key=signer(ws).public.text())
    out = tmp_path / "stick"
    out.mkdir()
    first = export_bundle(ws, out, period="2025-10-01..2026-03-31")
    result = import_bundle(ministry, first.path.read_bytes(), first.path.name)
    assert result.receipt is not None
    apply_receipt(ws, result.receipt)
    assert signer(ws).epoch == 1
    # The same vault, opened on a new laptop after a restore.
    monkeypatch.setattr(keys, "machine_id", lambda: b"the-new-laptop")
    assert signer(ws).epoch == 2
    second = export_bundle(ws, out, since_last=True)
    assert (second.entry.epoch, second.entry.seq) == (2, 1)
    accepted = import_bundle(ministry, second.path.read_bytes(), second.path.name)
    # It starts from a receipt the ministry issued, so no operator is needed.
    assert (accepted.outcome, accepted.epoch, accepted.seq) == ("imported", 2, 1)
    # Back on the same computer nothing changes again.
    assert signer(ws).epoch == 2
