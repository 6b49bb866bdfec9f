"""The Events page: activities with attendance (headcounts by target group and gender)."""

from __future__ import annotations

from kisi_desktop.ui.pages.activity_list import ActivityListPage


class EventsPage(ActivityListPage):
    """Activity records with ``is_event`` True; see :mod:`activity_list`."""

    key = "events"
    is_event = True
    other_key = "activities"
    form_name = "event_form"
