"""The login, as a state machine the terminal and the GUI's wizard both drive.

Steps: API id and hash → phone number → login code → two-step password (only when the account has one) →
done. Each ``submit_*`` either moves on or raises :class:`TelegramProblem` with a sentence to show, staying on
the step to retry (an API id Telegram refuses sends the flow back to the API step). Nothing reaches the
keyring until Telegram has accepted the login; then the session and API hash go there, never to a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from telethon import TelegramClient, errors
from telethon.tl import types

from moderator_app.store.repositories import SettingsRepository
from moderator_app.store.secrets import SESSION, SecretStore
from moderator_app.telegram.client import (
    ConnectionSettings,
    Credentials,
    SettingsError,
    check_api_credentials,
    make_client,
)
from moderator_app.telegram.errors import Remedy, TelegramProblem, explain


class LoginStep(StrEnum):
    API = "api"
    PHONE = "phone"
    CODE = "code"
    PASSWORD = "password"
    DONE = "done"


@dataclass(frozen=True)
class Account:
    user_id: int
    name: str
    phone: str
    username: str | None


def account_of(me: types.User) -> Account:
    name = " ".join(p for p in (me.first_name, me.last_name) if p) or (me.username or str(me.id))
    return Account(me.id, name, me.phone or "", me.username)


ClientFactory = Callable[[Credentials, ConnectionSettings], TelegramClient]


class LoginFlow:
    def __init__(
        self,
        settings: SettingsRepository,
        secrets: SecretStore,
        connection: ConnectionSettings,
        *,
        client_factory: ClientFactory | None = None,
    ) -> None:
        self.settings = settings
        self.secrets = secrets
        self.connection = connection
        self._factory: ClientFactory = client_factory or (
            lambda credentials, connection: make_client(credentials, connection, receive_updates=False)
        )
        self.step = LoginStep.API
        self.account: Account | None = None
        self.password_hint: str | None = None
        self.code_sent_by: str | None = None  # "app" | "sms" | ..., to tell the person where to look
        self._credentials: Credentials | None = None
        self._client: TelegramClient | None = None
        self._phone: str | None = None
        self._phone_code_hash: str | None = None

    # -- steps -----------------------------------------------------------------------------------------
    async def start(self) -> LoginStep:
        """Where to begin: done if the stored session still works, the phone if the API keys are known."""
        stored = Credentials.load(self.settings, self.secrets)
        if stored is None:
            self.step = LoginStep.API
            return self.step
        self._credentials = Credentials(stored.api_id, stored.api_hash, "")
        if stored.session:
            client = await self._connect(stored)
            try:
                if await client.is_user_authorized():
                    me = await client.get_me()
                    self.account = account_of(me)
                    self.step = LoginStep.DONE
                    await client.disconnect()
                    return self.step
            except errors.RPCError:
                pass  # revoked or unregistered: start over from the phone number
            await client.disconnect()
            self._client = None
        self.step = LoginStep.PHONE
        return self.step

    async def submit_api(self, api_id: str | int, api_hash: str) -> LoginStep:
        try:
            checked_id, checked_hash = check_api_credentials(api_id, api_hash)
        except SettingsError as exc:
            raise TelegramProblem(str(exc), Remedy.FIX_INPUT) from exc
        await self._drop_client()
        self._credentials = Credentials(checked_id, checked_hash, "")
        self.step = LoginStep.PHONE
        return self.step

    async def submit_phone(self, phone: str) -> LoginStep:
        phone = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
        if len(phone.lstrip("+")) < 5:
            raise TelegramProblem(
                "Type the phone number in international format, with the country code (for example +1 613 555 0100).",
                Remedy.FIX_INPUT,
            )
        client = await self._connect(self._need_credentials())
        try:
            sent = await client.send_code_request(phone)
        except (errors.ApiIdInvalidError, errors.ApiIdPublishedFloodError) as exc:
            await self._drop_client()
            self.step = LoginStep.API
            raise explain(exc) from exc
        except Exception as exc:
            raise explain(exc) from exc
        self._phone = phone
        self._phone_code_hash = sent.phone_code_hash
        self.code_sent_by = _code_channel(sent.type)
        self.step = LoginStep.CODE
        return self.step

    async def back(self) -> LoginStep:
        """One step back: from the phone to the API keys; from the code or the password to the phone (a code
        already sent is dropped: the next one is asked for again)."""
        if self.step is LoginStep.PHONE:
            await self._drop_client()
            self.step = LoginStep.API
        elif self.step in (LoginStep.CODE, LoginStep.PASSWORD):
            await self._drop_client()
            self.step = LoginStep.PHONE
        return self.step

    async def resend_code(self) -> LoginStep:
        if self._phone is None:
            self.step = LoginStep.PHONE
            return self.step
        return await self.submit_phone(self._phone)

    async def submit_code(self, code: str) -> LoginStep:
        code = "".join(ch for ch in code if ch.isdigit())
        if not code:
            raise TelegramProblem("Type the login code Telegram sent (digits only).", Remedy.FIX_INPUT)
        client = self._need_client()
        try:
            me = await client.sign_in(self._phone, code, phone_code_hash=self._phone_code_hash)
        except errors.SessionPasswordNeededError:
            try:
                password = await client(_get_password())
                self.password_hint = password.hint or None
            except errors.RPCError:
                self.password_hint = None
            self.step = LoginStep.PASSWORD
            return self.step
        except Exception as exc:
            raise explain(exc) from exc
        return await self._done(client, me)

    async def submit_password(self, password: str) -> LoginStep:
        if not password:
            raise TelegramProblem("Type the account's two-step verification password.", Remedy.FIX_INPUT)
        client = self._need_client()
        try:
            me = await client.sign_in(password=password)
        except Exception as exc:
            raise explain(exc) from exc
        return await self._done(client, me)

    async def close(self) -> None:
        await self._drop_client()

    # -- internals ---------------------------------------------------------------------------------------
    async def _done(self, client: TelegramClient, me: types.User) -> LoginStep:
        credentials = self._need_credentials()
        session = client.session.save()
        Credentials(credentials.api_id, credentials.api_hash, session).save(self.settings, self.secrets)
        self.account = account_of(me)
        self.settings.add_staff([me.id])
        self.step = LoginStep.DONE
        await self._drop_client()
        return self.step

    def _need_credentials(self) -> Credentials:
        if self._credentials is None:
            self.step = LoginStep.API
            raise TelegramProblem("Give the API id and API hash first.", Remedy.FIX_INPUT)
        return self._credentials

    def _need_client(self) -> TelegramClient:
        if self._client is None or self._phone_code_hash is None:
            self.step = LoginStep.PHONE
            raise TelegramProblem("Give the phone number first, to receive a login code.", Remedy.FIX_INPUT)
        return self._client

    async def _connect(self, credentials: Credentials) -> TelegramClient:
        if self._client is not None:
            return self._client
        try:
            client = self._factory(credentials, self.connection)
        except SettingsError as exc:
            raise TelegramProblem(str(exc), Remedy.FIX_INPUT) from exc
        try:
            await client.connect()
        except Exception as exc:
            raise explain(exc) from exc
        self._client = client
        return client

    async def _drop_client(self) -> None:
        client, self._client = self._client, None
        self._phone_code_hash = None
        if client is not None:
            await client.disconnect()


def _get_password() -> object:
    from telethon.tl.functions.account import GetPasswordRequest

    return GetPasswordRequest()


def _code_channel(kind: object) -> str:
    return {
        types.auth.SentCodeTypeApp: "app",
        types.auth.SentCodeTypeSms: "sms",
        types.auth.SentCodeTypeCall: "call",
        types.auth.SentCodeTypeFlashCall: "call",
        types.auth.SentCodeTypeEmailCode: "email",
    }.get(type(kind), "app")


async def log_out(
    settings: SettingsRepository,
    secrets: SecretStore,
    connection: ConnectionSettings,
    *,
    client_factory: ClientFactory | None = None,
) -> str:
    """End the session on Telegram's side, then forget it here; returns what happened, in a sentence.

    Offline, the session is still forgotten here (that is what the person asked for) and the sentence says
    how to end it from another device.
    """
    credentials = Credentials.load(settings, secrets)
    if credentials is None or not credentials.session:
        secrets.delete(SESSION)
        return "No Telegram session is stored for this log; nothing to log out."
    factory: ClientFactory = client_factory or (
        lambda c, s: make_client(c, s, receive_updates=False)  # no updates needed to log out
    )
    client = factory(credentials, connection)
    ended_remotely = False
    reason = ""
    try:
        await client.connect()
        ended_remotely = bool(await client.log_out())
    except errors.RPCError as exc:
        problem = explain(exc)
        ended_remotely = problem.remedy is Remedy.LOG_IN  # already ended on Telegram's side
        reason = problem.message
    except (OSError, ConnectionError, TimeoutError) as exc:
        reason = explain(exc).message
    finally:
        await client.disconnect()
    secrets.delete(SESSION)
    if ended_remotely:
        return "Logged out: the session is ended on Telegram and removed from this computer. The log is kept."
    return (
        f"The session is removed from this computer, but Telegram could not be told ({reason}). End it from "
        "a Telegram app: Settings → Devices → Moderator Workstation → Terminate session."
    )
