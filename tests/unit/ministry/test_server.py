"""The intake server over loopback TLS: receipts as answers, limits before reading, one import
at a time."""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.errors import UserError

from kisi_desktop.bundles.limits import MAX_UPLOAD_BODY
from kisi_desktop.bundles.receipts import Receipt, read_receipt
from kisi_desktop.bundles.upload import RECEIPT_TYPE, pinning_context, spki_sha256
from kisi_desktop.ministry.keys import load_ministry
from kisi_desktop.ministry.server import (
    IntakeApp,
    IntakeServer,
    certificate_pin,
    make_self_signed,
)

from tests.support.intake import (
    World,
    clone,
    make_ministry,
    ministry_counts,
    running,
)


@pytest.fixture
def server(world: World) -> Iterator[IntakeServer]:
    with running(world.ministry_dir, world.tls) as started:
        yield started


def exchange(
    port: int,
    head: bytes,
    body: bytes = b"",
    *,
    end_body: bool = False,
    timeout: float = 5.0,
) -> tuple[http.client.HTTPResponse, bytes, float]:
    """Send raw bytes over TLS; the parsed answer, its body and how long it took.

    ``end_body``: then close the sending half of the connection (the answer is still read).
    """
    started = time.monotonic()
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    with pinning_context().wrap_socket(raw) as tls:
        tls.sendall(head + body)
        if end_body:
            with socket.socket(fileno=os.dup(tls.fileno())) as same:
                same.shutdown(socket.SHUT_WR)
        response = http.client.HTTPResponse(tls)
        response.begin()
        data = response.read()
    return response, data, time.monotonic() - started


def post(
    port: int,
    body: bytes,
    *,
    path: str = "/v1/bundles",
    method: str = "POST",
    content_type: str = "application/octet-stream",
    length: int | None = None,
    name: str = "KISI_test.kisi",
) -> tuple[http.client.HTTPResponse, bytes, float]:
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body) if length is None else length}\r\n"
        f"X-Kisi-File-Name: {name}\r\nConnection: close\r\n\r\n"
    ).encode()
    return exchange(port, head, body)


def receipt_of(world: World, data: bytes) -> Receipt:
    with load_ministry(world.ministry_dir) as ministry:
        return read_receipt(data, [ministry.receipt.public])


def test_a_bundle_is_imported_and_answered_with_its_signed_receipt(
    world: World, server: IntakeServer
) -> None:
    name, bundle = world.bundles[0]
    response, body, _took = post(server.port, bundle, name=name)
    assert response.status == 200
    assert response.getheader("Content-Type") == RECEIPT_TYPE
    assert response.getheader("X-Kisi-Status") == "imported"
    assert response.getheader("X-Kisi-Reason") is None
    receipt = receipt_of(world, body)
    assert (receipt.status, receipt.seq, receipt.ags) == ("imported", 1, "06534011")
    assert receipt.records > 0
    counts = ministry_counts(world.ministry_dir)
    assert counts["bundles"] == 1 and counts["data_rows"] == receipt.records
    with load_ministry(world.ministry_dir) as ministry:
        row = ministry.store.one("SELECT file_name FROM bundles")
    assert row == {"file_name": name}


def test_the_same_bundle_twice_is_counted_once_and_gets_the_first_receipt(
    world: World, server: IntakeServer
) -> None:
    name, bundle = world.bundles[0]
    first = post(server.port, bundle, name=name)
    second = post(server.port, bundle, name=name)
    assert second[0].getheader("X-Kisi-Status") == "duplicate"
    assert second[0].getheader("X-Kisi-Reason") == "duplicate"
    assert second[1] == first[1]  # the very same signed receipt
    counts = ministry_counts(world.ministry_dir)
    assert counts["bundles"] == 1 and counts["receipts"] == 1


