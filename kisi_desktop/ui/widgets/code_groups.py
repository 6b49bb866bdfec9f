"""Fields for groups of a recovery code typed back, one after the other as on paper.

Typing a code back from its sheet group by group, the guide looked at the paper while the
focus stayed in the full field and the next group's letters went nowhere (QA pass). Here,
as in the code fields of banking apps:

* the 4th character of a group moves the focus to the next group's field;
* Backspace in an empty field goes back to the field before, to correct its last letter;
* a longer text pasted or typed into a field spills over into the next ones, four by four;
  a whole code (all its groups) fills each field with the group it asks for.

What is typed is read as the unlock screen reads it (:func:`as_read`): spaces and dashes
do not count, and "0a0m" is the group OAOM.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from kisi_desktop.core.vault.recovery import as_read

GROUP = 4  # characters of a group (recovery.format_code)
WHOLE_CODE = 8 * GROUP + 1  # eight groups, then the check character


class CodeGroupChain(QObject):
    """Chains ``fields``, which hold the code's groups at ``groups`` (zero-based), in
    order; see the module docstring."""

    def __init__(
        self, fields: Sequence[QLineEdit], groups: Sequence[int], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.fields = tuple(fields)
        self.groups = tuple(groups)
        for index, field in enumerate(self.fields):
            # No maximum length: Qt would cut a pasted code to its first group.
            field.textEdited.connect(lambda text, i=index: self._edited(i, text))
            field.installEventFilter(self)

    def _edited(self, index: int, text: str) -> None:
        read = as_read(text)
        if len(read) == WHOLE_CODE:
            for field, group in zip(self.fields, self.groups, strict=True):
                field.setText(read[group * GROUP : (group + 1) * GROUP])
            self._focus(len(self.fields) - 1)
            return
        if len(read) > GROUP:  # (spills over; what no field takes is dropped)
            chunks = [read[i : i + GROUP] for i in range(0, len(read), GROUP)]
            for field, chunk in zip(self.fields[index:], chunks, strict=False):
                field.setText(chunk)
            self._focus(min(index + len(chunks), len(self.fields)) - 1, advance=True)
            return
        if len(read) == GROUP:
            self._focus(index, advance=True)

    def _focus(self, index: int, *, advance: bool = False) -> None:
        """Focus the field at ``index`` (``advance``: the next one, if it is full)."""
        if advance and index + 1 < len(self.fields):
            index += 1
        field = self.fields[index]
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        field.end(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Backspace in an empty field goes back to the field before."""
        if event.type() == QEvent.Type.KeyPress and watched in self.fields:
            key = cast(QKeyEvent, event)
            index = self.fields.index(watched)
            if key.key() == Qt.Key.Key_Backspace and not self.fields[index].text() and index:
                self._focus(index - 1)
                return True
        return super().eventFilter(watched, event)
