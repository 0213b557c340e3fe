"""Moderating a member or a message: warn (a private reminder of the guideline broken), mute, remove, ban, or
delete the message; what is decided is recorded with the guideline and the reason, and carried out by the
connector (ui only gathers the decision: the window queues it)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.language import language_name
from moderator_app.domain.library import (
    GUIDELINE_TOPIC,
    REMOVAL_NOTICE_TOPIC,
    CannedAnswer,
    for_source,
    is_right_to_left_language,
)
from moderator_app.domain.moderation import (
    MemberStanding,
    ModerationError,
    ModerationKind,
    ModerationRequest,
    check_request,
)
from moderator_app.ui.delegates import isolate

#: The durations offered for a mute or a ban (None: until lifted; a ban only).
DURATIONS = (timedelta(hours=1), timedelta(days=1), timedelta(days=7), timedelta(days=30), None)


class ModerationDialog(QDialog):
    """``member``: the member's name; ``message``: the text of the message concerned (or ""); ``language``: the
    member's language, for the guideline's text; ``standing``: their warnings (None: not known)."""

    def __init__(
        self,
        kind: ModerationKind,
        *,
        source_id: int,
        member_id: int | None,
        member: str,
        message_id: int | None,
        message: str,
        language: str,
        standing: MemberStanding | None,
        guidelines: list[CannedAnswer],
        profile_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Moderate: %1").replace("%1", isolate(member or self.tr("this message"))))
        self.setMinimumWidth(520)
        self._source_id, self._member_id, self._message_id = source_id, member_id, message_id
        self._language, self._profile_id = language, profile_id
        # The library's moderation templates: the guidelines (a warning's reminder), and the removal notice
        # offered when a member is removed or banned.
        # A group's own come first, then the general ones; those of other groups are left out.
        self._guidelines = for_source(guidelines, source_id, GUIDELINE_TOPIC)
        self._removal_notice = next(iter(for_source(guidelines, source_id, REMOVAL_NOTICE_TOPIC)), None)
        self._offered = ""  # the notice text the dialog filled in itself (replaced when the action changes)
        self.request: ModerationRequest | None = None

        self.action = QComboBox()
        self.action.setAccessibleName(self.tr("Action"))
        labels = {
            ModerationKind.WARN: self.tr("Warn (a private reminder of the guideline)"),
            ModerationKind.MUTE: self.tr("Mute (may read, may not write)"),
            ModerationKind.REMOVE: self.tr("Remove from the group (may come back)"),
            ModerationKind.BAN: self.tr("Ban (may not come back)"),
            ModerationKind.UNBAN: self.tr("Lift a ban or mute (all rights back)"),
            ModerationKind.DELETE: self.tr("Delete the message (the log keeps its text)"),
            ModerationKind.PURGE: self.tr("Delete all of the member's messages in the group (the log keeps them)"),
        }
        for choice, label in labels.items():
            if choice is ModerationKind.DELETE and message_id is None:
                continue
            if choice is not ModerationKind.DELETE and member_id is None:
                continue
            self.action.addItem(label, choice)
        self.action.setCurrentIndex(max(0, self.action.findData(kind)))

        self.standing = QLabel()
        self.standing.setTextFormat(Qt.TextFormat.PlainText)
        self.standing.setWordWrap(True)
        if standing is not None:
            text = self.tr("%n warning(s) in the last %1 days", "", standing.active_warnings).replace(
                "%1", str(standing.policy.expiry.days)
            )
            if standing.removal_proposed:
                text += " " + self.tr("— the limit is %n: removal is proposed.", "", standing.policy.threshold)
                self.standing.setStyleSheet("color: #b02a37; font-weight: bold;")
                self.remove_instead = QPushButton(self.tr("Remove instead"))
                self.remove_instead.setAccessibleName(self.tr("Remove the member instead"))
                self.remove_instead.clicked.connect(
                    lambda: self.action.setCurrentIndex(self.action.findData(ModerationKind.REMOVE))
                )
            else:
                text += " " + self.tr("(removal is proposed at %n).", "", standing.policy.threshold)
            self.standing.setText(text)

        self.quoted = QLabel(message)
        self.quoted.setTextFormat(Qt.TextFormat.PlainText)  # a member's words: never markup
        self.quoted.setWordWrap(True)
        self.quoted.setAccessibleName(self.tr("The message concerned"))
        self.quoted.setStyleSheet("color: palette(mid);")
        self.quoted.setVisible(bool(message))

        self.guideline = QComboBox()
        self.guideline.setEditable(True)
        self.guideline.setAccessibleName(self.tr("Guideline broken"))
        self.guideline.addItem("")
        for answer in self._guidelines:
            self.guideline.addItem(answer.title, answer.id)
        editor = self.guideline.lineEdit()
        assert editor is not None
        editor.setPlaceholderText(self.tr("Pick one of the guidelines, or write it"))
        self.guideline.currentIndexChanged.connect(self._guideline_picked)

        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("For the record (not sent)"))

        self.duration = QComboBox()
        self.duration.setAccessibleName(self.tr("Duration"))
        names = {
            timedelta(hours=1): self.tr("1 hour"),
            timedelta(days=1): self.tr("1 day"),
            timedelta(days=7): self.tr("1 week"),
            timedelta(days=30): self.tr("30 days"),
        }
        for length in DURATIONS:
            self.duration.addItem(names[length] if length is not None else self.tr("Until lifted"), length)

        self.notice = QPlainTextEdit()
        self.notice.setAccessibleName(self.tr("Message to the member"))
        self.notice.setMinimumHeight(90)
        self.notice_note = QLabel()
        self.notice_note.setTextFormat(Qt.TextFormat.PlainText)
        self.notice_note.setWordWrap(True)

        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b02a37;")

        form = QFormLayout()
        form.addRow(self.tr("Action"), self.action)
        if standing is not None:
            row = QVBoxLayout()  # the sentence whole on its lines, the button under it
            row.addWidget(self.standing)
            if standing.removal_proposed and member_id is not None:
                row.addWidget(self.remove_instead, 0, Qt.AlignmentFlag.AlignLeading)
            form.addRow(self.tr("Warnings"), row)
        if message:
            form.addRow(self.tr("Message"), self.quoted)
        form.addRow(self.tr("Guideline"), self.guideline)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Duration"), self.duration)
        form.addRow(self.tr("To the member"), self.notice)
        form.addRow("", self.notice_note)
        self.form = form

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.action.currentIndexChanged.connect(self._follow_action)
        self._follow_action()

    def kind(self) -> ModerationKind:
        return ModerationKind(self.action.currentData())

    def _follow_action(self) -> None:
        kind = self.kind()
        timed = kind in (ModerationKind.MUTE, ModerationKind.BAN)
        self.form.setRowVisible(self.duration, timed)
        until_lifted = self.duration.findData(None)
        if kind is ModerationKind.MUTE and self.duration.currentIndex() == until_lifted:
            self.duration.setCurrentIndex(0)
        if kind is ModerationKind.BAN and self.duration.currentData() is not None:
            self.duration.setCurrentIndex(until_lifted)
        self.duration.model().item(until_lifted).setEnabled(kind is ModerationKind.BAN)  # type: ignore[attr-defined]
        quiet = kind in (ModerationKind.DELETE, ModerationKind.PURGE)  # nothing is sent to the member
        self.form.setRowVisible(self.notice, not quiet)
        self.form.setRowVisible(self.notice_note, not quiet)
        self._offer_removal_notice(kind)
        required = kind is ModerationKind.WARN
        self.notice.setPlaceholderText(
            self.tr("The reminder, sent privately (required)")
            if required
            else self.tr("Optional: a notice sent privately (leave empty to send nothing)")
        )
        ok = {
            ModerationKind.WARN: self.tr("Send the warning"),
            ModerationKind.MUTE: self.tr("Mute"),
            ModerationKind.REMOVE: self.tr("Remove"),
            ModerationKind.BAN: self.tr("Ban"),
            ModerationKind.UNBAN: self.tr("Lift"),
            ModerationKind.DELETE: self.tr("Delete the message"),
            ModerationKind.PURGE: self.tr("Delete all their messages"),
        }[kind]
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)

    def _offer_removal_notice(self, kind: ModerationKind) -> None:
        """A removal or ban: the library's removal notice, in the member's language, unless the moderator has
        written a notice of their own (what the dialog filled in itself follows the action)."""
        typed = self.notice.toPlainText().strip()
        if typed and typed != self._offered:
            return
        if kind in (ModerationKind.REMOVE, ModerationKind.BAN) and self._removal_notice is not None:
            self._fill(self._removal_notice)
            self._offered = self.notice.toPlainText().strip()
        elif self._offered:
            self.notice.clear()
            self.notice_note.setText("")
            self._offered = ""

    def _guideline_picked(self, index: int) -> None:
        """A guideline of the library: its text in the member's language becomes the reminder (said when it
        has none in that language, never replaced silently)."""
        answer_id = self.guideline.itemData(index)
        answer = next((a for a in self._guidelines if a.id == answer_id), None)
        if answer is None:
            return
        self._fill(answer)

    def _fill(self, answer: CannedAnswer) -> None:
        found = answer.body_for(self._language)
        if found is None:
            self.notice_note.setText(self.tr("This text of the library is empty: write the message."))
            return
        tag, body = found
        self.notice.setPlainText(body)
        rtl = is_right_to_left_language(tag)
        option = self.notice.document().defaultTextOption()  # a Farsi reminder reads from the right
        option.setTextDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        option.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
        self.notice.document().setDefaultTextOption(option)
        if tag.split("-")[0] != self._language.split("-")[0] and self._language not in ("", "und"):
            self.notice_note.setText(
                self.tr("No %1 text for this one in the library: the %2 one is shown; check it before sending.")
                .replace("%1", isolate(language_name(self._language)))
                .replace("%2", isolate(language_name(tag)))
            )
        else:
            self.notice_note.setText("")

    def _accept(self) -> None:
        kind = self.kind()
        duration = self.duration.currentData() if kind in (ModerationKind.MUTE, ModerationKind.BAN) else None
        request = ModerationRequest(
            kind=kind,
            source_id=self._source_id,
            member_id=self._member_id,
            reason=self.reason.text().strip(),
            guideline=self.guideline.currentText().strip(),
            message_id=self._message_id,
            duration=duration,
            notice=self.notice.toPlainText().strip()
            if kind not in (ModerationKind.DELETE, ModerationKind.PURGE)
            else "",
            profile_id=self._profile_id,
        )
        try:
            check_request(request)
        except ModerationError as exc:
            self.problem.setText(str(exc))
            return
        self.request = request
        self.accept()
