"""The Overview page: this month at a glance, and the follow-ups that are due.

A thin view over :func:`kisi_desktop.reports.overview_figures.overview_figures`: one tile
(big number, label) per figure, and the due follow-ups as a list; Enter or a double click on
one opens its person on the People page.

Counting this month takes 45 ms with 10,000 people. At unlock the window opens with the
figures in place rather than dashes that change a moment later: the unlock's worker counts
them right after the vault opens (``PageSpec.unlock_read``) and the page shows that answer;
without one (a page not opened by the unlock, tests) it counts here, on the UI thread.
After writes on other pages it counts on a worker over a copy of the records
(:class:`BackgroundRead`): coming back to the Overview after saving a contact shows the
figures at once and updates them when the count is done.

The window builds this page while the unlock screen waits, before the vault's code is
imported, and it can show a month's figures counted elsewhere (:meth:`OverviewPage.show_glance`):
so the counting (reports, the workspace) is imported only where the page counts, by which
time the unlock's worker or the window's preload (ui/preload.py) has imported it.

A vault with no one in it yet (a new guide's first hour) shows only zeros; the page then
names the first steps with their keys. A missing municipality profile is offered by the
line above every page (``widgets/set_up_reminder.py``), not here a second time. Whether
anyone is in the vault comes with the month's figures (``MonthOverview.people``), so the
hint costs no read of its own.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.i18n import N_, _, format_date, format_number, ngettext
from kisi_desktop.core.month_glance import DUE_WITHIN_DAYS, DueFollowUp, MonthOverview

from kisi_desktop.ui.pages.background_read import BackgroundRead
from kisi_desktop.ui.pages.base import Page, PageContext
from kisi_desktop.ui.pages.registry import PEOPLE_DUE_FOR_DELETION, page_index, page_title
from kisi_desktop.ui.shortcuts import NEW_KEY, key_text, page_key
from kisi_desktop.ui.tables.row_model import Column, RowRole, RowTableModel
from kisi_desktop.ui.tables.row_view import row_table
from kisi_desktop.ui.widgets.banner import style_as_banner
from kisi_desktop.ui.widgets.busy_note import BusyNote

if TYPE_CHECKING:
    from kisi_desktop.core.workspace import Workspace

    from kisi_desktop.reports.overview_figures import OverviewFigures

log = logging.getLogger(__name__)

OVERDUE = QColor("#b00020")
SIZE_SAMPLE_ROWS = 50
MIN_DUE_ROWS = 2
TILE_RADIUS = 6  # px, the rounded corners of a tile's card
# The page behind each tile: Enter, Space or a click there opens it.
TILE_PAGES = {
    "contacts": "people",
    "people": "people",
    "new_people": "people",
    "due": "people",
    "activities": "activities",
    "events": "events",
    "amif_participants": "reports",
    "amif_language": "reports",
    "amif_results": "reports",
}


def _due_text(row: DueFollowUp) -> str:
    return " ".join(row.text.split())


DUE_COLUMNS = [
    Column(
        N_("Due on"),
        lambda r: format_date(r.due_on),
        sort=lambda r: r.due_on,
        foreground=lambda r: OVERDUE if r.overdue else None,
        tooltip=lambda r: _("Overdue") if r.overdue else "",
    ),
    Column(N_("Person"), lambda r: r.person_name or "—", tooltip=lambda r: r.person_name),
    Column(N_("What to do"), _due_text, tooltip=lambda r: r.text),
]


class Tile(QFrame):
    """A big number over a short label (and an optional smaller line); reached with Tab,
    and Enter, Space or a click opens the page behind it (signal ``activated``)."""

    activated = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.key = name
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # Never squeezed below what the text needs: the due list below gives way instead,
        # so nothing said later (the deletion notice) moves a tile.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.number = QLabel("–")
        self.number.setObjectName(f"{name}Number")
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 2.4)
        font.setBold(True)
        self.number.setFont(font)
        self.label = QLabel()
        self.label.setObjectName(f"{name}Label")
        self.label.setWordWrap(True)
        self.extra = QLabel()
        self.extra.setObjectName(f"{name}Extra")
        self.extra.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(self.label)
        layout.addWidget(self.extra)
        layout.addStretch(1)

    def show_value(self, value: int | None, label: str, extra: str = "") -> None:
        """Show ``value`` (None: a dash, e.g. while locked) with its label."""
        self.number.setText("–" if value is None else format_number(value))
        self.label.setText(label)
        self.extra.setText(extra)
        self.setAccessibleName(label)  # what a screen reader says on Tab, then the figure
        self.extra.setVisible(bool(extra))
        self.setAccessibleName(label)
        self.setAccessibleDescription(f"{self.number.text()} {label} {extra}".strip())

    def paintEvent(self, event: QPaintEvent) -> None:
        """The card: a rounded frame in the palette's colours, in the highlight colour while
        the tile has the focus. Painted here, not by a style sheet: a style sheet on the page
        had Qt style every widget on it through its style sheet engine, and building and
        showing the page took 15-25 ms longer, on the way to the unlocked window."""
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        focused = self.hasFocus()
        width = 2 if focused else 1
        role = QPalette.ColorRole.Highlight if focused else QPalette.ColorRole.Mid
        painter.setPen(QPen(palette.color(role), width))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        inset = width / 2
        frame = QRectF(self.rect()).adjusted(inset, inset, -inset, -inset)
        painter.drawRoundedRect(frame, TILE_RADIUS, TILE_RADIUS)

    def show_overdue(self, overdue: bool) -> None:
        """The smaller line in the overdue colour, or in the palette's."""
        palette = self.extra.palette()
        default = self.palette().color(QPalette.ColorRole.WindowText)
        palette.setColor(QPalette.ColorRole.WindowText, OVERDUE if overdue else default)
        self.extra.setPalette(palette)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click on the tile opens its page."""
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.activated.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter or Space opens the tile's page."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit()
            return
        super().keyPressEvent(event)


class OverviewPage(Page):
    """See the module docstring."""

    key = "overview"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.figures: MonthOverview | None = None
        self._deletion_count = 0
        self._shown: OverviewFigures | None = None
        # What a hidden page still has to do when shown: count at once (after unlock) or
        # on a worker (after writes elsewhere).
        self._pending: str | None = None
        # "now" holds for the turn of the event loop that unlocked: the page shown then is
        # what the window opens with. Shown later (the guide was on another page), it counts
        # on the worker like after a write.
        self._unlock_turn = QTimer(self)
        self._unlock_turn.setSingleShot(True)
        self._unlock_turn.setInterval(0)
        self._unlock_turn.timeout.connect(self._after_unlock_turn)
        self._project_year_turn = QTimer(self)
        self._project_year_turn.setSingleShot(True)
        self._project_year_turn.setInterval(0)
        self._project_year_turn.timeout.connect(self._count_project_year)
        # Right after an unlock a worker checks every row against the audit chain; the
        # project year is counted after it, not beside it: two workers sharing the
        # interpreter stall the window the guide is already using.
        context.session.checked.connect(self._after_check)
        self.reader = BackgroundRead(context.runner, self)
        self.heading = QLabel()
        self.heading.setObjectName("overviewHeading")
        self.busy_note = BusyNote("overviewBusy")
        self.reader.busy_changed.connect(self.busy_note.set_busy)
        self.tiles = {
            name: Tile(name)
            for name in (
                "contacts",
                "people",
                "new_people",
                "due",
                "activities",
                "events",
                "amif_participants",
                "amif_language",
                "amif_results",
            )
        }
        for tile in self.tiles.values():
            tile.activated.connect(lambda t=tile: self._open_tile(t.key))
        grid = QGridLayout()
        grid.setSpacing(12)
        for i, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, i // 3, i % 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        self.due_heading = QLabel()
        self.due_heading.setObjectName("dueHeading")
        self.due_model = RowTableModel(DUE_COLUMNS, self)
        self.due_view = row_table("dueFollowUps", self.due_model)
        header = self.due_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        # Dates are all about as wide: measuring the first rows is enough, and a backlog of
        # 2,000 overdue follow-ups does not make the window measure (and format) every one.
        header.setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
        # The person as the search names them, their countries in words ("Vereinigte
        # Arabische Emirate"): as wide as the sampled rows need; what to do takes the rest
        # and says itself whole in its tooltip.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # The list takes the height left under the tiles and scrolls by itself. Its size
        # hint (about seven rows) is ignored: the page's height for its width counts size
        # hints, and with it the page needed an outer scroll bar at the window's natural
        # size on a 1366x768 screen (1350x728), around a list that scrolls anyway. It
        # keeps its headings and two rows, little enough for the page's minimum to fit
        # that screen with a taskbar too (1350x688, the German demo with its deletion
        # notice).
        policy = self.due_view.sizePolicy()
        policy.setVerticalPolicy(QSizePolicy.Policy.Ignored)
        self.due_view.setSizePolicy(policy)
        self.due_view.setMinimumHeight(
            header.sizeHint().height()
            + MIN_DUE_ROWS * self.due_view.verticalHeader().defaultSectionSize()
            + 2 * self.due_view.frameWidth()
        )
        self.due_view.activated.connect(self._open_due)
        self.due_empty = QLabel()
        self.due_empty.setObjectName("dueEmpty")
        # In the list's place when nothing is due, taking its share of the height too.
        self.due_empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Who is due for deletion: counted a moment after the figures (20 ms with 10,000
        # people), so the window opens as fast as before; said only when someone is.
        self.deletion = QFrame()
        style_as_banner(self.deletion, "deletionDue")
        self.deletion_text = QLabel()
        self.deletion_text.setWordWrap(True)
        self.deletion_button = QPushButton()
        self.deletion_button.setObjectName("deletionDueShow")
        self.deletion_button.clicked.connect(
            lambda: self.context.navigate("people", PEOPLE_DUE_FOR_DELETION)
        )
        row = QHBoxLayout(self.deletion)
        row.addWidget(self.deletion_text, 1)
        row.addWidget(self.deletion_button)
        self.deletion.hide()
        self.first_steps = QFrame()
        style_as_banner(self.first_steps, "firstSteps")
        self.first_steps_text = QLabel()
        self.first_steps_text.setObjectName("firstStepsText")
        self.first_steps_text.setWordWrap(True)
        row = QHBoxLayout(self.first_steps)
        row.addWidget(self.first_steps_text, 1)
        self.first_steps.hide()
        title = QHBoxLayout()
        title.addWidget(self.heading)
        title.addSpacing(12)
        title.addWidget(self.busy_note)
        title.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(title)
        layout.addWidget(self.first_steps)
        layout.addLayout(grid)
        layout.addSpacing(8)
        layout.addWidget(self.due_heading)
        layout.addWidget(self.due_empty, 1)
        layout.addWidget(self.due_view, 1)
        # At the foot: said a moment after the figures, it moves nothing the guide may be
        # about to click (above the tiles it pushed them down 400 ms after they appeared).
        layout.addWidget(self.deletion)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.due_heading.setText(
            "<b>"
            + _("Follow-ups overdue or due within {days} days").format(days=DUE_WITHIN_DAYS)
            + "</b>"
        )
        self.due_view.setAccessibleName(_("Follow-ups due"))
        self.due_empty.setText(_("Nothing due. Follow-ups you add to people appear here."))
        self.busy_note.set_text(_("Counting the records…"))
        self.deletion_button.setText(_("&Show them"))
        self.deletion_button.setAccessibleName(_("Show the people due for deletion"))
        self._show_deletion_due(self._deletion_count)
        self._show_first_steps()
        self.due_model.retranslate()
        if self._shown is None and self.figures is not None:
            self.show_glance(self.figures)  # a month shown alone, worded again
        else:
            self._display(self._shown)  # the same figures, worded again

    def set_workspace(self, workspace: Workspace | None) -> None:
        """Unlocked: count now, so the window opens with the figures; locked: clear."""
        self.reader.abandon()
        self.workspace = workspace
        self._count(now=True)

    def show_glance(self, month: MonthOverview | None) -> None:
        """This month as the last lock sealed it (core/store/glance.py), while an unlock
        reads the records; None clears it (that unlock failed). The unlock's
        :meth:`set_workspace` then shows what it counted: the same figures, unless the
        records fail their check. The project year's figures wait for the records."""
        if self.workspace is not None:
            return
        self._shown = None
        self.figures = month
        self._show(month)
        self._show_project_year(None)

    def _show_first_steps(self) -> None:
        """The first steps while the vault holds no one (and its figures are known)."""
        empty = self.figures is not None and self.figures.people == 0
        self.first_steps.setVisible(empty)
        if not empty:
            return
        people = page_key(page_index("people"))
        text = _(
            "No one is recorded in this vault yet. To begin, open {people} ({people_key}) "
            "and choose “{new_person}” ({new_key})."
        ).format(
            people=page_title("people"),
            people_key=key_text(people) if people is not None else "",
            new_person=_("New person"),
            new_key=key_text(NEW_KEY),
        )
        self.first_steps_text.setText(text)

    def refresh(self) -> None:
        """Count again after writes elsewhere, on a worker; a hidden page counts when shown."""
        self._count(now=False)

    def _count(self, *, now: bool) -> None:
        ws = self.workspace
        if ws is None:
            self._pending = None
            self._project_year_turn.stop()
            self._show_deletion_due(0)
            self._display(None)
            return
        if not self.isVisible():
            self._pending = "now" if now or self._pending == "now" else "later"
            if now:
                self._unlock_turn.start()
            return
        self._pending = None
        # Imported here, not at start (see the module docstring): at unlock the unlock's
        # worker has imported it already, as it counted for this page.
        from kisi_desktop.reports.overview_figures import OverviewFigures, overview_figures

        if now:
            # This month's figures open the window (counted by the unlock's worker, if it
            # did); the project year's AMIF figures read from the project's start (each
            # person once), on a worker once it shows.
            counted = self.context.session.unlock_answer(self.key, ws)
            if isinstance(counted, OverviewFigures):
                self._display(counted)
            else:
                self._display(overview_figures(ws, indicators=False))
            if not ws.checking:  # else once the rows are checked (_after_check)
                self._project_year_turn.start()
        else:
            self._project_year_turn.stop()  # (this read counts the project year too)
            self.reader.start(ws, overview_figures, self._display, self._count_failed)

    def _after_check(self, _problems: object) -> None:
        if self.workspace is not None and self.isVisible():
            self._project_year_turn.start()

    def _count_project_year(self) -> None:
        ws, shown = self.workspace, self._shown
        if ws is None or shown is None or shown.indicators is not None:
            return
        number = shown.project_year
        from kisi_desktop.reports.overview_figures import (  # (see the module docstring)
            people_due_for_deletion,
            project_year_indicators,
        )

        self.reader.start(
            ws,
            lambda copy: (project_year_indicators(copy, number), people_due_for_deletion(copy)),
            self._show_later,
            self._count_failed,
        )

    def _show_later(self, found: tuple[dict[str, int], int | None]) -> None:
        """The project year's figures and the deletion notice, counted on the worker."""
        if self.workspace is None or self._shown is None:
            return  # (an answer that arrived after a lock)
        counts, due = found
        self._shown = dataclasses.replace(self._shown, indicators=counts, deletion_due=due)
        self._show_project_year(self._shown)
        if due is not None:
            self._show_deletion_due(due)

    def _show_deletion_due(self, count: int) -> None:
        self._deletion_count = count
        self.deletion.setVisible(count > 0)
        if count == 0:
            # Hidden: nothing to say (and no number to format: a page built before the
            # unlock would otherwise import Babel on the UI thread, 15-20 ms).
            self.deletion_text.clear()
            return
        self.deletion_text.setText(
            ngettext(
                "The deletion date of {n} person's notes has come: delete the notes and "
                "follow-ups (the proof of participation is kept until its own date, on the "
                "person's page), or put the case on legal hold.",
                "The deletion date of {n} people's notes has come: delete their notes and "
                "follow-ups (the proof of participation is kept until its own date, on each "
                "person's page), or put their cases on legal hold.",
                count,
            ).format(n=format_number(count))
        )

    def _after_unlock_turn(self) -> None:
        if self._pending == "now":
            self._pending = "later"

    def _count_failed(self, error: BaseException) -> None:
        # The figures shown stay (they are a few seconds old); the bug goes to the log.
        log.error("counting the overview failed: %s", type(error).__name__)
        self.status.emit(_("The figures could not be counted."))

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up with an unlock or writes that came while the page was hidden."""
        if self._pending is not None:
            self._count(now=self._pending == "now")
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        """Counting stops when the guide moves on: the project year's figures read every
        record since the project began (a third of a second on a worker with 10,000
        people), which would share the interpreter with the page the guide opened. They
        are counted again when the Overview is shown."""
        if self.workspace is not None and (self.reader.busy or self._project_year_turn.isActive()):
            self._project_year_turn.stop()
            self.reader.abandon()
            self._pending = "later"
        super().hideEvent(event)

    def _display(self, figures: OverviewFigures | None) -> None:
        if figures is not None and self.workspace is None:
            return  # (an answer that arrived after a lock)
        self._shown = figures
        self.figures = figures.month if figures is not None else None
        self._show(self.figures)
        if figures is not None and figures.deletion_due is not None:
            self._show_deletion_due(figures.deletion_due)
        self._show_project_year(figures)

    def _show(self, figures: MonthOverview | None) -> None:
        if figures is None:
            self.heading.setText("<h2>" + _("This month at a glance") + "</h2>")
        else:
            month = format_date(figures.month.first, fmt="LLLL yyyy")
            self.heading.setText(
                "<h2>" + _("This month at a glance: {month}").format(month=month) + "</h2>"
            )

        def value(name: str) -> int | None:
            return None if figures is None else int(getattr(figures, name))

        tiles = self.tiles
        tiles["contacts"].show_value(value("contacts"), _("Contacts this month"))
        tiles["people"].show_value(value("people_accompanied"), _("People accompanied this month"))
        tiles["new_people"].show_value(
            value("new_people"), _("New people this month (first contact)")
        )
        due = None if figures is None else len(figures.due)
        overdue = 0 if figures is None else figures.overdue
        tiles["due"].show_value(
            due,
            _("Open follow-ups due"),
            ngettext("{n} overdue", "{n} overdue", overdue).format(n=overdue) if overdue else "",
        )
        tiles["activities"].show_value(value("activities"), _("Activities this month"))
        attendance = 0 if figures is None else figures.attendance
        tiles["events"].show_value(
            value("events"),
            _("Events this month"),
            ngettext("{n} participant", "{n} participants", attendance).format(
                n=format_number(attendance)
            )
            if figures is not None
            else "",
        )
        tiles["due"].show_overdue(overdue > 0)
        self.due_model.set_rows(figures.due if figures is not None else ())
        has_due = bool(figures and figures.due)
        self.due_view.setVisible(has_due)
        self.due_empty.setVisible(figures is not None and not has_due)
        self._show_first_steps()

    def _show_project_year(self, figures: OverviewFigures | None) -> None:
        """The AMIF figures of the current project year (Reports has every period)."""
        number = figures.project_year if figures is not None else None
        counts = (figures.indicators or {}) if figures is not None else {}
        year = _("project year {n}").format(n=number) if number else _("project year")

        def count(*codes: str) -> int | None:
            return sum(counts.get(c, 0) for c in codes) if counts else None

        self.tiles["amif_participants"].show_value(
            count("O.2.3"), _("Participants supported (O.2.3), {year}").format(year=year)
        )
        self.tiles["amif_language"].show_value(
            count("O.2.3.1"), _("Of them in a language course (O.2.3.1)")
        )
        self.tiles["amif_results"].show_value(
            count("R.2.8"),
            _("Language level up by one or more (R.2.8)"),
            # A dash until counted, not nothing: the tile keeps its height, and the list
            # below does not move down when the project year's figures arrive.
            _("Recognition applied for: {n}").format(
                n=format_number(n) if (n := count("R.2.10")) is not None else "–"
            ),
        )

    def _open_tile(self, key: str) -> None:
        if self.workspace is not None:  # (not while a glance shows)
            self.context.navigate(TILE_PAGES[key], None)

    def _open_due(self, index: QModelIndex) -> None:
        row: DueFollowUp | None = index.data(RowRole.ROW)
        if row is None or self.workspace is None:
            return  # (nor while a glance shows: the person's records are not read yet)
        if row.person_id:
            # The follow-up (or referral) itself, chosen in the person's timeline: Ctrl+D
            # then ticks it off, and Enter edits it (PeoplePage.show_record).
            self.context.navigate("people", row.id)
        else:
            self.status.emit(_("This follow-up is not about a person."))
