"""The role of the profile on duty, applied to the window: a manager reads the inbox, the conversations, the
records and the reports, and nothing is sent from the window in their name. What sends is hidden or disabled,
with the sentence saying why (the use cases refuse it too: services/roles.py); the profile taking the
workstation is kept in the audit record."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QBoxLayout, QComboBox, QDialog, QLabel, QWidget

from moderator_app.domain.profiles import Profile, may_send
from moderator_app.ui.delegates import isolate

#: The note's look: information, not a warning (nothing is wrong; the role reads).
NOTE_STYLE = "background: #e7f1ff; color: #084298; padding: 6px; border-radius: 4px;"


class DutyRoles(QObject):
    """``record(profile_id, previous, how)`` keeps a change of the person on duty in the audit record (it runs
    on the database worker); ``how`` is "start" (the window opened with them) or "changed"."""

    changed = Signal(str)  # why nothing is sent now ("" when sending is allowed)

    def __init__(
        self, record: Callable[[int | None, str, str], None] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._record = record
        self._reason = ""
        self._started = False
        self._actions: list[QAction] = []

    @property
    def reason(self) -> str:
        return self._reason

    def apply(self, profile: Profile | None) -> None:
        """The profile now on duty (None: nobody chosen): its role decides what the window sends."""
        reason = ""
        if profile is not None and not may_send(profile.role):
            reason = self.tr(
                "%1 is on duty as a manager: managers read the inbox, the records and the reports, and send nothing "
                "(replies, moderation, join decisions, welcomes). To send, choose a moderator under “On duty”."
            ).replace("%1", isolate(profile.name))
        for action in self._actions:
            action.setEnabled(not reason)
            action.setStatusTip(reason)
            action.setToolTip(reason or action.text().replace("&", ""))
        if reason != self._reason:
            self._reason = reason
            self.changed.emit(reason)

    def started(self, profile: Profile | None) -> None:
        """The window's first reading of who is on duty (as saved at this workstation): recorded once."""
        if self._started or profile is None:
            return
        self._started = True
        if self._record is not None:
            self._record(profile.id, "", "start")

    def changed_to(self, profile_id: int | None, previous: str) -> None:
        """The person on duty changed (after the handover, when there is one)."""
        self._started = True
        if self._record is not None:
            self._record(profile_id, previous, "changed")

    def guard_action(self, action: QAction) -> None:
        """A menu action that sends (slow mode): disabled while a manager is on duty, the reason as its tip."""
        self._actions.append(action)
        action.setEnabled(not self._reason)
        action.setStatusTip(self._reason)

    def refuse(self, say: Callable[[str], object]) -> bool:
        """Whether what would send must not (the reason is said through ``say``)."""
        if self._reason:
            say(self._reason)
            return True
        return False

    def restrict(self, dialog: QDialog, controls: Sequence[QWidget], disable: Sequence[QWidget] = ()) -> None:
        """An open dialog under a manager: ``controls`` that send are hidden, ``disable`` (settings that would
        send by themselves, such as automatic welcomes) disabled, and the reason is said at its top."""
        if not self._reason:
            return
        for control in controls:
            control.hide()
        for control in disable:
            control.setEnabled(False)
        note = QLabel(self._reason)
        note.setObjectName("readOnlyNote")
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        note.setAccessibleName(self.tr("Why nothing can be sent"))
        note.setStyleSheet(NOTE_STYLE)
        layout = dialog.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, note)


def combo_boxes(dialog: QDialog) -> list[QWidget]:
    """Every choice in ``dialog`` (a welcome's mode, place and message)."""
    return list(dialog.findChildren(QComboBox))
