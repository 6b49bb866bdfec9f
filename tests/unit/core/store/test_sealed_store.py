"""The vault file: what goes in comes out, only for the right secret, with versions and keys."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kisi_desktop.core.errors import (
    RecordNotFound,
    VaultCorrupt,
    VaultExists,
    VaultNotFound,
    WeakPassphrase,
    WrongSecret,
)
from kisi_desktop.core.i18n import _
from kisi_desktop.core.store.sealed_store import Delete, Put, Vault
from kisi_desktop.core.vault import recovery
from kisi_desktop.core.vault.kdf import TEST_PARAMS

from tests.support.vaults import (
    NEW_PASSPHRASE,
    PASSPHRASE,
    envelope,
    new_id,
    put_note,
    put_person,
    raw,
)

MakeVault = Callable[..., tuple[Vault, str]]

ARABIC = "مرحبا، موعد في مكتب الأجانب يوم الثلاثاء"
TIGRINYA = "ሰላም፣ ቆጸራ ኣብ ቤት ጽሕፈት ስደተኛታት"


def _contents(vault: Vault) -> dict[str, tuple[str, int, bytes]]:
    records, report = vault.load()
    assert report.ok, report.problems
    return {r.id: (r.kind, r.version, r.plain) for r in records}


def _reopen(vault: Vault, **kwargs: object) -> Vault:
    path = vault.path
    vault.close()
    if not kwargs:
        kwargs = {"passphrase": PASSPHRASE}
    return Vault.open(path, **kwargs)  # type: ignore[arg-type]


def _file_state(path: Path) -> tuple[str, int, int]:
    """Hash of the main file and the number of audit and record rows."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with raw(path) as conn:
        audits = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        records = conn.execute("SELECT count(*) FROM record").fetchone()[0]
    conn.close()
    return digest, audits, records


# ------------------------------------------------------------------ round trips
def test_records_of_several_kinds_and_owners_come_back_after_reopening(
    make_vault: MakeVault,
) -> None:
    vault, _code = make_vault()
    anna, bilal = put_person("Anna Schmidt"), put_person("Bilal Haddad")
    puts = [
        anna,
        bilal,
        put_note(anna.id, "Termin Jobcenter"),
        put_note(bilal.id, "Sprachkurs B1"),
        Put("activity", new_id(), 2, None, envelope("activity", None, title="Elterncafé")),
        Put("partner", new_id(), 1, None, b""),
    ]
    assert vault.commit("add", puts) == [1] * len(puts)
    vault = _reopen(vault)
    contents = _contents(vault)
    assert contents == {p.id: (p.kind, 1, p.plain) for p in puts}
    vault.close()


def test_personal_records_are_sealed_under_their_persons_key(make_vault: MakeVault) -> None:
    """Each person has a key of their own, which also seals the records owned by them."""
    vault, _code = make_vault()
    anna, bilal = put_person("Anna"), put_person("Bilal")
    note_a, note_b, general = put_note(anna.id, "a"), put_note(bilal.id, "b"), put_note(None, "c")
    vault.commit("add", [note_a, anna, bilal, note_b, general])  # notes first: order is sorted
    refs = dict(vault.conn.execute("SELECT hex(id), key_ref FROM record").fetchall())
    refs = {rid.lower(): ref for rid, ref in refs.items()}
    assert refs[anna.id] == refs[note_a.id] != refs[bilal.id] == refs[note_b.id]
    assert refs[anna.id].startswith("p") and refs[general.id].startswith("d")
    person_refs = {r for (r,) in vault.conn.execute("SELECT key_ref FROM person_key")}
    assert person_refs == {refs[anna.id], refs[bilal.id]}
    assert sorted(vault.records_sealed_with_person_key(anna.id)) == sorted(
        [("person", anna.id), ("note", note_a.id)]
    )


def test_a_record_for_an_unknown_owner_is_refused(make_vault: MakeVault) -> None:
    vault, _code = make_vault()
    with pytest.raises(RecordNotFound):
        vault.commit("add", [put_note(new_id(), "owner does not exist")])
    assert _contents(vault) == {}


