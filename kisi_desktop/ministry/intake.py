"""Bundle intake: verify, order, check, import in one transaction, answer with a signed receipt.

The verification order is SECURITY.md's ("Ministry verification order"):
:func:`~kisi_desktop.bundles.bundle_reader.open_bundle` does steps 1-6 and 8 (size,
decryption, ZIP, signature with the registered key, strict manifest, recipient binding,
every data file against the manifest); this module adds the registry's own checks (the
profile the municipality is registered with), the bundle's dates against the ministry's
clock (``future_time``, before any state is looked at), the signer's (``signers.py``: the
manifest's key id is the key that signed, and the key the device signed with before), step 7
(replay and order, and the audit head against the device's last bundle), step 9
(plausibility) and step 10 (store and receipt).

Step 7 keeps ``(last_seq, last_manifest_sha256)`` per (AGS, device, epoch):

=======================================  =========================================
what arrives                             what happens
=======================================  =========================================
a manifest hash already imported         ``duplicate``: nothing changes, the
                                         original receipt is issued again
a manifest hash the operator dropped     ``dropped``: nothing changes, the drop's
                                         receipt is issued again
``seq == last + 1``, ``prev == last``    imported; then any held successors too
``seq <= last``, another hash;           ``fork``: kept in quarantine for whoever
or ``seq == last + 1``, other ``prev``;  investigates, not imported, receipt
or the ``seq`` of a dropped bundle,      "rejected: fork"
another hash (any epoch state)
``seq > last + 1``                       ``gap``: held (receipt "held: gap");
                                         imported by itself when the missing bundle
                                         arrives, or when the operator gives up on it
                                         (:func:`skip_gap`, with a logged reason)
an epoch the ministry has not seen for   ``new_epoch``: held until the operator
a known device (or epoch > 1 of a new    confirms it (:func:`confirm_epoch`), unless
device)                                  its ``epoch_start`` names a receipt this
                                         ministry issued to that device
in order or after a gap, but its         ``audit_rollback``: refused like a fork
``audit_head`` lies behind the last      (receipt "rejected: audit_rollback"), not
imported bundle of its device epoch      quarantined, nothing stored; a held bundle
(same entry: another MAC)                found so at its release stays held
                                         (``audit_heads.py``)
the operator drops a held bundle         removed with its file, and the reason
(``gap`` or ``new_epoch``;               logged (:func:`drop_held`); receipt
:func:`drop_held`)                       "rejected: dropped". The sequence does not
                                         move and nothing is released: bundles after
                                         it stay held, as for any missing bundle,
                                         until the operator gives up on it
                                         (:func:`skip_gap`). Imported bundles (the
                                         books) and forks (the evidence) are never
                                         dropped
=======================================  =========================================

A refused file (any step) leaves every table as it was; only the rejection log gets a line,
written after the import transaction was rolled back. It still gets a signed receipt
"rejected" with the reason code, so the answer can travel back to the municipality on the
same USB stick; a file too broken to say whose it is gets one without bundle fields.

Held and quarantined bundles keep their encrypted file in the database: a held bundle is
verified again, from the file, when it is released (a key revoked meanwhile is respected).
A held bundle that can therefore never be released, or must not count, is dropped by the
operator; its file goes with it, while the drop's log entry and receipt stay.
"""

from __future__ import annotations

import getpass
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kisi_desktop.core import crashpoints
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.files import read_limited
from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.bundle_reader import OpenedBundle, open_bundle
from kisi_desktop.bundles.limits import MAX_BUNDLE_FILE
from kisi_desktop.bundles.manifest import Manifest, parse_manifest, sha256_hex
from kisi_desktop.bundles.minisign import PublicKey
from kisi_desktop.bundles.reasons import (
    DROPPED,
    DUPLICATE,
    FORK,
    GAP,
    NEW_EPOCH,
    OVERSIZED,
    UNKNOWN_MUNICIPALITY,
    UNSUPPORTED_VERSION,
    Rejected,
)
from kisi_desktop.bundles.receipts import Receipt, write_receipt
from kisi_desktop.ministry import audit_heads, registry, signers
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.plausibility import check_plausible, check_times
from kisi_desktop.ministry.store import (
    HELD_EPOCH,
    HELD_GAP,
    IMPORTED,
    QUARANTINED_FORK,
    IntakeStore,
)

