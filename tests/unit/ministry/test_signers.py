"""One device, one key: a laptop's key cannot sign in another laptop's name (ministry/signers.py).

Two guides of one municipality each register their laptop's key; the signature's key id
picks which one checks a bundle. These tests are about what that alone let through: one
laptop's key continuing (or forking) the other laptop's sequence, and a manifest naming a
signing key other than the one that signed it.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kisi_desktop.bundles import minisign
from kisi_desktop.bundles.reasons import BAD_SIGNATURE, REVOKED_KEY, WRONG_DEVICE_KEY
from kisi_desktop.ministry import registry, signers
from kisi_desktop.ministry.held import held_bundles
from kisi_desktop.ministry.intake import import_bundle
from kisi_desktop.ministry.keys import DATABASE_FILE, Ministry
from kisi_desktop.ministry.store import IntakeStore

from .conftest import Device, refused


def second_laptop(ministry: Ministry, first: Device) -> Device:
    """Another guide's laptop of the same municipality, its key registered with --add-device."""
    other = Device(first.ags)
    registry.add_device_key(ministry, first.ags, other.public.text())
    return other


def test_another_laptops_key_cannot_sign_as_a_known_device(
    ministry: Ministry, device: Device
) -> None:
    laptop_b = second_laptop(ministry, device)
    to = [ministry.recipient]
    assert import_bundle(ministry, device.bundle(to), "a1.kisi").outcome == "imported"
    b_key = (laptop_b.private, laptop_b.key_id)
    # B's key signs "bundle 2 of laptop A", the manifest naming A's key (the demo of the
    # review) or B's own: both refused with their own code, nothing changed but the log.
    as_a = device.bundle(to, signer=b_key, remember=False)
    result = refused(ministry, as_a, WRONG_DEVICE_KEY)
    assert laptop_b.public.key_id_hex() in result.message
    assert device.public.key_id_hex() in result.message
    b_id = laptop_b.public.key_id_hex()
    naming_b = device.bundle(to, signer=b_key, remember=False, signer_key_id=b_id)
    refused(ministry, naming_b, WRONG_DEVICE_KEY)
    # A gap or a fork in A's name is refused the same way, not held or quarantined.
    refused(ministry, device.bundle(to, seq=5, signer=b_key, remember=False), WRONG_DEVICE_KEY)
    refused(ministry, device.bundle(to, seq=1, signer=b_key, remember=False), WRONG_DEVICE_KEY)
    assert held_bundles(ministry) == []
    # Both laptops go on as before: A's own bundle 2 is no fork, B counts for the town.
    assert import_bundle(ministry, device.bundle(to), "a2.kisi").seq == 2
    assert import_bundle(ministry, laptop_b.bundle(to), "b1.kisi").outcome == "imported"
    assert signers.bound_key(ministry.store, device.ags, device.device_id) == (
        device.public.key_id_hex()
    )
    assert signers.bound_key(ministry.store, device.ags, laptop_b.device_id) == (
        laptop_b.public.key_id_hex()
    )


def test_the_manifest_must_name_the_key_that_signed_it(ministry: Ministry, device: Device) -> None:
    laptop_b = second_laptop(ministry, device)
    # A new device (nothing bound yet) signing with B's key while naming A's.
    newcomer = Device(device.ags, private=laptop_b.private, key_id=laptop_b.key_id)
    a_id = device.public.key_id_hex()
    lying = newcomer.bundle([ministry.recipient], remember=False, signer_key_id=a_id)
    result = refused(ministry, lying, BAD_SIGNATURE)
    assert "names signing key" in result.message
    assert signers.bound_key(ministry.store, device.ags, newcomer.device_id) is None


def test_a_held_bundle_binds_its_device_too(ministry: Ministry, device: Device) -> None:
    laptop_b = second_laptop(ministry, device)
    to = [ministry.recipient]
    laptop_b.bundle(to, remember=True)  # bundle 1 lost on the way
    assert import_bundle(ministry, laptop_b.bundle(to), "b2.kisi").outcome == "held"
    # A's key cannot now supply B's missing bundle 1.
    impostor = Device(device.ags, device.private, device.key_id, laptop_b.device_id)
    refused(ministry, impostor.bundle(to, remember=False), WRONG_DEVICE_KEY)
    assert [h.seq for h in held_bundles(ministry)] == [2]


