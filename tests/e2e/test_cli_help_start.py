"""``kisi --help`` reads no vault, PDF or crypto code: it took 3.6 s on a slow laptop,
most of it importing every command's modules (ReportLab, openpyxl, cryptography) for a
page of text."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e

HEAVY = ("reportlab", "openpyxl", "cryptography", "sqlite_utils", "kisi_desktop.core.workspace")


def _imported_by(*argv: str) -> list[str]:
    script = (
        "import sys\n"
        "from kisi_desktop.cli.main import main\n"
        "try:\n"
        f"    main({list(argv)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.startswith(("Aufruf: kisi", "usage: kisi")), done.stdout
    last = (done.stderr.splitlines() or [""])[-1]
    return [name for name in last.split(",") if name]


def test_the_top_help_imports_no_heavy_module() -> None:
    assert _imported_by("--lang", "de", "--help") == []


def test_a_commands_help_imports_only_what_that_command_needs() -> None:
    """`kisi person --help` needs the people's code, not the PDF or the ministry's."""
    imported = _imported_by("--lang", "en", "person", "--help")
    assert "reportlab" not in imported and "openpyxl" not in imported, imported
