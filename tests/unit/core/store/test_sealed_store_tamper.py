"""S3: ciphertext and keys changed in the file behind the app's back are refused, never used.

Every change is made with plain ``sqlite3``, as someone with the file (but not the
passphrase) could. The vault must report each altered record and never return it; altered
keys or slots must stop the unlock with WrongSecret or VaultCorrupt, never another error.
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kisi_desktop.core.errors import VaultCorrupt, WrongSecret
from kisi_desktop.core.store.audit import AuditReport
from kisi_desktop.core.store.sealed_store import LoadedRecord, Put, Vault

from tests.support.vaults import PASSPHRASE, envelope, new_id, put_note, put_person, raw

MakeVault = Callable[..., tuple[Vault, str]]


def _load(vault: Vault) -> tuple[dict[str, LoadedRecord], AuditReport]:
    records, report = vault.load()
    return {r.id: r for r in records}, report


def _blob(path: Path, rid: str) -> bytes:
    conn = raw(path)
    try:
        return bytes(
            conn.execute("SELECT blob FROM record WHERE id = ?", (bytes.fromhex(rid),)).fetchone()[
                0
            ]
        )
    finally:
        conn.close()


def _execute(path: Path, sql: str, *params: object) -> None:
    conn = raw(path)
    try:
        conn.execute(sql, params)
    finally:
        conn.close()


def _assert_refused(vault: Vault, *rids: str) -> None:
    loaded, report = _load(vault)
    assert not report.ok
    for rid in rids:
        assert rid not in loaded, f"altered record {rid} was returned"
        assert any(rid in problem for problem in report.problems), (rid, report.problems)


# ------------------------------------------------------------------ record blobs
def test_every_byte_flip_of_100_stored_blobs_is_reported(make_vault: MakeVault) -> None:
    """XOR 0x01 at every byte position of 100 sealed records in the file: each one refused.

    All 100 records are altered at the same position at once (each independently), then the
    vault loads: every altered record must be reported and withheld, and after restoring the
    bytes everything loads cleanly again.
    """
    vault, _code = make_vault()
    rng = random.Random(3)
    people = [put_person(f"Person {n}") for n in range(10)]
    notes = [
        put_note(rng.choice([None, *(p.id for p in people)]), "x" * rng.randrange(0, 60))
        for _n in range(90)
    ]
    vault.commit("add", [*people, *notes])
    path = vault.path
    originals = {p.id: _blob(path, p.id) for p in [*people, *notes]}
    longest = max(len(b) for b in originals.values())
    conn = raw(path)
    flips = 0
    try:
        for position in range(longest):
            altered = {}
            for rid, blob in originals.items():
                if position < len(blob):
                    changed = bytearray(blob)
                    changed[position] ^= 0x01
                    altered[rid] = bytes(changed)
            conn.executemany(
                "UPDATE record SET blob = ? WHERE id = ?",
                [(blob, bytes.fromhex(rid)) for rid, blob in altered.items()],
            )
            loaded, report = _load(vault)
            for rid in altered:
                assert rid not in loaded
            problems = " ".join(report.problems)
            assert all(rid in problems for rid in altered)
            flips += len(altered)
            conn.executemany(
                "UPDATE record SET blob = ? WHERE id = ?",
                [(blob, bytes.fromhex(rid)) for rid, blob in originals.items()],
            )
    finally:
        conn.close()
    loaded, report = _load(vault)
    assert report.ok and len(loaded) == 100
    assert flips >= 100 * 29  # at least the envelope overhead of each of the 100 blobs


def test_swapping_blobs_between_two_records_of_one_kind_is_refused(make_vault: MakeVault) -> None:
    vault, _code = make_vault()
    a, b, c = put_note(None, "A"), put_note(None, "B"), put_note(None, "C")
    vault.commit("add", [a, b, c])
    blob_a, blob_b = _blob(vault.path, a.id), _blob(vault.path, b.id)
    _execute(vault.path, "UPDATE record SET blob = ? WHERE id = ?", blob_b, bytes.fromhex(a.id))
    _execute(vault.path, "UPDATE record SET blob = ? WHERE id = ?", blob_a, bytes.fromhex(b.id))
    _assert_refused(vault, a.id, b.id)
    assert set(_load(vault)[0]) == {c.id}


def test_swapping_blobs_between_kinds_is_refused(make_vault: MakeVault) -> None:
    vault, _code = make_vault()
    anna = put_person("Anna")
    note = Put("activity", new_id(), 1, None, envelope("activity", None, title="Café"))
    vault.commit("add", [anna, note])
    path = vault.path
    blob_p, blob_n = _blob(path, anna.id), _blob(path, note.id)
    _execute(path, "UPDATE record SET blob = ? WHERE id = ?", blob_n, bytes.fromhex(anna.id))
    _execute(path, "UPDATE record SET blob = ? WHERE id = ?", blob_p, bytes.fromhex(note.id))
    _assert_refused(vault, anna.id, note.id)


def test_relabelling_a_rows_clear_columns_is_refused(make_vault: MakeVault) -> None:
    """Kind, schema version, key reference or id changed, ciphertext untouched: refused."""
    vault, _code = make_vault()
    anna = put_person("Anna")
    notes = [put_note(None, f"n{n}") for n in range(4)]
    vault.commit("add", [anna, *notes])
    path = vault.path
    anna_ref = vault.conn.execute(
        "SELECT key_ref FROM record WHERE id = ?", (bytes.fromhex(anna.id),)
    ).fetchone()[0]
    moved_id = new_id()
    _execute(path, "UPDATE record SET kind = 'activity' WHERE id = ?", bytes.fromhex(notes[0].id))
    _execute(path, "UPDATE record SET schema_v = 2 WHERE id = ?", bytes.fromhex(notes[1].id))
    _execute(
        path, "UPDATE record SET key_ref = ? WHERE id = ?", anna_ref, bytes.fromhex(notes[2].id)
    )
    _execute(
        path,
        "UPDATE record SET id = ? WHERE id = ?",
        bytes.fromhex(moved_id),
        bytes.fromhex(notes[3].id),
    )
    loaded, report = _load(vault)
    assert set(loaded) == {anna.id}
    problems = " ".join(report.problems)
    for rid in [n.id for n in notes] + [moved_id]:
        assert rid in problems


def test_an_older_version_of_a_record_is_refused(make_vault: MakeVault) -> None:
    """The old ciphertext, with the old or with the new version number: both refused."""
    vault, _code = make_vault()
    note = put_note(None, "Sperrvermerk: keine Weitergabe")
    vault.commit("add", [note])
    old_blob = _blob(vault.path, note.id)
    vault.commit("update", [put_note(None, "Sperrvermerk aufgehoben", rid=note.id)])
    new_blob = _blob(vault.path, note.id)
    rid = bytes.fromhex(note.id)
    _execute(vault.path, "UPDATE record SET blob = ? WHERE id = ?", old_blob, rid)
    _assert_refused(vault, note.id)
    _execute(vault.path, "UPDATE record SET blob = ?, version = 1 WHERE id = ?", old_blob, rid)
    _assert_refused(vault, note.id)
    _execute(vault.path, "UPDATE record SET blob = ?, version = 2 WHERE id = ?", new_blob, rid)
    loaded, report = _load(vault)
    assert report.ok and loaded[note.id].plain == envelope(
        "note", None, text="Sperrvermerk aufgehoben"
    )


def test_a_blob_from_another_vault_with_the_same_id_is_refused(make_vault: MakeVault) -> None:
    """Same id, kind and version in two vaults: copying one's row into the other fails."""
    home, _c1 = make_vault()
    other, _c2 = make_vault()
    rid = new_id()
    home.commit("add", [put_note(None, "home", rid=rid)])
    other.commit("add", [put_note(None, "other", rid=rid)])
    foreign = _blob(other.path, rid)
    _execute(home.path, "UPDATE record SET blob = ? WHERE id = ?", foreign, bytes.fromhex(rid))
    _assert_refused(home, rid)
    # The whole row, key reference included.
    foreign_ref = other.conn.execute("SELECT key_ref FROM record").fetchone()[0]
    _execute(
        home.path, "UPDATE record SET key_ref = ? WHERE id = ?", foreign_ref, bytes.fromhex(rid)
    )
    _assert_refused(home, rid)


