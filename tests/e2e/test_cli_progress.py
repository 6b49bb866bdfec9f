"""Long work shows how far it is on a terminal, and nothing when piped or with --json."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import kisi_command

pty = pytest.importorskip("pty")  # POSIX terminals
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX"),
]


def _stderr_on_a_terminal(env: Any, *argv: str) -> tuple[int, str]:
    """Run ``kisi ARGS`` with its standard error on a pseudo-terminal; what it showed."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [*kisi_command(), *argv],
            env={**env.vars, "KISI_LANG": "de"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=120,
            check=False,
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal is closed and read to its end
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    return done.returncode, shown.decode("utf-8")


def test_a_backup_shows_its_progress_on_a_terminal_and_ends_the_line(
    env: Any, vault: Path, tmp_path: Path
) -> None:
    code, shown = _stderr_on_a_terminal(env, "backup", str(tmp_path / "stick"))
    assert code == 0, shown
    assert "\rSicherung: 100 %" in shown, repr(shown)
    assert shown.endswith("\n"), repr(shown)


def test_a_backup_piped_or_with_json_writes_nothing_on_standard_error(
    kisi: Any, env: Any, vault: Path, tmp_path: Path
) -> None:
    piped = kisi("backup", str(tmp_path / "stick"))
    assert piped.code == 0 and piped.err == "", piped
    code, shown = _stderr_on_a_terminal(env, "backup", str(tmp_path / "stick"), "--json")
    assert code == 0 and shown == "", repr(shown)


def test_ctrl_c_while_the_command_starts_is_said_in_one_line_without_a_traceback(
    env: Any, vault: Path
) -> None:
    """A guide who presses Ctrl+C at once (a wrong vault typed) got forty lines of Python:
    the command's modules were read before ``main`` could catch it."""
    import signal
    import time

    for delay in (0.6, 1.2):
        child = subprocess.Popen(
            [*kisi_command(), "person", "list"],
            env={**env.vars, "KISI_LANG": "de"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            # As a terminal's Ctrl+C would find it (a test runner may ignore SIGINT).
            preexec_fn=lambda: signal.signal(
                signal.SIGINT, signal.SIG_DFL
            ),  # the child execs at once
        )
        time.sleep(delay)
        child.send_signal(signal.SIGINT)
        _out, err = child.communicate(timeout=120)
        assert "Traceback" not in err, err
        # Killed by the signal itself when it came before the interpreter had set up its
        # own handling (on a loaded machine that takes longer than the delay, as in CI):
        # nothing is printed then either.
        ended = (child.returncode, err)
        assert ended in ((130, "Abgebrochen.\n"), (0, ""), (-signal.SIGINT, "")), ended


def test_ctrl_c_while_a_command_waits_exits_130_as_shells_expect(env: Any, vault: Path) -> None:
    """Cancelled ended with 1, as a wrong passphrase does: a script (or ``set -e`` with a
    trap) could not tell that the guide stopped it. 128 + SIGINT is what shells use."""
    import signal

    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [*kisi_command(), "person", "add", "--name", "-"],
        env={**env.vars, "KISI_LANG": "de"},
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert child.stderr is not None
        # The command has started and waits for the name typed on the terminal.
        assert "Strg+D" in child.stderr.readline()
        child.send_signal(signal.SIGINT)
        _out, err = child.communicate(timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert (child.returncode, err) == (130, "Abgebrochen.\n")


def test_the_command_reads_no_vault_code_before_it_can_catch_ctrl_c() -> None:
    shown = subprocess.run(
        [sys.executable, "-c",
         "import sys, kisi_desktop.cli.main; "
         "print(sorted(m for m in ('kisi_desktop.core.workspace', 'kisi_desktop.cli.hints',"
         " 'kisi_desktop.bundles.export') if m in sys.modules))"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    assert shown.strip() == "[]"


def test_demo_data_shows_its_progress_in_the_windows_words(env: Any, tmp_path: Path) -> None:
    code, shown = _stderr_on_a_terminal(env, "demo", "--people", "3", "--seed", "1")
    assert code == 0, shown
    # As the window's progress dialog says it, then how many people are made.
    assert "\rDer Demo-Tresor mit erfundenen Personen wird angelegt: 3/3" in shown, repr(shown)


def test_ctrl_c_while_the_command_line_itself_is_read_is_said_in_one_line(env: Any) -> None:
    """The console script reads ``cli/main.py`` and what it imports before ``main`` can
    catch anything: Ctrl+C then (on a loaded machine, 0.6 s after the start) printed a
    traceback of the import. Here the import is interrupted where a real Ctrl+C would
    strike it, in a real interpreter running the installed console script's entry point."""
    interrupted_import = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'kisi_desktop.cli.main':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from importlib.metadata import entry_points\n"
        "(script,) = entry_points(group='console_scripts', name='kisi')\n"
        "raise SystemExit(script.load()())\n"
    )
    for language, said in (("de", "Abgebrochen.\n"), ("en", "Cancelled.\n")):
        done = subprocess.run(
            [sys.executable, "-c", interrupted_import],
            env={**env.vars, "KISI_LANG": language},
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )
        assert (done.returncode, done.stderr) == (130, said)
