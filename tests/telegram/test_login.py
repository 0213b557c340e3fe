"""Login and logout through a real Telethon client against the local MTProto server: every error a person
can cause gets its sentence, and the session reaches the keyring only once Telegram accepted it."""

from __future__ import annotations

import asyncio
import io
import socket
from pathlib import Path

import pytest

from fake_telegram import FakeTelegram, public_key_pem, running_server
from moderator_app.cli.main import main
from moderator_app.store.db import Database
from moderator_app.store.repositories import SettingsRepository
from moderator_app.store.secrets import API_HASH as API_HASH_SECRET
from moderator_app.store.secrets import SESSION, SecretStore
from moderator_app.telegram.client import ConnectionSettings, ServerAddress, make_client
from moderator_app.telegram.errors import Remedy, TelegramProblem
from moderator_app.telegram.login import LoginFlow, LoginStep, log_out
from tests.support.memory_keyring import MemoryKeyring
from tests.telegram.conftest import API_HASH, API_ID, PHONE, log_in


def _flow(db: Database, connection: ConnectionSettings) -> LoginFlow:
    return LoginFlow(SettingsRepository(db), SecretStore(db), connection)


def test_login_with_code_and_each_mistake_on_the_way(
    log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, memory_keyring: MemoryKeyring
) -> None:
    flow = _flow(log, connection)

    async def run() -> None:
        assert await flow.start() is LoginStep.API
        with pytest.raises(TelegramProblem, match="number") as caught:
            await flow.submit_api("12ab", API_HASH)
        assert caught.value.remedy is Remedy.FIX_INPUT and flow.step is LoginStep.API
        # A well-formed id Telegram does not know: refused at the phone step, back to the API step.
        assert await flow.submit_api(999, API_HASH) is LoginStep.PHONE
        with pytest.raises(TelegramProblem, match="API id and API hash"):
            await flow.submit_phone(PHONE)
        assert flow.step is LoginStep.API
        await flow.submit_api(API_ID, API_HASH)
        with pytest.raises(TelegramProblem, match="international format"):
            await flow.submit_phone("+1 555 000 9999")  # nobody's number
        assert flow.step is LoginStep.PHONE
        world.fail("SendCodeRequest", "FLOOD_WAIT_300", 420)
        with pytest.raises(TelegramProblem, match="5 minutes") as caught:
            await flow.submit_phone(PHONE)
        assert caught.value.remedy is Remedy.WAIT
        assert await flow.submit_phone(PHONE) is LoginStep.CODE
        wrong = "00000" if world.login_code(PHONE) != "00000" else "11111"
        with pytest.raises(TelegramProblem, match="not the right one"):
            await flow.submit_code(wrong)
        assert flow.step is LoginStep.CODE
        world.expire_code(PHONE)
        with pytest.raises(TelegramProblem, match="expired"):
            await flow.submit_code(world.login_code(PHONE))
        assert await flow.resend_code() is LoginStep.CODE
        assert not memory_keyring.entries, "nothing stored before Telegram accepted the login"
        assert await flow.submit_code(world.login_code(PHONE)) is LoginStep.DONE
        await flow.close()

    asyncio.run(run())
    assert flow.account is not None and flow.account.user_id == account
    secrets = SecretStore(log)
    assert secrets.get(SESSION) and secrets.get(API_HASH_SECRET) == API_HASH
    assert SettingsRepository(log).staff_ids() == {account}
    assert world.sessions_of(account) == 1
    # A second start finds the session valid.
    again = _flow(log, connection)
    assert asyncio.run(again.start()) is LoginStep.DONE


def test_two_step_password(log: Database, world: FakeTelegram, connection: ConnectionSettings) -> None:
    phone = "+15550002000"
    world.add_account(phone, "Second", password="correct horse")
    flow = _flow(log, connection)

    async def run() -> None:
        await flow.start()
        await flow.submit_api(API_ID, API_HASH)
        await flow.submit_phone(phone)
        assert await flow.submit_code(world.login_code(phone)) is LoginStep.PASSWORD
        with pytest.raises(TelegramProblem, match="password is wrong"):
            await flow.submit_password("battery staple")
        assert flow.step is LoginStep.PASSWORD
        assert await flow.submit_password("correct horse") is LoginStep.DONE
        await flow.close()

    asyncio.run(run())
    assert flow.account is not None and flow.account.name == "Second"


def test_no_network_says_so(log: Database, world: FakeTelegram, tmp_path: Path) -> None:
    key = tmp_path / "server.pem"
    key.write_bytes(public_key_pem())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    connection = ConnectionSettings(ServerAddress("127.0.0.1", closed_port), key)
    flow = LoginFlow(
        SettingsRepository(log),
        SecretStore(log),
        connection,
        client_factory=lambda c, s: make_client(c, s, receive_updates=False, connection_retries=0, retry_delay=0),
    )

    async def run() -> None:
        await flow.submit_api(API_ID, API_HASH)
        with pytest.raises(TelegramProblem, match="cannot be reached") as caught:
            await flow.submit_phone(PHONE)
        assert caught.value.remedy is Remedy.WAIT

    asyncio.run(run())


def test_logout_ends_the_session_on_telegram_and_here(
    log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings
) -> None:
    log_in(log, world, connection)
    assert world.sessions_of(account) == 1
    message = asyncio.run(log_out(SettingsRepository(log), SecretStore(log), connection))
    assert "Logged out" in message
    assert world.sessions_of(account) == 0
    assert SecretStore(log).get(SESSION) is None
    assert SecretStore(log).get(API_HASH_SECRET) == API_HASH  # the organization's API keys stay


def test_cli_login_and_sources(tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    world = FakeTelegram(login_code="24680")
    world.add_app(API_ID, API_HASH)
    account = world.add_account(PHONE, "Help", "Desk")
    amal = world.add_user("Amal", "Haddad")
    group = world.add_supergroup("Newcomers Ottawa", members=[amal])
    channel = world.add_channel("Settlement News")
    key = tmp_path / "server.pem"
    key.write_bytes(public_key_pem())
    data = str(tmp_path / "data")
    with running_server(world) as address:
        server = f"{address.host}:{address.port}:{address.dc_id}"

        def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
            out, err = io.StringIO(), io.StringIO()
            code = main(["--data-dir", data, *args], out, err, io.StringIO(stdin))
            return code, out.getvalue(), err.getvalue()

        code, out, err = run(
            "--telegram-server",
            server,
            "--telegram-rsa-key",
            str(key),
            "login",
            stdin=f"{API_ID}\n{API_HASH}\n{PHONE}\n13579\n24680\n",
        )
        assert code == 0, err
        assert "my.telegram.org" in out and "Logged in as Help Desk" in out
        assert "not the right one" in err  # the wrong code was asked again
        code, out, err = run("sources", "list")  # the server settings were remembered
        assert code == 0, err
        assert f"{group:>14}  group" in out and "Newcomers Ottawa" in out
        assert f"{channel:>14}  channel" in out
        assert run("sources", "watch", "newcomers ottawa")[0] == 0
        assert run("sources", "watch", "Private messages")[0] == 0
        code, out, _ = run("sources", "list")
        assert "watched  Newcomers Ottawa" in out and "watched  Private messages" in out
        code, _, err = run("sources", "watch", "Nope")
        assert code == 1 and "sources list" in err
        assert run("logout")[0] == 0
        assert world.sessions_of(account) == 0
        code, _, err = run("connector")
        assert code == 3 and "moderator-app login" in err