@pytest.mark.parametrize(
    "value",
    ["text instead of bytes", 42, 1.5, b""],
    ids=["text", "int", "real", "empty"],
)
def test_a_blob_of_the_wrong_type_is_reported_not_a_crash(
    make_vault: MakeVault, value: object
) -> None:
    vault, _code = make_vault()
    note, other = put_note(None, "x"), put_note(None, "y")
    vault.commit("add", [note, other])
    _execute(vault.path, "UPDATE record SET blob = ? WHERE id = ?", value, bytes.fromhex(note.id))
    loaded, report = _load(vault)
    assert set(loaded) == {other.id}
    assert not report.ok


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE record SET id = 'not bytes' WHERE kind = 'note'",
        "UPDATE record SET id = 7 WHERE kind = 'note'",
        "UPDATE record SET kind = x'6e6f7465' WHERE kind = 'note'",
        "UPDATE record SET version = 'one' WHERE kind = 'note'",
        "UPDATE record SET version = 1.5 WHERE kind = 'note'",
        "UPDATE record SET schema_v = 'one' WHERE kind = 'note'",
        "UPDATE record SET schema_v = -1 WHERE kind = 'note'",
        "UPDATE record SET key_ref = 5 WHERE kind = 'note'",
    ],
)
def test_clear_columns_of_the_wrong_type_are_reported_not_a_crash(
    make_vault: MakeVault, sql: str
) -> None:
    """SQLite does not enforce column types; a hand-edited file must still only be reported."""
    vault, _code = make_vault()
    anna, note = put_person("Anna"), put_note(None, "x")
    vault.commit("add", [anna, note])
    _execute(vault.path, sql)
    loaded, report = _load(vault)
    assert note.id not in loaded
    assert anna.id in loaded
    assert not report.ok


