"""The operator's decisions on held bundles, each one with a reason that stays on record.

The intake does not guess when a device's sequence breaks: a bundle after a gap, or of an
epoch the ministry has not seen, waits (``intake.py``; the table in ``verdict.py``) until
the missing bundle arrives or a person decides. This module is that person's side: list
what waits, confirm a new epoch, give up on missing bundles, drop a held bundle for good.
Each of these changes what counts, so none goes through without a reason; the reason is
kept (with the device's state, or in table ``dropped``), and a skip or a drop is an entry
of the intake chain.

A held bundle that can never be released (its key was revoked meanwhile, so it fails
verification at every release), or must not count, is dropped by the operator; its file
goes with it, while the drop's log entry and receipt stay. Imported bundles (the books) and
forks in quarantine (the evidence) are never dropped.
"""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass
from typing import Any

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.manifest import parse_manifest
from kisi_desktop.bundles.reasons import DROPPED
from kisi_desktop.ministry.intake import OUTCOME_REJECTED, IntakeResult, release_held
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.receipts import keep_receipt, sign_receipt
from kisi_desktop.ministry.store import IMPORTED, QUARANTINED_FORK


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
        return list(release_held(ministry, (ags, device_id, epoch)))


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
        return list(release_held(ministry, key))


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
    receipt (:func:`~kisi_desktop.ministry.intake.import_bundle`).

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
        receipt = sign_receipt(
            ministry,
            manifest,
            manifest_sha256,
            status="rejected",
            reason_code=DROPPED,
            message=message,
            at=at,
            chain=chain,
        )
        keep_receipt(store, manifest, manifest_sha256, "rejected", chain[0], receipt, at)
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
