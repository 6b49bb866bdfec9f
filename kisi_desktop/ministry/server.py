"""The intake server: municipalities upload bundles over HTTPS and get the receipt as the answer.

One endpoint, ``POST /v1/bundles`` with the encrypted bundle as an
``application/octet-stream`` body. The answer is always the ministry's signed receipt
(``application/vnd.kisi.receipt``, status 200), whether the bundle was imported, was a
duplicate, is held for an earlier one or was rejected: the receipt carries the reason
code, and the headers ``X-Kisi-Status`` and ``X-Kisi-Reason`` repeat it for logs and
scripts. Everything else is answered with a plain HTTP error and never reaches the intake:

* no ``Content-Length`` (e.g. chunked): 411; longer than
  :data:`~kisi_desktop.bundles.limits.MAX_UPLOAD_BODY`: 413. Both are decided from the
  headers, before a byte of the body is read; the HTTP server also refuses longer bodies
  itself (its ``max_request_body_size``), so the limit holds twice;
* another content type: 415; another method: 405; another path: 404;
* a body that ends before ``Content-Length``: 400, nothing imported.

The HTTP server is cheroot (CherryPy's pure-Python server: thread pool, keep-alive, TLS
through the standard ``ssl`` module), not ``http.server``, which its own documentation
says is not for production. Requests are handled by several threads, but imports run one
at a time under one lock: the intake database has a single writer anyway, and the
anti-replay decision must see the previous import.

TLS: the certificate may be self-signed. Apps do not ask a certificate authority; they
compare the SHA-256 of the server key (SubjectPublicKeyInfo) with the pin in their signed
provisioning file (:func:`certificate_pin` prints it). ``kisi ministry serve`` without
``--cert``/``--key`` makes such a pair in ``DIR/tls/`` on first start.
"""

from __future__ import annotations

import ipaddress
import os
import re
import ssl
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from wsgiref.types import StartResponse, WSGIEnvironment

from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.limits import MAX_UPLOAD_BODY
from kisi_desktop.bundles.upload import (
    BUNDLE_TYPE,
    ENDPOINT,
    FILE_NAME_HEADER,
    REASON_HEADER,
    RECEIPT_TYPE,
    STATUS_HEADER,
    spki_sha256,
)
from kisi_desktop.ministry.intake import IntakeResult, import_bundle
from kisi_desktop.ministry.keys import Ministry, load_ministry

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8443
MAX_HEADERS = 16 * 1024  # request line and headers together
SOCKET_TIMEOUT = 20  # seconds per read or write on a connection
BODY_DEADLINE = 300.0  # seconds for a whole body: 64 MiB at ~220 KiB/s
THREADS = 4

_SAFE_NAME = re.compile(r"[A-Za-z0-9._-]{1,120}")

Log = Callable[[str], None]


def _quiet(line: str) -> None:
    """The default log: nothing (tests); ``kisi ministry serve`` prints."""


