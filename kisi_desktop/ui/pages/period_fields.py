"""What the period choosers of the Reports and Sync pages share: a drop-down of periods in
groups, and two date fields that always show the chosen period's first and last day.

Changing a date turns the choice into "Custom range", so a guide who wants "PY1 but only
from January" starts from PY1 and moves one date; a range that is no period (the end
before the start) is named in a red line. Which periods a page offers, how it lays the
fields out, what it does with a choice and what it signals are the page's own
(:mod:`kisi_desktop.ui.pages.reports.period_chooser`,
:mod:`kisi_desktop.ui.pages.sync.sync_period`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _, format_date, ui_language
from kisi_desktop.core.typed_input import UnreadableInput, date_hint

from kisi_desktop.reports.periods import PROJECT_YEARS, Period, project_year, quarter

from kisi_desktop.ui.forms.field_widgets import DateField
from kisi_desktop.ui.pages.period_labels import CALENDAR_YEARS, months, project_year_label

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


def project_year_choices() -> list[Choice]:
    """The three project years (October to September)."""
    years = []
    for number in range(1, PROJECT_YEARS + 1):
        p = project_year(number)
        years.append(Choice(p.key, p, partial(project_year_label, p, number)))
    return years


def quarter_choices(keep: Callable[[Period], bool]) -> list[Choice]:
    """The quarters of the project's calendar years that ``keep`` keeps, in order."""
    quarters = []
    for year in CALENDAR_YEARS:
        for number in range(1, 5):
            p = quarter(year, number)
            if keep(p):
                quarters.append(Choice(p.key, p, partial(_quarter_label, p, year, number)))
    return quarters


class PeriodFields(QWidget):
    """The drop-down, the date fields and the problem line; see the module docstring.

    A subclass lays the widgets out, says what a choice does (:meth:`_choice_changed`) and
    what a custom range does (:meth:`_custom_changed`), and calls :meth:`retranslate_ui`.
    """

    def __init__(
        self,
        groups: Sequence[Sequence[Choice]],
        name: str,
        *,
        days: tuple[date, date],
        width: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._choices: dict[str, Choice] = {}
        self._updating = False
        self.label = QLabel()
        self.combo = QComboBox()
        self.combo.setObjectName(f"{name}Period")
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(width)
        self.combo.setMaxVisibleItems(30)
        for number, group in enumerate(groups):
            if number:
                self.combo.insertSeparator(self.combo.count())
            for choice in group:
                self._choices[choice.key] = choice
                self.combo.addItem("", choice.key)
        self.label.setBuddy(self.combo)
        self.from_label = QLabel()
        self.to_label = QLabel()
        self.start_edit = self._date_edit(f"{name}From", days)
        self.end_edit = self._date_edit(f"{name}To", days)
        self.from_label.setBuddy(self.start_edit)
        self.to_label.setBuddy(self.end_edit)
        self.problem = QLabel()
        self.problem.setObjectName(f"{name}PeriodProblem")
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.hide()
        self.combo.currentIndexChanged.connect(self._choice_changed)
        self._days = days
        self._shown: tuple[date | None, date | None] = (None, None)
        self.start_edit.committed.connect(self._dates_changed)
        self.end_edit.committed.connect(self._dates_changed)

    @staticmethod
    def _date_edit(name: str, days: tuple[date, date]) -> DateField:
        # Typed as guides write dates (QDateEdit read "01.02.2027" typed with dots as
        # another day); it counts when the field is left, not at every digit.
        edit = DateField()
        edit.setObjectName(name)
        return edit

    def retranslate_ui(self) -> None:
        """Labels in the UI language; the date fields in its date format."""
        self.label.setText(_("Pe&riod:"))
        for index in range(self.combo.count()):
            key = self.combo.itemData(index)
            if key in self._choices:
                self.combo.setItemText(index, self._label(key))
        self.from_label.setText(_("Fr&om:"))
        self.start_edit.edit.setAccessibleName(_("First day of the period"))
        self.end_edit.edit.setAccessibleName(_("Last day of the period"))
        for edit in (self.start_edit, self.end_edit):
            edit.set_language(ui_language())

    def _label(self, key: str) -> str:
        return self._choices[key].label()

    def key(self) -> str:
        """The key of the chosen entry (``PY1``, ``2026-Q1``, ``custom``...)."""
        return str(self.combo.currentData())

    def choose(self, key: str) -> None:
        """Choose the entry ``key`` as the guide would (the signal follows)."""
        self.combo.setCurrentIndex(self.combo.findData(key))

    def set_range(self, start: date, end: date) -> None:
        """Type a custom range as the guide would (the signal follows)."""
        self._updating = True
        try:
            self.start_edit.set_day(start)
            self.end_edit.set_day(end)
            self.combo.setCurrentIndex(self.combo.findData(CUSTOM))
        finally:
            self._updating = False
        self._custom_changed()

    def _show_days(self, period: Period) -> None:
        """Put ``period``'s first and last day into the fields, without a signal."""
        self._updating = True
        try:
            self.start_edit.set_day(period.start)
            self.end_edit.set_day(period.end)
            self._shown = (period.start, period.end)
        finally:
            self._updating = False

    def _dates_changed(self) -> None:
        if self._updating:
            return
        try:
            typed = (self.start_edit.day(), self.end_edit.day())
        except UnreadableInput:
            typed = (None, None)
        if typed == self._shown and None not in typed:
            return  # left the field without changing the day
        self._updating = True
        try:
            self.combo.setCurrentIndex(self.combo.findData(CUSTOM))
        finally:
            self._updating = False
        self._custom_changed()

    def _typed_period(self) -> Period | None:
        """The range in the date fields; None, with the reason in red, if it is no period."""
        try:
            start, end = self.start_edit.day(), self.end_edit.day()
            if start is None or end is None:
                raise UnreadableInput(date_hint(ui_language()))
            first, last = self._days
            if start < first or end > last:
                raise UserError(
                    _("A period lies between {first} and {last}.").format(
                        first=format_date(first), last=format_date(last)
                    )
                )
            period = Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
        except (UserError, UnreadableInput) as error:
            self.problem.setText(str(error))
            self.problem.show()
            self._shown = (None, None)  # the days typed back next are a change again
            return None
        self._shown = (start, end)
        self.problem.hide()
        self.problem.clear()
        return period

    def _choice_changed(self, _index: int) -> None:
        raise NotImplementedError

    def _custom_changed(self) -> None:
        """The guide chose "Custom range" or changed a date: take the typed range."""
        raise NotImplementedError
