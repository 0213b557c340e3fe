"""The conversation pane's model: a thread's messages as rows for the message delegate (header, body,
media, colours by role), times in the window's time zone, member text as plain text."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QImage

from moderator_app.domain.conversation import ThreadMessage
from moderator_app.ui.delegates import BODY_ROLE, HEADER_ROLE, isolate
from moderator_app.ui.media import (
    PHOTOS,
    PLAYABLE,
    MediaView,
    Playback,
    ThumbnailCache,
    local_file,
    may_open,
)

Index = QModelIndex | QPersistentModelIndex

#: The standard holding reply sent by "acknowledge" when the composer is empty, in the member's language.


STAFF_COLOUR = QColor("#e7f1ff")
QUESTION_COLOUR = QColor("#fff8e1")


def _size(n: Any) -> str:
    if not isinstance(n, int | float) or n <= 0:
        return ""
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return ""


class ConversationModel(QAbstractListModel):
    def __init__(self, timezone: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tz = timezone
        # How a staff answer was tied to the inquiry, as the header of the message says it.
        # Short: the header line is elided in a narrow pane (the tooltip says it whole).
        self._links = {
            "reply": self.tr("answer: reply"),
            "mention": self.tr("answer: named"),
            "sequence": self.tr("answer: next after question"),
            "moderator": self.tr("answer: linked by hand"),
        }
        self._link_reasons = {
            "reply": self.tr("This staff message answers the inquiry: it is a Telegram reply to it."),
            "mention": self.tr(
                "This staff message answers the inquiry without Telegram's reply: it names the member "
                "(@username, a mention, or their first name opening the message)."
            ),
            "sequence": self.tr(
                "This staff message answers the inquiry without Telegram's reply: it is the first staff message "
                "after the question, the only open one of the group asked in the last hours, and no announcement."
            ),
            "moderator": self.tr("A moderator linked this staff message to the inquiry."),
        }
        self._other = self.tr("answers another question")
        self._unlinked = self.tr("not linked")
        self._other_reason = self.tr(
            "This staff message answers another member's question. If it answers this one, link it here "
            "(Ctrl+L, or right-click): the statistics follow."
        )
        self._unlinked_reason = self.tr(
            "This staff message was sent after the question but is not linked to it (it counts as a post). If it "
            "answers this question, link it (Ctrl+L, or right-click): the statistics follow."
        )
        self.inquiry_id: int | None = None  # the inquiry shown: a staff message tied to another one says so
        self._messages: list[ThreadMessage] = []
        self._files: list[str | None] = []
        self.playback = Playback()
        self.thumbnails = ThumbnailCache()

    def _link_mark(self, message: ThreadMessage) -> tuple[str, str]:
        """How a staff message stands to the inquiry shown: its header mark and the tooltip explaining it."""
        if not message.from_staff or message.is_service:
            return "", ""
        if message.tied_to is not None and message.tied_to == self.inquiry_id:
            return self._links.get(message.link or "", ""), self._link_reasons.get(message.link or "", "")
        if message.tied_to is not None:
            return self._other, self._other_reason
        if message.nearby:
            return self._unlinked, self._unlinked_reason
        return "", ""

    def outside(self, message: ThreadMessage) -> bool:
        """A staff message shown beside the inquiry but not tied to it (a post nearby, another's answer)."""
        if not message.from_staff or message.is_service:
            return False
        return message.nearby if message.tied_to is None else message.tied_to != self.inquiry_id

    def set_timezone(self, timezone: ZoneInfo) -> None:
        """The messages' times are shown in this time zone."""
        self._tz = timezone
        if self.rowCount():
            self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))

    def set_messages(self, messages: list[ThreadMessage]) -> int:
        """The thread as read now; returns how many messages were added at its end. The same thread read
        again (new messages, an edit, a link) changes only the rows that changed, so the view keeps its place
        and a voice note keeps playing; another thread replaces the rows."""
        old = self._messages
        keep = len(old)
        if (
            not old
            or len(messages) < keep
            or any(a.telegram_id != b.telegram_id for a, b in zip(old, messages[:keep], strict=True))
        ):
            self.beginResetModel()
            self._messages = list(messages)
            self._files = [local_file(m.media) if m.media_kind else None for m in messages]
            self.endResetModel()
            return 0
        files = [local_file(m.media) if m.media_kind else None for m in messages]
        changed = [row for row in range(keep) if old[row] != messages[row] or self._files[row] != files[row]]
        self._messages[:keep] = messages[:keep]
        self._files[:keep] = files[:keep]
        for row in changed:
            self.dataChanged.emit(self.index(row), self.index(row))
        added = len(messages) - keep
        if added:
            self.beginInsertRows(QModelIndex(), keep, len(messages) - 1)
            self._messages.extend(messages[keep:])
            self._files.extend(files[keep:])
            self.endInsertRows()
        return added

    def message(self, row: int) -> ThreadMessage:
        return self._messages[row]

    def file(self, row: int) -> str | None:
        return self._files[row]

    def set_playback(self, playback: Playback) -> None:
        """Repaint the rows of the note that was playing and of the one playing now (and no other row)."""
        paths = {self.playback.path, playback.path} - {""}
        self.playback = playback
        for row, path in enumerate(self._files):
            if path is not None and path in paths:
                index = self.index(row)
                self.dataChanged.emit(index, index)

    def thumbnail(self, row: int) -> QImage | None:
        path = self._files[row]
        return self.thumbnails.get(path) if path is not None and self._messages[row].media_kind in PHOTOS else None

    def kind_name(self, kind: str) -> str:
        names = {
            "voice": self.tr("Voice note"),
            "audio": self.tr("Audio"),
            "video_message": self.tr("Video message"),
            "video": self.tr("Video"),
            "photo": self.tr("Photo"),
            "document": self.tr("File"),
            "sticker": self.tr("Sticker"),
            "animation": self.tr("GIF"),
            "poll": self.tr("Poll"),
            "location": self.tr("Location"),
            "contact": self.tr("Contact"),
        }
        return names.get(kind, kind)

    def media_view(self, row: int) -> MediaView | None:
        message = self._messages[row]
        kind = message.media_kind
        if not kind:
            return None
        media = message.media or {}
        path = self._files[row]
        name = self.kind_name(kind)
        seconds = media.get("duration_seconds")
        length = f"{int(seconds) // 60}:{int(seconds) % 60:02d}" if isinstance(seconds, int | float) else ""
        parts = [name]
        if kind == "sticker" and media.get("sticker_emoji"):
            parts = [f"{name} {media['sticker_emoji']}"]
        if kind == "contact" and media.get("phone_number"):
            parts.append(str(media["phone_number"]))
        if kind == "document" and media.get("file_name"):
            parts = [isolate(str(media["file_name"]))]
        if length and kind not in PLAYABLE:
            parts.append(length)
        size = _size(media.get("file_size"))
        if size and kind not in PHOTOS:
            parts.append(size)
        label = " · ".join(parts)
        if kind in ("poll", "location", "contact", "sticker"):
            return MediaView(kind, label)
        if path is not None:
            if kind in PLAYABLE:
                playing = self.playback.path == path
                duration = (
                    self.playback.duration_ms if playing and self.playback.duration_ms else int(seconds or 0) * 1000
                )
                return MediaView(
                    kind,
                    label,
                    path,
                    playable=True,
                    playing=playing and self.playback.playing,
                    position_ms=self.playback.position_ms if playing else 0,
                    duration_ms=duration,
                )
            if kind in PHOTOS:
                return MediaView(kind, label, path, photo=True)
            if not may_open(path):
                return MediaView(
                    kind,
                    self.tr("%1 — not a type opened from here; right-click to save a copy").replace("%1", label),
                    path,
                )
            return MediaView(kind, self.tr("%1 — Enter opens it").replace("%1", label), path)
        if media.get("download") == "on_demand":
            return MediaView(
                kind, self.tr("%1 — not downloaded: press Enter to download it").replace("%1", label), downloadable=True
            )
        if str(media.get("file", "")).startswith("("):
            return MediaView(kind, self.tr("%1 — not included in the export").replace("%1", label))
        if media.get("download") == "done" or media.get("file"):
            return MediaView(kind, self.tr("%1 — the file is no longer on this computer").replace("%1", label))
        return MediaView(kind, self.tr("%1 — downloading…").replace("%1", label))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._messages)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._messages):
            return None
        message = self._messages[index.row()]
        if role == HEADER_ROLE:
            when = message.date.astimezone(self._tz).strftime("%a %d %b %H:%M")
            head = f"{isolate(message.sender or self.tr('(unknown)'))} · {when}"
            marks = []
            if message.edited:
                marks.append(self.tr("edited"))
            if message.deleted:
                marks.append(self.tr("deleted in Telegram"))
            link, _ = self._link_mark(message)
            if link:
                marks.insert(0, link)
            if message.from_staff:
                marks.append(self.tr("staff"))
            return head + (f" ({', '.join(marks)})" if marks else "")
        if role == BODY_ROLE:
            return message.text
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            when = message.date.astimezone(self._tz).strftime("%a %d %b %H:%M")
            marks = []
            if message.edited:
                marks.append(self.tr("edited"))
            if message.deleted:
                marks.append(self.tr("deleted in Telegram"))
            head = f"{message.sender or self.tr('(unknown)')} · {when}"
            link, _ = self._link_mark(message)
            if link:
                marks.append(link)
            if marks:
                head += f" ({', '.join(marks)})"
            view = self.media_view(index.row())
            body = "\n".join(part for part in (message.text, view.label if view else "") if part)
            return f"{head}\n{body}"
        if role == Qt.ItemDataRole.BackgroundRole:
            if message.is_question:
                return QUESTION_COLOUR
            if message.from_staff and not self.outside(message):
                return STAFF_COLOUR
            return None
        if role == Qt.ItemDataRole.ForegroundRole and self.outside(message):
            return QColor("#5c636a")  # shown for linking, not part of the inquiry: greyed
        if role == Qt.ItemDataRole.ForegroundRole and (message.is_question or message.from_staff):
            return QColor("#212529")
        if role == Qt.ItemDataRole.FontRole and message.is_question:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and not message.media_kind:
            return self._link_mark(message)[1] or None
        if role == Qt.ItemDataRole.ToolTipRole and message.media_kind:
            view = self.media_view(index.row())
            if view is not None and view.playable:
                return self.tr("Click the button, or press Space, to play or pause.")
            if view is not None and view.path is not None:
                return self.tr("Double-click or press Enter to open the file with the system's viewer.")
        return None


#: How often the reply status is read again while a reply or download is on its way, without word from a
#: connector in this process.
