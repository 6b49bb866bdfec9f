"""The `kisi` command as a user runs it: a separate process, exit codes, stdout and stderr."""

from __future__ import annotations

import contextlib
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.settings import load_settings
from kisi_desktop.core.workspace import Workspace

pytestmark = pytest.mark.e2e
Kisi = Any
PASSPHRASE = "correct horse battery staple"


def test_init_with_production_kdf_and_recovery_code(kisi: Kisi, env: Any) -> None:
    created = kisi("init", "--json")
    assert created.code == 0, created
    code = created.json()["recovery_code"]
    assert env.vault.exists()
    ws = Workspace.open(env.vault, passphrase=PASSPHRASE)
    try:
        assert ws.vault.passphrase_params().meets_floor()
    finally:
        ws.lock()
    assert kisi("init").user_error().startswith("Error: A vault already exists")
    unlocked = kisi("unlock", "--recovery-code", KISI_RECOVERY_CODE=code, KISI_PASSPHRASE=None)
    assert unlocked.code == 0, unlocked


def test_person_add_list_and_json(kisi: Kisi, vault: Path) -> None:
    pid = kisi(
        "person", "add", "--name", "Ahmad Rahimi", "--nationality", "AF", "--birth-year", "1994"
    ).out.strip()
    listing = kisi("person", "list")
    assert listing.code == 0
    assert "Ahmad Rahimi" in listing.out
    [person] = kisi("person", "list", "--json").json()
    assert person["id"] == pid
    assert kisi("person", "add", "--name", "X", "--json").json()["id"]


def test_search_finds_notes_and_names_in_their_scripts(kisi: Kisi, vault: Path) -> None:
    arabic = kisi("person", "add", "--name", "فاطمة حداد").out.strip()
    tigrinya = kisi("person", "add", "--name", "ሰላም ተስፋይ").out.strip()
    kisi("note", "add", "--person", arabic, "--text", "Kitaplatz für die Tochter beantragt")
    assert [h["id"] for h in kisi("search", "حداد", "--json").json()] == [arabic]
    assert [h["id"] for h in kisi("search", "ተስፋይ", "--json").json()] == [tigrinya]
    [hit] = kisi("search", "Kitaplatz", "--json").json()
    assert hit["kind"] == "note"


def test_wrong_passphrase_is_one_line_without_traceback(kisi: Kisi, vault: Path) -> None:
    line = kisi("person", "list", KISI_PASSPHRASE="wrong passphrase").user_error()
    assert "passphrase" in line.lower()


def test_missing_vault_names_kisi_init(kisi: Kisi, env: Any) -> None:
    assert "kisi init" in kisi("person", "list").user_error()


def test_missing_passphrase_without_a_terminal(kisi: Kisi, vault: Path) -> None:
    assert "KISI_PASSPHRASE" in kisi("person", "list", KISI_PASSPHRASE=None).user_error()


def test_invalid_nationality_names_the_field(kisi: Kisi, vault: Path) -> None:
    assert (
        "--nationality" in kisi("person", "add", "--name", "X", "--nationality", "QQ").user_error()
    )


def test_export_holds_the_contact_note(kisi: Kisi, vault: Path, tmp_path: Path) -> None:
    pid = kisi("person", "add", "--name", "Yonas Tekle").out.strip()
    kisi(
        "contact",
        "add",
        "--person",
        pid,
        "--minutes",
        "30",
        "--topic",
        "recognition",
        "--note",
        "Diplom als Elektriker zur Anerkennung eingereicht",
    )
    assert "Elektriker" in kisi("person", "export", pid).out
    out = tmp_path / "export.json"
    assert kisi("person", "export", pid, "--out", str(out)).code == 0
    assert "Elektriker" in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_erase_needs_yes_then_forgets_the_person(kisi: Kisi, vault: Path) -> None:
    pid = kisi("person", "add", "--name", "Mariam Sultani").out.strip()
    kisi("contact", "add", "--person", pid, "--minutes", "30", "--note", "Wohnberechtigungsschein")
    assert "--yes" in kisi("person", "erase", pid).user_error()
    assert kisi("person", "show", pid).code == 0
    assert kisi("person", "erase", pid, "--yes").code == 0
    kisi("person", "show", pid).user_error()
    assert kisi("search", "Sultani", "--json").json() == []
    assert kisi("search", "Wohnberechtigungsschein", "--json").json() == []


