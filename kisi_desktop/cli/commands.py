"""Every ``kisi`` sub-command, registered module by module (one module per noun).

A module is imported only when its parsers are needed: :func:`register` builds the full
parsers of the modules asked for, and for every other command an outline (its name and
one-line help, from :mod:`kisi_desktop.cli.command_list`) without options or help of its
own. ``kisi --help`` needs nothing more; ``main`` parses once with outlines only (leaving
the command's own words alone), then again with the one module of the command typed.
"""

from __future__ import annotations

import importlib
from collections.abc import Collection
from typing import Any

from kisi_desktop.cli.command_list import COMMANDS, command_help


def register(sub: Any, full: Collection[str] | None = None) -> None:
    """Add every command to the root parser's sub-parsers: the full parsers of the modules
    named in ``full`` (every module with None), an outline for the others."""
    done: set[str] = set()
    for command in COMMANDS:
        if full is not None and command.module not in full:
            sub.add_parser(command.name, help=command_help(command.name), add_help=False)
        elif command.module not in done:
            done.add(command.module)
            importlib.import_module(f"kisi_desktop.cli.{command.module}").register(sub)
