"""Member reports read from the log: the messages the rules gave the role "report", the message each replies
to, and what a moderator decided (report_decisions). Nothing is written at ingestion: a report is its message,
so an import, the connector and re-deriving the log all agree on what is one."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from moderator_app.domain.inquiries import Role
from moderator_app.domain.language import detect_language
from moderator_app.domain.reports import MemberReport, ReportState, report_reason
from moderator_app.store.db import Database
from moderator_app.store.models import Member, Message, ModeratorProfile, ReportDecision, Source
from moderator_app.store.repositories import now_utc

#: Open reports older than this are history (an import's), not work: the window lists the recent ones.
RECENT = timedelta(days=30)


class ReportRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def reports(self, *, open_only: bool = True, since: datetime | None = None) -> list[MemberReport]:
        """Reports since ``since`` (default: the last 30 days), newest first; ``open_only``: those no moderator
        has decided yet."""
        since = since if since is not None else now_utc() - RECENT
        reported = aliased(Message)
        reporter = aliased(Member)
        author = aliased(Member)
        query = (
            select(
                Message.id,
                Message.source_id,
                Source.name,
                Message.chat_id,
                Message.date,
                reporter.display_name,
                Message.text,
                Message.reply_to,
                reported.text,
                author.display_name,
                reported.sender_id,
                reported.deleted_at,
                ReportDecision.state,
                ModeratorProfile.name,
                ReportDecision.action,
            )
            .join(Source, Source.id == Message.source_id)
            .outerjoin(reporter, reporter.id == Message.sender_id)
            .outerjoin(
                reported,
                and_(
                    reported.source_id == Message.source_id,
                    reported.chat_id == Message.chat_id,
                    reported.telegram_id == Message.reply_to,
                ),
            )
            .outerjoin(author, author.id == reported.sender_id)
            .outerjoin(ReportDecision, ReportDecision.message_id == Message.id)
            .outerjoin(ModeratorProfile, ModeratorProfile.id == ReportDecision.profile_id)
            .where(Message.role == Role.REPORT.value, Message.date >= since)
            .order_by(Message.date.desc(), Message.id.desc())
        )
        if open_only:
            query = query.where(ReportDecision.state.is_(None))
        with self.db.engine.connect() as connection:
            rows = connection.execute(query).all()
        reports = []
        for row in rows:
            reported_text = row[8] or ""
            reports.append(
                MemberReport(
                    id=row[0],
                    source_id=row[1],
                    source=row[2],
                    chat_id=row[3],
                    at=row[4],
                    reporter=row[5] or "",
                    reason=report_reason(row[6], row[7] is not None) or "",
                    reported_id=row[7],
                    reported_text=reported_text,
                    reported_member=row[9] or "",
                    reported_member_id=row[10],
                    reported_deleted=row[11] is not None,
                    language=detect_language(reported_text) if reported_text else "und",
                    state=ReportState(row[12]) if row[12] else ReportState.OPEN,
                    decided_by=row[13] or "",
                    action=row[14] or "",
                )
            )
        return reports

    def open_count(self) -> int:
        with self.db.engine.connect() as connection:
            return int(
                connection.scalar(
                    select(func.count())
                    .select_from(Message)
                    .outerjoin(ReportDecision, ReportDecision.message_id == Message.id)
                    .where(
                        Message.role == Role.REPORT.value,
                        Message.date >= now_utc() - RECENT,
                        ReportDecision.state.is_(None),
                    )
                )
                or 0
            )

    def decide(self, report_id: int, state: ReportState, action: str = "", profile_id: int | None = None) -> None:
        """Dismissed, or acted on (``action``: the moderation kind). A second decision replaces the first."""
        if state is ReportState.OPEN:
            raise ValueError("A report is decided as dismissed or acted on.")
        with self.db.sessions.begin() as session:
            message = session.get(Message, report_id)
            if message is None or message.role != Role.REPORT.value:
                raise ValueError("This report is no longer in the log.")
            row = session.get(ReportDecision, report_id)
            if row is None:
                session.add(
                    ReportDecision(
                        message_id=report_id, state=state.value, action=action, profile_id=profile_id, at=now_utc()
                    )
                )
            else:
                row.state, row.action, row.profile_id, row.at = state.value, action, profile_id, now_utc()
