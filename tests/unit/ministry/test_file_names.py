"""The ministry keeps and repeats bundle names only, never whatever else a file was called.

A clerk who picks "Befund_Anna_Mueller.pdf" through "All files" in the intake gets it
refused; before, the rejection log kept that name for good and the refusal's receipt was
called "Befund_Anna_Mueller.receipt".
"""

from __future__ import annotations

from pathlib import Path

from kisi_desktop.bundles.limits import MAX_BUNDLE_FILE
from kisi_desktop.bundles.manifest import is_bundle_file_name, sha256_hex
from kisi_desktop.ministry import intake
from kisi_desktop.ministry.intake import import_bundle
from kisi_desktop.ministry.keys import DATABASE_FILE, Ministry, load_ministry
from kisi_desktop.ministry.store import kept_file_name

from .conftest import Device

PERSON = "Befund_Anna_Mueller_1984"


def on_disk(ministry: Ministry) -> bytes:
    path = ministry.path / DATABASE_FILE
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def bundle_name(device: Device, seq: int) -> str:
    return f"KISI_{device.ags}_{device.device_id}_{seq:06d}_20261125.kisi"


def test_only_the_exports_own_names_count_as_bundle_names() -> None:
    assert is_bundle_file_name("KISI_06534011_0123456789abcdef_000001_20261125.kisi")
    assert is_bundle_file_name("KISI_06534011_0123456789abcdef_1234567_20261125.kisi")
    for other in (
        f"{PERSON}.pdf",
        f"KISI_06534011_0123456789abcdef_000001_20261125_{PERSON}.kisi",
        "KISI_0653401_0123456789abcdef_000001_20261125.kisi",
        "KISI_06534011_Mueller000000000_000001_20261125.kisi",
        "kisi_06534011_0123456789abcdef_000001_20261125.kisi",
    ):
        assert not is_bundle_file_name(other), other


def test_a_pdf_named_after_a_person_is_logged_and_answered_under_its_hash(
    ministry: Ministry,
) -> None:
    data = b"%PDF-1.7 Anamnese"
    result = import_bundle(ministry, data, f"/home/clerk/Downloads/{PERSON}.pdf")
    label = f"sha256-{sha256_hex(data)[:16]}"
    assert (result.outcome, result.file_name) == ("rejected", label)
    assert result.receipt_name == f"{label}.receipt"
    assert ministry.store.rejections()[0].file_name == label
    assert result.receipt is not None and b"Mueller" not in result.receipt
    ministry.store.checkpoint()
    assert b"Mueller" not in on_disk(ministry)


def test_a_bundle_keeps_its_own_name_and_a_renamed_one_its_hash(
    ministry: Ministry, device: Device
) -> None:
    first = device.bundle([ministry.recipient])
    named = import_bundle(ministry, first, bundle_name(device, 1))
    renamed_data = device.bundle([ministry.recipient])
    renamed = import_bundle(ministry, renamed_data, f"{PERSON}.kisi")
    assert [named.outcome, renamed.outcome] == ["imported", "imported"]
    assert named.receipt_name == bundle_name(device, 1).replace(".kisi", ".receipt")
    assert renamed.file_name == f"sha256-{sha256_hex(renamed_data)[:16]}"
    kept = ministry.store.all("SELECT seq, file_name FROM bundles ORDER BY seq")
    assert kept == [
        {"seq": 1, "file_name": bundle_name(device, 1)},
        {"seq": 2, "file_name": renamed.file_name},
    ]
    ministry.store.checkpoint()
    assert b"Mueller" not in on_disk(ministry)


def test_an_oversized_file_is_named_by_its_size(ministry: Ministry, tmp_path: Path) -> None:
    path = tmp_path / f"{PERSON}.kisi"
    with path.open("wb") as out:
        out.truncate(MAX_BUNDLE_FILE + 1)
    result = intake.import_path(ministry, path)
    assert result.reason_code == "oversized"
    assert result.file_name == f"unread-file-{MAX_BUNDLE_FILE + 1}-bytes"
    assert ministry.store.rejections()[0].file_name == result.file_name


def test_names_logged_before_are_replaced_when_the_database_is_opened(
    ministry: Ministry,
) -> None:
    """A ministry folder from before this rule keeps the old log; opening it cleans it."""
    store = ministry.store
    good = "KISI_06534011_0123456789abcdef_000001_20261125.kisi"
    for name, file_sha256 in ((f"{PERSON}.pdf", "ab" * 32), (good, "cd" * 32), (PERSON, "-")):
        store.log_rejection(
            at="2026-11-25T12:00:00Z",
            file_name=name,
            file_sha256=file_sha256,
            reason_code="malformed",
            message="kaputt",
        )
    store.conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_neutral_file_names'")
    with load_ministry(ministry.path) as again:
        names = [r.file_name for r in again.store.rejections()]
        again.store.checkpoint()
        assert b"Mueller" not in on_disk(again)
    assert names == ["unread-file", good, "sha256-" + "ab" * 8]
    assert kept_file_name(good, "-") == good
