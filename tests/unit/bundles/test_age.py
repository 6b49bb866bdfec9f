"""age v1 with X25519: the real `age` tool and this module open each other's files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles.age import AgeError, Identity, Recipient, decrypt, encrypt


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    set_ui_language("en")


PAYLOADS = [b"", b"x", b"manifest" * 10, bytes(range(256)) * 256, b"\x00" * (64 * 1024),
            b"z" * (64 * 1024 + 1), b"y" * (3 * 64 * 1024)]  # fmt: skip


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: str(len(p)))
def test_age_tool_opens_our_files(tmp_path: Path, payload: bytes) -> None:
    ministry = Identity.generate()
    (tmp_path / "key.txt").write_text(str(ministry) + "\n")
    other = Identity.generate()
    (tmp_path / "b.kisi").write_bytes(encrypt(payload, [other.recipient(), ministry.recipient()]))
    done = subprocess.run(
        ["age", "-d", "-i", str(tmp_path / "key.txt"), str(tmp_path / "b.kisi")],
        capture_output=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == payload


@pytest.mark.parametrize("payload", PAYLOADS[:4], ids=lambda p: str(len(p)))
def test_we_open_what_the_age_tool_encrypted(tmp_path: Path, payload: bytes) -> None:
    keygen = subprocess.run(["age-keygen"], capture_output=True, text=True, check=True).stdout
    secret = next(line for line in keygen.splitlines() if line.startswith("AGE-SECRET-KEY-"))
    identity = Identity.parse(secret)
    recipient = str(identity.recipient())
    assert f"public key: {recipient}" in keygen  # our Bech32 spells keys as age does
    (tmp_path / "plain").write_bytes(payload)
    subprocess.run(
        ["age", "-r", recipient, "-o", str(tmp_path / "c.age"), str(tmp_path / "plain")],
        check=True,
    )
    assert decrypt((tmp_path / "c.age").read_bytes(), identity) == payload


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: str(len(p)))
def test_we_open_what_the_age_tool_encrypted_to_several_recipients(
    tmp_path: Path, payload: bytes
) -> None:
    """I1: files as the ministry's own scripts would make them - several recipients (ours
    not first), and every chunk boundary of the payload (64 KiB, one byte over, several)."""
    ours, other = Identity.generate(), Identity.generate()
    (tmp_path / "plain").write_bytes(payload)
    subprocess.run(
        ["age", "-r", str(other.recipient()), "-r", str(ours.recipient()),
         "-o", str(tmp_path / "c.age"), str(tmp_path / "plain")],
        check=True,
    )  # fmt: skip
    data = (tmp_path / "c.age").read_bytes()
    assert decrypt(data, ours) == payload
    assert decrypt(data, other) == payload
    with pytest.raises(AgeError):
        decrypt(data, Identity.generate())


def test_wrong_key_and_passphrase_files_are_refused(tmp_path: Path) -> None:
    ours = encrypt(b"data", [Identity.generate().recipient()])
    with pytest.raises(AgeError, match="not encrypted to this key"):
        decrypt(ours, Identity.generate())


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_changed_byte_is_refused(data: st.DataObject) -> None:
    identity = Identity.generate()
    blob = encrypt(b"secret bundle" * 50, [identity.recipient()])
    pos = data.draw(st.integers(0, len(blob) - 1))
    changed = bytearray(blob)
    changed[pos] ^= data.draw(st.integers(1, 255))
    with pytest.raises(AgeError):
        decrypt(bytes(changed), identity)


@given(st.binary(max_size=400))
def test_garbage_is_refused_cleanly(raw: bytes) -> None:
    with pytest.raises(AgeError):
        decrypt(b"age-encryption.org/v1\n" + raw, Identity.generate())


def test_truncation_is_refused() -> None:
    identity = Identity.generate()
    blob = encrypt(b"q" * (200 * 1024), [identity.recipient()])
    for cut in (1, 17, 64 * 1024, len(blob) // 2):
        with pytest.raises(AgeError):
            decrypt(blob[:-cut], identity)


def test_recipient_round_trip_and_bad_spelling() -> None:
    recipient = Identity.generate().recipient()
    assert Recipient.parse(str(recipient)) == recipient
    with pytest.raises(AgeError):
        Recipient.parse(str(recipient)[:-1] + ("q" if str(recipient)[-1] != "q" else "p"))