# What import_bundle tells the caller, one per file (and per released held bundle).
OUTCOME_IMPORTED = "imported"
OUTCOME_DUPLICATE = "duplicate"
OUTCOME_HELD = "held"
OUTCOME_REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class IntakeResult:
    """What became of one bundle file: the outcome, why, and the receipt to send back.

    ``outcome`` is ``imported``, ``duplicate``, ``held`` (reason ``gap`` or ``new_epoch``)
    or ``rejected`` (any reason code, ``fork`` when the bundle went to quarantine).
    ``released`` lists held bundles this one's import let through, each with its own
    receipt. Every result has a signed receipt (``imported``, the original one again for
    ``duplicate``, ``held`` or ``rejected``) except a held bundle that could not be
    released (its key was revoked meanwhile): that one keeps waiting, without a receipt.
    """

    file_name: str
    file_sha256: str
    outcome: str
    reason_code: str | None
    message: str
    manifest_sha256: str | None = None
    ags: str | None = None
    device_id: str | None = None
    epoch: int | None = None
    seq: int | None = None
    records: int = 0
    receipt: bytes | None = None
    released: tuple[IntakeResult, ...] = field(default=())

    @property
    def receipt_name(self) -> str:
        """The receipt's file name: the bundle's name with ``.receipt`` instead of ``.kisi``."""
        base = self.file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
        if base.endswith(".kisi"):
            base = base[: -len(".kisi")]
        return f"{base or 'bundle'}.receipt"

    def all(self) -> list[IntakeResult]:
        """This result and every released one, in the order they happened."""
        return [self, *(r for inner in self.released for r in inner.all())]


@dataclass(frozen=True, slots=True)
class _Verified:
    opened: OpenedBundle
    manifest: Manifest
    manifest_sha256: str
    records: int


# -- verification (steps 1-6, 8 and the registry's checks) -----------------------------------


def _verify(ministry: Ministry, data: bytes) -> _Verified:
    if len(data) > MAX_BUNDLE_FILE:
        raise Rejected(OVERSIZED, _("The bundle is larger than 64 MiB."))
    opened = open_bundle(
        data,
        identity=str(ministry.identity),
        own_recipient=ministry.recipient,
        key_for=_key_for(ministry),
        profile_for=_profile_for(ministry),
    )
    manifest = opened.manifest
    # key_for refused unknown AGS; looked up again for the profile and key id it fixes.
    town = registry.get(ministry, manifest.municipality_ags)
    if town is None:
        raise Rejected(
            UNKNOWN_MUNICIPALITY,
            _("No municipality with AGS {ags} is registered.").format(
                ags=manifest.municipality_ags
            ),
        )
    if manifest.profile != town.profile:
        raise Rejected(
            UNSUPPORTED_VERSION,
            _("Municipality {ags} is registered for profile {registered}, not {found}.").format(
                ags=town.ags, registered=town.profile, found=manifest.profile
            ),
        )
    check_times(manifest, ministry.clock.now())
    # Which registered key signed it (and whether that is the manifest's and the device's)
    # is checked under the write lock, in _apply: the device's binding is intake state.
    records = sum(len(rows) for rows in opened.files.values())
    return _Verified(opened, manifest, opened.manifest_sha256, records)


def _key_for(ministry: Ministry) -> Callable[[str], Sequence[PublicKey]]:
    def key_for(ags: str) -> Sequence[PublicKey]:
        return registry.keys_for(ministry, ags)

    return key_for


def _profile_for(ministry: Ministry) -> Callable[[str], str]:
    def profile_for(ags: str) -> str:
        town = registry.get(ministry, ags)
        return town.profile if town is not None else "p1"

    return profile_for


# -- step 7: replay and order ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Decision:
    # "import", "duplicate", "held_again", "fork_again", "dropped_again", "fork", "gap",
    # "new_epoch"
    kind: str
    detail: str = ""
    existing: Mapping[str, Any] | None = None


def _decide(ministry: Ministry, manifest: Manifest, manifest_sha256: str) -> _Decision:
    """SECURITY.md's anti-replay table, read under the write lock."""
    store = ministry.store
    known = store.one("SELECT * FROM bundles WHERE manifest_sha256 = ?", (manifest_sha256,))
    if known is not None:
        status = known["status"]
        if status == IMPORTED:
            return _Decision("duplicate", existing=known)
        if status == QUARANTINED_FORK:
            return _Decision("fork_again", existing=known)
        return _Decision("held_again", existing=known)
    if store.one("SELECT 1 FROM dropped WHERE manifest_sha256 = ?", (manifest_sha256,)):
        return _Decision("dropped_again")
    key = (manifest.municipality_ags, manifest.device_id, manifest.device_epoch)
    # A dropped bundle used up its number (drop_held): another manifest under it is a fork,
    # even in an epoch still waiting for confirmation (or it could be let in with the epoch).
    if store.one(
        "SELECT 1 FROM dropped WHERE ags = ? AND device_id = ? AND epoch = ? AND seq = ?",
        (*key, manifest.seq),
    ):
        return _Decision(
            "fork",
            _("sequence number {seq} was already received with other content").format(
                seq=manifest.seq
            ),
        )
    state = store.one(
        "SELECT last_seq, last_manifest_sha256 FROM devices "
        "WHERE ags = ? AND device_id = ? AND epoch = ?",
        key,
    )
    if state is None:
        other_epochs = store.one(
            "SELECT count(*) AS n FROM devices WHERE ags = ? AND device_id = ?", key[:2]
        )
        first_ever = manifest.device_epoch == 1 and not (other_epochs or {}).get("n")
        if not first_ever and not _issued_to(ministry, manifest):
            return _Decision("new_epoch")
        last_seq, last_hash = 0, None
    else:
        # A confirmed epoch starts with last_seq 0 and no hash (stored as "").
        last_seq, last_hash = int(state["last_seq"]), state["last_manifest_sha256"] or None
    held_same_seq = store.one(
        "SELECT manifest_sha256 FROM bundles WHERE ags = ? AND device_id = ? AND epoch = ? "
        "AND seq = ? AND status != 'quarantined_fork'",
        (*key, manifest.seq),
    )
    if manifest.seq <= last_seq or held_same_seq is not None:
        return _Decision(
            "fork",
            _("sequence number {seq} was already received with other content").format(
                seq=manifest.seq
            ),
        )
    if manifest.seq == last_seq + 1:
        if manifest.prev_manifest_sha256 != last_hash:
            return _Decision(
                "fork",
                _("bundle {seq} does not continue from the bundle before it").format(
                    seq=manifest.seq
                ),
            )
        return _Decision("import")
    return _Decision(
        "gap",
        _("bundles {first} to {last} are missing").format(first=last_seq + 1, last=manifest.seq - 1)
        if manifest.seq - 1 > last_seq + 1
        else _("bundle {first} is missing").format(first=last_seq + 1),
    )


