"""The canned-answer editor: the library as a list, one answer as a form (a text per language), saved only
when it is valid; "Revert" undoes the changes not saved yet, and leaving with unsaved changes asks first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.library import (
    ANSWER_TOPICS,
    REVIEW_MONTHS_DEFAULT,
    CannedAnswer,
    problems,
    review_due,
)
from moderator_app.ui.delegates import isolate
from moderator_app.ui.language_tabs import LanguageTabs
from moderator_app.ui.ops import Ops
from moderator_app.ui.record_editor import RecordEditor

Index = QModelIndex | QPersistentModelIndex


class AnswersModel(QAbstractListModel):
    def __init__(self, today: Callable[[], date], parent: QObject | None = None, months: int = 12) -> None:
        super().__init__(parent)
        self.answers: list[CannedAnswer] = []
        self._today = today
        self.months = months  # an answer reviewed this long ago is flagged for review

    def set_answers(self, answers: list[CannedAnswer]) -> None:
        self.beginResetModel()
        self.answers = answers
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.answers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.answers):
            return None
        answer = self.answers[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            mark = " ⚑" if review_due(answer, self._today(), self.months) else ""
            return f"{answer.title}  /{answer.shortcut}{mark}"
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [self.tr("Used %n times", "", answer.usage_count)]
            if review_due(answer, self._today(), self.months):
                lines.append(self.tr("To review: check it is still right."))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.UserRole:  # what the search box filters on
            return " ".join((answer.title, answer.shortcut, *answer.topics, *answer.bodies.values()))
        return None


class LibraryEditor(RecordEditor[CannedAnswer]):
    """Editor of the canned answers, with a review reminder."""

    def __init__(
        self,
        load: Callable[[], list[CannedAnswer]],
        save: Callable[[CannedAnswer], CannedAnswer],
        delete: Callable[[int], None],
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
        *,
        review_months: int = REVIEW_MONTHS_DEFAULT,
        set_review_months: Callable[[int], None] | None = None,
        ops: Ops | None = None,
        sources: Sequence[tuple[int, str]] = (),
    ) -> None:
        super().__init__(load, save, delete, parent, ops=ops)
        self.setWindowTitle(self.tr("Canned answers"))
        self._set_review_months = set_review_months
        self._today = today
        self._last_reviewed: date | None = None
        self.model = AnswersModel(today, self, review_months)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(Qt.ItemDataRole.UserRole)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = self.proxy
        self.search = QLineEdit()
        self.search.setAccessibleName(self.tr("Filter the answers"))
        self.search.setPlaceholderText(self.tr("Filter…"))
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.list.setAccessibleName(self.tr("Answers"))
        self.list.setModel(self.proxy)
        self.delete_button.setText(self.tr("Delete"))
        left = self._list_panel(self.search)
        left_layout = left.layout()
        assert isinstance(left_layout, QVBoxLayout)
        self.review_months = QSpinBox()
        self.review_months.setRange(1, 60)
        self.review_months.setValue(review_months)
        self.review_months.setAccessibleName(self.tr("Review reminder, in months"))
        self.review_months.setEnabled(set_review_months is not None)
        self.review_months.valueChanged.connect(self._months_changed)
        months_row = QHBoxLayout()
        months_label = QLabel(self.tr("⚑ Review every"))
        months_label.setBuddy(self.review_months)
        months_row.addWidget(months_label)
        months_row.addWidget(self.review_months)
        months_row.addWidget(QLabel(self.tr("months")))
        months_row.addStretch(1)
        left_layout.addLayout(months_row)

        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("Title"))
        self.shortcut = QLineEdit()
        self.shortcut.setAccessibleName(self.tr("Shortcut"))
        self.shortcut.setPlaceholderText(self.tr("e.g. health-card"))
        self.topics = QLineEdit()
        self.topics.setAccessibleName(self.tr("Topics"))
        self.topics.setPlaceholderText(", ".join(ANSWER_TOPICS[:4]) + ", …")
        self.topics.setToolTip(self.tr("Separated by commas: %1").replace("%1", ", ".join(ANSWER_TOPICS)))
        # A group's own guidelines, removal notice or join questions: chosen over the general ones there.
        self.for_source = QComboBox()
        self.for_source.setAccessibleName(self.tr("For which group"))
        self.for_source.addItem(self.tr("Every group"), None)
        for source_id, name in sources:
            self.for_source.addItem(name, source_id)
        self.for_source.setToolTip(
            self.tr(
                "A guideline, removal notice, welcome or join questions for one group is used there instead of the "
                "general one."
            )
        )
        self.needs_review = QCheckBox(self.tr("Needs review"))
        self.reviewed = QLabel()
        self.reviewed.setTextFormat(Qt.TextFormat.PlainText)
        self.reviewed_button = QPushButton(self.tr("Mark &reviewed today"))
        self.reviewed_button.clicked.connect(self.mark_reviewed)
        self.bodies = LanguageTabs(lambda tag: self.tr("Text in %1").replace("%1", tag))
        self.bodies.setAccessibleName(self.tr("Texts by language"))
        self.bodies.edited.connect(self._edited)
        self.add_language = QPushButton(self.tr("Add a &language…"))
        self.add_language.clicked.connect(self.ask_language)
        self.remove_language = QPushButton(self.tr("Remove this language"))
        self.remove_language.clicked.connect(self.drop_language)
        form = QFormLayout()
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.tr("S&hortcut:"), self.shortcut)
        form.addRow(self.tr("T&opics:"), self.topics)
        form.addRow(self.tr("&For:"), self.for_source)
        review = QHBoxLayout()
        review.addWidget(self.needs_review)
        review.addWidget(self.reviewed, 1)
        review.addWidget(self.reviewed_button)
        languages = QHBoxLayout()
        languages.addWidget(self.add_language)
        languages.addWidget(self.remove_language)
        languages.addStretch(1)
        hint = QLabel(
            self.tr(
                "Variables: {member_first_name} {moderator_name} {organization} {today}; "
                "blanks asked for on insertion: {?date of the workshop}"
            )
        )
        hint.setWordWrap(True)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        buttons = self._buttons_row()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(form)
        right_layout.addLayout(review)
        right_layout.addWidget(self.bodies, 1)
        right_layout.addLayout(languages)
        right_layout.addWidget(hint)
        right_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([260, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        for field in (self.title, self.shortcut, self.topics):
            field.textEdited.connect(lambda _: self._edited())
        self.needs_review.toggled.connect(lambda _: self._edited())
        self.for_source.activated.connect(lambda _: self._edited())
        self.resize(860, 560)
        self.reload()

    def _months_changed(self, months: int) -> None:
        if self._set_review_months is not None:
            self._set_review_months(months)
        self.model.months = months
        self.model.dataChanged.emit(self.model.index(0), self.model.index(max(0, self.model.rowCount() - 1)))

    # -- form ------------------------------------------------------------------------------------------------
    def _set_records(self, records: list[CannedAnswer]) -> None:
        self.model.set_answers(records)

    def _fill(self, answer: CannedAnswer | None) -> None:
        shown = answer or CannedAnswer("", "", {"en": ""}, ())
        self.title.setText(shown.title)
        self.shortcut.setText(shown.shortcut)
        self.topics.setText(", ".join(shown.topics))
        known = self.for_source.findData(shown.sources[0]) if shown.sources else 0
        if known < 0:  # a source no longer watched: still shown, so saving keeps it
            self.for_source.addItem(
                self.tr("a source not watched (#%1)").replace("%1", str(shown.sources[0])), shown.sources[0]
            )
            known = self.for_source.count() - 1
        self.for_source.setCurrentIndex(known)
        self.needs_review.setChecked(shown.needs_review)
        self._last_reviewed = shown.last_reviewed
        self.reviewed.setText(
            self.tr("Last reviewed %1").replace("%1", shown.last_reviewed.isoformat())
            if shown.last_reviewed
            else self.tr("Never reviewed")
        )
        self.bodies.set_texts(shown.bodies.items())

    def edited(self) -> CannedAnswer:
        bodies = dict(self.bodies.texts())
        topics = tuple(t.strip() for t in self.topics.text().replace(";", ",").split(",") if t.strip())
        base = self.current or CannedAnswer("", "", {}, ())
        return replace(
            base,
            title=self.title.text().strip(),
            shortcut=self.shortcut.text().strip(),
            topics=topics,
            sources=(self.for_source.currentData(),) if self.for_source.currentData() is not None else (),
            bodies=bodies,
            needs_review=self.needs_review.isChecked(),
            last_reviewed=self._last_reviewed,
        )

    def problems(self, answer: CannedAnswer) -> list[str]:
        return problems(answer)

    def _first_field(self) -> QWidget:
        return self.title

    def _leave_question(self) -> str:
        return self.tr("This answer has changes that are not saved. Leave them?")

    def _delete_question(self, answer: CannedAnswer) -> tuple[str, str]:
        return self.tr("Delete the answer"), self.tr("Delete “%1” for everyone using this library?").replace(
            "%1", isolate(answer.title)
        )

    def _tabs(self) -> LanguageTabs:
        return self.bodies

    def mark_reviewed(self) -> None:
        self.needs_review.setChecked(False)
        self._last_reviewed = self._today()
        self.reviewed.setText(self.tr("Last reviewed %1").replace("%1", self._today().isoformat()))
        self.dirty = True
