"""The Needs page (Bedarfsanalyse): recorded needs, and their ranking by period and group.

Modules: need_rows (list and ranking rows, their columns, the period and group choices),
bar_chart (the ranking as horizontal bars, painted with QPainter), needs_analysis (period,
group, ranked table and chart), needs_page (the Page with the list and the record forms).
"""

from kisi_desktop.ui.pages.needs.needs_page import NeedsPage

__all__ = ["NeedsPage"]
