"""Media in the conversation pane: voice notes that play in place, photo thumbnails, files for the system viewer.

Only files on this computer are read (downloaded by the connector or shipped with an export); nothing remote.
Qt Multimedia is loaded on the first play, so a machine without its audio libraries still opens the window
and says why a voice note does not play.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QImage, QImageReader

#: Kinds the pane plays itself (sound only); a video opens in the system's player.
PLAYABLE = frozenset({"voice", "audio"})
PHOTOS = frozenset({"photo"})
THUMBNAIL = QSize(240, 180)
THUMBNAIL_MAX_FILE = 20 * 1024 * 1024  # larger files are opened, not decoded in the window

#: What the system's viewer may open of a member's file, by name: images, sound, video, PDF, plain text and
#: office documents without macros. Anything else (programs, scripts, shortcuts, disk images, web pages,
#: macro documents, whatever suffix a sender invents) is "Save as…" only. The sender chooses the name, so the
#: content must agree with it too (see :func:`may_open`).
_OPENABLE: dict[str, str] = {
    **dict.fromkeys((".jpg", ".jpeg"), "jpeg"),
    ".png": "png",
    ".gif": "gif",
    ".webp": "riff-webp",
    ".bmp": "bmp",
    **dict.fromkeys((".heic", ".heif", ".mp4", ".m4a", ".m4v", ".mov", ".3gp"), "iso-media"),
    **dict.fromkeys((".ogg", ".oga", ".opus", ".ogv"), "ogg"),
    ".mp3": "mp3",
    ".wav": "riff-wave",
    ".flac": "flac",
    ".aac": "adts",
    **dict.fromkeys((".webm", ".mkv"), "matroska"),
    ".avi": "riff-avi",
    ".pdf": "pdf",
    **dict.fromkeys((".docx", ".xlsx", ".pptx"), "ooxml"),
    **dict.fromkeys((".odt", ".ods", ".odp"), "odf"),
    ".txt": "text",
}


def _content_is(kind: str, head: bytes, path: Path) -> bool:
    """Whether the file's first bytes (and, for office documents, its parts) are what its name says."""
    if kind == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if kind == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if kind == "bmp":
        return head.startswith(b"BM")
    if kind.startswith("riff-"):
        return head.startswith(b"RIFF") and head[8:12] == {"riff-webp": b"WEBP", "riff-wave": b"WAVE"}.get(
            kind, b"AVI "
        )
    if kind == "iso-media":
        return head[4:8] == b"ftyp"
    if kind == "ogg":
        return head.startswith(b"OggS")
    if kind == "mp3":
        return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
    if kind == "flac":
        return head.startswith(b"fLaC")
    if kind == "adts":
        return len(head) > 1 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0
    if kind == "matroska":
        return head.startswith(b"\x1a\x45\xdf\xa3")
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if kind == "text":
        return b"\x00" not in head
    if kind in ("ooxml", "odf"):
        return head.startswith(b"PK\x03\x04") and _office_without_macros(path, kind)
    return False


def _office_without_macros(path: Path, kind: str) -> bool:
    """An office document (a zip) that carries no macros: no VBA project, no Basic or script parts."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = [name.lower() for name in archive.namelist()]
    except (OSError, zipfile.BadZipFile, ValueError):
        return False
    if kind == "ooxml":
        return any(n == "[content_types].xml" for n in names) and not any(n.endswith("vbaproject.bin") for n in names)
    return "mimetype" in names and not any(n.startswith(("basic/", "scripts/")) for n in names)


@dataclass(frozen=True, slots=True)
class Playback:
    """What the voice player is doing, as the conversation model shows it."""

    path: str = ""
    playing: bool = False
    position_ms: int = 0
    duration_ms: int = 0


@dataclass(frozen=True, slots=True)
class MediaView:
    """A message's media as the delegate draws it and the pane acts on it."""

    kind: str
    label: str  # one line saying what it is and what Enter does with it
    path: str | None = None  # the file on this computer
    playable: bool = False  # a sound the pane plays itself
    photo: bool = False  # drawn as a thumbnail
    downloadable: bool = False  # on Telegram only: Enter asks the connector for it
    playing: bool = False
    position_ms: int = 0
    duration_ms: int = 0


def local_file(media: dict[str, Any] | None) -> str | None:
    """The media's file on this computer, if it is there (an export's "(File not included...)" is not)."""
    value = (media or {}).get("file")
    if not isinstance(value, str) or not value or value.startswith("("):
        return None
    path = Path(value)
    return str(path) if path.is_absolute() and path.is_file() else None