# ------------------------------------------------------------------ wrapped keys
def _flip_last(value: bytes) -> bytes:
    return value[:-1] + bytes((value[-1] ^ 0x01,))


def _open_fds_to(path: Path) -> int:
    fd_dir = Path("/proc/self/fd")
    count = 0
    for fd in fd_dir.iterdir():
        try:
            if os.readlink(fd).startswith(str(path)):
                count += 1
        except OSError:
            continue
    return count


def _wrapped_key_cases() -> list[tuple[str, Callable[[Path], None]]]:
    def flip(table: str) -> Callable[[Path], None]:
        def change(path: Path) -> None:
            conn = raw(path)
            ref, wrapped = conn.execute(f"SELECT key_ref, wrapped FROM {table} LIMIT 1").fetchone()  # noqa: S608
            conn.execute(
                f"UPDATE {table} SET wrapped = ? WHERE key_ref = ?",  # noqa: S608
                (_flip_last(wrapped), ref),
            )
            conn.close()

        return change

    def swap_person_keys(path: Path) -> None:
        conn = raw(path)
        (r1, w1), (r2, w2) = conn.execute("SELECT key_ref, wrapped FROM person_key").fetchall()[:2]
        conn.execute("UPDATE person_key SET wrapped = ? WHERE key_ref = ?", (w2, r1))
        conn.execute("UPDATE person_key SET wrapped = ? WHERE key_ref = ?", (w1, r2))
        conn.close()

    def rename_data_key(path: Path) -> None:
        conn = raw(path)
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("UPDATE data_key SET key_ref = 'd1-000000000000'")
        conn.close()

    def data_key_as_person_key(path: Path) -> None:
        conn = raw(path)
        ref, wrapped = conn.execute("SELECT key_ref, wrapped FROM data_key").fetchone()
        conn.execute("INSERT INTO person_key VALUES (?, 0, ?)", (ref, wrapped))
        conn.close()

    return [
        ("data_key flipped", flip("data_key")),
        ("person_key flipped", flip("person_key")),
        ("person keys swapped", swap_person_keys),
        ("data key renamed", rename_data_key),
        ("data key posing as a person key", data_key_as_person_key),
    ]


@pytest.mark.parametrize(
    ("name", "change"), _wrapped_key_cases(), ids=[name for name, _c in _wrapped_key_cases()]
)
def test_an_altered_wrapped_key_stops_the_unlock(
    make_vault: MakeVault, name: str, change: Callable[[Path], None]
) -> None:
    vault, code = make_vault()
    vault.commit("add", [put_person("Anna"), put_person("Bilal"), put_note(None, "x")])
    path = vault.path
    vault.close()
    change(path)
    for secret in ({"passphrase": PASSPHRASE}, {"recovery_code": code}):
        with pytest.raises(VaultCorrupt):
            Vault.open(path, **secret)  # type: ignore[arg-type]
    if sys.platform.startswith("linux"):
        assert _open_fds_to(path) == 0, "a refused vault must not stay open"


