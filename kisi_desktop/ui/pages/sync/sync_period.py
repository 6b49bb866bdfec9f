"""The Sync page's period chooser: since the last bundle (the default), a project year, a
quarter, or any range.

"Since the last bundle" is what a guide wants almost always: the days after the period of
the last bundle the ministry has not refused, up to today. The page works that period out
from the ledger (:func:`kisi_desktop.bundles.export.choose_period`) and hands it in with
:meth:`SyncPeriodChooser.set_since_last`; when there is nothing new it hands in the reason
instead. Two date fields always show the chosen period's first and last day; changing one
turns the choice into "Custom range".

Signals:
    period_changed(): the choice or the dates changed (read :meth:`period` and :meth:`arg`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QGridLayout, QHBoxLayout, QLabel, QWidget

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import N_, _, format_date, ui_language

from kisi_desktop.reports.periods import (
    PROJECT_END,
    PROJECT_START,
    PROJECT_YEARS,
    Period,
    project_year,
    quarter,
)

from kisi_desktop.ui.pages.period_labels import CALENDAR_YEARS, months, project_year_label

SINCE_LAST = "since-last"
CUSTOM = "custom"


@dataclass(frozen=True, slots=True)
class Choice:
    """One entry of the drop-down: its key, its fixed period (None: worked out), its label."""

    key: str
    period: Period | None
    label: Callable[[], str]


def _quarter_label(period: Period, year: int, number: int) -> str:
    start, end = months(period, "LLL")
    return _("Quarter {n} {year} ({start} – {end})").format(
        n=number, year=year, start=start, end=end
    )


def choices() -> list[list[Choice]]:
    """The entries in groups: since the last bundle, project years, quarters, custom."""
    years = []
    for number in range(1, PROJECT_YEARS + 1):
        p = project_year(number)
        years.append(Choice(p.key, p, partial(project_year_label, p, number)))
    quarters = []
    for year in CALENDAR_YEARS:
        for number in range(1, 5):
            p = quarter(year, number)
            if p.start >= PROJECT_START and p.end <= PROJECT_END:
                quarters.append(Choice(p.key, p, partial(_quarter_label, p, year, number)))
    return [
        [Choice(SINCE_LAST, None, partial(_, N_("Since the last bundle")))],
        years,
        quarters,
        [Choice(CUSTOM, None, partial(_, N_("Custom range")))],
    ]


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class SyncPeriodChooser(QWidget):
    """See the module docstring."""

    period_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices: dict[str, Choice] = {}
        self._since_last: Period | None = None
        self._since_last_problem = ""
        self._custom: Period | None = None
        self._updating = False
        self.label = QLabel()
        self.combo = QComboBox()
        self.combo.setObjectName("syncPeriod")
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(40)
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
        self.start_edit = self._date_edit("syncFrom")
        self.end_edit = self._date_edit("syncTo")
        self.from_label.setBuddy(self.start_edit)
        self.to_label.setBuddy(self.end_edit)
        self.problem = QLabel()
        self.problem.setObjectName("syncPeriodProblem")
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.start_edit)
        dates.addWidget(self.to_label)
        dates.addWidget(self.end_edit)
        dates.addStretch(1)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.label, 0, 0)
        grid.addWidget(self.combo, 0, 1)
        grid.addWidget(self.from_label, 1, 0)
        grid.addLayout(dates, 1, 1)
        grid.addWidget(self.problem, 2, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.combo.currentIndexChanged.connect(self._choice_changed)
        self.start_edit.dateChanged.connect(self._dates_changed)
        self.end_edit.dateChanged.connect(self._dates_changed)
        self.combo.setCurrentIndex(self.combo.findData(SINCE_LAST))
        self.retranslate_ui()

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDateRange(_qdate(PROJECT_START), _qdate(PROJECT_END))
        # Typing a date changes the preview when the field is left, not at every digit.
        edit.setKeyboardTracking(False)
        return edit

    def retranslate_ui(self) -> None:
        """Labels in the UI language; the date fields in its date format."""
        self.label.setText(_("Pe&riod:"))
        self.combo.setAccessibleName(_("Period of the next bundle"))
        for index in range(self.combo.count()):
            key = self.combo.itemData(index)
            if key in self._choices:
                self.combo.setItemText(index, self._label(key))
        self.from_label.setText(_("Fr&om:"))
        self.to_label.setText(_("&to"))
        self.start_edit.setAccessibleName(_("First day of the period"))
        self.end_edit.setAccessibleName(_("Last day of the period"))
        fmt = "dd.MM.yyyy" if ui_language() == "de" else "yyyy-MM-dd"
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat(fmt)

    def _label(self, key: str) -> str:
        text = self._choices[key].label()
        if key == SINCE_LAST and self._since_last is not None:
            text += " (" + _("from {day}").format(day=format_date(self._since_last.start)) + ")"
        return text

    # ------------------------------------------------------------------ the period
    def key(self) -> str:
        """The key of the chosen entry (``since-last``, ``PY1``, ``2026-Q1``, ``custom``)."""
        return str(self.combo.currentData())

    def period(self) -> Period | None:
        """The chosen period; None when "since the last bundle" has nothing new, or the
        custom dates are wrong (then :meth:`problem_text` says why)."""
        key = self.key()
        if key == SINCE_LAST:
            return self._since_last
        if key == CUSTOM:
            return self._custom
        return self._choices[key].period

    def arg(self) -> str | None:
        """The period as :func:`choose_period` takes it; None means "since the last bundle"."""
        if self.key() == SINCE_LAST:
            return None
        period = self.period()
        if period is None:
            return None
        return f"{period.start.isoformat()}..{period.end.isoformat()}"

    def problem_text(self) -> str:
        """Why there is no period to export, or an empty string."""
        if self.period() is not None:
            return ""
        return self._since_last_problem if self.key() == SINCE_LAST else self.problem.text()

    def set_since_last(self, period: Period | None, problem: str = "") -> None:
        """The period "since the last bundle" stands for now (or why there is none)."""
        self._since_last = period
        self._since_last_problem = problem
        index = self.combo.findData(SINCE_LAST)
        self.combo.setItemText(index, self._label(SINCE_LAST))
        if self.key() == SINCE_LAST:
            self._show_dates()

    def choose(self, key: str) -> None:
        """Choose the entry ``key`` as the guide would (the signal follows)."""
        self.combo.setCurrentIndex(self.combo.findData(key))

    def set_range(self, start: date, end: date) -> None:
        """Type a custom range as the guide would (the signal follows)."""
        self._updating = True
        try:
            self.start_edit.setDate(_qdate(start))
            self.end_edit.setDate(_qdate(end))
            self.combo.setCurrentIndex(self.combo.findData(CUSTOM))
        finally:
            self._updating = False
        self._read_range()
        self.period_changed.emit()

    def _show_dates(self) -> None:
        period = self.period()
        self._updating = True
        try:
            if period is not None:
                self.start_edit.setDate(_qdate(period.start))
                self.end_edit.setDate(_qdate(period.end))
        finally:
            self._updating = False
        # "Nothing new since the last bundle" is no mistake of the guide: the page's preview
        # says it, not this red line (which is for impossible custom ranges).
        self.problem.clear()
        self.problem.hide()

    def _choice_changed(self, _index: int) -> None:
        if self._updating or self.key() not in self._choices:
            return
        if self.key() == CUSTOM:
            self._read_range()
        else:
            self._show_dates()
        self.period_changed.emit()

    def _dates_changed(self, _value: QDate) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            self.combo.setCurrentIndex(self.combo.findData(CUSTOM))
        finally:
            self._updating = False
        self._read_range()
        self.period_changed.emit()

    def _read_range(self) -> None:
        start, end = _day(self.start_edit.date()), _day(self.end_edit.date())
        try:
            self._custom = Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
        except UserError as error:
            self._custom = None
            self.problem.setText(str(error))
            self.problem.show()
            return
        self.problem.hide()
        self.problem.clear()
