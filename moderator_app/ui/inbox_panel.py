"""The inbox panel: filters above a table of inquiries, most urgent first, with one timer for all countdowns."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.inbox import InboxEntry
from moderator_app.domain.language import language_name
from moderator_app.domain.text import LANGUAGES
from moderator_app.domain.topics import TOPICS
from moderator_app.ui.delegates import CountdownDelegate, DirectionDelegate
from moderator_app.ui.inbox_model import SHOWN_ROLE, Column, InboxProxy, View, is_flagged

#: Usual widths of the columns beside the question (which takes the rest).
COLUMN_WIDTHS = {
    Column.TIME_LEFT: 130,
    Column.STATE: 115,
    Column.SOURCE: 120,
    Column.MEMBER: 115,
    Column.LANGUAGE: 80,
    Column.TOPIC: 95,
    Column.RESPONDER: 110,
    Column.ASSIGNEE: 110,
}
#: What the question keeps on a narrow screen, and the columns that give room for it, first to last.
QUESTION_ROOM = 230
SHRINKABLE = (Column.SOURCE, Column.TOPIC, Column.MEMBER, Column.ASSIGNEE, Column.RESPONDER, Column.STATE)
MIN_COLUMN = 70


class NoticeBar(QFrame):
    """A coloured line above the inbox saying what waits outside the table (urgent messages, member reports,
    welcomes, join requests), with the button that opens it; hidden until there is something to say."""

    def __init__(
        self,
        name: str,
        frame_style: str,
        text_style: str | None,
        label_name: str,
        button_text: str,
        button_name: str,
        *,
        wrap: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName(name)
        style = f"#{name} {{ {frame_style} border-radius: 3px; }}"
        if text_style is not None:
            style += f" #{name} QLabel {{ {text_style} }}"
        self.setStyleSheet(style)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(wrap)
        self.label.setAccessibleName(label_name)
        self.button = QPushButton(button_text)
        self.button.setAccessibleName(button_name)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.hide()


class InboxPanel(QWidget):
    """Emits :attr:`selected` with the plain row of the chosen inquiry."""

    selected = Signal(object)
    review_reports = Signal()
    review_welcomes = Signal()
    review_join_requests = Signal()

    def __init__(
        self,
        proxy: InboxProxy,
        sources: list[tuple[int, str]],
        *,
        tick_ms: int = 1000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self.view_box = QComboBox()
        self.view_box.setAccessibleName(self.tr("Show"))
        for view, label in (
            (View.OPEN, self.tr("Open")),
            (View.URGENT, self.tr("Urgent")),
            (View.MINE, self.tr("Assigned to me")),
            (View.OVERDUE, self.tr("Overdue")),
            (View.MEMBER_ANSWERED, self.tr("Member answered (verify)")),
            (View.ACKNOWLEDGED, self.tr("Acknowledged")),
            (View.FOLLOW_UP_TODAY, self.tr("Follow-ups due today")),
            (View.POSSIBLE, self.tr("Possible inquiries")),
            (View.DISMISSED, self.tr("Dismissed")),
            (View.ALL, self.tr("All")),
        ):
            self.view_box.addItem(label, view)
        self.source_box = QComboBox()
        self.source_box.setAccessibleName(self.tr("Source"))
        self.source_box.addItem(self.tr("All sources"), None)
        for source_id, name in sources:
            self.source_box.addItem(name, source_id)
        self.language_box = QComboBox()
        self.language_box.setAccessibleName(self.tr("Language"))
        self.language_box.addItem(self.tr("All languages"), None)
        for code in (*LANGUAGES, "und"):
            self.language_box.addItem(language_name(code), code)  # as its speakers write it
        self.topic_box = QComboBox()
        self.topic_box.setAccessibleName(self.tr("Topic"))
        self.topic_box.addItem(self.tr("All topics"), None)
        for topic in (*TOPICS, "other"):
            self.topic_box.addItem(topic, topic)
        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setAccessibleName(self.tr("Number of inquiries shown"))

        bar = QHBoxLayout()
        for label, box in (
            (self.tr("&Show:"), self.view_box),
            (self.tr("S&ource:"), self.source_box),
            (self.tr("&Language:"), self.language_box),
            (self.tr("&Topic:"), self.topic_box),
        ):
            # A long source name must not widen the pane past an office laptop's 1366 pixels: the box
            # shrinks to a dozen characters and its list still shows every name whole.
            # shrinks to a few characters (its list still shows every name whole) and grows with the room.
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
            box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            caption = QLabel(label)
            caption.setBuddy(box)
            bar.addWidget(caption)
            bar.addWidget(box, 1)
        bar.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Inquiries"))
        self.table.setModel(proxy)
        self.table.setItemDelegate(DirectionDelegate(self.table))
        self.table.setItemDelegateForColumn(Column.TIME_LEFT, CountdownDelegate(self.table, SHOWN_ROLE))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.TIME_LEFT, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.QUESTION, QHeaderView.ResizeMode.Stretch)
        for column, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        # "Answered by" matters in the answered and dismissed views: hidden at first, one right-click away.
        self.table.setColumnHidden(Column.RESPONDER, True)
        # "Assigned to" is shown while some inquiry is assigned (an empty column took the question's room),
        # unless the moderator chose otherwise from the header's menu.
        self._assignee_chosen = False
        self.table.setColumnHidden(Column.ASSIGNEE, True)
        self.table.viewport().installEventFilter(self)  # the question's room is measured on each resize
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)

        # Messages flagged urgent and not dealt with: said above the list whatever view is chosen.
        self.urgent_bar = NoticeBar(
            "urgentBar",
            "background: #f8d7da; border: 1px solid #dc3545;",
            "color: #58151c; font-weight: bold;",
            self.tr("Urgent messages"),
            self.tr("Show &urgent"),
            self.tr("Show the messages flagged urgent"),
            wrap=True,
        )
        self.urgent_label, self.urgent_button = self.urgent_bar.label, self.urgent_bar.button
        self.urgent_button.clicked.connect(self.show_urgent)
        self._urgent_timer = QTimer(self)
        self._urgent_timer.setSingleShot(True)
        self._urgent_timer.setInterval(0)  # many rows changed at once are counted once
        self._urgent_timer.timeout.connect(self._count_urgent)

        # Member reports (/report, @admin) waiting for a moderator: not inquiries, so not rows of the table.
        self.reports_bar = NoticeBar(
            "reportsBar",
            "background: #fff3cd; border: 1px solid #e0a800;",
            "color: #664d03;",
            self.tr("Member reports"),
            self.tr("&Review reports"),
            self.tr("Review the member reports"),
        )
        self.reports_label, self.reports_button = self.reports_bar.label, self.reports_bar.button
        self.reports_button.clicked.connect(lambda: self.review_reports.emit())

        # Members who joined one-click groups, waiting for their welcome.
        self.welcomes_bar = NoticeBar(
            "welcomesBar",
            "background: #cfe2ff; border: 1px solid #9ec5fe;",
            None,
            self.tr("Members to welcome"),
            self.tr("&Welcome…"),
            self.tr("Welcome the members who joined"),
        )
        self.welcomes_label, self.welcomes_button = self.welcomes_bar.label, self.welcomes_bar.button
        self.welcomes_button.clicked.connect(lambda: self.review_welcomes.emit())

        # Requests to join a group, waiting for a moderator.
        self.join_bar = NoticeBar(
            "joinBar",
            "background: #e2e3e5; border: 1px solid #adb5bd;",
            None,
            self.tr("Join requests"),
            self.tr("&Join requests…"),
            self.tr("Review the join requests"),
        )
        self.join_label, self.join_button = self.join_bar.label, self.join_bar.button
        self.join_button.clicked.connect(lambda: self.review_join_requests.emit())

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.urgent_bar)
        layout.addWidget(self.reports_bar)
        layout.addWidget(self.welcomes_bar)
        layout.addWidget(self.join_bar)
        layout.addWidget(self.table)

        self.view_box.currentIndexChanged.connect(lambda _: proxy.set_view(self.view_box.currentData()))
        self.view_box.currentIndexChanged.connect(lambda *_: self._urgent_timer.start())
        self.source_box.currentIndexChanged.connect(lambda _: proxy.set_source(self.source_box.currentData()))
        self.language_box.currentIndexChanged.connect(lambda _: proxy.set_language(self.language_box.currentData()))
        self.topic_box.currentIndexChanged.connect(lambda _: proxy.set_topic(self.topic_box.currentData()))
        self._keep: int | None = None
        self._keep_row = -1
        proxy.modelAboutToBeReset.connect(self._remember_selection)
        proxy.modelReset.connect(self._restore_selection)
        proxy.modelReset.connect(self._update_count)
        # Assignments change with the inquiries, not with the filters: looked at when the inquiries do.
        inquiries = proxy.inquiries
        for changed in (inquiries.modelReset, inquiries.rowsInserted, inquiries.merged):
            changed.connect(self._show_assignees)
        for changed in (inquiries.modelReset, inquiries.rowsInserted, inquiries.merged, inquiries.dataChanged):
            changed.connect(lambda *_: self._urgent_timer.start())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self._update_count()

        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def set_reports(self, count: int) -> None:
        """How many member reports wait for a moderator (read with the inbox)."""
        self.reports_bar.setVisible(count > 0)
        self.reports_label.setText(self.tr("⚑ %n member reports waiting for a moderator.", "", count))

    def set_welcomes(self, count: int) -> None:
        """How many members who joined one-click groups wait for their welcome (read with the inbox)."""
        self.welcomes_bar.setVisible(count > 0)
        self.welcomes_label.setText(self.tr("%n new members waiting for a welcome.", "", count))

    def set_join_requests(self, count: int) -> None:
        self.join_bar.setVisible(count > 0)
        self.join_label.setText(self.tr("%n requests to join waiting for a moderator.", "", count))

    def show_urgent(self) -> None:
        self.view_box.setCurrentIndex(self.view_box.findData(View.URGENT))
        self.table.setFocus()

    def _count_urgent(self) -> None:
        count = sum(1 for e in self.proxy.inquiries.entries if e.urgent and is_flagged(e))
        self.urgent_bar.setVisible(count > 0)
        self.urgent_label.setText(
            self.tr("⚠ %n messages flagged urgent, not answered or dismissed yet: read them now.", "", count)
        )
        self.urgent_button.setVisible(self.view_box.currentData() != View.URGENT)
        index = self.view_box.findData(View.URGENT)
        self.view_box.setItemText(
            index, self.tr("Urgent (%1)").replace("%1", str(count)) if count else self.tr("Urgent")
        )

    def _column_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        model = self.proxy
        for column in Column:
            if column in (Column.TIME_LEFT, Column.QUESTION):
                continue  # what the inbox is for: always shown
            action = menu.addAction(str(model.headerData(column, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(lambda shown, c=column: self._choose_column(c, shown))
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    def _choose_column(self, column: Column, shown: bool) -> None:
        if column == Column.ASSIGNEE:
            self._assignee_chosen = True
        self.table.setColumnHidden(column, not shown)
        self.fit_columns()

    def _show_assignees(self) -> None:
        if not self._assignee_chosen:
            assigned = any(e.assignee for e in self.proxy.inquiries.entries)
            if assigned == self.table.isColumnHidden(Column.ASSIGNEE):
                self.table.setColumnHidden(Column.ASSIGNEE, not assigned)
                self.fit_columns()

    def fit_columns(self) -> None:
        """The question gets the room: when the other columns leave it less than QUESTION_ROOM, they give
        some of theirs back (down to a minimum), so a laptop's inbox shows the question, not a scroll bar."""
        table = self.table
        others = [c for c in SHRINKABLE if not table.isColumnHidden(c)]
        fixed = sum(table.columnWidth(c) for c in Column if c != Column.QUESTION and not table.isColumnHidden(c))
        room = table.viewport().width() - fixed
        if room >= QUESTION_ROOM:
            # Room again (a wider window): the columns go back towards their usual widths.
            for column in others:
                usual = COLUMN_WIDTHS[column]
                width = table.columnWidth(column)
                if width < usual and room - (usual - width) >= QUESTION_ROOM:
                    room -= usual - width
                    table.setColumnWidth(column, usual)
            return
        wanted = QUESTION_ROOM - room
        for column in others:
            spare = table.columnWidth(column) - MIN_COLUMN
            if spare <= 0:
                continue
            give = min(spare, wanted)
            table.setColumnWidth(column, table.columnWidth(column) - give)
            wanted -= give
            if wanted <= 0:
                break

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return super().eventFilter(watched, event)

    def tick(self) -> None:
        """Repaint the countdowns of the rows on screen; nothing else is touched."""
        if not self.isVisible() or self.proxy.rowCount() == 0:
            return
        first = self.table.rowAt(0)
        last = self.table.rowAt(self.table.viewport().height() - 1)
        if first < 0:
            return
        self.proxy.tick(first, last if last >= 0 else self.proxy.rowCount() - 1)

    def _remember_selection(self) -> None:
        entry = self.current_entry()
        self._keep = entry.id if entry is not None else None
        self._keep_row = self.table.currentIndex().row()

    def _restore_selection(self) -> None:
        """A filter or a new inquiry rebuilds the rows: the moderator keeps the inquiry they were reading, as it
        is now (its state may have changed). One that left the list (answered, dismissed elsewhere) gives its
        place to the next, as a mail client does; after a filter change that hides it, nothing is shown: the
        pane never keeps an inquiry the list no longer has, with its buttons still live."""
        if self._keep is None:
            return
        row = self.proxy.row_of(self._keep)
        if row is not None:
            self.select_row(row)
            return
        rows = self.proxy.rowCount()
        if rows and not self.proxy.refiltered and self._keep_row >= 0:
            self.select_row(min(self._keep_row, rows - 1))
            return
        self._keep = None
        self.table.selectionModel().clearCurrentIndex()
        self.selected.emit(None)

    def select_row(self, row: int) -> None:
        """Make ``row`` the current, selected inquiry. (QTableView.selectRow picks its column from the
        viewport's leading edge: in a right-to-left window wider than its columns it selects nothing.)"""
        index = self.proxy.index(row, 0)
        if not index.isValid():
            return
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("%n inquiries", "", self.proxy.rowCount()))

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.isValid():
            self.selected.emit(self.proxy.entry(current.row()))

    def current_entry(self) -> InboxEntry | None:
        index = self.table.currentIndex()
        return self.proxy.entry(index.row()) if index.isValid() else None
