"""Bundle intake: verify, order, check, import in one transaction, answer with a signed receipt.

The verification order is SECURITY.md's ("Ministry verification order"). ``verdict.py``
judges a bundle before any intake state is written: steps 1-6 and 8, the registry's own
checks, the bundle's dates, and step 7's decision (replay and order, with its table). This
module does the rest under the write lock: the signer's check (``signers.py``: the
manifest's key id is the key that signed, and the key the device signed with before), the
audit head against the device's last bundle (``audit_heads.py``, still step 7), step 9
(plausibility) and step 10 (store and receipt); and it carries out what step 7 decided:
import, hold, quarantine, or answer a copy with the receipt it had.

A refused file (any step) leaves every table as it was; only the rejection log gets a line,
written after the import transaction was rolled back. It still gets a signed receipt
"rejected" with the reason code (``receipts.py``).

Held and quarantined bundles keep their encrypted file in the database: a held bundle is
verified again, from the file, when it is released (a key revoked meanwhile is respected).
What the operator decides about held bundles is ``held.py``; the release it may set off is
here.

Longer than the usual 400 lines because holding, importing and releasing are one flow: an
import releases the held bundles that now follow on, and a release is the import of a held
file (or its quarantine as a fork). Apart, the two halves would import each other.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kisi_desktop.core import crashpoints
from kisi_desktop.core.files import read_limited
from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.limits import MAX_BUNDLE_FILE
from kisi_desktop.bundles.manifest import sha256_hex
from kisi_desktop.bundles.reasons import (
    DROPPED,
    DUPLICATE,
    FORK,
    GAP,
    NEW_EPOCH,
    OVERSIZED,
    Rejected,
)
from kisi_desktop.ministry import audit_heads, signers
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.plausibility import check_plausible
from kisi_desktop.ministry.receipts import keep_receipt, sign_receipt, stored_receipt
from kisi_desktop.ministry.store import (
    HELD_EPOCH,
    HELD_GAP,
    IMPORTED,
    QUARANTINED_FORK,
    IntakeStore,
    kept_file_name,
)
from kisi_desktop.ministry.verdict import Verified, decide, verify

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
    ``file_name`` is the name the ministry keeps (``store.kept_file_name``): the bundle's
    own, or a hash label for a file named otherwise; the receipt is named after it.
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
    detail: str = ""
    """For a refused file whose message is in plain words, the reader's technical account
    (``Rejected.detail``): the rejection log keeps it, the clerk reads ``message``."""

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


# -- step 10: writing ----------------------------------------------------------------------------


def _insert_bundle(
    store: IntakeStore,
    v: Verified,
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
            file_name,
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


def _import(
    ministry: Ministry, v: Verified, *, file_name: str, file_sha256: str, at: str
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
    receipt = sign_receipt(
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
    keep_receipt(store, m, v.manifest_sha256, "imported", chain[0], receipt, at)
    return _result(file_name, file_sha256, OUTCOME_IMPORTED, None, message, v, receipt)


def _hold(
    ministry: Ministry,
    v: Verified,
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
    v: Verified | None,
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
    v: Verified,
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
    receipt = sign_receipt(
        ministry,
        m,
        v.manifest_sha256,
        status="rejected",
        reason_code=FORK,
        message=message,
        at=at,
        chain=chain,
    )
    keep_receipt(ministry.store, m, v.manifest_sha256, "rejected", chain[0], receipt, at)
    return _result(file_name, file_sha256, OUTCOME_REJECTED, FORK, message, v, receipt)


def release_held(ministry: Ministry, key: tuple[str, str, int]) -> tuple[IntakeResult, ...]:
    """Import the held bundles of one device epoch that now follow on, in order.

    Runs inside the transaction of the import (or the operator's decision, ``held.py``)
    that let them through.
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
            v = verify(ministry, data)
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
    # From here on the file is known by this name only: the log, the books, the receipt's
    # file name and whatever the caller shows (a name that is not a bundle's may be a
    # person's).
    file_name = kept_file_name(file_name, file_sha256)
    at = ministry.now()
    verified: Verified | None = None
    try:
        verified = verify(ministry, data)
        with ministry.store.transaction():
            result = _apply(ministry, verified, data, file_name, file_sha256, at)
    except Rejected as error:
        return _reject(ministry, error, verified, file_name, file_sha256, at)
    # Committed, the receipt not yet handed to anyone (written to a file or sent back by
    # the caller): a crash here leaves the import in the books, and the same file again
    # finds it there (duplicate, with the stored receipt; or held again) - never twice.
    crashpoints.reached("ministry.import.committed")
    return result


def _apply(
    ministry: Ministry, v: Verified, data: bytes, file_name: str, file_sha256: str, at: str
) -> IntakeResult:
    """The signer's binding, steps 7, 9 and 10 inside the write transaction."""
    m = v.manifest
    signers.check_signer(ministry.store, m, v.opened.signed_by)
    decision = decide(ministry, m, v.manifest_sha256)
    if decision.kind == "duplicate":
        message = _(
            "Already imported (bundle {seq} of {ags}); the original receipt is issued again."
        ).format(seq=m.seq, ags=m.municipality_ags)
        receipt = stored_receipt(ministry, v.manifest_sha256)
        return _result(file_name, file_sha256, OUTCOME_DUPLICATE, DUPLICATE, message, v, receipt)
    if decision.kind == "fork_again":
        message = _("Already in quarantine as a fork (bundle {seq} of {ags}).").format(
            seq=m.seq, ags=m.municipality_ags
        )
        receipt = stored_receipt(ministry, v.manifest_sha256)
        return _result(file_name, file_sha256, OUTCOME_REJECTED, FORK, message, v, receipt)
    if decision.kind == "dropped_again":
        message = _(
            "Already dropped by the operator (bundle {seq} of {ags}); the receipt is issued again."
        ).format(seq=m.seq, ags=m.municipality_ags)
        receipt = stored_receipt(ministry, v.manifest_sha256)
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
                # (Not "when they arrive": most often one bundle is missing.)
                message = _(
                    "Held: {detail}. It is imported by itself once the gap is filled."
                ).format(detail=decision.detail)
            else:
                message = _(
                    "Held: device {device} of {ags} starts epoch {epoch}; "
                    "an operator must confirm it."
                ).format(device=m.device_id, ags=m.municipality_ags, epoch=m.device_epoch)
        receipt = sign_receipt(
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
    return replace(result, released=release_held(ministry, key))


def _reject(
    ministry: Ministry,
    error: Rejected,
    v: Verified | None,
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
        file_name=file_name,
        file_sha256=file_sha256,
        reason_code=error.code,
        message=(f"{error} [{error.detail}]" if error.detail else str(error))[:1000],
        ags=m.municipality_ags if m else None,
        manifest_sha256=manifest_sha256,
    )
    receipt = sign_receipt(
        ministry,
        m,
        manifest_sha256,
        status="rejected",
        reason_code=error.code,
        message=str(error),
        at=at,
    )
    result = _result(file_name, file_sha256, OUTCOME_REJECTED, error.code, str(error), v, receipt)
    return replace(result, detail=error.detail)


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
        # Not read, so not hashed: the log keeps its size (or its bundle name) instead.
        name = kept_file_name(path.name, "-", size)
        return _reject(ministry, error, None, name, "-", ministry.now())
    # The size said is not trusted: the file may have grown, or be a device (read_limited).
    data = read_limited(path, MAX_BUNDLE_FILE)
    if len(data) > MAX_BUNDLE_FILE:
        error = Rejected(
            OVERSIZED, _("The bundle is more than the 64 MiB allowed; it was not read to its end.")
        )
        name = kept_file_name(path.name, "-", len(data))
        return _reject(ministry, error, None, name, "-", ministry.now())
    return import_bundle(ministry, data, path.name)
