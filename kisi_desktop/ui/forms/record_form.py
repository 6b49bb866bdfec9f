"""A form for one record: editors per field, validation messages beside the field, drafts.

The page that owns a form decides which fields to show and saves the record; the form
builds the record from the editors, and shows any ValidationError (from the record's own
checks, from reference data, or from the workspace) under the field it names.

Signals:
    edited(): the user changed something (owners start the sealed-draft timer).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.domain.record import field_errors, field_specs
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.registry import Record
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.typed_input import UnreadableInput

from kisi_desktop.ui.forms.access_keys import with_access_keys
from kisi_desktop.ui.forms.field_widgets import (
    Choices,
    DateField,
    Editor,
    FlagEditor,
    make_editor,
)
from kisi_desktop.ui.forms.labels import field_hint, field_label

ERROR_STYLE = "color: #b00020;"
COLUMN_GAP = 24  # between the two columns of a form with fields beside the others


class RecordForm(QWidget):
    """Editors for ``fields`` of ``cls``; see the module docstring."""

    edited = Signal()

    def __init__(
        self,
        cls: type[Record],
        fields: Sequence[str],
        ref: ReferenceData,
        *,
        choices: Choices | None = None,
        today: Callable[[], date] = date.today,
        keys_taken: Iterable[str] = (),
        beside: Collection[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        """``keys_taken``: the access keys of the buttons around the form (its labels take
        others: forms/access_keys.py). ``beside``: fields shown in a second column, right
        of the others, so that a long form fits a 768-pixel screen without scrolling; Tab
        still follows ``fields``, so list them column by column."""
        super().__init__(parent)
        self.cls = cls
        self.ref = ref
        self._record: Record | None = None
        self._fixed: dict[str, Any] = {}
        specs = {f.name: spec for f, spec in field_specs(cls)}
        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self._cells: dict[str, QVBoxLayout] = {}
        self._descriptions: dict[QWidget, str] = {}  # a field's own, while an error says more
        self._named_inner: set[QWidget] = set()  # inner fields named after their label
        columns = QHBoxLayout(self)
        left = _column(columns)
        right = _column(columns) if beside else left
        self.rows = left
        """The (first) column's rows, where a page adds a line of its own."""
        for name in fields:
            layout = right if name in beside else left
            editor = make_editor(
                name, specs[name], ref, choices, field_label(cls.KIND, name), today
            )
            editor.widget.setObjectName(f"field_{name}")
            error = QLabel()
            error.setObjectName(f"error_{name}")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(editor.widget)
            box.addWidget(error)
            self._cells[name] = box
            if isinstance(editor, FlagEditor):
                layout.addRow("", cell)
            else:
                label = QLabel()
                label.setBuddy(editor.widget)
                self.labels[name] = label
                layout.addRow(label, cell)
            self.editors[name] = editor
            self.errors[name] = error
            self._watch(editor.widget)
        self._name_fields(keys_taken)

    def retranslate_ui(self, keys_taken: Iterable[str] = ()) -> None:
        """After a language switch while the form is open: every field named again, and
        the editors' own words (lists, date hints) in the new language; what is typed
        stays. ``keys_taken``: the buttons' access keys around the form, as they are now."""
        self._name_fields(keys_taken)
        for editor in self.editors.values():
            editor.retranslate()
        self._reword_errors()

    def _reword_errors(self) -> None:
        """The messages shown under fields, checked again in the new language.

        A message is a finished sentence in the language it was made in (QA: after
        Settings -> English the red lines stayed German); the form's own checks make it
        again. A message a page put there (one the store refused) stays as it was.
        """
        shown = {name for name in self.errors if self.error_text(name)}
        if not shown:
            return
        values, errors = self._read()
        if not errors and (refused := self._made(values)[1]) is not None:
            errors = {refused.field: refused.message}
        for field, message in errors.items():
            if self._error_field(field) in shown:
                self.show_error(field, message, focus=False)

    def _name_fields(self, keys_taken: Iterable[str]) -> None:
        """Labels with access keys unique in the form (the letters change with the words),
        accessible names and hints, in the current UI language."""
        # Alt and a letter of each label's own jumps to its field (forms/access_keys.py).
        kind = self.cls.KIND
        texts = {name: field_label(kind, name) for name in self.editors}
        keyed = dict(zip(texts, with_access_keys(list(texts.values()), keys_taken), strict=True))
        for name, editor in self.editors.items():
            label_text = texts[name]
            if isinstance(editor, FlagEditor):
                editor.box.setText(keyed[name])
            else:
                self.labels[name].setText(keyed[name] + ":")
            editor.widget.setAccessibleName(label_text)
            inner = editor.widget.focusProxy()
            if inner is not None and (not inner.accessibleName() or inner in self._named_inner):
                # A date field's text box; not the first number of a count grid, which
                # its own label names.
                inner.setAccessibleName(label_text)
                self._named_inner.add(inner)
            if hint := field_hint(kind, name):
                for target in filter(None, (editor.widget, inner)):
                    target.setToolTip(hint)
                    if target in self._descriptions:  # (an error's message is shown)
                        self._descriptions[target] = hint
                    else:
                        target.setAccessibleDescription(hint)

    def _watch(self, widget: QWidget) -> None:
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(self.edited)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(self.edited)
        elif isinstance(widget, QComboBox):
            widget.activated.connect(self.edited)
        elif isinstance(widget, DateField):
            widget.changed.connect(self.edited)
        elif isinstance(widget, QSpinBox):
            widget.valueChanged.connect(self.edited)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(self.edited)
        elif isinstance(widget, QListWidget):
            widget.itemChanged.connect(self.edited)
        for child in widget.findChildren(QSpinBox):
            child.valueChanged.connect(self.edited)

    # ------------------------------------------------------------------ data
    def load(self, record: Record | None, **fixed: Any) -> None:
        """Show ``record`` (or empty editors for a new one); ``fixed`` fields are set silently.

        ``fixed`` carries what the context decides, e.g. ``person_id`` on a person's page.
        """
        self._record = record
        self._fixed = dict(fixed)
        self.clear_errors()
        for name, editor in self.editors.items():
            if record is not None:
                editor.set(getattr(record, name))
            elif name in fixed:
                editor.set(fixed[name])
            else:
                default = _default_of(self.cls, name)
                if default is not _NO_DEFAULT:
                    editor.set(default)

    @property
    def record(self) -> Record | None:
        """The record being edited, None for a new one."""
        return self._record

    def build(self) -> Record | None:
        """The record from the editors, or None after showing what is wrong next to the field."""
        self.clear_errors()
        values, errors = self._read()
        if errors:
            # Every field to correct at once; the cursor goes to the first in the form.
            first = next(n for n in self.editors if n in errors)
            for name, message in errors.items():
                self.show_error(name, message, focus=name == first)
            return None
        record, refused = self._made(values)
        if refused is not None:
            self.show_error(refused.field, refused.message)
        return record

    def _read(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The record's values with the editors', and what is wrong per field (the typed
        text unreadable, or a field's own check)."""
        values: dict[str, Any] = {}
        if self._record is not None:
            values.update(
                {f.name: getattr(self._record, f.name) for f, _s in field_specs(self.cls)}
            )
        values.update(self._fixed)
        errors: dict[str, str] = {}
        for name, editor in self.editors.items():
            try:
                values[name] = editor.get()
            except UnreadableInput as error:
                errors[name] = str(error)
        read = {name: values[name] for name in self.editors if name not in errors}
        errors.update(field_errors(self.cls, read, self.ref))
        return values, errors

    def _made(self, values: dict[str, Any]) -> tuple[Record | None, ValidationError | None]:
        """The record ``values`` make, or what the whole record's check says against it."""
        try:
            record = self.cls(**values)
            record.validate(self.ref)
        except ValidationError as error:
            return None, error
        return record, None

    def _error_field(self, field: str) -> str:
        """The field whose line shows a message about ``field`` (the first one for a field
        the form does not show)."""
        name = field.split(".", 1)[0]
        return name if name in self.errors else next(iter(self.errors))

    def show_error(self, field: str, message: str, *, focus: bool = True) -> None:
        """Show ``message`` under ``field`` (or under the first field if it is not shown)."""
        name = self._error_field(field)
        if name != field.split(".", 1)[0]:
            message = f"{field_label(self.cls.KIND, field)}: {message}"
        label = self.errors[name]
        label.setText(message)
        label.show()
        # A screen reader reads the message with the field (the red line alone is not
        # tied to it).
        widget = self.editors[name].widget
        target = widget.focusProxy() or widget
        self._descriptions.setdefault(target, target.accessibleDescription())
        target.setAccessibleDescription(message)
        if focus:
            self.editors[name].widget.setFocus()

    def add_note(self, field: str) -> QLabel:
        """A line under ``field`` (above its error) where a page says what the typed value
        means, e.g. the allowance against the annual cap; hidden until given a text."""
        note = QLabel()
        note.setObjectName(f"note_{field}")
        note.setWordWrap(True)
        note.hide()
        self._cells[field].insertWidget(1, note)
        return note

    def clear_errors(self) -> None:
        """Hide every validation message."""
        for field in self.errors:
            self.clear_error(field)

    def clear_error(self, field: str) -> None:
        """Hide the message under ``field``: what a note knows no longer holds."""
        label = self.errors[field]
        label.clear()
        label.hide()
        widget = self.editors[field].widget
        target = widget.focusProxy() or widget
        if target in self._descriptions:
            target.setAccessibleDescription(self._descriptions.pop(target))

    def error_text(self, field: str) -> str:
        """The message shown under ``field`` ("" if none); for tests and screen readers."""
        label = self.errors.get(field)
        return label.text() if label is not None and not label.isHidden() else ""

    def draft(self) -> dict[str, Any]:
        """JSON-safe state of the editors, for a sealed draft."""
        return {name: editor.to_draft() for name, editor in self.editors.items()}

    def restore(self, state: Mapping[str, Any]) -> None:
        """Put a draft back into the editors (unknown fields are ignored)."""
        for name, raw in state.items():
            editor = self.editors.get(name)
            if editor is not None:
                try:
                    editor.from_draft(raw)
                except (TypeError, ValueError):
                    continue


_NO_DEFAULT = object()


def _column(columns: QHBoxLayout) -> QFormLayout:
    """One column of labels and fields, added to ``columns``, its rows from the top: in a
    column shorter than the one beside it, the form layout spread its rows apart."""
    layout = QFormLayout()
    layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    top = QVBoxLayout()
    top.addLayout(layout)
    top.addStretch(1)
    if columns.count():
        # A gap of its own: as the row layout's spacing it became the rows' spacing too
        # (a nested layout takes its parent's).
        columns.addSpacing(COLUMN_GAP)
    columns.addLayout(top)
    return layout


def _default_of(cls: type[Any], name: str) -> Any:
    for f, _spec in field_specs(cls):
        if f.name == name and f.default is not dataclasses.MISSING:
            return f.default
    return _NO_DEFAULT
