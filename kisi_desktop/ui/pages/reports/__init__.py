"""The Reports page: the AMIF indicators of a period, drill-down to people and records, exports.

Modules: period_chooser (project year, calendar year, quarter, whole project, any range),
report_rows (indicators, breakdowns, people and records as frozen rows, worded in the UI
language), report_models (their table models), report_exports (CSV, XLSX and PDF buttons),
reports_page (the Page that wires them).
"""

from kisi_desktop.ui.pages.reports.reports_page import ReportsPage

__all__ = ["ReportsPage"]
