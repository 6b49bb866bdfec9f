"""Provisioning files made by the ministry are what the app accepts (and demo ones only in demo)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.errors import UserError, ValidationError

from kisi_desktop.bundles.provisioning import fingerprint, read_provisioning
from kisi_desktop.bundles.reasons import DEMO_KEY, Rejected
from kisi_desktop.ministry.keys import Ministry, init_ministry, load_ministry
from kisi_desktop.ministry.provision import make_provisioning

from .conftest import NOW


def read(ministry: Ministry, data: bytes, **options: object) -> object:
    assert ministry.root is not None
    return read_provisioning(
        data,
        confirmed_fingerprint=fingerprint(ministry.root.public.base64()),
        **options,  # type: ignore[arg-type]
    )


def test_the_app_reads_back_every_key_and_setting(ministry: Ministry) -> None:
    data = make_provisioning(
        ministry,
        expires=date(2027, 12, 31),
        participation_rows=True,
        intake_url="https://intake.hmaijs.example/kisi",
        spki_pins=["AB" * 32],
    )
    doc = read_provisioning(
        data,
        confirmed_fingerprint=fingerprint(ministry.root.public.base64()) if ministry.root else "",
        on=date(2026, 11, 25),
    )
    assert doc.version == 1 and doc.demo is False
    assert doc.age_recipients == (ministry.recipient,)
    assert doc.content_keys == (ministry.content.public,)
    assert doc.receipt_keys == (ministry.receipt.public,)
    assert doc.expires == date(2027, 12, 31) and doc.participation_rows
    assert doc.intake_url == "https://intake.hmaijs.example/kisi"
    assert doc.spki_pins == ("ab" * 32,)
    assert doc.issued == "2026-11-25T12:00:00Z"


def test_versions_count_up(ministry: Ministry) -> None:
    versions = []
    for _ in range(3):
        doc = read_provisioning(
            make_provisioning(ministry),
            confirmed_fingerprint=fingerprint(ministry.root.public.base64())
            if ministry.root
            else "",
        )
        versions.append(doc.version)
    assert versions == [1, 2, 3]
    assert ministry.store.next_provisioning_version(10) == 10
    assert ministry.store.next_provisioning_version() == 11


def test_a_demo_ministry_makes_demo_files_the_app_refuses_outside_demo(tmp_path: Path) -> None:
    with init_ministry(tmp_path / "demo", demo=True, clock=FixedClock(NOW)) as demo:
        data = make_provisioning(demo)
        assert demo.root is not None
        print_ = fingerprint(demo.root.public.base64())
    with pytest.raises(Rejected) as error:
        read_provisioning(data, confirmed_fingerprint=print_)
    assert error.value.code == DEMO_KEY
    assert read_provisioning(data, confirmed_fingerprint=print_, allow_demo=True).demo


def test_bad_settings_and_a_missing_root_key(ministry: Ministry, tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        make_provisioning(ministry, intake_url="http://plain.example")
    with pytest.raises(ValidationError):
        make_provisioning(ministry, intake_url="https://intake.example")  # no pin
    with pytest.raises(ValidationError):
        make_provisioning(ministry, spki_pins=["xyz"])
    with pytest.raises(ValidationError):
        make_provisioning(ministry, expires=date(2020, 1, 1))
    (ministry.path / "keys" / "root.key").rename(tmp_path / "root.key")
    with load_ministry(ministry.path) as offline, pytest.raises(UserError, match="offline"):
        make_provisioning(offline)