def _now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class IntakeApp:
    """The WSGI application: one endpoint, imports serialised, receipts as answers."""

    def __init__(self, ministry: Ministry, *, max_body: int = MAX_UPLOAD_BODY, log: Log = _quiet):
        self.ministry = ministry
        self.max_body = max_body
        self.log = log
        self.lock = threading.Lock()
        """Held while a bundle is imported (and while the database is closed)."""
        self._counting = threading.Lock()
        self.requests = 0
        """Requests that reached the application (for tests and the operator)."""
        self.imports = 0
        """Bodies handed to the intake."""

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        with self._counting:
            self.requests += 1
        if environ.get("PATH_INFO", "") != ENDPOINT:
            return _plain(start_response, "404 Not Found", "not found")
        if environ.get("REQUEST_METHOD") != "POST":
            return _plain(
                start_response, "405 Method Not Allowed", "POST only", [("Allow", "POST")]
            )
        content_type = str(environ.get("CONTENT_TYPE", "")).split(";")[0].strip().lower()
        if content_type != BUNDLE_TYPE:
            return _plain(start_response, "415 Unsupported Media Type", f"send {BUNDLE_TYPE}")
        length_text = str(environ.get("CONTENT_LENGTH", "") or "")
        if not length_text:
            return _plain(start_response, "411 Length Required", "Content-Length required")
        if not length_text.isdigit() or len(length_text) > 12:
            return _plain(start_response, "400 Bad Request", "bad Content-Length")
        length = int(length_text)
        if length > self.max_body:
            self.log(
                _("{at} refused: {size} bytes announced, at most {limit} accepted").format(
                    at=_now_text(), size=length, limit=self.max_body
                )
            )
            return _plain(start_response, "413 Content Too Large", "bundle too large")
        body = _read_exactly(environ["wsgi.input"], length)
        if body is None:
            return _plain(start_response, "400 Bad Request", "incomplete body")
        name = str(environ.get("HTTP_" + FILE_NAME_HEADER.upper().replace("-", "_"), ""))
        file_name = name if _SAFE_NAME.fullmatch(name) else "upload.kisi"
        try:
            with self.lock:
                with self._counting:
                    self.imports += 1
                result = import_bundle(self.ministry, body, file_name)
        except Exception as error:  # a bug must not take the server down
            self.log(
                _("{at} internal error during import ({kind})").format(
                    at=_now_text(), kind=type(error).__name__
                )
            )
            return _plain(start_response, "500 Internal Server Error", "internal error")
        self._log_result(result)
        if result.receipt is None:
            return _plain(start_response, "500 Internal Server Error", "no receipt")
        headers = [
            ("Content-Type", RECEIPT_TYPE),
            ("Content-Length", str(len(result.receipt))),
            ("Cache-Control", "no-store"),
            (STATUS_HEADER, result.outcome),
        ]
        if result.reason_code:
            headers.append((REASON_HEADER, result.reason_code))
        start_response("200 OK", headers)
        return [result.receipt]

    def _log_result(self, result: IntakeResult) -> None:
        for one in result.all():
            self.log(
                _(
                    "{at} {outcome} {reason} {ags} device {device} bundle {seq} ({records} records)"
                ).format(
                    at=_now_text(),
                    outcome=one.outcome,
                    reason=one.reason_code or "-",
                    ags=one.ags or "-",
                    device=one.device_id or "-",
                    seq=one.seq if one.seq is not None else "-",
                    records=one.records,
                )
            )


