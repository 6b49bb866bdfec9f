"""Files handed to ``kisi`` from outside are read no further than their limit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kisi_desktop.bundles.limits import MAX_PROVISIONING_FILE, MAX_RECEIPT_FILE

from .conftest import Kisi

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


@pytest.mark.usefixtures("vault")
def test_a_named_pipe_or_a_device_is_refused_with_a_reason(kisi: Kisi, tmp_path: Path) -> None:
    pipe = tmp_path / "receipt.sig"
    os.mkfifo(pipe)
    for command in (("provision",), ("receipts", "import")):
        for path in (pipe, Path("/dev/zero")):
            said = kisi(*command, str(path)).user_error()
            assert "keine gewöhnliche Datei" in said, said


@pytest.mark.usefixtures("vault")
def test_a_file_over_the_limit_is_refused_as_oversized(kisi: Kisi, tmp_path: Path) -> None:
    for command, limit in (
        (("provision",), MAX_PROVISIONING_FILE),
        (("receipts", "import"), MAX_RECEIPT_FILE),
    ):
        big = tmp_path / "big.sig"
        with big.open("wb") as out:  # sparse: one byte over, taking no room
            out.truncate(limit + 1)
        done = kisi(*command, str(big))
        assert done.code != 0
        assert "größer als erlaubt" in done.out + done.err, done
