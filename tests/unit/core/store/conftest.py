"""Vault fixtures for the store tests, and a summary line for measured rates (R1 cycles/min)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.store.sealed_store import Vault
from kisi_desktop.core.vault.kdf import TEST_PARAMS

from tests.support.vaults import PASSPHRASE


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def make_vault(tmp_path: Path, clock: FixedClock) -> Iterator[Callable[..., tuple[Vault, str]]]:
    """Factory: a new vault (TEST_PARAMS) in tmp_path; closed at the end of the test."""
    made: list[Vault] = []

    def make(path: Path | None = None, **kwargs: object) -> tuple[Vault, str]:
        path = path or tmp_path / f"vault{len(made)}" / "kisi.vault"
        vault, code = Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, clock=clock, **kwargs)  # type: ignore[arg-type]
        made.append(vault)
        return vault, code

    yield make
    for vault in made:
        vault.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show every ``measured:`` user property (e.g. R1 cycles/min) at the end of the run."""
    lines = []
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", ()):
                if str(name).startswith("measured:"):
                    lines.append(f"{report.nodeid}: {name[len('measured:') :]} = {value}")
    if lines:
        terminalreporter.write_sep("-", "measured")
        for line in lines:
            terminalreporter.write_line(line)
