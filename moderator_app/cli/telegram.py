"""The Telegram commands of the command line: login, logout, sources, connector.

They build the connector's objects from the log and the keyring and drive them on an asyncio loop; the
sentences people read come from :mod:`moderator_app.telegram.errors`.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import getpass
import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from moderator_app.domain.events import PRIVATE_SOURCE_NAME, SourceKind, SourceRef
from moderator_app.process import install_excepthook, setup_logging
from moderator_app.services.changes import ChangeBus, Changes
from moderator_app.services.team_bus import TeamBus
from moderator_app.store.db import Database, default_data_dir, default_log_dir, prepare_data_dir
from moderator_app.store.lease import ConnectorAlreadyRunning
from moderator_app.store.repositories import SettingsRepository, SourceRepository, UnknownSourceError
from moderator_app.store.secrets import SecretStore
from moderator_app.telegram.client import (
    API_HELP,
    ConnectionSettings,
    ServerAddress,
    SettingsError,
)
from moderator_app.telegram.connector import Connector
from moderator_app.telegram.dialogs import account_dialogs
from moderator_app.telegram.errors import Remedy, TelegramProblem
from moderator_app.telegram.login import LoginFlow, LoginStep, log_out

Prompt = Callable[[str, bool], str]


def connection_settings(db: Database, args: argparse.Namespace) -> ConnectionSettings:
    """Stored settings, changed (and stored) by --telegram-server / --telegram-rsa-key when given."""
    settings = SettingsRepository(db)
    current = ConnectionSettings.load(settings)
    server_arg = getattr(args, "telegram_server", None)
    key_arg = getattr(args, "telegram_rsa_key", None)
    if server_arg is None and key_arg is None:
        return current
    server = current.server
    key = current.rsa_key
    if server_arg is not None:
        server = ServerAddress.parse(server_arg) if server_arg else None
    if key_arg is not None:
        key = Path(key_arg).resolve() if key_arg else None
        if key is not None and not key.is_file():
            raise SettingsError(f"--telegram-rsa-key {key_arg}: no such file.")
    updated = ConnectionSettings(server, key)
    updated.save(settings)
    return updated


def terminal_prompt(inp: TextIO, out: TextIO) -> Prompt:
    def prompt(question: str, secret: bool) -> str:
        if secret and inp is sys.stdin and sys.stdin.isatty():
            return getpass.getpass(question)
        out.write(question)
        out.flush()
        line = inp.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    return prompt


async def _login(flow: LoginFlow, prompt: Prompt, out: TextIO, err: TextIO) -> int:
    step = await flow.start()
    if step is LoginStep.DONE and flow.account is not None:
        print(f"Already logged in as {flow.account.name}. Use `logout` first to change account.", file=out)
        return 0
    if step is LoginStep.API:
        print(API_HELP, file=out)
    attempts = 0
    while step is not LoginStep.DONE:
        try:
            if step is LoginStep.API:
                api_id = prompt("API id: ", False)
                api_hash = prompt("API hash: ", True)
                step = await flow.submit_api(api_id, api_hash)
            elif step is LoginStep.PHONE:
                step = await flow.submit_phone(prompt("Phone number (international format, e.g. +1 613...): ", False))
                where = {"app": "in the Telegram app", "sms": "by SMS", "call": "by a phone call"}.get(
                    flow.code_sent_by or "app", "by Telegram"
                )
                print(f"Telegram sent a login code {where}.", file=out)
            elif step is LoginStep.CODE:
                step = await flow.submit_code(prompt("Login code: ", False))
            elif step is LoginStep.PASSWORD:
                hint = f" (hint: {flow.password_hint})" if flow.password_hint else ""
                step = await flow.submit_password(prompt(f"Two-step verification password{hint}: ", True))
        except TelegramProblem as problem:
            print(f"error: {problem.message}", file=err)
            attempts += 1
            if problem.remedy in (Remedy.WAIT, Remedy.PERMANENT) or attempts >= 5:
                await flow.close()
                return 1
            step = flow.step
        except EOFError:
            await flow.close()
            print("error: login interrupted (no more input); nothing was stored.", file=err)
            return 1
    await flow.close()
    assert flow.account is not None
    print(
        f"Logged in as {flow.account.name}. The session is kept in the system keyring. Next: "
        "`moderator-app sources list`, then `sources watch NAME`, then `moderator-app connector`.",
        file=out,
    )
    return 0


def cmd_login(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    connection = connection_settings(db, args)
    flow = LoginFlow(SettingsRepository(db), SecretStore(db), connection)
    return asyncio.run(_login(flow, terminal_prompt(args.input, out), out, err))


def cmd_logout(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    connection = connection_settings(db, args)
    print(asyncio.run(log_out(SettingsRepository(db), SecretStore(db), connection)), file=out)
    return 0


# -- sources ------------------------------------------------------------------------------------------------
def _match(refs: list[SourceRef], text: str) -> SourceRef | None:
    wanted = text.strip().lstrip("@")
    for test in (
        lambda r: r.name == wanted,
        lambda r: r.name.casefold() == wanted.casefold(),
        lambda r: str(r.telegram_id) == wanted or f"-100{r.telegram_id}" == wanted or f"-{r.telegram_id}" == wanted,
    ):
        found = [r for r in refs if test(r)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise SettingsError(f"Several chats are called {text!r}: give the id instead (see `sources list`).")
    return None


def cmd_sources(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    sources = SourceRepository(db)
    connection = connection_settings(db, args)
    action = args.sources_command
    if action == "list":
        watched = {(s.kind, s.telegram_id): s for s in sources.all()}
        refs = asyncio.run(account_dialogs(db, connection))
        private = watched.get((SourceKind.PRIVATE, 0))
        mark = "watched" if private is not None and private.watched else "-"
        print(f"{'':>14}  {'private':<8} {mark:<8} {PRIVATE_SOURCE_NAME} (all private chats with members)", file=out)
        for ref in refs:
            known = watched.get((ref.kind, ref.telegram_id))
            mark = "watched" if known is not None and known.watched else "-"
            print(f"{ref.telegram_id:>14}  {ref.kind.value:<8} {mark:<8} {ref.name}", file=out)
        return 0
    target: str = args.name
    private_names = {PRIVATE_SOURCE_NAME.casefold(), "private", "private messages"}
    watch = action == "watch"
    if target.strip().casefold() in private_names:
        ref = SourceRef(SourceKind.PRIVATE, 0, PRIVATE_SOURCE_NAME, "personal_chat")
    elif not watch:
        try:
            info = sources.find(target)
        except UnknownSourceError as exc:
            raise SettingsError(str(exc)) from exc
        ref = SourceRef(info.kind, info.telegram_id, info.name, info.telegram_type)
    else:
        found = _match(asyncio.run(account_dialogs(db, connection)), target)
        if found is None:
            raise SettingsError(
                f"The account is in no group or channel called {target!r}. See `moderator-app sources list`."
            )
        ref = found
    info = sources.set_watched(ref, watch)
    if watch:
        print(f"Watching {info.name}; a running connector catches it up within a minute.", file=out)
    else:
        print(f"No longer watching {info.name}; what the log holds is kept.", file=out)
    return 0


# -- the connector ------------------------------------------------------------------------------------------
def cmd_connector(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The connector without a window (a team's, a server's): its notes go to the terminal (or the journal)
    and to the same rotating notes file the window keeps; an error nobody caught is noted with its trace."""
    log_file = setup_logging(
        db.data_dir / "logs" if args.data_dir is not None and db.data_dir is not None else default_log_dir(),
        verbose=args.verbose,
        stream=err,
        console_level=logging.DEBUG if args.verbose else logging.INFO,
    )
    logging.getLogger("telethon").setLevel(logging.WARNING if not args.verbose else logging.INFO)
    restore_hooks = install_excepthook()
    try:
        return _run_connector(db, args, out, err, log_file)
    except Exception as exc:  # said on the terminal by the command line's handler; kept in the notes too
        logging.getLogger("moderator_app.connector").error("stopped: %s", exc)
        raise
    finally:
        restore_hooks()


