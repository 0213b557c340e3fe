"""(issue 19, items 7 and 8) A manager on duty sends nothing, whatever way the use case is asked for; the audit
record keeps settings changes, exports, logins and retention runs with the profile and the time, and the
command line reads it back."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import func, select

from moderator_app.cli.main import main
from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.domain.join_requests import PendingRequest
from moderator_app.domain.moderation import ModerationKind, ModerationRequest
from moderator_app.domain.profiles import RoleRefused, may_send
from moderator_app.domain.settings import ON_DUTY
from moderator_app.services.changes import ChangeBus
from moderator_app.services.errors import sentence
from moderator_app.services.roles import LogJoinRequests
from moderator_app.services.safety import SafetyService
from moderator_app.services.standards import StandardsService
from moderator_app.services.window_access import LogModeration, LogOutbox, LogProfiles, LogWelcome
from moderator_app.store.audit import AuditRepository
from moderator_app.store.db import Database, open_database
from moderator_app.store.models import OutboxItem
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import SettingsRepository, SourceRepository
from tests.conftest import toronto_standard

GROUP = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")


def _outbox_rows(db: Database) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxItem)) or 0)


def test_roles_that_send() -> None:
    assert may_send("moderator") and may_send("backup") and may_send(None)
    assert not may_send("manager")


def test_a_manager_on_duty_is_refused_whatever_would_send(sqlite_db: Database) -> None:
    db = sqlite_db
    source = SourceRepository(db).set_watched(GROUP, True)
    profiles = ProfileRepository(db)
    manager = profiles.add("Mona Manager", "manager")
    moderator = profiles.add("Amal", "moderator")
    requests = LogJoinRequests(db)
    from moderator_app.store.join_requests import JoinRequestRepository

    JoinRequestRepository(db).sync(
        source, [PendingRequest(4242, "Karim", None, datetime(2026, 11, 2, tzinfo=UTC), "new in Ottawa")]
    )
    (pending,) = requests.requests()
    refused: list[BaseException] = []
    for attempt in (
        lambda: requests.decide([pending.id], True, manager.id),
        lambda: requests.send_questions([pending.id], manager.id),
        lambda: LogWelcome(db).welcome([1], manager.id),
        lambda: LogModeration(db, lambda: None).queue(
            ModerationRequest(ModerationKind.WARN, source.id, notice="Please be kind", profile_id=manager.id)
        ),
        # Refused before the inquiry is even looked at.
        lambda: LogOutbox(db, lambda: None).queue_reply(cast(Any, None), "Hello", False, manager.id, None, ()),
    ):
        with pytest.raises(RoleRefused) as refusal:
            attempt()
        refused.append(refusal.value)
    assert _outbox_rows(db) == 0
    assert "Mona Manager is on duty as a manager" in sentence(refused[0])  # said as it is, in the window too
    assert requests.decide([pending.id], True, moderator.id) == 1  # a moderator's goes
    assert _outbox_rows(db) == 1


def test_settings_changes_and_profiles_are_recorded_with_the_profile_on_duty(sqlite_db: Database) -> None:
    db = sqlite_db
    standard = toronto_standard(db)
    amal = LogProfiles(db).add("Amal", "moderator", ("ar", "en"))
    SettingsRepository(db).write(ON_DUTY, amal.id)
    StandardsService(db, ChangeBus()).save(replace(standard, target=timedelta(hours=48)), None)
    StandardsService(db, ChangeBus()).set_answer_window(timedelta(hours=3))
    safety = SafetyService(db, ChangeBus())
    lists = safety.lists()
    lists["self_harm"]["en"].append("no way out")
    safety.save(lists)
    events = list(reversed(AuditRepository(db).entries()))
    assert [(e.action, e.detail.get("setting") or e.detail.get("added")) for e in events] == [
        ("profile", "Amal"),
        ("setting", "service_standard"),
        ("setting", "answer_window"),
        ("setting", "urgent_words"),
    ]
    assert events[0].profile == ""  # nobody was on duty yet
    assert {e.profile for e in events[1:]} == {"Amal"}
    assert events[1].detail["target"] == "2 days, 0:00:00" and events[1].detail["source"] == "all sources"
    # A period: days are [start, end).
    later = datetime.now(UTC) + timedelta(days=1)
    assert AuditRepository(db).entries(later, None) == []
    assert len(AuditRepository(db).entries(None, later)) == 4


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_records_exports_and_retention_and_prints_the_record(tmp_path: Path) -> None:
    where = ["--data-dir", str(tmp_path / "data")]
    db = open_database(data_dir=tmp_path / "data")
    try:
        toronto_standard(db)
        mona = ProfileRepository(db).add("Mona", "manager")
        SettingsRepository(db).write(ON_DUTY, mona.id)  # on duty at this workstation (the window chose her)
    finally:
        db.close()
    report = tmp_path / "october.xlsx"
    code, _, err = run(*where, "report", "--from", "2026-10", "--to", "2026-10", "--output", str(report))
    assert code == 0, err
    code, _, err = run(*where, "library", "export", str(tmp_path / "answers.yaml"))
    assert code == 0, err
    code, out, err = run(*where, "retention")
    assert code == 0 and "Retention: off" in out
    code, out, err = run(*where, "retention", "--apply")
    assert code == 1 and "Retention is off" in err
    code, out, err = run(*where, "retention", "--months", "500")
    assert code == 1 and "1 to 240 months" in err
    code, out, err = run(*where, "retention", "--months", "12")
    assert code == 0 and "Retention: 12 months" in out and "No message before" in out
    code, out, err = run(*where, "retention", "--apply")
    assert code == 0 and "Text removed from 0 messages" in out
    code, out, err = run(*where, "report", "--from", "2026-13", "--to", "2026-10", "--output", str(report))
    assert code != 0  # a refused export is no export

    code, out, err = run(*where, "audit")
    assert code == 0, err
    lines = [line.split("\t") for line in out.splitlines()]
    assert [(who, action) for _, who, action, _ in lines] == [
        ("Mona", "export"),
        ("Mona", "export"),
        ("Mona", "setting"),
        ("Mona", "retention"),
    ]
    assert f"what: report; from: 2026-10; to: 2026-10; path: {report}" == lines[0][3]
    assert lines[1][3].startswith("what: library; path: ")
    assert lines[2][3] == "setting: retention; from: off; to: 12; via: command line"
    assert "months: 12" in lines[3][3] and "via: command line" in lines[3][3]
    code, out, _ = run(*where, "audit", "--from", "2000-01-01", "--to", "2000-01-31")
    assert code == 0 and out.strip() == "The audit record has no events from 2000-01-01 to 2000-01-31."
    code, _, err = run(*where, "audit", "--from", "2026-02-02", "--to", "2026-01-01")
    assert code == 1 and "is before" in err
