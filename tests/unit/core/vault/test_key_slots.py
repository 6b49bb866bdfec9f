"""Key slots and wrapped keys: the right secret opens, anything moved or altered does not."""

from __future__ import annotations

import dataclasses

import pytest

from kisi_desktop.core.errors import SealBroken, WeakPassphrase, WrongSecret
from kisi_desktop.core.vault import keys, recovery, subkeys
from kisi_desktop.core.vault.kdf import TEST_PARAMS, KdfParams

from tests.support.vectors import load_vector

VAULT_ID = b"\x11" * 16
VMK = bytes(range(32))


def test_subkey_labels_are_pinned() -> None:
    """Audit keys derived from the master key must stay the same in every release."""
    vector = load_vector("subkeys")
    root = bytes.fromhex(vector["root_hex"])
    for case in vector["subkeys"]:
        salt = bytes.fromhex(case["salt_hex"]) if case["salt_hex"] else None
        assert subkeys.derive_subkey(root, case["label"], salt=salt).hex() == case["key_hex"]
    derived = {
        subkeys.derive_subkey(root, label)
        for label in (subkeys.AUDIT_MAC, subkeys.AUDIT_SEAL, subkeys.RECOVERY_KEK)
    }
    assert len(derived) == 3


@pytest.mark.parametrize("passphrase", ["", "short", "123456789", "ሰላምሰላምሰላ"])
def test_passphrases_under_ten_characters_are_refused(passphrase: str) -> None:
    with pytest.raises(WeakPassphrase) as info:
        keys.check_passphrase(passphrase)
    assert "10" in str(info.value)


@pytest.mark.parametrize("passphrase", ["0123456789", "ሰላምሰላምሰላምሰ", "Ausländer!1"])
def test_ten_characters_are_enough_in_any_script(passphrase: str) -> None:
    """Length counts characters, not bytes: a Tigrinya passphrase is not penalised or favoured."""
    assert keys.check_passphrase(passphrase) == passphrase.encode("utf-8")


def test_passphrase_slot_opens_only_with_its_passphrase() -> None:
    slot = keys.make_slot(
        "passphrase", "passphrase", b"richtig-lang-genug", VMK, VAULT_ID, TEST_PARAMS
    )
    assert KdfParams.from_json(slot.kdf) == TEST_PARAMS
    assert keys.open_slot(slot, b"richtig-lang-genug", VAULT_ID) == VMK
    with pytest.raises(WrongSecret):
        keys.open_slot(slot, b"richtig-lang-genuG", VAULT_ID)


def test_recovery_slot_opens_only_with_its_code() -> None:
    secret = recovery.generate()
    slot = keys.make_slot("recovery", "recovery", secret, VMK, VAULT_ID, None)
    assert slot.kdf == "hkdf-sha256"
    assert keys.open_slot(slot, secret, VAULT_ID) == VMK
    with pytest.raises(WrongSecret):
        keys.open_slot(slot, recovery.generate(), VAULT_ID)


def test_every_slot_gets_a_fresh_salt_and_wrap() -> None:
    a = keys.make_slot(
        "passphrase", "passphrase", b"richtig-lang-genug", VMK, VAULT_ID, TEST_PARAMS
    )
    b = keys.make_slot(
        "passphrase", "passphrase", b"richtig-lang-genug", VMK, VAULT_ID, TEST_PARAMS
    )
    assert a.salt != b.salt
    assert a.wrapped != b.wrapped


@pytest.mark.parametrize(
    "change",
    [
        {"slot_id": "recovery"},
        {"kdf": KdfParams(memory_kib=2048, iterations=1).to_json()},
        {"salt": b"\x00" * 16},
    ],
    ids=["slot_id", "kdf", "salt"],
)
def test_an_altered_slot_header_does_not_open(change: dict[str, object]) -> None:
    """The slot's AAD covers its id, kind and parameters: editing any of them fails."""
    slot = keys.make_slot(
        "passphrase", "passphrase", b"richtig-lang-genug", VMK, VAULT_ID, TEST_PARAMS
    )
    altered = dataclasses.replace(slot, **change)  # type: ignore[arg-type]
    with pytest.raises(WrongSecret):
        keys.open_slot(altered, b"richtig-lang-genug", VAULT_ID)


def test_a_slot_copied_into_another_vault_does_not_open() -> None:
    slot = keys.make_slot(
        "passphrase", "passphrase", b"richtig-lang-genug", VMK, VAULT_ID, TEST_PARAMS
    )
    with pytest.raises(WrongSecret):
        keys.open_slot(slot, b"richtig-lang-genug", b"\x22" * 16)


@pytest.mark.parametrize("kdf", ["[]", "{}", "nonsense", '{"alg":"argon2id","m":1,"t":1,"p":1}'])
def test_a_slot_with_damaged_parameters_is_reported_as_damaged(kdf: str) -> None:
    """Never a traceback: SealBroken, which the vault turns into VaultCorrupt."""
    slot = keys.make_slot(
        "passphrase", "passphrase", b"richtig-lang-genug", VMK, VAULT_ID, TEST_PARAMS
    )
    with pytest.raises(SealBroken):
        keys.open_slot(dataclasses.replace(slot, kdf=kdf), b"richtig-lang-genug", VAULT_ID)


@pytest.mark.parametrize(
    ("role", "key_ref", "vault_id"),
    [("person", "d1-aa", VAULT_ID), ("data", "d2-aa", VAULT_ID), ("data", "d1-aa", b"\x22" * 16)],
    ids=["other-role", "other-ref", "other-vault"],
)
def test_a_wrapped_key_is_bound_to_its_role_ref_and_vault(
    role: str, key_ref: str, vault_id: bytes
) -> None:
    wrapped = keys.wrap_key(VMK, b"\x33" * 32, "data", "d1-aa", VAULT_ID)
    assert keys.unwrap_key(VMK, wrapped, "data", "d1-aa", VAULT_ID) == b"\x33" * 32
    with pytest.raises(SealBroken):
        keys.unwrap_key(VMK, wrapped, role, key_ref, vault_id)
