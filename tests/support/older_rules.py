"""A log written under older rules, for the tests that re-derive it (rederive) or remove its text (retention):
the Toronto standard, staff account 99, and an ingestor that can be given an older detector."""

from __future__ import annotations

from typing import Any

from moderator_app.domain.asking import InquiryDetector, Verdict
from moderator_app.domain.questions import has_question_mark
from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.store.db import Database
from moderator_app.store.ingest import Ingestor
from moderator_app.store.months import month_keyer
from moderator_app.store.repositories import SettingsRepository, StandardRepository
from tests.conftest import toronto_standard


class QuestionMarksOnly(InquiryDetector):
    """The old rule, roughly: only a question mark asks (no requests, no possible inquiries)."""

    def judge(self, text: str, language: str) -> tuple[Verdict, str]:
        return (Verdict.INQUIRY, "question mark") if has_question_mark(text) else (Verdict.NONE, "")


def older_ingestor(db: Database, **rules: Any) -> Ingestor:
    """The log with the Toronto standard and staff account 99, and an ingestor writing to it (``rules``: an
    older detector, answer window...)."""
    toronto_standard(db)
    SettingsRepository(db).add_staff([99])
    return Ingestor(
        db,
        staff=frozenset({99}),
        matcher=ReferralMatcher([]),
        clocks=StandardRepository(db).clocks(),
        month_of=month_keyer(db),
        **rules,
    )
