"""Moderation ▸ Urgent words: the organization's lists, one tab per danger and one box per language (a term
per line), with a line to try a message against the lists as edited. Read and saved on the database worker."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.language import language_name
from moderator_app.domain.safety import STARTER_LANGUAGES, UrgentCategory, UrgentMatcher, starter_lists
from moderator_app.ui.delegates import isolate
from moderator_app.ui.ops import Ops

Lists = dict[str, dict[str, list[str]]]

RIGHT_TO_LEFT = ("ar", "fa", "ur", "ps", "he", "ckb")


class UrgentWordsDialog(QDialog):
    """``read`` and ``save`` run on the database worker through ``ops``; ``save`` returns what was stored."""

    def __init__(
        self,
        read: Callable[[], Lists],
        save: Callable[[Lists], Lists],
        ops: Ops,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Urgent words"))
        self._read = read
        self._save = save
        self._ops = ops
        self._labels = {
            UrgentCategory.SELF_HARM: self.tr("Self-harm"),
            UrgentCategory.VIOLENCE: self.tr("Violence"),
            UrgentCategory.TRAFFICKING: self.tr("Trafficking, forced labour"),
            UrgentCategory.MEDICAL: self.tr("Medical emergency"),
        }
        intro = QLabel(
            self.tr(
                "A member message with one of these words or phrases is flagged urgent: notified at once and "
                "listed under Show ▸ Urgent, whatever the service standard says. One term per line; whole words "
                "(Chinese: anywhere); a term ending in * matches the start of a word (suicid*). Messages already "
                "in the log keep the flags of their time."
            )
        )
        intro.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Dangers"))
        self.boxes: dict[tuple[str, str], QPlainTextEdit] = {}
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.trial = QLineEdit()
        self.trial.setAccessibleName(self.tr("Try a message"))
        self.trial.setPlaceholderText(self.tr("Type or paste a message to see what it would be flagged for"))
        self.trial_result = QLabel()
        self.trial_result.setTextFormat(Qt.TextFormat.PlainText)
        self.trial_result.setWordWrap(True)
        self.trial.textChanged.connect(self._try)
        trial_row = QHBoxLayout()
        trial_caption = QLabel(self.tr("&Try:"))
        trial_caption.setBuddy(self.trial)
        trial_row.addWidget(trial_caption)
        trial_row.addWidget(self.trial, 1)

        self.starter_button = QPushButton(self.tr("Restore the &starter lists"))
        self.starter_button.setAccessibleName(self.tr("Restore the starter lists"))
        self.starter_button.clicked.connect(self._restore)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.starter_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)  # until the lists are read

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(trial_row)
        layout.addWidget(self.trial_result)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(820, 660)

    def load(self) -> None:
        self.status.setText(self.tr("Reading the lists…"))
        self._ops.run(self._read).success(self._show).failure(self.status.setText)

    def _show(self, lists: Lists) -> None:
        self.tabs.clear()
        self.boxes.clear()
        for category in UrgentCategory:
            by_language = lists.get(category.value, {})
            languages = [*STARTER_LANGUAGES, *sorted(set(by_language) - set(STARTER_LANGUAGES))]
            page = QWidget()
            form = QFormLayout(page)
            for language in languages:
                box = QPlainTextEdit()
                box.setPlainText("\n".join(by_language.get(language, [])))
                box.setAccessibleName(
                    self.tr("%1 words in %2")
                    .replace("%1", self._labels[category])
                    .replace("%2", language_name(language))
                )
                box.setTabChangesFocus(True)
                if language in RIGHT_TO_LEFT:
                    # The terms read from the right, and an empty line starts there too.
                    box.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
                    option = box.document().defaultTextOption()
                    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
                    option.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
                    box.document().setDefaultTextOption(option)
                box.textChanged.connect(self._try)
                self.boxes[(category.value, language)] = box
                form.addRow(language_name(language), box)
            self.tabs.addTab(page, self._labels[category])
        self.status.setText("")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        self._try()

    def lists(self) -> Lists:
        """The lists as edited: blank lines dropped, each term trimmed."""
        lists: Lists = {}
        for (category, language), box in self.boxes.items():
            terms = [line.strip() for line in box.toPlainText().splitlines() if line.strip()]
            lists.setdefault(category, {})[language] = terms
        return lists

    def _try(self) -> None:
        text = self.trial.text()
        if not text.strip():
            self.trial_result.setText("")
            return
        hits = UrgentMatcher(self.lists()).find(text)
        if not hits:
            self.trial_result.setText(self.tr("Not flagged."))
            return
        said = ", ".join(f"{self._labels[hit.category]} (“{isolate(hit.term)}”)" for hit in hits)
        self.trial_result.setText(self.tr("Flagged urgent: %1").replace("%1", said))

    def _restore(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Restore the starter lists"),
            self.tr("Replace the lists shown with the starter lists? Nothing is saved until you press Save."),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._show(starter_lists())

    def save(self) -> None:
        lists = self.lists()
        save = self._save
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        self._ops.run(lambda: save(lists)).success(lambda _: self.accept()).failure(self._refused)

    def _refused(self, sentence: str) -> None:
        self.status.setText(sentence)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