def test_a_replaced_key_takes_its_devices_along(ministry: Ministry, device: Device) -> None:
    """Key rotation as the registry has it: ``register --replace`` with the new key."""
    to = [ministry.recipient]
    import_bundle(ministry, device.bundle(to), "1")
    old = (device.private, device.key_id)
    device.private, device.key_id = Ed25519PrivateKey.generate(), minisign.new_key_id()
    registry.register(
        ministry, ags=device.ags, name="Kirchhain", key=device.public.text(), replace=True
    )
    # The old key is refused as before (it is no longer registered) ...
    refused(ministry, device.bundle(to, signer=old, remember=False), BAD_SIGNATURE)
    # ... and the device goes on with its successor.
    assert import_bundle(ministry, device.bundle(to), "2").seq == 2
    assert signers.bound_key(ministry.store, device.ags, device.device_id) == (
        device.public.key_id_hex()
    )


def test_a_revoked_laptop_key_stays_refused_and_no_other_key_takes_over(
    ministry: Ministry, device: Device
) -> None:
    laptop_b = second_laptop(ministry, device)
    to = [ministry.recipient]
    import_bundle(ministry, laptop_b.bundle(to), "b1")
    registry.revoke_device_key(ministry, device.ags, laptop_b.public.key_id_hex())
    refused(ministry, laptop_b.bundle(to, remember=False), BAD_SIGNATURE)  # as before
    a_key = (device.private, device.key_id)
    refused(ministry, laptop_b.bundle(to, signer=a_key, remember=False), WRONG_DEVICE_KEY)
    # Revoking the municipality still answers revoked_key first.
    registry.revoke(ministry, device.ags)
    refused(ministry, laptop_b.bundle(to, signer=a_key, remember=False), REVOKED_KEY)


def test_an_older_intake_database_binds_its_devices_when_opened(
    ministry: Ministry, device: Device
) -> None:
    """Migration m004: each device is bound to the key its first imported bundle names."""
    laptop_b = second_laptop(ministry, device)
    to = [ministry.recipient]
    import_bundle(ministry, device.bundle(to), "a1")
    import_bundle(ministry, laptop_b.bundle(to), "b1")
    conn = ministry.store.conn
    conn.execute("DROP TABLE device_signers")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_device_signers'")
    reopened = IntakeStore.open(ministry.path / DATABASE_FILE)  # brings it up to date
    try:
        assert signers.bound_key(reopened, device.ags, device.device_id) == (
            device.public.key_id_hex()
        )
        assert signers.bound_key(reopened, device.ags, laptop_b.device_id) == (
            laptop_b.public.key_id_hex()
        )
    finally:
        reopened.close()
    b_key = (laptop_b.private, laptop_b.key_id)
    refused(ministry, device.bundle(to, signer=b_key, remember=False), WRONG_DEVICE_KEY)


def test_an_older_intake_database_whose_town_replaced_its_key_keeps_taking_its_bundles(
    ministry: Ministry, device: Device
) -> None:
    """m004 binds from the newest bundle signed by a key registered today: a key replaced
    before the upgrade bound the device to it, and every later bundle was refused."""
    to = [ministry.recipient]
    assert import_bundle(ministry, device.bundle(to), "a1").outcome == "imported"
    new = Device(device.ags)
    registry.register(ministry, ags=device.ags, name="Kirchhain", key=new.public.text(),
                      replace=True)  # fmt: skip
    conn = ministry.store.conn
    conn.execute("DROP TABLE device_signers")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_device_signers'")
    reopened = IntakeStore.open(ministry.path / DATABASE_FILE)
    try:
        assert signers.bound_key(reopened, device.ags, device.device_id) is None
    finally:
        reopened.close()
    signed = device.bundle(to, signer=(new.private, new.key_id),
                           signer_key_id=new.public.key_id_hex())  # fmt: skip
    assert import_bundle(ministry, signed, "a2").outcome == "imported"