def test_updates_increment_the_version_and_keep_only_the_newest(make_vault: MakeVault) -> None:
    vault, _code = make_vault()
    note = put_note(None, "v1")
    assert vault.commit("add", [note]) == [1]
    assert vault.commit("update", [put_note(None, "v2", rid=note.id)]) == [2]
    assert vault.version_of(note.id) == 2
    vault = _reopen(vault)
    contents = _contents(vault)
    assert contents[note.id] == ("note", 2, envelope("note", None, text="v2"))
    # The version continues after reopening (load tells the vault what exists).
    assert vault.commit("update", [put_note(None, "v3", rid=note.id)]) == [3]
    assert vault.conn.execute("SELECT count(*) FROM record").fetchone()[0] == 1
    vault.close()


def test_a_record_cannot_change_its_kind(make_vault: MakeVault) -> None:
    vault, _code = make_vault()
    note = put_note(None, "x")
    vault.commit("add", [note])
    with pytest.raises(ValueError):
        vault.commit("update", [Put("activity", note.id, 1, None, b"{}")])
    assert _contents(vault)[note.id][0] == "note"


def test_unicode_text_survives_byte_for_byte(make_vault: MakeVault) -> None:
    """Arabic, Tigrinya, German umlauts, emoji and a decomposed (NFD) string stay exact."""
    vault, _code = make_vault()
    texts = [ARABIC, TIGRINYA, "Ausländerbehörde Gießen", "👪 family", "Ausla\u0308nder", ""]
    puts = [put_note(None, text) for text in texts]
    vault.commit("add", puts)
    vault = _reopen(vault)
    contents = _contents(vault)
    for put, text in zip(puts, texts, strict=True):
        assert json.loads(contents[put.id][2])["d"]["text"] == text
        assert contents[put.id][2] == put.plain
    vault.close()


def test_deleting_a_record_removes_it_for_good(make_vault: MakeVault) -> None:
    vault, _code = make_vault()
    keep, drop = put_note(None, "keep"), put_note(None, "drop")
    vault.commit("add", [keep, drop])
    vault.commit("delete", deletes=[Delete("note", drop.id)])
    vault = _reopen(vault)
    assert set(_contents(vault)) == {keep.id}
    with pytest.raises(RecordNotFound):
        vault.commit("delete", deletes=[Delete("note", drop.id)])
    vault.close()


# ------------------------------------------------------------------ secrets
def test_a_wrong_passphrase_is_refused_and_changes_nothing(make_vault: MakeVault) -> None:
    vault, _code = make_vault()
    vault.commit("add", [put_note(None, "x")])
    path = vault.path
    vault.close()
    before = _file_state(path)
    for wrong in ["korrekt Pferd Batteri", "KORREKT PFERD BATTERIE", "", "x" * 1000]:
        with pytest.raises(WrongSecret) as info:
            Vault.open(path, passphrase=wrong)
        assert str(info.value) == _("Wrong passphrase.")
    assert _file_state(path) == before
    assert not path.with_name(path.name + "-wal").exists() or (
        path.with_name(path.name + "-wal").stat().st_size == 0
    )
    vault = Vault.open(path, passphrase=PASSPHRASE)
    assert len(_contents(vault)) == 1
    vault.close()


def test_the_recovery_code_opens_the_vault(make_vault: MakeVault) -> None:
    vault, code = make_vault()
    note = put_note(None, "x")
    vault.commit("add", [note])
    path = vault.path
    vault.close()
    for typed in [code, code.lower(), code.replace("-", " "), " ".join(code.lower().split("-"))]:
        opened = Vault.open(path, recovery_code=typed)
        assert set(_contents(opened)) == {note.id}
        opened.close()


