"""The organization's examples for the inquiry detector: kept in the log, loaded into its memory.

A moderator's promotion (a possible or dismissed message is an inquiry) and dismissal (an inquiry is not one)
of a group message are each one row, replaced if the moderator changes their mind. The member messages of the
log that staff replied to (revealed inquiries) are examples too, read from the log, not copied.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from moderator_app.domain.asking import InquiryDetector
from moderator_app.domain.events import SourceKind
from moderator_app.domain.examples import Example, ExampleMemory
from moderator_app.domain.inquiries import Detection
from moderator_app.store.db import Database
from moderator_app.store.models import DetectorExample, Inquiry, Message, Source, asked_in

#: The newest revealed inquiries read as examples (the rest of history adds little and costs memory).
REVEALED_EXAMPLES = 5_000


class ExampleRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, inquiry_id: int, asks: bool, at: datetime, profile_id: int | None = None) -> Example | None:
        """Keep a moderator's judgment of a group inquiry's question; None when there is nothing to learn
        (a private chat, where every message asks, or a question without text)."""
        with self.db.sessions() as session, session.begin():
            found = session.execute(
                select(Inquiry.source_id, Inquiry.language, Message.text, Source.kind)
                .join(Source, Source.id == Inquiry.source_id)
                .join(Message, asked_in(Message))
                .where(Inquiry.id == inquiry_id)
            ).first()
            if found is None:
                return None
            source_id, language, text, kind = found
            if kind == SourceKind.PRIVATE.value or not text:
                return None
            origin = "promoted" if asks else "dismissed"
            session.execute(delete(DetectorExample).where(DetectorExample.inquiry_id == inquiry_id))
            session.add(
                DetectorExample(
                    source_id=source_id,
                    inquiry_id=inquiry_id,
                    text=text,
                    language=language,
                    asks=asks,
                    origin=origin,
                    profile_id=profile_id,
                    at=at,
                )
            )
        return Example(text, asks, origin)

    def forget(self, inquiry_id: int) -> Example | None:
        """The judgment recorded for the inquiry, removed (its decision was undone); None when there was none."""
        with self.db.sessions() as session, session.begin():
            row = session.scalars(select(DetectorExample).where(DetectorExample.inquiry_id == inquiry_id)).first()
            if row is None:
                return None
            example = Example(row.text, row.asks, row.origin)
            session.delete(row)
            return example

    def examples(self) -> list[Example]:
        """Revealed inquiries first (oldest to newest), then the moderators' judgments, which win on a tie."""
        with self.db.sessions() as session:
            revealed = session.execute(
                select(Message.text)
                .join(Inquiry, Inquiry.id == Message.inquiry_id)
                .where(
                    Inquiry.detection == Detection.REVEALED.value,
                    Message.telegram_id == Inquiry.question_telegram_id,
                    Message.chat_id == Inquiry.chat_id,
                )
                .order_by(Inquiry.arrival_at.desc())
                .limit(REVEALED_EXAMPLES)
            ).all()
            judged = session.execute(
                select(DetectorExample.text, DetectorExample.asks, DetectorExample.origin).order_by(DetectorExample.at)
            ).all()
        found = [Example(text, True, "staff_reply") for (text,) in reversed(revealed) if text]
        found.extend(Example(text, asks, origin) for text, asks, origin in judged)
        return found

    def detector(self) -> InquiryDetector:
        """The detector with this organization's examples."""
        return InquiryDetector(ExampleMemory(self.examples()))
