"""The Telegram fixtures (local MTProto server, logged-in log, in-memory keyring) for window tests."""

from tests.telegram.conftest import account, connection, log, memory_keyring, world

__all__ = ["account", "connection", "log", "memory_keyring", "world"]
