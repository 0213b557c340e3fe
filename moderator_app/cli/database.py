"""database-password and rederive: the shared log's password, and history under the current rules."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from sqlalchemy.exc import DBAPIError

from moderator_app.store.db import (
    Database,
    explain_operational_error,
    open_database,
)

if TYPE_CHECKING:
    from moderator_app.store.rederive import RederiveSummary
from moderator_app.cli.common import TerminalProgress, UserError


def cmd_database_password(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Ask for the server account's password (not echoed) and keep it in the system keyring, so --database-url
    need not carry it; then check that the server takes it. The password is never printed."""
    import getpass

    from sqlalchemy.engine import make_url

    from moderator_app.store.keyring_backends import database_key, save_database_password

    if not args.database_url:
        raise UserError("Give the shared log's address first: --database-url postgresql://user@host/db.")
    url = make_url(args.database_url)
    if url.password is not None:
        raise UserError("Give --database-url without the password (user@host/db): it is asked for here instead.")
    stream = args.input
    if stream.isatty():
        password = getpass.getpass(f"Password of {database_key(args.database_url)}: ", stream=err)
    else:
        password = stream.readline().rstrip("\n")
    if not password:
        raise UserError("No password given: nothing was kept.")
    save_database_password(args.database_url, password)
    print(f"The password of {database_key(args.database_url)} is kept in the system keyring.", file=out)
    probe = open_database(database_url=args.database_url, migrate=False)
    try:
        with probe.engine.connect():
            pass
    except DBAPIError as exc:
        print(f"warning: {explain_operational_error(exc, database_key(args.database_url))}", file=err)
        return 1
    finally:
        probe.close()
    print("The server accepts it: give --database-url without the password from now on.", file=out)
    return 0


def cmd_rederive(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Replay the log's history under the rules now in force (after the rules changed, or to check them)."""
    for line in rederive(db, err).lines():
        print(line, file=out)
    return 0


def rederive(db: Database, err: TextIO) -> RederiveSummary:
    from moderator_app.store.rederive import Rederiver

    progress = TerminalProgress(err, "Re-deriving", unit="messages")
    try:
        return Rederiver(db, on_progress=progress).run()
    finally:
        progress.close()


def rederive_if_outdated(db: Database, err: TextIO) -> None:
    """After an upgrade whose rules read history differently, re-derive it once, before anything reads it."""
    from moderator_app.store.rules_version import rules_outdated

    if rules_outdated(db):
        print(
            "The rules that find inquiries and answers changed in this version: re-deriving the history in the "
            "log (moderators' decisions are kept). This happens once.",
            file=err,
        )
        summary = rederive(db, err)
        print("; ".join(summary.lines()), file=err)
