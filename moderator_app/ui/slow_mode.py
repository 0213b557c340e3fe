"""Moderation ▸ Slow mode: one group's slow mode set (channels.toggleSlowMode through the outbox): members may
send one message per interval, which calms a heated thread without removing anyone. Recorded like any action."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from moderator_app.domain.moderation import SLOW_MODE_SECONDS, ModerationKind, ModerationRequest


class SlowModeDialog(QDialog):
    """``groups``: (source id, name). Accepted, :attr:`request` is the action to queue."""

    def __init__(
        self, groups: Sequence[tuple[int, str]], profile_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Slow mode"))
        self._profile_id = profile_id
        self.request: ModerationRequest | None = None
        self.group = QComboBox()
        self.group.setAccessibleName(self.tr("Group"))
        for source_id, name in groups:
            self.group.addItem(name, source_id)
        self.interval = QComboBox()
        self.interval.setAccessibleName(self.tr("Interval"))
        names = {
            0: self.tr("Off"),
            10: self.tr("10 seconds"),
            30: self.tr("30 seconds"),
            60: self.tr("1 minute"),
            300: self.tr("5 minutes"),
            900: self.tr("15 minutes"),
            3600: self.tr("1 hour"),
        }
        for seconds in SLOW_MODE_SECONDS:
            self.interval.addItem(names[seconds], seconds)
        self.interval.setCurrentIndex(self.interval.findData(30))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("For the record (not sent)"))
        note = QLabel(
            self.tr(
                "Each member may send one message per interval (admins are not limited). Telegram has slow mode "
                "only in supergroups; the record keeps who set it and why."
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        form = QFormLayout(self)
        form.addRow(self.tr("&Group:"), self.group)
        form.addRow(self.tr("&Interval:"), self.interval)
        form.addRow(self.tr("&Reason:"), self.reason)
        form.addRow(note)
        form.addRow(buttons)
        self.buttons.setEnabled(self.group.count() > 0)

    def _accept(self) -> None:
        source_id = self.group.currentData()
        if source_id is None:
            return
        self.request = ModerationRequest(
            ModerationKind.SLOW_MODE,
            int(source_id),
            reason=self.reason.text().strip(),
            duration=timedelta(seconds=int(self.interval.currentData())),
            profile_id=self._profile_id,
        )
        self.accept()
