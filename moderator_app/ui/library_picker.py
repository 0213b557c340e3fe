"""The canned-answer picker of the composer (Ctrl+K, or "/" in an empty reply): search as you type, the
inquiry's language pre-selected, Enter inserts the answer with its variables filled and its blanks asked for.

The search index is built off the window's thread (:class:`LibraryCatalog`); until it is ready the picker
says so rather than making the moderator wait.
"""

from __future__ import annotations

import concurrent.futures
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.language import language_name
from moderator_app.domain.library import CannedAnswer, blanks, fill, is_right_to_left_language, referral_text
from moderator_app.domain.library_search import LibraryIndex, answer_documents, organization_document
from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.ui.threads import Submit, emit_from_worker, own_worker

Index = QModelIndex | QPersistentModelIndex
Row = tuple[CannedAnswer | ReferralOrganization, str, bool]  # an answer or a partner, language, suggested
SUGGESTIONS = 3
COMMON = 6  # a question word found in more answers than this does not suggest any
_WORD_RE = re.compile(r"\w{3,}")


class LibraryCatalog(QObject):
    """The library and its search index, loaded off the window's thread (on the database worker the window
    gives, else on a worker of its own); ``ready`` when they can be searched."""

    ready = Signal()
    failed = Signal(str)

    def __init__(
        self,
        load: Callable[[], list[CannedAnswer]],
        parent: QObject | None = None,
        organizations: Callable[[], list[ReferralOrganization]] | None = None,
        *,
        submit: Submit | None = None,
    ) -> None:
        super().__init__(parent)
        self._submit = submit or own_worker("library-index")
        self._future: concurrent.futures.Future[None] | None = None
        self._load = load
        self._load_organizations = organizations
        self.answers: dict[int, CannedAnswer] = {}
        self.organizations: dict[int, ReferralOrganization] = {}
        self.index: LibraryIndex | None = None
        self.organization_index: LibraryIndex | None = None

    def start(self) -> None:
        self._future = self._submit(self._build)

    def wait(self, timeout: float | None = None) -> None:
        if self._future is not None:
            concurrent.futures.wait([self._future], timeout)

    def _build(self) -> None:
        try:
            answers = [a for a in self._load() if a.id is not None]
            documents = [d for a in answers for d in answer_documents(a)]
            index = LibraryIndex(documents)
            partners = [o for o in (self._load_organizations() if self._load_organizations else []) if o.id]
            partner_index = LibraryIndex(d for o in partners if (d := organization_document(o)) is not None)
        except Exception as exc:  # shown in the picker: the library could not be read
            emit_from_worker(self, self.failed, str(exc))
            return
        self.answers = {int(a.id): a for a in answers}  # type: ignore[arg-type]
        self.organizations = {int(o.id): o for o in partners}  # type: ignore[arg-type]
        self.organization_index = partner_index
        self.index = index
        emit_from_worker(self, self.ready)

    def search(self, query: str, language: str | None, limit: int = 30) -> list[tuple[CannedAnswer, str]]:
        """(answer, language of the text that matched) for ``query``; with no query, the most used answers."""
        if self.index is None:
            return []
        if not query.strip():
            ranked = sorted(self.answers.values(), key=lambda a: (-a.usage_count, a.title.casefold()))
            return [(a, (a.body_for(language or "en") or ("en", ""))[0]) for a in ranked[:limit]]
        return [
            (self.answers[hit.doc_id], hit.language)
            for hit in self.index.search(query, language, limit)
            if hit.doc_id in self.answers
        ]

    def search_organizations(self, query: str, limit: int = 10) -> list[ReferralOrganization]:
        """Partner organizations for ``query`` (name, aliases, services, phone, website)."""
        if self.organization_index is None or not query.strip():
            return []
        return [self.organizations[h.doc_id] for h in self.organization_index.search(query, None, limit)]

    def suggest(self, question: str, language: str | None) -> list[CannedAnswer]:
        """The answers that best match an inquiry's question: each of its words searched alone (a question
        rarely has every word of an answer), words found in many answers counting for nothing."""
        if self.index is None:
            return []
        scores: Counter[int] = Counter()
        for word in dict.fromkeys(_WORD_RE.findall(question[:500])):
            hits = [h for h in self.index.search(word, language, COMMON + 1) if h.whole_words]
            if len(hits) > COMMON:  # "how", "كيف", "the": in most answers, says nothing about this one
                continue
            for rank, hit in enumerate(hits):
                scores[hit.doc_id] += 2 * (COMMON - rank) // COMMON + 1
        ranked = sorted(scores.items(), key=lambda item: (-item[1], -self.answers[item[0]].usage_count, item[0]))
        return [self.answers[doc_id] for doc_id, _ in ranked[:SUGGESTIONS] if doc_id in self.answers]


class PickerModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []  # answer or partner, language, suggested

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        item, language, suggested = self.rows[index.row()]
        if isinstance(item, ReferralOrganization):
            if role == Qt.ItemDataRole.DisplayRole:
                name = item.name_for(language)
                return self.tr("→ Refer to %1").replace("%1", name) + (f"  · {item.phone}" if item.phone else "")
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Inserts a referral sentence; the reply then counts as a referral to this partner.")
            return None
        missing = item.body_for(language, ()) is None
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "★ " if suggested else ""
            shown = f"{mark}{item.title}  /{item.shortcut}  [{', '.join(item.bodies)}]"
            if missing:
                shown += "  " + self.tr("— no %1 text").replace("%1", language_name(language))
            return shown
        if role == Qt.ItemDataRole.ForegroundRole and missing:
            return QColor("#6c757d")
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            if missing:
                tips.append(
                    self.tr("This answer has no %1 text. It has: %2.")
                    .replace("%1", language_name(language))
                    .replace("%2", ", ".join(language_name(tag) for tag in item.bodies))
                )
            if item.needs_review:
                tips.append(self.tr("Not reviewed yet: check it before sending."))
            return "\n".join(tips) or None
        return None


class BlanksDialog(QDialog):
    """Asks the moderator for the blanks of an answer ({?date of the workshop})."""

    def __init__(self, labels: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Fill in the answer"))
        self.setMinimumWidth(480)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for label in labels:
            field = QLineEdit()
            field.setAccessibleName(label)
            form.addRow(QLabel(label + ":"), field)
            self.fields[label] = field
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "Blanks left empty stay in the reply, selected one by one: it is not sent until they are filled."
                )
            )
        )
        layout.addLayout(form)
        layout.addWidget(buttons)

    def answers(self) -> dict[str, str]:
        return {label: field.text().strip() for label, field in self.fields.items()}


@dataclass(frozen=True)
class Chosen:
    answer: CannedAnswer | ReferralOrganization
    language: str


