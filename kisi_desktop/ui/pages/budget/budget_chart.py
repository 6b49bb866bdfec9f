"""Planned vs spent per budget category as paired horizontal bars, painted with QPainter.

No QtCharts and no new wheel: a few rectangles. Each category gets its name on lines of its
own, wrapped where the chart is narrow (German category names are long, and "Sonstige
Sachausgaben (Druck, Öffentlichkeitsarbeit, V…" helps nobody) and, under it, two bars on
one scale: planned, and spent in the colour of its level (amber from 80 % of the plan, red
above it). A legend at the top says which is which; amounts are written beside the bars in
the UI language. The layout is worked out again at every paint, so a resize or a language
switch simply repaints; the chart's height follows its width (``heightForWidth``), so the
scroll area around it knows when wrapped names need more room.

For screen readers and the mouse, one transparent, focusable child per category lies over
its group and carries a sentence ("travel costs: planned 1.000,00 €, spent ...") as its
accessible name and tooltip; Tab reaches the chart, Up and Down move between categories
(kisi_desktop/ui/widgets/bar_chart.py, shared with the Needs page's chart).
Rectangles are mirrored with ``QStyle.visualRect`` for a right-to-left UI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QWidget

from kisi_desktop.core.i18n import N_, _, ui_language

from kisi_desktop.reports.budget import Level
from kisi_desktop.reports.budget_limits import level_of, percent_of
from kisi_desktop.reports.money import format_eur, format_percent

from kisi_desktop.ui.widgets.bar_chart import GAP, MARGIN, BarChart

PLANNED_FILL = QColor("#9cc3d5")
SPENT_FILL = QColor("#0b4f6c")
"""The printed report's bar colour (kisi_desktop/reports/charts.py)."""
WARN_FILL = QColor("#b26a00")
OVER_FILL = QColor("#b00020")
LEGEND = (
    (PLANNED_FILL, N_("Planned")),
    (SPENT_FILL, N_("Spent")),
    (WARN_FILL, N_("Spent ≥ 80%")),
    (OVER_FILL, N_("Spent > 100%")),
)
SWATCH = 12
GROUP_GAP = 8
MIN_BAR = 6


@dataclass(frozen=True, slots=True)
class ChartBar:
    """One category's pair of bars: planned and spent, and the level of spent vs planned."""

    category: str
    label: str
    planned: Decimal
    spent: Decimal

    @property
    def level(self) -> Level | None:
        """``warn`` from 80 % of the plan, ``over`` above it."""
        return level_of(self.spent, self.planned)

    @property
    def spent_fill(self) -> QColor:
        """The spent bar's colour: its level's, else the plain spent colour."""
        return {"warn": WARN_FILL, "over": OVER_FILL}.get(self.level or "", SPENT_FILL)

    def amounts(self) -> tuple[str, str]:
        """Planned and spent as written beside the bars, in the UI language."""
        language = ui_language()
        return format_eur(self.planned, language), format_eur(self.spent, language)

    def description(self) -> str:
        """What a screen reader says and the tooltip shows for the category."""
        planned, spent = self.amounts()
        used = percent_of(self.spent, self.planned)
        if used is None:
            return _("{category}: nothing planned, spent {spent}").format(
                category=self.label, spent=spent
            )
        return _("{category}: planned {planned}, spent {spent} ({percent})").format(
            category=self.label,
            planned=planned,
            spent=spent,
            percent=format_percent(used, ui_language()),
        )


@dataclass(frozen=True, slots=True)
class GroupGeometry:
    """Where one category's parts go in the widget (already mirrored for right-to-left)."""

    bar: ChartBar
    row: QRect
    label: QRect
    planned: QRect
    planned_value: QRect
    spent: QRect
    spent_value: QRect


