"""Argon2id: the RFC 9106 known answer (K2), the app's own answer, the production floor (K1)."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from kisi_desktop.core.vault.kdf import FLOOR, TEST_PARAMS, KdfParams, calibrate, derive_kek

from tests.support.vectors import load_vector


def test_argon2id_matches_the_rfc_9106_test_vector() -> None:
    """The primitive under the vault is the Argon2id of the RFC, with secret and ad."""
    vector = load_vector("argon2id")["rfc9106_5_3"]
    kdf = Argon2id(
        salt=bytes.fromhex(vector["salt_hex"]),
        length=vector["length"],
        iterations=vector["t"],
        lanes=vector["p"],
        memory_cost=vector["m_kib"],
        ad=bytes.fromhex(vector["ad_hex"]),
        secret=bytes.fromhex(vector["secret_hex"]),
    )
    tag = kdf.derive(bytes.fromhex(vector["password_hex"]))
    assert tag.hex() == "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
    assert tag.hex() == vector["tag_hex"]


def test_the_apps_passphrase_key_is_pinned() -> None:
    """A passphrase must give the same key in every release, or old vaults stop opening."""
    vector = load_vector("argon2id")["app_derive_kek"]
    params = KdfParams.from_json(vector["params_json"])
    kek = derive_kek(
        vector["passphrase_utf8"].encode("utf-8"),
        bytes.fromhex(vector["salt_hex"]),
        params,
        bytes.fromhex(vector["ad_hex"]),
    )
    assert kek.hex() == vector["kek_hex"]
    # The vault id is Argon2 associated data: another vault, another key.
    other = derive_kek(
        vector["passphrase_utf8"].encode("utf-8"),
        bytes.fromhex(vector["salt_hex"]),
        params,
        b"\x12" * 16,
    )
    assert other != kek


def test_calibration_never_goes_below_the_floor() -> None:
    """K1: production parameters are at least m = 64 MiB, t = 3 on any machine."""
    # Even a machine (or a caller) that wants a quicker unlock gets the floor.
    for params in (calibrate(), calibrate(target_seconds=0.01, max_seconds=0.02)):
        assert params.memory_kib >= 64 * 1024
        assert params.iterations >= 3
        assert params.lanes >= 1
        assert params.meets_floor()
    assert FLOOR.memory_kib == 64 * 1024 and FLOOR.iterations == 3


def test_test_parameters_are_recognised_as_below_the_floor() -> None:
    """The weak test parameters are never mistaken for production ones."""
    assert not TEST_PARAMS.meets_floor()
    assert not KdfParams(memory_kib=64 * 1024, iterations=2).meets_floor()
    assert not KdfParams(memory_kib=64 * 1024 - 1, iterations=10).meets_floor()


def test_parameters_round_trip_through_their_stored_form() -> None:
    params = KdfParams(memory_kib=65536, iterations=7, lanes=2)
    text = params.to_json()
    assert json.loads(text) == {"alg": "argon2id", "m": 65536, "t": 7, "p": 2}
    assert KdfParams.from_json(text) == params


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        "1",
        "null",
        '"argon2id"',
        "{}",
        '{"alg":"scrypt","m":1024,"t":1,"p":1}',
        '{"alg":"argon2id","m":1024,"t":1}',
        '{"alg":"argon2id","m":"1024","t":1,"p":1}',
        '{"alg":"argon2id","m":1024,"t":true,"p":1}',
        '{"alg":"argon2id","m":1024.0,"t":1,"p":1}',
        '{"alg":"argon2id","m":4,"t":1,"p":1}',
        '{"alg":"argon2id","m":99999999999,"t":1,"p":1}',
        '{"alg":"argon2id","m":1024,"t":0,"p":1}',
        '{"alg":"argon2id","m":1024,"t":100000,"p":1}',
        '{"alg":"argon2id","m":1024,"t":1,"p":0}',
        "not json",
    ],
)
def test_a_damaged_parameter_text_is_refused_as_such(text: str) -> None:
    """A hostile slot can neither crash the app nor make it allocate absurd memory."""
    with pytest.raises((ValueError, KeyError)):
        KdfParams.from_json(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"alg":"argon2id","m":4194304,"p":1,"t":3}',
        '{"alg":"argon2id","m":65536,"p":1,"t":1000}',
        '{"alg":"argon2id","m":65536,"p":64,"t":3}',
    ],
)
def test_a_slot_asking_for_hours_or_gigabytes_is_refused_before_deriving(text: str) -> None:
    with pytest.raises(ValueError):
        KdfParams.from_json(text)
