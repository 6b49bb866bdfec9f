"""P1 through the command line: markers typed into `kisi` never reach a file unencrypted.

The session writes names and notes in Latin, Arabic and Tigrinya script, searches, lists,
edits, kills one `kisi` process mid-write, erases a person, and then scans the vault folder,
the temporary folder and the user's cache, config, data and state folders that the
processes were pointed at. The scanner must find a planted marker (negative control).
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from tests.e2e.conftest import Env, Kisi, kisi_command
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


def test_markers_typed_into_kisi_stay_encrypted(
    kisi: Kisi, env: Env, vault: Path, tmp_path: Path
) -> None:
    dirs = _isolated(env, tmp_path)
    markers = random_markers(9, seed=20251001)
    ids = []
    for i in range(3):
        name = f"{markers[3 * i]} {markers[3 * i + 1]}"
        run = kisi("person", "add", "--name", name, "--nationality", "SY")
        assert run.code == 0, run
        ids.append(run.out.strip())
        run = kisi(
            "contact", "add", "--person", ids[-1], "--minutes", "30", "--topic", "language_course",
            "--note", f"Gespräch über {markers[3 * i + 2]} und den Sprachkurs",
        )  # fmt: skip
        assert run.code == 0, run
    for marker in markers:
        assert kisi("search", marker).code == 0
    assert kisi("person", "list").code == 0
    assert kisi("note", "add", "--text", f"Notiz {markers[0]}").code == 0

    # A process killed while it writes must not leave plaintext behind either.
    proc = subprocess.Popen(
        [*kisi_command(), "demo", "--people", "300"],
        env=env.vars,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.8)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    assert kisi("person", "erase", ids[0], "--yes").code == 0
    assert kisi("audit", "verify").code == 0

    places = [vault.parent, *dirs.values()]
    hits = scan(places, markers)
    assert hits == [], hits

    # Negative control: the same scan finds a marker in a plain file in the same places.
    control = dirs["tmp"] / "control.txt"
    control.write_text(f"planted {markers[4]}", encoding="utf-16-le")
    assert {h.marker for h in scan(places, markers)} == {markers[4]}