def test_a_recovery_code_with_a_typo_is_refused_before_touching_the_vault(
    make_vault: MakeVault,
) -> None:
    vault, code = make_vault()
    path = vault.path
    vault.close()
    before = _file_state(path)
    # Change one body character to another valid Base32 character: the check char catches it.
    caught = 0
    for position in range(0, 39):
        if code[position] == "-":
            continue
        replacement = "A" if code[position] != "A" else "B"
        typo = code[:position] + replacement + code[position + 1 :]
        try:
            Vault.open(path, recovery_code=typo)
        except WrongSecret as exc:
            if str(exc) == _("The recovery code contains a typing error; please check it."):
                caught += 1
            else:
                assert str(exc) == _("This recovery code does not open the vault.")
        else:
            pytest.fail("a mistyped recovery code opened the vault")
    assert caught >= 28  # 32 positions, each missed by the check char with p = 1/32
    assert _file_state(path) == before


def test_a_valid_code_of_another_vault_is_a_wrong_secret(make_vault: MakeVault) -> None:
    vault, _code = make_vault()
    path = vault.path
    vault.close()
    other = recovery.format_code(recovery.generate())
    with pytest.raises(WrongSecret) as info:
        Vault.open(path, recovery_code=other)
    assert str(info.value) == _("This recovery code does not open the vault.")


def test_a_planned_passphrase_change_touches_the_file_only_when_written(
    make_vault: MakeVault,
) -> None:
    """The GUI derives the keys on a worker between reading and writing the file."""
    vault, _code = make_vault()
    path = vault.path
    plan = vault.plan_passphrase("Kastanienallee zwölf", current="falsch geraten", kdf=TEST_PARAMS)
    before = _file_state(path)
    with pytest.raises(WrongSecret):
        plan.derive()  # the current passphrase is checked before anything is made
    plan = vault.plan_passphrase("Kastanienallee zwölf", current=PASSPHRASE, kdf=TEST_PARAMS)
    slot = plan.derive()
    assert _file_state(path) == before
    vault.write_passphrase_slot(slot)
    vault.close()
    with pytest.raises(WrongSecret):
        Vault.open(path, passphrase=PASSPHRASE)
    Vault.open(path, passphrase="Kastanienallee zwölf").close()


def test_a_passphrase_is_not_a_recovery_code_and_vice_versa(make_vault: MakeVault) -> None:
    vault, code = make_vault()
    path = vault.path
    vault.close()
    with pytest.raises(WrongSecret):
        Vault.open(path, passphrase=code)
    with pytest.raises(WrongSecret):
        Vault.open(path, recovery_code=PASSPHRASE)
    with pytest.raises(ValueError):
        Vault.open(path, passphrase=PASSPHRASE, recovery_code=code)
    with pytest.raises(ValueError):
        Vault.open(path)


@pytest.mark.parametrize("short", ["", "123456789", "ሰላምሰላምሰላ"])
def test_short_passphrases_are_refused(short: str, tmp_path: Path, make_vault: MakeVault) -> None:
    with pytest.raises(WeakPassphrase):
        Vault.create(tmp_path / "v" / "kisi.vault", short, kdf=TEST_PARAMS)
    assert not (tmp_path / "v" / "kisi.vault").exists()
    vault, _code = make_vault()
    with pytest.raises(WeakPassphrase):
        vault.change_passphrase(short, kdf=TEST_PARAMS)
    path = vault.path
    vault.close()
    Vault.open(path, passphrase=PASSPHRASE).close()


def test_changing_the_passphrase_keeps_data_and_the_recovery_code(make_vault: MakeVault) -> None:
    vault, code = make_vault()
    note = put_note(None, ARABIC)
    vault.commit("add", [note])
    vault.change_passphrase(NEW_PASSPHRASE, kdf=TEST_PARAMS)
    path = vault.path
    vault.close()
    with pytest.raises(WrongSecret):
        Vault.open(path, passphrase=PASSPHRASE)
    for secret in ({"passphrase": NEW_PASSPHRASE}, {"recovery_code": code}):
        opened = Vault.open(path, **secret)
        assert _contents(opened)[note.id][2] == note.plain
        assert opened.passphrase_params() == TEST_PARAMS
        opened.close()


