"""An older copy of the vault file put back (a backup or sync program, a USB stick) is
found at unlock by the mark the last lock left outside the vault (core/older_copy.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.domain import Municipality, Person
from kisi_desktop.core.domain.signing_key import SigningKey
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.older_copy import (
    FORMAT,
    MAX_FILE,
    NEW_EPOCH_TAG,
    Mark,
    Marks,
    OlderCopy,
    _digest,
    accept_older_copy,
    marks_folder,
    older_copy_message,
)
from kisi_desktop.core.store.sealed_store import Vault
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import prepare_bundle
from kisi_desktop.bundles.keys import signer
from kisi_desktop.reports.periods import parse_period

PASS = "Lindenblüte 2026"


@pytest.fixture
def marks(tmp_path: Path) -> Marks:
    return Marks(tmp_path / "state" / "vault-marks.json")


def _older_copy_put_back(tmp_path: Path, marks: Marks) -> Path:
    """A vault locked here, copied away, worked on and locked again; then the copy put
    back in its place. Its bundle signer exists (a bundle was "sent" before the copy)."""
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    ws.add(Municipality(ags="06534011", name="Kirchhain"))
    signer(ws)
    ws.lock()
    ws = Workspace.open(path, passphrase=PASS, marks=marks)
    assert ws.older_copy is None
    ws.lock()
    shutil.copy2(path, tmp_path / "older.kisi")
    ws = Workspace.open(path, passphrase=PASS, marks=marks)
    ws.add(Person(name="Amina Haidari", nationalities=("AF",)))
    ws.lock()
    shutil.copy2(path, tmp_path / "newer.kisi")
    shutil.copy2(tmp_path / "older.kisi", path)
    return path


def test_an_older_copy_put_back_is_found_and_says_what_is_missing(
    tmp_path: Path, marks: Marks
) -> None:
    path = _older_copy_put_back(tmp_path, marks)
    ws = Workspace.open(path, passphrase=PASS, marks=marks)
    found = ws.older_copy
    assert found is not None and not found.other_history
    assert found.file_seq < found.mark.seq
    text = older_copy_message(found)
    assert text.startswith("Diese Tresordatei ist älter als die, die auf diesem Computer am ")
    assert f"(sie endet bei Änderung {found.file_seq}; " in text
    assert "beginnt das nächste Bündel für das Ministerium eine neue Reihe" in text
    # Its next bundle would repeat a number the ministry has: refused until decided.
    with pytest.raises(UserError, match="älter als die zuletzt"):
        prepare_bundle(ws, parse_period("2026-Q1"))
    # Locked without a decision: nothing is marked, the next unlock asks again.
    ws.lock()
    ws = Workspace.open(path, passphrase=PASS, marks=marks)
    assert ws.older_copy == found
    ws.lock()


def test_going_on_with_the_older_copy_starts_a_new_epoch_and_is_asked_once(
    tmp_path: Path, marks: Marks
) -> None:
    path = _older_copy_put_back(tmp_path, marks)
    ws = Workspace.open(path, passphrase=PASS, marks=marks)
    (key,) = ws.list(SigningKey)
    accept_older_copy(ws)
    assert ws.older_copy is None
    assert ws.list(SigningKey)[0].machine_tag == NEW_EPOCH_TAG
    assert signer(ws).epoch == key.epoch + 1
    ws.lock()
    ws = Workspace.open(path, passphrase=PASS, marks=marks)
    assert ws.older_copy is None
    ws.lock()


def test_a_copy_worked_on_elsewhere_is_another_history(tmp_path: Path, marks: Marks) -> None:
    path = _older_copy_put_back(tmp_path, marks)
    elsewhere = Workspace.open(path, passphrase=PASS)  # (another computer: no marks here)
    for n in range(3):
        elsewhere.add(Person(name=f"Person {n}", nationalities=("SY",)))
    elsewhere.lock()
    ws = Workspace.open(path, passphrase=PASS, marks=marks)
    found = ws.older_copy
    assert found is not None and found.other_history and found.file_seq > found.mark.seq
    assert "ihre Geschichte ist seitdem anders verlaufen" in older_copy_message(found)
    ws.lock()


def test_the_newer_file_and_a_vault_never_locked_here_open_without_question(
    tmp_path: Path, marks: Marks
) -> None:
    path = _older_copy_put_back(tmp_path, marks)
    other = tmp_path / "other.kisi"
    ws, _code = Workspace.create(other, PASS, kdf=TEST_PARAMS)
    ws.lock()
    ws = Workspace.open(other, passphrase=PASS, marks=marks)
    assert ws.older_copy is None
    ws.lock()
    # The newer file put back in turn is the one marked: no question.
    shutil.copy2(tmp_path / "newer.kisi", path)
    ws = Workspace.open(path, passphrase=PASS, marks=marks)
    assert ws.older_copy is None
    assert [p.name for p in ws.list(Person)] == ["Amina Haidari"]
    ws.lock()


@pytest.mark.allow_log_warnings
def test_a_damaged_marks_file_keeps_no_vault_shut_and_is_written_anew(
    tmp_path: Path, marks: Marks, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    ws.lock()
    marks.path.parent.mkdir()
    for damaged in (
        b"\xff\xfe not json",
        b'{"format": "other"}',
        b"[]",
        b'{"format": "kisi-vault-marks/2", "vaults": {"%s": {"seq": "x"}}}',
        b"[" * 200_000,  # (nested too deep for the JSON parser: RecursionError)
        b" " * (MAX_FILE + 10),  # (larger than any marks file)
    ):
        marks.path.write_bytes(damaged.replace(b"%s", b"00"))
        ws = Workspace.open(path, passphrase=PASS, marks=marks)
        assert ws.older_copy is None
        ws.lock()
    assert marks.path.stat().st_mode & 0o777 == 0o600
    # (said when the unlock reads the file, and when the lock does before writing it anew)
    assert {r.getMessage() for r in caplog.records} == {
        "vault marks unreadable: UnicodeDecodeError",
        "vault marks unreadable: RecursionError",
        "vault marks unreadable: JSONDecodeError",
    }
    shutil.copy2(path, tmp_path / "older.kisi")
    ws = Workspace.open(path, passphrase=PASS, marks=marks)
    ws.add(Person(name="Amina Haidari", nationalities=("AF",)))
    ws.lock()
    shutil.copy2(tmp_path / "older.kisi", path)
    ws = Workspace.open(path, passphrase=PASS, marks=marks)
    assert ws.older_copy is not None
    ws.lock()


@pytest.fixture(scope="module")
def open_vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    """One unlocked vault for the property test (a few records, so entries exist)."""
    path = tmp_path_factory.mktemp("marks") / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    ws.add(Person(name="Amina Haidari", nationalities=("AF",)))
    yield ws.vault
    ws.lock()


_ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
# A mark shaped nearly right: its three keys, each with a value of the right kind or not.
_NEAR_MARK = st.fixed_dictionaries(
    {
        "seq": st.integers(min_value=-(10**30), max_value=10**30) | _ANY,
        "mac": st.text(alphabet="0123456789abcdef", min_size=32, max_size=32) | _ANY,
        "on": st.dates().map(lambda d: d.isoformat()) | _ANY,
        "epoch": st.integers(min_value=-5, max_value=20_000) | _ANY,
    }
)


@pytest.mark.allow_log_warnings
@given(
    damaged=st.one_of(
        st.binary(max_size=200),
        (_ANY | _NEAR_MARK).map(
            lambda value: json.dumps({"format": FORMAT, "vaults": {"ID": value}}).encode()
        ),
    )
)
@settings(max_examples=150)
def test_whatever_the_marks_file_holds_the_unlock_goes_on(
    open_vault: Vault, tmp_path_factory: pytest.TempPathFactory, damaged: bytes
) -> None:
    """The marks file is outside the vault and unsealed: any content, even a mark shaped
    nearly right, gives an answer or none, never an error that keeps the vault shut."""
    path = tmp_path_factory.getbasetemp() / "vault-marks.json"
    path.write_bytes(damaged.replace(b'"ID"', json.dumps(open_vault.vault_id.hex()).encode()))
    found = Marks(path).older_copy(open_vault)
    assert found is None or isinstance(found, OlderCopy)
    if found is not None:
        assert older_copy_message(found)  # (said without an error, too)


def test_the_same_older_copy_put_back_twice_never_repeats_an_epoch(
    tmp_path: Path, marks: Marks
) -> None:
    """Going on twice with the same older file: each new series is above every epoch this
    computer saw the vault use, so no (device, epoch, number) is sent twice."""
    path = _older_copy_put_back(tmp_path, marks)
    older = tmp_path / "older.kisi"
    used = []
    for _round in range(2):
        shutil.copy2(older, path)
        ws = Workspace.open(path, passphrase=PASS, marks=marks)
        assert ws.older_copy is not None
        accept_older_copy(ws)
        used.append((signer(ws).device_id, signer(ws).epoch))  # as the next export signs
        ws.lock()
    (device, first), (same_device, second) = used
    assert device == same_device and second > first > 1


def test_the_marks_are_kept_apart_from_the_vaults_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the vault's folder put back must not bring the old mark back with it."""
    monkeypatch.delenv("KISI_STATE_DIR", raising=False)
    from kisi_desktop.core.paths import default_vault_path

    assert default_vault_path().parent not in marks_folder().parents
    assert marks_folder() != default_vault_path().parent


