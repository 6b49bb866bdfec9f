"""What the painted bar charts of the Budget and Needs pages share.

Each chart paints its bars itself with QPainter (no QtCharts, no new wheel) and works the
layout out again at every paint, so a resize or a language switch simply repaints. What a
screen reader and the mouse need per bar comes from one small, transparent child widget per
bar (:class:`BarArea`) lying over the bar's row: it carries the bar's accessible name and
tooltip and can take the focus (Tab into the chart, then Up/Down), which Qt's accessibility
exposes without a hand-written QAccessibleInterface.

A subclass says what a bar is and where its parts go (:meth:`BarChart.geometry_of_bars`) and
paints them; this base keeps the bars and their stand-ins, places the stand-ins, moves the
focus and mirrors logical rectangles with ``QStyle.visualRect`` for a right-to-left UI.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QStyle, QStyleOptionFocusRect, QWidget

MARGIN = 8
GAP = 8


class Bar(Protocol):
    """What a chart needs of one bar: the sentence its stand-in carries."""

    def description(self) -> str:
        """What a screen reader says and the tooltip shows for the bar."""
        ...


class Shape(Protocol):
    """What a chart needs of one bar's geometry: the row its stand-in lies over."""

    @property
    def row(self) -> QRect: ...


BarT = TypeVar("BarT", bound=Bar)
ShapeT = TypeVar("ShapeT", bound=Shape)


class BarArea(QWidget):
    """The transparent, focusable stand-in of one bar for screen readers and tooltips."""

    def __init__(self, chart: BarChart[BarT, ShapeT], object_name: str) -> None:
        super().__init__(chart)
        self.chart = chart
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setObjectName(object_name)

    def describe(self, bar: Bar) -> None:
        """Name the area after ``bar``."""
        text = bar.description()
        self.setAccessibleName(text)
        self.setToolTip(text)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Nothing but the focus frame: the chart has painted the bar underneath."""
        if not self.hasFocus():
            return
        painter = QPainter(self)
        option = QStyleOptionFocusRect()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, option, painter, self)
        painter.end()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Up and Down move between the bars."""
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        if step is None or not self.chart.move_focus(self, step):
            super().keyPressEvent(event)


class BarChart(QWidget, Generic[BarT, ShapeT]):
    """A chart of bars with one accessible stand-in per bar; see the module docstring."""

    AREA_NAME = "chartBar"
    """Object name of the stand-ins."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[BarT] = []
        self._areas: list[BarArea] = []
        self._empty_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # ------------------------------------------------------------------ data
    def _show(self, bars: Sequence[BarT]) -> None:
        """Keep ``bars``, give each a named, visible stand-in (blank the rest) and lay out."""
        self._bars = list(bars)
        while len(self._areas) < len(self._bars):
            self._areas.append(BarArea(self, self.AREA_NAME))
        for area, bar in zip(self._areas, self._bars, strict=False):
            area.describe(bar)
            area.show()
        for area in self._areas[len(self._bars) :]:
            area.hide()
            area.setToolTip("")
            area.setAccessibleName("")
        self._fit_to_bars()
        self._place()
        self.update()

    def _fit_to_bars(self) -> None:
        """Tell the layout that the size wanted has changed with the number of bars."""
        self.updateGeometry()

    def clear(self) -> None:
        """No bars (on lock)."""
        self._show(())

    def bars(self) -> list[BarT]:
        """The bars shown, top to bottom."""
        return list(self._bars)

    def bar_areas(self) -> list[BarArea]:
        """The accessible stand-ins of the bars shown, in the same order."""
        return self._areas[: len(self._bars)]

    def _describe_areas(self) -> None:
        """Name the stand-ins again (after a language switch) and repaint."""
        for area, bar in zip(self._areas, self._bars, strict=False):
            area.describe(bar)
        self.update()

    # ------------------------------------------------------------------ layout
    def geometry_of_bars(self) -> list[ShapeT]:
        """Where each bar's parts go at the widget's current size and font."""
        raise NotImplementedError

    def _visual(self, logical: QRect) -> QRect:
        return QStyle.visualRect(self.layoutDirection(), self.rect(), logical)

    def _place(self) -> None:
        for area, shape in zip(self._areas, self.geometry_of_bars(), strict=False):
            area.setGeometry(shape.row)

    def move_focus(self, area: BarArea, step: int) -> bool:
        """Give the focus to the bar ``step`` places from ``area``; False at either end."""
        areas = self.bar_areas()
        index = areas.index(area) + step if area in areas else -1
        if not 0 <= index < len(areas):
            return False
        areas[index].setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # ------------------------------------------------------------------ Qt
    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.LayoutDirectionChange):
            self.updateGeometry()
            self._place()
            self.update()
        super().changeEvent(event)
