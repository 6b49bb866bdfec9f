"""The Activities page: group, network and administration work that is not an event."""

from __future__ import annotations

from kisi_desktop.ui.pages.activity_list import ActivityListPage


class ActivitiesPage(ActivityListPage):
    """Activity records with ``is_event`` False; see :mod:`activity_list`."""

    key = "activities"
    is_event = False
    other_key = "events"
    form_name = "activity_form"
