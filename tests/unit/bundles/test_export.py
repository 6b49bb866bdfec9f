"""Export: what leaves the laptop, how it is chained, and that nothing is lost on the way."""

from __future__ import annotations

import base64
import dataclasses
import errno
import io
import os
import subprocess
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.domain import Contact, Municipality, Note, Person
from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles import export as export_module
from kisi_desktop.bundles.age import decrypt
from kisi_desktop.bundles.bundle_reader import OpenedBundle, open_bundle
from kisi_desktop.bundles.export import (
    AlreadyCovered,
    Cancelled,
    _participation_rows,
    export_bundle,
    ledger,
    overdue,
    prepare_bundle,
    write_bundle,
)
from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.manifest import INDICATORS, PARTICIPATION, REPORT, sha256_hex
from kisi_desktop.bundles.reasons import NOT_PROVISIONED, Rejected
from kisi_desktop.reports.facts import load_facts
from kisi_desktop.reports.indicators import compute
from kisi_desktop.reports.periods import parse_period

from tests.support.sync import MinistryKeys, demo_workspace


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    set_ui_language("en")


@pytest.fixture
def ministry() -> MinistryKeys:
    return MinistryKeys()


@pytest.fixture
def ws(tmp_path_factory: pytest.TempPathFactory, ministry: MinistryKeys) -> Workspace:
    workspace = demo_workspace(tmp_path_factory.mktemp("vault") / "vault.kisi", 120)
    ministry.install(workspace)
    return workspace


def bundle_ags(ws: Workspace) -> str:
    return ws.list(Municipality)[0].ags


def opened(ws: Workspace, ministry: MinistryKeys, path: Path) -> OpenedBundle:
    me = signer(ws)
    return open_bundle(
        path.read_bytes(),
        identity=str(ministry.identity),
        own_recipient=ministry.recipient,
        key_for=lambda ags: me.public,
    )


def test_first_bundle_is_signed_encrypted_and_named_as_agreed(
    ws: Workspace, ministry: MinistryKeys, tmp_path: Path
) -> None:
    out = tmp_path / "stick"
    out.mkdir()
    summary = export_bundle(ws, out, period="PY1")
    me = signer(ws)
    ags = bundle_ags(ws)
    assert summary.path.name == f"KISI_{ags}_{me.device_id}_000001_20261125.kisi"
    bundle = opened(ws, ministry, summary.path)
    m = bundle.manifest
    assert (m.seq, m.device_epoch, m.prev_manifest_sha256) == (1, me.epoch, None)
    assert (m.period_start, m.period_end) == (date(2025, 10, 1), date(2026, 9, 30))
    assert m.signer_key_id == me.public.key_id_hex()
    assert m.audit_head_seq > 0 and len(m.audit_head_mac) == 64
    # The bundle log keeps the head, for the unlock's check that the chain still holds it.
    assert (summary.entry.audit_seq, summary.entry.audit_mac) == (
        m.audit_head_seq,
        m.audit_head_mac,
    )
    assert ws.audit_verify().ok
    assert summary.entry.manifest_sha256 == bundle.manifest_sha256
    assert summary.entry.status == "exported"
    assert summary.entry.file_sha256 == sha256_hex(summary.path.read_bytes())
    assert set(bundle.files) == {INDICATORS, REPORT}  # no participation rows unless asked
    assert {row["indicator"] for row in bundle.files[INDICATORS]} >= {"O.2.3"}
    assert not list(out.glob(".*"))  # no temporary file left behind


def test_bundles_chain_and_count_each_person_once_for_the_project(
    ws: Workspace, ministry: MinistryKeys, tmp_path: Path
) -> None:
    first = export_bundle(ws, tmp_path, period="2025-10-01..2026-03-31")
    second = export_bundle(ws, tmp_path, since_last=True)
    a, b = opened(ws, ministry, first.path), opened(ws, ministry, second.path)
    assert b.manifest.seq == 2
    assert b.manifest.prev_manifest_sha256 == a.manifest_sha256
    assert b.manifest.period_start == date(2026, 4, 1)
    assert b.manifest.period_end == date(2026, 11, 25)

    # Who each bundle reported for O.2.3, against a single count over both periods.
    def people(entry: BundleEntry) -> set[str]:
        return {p.split("|")[1] for p in entry.reported_people if p.startswith("O.2.3|")}

    in_first, in_second = people(first.entry), people(second.entry)
    assert in_first and in_second
    assert not in_first & in_second
    whole = compute(load_facts(ws), parse_period("2025-10-01..2026-11-25"), ws.ref)
    assert in_first | in_second == set(next(r for r in whole if r.code == "O.2.3").people)
    counts = [
        next(row for row in x.files[INDICATORS] if row["indicator"] == "O.2.3")["count"]
        for x in (a, b)
    ]
    assert counts == [len(in_first), len(in_second)]


