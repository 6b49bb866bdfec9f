"""Fixtures for the domain tests: the shipped reference data and one full record per kind."""

from __future__ import annotations

import pytest

from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.registry import Record

from tests.support.samples import full_samples


@pytest.fixture(scope="session")
def ref() -> ReferenceData:
    """The reference data shipped in resources/data."""
    return ReferenceData.load()


@pytest.fixture
def samples() -> dict[str, Record]:
    """A fresh set of full sample records, keyed by KIND."""
    return full_samples()
