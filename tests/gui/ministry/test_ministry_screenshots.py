"""Every tab of the ministry view at 1366x768, in English, German and "long German".

German catalogs for the ministry view are filled by hand later; until then the German run
shows English where no translation exists. "Long German" stands in for the translation:
every string the catalog lacks gets its vowels doubled (about 35 % longer, as German runs
against English), so a layout that only fits the English words fails here first. The images
land in ``KISI_SHOT_DIR`` when set, else in a temporary folder; the test fails when a
visible button or one-line label is narrower than its text, or the window grows.
"""

from __future__ import annotations

import gettext
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from PySide6.QtWidgets import QWidget

from kisi_desktop.core import i18n
from kisi_desktop.core.i18n import set_ui_language, translator

from kisi_desktop.ministry import registry

from kisi_desktop.ui.fonts import register_fonts
from kisi_desktop.ui.ministry.figures_model import EVERY
from kisi_desktop.ui.ministry.init_dialog import InitMinistryDialog
from kisi_desktop.ui.ministry.window import MinistryWindow

from tests.gui.ministry.conftest import Desk
from tests.support.clipping import clipped

pytestmark = pytest.mark.gui
_PLACEHOLDER = re.compile(r"(\{[^}]*\})")


def lengthened(text: str) -> str:
    """``text`` with its lower-case vowels doubled, placeholders left as they are."""
    parts = _PLACEHOLDER.split(text)
    return "".join(
        p if _PLACEHOLDER.fullmatch(p) else re.sub(r"([aeiou])", r"\1\1", p) for p in parts
    )


class LongGerman(gettext.NullTranslations):
    """The German catalog; what it lacks, lengthened English."""

    def __init__(self) -> None:
        super().__init__()
        self.german = translator("de")

    def gettext(self, message: str) -> str:
        found = self.german.gettext(message)
        return found if found != message else lengthened(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self.german.ngettext(singular, plural, n)
        return found if found not in (singular, plural) else lengthened(found)


@pytest.fixture(params=["en", "de", "de-long"])
def language(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    set_ui_language(request.param[:2])
    if request.param == "de-long":
        monkeypatch.setattr(i18n._ui, "translation", LongGerman())
    yield request.param


def shot(widget: QWidget, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 5_000


def fill(desk: Desk) -> MinistryWindow:
    """A ministry with two municipalities: one with bundles (one held), one without."""
    desk.init()
    town = desk.town("kirchhain")
    desk.register(town)
    desk.provision(town)
    first = town.export("2025-10-01..2026-03-31")
    town.export("2026-04-01..2026-06-30")
    third = town.export()
    window = desk.window()
    with desk.open() as ministry:
        other = desk.town("marburg")
        registry.register(ministry, ags="06534014", name="Marburg", key=other.key_line)
    window.towns.refresh()
    junk = first.path.parent / "KISI_06534011_broken_000009_20261125.kisi"  # on the stick
    junk.write_bytes(b"PK\x03\x04 not really")
    desk.import_files(window, [first.path, third.path, junk])
    return window


def test_every_tab_fits_1366x768(desk: Desk, language: str) -> None:
    register_fonts()
    out = Path(os.environ.get("KISI_SHOT_DIR") or desk.tmp / "shots")
    out.mkdir(parents=True, exist_ok=True)
    window = fill(desk)
    problems: dict[str, list[str]] = {}
    for index, key in enumerate(("towns", "intake", "figures", "distribute")):
        window.tabs.setCurrentIndex(index)
        if key == "towns":
            window.towns.held_view.selectRow(0)
        if key == "figures":
            desk.qtbot.waitUntil(
                lambda: window.figures.result is not None and not window.figures.loading,
                timeout=10_000,
            )
        desk.qtbot.wait(30)
        shot(window, out, f"ministry_{key}_{language}")
        if key == "figures":  # every municipality and the total, a wide table
            window.figures.choose_scope(EVERY)
            window.figures.choose_table("ministry_budget_plan")
            shot(window, out, f"ministry_figures_every_{language}")
        found = clipped(window.tabs.currentWidget())
        if window.width() > 1366 or window.height() > 768:
            found.append(f"the tab widens the window to {window.width()}x{window.height()}")
        if found:
            problems[key] = found
    window.tabs.setCurrentIndex(0)
    window.towns.open_register()
    dialog = desk.wait_for(lambda: window.towns.register_dialog)
    shot(dialog, out, f"ministry_register_{language}")
    desk.qtbot.keyClicks(dialog.ags, "0653")
    desk.qtbot.keyClicks(dialog.key, "RWQ")
    dialog.submit()
    shot(dialog, out, f"ministry_register_errors_{language}")
    if found := clipped(dialog):
        problems["register"] = found
    dialog.reject()
    window.towns.held_view.selectRow(0)
    init = InitMinistryDialog(desk.tmp / "new-ministry")
    desk.qtbot.addWidget(init)
    init.show()
    desk.qtbot.waitExposed(init)
    shot(init, out, f"ministry_init_{language}")
    if found := clipped(init):
        problems["init"] = found
    assert problems == {}
