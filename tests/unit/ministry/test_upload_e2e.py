"""Both ends over loopback: a demo vault uploads its bundles to the ministry's intake server.

The app pins the server's key from its provisioning file, sends each pending bundle,
applies the receipt that comes back, and keeps what failed in its ledger for later.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.manifest import sha256_hex
from kisi_desktop.bundles.upload import (
    NETWORK,
    PIN,
    REFUSED,
    Request,
    TransportError,
    https_transport,
    upload_pending,
)
from kisi_desktop.cli.main import main
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.keys import load_ministry
from kisi_desktop.ministry.server import IntakeServer, certificate_pin

from tests.support.intake import (
    World,
    ministry_counts,
    open_vault,
    provision_vault,
    running,
)
from tests.support.sync import NOW, PASSPHRASE


@pytest.fixture
def ws(world: World) -> Iterator[Workspace]:
    opened = open_vault(world.vault)
    yield opened
    if not opened.locked:
        opened.lock()


def entries(ws: Workspace) -> list[BundleEntry]:
    return sorted(ws.list(BundleEntry), key=lambda e: e.seq)


def connect(world: World, ws: Workspace, server: IntakeServer, pin: str | None = None) -> None:
    """Install a provisioning file that names this server (and its pin, or another)."""
    provision_vault(world.ministry_dir, ws, url=server.url, pins=(pin or server.pin,))


def test_pending_bundles_are_uploaded_and_confirmed_by_the_receipt(
    world: World, ws: Workspace
) -> None:
    with running(world.ministry_dir, world.tls) as server:
        connect(world, ws, server)
        outcomes = upload_pending(ws)
        assert [(o.seq, o.status) for o in outcomes] == [(1, "confirmed"), (2, "confirmed")]
        assert all(o.records > 0 for o in outcomes)
        assert upload_pending(ws) == []  # nothing left in the queue
    ledger = entries(ws)
    assert [e.status for e in ledger] == ["confirmed", "confirmed"]
    assert [e.receipt_status for e in ledger] == ["imported", "imported"]
    assert all(e.upload_error == "" and e.next_upload_at is None for e in ledger)
    assert [e.upload_attempts for e in ledger] == [1, 1]
    counts = ministry_counts(world.ministry_dir)
    assert counts["bundles"] == 2
    assert counts["data_rows"] == sum(o.records for o in outcomes)


def test_a_wrong_pin_is_refused_before_anything_is_sent(world: World, ws: Workspace) -> None:
    with running(world.ministry_dir, world.tls) as server:
        connect(world, ws, server, pin="0" * 64)
        outcomes = upload_pending(ws)
        assert server.app.requests == 0  # not even a request line reached the server
    assert [(o.status, o.problem) for o in outcomes] == [("failed", PIN), ("failed", PIN)]
    assert "ministry's key" in outcomes[0].message
    for entry in entries(ws):
        assert entry.status == "exported"
        assert entry.upload_attempts == 1
        assert "ministry's key" in entry.upload_error
    assert ministry_counts(world.ministry_dir)["bundles"] == 0


def test_while_the_server_is_down_the_queue_backs_off_and_survives_a_restart(
    world: World, ws: Workspace
) -> None:
    with running(world.ministry_dir, world.tls) as server:
        connect(world, ws, server)
        port = server.port
    # The server is gone: the attempt is recorded with a back-off.
    failed = upload_pending(ws, now=NOW)
    assert [(o.status, o.problem) for o in failed] == [("failed", NETWORK)] * 2
    first = entries(ws)[0]
    assert first.upload_attempts == 1
    assert "Could not reach" in first.upload_error
    assert first.next_upload_at is not None
    due = first.next_upload_at
    assert (NOW + timedelta(seconds=45)).strftime("%Y-%m-%dT%H:%M:%SZ") <= due
    assert due <= (NOW + timedelta(seconds=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    # Not due yet: nothing is tried.
    assert upload_pending(ws, now=NOW + timedelta(seconds=30)) == []
    # A second failure doubles the wait.
    upload_pending(ws, now=NOW + timedelta(minutes=1))
    second = entries(ws)[0]
    assert second.upload_attempts == 2
    # The app is closed and opened again; the server is back on its address.
    ws.lock()
    reopened = open_vault(world.vault)
    try:
        assert [e.upload_attempts for e in entries(reopened)] == [2, 2]
        with running(world.ministry_dir, world.tls, port=port):
            outcomes = upload_pending(reopened, now=NOW + timedelta(minutes=5))
        assert [o.status for o in outcomes] == ["confirmed", "confirmed"]
        assert all(e.status == "confirmed" and e.upload_error == "" for e in entries(reopened))
        assert [e.upload_attempts for e in entries(reopened)] == [3, 3]
    finally:
        reopened.lock()


def test_a_lost_answer_means_sending_again_and_the_ministry_counts_it_once(
    world: World, ws: Workspace
) -> None:
    def answer_lost(request: Request) -> object:
        https_transport(request)  # it arrives and is imported ...
        raise TransportError(NETWORK, "connection reset")  # ... but the answer is lost

    with running(world.ministry_dir, world.tls) as server:
        connect(world, ws, server)
        lost = upload_pending(ws, transport=answer_lost)  # type: ignore[arg-type]
        assert [o.status for o in lost] == ["failed", "failed"]
        assert ministry_counts(world.ministry_dir)["bundles"] == 1
        again = upload_pending(ws, force=True)
    assert [(o.seq, o.status, o.reason_code) for o in again] == [
        (1, "confirmed", "duplicate"),
        (2, "confirmed", None),
    ]
    counts = ministry_counts(world.ministry_dir)
    assert counts["bundles"] == 2 and counts["receipts"] == 2
    assert counts["data_rows"] == sum(o.records for o in again)
    # The receipt kept in the vault is the ministry's original one for the first bundle.
    with load_ministry(world.ministry_dir) as ministry:
        kept = ministry.store.all("SELECT receipt FROM receipts ORDER BY intake_seq")
    assert [e.receipt_sha256 for e in entries(ws)] == [sha256_hex(r["receipt"]) for r in kept]


def test_a_bundle_that_came_by_stick_first_is_not_imported_twice(
    world: World, ws: Workspace
) -> None:
    with running(world.ministry_dir, world.tls) as server:
        connect(world, ws, server)
        name, data = world.bundles[1]
        # Bundle 2 reached the ministry on a stick before bundle 1: it waits there.
        https_transport(Request(server.url + "/v1/bundles", (server.pin,), data, name))
        outcomes = upload_pending(ws)
    assert [(o.seq, o.status) for o in outcomes] == [(1, "confirmed"), (2, "confirmed")]
    assert ministry_counts(world.ministry_dir)["bundles"] == 2


def test_a_refused_municipality_key_keeps_the_bundle_queued_until_registered_again(
    world: World, ws: Workspace
) -> None:
    with load_ministry(world.ministry_dir) as ministry:
        registry.revoke(ministry, "06534011")
    with running(world.ministry_dir, world.tls) as server:
        connect(world, ws, server)
        refused = upload_pending(ws)
        assert [(o.status, o.problem, o.reason_code) for o in refused] == [
            ("failed", REFUSED, "revoked_key"),
            ("failed", REFUSED, "revoked_key"),
        ]
        assert [e.status for e in entries(ws)] == ["exported", "exported"]
        # The guide reads what it means, not the reason code (since the Upload QA pass).
        assert "revoked_key" not in entries(ws)[0].upload_error
        assert "was revoked" in entries(ws)[0].upload_error
        with load_ministry(world.ministry_dir) as ministry:
            registry.register(
                ministry,
                ags="06534011",
                name="Kirchhain",
                key=signer(ws).public.text(),
                replace=True,
            )
        outcomes = upload_pending(ws, force=True)
    assert [o.status for o in outcomes] == ["confirmed", "confirmed"]


def test_kisi_upload_on_the_command_line(
    world: World,
    ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with running(world.ministry_dir, world.tls) as server:
        connect(world, ws, server)
        ws.lock()
        monkeypatch.setenv("KISI_PASSPHRASE", PASSPHRASE)
        monkeypatch.delenv("KISI_LANG", raising=False)
        assert main(["--lang", "en", "--vault", str(world.vault), "upload", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert [u["status"] for u in data["uploads"]] == ["confirmed", "confirmed"]
        assert data["waiting"] == []
        assert main(["--lang", "en", "--vault", str(world.vault), "upload"]) == 0
        assert "Nothing to upload" in capsys.readouterr().out


def test_kisi_upload_says_what_failed_and_exits_1(
    world: World,
    ws: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with running(world.ministry_dir, world.tls) as server:
        connect(world, ws, server, pin="1" * 64)
        ws.lock()
        monkeypatch.setenv("KISI_PASSPHRASE", PASSPHRASE)
        assert main(["--lang", "en", "--vault", str(world.vault), "upload"]) == 1
        out = capsys.readouterr().out
        assert "did not present the ministry's key" in out
        assert "Next attempt" in out
        # Not due again yet: listed as waiting, nothing tried.
        assert main(["--lang", "en", "--vault", str(world.vault), "upload"]) == 0
        assert "waiting until" in capsys.readouterr().out
        assert server.app.requests == 0


def test_kisi_ministry_serve_makes_a_certificate_and_prints_its_pin(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran: list[int] = []

    def serve_briefly(self: IntakeServer, ready: Callable[[], None] | None = None) -> None:
        self.start()
        assert ready is not None
        ready()
        ran.append(self.port)
        raise KeyboardInterrupt  # Ctrl+C

    monkeypatch.setattr(IntakeServer, "serve_forever", serve_briefly)
    folder = str(world.ministry_dir)
    code = main(["--lang", "en", "ministry", "serve", "--dir", folder, "--port", "0"])
    out = capsys.readouterr().out
    assert code == 0 and ran
    pin = certificate_pin(world.ministry_dir / "tls" / "cert.pem")
    assert f"pin for the provisioning file: {pin}" in out
    assert f"on https://127.0.0.1:{ran[0]}/v1/bundles" in out
    assert "Intake server stopped." in out
