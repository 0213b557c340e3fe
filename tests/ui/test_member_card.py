"""The member's card above the conversation: shown for an inquiry with a member, hidden otherwise, members' text
kept plain and isolated, lines following the layout direction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from moderator_app.domain.conversation import MemberCard, PreviousInquiry
from moderator_app.domain.events import MembershipKind, MembershipRecord, MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.inbox import InboxEntry
from moderator_app.store.conversation import ConversationRepository
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.store.repositories import InquiryRepository
from moderator_app.ui.conversation import ConversationPanel
from moderator_app.ui.delegates import isolate
from moderator_app.ui.member_card import MemberCardWidget
from tests.conftest import TORONTO
from tests.support.conversation_access import FakeConversation

OCT = datetime(2026, 10, 14, 16, 0, tzinfo=UTC)  # 12:00 in Toronto
ARABIC_NAME = "أمل حداد"


def _entry(member: str | None = ARABIC_NAME, entry_id: int = 1) -> InboxEntry:
    return InboxEntry(
        id=entry_id,
        source="Newcomers Ottawa",
        member=member,
        text="Where do I get a health card?",
        media_kind=None,
        state="open",
        language="en",
        topic="health",
        arrival=OCT + timedelta(days=20),
        due=OCT + timedelta(days=21),
        first_response=None,
        source_id=1,
        chat_id=1500,
        question_id=10,
    )


def _card(**changes: Any) -> MemberCard:
    values: dict[str, Any] = {
        "name": ARABIC_NAME,
        "username": "amal_h",
        "telegram_id": 7,
        "private": False,
        "joined_at": datetime(2026, 9, 12, 18, 0, tzinfo=UTC),
        "joined_via": "link",
        "first_seen": False,
        "left_at": None,
        "removed": False,
        "inquiries_total": 2,
        "previous": (
            PreviousInquiry(2, OCT, "Newcomers Ottawa", "answered", "Is the food bank open on Saturday?"),
            PreviousInquiry(1, datetime(2025, 12, 1, 15, 0, tzinfo=UTC), "Private messages", "open", "كيف أجدد؟"),
        ),
    }
    values.update(changes)
    return MemberCard(**values)


def _panel(qtbot: Any, member_card: Any = None, **kwargs: Any) -> ConversationPanel:
    access = FakeConversation(card=member_card) if member_card is not None else FakeConversation()
    panel = ConversationPanel(TORONTO, access, lambda entry, action: None, **kwargs)
    qtbot.addWidget(panel)
    panel.resize(420, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_the_panel_shows_the_card_of_the_inquirys_member(qtbot: Any) -> None:
    cards: dict[int, MemberCard | None] = {1: _card(), 2: None}
    asked: list[int] = []

    def member_card(entry: InboxEntry) -> MemberCard | None:
        asked.append(entry.id)
        return cards[entry.id]

    panel = _panel(qtbot, member_card)
    card = panel.card
    assert not card.isVisible()  # nothing selected yet
    layout = panel.layout()
    # Header, the "why an inquiry" line, the card, then the thread.
    assert layout.indexOf(panel.header) + 2 == layout.indexOf(panel.why) + 1 == layout.indexOf(card)
    assert layout.indexOf(card) == layout.indexOf(panel.splitter) - 1  # the thread (and the reply) below

    panel.show_entry(_entry())
    assert card.isVisible() and asked == [1]
    assert card.lines() == [
        f"{ARABIC_NAME} {isolate('@amal_h')}",
        "Joined 12 Sep 2026 (by link)",
        "2 other inquiries",
        f"14 Oct · {isolate('Newcomers Ottawa')} · answered — {isolate('Is the food bank open on Saturday?')}",
        f"1 Dec 2025 · {isolate('Private messages')} · open — {isolate('كيف أجدد؟')}",
    ]
    # Members' text is plain text only: a name that looks like markup is shown as typed.
    labels = card.findChildren(QLabel)
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    assert card.accessibleName() and all(label.accessibleName() for label in labels)
    assert card.name.font().bold() and not card.membership.font().bold()

    # A reload (new messages arrived) asks again: the member left in the meantime.
    cards[1] = _card(left_at=datetime(2026, 11, 3, 15, 0, tzinfo=UTC), inquiries_total=0, previous=(), username=None)
    panel.reload()
    assert asked == [1, 1]
    assert card.lines() == [ARABIC_NAME, "Left on 3 Nov 2026", "No other inquiry"]
    assert not card.username.isVisible() and not any(label.isVisible() for label in card.previous)

    # An inquiry with no member, then no inquiry at all: no card.
    panel.show_entry(_entry(None, entry_id=2))
    assert not card.isVisible() and asked == [1, 1, 2]
    panel.show_entry(_entry())
    assert card.isVisible()
    panel.show_entry(None)
    assert not card.isVisible() and asked == [1, 1, 2, 1]


def test_without_a_card_source_the_panel_shows_none(qtbot: Any) -> None:
    panel = _panel(qtbot)
    panel.show_entry(_entry())
    assert not panel.card.isVisible()
    assert panel.header.text().startswith(isolate(ARABIC_NAME))


def test_membership_lines(qtbot: Any) -> None:
    widget = MemberCardWidget(TORONTO)
    qtbot.addWidget(widget)
    sept = datetime(2026, 9, 12, 3, 30, tzinfo=UTC)  # still 11 Sep in Toronto
    assert widget.membership_line(_card(joined_at=sept)) == "Joined 11 Sep 2026 (by link)"
    assert widget.membership_line(_card(joined_via="request")) == "Joined 12 Sep 2026 (join request approved)"
    assert widget.membership_line(_card(joined_via=None)) == "Joined 12 Sep 2026"
    assert widget.membership_line(_card(joined_via=None, first_seen=True)) == "First seen 12 Sep 2026"
    assert widget.membership_line(_card(left_at=OCT, removed=True)) == "Removed on 14 Oct 2026"
    assert widget.membership_line(_card(joined_at=None, joined_via=None)) == "No join on record"
    assert widget.membership_line(_card(private=True, joined_at=None)) == "Private chat: no group membership"
    assert widget.history_line(_card(inquiries_total=1)) == "1 other inquiry"
    row = PreviousInquiry(3, OCT, "Newcomers Ottawa", "member_answered", "")
    assert widget.previous_line(row) == f"14 Oct 2026 · {isolate('Newcomers Ottawa')} · member answered — (no text)"
    widget.set_card(_card(name="<b>Amal</b>"))
    assert widget.name.text() == "<b>Amal</b>" and widget.name.textFormat() == Qt.TextFormat.PlainText


def _inked(label: QLabel) -> tuple[int, int]:
    """The leftmost and rightmost columns the label's text is drawn in."""
    image = label.grab().toImage()
    background = image.pixelColor(0, 0)
    columns = [
        x
        for x in range(image.width())
        if any(image.pixelColor(x, y) != background for y in range(0, image.height(), 2))
    ]
    assert columns, label.accessibleName()
    return columns[0], columns[-1]


