"""The C2SP/CCTV age testkit against the reader the app opens bundles with (SECURITY.md, I1).

Each file in tests/vectors/age-cctv/ is one vector (source, commit and licence in the
README.md there). The app opens a bundle with ``profile("p1").decrypt(data, identity)``:
one X25519 identity, binary age, all or nothing. In scope, every vector must give exactly
the testkit's result, in our reason codes. Three age features are refused by design, and
their vectors must be refused with our reason for that feature (``DESIGN``), unless the
failure the testkit expects comes first:

- ``scrypt``: passphrase stanzas. FORMAT.md, "Outer": "No passphrase (scrypt) stanzas";
  SECURITY.md, "Container (p1)": "no scrypt".
- ``armor``: the ASCII armor. FORMAT.md, "Outer": "binary age v1 ... no armor".
- ``hybrid``: post-quantum (ML-KEM-768 + X25519) keys. FORMAT.md, "Outer": "one X25519
  stanza per ministry recipient"; SECURITY.md, "Container (p1)": "no mixing with PQ".
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

import pytest

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles.age import AgeError, Identity, payload_chunks
from kisi_desktop.bundles.profiles import profile
from kisi_desktop.bundles.reasons import (
    MALFORMED,
    TAMPERED,
    UNSUPPORTED_VERSION,
    WRONG_RECIPIENT,
    Rejected,
)

VECTORS = Path(__file__).parents[1] / "vectors" / "age-cctv"
# Vector files have no suffix; README.md and .gitattributes are not vectors.
FILES = sorted(p for p in VECTORS.iterdir() if p.is_file() and "." not in p.name)
KEYS = {"expect", "payload", "identity", "passphrase", "armored", "compressed", "file key",
        "comment"}  # fmt: skip

# The testkit's expectations in the reason codes the bundle reader reports (bundles/reasons.py).
CODE = {
    "no match": WRONG_RECIPIENT,
    "HMAC failure": TAMPERED,
    "header failure": MALFORMED,
    "payload failure": TAMPERED,
    "armor failure": MALFORMED,
}
# Where our code differs from CODE[expect], and why.
ALIAS = {
    # The testkit counts the payload nonce as header; a file that ends inside it is "cut
    # short", like any truncated file (test_age.py: test_truncation_is_refused).
    "stream_no_nonce": TAMPERED,
    "stream_short_nonce": TAMPERED,
    # The empty last chunk is authentic: an encoder's mistake, not a change on the way.
    "stream_last_chunk_empty": MALFORMED,
}
# The refusal, code and message, of each feature bundles leave out by design.
DESIGN = {
    "scrypt": (UNSUPPORTED_VERSION, "Passphrase-encrypted age files are not accepted."),
    "armor": (MALFORMED, "ASCII-armored age files are not accepted; bundles are binary."),
    "hybrid": (
        UNSUPPORTED_VERSION,
        "Post-quantum age keys are not supported; bundles use X25519 keys.",
    ),
}
# The app always opens with the ministry's X25519 identity. Vectors that name none (the
# scrypt ones, `empty`) are opened with this one; refused kinds are also tried with it.
STAND_IN = str(Identity(bytes([0x42]) * 32))


@dataclass(frozen=True, slots=True)
class Vector:
    """One testkit file: its header lines and the age file (inflated if it was compressed)."""

    name: str
    fields: dict[str, list[str]]
    age_file: bytes

    def one(self, key: str) -> str:
        (value,) = self.fields[key]
        return value

    @property
    def expect(self) -> str:
        return self.one("expect")

    @property
    def identities(self) -> list[str]:
        return self.fields.get("identity", [])

    @property
    def design_rules(self) -> set[str]:
        """Which of the by-design refusals apply (empty: the vector is in scope)."""
        rules = set()
        if self.fields.get("armored") == ["yes"]:
            rules.add("armor")
        if "passphrase" in self.fields:
            rules.add("scrypt")
        if any(i.startswith("AGE-SECRET-KEY-PQ-") for i in self.identities):
            rules.add("hybrid")
        return rules


def load(path: Path) -> Vector:
    """The vector in ``path``, in the format of the testkit's README ("Test file format")."""
    head, blank, body = path.read_bytes().partition(b"\n\n")
    assert blank, f"{path.name}: no blank line after the header"
    fields: dict[str, list[str]] = {}
    for line in head.decode("utf-8").split("\n"):
        key, colon, value = line.partition(": ")
        assert colon, f"{path.name}: header line {line!r}"
        fields.setdefault(key, []).append(value)
    # The testkit says to ignore files with unknown keys; a new key here should be read, not
    # skipped, so it fails instead.
    assert set(fields) <= KEYS, f"{path.name}: unknown keys {set(fields) - KEYS}"
    if "compressed" in fields:
        assert fields["compressed"] == ["zlib"], path.name
        body = zlib.decompress(body)
    return Vector(path.name, fields, body)


