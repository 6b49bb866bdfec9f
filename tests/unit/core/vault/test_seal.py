"""The AES-256-GCM record envelope: known answer (K2), round trips, tampering (S3)."""

from __future__ import annotations

import io
import os
import random

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kisi_desktop.core.errors import SealBroken
from kisi_desktop.core.vault.encoding import length_prefixed, record_aad
from kisi_desktop.core.vault.seal import (
    NONCE_LENGTH,
    OVERHEAD,
    SealingKey,
    open_file,
    seal_to_file,
)

from tests.support.vectors import field_value, load_vector

KEY = bytes(range(32))


def _aad(
    kind: str = "note",
    rid: str = "ab" * 16,
    version: int = 1,
    key_ref: str = "d1-x",
    schema_v: int = 1,
    vault_id: bytes = b"\x11" * 16,
    table: str = "KISI-REC",
) -> bytes:
    return length_prefixed(table, 1, vault_id, kind, rid, version, key_ref, schema_v)


# ------------------------------------------------------------------ known answer (K2)
def test_envelope_known_answer_is_byte_exact() -> None:
    """Fixed key, nonce and AAD give the committed bytes: the on-disk format cannot drift."""
    vector = load_vector("seal")["envelope"]
    key = SealingKey(bytes.fromhex(vector["key_hex"]), "d1-abcdef123456")
    aad = length_prefixed(*(field_value(f) for f in vector["aad_fields"]))
    assert aad.hex() == vector["aad_hex"]
    plain = vector["plaintext_utf8"].encode("utf-8")
    blob = key.seal(plain, aad, nonce=bytes.fromhex(vector["nonce_hex"]))
    assert blob.hex() == vector["blob_hex"]
    # Layout: version byte, the nonce in the clear, ciphertext and 16-byte tag.
    assert blob[0] == 0x01
    assert blob[1 : 1 + NONCE_LENGTH].hex() == vector["nonce_hex"]
    assert len(blob) == len(plain) + OVERHEAD
    assert key.open(bytes.fromhex(vector["blob_hex"]), aad) == plain


def test_envelope_known_answer_opens_with_plain_aes_gcm() -> None:
    """The blob is standard AES-GCM: a DPO or auditor can check it with any implementation."""
    vector = load_vector("seal")["envelope"]
    blob = bytes.fromhex(vector["blob_hex"])
    plain = AESGCM(bytes.fromhex(vector["key_hex"])).decrypt(
        blob[1:13], blob[13:], bytes.fromhex(vector["aad_hex"])
    )
    assert plain.decode("utf-8") == vector["plaintext_utf8"]


def test_the_stores_fast_aad_equals_the_length_prefixed_one() -> None:
    """record_aad (written out for speed) must give exactly the vector's AAD."""
    vector = load_vector("seal")["envelope"]
    fields = [field_value(f) for f in vector["aad_fields"]]
    prefix = length_prefixed(*fields[:3])
    kind, rid, version, key_ref, schema_v = fields[3:]
    assert isinstance(kind, str) and isinstance(rid, str) and isinstance(key_ref, str)
    assert isinstance(version, int) and isinstance(schema_v, int)
    assert record_aad(prefix, kind, rid, version, key_ref, schema_v).hex() == vector["aad_hex"]


@given(
    kind=st.text(min_size=1, max_size=20),
    rid=st.text(min_size=1, max_size=40),
    version=st.integers(min_value=0, max_value=2**64 - 1),
    key_ref=st.text(max_size=30),
    schema_v=st.integers(min_value=0, max_value=2**64 - 1),
)
def test_fast_aad_matches_length_prefixed_for_any_fields(
    kind: str, rid: str, version: int, key_ref: str, schema_v: int
) -> None:
    prefix = length_prefixed("KISI-REC", 1, b"\x00" * 16)
    assert record_aad(prefix, kind, rid, version, key_ref, schema_v) == prefix + length_prefixed(
        kind, rid, version, key_ref, schema_v
    )


# ------------------------------------------------------------------ round trips
@settings(max_examples=60, deadline=None)
@given(plain=st.binary(max_size=4096), aad=st.binary(max_size=200))
@example(plain=b"", aad=b"")
@example(plain=bytes(100_000), aad=b"x")
@example(plain=os.urandom(100_000), aad=_aad())
def test_any_plaintext_survives_a_round_trip(plain: bytes, aad: bytes) -> None:
    key = SealingKey(KEY, "d1")
    blob = key.seal(plain, aad)
    assert len(blob) == len(plain) + OVERHEAD
    assert key.open(blob, aad) == plain


