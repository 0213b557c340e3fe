"""The Telegram commands' arguments. Their handlers (in :mod:`moderator_app.cli_telegram`) load Telethon, so
they are imported when one of them runs, not each time the command line starts."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TextIO

from moderator_app.store.db import Database

Handler = Callable[[Database, argparse.Namespace, TextIO, TextIO], int]


def _later(name: str) -> Handler:
    def handler(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        from moderator_app import cli_telegram

        command: Handler = getattr(cli_telegram, name)
        return command(db, args, out, err)

    return handler


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("login", help="log in to the organization's Telegram account (terminal)")
    p.set_defaults(handler=_later("cmd_login"))
    p = commands.add_parser("logout", help="end the Telegram session and remove it from this computer")
    p.set_defaults(handler=_later("cmd_logout"))
    p = commands.add_parser("sources", help="the account's groups and channels, and which are watched")
    sub = p.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    sub.add_parser("list", help="groups, supergroups and channels of the account, with ids").set_defaults(
        handler=_later("cmd_sources")
    )
    for action, text in (("watch", "log this source (or 'Private messages')"), ("unwatch", "stop logging it")):
        q = sub.add_parser(action, help=text)
        q.add_argument("name", metavar="NAME_OR_ID")
        q.set_defaults(handler=_later("cmd_sources"))
    p = commands.add_parser("connector", help="run the Telegram connector until interrupted (headless)")
    p.add_argument("--verbose", action="store_true", help="log more (including Telethon's own messages)")
    p.add_argument(
        "--standby",
        action="store_true",
        help="when another connector runs for this log, wait and take over once it stops or goes silent (60 s)",
    )
    p.set_defaults(handler=_later("cmd_connector"))