def test_a_later_bundle_first_is_held_and_released_by_the_missing_one(
    world: World, server: IntakeServer
) -> None:
    (name1, first), (name2, second) = world.bundles
    held = post(server.port, second, name=name2)
    assert held[0].status == 200
    assert (held[0].getheader("X-Kisi-Status"), held[0].getheader("X-Kisi-Reason")) == (
        "held",
        "gap",
    )
    assert receipt_of(world, held[1]).status == "held"
    imported = post(server.port, first, name=name1)
    assert imported[0].getheader("X-Kisi-Status") == "imported"
    with load_ministry(world.ministry_dir) as ministry:
        statuses = ministry.store.all("SELECT seq, status FROM bundles ORDER BY seq")
    assert statuses == [{"seq": 1, "status": "imported"}, {"seq": 2, "status": "imported"}]


def test_garbage_gets_a_rejected_receipt_with_the_reason_and_changes_nothing(
    world: World, server: IntakeServer
) -> None:
    response, body, _took = post(server.port, b"this is not an age file" * 10)
    assert response.status == 200
    assert response.getheader("X-Kisi-Status") == "rejected"
    assert response.getheader("X-Kisi-Reason") == "malformed"
    receipt = receipt_of(world, body)
    assert (receipt.status, receipt.reason_code, receipt.manifest_sha256) == (
        "rejected",
        "malformed",
        None,
    )
    assert ministry_counts(world.ministry_dir) == {
        "bundles": 0,
        "data_rows": 0,
        "receipts": 0,
        "rejections": 1,
    }


def test_a_bundle_for_another_ministry_is_rejected_as_wrong_recipient(
    template: World, tmp_path: Path
) -> None:
    other = make_ministry(tmp_path / "other")
    with running(other, template.tls) as server:
        response, _body, _took = post(server.port, template.bundles[0][1])
    assert response.getheader("X-Kisi-Status") == "rejected"
    assert response.getheader("X-Kisi-Reason") == "wrong_recipient"


def test_an_announced_body_above_the_limit_is_refused_at_once_unread(
    world: World, server: IntakeServer
) -> None:
    response, _body, took = post(server.port, b"tiny", length=MAX_UPLOAD_BODY + 1)
    assert response.status == 413
    assert took < 2  # answered from the headers, not after waiting for 64 MiB
    assert server.app.imports == 0
    assert ministry_counts(world.ministry_dir)["rejections"] == 0


def test_the_application_refuses_a_large_body_before_touching_it(world: World) -> None:
    class Untouchable:
        def read(self, *args: Any) -> bytes:
            raise AssertionError("the body was read")

    answers: list[str] = []
    with load_ministry(world.ministry_dir) as ministry:
        app = IntakeApp(ministry, max_body=1000)
        environ = {
            "PATH_INFO": "/v1/bundles",
            "REQUEST_METHOD": "POST",
            "CONTENT_TYPE": "application/octet-stream",
            "CONTENT_LENGTH": "1001",
            "wsgi.input": Untouchable(),
        }
        app(environ, lambda status, headers, exc_info=None: answers.append(status))  # type: ignore[arg-type,return-value]
        environ["CONTENT_LENGTH"] = ""
        app(environ, lambda status, headers, exc_info=None: answers.append(status))  # type: ignore[arg-type,return-value]
    assert answers == ["413 Content Too Large", "411 Length Required"]
    assert app.imports == 0


def test_a_smaller_configured_limit_holds_too(template: World, tmp_path: Path) -> None:
    world = clone(template, tmp_path / "w")
    name, bundle = world.bundles[0]
    with running(world.ministry_dir, world.tls, max_body=len(bundle) - 1) as server:
        response, _body, _took = post(server.port, bundle, name=name)
        assert response.status == 413
        assert server.app.imports == 0