def test_every_seal_uses_a_fresh_nonce() -> None:
    """Same record sealed twice: different bytes, so equal contents are not visible."""
    key = SealingKey(KEY, "d1")
    blobs = {key.seal(b"same", _aad()) for _ in range(200)}
    assert len(blobs) == 200
    assert len({blob[1:13] for blob in blobs}) == 200


def test_keys_and_nonces_of_the_wrong_size_are_refused() -> None:
    with pytest.raises(ValueError):
        SealingKey(b"\x00" * 16, "short")
    with pytest.raises(ValueError):
        SealingKey(KEY, "d1").seal(b"x", b"", nonce=b"\x00" * 8)


# ------------------------------------------------------------------ tampering (S3)
def test_every_single_byte_flip_of_100_blobs_is_refused() -> None:
    """S3: XOR 0x01 at every byte of 100 sealed blobs of varied sizes: all refused."""
    rng = random.Random(7)
    key = SealingKey(KEY, "d1")
    flips = 0
    for n in range(100):
        aad = _aad(rid=f"{n:032x}")
        plain = rng.randbytes(rng.choice([0, 1, 15, 16, 17, 64, 200]))
        blob = bytearray(key.seal(plain, aad))
        for i in range(len(blob)):
            blob[i] ^= 0x01
            with pytest.raises(SealBroken):
                key.open(bytes(blob), aad)
            blob[i] ^= 0x01
            flips += 1
        assert key.open(bytes(blob), aad) == plain
    assert flips >= 100 * OVERHEAD


def test_truncated_or_extended_blobs_are_refused() -> None:
    key = SealingKey(KEY, "d1")
    blob = key.seal(b"Termin beim Jobcenter", _aad())
    for cut in range(len(blob)):
        with pytest.raises(SealBroken):
            key.open(blob[:cut], _aad())
    with pytest.raises(SealBroken):
        key.open(blob + b"\x00", _aad())


def test_an_unknown_envelope_version_is_refused() -> None:
    key = SealingKey(KEY, "d1")
    blob = key.seal(b"x", _aad())
    for version in (0x00, 0x02, 0xFF):
        with pytest.raises(SealBroken):
            key.open(bytes((version,)) + blob[1:], _aad())


@pytest.mark.parametrize(
    "moved",
    [
        {"kind": "person"},
        {"rid": "cd" * 16},
        {"version": 2},
        {"version": 0},
        {"key_ref": "d2-x"},
        {"schema_v": 2},
        {"vault_id": b"\x12" * 16},
        {"table": "KISI-AUDIT"},
    ],
    ids=lambda moved: next(iter(moved)),
)
def test_a_blob_moved_to_another_place_does_not_open(moved: dict[str, object]) -> None:
    """Another row, kind, version, key, schema or vault: the AAD differs, the seal breaks."""
    key = SealingKey(KEY, "d1")
    blob = key.seal(b"Frau A. braucht einen Dolmetscher", _aad())
    with pytest.raises(SealBroken):
        key.open(blob, _aad(**moved))  # type: ignore[arg-type]


def test_a_blob_does_not_open_under_another_key() -> None:
    blob = SealingKey(KEY, "d1").seal(b"x", _aad())
    with pytest.raises(SealBroken):
        SealingKey(bytes(32), "d2").open(blob, _aad())


def test_sealbroken_says_nothing_about_the_cause() -> None:
    """One opaque error for every cause, so a caller cannot learn which part was wrong."""
    key = SealingKey(KEY, "d1")
    blob = key.seal(b"x", _aad())
    messages = set()
    for bad_blob, aad in [
        (blob[:-1] + bytes((blob[-1] ^ 1,)), _aad()),
        (blob, _aad(version=9)),
        (b"\x02" + blob[1:], _aad()),
        (blob[:5], _aad()),
    ]:
        with pytest.raises(SealBroken) as info:
            key.open(bad_blob, aad)
        messages.add(str(info.value))
    assert messages == {""}


