"""End to end against a real Secret Service: gnome-keyring-daemon, started and unlocked in a private D-Bus session.

The pytest process has no session bus, so the checks run in a subprocess under ``dbus-run-session``
(tests/support/secret_service_check.py). Without dbus-run-session or gnome-keyring-daemon this is skipped locally
and fails in CI (CI=true), like the PostgreSQL tests; ``.ci/run`` installs them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = ("dbus-run-session", "gnome-keyring-daemon")

# Unlock (creating it on first use) the "login" keyring with the password on stdin, export whatever the daemon
# prints (VAR=value lines; nothing for the secrets component alone), then run the checks in the same session.
SCRIPT = """
set -e
out=$(printf '%s' "$MW_KEYRING_PASSWORD" | "$MW_GNOME_KEYRING_DAEMON" --unlock --components=secrets)
unset MW_KEYRING_PASSWORD
set -a
eval "$out"
set +a
exec "$MW_PYTHON" -m tests.support.secret_service_check "$MW_WORK"
"""


def programs() -> dict[str, str]:
    found = {name: shutil.which(name) for name in PROGRAMS}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        message = f"no {' or '.join(missing)}: install gnome-keyring and dbus-daemon (.ci/run does)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Secret Service test: {message}")
        pytest.skip(message)
    return {name: str(path) for name, path in found.items()}


def test_secrets_in_a_real_gnome_keyring(tmp_path: Path) -> None:
    found = programs()
    # Imported here: the helper needs secretstorage, which keyring installs on Linux only.
    from tests.support.secret_service_check import API_HASH_VALUE, LOGIN, SESSION_VALUE

    home, data, config, cache, runtime, work = (
        tmp_path / name for name in ("home", "data", "config", "cache", "runtime", "work")
    )
    for folder in (home, data, config, cache, runtime, work):
        folder.mkdir(mode=0o700)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "XDG_DATA_HOME": str(data),
        "XDG_CONFIG_HOME": str(config),
        "XDG_CACHE_HOME": str(cache),
        "XDG_RUNTIME_DIR": str(runtime),
        "MW_KEYRING_PASSWORD": "test-login-password",
        "MW_GNOME_KEYRING_DAEMON": found["gnome-keyring-daemon"],
        "MW_PYTHON": sys.executable,
        "MW_WORK": str(work),
    }
    result = subprocess.run(
        [found["dbus-run-session"], "--", "sh", "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 0, output
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["backend"] == "keyring.backends.SecretService.Keyring", output  # not the "no usable backend" path
    assert LOGIN in seen["collections"], output
    assert seen["read_back"] == SESSION_VALUE
    assert seen["items_in_login"] == 1  # an item of the daemon's login collection, seen through secretstorage
    assert seen["second_store"] == [SESSION_VALUE, API_HASH_VALUE]
    assert seen["other_database"] == [None, None]
    assert seen["default_backend_read"] == SESSION_VALUE, output
    assert seen["deleted"] is True and seen["deleted_again"] is False
    assert seen["after_delete"] == [None, None, 0]
    # The keyring lived in tmp_path, as a file encrypted with the login password.
    assert (data / "keyrings" / "login.keyring").is_file(), output
