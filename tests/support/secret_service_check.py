"""Run inside a D-Bus session with gnome-keyring-daemon started and unlocked (see
tests/store/test_secrets_secret_service.py): SecretStore over real SQLite logs and the real Secret Service backend.

Usage: python -m tests.support.secret_service_check WORK_DIR. Checks everything itself (exit code 1 and a message on
stderr when something is wrong) and prints what it saw as one JSON object on stdout.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import closing
from pathlib import Path

import secretstorage
from keyring.backends import SecretService

from moderator_app.store.db import open_database
from moderator_app.store.keyring_backends import SERVICE, is_encrypting
from moderator_app.store.secrets import API_HASH, SESSION, SecretStore

LOGIN = "/org/freedesktop/secrets/collection/login"
SESSION_VALUE = "1BVtsOK4Bu-real-secret-service-session"
API_HASH_VALUE = "fedcba9876543210fedcba9876543210"


class CheckFailed(Exception):
    pass


def check(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def wait_for_secret_service(seconds: float = 5.0) -> None:
    """gnome-keyring-daemon forks into the background: wait until it owns org.freedesktop.secrets."""
    deadline = time.monotonic() + seconds
    while True:
        with closing(secretstorage.dbus_init()) as connection:
            if secretstorage.check_service_availability(connection):
                return
        check(time.monotonic() < deadline, "org.freedesktop.secrets did not appear on the session bus")
        time.sleep(0.05)


def items_in_login(key: str) -> int:
    """How many items the Secret Service itself holds for this account (not through keyring)."""
    with closing(secretstorage.dbus_init()) as connection:
        login = secretstorage.Collection(connection, LOGIN)
        return len(list(login.search_items({"service": SERVICE, "username": key})))


def run(work: Path) -> dict[str, object]:
    wait_for_secret_service()
    with closing(secretstorage.dbus_init()) as connection:
        collections = {c.collection_path: c.is_locked() for c in secretstorage.get_all_collections(connection)}
    # `gnome-keyring-daemon --unlock` with a password on stdin creates the "login" keyring and leaves it unlocked;
    # a locked one would need a prompt nobody can answer here.
    check(collections.get(LOGIN) is False, f"no unlocked login collection: {collections}")

    backend = SecretService.Keyring()
    backend.preferred_collection = LOGIN
    check(backend.priority > 0, "keyring says the Secret Service backend is not viable")

    first_db = open_database(data_dir=work / "one")
    other_db = open_database(data_dir=work / "two")
    seen: dict[str, object] = {"collections": sorted(collections)}
    try:
        store = SecretStore(first_db, backend)
        seen["backend"] = f"{type(store.backend).__module__}.{type(store.backend).__qualname__}"
        check(type(store.backend) is SecretService.Keyring, f"backend is {seen['backend']}")
        encrypts = store.backend is not None and is_encrypting(store.backend)
        check(encrypts, "the Secret Service backend is not taken for one that encrypts")
        key = f"{store.log_id}:{SESSION}"

        check(store.get(SESSION) is None, "a fresh log already has a session")
        store.set(SESSION, SESSION_VALUE)
        store.set(API_HASH, API_HASH_VALUE)
        seen["read_back"] = store.get(SESSION)
        check(seen["read_back"] == SESSION_VALUE, f"read back {seen['read_back']!r}")
        seen["items_in_login"] = items_in_login(key)
        check(seen["items_in_login"] == 1, "the secret is not an item of the login collection")

        again = SecretStore(first_db, backend)  # same log, new store: the log id comes from the database
        check(again.log_id == store.log_id, "the log id changed between two stores on one database")
        seen["second_store"] = [again.get(SESSION), again.get(API_HASH)]
        check(seen["second_store"] == [SESSION_VALUE, API_HASH_VALUE], "a second store on the database differs")

        other = SecretStore(other_db, backend)
        check(other.log_id != store.log_id, "two databases share a log id")
        seen["other_database"] = [other.get(SESSION), other.get(API_HASH)]
        check(seen["other_database"] == [None, None], "another database sees the secrets")

        default = SecretStore(first_db)  # what the app does: keyring.get_keyring() picks the backend
        seen["default_backend"] = f"{type(default.backend).__module__}.{type(default.backend).__qualname__}"
        seen["default_backend_read"] = default.get(SESSION)
        check(seen["default_backend_read"] == SESSION_VALUE, f"{seen['default_backend']} does not see the session")

        seen["deleted"] = store.delete(SESSION)
        check(seen["deleted"] is True, "delete said there was nothing to delete")
        seen["after_delete"] = [store.get(SESSION), again.get(SESSION), items_in_login(key)]
        check(seen["after_delete"] == [None, None, 0], f"the session is still there after delete: {seen}")
        seen["deleted_again"] = store.delete(SESSION)
        check(seen["deleted_again"] is False, "a second delete found something")
        check(store.get(API_HASH) == API_HASH_VALUE, "deleting the session removed the API hash")
        check(store.delete(API_HASH), "the API hash could not be deleted")
    finally:
        first_db.close()
        other_db.close()
    return seen


def main(argv: list[str]) -> int:
    try:
        report = run(Path(argv[1]))
    except CheckFailed as exc:
        print(f"secret service check failed: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
