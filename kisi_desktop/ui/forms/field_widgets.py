"""One editor widget per domain field kind, chosen from the field's Spec.

The domain already says what each field is (text, code from a list, date, count, flag);
forms read that instead of restating it, so a new field gets a sensible editor at once.
Every editor converts between the widget and the Python value the record expects, and
between the widget and a JSON-safe value for sealed drafts.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from kisi_desktop.core.domain.field_groups import Counts, Many, Maybe
from kisi_desktop.core.domain.fields import Amount, Code, Day, Flag, Id, Spec, Text, Whole
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import _, ui_language

Choices = Callable[[str], Sequence[tuple[str, str]]]
_NO_DATE = QDate(1899, 12, 31)


class Editor(abc.ABC):
    """A widget plus the conversions for one field."""

    def __init__(self, widget: QWidget) -> None:
        self.widget = widget

    @abc.abstractmethod
    def get(self) -> Any:
        """The field value as the record class expects it (may be invalid: the record checks)."""

    @abc.abstractmethod
    def set(self, value: Any) -> None:
        """Show ``value`` (a record field value)."""

    def to_draft(self) -> Any:
        """A JSON-safe form of what is typed, for a sealed draft."""
        return self.get()

    def from_draft(self, raw: Any) -> None:
        """Restore what :meth:`to_draft` saved."""
        self.set(raw)


class LineEditor(Editor):
    def __init__(self, spec: Text) -> None:
        edit = QLineEdit()
        edit.setMaxLength(spec.max_len)
        super().__init__(edit)
        self.edit = edit

    def get(self) -> str:
        return self.edit.text().strip()

    def set(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class TextEditor(Editor):
    def __init__(self, spec: Text) -> None:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(90)
        super().__init__(edit)
        self.edit = edit

    def get(self) -> str:
        return self.edit.toPlainText().strip()

    def set(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class _ComboEditor(Editor):
    """A drop-down whose item data is the value; an optional one starts with "—" (None)."""

    def __init__(self, options: Sequence[tuple[str, str]], *, optional: bool) -> None:
        combo = QComboBox()
        if optional:
            combo.addItem("—", None)
        for value, label in options:
            combo.addItem(label, value)
        super().__init__(combo)
        self.combo = combo

    def get(self) -> str | None:
        data = self.combo.currentData()
        return None if data is None else str(data)

    def set(self, value: Any) -> None:
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(max(index, 0))


class CodeEditor(_ComboEditor):
    """A drop-down of reference-data labels in the UI language; optional adds an empty entry."""

    def __init__(self, enum: str, ref: ReferenceData, *, optional: bool) -> None:
        lang = ui_language()
        options = [(code, entry.label(lang)) for code, entry in ref.enum(enum).items()]
        super().__init__(options, optional=optional)


class ChoiceEditor(_ComboEditor):
    """A drop-down of records (people, partners, volunteers) given by the form's owner.

    Editable with a "contains" completer: typing part of a name finds it in a long list.
    """

    def __init__(self, options: Sequence[tuple[str, str]], *, optional: bool) -> None:
        super().__init__(options, optional=optional)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.combo.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


class MultiEditor(Editor):
    """A short list with a check box per entry (codes or records)."""

    def __init__(self, options: Sequence[tuple[str, str]]) -> None:
        view = QListWidget()
        for key, label in options:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            view.addItem(item)
        view.setMaximumHeight(min(150, 22 * max(len(options), 2) + 6))
        super().__init__(view)
        self.view = view

    def get(self) -> tuple[str, ...]:
        return tuple(
            str(self.view.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.view.count())
            if self.view.item(i).checkState() == Qt.CheckState.Checked
        )

    def set(self, value: Any) -> None:
        chosen = set(value or ())
        for i in range(self.view.count()):
            item = self.view.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def to_draft(self) -> list[str]:
        return list(self.get())


class DateEditor(Editor):
    """A date with a calendar pop-up; optional dates show "—" when empty (Delete clears)."""

    def __init__(self, *, optional: bool) -> None:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy" if ui_language() == "de" else "yyyy-MM-dd")
        edit.setMaximumDate(QDate(2100, 12, 31))
        self.optional = optional
        if optional:
            edit.setMinimumDate(_NO_DATE)
            edit.setSpecialValueText("—")
            edit.setDate(_NO_DATE)
        else:
            edit.setMinimumDate(QDate(1900, 1, 1))
            edit.setDate(QDate.currentDate())
        super().__init__(edit)
        self.edit = edit

    def get(self) -> date | None:
        value = self.edit.date()
        if self.optional and value == _NO_DATE:
            return None
        return date(value.year(), value.month(), value.day())

    def set(self, value: Any) -> None:
        if value is None:
            self.edit.setDate(_NO_DATE if self.optional else QDate.currentDate())
        else:
            self.edit.setDate(QDate(value.year, value.month, value.day))

    def to_draft(self) -> str | None:
        value = self.get()
        return None if value is None else value.isoformat()

    def from_draft(self, raw: Any) -> None:
        self.set(None if raw is None else date.fromisoformat(raw))


class NumberEditor(Editor):
    """A whole number; optional numbers show "—" at the bottom of the range."""

    def __init__(self, spec: Whole, *, optional: bool) -> None:
        spin = QSpinBox()
        self.optional = optional
        low = spec.minimum - 1 if optional else spec.minimum
        spin.setRange(low, spec.maximum)
        if optional:
            spin.setSpecialValueText("—")
            spin.setValue(low)
        super().__init__(spin)
        self.spin = spin

    def get(self) -> int | None:
        if self.optional and self.spin.value() == self.spin.minimum():
            return None
        return self.spin.value()

    def set(self, value: Any) -> None:
        self.spin.setValue(self.spin.minimum() if value is None else int(value))


class AmountEditor(Editor):
    """A decimal amount; accepts "1.234,50" as well as "1234.50"."""

    def __init__(self, *, optional: bool) -> None:
        edit = QLineEdit()
        edit.setAlignment(Qt.AlignmentFlag.AlignTrailing)
        self.optional = optional
        super().__init__(edit)
        self.edit = edit

    def get(self) -> Decimal | str | None:
        text = self.edit.text().strip().replace("€", "").replace(" ", "")
        if not text:
            return None if self.optional else ""
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation:
            return text  # the record refuses it with a message next to the field

    def set(self, value: Any) -> None:
        if value is None:
            self.edit.clear()
        elif ui_language() == "de":
            self.edit.setText(str(value).replace(".", ","))
        else:
            self.edit.setText(str(value))

    def to_draft(self) -> str:
        return self.edit.text()

    def from_draft(self, raw: Any) -> None:
        self.edit.setText(str(raw or ""))


class FlagEditor(Editor):
    def __init__(self, label: str) -> None:
        box = QCheckBox(label)
        super().__init__(box)
        self.box = box

    def get(self) -> bool:
        return self.box.isChecked()

    def set(self, value: Any) -> None:
        self.box.setChecked(bool(value))


class TriStateEditor(Editor):
    """Yes / no / not known, for optional flags."""

    def __init__(self) -> None:
        combo = QComboBox()
        combo.addItem(_("not known"), None)
        combo.addItem(_("yes"), True)
        combo.addItem(_("no"), False)
        super().__init__(combo)
        self.combo = combo

    def get(self) -> bool | None:
        data = self.combo.currentData()
        return None if data is None else bool(data)

    def set(self, value: Any) -> None:
        self.combo.setCurrentIndex(self.combo.findData(value))


class CountsEditor(Editor):
    """A small grid: one number per code (e.g. attendance per target group)."""

    def __init__(self, enum: str, ref: ReferenceData) -> None:
        widget = QWidget()
        grid = QGridLayout(widget)
        grid.setContentsMargins(0, 0, 0, 0)
        self.spins: dict[str, QSpinBox] = {}
        lang = ui_language()
        for i, (code, entry) in enumerate(ref.enum(enum).items()):
            spin = QSpinBox()
            spin.setRange(0, 100_000)
            spin.setAccessibleName(entry.label(lang))
            label = QLabel(entry.label(lang))
            label.setBuddy(spin)
            grid.addWidget(label, i // 2, (i % 2) * 2)
            grid.addWidget(spin, i // 2, (i % 2) * 2 + 1)
            self.spins[code] = spin
        super().__init__(widget)

    def get(self) -> tuple[tuple[str, int], ...]:
        return tuple((code, spin.value()) for code, spin in self.spins.items() if spin.value())

    def set(self, value: Any) -> None:
        counts = dict(value or ())
        for code, spin in self.spins.items():
            spin.setValue(int(counts.get(code, 0)))

    def to_draft(self) -> dict[str, int]:
        return dict(self.get())

    def from_draft(self, raw: Any) -> None:
        self.set(tuple((raw or {}).items()))


def make_editor(
    name: str, spec: Spec, ref: ReferenceData, choices: Choices | None, label: str
) -> Editor:
    """The editor for one field, from its Spec (see module docstring)."""
    optional = isinstance(spec, Maybe)
    inner = spec.inner if isinstance(spec, Maybe) else spec
    if isinstance(inner, Code):
        return CodeEditor(inner.enum, ref, optional=optional)
    if isinstance(inner, Text):
        return TextEditor(inner) if inner.multiline else LineEditor(inner)
    if isinstance(inner, Id):
        return ChoiceEditor(choices(name) if choices else (), optional=optional)
    if isinstance(inner, Day):
        return DateEditor(optional=optional)
    if isinstance(inner, Whole):
        return NumberEditor(inner, optional=optional)
    if isinstance(inner, Amount):
        return AmountEditor(optional=optional)
    if isinstance(inner, Flag):
        return TriStateEditor() if optional else FlagEditor(label)
    if isinstance(inner, Counts):
        return CountsEditor(inner.enum, ref)
    if isinstance(inner, Many):
        item = inner.item
        if isinstance(item, Code):
            lang = ui_language()
            return MultiEditor([(c, e.label(lang)) for c, e in ref.enum(item.enum).items()])
        if isinstance(item, Id):
            return MultiEditor(choices(name) if choices else ())
    raise TypeError(f"no editor for field {name!r} ({type(spec).__name__})")
