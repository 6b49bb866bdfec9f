"""The ministry view (``kisi-desktop --ministry DIR``): the ministry's side for its staff.

Modules: launch (open the folder or offer to make one) with init_dialog, window (the
MinistryWindow: tabs, menus, drag and drop), context (what the tabs share; which thread
uses which database connection), towns_tab with town_rows, register_dialog and why_dialog
(the registry and what waits), intake_tab with intake_jobs (imports on a worker, results,
receipts), figures_tab with figures_model and figures_export (figures per municipality and
in total, XLSX and PDF), distribute_tab with provisioning_maker and pack_maker (files for
the municipalities), labels (reason codes and states in words), view_state (choices
remembered in the ministry folder).
"""

from kisi_desktop.ui.ministry.launch import ministry_window
from kisi_desktop.ui.ministry.window import MinistryWindow, build_ministry_window

__all__ = ["MinistryWindow", "build_ministry_window", "ministry_window"]
