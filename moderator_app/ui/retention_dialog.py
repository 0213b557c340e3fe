"""Settings ▸ Message retention: how many whole months message text is kept (off by default), what applying it
removes now, and applying it. Read and written on the database worker (``ops``); removing asks first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.retention import MAX_MONTHS, MIN_MONTHS, RetentionPreview, RetentionResult
from moderator_app.ui.ops import Ops

# The months proposed when retention is turned on (two years: a funder's year and the one before).
PROPOSED_MONTHS = 24


class RetentionNotice(QObject):
    """What the window says when retention removed text at its start."""

    def applied(self, result: RetentionResult) -> str:
        return self.tr("Retention: text removed from %n old message(s); the counts stay.", "", result.messages)


class RetentionDialog(QDialog):
    """``months`` reads the setting; ``preview(months)`` says what applying would remove; ``save(months)``
    stores the setting (None: off) and applies it, giving what was removed (None when off)."""

    def __init__(
        self,
        months: Callable[[], int | None],
        preview: Callable[[int], RetentionPreview],
        save: Callable[[int | None], RetentionResult | None],
        ops: Ops,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Message retention"))
        self._months, self._preview, self._save, self._ops = months, preview, save, ops
        self.result_message = ""
        self._previewed: RetentionPreview | None = None
        self.about = QLabel(
            self.tr(
                "Message text older than the months chosen is removed from the log, with the files downloaded to "
                "this computer. The counts, the inquiries and the pseudonymised inquiry log stay, so the reports "
                "of those months do not change. Messages of inquiries still open keep their text until they "
                "close. Once on, it is applied when saved and again at each start of the window."
            )
        )
        self.about.setWordWrap(True)
        self.enabled = QCheckBox(self.tr("&Remove old message text"))
        self.enabled.setAccessibleName(self.tr("Remove old message text"))
        self.spin = QSpinBox()
        self.spin.setRange(MIN_MONTHS, MAX_MONTHS)
        self.spin.setValue(PROPOSED_MONTHS)
        self.spin.setSuffix(self.tr(" months"))
        self.spin.setAccessibleName(self.tr("Months of message text kept"))
        self.spin.setEnabled(False)
        self.enabled.toggled.connect(self.spin.setEnabled)
        self.enabled.toggled.connect(lambda _: self._schedule_preview())
        self.spin.valueChanged.connect(lambda _: self._schedule_preview())
        form = QFormLayout()
        form.addRow(self.enabled)
        keep_label = QLabel(self.tr("&Keep text for:"))
        keep_label.setBuddy(self.spin)
        form.addRow(keep_label, self.spin)
        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        self.preview_label.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_label.setAccessibleName(self.tr("What saving removes"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addLayout(form)
        layout.addWidget(self.preview_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(560, 300)
        self._timer = QTimer(self)  # one preview per pause in typing, not one per arrow press
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self._read_preview)

    def chosen(self) -> int | None:
        return self.spin.value() if self.enabled.isChecked() else None

    def load(self) -> None:
        self.buttons.setEnabled(False)
        self.preview_label.setText(self.tr("Reading the setting…"))
        self._ops.run(self._months).success(self._loaded).failure(self.preview_label.setText)

    def _loaded(self, months: int | None) -> None:
        self.buttons.setEnabled(True)
        for widget in (self.enabled, self.spin):
            widget.blockSignals(True)
        self.enabled.setChecked(months is not None)
        self.spin.setEnabled(months is not None)
        if months is not None:
            self.spin.setValue(months)
        for widget in (self.enabled, self.spin):
            widget.blockSignals(False)
        self._read_preview()

    def _schedule_preview(self) -> None:
        self._previewed = None
        self._timer.start()

    def _read_preview(self) -> None:
        months = self.chosen()
        if months is None:
            self._previewed = None
            self.preview_label.setText(self.tr("Off: message text is kept for good."))
            return
        preview = self._preview
        self._ops.run(lambda: preview(months)).success(self._show_preview).failure(self.preview_label.setText)

    def _show_preview(self, preview: RetentionPreview) -> None:
        if preview.months != self.chosen():
            return  # the choice changed meanwhile: its own preview follows
        self._previewed = preview
        day = preview.before.date().isoformat()
        text = (
            self.tr("Saving removes the text of %n message(s) from before %1.", "", preview.messages)
            if preview.messages
            else self.tr("No message from before %1 has text left to remove.")
        ).replace("%1", day)
        if preview.kept_open:
            text += " " + self.tr("%n message(s) of inquiries still open keep theirs for now.", "", preview.kept_open)
        self.preview_label.setText(text)

    def save(self) -> None:
        """Off: stored at once. On: what it removes is read (unless shown already) and, when it removes
        anything, asked about first: the text does not come back."""
        months = self.chosen()
        if months is None:
            self._store(None)
            return
        previewed = self._previewed
        if previewed is not None and previewed.months == months:
            self._confirm(previewed)
            return
        self.buttons.setEnabled(False)
        preview = self._preview
        self._ops.run(lambda: preview(months)).success(self._confirm).failure(self._not_saved)

    def _confirm(self, preview: RetentionPreview) -> None:
        self._show_preview(preview)
        if preview.messages:
            answer = QMessageBox.question(
                self,
                self.tr("Remove old message text"),
                self.tr(
                    "Remove the text of %n message(s) from before %1? This cannot be undone.", "", preview.messages
                ).replace("%1", preview.before.date().isoformat()),
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.buttons.setEnabled(True)
                return
        self._store(preview.months)

    def _store(self, months: int | None) -> None:
        self.buttons.setEnabled(False)
        self.preview_label.setText(self.tr("Saving…"))
        save = self._save
        self._ops.run(lambda: save(months)).success(self._saved).failure(self._not_saved)

    def _saved(self, result: Any) -> None:
        if isinstance(result, RetentionResult):
            self.result_message = self.tr(
                "Retention saved: text removed from %n message(s) from before %1; counts and reports are unchanged.",
                "",
                result.messages,
            ).replace("%1", result.before.date().isoformat())
        else:
            self.result_message = self.tr("Retention is off: message text is kept for good.")
        self.accept()

    def _not_saved(self, sentence: str) -> None:
        self.buttons.setEnabled(True)
        self.preview_label.setText(sentence)
