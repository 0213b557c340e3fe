"""A member whose join request was approved joins with a "joined by request" service message, which Telethon's
ChatAction event leaves out: the connector must still store it, so the join is counted (Table 7)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from fake_telegram import FakeTelegram
from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.domain.statistics import Month
from moderator_app.store.db import Database
from moderator_app.store.models import MembershipEvent
from moderator_app.store.repositories import SourceRepository
from moderator_app.store.statistics import StatisticsService
from moderator_app.telegram.client import ConnectionSettings
from tests.telegram.conftest import connected, log_in, start_connector, wait_until


def _joins(db: Database) -> list[tuple[str, str | None]]:
    with db.sessions() as session:
        return [
            (e.member_name, e.via)
            for e in session.scalars(select(MembershipEvent).where(MembershipEvent.kind == "joined"))
        ]


def test_a_join_by_request_is_stored_live_and_counted(
    db: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    amal, reza = world.add_user("Amal", "H"), world.add_user("رضا", "کریمی")
    group = world.add_supergroup("Newcomers Ottawa", members=[amal])
    log_in(db, world, connection)
    SourceRepository(db).set_watched(SourceRef(SourceKind.GROUP, group, "Newcomers Ottawa", "supergroup"), True)
    running = start_connector(db, connection, tmp_path)
    try:
        wait_until(lambda: connected(running))
        world.request_join(group, reza)
        world.join(group, reza, how="request")  # approved (from a phone)
        wait_until(lambda: _joins(db) == [("رضا کریمی", "request")], what="the join by request")
    finally:
        running.stop()
    toronto = ZoneInfo("America/Toronto")
    month = Month.of(datetime.now(UTC), toronto)
    assert StatisticsService(db).report(month, month, toronto).get(month, "Newcomers Ottawa", "members_joined") == 1