class BudgetChart(BarChart[ChartBar, GroupGeometry]):
    """See the module docstring."""

    AREA_NAME = "budgetBar"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("budgetChart")
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)  # wrapped names: narrower is taller
        self.setSizePolicy(policy)
        self.retranslate_ui()

    # ------------------------------------------------------------------ data
    def set_bars(self, bars: Sequence[ChartBar]) -> None:
        """Show one pair of bars per entry of ``bars``, top to bottom."""
        self._show(bars)

    def retranslate_ui(self) -> None:
        """Accessible texts in the UI language (the owner sets labels again via set_bars)."""
        self.setAccessibleName(_("Planned and spent per budget category"))
        self.setAccessibleDescription(
            _(
                "Two bars per category, planned and spent; Tab reaches the first category, "
                "Up and Down move between them."
            )
        )
        self._empty_text = _("Nothing planned or spent yet.")
        self._describe_areas()

    # ------------------------------------------------------------------ layout
    def _legend_height(self) -> int:
        return max(self.fontMetrics().height(), SWATCH) + GAP

    def _label_font(self) -> QFont:
        bold = QFont(self.font())
        bold.setBold(True)
        return bold

    def _label_height(self, label: str, width: int) -> int:
        """The height of ``label`` wrapped to ``width`` (one line or more)."""
        flags = int(Qt.TextFlag.TextWordWrap)
        bounds = QRect(0, 0, max(width, 1), 100_000)
        return QFontMetrics(self._label_font()).boundingRect(bounds, flags, label).height()

    def _group_height(self, label: str, width: int) -> int:
        """A category's name (wrapped to ``width``) and its two bars under it."""
        line = self.fontMetrics().height()
        return self._label_height(label, width) + 2 * line + GROUP_GAP

    def legend_items(self) -> list[tuple[QColor, str, QRect, QRect]]:
        """Colour, text, swatch and text rectangle of each legend entry (wrapping if narrow)."""
        metrics = self.fontMetrics()
        line = max(metrics.height(), SWATCH)
        left, top = MARGIN, MARGIN
        right = self.width() - MARGIN
        items = []
        for color, msgid in LEGEND:
            text = _(msgid)
            width = SWATCH + 4 + metrics.horizontalAdvance(text)
            if left > MARGIN and left + width > right:
                left, top = MARGIN, top + line + 2
            swatch = QRect(left, top + (line - SWATCH) // 2, SWATCH, SWATCH)
            label = QRect(left + SWATCH + 4, top, width - SWATCH - 4, line)
            items.append((color, text, self._visual(swatch), self._visual(label)))
            left += width + 2 * GAP
        return items

    def geometry_of_bars(self) -> list[GroupGeometry]:
        """Where each category's label, bars and amounts go at the current size and font."""
        if not self._bars:
            return []
        metrics = self.fontMetrics()
        line = metrics.height()
        legend = self.legend_items()
        top = max(r.bottom() for _c, _t, _s, r in legend) + GAP if legend else MARGIN
        area = QRect(MARGIN, top, max(self.width() - 2 * MARGIN, 1), self.height() - top - MARGIN)
        amounts = [text for bar in self._bars for text in bar.amounts()]
        value_width = max(metrics.horizontalAdvance(text) for text in amounts) + GAP
        plot_width = max(area.width() - value_width, 1)
        scale = max(max(bar.planned, bar.spent) for bar in self._bars)
        thickness = max(MIN_BAR, int(line * 0.7))
        shapes = []
        y = area.top()
        for bar in self._bars:
            label_height = self._label_height(bar.label, area.width())

            def bar_rect(value: Decimal, row_top: int) -> tuple[QRect, QRect]:
                length = int(plot_width * value / scale) if scale > 0 else 0
                fill = QRect(area.left(), row_top + (line - thickness) // 2, length, thickness)
                text = QRect(area.left() + length + GAP // 2, row_top, value_width, line)
                return fill, text

            planned, planned_value = bar_rect(bar.planned, y + label_height)
            spent, spent_value = bar_rect(bar.spent, y + label_height + line)
            shapes.append(
                GroupGeometry(
                    bar=bar,
                    row=self._visual(QRect(area.left(), y, area.width(), label_height + 2 * line)),
                    label=self._visual(QRect(area.left(), y, area.width(), label_height)),
                    planned=self._visual(planned),
                    planned_value=self._visual(planned_value),
                    spent=self._visual(spent),
                    spent_value=self._visual(spent_value),
                )
            )
            y += label_height + 2 * line + GROUP_GAP
        return shapes

    # ------------------------------------------------------------------ Qt
    def _needed_height(self, width: int, at_least: int) -> int:
        """The height that shows every category at ``width`` (room for ``at_least`` one-line
        categories while there are fewer)."""
        legend = 2 * self._legend_height()  # the legend may wrap onto a second line
        inner = width - 2 * MARGIN
        groups = sum(self._group_height(bar.label, inner) for bar in self._bars)
        groups += max(at_least - len(self._bars), 0) * self._group_height("X", inner)
        return MARGIN + legend + groups + MARGIN

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._needed_height(width, 1)

    def sizeHint(self) -> QSize:
        return QSize(380, self._needed_height(380, 4))

    def minimumSizeHint(self) -> QSize:
        return QSize(260, self._needed_height(max(self.width(), 260), 1))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        ink = self.palette().color(QPalette.ColorRole.WindowText)
        middle = Qt.AlignmentFlag.AlignVCenter
        for color, text, swatch, text_rect in self.legend_items():
            painter.fillRect(swatch, color)
            painter.setPen(ink)
            painter.drawText(text_rect, middle | Qt.AlignmentFlag.AlignLeading, text)
        shapes = self.geometry_of_bars()
        if not shapes:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            top_centre = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
            top = max((r.bottom() for _c, _t, _s, r in self.legend_items()), default=MARGIN)
            painter.drawText(
                self.rect().adjusted(MARGIN, top + GAP, -MARGIN, -MARGIN),
                top_centre | Qt.TextFlag.TextWordWrap,
                self._empty_text,
            )
            painter.end()
            return
        bold = self._label_font()
        axis = shapes[0].planned.left() if self.isLeftToRight() else shapes[0].planned.right()
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawLine(axis, shapes[0].planned.top(), axis, shapes[-1].spent.bottom())
        for shape in shapes:
            bar = shape.bar
            planned_text, spent_text = bar.amounts()
            painter.setPen(ink)
            painter.setFont(bold)
            wrapped = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop
            painter.drawText(shape.label, wrapped | Qt.AlignmentFlag.AlignLeading, bar.label)
            painter.setFont(self.font())
            painter.fillRect(shape.planned, PLANNED_FILL)
            painter.fillRect(shape.spent, bar.spent_fill)
            leading = middle | Qt.AlignmentFlag.AlignLeading
            painter.drawText(shape.planned_value, leading, planned_text)
            painter.drawText(shape.spent_value, leading, spent_text)
        painter.end()