def _plain(
    start_response: StartResponse,
    status: str,
    text: str,
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    """A short plain-text error answer (for logs and curl; the app reads the status)."""
    body = (text + "\n").encode("ascii")
    headers = [
        ("Content-Type", "text/plain; charset=us-ascii"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        *(extra or []),
    ]
    start_response(status, headers)
    return [body]


def _read_exactly(stream: object, length: int) -> bytes | None:
    """``length`` bytes of the request body, or None if it ends early or takes too long."""
    read = getattr(stream, "read", None)
    if read is None:
        return None
    deadline = datetime.now(UTC) + timedelta(seconds=BODY_DEADLINE)
    data = bytearray()
    try:
        while len(data) < length:
            chunk = read(min(64 * 1024, length - len(data)))
            if not chunk or datetime.now(UTC) > deadline:
                return None
            data += chunk
    except OSError:
        return None
    return bytes(data)


# -- TLS -----------------------------------------------------------------------------------


def certificate_pin(cert_file: Path) -> str:
    """The pin of the certificate in ``cert_file`` (PEM or DER): what provisioning lists.

    Raises:
        UserError: the file cannot be read or holds no certificate.
    """
    try:
        data = Path(cert_file).read_bytes()
        certificate = (
            x509.load_pem_x509_certificate(data)
            if data.lstrip().startswith(b"-----")
            else x509.load_der_x509_certificate(data)
        )
        return spki_sha256(certificate.public_bytes(serialization.Encoding.DER))
    except (OSError, ValueError):
        raise UserError(
            _("{path} is not a readable certificate file.").format(path=cert_file)
        ) from None


def make_self_signed(cert_file: Path, key_file: Path, host: str, *, years: int = 3) -> str:
    """A new P-256 key and a self-signed certificate for ``host``; returns the pin.

    The key file is created readable by the owner only, and neither file may exist yet (a
    ministry's pinned key is never overwritten by accident: apps would stop trusting it).

    Raises:
        UserError: one of the files exists already.
    """
    for path in (cert_file, key_file):
        if path.exists():
            raise UserError(_("{path} exists already; it is not overwritten.").format(path=path))
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host[:64] or "kisi-intake")])
    try:
        alt: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        alt = x509.DNSName(host)
    start = datetime.now(UTC) - timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * years))
        .add_extension(x509.SubjectAlternativeName([alt]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    cert_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key_pem)
    cert_der = certificate.public_bytes(serialization.Encoding.DER)
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return spki_sha256(cert_der)


def _ssl_adapter(cert_file: Path, key_file: Path) -> BuiltinSSLAdapter:
    try:
        adapter = BuiltinSSLAdapter(str(cert_file), str(key_file))
    except (OSError, ssl.SSLError, ValueError) as error:
        raise UserError(
            _("Cannot use the certificate {cert} with the key {key}: {reason}").format(
                cert=cert_file, key=key_file, reason=getattr(error, "strerror", None) or error
            )
        ) from None
    context = adapter.context
    if isinstance(context, ssl.SSLContext):
        context.minimum_version = ssl.TLSVersion.TLSv1_2
    return adapter


# -- the server ----------------------------------------------------------------------------


class _Server(wsgi.Server):
    """cheroot's WSGI server with its own messages sent to our log (no tracebacks)."""

    kisi_log: Log = _quiet

    def error_log(self, msg: str = "", level: int = 20, traceback: bool = False) -> None:
        if level >= 30 and msg:
            self.kisi_log(f"{_now_text()} server: {msg}")


class IntakeServer:
    """The intake server for one ministry folder; run it in a thread (tests) or in front.

    ``port`` 0 picks a free port; :attr:`port` tells which once :meth:`start` returned.
    ``poll_interval``: how often the idle loop wakes up, which bounds how long :meth:`stop`
    takes (tests use a short one).
    """

    def __init__(
        self,
        ministry_dir: Path,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        cert: Path,
        key: Path,
        max_body: int = MAX_UPLOAD_BODY,
        log: Log = _quiet,
        threads: int = THREADS,
        poll_interval: float = 0.5,
    ) -> None:
        adapter = _ssl_adapter(Path(cert), Path(key))
        self.pin = certificate_pin(Path(cert))
        self.ministry = load_ministry(Path(ministry_dir))
        self.app = IntakeApp(self.ministry, max_body=max_body, log=log)
        server = _Server(
            (host, port),
            self.app,
            numthreads=threads,
            server_name="kisi-intake",
            timeout=SOCKET_TIMEOUT,
        )
        server.kisi_log = log
        server.ssl_adapter = adapter
        server.max_request_body_size = max_body
        server.max_request_header_size = MAX_HEADERS
        server.version = "kisi-intake"
        # How often the idle server loop wakes up; also how long stop() may take.
        server.expiration_interval = poll_interval
        self._server = server
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        """The address the server listens on."""
        return str(self._server.bind_addr[0])

    @property
    def port(self) -> int:
        """The port the server listens on (the real one when 0 was asked for)."""
        return int(self._server.bind_addr[1])

    @property
    def url(self) -> str:
        """The ``intake_url`` for provisioning files (without the endpoint path)."""
        return f"https://{self.host}:{self.port}"

    def start(self) -> None:
        """Bind and serve in a background thread; returns once the socket listens."""
        self._server.prepare()
        self._thread = threading.Thread(target=self._server.serve, name="kisi-intake", daemon=True)
        self._thread.start()

    def serve_forever(self, ready: Callable[[], None] | None = None) -> None:
        """Bind, call ``ready`` (the port is known then), serve in this thread until
        :meth:`stop` or Ctrl+C."""
        self._server.prepare()
        if ready is not None:
            ready()
        self._server.serve()

    def stop(self) -> None:
        """Stop accepting, finish the requests in flight, close the intake database."""
        self._server.stop()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        with self.app.lock:
            self.ministry.close()

    def __enter__(self) -> IntakeServer:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(
    ministry_dir: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    cert: Path | None = None,
    key: Path | None = None,
    *,
    log: Log = print,
) -> None:
    """Run the intake server in the foreground until interrupted (``kisi ministry serve``).

    Without ``cert`` and ``key``, ``DIR/tls/cert.pem`` and ``DIR/tls/key.pem`` are used,
    made (self-signed) on first start. The pin to put into provisioning files is logged.
    """
    folder = Path(ministry_dir)
    if (cert is None) != (key is None):
        raise UserError(_("Give both --cert and --key, or neither."))
    if cert is None or key is None:
        cert, key = folder / "tls" / "cert.pem", folder / "tls" / "key.pem"
        load_ministry(folder).close()  # refuse a folder that is not a ministry before writing
        if not cert.exists() and not key.exists():
            make_self_signed(cert, key, host)
            log(
                _("Made a self-signed certificate for {host} in {folder}.").format(
                    host=host, folder=cert.parent
                )
            )
    server = IntakeServer(folder, host, port, cert=cert, key=key, log=log)

    def ready() -> None:
        log(
            _("Intake server for {folder} on {url}{endpoint}").format(
                folder=folder, url=server.url, endpoint=ENDPOINT
            )
        )
        log(_("Server key pin for the provisioning file: {pin}").format(pin=server.pin))
        log(_("Stop with Ctrl+C."))

    try:
        server.serve_forever(ready)
    finally:
        server.stop()
