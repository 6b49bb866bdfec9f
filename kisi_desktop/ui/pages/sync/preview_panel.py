"""What the next bundle will carry, shown before it is exported.

The guide sees the period, every data file with its number of records, the sentence that
no names, addresses, phone numbers, notes or birth dates leave the laptop, and - only when
the ministry's provisioning asks for them - the first pseudonymous participation rows with
all their columns, so there is nothing in the bundle the guide has not seen the like of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import N_, _, format_date, format_number, ngettext, ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import Payload, pending_prepared, summary_lines
from kisi_desktop.bundles.manifest import PARTICIPATION
from kisi_desktop.reports.indicator_tables import GENDER_LABELS, nationality_group_labels
from kisi_desktop.reports.labels import code_label

from kisi_desktop.ui.tables.row_model import Column, RowTableModel
from kisi_desktop.ui.tables.row_view import row_table

SAMPLE_ROWS = 5


def waiting_note(ws: Workspace) -> list[str]:
    """A bundle recorded but never written (the app stopped, or the guide cancelled)."""
    waiting = pending_prepared(ws)
    if waiting is None:
        return []
    return [
        _(
            "Bundle {seq} ({start} to {end}) was recorded but never written; "
            "“Export…” writes it first, before a new one."
        ).format(
            seq=waiting.seq,
            start=format_date(waiting.period_start),
            end=format_date(waiting.period_end),
        )
    ]


@dataclass(frozen=True, slots=True)
class SampleRow:
    """One participation row as it will leave the laptop."""

    id: str
    pseudonym: str
    birth_year: str
    gender: str
    nationality_group: str
    services: str
    period: str


def sample_rows(
    rows: list[dict[str, Any]], ref: ReferenceData | None, limit: int = SAMPLE_ROWS
) -> list[SampleRow]:
    """The first ``limit`` participation rows, every field in the UI's words: the file
    carries codes ("female", "language_course"), which the guide would have to decode."""
    german = ui_language() == "de"
    groups = nationality_group_labels()

    def pick(labels: tuple[str, str] | None, code: str) -> str:
        return (labels[0] if german else labels[1]) if labels else code

    def service(code: str) -> str:
        if ref is None:
            return code
        return code_label(ref, ["amif_support", "topics"], code, "de" if german else "en")

    out = []
    for number, row in enumerate(rows[:limit]):
        period = row.get("period") or {}
        start, end = period.get("start"), period.get("end")
        gender = str(row.get("gender") or "")
        group = str(row.get("nationality_group") or "")
        out.append(
            SampleRow(
                id=str(number),
                pseudonym=str(row.get("pseudonym", "")),
                birth_year="" if row.get("birth_year") is None else str(row["birth_year"]),
                gender=pick(GENDER_LABELS.get(gender), gender),
                nationality_group=pick(groups.get(group), group),
                services=", ".join(service(str(s)) for s in row.get("services") or ()),
                period=(
                    f"{format_date(date.fromisoformat(start))} – "
                    f"{format_date(date.fromisoformat(end))}"
                    if start and end
                    else ""
                ),
            )
        )
    return out


SAMPLE_COLUMNS = [
    Column(N_("Pseudonym"), lambda r: r.pseudonym, tooltip=lambda r: r.pseudonym),
    Column(N_("Year of birth"), lambda r: r.birth_year, numeric=True),
    Column(N_("Gender"), lambda r: r.gender),
    Column(N_("Nationality group"), lambda r: r.nationality_group),
    Column(N_("Services"), lambda r: r.services, tooltip=lambda r: r.services),
    Column(N_("Period"), lambda r: r.period),
]


class PreviewPanel(QWidget):
    """See the module docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.payload: Payload | None = None
        self._ref: ReferenceData | None = None
        self.summary = QLabel()
        self.summary.setObjectName("syncPreview")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.privacy = QLabel()
        self.privacy.setObjectName("syncPrivacy")
        self.privacy.setWordWrap(True)
        font = self.privacy.font()
        font.setBold(True)
        self.privacy.setFont(font)
        self.sample_label = QLabel()
        self.sample_label.setObjectName("syncSampleLabel")
        self.sample_label.setWordWrap(True)
        self.sample_model = RowTableModel(SAMPLE_COLUMNS, self)
        self.sample_view = row_table("syncSample", self.sample_model, packed=True)
        header = self.sample_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 150)
        header.setStretchLastSection(False)
        for column in (1, 2, 3, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.sample_view.setMaximumHeight(self.sample_view.fontMetrics().height() * 9)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.privacy)
        layout.addWidget(self.sample_label)
        layout.addWidget(self.sample_view, 1)
        layout.addStretch(0)
        self.clear()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the UI language (the shown preview is worded again)."""
        self.privacy.setText(
            _("No names, addresses, phone numbers, notes or birth dates leave the laptop.")
        )
        self.sample_view.setAccessibleName(_("Sample of the participation rows"))
        self.sample_model.retranslate()
        if self.payload is not None:
            self.show_payload(self.payload, self._notes, self._ref)

    def clear(self, text: str = "") -> None:
        """Show no preview, and ``text`` (why) instead."""
        self.payload = None
        self._notes: list[str] = []
        self._ref = None
        self.summary.setText(text)
        self.sample_model.clear()
        self.sample_label.hide()
        self.sample_view.hide()

    def show_payload(
        self,
        payload: Payload,
        notes: list[str] | None = None,
        ref: ReferenceData | None = None,
    ) -> None:
        """Show what ``payload`` carries, then ``notes`` (e.g. a bundle waiting to be written);
        ``ref`` names the services in the sample rows."""
        self.payload = payload
        self._ref = ref or self._ref
        self._notes = list(notes or [])
        period = payload.period
        lines = [
            _("Period: {start} to {end}").format(
                start=format_date(period.start), end=format_date(period.end)
            ),
            _("The bundle will carry (records per file):"),
            *(f"• {line}" for line in summary_lines(payload)),
            *self._notes,
        ]
        self.summary.setText("\n".join(lines))
        rows = payload.files.get(PARTICIPATION)
        asked = payload.participation and rows is not None
        self.sample_label.setVisible(asked)
        self.sample_view.setVisible(asked)
        if asked and rows is not None:
            self.sample_model.set_rows(sample_rows(rows, self._ref))
            self.sample_label.setText(
                ngettext(
                    "The ministry asks for proof of participation: {n} pseudonymous row, "
                    "with exactly these columns (first rows shown):",
                    "The ministry asks for proof of participation: {n} pseudonymous rows, "
                    "with exactly these columns (first rows shown):",
                    len(rows),
                ).format(n=format_number(len(rows)))
                + " "
                # Year of birth, gender and group single out a few people in a small
                # municipality: the data protection officer should know what goes.
                + _(
                    "Without names, they are still personal data: they go to the ministry "
                    "only, encrypted, and only because it asked for them."
                )
            )
        else:
            self.sample_model.clear()
