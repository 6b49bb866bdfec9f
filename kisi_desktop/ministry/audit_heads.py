"""The audit head of a device's bundles must not go back within one epoch (SECURITY.md 6.1.6).

Every manifest names the head ``{seq, mac}`` of the vault's audit chain when the bundle
was made (``bundles/export.py``). The vault writes a ledger line after reading the head,
so each later bundle of the same vault names a later entry; the chain only grows. A
bundle that names an earlier entry than the last bundle the ministry imported from that
device and epoch, or the same entry with another MAC, comes from a history that was cut
short or rewritten after that bundle left: audit entries removed or the log rebuilt by
whoever holds the vault's keys, or an older copy of the vault file put back with the newer
bundle log carried over into it. The ministry's copy of the head is the anchor the laptop
cannot rewrite. (An older copy put back as it is shows earlier, as a ``fork``: its bundle
log rolled back with it, so its next bundle repeats a sequence number.)

Only bundles of one ``(AGS, device, epoch)`` are compared. A restore (``core/restore.py``)
or a copy onto another computer starts a new epoch on purpose: its history may
legitimately go back (a backup of last month), and the new epoch waits for the operator
or names a receipt of the old one (``new_epoch``).

Such a bundle is refused like a fork (``rejected``, never held for the operator to let
through): its figures come from a history that contradicts what the device already sent.
Unlike a fork it is not quarantined; the refusal leaves every table as it was, and the
rejection log keeps the file's and the manifest's hashes and the message.
"""

from __future__ import annotations

import hmac
import json

from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.manifest import Manifest
from kisi_desktop.bundles.reasons import AUDIT_ROLLBACK, Rejected
from kisi_desktop.ministry.store import IMPORTED, IntakeStore


def last_head(
    store: IntakeStore, ags: str, device_id: str, epoch: int
) -> tuple[int, int, str] | None:
    """``(bundle seq, audit seq, audit mac)`` of the device epoch's newest imported bundle.

    Read from the manifest the intake stored when it imported that bundle (already
    verified then); None before the epoch's first import.
    """
    row = store.one(
        "SELECT seq, manifest FROM bundles WHERE ags = ? AND device_id = ? AND epoch = ? "
        "AND status = ? ORDER BY seq DESC LIMIT 1",
        (ags, device_id, epoch, IMPORTED),
    )
    if row is None:
        return None
    head = json.loads(row["manifest"])["audit_head"]
    return int(row["seq"]), int(head["seq"]), str(head["mac"])


def check_not_behind(store: IntakeStore, manifest: Manifest) -> None:
    """Refuse a bundle whose audit head lies behind the last imported one of its epoch.

    Raises:
        Rejected: ``audit_rollback``.
    """
    last = last_head(store, manifest.municipality_ags, manifest.device_id, manifest.device_epoch)
    if last is None:
        return
    last_bundle, last_seq, last_mac = last
    got_seq, got_mac = manifest.audit_head_seq, manifest.audit_head_mac
    where = {
        "seq": manifest.seq,
        "device": manifest.device_id,
        "ags": manifest.municipality_ags,
        "got": got_seq,
        "last_bundle": last_bundle,
    }
    if got_seq < last_seq:
        raise Rejected(
            AUDIT_ROLLBACK,
            _(
                "Bundle {seq} of device {device} ({ags}) was made at audit entry {got}, but "
                "bundle {last_bundle} already reached entry {last}: the device's audit log "
                "went back (cut short, or the vault put back from an older copy)."
            ).format(**where, last=last_seq),
        )
    if got_seq == last_seq and not hmac.compare_digest(got_mac, last_mac):
        raise Rejected(
            AUDIT_ROLLBACK,
            _(
                "Bundle {seq} of device {device} ({ags}) names audit entry {got} with "
                "another value than bundle {last_bundle} did: the device's audit log was "
                "rewritten."
            ).format(**where),
        )
