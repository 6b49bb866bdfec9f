"""The command line speaks the user's language, argparse's own words included, and only a
``--lang`` before the command chooses it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

Kisi = Any


def test_the_german_help_and_usage_errors_are_german(
    kisi: Kisi, vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        kisi("person", "--help")
    shown = capsys.readouterr().out
    assert shown.startswith("Aufruf: kisi person")
    assert "Optionen:" in shown and "diese Hilfe zeigen und beenden" in shown
    with pytest.raises(SystemExit) as refused:
        kisi("person", "bearbeiten")
    assert refused.value.code == 2
    said = capsys.readouterr().err
    assert "Fehler: Argument" in said and "ungültige Wahl: 'bearbeiten'" in said


def test_lang_equals_and_lang_before_the_command_choose_english(kisi: Kisi, vault: Path) -> None:
    assert "Nothing found." in kisi("--lang=en", "search", "xyzzy").out
    assert "Nothing found." in kisi("--lang", "en", "search", "xyzzy").out
    assert "Nichts gefunden." in kisi("search", "xyzzy").out


def test_a_commands_own_lang_does_not_change_the_language_of_messages(
    kisi: Kisi, vault: Path, tmp_path: Path
) -> None:
    line = kisi(
        "handout", "render", "--topic", "health", "--lang", "en",
        "--out", str(tmp_path / "fehlt" / "x.pdf"),
    ).user_error()  # fmt: skip
    assert line.startswith("Fehler:")


def test_a_shortened_lang_is_refused_rather_than_ignored(
    kisi: Kisi, vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as refused:
        kisi("--lan", "en", "search", "xyzzy")
    assert refused.value.code == 2
    said = capsys.readouterr().err
    assert "--lan" in said and "Fehler" in said


def test_the_top_help_says_what_version_does_in_german(
    kisi: Kisi, vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``kisi --help`` was German but for one line: "show program's version number and
    exit" (Python 3.11's argparse never looks that default up in a catalog)."""
    with pytest.raises(SystemExit):
        kisi("--help")
    shown = capsys.readouterr().out
    assert "show program's version" not in shown
    assert "die Versionsnummer zeigen und beenden" in shown
    with pytest.raises(SystemExit):
        kisi("--lang", "en", "--help")
    assert "show program's version number and exit" in capsys.readouterr().out
