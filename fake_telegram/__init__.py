"""A local, in-process fake Telegram that speaks real MTProto, for testing the connector with Telethon.

Typical use::

    world = FakeTelegram()
    world.add_app(API_ID, API_HASH)
    account = world.add_account("+15550100", "Help desk")
    with running_server(world) as address:
        telethon.crypto.rsa.add_key(public_key_pem(), old=False)
        client = TelegramClient(StringSession(), API_ID, API_HASH)
        client.session.set_dc(address.dc_id, address.host, address.port)
        ...

See ``world.py`` for the world API and how ids map to Telethon's peer ids, and ``simulation.py`` for the
simulated settlement organization (months of history, live traffic) behind the demo mode.
"""

from fake_telegram.keys import public_key_pem
from fake_telegram.server import FakeTelegramServer, ServerAddress, running_server, serve
from fake_telegram.world import FakeTelegram, RpcFailure

__all__ = [
    "FakeTelegram",
    "FakeTelegramServer",
    "RpcFailure",
    "ServerAddress",
    "public_key_pem",
    "running_server",
    "serve",
]
