"""Intake: every bundle is imported once, in order, or refused with its reason and no trace.

The A1 replay matrix of SECURITY.md ("Anti-replay state") plus the refusals of steps 1-6,
8 and 9: each case gives its own reason code, a receipt that verifies with the ministry's
receipt key, and leaves the data tables as they were.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.errors import UserError

from kisi_desktop.bundles import age, minisign
from kisi_desktop.bundles.limits import MAX_BUNDLE_FILE
from kisi_desktop.bundles.manifest import INDICATORS, REPORT, sha256_hex
from kisi_desktop.bundles.reasons import AUDIT_ROLLBACK, FUTURE_TIME
from kisi_desktop.bundles.receipts import read_receipt
from kisi_desktop.ministry import intake, registry
from kisi_desktop.ministry.held import confirm_epoch, held_bundles, skip_gap
from kisi_desktop.ministry.intake import import_bundle
from kisi_desktop.ministry.keys import Ministry

from .conftest import (
    Q1,
    Device,
    data_tables,
    imported_rows,
    indicator_rows,
    receipt_of,
    refused,
)


def rows_in(ministry: Ministry) -> int:
    return int(ministry.store.conn.execute("SELECT count(*) FROM data_rows").fetchone()[0])


# -- the good path -----------------------------------------------------------------------------


def test_a_bundle_is_imported_with_its_rows_and_a_signed_receipt(
    ministry: Ministry, device: Device
) -> None:
    name = f"KISI_06534011_{device.device_id}_000001_20261125.kisi"
    result = import_bundle(ministry, device.bundle([ministry.recipient]), name)
    assert (result.outcome, result.reason_code, result.seq) == ("imported", None, 1)
    assert result.records == 5 and rows_in(ministry) == 5
    receipt = receipt_of(ministry, result)
    assert receipt.confirmed and receipt.status == "imported"
    assert (receipt.ags, receipt.device_id, receipt.epoch, receipt.seq) == (
        "06534011", device.device_id, 1, 1,
    )  # fmt: skip
    assert receipt.manifest_sha256 == result.manifest_sha256 == device.last[1][1]
    assert receipt.records == 5 and receipt.imported_at == "2026-11-25T12:00:00Z"
    assert (receipt.intake_seq, receipt.intake_chain_head) == ministry.store.chain_head()
    assert ministry.store.verify_chain() is None
    assert result.receipt_name == name.replace(".kisi", ".receipt")


def test_the_receipt_key_is_the_only_key_the_receipt_verifies_with(
    ministry: Ministry, device: Device
) -> None:
    result = import_bundle(ministry, device.bundle([ministry.recipient]), "a.kisi")
    assert result.receipt is not None
    for other in (ministry.content.public, ministry.root.public if ministry.root else None):
        assert other is not None
        with pytest.raises(Exception, match="not signed by the ministry's receipt key"):
            read_receipt(result.receipt, [other])


def test_bundles_in_order_chain_and_the_state_follows(ministry: Ministry, device: Device) -> None:
    for seq in (1, 2, 3):
        assert import_bundle(ministry, device.bundle([ministry.recipient]), f"{seq}").seq == seq
    state = ministry.store.one("SELECT last_seq, last_manifest_sha256 FROM devices")
    assert state == {"last_seq": 3, "last_manifest_sha256": device.last[1][1]}
    assert [e.status for e in ministry.store.chain()] == ["imported"] * 3
    assert ministry.store.verify_chain() is None


# -- A1: the replay matrix ---------------------------------------------------------------------


def test_duplicate_counts_once_and_gets_the_original_receipt(
    ministry: Ministry, device: Device
) -> None:
    data = device.bundle([ministry.recipient])
    first = import_bundle(ministry, data, "a.kisi")
    before = data_tables(ministry)
    copy = device.again([ministry.recipient], 1)
    assert copy != data  # another encryption of the same signed manifest
    again = import_bundle(ministry, copy, "a-copy.kisi")
    assert (again.outcome, again.reason_code) == ("duplicate", "duplicate")
    assert again.receipt == first.receipt  # the very same signed receipt, byte for byte
    assert data_tables(ministry) == before
    assert rows_in(ministry) == 5


def test_an_older_sequence_number_with_other_content_is_a_fork_in_quarantine(
    ministry: Ministry, device: Device
) -> None:
    import_bundle(ministry, device.bundle([ministry.recipient]), "1")
    import_bundle(ministry, device.bundle([ministry.recipient]), "2")
    before = imported_rows(ministry)
    replay = device.bundle(
        [ministry.recipient], seq=1, period=(date(2026, 4, 1), date(2026, 6, 30))
    )
    result = import_bundle(ministry, replay, "old.kisi")
    assert (result.outcome, result.reason_code) == ("rejected", "fork")
    assert "quarantined" in result.message
    assert imported_rows(ministry) == before  # no rows, no change of the sequence state
    assert [(h.seq, h.status) for h in held_bundles(ministry)] == [(1, "quarantined_fork")]
    receipt = receipt_of(ministry, result)
    assert (receipt.status, receipt.reason_code) == ("rejected", "fork")
    # Offered again: nothing changes, the same receipt.
    tables = data_tables(ministry)
    again = import_bundle(ministry, replay, "old-again.kisi")
    assert (again.reason_code, again.receipt) == ("fork", result.receipt)
    assert data_tables(ministry) == tables


def test_a_branch_at_the_next_sequence_number_is_a_fork(ministry: Ministry, device: Device) -> None:
    import_bundle(ministry, device.bundle([ministry.recipient]), "1")
    import_bundle(ministry, device.bundle([ministry.recipient]), "2")
    before = imported_rows(ministry)
    branch = device.bundle([ministry.recipient], seq=3, prev="cd" * 32)
    result = import_bundle(ministry, branch, "branch.kisi")
    assert (result.outcome, result.reason_code) == ("rejected", "fork")
    assert "does not continue" in result.message
    assert imported_rows(ministry) == before


def test_a_gap_is_held_and_imported_when_the_missing_bundle_arrives(
    ministry: Ministry, device: Device
) -> None:
    first = device.bundle([ministry.recipient])
    second = device.bundle([ministry.recipient])
    third = device.bundle([ministry.recipient])
    import_bundle(ministry, first, "1")
    before = imported_rows(ministry)
    third_name = f"KISI_06534011_{device.device_id}_000003_20261125.kisi"
    held = import_bundle(ministry, third, third_name)
    assert (held.outcome, held.reason_code) == ("held", "gap")
    assert "bundle 2 is missing" in held.message
    assert imported_rows(ministry) == before
    receipt = receipt_of(ministry, held)
    assert (receipt.status, receipt.reason_code, receipt.seq) == ("held", "gap", 3)
    assert not receipt.confirmed
    # The same held bundle again: nothing changes.
    tables = data_tables(ministry)
    assert import_bundle(ministry, third, "3-again.kisi").outcome == "held"
    assert data_tables(ministry) == tables

    filled = import_bundle(ministry, second, "2.kisi")
    assert (filled.outcome, filled.seq) == ("imported", 2)
    assert [(r.outcome, r.seq, r.file_name) for r in filled.released] == [
        ("imported", 3, third_name)
    ]
    assert receipt_of(ministry, filled.released[0]).status == "imported"
    assert [r.seq for r in filled.all()] == [2, 3]
    assert held_bundles(ministry) == []
    assert ministry.store.one("SELECT last_seq FROM devices") == {"last_seq": 3}
    assert ministry.store.one("SELECT count(*) AS n FROM held_files") == {"n": 0}
    assert ministry.store.verify_chain() is None
    assert rows_in(ministry) == 15


def test_several_held_bundles_are_released_in_order(ministry: Ministry, device: Device) -> None:
    bundles = [device.bundle([ministry.recipient]) for _ in range(5)]
    for index in (4, 2, 3, 1):
        assert import_bundle(ministry, bundles[index], f"{index + 1}").outcome == "held"
    result = import_bundle(ministry, bundles[0], "1")
    assert [r.seq for r in result.all()] == [1, 2, 3, 4, 5]
    assert ministry.store.one("SELECT last_seq FROM devices") == {"last_seq": 5}


def test_a_new_epoch_waits_for_the_operator(ministry: Ministry, device: Device) -> None:
    import_bundle(ministry, device.bundle([ministry.recipient]), "e1")
    before = imported_rows(ministry)
    restored = device.bundle([ministry.recipient], epoch=2, epoch_start=None)
    second = device.bundle([ministry.recipient], epoch=2)
    result = import_bundle(ministry, restored, "e2-1.kisi")
    assert (result.outcome, result.reason_code) == ("held", "new_epoch")
    assert "operator must confirm" in result.message
    assert import_bundle(ministry, second, "e2-2.kisi").reason_code == "new_epoch"
    assert imported_rows(ministry) == before
    with pytest.raises(UserError):
        confirm_epoch(ministry, device.ags, device.device_id, 2, why="  ")
    with pytest.raises(UserError, match="wait for confirmation"):
        confirm_epoch(ministry, device.ags, device.device_id, 3, why="phone call")
    released = confirm_epoch(ministry, device.ags, device.device_id, 2, why="phone call 4711")
    assert [(r.outcome, r.seq, r.epoch) for r in released] == [
        ("imported", 1, 2),
        ("imported", 2, 2),
    ]
    assert ministry.store.one("SELECT confirmed_why FROM devices WHERE epoch = 2") == {
        "confirmed_why": "phone call 4711"
    }


def test_a_new_epoch_starting_from_our_own_receipt_is_accepted(
    ministry: Ministry, device: Device
) -> None:
    first = import_bundle(ministry, device.bundle([ministry.recipient]), "e1")
    assert first.receipt is not None
    restored = device.bundle([ministry.recipient], epoch=2, epoch_start=sha256_hex(first.receipt))
    assert import_bundle(ministry, restored, "e2").outcome == "imported"
    # A receipt we never issued does not open the door.
    forged = device.bundle([ministry.recipient], epoch=3, epoch_start="ef" * 32)
    assert import_bundle(ministry, forged, "e3").reason_code == "new_epoch"


# -- A1 / S4: the audit head must not go back within a device epoch -------------------------

MAC_A, MAC_B = "ab" * 32, "cd" * 32


def test_an_audit_head_behind_the_last_bundle_is_refused_and_changes_nothing(
    ministry: Ministry, device: Device
) -> None:
    """A vault whose audit log was cut short (or put back from an older copy) after bundle
    2 left names an earlier entry in bundle 3: refused like a fork, nothing stored."""
    to = [ministry.recipient]
    import_bundle(ministry, device.bundle(to, audit_head=(10, MAC_A)), "1")
    import_bundle(ministry, device.bundle(to, audit_head=(20, MAC_A)), "2")
    behind = device.bundle(to, audit_head=(15, MAC_B), remember=False)
    result = refused(ministry, behind, AUDIT_ROLLBACK, "3.kisi")
    assert "audit entry 15" in result.message and "entry 20" in result.message
    assert "went back" in result.message
    assert held_bundles(ministry) == []
    # The sequence number is not used up: the honest bundle 3 still follows on.
    honest = import_bundle(ministry, device.bundle(to, audit_head=(21, MAC_B)), "3-honest.kisi")
    assert (honest.outcome, honest.seq) == ("imported", 3)


def test_the_same_audit_entry_must_carry_the_same_mac(ministry: Ministry, device: Device) -> None:
    to = [ministry.recipient]
    import_bundle(ministry, device.bundle(to, audit_head=(20, MAC_A)), "1")
    rewritten = device.bundle(to, audit_head=(20, MAC_B), remember=False)
    result = refused(ministry, rewritten, AUDIT_ROLLBACK)
    assert "rewritten" in result.message
    # The very same head again is not going back.
    same = import_bundle(ministry, device.bundle(to, audit_head=(20, MAC_A)), "2")
    assert (same.outcome, same.seq) == ("imported", 2)


def test_a_gap_bundle_behind_the_last_head_is_refused_not_held(
    ministry: Ministry, device: Device
) -> None:
    to = [ministry.recipient]
    import_bundle(ministry, device.bundle(to, audit_head=(20, MAC_A)), "1")
    data = device.bundle(to, seq=3, audit_head=(5, MAC_A), remember=False)
    refused(ministry, data, AUDIT_ROLLBACK)
    assert held_bundles(ministry) == []


def test_a_held_bundle_behind_the_bundle_that_fills_its_gap_stays_held(
    ministry: Ministry, device: Device
) -> None:
    to = [ministry.recipient]
    first = device.bundle(to, audit_head=(10, MAC_A))
    second = device.bundle(to, audit_head=(30, MAC_A))
    third = device.bundle(to, audit_head=(25, MAC_A))
    import_bundle(ministry, first, "1")
    assert import_bundle(ministry, third, "3").reason_code == "gap"
    filled = import_bundle(ministry, second, "2")
    assert (filled.outcome, filled.seq) == ("imported", 2)
    assert [(r.outcome, r.reason_code) for r in filled.released] == [("held", AUDIT_ROLLBACK)]
    assert "went back" in filled.released[0].message
    assert [(h.seq, h.status) for h in held_bundles(ministry)] == [(3, "held_gap")]
    assert ministry.store.one("SELECT last_seq FROM devices") == {"last_seq": 2}
    assert rows_in(ministry) == 10


def test_a_new_epoch_may_start_behind_the_old_one(ministry: Ministry, device: Device) -> None:
    """A restore (core/restore.py) starts a new epoch from a backup's older history on
    purpose: heads are compared within one epoch only."""
    first = import_bundle(
        ministry, device.bundle([ministry.recipient], audit_head=(50, MAC_A)), "1"
    )
    assert first.receipt is not None
    restored = device.bundle(
        [ministry.recipient], epoch=2, epoch_start=sha256_hex(first.receipt), audit_head=(7, MAC_B)
    )
    assert import_bundle(ministry, restored, "e2").outcome == "imported"


def test_an_older_sequence_number_behind_the_head_is_still_a_fork(
    ministry: Ministry, device: Device
) -> None:
    """Two manifests for one sequence number say more than a head going back: ``fork``."""
    to = [ministry.recipient]
    import_bundle(ministry, device.bundle(to, audit_head=(10, MAC_A)), "1")
    import_bundle(ministry, device.bundle(to, audit_head=(20, MAC_A)), "2")
    q2 = (date(2026, 4, 1), date(2026, 6, 30))
    replay = device.bundle(to, seq=2, audit_head=(12, MAC_B), period=q2, remember=False)
    assert import_bundle(ministry, replay, "2-again").reason_code == "fork"


def test_revoked_key(ministry: Ministry, device: Device) -> None:
    registry.revoke(ministry, device.ags)
    refused(ministry, device.bundle([ministry.recipient]), "revoked_key")


def test_unknown_municipality(ministry: Ministry) -> None:
    stranger = Device("06999999")
    result = refused(ministry, stranger.bundle([ministry.recipient]), "unknown_municipality")
    assert "06999999" in result.message


def test_other_recipient(ministry: Ministry, device: Device) -> None:
    elsewhere = str(age.Identity.generate().recipient())
    refused(ministry, device.bundle([elsewhere]), "wrong_recipient")
    # Readable by us, but the signed manifest names only the other ministry.
    refused(
        ministry,
        device.bundle([ministry.recipient], manifest_recipients=[elsewhere], remember=False),
        "wrong_recipient",
    )


def test_bad_signature(ministry: Ministry, device: Device) -> None:
    thief = (Ed25519PrivateKey.generate(), device.key_id)
    refused(ministry, device.bundle([ministry.recipient], signer=thief), "bad_signature")
    other_id = (Ed25519PrivateKey.generate(), minisign.new_key_id())
    refused(ministry, device.bundle([ministry.recipient], signer=other_id), "bad_signature")


def test_future_time_a_bundle_dated_after_the_ministrys_clock(
    ministry: Ministry, device: Device, clock: FixedClock
) -> None:
    """A1 "future time": more than a day (CLOCK_SKEW) after the ministry's clock is refused
    with its own code, before any state is looked at (not held as a gap either)."""
    to = [ministry.recipient]
    for created_at in ("2099-12-31T23:59:59Z", "2026-11-26T12:00:01Z"):  # clock: 25 Nov 12:00
        ahead = device.bundle(to, created_at=created_at, remember=False)
        result = refused(ministry, ahead, FUTURE_TIME)
        assert created_at in result.message and "clock" in result.message
    gap = device.bundle(
        to, seq=3, prev="ab" * 32, created_at="2099-01-01T00:00:00Z", remember=False
    )
    refused(ministry, gap, FUTURE_TIME)
    assert held_bundles(ministry) == []
    # A day ahead is a clock slip, not a lie.
    skewed = device.bundle(to, created_at="2026-11-26T12:00:00Z")
    assert import_bundle(ministry, skewed, "1").outcome == "imported"
    # The ministry's own clock decides: two days on, the same date is in the past.
    late = device.bundle(to, created_at="2026-11-27T12:00:00Z", remember=False)
    refused(ministry, late, FUTURE_TIME)
    clock.advance(days=2)
    assert import_bundle(ministry, late, "2").outcome == "imported"


def test_future_time_a_period_that_ends_after_the_bundle_was_made(
    ministry: Ministry, device: Device
) -> None:
    """A running period is exported up to the guide's own day (bundles/export.py), which
    east of Greenwich may be the day after the UTC ``created_at``; a later end reports days
    that had not happened."""
    to = [ministry.recipient]
    made = "2026-11-25T23:30:00Z"  # 00:30 on 26 Nov in Hessen
    ahead = (date(2026, 10, 1), date(2026, 11, 27))
    late = device.bundle(to, period=ahead, created_at=made, remember=False)
    result = refused(ministry, late, FUTURE_TIME)
    assert "2026-11-27" in result.message
    not_begun = (date(2027, 10, 1), date(2028, 9, 30))
    refused(ministry, device.bundle(to, period=not_begun, remember=False), FUTURE_TIME)
    for end in (date(2026, 11, 25), date(2026, 11, 26)):
        data = device.bundle(to, period=(date(2026, 10, 1), end), created_at=made)
        assert import_bundle(ministry, data, str(end)).outcome == "imported"
        device.last.clear()  # the next one starts a device of its own
        device.device_id = os.urandom(8).hex()


def test_a_created_at_that_is_no_time_is_malformed(ministry: Ministry, device: Device) -> None:
    data = device.bundle([ministry.recipient], created_at="2026-02-30T12:00:00Z", remember=False)
    assert "created_at" in refused(ministry, data, "malformed").message


def test_future_format_version(ministry: Ministry, device: Device) -> None:
    data = device.bundle([ministry.recipient], fmt="kisi-bundle/2", remember=False)
    refused(ministry, data, "unsupported_version")


def test_tampered_and_malformed_files(ministry: Ministry, device: Device) -> None:
    good = device.bundle([ministry.recipient], remember=False)
    flipped = bytearray(good)
    flipped[-20] ^= 1
    refused(ministry, bytes(flipped), "tampered")
    refused(ministry, b"not a bundle at all", "malformed")
    result = refused(ministry, good[:200], "tampered")
    assert result.manifest_sha256 is None  # unreadable: the receipt names no bundle
    assert receipt_of(ministry, result).ags is None


@pytest.mark.parametrize(
    ("files", "period", "words"),
    [
        ({INDICATORS: indicator_rows((date(2024, 1, 1), date(2024, 3, 31)))},
         (date(2024, 1, 1), date(2024, 3, 31)), "outside the project"),
        ({INDICATORS: indicator_rows((date(2026, 1, 1), date(2026, 3, 31)), count=3)},
         (date(2026, 1, 1), date(2026, 3, 31)), "not suppressed"),
        ({INDICATORS: indicator_rows((date(2026, 4, 1), date(2026, 6, 30)))},
         (date(2026, 1, 1), date(2026, 3, 31)), "another period"),
        ({REPORT: [{"table": "needs", "need": "housing", "respondents": 2}]},
         (date(2026, 1, 1), date(2026, 3, 31)), "not suppressed"),
        ({REPORT: [{"table": "contacts_by_mode", "code": "phone", "contacts": -1}]},
         (date(2026, 1, 1), date(2026, 3, 31)), "negative"),
    ],
    ids=["period", "small-count", "row-period", "small-report-cell", "negative"],
)  # fmt: skip
def test_implausible_content_is_refused(
    ministry: Ministry, device: Device, files: dict[str, Any], period: tuple[date, date], words: str
) -> None:
    data = device.bundle([ministry.recipient], files=files, period=period, remember=False)
    result = refused(ministry, data, "implausible")
    assert words in result.message


def test_small_counts_of_things_and_of_municipalities_are_fine(
    ministry: Ministry, device: Device
) -> None:
    rows = [{"table": "contacts_by_mode", "code": "phone", "contacts": 2, "family_members": 0}]
    files = {INDICATORS: indicator_rows((date(2026, 1, 1), date(2026, 3, 31))), REPORT: rows}
    assert import_bundle(
        ministry, device.bundle([ministry.recipient], files=files), "a"
    ).outcome == ("imported")


def test_an_oversized_file_is_refused_unread(ministry: Ministry, tmp_path: Path) -> None:
    path = tmp_path / "big.kisi"
    with path.open("wb") as out:  # one byte over 64 MiB, sparse: it takes no room
        out.truncate(MAX_BUNDLE_FILE + 1)
    before = data_tables(ministry)
    result = intake.import_path(ministry, path)
    assert (result.outcome, result.reason_code) == ("rejected", "oversized")
    assert data_tables(ministry) == before
    assert ministry.store.rejections()[0].file_sha256 == "-"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_or_a_device_is_not_read(ministry: Ministry, tmp_path: Path) -> None:
    # Both say they are empty; a pipe would hold the import until someone writes to it.
    pipe = tmp_path / "bundle.kisi"
    os.mkfifo(pipe)
    before = data_tables(ministry)
    for path in (pipe, Path("/dev/zero")):
        with pytest.raises(OSError, match="not a plain file"):  # (the ministry is in English)
            intake.import_path(ministry, path)
    assert data_tables(ministry) == before


def test_a_gap_bundle_that_is_implausible_is_refused_not_held(
    ministry: Ministry, device: Device
) -> None:
    import_bundle(ministry, device.bundle([ministry.recipient]), "1")
    files = {INDICATORS: indicator_rows(Q1, count=2)}
    data = device.bundle([ministry.recipient], seq=3, files=files, remember=False)
    refused(ministry, data, "implausible")
    assert held_bundles(ministry) == []


def test_a_held_bundle_whose_key_was_revoked_meanwhile_stays_held(
    ministry: Ministry, device: Device
) -> None:
    first, second, third = (device.bundle([ministry.recipient]) for _ in range(3))
    import_bundle(ministry, first, "1")
    import_bundle(ministry, third, "3")
    # The municipality gets a new key; the old one signed bundles 2 and 3.
    old = device.public.text()
    device.private, device.key_id = Ed25519PrivateKey.generate(), minisign.new_key_id()
    registry.register(ministry, ags=device.ags, name="Kirchhain", key=device.public.text(),
                      replace=True)  # fmt: skip
    assert old != device.public.text()
    # Bundle 2 signed by the old key is refused now; bundle 3 keeps waiting.
    assert import_bundle(ministry, second, "2").reason_code == "bad_signature"
    assert [h.seq for h in held_bundles(ministry)] == [3]


def test_the_rejection_log_is_written_outside_the_import_transaction(
    ministry: Ministry,
) -> None:
    ministry.store.conn.execute("BEGIN")
    try:
        with pytest.raises(RuntimeError, match="outside"):
            ministry.store.log_rejection(
                at="t", file_name="f", file_sha256="-", reason_code="tampered", message="m"
            )
    finally:
        ministry.store.conn.execute("ROLLBACK")


def test_import_never_raises_on_mutated_bundles(ministry: Ministry, device: Device) -> None:
    good = device.bundle([ministry.recipient], remember=False)
    before = data_tables(ministry)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def check(data: st.DataObject) -> None:
        mutated = bytearray(good)
        for _ in range(data.draw(st.integers(1, 4))):
            offset = data.draw(st.integers(0, len(mutated) - 1))
            mutated[offset] ^= data.draw(st.integers(1, 255))
        cut = data.draw(st.integers(0, len(mutated)))
        offered = bytes(mutated[:cut] if cut < len(good) // 2 else mutated)
        assume(offered != good)  # two flips of one byte can cancel out
        result = import_bundle(ministry, offered, "m")
        assert result.outcome == "rejected" and result.reason_code
        assert data_tables(ministry) == before

    check()


def test_the_operator_can_give_up_on_a_missing_bundle(ministry: Ministry, device: Device) -> None:
    first, _lost, third, fourth = (device.bundle([ministry.recipient]) for _ in range(4))
    import_bundle(ministry, first, "1")
    import_bundle(ministry, fourth, "4")
    import_bundle(ministry, third, "3")
    with pytest.raises(UserError):
        skip_gap(ministry, device.ags, device.device_id, 1, why=" ")
    released = skip_gap(ministry, device.ags, device.device_id, 1, why="stick lost, call 12")
    assert [(r.outcome, r.seq) for r in released] == [("imported", 3), ("imported", 4)]
    state = ministry.store.one("SELECT last_seq, confirmed_why FROM devices")
    assert state == {"last_seq": 4, "confirmed_why": "bundles 2 to 2 skipped: stick lost, call 12"}
    assert "gap_skipped" in [e.status for e in ministry.store.chain()]
    assert ministry.store.verify_chain() is None
    with pytest.raises(UserError, match="wait for missing"):
        skip_gap(ministry, device.ags, device.device_id, 1, why="again")


def test_a_new_epoch_let_in_by_its_receipt_releases_bundles_that_came_before_it(
    ministry: Ministry, device: Device
) -> None:
    first = import_bundle(ministry, device.bundle([ministry.recipient]), "e1")
    assert first.receipt is not None
    start = device.bundle([ministry.recipient], epoch=2, epoch_start=sha256_hex(first.receipt))
    second = device.bundle([ministry.recipient], epoch=2)
    third = device.bundle([ministry.recipient], epoch=2)
    assert import_bundle(ministry, third, "e2-3").reason_code == "new_epoch"
    assert import_bundle(ministry, start, "e2-1").outcome == "imported"
    # Bundle 3 now waits for bundle 2 like any gap, and comes in with it.
    assert [h.status for h in held_bundles(ministry)] == ["held_gap"]
    assert [r.seq for r in import_bundle(ministry, second, "e2-2").all()] == [2, 3]
