"""Fixtures for the domain tests: the shipped reference data, one full record per kind, and
an empty vault whose clock stands still."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.registry import Record
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from tests.support.samples import full_samples


@pytest.fixture(scope="session")
def ref() -> ReferenceData:
    """The reference data shipped in resources/data."""
    return ReferenceData.load()


@pytest.fixture
def samples() -> dict[str, Record]:
    """A fresh set of full sample records, keyed by KIND."""
    return full_samples()


ENTRY_NOW = datetime(2026, 3, 18, 10, 0, tzinfo=UTC)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """An empty vault on 18 March 2026 (the rules for entered dates look at "today")."""
    ws, _code = Workspace.create(tmp_path / "v.kisi", "Lindenblüte 2026", kdf=TEST_PARAMS,
                                 clock=FixedClock(ENTRY_NOW))  # fmt: skip
    return ws