class LibraryPicker(QDialog):
    """Search field over a list of answers and a preview; Enter (or a double-click) chooses."""

    def __init__(
        self,
        catalog: LibraryCatalog,
        language: str,
        question: str,
        query: str = "",
        languages: Sequence[str] = ("ar", "fa", "fr", "en", "zh"),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Insert a canned answer"))
        self.catalog = catalog
        self.question = question
        self.chosen: Chosen | None = None
        self.search_field = QLineEdit(query)
        self.search_field.setAccessibleName(self.tr("Search the library"))
        self.search_field.setPlaceholderText(self.tr("Type words, a shortcut… (Arabic, Farsi, French, Chinese…)"))
        self.language_box = QComboBox()
        self.language_box.setAccessibleName(self.tr("Language of the text"))
        for tag in dict.fromkeys([language, *languages]):
            if tag and tag != "und":
                self.language_box.addItem(language_name(tag), tag)
        self.model = PickerModel(self)
        self.list = QListView()
        self.list.setAccessibleName(self.tr("Canned answers"))
        self.list.setModel(self.model)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName(self.tr("Preview"))
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(self.search_field, 1)
        top.addWidget(self.language_box)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list, 2)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        self.resize(560, 480)
        self.search_field.textChanged.connect(lambda _: self.refresh())
        self.language_box.currentIndexChanged.connect(lambda _: self.refresh())
        self.list.selectionModel().currentRowChanged.connect(lambda current, _: self._show_preview(current.row()))
        self.list.doubleClicked.connect(lambda index: self.choose(index.row()))
        self.search_field.installEventFilter(self)
        catalog.ready.connect(self.refresh)
        catalog.failed.connect(
            lambda message: self.status.setText(self.tr("The library could not be read: %1").replace("%1", message))
        )
        self.refresh()

    def _failed(self, message: str) -> None:
        self.status.setText(self.tr("The library could not be read: %1").replace("%1", message))

    @property
    def language(self) -> str:
        return str(self.language_box.currentData() or "en")

    def refresh(self) -> None:
        if self.catalog.index is None:
            self.status.setText(self.tr("Loading the library…"))
            self.model.set_rows([])
            return
        query = self.search_field.text()
        rows: list[Row] = []
        if not query.strip():
            suggested = self.catalog.suggest(self.question, self.language)
            rows += [(a, self.language, True) for a in suggested]
        taken = {a.id for a, _, _ in rows}
        # Each row is shown and inserted in the chosen language, whichever language the search matched in.
        rows += [(a, self.language, False) for a, _ in self.catalog.search(query, self.language) if a.id not in taken]
        rows += [(o, self.language, False) for o in self.catalog.search_organizations(query)]
        self.model.set_rows(rows)
        self.status.setText(
            self.tr("No answer matches. Try fewer or other words.")
            if not rows
            else self.tr("%n answers", "", len(rows))
        )
        if rows:
            self.list.setCurrentIndex(self.model.index(0))

    def _show_preview(self, row: int) -> None:
        if not 0 <= row < len(self.model.rows):
            self.preview.clear()
            return
        item, _, _ = self.model.rows[row]
        if isinstance(item, ReferralOrganization):
            text = referral_text(item, self.language)
            rtl = is_right_to_left_language(self.language)
            self.preview.setPlainText(text)
            self.preview.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
            return
        found = item.body_for(self.language, ())  # never another language in its place, silently
        if found is None:
            self.preview.setPlainText(self._no_text(item))
            self.preview.setLayoutDirection(self.layoutDirection())
            return
        self.preview.setPlainText(found[1])
        rtl = is_right_to_left_language(found[0])
        self.preview.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)

    def _no_text(self, item: CannedAnswer) -> str:
        return (
            self.tr(
                "This answer has no %1 text. It has: %2. Choose one of them above (if the member reads it), or "
                "write the reply yourself."
            )
            .replace("%1", language_name(self.language))
            .replace("%2", ", ".join(language_name(tag) for tag in item.bodies))
        )

    def choose(self, row: int) -> None:
        if not 0 <= row < len(self.model.rows):
            return
        item, _, _ = self.model.rows[row]
        if isinstance(item, ReferralOrganization):
            self.chosen = Chosen(item, self.language)
            self.accept()
            return
        found = item.body_for(self.language, ())
        if found is None:
            self.status.setText(self._no_text(item))
            return
        self.chosen = Chosen(item, found[0])
        self.accept()

    def eventFilter(self, watched: QObject, event: Any) -> bool:
        """Up/Down move in the list and Enter chooses while typing in the search field."""
        if watched is self.search_field and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            key = event.key()
            row = self.list.currentIndex().row()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rows:
                step = 1 if key == Qt.Key.Key_Down else -1
                self.list.setCurrentIndex(self.model.index(max(0, min(len(self.model.rows) - 1, row + step))))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.choose(row)
                return True
        return super().eventFilter(watched, event)


def insert_text(
    answer: CannedAnswer | ReferralOrganization, language: str, values: Mapping[str, str], answers: Mapping[str, str]
) -> str:
    if isinstance(answer, ReferralOrganization):
        return referral_text(answer, language)
    found = answer.body_for(language)
    return fill(found[1], values, answers) if found else ""


def blanks_of(answer: CannedAnswer | ReferralOrganization, language: str) -> list[str]:
    if isinstance(answer, ReferralOrganization):
        return []
    found = answer.body_for(language)
    return blanks(found[1]) if found else []
