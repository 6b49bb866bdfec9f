"""``kisi provision``, ``export --preview`` and ``bundles``: days as the user's language
writes them on screen; ``--json`` keeps ISO dates."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from kisi_desktop.bundles.provisioning import fingerprint
from kisi_desktop.ministry.keys import init_ministry, load_ministry
from kisi_desktop.ministry.provision import make_provisioning

from tests.support.sync import PASSPHRASE, demo_workspace

from .conftest import Kisi


@pytest.fixture
def provisioning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """A demo vault (KISI_VAULT) and a ministry's provisioning file valid to 26.11.2027."""
    vault = tmp_path / "v.kisi"
    demo_workspace(vault, 20).lock()
    monkeypatch.setenv("KISI_VAULT", str(vault))
    monkeypatch.setenv("KISI_PASSPHRASE", PASSPHRASE)
    init_ministry(tmp_path / "ministry").close()
    with load_ministry(tmp_path / "ministry") as ministry:
        data = make_provisioning(ministry, expires=date(2027, 11, 26))
        root = ministry.root.public.base64() if ministry.root else ""
    path = tmp_path / "provisioning.zip"
    path.write_bytes(data)
    return path, fingerprint(root)


def test_provision_preview_and_ledger_in_german(
    kisi: Kisi, tmp_path: Path, provisioning: tuple[Path, str]
) -> None:
    path, print_ = provisioning
    installed = kisi("provision", str(path), "--fingerprint", print_).out.splitlines()
    assert installed[0].endswith("(gültig bis 26.11.2027)."), installed
    preview = kisi("export", "--preview", "--period", "2026-Q1", "--out", str(tmp_path))
    assert preview.out.splitlines()[0] == "Zeitraum: 01.01.2026 bis 31.03.2026"
    preview_json = kisi("export", "--preview", "--period", "2026-Q1", "--out", str(tmp_path),
                        "--json").json()  # fmt: skip
    assert preview_json["period"] == ["2026-01-01", "2026-03-31"]
    stick = tmp_path / "stick"
    stick.mkdir()
    assert kisi("export", "--period", "2025-10-01..2026-03-31", "--out", str(stick)).code == 0
    header, row = kisi("bundles").out.splitlines()[:2]
    assert header.split()[:4] == ["Nr.", "Epoche", "Erstellt", "Zeitraum"]
    # Made "now" (the system's clock), shown in local time to the minute.
    assert re.search(r"\b\d\d\.\d\d\.\d{4} \d\d:\d\d  01\.10\.2025 – 31\.03\.2026  ", row), row
    assert "T" not in row.split("  ")[2] and "2025-10-01" not in row
    # The JSON and the CSV keep the machine forms.
    [bundle] = kisi("bundles", "--json").json()["bundles"]
    assert bundle["period"] == "2025-10-01..2026-03-31"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", bundle["created"])
