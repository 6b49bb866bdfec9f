"""What Alt and a letter can reach in a window: for tests that walk a dialog's labels."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QFormLayout, QLabel, QWidget

from kisi_desktop.ui.forms.access_keys import access_key


def keys_in(window: QWidget) -> list[str]:
    """The access keys a guide can press in ``window``: its labels' and its buttons'."""
    texts = [w.text() for w in window.findChildren(QLabel) if w.buddy() is not None]
    texts += [w.text() for w in window.findChildren(QAbstractButton) if not w.isHidden()]
    return [key for text in texts if (key := access_key(text))]


def field_labels(window: QWidget) -> list[QLabel]:
    """The labels in the label column of ``window``'s forms (each should have a buddy)."""
    found = []
    for form in window.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel) and label.text():
                found.append(label)
    return found
