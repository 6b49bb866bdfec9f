"""The Reports page's period chooser: a project year, calendar year, quarter, or any range.

One drop-down lists the periods the ministry and the EU ask for (project years October to
September, calendar years, the quarters of the project, the whole project); two date
fields beside it always show the chosen period's first and last day. Changing a date turns
the choice into "Custom range", so a guide who wants "PY1 but only from January" starts
from PY1 and moves one date.

Signals:
    period_changed(object): the chosen :class:`Period` changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import N_, _, ui_language

from kisi_desktop.reports.periods import (
    PROJECT_END,
    PROJECT_START,
    PROJECT_YEARS,
    Period,
    calendar_year,
    project_year,
    project_year_of,
    quarter,
    whole_project,
)

from kisi_desktop.ui.pages.period_labels import (
    CALENDAR_YEARS,
    calendar_label,
    months,
    project_label,
    project_year_label,
)

CUSTOM = "custom"
EARLIEST, LATEST = QDate(2000, 1, 1), QDate(2099, 12, 31)


@dataclass(frozen=True, slots=True)
class Choice:
    """One entry of the drop-down: its key, the period (None: custom), its label maker."""

    key: str
    period: Period | None
    label: Callable[[], str]


def _quarter_label(period: Period, year: int, number: int) -> str:
    start, end = months(period, "LLL")
    return _("Quarter {n} {year} ({start} – {end})").format(
        n=number, year=year, start=start, end=end
    )


def choices() -> list[list[Choice]]:
    """The drop-down's entries in groups (separated in the list), in the order shown."""
    years = []
    for number in range(1, PROJECT_YEARS + 1):
        p = project_year(number)
        years.append(Choice(p.key, p, partial(project_year_label, p, number)))
    calendar = [
        Choice(str(year), calendar_year(year), partial(calendar_label, year))
        for year in CALENDAR_YEARS
    ]
    quarters = []
    for year in CALENDAR_YEARS:
        for number in range(1, 5):
            p = quarter(year, number)
            if p.end >= PROJECT_START and p.start <= PROJECT_END:
                quarters.append(Choice(p.key, p, partial(_quarter_label, p, year, number)))
    project = whole_project()
    rest = [
        Choice(project.key, project, partial(project_label, project)),
        Choice(CUSTOM, None, partial(_, N_("Custom range"))),
    ]
    return [years, calendar, quarters, rest]


def default_period(today: date) -> Period:
    """The project year containing ``today``; before the project the first, after it the last."""
    number = project_year_of(today)
    if number is None:
        number = 1 if today < PROJECT_START else PROJECT_YEARS
    return project_year(number)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class PeriodChooser(QWidget):
    """See the module docstring."""

    period_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices: dict[str, Choice] = {}
        self._period = default_period(PROJECT_START)
        self._updating = False
        self.label = QLabel()
        self.combo = QComboBox()
        self.combo.setObjectName("reportPeriod")
        # Wide enough for "Project year 2 (October 2026 – September 2027)" in German and
        # English, not for the longest entry: the page must fit a 1366-pixel screen.
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(44)
        self.combo.setMaxVisibleItems(30)
        for number, group in enumerate(choices()):
            if number:
                self.combo.insertSeparator(self.combo.count())
            for choice in group:
                self._choices[choice.key] = choice
                self.combo.addItem("", choice.key)
        self.label.setBuddy(self.combo)
        self.from_label = QLabel()
        self.to_label = QLabel()
        self.start_edit = self._date_edit("reportFrom")
        self.end_edit = self._date_edit("reportTo")
        self.from_label.setBuddy(self.start_edit)
        self.to_label.setBuddy(self.end_edit)
        self.problem = QLabel()
        self.problem.setObjectName("reportPeriodProblem")
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.combo)
        row.addSpacing(8)
        row.addWidget(self.from_label)
        row.addWidget(self.start_edit)
        row.addWidget(self.to_label)
        row.addWidget(self.end_edit)
        row.addWidget(self.problem)
        self.combo.currentIndexChanged.connect(self._choice_changed)
        self.start_edit.dateChanged.connect(self._dates_changed)
        self.end_edit.dateChanged.connect(self._dates_changed)
        self.set_period(self._period)
        self.retranslate_ui()

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDateRange(EARLIEST, LATEST)
        # Typing a date changes the figures when the field is left, not at every digit.
        edit.setKeyboardTracking(False)
        return edit

    def retranslate_ui(self) -> None:
        """Labels in the UI language; the date fields in its date format."""
        self.label.setText(_("Pe&riod:"))
        self.combo.setAccessibleName(_("Reporting period"))
        for index in range(self.combo.count()):
            key = self.combo.itemData(index)
            if key in self._choices:
                self.combo.setItemText(index, self._choices[key].label())
        self.from_label.setText(_("Fr&om:"))
        self.to_label.setText(_("&To:"))
        self.start_edit.setAccessibleName(_("First day of the period"))
        self.end_edit.setAccessibleName(_("Last day of the period"))
        fmt = "dd.MM.yyyy" if ui_language() == "de" else "yyyy-MM-dd"
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat(fmt)

    # ------------------------------------------------------------------ the period
    def period(self) -> Period:
        """The chosen period."""
        return self._period

    def key(self) -> str:
        """The key of the drop-down entry (``PY1``, ``2026``, ``2026-Q1``, ``custom``...)."""
        return str(self.combo.currentData())

    def set_period(self, period: Period) -> None:
        """Show ``period`` (its own entry if the list has it, else "Custom range"); no signal."""
        self._period = period
        key = period.key if period.key in self._choices else CUSTOM
        self._updating = True
        try:
            self.combo.setCurrentIndex(self.combo.findData(key))
            self.start_edit.setDate(_qdate(period.start))
            self.end_edit.setDate(_qdate(period.end))
        finally:
            self._updating = False
        self.problem.hide()

    def choose(self, key: str) -> None:
        """Choose the entry ``key`` as the guide would (the signal follows)."""
        self.combo.setCurrentIndex(self.combo.findData(key))

    def set_range(self, start: date, end: date) -> None:
        """Type a custom range as the guide would (the signal follows if the period changed)."""
        self._updating = True
        try:
            self.start_edit.setDate(_qdate(start))
            self.end_edit.setDate(_qdate(end))
            self.combo.setCurrentIndex(self.combo.findData(CUSTOM))
        finally:
            self._updating = False
        self._emit_range()

    def _choice_changed(self, _index: int) -> None:
        if self._updating:
            return
        choice = self._choices.get(self.combo.currentData())
        if choice is None:
            return
        if choice.period is None:  # custom: the days shown so far, until a date is changed
            self._emit_range()
            return
        self.set_period(choice.period)
        self.period_changed.emit(choice.period)

    def _dates_changed(self, _value: QDate) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            self.combo.setCurrentIndex(self.combo.findData(CUSTOM))
        finally:
            self._updating = False
        self._emit_range()

    def _emit_range(self) -> None:
        start, end = _day(self.start_edit.date()), _day(self.end_edit.date())
        try:
            period = Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
        except UserError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        self.problem.hide()
        if period != self._period:
            self._period = period
            self.period_changed.emit(period)
