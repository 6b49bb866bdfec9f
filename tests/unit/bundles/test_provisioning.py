"""Provisioning files: only the confirmed ministry root, never a demo in place of a real one."""

from __future__ import annotations

import base64
import dataclasses
from datetime import date
from pathlib import Path

import pytest

from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.provisioning import (
    DOCUMENT,
    SIGNATURE,
    current_provisioning,
    fingerprint,
    install_provisioning,
    read_provisioning,
    version_tuple,
    write_provisioning,
)
from kisi_desktop.bundles.reasons import (
    BAD_SIGNATURE,
    CODES,
    DEMO_KEY,
    EXPIRED,
    MALFORMED,
    ROLLBACK,
    TAMPERED,
    UNSUPPORTED_VERSION,
    UNTRUSTED_ROOT,
    Rejected,
)
from kisi_desktop.bundles.safe_zip import read_zip, write_zip

from tests.support.rezip import each_byte_changed
from tests.support.sync import MinistryKeys, demo_workspace


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    set_ui_language("en")


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return demo_workspace(tmp_path / "vault.kisi", 0)


def code_of(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(Rejected) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value.code


def test_first_install_needs_the_fingerprint_confirmed_by_phone(ws: Workspace) -> None:
    ministry = MinistryKeys()
    data = ministry.provisioning_file()
    with pytest.raises(Rejected) as caught:
        install_provisioning(ws, data)
    assert caught.value.code == UNTRUSTED_ROOT
    assert fingerprint(ministry.root.line) in str(caught.value)
    assert current_provisioning(ws) is None
    typed = fingerprint(ministry.root.line).replace(" ", "").lower()  # as a person types it
    doc = install_provisioning(ws, data, confirmed_fingerprint=typed)
    assert current_provisioning(ws) == doc
    assert doc.age_recipients == (ministry.recipient,)


def test_later_files_must_come_from_the_pinned_root(ws: Workspace) -> None:
    ministry = MinistryKeys()
    ministry.install(ws)
    impostor = MinistryKeys()
    data = impostor.provisioning_file(version=2)
    assert (
        code_of(
            install_provisioning, ws, data, confirmed_fingerprint=fingerprint(impostor.root.line)
        )
        == UNTRUSTED_ROOT
    )
    newer = ministry.provisioning_file(version=2, participation_rows=True)
    assert install_provisioning(ws, newer).participation_rows
    doc = current_provisioning(ws)
    assert doc is not None and doc.version == 2


def test_rollback_and_expired_files_are_refused(ws: Workspace) -> None:
    ministry = MinistryKeys()
    ministry.install(ws, version=5)
    assert code_of(install_provisioning, ws, ministry.provisioning_file(version=4)) == ROLLBACK
    old = ministry.provisioning_file(version=6, expires=date(2026, 1, 1))
    assert code_of(install_provisioning, ws, old) == EXPIRED
    current = current_provisioning(ws)
    assert current is not None and current.version == 5


def test_demo_files_only_when_asked_and_never_over_a_real_one(
    ws: Workspace, tmp_path: Path
) -> None:
    ministry = MinistryKeys()
    fp = fingerprint(ministry.root.line)
    demo = ministry.provisioning_file(demo=True)
    assert code_of(install_provisioning, ws, demo, confirmed_fingerprint=fp) == DEMO_KEY
    assert install_provisioning(ws, demo, confirmed_fingerprint=fp, allow_demo=True).demo
    real = MinistryKeys()
    # A demo install pins nothing: the real ministry's file replaces it (with its own
    # fingerprint confirmed), and from then on no demo file is taken.
    install_provisioning(
        ws, real.provisioning_file(), confirmed_fingerprint=fingerprint(real.root.line)
    )
    again = real.provisioning_file(version=3, demo=True)
    assert code_of(install_provisioning, ws, again, allow_demo=True) == DEMO_KEY
    current = current_provisioning(ws)
    assert current is not None and not current.demo


def test_signature_by_another_key_and_changed_document_are_refused() -> None:
    ministry = MinistryKeys()
    doc = ministry.provisioning()
    forged = write_provisioning(doc, MinistryKeys().root.private, ministry.root.key_id)
    fp = fingerprint(ministry.root.line)
    assert code_of(read_provisioning, forged, confirmed_fingerprint=fp) == BAD_SIGNATURE
    members = read_zip(ministry.provisioning_file(), allowed=lambda n: True, what="p")
    body = members[DOCUMENT].replace(b'"participation_rows":false', b'"participation_rows":true')
    changed = write_zip([(DOCUMENT, body), (SIGNATURE, members[SIGNATURE])])
    assert code_of(read_provisioning, changed, confirmed_fingerprint=fp) == BAD_SIGNATURE
    spaced = write_zip([(DOCUMENT, body.replace(b",", b", ")), (SIGNATURE, members[SIGNATURE])])
    assert code_of(read_provisioning, spaced, confirmed_fingerprint=fp) == MALFORMED


def test_every_flipped_byte_is_refused() -> None:
    """S1 for provisioning files: 100 % of single-byte changes refused with a reason code."""
    ministry = MinistryKeys()
    data = ministry.provisioning_file()
    fp = fingerprint(ministry.root.line)
    assert read_provisioning(data, confirmed_fingerprint=fp).version == 1
    for offset in range(len(data)):
        changed = bytearray(data)
        changed[offset] ^= 0x01
        assert code_of(read_provisioning, bytes(changed), confirmed_fingerprint=fp) in CODES
        assert code_of(read_provisioning, data[:offset], confirmed_fingerprint=fp) in CODES
    for longer in (data + b"\x00", data + b"PK"):  # S1: one byte (or a ZIP's start) more
        assert code_of(read_provisioning, longer, confirmed_fingerprint=fp) in CODES


def test_every_changed_byte_zipped_again_is_refused() -> None:
    """S2 for provisioning files: one byte of the document or its signature changed and the
    ZIP written again as KISI writes it - refused every time, the signature's untrusted
    comment (which minisign does not sign) included, with ``tampered``."""
    ministry = MinistryKeys()
    data = ministry.provisioning_file()
    fp = fingerprint(ministry.root.line)
    parts = read_zip(data, allowed=lambda n: True, what="p")
    assert write_zip(list(parts.items())) == data
    for _name, _offset, rezipped in each_byte_changed(parts):
        assert code_of(read_provisioning, rezipped, confirmed_fingerprint=fp) in CODES
    signature = parts[SIGNATURE].replace(b"KISI Desktop", b"the ministry", 1)
    renamed = write_zip([(DOCUMENT, parts[DOCUMENT]), (SIGNATURE, signature)])
    with pytest.raises(Rejected) as caught:
        read_provisioning(renamed, confirmed_fingerprint=fp)
    assert caught.value.code == TAMPERED
    assert "untrusted comment" in str(caught.value)


def test_the_vault_keeps_the_file_as_received(ws: Workspace) -> None:
    ministry = MinistryKeys()
    ministry.install(ws)
    from kisi_desktop.core.domain.provisioning import ProvisioningRecord

    (record,) = ws.list(ProvisioningRecord)
    assert read_provisioning(
        base64.b64decode(record.file_b64), pinned_root=ministry.root.line
    ).age_recipients == (ministry.recipient,)


def test_a_file_for_a_newer_app_says_to_update() -> None:
    ministry = MinistryKeys()
    doc = dataclasses.replace(ministry.provisioning(), min_app_version="99.0")
    data = write_provisioning(doc, ministry.root.private, ministry.root.key_id)
    with pytest.raises(Rejected) as caught:
        read_provisioning(data, confirmed_fingerprint=fingerprint(ministry.root.line))
    assert caught.value.code == UNSUPPORTED_VERSION
    assert "99.0 or newer" in str(caught.value)
    assert version_tuple("0.10.2") > version_tuple("0.9") > version_tuple("0.1.0rc1")
