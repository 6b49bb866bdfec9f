"""BundleEntry: the audit head it keeps comes whole (entry and MAC) or not at all."""

from __future__ import annotations

import dataclasses

import pytest

from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.errors import ValidationError

from tests.support.samples import full_samples


def _sample() -> BundleEntry:
    entry = full_samples()["bundle_entry"]
    assert isinstance(entry, BundleEntry)
    return entry


def test_an_audit_head_round_trips() -> None:
    entry = dataclasses.replace(_sample(), audit_seq=41, audit_mac="9a" * 32)
    assert BundleEntry.from_payload(entry.to_payload()) == entry


def test_an_entry_from_before_heads_were_recorded_still_opens() -> None:
    payload = _sample().to_payload()
    del payload["audit_seq"], payload["audit_mac"]
    assert BundleEntry.from_payload(payload).audit_seq is None


@pytest.mark.parametrize(
    ("seq", "mac"), [(41, None), (None, "9a" * 32), (41, "9A" * 32), (-1, "9a" * 32)]
)
def test_half_a_head_or_a_malformed_one_is_refused(seq: int | None, mac: str | None) -> None:
    with pytest.raises(ValidationError):
        dataclasses.replace(_sample(), audit_seq=seq, audit_mac=mac)
