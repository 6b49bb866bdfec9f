"""The Sync page's period chooser: since the last bundle (the default), a project year, a
quarter, or any range.

"Since the last bundle" is what a guide wants almost always: the days after the period of
the last bundle the ministry has not refused, up to today. The page works that period out
from the ledger (:func:`kisi_desktop.bundles.export.choose_period`) and hands it in with
:meth:`SyncPeriodChooser.set_since_last`; when there is nothing new it hands in the reason
instead. Two date fields always show the chosen period's first and last day; changing one
turns the choice into "Custom range" (the fields and the drop-down:
:mod:`kisi_desktop.ui.pages.period_fields`).

Signals:
    period_changed(): the choice or the dates changed (read :meth:`period` and :meth:`arg`).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QWidget

from kisi_desktop.core.i18n import N_, _, format_date

from kisi_desktop.reports.periods import PROJECT_END, PROJECT_START, Period

from kisi_desktop.ui.pages.period_fields import (
    CUSTOM,
    Choice,
    PeriodFields,
    project_year_choices,
    quarter_choices,
)

SINCE_LAST = "since-last"


def choices() -> list[list[Choice]]:
    """The entries in groups: since the last bundle, project years, quarters, custom."""
    return [
        [Choice(SINCE_LAST, None, partial(_, N_("Since the last bundle")))],
        project_year_choices(),
        quarter_choices(lambda p: p.start >= PROJECT_START and p.end <= PROJECT_END),
        [Choice(CUSTOM, None, partial(_, N_("Custom range")))],
    ]


class SyncPeriodChooser(PeriodFields):
    """See the module docstring."""

    period_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            choices(), "sync", days=(PROJECT_START, PROJECT_END), width=40, parent=parent
        )
        self._since_last: Period | None = None
        self._since_last_problem = ""
        self._covered: Period | None = None
        self._custom: Period | None = None
        self.problem.setWordWrap(True)
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
        self.combo.setCurrentIndex(self.combo.findData(SINCE_LAST))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Labels in the UI language; the date fields in its date format."""
        super().retranslate_ui()
        self.combo.setAccessibleName(_("Period of the next bundle"))
        self.to_label.setText(_("&to"))

    def _label(self, key: str) -> str:
        text = super()._label(key)
        if key == SINCE_LAST and self._since_last is not None:
            text += " (" + _("from {day}").format(day=format_date(self._since_last.start)) + ")"
        return text

    # ------------------------------------------------------------------ the period
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

    def set_since_last(
        self, period: Period | None, problem: str = "", covered: Period | None = None
    ) -> None:
        """The period "since the last bundle" stands for now (or why there is none).

        Without one, the fields show ``covered``, the last bundle's days: the page looks
        the same right after an export and after a restart (QA: two empty fields).
        """
        self._since_last = period
        self._since_last_problem = problem
        self._covered = covered
        index = self.combo.findData(SINCE_LAST)
        self.combo.setItemText(index, self._label(SINCE_LAST))
        if self.key() == SINCE_LAST:
            self._show_dates()

    def _show_dates(self) -> None:
        period = self.period()
        if period is None and self.key() == SINCE_LAST:
            period = self._covered
        if period is not None:
            self._show_days(period)
        # "Nothing new since the last bundle" is no mistake of the guide: the page's preview
        # says it, not this red line (which is for impossible custom ranges).
        self.problem.clear()
        self.problem.hide()

    def _choice_changed(self, _index: int) -> None:
        if self._updating or self.key() not in self._choices:
            return
        if self.key() == CUSTOM:
            self._custom = self._typed_period()
        else:
            self._show_dates()
        self.period_changed.emit()

    def _custom_changed(self) -> None:
        self._custom = self._typed_period()
        self.period_changed.emit()
