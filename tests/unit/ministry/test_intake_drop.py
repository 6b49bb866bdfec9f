"""Dropping a held bundle: gone for good with its file, logged, answered with a receipt.

The operator's way out for a held bundle that can never be imported (its key was replaced
or revoked meanwhile) or must not count (a stolen laptop): ``held.drop_held``. The
sequence does not move: what comes after a dropped bundle waits until the operator gives
up on it (``skip_gap``).
"""

from __future__ import annotations

from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kisi_desktop.core.errors import UserError

from kisi_desktop.bundles import minisign
from kisi_desktop.bundles.manifest import MANIFEST, sha256_hex
from kisi_desktop.bundles.reasons import DROPPED
from kisi_desktop.bundles.receipts import read_receipt
from kisi_desktop.bundles.safe_zip import read_zip
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.held import confirm_epoch, drop_held, held_bundles, skip_gap
from kisi_desktop.ministry.intake import import_bundle
from kisi_desktop.ministry.keys import DATABASE_FILE, Ministry

from .conftest import Device, data_tables, imported_rows, receipt_of

Q2 = (date(2026, 4, 1), date(2026, 6, 30))


def on_disk(ministry: Ministry) -> bytes:
    """The database file and its WAL, as bytes (what a copy of the folder would hold)."""
    path = ministry.path / DATABASE_FILE
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def hash_of(device: Device, seq: int, epoch: int = 1) -> str:
    """The manifest hash of bundle ``seq`` the device made (read from its signed ZIP)."""
    files = read_zip(device.plaintexts[(epoch, seq)], allowed=lambda _name: True, what="test")
    return sha256_hex(files[MANIFEST])


def test_a_held_bundle_whose_key_was_replaced_is_dropped_with_its_file(
    ministry: Ministry, device: Device
) -> None:
    """The case that motivated it: signed with a key replaced meanwhile, bundle 3 fails
    verification at every release and would wait for ever."""
    to = [ministry.recipient]
    first, second, third = (device.bundle(to) for _ in range(3))
    import_bundle(ministry, first, "1.kisi")
    third_name = f"KISI_06534011_{device.device_id}_000003_20261125.kisi"
    assert import_bundle(ministry, third, third_name).reason_code == "gap"
    device.private, device.key_id = Ed25519PrivateKey.generate(), minisign.new_key_id()
    registry.register(ministry, ags=device.ags, name="Kirchhain", key=device.public.text(),
                      replace=True)  # fmt: skip
    assert import_bundle(ministry, second, "2.kisi").reason_code == "bad_signature"
    held = held_bundles(ministry)
    assert [h.seq for h in held] == [3]
    ministry.store.checkpoint()  # as after a restart: the file is in the database file
    piece = third[2000:2064]  # of the encrypted file, as the intake keeps it
    assert piece in on_disk(ministry)  # (the check below would see it)
    rows_before = imported_rows(ministry)

    result = drop_held(
        ministry, held[0].manifest_sha256, why="  key replaced,\n call 4711 ", by="r.weber"
    )

    assert (result.outcome, result.reason_code, result.seq) == ("rejected", DROPPED, 3)
    assert result.receipt_name == third_name.replace(
        ".kisi", ".receipt"
    )  # replaces the "held" receipt sent before
    assert held_bundles(ministry) == []
    store = ministry.store
    assert store.one("SELECT count(*) AS n FROM held_files") == {"n": 0}
    assert store.one("SELECT count(*) AS n FROM bundles WHERE seq = 3") == {"n": 0}
    assert imported_rows(ministry) == rows_before  # no rows, the sequence did not move
    assert piece not in on_disk(ministry)
    logged = store.one("SELECT * FROM dropped")
    assert logged is not None
    assert (logged["seq"], logged["held_as"], logged["dropped_by"], logged["why"]) == (
        3, "held_gap", "r.weber", "key replaced, call 4711",
    )  # fmt: skip
    assert logged["dropped_at"] == "2026-11-25T12:00:00Z"
    assert logged["file_name"] == third_name and logged["file_sha256"] == sha256_hex(third)
    chain = store.chain()
    assert (chain[-1].status, chain[-1].manifest_sha256) == ("dropped", held[0].manifest_sha256)
    assert store.verify_chain() is None


