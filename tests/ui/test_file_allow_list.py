"""What the system's viewer may open of a member's file: an allow list by name, checked against the content;
everything else is "Save a copy as…" only (issue: hardening, item 2)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from moderator_app.ui.media import may_open


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
DOCM = _zip({"[Content_Types].xml": b"<Types/>", "word/vbaProject.bin": b"\x00macro"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
ODT_MACRO = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "Basic/Standard/Module1.xml": b"Sub"})
JPEG = b"\xff\xd8\xff\xe0" + bytes(64)
PDF = b"%PDF-1.7\n" + bytes(64)
EXE = b"MZ" + bytes(64)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("letter.jpg", JPEG),
        ("scan.PNG", b"\x89PNG\r\n\x1a\n" + bytes(16)),
        ("lease.pdf", PDF),
        ("voice.ogg", b"OggS" + bytes(16)),
        ("clip.mp4", bytes(4) + b"ftypisom" + bytes(8)),
        ("form.docx", DOCX),
        ("form.odt", ODT),
        ("notes.txt", "مرحبا — hello".encode()),
    ],
)
def test_images_sound_video_pdf_text_and_plain_documents_open(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert may_open(str(path))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # Types the old block list missed, whatever they hold.
        *(
            (f"file{suffix}", PDF)
            for suffix in (".pif", ".cpl", ".reg", ".url", ".chm", ".iso", ".pyw", ".terminal", ".fileloc", ".html")
        ),
        ("report.exe ", PDF),  # a trailing space: Windows drops it and runs the program
        ("report.pdf ", PDF),
        ("invoice.pdf", EXE),  # the name says PDF, the content is a program
        ("photo.jpg", DOCX),
        ("letter.docm", DOCM),
        ("letter.docx", DOCM),  # macros under a plain document's name
        ("form.odt", ODT_MACRO),
        ("notes.txt", EXE),  # a program called text
        ("noname", PDF),
    ],
)
def test_anything_else_is_not_opened(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert not may_open(str(path))


def test_a_missing_file_is_not_opened(tmp_path: Path) -> None:
    assert not may_open(str(tmp_path / "gone.pdf"))
