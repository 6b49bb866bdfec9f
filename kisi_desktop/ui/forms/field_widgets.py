"""One editor widget per domain field kind, chosen from the field's Spec.

The domain already says what each field is (text, code from a list, date, count, flag);
forms read that instead of restating it, so a new field gets a sensible editor at once.
Every editor converts between the widget and the Python value the record expects, and
between the widget and a JSON-safe value for sealed drafts.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, cast

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from kisi_desktop.core.domain.entry_dates import NOT_AHEAD, PAST_YEARS
from kisi_desktop.core.domain.field_groups import Counts, Many, Maybe
from kisi_desktop.core.domain.fields import (
    URL_RE,
    Amount,
    Code,
    Day,
    Flag,
    Id,
    Month,
    Spec,
    Text,
    Whole,
)
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import _, format_number, format_typed_number, ui_language
from kisi_desktop.core.typed_input import (
    YEARS_AHEAD,
    UnreadableInput,
    date_hint,
    format_typed_date,
    parse_typed_amount,
    parse_typed_date,
    parse_typed_whole,
)

Choices = Callable[[str], Sequence[tuple[str, str]]]


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

    def retranslate(self) -> None:
        """Say the editor's own words (list entries, hints) again in the UI language, after
        a switch in the settings while the form is open; what is typed or chosen stays.
        Nothing by default: most editors show only what was typed."""
        return


def code_labels(ref: ReferenceData, enum: str) -> dict[str, str]:
    """The entries of ``enum`` by code, in the UI language."""
    lang = ui_language()
    return {code: entry.label(lang) for code, entry in ref.enum(enum).items()}


_HOST = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")  # www.vhs.de: no @, no :, no scheme


class LineEditor(Editor):
    """One line of text; a web address typed without its scheme ("www.vhs.de") gets
    "https://", as a browser would read it."""

    def __init__(self, spec: Text) -> None:
        edit = QLineEdit()
        edit.setMaxLength(spec.max_len)
        super().__init__(edit)
        self.edit = edit
        self.web = spec.pattern is URL_RE

    def get(self) -> str:
        text = self.edit.text().strip()
        if self.web and _HOST.fullmatch(text.split("/", 1)[0]):
            return "https://" + text
        return text

    def set(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


_STORED_MONTH = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})")


class MonthEditor(LineEditor):
    """A month typed as MM/YYYY: a stored ``2026-11`` is shown as ``11/2026``.

    The new form and the hint say MM/YYYY, but a sheet opened again for a correction
    showed the stored form, as if the two were different things (QA pass). What is typed
    goes to the record as typed: :class:`~kisi_desktop.core.domain.fields.Month` reads
    either form.
    """

    def set(self, value: Any) -> None:
        found = _STORED_MONTH.fullmatch("" if value is None else str(value))
        if found is None:
            super().set(value)
        else:
            self.edit.setText(f"{found['month']}/{found['year']}")


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
    """A drop-down whose item data is the value; an optional one starts with "—" (None).

    A required one starts with nothing chosen ("Please choose…"), unless the form sets a
    value (the record's, or a default the domain or the page gives): the first entry of a
    list is no answer, and a form saved untouched must not store it (a referral to the
    first target, a need nobody named). Saving with nothing chosen says so under the field.
    """

    def __init__(self, options: Sequence[tuple[str, str]], *, optional: bool) -> None:
        combo = QComboBox()
        if optional:
            combo.addItem("—", None)
        for value, label in options:
            combo.addItem(label, value)
        super().__init__(combo)
        self.combo = combo
        self.optional = optional
        if not optional:
            combo.setCurrentIndex(-1)
        self._name_placeholder()

    def _name_placeholder(self) -> None:
        if not self.optional:
            self.combo.setPlaceholderText(_("Please choose…"))

    def retranslate(self) -> None:
        self._name_placeholder()

    def get(self) -> str | None:
        data = self.combo.currentData() if self.combo.currentIndex() >= 0 else None
        if data is None and not self.optional:
            raise UnreadableInput(_("Choose one from the list."))
        return None if data is None else str(data)

    def set(self, value: Any) -> None:
        index = self.combo.findData(value) if value not in (None, "") else -1
        if self.optional and index < 0:
            index = self.combo.findData(None)  # the empty entry
        if index < 0 and value not in (None, "") and not self.optional:
            # A code the list no longer has (reference data changed): shown as stored, so
            # the guide sees what to replace; it is no choice, and saving asks for one.
            self.combo.addItem(_("{value} (no longer in the list)").format(value=value), None)
            index = self.combo.count() - 1
        # A required list shows nothing chosen rather than its first entry for None, so
        # the guide chooses.
        self.combo.setCurrentIndex(max(index, 0) if self.optional else index)

    def to_draft(self) -> str | None:
        data = self.combo.currentData()  # None while nothing is chosen: no message here
        return None if data is None else str(data)


class CodeEditor(_ComboEditor):
    """A drop-down of reference-data labels in the UI language; optional adds an empty entry."""

    def __init__(self, enum: str, ref: ReferenceData, *, optional: bool) -> None:
        self.enum, self.ref = enum, ref
        super().__init__(list(code_labels(ref, enum).items()), optional=optional)

    def retranslate(self) -> None:
        super().retranslate()
        labels = code_labels(self.ref, self.enum)
        for i in range(self.combo.count()):
            label = labels.get(self.combo.itemData(i))
            if label is not None:
                self.combo.setItemText(i, label)


class ChoiceEditor(_ComboEditor):
    """A drop-down of records (people, partners, volunteers) given by the form's owner,
    or of values the vault holds for a text field (a municipality's AGS, by its name).

    Editable with a "contains" completer: typing part of a name finds it in a long list.
    ``keep_unknown``: a saved value the options lack (an AGS without a profile in this
    vault) is listed as such and stays chosen, instead of being dropped at the next save.
    """

    def __init__(
        self, options: Sequence[tuple[str, str]], *, optional: bool, keep_unknown: bool = False
    ) -> None:
        super().__init__(options, optional=optional)
        self.keep_unknown = keep_unknown
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.combo.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        if not optional:
            self.combo.setCurrentIndex(-1)
        self._name_placeholder()

    def _name_placeholder(self) -> None:
        super()._name_placeholder()
        line = self.combo.lineEdit()
        if not self.optional and line is not None:
            # (an editable drop-down shows its text field's placeholder, not its own)
            line.setPlaceholderText(_("Please choose…"))

    def set(self, value: Any) -> None:
        if self.keep_unknown and value and self.combo.findData(value) < 0:
            self.combo.addItem(_("{value} (not in this vault)").format(value=value), value)
        super().set(value)

    def _named(self) -> int | None:
        """The entry the text field names (-1: none, the text is empty; None: the text
        names no entry). The text is what the guide sees, so it decides, not the index an
        earlier choice left behind (cleared text kept it; a name typed in full had none)."""
        line = self.combo.lineEdit()
        text = line.text().strip() if line is not None else ""
        if not text:
            return -1
        current = self.combo.currentIndex()
        if current >= 0 and self.combo.itemText(current) == text:
            return current
        found = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        return found if found >= 0 else None

    def get(self) -> str | None:
        index = self._named()
        if index is None or (index < 0 and not self.optional):
            raise UnreadableInput(_("Choose one from the list."))
        data = self.combo.itemData(index) if index >= 0 else None
        return None if data is None else str(data)

    def to_draft(self) -> str | None:
        index = self._named()
        data = self.combo.itemData(index) if index is not None and index >= 0 else None
        return None if data is None else str(data)


class MultiEditor(Editor):
    """A short list with a check box per entry (codes or records)."""

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        *,
        relabel: Callable[[], dict[str, str]] | None = None,
    ) -> None:
        """``relabel``: the entries' texts by key in the UI language, for codes (records
        keep their names in every language)."""
        self.relabel = relabel
        view = QListWidget()
        for key, label in options:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            view.addItem(item)
        view.setMaximumHeight(min(150, 22 * max(len(options), 2) + 6))
        # Not growing: as an expanding list it took all of a taller dialog's spare height
        # and floated in the middle of it, far from its label.
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
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
        known = {self.view.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.view.count())}
        for key in sorted(chosen - known):
            # A value the options lack (a municipality without a profile in this vault)
            # stays, ticked, instead of being dropped unseen at the next save.
            item = QListWidgetItem(_("{value} (not in this vault)").format(value=key))
            item.setForeground(QColor("#666666"))
            item.setToolTip(_("Kept as saved; untick it to remove it."))
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.view.addItem(item)

    def to_draft(self) -> list[str]:
        return list(self.get())

    def retranslate(self) -> None:
        labels = self.relabel() if self.relabel is not None else {}
        for i in range(self.view.count()):
            item = self.view.item(i)
            label = labels.get(item.data(Qt.ItemDataRole.UserRole))
            if label is not None:
                item.setText(label)


class DateField(QWidget):
    """A date typed as text ("15.3.1990", "150390", "2026-03-15") with a calendar beside
    it (the button, or Alt+Down / F4 in the field).

    Replaces QDateEdit: its sections made "15.03.1990" typed with dots skip the month and
    store another date, and its "empty" value at the bottom of the range could not be
    typed over and kept the Tab key.

    Signals:
        changed(): the text was edited or a day was picked in the calendar.
        committed(): the field was left, Enter pressed, or a day picked: a date to act on
            (a report period), not every keystroke of one being typed.
    """

    changed = Signal()
    committed = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        years_ahead: int = YEARS_AHEAD,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.years_ahead = years_ahead
        self.today = today  # the session's clock in a record form: "today" as records see it
        self.latest: date | None = None  # the calendar offers no day after it
        self.edit = QLineEdit()
        self.set_language(ui_language())
        self.edit.textEdited.connect(lambda _text: self.changed.emit())
        self.edit.editingFinished.connect(self._show_as_read)
        self.button = QToolButton()
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Alt+Down in the field instead
        self.button.clicked.connect(self.show_calendar)
        self._name_button()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.edit.installEventFilter(self)
        self.calendar: QCalendarWidget | None = None

    def set_language(self, language: str) -> None:
        """Write dates, hints and the shown day in ``language`` (on a language switch)."""
        try:
            shown = self.day() if hasattr(self, "language") else None
        except UnreadableInput:
            shown = None
        self.language = language
        form = _("DD.MM.YYYY") if language == "de" else _("YYYY-MM-DD")
        self.edit.setPlaceholderText(form)
        self.edit.setAccessibleDescription(
            _("A date as {form}; Alt+Down or F4 opens a calendar.").format(form=form)
        )
        if hasattr(self, "button"):  # not yet while __init__ sets the first language
            self._name_button()
        if shown is not None:
            self.set_day(shown)

    def _name_button(self) -> None:
        self.button.setToolTip(_("Choose from a calendar (Alt+Down)"))
        self.button.setAccessibleName(_("Choose from a calendar"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Alt+Down or F4 in the field opens the calendar, as in a drop-down list."""
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            key = cast(QKeyEvent, event)
            alt_down = key.key() == Qt.Key.Key_Down and bool(
                key.modifiers() & Qt.KeyboardModifier.AltModifier
            )
            if alt_down or key.key() == Qt.Key.Key_F4:
                self.show_calendar()
                return True
        return False

    def show_calendar(self) -> None:
        """Pop a calendar up under the field, on the typed day (or today)."""
        menu = QMenu(self)
        calendar = QCalendarWidget()
        calendar.setObjectName("calendar")
        calendar.setAccessibleName(_("Calendar"))
        calendar.setLocale(QLocale(self.language))
        calendar.setGridVisible(True)
        last = self.latest or date(2100, 12, 31)
        calendar.setDateRange(QDate(1900, 1, 1), QDate(last.year, last.month, last.day))
        try:
            shown = self.day()
        except UnreadableInput:
            shown = None
        day = shown or self.today()
        calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def picked(value: QDate) -> None:
            self.set_day(date(value.year(), value.month(), value.day()))
            self.changed.emit()
            self.committed.emit()
            menu.close()

        calendar.activated.connect(picked)
        calendar.clicked.connect(picked)
        self.calendar = calendar
        menu.aboutToHide.connect(lambda: setattr(self, "calendar", None))
        menu.aboutToHide.connect(menu.deleteLater)  # with its calendar: one per opening
        calendar.setFocus()
        menu.popup(self.mapToGlobal(self.rect().bottomLeft()))

    def _show_as_read(self) -> None:
        """Leaving the field shows the date as it was read ("15.3.19" -> 15.03.2019), so a
        year read otherwise than meant is seen before saving; unreadable text stays."""
        try:
            day = self.day()
        except UnreadableInput:
            day = None
        if day is not None:
            self.set_day(day)
        self.committed.emit()

    def set_day(self, day: date | None) -> None:
        """Show ``day`` in the language's form (empty for None)."""
        self.edit.setText("" if day is None else format_typed_date(day, self.language))

    def day(self) -> date | None:
        """The typed date, None when empty; :class:`UnreadableInput` when it is no date."""
        return parse_typed_date(
            self.edit.text(), self.language, self.today(), years_ahead=self.years_ahead
        )

    def required_day(self) -> date:
        """The typed date; :class:`UnreadableInput` saying how to write one when the field
        is empty or holds no date."""
        value = self.day()
        if value is None:
            raise UnreadableInput(date_hint(self.language))
        return value


class DateEditor(Editor):
    """A date field (see :class:`DateField`); a required one starts at today."""

    def __init__(
        self,
        *,
        optional: bool,
        past_years: bool = False,
        not_ahead: bool = False,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.field = DateField(years_ahead=0 if past_years else YEARS_AHEAD, today=today)
        self.optional = optional
        self.not_ahead = not_ahead
        if not_ahead:
            self.field.latest = today()
        super().__init__(self.field)
        self.set(None)

    def get(self) -> date | None:
        value = self.field.day() if self.optional else self.field.required_day()
        if value is not None and self.not_ahead and value > self.field.today():
            raise UnreadableInput(_("This day has not come yet."))
        return value

    def set(self, value: Any) -> None:
        self.field.set_day(self.field.today() if value is None and not self.optional else value)

    def retranslate(self) -> None:
        self.field.set_language(ui_language())

    def to_draft(self) -> str:
        return self.field.edit.text()  # as typed, even half a date

    def from_draft(self, raw: Any) -> None:
        # Older drafts hold ISO dates; newer ones the typed text.
        try:
            self.field.set_day(date.fromisoformat(raw) if raw else None)
        except (TypeError, ValueError):
            self.field.edit.setText(str(raw))


class NumberEditor(Editor):
    """A whole number: a spin box when it is required, a plain text field when it may be
    left empty (a spin box has no empty state that can be typed over); what is typed
    there and is no whole number is said under the field."""

    def __init__(self, spec: Whole, *, optional: bool) -> None:
        self.optional = optional
        # A year where the field holds years (1985), a count elsewhere (12).
        self.example = 1985 if spec.minimum >= 1000 else 12
        if optional:
            # Anything may be typed; what is no whole number is said under the field
            # (a validator would drop "2,5" to "25" without a word).
            self.edit = QLineEdit()
            self.edit.setMaxLength(12)
            self.edit.setAlignment(Qt.AlignmentFlag.AlignTrailing)
            super().__init__(self.edit)
            return
        self.spin = QSpinBox()
        self.spin.setRange(spec.minimum, spec.maximum)
        super().__init__(self.spin)

    def get(self) -> int | None:
        if not self.optional:
            return self.spin.value()
        return parse_typed_whole(self.edit.text(), example=self.example)

    def set(self, value: Any) -> None:
        if self.optional:
            self.edit.setText("" if value is None else str(int(value)))
        else:
            self.spin.setValue(self.spin.minimum() if value is None else int(value))


class AmountEditor(Editor):
    """A decimal amount: "1.234,50" and "1,234.50" alike (see ``parse_typed_amount``).

    ``example``: a number to show in the hint when the text is no number, for fields that
    hold hours, kilometres or a share rather than money ("2,5" reads better there than
    "1234,50"); None keeps the money hint.
    """

    def __init__(self, *, optional: bool, example: Decimal | None = None) -> None:
        edit = QLineEdit()
        edit.setAlignment(Qt.AlignmentFlag.AlignTrailing)
        self.optional = optional
        self.example = example
        self.language = ui_language()  # how the typed number is read ("2,5" or "2.5")
        super().__init__(edit)
        self.edit = edit

    def retranslate(self) -> None:
        """A number typed the old language's way is shown the new way ("2,5" -> "2.5");
        text that is no number stays as typed."""
        try:
            value = parse_typed_amount(self.edit.text(), self.language)
        except UnreadableInput:
            value = None
        self.language = ui_language()
        if value is not None:
            self.set(value)

    def get(self) -> Decimal | None:
        try:
            value = parse_typed_amount(self.edit.text(), self.language)
        except UnreadableInput:
            if self.example is None:
                raise
            raise UnreadableInput(
                _("Enter a number, for example {example}.").format(
                    example=format_number(self.example)
                )
            ) from None
        if value is None:
            if self.optional:
                return None
            # Said as every other required field says it: the record's own check would
            # only say that "" is no exact decimal.
            raise UnreadableInput(_("This field is required."))
        return value

    def set(self, value: Any) -> None:
        if value is None:
            self.edit.clear()
        elif isinstance(value, Decimal) and value.is_finite():
            # Grouped as the lists show it ("5.176,99"), every decimal kept.
            self.edit.setText(format_typed_number(value))
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
        for value in (None, True, False):
            combo.addItem("", value)
        super().__init__(combo)
        self.combo = combo
        self.retranslate()

    def retranslate(self) -> None:
        for i, text in enumerate((_("not known"), _("yes"), _("no"))):
            self.combo.setItemText(i, text)

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
        self.labels: dict[str, QLabel] = {}
        self.enum, self.ref = enum, ref
        for i, code in enumerate(ref.enum(enum)):
            spin = QSpinBox()
            spin.setRange(0, 100_000)
            label = QLabel()
            label.setBuddy(spin)
            grid.addWidget(label, i // 2, (i % 2) * 2)
            grid.addWidget(spin, i // 2, (i % 2) * 2 + 1)
            self.spins[code] = spin
            self.labels[code] = label
        if self.spins:
            # The grid takes no focus: a validation message sent the focus there, and
            # nothing showed it, and the digits typed next were lost (QA pass). Focused
            # (a message, its label's Alt key), the first number takes it.
            widget.setFocusProxy(next(iter(self.spins.values())))
        super().__init__(widget)
        self.retranslate()

    def retranslate(self) -> None:
        for code, text in code_labels(self.ref, self.enum).items():
            self.spins[code].setAccessibleName(text)
            self.labels[code].setText(text)

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


def _number_example(spec: Amount) -> Decimal | None:
    """A plausible number for the hint of a field that holds no money (None for money:
    two decimal places and room for more than a hundred)."""
    if spec.places == 2 and spec.maximum > 100:
        return None
    return Decimal("0.5") if spec.maximum <= 1 else Decimal("2.5")


def _offered(choices: Choices | None, name: str) -> Sequence[tuple[str, str]]:
    """What the form's owner offers to pick for ``name`` (none: it is typed)."""
    if choices is None:
        return ()
    try:
        return choices(name)
    except LookupError:  # (a page's way of saying "nothing to pick for this field")
        return ()


def make_editor(
    name: str,
    spec: Spec,
    ref: ReferenceData,
    choices: Choices | None,
    label: str,
    today: Callable[[], date] = date.today,
) -> Editor:
    """The editor for one field, from its Spec (see module docstring); ``today`` tells date
    fields the day (the session's clock, so a pinned clock in a test or demo holds)."""
    optional = isinstance(spec, Maybe)
    inner = spec.inner if isinstance(spec, Maybe) else spec
    if isinstance(inner, Code):
        return CodeEditor(inner.enum, ref, optional=optional)
    if isinstance(inner, Month):
        return MonthEditor(inner)
    if isinstance(inner, Text):
        if inner.multiline:
            return TextEditor(inner)
        # A key of another record (a municipality's AGS): picked by name from what the
        # vault holds; typed only while it holds none.
        offered = _offered(choices, name)
        if offered:
            return ChoiceEditor(offered, optional=optional, keep_unknown=True)
        return LineEditor(inner)
    if isinstance(inner, Id):
        return ChoiceEditor(choices(name) if choices else (), optional=optional)
    if isinstance(inner, Day):
        return DateEditor(
            optional=optional,
            past_years=name in PAST_YEARS,
            not_ahead=name in NOT_AHEAD,
            today=today,
        )
    if isinstance(inner, Whole):
        return NumberEditor(inner, optional=optional)
    if isinstance(inner, Amount):
        return AmountEditor(optional=optional, example=_number_example(inner))
    if isinstance(inner, Flag):
        return TriStateEditor() if optional else FlagEditor(label)
    if isinstance(inner, Counts):
        return CountsEditor(inner.enum, ref)
    if isinstance(inner, Many):
        item = inner.item
        if isinstance(item, Code):
            enum = item.enum
            return MultiEditor(
                list(code_labels(ref, enum).items()), relabel=lambda: code_labels(ref, enum)
            )
        if isinstance(item, Id) or (isinstance(item, Text) and choices is not None):
            # Ids, or texts picked from what the vault holds (a guide's municipalities).
            return MultiEditor(choices(name) if choices else ())
    raise TypeError(f"no editor for field {name!r} ({type(spec).__name__})")