SLOT_TAMPERING = [
    "UPDATE key_slot SET kdf = '[]' WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET kdf = '1' WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET kdf = 'null' WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET kdf = 'kaputt' WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET kdf = '' WHERE slot_id = 'passphrase'",
    """UPDATE key_slot SET kdf = '{"alg":"argon2id","m":2048,"t":1,"p":1}'
       WHERE slot_id = 'passphrase'""",
    """UPDATE key_slot SET kdf = '{"alg":"argon2id","m":1024,"t":1,"p":1,"x":0}'
       WHERE slot_id = 'passphrase'""",
    """UPDATE key_slot SET kdf = '{"alg":"argon2id","m":99999999,"t":999,"p":1}'
       WHERE slot_id = 'passphrase'""",
    """UPDATE key_slot SET kdf = '{"alg":"argon2id","m":8,"t":1,"p":4}'
       WHERE slot_id = 'passphrase'""",
    "UPDATE key_slot SET kdf = x'7b7d' WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET kdf = 3 WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET salt = zeroblob(16) WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET salt = substr(salt, 1, 4) WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET salt = x'' WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET salt = 'abcdefghijklmnop' WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET salt = salt || x'00' WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET wrapped = substr(wrapped, 1, 20) WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET wrapped = x'' WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET wrapped = 'wrapped' WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET wrapped = wrapped || x'00' WHERE slot_id = 'passphrase'",
    "UPDATE key_slot SET kind = 'recovery' WHERE slot_id = 'passphrase'",
    "DELETE FROM key_slot WHERE slot_id = 'passphrase'",
    "UPDATE vault_meta SET vault_id = zeroblob(16)",
    "UPDATE vault_meta SET vault_id = 'text'",
    "UPDATE vault_meta SET format_version = 2",
    "DELETE FROM vault_meta",
    "PRAGMA application_id = 0",
    "DROP TABLE key_slot",
]


@pytest.mark.parametrize("sql", SLOT_TAMPERING)
def test_an_altered_passphrase_slot_is_refused_cleanly(make_vault: MakeVault, sql: str) -> None:
    """Either WrongSecret or VaultCorrupt: never a traceback of another type, never unlocked."""
    vault, _code = make_vault()
    vault.commit("add", [put_note(None, "x")])
    path = vault.path
    vault.close()
    _execute(path, sql)
    with pytest.raises((WrongSecret, VaultCorrupt)) as info:
        Vault.open(path, passphrase=PASSPHRASE)
    assert str(info.value)


def test_flipping_any_byte_of_the_passphrase_slot_is_refused(make_vault: MakeVault) -> None:
    vault, code = make_vault()
    path = vault.path
    vault.close()
    conn = raw(path)
    salt, wrapped = conn.execute(
        "SELECT salt, wrapped FROM key_slot WHERE slot_id = 'passphrase'"
    ).fetchone()
    try:
        for column, value in (("salt", salt), ("wrapped", wrapped)):
            for i in range(len(value)):
                changed = bytearray(value)
                changed[i] ^= 0x01
                conn.execute(
                    f"UPDATE key_slot SET {column} = ? WHERE slot_id = 'passphrase'",  # noqa: S608
                    (bytes(changed),),
                )
                with pytest.raises((WrongSecret, VaultCorrupt)):
                    Vault.open(path, passphrase=PASSPHRASE)
            conn.execute(
                f"UPDATE key_slot SET {column} = ? WHERE slot_id = 'passphrase'",  # noqa: S608
                (value,),
            )
    finally:
        conn.close()
    Vault.open(path, passphrase=PASSPHRASE).close()
    Vault.open(path, recovery_code=code).close()


def test_a_damaged_passphrase_slot_leaves_the_recovery_code_working(make_vault: MakeVault) -> None:
    """The two slots are independent: the recovery code is the way back in."""
    vault, code = make_vault()
    note = put_note(None, "Akte")
    vault.commit("add", [note])
    path = vault.path
    vault.close()
    _execute(path, "UPDATE key_slot SET wrapped = zeroblob(61) WHERE slot_id = 'passphrase'")
    with pytest.raises(WrongSecret):
        Vault.open(path, passphrase=PASSPHRASE)
    vault = Vault.open(path, recovery_code=code)
    loaded, report = _load(vault)
    assert report.ok and note.id in loaded
    vault.close()