def test_the_receipt_says_dropped_with_the_reason_and_verifies_with_the_receipt_key(
    ministry: Ministry, device: Device
) -> None:
    to = [ministry.recipient]
    import_bundle(ministry, device.bundle(to), "1")
    device.bundle(to)  # bundle 2 never arrives
    import_bundle(ministry, device.bundle(to), "3.kisi")
    result = drop_held(ministry, hash_of(device, 3), why="laptop stolen", by="op")
    receipt = receipt_of(ministry, result)  # verified with ministry.receipt.public
    assert (receipt.status, receipt.reason_code, receipt.seq, receipt.epoch) == (
        "rejected", DROPPED, 3, 1,
    )  # fmt: skip
    assert not receipt.confirmed
    assert "laptop stolen" in receipt.message and "never count" in receipt.message
    assert (receipt.ags, receipt.device_id) == (device.ags, device.device_id)
    assert receipt.manifest_sha256 == hash_of(device, 3)
    assert (receipt.intake_seq, receipt.intake_chain_head) == ministry.store.chain_head()
    assert result.receipt is not None
    for other in (ministry.content.public, ministry.root.public if ministry.root else None):
        assert other is not None
        with pytest.raises(Exception, match="not signed by the ministry's receipt key"):
            read_receipt(result.receipt, [other])


def test_a_dropped_bundle_sent_again_gets_the_same_receipt_and_its_number_stays_used(
    ministry: Ministry, device: Device
) -> None:
    to = [ministry.recipient]
    first, second, third, fourth = (device.bundle(to) for _ in range(4))
    import_bundle(ministry, first, "1")
    import_bundle(ministry, third, "3")
    import_bundle(ministry, fourth, "4")
    dropped = drop_held(ministry, hash_of(device, 3)[:12], why="laptop stolen", by="op")
    tables = data_tables(ministry)

    again = import_bundle(ministry, device.again(to, 3), "3-again.kisi")
    assert (again.outcome, again.reason_code) == ("rejected", DROPPED)
    assert again.receipt == dropped.receipt  # byte for byte
    assert data_tables(ministry) == tables
    # Another bundle under the dropped number (the thief's, say) is a fork.
    other = device.bundle(to, seq=3, prev=hash_of(device, 2), period=Q2, remember=False)
    assert import_bundle(ministry, other, "3-other.kisi").reason_code == "fork"

    # Bundle 2 comes in; 4 does not follow on by itself: 3 is missing for good.
    filled = import_bundle(ministry, second, "2")
    assert [(r.outcome, r.seq) for r in filled.all()] == [("imported", 2)]
    assert sorted((h.seq, h.status) for h in held_bundles(ministry)) == [
        (3, "quarantined_fork"),
        (4, "held_gap"),
    ]
    released = skip_gap(ministry, device.ags, device.device_id, 1, why="3 was dropped")
    assert [(r.outcome, r.seq) for r in released] == [("imported", 4)]
    assert ministry.store.one("SELECT last_seq FROM devices") == {"last_seq": 4}
    assert ministry.store.verify_chain() is None


def test_a_bundle_of_a_new_epoch_can_be_dropped_and_the_epoch_still_confirmed(
    ministry: Ministry, device: Device
) -> None:
    to = [ministry.recipient]
    import_bundle(ministry, device.bundle(to), "e1")
    import_bundle(ministry, device.bundle(to, epoch=2), "e2-1")
    import_bundle(ministry, device.bundle(to, epoch=2), "e2-2")
    result = drop_held(ministry, hash_of(device, 1, epoch=2), why="not their laptop", by="op")
    assert (result.epoch, result.seq) == (2, 1)
    # No device row appeared: the epoch is not let in by the drop.
    assert ministry.store.one("SELECT count(*) AS n FROM devices WHERE epoch = 2") == {"n": 0}
    other = device.bundle(to, epoch=2, seq=1, period=Q2, remember=False)
    assert import_bundle(ministry, other, "e2-1-other").reason_code == "fork"

    assert confirm_epoch(ministry, device.ags, device.device_id, 2, why="call") == []
    assert sorted((h.seq, h.status) for h in held_bundles(ministry) if h.epoch == 2) == [
        (1, "quarantined_fork"),
        (2, "held_gap"),
    ]
    released = skip_gap(ministry, device.ags, device.device_id, 2, why="1 dropped")
    assert [(r.outcome, r.epoch, r.seq) for r in released] == [("imported", 2, 2)]