def _issued_to(ministry: Ministry, manifest: Manifest) -> bool:
    """Whether the new epoch starts from a receipt this ministry gave the same device."""
    wanted = manifest.epoch_start_receipt_sha256
    if wanted is None or manifest.seq != 1:
        return False
    row = ministry.store.one(
        "SELECT epoch FROM receipts WHERE receipt_sha256 = ? AND ags = ? AND device_id = ? "
        "AND status = 'imported'",
        (wanted, manifest.municipality_ags, manifest.device_id),
    )
    return row is not None and int(row["epoch"]) < manifest.device_epoch


# -- step 10: writing ----------------------------------------------------------------------------


def _insert_bundle(
    store: IntakeStore,
    v: _Verified,
    *,
    status: str,
    file_name: str,
    file_sha256: str,
    at: str,
) -> int:
    m = v.manifest
    # Whatever enters the books (imported, held, quarantined) binds its device to its key.
    signers.bind(store, m, v.opened.signed_by, at)
    cursor = store.conn.execute(
        "INSERT INTO bundles (manifest_sha256, ags, device_id, epoch, seq, prev_manifest_sha256, "
        "period_start, period_end, received_at, status, file_name, file_sha256, records, "
        "manifest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            v.manifest_sha256,
            m.municipality_ags,
            m.device_id,
            m.device_epoch,
            m.seq,
            m.prev_manifest_sha256,
            m.period_start.isoformat(),
            m.period_end.isoformat(),
            at,
            status,
            file_name[-200:],
            file_sha256,
            v.records,
            v.opened.manifest_bytes.decode("utf-8"),
        ),
    )
    assert cursor.lastrowid is not None  # noqa: S101 - an INSERT always sets it
    return int(cursor.lastrowid)


def _store_rows(store: IntakeStore, bundle_id: int, files: Mapping[str, Sequence[Any]]) -> None:
    store.conn.executemany(
        "INSERT INTO data_rows (bundle_id, file, line, row) VALUES (?, ?, ?, ?)",
        (
            (bundle_id, name, number, json.dumps(row, ensure_ascii=False, sort_keys=True))
            for name in sorted(files)
            for number, row in enumerate(files[name], 1)
        ),
    )


def _receipt(
    ministry: Ministry,
    m: Manifest | None,
    manifest_sha256: str | None,
    *,
    status: str,
    reason_code: str | None,
    message: str,
    at: str,
    records: int = 0,
    chain: tuple[int, str] | None = None,
) -> bytes:
    """A signed receipt; ``chain`` is the entry it reports, else the current head."""
    intake_seq, head = chain if chain is not None else ministry.store.chain_head()
    receipt = Receipt(
        manifest_sha256=manifest_sha256,
        ags=m.municipality_ags if m else None,
        device_id=m.device_id if m else None,
        epoch=m.device_epoch if m else 0,
        seq=m.seq if m else 0,
        status=status,
        reason_code=reason_code,
        imported_at=at,
        intake_seq=intake_seq,
        intake_chain_head=head,
        records=records,
        message=message[:1000],
    )
    return write_receipt(receipt, ministry.receipt.private, ministry.receipt.key_id)


def _keep_receipt(
    store: IntakeStore,
    m: Manifest,
    manifest_sha256: str,
    status: str,
    seq: int,
    data: bytes,
    at: str,
) -> None:
    store.conn.execute(
        "INSERT INTO receipts (manifest_sha256, intake_seq, status, receipt, receipt_sha256, ags, "
        "device_id, epoch, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            manifest_sha256,
            seq,
            status,
            data,
            sha256_hex(data),
            m.municipality_ags,
            m.device_id,
            m.device_epoch,
            at,
        ),
    )


