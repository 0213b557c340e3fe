"""Media files for the simulated organization: voice notes that play and photos that decode.

Telegram's voice notes are Ogg/Opus and its photos JPEG; no encoder for either is at hand in pure Python, so the
simulation sends WAV voice notes (mime type ``audio/wav``: a murmur of syllable-like tones) and PNG photos of a
letter (``image/png``). Both are real files a player or an image viewer opens, deterministic for a seed.
"""

from __future__ import annotations

import io
import math
import random
import struct
import wave
import zlib

VOICE_RATE = 8000  # samples a second, mono 16-bit: 16 kB a second
VOICE_MIME = "audio/wav"
PHOTO_MIME = "image/png"


def voice_note(rng: random.Random, seconds: int) -> bytes:
    """A WAV of ``seconds`` seconds: syllables of a gliding voiced tone (a pitch, two harmonics, an envelope)."""
    total = seconds * VOICE_RATE
    samples = bytearray()
    pitch = rng.uniform(110.0, 230.0)
    while len(samples) // 2 < total:
        length = int(VOICE_RATE * rng.uniform(0.12, 0.35))
        if rng.random() < 0.18:  # a pause between words
            samples += b"\0\0" * length
            continue
        start, end = pitch * rng.uniform(0.9, 1.15), pitch * rng.uniform(0.85, 1.1)
        phase = 0.0
        for i in range(length):
            t = i / length
            frequency = start + (end - start) * t
            phase += 2 * math.pi * frequency / VOICE_RATE
            envelope = math.sin(math.pi * t) ** 2
            value = math.sin(phase) + 0.45 * math.sin(2 * phase) + 0.2 * math.sin(3 * phase)
            samples += struct.pack("<h", int(7000 * envelope * value))
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(VOICE_RATE)
        writer.writeframes(bytes(samples[: total * 2]))
    return out.getvalue()


def letter_photo(rng: random.Random, width: int = 360, height: int = 260) -> bytes:
    """A PNG of a letter on a desk: a white page with a coloured letterhead and grey lines of "text"."""
    desk = (120 + rng.randrange(40), 90 + rng.randrange(30), 60 + rng.randrange(20))
    head = rng.choice([(30, 80, 160), (160, 40, 40), (20, 120, 90)])
    left, top, right, bottom = 40, 16, width - 40, height - 10
    lines = []
    y = top + 46
    while y < bottom - 14:
        lines.append((y, right - rng.randrange(0, 120) if rng.random() < 0.3 else right - 12))
        y += 12 if rng.random() > 0.15 else 24
    rows = bytearray()
    for row in range(height):
        line = bytearray(bytes(desk) * width)
        if top <= row < bottom:
            line[left * 3 : right * 3] = bytes((250, 250, 246)) * (right - left)
            if top + 8 <= row < top + 28:
                line[(left + 12) * 3 : (left + 120) * 3] = bytes(head) * 108
            for line_y, line_end in lines:
                if line_y <= row < line_y + 4:
                    line[(left + 12) * 3 : line_end * 3] = bytes((150, 150, 150)) * (line_end - left - 12)
        rows.append(0)  # PNG filter: none
        rows += line

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )
