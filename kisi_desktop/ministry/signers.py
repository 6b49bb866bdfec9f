"""Which key signs for which device: bound by its first bundle, checked on every later one.

A municipality may register several keys (one per laptop, ``registry.add_device_key``),
and the signature's own key id picks among them. That alone would let one laptop's key
sign bundles in another laptop's name, continue its sequence or fork it. A vault keeps its
key and its device id together for life (a restore keeps both and starts a new epoch,
``bundles/keys.py``), so the ministry holds each device to one key:

* the manifest's ``signer_key_id`` must be the key the signature verified with
  (``bad_signature`` otherwise);
* registration names keys, not devices, so a device is bound to the key of the first of
  its bundles the ministry takes into its books (imported, held or quarantined); a later
  bundle of that device signed by another registered key is ``wrong_device_key``;
* a key replaced in the registry (``register --replace``, the out-of-band re-registration
  SECURITY.md names for key rotation) takes its devices along: the operator said which
  key follows which. Revoked keys stay bound; their bundles are refused as before
  (``revoked_key`` or ``bad_signature``), and another laptop's key cannot take over.

Every check runs inside the import's write transaction, so two first bundles of one device
arriving at once cannot both bind it; a refusal rolls the binding back with everything else.
"""

from __future__ import annotations

from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.manifest import Manifest
from kisi_desktop.bundles.reasons import BAD_SIGNATURE, WRONG_DEVICE_KEY, Rejected
from kisi_desktop.ministry.store import IntakeStore


def bound_key(store: IntakeStore, ags: str, device_id: str) -> str | None:
    """The key id the device is bound to, or None before its first bundle."""
    row = store.one(
        "SELECT key_id FROM device_signers WHERE ags = ? AND device_id = ?", (ags, device_id)
    )
    return None if row is None else str(row["key_id"])


def check_signer(store: IntakeStore, manifest: Manifest, signed_by: str) -> None:
    """Refuse a bundle signed by another key than its device's, or than its manifest names.

    ``signed_by`` is the id of the registered key the signature verified with. The
    device's key is checked first: the manifest is the signer's own statement, and a
    bundle in another device's name is ``wrong_device_key`` whatever key it names.

    Raises:
        Rejected: ``wrong_device_key`` or ``bad_signature``.
    """
    bound = bound_key(store, manifest.municipality_ags, manifest.device_id)
    if bound is not None and bound != signed_by:
        raise Rejected(
            WRONG_DEVICE_KEY,
            _(
                "Device {device} of {ags} signs with key {bound}; this bundle is signed with "
                "key {found}, which belongs to another device."
            ).format(
                device=manifest.device_id,
                ags=manifest.municipality_ags,
                bound=bound,
                found=signed_by,
            ),
        )
    if manifest.signer_key_id != signed_by:
        raise Rejected(
            BAD_SIGNATURE,
            _(
                "The manifest names signing key {named}, but the bundle is signed with {found}."
            ).format(named=manifest.signer_key_id, found=signed_by),
        )


def bind(store: IntakeStore, manifest: Manifest, signed_by: str, at: str) -> None:
    """Bind the device to ``signed_by`` unless it is bound already (inside a transaction).

    Call it after :func:`check_signer` held, where the bundle enters the books.
    """
    store.conn.execute(
        "INSERT INTO device_signers (ags, device_id, key_id, bound_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (ags, device_id) DO NOTHING",
        (manifest.municipality_ags, manifest.device_id, signed_by, at),
    )


def follow_replacement(store: IntakeStore, ags: str, old_key_id: str, new_key_id: str) -> None:
    """Devices bound to a key the registry replaces are bound to its successor.

    Inside the registry's transaction: the operator registering a new key for the
    municipality is the statement that it replaces the old one (SECURITY.md, "Municipal
    key rotation").
    """
    store.conn.execute(
        "UPDATE device_signers SET key_id = ? WHERE ags = ? AND key_id = ?",
        (new_key_id, ags, old_key_id),
    )