def _import(
    ministry: Ministry, v: _Verified, *, file_name: str, file_sha256: str, at: str
) -> IntakeResult:
    """Store an in-order bundle (inside the transaction); its result with the receipt."""
    store = ministry.store
    m = v.manifest
    check_plausible(m, v.opened.files)
    bundle_id = _insert_bundle(
        store, v, status=IMPORTED, file_name=file_name, file_sha256=file_sha256, at=at
    )
    _store_rows(store, bundle_id, v.opened.files)
    crashpoints.reached("ministry.import.rows")
    store.conn.execute(
        "INSERT INTO devices (ags, device_id, epoch, last_seq, last_manifest_sha256) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (ags, device_id, epoch) DO UPDATE SET "
        "last_seq = excluded.last_seq, last_manifest_sha256 = excluded.last_manifest_sha256",
        (m.municipality_ags, m.device_id, m.device_epoch, m.seq, v.manifest_sha256),
    )
    # Later bundles of this epoch that waited for it as a new epoch now wait for their turn.
    store.conn.execute(
        "UPDATE bundles SET status = 'held_gap' WHERE ags = ? AND device_id = ? AND epoch = ? "
        "AND status = 'held_epoch'",
        (m.municipality_ags, m.device_id, m.device_epoch),
    )
    chain = store.append_chain(v.manifest_sha256, IMPORTED, at)
    store.conn.execute("UPDATE bundles SET intake_seq = ? WHERE id = ?", (chain[0], bundle_id))
    message = _("Imported {records} records from {ags}, device {device}, bundle {seq}.").format(
        records=v.records, ags=m.municipality_ags, device=m.device_id, seq=m.seq
    )
    receipt = _receipt(
        ministry,
        m,
        v.manifest_sha256,
        status="imported",
        reason_code=None,
        message=message,
        at=at,
        records=v.records,
        chain=chain,
    )
    _keep_receipt(store, m, v.manifest_sha256, "imported", chain[0], receipt, at)
    return _result(file_name, file_sha256, OUTCOME_IMPORTED, None, message, v, receipt)


def _hold(
    ministry: Ministry,
    v: _Verified,
    data: bytes,
    *,
    status: str,
    file_name: str,
    file_sha256: str,
    at: str,
) -> tuple[int, str]:
    """Keep a bundle (and its file) as held or quarantined; the chain entry it made."""
    store = ministry.store
    bundle_id = _insert_bundle(
        store, v, status=status, file_name=file_name, file_sha256=file_sha256, at=at
    )
    store.conn.execute("INSERT INTO held_files (bundle_id, data) VALUES (?, ?)", (bundle_id, data))
    chain = store.append_chain(v.manifest_sha256, status, at)
    store.conn.execute("UPDATE bundles SET intake_seq = ? WHERE id = ?", (chain[0], bundle_id))
    return chain


def _result(
    file_name: str,
    file_sha256: str,
    outcome: str,
    reason: str | None,
    message: str,
    v: _Verified | None,
    receipt: bytes | None,
) -> IntakeResult:
    if v is None:
        return IntakeResult(file_name, file_sha256, outcome, reason, message, receipt=receipt)
    m = v.manifest
    return IntakeResult(
        file_name=file_name,
        file_sha256=file_sha256,
        outcome=outcome,
        reason_code=reason,
        message=message,
        manifest_sha256=v.manifest_sha256,
        ags=m.municipality_ags,
        device_id=m.device_id,
        epoch=m.device_epoch,
        seq=m.seq,
        records=v.records,
        receipt=receipt,
    )


def _fork(
    ministry: Ministry,
    v: _Verified,
    data: bytes,
    detail: str,
    *,
    file_name: str,
    file_sha256: str,
    at: str,
) -> IntakeResult:
    """Quarantine a fork (inside the transaction) with its "rejected: fork" receipt."""
    m = v.manifest
    chain = _hold(
        ministry,
        v,
        data,
        status=QUARANTINED_FORK,
        file_name=file_name,
        file_sha256=file_sha256,
        at=at,
    )
    message = _("Fork in the sequence ({detail}): the bundle is quarantined, not imported.").format(
        detail=detail
    )
    receipt = _receipt(
        ministry,
        m,
        v.manifest_sha256,
        status="rejected",
        reason_code=FORK,
        message=message,
        at=at,
        chain=chain,
    )
    _keep_receipt(ministry.store, m, v.manifest_sha256, "rejected", chain[0], receipt, at)
    return _result(file_name, file_sha256, OUTCOME_REJECTED, FORK, message, v, receipt)


