"""End-to-end: ``kisi`` runs as its own process on temporary vaults.

Vaults are made in-process with the fast test KDF parameters, so that only the tests that
are about `kisi init` and passphrase changes pay for production Argon2id (about 1 s).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

PASSPHRASE = "correct horse battery staple"


def kisi_command() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("kisi")
    if script.exists():
        return [str(script)]
    found = shutil.which("kisi")
    return [found] if found else [sys.executable, "-m", "kisi_desktop.cli.main"]


@dataclass
class Run:
    """Exit code and output of one ``kisi`` process."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """Standard output parsed as JSON."""
        return json.loads(self.out)

    def user_error(self) -> str:
        """Assert exit 1 with exactly one line on stderr and no traceback; return the line."""
        assert self.code == 1, self
        assert "Traceback" not in self.err
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        return lines[0]


@dataclass
class Env:
    """A vault path and the environment the ``kisi`` processes get."""

    vault: Path
    vars: dict[str, str]


Kisi = Callable[..., Run]


@pytest.fixture
def env(tmp_path: Path) -> Env:
    """Environment for a vault at tmp_path/vault.kisi (not created), English messages."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("KISI_")}
    vault = tmp_path / "vault.kisi"
    base.update(
        KISI_VAULT=str(vault), KISI_PASSPHRASE=PASSPHRASE, KISI_LANG="en", PYTHONIOENCODING="utf-8"
    )
    return Env(vault, base)


@pytest.fixture
def vault(env: Env) -> Path:
    """An empty vault made with the fast test parameters."""
    ws, _code = Workspace.create(env.vault, PASSPHRASE, kdf=TEST_PARAMS)
    ws.lock()
    return env.vault


@pytest.fixture
def kisi(env: Env) -> Kisi:
    """Run ``kisi ARGS...`` as a process; keyword arguments override environment variables."""

    def run(*argv: str, **overrides: str | None) -> Run:
        variables = dict(env.vars)
        for key, value in overrides.items():
            if value is None:
                variables.pop(key, None)
            else:
                variables[key] = value
        done = subprocess.run(
            [*kisi_command(), *argv],
            env=variables,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run
