"""The registry of municipalities: who may send bundles, with which key and which profile.

A municipality is registered out of band: its guide reads the public key from ``kisi keys
show`` on the phone or sends it by letter, and the ministry enters it here. The registry
then decides everything about trust at intake: a bundle is checked against the key
registered for the AGS its manifest names, with the profile registered for it (no
negotiation, no downgrade). A replaced or revoked key goes to ``key_history`` with the
reason, so the registry can say later which key was valid when; the devices that signed
with a replaced key go on with its successor (``signers.py``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kisi_desktop.core.errors import UserError, ValidationError
from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.minisign import PublicKey, SignatureError, parse_public_key
from kisi_desktop.bundles.reasons import REVOKED_KEY, UNKNOWN_MUNICIPALITY, Rejected
from kisi_desktop.ministry import signers
from kisi_desktop.ministry.keys import Ministry

PROFILES = ("p1",)
MAX_NAME = 200
_AGS = re.compile(r"[0-9]{8}")


class AlreadyRegistered(UserError):
    """The municipality has a key already and no replacement was asked for; the window
    (a check box) and the ``kisi`` command (an option) each say how to ask for one."""

    def __init__(self, ags: str) -> None:
        super().__init__(_("Municipality {ags} is registered already.").format(ags=ags))
        self.ags = ags


@dataclass(frozen=True, slots=True)
class Municipality:
    """A registered municipality: AGS, name, its minisign key and crypto profile."""

    ags: str
    name: str
    key: str
    """The minisign public key's base64 line."""
    key_id: str
    """The key id as minisign prints it (16 hex digits)."""
    profile: str
    registered_at: str
    revoked_at: str | None

    @property
    def revoked(self) -> bool:
        """Whether the key was revoked (bundles are refused until a new key is registered)."""
        return self.revoked_at is not None

    def public_key(self) -> PublicKey:
        """The registered key, parsed."""
        return parse_public_key(self.key)


@dataclass(frozen=True, slots=True)
class MunicipalityStatus:
    """What the ministry view shows per municipality: its last bundle and open problems."""

    municipality: Municipality
    devices: int
    bundles_imported: int
    last_seq: int | None
    last_received_at: str | None
    last_period_end: str | None
    held: int
    quarantined: int
    rejected: int


@dataclass(frozen=True, slots=True)
class DeviceKey:
    """One signing key of a municipality, as the operator picks a laptop to stop.

    ``first`` is the key the municipality was registered with: it stands for the
    municipality (revoking it is :func:`revoke`); the others are further devices
    (:func:`revoke_device_key`).
    """

    key_id: str
    first: bool
    registered_at: str
    revoked_at: str | None
    device_ids: tuple[str, ...]
    """The devices bound to this key by their first bundle (``signers.py``)."""
    bundles: int
    """Bundles of those devices imported."""
    last_received_at: str | None

    @property
    def id(self) -> str:
        """The key id: what tells one key from another in a list."""
        return self.key_id

    @property
    def revoked(self) -> bool:
        """Whether bundles signed with this key are refused."""
        return self.revoked_at is not None


def check_ags(ags: str) -> str:
    """The AGS (Amtlicher Gemeindeschlüssel) as eight digits, or a ValidationError."""
    value = ags.strip()
    if _AGS.fullmatch(value) is None:
        raise ValidationError("ags", _("An AGS has exactly eight digits, e.g. 06534011."))
    return value


def _check_name(name: str) -> str:
    value = " ".join(name.split())
    if not value:
        raise ValidationError("municipality", _("This field is required."))
    if len(value) > MAX_NAME or any(unicodedata.category(c).startswith("C") for c in value):
        raise ValidationError(
            "municipality", _("A name of at most 200 printable characters, please.")
        )
    return value


def parse_key(text: str) -> PublicKey:
    """A minisign public key from its file's text or its base64 line."""
    try:
        return parse_public_key(text)
    except SignatureError as exc:
        raise ValidationError("key", str(exc)) from None


def _row(row: dict[str, object]) -> Municipality:
    return Municipality(
        ags=str(row["ags"]),
        name=str(row["name"]),
        key=str(row["key"]),
        key_id=str(row["key_id"]),
        profile=str(row["profile"]),
        registered_at=str(row["registered_at"]),
        revoked_at=None if row["revoked_at"] is None else str(row["revoked_at"]),
    )


def get(ministry: Ministry, ags: str) -> Municipality | None:
    """The registered municipality with ``ags``, or None."""
    row = ministry.store.one("SELECT * FROM municipalities WHERE ags = ?", (ags,))
    return None if row is None else _row(row)


