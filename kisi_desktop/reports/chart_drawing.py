"""Bar charts drawn with ReportLab's graphics, for the printed report (see :mod:`charts`).

Bars are horizontal: category labels (nationality groups, needs, budget categories) are
words, and words read best beside a bar, not rotated under it. Every text in the drawing is
set in the bundled font (ReportLab's default is Helvetica, which would appear unembedded in
the PDF); the labels are plain strings, so they suit the Latin-script labels reports have.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.textlabels import NA_Label
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from kisi_desktop.reports.charts import BarChart
from kisi_desktop.reports.indicators import WITHHELD, WITHHELD_TEXT
from kisi_desktop.reports.tables import Kind

BAR_FILL = HexColor("#0b4f6c")
AXIS = HexColor("#8a99a3")
INK = HexColor("#1a1a1a")

ROW_HEIGHT = 15.0
"""Points per bar, gap included: 8-point labels stay readable and never overlap."""
LABEL_SIZE = 8.0
VALUE_SIZE = 7.5
AXIS_SPACE = 16.0
"""Room under the bars for the value axis and its numbers."""

ValueText = Callable[[Any, Kind], str]
"""Formats a value of a kind for print (the report's language is bound in already)."""


def labels_width(charts: Sequence[BarChart], language: str, font: str, width: float) -> float:
    """Room for the longest bar label of ``charts`` (at most 40 % of ``width``)."""
    longest = max(
        (stringWidth(b.label(language), font, LABEL_SIZE) for c in charts for b in c.bars),
        default=0.0,
    )
    return min(longest + 8, width * 0.4)


def _nice_step(top: float) -> float:
    """A step of 1, 2 or 5 times a power of ten giving about five gridlines up to ``top``."""
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def chart_drawing(
    chart: BarChart,
    language: str,
    width: float,
    value_text: ValueText,
    font: str,
    suppressed_text: str = "<5",
    label_width: float | None = None,
) -> Drawing:
    """The chart as a ReportLab drawing ``width`` points wide, first bar at the top.

    Args:
        chart: the bars.
        language: which labels to print.
        width: the width to fill (the page's text width).
        value_text: formats a bar's value and the axis numbers in the report's language.
        font: a registered, embedded font for every text in the drawing.
        suppressed_text: printed at a bar whose value was suppressed.
        label_width: room for the labels left of the bars; charts printed one under
            another share one (:func:`labels_width`), so their bars start at one edge.
    """
    # ReportLab draws the first category at the bottom; a reader expects it at the top.
    bars = list(reversed(chart.bars))
    labels = [b.label(language) for b in bars]
    # Bar lengths are drawing coordinates, so float is right here; the printed values come
    # from the exact numbers through value_text.
    values = [float(b.value) if isinstance(b.value, int | Decimal) else None for b in bars]
    texts = [
        suppressed_text
        if b.value is None
        else WITHHELD_TEXT
        if b.value is WITHHELD
        else value_text(b.value, chart.kind)
        for b in bars
    ]
    if label_width is None:
        label_width = labels_width([chart], language, font, width)
    value_room = max((stringWidth(t, font, VALUE_SIZE) for t in texts), default=0.0) + 8
    plot_height = ROW_HEIGHT * max(len(bars), 1)
    drawing = Drawing(width, plot_height + AXIS_SPACE)
    # The renderer starts every drawing in its default font (Helvetica) unless told.
    drawing.initialFontName = font

    plot = HorizontalBarChart()
    plot.x = label_width
    plot.y = AXIS_SPACE
    plot.width = max(width - label_width - value_room, 40.0)
    plot.height = plot_height
    plot.data = [values or [0.0]]  # no bars: an empty axis, not a "<5" placeholder
    plot.bars[0].fillColor = BAR_FILL
    plot.bars[0].strokeColor = None
    plot.barSpacing = 0
    plot.groupSpacing = 5

    axis = plot.categoryAxis
    axis.categoryNames = labels or [""]
    axis.strokeColor = AXIS
    axis.tickLeft = 0
    axis.labels.fontName = font
    axis.labels.fontSize = LABEL_SIZE
    axis.labels.fillColor = INK
    axis.labels.boxAnchor = "e"
    axis.labels.dx = -4

    numbers = [v for v in values if v is not None]
    top = max(numbers, default=0.0)
    if top <= 0:
        top = 5.0  # nothing to scale by (or only suppressed bars): a small, honest axis
    step = _nice_step(top)
    if chart.kind is Kind.COUNT:
        step = max(step, 1.0)
    scale = plot.valueAxis
    scale.valueMin = 0
    scale.valueMax = math.ceil(top / step) * step
    scale.valueStep = step
    scale.strokeColor = AXIS
    scale.visibleGrid = 1
    scale.gridStrokeColor = HexColor("#dde3e7")
    scale.gridStrokeWidth = 0.4
    scale.labels.fontName = font
    scale.labels.fontSize = 7
    scale.labels.fillColor = AXIS
    scale.labelTextFormat = lambda v: value_text(_axis_value(v, chart.kind), chart.kind)

    plot.barLabelFormat = "values"
    plot.barLabelArray = [texts or [""]]
    plot.barLabels.fontName = font
    plot.barLabels.fontSize = VALUE_SIZE
    plot.barLabels.fillColor = INK
    plot.barLabels.boxAnchor = "w"
    plot.barLabels.dx = 3
    plot.barLabels.boxTarget = "hi"
    na = NA_Label()
    na.text = suppressed_text
    na.fontName = font
    na.fontSize = VALUE_SIZE
    na.fillColor = INK
    na.boxAnchor = "w"
    na.dx = 3
    plot.naLabel = na

    drawing.add(plot)
    return drawing


def _axis_value(value: float, kind: Kind) -> int | Decimal:
    """An axis number back as the exact type of its kind (steps are whole or 1-2-5 values)."""
    if kind is Kind.COUNT:
        return round(value)
    return Decimal(str(value)).normalize()
