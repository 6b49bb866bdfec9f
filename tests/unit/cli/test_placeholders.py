"""The placeholders in ``kisi --help`` and in usage errors are in the user's language."""

from __future__ import annotations

import argparse

import pytest

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.cli.main import build_parser
from kisi_desktop.cli.placeholders import PLACEHOLDERS, placeholder

from .conftest import Kisi


def _help(kisi: Kisi, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit):
        kisi(*argv, "--help")
    return capsys.readouterr().out


@pytest.mark.usefixtures("vault")
def test_the_german_help_names_values_in_german(
    kisi: Kisi, capsys: pytest.CaptureFixture[str]
) -> None:
    top = _help(kisi, capsys, "--lang", "de")
    assert "--vault PFAD" in top and "PATH" not in top, top
    add = _help(kisi, capsys, "--lang", "de", "person", "add")
    assert "--birth-date JJJJ-MM-TT" in add and "YYYY" not in add, add
    assert "--status STATUS" in add  # the same word in German
    contact = _help(kisi, capsys, "--lang", "de", "contact", "add")
    assert "--person PERSON" in contact and "--minutes MINUTEN" in contact, contact
    report = _help(kisi, capsys, "--lang", "de", "report")
    assert "--pdf DATEI" in report and "--period ZEITRAUM" in report, report


@pytest.mark.usefixtures("vault")
def test_a_missing_value_is_named_in_german_and_english(
    kisi: Kisi, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as refused:
        kisi("--lang", "de", "person", "show")
    assert refused.value.code == 2
    assert capsys.readouterr().err.endswith("diese Argumente fehlen: ID\n")
    english = _help(kisi, capsys, "--lang", "en", "person", "add")
    assert "--birth-date YYYY-MM-DD" in english and "--name NAME" in english
    assert "--vault PATH" in _help(kisi, capsys, "--lang", "en")


def test_every_placeholder_of_every_command_is_in_the_catalog() -> None:
    """A new option's placeholder must be added to the table, or it stays English."""
    set_ui_language("en")
    missing: set[str] = set()

    def walk(parser: argparse.ArgumentParser) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    walk(child)
                continue
            word = placeholder(action)
            if isinstance(word, str) and word not in PLACEHOLDERS:
                missing.add(word)

    walk(build_parser())
    assert missing == set()
