"""The printed recovery sheet: the code on one line, the date and the vault, in the UI language."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from PySide6.QtWidgets import QApplication

from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.vault import recovery

from kisi_desktop.ui.fonts import register_fonts
from kisi_desktop.ui.recovery_sheet import pdf_printer, print_recovery_sheet

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]

CODE = recovery.format_code(bytes(range(20)))


def _text(pdf: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.mark.parametrize(
    ("language", "title", "day"),
    [
        ("de", "KISI Desktop – Wiederherstellungscode", "10. März 2026"),
        ("en", "KISI Desktop recovery code", "March 10, 2026"),
    ],
)
def test_sheet_carries_code_date_and_vault(
    qapp: QApplication, tmp_path: Path, language: str, title: str, day: str
) -> None:
    register_fonts()
    set_ui_language(language)
    pdf = tmp_path / "sheet.pdf"
    vault = tmp_path / "KISI" / "vault.kisi"
    print_recovery_sheet(CODE, pdf_printer(pdf), vault_path=vault, day=date(2026, 3, 10))
    text = _text(pdf)
    lines = [line.strip() for line in text.splitlines()]
    assert CODE in lines  # one line, not broken across two
    assert title in text
    assert day in text
    assert str(vault) in "".join(text.split())  # long paths wrap after a "/"
    assert pdf.stat().st_size < 200_000  # 300 dpi, not a 1200 dpi raster


def test_sheet_reads_back_as_the_same_secret(qapp: QApplication, tmp_path: Path) -> None:
    pdf = tmp_path / "sheet.pdf"
    print_recovery_sheet(CODE, pdf_printer(pdf))
    printed = next(line.strip() for line in _text(pdf).splitlines() if line.count("-") == 8)
    assert recovery.parse_code(printed) == bytes(range(20))
