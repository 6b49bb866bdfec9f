"""Upload when online: send exported bundles to the ministry's intake server over pinned HTTPS.

The file route (USB stick, mail) always works; uploading is the shortcut when the laptop is
online. The queue is the ledger itself: every bundle whose status is ``exported`` (or
``uploaded``, sent but without a usable receipt) is pending, and its ``upload_attempts``,
``next_upload_at`` and ``upload_error`` fields say how often it was tried, when it is due
again and what went wrong. Nothing else is kept, so the queue survives restarts and a crash
between sending and recording only means the bundle is sent again - which is harmless: the
ministry imports by manifest hash and answers a second copy with the first receipt
("duplicate"), so a bundle is never lost and never counted twice.

Trust in the server comes from the provisioning file alone, not from certificate
authorities: the app completes the TLS handshake, hashes the server certificate's
SubjectPublicKeyInfo (SHA-256 over its DER encoding) and compares it with the pins the
provisioning file lists, *before* a single byte of the request is sent. A mismatch ends the
attempt; there is no fallback to an unpinned connection, and no proxy is used (a proxy
would see nothing but could block; the file route remains).

The answer to an upload is the ministry's signed receipt, applied like a receipt brought
back on a stick (:func:`kisi_desktop.bundles.receipts.apply_receipt`), so the bundle ends up
``confirmed`` or ``rejected`` with the ministry's reason code. Failed attempts back off:
1 minute, doubling up to 6 hours, with jitter so that 42 municipalities coming online after
an outage do not all call at the same second.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.limits import MAX_RECEIPT_FILE, MAX_UPLOAD_BODY
from kisi_desktop.bundles.profiles import profile
from kisi_desktop.bundles.provisioning import Provisioning, current_provisioning
from kisi_desktop.bundles.reasons import DUPLICATE, NOT_PROVISIONED, Rejected
from kisi_desktop.bundles.receipts import apply_receipt, explained, read_receipt

from kisi_desktop import __version__

if TYPE_CHECKING:
    import ssl

# The network and certificate modules (http.client, ssl, cryptography.x509: 20 ms) are
# imported where a pin is checked or a bundle sent, not when the Sync page opens.

ENDPOINT = "/v1/bundles"
"""Where bundles are posted, below the provisioning file's ``intake_url``."""
BUNDLE_TYPE = "application/octet-stream"
RECEIPT_TYPE = "application/vnd.kisi.receipt"
FILE_NAME_HEADER = "X-Kisi-File-Name"
STATUS_HEADER = "X-Kisi-Status"
REASON_HEADER = "X-Kisi-Reason"

CONNECT_TIMEOUT = 10.0  # seconds for TCP connect and TLS handshake
TOTAL_TIMEOUT = 60.0  # seconds for the whole exchange
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=6)

PENDING = ("exported", "uploaded")
"""Ledger statuses that still wait for an answer from the ministry."""

# Failure kinds (UploadOutcome.problem): where an attempt went wrong.
NETWORK = "network"  # no connection, reset, TLS error, timeout
PIN = "pin"  # the server's key is not the one the provisioning file names
HTTP = "http"  # the server answered, but not with a receipt
RECEIPT = "receipt"  # the receipt did not verify or names another bundle
REFUSED = "refused"  # the ministry could not read the bundle (receipt without manifest)
TOO_LARGE = "too_large"  # larger than the intake accepts


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _one_line(text: str, most: int = 500) -> str:
    """Text as a ledger field keeps it: one line, bounded."""
    line = " ".join(text.split())
    return line if len(line) <= most else line[: most - 1] + "…"


# -- pins ------------------------------------------------------------------------------------


