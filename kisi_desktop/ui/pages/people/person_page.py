"""The person page: name and key facts, consent per purpose, retention date, the timeline.

It only shows; every button is a QAction in :attr:`PersonView.commands` (with a shortcut
that works anywhere on the page) and the People page decides what each one does. The
timeline is one QTreeView over a :class:`TimelineModel`.

Signals:
    entry_activated(str, str): Enter or double click on a timeline entry (kind, record id).
    consent_activated(str, str): a consent purpose was activated (purpose, consent id or "").
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSizePolicy,
    QToolButton,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.domain import Person
from kisi_desktop.core.i18n import N_, _
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.pages.people.person_summary import ConsentState, PersonSummary, summarize
from kisi_desktop.ui.pages.people.timeline_model import (
    TimelineEntry,
    TimelineModel,
    TimelineRole,
    build_timeline,
)

# name -> (text msgid, shortcut); the order is the order of the buttons.
ACTIONS: dict[str, tuple[str, str]] = {
    "back": (N_("← &People list"), "Alt+Left"),
    "edit_person": (N_("Edi&t person"), "Ctrl+E"),
    "export": (N_("E&xport data (Art. 15)…"), ""),
    "erase": (N_("Erase person (Art. 1&7)…"), ""),
    "add_contact": (N_("+ &Contact"), "Ctrl+Shift+C"),
    "add_note": (N_("+ &Note"), "Ctrl+Shift+N"),
    "add_followup": (N_("+ Follo&w-up"), "Ctrl+Shift+F"),
    "add_referral": (N_("+ &Referral"), "Ctrl+Shift+R"),
    "add_outcome": (N_("+ Res&ult"), "Ctrl+Shift+U"),
    "edit_entry": (N_("Ed&it entry"), "F2"),
    "mark_done": (N_("Mark &done"), "Ctrl+D"),
    "delete_entry": (N_("De&lete entry…"), "Del"),
    "add_consent": (N_("Record c&onsent…"), "Ctrl+Shift+E"),
    "open_case": (N_("Open a c&ase…"), "Ctrl+Shift+A"),
    "edit_case": (N_("Edit or close the case…"), "Ctrl+Shift+K"),
    "delete_notes": (N_("Delete notes and follow-ups…"), ""),
}
STATE_COLORS = {"active": "#1b5e20", "withdrawn": "#b00020", "none": "#555555"}


def _consent_item(state: ConsentState) -> QTreeWidgetItem:
    """One line of the consent panel: purpose (or partner) and state, in the state's colour;
    it carries the purpose and the consent a double click opens."""
    item = QTreeWidgetItem([state.label, state.text])
    item.setData(0, Qt.ItemDataRole.UserRole, (state.purpose, state.consent_id or ""))
    item.setToolTip(0, state.label)
    item.setForeground(1, QBrush(QColor(STATE_COLORS[state.state])))
    return item


class PersonView(QWidget):
    """See the module docstring."""

    entry_activated = Signal(str, str)
    consent_activated = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personView")
        self.person_id: str | None = None
        self.summary: PersonSummary | None = None
        self.commands: dict[str, QAction] = {}
        for name, (_text, keys) in ACTIONS.items():
            action = QAction(self)
            action.setObjectName(f"action_{name}")
            if keys:
                action.setShortcut(QKeySequence(keys))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
            self.commands[name] = action

        self.name_label = QLabel()
        self.name_label.setObjectName("personName")
        font = QFont(self.name_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # An Arabic name would otherwise drift to the far right, away from the back button.
        self.name_label.setAlignment(
            Qt.AlignmentFlag.AlignLeft
            | Qt.AlignmentFlag.AlignAbsolute
            | Qt.AlignmentFlag.AlignVCenter
        )
        self.name_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # A name may have 200 characters: on one line it widened the page past the screen.
        self.name_label.setWordWrap(True)
        header = QHBoxLayout()
        header.addWidget(self._button("back"))
        header.addWidget(self.name_label, 1)
        for name in ("edit_person", "export", "erase"):
            header.addWidget(self._button(name))

        self.facts_box = QGroupBox()
        self.facts = QFormLayout(self.facts_box)
        self.facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.consent_box = QGroupBox()
        self.consents = QTreeWidget()
        self.consents.setObjectName("consents")
        self.consents.setColumnCount(2)
        self.consents.setRootIsDecorated(False)
        self.consents.setHeaderHidden(True)
        self.consents.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.consents.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.consents.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.consents.header().setStretchLastSection(False)
        self.consents.itemActivated.connect(self._consent_item_activated)
        consent_layout = QVBoxLayout(self.consent_box)
        consent_layout.addWidget(self.consents)
        consent_layout.addWidget(self._button("add_consent"), 0, Qt.AlignmentFlag.AlignLeft)
        self.retention_box = QGroupBox()
        self.retention = QLabel()
        self.retention.setObjectName("retention")
        self.retention.setWordWrap(True)
        retention_layout = QVBoxLayout(self.retention_box)
        retention_layout.addWidget(self.retention)
        case_buttons = QHBoxLayout()
        for name in ("open_case", "edit_case"):
            case_buttons.addWidget(self._button(name))
        case_buttons.addStretch(1)
        retention_layout.addLayout(case_buttons)
        # Shown only once the notes' deletion date has come (and there are notes).
        self.delete_notes_button = self._button("delete_notes")
        self.delete_notes_button.hide()
        retention_layout.addWidget(self.delete_notes_button, 0, Qt.AlignmentFlag.AlignLeft)
        left = QVBoxLayout()
        left.addWidget(self.facts_box)
        left.addWidget(self.consent_box)
        left.addWidget(self.retention_box)
        left.addStretch(1)

        self.timeline_model = TimelineModel(self)
        self.timeline = QTreeView()
        self.timeline.setObjectName("timeline")
        self.timeline.setModel(self.timeline_model)
        self.timeline.setRootIsDecorated(False)
        self.timeline.setUniformRowHeights(True)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.header().setStretchLastSection(True)
        self.timeline.activated.connect(self._entry_index_activated)
        # Del deletes the selected entry only where entries are: in the timeline.
        delete = self.commands["delete_entry"]
        self.removeAction(delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.timeline.addAction(delete)
        self.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.timeline.customContextMenuRequested.connect(self._timeline_menu)
        self.timeline_box = QGroupBox()
        # Two rows: in German the seven buttons side by side would widen the window past
        # 1366 pixels.
        buttons = QHBoxLayout()
        for name in ("add_contact", "add_note", "add_followup", "add_referral", "add_outcome"):
            buttons.addWidget(self._button(name))
        buttons.addStretch(1)
        entry_buttons = QHBoxLayout()
        for name in ("edit_entry", "mark_done", "delete_entry"):
            entry_buttons.addWidget(self._button(name))
        entry_buttons.addStretch(1)
        timeline_layout = QVBoxLayout(self.timeline_box)
        timeline_layout.addLayout(buttons)
        timeline_layout.addLayout(entry_buttons)
        timeline_layout.addWidget(self.timeline, 1)
        self.timeline.selectionModel().currentRowChanged.connect(self._update_enabled)

        body = QHBoxLayout()
        left_widget = QWidget()
        left_widget.setLayout(left)
        # Wide enough for the longest German consent purpose beside "widerrufen <date>".
        left_widget.setFixedWidth(400)
        left.setContentsMargins(0, 0, 0, 0)
        body.addWidget(left_widget)
        body.addWidget(self.timeline_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        self.retranslate_ui()
        self._update_enabled()

    def _button(self, name: str) -> QToolButton:
        """A button for the action ``name``; it shows the action's icon text, which
        :meth:`retranslate_ui` sets to the full text so the "&" mnemonic and the "…" stay."""
        button = QToolButton()
        button.setObjectName(f"button_{name}")
        button.setDefaultAction(self.commands[name])
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def retranslate_ui(self) -> None:
        """Texts in the current UI language (the shown person is refilled by the page)."""
        for name, (text, keys) in ACTIONS.items():
            action = self.commands[name]
            action.setText(_(text))
            # A tool button shows the icon text, which Qt derives from the text without
            # "&" and "…": Alt+K would do nothing and a button that opens a dialog would
            # not say so. Set explicitly, it is shown as given (mnemonic underlined).
            action.setIconText(_(text))
            plain = _(text).replace("&", "")
            shown = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{plain} ({shown})" if keys else plain)
        self.facts_box.setTitle(_("Key facts"))
        self.consent_box.setTitle(_("Consents"))
        self.retention_box.setTitle(_("Retention"))
        self.timeline_box.setTitle(_("Timeline"))
        self.timeline.setAccessibleName(_("Timeline"))
        self.consents.setAccessibleName(_("Consent per purpose"))

    # ------------------------------------------------------------------ content
    def show_person(self, workspace: Workspace, person: Person, today: date) -> None:
        """Fill the page with ``person`` as of ``today``."""
        self.person_id = person.id
        self.summary = summary = summarize(workspace, person, today)
        self.name_label.setText(summary.name)
        self.name_label.setAccessibleName(summary.name)
        while self.facts.rowCount():
            self.facts.removeRow(0)
        for label, value in summary.facts:
            value_label = QLabel(value)
            value_label.setWordWrap(True)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(label + ":", value_label)
        self.consents.clear()
        rows = 0
        for state in summary.consents:
            item = _consent_item(state)
            self.consents.addTopLevelItem(item)
            # Sharing: the partners it covers, beneath (a consent covers only the one named).
            for partner in state.partners:
                child = _consent_item(partner)
                child.setToolTip(0, f"{state.label}: {partner.label}")
                item.addChild(child)
            item.setExpanded(True)
            rows += 1 + len(state.partners)
        self.retention.setText(summary.retention)
        rows = max(rows, 1)
        self.consents.setFixedHeight(
            rows * self.consents.sizeHintForRow(0) + 2 * self.consents.frameWidth() + 4
        )
        current = self.current_entry()
        self.timeline_model.set_entries(build_timeline(workspace, person.id, today))
        self._fit_columns()
        if current is not None:
            self.select_entry(current.id)
        self._update_enabled()

    def _fit_columns(self) -> None:
        """Date and type as wide as their widest entry or their heading, measured on that
        one entry (see ``TimelineModel.widest_row``)."""
        metrics = self.timeline.fontMetrics()
        header = self.timeline.header()
        for column in (0, 1):
            width = header.sectionSizeHint(column)
            row = self.timeline_model.widest_row(column, metrics.horizontalAdvance)
            if row is not None:
                index = self.timeline_model.index(row, column)
                width = max(width, self.timeline.sizeHintForIndex(index).width())
            self.timeline.setColumnWidth(column, width)

    def clear(self) -> None:
        """Show nothing (lock, or after erasure)."""
        self.person_id = None
        self.summary = None
        self.name_label.clear()
        self.name_label.setAccessibleName("")  # read out by screen readers: no name after a lock
        while self.facts.rowCount():
            self.facts.removeRow(0)
        self.consents.clear()
        self.retention.clear()
        self.timeline_model.clear()
        self._update_enabled()

    # ------------------------------------------------------------------ timeline
    def current_entry(self) -> TimelineEntry | None:
        """The selected timeline entry, if any."""
        index = self.timeline.currentIndex()
        if not index.isValid():
            return None
        return self.timeline_model.entry(index.row())

    def select_entry(self, record_id: str) -> None:
        """Make the entry of ``record_id`` current (after it was added or edited)."""
        row = self.timeline_model.row_of(record_id)
        if row is not None:
            self.timeline.setCurrentIndex(self.timeline_model.index(row, 0))

    def _entry_index_activated(self, index: QModelIndex) -> None:
        self.entry_activated.emit(index.data(TimelineRole.KIND), index.data(TimelineRole.ID))

    def _consent_item_activated(self, item: QTreeWidgetItem) -> None:
        purpose, consent_id = item.data(0, Qt.ItemDataRole.UserRole)
        self.consent_activated.emit(purpose, consent_id)

    def _update_enabled(self) -> None:
        entry = self.current_entry()
        has_person = self.person_id is not None
        for action in self.commands.values():
            action.setEnabled(has_person)
        self.commands["back"].setEnabled(True)
        summary = self.summary
        self.commands["open_case"].setEnabled(
            has_person and summary is not None and not summary.case_open
        )
        self.commands["edit_case"].setEnabled(
            has_person and summary is not None and summary.case_id is not None
        )
        due = has_person and summary is not None and summary.notes_due
        self.commands["delete_notes"].setEnabled(due)
        self.delete_notes_button.setVisible(due)
        self.commands["edit_entry"].setEnabled(entry is not None)
        self.commands["mark_done"].setEnabled(entry is not None and entry.open)
        self.commands["delete_entry"].setEnabled(entry is not None)

    def _timeline_menu(self, pos: object) -> None:
        menu = QMenu(self)
        for name in (
            "edit_entry",
            "mark_done",
            "delete_entry",
            None,
            "add_contact",
            "add_note",
            "add_followup",
        ):
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(self.commands[name])
        menu.addAction(self.commands["add_referral"])
        menu.addAction(self.commands["add_outcome"])
        menu.popup(self.timeline.viewport().mapToGlobal(pos))  # type: ignore[call-overload]
