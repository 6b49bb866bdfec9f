"""A horizontal bar chart of ranked needs, painted with QPainter (no QtCharts, no new wheel).

The chart paints every bar itself: need label, bar, score, first rank at the top, on one
scale, laid out again for the current size at every paint (so a resize or a language switch
simply repaints). What a screen reader and the mouse need per bar comes from one small,
transparent child widget per bar lying over the bar's row (kisi_desktop/ui/widgets/
bar_chart.py, shared with the Budget page's chart): it carries the bar's accessible name and
tooltip and can take the focus (Tab into the chart, then Up/Down).

Painted with logical rectangles mirrored by ``QStyle.visualRect`` and leading/trailing
alignments, so a right-to-left UI language gets bars growing from the right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QWidget

from kisi_desktop.core.i18n import _, format_number

from kisi_desktop.ui.widgets.bar_chart import GAP, MARGIN, BarChart

BAR_FILL = QColor("#0b4f6c")
"""The printed report's bar colour (kisi_desktop/reports/charts.py), so both look alike."""
MIN_ROW = 20
"""Pixels per bar at least: one line of the default font and a little air."""
MAX_ROW = 30
LABEL_SHARE = 0.4
"""Need labels take at most this share of the width (longer ones are elided)."""


@dataclass(frozen=True, slots=True)
class ChartBar:
    """One bar: the need's rank, its label in the UI language and its score."""

    rank: int
    label: str
    score: int

    def description(self) -> str:
        """What a screen reader says and the tooltip shows for the bar."""
        return _("Rank {rank}: {need}, score {score}").format(
            rank=self.rank, need=self.label, score=format_number(self.score)
        )


@dataclass(frozen=True, slots=True)
class BarGeometry:
    """Where one bar's parts go in the widget (already mirrored for right-to-left)."""

    bar: ChartBar
    row: QRect
    label: QRect
    fill: QRect
    value: QRect


class NeedsChart(BarChart[ChartBar, BarGeometry]):
    """See the module docstring."""

    AREA_NAME = "needsBar"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("needsChart")
        self.retranslate_ui()

    # ------------------------------------------------------------------ data
    def set_bars(self, bars: Sequence[tuple[str, int]]) -> None:
        """Show ``(need label, score)`` bars, in rank order (``needs_chart`` gives them)."""
        self._show([ChartBar(rank, label, score) for rank, (label, score) in enumerate(bars, 1)])

    def _fit_to_bars(self) -> None:
        self.setMinimumHeight(2 * MARGIN + MIN_ROW * len(self._bars))

    def retranslate_ui(self) -> None:
        """Accessible texts in the UI language (the owner sets labels again via set_bars)."""
        self.setAccessibleName(_("Needs by score"))
        self.setAccessibleDescription(
            _("Horizontal bars, highest score first; Up and Down move between the bars.")
        )
        self._empty_text = _("No needs recorded for this period and group.")
        self._describe_areas()

    # ------------------------------------------------------------------ layout
    def geometry_of_bars(self) -> list[BarGeometry]:
        """Where each bar goes at the widget's current size and font."""
        if not self._bars:
            return []
        area = self.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        metrics = self.fontMetrics()
        row_height = max(MIN_ROW, min(MAX_ROW, area.height() // len(self._bars)))
        # +2: horizontalAdvance rounds, and elidedText must not cut a label that fits.
        widest = max(metrics.horizontalAdvance(b.label) for b in self._bars) + 2
        label_width = min(widest + GAP, int(area.width() * LABEL_SHARE))
        values = [format_number(b.score) for b in self._bars]
        value_width = max(metrics.horizontalAdvance(v) for v in values) + GAP
        plot_left = area.left() + label_width
        plot_width = max(area.width() - label_width - value_width, 1)
        top = max(b.score for b in self._bars)
        thickness = max(int(row_height * 0.65), 6)
        shapes = []
        for index, bar in enumerate(self._bars):
            y = area.top() + index * row_height
            length = round(plot_width * bar.score / top) if top > 0 else 0
            fill = QRect(plot_left, y + (row_height - thickness) // 2, max(length, 1), thickness)
            shapes.append(
                BarGeometry(
                    bar=bar,
                    row=self._visual(QRect(area.left(), y, area.width(), row_height)),
                    label=self._visual(QRect(area.left(), y, label_width - GAP, row_height)),
                    fill=self._visual(fill),
                    value=self._visual(
                        QRect(plot_left + length + GAP // 2, y, value_width, row_height)
                    ),
                )
            )
        return shapes

    # ------------------------------------------------------------------ Qt
    def sizeHint(self) -> QSize:
        return QSize(420, 2 * MARGIN + 24 * max(len(self._bars), 6))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 2 * MARGIN + MIN_ROW * max(len(self._bars), 1))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        ink = self.palette().color(QPalette.ColorRole.WindowText)
        shapes = self.geometry_of_bars()
        if not shapes:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._empty_text,
            )
            painter.end()
            return
        metrics = self.fontMetrics()
        middle = Qt.AlignmentFlag.AlignVCenter
        axis = shapes[0].fill.left() if self.isLeftToRight() else shapes[0].fill.right()
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawLine(axis, shapes[0].row.top(), axis, shapes[-1].row.bottom())
        for shape in shapes:
            painter.setPen(ink)
            label = metrics.elidedText(
                shape.bar.label, Qt.TextElideMode.ElideRight, shape.label.width()
            )
            painter.drawText(shape.label, middle | Qt.AlignmentFlag.AlignTrailing, label)
            painter.fillRect(shape.fill, BAR_FILL)
            painter.drawText(
                shape.value, middle | Qt.AlignmentFlag.AlignLeading, format_number(shape.bar.score)
            )
        painter.end()