def spki_sha256(der_certificate: bytes) -> str:
    """SHA-256 (hex) of the DER SubjectPublicKeyInfo of a DER certificate: what a pin is.

    The same value ``openssl x509 -pubkey -noout | openssl pkey -pubin -outform der |
    sha256sum`` prints, so a ministry can check its pin with standard tools.

    Raises:
        ValueError: not a certificate, or a key type this build cannot read.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    certificate = x509.load_der_x509_certificate(der_certificate)
    spki = certificate.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).hexdigest()


def endpoint_url(intake_url: str) -> str:
    """The address bundles are posted to: ``intake_url`` + ``/v1/bundles``.

    An ``intake_url`` that already ends in ``/v1/bundles`` is taken as it is.
    """
    base = intake_url.rstrip("/")
    return base if base.endswith(ENDPOINT) else base + ENDPOINT


# -- transport -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Request:
    """One upload: where to, which server keys to accept, what to send."""

    url: str
    pins: tuple[str, ...]
    body: bytes
    file_name: str


@dataclass(frozen=True, slots=True)
class Answer:
    """The server's answer: status, headers (names in lower case) and body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class TransportError(Exception):
    """An upload that got no answer: ``kind`` is :data:`NETWORK` or :data:`PIN`.

    Only the transport raises it, and :func:`upload_pending` turns it into a recorded
    failure; the message is translated, for the ledger and the Sync page.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


Transport = Callable[[Request], Answer]


def pinning_context() -> ssl.SSLContext:
    """TLS 1.2 or newer, no CA or host name check: the pin check replaces both.

    Certificate authorities are not consulted on purpose: the ministry's server is trusted
    because its key is the one the signed provisioning file names, which is stronger than
    any CA and works with a self-signed certificate.
    """
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _left(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    return remaining


def check_pin(sock: ssl.SSLSocket, pins: Sequence[str]) -> None:
    """Refuse the connection unless the server's key is one of ``pins``.

    Raises:
        TransportError: kind :data:`PIN`.
    """
    der = sock.getpeercert(binary_form=True)
    try:
        found = spki_sha256(der) if der else None
    except ValueError:
        found = None
    if found is None or found not in pins:
        raise TransportError(
            PIN,
            _(
                "The server did not present the ministry's key (pin {found}); nothing was "
                "sent. If the ministry changed its server, import its new provisioning file."
            ).format(found=(found or "-")[:16]),
        )


def https_transport(
    request: Request,
    *,
    connect_timeout: float = CONNECT_TIMEOUT,
    total_timeout: float = TOTAL_TIMEOUT,
) -> Answer:
    """POST ``request.body`` over HTTPS to a server whose key is pinned; the answer.

    The TLS handshake is completed and the pin checked before the request line is sent.
    Every socket operation gets the time left until the overall deadline, so a server that
    trickles its answer cannot hold the app longer than ``total_timeout``. The answer body
    is read up to the size of the largest receipt (plus one byte, to notice more).

    Raises:
        TransportError: no connection, a TLS or protocol error, a timeout, or a wrong pin.
    """
    import http.client
    import ssl

    parts = urlsplit(request.url)
    if parts.scheme != "https" or not parts.hostname:
        raise TransportError(NETWORK, _("The intake address is not an https:// address."))
    deadline = time.monotonic() + total_timeout
    connection = http.client.HTTPSConnection(
        parts.hostname,
        parts.port or 443,
        timeout=min(connect_timeout, total_timeout),
        context=pinning_context(),
    )
    try:
        connection.connect()
        sock = connection.sock
        if not isinstance(sock, ssl.SSLSocket):  # pragma: no cover - http.client always wraps
            raise TransportError(NETWORK, _("No TLS connection to the intake server."))
        check_pin(sock, request.pins)
        sock.settimeout(_left(deadline))
        connection.putrequest("POST", parts.path or "/", skip_accept_encoding=True)
        connection.putheader("Content-Type", BUNDLE_TYPE)
        connection.putheader("Content-Length", str(len(request.body)))
        connection.putheader("Accept", RECEIPT_TYPE)
        connection.putheader("User-Agent", f"kisi-desktop/{__version__}")
        connection.putheader(FILE_NAME_HEADER, request.file_name)
        connection.endheaders()
        view = memoryview(request.body)
        for start in range(0, len(view), 64 * 1024):
            sock.settimeout(_left(deadline))
            sock.sendall(view[start : start + 64 * 1024])
        sock.settimeout(_left(deadline))
        response = connection.getresponse()
        body = bytearray()
        while len(body) <= MAX_RECEIPT_FILE:
            sock.settimeout(_left(deadline))
            chunk = response.read(min(16 * 1024, MAX_RECEIPT_FILE + 1 - len(body)))
            if not chunk:
                break
            body += chunk
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, headers, bytes(body))
    except TransportError:
        raise
    except TimeoutError:
        raise TransportError(NETWORK, _("The intake server did not answer in time.")) from None
    except ssl.SSLError as error:
        raise TransportError(
            NETWORK,
            _("No secure connection to the intake server ({reason}).").format(
                reason=error.reason or type(error).__name__
            ),
        ) from None
    except (OSError, http.client.HTTPException) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise TransportError(
            NETWORK,
            _("Could not reach the intake server ({reason}).").format(reason=reason),
        ) from None
    finally:
        connection.close()


# -- the queue -------------------------------------------------------------------------------


def backoff(attempts: int, rand: Callable[[], float] = random.random) -> timedelta:
    """How long to wait after ``attempts`` failed tries: 1 min doubling, at most 6 h.

    The wait is drawn from the upper quarter below that bound (jitter), so offices that
    went offline together do not all retry in the same second.
    """
    doublings = min(max(attempts, 1) - 1, 20)
    bound = min(LONGEST_DELAY, FIRST_DELAY * (2**doublings))
    wait: timedelta = bound * (0.75 + 0.25 * rand())
    return wait


def is_due(entry: BundleEntry, now: datetime) -> bool:
    """Whether a pending entry may be tried at ``now``."""
    return entry.next_upload_at is None or _parse_utc(entry.next_upload_at) <= now


def pending_uploads(ws: Workspace) -> list[BundleEntry]:
    """Bundles still waiting for the ministry's answer, oldest first (the upload queue)."""
    waiting = [e for e in ws.list(BundleEntry) if e.status in PENDING]
    return sorted(waiting, key=lambda e: (e.epoch, e.seq))


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    """What one upload attempt did to one bundle.

    ``status`` is ``confirmed`` (the ministry has the figures: imported, or a duplicate
    counted once), ``rejected`` (refused for good; ``reason_code`` says why), ``held``
    (the ministry waits for an earlier bundle; tried again later) or ``failed`` (no usable
    answer; ``problem`` says where it went wrong, and it is tried again at
    ``next_upload_at``).
    """

    seq: int
    file_name: str
    status: str
    message: str
    reason_code: str | None = None
    problem: str | None = None
    records: int = 0
    attempts: int = 0
    next_upload_at: str | None = None