# ------------------------------------------------------------------ streamed from a file
def _open_streamed(blob: bytes, aad: bytes, *, size: int | None = None) -> bytes:
    # Chunks of 7 bytes: every test blob crosses many chunk boundaries, as a 90 MB
    # snapshot crosses many of the real megabyte ones.
    size = len(blob) if size is None else size
    return bytes(open_file(KEY, io.BytesIO(blob), size, aad, chunk_size=7))


@settings(max_examples=60, deadline=None)
@given(plain=st.binary(max_size=300), aad=st.binary(max_size=50))
@example(plain=b"", aad=b"")
@example(plain=bytes(range(256)) * 4, aad=b"x")
def test_a_file_streamed_in_chunks_opens_as_the_whole_blob_does(plain: bytes, aad: bytes) -> None:
    blob = SealingKey(KEY, "snapshot").seal(plain, aad)
    assert _open_streamed(blob, aad) == plain == SealingKey(KEY, "snapshot").open(blob, aad)


def test_a_streamed_file_is_refused_after_any_byte_flip_cut_or_other_aad() -> None:
    plain = b"Kita-Anmeldung, Termin beim Jobcenter, Sprachkurs B1"
    blob = bytearray(SealingKey(KEY, "snapshot").seal(plain, _aad()))
    for i in range(len(blob)):
        blob[i] ^= 0x01
        with pytest.raises(SealBroken):
            _open_streamed(bytes(blob), _aad())
        blob[i] ^= 0x01
    for cut in range(len(blob)):
        with pytest.raises(SealBroken):
            _open_streamed(bytes(blob[:cut]), _aad())
    with pytest.raises(SealBroken):
        _open_streamed(bytes(blob), _aad(version=2))
    assert _open_streamed(bytes(blob), _aad()) == plain


def test_a_file_that_ends_before_its_stated_size_is_refused() -> None:
    """The file shrank between taking its size and reading it (rewritten in place)."""
    blob = SealingKey(KEY, "snapshot").seal(bytes(100), _aad())
    for missing in (1, 16, 50):
        with pytest.raises(SealBroken):
            _open_streamed(blob[:-missing], _aad(), size=len(blob))


# ------------------------------------------------------------------ sealed into a file
def _sealed_streamed(plain: bytes, aad: bytes, chunk_size: int) -> bytes:
    out = io.BytesIO()
    seal_to_file(KEY, plain, aad, out, chunk_size=chunk_size)
    return out.getvalue()


@settings(max_examples=60, deadline=None)
@given(
    plain=st.binary(max_size=300),
    aad=st.binary(max_size=50),
    chunk_size=st.integers(min_value=1, max_value=64),
)
@example(plain=b"", aad=b"", chunk_size=1)
@example(plain=bytes(range(256)) * 4, aad=b"x", chunk_size=16)
def test_an_envelope_sealed_in_chunks_is_the_one_seal_makes(
    plain: bytes, aad: bytes, chunk_size: int
) -> None:
    """The snapshot is sealed a megabyte at a time: same layout, same bytes for the same
    nonce, and it opens both whole and streamed."""
    blob = _sealed_streamed(plain, aad, chunk_size)
    assert len(blob) == len(plain) + OVERHEAD
    nonce = blob[1 : 1 + NONCE_LENGTH]
    assert blob == SealingKey(KEY, "snapshot").seal(plain, aad, nonce=nonce)
    assert SealingKey(KEY, "snapshot").open(blob, aad) == plain == _open_streamed(blob, aad)


def test_sealing_into_a_file_refuses_keys_that_are_not_256_bits() -> None:
    for size in (16, 24, 31, 33):
        with pytest.raises(ValueError, match="256 bits"):
            seal_to_file(os.urandom(size), b"x", b"", io.BytesIO())


def test_envelopes_sealed_in_chunks_never_share_a_nonce() -> None:
    nonces = {_sealed_streamed(b"Termin", b"", 4)[1 : 1 + NONCE_LENGTH] for _ in range(200)}
    assert len(nonces) == 200


def test_an_envelope_sealed_in_chunks_does_not_open_with_other_aad() -> None:
    blob = _sealed_streamed(b"Sprachkurs B1 ab Montag", _aad(), 5)
    with pytest.raises(SealBroken):
        SealingKey(KEY, "snapshot").open(blob, _aad(version=2))
