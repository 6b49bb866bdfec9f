"""The ministry's folder and keys: one key per purpose, private halves readable by the owner only.

``kisi ministry init --dir DIR`` makes::

    DIR/ministry.json          what this folder is (format, demo or real, creation time)
    DIR/intake.sqlite          the intake database (registry, bundles, receipts, log)
    DIR/keys/        (0700)    private keys, each file 0600:
        identity.txt           age identity (X25519) that opens bundles, as age-keygen
                               writes it, so ``age -d -i DIR/keys/identity.txt`` works
        root.key               signs provisioning documents (the app's trust anchor)
        content.key            signs content packs
        receipt.key            signs receipts, and nothing else (CON.1: one key per purpose)
    DIR/public/                what may be handed out:
        recipient.txt          the age recipient bundles are encrypted to
        root.pub, content.pub, receipt.pub   minisign public keys (``minisign -V -p``)
    DIR/receipts/              receipts written by ``kisi ministry import``

An Ed25519 ``.key`` file is a small JSON object (purpose, minisign key id, raw private key in
base64). Why not minisign's own secret-key format: it is encrypted under a passphrase with
scrypt, and the ministry's keys are protected by the folder's permissions and the machine's
disk encryption instead; a passphrase prompt at every import would only be typed into
scripts. (Keeping the root key offline, as SECURITY.md asks, means copying ``root.key`` away
after provisioning; :func:`load_ministry` works without it except for provisioning.)

A demo ministry (``--demo``) is marked in ``ministry.json`` and in its public keys' comments;
its provisioning documents say ``demo: true``, which the app refuses outside demo mode.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from types import TracebackType
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kisi_desktop.core.clock import Clock, SystemClock
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.age import AgeError, Identity
from kisi_desktop.bundles.minisign import PublicKey, new_key_id, public_key_of
from kisi_desktop.ministry.store import IntakeStore

FORMAT = "kisi-ministry/1"
PURPOSES = ("root", "content", "receipt")
MINISTRY_FILE = "ministry.json"
DATABASE_FILE = "intake.sqlite"


class NotAMinistry(UserError):
    """The folder is not a ministry folder, or one of its key files is damaged."""


class NoMinistryFolder(NotAMinistry):
    """Nothing of a ministry in the folder: none was made there (the ``kisi`` command
    adds how to make one; the window offers to)."""


class MinistryExists(UserError):
    """``init`` was pointed at a folder that already holds something."""


@dataclass(frozen=True, slots=True)
class SigningKey:
    """One of the ministry's Ed25519 keys: the private half and its minisign key id."""

    purpose: str
    private: Ed25519PrivateKey
    key_id: bytes

    @property
    def public(self) -> PublicKey:
        """The public half in minisign's terms."""
        return public_key_of(self.private, self.key_id)