def test_two_apps_locking_at_once_keep_both_marks(tmp_path: Path) -> None:
    """The real and the demo vault lock together at the screen lock: both marks stay."""
    path = tmp_path / "state" / "vault-marks.json"
    child = (
        "import sys, datetime\n"
        "from pathlib import Path\n"
        "from kisi_desktop.core.older_copy import Marks\n"
        "marks = Marks(Path(sys.argv[1]))\n"
        "for n in range(1, 61):\n"
        "    marks.remember(bytes([int(sys.argv[2])]) * 16, (n, b'x' * 32),\n"
        "                   datetime.date(2026, 11, 26), 1)\n"
    )
    runs = [subprocess.Popen([sys.executable, "-c", child, str(path), str(n)]) for n in (1, 2)]
    assert [run.wait(60) for run in runs] == [0, 0]
    book = Marks(path)
    assert [book.mark(bytes([n]) * 16) for n in (1, 2)] == [
        Mark(60, _digest(b"x" * 32), date(2026, 11, 26), 1)
    ] * 2
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "vault-marks.json",
        "vault-marks.json.lock",
    ]  # (no temporary file left behind)


def test_a_copy_from_before_a_renewal_of_the_keys_is_found_even_after_a_crash(
    tmp_path: Path, marks: Marks
) -> None:
    """The renewal marks the vault at once: no lock has to follow (the app may be killed
    right after), and a copy with the old, known keys put back is still caught."""
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    ws.lock()
    ws = Workspace.open(path, passphrase=PASS, marks=marks)
    ws.add(Person(name="Amina Haidari", nationalities=("AF",)))
    ws.lock()
    shutil.copy2(path, tmp_path / "before-renewal.kisi")
    ws = Workspace.open(path, passphrase=PASS, marks=marks)
    ws.renew_keys(PASS, kdf=TEST_PARAMS)
    ws.vault.close()  # (the process ends without a lock: nothing else marks the vault)
    shutil.copy2(tmp_path / "before-renewal.kisi", path)
    ws = Workspace.open(path, passphrase=PASS, marks=marks)
    assert ws.older_copy is not None
    ws.lock()
