"""``kisi ministry``: a ministry folder, a registered town, bundles in, receipts and figures out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from kisi_desktop.core.domain import Municipality
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.settings import Settings

from kisi_desktop.bundles.export import export_bundle
from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.manifest import sha256_hex
from kisi_desktop.bundles.provisioning import fingerprint, install_provisioning, read_provisioning
from kisi_desktop.bundles.receipts import read_receipt
from kisi_desktop.ministry.keys import load_ministry
from kisi_desktop.ministry.provision import make_provisioning

from tests.support.sync import PASSPHRASE, demo_workspace

from .conftest import Kisi


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    # The operator's settings say English (the command line reads them at every start).
    set_ui_language("en")
    monkeypatch.setattr("kisi_desktop.cli.main.load_settings", lambda: Settings(language="en"))


@pytest.fixture
def folder(kisi: Kisi, tmp_path: Path) -> Path:
    path = tmp_path / "hmaijs"
    assert kisi("ministry", "init", "--dir", str(path)).code == 0
    return path


def test_init_prints_what_to_hand_out_and_never_overwrites(kisi: Kisi, tmp_path: Path) -> None:
    path = tmp_path / "m"
    made = kisi("ministry", "init", "--dir", str(path), "--demo", "--json").json()
    assert made["demo"] is True and made["recipient"].startswith("age1")
    assert made["root_fingerprint"] == fingerprint(made["root_key"])
    assert (path / "public" / "recipient.txt").read_text().strip() == made["recipient"]
    line = kisi("ministry", "init", "--dir", str(path)).user_error()
    assert "never overwritten" in line
    text = kisi("ministry", "init", "--dir", str(tmp_path / "n"), "--demo").out
    assert "DEMO" in text


def test_register_list_and_revoke(kisi: Kisi, folder: Path, tmp_path: Path) -> None:
    ws = demo_workspace(tmp_path / "v.kisi", 10)
    key = signer(ws).public
    ws.lock()
    (tmp_path / "town.pub").write_text(key.text())
    pub = str(tmp_path / "town.pub")
    done = kisi("ministry", "register", "--dir", str(folder), "--municipality", "Kirchhain",
                "--ags", "06534011", "--key", pub, "--json").json()  # fmt: skip
    assert (done["ags"], done["key_id"]) == ("06534011", key.key_id_hex())
    again = kisi("ministry", "register", "--dir", str(folder), "--municipality", "Kirchhain",
                 "--ags", "06534011", "--key", key.base64())  # fmt: skip
    assert "--replace" in again.user_error()
    bad = kisi("ministry", "register", "--dir", str(folder), "--municipality", "X",
               "--ags", "123", "--key", key.base64())  # fmt: skip
    assert "eight digits" in bad.user_error()
    listed = kisi("ministry", "list", "--dir", str(folder))
    assert "06534011" in listed.out and "Kirchhain" in listed.out
    kisi("ministry", "revoke", "--dir", str(folder), "--ags", "06534011")
    assert kisi("ministry", "list", "--dir", str(folder), "--json").json()[0]["revoked_at"]


@pytest.fixture
def exported(kisi: Kisi, folder: Path, tmp_path: Path) -> tuple[Path, Path, str, str]:
    """Two bundles of a provisioned demo vault whose key the ministry registered."""
    ws = demo_workspace(tmp_path / "v.kisi", 40)
    with load_ministry(folder) as ministry:
        provisioning = make_provisioning(ministry)
        root = ministry.root.public.base64() if ministry.root else ""
    install_provisioning(ws, provisioning, confirmed_fingerprint=fingerprint(root))
    town = ws.list(Municipality)[0]
    stick = tmp_path / "stick"
    stick.mkdir()
    one = export_bundle(ws, stick, period="2025-10-01..2026-03-31").path
    two = export_bundle(ws, stick, since_last=True).path
    device = signer(ws).device_id
    kisi("ministry", "register", "--dir", str(folder), "--municipality", town.name,
         "--ags", town.ags, "--key", signer(ws).public.base64())  # fmt: skip
    ws.lock()
    return one, two, town.ags, device


def test_import_writes_receipts_and_reports_each_file(
    kisi: Kisi, folder: Path, tmp_path: Path, exported: tuple[Path, Path, str, str]
) -> None:
    one, two, _ags, _device = exported
    stick = one.parent
    junk = tmp_path / "junk.kisi"
    junk.write_bytes(b"junk")
    receipts = tmp_path / "receipts"
    result = kisi("ministry", "import", "--dir", str(folder), str(two), str(one), str(junk),
                  "--receipts-out", str(receipts))  # fmt: skip
    assert result.code == 1  # one file was refused
    lines = result.out.splitlines()
    assert lines[0].startswith(f"{two.name}: held (an earlier bundle is missing):")
    assert lines[1].startswith(f"{one.name}: imported:")
    assert lines[2].startswith(f"{two.name}: imported:")  # released by the first
    junk_label = f"sha256-{sha256_hex(b'junk')[:16]}"  # not a bundle's name: not repeated
    assert lines[3].startswith(f"{junk_label}: rejected (damaged or not a KISI bundle):")
    assert "1 of 3 files were not imported" in result.err
    with load_ministry(folder) as ministry:
        trusted = [ministry.receipt.public]
    statuses = {p.name: read_receipt(p.read_bytes(), trusted).status for p in receipts.iterdir()}
    assert statuses == {
        one.with_suffix(".receipt").name: "imported",
        two.with_suffix(".receipt").name: "imported",
        f"{junk_label}.receipt": "rejected",
    }
    # The folder again: all duplicates now, exit 0.
    again = kisi("ministry", "import", "--dir", str(folder), str(stick), "--json")
    assert again.code == 0
    assert [r["outcome"] for r in again.json()["results"]] == ["duplicate", "duplicate"]
    assert (folder / "receipts" / one.with_suffix(".receipt").name).exists()

    figures = kisi("ministry", "report", "--dir", str(folder), "--json").json()
    o23 = figures["indicators"]["*"]["O.2.3"]
    assert o23["counted"] > 0 and o23["at_most"] >= o23["at_least"] >= o23["counted"]
    screen = kisi("ministry", "report", "--dir", str(folder), "--period", "PY1")
    assert "AMIF indicators" in screen.out
    assert screen.out.startswith("Project year 1: Oct 1, 2025 to Sep 30, 2026\n")
    german = kisi("--lang", "de", "ministry", "report", "--dir", str(folder)).out
    assert german.startswith("Gesamtes Projekt: 01.10.2025 bis 30.09.2028\n")
    csv_file, xlsx_file = tmp_path / "f.csv", tmp_path / "f.xlsx"
    kisi("ministry", "report", "--dir", str(folder), "--csv", str(csv_file),
         "--xlsx", str(xlsx_file), "--report-lang", "en")  # fmt: skip
    tables = {row["table"] for row in csv.DictReader(io.StringIO(csv_file.read_text()))}
    assert {"ministry_coverage", "ministry_indicators"} <= tables
    book = load_workbook(io.BytesIO(xlsx_file.read_bytes()))
    assert book.sheetnames[:3] == [
        "Bundles in the figures", "AMIF indicators", "AMIF indicator breakdowns",
    ]  # fmt: skip


def test_import_repeats_no_file_name_but_a_bundles(
    kisi: Kisi, folder: Path, tmp_path: Path
) -> None:
    """`kisi ministry import ~/Downloads/*` printed and logged every name it was given,
    "Befund_Anna_Mueller.pdf" too, and wrote "Befund_Anna_Mueller.receipt"."""
    letter = tmp_path / "Befund_Anna_Mueller.pdf"
    letter.write_bytes(b"%PDF-1.7")
    gone = tmp_path / "Anna_Mueller_Brief.kisi"
    receipts = tmp_path / "receipts"
    result = kisi("ministry", "import", "--dir", str(folder), str(letter), str(gone),
                  "--receipts-out", str(receipts), "--json")  # fmt: skip
    label = f"sha256-{sha256_hex(b'%PDF-1.7')[:16]}"
    assert [r["file"] for r in result.json()["results"]] == [label]
    assert "Mueller" not in result.out + result.err
    assert "unread-file: cannot be read" in result.err
    assert [p.name for p in receipts.iterdir()] == [f"{label}.receipt"]


def test_provision_writes_a_file_the_app_accepts(kisi: Kisi, folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "provisioning.zip"
    done = kisi("ministry", "provision", "--dir", str(folder), "--out", str(out),
                "--expires", "2027-06-30", "--participation-rows",
                "--intake-url", "https://intake.example/kisi", "--spki-pin", "ab" * 32,
                "--json").json()  # fmt: skip
    doc = read_provisioning(out.read_bytes(), confirmed_fingerprint=done["root_fingerprint"])
    assert doc.participation_rows and doc.intake_url == "https://intake.example/kisi"
    assert doc.expires.isoformat() == "2027-06-30" and not doc.demo
    missing_pin = kisi("ministry", "provision", "--dir", str(folder), "--out", str(out),
                       "--intake-url", "https://intake.example/kisi")  # fmt: skip
    assert "pin" in missing_pin.user_error()


def test_confirm_epoch_without_anything_waiting_and_a_missing_folder(
    kisi: Kisi, folder: Path, tmp_path: Path
) -> None:
    line = kisi("ministry", "confirm-epoch", "--dir", str(folder), "--ags", "06534011",
                "--device", "00" * 8, "--epoch", "2", "--why", "phone").user_error()  # fmt: skip
    assert "wait for confirmation" in line
    missing = kisi("ministry", "list", "--dir", str(tmp_path / "nowhere")).user_error()
    assert "not a ministry folder" in missing
    assert missing.endswith("To make one: kisi ministry init --dir FOLDER")


def test_days_already_sent_say_which_command_writes_that_bundle_again(
    kisi: Kisi,
    tmp_path: Path,
    exported: tuple[Path, Path, str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The core's message says what to do in words (the window adds its button); the
    command adds what to type."""
    monkeypatch.setenv("KISI_VAULT", str(tmp_path / "v.kisi"))
    monkeypatch.setenv("KISI_PASSPHRASE", PASSPHRASE)
    line = kisi("export", "--period", "2026-Q1", "--out", str(tmp_path)).user_error()
    assert line.startswith("Error: Bundle 1 already covers")
    assert line.endswith(
        "Write that bundle again, or export the days after the last bundle. "
        "To write it again: kisi export --again 1 --out FOLDER"
    )


