"""The upload queue and the pinned HTTPS client, against fake answers and bare TLS sockets.

The real intake server is tested from both ends in tests/unit/ministry/test_upload_e2e.py;
here each kind of answer (receipt, held, rejected, HTTP error, forged receipt, no answer)
is produced on purpose, and the client's TLS behaviour is checked on raw sockets.
"""

from __future__ import annotations

import base64
import dataclasses
import shutil
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles import upload
from kisi_desktop.bundles.export import export_bundle
from kisi_desktop.bundles.limits import MAX_PLAINTEXT
from kisi_desktop.bundles.profiles import profile
from kisi_desktop.bundles.reasons import Rejected
from kisi_desktop.bundles.receipts import Receipt, write_receipt
from kisi_desktop.bundles.upload import (
    HTTP,
    NETWORK,
    PIN,
    RECEIPT,
    RECEIPT_TYPE,
    TOO_LARGE,
    Answer,
    Request,
    TransportError,
    backoff,
    https_transport,
    pending_uploads,
    upload_pending,
)

from tests.support.intake import Tls, self_signed
from tests.support.sync import (
    NOW,
    PASSPHRASE,
    MinistryKeys,
    SigningPair,
    demo_workspace,
    named_in_file,
)

URL = "https://intake.example.org:8443"
PIN_A = "a" * 64


@pytest.fixture(autouse=True)
def _english() -> None:
    set_ui_language("en")


@dataclass
class Template:
    keys: MinistryKeys
    vault: Path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    folder = tmp_path_factory.mktemp("vault")
    keys = MinistryKeys()
    ws = demo_workspace(folder / "vault.kisi", 100)
    keys.install(ws, intake_url=URL, spki_pins=(PIN_A,))
    out = folder / "out"
    out.mkdir()
    export_bundle(ws, out, period="2026-Q1")
    export_bundle(ws, out, period="2026-Q2")
    ws.lock()
    return Template(keys, folder / "vault.kisi")


@pytest.fixture
def keys(template: Template) -> MinistryKeys:
    return template.keys


@pytest.fixture
def ws(template: Template, tmp_path: Path) -> Iterator[Workspace]:
    path = tmp_path / "vault.kisi"
    shutil.copyfile(template.vault, path)
    opened = Workspace.open(path, passphrase=PASSPHRASE, clock=FixedClock(NOW))
    yield opened
    if not opened.locked:
        opened.lock()


def ledger(ws: Workspace) -> list[BundleEntry]:
    return sorted(ws.list(BundleEntry), key=lambda e: e.seq)


@dataclass
class FakeIntake:
    """Answers each request with what ``reply`` makes of the bundle it was for."""

    ws: Workspace
    keys: MinistryKeys
    reply: Callable[[FakeIntake, BundleEntry], Answer]
    requests: list[Request] = field(default_factory=list)

    def __call__(self, request: Request) -> Answer:
        self.requests.append(request)
        entry = next(e for e in self.ws.list(BundleEntry) if e.file_name == request.file_name)
        return self.reply(self, entry)

    def receipt(
        self,
        entry: BundleEntry,
        status: str = "imported",
        reason: str | None = None,
        *,
        signer: SigningPair | None = None,
        manifest: str | bool | None = True,
    ) -> bytes:
        key = signer or self.keys.receipt
        return write_receipt(
            Receipt(
                manifest_sha256=entry.manifest_sha256 if manifest is True else manifest or None,
                ags=named_in_file(entry)[0] if manifest is not None else None,
                device_id=named_in_file(entry)[1] if manifest is not None else None,
                epoch=entry.epoch if manifest is not None else 0,
                seq=entry.seq if manifest is not None else 0,
                status=status,
                reason_code=reason,
                imported_at="2026-11-25T12:00:00Z",
                intake_seq=entry.seq,
                intake_chain_head="ab" * 32,
                records=17,
                message=f"ministry says {status}",
            ),
            key.private,
            key.key_id,
        )


def answer(
    body: bytes, status: int = 200, content_type: str = RECEIPT_TYPE, **headers: str
) -> Answer:
    return Answer(status, {"content-type": content_type, **headers}, body)


def intake(
    ws: Workspace, keys: MinistryKeys, reply: Callable[[FakeIntake, BundleEntry], Answer]
) -> FakeIntake:
    return FakeIntake(ws, keys, reply)


def imported(fake: FakeIntake, entry: BundleEntry) -> Answer:
    return answer(fake.receipt(entry))


