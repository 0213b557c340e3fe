"""The shared log's password stays off the command line: --database-url without it, the password from the
system keyring (``database-password``), PGPASSWORD or ~/.pgpass; the address from MODERATOR_DATABASE_URL if
wanted; the password never printed (issue: hardening, item 3)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from moderator_app.cli.main import main
from moderator_app.store.db import open_database, password_from_keyring
from moderator_app.store.keyring_backends import DATABASE_SERVICE, database_key
from moderator_app.store.repositories import StandardRepository
from tests.support.memory_keyring import MemoryKeyring

SECRET = "correct horse battery staple"


def run(*args: str, typed: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err, inp=io.StringIO(typed))
    return code, out.getvalue(), err.getvalue()


def test_the_keyring_supplies_the_password_unless_pgpassword_is_set(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "postgresql+psycopg://moderator@db.example.org/newcomers"
    memory_keyring.set_password(DATABASE_SERVICE, database_key(url), SECRET)
    assert database_key(url) == "moderator@db.example.org:5432/newcomers"
    monkeypatch.delenv("PGPASSWORD", raising=False)
    params: dict[str, Any] = {"user": "moderator"}
    password_from_keyring(url)(None, None, [], params)
    assert params["password"] == SECRET
    monkeypatch.setenv("PGPASSWORD", "from-the-environment")
    params = {"user": "moderator"}
    password_from_keyring(url)(None, None, [], params)
    assert "password" not in params  # the driver reads PGPASSWORD itself


def test_database_password_keeps_it_in_the_keyring_and_never_prints_it(
    memory_keyring: MemoryKeyring, pg_url: str
) -> None:
    bare = make_url(pg_url).set(password=None).render_as_string(hide_password=False)
    code, out, err = run("--database-url", bare, "database-password", typed=SECRET + "\n")
    assert code == 0, err
    assert memory_keyring.get_password(DATABASE_SERVICE, database_key(bare)) == SECRET
    assert "kept in the system keyring" in out and "The server accepts it" in out
    assert SECRET not in out + err
    code, _, err = run("--database-url", bare, "database-password", typed="\n")
    assert code == 1 and "No password given" in err
    with_password = make_url(pg_url).set(password="x").render_as_string(hide_password=False)
    code, _, err = run("--database-url", with_password, "database-password", typed=SECRET + "\n")
    assert code == 1 and "without the password" in err and SECRET not in err


def test_the_address_can_come_from_the_environment(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODERATOR_DATABASE_URL", pg_url)
    code, _, err = run("standard", "set", "--timezone", "Europe/Paris")
    assert code == 0, err
    db = open_database(database_url=pg_url)  # the server's log has it: the command wrote there
    assert StandardRepository(db).global_standard().timezone == "Europe/Paris"
    db.close()