def municipalities(ministry: Ministry) -> list[Municipality]:
    """Every registered municipality, by AGS."""
    return [_row(r) for r in ministry.store.all("SELECT * FROM municipalities ORDER BY ags")]


def register(
    ministry: Ministry,
    *,
    ags: str,
    name: str,
    key: str,
    profile: str = "p1",
    replace: bool = False,
) -> Municipality:
    """Register a municipality's key (or, with ``replace``, a new key for a known one).

    Raises:
        ValidationError: a malformed AGS, name or key, or an unknown profile.
        UserError: the AGS is registered already (without ``replace``), or the key belongs
            to another municipality.
    """
    ags = check_ags(ags)
    name = _check_name(name)
    public = parse_key(key)
    if profile not in PROFILES:
        raise ValidationError("profile", _("Unknown profile {profile}.").format(profile=profile))
    now = ministry.now()
    store = ministry.store
    with store.transaction():
        existing = get(ministry, ags)
        other = store.one(
            "SELECT ags FROM municipalities WHERE key = ? AND ags != ?", (public.base64(), ags)
        )
        if other is not None:
            raise UserError(
                _("This key is registered for municipality {ags} already.").format(ags=other["ags"])
            )
        if existing is not None and not replace:
            raise AlreadyRegistered(ags)
        if existing is not None:
            if existing.key != public.base64():
                signers.follow_replacement(store, ags, existing.key_id, public.key_id_hex())
                store.conn.execute(
                    "INSERT INTO key_history (ags, key, key_id, registered_at, retired_at, why) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        ags,
                        existing.key,
                        existing.key_id,
                        existing.registered_at,
                        existing.revoked_at or now,
                        "revoked" if existing.revoked else "replaced",
                    ),
                )
            store.conn.execute("DELETE FROM municipalities WHERE ags = ?", (ags,))
        store.conn.execute(
            "INSERT INTO municipalities (ags, name, key, key_id, profile, registered_at, "
            "revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL)",
            (ags, name, public.base64(), public.key_id_hex(), profile, now),
        )
    registered = get(ministry, ags)
    assert registered is not None  # noqa: S101 - written in the transaction above
    return registered


def revoke(ministry: Ministry, ags: str) -> Municipality:
    """Revoke the municipality's key: its bundles are refused until a new key is registered.

    Raises:
        UserError: no municipality with this AGS.
    """
    ags = check_ags(ags)
    with ministry.store.transaction():
        found = get(ministry, ags)
        if found is None:
            raise UserError(_("No municipality {ags} is registered.").format(ags=ags))
        if not found.revoked:
            ministry.store.conn.execute(
                "UPDATE municipalities SET revoked_at = ? WHERE ags = ?", (ministry.now(), ags)
            )
    revoked = get(ministry, ags)
    assert revoked is not None  # noqa: S101 - checked in the transaction above
    return revoked


def add_device_key(ministry: Ministry, ags: str, key: str) -> PublicKey:
    """Register the signing key of a further device (a second guide's laptop) for ``ags``.

    Raises:
        UserError: no such municipality, or the key is registered already.
    """
    ags = check_ags(ags)
    public = parse_key(key)
    store = ministry.store
    with store.transaction():
        if get(ministry, ags) is None:
            raise UserError(_("No municipality {ags} is registered.").format(ags=ags))
        taken = store.one(
            "SELECT ags FROM municipalities WHERE key = ? UNION "
            "SELECT ags FROM device_keys WHERE key = ? OR key_id = ?",
            (public.base64(), public.base64(), public.key_id_hex()),
        )
        if taken is not None:
            raise UserError(
                _("This key is registered for municipality {ags} already.").format(ags=taken["ags"])
            )
        store.conn.execute(
            "INSERT INTO device_keys (key_id, ags, key, registered_at) VALUES (?, ?, ?, ?)",
            (public.key_id_hex(), ags, public.base64(), ministry.now()),
        )
    return public


def device_keys(ministry: Ministry, ags: str) -> list[PublicKey]:
    """Keys of the municipality's further devices, oldest first."""
    rows = ministry.store.all(
        "SELECT key FROM device_keys WHERE ags = ? AND revoked_at IS NULL "
        "ORDER BY registered_at, key_id",
        (ags,),
    )
    return [parse_public_key(str(r["key"])) for r in rows]


def revoke_device_key(ministry: Ministry, ags: str, key_id: str) -> None:
    """Revoke one further device's key (a stolen or retired laptop); the others go on.

    Raises:
        UserError: no such device key for this municipality.
    """
    ags = check_ags(ags)
    with ministry.store.transaction():
        found = ministry.store.one(
            "SELECT revoked_at FROM device_keys WHERE ags = ? AND key_id = ?",
            (ags, key_id.upper()),
        )
        if found is None:
            raise UserError(
                _("Municipality {ags} has no further device with key {key_id}.").format(
                    ags=ags, key_id=key_id
                )
            )
        if found["revoked_at"] is None:
            ministry.store.conn.execute(
                "UPDATE device_keys SET revoked_at = ? WHERE ags = ? AND key_id = ?",
                (ministry.now(), ags, key_id.upper()),
            )


