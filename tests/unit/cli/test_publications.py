"""``kisi publication``: record the guides the project produced, list them."""

from __future__ import annotations

from pathlib import Path

from .conftest import Kisi


def test_add_and_list_a_publication(kisi: Kisi, vault: Path) -> None:
    made = kisi(
        "publication",
        "add",
        "--type",
        "administration_guide",
        "--title",
        "Wegweiser durch das Rathaus",
        "--date",
        "2026-04-01",
        "--language",
        "de",
        "--language",
        "ar",
        "--print-run",
        "500",
    )
    assert made.code == 0, made
    [item] = kisi("publication", "list", "--json").json()
    assert (item["title"], item["languages"], item["print_run"]) == (
        "Wegweiser durch das Rathaus",
        ["de", "ar"],
        500,
    )
    listing = kisi("publication", "list").out
    assert "01.04.2026" in listing and "Deutsch, Arabisch" in listing
    assert "administration_guide" not in listing and "2026-04-01" not in listing


def test_unknown_type_and_bad_print_run_are_user_errors(kisi: Kisi, vault: Path) -> None:
    line = kisi("--lang", "en", "publication", "add", "--type", "poem", "--title", "X").user_error()
    assert "--type" in line
    bad = kisi(
        "--lang",
        "en",
        "publication",
        "add",
        "--type",
        "flyer",
        "--title",
        "X",
        "--print-run",
        "many",
    )
    assert "--print-run" in bad.user_error()
