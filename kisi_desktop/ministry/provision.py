"""Provisioning files: the ministry's public keys and intake address, signed by its root key.

The municipality's app learns everything it trusts about the ministry from this one file
(:mod:`kisi_desktop.bundles.provisioning` reads it). Versions count up per ministry folder,
so a newer file always replaces an older one in the app and an old one cannot come back.
A demo ministry's files say ``demo: true``; the app refuses them unless it runs in demo
mode, so demo keys can never silently stand in for real ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from kisi_desktop.core.clock import today
from kisi_desktop.core.errors import UserError, ValidationError
from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.provisioning import Provisioning, write_provisioning
from kisi_desktop.ministry.keys import Ministry

from kisi_desktop import __version__

DEFAULT_VALIDITY = timedelta(days=365)
_PIN = re.compile(r"[0-9a-f]{64}")
_URL = re.compile(r"https://[A-Za-z0-9.-]{1,253}(:\d{1,5})?(/[A-Za-z0-9._~/-]{0,200})?")


def make_provisioning(
    ministry: Ministry,
    *,
    version: int | None = None,
    expires: date | None = None,
    participation_rows: bool = False,
    intake_url: str | None = None,
    spki_pins: Sequence[str] = (),
    min_app_version: str = __version__,
) -> bytes:
    """The signed provisioning file for the municipalities' apps.

    Args:
        ministry: the opened ministry folder (needs its root key).
        version: the document's version; default: one more than the last one made here.
        expires: the last day the app accepts the file; default a year from today.
        participation_rows: ask bundles for pseudonymous participation rows (AMIF audits).
        intake_url: the HTTPS address of the intake server, if bundles may be uploaded.
        spki_pins: SHA-256 (hex) of the intake server's SubjectPublicKeyInfo; needed with
            ``intake_url``, so the app talks only to the ministry's server.
        min_app_version: the oldest app version that may use the file.

    Raises:
        UserError: the root key is not in the folder (kept offline), or a value is invalid.
    """
    if ministry.root is None:
        raise UserError(
            _("The root key is not in {path}; bring it back from where it is kept offline.").format(
                path=ministry.path / "keys"
            )
        )
    on = today(ministry.clock)
    expires = expires or on + DEFAULT_VALIDITY
    if expires < on:
        raise ValidationError("expires", _("The expiry date is in the past."))
    pins = tuple(dict.fromkeys(p.strip().lower().replace(":", "") for p in spki_pins))
    if any(_PIN.fullmatch(p) is None for p in pins):
        raise ValidationError(
            "spki-pin", _("A pin is the SHA-256 of the server key: 64 hex digits.")
        )
    if intake_url is not None:
        intake_url = intake_url.strip()
        if _URL.fullmatch(intake_url) is None:
            raise ValidationError("intake-url", _("The intake address must be an https:// URL."))
        if not pins:
            raise ValidationError(
                "spki-pin", _("An intake address needs the pin of the server's key.")
            )
    if version is not None and version < 1:
        raise ValidationError("version", _("The version is a whole number from 1."))
    version = ministry.store.next_provisioning_version(version)
    doc = Provisioning(
        version=version,
        issued=ministry.now(),
        expires=expires,
        demo=ministry.demo,
        root_key=ministry.root.public.base64(),
        age_recipients=(ministry.recipient,),
        content_key_lines=(ministry.content.public.base64(),),
        receipt_key_lines=(ministry.receipt.public.base64(),),
        intake_url=intake_url,
        spki_pins=pins,
        participation_rows=participation_rows,
        min_app_version=min_app_version,
    )
    return write_provisioning(doc, ministry.root.private, ministry.root.key_id)
