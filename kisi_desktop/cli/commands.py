"""Every ``kisi`` sub-command, registered module by module (one module per noun)."""

from __future__ import annotations

from typing import Any

from kisi_desktop.cli import (
    activities,
    audit,
    backup,
    budget,
    bundles,
    content,
    demo,
    handouts,
    keys,
    ministry,
    money,
    needs,
    network,
    notes,
    people,
    publications,
    reports,
    search,
    team,
    trips,
    upload,
    vault,
    volunteers,
)

MODULES = (
    vault,
    people,
    notes,
    activities,
    volunteers,
    team,
    money,
    trips,
    budget,
    network,
    search,
    handouts,
    reports,
    needs,
    publications,
    keys,
    bundles,
    content,
    ministry,
    upload,
    audit,
    backup,
    demo,
)


def register(sub: Any) -> None:
    """Add the parsers of every module to the root parser's sub-parsers."""
    for module in MODULES:
        module.register(sub)
