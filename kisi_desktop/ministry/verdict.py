"""Judge one bundle before the intake writes anything: is it genuine, and where does it fit?

Judging apart from writing keeps SECURITY.md's order visible (nothing in a bundle is believed
before its signature is, and the replay state is not looked at before the bundle's own
checks have passed) and lets a held bundle be judged again, from its stored file, when it
is released.

:func:`verify` is the part that needs no replay state, only the registry:
:func:`~kisi_desktop.bundles.bundle_reader.open_bundle` does steps 1-6 and 8 of SECURITY.md's
"Ministry verification order" (size, decryption, ZIP, signature with the registered key,
strict manifest, recipient binding, every data file against the manifest); then come the
registry's own checks (the profile the municipality is registered with) and the bundle's
dates against the ministry's clock (``future_time``).

:func:`decide` is step 7, replay and order. The intake keeps ``(last_seq,
last_manifest_sha256)`` per (AGS, device, epoch); :func:`decide` reads it under the write
lock and answers as SECURITY.md's anti-replay table says. ``intake.py`` carries the answer
out, ``held.py`` is the operator's part:

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
                                         (``held.skip_gap``, with a logged reason)
an epoch the ministry has not seen for   ``new_epoch``: held until the operator
a known device (or epoch > 1 of a new    confirms it (``held.confirm_epoch``),
device)                                  unless its ``epoch_start`` names a receipt
                                         this ministry issued to that device
in order or after a gap, but its         ``audit_rollback``: refused like a fork
``audit_head`` lies behind the last      (receipt "rejected: audit_rollback"), not
imported bundle of its device epoch      quarantined, nothing stored; a held bundle
(same entry: another MAC)                found so at its release stays held
                                         (``audit_heads.py``)
the operator drops a held bundle         removed with its file, and the reason
(``gap`` or ``new_epoch``;               logged; receipt "rejected: dropped". The
``held.drop_held``)                      sequence does not move and nothing is
                                         released: bundles after it stay held, as
                                         for any missing bundle, until the operator
                                         gives up on it (``held.skip_gap``).
                                         Imported bundles (the books) and forks
                                         (the evidence) are never dropped
=======================================  =========================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.bundle_reader import OpenedBundle, open_bundle
from kisi_desktop.bundles.limits import MAX_BUNDLE_FILE
from kisi_desktop.bundles.manifest import Manifest
from kisi_desktop.bundles.minisign import PublicKey
from kisi_desktop.bundles.reasons import (
    OVERSIZED,
    UNKNOWN_MUNICIPALITY,
    UNSUPPORTED_VERSION,
    Rejected,
)
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.plausibility import check_times
from kisi_desktop.ministry.store import IMPORTED, QUARANTINED_FORK


@dataclass(frozen=True, slots=True)
class Verified:
    """A bundle that passed every check that needs no intake state, opened."""

    opened: OpenedBundle
    manifest: Manifest
    manifest_sha256: str
    records: int


# -- verification (steps 1-6, 8 and the registry's checks) -----------------------------------


def verify(ministry: Ministry, data: bytes) -> Verified:
    """Open and check one bundle file; raises Rejected with the first reason found."""
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
    # is checked under the write lock, in intake.py: the device's binding is intake state.
    records = sum(len(rows) for rows in opened.files.values())
    return Verified(opened, manifest, opened.manifest_sha256, records)


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
class Decision:
    """Where step 7 puts a bundle; ``detail`` says why, for a fork or a gap."""

    # "import", "duplicate", "held_again", "fork_again", "dropped_again", "fork", "gap",
    # "new_epoch"
    kind: str
    detail: str = ""
    existing: Mapping[str, Any] | None = None


def decide(ministry: Ministry, manifest: Manifest, manifest_sha256: str) -> Decision:
    """SECURITY.md's anti-replay table, read under the write lock."""
    store = ministry.store
    known = store.one("SELECT * FROM bundles WHERE manifest_sha256 = ?", (manifest_sha256,))
    if known is not None:
        status = known["status"]
        if status == IMPORTED:
            return Decision("duplicate", existing=known)
        if status == QUARANTINED_FORK:
            return Decision("fork_again", existing=known)
        return Decision("held_again", existing=known)
    if store.one("SELECT 1 FROM dropped WHERE manifest_sha256 = ?", (manifest_sha256,)):
        return Decision("dropped_again")
    key = (manifest.municipality_ags, manifest.device_id, manifest.device_epoch)
    # A dropped bundle used up its number (drop_held): another manifest under it is a fork,
    # even in an epoch still waiting for confirmation (or it could be let in with the epoch).
    if store.one(
        "SELECT 1 FROM dropped WHERE ags = ? AND device_id = ? AND epoch = ? AND seq = ?",
        (*key, manifest.seq),
    ):
        return Decision(
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
            return Decision("new_epoch")
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
        return Decision(
            "fork",
            _("sequence number {seq} was already received with other content").format(
                seq=manifest.seq
            ),
        )
    if manifest.seq == last_seq + 1:
        if manifest.prev_manifest_sha256 != last_hash:
            return Decision(
                "fork",
                _("bundle {seq} does not continue from the bundle before it").format(
                    seq=manifest.seq
                ),
            )
        return Decision("import")
    return Decision(
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
