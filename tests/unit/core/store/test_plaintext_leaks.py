"""P1: no plaintext reaches the disk: vault file, WAL, shared memory or temp files.

Records carry 60 marker words (Latin with diacritics, Arabic, Tigrinya). After a session
that writes, updates, searches, changes the passphrase and erases a person, every file in
the vault folder and in TMPDIR is scanned for the markers as UTF-8, UTF-16-LE and
UTF-16-BE, in NFC and NFD. Expected: 0 hits. The same scanner must find a planted marker
(negative control), or the 0 would mean nothing.
"""

from __future__ import annotations

import json
import tempfile
import unicodedata
from pathlib import Path

import pytest

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.store.sealed_store import Delete, Put, Vault
from kisi_desktop.core.store.working_set import IndexSpec, WorkingSet
from kisi_desktop.core.vault.kdf import TEST_PARAMS

from tests.support.marker_scan import describe, needles, random_markers, scan
from tests.support.vaults import NEW_PASSPHRASE, PASSPHRASE, envelope, new_id

FIXED_MARKERS = ["ZQXMARKERLATIN", "مرحباعلامة", "ሰላምምልክት", "ZQXÄÖÜMÄRKERÉ"]
SPEC = {
    "person": IndexSpec(label=("name",), search=("name", "notes")),
    "note": IndexSpec(label=("title",), search=("title", "text")),
}


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """TMPDIR for this test only, for SQLite and Python's tempfile alike."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setenv("SQLITE_TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _rows(puts: list[Put], versions: list[int]) -> list[tuple[str, str, int, str]]:
    return [(p.id, p.kind, v, p.plain.decode("utf-8")) for p, v in zip(puts, versions, strict=True)]


def test_no_marker_reaches_any_file(tmp_path: Path, temp_dir: Path, clock: FixedClock) -> None:
    markers = FIXED_MARKERS + random_markers(56, seed=11)
    folder = tmp_path / "vault"
    vault, _code = Vault.create(folder / "kisi.vault", PASSPHRASE, kdf=TEST_PARAMS, clock=clock)
    ws = WorkingSet(SPEC)

    # Ten people, each with two notes; every record carries markers.
    puts: list[Put] = []
    owner_of: dict[str, str] = {}
    pending = iter(markers)
    people = []
    for _n in range(10):
        pid = new_id()
        people.append(pid)
        puts.append(
            Put(
                "person", pid, 1, None, envelope("person", pid, name=next(pending), notes="Kontakt")
            )
        )
        for _k in range(2):
            rid = new_id()
            owner_of[rid] = pid
            puts.append(
                Put(
                    "note",
                    rid,
                    1,
                    pid,
                    envelope(
                        "note", pid, title=next(pending), text=f"Gespräch mit {next(pending)}"
                    ),
                )
            )
    spare = list(pending)
    half = len(puts) // 2
    versions = vault.commit("add", puts[:half]) + vault.commit("add", puts[half:])
    ws.load(_rows(puts, versions))

    # Updates: an old version held one marker, the new one another (both must not leak).
    update = Put(
        "note", puts[1].id, 1, people[0], envelope("note", people[0], title=spare[0], text="neu")
    )
    [version] = vault.commit("update", [update])
    ws.upsert(update.id, "note", version, update.plain.decode("utf-8"))

    # Search works on every marker that is still current (proves they were really used).
    current = {p.id: p for p in puts}
    current[update.id] = update
    searched = 0
    for put in current.values():
        data = json.loads(put.plain)["d"]
        for value in data.values():
            for word in str(value).split():
                if word in markers:
                    assert put.id in {hit.id for hit in ws.search(word)}, word
                    searched += 1
    assert searched == 49  # 50 written; the update replaced a note's two markers by one

    # Mid-session, with everything still in the WAL: only ciphertext there.
    wal = folder / "kisi.vault-wal"
    assert wal.exists() and wal.stat().st_size > 0
    hits = scan([folder, temp_dir], markers)
    assert not hits, "plaintext in the WAL:\n" + describe(hits)

    vault.change_passphrase(NEW_PASSPHRASE, kdf=TEST_PARAMS)

    # Erase one person and everything sealed under their key.
    erased = people[3]
    owned = vault.records_sealed_with_person_key(erased)
    vault.commit("erase", deletes=[Delete(kind, rid) for kind, rid in owned])
    for _kind, rid in owned:
        ws.remove(rid)
    assert not ws.search(json.loads(current[erased].plain)["d"]["name"])
    vault.checkpoint()
    vault.close()
    ws.close()

    files = sorted(p.name for p in folder.iterdir())
    assert "kisi.vault" in files
    hits = scan([folder, temp_dir], markers)
    assert not hits, "plaintext on disk:\n" + describe(hits)

    # Negative control on the very same folders: a planted marker is found.
    planted = folder / "planted.txt"
    planted.write_bytes(unicodedata.normalize("NFD", FIXED_MARKERS[3]).encode("utf-16-le"))
    hits = scan([folder, temp_dir], markers)
    assert [(h.path, h.marker, h.form) for h in hits] == [(planted, FIXED_MARKERS[3], "NFD")]
    planted.unlink()

    # The vault still opens with everything but the erased person.
    reopened = Vault.open(folder / "kisi.vault", passphrase=NEW_PASSPHRASE)
    records, report = reopened.load()
    assert report.ok, report.problems
    assert {r.id for r in records} == set(current) - {rid for _k, rid in owned}
    reopened.close()


def test_the_scanner_finds_a_planted_marker_in_every_encoding_and_form(temp_dir: Path) -> None:
    """Negative control: the scan that reported 0 hits above can find markers."""
    markers = FIXED_MARKERS + random_markers(6, seed=5)
    for n, marker in enumerate(markers):
        for needle, (encoding, form) in needles(marker).items():
            planted = temp_dir / f"plain-{n}-{encoding}-{form}.bin"
            planted.write_bytes(b"\x00junk " + needle + b" junk\xff")
            hits = scan([temp_dir], markers)
            assert [(h.path, h.marker) for h in hits] == [(planted, marker)], (encoding, form)
            planted.unlink()
    # NFC and NFD really differ for the markers with diacritics and Arabic hamza forms.
    assert any(len(needles(m)) == 6 for m in markers)


def test_the_scanner_looks_into_subfolders_and_every_file(temp_dir: Path) -> None:
    nested = temp_dir / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "cache.db-wal").write_bytes("xx ሰላምምልክት yy".encode("utf-16-be"))
    hits = scan([temp_dir], FIXED_MARKERS)
    assert len(hits) == 1 and hits[0].marker == "ሰላምምልክት" and hits[0].encoding == "utf-16-be"
