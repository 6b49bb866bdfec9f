"""``kisi init``, ``passphrase change``, ``unlock`` and how secrets and paths are found."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.vault import recovery

from tests.support.vaults import stored_slot

Kisi = Any
PASSPHRASE = "correct horse battery staple"


def test_init_shows_a_recovery_code_that_opens_the_vault(
    kisi: Kisi, vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = tmp_path / "sub" / "new.kisi"
    created = kisi("--vault", str(fresh), "init", "--json").json()
    assert created["vault"] == str(fresh)
    # The folder made for it is as private as the vault: no names, sizes or times to others.
    assert stat.S_IMODE(fresh.parent.stat().st_mode) == 0o700
    code = created["recovery_code"]
    monkeypatch.setenv("KISI_RECOVERY_CODE", code)
    monkeypatch.delenv("KISI_PASSPHRASE")
    opened = kisi("--vault", str(fresh), "unlock", "--recovery-code")
    assert opened.code == 0, opened


def test_init_refuses_to_overwrite(kisi: Kisi, vault: Path) -> None:
    before = vault.read_bytes()
    assert str(vault) in kisi("init").user_error()
    assert vault.read_bytes() == before


def test_init_without_passphrase_names_the_variable(
    kisi: Kisi, vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KISI_PASSPHRASE")
    assert "KISI_PASSPHRASE" in kisi("--vault", str(tmp_path / "x.kisi"), "init").user_error()
    assert not (tmp_path / "x.kisi").exists()


def test_wrong_passphrase_is_one_line(
    kisi: Kisi, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KISI_PASSPHRASE", "not the passphrase")
    assert "Passphrase" in kisi("person", "list").user_error()


def test_missing_vault_points_to_init(kisi: Kisi, vault: Path, tmp_path: Path) -> None:
    line = kisi("--vault", str(tmp_path / "none.kisi"), "person", "list").user_error()
    assert "kisi init" in line


def test_vault_option_wins_over_environment(kisi: Kisi, vault: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.kisi"
    assert kisi("--vault", str(other), "init").code == 0
    kisi("--vault", str(other), "person", "add", "--name", "Nur hier")
    assert kisi("person", "list", "--json").json() == []


def test_passphrase_change_from_environment(
    kisi: Kisi, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KISI_NEW_PASSPHRASE", "a brand new passphrase")
    assert kisi("passphrase", "change").code == 0
    monkeypatch.delenv("KISI_NEW_PASSPHRASE")
    kisi("person", "list").user_error()
    monkeypatch.setenv("KISI_PASSPHRASE", "a brand new passphrase")
    assert kisi("person", "list").code == 0


def test_too_short_new_passphrase_changes_nothing(
    kisi: Kisi, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KISI_NEW_PASSPHRASE", "short")
    kisi("passphrase", "change").user_error()
    assert kisi("person", "list").code == 0


def test_recovery_code_unlock_sets_a_new_passphrase(
    kisi: Kisi, tmp_path: Path, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = tmp_path / "r.kisi"
    code = kisi("--vault", str(fresh), "init", "--json").json()["recovery_code"]
    monkeypatch.setenv("KISI_RECOVERY_CODE", code)
    monkeypatch.setenv("KISI_NEW_PASSPHRASE", "found the code again")
    monkeypatch.setenv("KISI_PASSPHRASE", "forgotten")
    unlocked = kisi(
        "--vault", str(fresh), "unlock", "--recovery-code", "--new-passphrase-from-env", "--json"
    ).json()
    assert unlocked["passphrase_changed"] is True
    monkeypatch.setenv("KISI_PASSPHRASE", "found the code again")
    assert kisi("--vault", str(fresh), "unlock").code == 0


def test_wrong_recovery_code_is_refused(
    kisi: Kisi, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A typing slip is caught by the check characters and said as such ...
    monkeypatch.setenv("KISI_RECOVERY_CODE", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH-I")
    assert "Tippfehler" in kisi("unlock", "--recovery-code").user_error()
    # ... a well-formed code of another vault opens nothing.
    monkeypatch.setenv("KISI_RECOVERY_CODE", recovery.format_code(bytes(range(20))))
    said = kisi("unlock", "--recovery-code").user_error()
    assert "öffnet den Tresor nicht" in said


def test_english_messages_on_request(kisi: Kisi, vault: Path, tmp_path: Path) -> None:
    line = kisi(
        "--lang", "en", "--vault", str(tmp_path / "none.kisi"), "person", "list"
    ).user_error()
    assert line.startswith("Error: No vault at")


def test_usage_errors_exit_2(kisi: Kisi, vault: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        kisi("person", "add")
    assert exit_info.value.code == 2


def test_json_of_a_user_error_is_still_one_line(kisi: Kisi, vault: Path) -> None:
    result = kisi("person", "show", "nope", "--json")
    result.user_error()
    assert result.out == ""
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.out)


def test_a_new_recovery_code_replaces_the_old_one(
    kisi: Kisi, tmp_path: Path, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sheet was lost: a new code opens the vault, the old one no longer does, and the
    old slot is gone from the file (not left in the WAL or the main file)."""
    fresh = tmp_path / "r.kisi"
    old = kisi("--vault", str(fresh), "init", "--json").json()["recovery_code"]
    old_slot = stored_slot(fresh)
    made = kisi("--vault", str(fresh), "passphrase", "recovery", "--yes", "--json").json()
    new = made["recovery_code"]
    assert new != old and recovery.parse_code(new)
    assert old_slot not in fresh.read_bytes() and stored_slot(fresh) != old_slot
    monkeypatch.delenv("KISI_PASSPHRASE")
    monkeypatch.setenv("KISI_RECOVERY_CODE", old)
    assert "öffnet den Tresor nicht" in kisi("--vault", str(fresh), "unlock",
                                            "--recovery-code").user_error()  # fmt: skip
    monkeypatch.setenv("KISI_RECOVERY_CODE", new)
    assert kisi("--vault", str(fresh), "unlock", "--recovery-code").code == 0
    monkeypatch.setenv("KISI_PASSPHRASE", PASSPHRASE)
    assert kisi("--vault", str(fresh), "audit", "verify").code == 0