def test_audit_verify_and_tampering(kisi: Kisi, vault: Path) -> None:
    pid = kisi("person", "add", "--name", "Omar Darwish").out.strip()
    ok = kisi("audit", "verify")
    assert ok.code == 0
    assert ok.out.strip() == "ok, 2 entries"
    with sqlite3.connect(vault) as conn:
        conn.execute(
            "UPDATE record SET blob = zeroblob(length(blob)) WHERE id = ?", (bytes.fromhex(pid),)
        )
    conn.close()
    bad = kisi("audit", "verify")
    assert bad.code == 1
    assert pid in bad.out
    assert "Traceback" not in bad.err


def test_demo_fills_a_vault(kisi: Kisi, vault: Path) -> None:
    made = kisi("demo", "--people", "50", "--seed", "7", "--json")
    assert made.code == 0, made
    assert made.json()["counts"]["person"] == 50
    people = kisi("person", "list", "--json").json()
    assert len(people) == 50
    assert {n for p in people for n in p["nationalities"]} <= {
        "AF",
        "SY",
        "TR",
        "IQ",
        "IR",
        "ER",
        "SO",
        "ET",
        "UA",
    }
    for noun in ("activity", "volunteer", "expense", "partner", "contact"):
        assert kisi(noun, "list", "--json").json(), noun
    assert kisi("audit", "verify").code == 0


def test_passphrase_change_then_old_fails_and_new_works(kisi: Kisi, vault: Path) -> None:
    new = "a completely new passphrase"
    assert kisi("passphrase", "change", KISI_NEW_PASSPHRASE=new).code == 0
    kisi("person", "list").user_error()
    assert kisi("person", "list", KISI_PASSPHRASE=new).code == 0


HOLD_OPEN = """
import sys
from pathlib import Path
from kisi_desktop.core.domain import Person
from kisi_desktop.core.workspace import Workspace
ws = Workspace.open(Path(sys.argv[1]), passphrase=sys.argv[2])
for name in sys.argv[3:]:
    ws.add(Person(name=name))
print("open", flush=True)
sys.stdin.read()
"""


@contextlib.contextmanager
def held_open(vault: Path, *adding: str) -> Iterator[None]:
    """Another process (a window) holds ``vault`` unlocked, after adding people named
    ``adding``; at the end it is killed, as a crash ends it (no lock, no clean exit)."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(vault), PASSPHRASE, *adding],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "open\n"
            yield
        finally:
            holder.kill()
            holder.wait(timeout=30)


def test_a_vault_open_in_another_process_is_refused_until_that_process_ends(
    kisi: Kisi, vault: Path
) -> None:
    with held_open(vault):
        refused = kisi("person", "add", "--name", "Hamid Noori")
        assert "already open" in refused.user_error()
    # Killed: no lock is left behind to clear by hand.
    pid = kisi("person", "add", "--name", "Hamid Noori").out.strip()
    assert kisi("person", "show", pid).code == 0


def test_backup_then_restore_on_a_new_laptop_keeps_the_erasure(
    kisi: Kisi, vault: Path, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    kept = kisi("person", "add", "--name", "Amina Haddad").out.strip()
    gone = kisi("person", "add", "--name", "Hamid Noori").out.strip()
    first = kisi("backup", str(stick), "--json").json()
    assert Path(first["backup"]).parent == stick and first["removed"] == []
    assert kisi("person", "erase", gone, "--yes").code == 0
    assert kisi("backup", str(stick)).code == 0
    new_vault = str(tmp_path / "new-laptop" / "vault.kisi")
    # A restore never replaces a vault: the old one must be moved away first.
    assert "restore" in kisi("restore", first["backup"]).user_error()
    done = kisi("restore", first["backup"], "--json", KISI_VAULT=new_vault)
    assert done.code == 0, done
    assert (done.json()["erased"], done.json()["later_backups"]) == (1, 1)
    listed = kisi("person", "list", "--json", KISI_VAULT=new_vault).json()
    assert [p["id"] for p in listed] == [kept]


def test_a_backup_needs_no_passphrase_and_works_while_the_window_has_the_vault(
    kisi: Kisi, vault: Path, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    config = tmp_path / "config"
    with held_open(vault, "Saved Meanwhile"):
        # As the town's IT would schedule it: no passphrase anywhere.
        made = kisi(
            "backup", str(stick), "--json", KISI_PASSPHRASE=None, KISI_CONFIG_DIR=str(config)
        )
        assert made.code == 0, made
    new_vault = str(tmp_path / "new" / "vault.kisi")
    assert kisi("restore", made.json()["backup"], KISI_VAULT=new_vault).code == 0
    listed = kisi("person", "list", "--json", KISI_VAULT=new_vault).json()
    assert [p["name"] for p in listed] == ["Saved Meanwhile"]
    # The window's reminder counts a backup made on the command line.
    remembered = load_settings(config / "settings.json")
    assert (remembered.backup_folder, remembered.last_backup_day()) == (str(stick), date.today())
