"""P1 through the command line: markers typed into `kisi` never reach a file unencrypted.

The session writes 50 markers in Latin, Arabic and Tigrinya script into names, notes,
follow-ups and a partner, searches, lists, writes the reports and a backup, kills two `kisi`
processes while each writes a marker, erases a person, and then scans the vault folder, the
report and backup folder, the temporary folder and the user's cache, config, data and
state folders that the processes were pointed at. The scanner must find a planted marker
(negative control).
"""

from __future__ import annotations

import signal
import subprocess
import zipfile
from pathlib import Path

from tests.e2e.conftest import Env, Kisi
from tests.support.marker_scan import random_markers, scan


def _isolated(env: Env, tmp_path: Path) -> dict[str, Path]:
    dirs = {name: tmp_path / name for name in ("tmp", "cache", "config", "data", "state")}
    for path in dirs.values():
        path.mkdir()
    env.vars.update(
        TMPDIR=str(dirs["tmp"]),
        XDG_CACHE_HOME=str(dirs["cache"]),
        XDG_CONFIG_HOME=str(dirs["config"]),
        XDG_DATA_HOME=str(dirs["data"]),
        XDG_STATE_HOME=str(dirs["state"]),
    )
    return dirs


MARKERS = 50
PEOPLE = 10


def test_markers_typed_into_kisi_stay_encrypted(
    kisi: Kisi, env: Env, vault: Path, tmp_path: Path
) -> None:
    """SECURITY.md P1 with 50 markers: names, contact notes, notes and follow-ups of ten
    people, then search, lists, reports and a backup; two processes killed while they write
    a marker; one person erased. The report files must hold no marker either: they are
    aggregates, and are what the guide passes on."""
    dirs = _isolated(env, tmp_path)
    markers = random_markers(MARKERS, seed=20251001)
    kept = iter(markers)
    ids = []
    for _n in range(PEOPLE):
        run = kisi("person", "add", "--name", f"{next(kept)} {next(kept)}", "--nationality", "SY")
        assert run.code == 0, run
        ids.append(run.out.strip())
        run = kisi(
            "contact", "add", "--person", ids[-1], "--minutes", "30", "--topic", "language_course",
            "--note", f"Gespräch über {next(kept)} und den Sprachkurs",
        )  # fmt: skip
        assert run.code == 0, run
        run = kisi("note", "add", "--person", ids[-1], "--text", f"Notiz {next(kept)}")
        assert run.code == 0, run
    for _n in range(6):
        assert kisi("followup", "add", "--person", ids[1], "--due", "2026-12-01",
                    "--text", f"Anrufen wegen {next(kept)}").code == 0  # fmt: skip
    assert kisi("partner", "add", "--name", f"Verein {next(kept)}", "--type", "association",
                "--contact-person", next(kept)).code == 0  # fmt: skip
    killed = [next(kept), next(kept)]
    assert next(kept, None) is None  # every marker is in the vault or was being written

    for marker in markers[:: MARKERS // 10]:
        assert kisi("search", marker).code == 0
    assert kisi("person", "list").code == 0
    assert kisi("person", "list", "--json").code == 0

    # Processes killed while they write a marker (after sealing it, and after writing it
    # but before the commit ends) must not leave its plaintext behind.
    for marker, label in zip(killed, ("commit.sealed:1", "commit.written:1"), strict=True):
        run = kisi("note", "add", "--person", ids[2], "--text", f"Abgebrochen {marker}",
                   KISI_CRASH_AT=label)  # fmt: skip
        assert run.code == -signal.SIGKILL, run

    out = tmp_path / "out"
    out.mkdir()
    for option, name in (("--csv", "r.csv"), ("--xlsx", "r.xlsx"), ("--pdf", "r.pdf")):
        assert kisi("report", "--period", "project", option, str(out / name)).code == 0
    assert kisi("backup", str(out)).code == 0
    assert kisi("person", "erase", ids[0], "--yes").code == 0
    assert kisi("audit", "verify").code == 0

    # XLSX and PDF are compressed: the scan reads what a reader of them would see.
    with zipfile.ZipFile(out / "r.xlsx") as book:
        book.extractall(out / "r.xlsx.members")
    subprocess.run(["pdftotext", str(out / "r.pdf"), str(out / "r.pdf.txt")], check=True)
    assert "AMIF" in (out / "r.pdf.txt").read_text(encoding="utf-8")  # (text came out)
    places = [vault.parent, out, *dirs.values()]
    hits = scan(places, markers)
    assert hits == [], hits

    # Negative control: the same scan finds a marker in a plain file in the same places.
    control = dirs["tmp"] / "control.txt"
    control.write_text(f"planted {markers[4]}", encoding="utf-16-le")
    assert {h.marker for h in scan(places, markers)} == {markers[4]}
