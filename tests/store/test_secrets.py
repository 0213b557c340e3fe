"""Secrets go to the keyring, per log, and never anywhere else."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backends.fail import Keyring as FailKeyring

from moderator_app.store.db import DB_FILE, open_database
from moderator_app.store.secrets import API_HASH, SESSION, SecretStore, SecretStoreUnavailable
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
