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


def test_the_top_help_gives_examples_secrets_and_exit_codes_in_german(
    kisi: Kisi, vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a fresh machine `kisi --help` is all a town's IT has: the exit codes and the
    environment variables were written down in the README only."""
    with pytest.raises(SystemExit):
        kisi("--help")
    shown = capsys.readouterr().out
    assert shown.startswith("Aufruf: kisi [-h] [--version] [--vault PFAD] [--lang {de,en}] BEFEHL")
    for heading in ("Beispiele:", "Umgebungsvariablen:", "Rückgabewerte (Exit-Codes):"):
        assert f"\n{heading}\n" in shown
    assert "KISI_PASSPHRASE" in shown and "  2    der Befehl war falsch eingegeben" in shown
    assert "  130  mit Strg+C abgebrochen" in shown
    assert "KISI Desktop auf der Kommandozeile: der verschlüsselte Tresor eines\n" in shown
    assert max(len(line) for line in shown.splitlines()) <= 80


def test_every_example_in_the_top_help_is_a_command_kisi_takes(
    kisi: Kisi, vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shlex

    from kisi_desktop.cli.main import build_parser

    with pytest.raises(SystemExit):
        kisi("--help")
    shown = capsys.readouterr().out
    examples = shown.split("Beispiele:\n")[1].split("\n\n")[0].splitlines()
    assert len(examples) == 6
    for line in examples:
        words = shlex.split(line.split("   ")[0])[1:]  # the command, without its comment
        if "--help" not in words:
            build_parser().parse_args(words)  # exits 2 on a mistyped example


def test_a_noun_without_its_action_names_the_placeholder_in_the_users_language(
    kisi: Kisi, vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as refused:
        kisi("person")
    assert refused.value.code == 2
    said = capsys.readouterr().err
    assert said.endswith("kisi person: Fehler: diese Argumente fehlen: AKTION\n"), said
    with pytest.raises(SystemExit):
        kisi("--lang", "en", "person")
    assert "the following arguments are required: ACTION" in capsys.readouterr().err


def test_every_option_of_every_command_says_what_it_is_for() -> None:
    """`kisi partner add --help` listed --address, --phone, --email... with nothing beside
    them, and `kisi provision --help` a bare "file"."""
    import argparse

    from kisi_desktop.cli.main import build_parser

    silent: list[str] = []

    def walk(parser: argparse.ArgumentParser) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    walk(child)
            elif not action.help:
                silent.append(f"{parser.prog} {'/'.join(action.option_strings) or action.dest}")

    walk(build_parser())
    assert silent == []