def _release(ministry: Ministry, key: tuple[str, str, int]) -> tuple[IntakeResult, ...]:
    """Import the held bundles of one device epoch that now follow on, in order.

    Runs inside the transaction of the import (or confirmation) that let them through.
    """
    store = ministry.store
    released: list[IntakeResult] = []
    while True:
        state = store.one(
            "SELECT last_seq, last_manifest_sha256 FROM devices "
            "WHERE ags = ? AND device_id = ? AND epoch = ?",
            key,
        )
        if state is None:
            return tuple(released)
        next_seq = int(state["last_seq"]) + 1
        held = store.one(
            "SELECT b.id, b.file_name, b.file_sha256, h.data FROM bundles b "
            "JOIN held_files h ON h.bundle_id = b.id WHERE b.ags = ? AND b.device_id = ? "
            "AND b.epoch = ? AND b.seq = ? AND b.status IN ('held_gap', 'held_epoch')",
            (*key, next_seq),
        )
        if held is None:
            return tuple(released)
        at = ministry.now()
        file_name, file_sha256 = str(held["file_name"]), str(held["file_sha256"])
        data = bytes(held["data"])
        last_hash = state["last_manifest_sha256"] or None
        try:
            v = _verify(ministry, data)
            signers.check_signer(store, v.manifest, v.opened.signed_by)
            check_plausible(v.manifest, v.opened.files)
            if v.manifest.prev_manifest_sha256 == last_hash:  # (else a fork, below)
                audit_heads.check_not_behind(store, v.manifest)
        except Rejected as error:
            # Verified when it arrived, refused now (a key revoked meanwhile, an audit head
            # behind the bundle that filled the gap): it stays held, the operator sees why,
            # and the bundles after it wait as well.
            released.append(
                IntakeResult(
                    file_name,
                    file_sha256,
                    OUTCOME_HELD,
                    error.code,
                    _("Held bundle {seq} cannot be imported now: {message}").format(
                        seq=next_seq, message=error
                    ),
                )
            )
            return tuple(released)
        store.conn.execute("DELETE FROM held_files WHERE bundle_id = ?", (held["id"],))
        store.conn.execute("DELETE FROM bundles WHERE id = ?", (held["id"],))
        # A twin held under a number the operator dropped (two bundles of an epoch not yet
        # confirmed can share one): the number is used up, as for a bundle arriving now.
        used = store.one(
            "SELECT 1 FROM dropped WHERE ags = ? AND device_id = ? AND epoch = ? AND seq = ?",
            (*key, next_seq),
        )
        if v.manifest.prev_manifest_sha256 != last_hash or used is not None:
            detail = _("bundle {seq} does not continue from the bundle before it").format(
                seq=next_seq
            )
            released.append(
                _fork(
                    ministry, v, data, detail, file_name=file_name, file_sha256=file_sha256, at=at
                )
            )
            return tuple(released)
        released.append(_import(ministry, v, file_name=file_name, file_sha256=file_sha256, at=at))


# -- the entry points ----------------------------------------------------------------------------


def import_bundle(ministry: Ministry, data: bytes, file_name: str) -> IntakeResult:
    """Verify one bundle file and import it, hold it, or refuse it; never raises Rejected.

    Idempotent by manifest hash: the same signed manifest, however often and however
    re-encrypted, is imported once; later copies get the first receipt again.
    """
    file_sha256 = sha256_hex(data)
    at = ministry.now()
    verified: _Verified | None = None
    try:
        verified = _verify(ministry, data)
        with ministry.store.transaction():
            result = _apply(ministry, verified, data, file_name, file_sha256, at)
    except Rejected as error:
        return _reject(ministry, error, verified, file_name, file_sha256, at)
    # Committed, the receipt not yet handed to anyone (written to a file or sent back by
    # the caller): a crash here leaves the import in the books, and the same file again
    # finds it there (duplicate, with the stored receipt; or held again) - never twice.
    crashpoints.reached("ministry.import.committed")
    return result


def _stored_receipt(ministry: Ministry, manifest_sha256: str) -> bytes | None:
    row = ministry.store.one(
        "SELECT receipt FROM receipts WHERE manifest_sha256 = ?", (manifest_sha256,)
    )
    return None if row is None else bytes(row["receipt"])