def offline(request: Request) -> Answer:
    raise TransportError(NETWORK, "Could not reach the intake server (Connection refused).")


# -- back-off --------------------------------------------------------------------------------


def test_backoff_doubles_from_a_minute_up_to_six_hours() -> None:
    top = [backoff(n, lambda: 1.0) for n in (1, 2, 3, 4, 9, 10, 50, 10**6)]
    assert top[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert top[4] == timedelta(minutes=256)
    assert top[5:] == [timedelta(hours=6)] * 3


def test_backoff_jitter_stays_in_the_upper_quarter() -> None:
    assert backoff(1, lambda: 0.0) == timedelta(seconds=45)
    assert backoff(20, lambda: 0.0) == timedelta(hours=4, minutes=30)
    for n in range(1, 30):
        wait = backoff(n)
        assert timedelta(seconds=45) <= wait <= timedelta(hours=6)


# -- the queue -------------------------------------------------------------------------------


def test_uploads_need_a_provisioned_intake_server(
    keys: MinistryKeys, ws: Workspace, tmp_path: Path
) -> None:
    bare, _code = Workspace.create(tmp_path / "bare.kisi", PASSPHRASE, kdf=TEST_PARAMS)
    with pytest.raises(Rejected) as refused:
        upload_pending(bare, transport=offline)
    assert refused.value.code == "not_provisioned"
    bare.lock()
    keys.install(ws, version=2)  # no intake address: file route only
    with pytest.raises(UserError, match="names no intake server"):
        upload_pending(ws, transport=offline)


def test_each_attempt_sends_a_fresh_encryption_of_the_same_signed_bundle(
    keys: MinistryKeys, ws: Workspace
) -> None:
    fake = intake(ws, keys, lambda f, e: answer(b"busy", 503, "text/plain"))
    upload_pending(ws, transport=fake)
    upload_pending(ws, transport=fake, force=True)
    first, second = ledger(ws)
    sent = [r for r in fake.requests if r.file_name == first.file_name]
    assert len(sent) == 2
    assert sent[0].body != sent[1].body
    crypto = profile("p1")
    payloads = {crypto.decrypt(r.body, str(keys.identity), limit=MAX_PLAINTEXT) for r in sent}
    assert payloads == {base64.b64decode(first.payload_b64)}
    assert sent[0].url == URL + "/v1/bundles"
    assert sent[0].pins == (PIN_A,)
    assert [r.file_name for r in fake.requests] == [first.file_name, second.file_name] * 2


def test_the_receipt_in_the_answer_confirms_the_bundle(keys: MinistryKeys, ws: Workspace) -> None:
    outcomes = upload_pending(ws, transport=intake(ws, keys, imported))
    assert [(o.seq, o.status, o.records) for o in outcomes] == [
        (1, "confirmed", 17),
        (2, "confirmed", 17),
    ]
    assert [(e.status, e.receipt_status, e.upload_attempts) for e in ledger(ws)] == [
        ("confirmed", "imported", 1),
        ("confirmed", "imported", 1),
    ]
    assert pending_uploads(ws) == []
    assert upload_pending(ws, transport=offline) == []


def test_a_held_bundle_stays_queued_and_is_asked_about_again_later(
    keys: MinistryKeys, ws: Workspace
) -> None:
    def hold_second(fake: FakeIntake, entry: BundleEntry) -> Answer:
        if entry.seq == 1:
            return imported(fake, entry)
        return answer(fake.receipt(entry, "held", "gap"))

    outcomes = upload_pending(ws, now=NOW, transport=intake(ws, keys, hold_second))
    assert [(o.status, o.reason_code) for o in outcomes] == [("confirmed", None), ("held", "gap")]
    second = ledger(ws)[1]
    assert second.status == "exported"
    # Plain words for the guide, what it means and what to do; the code stays in the entry.
    assert "(gap)" not in second.upload_error
    assert "still waiting for an earlier bundle" in second.upload_error
    assert second.next_upload_at is not None
    later = upload_pending(ws, now=NOW + timedelta(minutes=2), transport=intake(ws, keys, imported))
    assert [(o.seq, o.status) for o in later] == [(2, "confirmed")]


def test_a_rejection_of_this_bundle_is_final(keys: MinistryKeys, ws: Workspace) -> None:
    def fork(fake: FakeIntake, entry: BundleEntry) -> Answer:
        return answer(fake.receipt(entry, "rejected", "fork"))

    outcomes = upload_pending(ws, transport=intake(ws, keys, fork))
    assert [(o.status, o.reason_code) for o in outcomes] == [("rejected", "fork")] * 2
    assert [(e.status, e.receipt_reason) for e in ledger(ws)] == [("rejected", "fork")] * 2
    assert pending_uploads(ws) == []


@pytest.mark.parametrize(
    ("status", "content_type", "problem"),
    [
        (500, "text/plain", HTTP),
        (503, RECEIPT_TYPE, HTTP),
        (200, "text/html", HTTP),
        (302, "text/html", HTTP),
        (413, "text/plain", TOO_LARGE),
    ],
)
def test_an_answer_that_is_not_a_receipt_is_a_failed_attempt(
    keys: MinistryKeys, ws: Workspace, status: int, content_type: str, problem: str
) -> None:
    fake = intake(ws, keys, lambda f, e: answer(f.receipt(e), status, content_type))
    outcomes = upload_pending(ws, now=NOW, transport=fake)
    assert [(o.status, o.problem) for o in outcomes] == [("failed", problem)] * 2
    for entry in ledger(ws):
        assert (entry.status, entry.upload_attempts) == ("exported", 1)
        assert entry.upload_error
        assert entry.next_upload_at is not None and entry.next_upload_at > "2026-11-25T12:00:00Z"


def test_a_forged_receipt_confirms_nothing(keys: MinistryKeys, ws: Workspace) -> None:
    forger = SigningPair()
    fake = intake(ws, keys, lambda f, e: answer(f.receipt(e, signer=forger)))
    outcomes = upload_pending(ws, transport=fake)
    assert [(o.status, o.problem) for o in outcomes] == [("failed", RECEIPT)] * 2
    assert "not signed by the ministry's receipt key" in outcomes[0].message
    assert "bad_signature" not in outcomes[0].message
    # It reached a server, but without a believable receipt it stays in the queue.
    assert [e.status for e in ledger(ws)] == ["uploaded", "uploaded"]
    assert len(pending_uploads(ws)) == 2
    assert [e.receipt_sha256 for e in ledger(ws)] == [None, None]


def test_a_receipt_for_another_bundle_confirms_nothing(keys: MinistryKeys, ws: Workspace) -> None:
    fake = intake(ws, keys, lambda f, e: answer(f.receipt(e, manifest="cd" * 32)))
    outcomes = upload_pending(ws, transport=fake)
    assert [(o.status, o.problem) for o in outcomes] == [("failed", RECEIPT)] * 2
    assert [e.receipt_sha256 for e in ledger(ws)] == [None, None]


def test_garbage_instead_of_a_receipt_is_a_failed_attempt(
    keys: MinistryKeys, ws: Workspace
) -> None:
    fake = intake(ws, keys, lambda f, e: answer(b"PK\x03\x04 not really"))
    outcomes = upload_pending(ws, transport=fake)
    assert [(o.status, o.problem) for o in outcomes] == [("failed", RECEIPT)] * 2


def test_a_failed_connection_ends_the_round_and_every_bundle_waits(
    keys: MinistryKeys, ws: Workspace
) -> None:
    calls: list[Request] = []

    def down(request: Request) -> Answer:
        calls.append(request)
        return offline(request)

    outcomes = upload_pending(ws, now=NOW, transport=down)
    assert len(calls) == 1  # not one timeout per bundle
    assert [(o.status, o.problem, o.attempts) for o in outcomes] == [("failed", NETWORK, 1)] * 2
    # Not due yet: nothing is tried; with force (the guide pressed the button) it is.
    assert upload_pending(ws, now=NOW + timedelta(seconds=40), transport=down) == []
    assert len(calls) == 1
    upload_pending(ws, now=NOW + timedelta(seconds=40), transport=down, force=True)
    assert len(calls) == 2
    assert [e.upload_attempts for e in ledger(ws)] == [2, 2]


def test_a_bundle_above_the_upload_limit_is_not_sent(
    keys: MinistryKeys, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upload, "MAX_UPLOAD_BODY", 100)
    fake = intake(ws, keys, imported)
    outcomes = upload_pending(ws, transport=fake)
    assert fake.requests == []
    assert [(o.status, o.problem) for o in outcomes] == [("failed", TOO_LARGE)] * 2


def test_only_bundles_without_an_answer_are_queued(keys: MinistryKeys, ws: Workspace) -> None:
    first, second = ledger(ws)
    ws.update(dataclasses.replace(first, status="prepared"))
    assert [e.seq for e in pending_uploads(ws)] == [2]
    ws.update(dataclasses.replace(second, status="rejected"))
    assert pending_uploads(ws) == []
    ws.update(dataclasses.replace(second, status="uploaded"))
    assert [e.seq for e in pending_uploads(ws)] == [2]


# -- TLS on bare sockets -------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return self_signed(tmp_path_factory.mktemp("tls"))


class TlsPeer:
    """A TLS server on loopback that records what it received and answers ``reply``."""

    def __init__(self, tls: Tls, reply: bytes | None) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(tls.cert, tls.key)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.reply = reply
        self.received = bytearray()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _addr = self.listener.accept()
        conn.settimeout(3)
        try:
            with self.context.wrap_socket(conn, server_side=True) as peer:
                while True:
                    chunk = peer.recv(65536)
                    if not chunk:
                        break
                    self.received += chunk
                    if self.reply is not None and b"\r\n\r\n" in self.received:
                        head, _sep, body = bytes(self.received).partition(b"\r\n\r\n")
                        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
                        if len(body) >= length:
                            peer.sendall(self.reply)
                            break
        except (OSError, ssl.SSLError):
            pass

    def close(self) -> None:
        self.thread.join(5)
        self.listener.close()


def request(port: int, pins: tuple[str, ...], body: bytes = b"bundle bytes") -> Request:
    return Request(f"https://127.0.0.1:{port}/v1/bundles", pins, body, "KISI_x.kisi")


def test_a_server_with_another_key_gets_not_one_byte(tls: Tls) -> None:
    peer = TlsPeer(tls, reply=None)
    with pytest.raises(TransportError) as refused:
        https_transport(request(peer.port, ("0" * 64,)))
    peer.close()
    assert refused.value.kind == PIN
    assert peer.received == b""


def test_the_pinned_server_gets_the_bundle_and_its_answer_is_read(tls: Tls) -> None:
    reply = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.kisi.receipt\r\n"
        b"Content-Length: 7\r\nX-Kisi-Status: imported\r\n\r\nreceipt"
    )
    peer = TlsPeer(tls, reply=reply)
    got = https_transport(request(peer.port, ("0" * 64, tls.pin)))
    peer.close()
    assert (got.status, got.body, got.headers["x-kisi-status"]) == (200, b"receipt", "imported")
    head, _sep, body = bytes(peer.received).partition(b"\r\n\r\n")
    assert head.startswith(b"POST /v1/bundles HTTP/1.1\r\n")
    assert b"Content-Type: application/octet-stream" in head
    assert b"X-Kisi-File-Name: KISI_x.kisi" in head
    assert body == b"bundle bytes"