def may_open(path: str) -> bool:
    """Whether the system's viewer may open this file: an allowed type by its name (judged on the name as
    written: "report.exe " with a trailing space is no PDF) and by its content."""
    file = Path(path)
    kind = _OPENABLE.get(file.suffix.lower()) if file.name == file.name.strip() else None
    if kind is None:
        return False
    try:
        with file.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return _content_is(kind, head, file)


class ThumbnailCache:
    """Scaled-down photos, decoded once (QImageReader decodes JPEG straight at the smaller size)."""

    def __init__(self, size: QSize = THUMBNAIL, capacity: int = 120) -> None:
        self.size = size
        self.capacity = capacity
        self._images: OrderedDict[tuple[str, float], QImage | None] = OrderedDict()

    def get(self, path: str) -> QImage | None:
        """The thumbnail, or None when the file cannot be read as an image."""
        try:
            stat = Path(path).stat()
        except OSError:
            return None
        key = (path, stat.st_mtime)
        if key in self._images:
            self._images.move_to_end(key)
            return self._images[key]
        image: QImage | None = None
        if stat.st_size <= THUMBNAIL_MAX_FILE:
            reader = QImageReader(path)
            reader.setDecideFormatFromContent(True)  # a PNG named .jpg still reads
            reader.setAutoTransform(True)
            full = reader.size()
            if full.isValid() and full.width() > 0 and full.height() > 0:
                if full.width() > self.size.width() or full.height() > self.size.height():
                    reader.setScaledSize(full.scaled(self.size, Qt.AspectRatioMode.KeepAspectRatio))
                read = reader.read()
                image = None if read.isNull() else read
        self._images[key] = image
        while len(self._images) > self.capacity:
            self._images.popitem(last=False)
        return image


class VoicePlayer(QObject):
    """One player for the pane: playing a note stops the one before. ``changed`` carries a :class:`Playback`."""

    changed = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player: Any = None
        self._output: Any = None
        self.state = Playback()

    def _ensure(self) -> bool:
        if self._player is not None:
            return True
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        except ImportError as exc:  # e.g. libpulse0 missing on Linux
            self.failed.emit(
                self.tr(
                    "Voice notes cannot play in the window on this computer (%1). Use “Open with the system's "
                    "viewer” from the message's menu (right-click)."
                ).replace("%1", str(exc))
            )
            return False
        self._player = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._player.setAudioOutput(self._output)
        self._player.positionChanged.connect(self._publish)
        self._player.durationChanged.connect(self._publish)
        self._player.playbackStateChanged.connect(self._publish)
        self._player.errorOccurred.connect(self._error)
        return True

    def toggle(self, path: str) -> None:
        """Play ``path`` (from where it was paused), or pause it if it is the one playing."""
        if not self._ensure():
            return
        if self.state.path == path:
            if self.state.playing:
                self._player.pause()
            else:
                self._player.play()
            return
        self._player.stop()
        self.state = Playback(path)
        self._player.setSource(QUrl.fromLocalFile(path))
        self._player.play()

    def stop(self) -> None:
        if self._player is not None:
            self._player.stop()
            self._player.setSource(QUrl())
        self.state = Playback()
        self.changed.emit(self.state)

    def close(self) -> None:
        """Stop and release the player before the application ends (a player still playing while Python shuts
        down crashes PySide 6.10's finalization)."""
        if self._player is None:
            return
        player, output = self._player, self._output
        self._player = self._output = None
        player.stop()
        player.setSource(QUrl())
        for signal in (
            player.positionChanged,
            player.durationChanged,
            player.playbackStateChanged,
            player.errorOccurred,
        ):
            signal.disconnect()
        shiboken6.delete(player)
        shiboken6.delete(output)
        self.state = Playback()

    def _publish(self, *_: Any) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        player = self._player
        if player is None:  # a signal queued before close()
            return
        playing = player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
        position = player.position()
        if player.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia:
            position = 0  # a finished note starts again from the beginning
        self.state = Playback(self.state.path, playing, position, max(0, player.duration()))
        self.changed.emit(self.state)

    def _error(self, _error: Any, message: str) -> None:
        path = self.state.path
        self.stop()
        self.failed.emit(
            self.tr("This voice note could not be played (%1): %2")
            .replace("%1", Path(path).name)
            .replace("%2", message)
        )