def test_only_a_held_bundle_with_a_reason_can_be_dropped(
    ministry: Ministry, device: Device
) -> None:
    to = [ministry.recipient]
    import_bundle(ministry, device.bundle(to), "1")
    import_bundle(ministry, device.bundle(to), "2")
    fork = device.bundle(to, seq=1, period=Q2, remember=False)
    assert import_bundle(ministry, fork, "fork").reason_code == "fork"
    import_bundle(ministry, device.bundle(to, seq=4, prev="ab" * 32), "4")
    held = {h.seq: h.manifest_sha256 for h in held_bundles(ministry) if h.status == "held_gap"}
    forked = next(h for h in held_bundles(ministry) if h.status == "quarantined_fork")
    tables = data_tables(ministry)
    imported = hash_of(device, 1)

    refusals = [
        (held[4], " \n ", "Say why"),
        (imported, "wrong one", "imported bundles are the books"),
        (imported[:10], "wrong one", "never dropped"),
        (forked.manifest_sha256, "evidence", "fork in quarantine"),
        ("ef" * 32, "nothing", "No bundle with manifest"),
        ("abc", "too short", "at least its first 8"),
        ("zz" * 32, "not hex", "at least its first 8"),
    ]
    for bundle, why, words in refusals:
        with pytest.raises(UserError, match=words):
            drop_held(ministry, bundle, why=why, by="op")
        assert data_tables(ministry) == tables, bundle
    assert drop_held(ministry, held[4].upper(), why="gone", by="op").seq == 4
    with pytest.raises(UserError, match="already dropped on 2026-11-25"):
        drop_held(ministry, held[4], why="twice", by="op")


def test_a_prefix_two_bundles_share_is_refused(ministry: Ministry, device: Device) -> None:
    to = [ministry.recipient]
    import_bundle(ministry, device.bundle(to), "1")
    import_bundle(ministry, device.bundle(to, seq=3, prev="ab" * 32), "3")
    import_bundle(ministry, device.bundle(to, seq=4, prev="ab" * 32), "4")
    one, two = (h.manifest_sha256 for h in held_bundles(ministry))
    # Hashes that share 8 digits are rare (1 in 4 billion); one is made so for the test,
    # differing from the other at the ninth.
    twin = one[:8] + ("1" if one[8] == "0" else "0") + two[9:]
    ministry.store.conn.execute(
        "UPDATE bundles SET manifest_sha256 = ? WHERE manifest_sha256 = ?", (twin, two)
    )
    with pytest.raises(UserError, match="2 bundles begin with"):
        drop_held(ministry, one[:8], why="which one?", by="op")
    assert drop_held(ministry, one[:9], why="this one", by="op").manifest_sha256 == one


def test_a_twin_held_under_a_dropped_number_is_not_let_in_later(
    ministry: Ministry, device: Device
) -> None:
    """Two bundles of a new epoch may both wait under number 1; the operator drops one.
    Confirming the epoch must not import the other under the number the drop used up: it
    goes to quarantine as a fork."""
    to = [ministry.recipient]
    import_bundle(ministry, device.bundle(to), "e1")
    first = device.bundle(to, epoch=2)
    twin = device.bundle(to, epoch=2, seq=1, period=Q2, remember=False)
    assert [import_bundle(ministry, b, n).reason_code for b, n in ((first, "a"), (twin, "b"))] == [
        "new_epoch", "new_epoch"]  # fmt: skip
    held = held_bundles(ministry)
    assert [(h.epoch, h.seq) for h in held] == [(2, 1), (2, 1)]
    drop_held(ministry, held[0].manifest_sha256, why="laptop stolen", by="op")
    released = confirm_epoch(ministry, device.ags, device.device_id, 2, why="phone call")
    assert [r.outcome for r in released] == ["rejected"]
    epochs = ministry.store.conn.execute(
        "SELECT epoch, seq FROM bundles WHERE status = 'imported' ORDER BY epoch, seq"
    ).fetchall()
    assert [tuple(e) for e in epochs] == [(1, 1)]  # epoch 1's bundle only
