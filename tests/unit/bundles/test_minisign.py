"""minisign signatures: the real `minisign` tool and this module read each other's files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles.minisign import (
    PublicKey,
    SignatureError,
    new_key_id,
    parse_public_key,
    public_key_of,
    sign,
    verify,
    written_by_sign,
)


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    """Reasons are checked in English, the catalogs' source language."""
    set_ui_language("en")


MESSAGE = b'{"bundle":"KISI_06534011_dev1_000001","sequence":1}\n'


@pytest.fixture
def keypair() -> tuple[Ed25519PrivateKey, bytes]:
    return Ed25519PrivateKey.generate(), new_key_id()


def test_minisign_tool_verifies_our_signature_and_shows_the_trusted_comment(
    tmp_path: Path, keypair: tuple[Ed25519PrivateKey, bytes]
) -> None:
    private, key_id = keypair
    (tmp_path / "manifest.json").write_bytes(MESSAGE)
    (tmp_path / "manifest.json.minisig").write_text(
        sign(MESSAGE, private, key_id, trusted_comment="AGS 06534011 sequence 1")
    )
    public = public_key_of(private, key_id)
    (tmp_path / "kisi.pub").write_text(public.text())
    done = subprocess.run(
        ["minisign", "-V", "-H", "-p", str(tmp_path / "kisi.pub"), "-m",
         str(tmp_path / "manifest.json")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Trusted comment: AGS 06534011 sequence 1" in done.stdout
    # With the key given on the command line (`-P`), as the ministry's scripts would.
    done = subprocess.run(
        ["minisign", "-V", "-P", public.base64(), "-m", str(tmp_path / "manifest.json")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def _signed_by_the_tool(folder: Path, comment: str, *options: str) -> None:
    """A new key pair made by the real ``minisign`` (k.pub, k.key), and MESSAGE in ``m``
    signed with it (m.minisig), trusted comment ``comment``, with the tool's ``options``."""
    subprocess.run(
        ["minisign", "-G", "-W", "-p", str(folder / "k.pub"), "-s", str(folder / "k.key")],
        capture_output=True, check=True,
    )  # fmt: skip
    (folder / "m").write_bytes(MESSAGE)
    subprocess.run(
        ["minisign", "-S", *options, "-s", str(folder / "k.key"), "-m", str(folder / "m"),
         "-t", comment],
        capture_output=True, check=True,
    )  # fmt: skip


def test_we_verify_what_the_minisign_tool_signed(tmp_path: Path) -> None:
    _signed_by_the_tool(tmp_path, "from the tool")
    key = parse_public_key((tmp_path / "k.pub").read_text())
    verified = verify(MESSAGE, (tmp_path / "m.minisig").read_text(), key)
    assert verified.trusted_comment == "from the tool" and verified.prehashed
    with pytest.raises(SignatureError):
        verify(MESSAGE + b" ", (tmp_path / "m.minisig").read_text(), key)
    # verify() takes the tool's untrusted comment, whatever it is; only the readers of
    # KISI's own files also ask for KISI's (bundles/FORMAT.md, "Unsigned bytes").
    tool_made = (tmp_path / "m.minisig").read_bytes()
    assert not written_by_sign(tool_made)
    assert written_by_sign(tool_made, "signature from minisign secret key")


def test_tampering_is_refused_with_a_reason(keypair: tuple[Ed25519PrivateKey, bytes]) -> None:
    private, key_id = keypair
    key = public_key_of(private, key_id)
    good = sign(MESSAGE, private, key_id, trusted_comment="sequence 1")
    assert verify(MESSAGE, good, key).trusted_comment == "sequence 1"
    with pytest.raises(SignatureError, match="match the file"):
        verify(MESSAGE.replace(b"1}", b"2}"), good, key)
    changed = good.replace("trusted comment: sequence 1", "trusted comment: sequence 2")
    with pytest.raises(SignatureError, match="trusted comment"):
        verify(MESSAGE, changed, key)
    other = public_key_of(Ed25519PrivateKey.generate(), new_key_id())
    with pytest.raises(SignatureError, match="expected"):
        verify(MESSAGE, good, other)


def _accepted_as_written(message: bytes, text: bytes, key: PublicKey) -> bool:
    """What the readers of KISI's files ask: verifies, and is byte for byte as written."""
    try:
        verify(message, text, key)
    except SignatureError:
        return False
    return written_by_sign(text)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_changed_byte_of_a_signature_file_is_refused(
    data: st.DataObject,
) -> None:
    private, key_id = Ed25519PrivateKey.generate(), new_key_id()
    key = public_key_of(private, key_id)
    text = sign(MESSAGE, private, key_id, trusted_comment="t").encode()
    assert _accepted_as_written(MESSAGE, text, key)
    pos = data.draw(st.integers(0, len(text) - 1))
    flipped = bytearray(text)
    flipped[pos] ^= data.draw(st.integers(1, 255))
    try:
        verified = verify(MESSAGE, bytes(flipped), key)
    except SignatureError:
        return
    # The signatures do not cover the untrusted comment (nor the final newline), so
    # verify() alone lets such a change through; the check of what KISI wrote does not.
    assert pos < text.index(b"\n") or pos == len(text) - 1
    assert verified.trusted_comment == "t"
    assert not written_by_sign(bytes(flipped))


def test_every_byte_of_a_signature_file_is_covered_by_verify_and_the_written_form() -> None:
    """S1 on a signature alone: each byte flipped, each truncation, one byte more, CRLF
    line ends - none of them is taken for the file KISI wrote."""
    private, key_id = Ed25519PrivateKey.generate(), new_key_id()
    key = public_key_of(private, key_id)
    text = sign(MESSAGE, private, key_id, trusted_comment="kisi-receipt/1 seq=1").encode()
    assert _accepted_as_written(MESSAGE, text, key)
    for offset in range(len(text)):
        changed = bytearray(text)
        changed[offset] ^= 0x01
        assert not _accepted_as_written(MESSAGE, bytes(changed), key), offset
        assert not _accepted_as_written(MESSAGE, text[:offset], key), offset
    for longer in (text + b"\n", text + b" ", text.replace(b"\n", b"\r\n"), b" " + text):
        assert not _accepted_as_written(MESSAGE, longer, key)
    # The untrusted comment a format names (content packs name their own) must be it.
    named = sign(MESSAGE, private, key_id, trusted_comment="t", untrusted_comment="pack 1")
    assert written_by_sign(named, "pack 1")
    assert not written_by_sign(named) and not written_by_sign(named, "pack 2")


@given(st.binary(max_size=600))
def test_garbage_is_refused_cleanly(raw: bytes) -> None:
    key = public_key_of(Ed25519PrivateKey.generate(), new_key_id())
    with pytest.raises(SignatureError):
        verify(MESSAGE, raw, key)


def test_legacy_signatures_only_when_asked(keypair: tuple[Ed25519PrivateKey, bytes]) -> None:
    import base64

    private, key_id = keypair
    key = public_key_of(private, key_id)
    signature = private.sign(MESSAGE)
    trusted = "legacy"
    legacy = (
        "untrusted comment: old\n"
        + base64.b64encode(b"Ed" + key_id + signature).decode()
        + f"\ntrusted comment: {trusted}\n"
        + base64.b64encode(private.sign(signature + trusted.encode())).decode()
        + "\n"
    )
    with pytest.raises(SignatureError, match="Legacy"):
        verify(MESSAGE, legacy, key)
    assert not verify(MESSAGE, legacy, key, allow_legacy=True).prehashed


def test_a_comment_cannot_smuggle_a_line() -> None:
    private, key_id = Ed25519PrivateKey.generate(), new_key_id()
    with pytest.raises(SignatureError):
        sign(MESSAGE, private, key_id, trusted_comment="ok\ntrusted comment: forged")


def test_a_legacy_signature_made_by_the_minisign_tool_is_refused_unless_asked(
    tmp_path: Path,
) -> None:
    """I2: `minisign -S -l` writes the legacy "Ed" form; the app refuses it by default."""
    _signed_by_the_tool(tmp_path, "legacy from the tool", "-l")
    key = parse_public_key((tmp_path / "k.pub").read_text())
    signature = (tmp_path / "m.minisig").read_text()
    with pytest.raises(SignatureError, match="Legacy"):
        verify(MESSAGE, signature, key)
    verified = verify(MESSAGE, signature, key, allow_legacy=True)
    assert verified.trusted_comment == "legacy from the tool" and not verified.prehashed
    with pytest.raises(SignatureError):
        verify(MESSAGE + b" ", signature, key, allow_legacy=True)
