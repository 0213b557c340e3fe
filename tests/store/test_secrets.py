"""Secrets go to the keyring, per log, and never anywhere else."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
from keyring.backends.fail import Keyring as FailKeyring
from keyring.errors import PasswordDeleteError

from moderator_app.store.db import DB_FILE, open_database
from moderator_app.store.keyring_backends import SecretStoreUnavailable
from moderator_app.store.secrets import API_HASH, SESSION, SecretStore
from tests.support.memory_keyring import MemoryKeyring


def test_secrets_round_trip_per_log_and_never_touch_the_database(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    first = open_database(data_dir=tmp_path / "one")
    second = open_database(data_dir=tmp_path / "two")
    store_one, store_two = SecretStore(first, backend), SecretStore(second, backend)
    store_one.set(SESSION, "1BVtsOK4Bu-session-string")
    store_one.set(API_HASH, "0123456789abcdef0123456789abcdef")
    assert store_one.get(SESSION) == "1BVtsOK4Bu-session-string"
    assert store_two.get(SESSION) is None  # another log, another account in the keyring
    assert SecretStore(first, backend).get(API_HASH) == "0123456789abcdef0123456789abcdef"  # stable id
    assert store_one.delete(SESSION) and not store_one.delete(SESSION)
    assert store_one.get(SESSION) is None
    first.close()
    second.close()
    for folder in ("one", "two"):
        for path in (tmp_path / folder).iterdir():
            assert b"0123456789abcdef" not in path.read_bytes(), path.name
    assert (tmp_path / "one" / DB_FILE).exists()


def test_no_keyring_is_said_plainly_and_nothing_is_stored(tmp_path: Path) -> None:
    db = open_database(data_dir=tmp_path)
    store = SecretStore(db, FailKeyring())
    with pytest.raises(SecretStoreUnavailable, match="system keyring") as info:
        store.set(SESSION, "secret")
    assert "Nothing was written in clear" in str(info.value)
    with pytest.raises(SecretStoreUnavailable):
        store.get(SESSION)
    db.close()


class _PlaintextKeyring(KeyringBackend):
    """Shaped like keyrings.alt's PlaintextKeyring: secrets in a file, readable by anyone who opens it."""

    priority = 5  # ranked above the memory keyring, as keyrings.alt's file backends are on a bare Linux

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        with self.path.open("a", encoding="utf-8") as out:
            out.write(f"{service} {username} {password}\n")

    def delete_password(self, service: str, username: str) -> None:
        raise PasswordDeleteError("not found")


_PlaintextKeyring.__module__ = "keyrings.alt.file"


class _Chain(ChainerBackend):
    """keyring's chain of the backends it found, with the ones given (its own lists every backend class)."""

    def __init__(self, members: list[KeyringBackend]) -> None:
        super().__init__()
        self._members = members

    @property
    def backends(self) -> list[KeyringBackend]:  # type: ignore[override]
        return self._members


def test_a_keyring_that_keeps_secrets_in_clear_is_refused_by_name(tmp_path: Path) -> None:
    db = open_database(data_dir=tmp_path / "log")
    plain = tmp_path / "keyring_pass.cfg"
    store = SecretStore(db, _PlaintextKeyring(plain))
    with pytest.raises(SecretStoreUnavailable) as info:
        store.set(SESSION, "1BVtsOK4Bu-session-string")
    message = str(info.value)
    assert "keyrings.alt.file._PlaintextKeyring" in message and "not encrypted" in message
    assert "Nothing was written in clear" in message
    assert not plain.exists()
    db.close()


def test_of_a_chain_the_encrypting_keyring_is_used_even_ranked_below_a_plain_one(tmp_path: Path) -> None:
    db = open_database(data_dir=tmp_path / "log")
    plain, memory = _PlaintextKeyring(tmp_path / "keyring_pass.cfg"), MemoryKeyring()
    store = SecretStore(db, _Chain([plain, memory]))  # keyring's own order: the most preferred first
    store.set(API_HASH, "0123456789abcdef0123456789abcdef")
    assert store.get(API_HASH) == "0123456789abcdef0123456789abcdef"
    assert list(memory.entries.values()) == ["0123456789abcdef0123456789abcdef"]
    assert not (tmp_path / "keyring_pass.cfg").exists()
    db.close()
