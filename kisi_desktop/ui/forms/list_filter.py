"""A filter field above a long check list (event participants out of hundreds of people).

:class:`~kisi_desktop.ui.forms.field_widgets.MultiEditor` shows every choice with a check
box, which is fine for four target groups but not for 10,000 people. The filter hides
entries that do not contain every typed word; ticked entries always stay visible, so the
guide sees who is already chosen, and a label counts them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.i18n import _, format_number
from kisi_desktop.core.spellings import match_text, typed_words

LONG_LIST_HEIGHT = 220


class ListFilter(QObject):
    """Filter field and "n chosen" label attached to a check list already in a form.

    A child of the list, so that it lives as long as the list does, whether or not the
    caller keeps it: the Partner form's language filter was dropped with the value its
    page's ``prepare`` returned, its connections went with it, and typing filtered
    nothing (QA pass).
    """

    def __init__(
        self, view: QListWidget, accessible_name: str, *, after: QWidget | None = None
    ) -> None:
        super().__init__(view)
        self.view = view
        self._texts: list[str] = []
        self.edit = QLineEdit()
        self.edit.setObjectName(f"{view.objectName()}_filter")
        self.edit.setClearButtonEnabled(True)
        self.edit.setPlaceholderText(_("Type to filter the list…"))
        self.edit.setAccessibleName(_("Filter {what}").format(what=accessible_name))
        self.chosen = QLabel()
        self.edit.textChanged.connect(self.apply)
        view.itemChanged.connect(self._item_changed)
        view.setMaximumHeight(LONG_LIST_HEIGHT)
        view.setMinimumHeight(min(LONG_LIST_HEIGHT, 120))
        cell = view.parentWidget()
        layout = cell.layout() if cell is not None else None
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(layout.indexOf(view), self.edit)
            layout.insertWidget(layout.indexOf(view) + 1, self.chosen)
        # Made after the form, the field would come last in the Tab order (after Cancel):
        # it goes after whatever came before its list (``after``, by default the widget
        # before the list in the focus chain), and the list after it.
        before = after.focusProxy() or after if after is not None else _field_before(view)
        if before is not None and before is not self.edit:
            QWidget.setTabOrder(before, self.edit)
            QWidget.setTabOrder(self.edit, view)
        self._count()

    def retranslate_ui(self) -> None:
        """After a language switch: the filter's words, and the entries' new texts to
        filter by. Its list is named by its form's label, which the form names first."""
        self.edit.setPlaceholderText(_("Type to filter the list…"))
        self.edit.setAccessibleName(_("Filter {what}").format(what=self.view.accessibleName()))
        self._texts = []
        self._count()
        self.apply()

    def apply(self, text: str | None = None) -> None:
        """Show the entries matching the filter text (and every ticked entry)."""
        # "ozturk" finds "Öztürk", "Mueller" "Müller", as the People list's filter does.
        words = typed_words(self.edit.text() if text is None else text)
        labels = self._labels()
        found = []
        for i in range(self.view.count()):
            item = self.view.item(i)
            label = labels[i]
            matches = all(any(spelt in label for spelt in word) for word in words)
            item.setHidden(not (matches or item.checkState() == Qt.CheckState.Checked))
            if matches:
                found.append(i)
        # Space ticks the list's current entry: after typing, that is an entry the filter
        # found, not one hidden since, nor one ticked before and only kept in view (Tab,
        # Space ticked a hidden topic, or unticked the one ticked just before).
        if words and found and self.view.currentRow() not in found:
            self.view.setCurrentRow(found[0])

    def _labels(self) -> list[str]:
        """The entries' texts as the filter compares them, made once per list (10,000
        names at every typed letter would cost more than the filtering)."""
        if len(self._texts) != self.view.count():
            self._texts = [match_text(self.view.item(i).text()) for i in range(self.view.count())]
        return self._texts

    def _item_changed(self, _item: QListWidgetItem) -> None:
        self._count()

    def _count(self) -> None:
        n = sum(
            1
            for i in range(self.view.count())
            if self.view.item(i).checkState() == Qt.CheckState.Checked
        )
        self.chosen.setText(
            _("{n} chosen of {total}").format(
                n=format_number(n), total=format_number(self.view.count())
            )
        )


def _field_before(view: QWidget) -> QWidget | None:
    """The last widget Tab reaches before ``view``: passing over labels (Qt ignores a tab
    order set after a widget that takes no focus) and the boxes that hold the list (Qt
    would put the field after such a box's last child, the list itself)."""
    before = view.previousInFocusChain()
    while (
        before is not None
        and before is not view
        and (before.isAncestorOf(view) or not before.focusPolicy() & Qt.FocusPolicy.TabFocus)
    ):
        before = before.previousInFocusChain()
    return None if before is view else before
