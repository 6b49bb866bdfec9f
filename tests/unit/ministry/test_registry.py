"""The registry: one key per municipality, entered once, replaced or revoked on purpose."""

from __future__ import annotations

import pytest

from kisi_desktop.core.errors import UserError, ValidationError

from kisi_desktop.bundles.reasons import REVOKED_KEY, UNKNOWN_MUNICIPALITY, Rejected
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.keys import Ministry

from .conftest import Device


def test_register_accepts_the_key_file_or_its_line(ministry: Ministry) -> None:
    a, b = Device("06534011"), Device("06534012")
    town = registry.register(ministry, ags="06534011", name="  Kirchhain ", key=a.public.text())
    assert (town.ags, town.name, town.key_id, town.profile) == (
        "06534011", "Kirchhain", a.public.key_id_hex(), "p1",
    )  # fmt: skip
    registry.register(ministry, ags="06534012", name="Marburg", key=b.public.base64())
    assert [m.ags for m in registry.municipalities(ministry)] == ["06534011", "06534012"]
    assert registry.key_for(ministry, "06534012") == b.public


@pytest.mark.parametrize(
    ("ags", "name", "key", "field"),
    [
        ("0653401", "X", None, "ags"),
        ("06534O11", "X", None, "ags"),
        ("06534011", "", None, "municipality"),
        ("06534011", "A\x00B", None, "municipality"),
        ("06534011", "X", "not a key", "key"),
    ],
)
def test_register_refuses_bad_values(
    ministry: Ministry, ags: str, name: str, key: str | None, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        registry.register(ministry, ags=ags, name=name, key=key or Device(ags).public.text())
    assert error.value.field == field
    assert registry.municipalities(ministry) == []


def test_a_second_registration_needs_replace_and_keeps_the_history(ministry: Ministry) -> None:
    old, new = Device("06534011"), Device("06534011")
    registry.register(ministry, ags="06534011", name="Kirchhain", key=old.public.text())
    # Refused with its own error; the window and `kisi` each say how to ask for a
    # replacement (the command line's "--replace" is tested with the command).
    with pytest.raises(registry.AlreadyRegistered, match="06534011"):
        registry.register(ministry, ags="06534011", name="Kirchhain", key=new.public.text())
    registry.register(
        ministry, ags="06534011", name="Kirchhain", key=new.public.text(), replace=True
    )
    assert registry.key_for(ministry, "06534011") == new.public
    history = ministry.store.all("SELECT key_id, why FROM key_history")
    assert history == [{"key_id": old.public.key_id_hex(), "why": "replaced"}]


def test_one_key_belongs_to_one_municipality(ministry: Ministry) -> None:
    shared = Device("06534011")
    registry.register(ministry, ags="06534011", name="Kirchhain", key=shared.public.text())
    with pytest.raises(UserError, match="06534011"):
        registry.register(ministry, ags="06534012", name="Marburg", key=shared.public.text())


def test_revoked_and_unknown_keys_are_refused_with_their_codes(ministry: Ministry) -> None:
    town = Device("06534011")
    registry.register(ministry, ags="06534011", name="Kirchhain", key=town.public.text())
    revoked = registry.revoke(ministry, "06534011")
    assert revoked.revoked and revoked.revoked_at == "2026-11-25T12:00:00Z"
    with pytest.raises(Rejected) as error:
        registry.key_for(ministry, "06534011")
    assert error.value.code == REVOKED_KEY
    with pytest.raises(Rejected) as error:
        registry.key_for(ministry, "06999999")
    assert error.value.code == UNKNOWN_MUNICIPALITY
    with pytest.raises(UserError):
        registry.revoke(ministry, "06999999")
    # A new key brings the municipality back; the revoked one stays on record.
    fresh = Device("06534011")
    registry.register(
        ministry, ags="06534011", name="Kirchhain", key=fresh.public.text(), replace=True
    )
    assert registry.key_for(ministry, "06534011") == fresh.public
    assert ministry.store.all("SELECT why FROM key_history") == [{"why": "revoked"}]


def test_overview_shows_last_bundle_and_problems(ministry: Ministry, device: Device) -> None:
    from kisi_desktop.ministry.intake import import_bundle

    import_bundle(ministry, device.bundle([ministry.recipient]), "1")
    import_bundle(ministry, device.bundle([ministry.recipient], seq=3), "3")
    import_bundle(ministry, b"junk", "junk")  # not attributable to anyone
    (status,) = registry.overview(ministry)
    assert (status.bundles_imported, status.last_seq, status.held, status.quarantined) == (
        1, 1, 1, 0,
    )  # fmt: skip
    assert status.last_period_end == "2026-03-31"