def _doc(ws: Workspace) -> tuple[Provisioning, str]:
    doc = current_provisioning(ws)
    if doc is None:
        raise Rejected(
            NOT_PROVISIONED,
            _("Import the ministry's provisioning file before uploading bundles."),
        )
    if not doc.intake_url or not doc.spki_pins:
        raise UserError(
            _(
                "The ministry's provisioning file names no intake server; send the bundles "
                "as files (USB stick or mail)."
            )
        )
    return doc, endpoint_url(doc.intake_url)


def _failed(
    ws: Workspace,
    entries: Sequence[BundleEntry],
    now: datetime,
    problem: str | None,
    message: str,
    *,
    reason_code: str | None = None,
    status: str | None = None,
    held: bool = False,
) -> list[UploadOutcome]:
    """Record an attempt without a final answer on ``entries`` (one vault write) and say
    when they are tried again. ``held``: the ministry holds the bundle (not a failure)."""
    updated = []
    outcomes = []
    for entry in entries:
        attempts = entry.upload_attempts + 1
        when = _utc_text(now + backoff(attempts))
        updated.append(
            dataclasses.replace(
                entry,
                status=status or entry.status,
                upload_attempts=attempts,
                next_upload_at=when,
                upload_error=_one_line(message),
            )
        )
        outcomes.append(
            UploadOutcome(
                entry.seq,
                entry.file_name,
                "held" if held else "failed",
                message,
                reason_code=reason_code,
                problem=problem,
                attempts=attempts,
                next_upload_at=when,
            )
        )
    ws.save(updated, "upload")
    return outcomes


