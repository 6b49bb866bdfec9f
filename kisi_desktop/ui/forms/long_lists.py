"""Making a record form easier to fill: a filter field over each long list of choices
(70 languages, 200 countries), sorted by name, and a compact address box, so the form
fits the screen and its messages can be seen."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidget, QSizePolicy

from kisi_desktop.core.text_sort import sort_text

from kisi_desktop.ui.forms.labels import field_label
from kisi_desktop.ui.forms.list_filter import ListFilter
from kisi_desktop.ui.forms.record_dialog import RecordDialog

LONG_LISTS = ("nationalities", "languages", "topics")


def prepare_dialog(dialog: RecordDialog) -> dict[str, ListFilter]:
    """Filter fields on the dialog's long lists, and a compact address; the filters."""
    filters = {}
    kind = dialog.form.cls.KIND
    previous = None
    for name, editor in dialog.form.editors.items():
        if name in LONG_LISTS and isinstance(editor.widget, QListWidget):
            if name != "topics":  # topics keep the reference order (related ones together)
                _sort_by_label(editor.widget)
            label = field_label(kind, name)
            filters[name] = ListFilter(editor.widget, label, after=previous)
        previous = editor.widget
    address = dialog.form.editors.get("address")
    if address is not None:
        # Fixed, not only a maximum: a maximum below the text box's minimum of 90 pixels
        # (forms/field_widgets.py) made the form reserve 90, centre an 80-pixel box in it
        # and Qt then grow the box back to 90 from that offset, past its row: the bottom
        # border was cut off and the box touched the next field.
        address.widget.setFixedHeight(4 * address.widget.fontMetrics().lineSpacing() + 12)
        # Nor may its row take the room a short form leaves free: the box would float
        # in the middle of a tall empty row, far from its label.
        policy = address.widget.sizePolicy()
        policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
        address.widget.setSizePolicy(policy)
    return filters


def _sort_by_label(view: QListWidget) -> None:
    """Countries and languages come in code order; people look for them by name."""
    items = [view.takeItem(0) for _i in range(view.count())]
    for item in sorted(items, key=lambda item: sort_text(item.text())):
        view.addItem(item)