@dataclass
class Ministry:
    """An opened ministry folder: its keys and its intake database.

    Close it (or use it as a context manager) to release the database. ``root`` is None when
    the root key has been moved offline; everything but provisioning works without it.
    """

    path: Path
    identity: Identity
    root: SigningKey | None
    content: SigningKey
    receipt: SigningKey
    demo: bool
    created_at: str
    store: IntakeStore
    clock: Clock

    @property
    def recipient(self) -> str:
        """The age recipient (``age1...``) bundles must be encrypted to."""
        return str(self.identity.recipient())

    @property
    def receipts_dir(self) -> Path:
        """Where ``kisi ministry import`` puts receipts unless told otherwise."""
        return self.path / "receipts"

    def now(self) -> str:
        """The current time as receipts and the intake database write it: ``...T12:00:00Z``."""
        return utc_text(self.clock)

    def close(self) -> None:
        """Release the intake database."""
        self.store.close()

    def __enter__(self) -> Ministry:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def utc_text(clock: Clock) -> str:
    """The clock's time in UTC to the second, ``YYYY-MM-DDTHH:MM:SSZ`` (the formats' spelling)."""
    return clock.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` with ``mode`` from the start (no window before a chmod); fsync it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)  # the umask must not widen or narrow it
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _key_file(key: SigningKey) -> bytes:
    raw = key.private.private_bytes_raw()
    body = {
        "format": "kisi-ministry-key/1",
        "purpose": key.purpose,
        "algorithm": "Ed25519",
        "key_id": key.key_id.hex(),
        "minisign_key_id": key.public.key_id_hex(),
        "private": base64.b64encode(raw).decode(),
    }
    return (json.dumps(body, indent=2) + "\n").encode()


def _read_key(path: Path, purpose: str) -> SigningKey:
    try:
        body = json.loads(path.read_bytes())
        if body.get("format") != "kisi-ministry-key/1" or body.get("purpose") != purpose:
            raise ValueError(purpose)
        raw = base64.b64decode(body["private"], validate=True)
        key_id = bytes.fromhex(body["key_id"])
        if len(key_id) != 8 or len(raw) != 32:
            raise ValueError(purpose)
        return SigningKey(purpose, Ed25519PrivateKey.from_private_bytes(raw), key_id)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise NotAMinistry(
            _("The key file {path} is missing or damaged.").format(path=path)
        ) from None


def _identity_text(identity: Identity, created: str, demo: bool) -> bytes:
    lines = [
        f"# created: {created}",
        f"# public key: {identity.recipient()}",
    ]
    if demo:
        lines.append("# KISI DEMO ministry - never use for real data")
    lines.append(str(identity))
    return ("\n".join(lines) + "\n").encode()


def _read_identity(path: Path) -> Identity:
    try:
        text = path.read_text("ascii")
        secret = [line for line in text.splitlines() if line.startswith("AGE-SECRET-KEY-1")]
        if len(secret) != 1:
            raise ValueError("one identity")
        return Identity.parse(secret[0])
    except (OSError, ValueError, AgeError):
        raise NotAMinistry(
            _("The key file {path} is missing or damaged.").format(path=path)
        ) from None


def public_key_text(key: PublicKey, purpose: str, demo: bool) -> str:
    """A minisign public key file whose comment says which ministry key it is."""
    label = "KISI DEMO ministry" if demo else "KISI ministry"
    body = key.text().splitlines()[1]
    return f"untrusted comment: {label} {purpose} key {key.key_id_hex()}\n{body}\n"


def init_ministry(path: Path, *, demo: bool = False, clock: Clock | None = None) -> Ministry:
    """Make a new ministry folder at ``path``: keys, public files, empty intake database.

    Refuses a folder that exists and is not empty, so a second ``init`` can never replace
    the keys that municipalities' bundles are already encrypted to.

    Raises:
        MinistryExists: ``path`` exists and holds files.
    """
    path = Path(path)
    clock = clock or SystemClock()
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise MinistryExists(
            _(
                "{path} already exists and is not empty; a ministry folder is never overwritten."
            ).format(path=path)
        )
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    keys_dir = path / "keys"
    public_dir = path / "public"
    keys_dir.mkdir(mode=0o700)
    os.chmod(keys_dir, 0o700)
    public_dir.mkdir()
    (path / "receipts").mkdir()
    created = utc_text(clock)
    identity = Identity.generate()
    _write_new(keys_dir / "identity.txt", _identity_text(identity, created, demo), 0o600)
    keys = {p: SigningKey(p, Ed25519PrivateKey.generate(), new_key_id()) for p in PURPOSES}
    for purpose, key in keys.items():
        _write_new(keys_dir / f"{purpose}.key", _key_file(key), 0o600)
        _write_new(
            public_dir / f"{purpose}.pub",
            public_key_text(key.public, purpose, demo).encode(),
            0o644,
        )
    _write_new(public_dir / "recipient.txt", f"{identity.recipient()}\n".encode(), 0o644)
    store = IntakeStore.create(path / DATABASE_FILE)
    # Written last: a folder without it (init interrupted) is refused by load_ministry.
    meta = {"format": FORMAT, "demo": demo, "created_at": created, "profile": "p1"}
    _write_new(path / MINISTRY_FILE, (json.dumps(meta, indent=2) + "\n").encode(), 0o644)
    return Ministry(
        path=path,
        identity=identity,
        root=keys["root"],
        content=keys["content"],
        receipt=keys["receipt"],
        demo=demo,
        created_at=created,
        store=store,
        clock=clock,
    )


def read_meta(path: Path) -> dict[str, Any]:
    """``ministry.json`` of the folder at ``path``."""
    meta_file = Path(path) / MINISTRY_FILE
    try:
        meta = json.loads(meta_file.read_bytes())
    except (OSError, ValueError):
        raise NoMinistryFolder(_("{path} is not a ministry folder.").format(path=path)) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise NotAMinistry(_("{path} is not a ministry folder of this version.").format(path=path))
    return meta


def load_ministry(path: Path, *, clock: Clock | None = None) -> Ministry:
    """Open the ministry folder at ``path``: read its keys, open its intake database.

    Raises:
        NotAMinistry: not a ministry folder, or a key file is missing or damaged.
    """
    path = Path(path)
    meta = read_meta(path)
    keys_dir = path / "keys"
    identity = _read_identity(keys_dir / "identity.txt")
    root = _read_key(keys_dir / "root.key", "root") if (keys_dir / "root.key").exists() else None
    content = _read_key(keys_dir / "content.key", "content")
    receipt = _read_key(keys_dir / "receipt.key", "receipt")
    store = IntakeStore.open(path / DATABASE_FILE)
    return Ministry(
        path=path,
        identity=identity,
        root=root,
        content=content,
        receipt=receipt,
        demo=bool(meta.get("demo", False)),
        created_at=str(meta.get("created_at", "")),
        store=store,
        clock=clock or SystemClock(),
    )
