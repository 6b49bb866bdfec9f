"""The vault's code is imported on a thread while the guide types (ui/preload.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kisi_desktop.ui.preload import preload


@pytest.mark.allow_log_warnings  # the module that fails to import is logged
def test_it_imports_each_module_and_goes_on_past_one_that_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("kisi_probe_first", "kisi_probe_last"):
        (tmp_path / f"{name}.py").write_text("LOADED = True\n", encoding="utf-8")
    (tmp_path / "kisi_probe_broken.py").write_text("raise ValueError('a bug')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("kisi_probe_first", "kisi_probe_broken", "kisi_probe_last"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    thread = preload(["kisi_probe_first", "kisi_probe_broken", "kisi_probe_last"])
    thread.join(30)
    assert not thread.is_alive() and thread.daemon  # (a window closed at once does not wait)
    assert sys.modules["kisi_probe_first"].LOADED and sys.modules["kisi_probe_last"].LOADED
    assert "kisi_probe_broken" not in sys.modules
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [
        "importing kisi_probe_broken ahead failed: ValueError"
    ]
    for name in ("kisi_probe_first", "kisi_probe_last"):
        monkeypatch.delitem(sys.modules, name)