def open_as_app(data: bytes, identity: str) -> bytes | Rejected:
    """The app's bundle decryption; anything but plaintext or ``Rejected`` propagates."""
    try:
        return profile("p1").decrypt(data, identity)
    except Rejected as rejected:
        return rejected


def released_by_stream(vector: Vector) -> bytes:
    """What a streaming reader would have released: STREAM chunks up to the first failure.

    ``decrypt`` itself releases nothing from a failing file. This runs our STREAM reader
    on the payload with the vector's ``file key`` (which the README allows for STREAM
    tests), so the testkit's released-plaintext hash checks that it stops at the same chunk
    as the reference: no bad chunk accepted, no good chunk refused.
    """
    data = vector.age_file
    payload = data[data.index(b"\n", data.index(b"\n---") + 1) + 1 :]
    released = bytearray()
    try:
        for chunk in payload_chunks(payload, bytes.fromhex(vector.one("file key"))):
            released += chunk
    except AgeError:
        pass
    return bytes(released)


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    set_ui_language("en")


def test_no_vector_is_lost() -> None:
    readme = (VECTORS / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^Count: (\d+) vector files$", readme, re.MULTILINE)
    assert match is not None, "README.md must say 'Count: N vector files'"
    assert len(FILES) == int(match.group(1))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_cctv_vector(path: Path) -> None:
    vector = load(path)
    if vector.design_rules:
        check_refused_by_design(vector)
    else:
        check_in_scope(vector)


def check_in_scope(vector: Vector) -> None:
    outcomes = [open_as_app(vector.age_file, i) for i in vector.identities or [STAND_IN]]
    if vector.expect == "success":
        plaintexts = [o for o in outcomes if isinstance(o, bytes)]
        assert plaintexts, outcomes
        for plaintext in plaintexts:
            assert sha256(plaintext).hexdigest() == vector.one("payload")
    else:
        code = ALIAS.get(vector.name, CODE[vector.expect])
        for outcome in outcomes:
            # All or nothing: a refused file releases no plaintext at all.
            assert isinstance(outcome, Rejected), f"opened, expected {vector.expect}"
            assert outcome.code == code, str(outcome)
    if vector.expect in ("success", "payload failure"):
        assert sha256(released_by_stream(vector)).hexdigest() == vector.one("payload")


def check_refused_by_design(vector: Vector) -> None:
    rules = vector.design_rules
    for identity in vector.identities or [STAND_IN]:
        outcome = open_as_app(vector.age_file, identity)
        assert isinstance(outcome, Rejected), f"opened a file refused by design: {rules}"
        refusal = (outcome.code, str(outcome))
        # Either a design rule refused it, or the testkit's own failure came first.
        assert refusal in {DESIGN[rule] for rule in rules} or outcome.code == CODE.get(
            vector.expect
        ), refusal
    # Whatever such a file holds, it does not open for an X25519 identity like the app's.
    assert isinstance(open_as_app(vector.age_file, STAND_IN), Rejected)
