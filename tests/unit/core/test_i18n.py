"""UI translation, locale formatting and the completeness of the catalogs."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.pofile import read_po

from kisi_desktop.core.i18n import (
    _,
    format_moment,
    format_money,
    set_ui_language,
    translations_dir,
)

ROOT = Path(__file__).resolve().parents[3]
STUB_MESSAGE = "Lock the vault (Ctrl+L)"
STUB_MESSAGE_DE = "Tresor sperren (Strg+L)"


def load_i18n_tool() -> ModuleType:
    """Import tools/i18n.py (a script, not part of the package) as a module."""
    spec = importlib.util.spec_from_file_location("kisi_i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_compiled_german_catalog_is_current() -> None:
    po = translations_dir() / "de" / "LC_MESSAGES" / "kisi.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), "no compiled catalog: run `python tools/i18n.py compile`"
    assert mo.stat().st_mtime >= po.stat().st_mtime, (
        "kisi.mo is older than kisi.po: run `python tools/i18n.py compile`"
    )


def test_german_is_the_default_ui_language() -> None:
    assert _(STUB_MESSAGE) == STUB_MESSAGE_DE


def test_english_ui_passes_source_strings_through() -> None:
    set_ui_language("en")
    assert _(STUB_MESSAGE) == STUB_MESSAGE
    assert _("a string nobody translated") == "a string nobody translated"


def test_switching_back_to_german_translates_again() -> None:
    set_ui_language("en")
    set_ui_language("de")
    assert _(STUB_MESSAGE) == STUB_MESSAGE_DE


def test_a_moment_reads_in_local_time_with_the_full_date() -> None:
    moment = datetime(2026, 11, 26, 23, 54, 22, tzinfo=UTC)
    local = moment.astimezone()
    assert format_moment(moment, "de") == f"{local:%d.%m.%Y %H:%M}"
    assert format_moment(datetime(2026, 11, 26, 6, 5), "de") == "26.11.2026 06:05"
    assert format_moment(datetime(2026, 11, 26, 6, 5), "en") == "Nov 26, 2026 6:05\u202fAM"


def test_unknown_ui_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported UI language"):
        set_ui_language("xx")


def test_budget_cap_in_german_money_format() -> None:
    assert format_money(Decimal("290657.90"), "de") == "290.657,90\xa0€"


@pytest.mark.parametrize(
    "po", sorted(ROOT.glob("translations/*/LC_MESSAGES/kisi.po")), ids=lambda p: p.parts[-3]
)
def test_catalog_has_no_fuzzy_entries(po: Path) -> None:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == [], f"review these fuzzy entries in {po.relative_to(ROOT)}"


def test_german_catalog_translates_every_source_string() -> None:
    """New `_()` strings need a German translation; `python tools/i18n.py check` lists them."""
    problems = load_i18n_tool().problems()
    heading = "translation catalogs incomplete (python tools/i18n.py extract, then translate):"
    assert problems == [], "\n".join([heading, *problems])


def test_no_message_is_marked_inside_an_f_string() -> None:
    """Babel's extractor does not look inside f-strings: ``f"{_('&Save')} …"`` leaves
    "&Save" out of the catalog, and the button shows English in the German UI."""
    root = Path(__file__).resolve().parents[3] / "kisi_desktop"
    pattern = re.compile(r"""\bf(["'])[^"'\n]*\{\s*(_|N_|ngettext)\(\s*["']""")
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []


LOAD_AHEAD_CHILD = """
import json, sys
from datetime import date
from decimal import Decimal
from kisi_desktop.core.i18n import format_date, format_money, format_number, load_formatting

load_formatting()
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
shown = [format_date(date(2026, 3, 9)), format_number(Decimal("1234.5")), format_money(Decimal(2))]
print(json.dumps({"shown": shown, "opened": [p for p in opened if "babel" in p]}))
"""


def test_formatting_loaded_ahead_reads_nothing_at_the_first_date_shown() -> None:
    # The window's preload thread calls load_formatting while the passphrase is typed: the
    # Overview's first dates and amounts must then find Babel's German data in memory
    # (naming a locale reads nothing; its first use read 7 ms of files on the UI thread).
    done = subprocess.run(
        [sys.executable, "-c", LOAD_AHEAD_CHILD],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["shown"] == ["09.03.2026", "1.234,5", "2,00\xa0€"]
    assert seen["opened"] == []
