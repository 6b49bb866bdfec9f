"""The Reports page's period chooser: a project year, calendar year, quarter, or any range.

One drop-down lists the periods the ministry and the EU ask for (project years October to
September, calendar years, the quarters of the project, the whole project); two date
fields beside it always show the chosen period's first and last day. Changing a date turns
the choice into "Custom range", so a guide who wants "PY1 but only from January" starts
from PY1 and moves one date (the fields and the drop-down:
:mod:`kisi_desktop.ui.pages.period_fields`).

Signals:
    period_changed(object): the chosen :class:`Period` changed.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kisi_desktop.core.i18n import N_, _

from kisi_desktop.reports.periods import (
    PROJECT_END,
    PROJECT_START,
    PROJECT_YEARS,
    Period,
    calendar_year,
    project_year,
    project_year_of,
    whole_project,
)

from kisi_desktop.ui.pages.period_fields import (
    CUSTOM,
    Choice,
    PeriodFields,
    project_year_choices,
    quarter_choices,
)
from kisi_desktop.ui.pages.period_labels import CALENDAR_YEARS, calendar_label, project_label

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def choices() -> list[list[Choice]]:
    """The drop-down's entries in groups (separated in the list), in the order shown."""
    calendar = [
        Choice(str(year), calendar_year(year), partial(calendar_label, year))
        for year in CALENDAR_YEARS
    ]
    quarters = quarter_choices(lambda p: p.end >= PROJECT_START and p.start <= PROJECT_END)
    project = whole_project()
    rest = [
        Choice(project.key, project, partial(project_label, project)),
        Choice(CUSTOM, None, partial(_, N_("Custom range"))),
    ]
    return [project_year_choices(), calendar, quarters, rest]


def default_period(today: date) -> Period:
    """The project year containing ``today``; before the project the first, after it the last."""
    number = project_year_of(today)
    if number is None:
        number = 1 if today < PROJECT_START else PROJECT_YEARS
    return project_year(number)


class PeriodChooser(PeriodFields):
    """See the module docstring."""

    period_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        # Wide enough for "Project year 2 (October 2026 – September 2027)" in German and
        # English, not for the longest entry: the page must fit a 1366-pixel screen.
        super().__init__(choices(), "report", days=(EARLIEST, LATEST), width=44, parent=parent)
        self._period = default_period(PROJECT_START)
        # The problem goes on its own line under the fields, wrapped to their width: in the
        # row it took the width the fields and the export buttons need, and at 1366 pixels
        # the fields shrank to 40 and the page scrolled sideways (QA 26b).
        lines = QVBoxLayout(self)
        lines.setContentsMargins(0, 0, 0, 0)
        lines.setSpacing(2)
        row = QHBoxLayout()
        row.addWidget(self.label)
        row.addWidget(self.combo)
        row.addSpacing(8)
        row.addWidget(self.from_label)
        row.addWidget(self.start_edit)
        row.addWidget(self.to_label)
        row.addWidget(self.end_edit)
        lines.addLayout(row)
        self.problem.setWordWrap(True)
        lines.addWidget(self.problem)
        self.set_period(self._period)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Labels in the UI language; the date fields in its date format."""
        super().retranslate_ui()
        self.combo.setAccessibleName(_("Reporting period"))
        self.to_label.setText(_("&To:"))

    # ------------------------------------------------------------------ the period
    def period(self) -> Period:
        """The chosen period."""
        return self._period

    def set_period(self, period: Period) -> None:
        """Show ``period`` (its own entry if the list has it, else "Custom range"); no signal."""
        self._period = period
        key = period.key if period.key in self._choices else CUSTOM
        self._updating = True
        try:
            self.combo.setCurrentIndex(self.combo.findData(key))
        finally:
            self._updating = False
        self._show_days(period)
        self.problem.hide()

    def _choice_changed(self, _index: int) -> None:
        if self._updating:
            return
        choice = self._choices.get(self.combo.currentData())
        if choice is None:
            return
        if choice.period is None:  # custom: the days shown so far, until a date is changed
            self._custom_changed()
            return
        self.set_period(choice.period)
        self.period_changed.emit(choice.period)

    def _custom_changed(self) -> None:
        period = self._typed_period()
        if period is not None and period != self._period:
            self._period = period
            self.period_changed.emit(period)
