"""The report, a list import, a restore and new keys show how far they are on a terminal,
and nothing when piped or with --json (they took seconds to minutes in silence)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from .test_cli_progress import _stderr_on_a_terminal

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX"),
]


@pytest.fixture
def people_list(tmp_path: Path) -> Path:
    path = tmp_path / "liste.csv"
    path.write_text("Name;Geburtsjahr\nAmina Haidari;1994\nYusuf Abdi;1988\nZahra Karimi;1990\n")
    return path


def test_a_report_shows_its_progress_and_says_nothing_piped(
    env: Any, kisi: Any, vault: Path, tmp_path: Path
) -> None:
    code, shown = _stderr_on_a_terminal(
        env, "report", "--period", "2026", "--pdf", str(tmp_path / "b.pdf")
    )
    assert code == 0, shown
    assert "\rBericht: 100 %" in shown and shown.endswith("\n"), repr(shown)
    piped = kisi("report", "--period", "2026", "--pdf", str(tmp_path / "c.pdf"))
    assert piped.code == 0 and piped.err == "", piped
    code, shown = _stderr_on_a_terminal(env, "report", "--period", "2026", "--json")
    assert code == 0 and shown == "", repr(shown)


def test_a_list_import_shows_its_progress_and_says_nothing_piped(
    env: Any, kisi: Any, vault: Path, people_list: Path
) -> None:
    piped = kisi("person", "import", str(people_list), "--dry-run")
    assert piped.code == 0 and piped.err == "", piped
    code, shown = _stderr_on_a_terminal(env, "person", "import", str(people_list), "--yes")
    assert code == 0, shown
    assert "\rDie Liste wird geprüft: 3/3" in shown, repr(shown)
    assert "\rDie Personen werden angelegt: 3/3" in shown and shown.endswith("\n"), repr(shown)


def test_a_restore_shows_its_progress_and_says_nothing_with_json(
    env: Any, kisi: Any, vault: Path, tmp_path: Path
) -> None:
    assert kisi("backup", str(tmp_path / "stick")).code == 0
    (backup,) = (tmp_path / "stick").iterdir()
    target = tmp_path / "back" / "vault.kisi"
    code, shown = _stderr_on_a_terminal(env, "--vault", str(target), "restore", str(backup))
    assert code == 0, shown
    assert "\rWird wiederhergestellt: 100 %" in shown and shown.endswith("\n"), repr(shown)
    other = tmp_path / "again" / "vault.kisi"
    code, shown = _stderr_on_a_terminal(
        env, "--vault", str(other), "restore", str(backup), "--json"
    )
    assert code == 0 and shown == "", repr(shown)


def test_new_keys_show_their_progress_on_a_terminal(
    env: Any, kisi: Any, vault: Path, people_list: Path
) -> None:
    assert kisi("person", "import", str(people_list), "--yes").code == 0
    code, shown = _stderr_on_a_terminal(env, "passphrase", "renew-keys", "--yes")
    assert code == 0, shown
    assert "\rDie Schlüssel werden erneuert: " in shown and shown.endswith("\n"), repr(shown)
    piped = kisi("passphrase", "renew-keys", "--yes", "--json")
    assert piped.code == 0 and "\r" not in piped.err, piped
