"""In-process runs of ``kisi`` against a fresh vault made with fast test KDF parameters."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.store import sealed_store
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.cli.main import main

PASSPHRASE = "correct horse battery staple"


@dataclass
class Result:
    """Exit code and captured output of one command."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """The standard output parsed as JSON."""
        return json.loads(self.out)

    def user_error(self) -> str:
        """Assert a user error (exit 1, one line on stderr, no traceback); return the line."""
        assert self.code == 1, self
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        assert "Traceback" not in self.err
        return lines[0]


Kisi = Callable[..., Result]


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty vault; KISI_VAULT and KISI_PASSPHRASE point at it and open it."""
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASSPHRASE, kdf=TEST_PARAMS)
    ws.lock()
    for name in ("KISI_NEW_PASSPHRASE", "KISI_RECOVERY_CODE", "KISI_LANG", "KISI_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KISI_VAULT", str(path))
    monkeypatch.setenv("KISI_PASSPHRASE", PASSPHRASE)
    # Rewrapping under a new passphrase would calibrate production parameters (about 1 s).
    monkeypatch.setattr(sealed_store, "calibrate", lambda *a, **k: TEST_PARAMS)
    yield path


@pytest.fixture
def kisi(capsys: pytest.CaptureFixture[str]) -> Kisi:
    """Run ``kisi ARGS...`` in-process and capture what it printed."""

    def run(*argv: str) -> Result:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run
