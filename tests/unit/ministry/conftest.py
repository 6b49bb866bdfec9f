"""A ministry folder and municipalities' devices that make bundles to order.

:class:`Device` builds bundles the way the app's export does (canonical manifest, minisign
signature, deterministic ZIP, age to the ministry) but with every field under the test's
control: sequence numbers out of order, forks, new epochs, other keys, future formats. The
end-to-end tests use the real export from a demo vault instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles import minisign, strict_json
from kisi_desktop.bundles.manifest import (
    DATA_SCHEMAS,
    INDICATORS,
    MANIFEST,
    REPORT,
    SIGNATURE,
    FileEntry,
    Manifest,
    sha256_hex,
)
from kisi_desktop.bundles.profiles import profile
from kisi_desktop.bundles.receipts import Receipt, read_receipt
from kisi_desktop.bundles.safe_zip import write_zip
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.intake import IntakeResult, import_bundle
from kisi_desktop.ministry.keys import Ministry, init_ministry
from kisi_desktop.ministry.store import kept_file_name

from tests.support.intake import World, clone, make_world

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    set_ui_language("en")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> World:
    """A ministry, its intake TLS key and a demo vault with two bundles, once per module."""
    return make_world(tmp_path_factory.mktemp("world"), bundles=2)


@pytest.fixture
def world(template: World, tmp_path: Path) -> World:
    """The test's own copy of the module's :func:`template`."""
    return clone(template, tmp_path / "w")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def ministry(tmp_path: Path, clock: FixedClock) -> Iterator[Ministry]:
    with init_ministry(tmp_path / "ministry", clock=clock) as opened:
        yield opened


def indicator_rows(period: tuple[date, date], count: int | None = 12) -> list[dict[str, Any]]:
    """Two indicator rows as ``reports.indicators.export_rows`` writes them: with a count of
    5 or more, two men and nobody of unknown gender sent as <5 beside it (they add up to 5,
    which leaves each of them open), everyone 18 to 60 and Syrian; with a count below 5
    (hidden itself, or shown by a faulty app) every cell that is not 0 as <5."""
    start, end = (d.isoformat() for d in period)
    common = {"from": start, "to": end, "period": f"{start}..{end}", "verified_wording": False}
    shown = count is not None and count >= 5
    cells = {
        "gender.female": count - 5 if shown else None,
        "gender.male": None,
        "gender.non_binary": 0,
        "gender.unknown": None if shown else 0,
        "age_group.18_60": count if shown else None,
        "nationality_group.syria": count if shown else None,
    }
    return [
        {**common, "indicator": "O.2.2", "label_de": "Behörden", "label_en": "authorities",
         "count": 1},
        {**common, "indicator": "O.2.3", "label_de": "Teilnehmende", "label_en": "participants",
         "count": count, **cells},
    ]  # fmt: skip


def report_rows() -> list[dict[str, Any]]:
    """Report rows as ``bundles.export`` writes them (table key + the row): the family
    members add up to the total, both "<5" (a shown total would pin the lone cell)."""
    return [
        {"table": "contacts_by_mode", "code": "phone", "label": "Telefon", "contacts": 3,
         "hours": "1.50", "family_members": None},
        {"table": "contacts_by_mode", "code": "total", "label": "Insgesamt", "contacts": 9,
         "hours": "4.25", "family_members": None},
        {"table": "budget_plan", "category_de": "alle Kategorien", "category_en": "all",
         "mode_de": "", "mode_en": "", "year": "PY1", "planned": "1000.00", "spent": "250.00",
         "remaining": "750.00", "percent": "25.00"},
    ]  # fmt: skip


@dataclass
class Device:
    """A municipality's laptop: its AGS, signing key, device id, epoch and sequence."""

    ags: str
    private: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    key_id: bytes = field(default_factory=minisign.new_key_id)
    device_id: str = field(default_factory=lambda: os.urandom(8).hex())
    epoch: int = 1
    last: dict[int, tuple[int, str]] = field(default_factory=dict)
    """Per epoch: the last sequence number made and its manifest hash."""
    plaintexts: dict[tuple[int, int], bytes] = field(default_factory=dict)
    """Per (epoch, seq): the signed ZIP, to encrypt the same bundle again."""

    @property
    def public(self) -> minisign.PublicKey:
        return minisign.public_key_of(self.private, self.key_id)

    def manifest(
        self,
        recipients: Sequence[str],
        files: Mapping[str, list[dict[str, Any]]],
        *,
        seq: int | None = None,
        prev: str | bool | None = True,
        epoch: int | None = None,
        period: tuple[date, date] = Q1,
        epoch_start: str | None = None,
        signer_key_id: str | None = None,
        created_at: str = "2026-11-25T12:00:00Z",
        audit_head: tuple[int, str] | None = None,
        schemas: Mapping[str, int] | None = None,
    ) -> tuple[Manifest, dict[str, bytes]]:
        epoch = self.epoch if epoch is None else epoch
        last_seq, last_hash = self.last.get(epoch, (0, None))
        seq = last_seq + 1 if seq is None else seq
        prev_hash = (last_hash if seq > 1 else None) if prev is True else prev
        contents = {name: strict_json.dumps_lines(rows) for name, rows in files.items()}
        schemas = {**DATA_SCHEMAS, **(schemas or {})}  # (an older or newer app's, if given)
        manifest = Manifest(
            bundle_id=str(uuid.uuid4()),
            municipality_ags=self.ags,
            device_id=self.device_id,
            device_epoch=epoch,
            seq=seq,
            prev_manifest_sha256=prev_hash if isinstance(prev_hash, str) else None,
            epoch_start_receipt_sha256=epoch_start,
            period_start=period[0],
            period_end=period[1],
            created_at=created_at,
            app_version="0.1.0",
            recipients=tuple(sha256_hex(r.encode()) for r in recipients),
            signer_key_id=signer_key_id or self.public.key_id_hex(),
            # By default the head moves on with the sequence, as a vault's does.
            audit_head_seq=audit_head[0] if audit_head else seq,
            audit_head_mac=audit_head[1] if audit_head else "ab" * 32,
            files=tuple(
                FileEntry(name, len(data), sha256_hex(data), len(files[name]), schemas[name])
                for name, data in contents.items()
            ),
            schemas=tuple(sorted(schemas.items())),
        )
        return manifest, contents

    def bundle(
        self,
        recipients: Sequence[str],
        *,
        files: Mapping[str, list[dict[str, Any]]] | None = None,
        signer: tuple[Ed25519PrivateKey, bytes] | None = None,
        fmt: str | None = None,
        manifest_recipients: Sequence[str] | None = None,
        remember: bool = True,
        **options: Any,
    ) -> bytes:
        """A bundle file; the device remembers it as its latest unless ``remember=False``."""
        period = options.get("period", Q1)
        if files is None:
            files = {INDICATORS: indicator_rows(period), REPORT: report_rows()}
        manifest, contents = self.manifest(manifest_recipients or recipients, files, **options)
        if fmt is not None:
            manifest = replace(manifest, format=fmt)
        body = manifest.encode()
        private, key_id = signer or (self.private, self.key_id)
        signature = minisign.sign(
            body,
            private,
            key_id,
            trusted_comment=manifest.trusted_comment(),
        )
        members = [(MANIFEST, body), (SIGNATURE, signature.encode()), *contents.items()]
        plaintext = write_zip(members)
        if remember:
            self.last[manifest.device_epoch] = (manifest.seq, sha256_hex(body))
            self.plaintexts[(manifest.device_epoch, manifest.seq)] = plaintext
        return profile("p1").encrypt(plaintext, list(recipients))

    def again(self, recipients: Sequence[str], seq: int, epoch: int | None = None) -> bytes:
        """Bundle ``seq`` re-created: the same signed manifest, a fresh encryption."""
        plaintext = self.plaintexts[(self.epoch if epoch is None else epoch, seq)]
        return profile("p1").encrypt(plaintext, list(recipients))

    def register(self, ministry: Ministry, name: str = "Musterstadt") -> None:
        registry.register(ministry, ags=self.ags, name=name, key=self.public.text())