def _o23(entry: BundleEntry) -> set[str]:
    return {p.split("|")[1] for p in entry.reported_people if p.startswith("O.2.3|")}


def test_people_recorded_after_their_period_was_sent_count_in_the_next_bundle(
    ws: Workspace, tmp_path: Path
) -> None:
    """A guide types up a January visit in May, or learns in May that a person seen in
    January holds a residence title: the January bundle has gone, so the next one counts
    them. Nobody is lost and nobody counts twice."""
    first = export_bundle(ws, tmp_path, period="2025-10-01..2026-03-31")
    late = ws.add(Person(name="Nachgetragen", nationalities=("SY",), residence_status="refugee"))
    ws.add(
        Contact(
            person_id=late.id, contacted_on=date(2026, 1, 15), duration_minutes=30, mode="office"
        )
    )
    unclear = ws.add(Person(name="Erst geklärt", nationalities=("AF",), residence_status="unknown"))
    ws.add(
        Contact(
            person_id=unclear.id,
            contacted_on=date(2026, 2, 2),
            duration_minutes=30,
            mode="office",
        )
    )
    second = export_bundle(ws, tmp_path, period="2026-04-01..2026-06-30")
    assert late.id in _o23(second.entry) and late.id not in _o23(first.entry)
    assert unclear.id not in _o23(second.entry)  # not eligible (yet)
    ws.update(dataclasses.replace(ws.get(Person, unclear.id), residence_status="refugee"))
    third = export_bundle(ws, tmp_path, since_last=True)
    assert _o23(third.entry) & {late.id, unclear.id} == {unclear.id}
    # Over the three bundles, each eligible person of the project once.
    reported = [_o23(b.entry) for b in (first, second, third)]
    assert sum(len(r) for r in reported) == len(set().union(*reported))
    whole = compute(load_facts(ws), parse_period("2025-10-01..2026-11-25"), ws.ref)
    assert set().union(*reported) == set(next(r for r in whole if r.code == "O.2.3").people)


def test_days_already_sent_are_not_sent_again_as_a_new_bundle(
    ws: Workspace, tmp_path: Path
) -> None:
    export_bundle(ws, tmp_path, period="2026-01-01..2026-03-31")
    for period in ("PY1", "2026-03-31..2026-04-30", "2025-12-01..2026-01-01", "2026-Q1"):
        with pytest.raises(AlreadyCovered, match=r"Bundle 1 already covers .*twice") as refused:
            export_bundle(ws, tmp_path, period=period)
        # Which bundle, for the window's button and the command's --again; no syntax.
        assert refused.value.seq == 1
        assert "--" not in str(refused.value) and "…" not in str(refused.value)
    # The days before and after are fine.
    export_bundle(ws, tmp_path, period="2025-10-01..2025-12-31")
    assert export_bundle(ws, tmp_path, since_last=True).entry.period_start == date(2026, 4, 1)


