"""A refused file is explained in words; the reason code is for scripts (``--json``) only.

"Abgelehnt (malformed): ..." showed the guide a machine word among German sentences.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles.upload import UploadOutcome
from kisi_desktop.cli.upload import outcome_line

from .conftest import Kisi

CODES = ("malformed", "not_provisioned", "implausible", "gap")


@pytest.fixture
def junk(tmp_path: Path) -> Path:
    path = tmp_path / "ministerium.sig"
    path.write_bytes(b"not a signed file")
    return path


@pytest.mark.usefixtures("vault")
def test_a_refused_provisioning_file_is_explained_without_its_code(kisi: Kisi, junk: Path) -> None:
    said = kisi("--lang", "de", "provision", str(junk)).user_error()
    assert said.startswith("Abgelehnt: Diese Datei ist keine Bereitstellungsdatei"), said
    assert not any(code in said for code in CODES), said


@pytest.mark.usefixtures("vault")
def test_with_json_the_reason_code_is_on_standard_output(kisi: Kisi, junk: Path) -> None:
    done = kisi("--lang", "de", "provision", str(junk), "--json")
    said = done.user_error()
    assert "malformed" not in said
    refused = done.json()["refused"]
    assert refused["reason"] == "malformed"
    assert refused["message"].startswith("Diese Datei ist keine Bereitstellungsdatei")


@pytest.mark.usefixtures("vault")
def test_a_refused_receipt_names_its_reason_in_words(kisi: Kisi, junk: Path) -> None:
    done = kisi("--lang", "de", "receipts", "import", str(junk))
    assert done.code == 1
    assert "not_provisioned" not in done.out, done.out
    assert "keine Schlüssel des Ministeriums installiert" in done.out, done.out
    scripted = kisi("--lang", "de", "receipts", "import", str(junk), "--json").json()
    assert scripted["receipts"][0]["reason"] == "not_provisioned"


def test_a_rejected_upload_names_its_reason_in_words() -> None:
    set_ui_language("de")
    line = outcome_line(UploadOutcome(3, "b.kisi", "rejected", "Bitte anrufen.", "implausible"))
    assert "implausible" not in line, line
    assert "Zahlen sind nicht plausibel" in line, line