def _apply(
    ministry: Ministry, v: _Verified, data: bytes, file_name: str, file_sha256: str, at: str
) -> IntakeResult:
    """The signer's binding, steps 7, 9 and 10 inside the write transaction."""
    m = v.manifest
    signers.check_signer(ministry.store, m, v.opened.signed_by)
    decision = _decide(ministry, m, v.manifest_sha256)
    if decision.kind == "duplicate":
        message = _(
            "Already imported (bundle {seq} of {ags}); the original receipt is issued again."
        ).format(seq=m.seq, ags=m.municipality_ags)
        receipt = _stored_receipt(ministry, v.manifest_sha256)
        return _result(file_name, file_sha256, OUTCOME_DUPLICATE, DUPLICATE, message, v, receipt)
    if decision.kind == "fork_again":
        message = _("Already in quarantine as a fork (bundle {seq} of {ags}).").format(
            seq=m.seq, ags=m.municipality_ags
        )
        receipt = _stored_receipt(ministry, v.manifest_sha256)
        return _result(file_name, file_sha256, OUTCOME_REJECTED, FORK, message, v, receipt)
    if decision.kind == "dropped_again":
        message = _(
            "Already dropped by the operator (bundle {seq} of {ags}); the receipt is issued again."
        ).format(seq=m.seq, ags=m.municipality_ags)
        receipt = _stored_receipt(ministry, v.manifest_sha256)
        return _result(file_name, file_sha256, OUTCOME_REJECTED, DROPPED, message, v, receipt)
    if decision.kind == "fork":
        return _fork(
            ministry, v, data, decision.detail, file_name=file_name, file_sha256=file_sha256, at=at
        )
    if decision.kind in ("import", "gap"):
        # Still step 7: the device's history must not have gone back (audit_heads.py).
        audit_heads.check_not_behind(ministry.store, m)
    if decision.kind in ("gap", "new_epoch", "held_again"):
        if decision.kind == "held_again":
            existing = decision.existing or {}
            reason = GAP if existing.get("status") == HELD_GAP else NEW_EPOCH
            message = _("Already held (bundle {seq} of {ags}); nothing changed.").format(
                seq=m.seq, ags=m.municipality_ags
            )
            chain = None
        else:
            check_plausible(m, v.opened.files)
            reason = GAP if decision.kind == "gap" else NEW_EPOCH
            chain = _hold(
                ministry,
                v,
                data,
                status=HELD_GAP if reason == GAP else HELD_EPOCH,
                file_name=file_name,
                file_sha256=file_sha256,
                at=at,
            )
            if reason == GAP:
                message = _("Held: {detail}; it is imported when they arrive.").format(
                    detail=decision.detail
                )
            else:
                message = _(
                    "Held: device {device} of {ags} starts epoch {epoch}; "
                    "an operator must confirm it."
                ).format(device=m.device_id, ags=m.municipality_ags, epoch=m.device_epoch)
        receipt = _receipt(
            ministry,
            m,
            v.manifest_sha256,
            status="held",
            reason_code=reason,
            message=message,
            at=at,
            chain=chain,
        )
        return _result(file_name, file_sha256, OUTCOME_HELD, reason, message, v, receipt)
    result = _import(ministry, v, file_name=file_name, file_sha256=file_sha256, at=at)
    key = (m.municipality_ags, m.device_id, m.device_epoch)
    return replace(result, released=_release(ministry, key))


def _reject(
    ministry: Ministry,
    error: Rejected,
    v: _Verified | None,
    file_name: str,
    file_sha256: str,
    at: str,
) -> IntakeResult:
    """Log the refusal (after the rollback) and sign the "rejected" receipt.

    A file too broken to say whose it is gets a receipt without bundle fields: only its
    reason, for whoever brought it.
    """
    m = v.manifest if v is not None else None
    manifest_sha256 = v.manifest_sha256 if v is not None else None
    ministry.store.log_rejection(
        at=at,
        file_name=file_name[-200:],
        file_sha256=file_sha256,
        reason_code=error.code,
        message=str(error)[:1000],
        ags=m.municipality_ags if m else None,
        manifest_sha256=manifest_sha256,
    )
    receipt = _receipt(
        ministry,
        m,
        manifest_sha256,
        status="rejected",
        reason_code=error.code,
        message=str(error),
        at=at,
    )
    return _result(file_name, file_sha256, OUTCOME_REJECTED, error.code, str(error), v, receipt)


def import_files(ministry: Ministry, files: Iterable[tuple[str, bytes]]) -> list[IntakeResult]:
    """:func:`import_bundle` for each ``(name, data)``, in order."""
    return [import_bundle(ministry, data, name) for name, data in files]


def import_path(ministry: Ministry, path: Path) -> IntakeResult:
    """Import the bundle file at ``path``; its size is checked before a byte is read.

    Raises:
        OSError: the file cannot be read (not a verdict on the bundle, so nothing is logged).
    """
    size = path.stat().st_size
    if size > MAX_BUNDLE_FILE:
        error = Rejected(
            OVERSIZED,
            _("The bundle is {size} bytes, more than the 64 MiB allowed; it was not read.").format(
                size=size
            ),
        )
        # Not read, so not hashed: the log names the file and its size instead.
        return _reject(ministry, error, None, path.name, "-", ministry.now())
    # The size said is not trusted: the file may have grown, or be a device (read_limited).
    data = read_limited(path, MAX_BUNDLE_FILE)
    if len(data) > MAX_BUNDLE_FILE:
        error = Rejected(
            OVERSIZED, _("The bundle is more than the 64 MiB allowed; it was not read to its end.")
        )
        return _reject(ministry, error, None, path.name, "-", ministry.now())
    return import_bundle(ministry, data, path.name)


# -- operator actions --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeldBundle:
    """A bundle waiting in the intake (gap, new epoch) or kept in quarantine (fork)."""

    manifest_sha256: str
    ags: str
    device_id: str
    epoch: int
    seq: int
    status: str
    received_at: str
    file_name: str


def held_bundles(ministry: Ministry) -> list[HeldBundle]:
    """Bundles held (gap, new epoch) and quarantined (fork), oldest first."""
    rows = ministry.store.all(
        "SELECT manifest_sha256, ags, device_id, epoch, seq, status, received_at, file_name "
        "FROM bundles WHERE status != 'imported' ORDER BY id"
    )
    return [HeldBundle(**row) for row in rows]