def _follow_the_team(db: Database, connector: Connector, loop: asyncio.AbstractEventLoop) -> TeamBus | None:
    """On a team's PostgreSQL log: what the workstations commit reaches the connector (a new standard or
    urgent-word list is applied to the inquiries it holds; a reply queued is sent now, not at the next poll)."""

    def followed(done: concurrent.futures.Future[None]) -> None:
        if not done.cancelled() and done.exception() is not None:
            logging.getLogger("moderator_app.connector").error("following a change failed", exc_info=done.exception())

    def follow(changes: Changes) -> None:
        asyncio.run_coroutine_threadsafe(connector.follow(changes), loop).add_done_callback(followed)
        if changes.inquiries or changes.everything:
            loop.call_soon_threadsafe(connector.wake_sender)

    bus = ChangeBus()
    bus.subscribe(follow)
    return TeamBus.open(db, bus)


def _run_connector(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO, log_file: Path | None) -> int:
    log = logging.getLogger("moderator_app.connector")
    log.info("connector starting for %s%s", db.describe(), f"; notes in {log_file}" if log_file else "")
    connection = connection_settings(db, args)
    media_dir = prepare_data_dir(db.data_dir or default_data_dir()) / "media"
    connector = Connector(db, SecretStore(db), connection, media_dir=media_dir, standby=args.standby)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not the main thread
                loop.add_signal_handler(sig, stop.set)
        team = _follow_the_team(db, connector, loop)
        try:
            await connector.run(stop)
        finally:
            if team is not None:
                team.close()

    try:
        asyncio.run(main())
    except ConnectorAlreadyRunning as exc:
        log.warning("not started: %s", exc)
        print(f"error: {exc}", file=err)
        return 2
    except TelegramProblem as problem:
        log.warning("stopped: %s", problem.message)
        print(f"error: {problem.message}", file=err)
        return 3 if problem.remedy is Remedy.LOG_IN else 1
    counts = connector.counts
    print(
        f"Connector stopped: {counts.messages:,} new messages, {counts.edits:,} edits, {counts.deletions:,} "
        f"deletions, {counts.sent:,} sent, {counts.failed:,} failed.",
        file=out,
    )
    return 0
