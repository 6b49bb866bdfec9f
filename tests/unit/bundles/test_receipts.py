"""Receipts: only the ministry's receipt key confirms a bundle, and only the bundle it names."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import export_bundle, ledger
from kisi_desktop.bundles.manifest import sha256_hex
from kisi_desktop.bundles.reasons import (
    BAD_SIGNATURE,
    CODES,
    DROPPED,
    IMPLAUSIBLE,
    TAMPERED,
    Rejected,
)
from kisi_desktop.bundles.receipts import (
    DOCUMENT,
    SIGNATURE,
    Receipt,
    apply_receipt,
    read_receipt,
    reason_sentence,
    write_receipt,
)
from kisi_desktop.bundles.safe_zip import read_zip, write_zip

from tests.support.rezip import each_byte_changed
from tests.support.sync import MinistryKeys, demo_workspace, named_in_file


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    set_ui_language("en")


@pytest.fixture
def ministry() -> MinistryKeys:
    return MinistryKeys()


@pytest.fixture
def ws(tmp_path_factory: pytest.TempPathFactory, ministry: MinistryKeys) -> Workspace:
    workspace = demo_workspace(tmp_path_factory.mktemp("v") / "vault.kisi", 20)
    ministry.install(workspace)
    return workspace


def receipt_for(ws: Workspace, status: str = "imported", reason: str | None = None) -> Receipt:
    entry = ledger(ws)[0]
    ags, device_id = named_in_file(entry)
    return Receipt(
        manifest_sha256=entry.manifest_sha256,
        ags=ags,
        device_id=device_id,
        epoch=entry.epoch,
        seq=entry.seq,
        status=status,
        reason_code=reason,
        imported_at="2026-11-26T08:00:00Z",
        intake_seq=7,
        intake_chain_head="ab" * 32,
        records=42,
    )


def test_a_receipt_confirms_its_bundle(
    ws: Workspace, ministry: MinistryKeys, tmp_path: Path
) -> None:
    export_bundle(ws, tmp_path, period="PY1")
    data = write_receipt(receipt_for(ws), ministry.receipt.private, ministry.receipt.key_id)
    outcome = apply_receipt(ws, data, "r.receipt")
    assert (outcome.seq, outcome.status) == (1, "confirmed")
    entry = ledger(ws)[0]
    assert (entry.status, entry.receipt_status) == ("confirmed", "imported")
    assert apply_receipt(ws, data).status == "already"


def test_a_rejection_is_shown_with_its_reason(
    ws: Workspace, ministry: MinistryKeys, tmp_path: Path
) -> None:
    export_bundle(ws, tmp_path, period="PY1")
    receipt = receipt_for(ws, "rejected", TAMPERED)
    apply_receipt(ws, write_receipt(receipt, ministry.receipt.private, ministry.receipt.key_id))
    entry = ledger(ws)[0]
    assert (entry.status, entry.receipt_reason) == ("rejected", TAMPERED)


def test_a_dropped_bundle_is_explained_to_the_guide_in_their_language(
    ws: Workspace, ministry: MinistryKeys, tmp_path: Path
) -> None:
    export_bundle(ws, tmp_path, period="PY1")
    receipt = dataclasses.replace(
        receipt_for(ws, "rejected", DROPPED), message="Dropped by the ministry. Reason: stolen"
    )
    data = write_receipt(receipt, ministry.receipt.private, ministry.receipt.key_id)
    outcome = apply_receipt(ws, data)
    assert (outcome.status, outcome.reason_code) == ("rejected", DROPPED)
    assert outcome.message == (
        "The ministry has removed this bundle for good: its figures will never count. The "
        "ministry's message says why; ask the ministry whether to send these days again. "
        "Dropped by the ministry. Reason: stolen"
    )
    entry = ledger(ws)[0]
    assert (entry.status, entry.receipt_reason) == ("rejected", DROPPED)
    set_ui_language("de")
    assert reason_sentence(DROPPED).startswith("Das Ministerium hat dieses Bündel endgültig")
    assert reason_sentence(TAMPERED) == reason_sentence(None) == ""


@pytest.mark.parametrize(
    "other",
    [{"ags": "06534012"}, {"device_id": "fedcba9876543210"}, {"seq": 2}, {"epoch": 2}],
    ids=["town", "device", "number", "epoch"],
)
def test_a_receipt_naming_another_town_device_or_number_confirms_nothing(
    ws: Workspace, ministry: MinistryKeys, tmp_path: Path, other: dict[str, object]
) -> None:
    # QA: signed by the ministry's receipt key, naming this town's bundle by its hash but
    # another town, it confirmed the bundle ("Bündel bestätigt").
    export_bundle(ws, tmp_path, period="PY1")
    odd = dataclasses.replace(receipt_for(ws), **other)  # type: ignore[arg-type]
    data = write_receipt(odd, ministry.receipt.private, ministry.receipt.key_id)
    with pytest.raises(Rejected) as refused:
        apply_receipt(ws, data, "odd.receipt")
    assert refused.value.code == IMPLAUSIBLE
    assert ledger(ws)[0].status == "exported"  # unchanged
    right = write_receipt(receipt_for(ws), ministry.receipt.private, ministry.receipt.key_id)
    assert apply_receipt(ws, right).status == "confirmed"


def test_receipts_signed_with_another_key_are_refused(
    ws: Workspace, ministry: MinistryKeys, tmp_path: Path
) -> None:
    export_bundle(ws, tmp_path, period="PY1")
    # The content key is the ministry's too, but not for receipts: one key per purpose.
    data = write_receipt(receipt_for(ws), ministry.content.private, ministry.content.key_id)
    with pytest.raises(Rejected) as caught:
        apply_receipt(ws, data)
    assert caught.value.code == BAD_SIGNATURE
    assert ledger(ws)[0].status == "exported"


def test_a_receipt_for_a_bundle_we_never_made(
    ws: Workspace, ministry: MinistryKeys, tmp_path: Path
) -> None:
    export_bundle(ws, tmp_path, period="PY1")
    stray = dataclasses.replace(receipt_for(ws), manifest_sha256="00" * 32)
    data = write_receipt(stray, ministry.receipt.private, ministry.receipt.key_id)
    assert apply_receipt(ws, data).status == "unknown"
    assert ledger(ws)[0].status == "exported"


def test_a_refusal_of_a_bundle_the_ministry_could_not_read(
    ws: Workspace, ministry: MinistryKeys, tmp_path: Path
) -> None:
    """QA 26b: the ministry could not read a (cut short) bundle, so its signed refusal names
    no bundle. Not "a bundle this vault did not export": the guide learns that the ministry
    could not read a bundle and to write it again. Nothing ties it to one ledger entry, so
    none changes."""
    export_bundle(ws, tmp_path, period="PY1")
    blind = dataclasses.replace(
        receipt_for(ws, "rejected", TAMPERED),
        manifest_sha256=None, ags=None, device_id=None, epoch=0, seq=0, records=0,
        message="The bundle is damaged or incomplete.",
    )  # fmt: skip
    data = write_receipt(blind, ministry.receipt.private, ministry.receipt.key_id)
    outcome = apply_receipt(ws, data, "broken.receipt")
    assert (outcome.status, outcome.seq, outcome.reason_code) == ("unreadable", None, TAMPERED)
    assert outcome.message.startswith("The ministry could not read a bundle file it was given")
    assert "write it again (“Write again…” on the Sync page)" in outcome.message
    assert outcome.message.endswith("The bundle is damaged or incomplete.")
    assert "did not export" not in outcome.message
    assert ledger(ws)[0].status == "exported"
    # Signed by another key, the same receipt is still refused: every check stays.
    forged = write_receipt(blind, ministry.content.private, ministry.content.key_id)
    with pytest.raises(Rejected) as caught:
        apply_receipt(ws, forged)
    assert caught.value.code == BAD_SIGNATURE


def _signed_sample(ministry: MinistryKeys) -> tuple[Receipt, bytes, list[Any]]:
    """A receipt as the ministry writes one, its file, and the keys that verify it."""
    receipt = Receipt(
        manifest_sha256="cd" * 32, ags="06534011", device_id="0123456789abcdef", epoch=1, seq=1,
        status="imported", reason_code=None, imported_at="2026-11-26T08:00:00Z",
        intake_seq=1, intake_chain_head="ab" * 32, records=3,
    )  # fmt: skip
    data = write_receipt(receipt, ministry.receipt.private, ministry.receipt.key_id)
    return receipt, data, [ministry.receipt.public]


def test_every_flipped_byte_of_a_receipt_is_refused(ministry: MinistryKeys) -> None:
    receipt, data, keys = _signed_sample(ministry)
    assert read_receipt(data, keys) == receipt
    for offset in range(len(data)):
        changed = bytearray(data)
        changed[offset] ^= 0x01
        for bad in (bytes(changed), data[:offset]):
            with pytest.raises(Rejected) as caught:
                read_receipt(bad, keys)
            assert caught.value.code in CODES
    for longer in (data + b"\x00", data + b"PK"):  # S1: one byte (or a ZIP's start) more
        with pytest.raises(Rejected) as caught:
            read_receipt(longer, keys)
        assert caught.value.code in CODES


@pytest.mark.parametrize("damage", ["cut short", "CRC", "not a ZIP"])
def test_a_damaged_receipt_file_is_refused_in_plain_words(
    ministry: MinistryKeys, damage: str
) -> None:
    """QA 26b: the guide reads that the file is no receipt or is damaged, and what to do;
    "not a ZIP archive" and "fails its CRC-32 check" stay in ``detail`` (the log)."""
    _receipt, data, keys = _signed_sample(ministry)
    at = data.index(b"receipt.json") + len("receipt.json") + 3  # inside the first entry's data
    bad = {
        "cut short": data[: len(data) // 2],
        "CRC": data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :],
        "not a ZIP": b"%PDF-1.7\n" * 20,
    }[damage]
    with pytest.raises(Rejected) as caught:
        read_receipt(bad, keys)
    message = str(caught.value)
    assert message.startswith("This file is not a receipt from the ministry, or it is damaged")
    assert "Copy it again, or ask the ministry to send the receipt again." in message
    assert caught.value.detail.startswith("receipt: ")
    set_ui_language("de")
    with pytest.raises(Rejected) as caught:
        read_receipt(bad, keys)
    assert str(caught.value).startswith("Diese Datei ist keine Quittung des Ministeriums")
    assert "ZIP" not in str(caught.value) and "CRC" not in str(caught.value)


def _members(data: bytes) -> dict[str, bytes]:
    return read_zip(data, allowed=lambda name: True, what="receipt")


def test_every_changed_byte_of_a_receipt_zipped_again_is_refused(ministry: MinistryKeys) -> None:
    """S2 for receipts: one byte of the receipt or its signature changed and the ZIP written
    again as KISI writes it (so no CRC gives it away) - refused every time, the
    signature's first line (minisign's untrusted comment, signed by nothing) included."""
    _receipt, data, keys = _signed_sample(ministry)
    parts = _members(data)
    assert write_zip(list(parts.items())) == data
    cases = 0
    for _name, _offset, rezipped in each_byte_changed(parts):
        with pytest.raises(Rejected) as caught:
            read_receipt(rezipped, keys)
        assert caught.value.code in CODES
        cases += 1
    assert cases == len(parts[DOCUMENT]) + len(parts[SIGNATURE])


def test_a_receipt_with_another_untrusted_comment_is_tampered_and_not_stored(
    ws: Workspace, ministry: MinistryKeys, tmp_path: Path
) -> None:
    """The ledger keeps the SHA-256 of the receipt file, and the next epoch's first bundle
    names it (``epoch_start``): a receipt changed on the way would be stored under a hash
    the ministry never issued, and that link would break."""
    export_bundle(ws, tmp_path, period="PY1")
    data = write_receipt(receipt_for(ws), ministry.receipt.private, ministry.receipt.key_id)
    parts = _members(data)
    for comment in (b"untrusted comment: FORGED ", b"untrusted comment:  "):
        signature = parts[SIGNATURE].replace(b"untrusted comment: ", comment, 1)
        changed = write_zip([(DOCUMENT, parts[DOCUMENT]), (SIGNATURE, signature)])
        with pytest.raises(Rejected) as caught:
            apply_receipt(ws, changed, "r.receipt")
        assert caught.value.code == TAMPERED
        assert "untrusted comment" in str(caught.value)
    for line_ends in (parts[SIGNATURE].replace(b"\n", b"\r\n"), parts[SIGNATURE][:-1]):
        changed = write_zip([(DOCUMENT, parts[DOCUMENT]), (SIGNATURE, line_ends)])
        with pytest.raises(Rejected) as caught:
            apply_receipt(ws, changed, "r.receipt")
        assert caught.value.code == TAMPERED
    entry = ledger(ws)[0]
    assert (entry.status, entry.receipt_sha256) == ("exported", None)
    assert apply_receipt(ws, data).status == "confirmed"
    assert ledger(ws)[0].receipt_sha256 == sha256_hex(data)
