"""Core dumps would write every opened record to disk; the app switches them off."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_CORE is POSIX-only")
def test_harden_process_disables_core_dumps() -> None:
    code = (
        "import resource\n"
        "from kisi_desktop.core.hardening import harden_process\n"
        "harden_process()\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "(0, 0)"