def confirm_epoch(
    ministry: Ministry, ags: str, device_id: str, epoch: int, *, why: str
) -> list[IntakeResult]:
    """The operator accepts a new device epoch: its held bundles are imported in order.

    ``why`` is kept with the device's state (who confirmed it by phone, a ticket number).

    Raises:
        UserError: no reason given, or nothing of that epoch waits for confirmation.
    """
    reason = " ".join(why.split())
    if not reason:
        raise UserError(_("Say why the new epoch is accepted (e.g. who confirmed it)."))
    store = ministry.store
    with store.transaction():
        waiting = store.one(
            "SELECT count(*) AS n FROM bundles WHERE ags = ? AND device_id = ? AND epoch = ? "
            "AND status = 'held_epoch'",
            (ags, device_id, epoch),
        )
        if not (waiting or {}).get("n"):
            raise UserError(
                _("No bundles of device {device}, epoch {epoch} wait for confirmation.").format(
                    device=device_id, epoch=epoch
                )
            )
        store.conn.execute(
            "INSERT INTO devices (ags, device_id, epoch, last_seq, last_manifest_sha256, "
            "confirmed_at, confirmed_why) VALUES (?, ?, ?, 0, '', ?, ?) "
            "ON CONFLICT (ags, device_id, epoch) DO UPDATE SET "
            "confirmed_at = excluded.confirmed_at, confirmed_why = excluded.confirmed_why",
            (ags, device_id, epoch, ministry.now(), reason[:500]),
        )
        store.conn.execute(
            "UPDATE bundles SET status = 'held_gap' WHERE ags = ? AND device_id = ? "
            "AND epoch = ? AND status = 'held_epoch'",
            (ags, device_id, epoch),
        )
        return list(_release(ministry, (ags, device_id, epoch)))


def skip_gap(
    ministry: Ministry, ags: str, device_id: str, epoch: int, *, why: str
) -> list[IntakeResult]:
    """The operator gives up on missing bundles: the first held one is imported without them.

    SECURITY.md allows this "operator override with a logged reason": the skipped sequence
    numbers and ``why`` are kept with the device's state and the skip is an entry of the
    intake chain (status ``gap_skipped``, over the manifest hash the held bundle names as
    its predecessor), so the override is on record wherever receipts are.

    Raises:
        UserError: no reason given, or no bundle of that device epoch waits for a gap.
    """
    reason = " ".join(why.split())
    if not reason:
        raise UserError(_("Say why the missing bundles are given up (e.g. who confirmed it)."))
    store = ministry.store
    key = (ags, device_id, epoch)
    with store.transaction():
        held = store.one(
            "SELECT seq, prev_manifest_sha256 FROM bundles WHERE ags = ? AND device_id = ? "
            "AND epoch = ? AND status = 'held_gap' ORDER BY seq LIMIT 1",
            key,
        )
        if held is None:
            raise UserError(
                _("No bundles of device {device}, epoch {epoch} wait for missing ones.").format(
                    device=device_id, epoch=epoch
                )
            )
        state = store.one(
            "SELECT last_seq FROM devices WHERE ags = ? AND device_id = ? AND epoch = ?", key
        )
        first_missing = (int(state["last_seq"]) if state else 0) + 1
        seq = int(held["seq"])
        prev = held["prev_manifest_sha256"] or ""
        note = _("bundles {first} to {last} skipped: {why}").format(
            first=first_missing, last=seq - 1, why=reason
        )[:500]
        store.conn.execute(
            "INSERT INTO devices (ags, device_id, epoch, last_seq, last_manifest_sha256, "
            "confirmed_at, confirmed_why) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (ags, device_id, epoch) DO UPDATE SET last_seq = excluded.last_seq, "
            "last_manifest_sha256 = excluded.last_manifest_sha256, "
            "confirmed_at = excluded.confirmed_at, confirmed_why = excluded.confirmed_why",
            (*key, seq - 1, prev, ministry.now(), note),
        )
        if prev:
            store.append_chain(prev, "gap_skipped", ministry.now())
        return list(_release(ministry, key))


# The intake chain's status for a drop (beside imported, held_gap, gap_skipped ...).
CHAIN_DROPPED = "dropped"
_BUNDLE_ID = re.compile(r"[0-9a-f]{8,64}")


def operator_name() -> str:
    """The operating system account running this process: the "who" of an operator action.

    What the system says (``getpass.getuser``: LOGNAME, USER, USERNAME, else the account
    database), not a proof of identity; the operator's reason names the person who decided.
    """
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no account name is no reason to refuse
        return "?"
    return " ".join(name.split())[:100] or "?"