def _answered(
    ws: Workspace, entry: BundleEntry, doc: Provisioning, answer: Answer, now: datetime
) -> UploadOutcome:
    """Apply the server's answer to one bundle."""
    if answer.status == 413:
        return _failed(
            ws,
            [entry],
            now,
            TOO_LARGE,
            _("The intake server refused the bundle as too large; send it as a file."),
        )[0]
    content_type = answer.headers.get("content-type", "").split(";")[0].strip().lower()
    if answer.status != 200 or content_type != RECEIPT_TYPE:
        return _failed(
            ws,
            [entry],
            now,
            HTTP,
            _("The intake server answered {status} instead of a receipt.").format(
                status=answer.status
            ),
        )[0]
    try:
        receipt = read_receipt(answer.body, doc.receipt_keys)
    except Rejected as error:
        return _failed(
            ws,
            [entry],
            now,
            RECEIPT,
            _("The intake server's answer is not a valid receipt: {message}").format(message=error),
            status="uploaded",
        )[0]
    if receipt.manifest_sha256 is None and receipt.status == "rejected":
        # The ministry could not even read whose bundle this is (not registered yet, key
        # revoked, encrypted to an old key...). Not final for this bundle: tried again.
        return _failed(
            ws,
            [entry],
            now,
            REFUSED,
            _("The ministry could not accept the bundle. {message}").format(
                message=explained(receipt.reason_code, receipt.message)
            ),
            reason_code=receipt.reason_code,
        )[0]
    if receipt.manifest_sha256 != entry.manifest_sha256:
        return _failed(
            ws,
            [entry],
            now,
            RECEIPT,
            _("The intake server answered with a receipt for another bundle."),
            status="uploaded",
        )[0]
    if receipt.status == "held":
        return _failed(
            ws,
            [entry],
            now,
            None,
            _("Held by the ministry. {message}").format(
                message=explained(receipt.reason_code, receipt.message)
            ),
            reason_code=receipt.reason_code,
            held=True,
        )[0]
    applied = apply_receipt(ws, answer.body, entry.file_name)
    fresh = ws.get(BundleEntry, entry.id)
    ws.update(
        dataclasses.replace(
            fresh,
            upload_attempts=entry.upload_attempts + 1,
            next_upload_at=None,
            upload_error="",
        )
    )
    reason = receipt.reason_code
    if receipt.confirmed and answer.headers.get(STATUS_HEADER.lower()) == "duplicate":
        # The ministry re-issued its first receipt: this copy was counted once, not again.
        reason = DUPLICATE
        message = _("The ministry had this bundle already; it is counted once.")
    elif receipt.confirmed:
        message = receipt.message or _("Confirmed by the ministry.")
    else:
        message = _("Rejected by the ministry. {message}").format(
            message=explained(receipt.reason_code, receipt.message) or applied.message,
        )
    return UploadOutcome(
        entry.seq,
        entry.file_name,
        fresh.status,
        message,
        reason_code=reason,
        records=receipt.records,
        attempts=entry.upload_attempts + 1,
    )


def upload_pending(
    ws: Workspace,
    *,
    now: datetime | None = None,
    transport: Transport | None = None,
    force: bool = False,
) -> list[UploadOutcome]:
    """Send every pending bundle that is due to the ministry; what became of each.

    Oldest first, so the ministry receives them in sequence. Each bundle is encrypted
    afresh from its signed payload in the vault (same manifest, new encryption), so a
    bundle can be uploaded even when its file on the stick is gone. ``force`` ignores the
    back-off schedule (the guide pressed "Upload now"). When the server cannot be reached
    or presents the wrong key, the remaining bundles are not tried in this round: each
    gets the same failure recorded and waits for the next round.

    Raises:
        Rejected: no provisioning file (``not_provisioned``).
        UserError: the provisioning file names no intake server.
    """
    doc, url = _doc(ws)
    now = now or ws.clock.now()
    send = transport or https_transport
    crypto = profile(doc.profile)
    queue = [e for e in pending_uploads(ws) if force or is_due(e, now)]
    outcomes: list[UploadOutcome] = []
    for index, entry in enumerate(queue):
        body = crypto.encrypt(base64.b64decode(entry.payload_b64), doc.age_recipients)
        if len(body) > MAX_UPLOAD_BODY:
            outcomes += _failed(
                ws,
                [entry],
                now,
                TOO_LARGE,
                _("The bundle is larger than the intake server accepts; send it as a file."),
            )
            continue
        try:
            answer = send(Request(url, tuple(doc.spki_pins), body, entry.file_name))
        except TransportError as error:
            outcomes += _failed(ws, queue[index:], now, error.kind, str(error))
            break
        outcomes.append(_answered(ws, entry, doc, answer, now))
    return outcomes