def test_held_bundles_are_listed_and_the_operator_can_skip_a_gap(
    kisi: Kisi, folder: Path, tmp_path: Path, exported: tuple[Path, Path, str, str]
) -> None:
    _one, two, ags, device = exported
    assert kisi("ministry", "held", "--dir", str(folder)).out.strip() == (
        "No bundle is held or quarantined."
    )
    kisi("ministry", "import", "--dir", str(folder), str(two))
    held = kisi("ministry", "held", "--dir", str(folder), "--json").json()
    assert [(h["seq"], h["status"]) for h in held] == [(2, "held_gap")]
    done = kisi("ministry", "skip-gap", "--dir", str(folder), "--ags", ags, "--device", device,
                "--epoch", "1", "--why", "first stick lost", "--json").json()  # fmt: skip
    assert [(r["outcome"], r["seq"]) for r in done["results"]] == [("imported", 2)]
    assert kisi("ministry", "held", "--dir", str(folder), "--json").json() == []


def test_the_operator_can_drop_a_held_bundle(
    kisi: Kisi, folder: Path, tmp_path: Path, exported: tuple[Path, Path, str, str]
) -> None:
    one, two, _ags, _device = exported
    kisi("ministry", "import", "--dir", str(folder), str(two))
    bundle_id = kisi("ministry", "held", "--dir", str(folder), "--json").json()[0][
        "manifest_sha256"
    ][:12]
    assert bundle_id in kisi("ministry", "held", "--dir", str(folder)).out
    no_reason = kisi("ministry", "drop", "--dir", str(folder), bundle_id, "--reason", " ")
    assert "Say why" in no_reason.user_error()

    receipts = tmp_path / "answers"
    done = kisi("ministry", "drop", "--dir", str(folder), bundle_id, "--reason",
                "laptop stolen, police report 17", "--receipts-out", str(receipts))  # fmt: skip
    assert done.code == 0
    lines = done.out.splitlines()
    assert lines[0].startswith(
        f"{two.name}: rejected (dropped by the operator: never counts): Dropped by the ministry"
    )
    # Nothing of that device waits behind it: no next step to suggest.
    assert "skip-gap" not in done.out and "confirm-epoch" not in done.out
    with load_ministry(folder) as ministry:
        trusted = [ministry.receipt.public]
    receipt = read_receipt((receipts / two.with_suffix(".receipt").name).read_bytes(), trusted)
    assert (receipt.status, receipt.reason_code, receipt.seq) == ("rejected", "dropped", 2)
    assert "laptop stolen, police report 17" in receipt.message
    assert kisi("ministry", "held", "--dir", str(folder), "--json").json() == []

    # Imported bundles are the books: never dropped.
    imported = kisi("ministry", "import", "--dir", str(folder), str(one), "--json").json()
    first = imported["results"][0]["manifest_sha256"]
    refused = kisi("ministry", "drop", "--dir", str(folder), first, "--why", "mistake")
    assert "never dropped" in refused.user_error()