def _held_to_drop(ministry: Ministry, bundle: str) -> dict[str, Any]:
    """The bundle row ``bundle`` names (hash or unique prefix), if it may be dropped.

    Inside the drop's transaction, so what is checked is what is deleted.
    """
    wanted = bundle.strip().lower()
    if not _BUNDLE_ID.fullmatch(wanted):
        raise UserError(
            _("Name the bundle by its manifest SHA-256, or at least its first 8 hex digits.")
        )
    store = ministry.store
    rows = store.all(
        "SELECT * FROM bundles WHERE substr(manifest_sha256, 1, ?) = ?", (len(wanted), wanted)
    )
    if len(rows) > 1:
        raise UserError(
            _("{n} bundles begin with {id}; give more of the manifest SHA-256.").format(
                n=len(rows), id=wanted
            )
        )
    if not rows:
        gone = store.one(
            "SELECT ags, seq, dropped_at FROM dropped WHERE substr(manifest_sha256, 1, ?) = ?",
            (len(wanted), wanted),
        )
        if gone is not None:
            raise UserError(
                _("Bundle {seq} of {ags} was already dropped on {day}.").format(
                    seq=gone["seq"], ags=gone["ags"], day=str(gone["dropped_at"])[:10]
                )
            )
        raise UserError(_("No bundle with manifest {id} is held.").format(id=wanted))
    row = rows[0]
    where = {"seq": row["seq"], "ags": row["ags"], "device": row["device_id"]}
    if row["status"] == IMPORTED:
        raise UserError(
            _(
                "Bundle {seq} of {ags} (device {device}) is imported: imported bundles are "
                "the books and are never dropped."
            ).format(**where)
        )
    if row["status"] == QUARANTINED_FORK:
        raise UserError(
            _(
                "Bundle {seq} of {ags} (device {device}) is a fork in quarantine: it is "
                "refused already and kept for whoever investigates."
            ).format(**where)
        )
    return row


def drop_held(ministry: Ministry, bundle: str, *, why: str, by: str | None = None) -> IntakeResult:
    """The operator removes a held bundle for good: it is never imported and never counts.

    For a bundle that can never be imported (its key was revoked meanwhile, so it fails
    verification at every release and would wait for ever) or must not count (the laptop
    that made it was stolen). In one transaction: the bundle's row and its stored file go;
    the drop is logged with who (``by``, default: the operating system account), when and
    ``why`` (table ``dropped``) and is an entry of the intake chain (status ``dropped``);
    a signed receipt "rejected: dropped" that carries ``why`` is issued and kept, so the
    municipality learns the bundle will never count and a copy sent again gets the same
    receipt (:func:`import_bundle`).

    Nothing moves in the device's sequence and nothing is released: bundles after the
    dropped one wait as for any missing bundle, until the operator gives up on it with
    :func:`skip_gap` - a second decision with its own logged reason, and one that imports,
    which a drop never does. Only held bundles (``gap``, ``new_epoch``) can be dropped:
    imported ones are the books, and a fork in quarantine is refused already and kept as
    evidence.

    ``bundle`` is the manifest SHA-256 (as :func:`held_bundles` lists it) or a unique
    prefix of it of at least 8 hex digits.

    Raises:
        UserError: no reason given; no such bundle, or more than one for the prefix; the
            bundle is imported, quarantined as a fork or dropped already.
    """
    reason = " ".join(why.split())
    if not reason:
        raise UserError(_("Say why the bundle is dropped (e.g. who decided it, and why)."))
    who = " ".join((operator_name() if by is None else by).split())[:100] or "?"
    store = ministry.store
    with store.transaction():
        row = _held_to_drop(ministry, bundle)
        manifest_sha256 = str(row["manifest_sha256"])
        # Stored when it arrived, after verification: parsing it again only rebuilds it.
        manifest = parse_manifest(str(row["manifest"]).encode("utf-8"))
        at = ministry.now()
        store.conn.execute("DELETE FROM held_files WHERE bundle_id = ?", (row["id"],))
        store.conn.execute("DELETE FROM bundles WHERE id = ?", (row["id"],))
        chain = store.append_chain(manifest_sha256, CHAIN_DROPPED, at)
        store.conn.execute(
            "INSERT INTO dropped (manifest_sha256, ags, device_id, epoch, seq, held_as, "
            "period_start, period_end, received_at, file_name, file_sha256, dropped_at, "
            "dropped_by, why, intake_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                manifest_sha256,
                row["ags"],
                row["device_id"],
                row["epoch"],
                row["seq"],
                row["status"],
                row["period_start"],
                row["period_end"],
                row["received_at"],
                row["file_name"],
                row["file_sha256"],
                at,
                who,
                reason[:500],
                chain[0],
            ),
        )
        message = _(
            "Dropped by the ministry: this bundle is never imported and its figures never "
            "count. Reason: {why}"
        ).format(why=reason[:500])
        receipt = _receipt(
            ministry,
            manifest,
            manifest_sha256,
            status="rejected",
            reason_code=DROPPED,
            message=message,
            at=at,
            chain=chain,
        )
        _keep_receipt(store, manifest, manifest_sha256, "rejected", chain[0], receipt, at)
    # The file's pages are zeroed (secure_delete); the checkpoint takes them out of the WAL.
    if not store.checkpoint():
        message += " " + _(
            "Its encrypted file stays in the intake database's log until the program that "
            "holds the database (the upload server) is closed."
        )
    return IntakeResult(
        file_name=str(row["file_name"]),
        file_sha256=str(row["file_sha256"]),
        outcome=OUTCOME_REJECTED,
        reason_code=DROPPED,
        message=message,
        manifest_sha256=manifest_sha256,
        ags=manifest.municipality_ags,
        device_id=manifest.device_id,
        epoch=manifest.device_epoch,
        seq=manifest.seq,
        records=0,
        receipt=receipt,
    )