def device_key_list(ministry: Ministry, ags: str) -> list[DeviceKey]:
    """Every key of the municipality, revoked ones too: its own first, then further
    devices oldest first, each with the devices that sign with it and their bundles."""
    store = ministry.store
    town = get(ministry, ags)
    if town is None:
        return []
    rows: list[tuple[str, bool, str, str | None]] = [
        (town.key_id, True, town.registered_at, town.revoked_at)
    ]
    rows += [
        (str(r["key_id"]), False, str(r["registered_at"]), r["revoked_at"])
        for r in store.all(
            "SELECT key_id, registered_at, revoked_at FROM device_keys WHERE ags = ? "
            "ORDER BY registered_at, key_id",
            (ags,),
        )
    ]
    result = []
    for key_id, first, registered_at, revoked_at in rows:
        devices = tuple(
            str(r["device_id"])
            for r in store.all(
                "SELECT device_id FROM device_signers WHERE ags = ? AND key_id = ? "
                "ORDER BY bound_at, device_id",
                (ags, key_id),
            )
        )
        counts = (
            store.one(
                "SELECT count(*) AS n, max(b.received_at) AS last FROM bundles b "
                "JOIN device_signers s ON s.ags = b.ags AND s.device_id = b.device_id "
                "WHERE b.ags = ? AND s.key_id = ? AND b.status = 'imported'",
                (ags, key_id),
            )
            or {}
        )
        result.append(
            DeviceKey(
                key_id=key_id,
                first=first,
                registered_at=registered_at,
                revoked_at=None if revoked_at is None else str(revoked_at),
                device_ids=devices,
                bundles=int(counts.get("n") or 0),
                last_received_at=None if counts.get("last") is None else str(counts["last"]),
            )
        )
    return result


def keys_for(ministry: Ministry, ags: str) -> list[PublicKey]:
    """Every key a bundle from ``ags`` may be signed with: the municipality's and its
    further devices'. Revoking the municipality revokes them all.

    Raises:
        Rejected: ``unknown_municipality`` or ``revoked_key``.
    """
    return [key_for(ministry, ags), *device_keys(ministry, ags)]


def key_for(ministry: Ministry, ags: str) -> PublicKey:
    """The key a bundle claiming to come from ``ags`` must be signed with.

    Raises:
        Rejected: ``unknown_municipality`` or ``revoked_key``.
    """
    found = get(ministry, ags) if _AGS.fullmatch(ags) else None
    if found is None:
        raise Rejected(
            UNKNOWN_MUNICIPALITY,
            _("No municipality with AGS {ags} is registered.").format(ags=ags[:16]),
        )
    if found.revoked:
        raise Rejected(
            REVOKED_KEY,
            _("The key of municipality {ags} was revoked on {date}.").format(
                ags=ags, date=(found.revoked_at or "")[:10]
            ),
        )
    return found.public_key()


def overview(ministry: Ministry) -> list[MunicipalityStatus]:
    """Every municipality with its last imported bundle and counts of open problems."""
    store = ministry.store
    result = []
    for town in municipalities(ministry):
        counts = store.one(
            "SELECT count(DISTINCT device_id || ':' || epoch) AS devices, "
            "sum(status = 'imported') AS imported, "
            "sum(status IN ('held_gap', 'held_epoch')) AS held, "
            "sum(status = 'quarantined_fork') AS quarantined "
            "FROM bundles WHERE ags = ?",
            (town.ags,),
        )
        last = store.one(
            "SELECT seq, received_at, period_end FROM bundles "
            "WHERE ags = ? AND status = 'imported' ORDER BY intake_seq DESC LIMIT 1",
            (town.ags,),
        )
        rejected = store.one("SELECT count(*) AS n FROM rejections WHERE ags = ?", (town.ags,))
        counts = counts or {}
        result.append(
            MunicipalityStatus(
                municipality=town,
                devices=int(counts.get("devices") or 0),
                bundles_imported=int(counts.get("imported") or 0),
                last_seq=None if last is None else int(last["seq"]),
                last_received_at=None if last is None else str(last["received_at"]),
                last_period_end=None if last is None else str(last["period_end"]),
                held=int(counts.get("held") or 0),
                quarantined=int(counts.get("quarantined") or 0),
                rejected=int((rejected or {}).get("n") or 0),
            )
        )
    return result