@pytest.fixture
def device(ministry: Ministry) -> Device:
    """A registered device of municipality 06534011."""
    made = Device("06534011")
    made.register(ministry, "Kirchhain")
    return made


def data_tables(ministry: Ministry) -> dict[str, list[tuple[Any, ...]]]:
    """What a refused bundle must not change: every table but the rejection log."""
    return ministry.store.snapshot()


def imported_rows(ministry: Ministry) -> list[tuple[Any, ...]]:
    """The data rows and anti-replay state: what a held or quarantined bundle must not touch."""
    conn = ministry.store.conn
    return [
        *conn.execute("SELECT * FROM data_rows ORDER BY 1, 2, 3").fetchall(),
        *conn.execute("SELECT * FROM devices ORDER BY 1, 2, 3").fetchall(),
    ]


def receipt_of(ministry: Ministry, result: IntakeResult) -> Receipt:
    assert result.receipt is not None
    return read_receipt(result.receipt, [ministry.receipt.public])


def refused(ministry: Ministry, data: bytes, code: str, name: str = "x.kisi") -> IntakeResult:
    """Import ``data``; assert it was refused with ``code`` and changed nothing but the log."""
    before = data_tables(ministry)
    logged = len(ministry.store.rejections())
    result = import_bundle(ministry, data, name)
    assert (result.outcome, result.reason_code) == ("rejected", code), result.message
    assert data_tables(ministry) == before
    log = ministry.store.rejections()
    assert len(log) == logged + 1
    assert (log[0].reason_code, log[0].file_name) == (code, kept_file_name(name, sha256_hex(data)))
    assert log[0].file_sha256 == sha256_hex(data)
    receipt = receipt_of(ministry, result)
    assert (receipt.status, receipt.reason_code) == ("rejected", code)
    assert not receipt.confirmed
    return result