def test_lines_follow_the_layout_direction(qtbot: Any) -> None:
    """English lines and an Arabic name sit on the same side: the layout's (a plain label would put each on
    its own text's side)."""
    for direction in (Qt.LayoutDirection.LeftToRight, Qt.LayoutDirection.RightToLeft):
        QApplication.setLayoutDirection(direction)
        try:
            widget = MemberCardWidget(TORONTO)
            qtbot.addWidget(widget)
            widget.set_card(_card(previous=()))
            widget.resize(500, 120)
            widget.show()
            qtbot.waitExposed(widget)
            for label in (widget.name, widget.membership, widget.history):
                left, right = _inked(label)
                ink = label.geometry().left() + (left + right) // 2  # in the card's coordinates
                on_the_right = ink > widget.width() // 2
                assert on_the_right == (direction == Qt.LayoutDirection.RightToLeft), label.text()
            # The name comes first: rightmost in a right-to-left layout, leftmost in a left-to-right one.
            name, username = widget.name.geometry().left(), widget.username.geometry().left()
            assert (name > username) == (direction == Qt.LayoutDirection.RightToLeft)
        finally:
            QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    # A window that changes direction while open takes its card along.
    widget = MemberCardWidget(TORONTO)
    qtbot.addWidget(widget)
    assert widget.history.alignment() & Qt.AlignmentFlag.AlignLeft
    widget.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    assert widget.history.alignment() & Qt.AlignmentFlag.AlignRight


def test_the_card_from_the_log(qtbot: Any, sqlite_db: Database) -> None:
    """The panel wired to the repository, as the window wires it: a member who joined by link, with an
    earlier inquiry in the same group."""
    live = LiveLog(sqlite_db)
    group = live.source(SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup"))
    amal = Peer("user", 7, ARABIC_NAME)
    joined = datetime(2026, 9, 12, 15, 0, tzinfo=UTC)
    live.membership(group, MembershipRecord(MembershipKind.JOINED, joined, amal, amal.name, amal, "link", "1500:1:0"))
    live.record(group, MessageRecord(1500, 2, OCT, amal, "Is the food bank open on Saturday?"))
    live.record(group, MessageRecord(1500, 3, OCT + timedelta(days=1), amal, "Where do I get a health card?"))
    live.commit()
    entry = next(e for e in InquiryRepository(sqlite_db).inbox() if e.question_id == 3)
    panel = _panel(qtbot, ConversationRepository(sqlite_db).member_card)
    panel.show_entry(entry)
    assert panel.card.isVisible()
    assert panel.card.lines() == [
        ARABIC_NAME,
        "Joined 12 Sep 2026 (by link)",
        "1 other inquiry",
        f"14 Oct · {isolate('Newcomers Ottawa')} · open — {isolate('Is the food bank open on Saturday?')}",
    ]