def test_an_answer_larger_than_a_receipt_is_cut_off(tls: Tls) -> None:
    big = 1024 * 1024
    reply = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.kisi.receipt\r\n"
        + f"Content-Length: {big}\r\n\r\n".encode()
        + b"x" * big
    )
    peer = TlsPeer(tls, reply=reply)
    got = https_transport(request(peer.port, (tls.pin,)))
    peer.close()
    assert len(got.body) == upload.MAX_RECEIPT_FILE + 1


def test_a_server_that_never_finishes_the_handshake_times_out() -> None:
    listener = socket.create_server(("127.0.0.1", 0))  # accepts TCP, never speaks TLS
    try:
        started = time.monotonic()
        with pytest.raises(TransportError) as failed:
            https_transport(request(listener.getsockname()[1], (PIN_A,)), connect_timeout=0.3)
        assert failed.value.kind == NETWORK
        assert "in time" in str(failed.value)
        assert time.monotonic() - started < 2
    finally:
        listener.close()


def test_a_server_that_never_answers_is_given_up_after_the_total_timeout(tls: Tls) -> None:
    peer = TlsPeer(tls, reply=None)  # reads, never answers
    started = time.monotonic()
    with pytest.raises(TransportError) as failed:
        https_transport(request(peer.port, (tls.pin,)), total_timeout=0.5)
    assert failed.value.kind == NETWORK
    assert time.monotonic() - started < 2
    peer.close()


def test_nobody_listening_is_a_network_failure() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(TransportError) as failed:
        https_transport(request(port, (PIN_A,)))
    assert failed.value.kind == NETWORK
    assert "Could not reach" in str(failed.value)
