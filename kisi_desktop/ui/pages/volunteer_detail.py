"""The right half of the Volunteers page: one volunteer's allowance, deployments, trainings.

The allowance line compares what was paid in the current year (by the workspace clock)
with the regime's tax-free annual cap (Ehrenamtspauschale / Übungsleiterfreibetrag, dated
reference data). From :data:`WARN_SHARE` of the cap on it turns amber, above the cap red,
and says so in words too (colour is not the only signal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.domain import Volunteer
from kisi_desktop.core.i18n import N_, _, format_date, format_km, format_money, format_number

from kisi_desktop.ui.tables.record_table import RecordTable
from kisi_desktop.ui.tables.row_model import Column

WARN_SHARE = Decimal("0.8")
DEPLOYMENT_KEY = QKeySequence("Ctrl+Shift+N")
TRAINING_KEY = QKeySequence("Ctrl+T")
WARN_STYLE = "color: #8a4b00; font-weight: bold;"  # amber, readable on light backgrounds
OVER_STYLE = "color: #b00020; font-weight: bold;"


class AllowanceState(Enum):
    """How close a volunteer is to the annual cap."""

    NO_CAP = "no_cap"
    OK = "ok"
    WARNING = "warning"
    OVER = "over"


def allowance_state(paid: Decimal, cap: Decimal | None) -> AllowanceState:
    """OK below 80 % of the cap, WARNING from 80 % up to the cap, OVER above it."""
    if cap is None or cap <= 0:
        return AllowanceState.NO_CAP
    if paid > cap:
        return AllowanceState.OVER
    if paid >= cap * WARN_SHARE:
        return AllowanceState.WARNING
    return AllowanceState.OK


@dataclass(frozen=True, slots=True)
class DeploymentRow:
    """One deployment line."""

    id: str
    deployed_on: str  # ISO
    hours: Decimal
    kind_label: str
    km: Decimal
    expenses: Decimal
    allowance_paid: Decimal
    paid_on: str = ""  # ISO; the cap counts the allowance in this year when given


@dataclass(frozen=True, slots=True)
class TrainingRow:
    """One training the volunteer attended."""

    id: str
    held_on: str  # ISO
    topic: str
    trainer: str


def _day(iso: str) -> str:
    return format_date(date.fromisoformat(iso)) if iso else ""


DEPLOYMENT_COLUMNS = [
    Column(N_("Date"), lambda r: _day(r.deployed_on), sort=lambda r: r.deployed_on),
    Column(N_("Hours"), lambda r: format_number(r.hours), sort=lambda r: r.hours, numeric=True),
    Column(N_("Kind of help"), lambda r: r.kind_label, tooltip=lambda r: r.kind_label),
    Column(N_("km"), lambda r: format_km(r.km), sort=lambda r: r.km, numeric=True),
    Column(
        N_("Expenses"), lambda r: format_money(r.expenses), sort=lambda r: r.expenses, numeric=True
    ),
    Column(
        N_("Allowance paid"),
        lambda r: format_money(r.allowance_paid),
        sort=lambda r: r.allowance_paid,
        numeric=True,
    ),
    # The year of payment is the one the cap counts: a December deployment paid in January
    # counts in January's year, which the deployment's own date would not explain.
    Column(N_("Paid out on"), lambda r: _day(r.paid_on), sort=lambda r: r.paid_on),
]
TRAINING_COLUMNS = [
    Column(N_("Date"), lambda r: _day(r.held_on), sort=lambda r: r.held_on),
    Column(N_("Topic"), lambda r: r.topic, tooltip=lambda r: r.topic),
    Column(N_("Trainer"), lambda r: r.trainer, tooltip=lambda r: r.trainer),
]


class VolunteerDetail(QWidget):
    """See the module docstring. The page fills it; it holds no workspace of its own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = AllowanceState.NO_CAP
        self.name_label = QLabel()
        self.name_label.setObjectName("volunteerName")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.allowance_label = QLabel()
        self.allowance_label.setObjectName("allowance")
        self.allowance_label.setWordWrap(True)
        self.allowance_bar = QProgressBar()
        self.allowance_bar.setObjectName("allowanceBar")
        self.allowance_bar.setRange(0, 100)
        self.allowance_bar.setTextVisible(True)
        self.allowance_hint = QLabel()
        self.allowance_hint.setObjectName("allowanceHint")
        self.allowance_hint.setWordWrap(True)
        self.deployments_heading = QLabel()
        self.deployments = RecordTable(
            DEPLOYMENT_COLUMNS, name="deployments", filterable=False, new_key=DEPLOYMENT_KEY
        )
        self.trainings_heading = QLabel()
        self.trainings = RecordTable(
            TRAINING_COLUMNS, name="trainings", filterable=False, new_key=TRAINING_KEY
        )
        self.trainings_model = self.trainings.model
        # "Add training" sits beside the heading: three buttons under a list this narrow
        # would clip their German texts at 1366x768. "New deployment" does the same, so
        # that both lists start at the same height (a heading with a button is taller than
        # one without: the trainings sat 8 pixels lower than the deployments beside them).
        self.training_button = self.trainings.new_button
        self.trainings.buttons.removeWidget(self.training_button)
        self.deployment_button = self.deployments.new_button
        self.deployments.buttons.removeWidget(self.deployment_button)
        self.edit_volunteer_button = QPushButton()
        self.edit_volunteer_button.setObjectName("editVolunteer")
        # Usable only while a volunteer is shown.
        self.per_volunteer = (
            self.deployments,
            self.trainings,
            self.deployment_button,
            self.training_button,
            self.edit_volunteer_button,
        )

        head = QHBoxLayout()
        head.addWidget(self.name_label, 1)
        head.addWidget(self.edit_volunteer_button)
        allowance = QHBoxLayout()
        allowance.addWidget(self.allowance_label, 3)
        allowance.addWidget(self.allowance_bar, 1)
        deployment_row = QHBoxLayout()
        deployment_row.addWidget(self.deployments_heading, 1)
        deployment_row.addWidget(self.deployment_button)
        left = QVBoxLayout()
        left.addLayout(deployment_row)
        left.addWidget(self.deployments, 1)
        training_row = QHBoxLayout()
        training_row.addWidget(self.trainings_heading, 1)
        training_row.addWidget(self.training_button)
        right = QVBoxLayout()
        right.addLayout(training_row)
        right.addWidget(self.trainings, 1)
        lists = QHBoxLayout()
        lists.addLayout(left, 3)
        lists.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addLayout(allowance)
        layout.addWidget(self.allowance_hint)
        layout.addLayout(lists, 1)
        header = self.deployments.view.horizontalHeader()
        # Before a volunteer is chosen (the list is fitted once it has rows): every
        # heading whole, no horizontal scroll bar at 1366x768.
        for column, width in enumerate((90, 60, 150, 50, 80, 95)):
            header.resizeSection(column, width)
        self.setTabOrder(self.deployment_button, self.deployments.view)
        self.setTabOrder(self.deployments.view, self.deployments.edit_button)
        self.setTabOrder(self.training_button, self.trainings.view)
        self.setTabOrder(self.trainings.view, self.trainings.edit_button)
        # The trainings' columns are fitted as in every list (RecordTable): a stretched
        # topic column beside fixed ones kept 95 pixels for the date while the topics
        # were cut, and its stretching counted as a drag by hand, which ended the fitting.
        self.retranslate_ui()
        self.clear()

    def retranslate_ui(self) -> None:
        """Set texts in the current language."""
        self.deployments_heading.setText("<b>" + _("Deployments") + "</b>")
        self.trainings_heading.setText("<b>" + _("Trainings attended") + "</b>")
        self.deployments.retranslate_ui(
            noun=_("Deployments"),
            new_text=_("New de&ployment…"),
            edit_text=_("Edit deplo&yment…"),
            delete_text=_("Delete deploy&ment…"),
        )
        self.trainings.retranslate_ui(
            noun=_("Trainings attended"),
            new_text=_("Add &training…"),
            edit_text=_("Edit t&raining…"),
            delete_text=_("Delete tr&aining…"),
        )
        for table in (self.deployments, self.trainings):
            table.set_blocked_hint(_("Choose a volunteer in the list first."))
        self.edit_volunteer_button.setText(_("Edit vol&unteer…"))
        self.edit_volunteer_button.setAccessibleName(_("Edit volunteer…"))
        self.allowance_bar.setAccessibleName(_("Share of the annual allowance cap"))

    def clear(self) -> None:
        """Show nothing (no volunteer selected, or locked)."""
        self.name_label.setText("<h3>" + _("No volunteer selected") + "</h3>")
        self.allowance_label.clear()
        self.allowance_hint.clear()
        self.allowance_bar.hide()
        self.allowance_hint.hide()
        self.deployments.clear()
        self.trainings.clear()
        self.state = AllowanceState.NO_CAP
        for widget in self.per_volunteer:
            widget.setEnabled(False)

    def show_volunteer(
        self,
        volunteer: Volunteer,
        year: int,
        paid: Decimal,
        cap: Decimal | None,
        deployments: list[DeploymentRow],
        trainings: list[TrainingRow],
    ) -> None:
        """Fill the pane for ``volunteer``."""
        self.name_label.setText(f"<h3>{_escape(volunteer.name)}</h3>")
        for widget in self.per_volunteer:
            widget.setEnabled(True)
        self.deployments.set_rows(deployments)
        self.trainings.set_rows(trainings)
        self.show_allowance(year, paid, cap)

    def show_allowance(self, year: int, paid: Decimal, cap: Decimal | None) -> None:
        """ "312,00 € of 960,00 € (2026)", amber from 80 % of the cap, red above it."""
        self.state = allowance_state(paid, cap)
        if cap is None or self.state is AllowanceState.NO_CAP:
            self.allowance_label.setText(
                _(
                    "Allowance paid in {year}: {paid} (no tax-free annual cap for this regime)"
                ).format(year=year, paid=format_money(paid))
            )
            self.allowance_label.setStyleSheet("")
            self.allowance_bar.hide()
            self.allowance_hint.hide()
            return
        self.allowance_label.setText(
            _("Allowance paid: {paid} of {cap} ({year})").format(
                paid=format_money(paid), cap=format_money(cap), year=year
            )
        )
        share = int(paid * 100 / cap)
        self.allowance_bar.setValue(min(share, 100))
        self.allowance_bar.setFormat(f"{share} %")
        self.allowance_bar.show()
        if self.state is AllowanceState.OVER:
            style = OVER_STYLE
            hint = _("Over the tax-free annual cap by {amount}: check with the payroll office.")
            hint = hint.format(amount=format_money(paid - cap))
        elif self.state is AllowanceState.WARNING:
            style = WARN_STYLE
            # The percent sign is passed in: "% o" in a msgid reads as a printf directive.
            hint = _("{share} of the tax-free annual cap is used; {left} left this year.")
            hint = hint.format(share=f"{share} %", left=format_money(cap - paid))
        else:
            style, hint = "", ""
        self.allowance_label.setStyleSheet(style)
        self.allowance_hint.setStyleSheet(style)
        self.allowance_hint.setText(hint)
        self.allowance_hint.setVisible(bool(hint))
        self.allowance_bar.setAccessibleDescription(self.allowance_label.text())


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