def test_create_refuses_to_overwrite_and_open_needs_a_vault(tmp_path: Path) -> None:
    existing = tmp_path / "notes.txt"
    existing.write_text("keine Vault", encoding="utf-8")
    with pytest.raises(VaultExists):
        Vault.create(existing, PASSPHRASE, kdf=TEST_PARAMS)
    assert existing.read_text(encoding="utf-8") == "keine Vault"
    with pytest.raises(VaultNotFound):
        Vault.open(tmp_path / "missing.vault", passphrase=PASSPHRASE)
    with pytest.raises(VaultNotFound):
        Vault.open(tmp_path, passphrase=PASSPHRASE)


@pytest.mark.parametrize("content", [b"", b"keine Vault\n", b"SQLite format 3\x00" + bytes(84)])
def test_a_file_that_is_not_a_vault_is_refused_and_left_untouched(
    tmp_path: Path, content: bytes
) -> None:
    """Opening the wrong file must not turn it into a database (WAL switch writes)."""
    path = tmp_path / "other.db"
    path.write_bytes(content)
    with pytest.raises(VaultCorrupt):
        Vault.open(path, passphrase=PASSPHRASE)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_another_programs_sqlite_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "address-book.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES ('Anna')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(VaultCorrupt):
        Vault.open(path, passphrase=PASSPHRASE)
    assert path.read_bytes() == before
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    check.close()


def test_the_file_is_marked_as_a_kisi_vault_and_uses_safe_settings(make_vault: MakeVault) -> None:
    vault, _code = make_vault()
    conn = vault.conn
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x4B495349
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY


def test_a_closed_vault_refuses_work(make_vault: MakeVault) -> None:
    from kisi_desktop.core.errors import VaultLocked

    vault, _code = make_vault()
    vault.close()
    with pytest.raises(VaultLocked):
        vault.commit("add", [put_note(None, "x")])
    with pytest.raises(VaultLocked):
        vault.load()


# ------------------------------------------------------------------ key rotation
def test_data_keys_rotate_and_old_records_still_open(make_vault: MakeVault) -> None:
    vault, _code = make_vault(rotate_after=5)
    assert vault.data_key_generation() == 1
    written = []
    for n in range(12):
        note = put_note(None, f"Notiz {n}")
        vault.commit("add", [note])
        written.append(note)
    assert vault.data_key_generation() >= 3
    statuses = vault.conn.execute(
        "SELECT generation, status, seal_count FROM data_key ORDER BY generation"
    ).fetchall()
    assert [s for _g, s, _n in statuses].count("active") == 1
    assert all(n <= 5 for _g, _s, n in statuses)
    key_refs = {r for (r,) in vault.conn.execute("SELECT DISTINCT key_ref FROM record")}
    assert len(key_refs) >= 3
    path = vault.path
    vault.close()
    vault = Vault.open(path, passphrase=PASSPHRASE, rotate_after=5)
    contents = _contents(vault)
    assert {rid: plain for rid, (_k, _v, plain) in contents.items()} == {
        n.id: n.plain for n in written
    }
    # Updating an old record re-seals it under the current key.
    vault.commit("update", [put_note(None, "neu", rid=written[0].id)])
    newest = vault.conn.execute("SELECT key_ref FROM data_key WHERE status = 'active'").fetchone()[
        0
    ]
    assert (
        vault.conn.execute(
            "SELECT key_ref FROM record WHERE id = ?", (bytes.fromhex(written[0].id),)
        ).fetchone()[0]
        == newest
    )
    vault.close()


# ------------------------------------------------------------------ erasure guard
def test_a_person_cannot_be_deleted_while_their_records_stay(make_vault: MakeVault) -> None:
    """Deleting only the person would leave records no key can open: refused, nothing lost."""
    vault, _code = make_vault()
    anna = put_person("Anna")
    note = put_note(anna.id, "Notiz")
    vault.commit("add", [anna, note])
    with pytest.raises(ValueError):
        vault.commit("erase", deletes=[Delete("person", anna.id)])
    assert set(_contents(vault)) == {anna.id, note.id}
    vault.commit("erase", deletes=[Delete("person", anna.id), Delete("note", note.id)])
    assert _contents(vault) == {}
    assert vault.conn.execute("SELECT count(*) FROM person_key").fetchone()[0] == 0
