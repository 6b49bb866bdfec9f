"""A full round: demo vault -> export -> ministry import -> receipt -> the app confirms."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from kisi_desktop.core.domain import Municipality, Training, Volunteer
from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import export_bundle
from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.provisioning import fingerprint, install_provisioning
from kisi_desktop.bundles.receipts import apply_receipt
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.aggregate import ALL, figures
from kisi_desktop.ministry.intake import import_bundle
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.provision import make_provisioning

from tests.support.sync import demo_workspace


def provisioned(ministry: Ministry, path: Path, seed: int) -> Workspace:
    """A demo vault that trusts this ministry and whose key the ministry registered."""
    ws = demo_workspace(path, 60, seed=seed)
    assert ministry.root is not None
    install_provisioning(
        ws,
        make_provisioning(ministry, participation_rows=True),
        confirmed_fingerprint=fingerprint(ministry.root.public.base64()),
    )
    town = ws.list(Municipality)[0]
    registry.register(ministry, ags=town.ags, name=town.name, key=signer(ws).public.text())
    return ws


def test_export_import_receipt_confirm(ministry: Ministry, tmp_path: Path) -> None:
    ws = provisioned(ministry, tmp_path / "vault.kisi", seed=7)
    stick = tmp_path / "stick"
    stick.mkdir()
    first = export_bundle(ws, stick, period="2025-10-01..2026-03-31")
    second = export_bundle(ws, stick, since_last=True)
    # The second arrives first: held, then both imported when the first comes.
    held = import_bundle(ministry, second.path.read_bytes(), second.path.name)
    assert (held.outcome, held.reason_code) == ("held", "gap")
    done = import_bundle(ministry, first.path.read_bytes(), first.path.name)
    results = done.all()
    assert [(r.outcome, r.seq) for r in results] == [("imported", 1), ("imported", 2)]
    assert results[0].manifest_sha256 == first.entry.manifest_sha256
    # The receipts travel back and confirm both bundles in the ledger.
    for result in (held, *results):
        assert result.receipt is not None
        apply_receipt(ws, result.receipt, result.receipt_name)
    ledger = {e.seq: e for e in ws.list(BundleEntry)}
    assert ledger[1].status == ledger[2].status == "confirmed"
    # A copy of the first bundle (written to another stick) counts once.
    again = tmp_path / "again"
    again.mkdir()
    from kisi_desktop.bundles.export import write_bundle

    copy = write_bundle(ws, ledger[1], again)
    dup = import_bundle(ministry, copy.path.read_bytes(), copy.path.name)
    assert dup.outcome == "duplicate" and dup.receipt == results[0].receipt
    # Figures: the people of both bundles, each counted once.
    result = figures(ministry)
    o23 = result.indicators[ALL]["O.2.3"]
    assert o23.counted > 0
    assert any(t.key == "ministry_participation" for t in result.tables)
    ws.lock()


def test_a_training_whose_participants_are_held_back_reaches_the_ministry(
    ministry: Ministry, tmp_path: Path
) -> None:
    """A training of 6 volunteers and 3 administration staff: the report holds its
    participants back ("x": 9 minus the 6 volunteers trained gave the staff's "<5" away).
    The ministry's intake refused such a bundle, a mark outside any sum being "malformed",
    so the town's whole bundle was lost."""
    ws = provisioned(ministry, tmp_path / "vault.kisi", seed=11)
    for other in ws.list(Training):  # (the demo's own trainings would make the row large)
        ws.delete("training", other.id)
    volunteers = [ws.add(Volunteer(name=f"Helfer {n}")) for n in range(6)]
    ws.add(
        Training(
            held_on=date(2026, 2, 12),
            topic="Erste Hilfe",
            attendee_ids=tuple(v.id for v in volunteers),
            administration_attendees=3,
        )
    )
    summary = export_bundle(ws, tmp_path, period="2025-10-01..2026-03-31")
    ws.lock()
    result = import_bundle(ministry, summary.path.read_bytes(), summary.path.name)
    assert result.outcome == "imported", result.message
    tables = {t.key: t for t in figures(ministry, language="en").tables}
    network = tables["ministry_administration_network"]
    training = next(r for r in network.rows if r["ags"] == ALL and r["code"] == "training")
    assert training["participants.cells_withheld"] == 1  # counted apart, not as 0 people


def test_the_minisign_tool_verifies_receipts(ministry: Ministry, tmp_path: Path) -> None:
    ws = provisioned(ministry, tmp_path / "vault.kisi", seed=3)
    summary = export_bundle(ws, tmp_path, period="PY1")
    ws.lock()
    result = import_bundle(ministry, summary.path.read_bytes(), summary.path.name)
    assert result.receipt is not None
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(result.receipt)) as archive:
        archive.extractall(tmp_path / "receipt")
    done = subprocess.run(
        ["minisign", "-V", "-p", str(ministry.path / "public" / "receipt.pub"),
         "-m", str(tmp_path / "receipt" / "receipt.json")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_42_municipalities(ministry: Ministry, tmp_path: Path) -> None:
    towns = []
    for number in range(42):
        ws = demo_workspace(tmp_path / f"v{number}.kisi", 30, seed=number)
        # Demo vaults share the demo town; give each its own AGS.
        town = ws.list(Municipality)[0]
        import dataclasses

        ws.update(dataclasses.replace(town, ags=f"0653{number:04d}", name=f"Stadt {number}"))
        assert ministry.root is not None
        install_provisioning(
            ws,
            make_provisioning(ministry),
            confirmed_fingerprint=fingerprint(ministry.root.public.base64()),
        )
        registry.register(
            ministry, ags=f"0653{number:04d}", name=f"Stadt {number}", key=signer(ws).public.text()
        )
        out = tmp_path / f"out{number}"
        out.mkdir()
        towns.append(export_bundle(ws, out, period="PY1"))
        ws.lock()
    outcomes = [import_bundle(ministry, s.path.read_bytes(), s.path.name).outcome for s in towns]
    assert outcomes == ["imported"] * 42
    result = figures(ministry)
    assert len(result.coverage) == 42
    total = result.indicators[ALL]["O.2.3"]
    parts = [result.indicators[f"0653{n:04d}"]["O.2.3"] for n in range(42)]
    assert total.counted == sum(p.counted for p in parts)
    assert result.indicators[ALL]["O.2.2"].counted == 42
