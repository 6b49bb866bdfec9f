"""Hostile input for the bundle readers: mutations of real files, and bundles made to order.

Two tools for SECURITY.md's F1 (hand-made corpus) and F2 (mutation fuzz):

* :func:`mutations` is a Hypothesis strategy of byte-level edits (flip, insert, delete,
  splice with a second real file, truncate, duplicate a chunk) and :func:`mutate` applies
  them. Positions are drawn as plain integers and taken modulo the current length, so one
  strategy fits files of any size and Hypothesis still shrinks towards offset 0.
* :class:`Town` holds a municipality's signing key and the members of one of its real
  bundles, and re-signs whatever manifest bytes a test hands it with that key, so a hostile
  manifest gets past the signature check and the *deeper* check is the one that must fire.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import resource
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import strategies as st

from kisi_desktop.bundles import age, minisign, strict_json
from kisi_desktop.bundles.manifest import (
    COMMENT_PREFIX,
    MANIFEST,
    SIGNATURE,
    FileEntry,
    Manifest,
    parse_manifest,
    sha256_hex,
)
from kisi_desktop.bundles.profiles import profile
from kisi_desktop.bundles.safe_zip import write_zip
from kisi_desktop.ministry.intake import OUTCOME_IMPORTED, import_bundle
from kisi_desktop.ministry.keys import load_ministry

# -- mutations -------------------------------------------------------------------------------

KINDS = ("flip", "insert", "delete", "splice", "truncate", "duplicate")


@dataclass(frozen=True, slots=True)
class Mutation:
    """One byte-level edit; ``at`` and ``other_at`` are taken modulo the lengths."""

    kind: str
    at: int
    length: int
    value: int
    other_at: int

    def apply(self, data: bytes, other: bytes) -> bytes:
        """``data`` edited; ``other`` is the second real file a splice takes its tail from."""
        size = len(data)
        at = self.at % (size + 1)
        if self.kind == "flip":
            if not size:
                return data
            spot = self.at % size
            return data[:spot] + bytes([data[spot] ^ self.value]) + data[spot + 1 :]
        if self.kind == "insert":
            return data[:at] + bytes([self.value]) * self.length + data[at:]
        if self.kind == "delete":
            return data[:at] + data[at + self.length :]
        if self.kind == "splice":
            return data[:at] + other[self.other_at % (len(other) + 1) :]
        if self.kind == "truncate":
            return data[:at]
        if self.kind == "duplicate":
            chunk = data[at : at + self.length]
            return data[: at + len(chunk)] + chunk + data[at + len(chunk) :]
        raise ValueError(self.kind)


def mutation() -> st.SearchStrategy[Mutation]:
    """One edit of any kind, small lengths preferred (a chunk of up to 256 bytes)."""
    return st.builds(
        Mutation,
        kind=st.sampled_from(KINDS),
        at=st.integers(0, 2**20),
        length=st.integers(1, 256),
        value=st.integers(1, 255),
        other_at=st.integers(0, 2**20),
    )


def mutations(most: int = 3) -> st.SearchStrategy[list[Mutation]]:
    """One to ``most`` edits applied in turn."""
    return st.lists(mutation(), min_size=1, max_size=most)


def mutate(data: bytes, other: bytes, edits: Sequence[Mutation]) -> bytes:
    """``data`` after every edit in ``edits``."""
    for edit in edits:
        data = edit.apply(data, other)
    return data


# -- age files made to order -----------------------------------------------------------------


def b64(data: bytes) -> bytes:
    """Unpadded base64, as age writes it."""
    return base64.b64encode(data).rstrip(b"=")


def stanza(kind: str, args: Sequence[str], body: bytes) -> bytes:
    """One age header stanza: ``-> kind args...`` and its body in 64-column base64 lines."""
    encoded = b64(body)
    lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)] or [b""]
    if len(lines[-1]) == 64:
        lines.append(b"")
    return " ".join(["->", kind, *args]).encode() + b"\n" + b"\n".join(lines) + b"\n"


def x25519_stanza(file_key: bytes, recipient: str) -> bytes:
    """The stanza ``age -r`` writes for ``recipient``."""
    their = age.Recipient.parse(recipient).key
    ephemeral = X25519PrivateKey.generate()
    share = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(their))
    wrap = age._hkdf(shared, share + their, b"age-encryption.org/v1/X25519")
    body = ChaCha20Poly1305(wrap).encrypt(bytes(12), file_key, None)
    return stanza("X25519", [b64(share).decode()], body)


def age_file(
    plaintext: bytes,
    recipients: Sequence[str],
    *,
    before: Sequence[bytes] = (),
    after: Sequence[bytes] = (),
) -> bytes:
    """A binary age file with a correct header MAC and payload, and extra stanzas.

    ``before`` and ``after`` are raw stanzas (see :func:`stanza`) placed around the X25519
    stanzas of ``recipients``: whoever makes a file knows its file key, so a hostile
    header can carry a valid MAC, and the reader must refuse it for what it says.
    """
    file_key = os.urandom(16)
    header = age.INTRO + b"".join(
        [*before, *(x25519_stanza(file_key, r) for r in recipients), *after]
    )
    header += b"---"
    mac_key = age._hkdf(file_key, b"", b"header")
    header += b" " + b64(hmac.new(mac_key, header, hashlib.sha256).digest()) + b"\n"
    nonce = os.urandom(16)
    stream = ChaCha20Poly1305(age._hkdf(file_key, nonce, b"payload"))
    chunks = [plaintext[i : i + age.CHUNK] for i in range(0, len(plaintext), age.CHUNK)] or [b""]
    out = bytearray(header + nonce)
    for index, chunk in enumerate(chunks):
        last = b"\x01" if index == len(chunks) - 1 else b"\x00"
        out += stream.encrypt(index.to_bytes(11, "big") + last, chunk, None)
    return bytes(out)


# -- bundles made to order -------------------------------------------------------------------


def legacy_signature(
    message: bytes, private: Ed25519PrivateKey, key_id: bytes, trusted_comment: str
) -> bytes:
    """A minisign signature with the legacy algorithm "Ed" (the message itself is signed).

    minisign 0.11 still verifies these (``-l``); the bundle reader must refuse them.
    """
    signature = private.sign(message)
    global_signature = private.sign(signature + trusted_comment.encode("utf-8"))
    return (
        f"{minisign.UNTRUSTED}signature from a legacy minisign\n"
        f"{base64.b64encode(minisign.LEGACY + key_id + signature).decode()}\n"
        f"{minisign.TRUSTED}{trusted_comment}\n"
        f"{base64.b64encode(global_signature).decode()}\n"
    ).encode()


@dataclass
class Town:
    """A municipality that signs whatever a test asks: its key and one real bundle's members.

    ``members`` are the decrypted ZIP's files of a bundle its vault exported; the helpers
    below change them and sign the result with the town's real key, as a municipality
    with a broken (or malicious) app could.
    """

    private: Ed25519PrivateKey
    key_id: bytes
    members: dict[str, bytes]
    recipients: tuple[str, ...]
    manifest: Manifest = field(init=False)

    def __post_init__(self) -> None:
        self.manifest = parse_manifest(self.members[MANIFEST])

    def comment(self, manifest_bytes: bytes, **claims: object) -> str:
        """The trusted comment the real export writes, for ``manifest_bytes``.

        ``claims`` override ``ags``, ``dev``, ``epoch`` or ``seq`` (default: the real
        manifest's), so a comment can name what a hostile manifest cannot say itself.
        """
        m = self.manifest
        values = {"ags": m.municipality_ags, "dev": m.device_id, "epoch": m.device_epoch,
                  "seq": m.seq, **claims}  # fmt: skip
        return (
            f"{COMMENT_PREFIX} ags={values['ags']} dev={values['dev']} epoch={values['epoch']} "
            f"seq={values['seq']} manifest-sha256={sha256_hex(manifest_bytes)}"
        )

    def sign(
        self,
        manifest_bytes: bytes,
        *,
        comment: str | None = None,
        private: Ed25519PrivateKey | None = None,
        key_id: bytes | None = None,
    ) -> bytes:
        """A prehashed minisign signature over ``manifest_bytes`` (the town's key by default)."""
        return minisign.sign(
            manifest_bytes,
            private or self.private,
            key_id or self.key_id,
            trusted_comment=comment or self.comment(manifest_bytes),
        ).encode("ascii")

    def signed_members(
        self,
        manifest_bytes: bytes,
        *,
        data: Mapping[str, bytes] | None = None,
        signature: bytes | None = None,
    ) -> dict[str, bytes]:
        """The members with ``manifest_bytes`` signed by the town, data files as given."""
        members = {
            MANIFEST: manifest_bytes,
            SIGNATURE: signature if signature is not None else self.sign(manifest_bytes),
        }
        files = data if data is not None else {
            n: b for n, b in self.members.items() if n not in (MANIFEST, SIGNATURE)
        }  # fmt: skip
        members.update(files)
        return members

    def with_data(self, files: Mapping[str, bytes], **changes: Any) -> dict[str, bytes]:
        """Members whose data files are ``files``, listed in a manifest the town signs.

        Each file's size, hash and record count in the manifest are those of ``files``
        (record count = number of lines) unless ``changes`` replaces fields of the
        manifest.
        """
        schemas = dict(self.manifest.schemas)
        entries = tuple(
            FileEntry(name, len(body), sha256_hex(body), body.count(b"\n"), schemas.get(name, 1))
            for name, body in files.items()
        )
        manifest = replace(self.manifest, files=entries, **changes)
        return self.signed_members(manifest.encode(), data=files)

    def with_rows(self, rows: Mapping[str, list[dict[str, Any]]]) -> dict[str, bytes]:
        """Members whose data files hold ``rows`` (canonical JSON Lines), signed."""
        return self.with_data({n: strict_json.dumps_lines(r) for n, r in rows.items()})

    def rows(self, name: str) -> list[dict[str, Any]]:
        """The real bundle's records of data file ``name``."""
        return list(strict_json.loads_lines(self.members[name], what=name))

    def encrypt(self, members: Mapping[str, bytes] | bytes) -> bytes:
        """The members (or a ready ZIP) as a bundle file for the ministry's recipients."""
        plaintext = members if isinstance(members, bytes) else write_zip(list(members.items()))
        return profile("p1").encrypt(plaintext, self.recipients)


def manifest_sha256(members: Mapping[str, bytes]) -> str:
    """The hash the intake keys a bundle by."""
    return hashlib.sha256(members[MANIFEST]).hexdigest()


# -- the corpus in a child process -----------------------------------------------------------


def run_corpus(ministry_dir: Path, corpus: Path) -> dict[str, Any]:
    """Import ``corpus/first.kisi``, then every file ``expected.json`` names; what happened.

    Run as ``python -m tests.support.hostile MINISTRY_DIR CORPUS_DIR`` in a process whose
    address space the parent limited (RLIMIT_AS), so the whole corpus is shown to fit.
    """
    expected = json.loads((corpus / "expected.json").read_text())
    with load_ministry(ministry_dir) as ministry:
        first = import_bundle(ministry, (corpus / "first.kisi").read_bytes(), "first.kisi")
        if first.outcome != OUTCOME_IMPORTED:
            raise SystemExit(f"the real bundle did not import: {first.message}")
        before = ministry.store.snapshot()
        cases = []
        for name in sorted(expected):
            data = (corpus / name).read_bytes()
            started = time.perf_counter()
            result = import_bundle(ministry, data, name)
            cases.append(
                {
                    "file": name,
                    "outcome": result.outcome,
                    "code": result.reason_code,
                    "seconds": time.perf_counter() - started,
                }
            )
        unchanged = ministry.store.snapshot() == before
    # VmPeak/VmHWM belong to this process image (ru_maxrss would include the parent's
    # before the exec).
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return {
        "limit": resource.getrlimit(resource.RLIMIT_AS)[0],
        "peak_address_space_kib": int(status["VmPeak"].split()[0]),
        "peak_rss_kib": int(status["VmHWM"].split()[0]),
        "tables_unchanged": unchanged,
        "cases": cases,
    }


if __name__ == "__main__":
    print(json.dumps(run_corpus(Path(sys.argv[1]), Path(sys.argv[2]))))
