"""Maintain the gettext catalogs in translations/ (a thin layer over Babel's pybabel).

Usage, from anywhere::

    python tools/i18n.py extract   # source -> translations/kisi.pot, then `update`
    python tools/i18n.py update    # kisi.pot -> every translations/<lang>/LC_MESSAGES/kisi.po
    python tools/i18n.py compile   # every kisi.po -> kisi.mo (build output, not committed)
    python tools/i18n.py check     # list what is missing; exit status 1 if anything is

Source strings are English. German must be complete: `check` (and tests/unit/core/
test_i18n.py) lists every string in the source that the German catalog does not translate,
every fuzzy entry in any catalog, and whether kisi.pot is behind the source.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = "kisi"
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / f"{DOMAIN}.pot"
BABEL_CFG = ROOT / "babel.cfg"
LANGUAGES = ("de", "en")
# Languages whose catalog must translate every message (English is the source language).
COMPLETE_LANGUAGES = ("de",)
# `_`, `N_` and `ngettext` come from kisi_desktop.core.i18n (STYLE.md rule 6); Babel's
# defaults (gettext, ngettext, pgettext…) stay on for translator objects used by handouts.
KEYWORDS = ("_", "N_", "ngettext:1,2")
PROJECT = "KISI Desktop"


def po_path(language: str) -> Path:
    """Path of the editable catalog for ``language``."""
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _pybabel(*args: str) -> None:
    """Run one pybabel command in this process; raise SystemExit if it fails."""
    status = CommandLineInterface().run(["pybabel", "--quiet", *args])  # type: ignore[no-untyped-call] # Babel is untyped here
    if status:
        raise SystemExit(status)


def _version() -> str:
    """The ``__version__`` in kisi_desktop/__init__.py, read without importing the package."""
    source = (ROOT / "kisi_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', source, re.MULTILINE)
    return match.group(1) if match else "0"


def _without_creation_date(text: str) -> str:
    return "\n".join(
        line for line in text.splitlines() if not line.startswith('"POT-Creation-Date:')
    )


def extract() -> None:
    """Rebuild kisi.pot from the source (rewritten only if a message or location changed)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / POT.name
        keyword_args = [arg for kw in KEYWORDS for arg in ("-k", kw)]
        _pybabel(
            "extract",
            "-F",
            str(BABEL_CFG),
            *keyword_args,
            "--project",
            PROJECT,
            "--version",
            _version(),
            "--msgid-bugs-address",
            "kisi-desktop@example.invalid",
            "--copyright-holder",
            "KISI Desktop contributors",
            "--sort-by-file",
            "-o",
            str(fresh),
            str(ROOT),
        )
        new_text = fresh.read_text(encoding="utf-8")
        # pybabel records the absolute root in locations when given an absolute path.
        new_text = new_text.replace(f"#: {ROOT}/", "#: ").replace(f" {ROOT}/", " ")
        old_text = POT.read_text(encoding="utf-8") if POT.exists() else ""
        if _without_creation_date(old_text) != _without_creation_date(new_text):
            POT.write_text(new_text, encoding="utf-8")
            print(f"updated {POT.relative_to(ROOT)}")
    update()


def update() -> None:
    """Merge kisi.pot into each language's .po (creating missing ones)."""
    for language in LANGUAGES:
        command = "update" if po_path(language).exists() else "init"
        _pybabel(command, "-D", DOMAIN, "-i", str(POT), "-d", str(TRANSLATIONS), "-l", language)


def compile_catalogs() -> None:
    """Compile every translations/<lang>/LC_MESSAGES/kisi.po into kisi.mo beside it."""
    for po in sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        _pybabel("compile", "-D", DOMAIN, "-i", str(po), "-o", str(mo), "-l", po.parts[-3])


def _message_key(msgid: str | Sequence[str]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _keywords() -> dict[str, Any]:
    return {**DEFAULT_KEYWORDS, **parse_keywords(list(KEYWORDS))}


def source_messages() -> dict[str, str]:
    """Every translatable string in the source, mapped to where it first occurs."""
    with BABEL_CFG.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(BABEL_CFG))  # type: ignore[no-untyped-call] # ditto
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=_keywords()
    ):
        key = _message_key(message)
        if key:
            found.setdefault(key, f"{filename}:{lineno}")
    return found


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, domain=DOMAIN)


def problems() -> list[str]:
    """Everything that keeps the catalogs from being complete, one readable line each."""
    lines: list[str] = []
    source = source_messages()
    if not POT.exists():
        lines.append(f"{POT.relative_to(ROOT)} is missing: run `python tools/i18n.py extract`")
        template_ids: set[str] = set()
    else:
        template_ids = {_message_key(m.id) for m in _read(POT) if m.id}
    for msgid, where in sorted(source.items(), key=lambda item: item[1]):
        if msgid not in template_ids:
            lines.append(f"not in kisi.pot (run extract): {where}: {msgid!r}")
    for po in sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        language = po.parts[-3]
        catalog = _read(po)
        for message in catalog:
            if message.id and message.fuzzy:
                lines.append(f"{language}: fuzzy, please review: {_message_key(message.id)!r}")
        if language in COMPLETE_LANGUAGES:
            translated = {
                _message_key(m.id): m for m in catalog if m.id and not m.fuzzy and _done(m.string)
            }
            for msgid in sorted(set(source) | template_ids):
                if msgid not in translated:
                    where = source.get(msgid, "kisi.pot")
                    lines.append(f"{language}: untranslated: {where}: {msgid!r}")
    for language in COMPLETE_LANGUAGES:
        if not po_path(language).exists():
            lines.append(f"{language}: catalog missing: run `python tools/i18n.py update`")
    return lines


def _done(string: str | Sequence[str] | None) -> bool:
    if string is None or isinstance(string, str):
        return bool(string)
    return all(string)


def check() -> int:
    """Print what is missing from the catalogs; 0 when nothing is."""
    found = problems()
    out = io.StringIO()
    for line in found:
        print(line, file=out)
    if found:
        print(f"{len(found)} problem(s) in the translation catalogs", file=out)
    else:
        print("translation catalogs complete", file=out)
    print(out.getvalue(), end="", file=sys.stderr if found else sys.stdout)
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="tools/i18n.py", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("extract", "update", "compile", "check"))
    args = parser.parse_args(argv)
    if args.command == "extract":
        extract()
    elif args.command == "update":
        update()
    elif args.command == "compile":
        compile_catalogs()
    else:
        return check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
