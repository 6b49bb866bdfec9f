"""The demo vault behind ``kisi-desktop --demo``: made on first use, with a published passphrase.

It holds only generated people and figures, lives apart from real data (its own folder),
and its passphrase is printed in the README and on the unlock screen on purpose.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from kisi_desktop.core.clock import Clock, SystemClock
from kisi_desktop.core.vault.kdf import KdfParams
from kisi_desktop.core.workspace import Workspace

DEMO_PASSPHRASE = "kisi-demo-2025"  # noqa: S105 - published on purpose, demo data only
DEMO_PEOPLE = 300
DEMO_SEED = 20251001


def ensure_demo_vault(
    path: Path,
    *,
    people: int = DEMO_PEOPLE,
    kdf: KdfParams | None = None,
    clock: Clock | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bool:
    """Create and fill the demo vault at ``path`` unless it exists; True if it was made now."""
    if path.exists():
        return False
    # Imported here: the unlock screen needs only the passphrase, not the generator.
    from kisi_desktop.core.demo.generator import generate

    clock = clock or SystemClock()
    workspace, _code = Workspace.create(path, DEMO_PASSPHRASE, kdf=kdf, clock=clock)
    try:
        rng = random.Random(DEMO_SEED)  # noqa: S311 - demo data, not secrets
        generate(workspace, people, rng, clock, progress=progress)
    finally:
        workspace.lock()
    return True