def test_no_personal_data_leaves_the_laptop(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ministry = MinistryKeys()
    ws = demo_workspace(tmp_path_factory.mktemp("vault") / "vault.kisi", 40)
    ministry.install(ws, participation_rows=True)
    markers = {
        "name": "Zzyzxmarker Qwertyson",
        "phone": "+49 6421 9988776",
        "email": "marker.leak@example.org",
        "address": "Leckgasse 77, 35037 Marburg",
        "note": "Geheimnotiz-Marker-4711",
    }
    someone = ws.list(Person)[0]
    ws.update(
        dataclasses.replace(
            someone,
            name=markers["name"],
            phone=markers["phone"],
            email=markers["email"],
            address=markers["address"],
            birth_date=date(1990, 7, 14),
            birth_year=None,
        )
    )
    ws.add(Note(person_id=someone.id, written_on=date(2026, 3, 2), text=markers["note"]))
    summary = export_bundle(ws, tmp_path, period="project")
    plaintext = decrypt(summary.path.read_bytes(), ministry.identity)
    members = zipfile.ZipFile(io.BytesIO(plaintext))
    everything = b"".join(members.read(name) for name in members.namelist())
    for value in [*markers.values(), "1990-07-14", "14.07.1990"]:
        for encoded in (value.encode(), value.lower().encode(), value.encode("utf-16-le")):
            assert encoded not in everything, value
    rows = opened(ws, ministry, summary.path).files[PARTICIPATION]
    assert rows
    assert {frozenset(r) for r in rows} == {
        frozenset({"pseudonym", "birth_year", "gender", "nationality_group", "services", "period"})
    }
    assert any(r["birth_year"] == 1990 for r in rows)


def test_the_age_and_minisign_tools_check_a_bundle(
    ws: Workspace, ministry: MinistryKeys, tmp_path: Path
) -> None:
    summary = export_bundle(ws, tmp_path, period="PY1")
    (tmp_path / "ministry.key").write_text(str(ministry.identity) + "\n")
    done = subprocess.run(
        ["age", "-d", "-i", str(tmp_path / "ministry.key"), str(summary.path)],
        capture_output=True,
        check=True,
    )
    archive = zipfile.ZipFile(io.BytesIO(done.stdout))
    assert archive.testzip() is None
    (tmp_path / "manifest.json").write_bytes(archive.read("manifest.json"))
    (tmp_path / "manifest.json.minisig").write_bytes(archive.read("manifest.json.minisig"))
    key = signer(ws).public
    checked = subprocess.run(
        ["minisign", "-V", "-P", key.base64(), "-m", str(tmp_path / "manifest.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert f"seq=1 manifest-sha256={summary.entry.manifest_sha256}" in checked.stdout


def test_export_needs_the_ministry_keys_first(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ws = demo_workspace(tmp_path_factory.mktemp("vault") / "vault.kisi", 10)
    with pytest.raises(Rejected) as caught:
        export_bundle(ws, tmp_path, period="PY1")
    assert caught.value.code == NOT_PROVISIONED
    assert ledger(ws) == []


def test_a_bundle_prepared_before_a_crash_is_written_not_replaced(
    ws: Workspace, ministry: MinistryKeys, tmp_path: Path
) -> None:
    entry = prepare_bundle(ws, parse_period("PY1"))  # the app stopped right after this
    assert entry.status == "prepared"
    summary = export_bundle(ws, tmp_path, since_last=True)
    assert summary.resumed
    assert summary.entry.seq == 1
    assert summary.entry.manifest_sha256 == entry.manifest_sha256
    assert [e.seq for e in ledger(ws)] == [1]


def test_writing_again_gives_the_same_manifest_in_a_fresh_encryption(
    ws: Workspace, ministry: MinistryKeys, tmp_path: Path
) -> None:
    first = export_bundle(ws, tmp_path, period="PY1")
    old_bytes = first.path.read_bytes()
    other = tmp_path / "second-stick"
    other.mkdir()
    again = write_bundle(ws, first.entry, other)
    assert again.path.read_bytes() != old_bytes
    assert opened(ws, ministry, again.path).manifest_sha256 == first.entry.manifest_sha256
    assert ledger(ws)[0].file_sha256 == sha256_hex(again.path.read_bytes())


def test_a_failing_rename_leaves_no_bundle_and_keeps_it_prepared(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(src: object, dst: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(export_module.os, "replace", broken)
    with pytest.raises(UserError, match="the drive reported an error"):
        export_bundle(ws, tmp_path, period="PY1")
    assert list(tmp_path.glob("*.kisi")) == []
    assert list(tmp_path.glob(".*.tmp")) == []
    assert [e.status for e in ledger(ws)] == ["prepared"]
    monkeypatch.undo()
    assert export_bundle(ws, tmp_path).resumed


@pytest.mark.parametrize("step", ["write", "fsync", "replace", "fsync_folder"])
@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.ENOSPC, "der Datenträger ist voll"),
     (errno.EIO, "das Laufwerk meldet einen Fehler (USB-Stick abgezogen?)")],
)  # fmt: skip
def test_a_failing_step_of_writing_says_why_in_german_and_leaves_nothing(
    ws: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
    code: int,
    reason: str,
) -> None:
    """R3: each step of writing a bundle fails as a full or pulled USB stick makes it fail.
    The guide reads why in the UI's language (never the system's English text), no file
    is left under the bundle's name or a temporary one, and the bundle stays prepared."""
    failure = OSError(code, os.strerror(code))
    real_open = Path.open

    def open_failing(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(self, mode, *args, **kwargs)
        if step == "write" and self.name.endswith(".tmp") and "w" in mode:
            handle.close()
            raise failure
        return handle

    def fail(*_args: object) -> None:
        raise failure

    monkeypatch.setattr(Path, "open", open_failing)
    if step in ("fsync", "replace"):
        monkeypatch.setattr(export_module.os, step, fail)
    elif step == "fsync_folder":
        monkeypatch.setattr(export_module, "fsync_folder", fail)
    set_ui_language("de")
    with pytest.raises(UserError) as caught:
        export_bundle(ws, tmp_path, period="PY1")
    monkeypatch.undo()
    assert str(caught.value).endswith(f"konnte nicht geschrieben werden: {reason}")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    assert [e.status for e in ledger(ws)] == ["prepared"]
    assert export_bundle(ws, tmp_path).resumed


def test_a_medium_that_loses_writes_is_caught(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def lossy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        real_replace(src, dst)
        Path(dst).write_bytes(b"\x00" * 100)  # what a failing stick gives back

    monkeypatch.setattr(export_module.os, "replace", lossy)
    with pytest.raises(UserError, match="could not be read back"):
        export_bundle(ws, tmp_path, period="PY1")
    assert list(tmp_path.glob("*.kisi")) == []
    assert ledger(ws)[0].status == "prepared"


def test_cancel_before_recording_leaves_the_ledger_empty(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(Cancelled):
        export_bundle(ws, tmp_path, period="PY1", cancelled=lambda: True)
    assert ledger(ws) == []


def test_nothing_new_since_the_last_bundle_is_said_plainly(ws: Workspace, tmp_path: Path) -> None:
    export_bundle(ws, tmp_path, since_last=True)
    with pytest.raises(UserError, match="Nothing new to export") as said:
        export_bundle(ws, tmp_path, since_last=True)
    # (QA pass: a budget line corrected on the day of an export seemed lost for good.)
    assert "goes with the next bundle, which can begin the day after" in str(said.value)


def test_periods_outside_the_project_are_refused(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="days of the project only"):
        export_bundle(ws, tmp_path, period="2025")


def test_a_running_period_ends_today_and_one_not_begun_is_refused(
    ws: Workspace, tmp_path: Path
) -> None:
    """The ministry refuses a bundle whose period ends after the day it was made
    (``future_time``): the export never makes one. (The vault's clock: 25 Nov 2026.)"""
    with pytest.raises(UserError, match="has not begun yet"):
        export_bundle(ws, tmp_path, period="PY3")
    assert ledger(ws) == []
    running = export_bundle(ws, tmp_path, period="PY2").entry
    assert (running.period_start, running.period_end) == (date(2026, 10, 1), date(2026, 11, 25))
    assert running.created_at.startswith("2026-11-25T")


def test_warnings_name_missing_receipts_and_long_silence(ws: Workspace, tmp_path: Path) -> None:
    assert overdue(ws) == ["No bundle has been sent to the ministry yet."]
    export_bundle(ws, tmp_path, period="PY1")
    assert overdue(ws) == []
    ws.clock.advance(days=60)  # type: ignore[attr-defined]
    warnings = overdue(ws)
    assert any("No bundle for 60 days" in w for w in warnings)
    assert "No receipt yet for bundle 1 (sent more than 14 days ago)." in warnings
    export_bundle(ws, tmp_path, period="2026-10-01..2026-10-31")
    ws.clock.advance(days=20)  # type: ignore[attr-defined]
    set_ui_language("de")
    assert "Noch keine Quittung für die Bündel Nr. 1, 2 (vor mehr als 14 Tagen gesendet)." in (
        overdue(ws)
    )


def test_ledger_payload_is_the_signed_zip(ws: Workspace, tmp_path: Path) -> None:
    summary = export_bundle(ws, tmp_path, period="PY1")
    payload = base64.b64decode(summary.entry.payload_b64)
    names = zipfile.ZipFile(io.BytesIO(payload)).namelist()
    assert names[:2] == ["manifest.json", "manifest.json.minisig"]


def test_a_person_naturalised_later_keeps_the_pseudonym_earlier_bundles_gave(
    ws: Workspace,
) -> None:
    """With only a year of birth the pseudonym also uses the nationalities; those of the
    first record count, so a person who becomes German is one person to the ministry."""
    person = ws.add(Person(name="Samira Haddad", birth_year=1990, gender="female",
                           nationalities=("SY",), residence_status="refugee"))  # fmt: skip
    ws.add(Contact(person_id=person.id, contacted_on=date(2026, 2, 2), duration_minutes=30,
                   mode="office"))  # fmt: skip
    period = parse_period("PY1")

    def pseudonyms() -> set[str]:
        rows = _participation_rows(ws, period, load_facts(ws, period))
        return {str(r["pseudonym"]) for r in rows}

    before = pseudonyms()
    ws.update(dataclasses.replace(person, nationalities=("SY", "DE"),
                                  residence_status_date=date(2026, 6, 1)))  # fmt: skip
    assert pseudonyms() == before
