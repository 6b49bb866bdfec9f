"""The People area: list with filters, person page with timeline, forms, GDPR actions.

Modules: person_table_model (rows + table model), person_filter (proxy), person_list_view,
person_page (detail view), timeline_model, person_summary (header facts), person_forms
(form field sets), draft_banner, gdpr_dialogs, list_import and people_list_dialog (a
spreadsheet list of people brought in), people_page (the Page that wires them).
"""

from kisi_desktop.ui.pages.people.people_page import PeoplePage

__all__ = ["PeoplePage"]