def test_a_chunked_body_without_length_is_refused(world: World, server: IntakeServer) -> None:
    head = (
        b"POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    response, _body, took = exchange(server.port, head, b"4\r\nabcd\r\n0\r\n\r\n")
    assert response.status == 411
    assert took < 2
    assert server.app.imports == 0


def test_a_body_shorter_than_announced_is_not_imported(world: World, server: IntakeServer) -> None:
    _name, bundle = world.bundles[0]
    head = (
        "POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
        f"Content-Length: {len(bundle)}\r\nConnection: close\r\n\r\n"
    ).encode()
    try:
        response, _body, took = exchange(
            server.port, head, bundle[: len(bundle) // 2], end_body=True
        )
        status: int | None = response.status
    except (http.client.HTTPException, OSError):
        status, took = None, 0.0  # the server may just drop the connection
    assert status in (400, None)
    assert took < 5
    assert ministry_counts(world.ministry_dir)["bundles"] == 0


@pytest.mark.parametrize(
    ("method", "path", "content_type", "status"),
    [
        ("GET", "/v1/bundles", "application/octet-stream", 405),
        ("PUT", "/v1/bundles", "application/octet-stream", 405),
        ("POST", "/v1/other", "application/octet-stream", 404),
        ("POST", "/", "application/octet-stream", 404),
        ("POST", "/v1/bundles", "application/json", 415),
        ("POST", "/v1/bundles", "multipart/form-data; boundary=x", 415),
    ],
)
def test_anything_but_a_bundle_post_is_refused_without_an_import(
    world: World, server: IntakeServer, method: str, path: str, content_type: str, status: int
) -> None:
    response, _body, _took = post(
        server.port, world.bundles[0][1], method=method, path=path, content_type=content_type
    )
    assert response.status == status
    if status == 405:
        assert response.getheader("Allow") == "POST"
    assert server.app.imports == 0
    assert ministry_counts(world.ministry_dir)["bundles"] == 0


def test_simultaneous_uploads_of_one_bundle_import_it_once(
    world: World, server: IntakeServer
) -> None:
    name, bundle = world.bundles[0]
    statuses: list[str | None] = []
    barrier = threading.Barrier(4)

    def upload() -> None:
        barrier.wait()
        response, _body, _took = post(server.port, bundle, name=name)
        statuses.append(response.getheader("X-Kisi-Status"))

    threads = [threading.Thread(target=upload) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(statuses, key=str) == ["duplicate", "duplicate", "duplicate", "imported"]
    assert ministry_counts(world.ministry_dir)["bundles"] == 1


def test_the_pin_is_the_sha256_of_the_server_key_as_openssl_computes_it(
    world: World, server: IntakeServer
) -> None:
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    with pinning_context().wrap_socket(raw) as tls:
        der = tls.getpeercert(binary_form=True)
    assert der is not None
    assert spki_sha256(der) == world.tls.pin == server.pin == certificate_pin(world.tls.cert)
    # openssl is in scripts/debian-packages.txt: the pin is checked against it everywhere.
    public = subprocess.run(
        ["openssl", "x509", "-pubkey", "-noout", "-in", str(world.tls.cert)],
        capture_output=True,
        check=True,
    ).stdout
    der_key = subprocess.run(
        ["openssl", "pkey", "-pubin", "-outform", "der"],
        input=public,
        capture_output=True,
        check=True,
    ).stdout
    assert hashlib.sha256(der_key).hexdigest() == world.tls.pin


def test_the_server_speaks_tls_only(server: IntakeServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(b"POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx")
        try:
            answer = raw.recv(1024)
        except ConnectionResetError:
            answer = b""
    assert b"X-Kisi-Status" not in answer
    assert server.app.requests == 0


def test_a_self_signed_pair_is_made_once_with_a_private_key_file(tmp_path: Path) -> None:
    cert, key = tmp_path / "tls" / "cert.pem", tmp_path / "tls" / "key.pem"
    pin = make_self_signed(cert, key, "intake.example.org")
    assert pin == certificate_pin(cert)
    assert key.stat().st_mode & 0o777 == 0o600
    with pytest.raises(UserError, match="not overwritten"):
        make_self_signed(cert, key, "intake.example.org")
    assert certificate_pin(cert) == pin


def test_a_bad_certificate_is_a_user_error(world: World, tmp_path: Path) -> None:
    broken = tmp_path / "broken.pem"
    broken.write_text("not a certificate")
    with pytest.raises(UserError):
        IntakeServer(world.ministry_dir, "127.0.0.1", 0, cert=broken, key=world.tls.key)