def test_a_new_recovery_code_needs_the_passphrase_and_a_yes(
    kisi: Kisi, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = stored_slot(vault)
    assert "--yes" in kisi("passphrase", "recovery").user_error()
    monkeypatch.setenv("KISI_PASSPHRASE", "not the passphrase")
    assert kisi("passphrase", "recovery", "--yes").code == 1
    assert stored_slot(vault) == before


def test_renewed_keys_keep_the_people_and_retire_the_old_code_and_passphrase(
    kisi: Kisi, tmp_path: Path, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A recovery sheet seen by someone else: every key is renewed, the records stay,
    the old code and (with --new-passphrase) the old passphrase open nothing."""
    fresh = tmp_path / "k.kisi"
    old = kisi("--vault", str(fresh), "init", "--json").json()["recovery_code"]
    assert kisi("--vault", str(fresh), "person", "add", "--name", "Zahra Hosseini").code == 0
    assert "--yes" in kisi("--vault", str(fresh), "passphrase", "renew-keys").user_error()
    monkeypatch.setenv("KISI_NEW_PASSPHRASE", "eine ganz neue Passphrase 2026")
    renewed = kisi(
        "--vault", str(fresh), "passphrase", "renew-keys", "--new-passphrase", "--yes", "--json"
    )
    assert renewed.code == 0, renewed
    made = renewed.json()
    assert made["passphrase_changed"] is True and made["recovery_code"] != old
    assert "1" in renewed.err  # how many records are sealed again, said before it begins
    kisi("--vault", str(fresh), "person", "list").user_error()  # the old passphrase fails
    monkeypatch.setenv("KISI_PASSPHRASE", "eine ganz neue Passphrase 2026")
    listed = kisi("--vault", str(fresh), "person", "list", "--json").json()
    assert [p["name"] for p in listed] == ["Zahra Hosseini"]
    assert kisi("--vault", str(fresh), "audit", "verify").code == 0
    monkeypatch.delenv("KISI_PASSPHRASE")
    monkeypatch.setenv("KISI_RECOVERY_CODE", old)
    assert kisi("--vault", str(fresh), "unlock", "--recovery-code").code != 0
    monkeypatch.setenv("KISI_RECOVERY_CODE", made["recovery_code"])
    assert kisi("--vault", str(fresh), "unlock", "--recovery-code").code == 0


def test_an_older_copy_put_back_is_said_on_stderr_and_gone_on_with_on_request(
    kisi: Kisi, vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KISI_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("KISI_LANG", "en")
    assert kisi("person", "add", "--name", "Zahra Hosseini").code == 0  # (the lock marks)
    shutil.copy2(vault, tmp_path / "older.kisi")
    assert kisi("person", "add", "--name", "Amina Haidari").code == 0
    shutil.copy2(tmp_path / "older.kisi", vault)

    listed = kisi("person", "list")
    assert listed.code == 0 and "Amina" not in listed.out
    assert listed.err.startswith("This vault file is older than the one locked on this computer")
    assert listed.err.endswith("To go on with this file: kisi older-copy --go-on\n")
    asked = kisi("older-copy", "--json")
    assert asked.code == 4 and asked.json()["older_copy"] is True
    (tmp_path / "out").mkdir()
    refused = kisi("export", "--period", "2026-Q1", "--out", str(tmp_path / "out"))
    assert refused.code != 0  # no bundle from it yet: its numbers may have been sent
    assert "Decide first whether to go on with it" in refused.err
    assert list((tmp_path / "out").iterdir()) == []

    went_on = kisi("older-copy", "--go-on")
    assert went_on.code == 0
    assert went_on.out == "Going on with this file: the next bundle starts a new series.\n"
    again = kisi("older-copy")
    assert again.code == 0 and again.err == ""
    assert again.out == "The vault file is not older than the one last locked on this computer.\n"


def test_init_and_restore_say_what_is_really_in_the_way(
    kisi: Kisi, tmp_path: Path, vault: Path
) -> None:
    """A folder, a text file or a missing backup is named as what it is."""
    folder = tmp_path / "ordner"
    folder.mkdir()
    assert "vault.kisi" in kisi("--vault", str(folder), "init").user_error()
    text = tmp_path / "notiz.txt"
    text.write_text("keine Datenbank", encoding="utf-8")
    line = kisi("--vault", str(text), "init").user_error()
    assert str(text) in line and "Tresor" in line
    assert text.read_text(encoding="utf-8") == "keine Datenbank"
    missing = tmp_path / "stick" / "kisi-backup-20260301-0930-abcdef12.kisibackup"
    line = kisi("--vault", str(tmp_path / "neu.kisi"), "restore", str(missing)).user_error()
    assert str(missing) in line and "keine KISI-Sicherung" not in line


def test_an_id_too_short_to_find_says_so(kisi: Kisi, vault: Path) -> None:
    assert kisi("person", "add", "--name", "Yusuf Abdi").code == 0
    assert "4" in kisi("person", "show", "c").user_error()
