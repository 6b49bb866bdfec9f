"""The first-run wizard as the set-up tests open it: shown, answering its own closing
questions yes (a test's end must not wait on a modal box), and cleaned up after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pytestqt.qtbot import QtBot

from kisi_desktop.core.vault.kdf import TEST_PARAMS

from kisi_desktop.ui.setup_wizard import SetupWizard
from kisi_desktop.ui.workers import TaskRunner

from tests.support.qt_tasks import flush_deletions


def shown(qtbot: QtBot, wiz: SetupWizard) -> SetupWizard:
    """Show ``wiz``; closing it at the end of the test must not open a modal question."""
    wiz.confirm_cancel = lambda: True  # type: ignore[method-assign]
    wiz.confirm_without_profile = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(wiz)
    wiz.show()
    qtbot.waitExposed(wiz)
    return wiz


@contextmanager
def wizard_for(qtbot: QtBot, vault_path: Path) -> Iterator[SetupWizard]:
    """A shown wizard that sets up a vault at ``vault_path`` (fast key derivation); its
    work ends and its vault is locked when the block ends."""
    runner = TaskRunner()
    wiz = shown(qtbot, SetupWizard(vault_path, runner, kdf=TEST_PARAMS))
    try:
        yield wiz
    finally:
        runner.wait()
        if wiz.workspace is not None:
            wiz.workspace.lock()
        flush_deletions()
