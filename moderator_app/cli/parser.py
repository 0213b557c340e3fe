"""The command line: every command and option, each handler named and loaded only when it runs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from moderator_app.domain.standard import Mode

if TYPE_CHECKING:
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moderator-app",
        description="Moderator Workstation: the log, service standard and monthly statistics of an "
        "organization's Telegram groups, channels and private messages.",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--data-dir", type=Path, help="folder of the local SQLite log (default: the user data folder)")
    where.add_argument(
        "--database-url",
        help="a shared PostgreSQL log, e.g. postgresql://user@host/db (or set MODERATOR_DATABASE_URL); the password "
        "comes from the keyring (see database-password), PGPASSWORD or ~/.pgpass, never the command line",
    )
    advanced = parser.add_argument_group("advanced Telegram connection (remembered once given; '' clears)")
    advanced.add_argument(
        "--telegram-server",
        metavar="HOST:PORT[:DC]",
        help="Telegram's test environment or a local MTProto server instead of Telegram's own",
    )
    advanced.add_argument("--telegram-rsa-key", metavar="FILE.pem", help="that server's RSA public key (PEM, PKCS#1)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window on a simulated organization (a temporary folder unless --data-dir is given)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=False)

    p = commands.add_parser("import-telegram-export", help="import a Telegram Desktop JSON export (result.json)")
    p.add_argument("path", metavar="PATH", help="the export's result.json")
    p.add_argument("--staff", metavar="ID[,ID...]", help="numeric Telegram user ids of staff accounts")
    p.add_argument(
        "--source-name",
        metavar="NAME",
        help="single-chat export: the name to log the chat under; full-account export: import only this chat",
    )
    p.set_defaults(handler="imports:cmd_import", for_import=True)  # see open_database: memory and checkpoints

    p = commands.add_parser(
        "database-password",
        help="keep the password of --database-url's server account in the system keyring (asked for, not shown)",
    )
    p.set_defaults(handler="database:cmd_database_password", no_database=True)

    p = commands.add_parser("referrals", help="the referral library (partner organizations)")
    sub = p.add_subparsers(dest="referrals_command", metavar="ACTION", required=True)
    for action, text in (
        ("import", "add or update organizations from a .csv, .xlsx or .yaml file"),
        ("export", "write the library to a .csv, .xlsx or .yaml file"),
    ):
        q = sub.add_parser(action, help=text)
        q.add_argument("file", metavar="FILE")
        q.set_defaults(handler="library:cmd_referrals")

    p = commands.add_parser("library", help="the canned-answer library")
    sub = p.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    q = sub.add_parser("import", help="add or update answers from a .yaml, .csv or .xlsx file ('starter': ours)")
    q.add_argument("file", metavar="FILE|starter")
    q.set_defaults(handler="library:cmd_library")
    q = sub.add_parser("export", help="write the library to a .yaml, .csv or .xlsx file")
    q.add_argument("file", metavar="FILE")
    q.set_defaults(handler="library:cmd_library")
    sub.add_parser("list", help="shortcut, title, languages, use and review state").set_defaults(
        handler="library:cmd_library"
    )
    q = sub.add_parser("search", help="find answers (or --partners) as the composer's picker does")
    q.add_argument("query", metavar="QUERY")
    q.add_argument("--language", metavar="TAG", help="prefer texts in this language (e.g. ar, fa, fr-CA)")
    q.add_argument("--partners", action="store_true", help="search the partner organizations instead")
    q.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results (default 10)")
    q.set_defaults(handler="library:cmd_library")

    p = commands.add_parser("standard", help="the service standard (response target, opening hours, holidays)")
    sub = p.add_subparsers(dest="standard_command", metavar="ACTION", required=True)
    sub.add_parser("show", help="print the standard and per-source overrides").set_defaults(
        handler="standard:cmd_standard"
    )
    q = sub.add_parser("set", help="change the standard (or a source's override with --source)")
    q.add_argument("--source", metavar="NAME", help="override the standard for one source only")
    q.add_argument("--target", metavar="DURATION", help="response target, e.g. 24h, 2d, 8h30m")
    q.add_argument("--mode", choices=[m.value for m in Mode], help="what time counts toward the target")
    q.add_argument("--hours", metavar="HOURS", help='opening hours, e.g. "Mon-Fri 09:00-17:00"')
    q.add_argument("--holidays", metavar="CC[-SUB]", help="public holidays, e.g. CA-ON, FR, or none")
    q.add_argument("--closed", metavar="DATES", help="extra closure dates, e.g. 2026-12-24,2026-12-31 ('' clears)")
    q.add_argument("--timezone", metavar="ZONE", help="IANA time zone, e.g. America/Toronto")
    q.add_argument("--warning", metavar="PERCENT", help="warn when this share of the target is left, e.g. 25%%")
    q.add_argument(
        "--answer-window",
        metavar="DURATION",
        help="a staff message without a reply answers the only open question asked this recently (default 2h)",
    )
    q.set_defaults(handler="standard:cmd_standard")
    q = sub.add_parser("reset", help="remove a source's override")
    q.add_argument("--source", metavar="NAME", required=True)
    q.set_defaults(handler="standard:cmd_standard")

    p = commands.add_parser("inbox", help="list the open inquiries, most urgent first")
    p.add_argument("--json", action="store_true", help="print JSON (id, source, member, text, state, arrival, due)")
    p.add_argument("--source", metavar="NAME", help="only this source")
    p.set_defaults(handler="outbox:cmd_inbox")

    p = commands.add_parser("send", help="queue a message for the connector to send (useful for scripts)")
    p.add_argument("--source", metavar="NAME", required=True)
    p.add_argument("--reply-to", metavar="MESSAGE_ID", type=int, help="the Telegram id of the message to answer")
    p.add_argument("--chat", metavar="ID", type=int, help="the private chat (the member's user id)")
    p.add_argument("--text", required=True)
    p.set_defaults(handler="outbox:cmd_send")

    p = commands.add_parser("download", help="ask the connector for a message's large file")
    p.add_argument("--source", metavar="NAME", required=True)
    p.add_argument("--message", metavar="MESSAGE_ID", type=int, required=True)
    p.add_argument("--chat", metavar="ID", type=int, help="the private chat (the member's user id)")
    p.set_defaults(handler="outbox:cmd_download")

    p = commands.add_parser("outbox", help="the messages waiting to be sent, sent, or failed")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=50, metavar="N")
    p.add_argument("--retry", type=int, metavar="ID", help="queue a failed message again")
    p.set_defaults(handler="outbox:cmd_outbox")

    p = commands.add_parser(
        "report",
        help="write the statistics: months give a column each, a date at either end one column for the period",
    )
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM[-DD]", required=True)
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM[-DD]", required=True)
    p.add_argument("--format", choices=["csv", "xlsx", "pdf"])
    p.add_argument("--source", metavar="NAME", help="PDF: one source's figures instead of all sources'")
    p.add_argument(
        "--inquiries",
        action="store_true",
        help="one row per inquiry (members pseudonymised) instead of the tables: CSV only",
    )
    p.add_argument("--output", metavar="FILE", required=True)
    p.set_defaults(handler="report:cmd_report")

    p = commands.add_parser("organization", help="the organization's name and logo (the funder PDF's header)")
    p.add_argument("--name", help="the organization's name ('' clears it)")
    logo = p.add_mutually_exclusive_group()
    logo.add_argument("--logo", metavar="FILE", help="a PNG or JPEG, kept in the log (scaled to at most 512 px)")
    logo.add_argument("--no-logo", action="store_true", help="remove the logo")
    p.set_defaults(handler="report:cmd_organization")

    p = commands.add_parser("moderation", help="the moderation record (warnings, mutes, removals, bans, deletions)")
    sub = p.add_subparsers(dest="moderation_command", metavar="ACTION", required=True)
    q = sub.add_parser("log", help="write the record of a period, with the removals and joins history holds")
    q.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", required=True)
    q.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", required=True, help="included")
    q.add_argument("--source", metavar="NAME_OR_ID", help="one source only")
    q.add_argument("--format", choices=["csv", "xlsx"])
    q.add_argument("--output", metavar="FILE", required=True)
    q.set_defaults(handler="moderation:cmd_moderation_log")

    p = commands.add_parser(
        "rederive", help="re-derive inquiries and responses of the log's history under the current rules"
    )
    p.set_defaults(handler="database:cmd_rederive")

    p = commands.add_parser("audit", help="the audit record: exports, settings changes, logins, retention runs")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="included")
    p.set_defaults(handler="audit:cmd_audit")
    p = commands.add_parser(
        "retention", help="remove message text older than N months (counts and the pseudonymised inquiry log stay)"
    )
    p.add_argument("--months", type=int, metavar="N", help="keep message text N whole months (0: for good)")
    p.add_argument("--apply", action="store_true", help="remove it now (without: say what would be removed)")
    p.set_defaults(handler="audit:cmd_retention")

    _telegram_parsers(commands)
    return parser


def _telegram_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("login", help="log in to the organization's Telegram account (terminal)")
    p.set_defaults(handler="telegram:cmd_login")
    p = commands.add_parser("logout", help="end the Telegram session and remove it from this computer")
    p.set_defaults(handler="telegram:cmd_logout")
    p = commands.add_parser("sources", help="the account's groups and channels, and which are watched")
    sub = p.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    sub.add_parser("list", help="groups, supergroups and channels of the account, with ids").set_defaults(
        handler="telegram:cmd_sources"
    )
    for action, text in (("watch", "log this source (or 'Private messages')"), ("unwatch", "stop logging it")):
        q = sub.add_parser(action, help=text)
        q.add_argument("name", metavar="NAME_OR_ID")
        q.set_defaults(handler="telegram:cmd_sources")
    p = commands.add_parser("connector", help="run the Telegram connector until interrupted (headless)")
    p.add_argument("--verbose", action="store_true", help="log more (including Telethon's own messages)")
    p.add_argument(
        "--standby",
        action="store_true",
        help="when another connector runs for this log, wait and take over once it stops or goes silent (60 s)",
    )
    p.set_defaults(handler="telegram:cmd_connector")
