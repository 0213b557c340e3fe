"""The entry point: parse, open the log, run the command, turn failures into sentences and exit codes."""

from __future__ import annotations

import importlib
import io
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy.exc import DBAPIError

from moderator_app.importers.export_reader import ExportError
from moderator_app.importers.referrals_csv import ReferralCsvError
from moderator_app.process import end_startup
from moderator_app.store.db import (
    StoreError,
    data_dir_warning,
    explain_operational_error,
    open_database,
)
from moderator_app.store.keyring_backends import SecretStoreUnavailable
from moderator_app.store.repositories import (
    UnknownSourceError,
)

if TYPE_CHECKING:
    pass
from moderator_app.cli.common import Handler, UserError
from moderator_app.cli.parser import build_parser
from moderator_app.telegram.problems import Remedy, SettingsError, TelegramProblem


def _handler(name: str) -> Any:
    """``module:function`` of this package: only the command that runs is loaded (``report`` needs
    openpyxl, ``connector`` Telethon; ``inbox`` needs neither)."""
    module, function = name.split(":")
    return getattr(importlib.import_module(f"moderator_app.cli.{module}"), function)


#: Qt's own command-line options (QGuiApplication, QApplication, the X11 platform): handed to Qt, not parsed
#: here. Those that take a value take the next argument, or ``-option=value``.
QT_OPTIONS_WITH_VALUE: frozenset[str] = frozenset(
    {
        "-platform", "-platformpluginpath", "-platformtheme", "-plugin", "-qwindowgeometry", "-qwindowicon",
        "-qwindowtitle", "-style", "-stylesheet", "-session", "-display", "-geometry", "-title", "-name",
    }
)  # fmt: skip
QT_FLAGS: frozenset[str] = frozenset({"-reverse", "-widgetcount", "-nograb", "-dograb", "-sync", "-qmljsdebugger"})


def split_qt_arguments(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """(ours, Qt's): ``moderator-app -reverse`` or ``-platform xcb`` must reach Qt, not be refused as unknown."""
    ours: list[str] = []
    qt: list[str] = []
    arguments = iter(argv)
    for argument in arguments:
        name = argument.split("=", 1)[0]
        if argument in QT_FLAGS or name.startswith("-qmljsdebugger"):
            qt.append(argument)
        elif name in QT_OPTIONS_WITH_VALUE:
            qt.append(argument)
            if "=" not in argument:
                value = next(arguments, None)
                if value is not None:
                    qt.append(value)
        else:
            ours.append(argument)
    return ours, qt


def run_for_window(
    argv: Sequence[str],
    *,
    progress: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
) -> tuple[int, str]:
    """A command run for the window's File menu, on a thread of its own: its exit code, and what it said
    (its output, then its errors: the command line's sentences, word for word). ``progress`` and ``stop``
    reach an import (bytes read, and a request to stop between two messages)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), out=out, err=err, progress=progress, stop=stop)
    except SystemExit as exc:  # argparse refusing the arguments
        code = int(exc.code or 2)
    said = "\n".join(part.strip() for part in (out.getvalue(), err.getvalue()) if part.strip())
    return code, said


def main(
    argv: Sequence[str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    inp: TextIO | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    ours, qt = split_qt_arguments(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(ours)
    args.qt_arguments = qt
    args.progress, args.stop = progress, stop  # an import run from the window reports to it
    args.input = inp or sys.stdin
    if args.database_url is None and args.data_dir is None:
        args.database_url = os.environ.get("MODERATOR_DATABASE_URL") or None  # kept out of the process list
    if args.command is None:
        from moderator_app.app import run_demo, run_gui  # the window: Qt is loaded only for it
        from moderator_app.cli.window_commands import WindowCommands

        args.file_commands = lambda db: WindowCommands(db, run_for_window)  # the window's File menu
        return run_demo(args, err) if args.demo else run_gui(args, err)
    end_startup()
    if args.demo:
        print("error: --demo opens the window; give it without a command.", file=err)
        return 2
    if qt:
        print(f"error: {' '.join(qt)} are options of the window; give them without a command.", file=err)
        return 2
    if getattr(args, "no_database", False):
        try:
            return int(_handler(args.handler)(args, out, err))
        except (UserError, SecretStoreUnavailable) as exc:
            print(f"error: {exc}", file=err)
            return 1
    handler: Handler = _handler(args.handler)
    try:
        db = open_database(
            data_dir=args.data_dir, database_url=args.database_url, for_import=getattr(args, "for_import", False)
        )
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return 1
    warning = data_dir_warning(db.data_dir) if db.data_dir is not None else None
    if warning is not None:
        print(warning, file=err)
    try:
        if args.handler != "database:cmd_rederive":
            from moderator_app.cli.database import rederive_if_outdated

            rederive_if_outdated(db, err)
        code = handler(db, args, out, err)
        from moderator_app.cli.audit import record_command

        record_command(db, args, code)  # an export, an import, a setting or a login: in the audit record
        return code
    except (UserError, StoreError, ExportError, ReferralCsvError, UnknownSourceError) as exc:
        print(f"error: {exc}", file=err)
        return 1
    except (TelegramProblem, SettingsError, SecretStoreUnavailable) as exc:
        print(f"error: {exc}", file=err)
        return 3 if isinstance(exc, TelegramProblem) and exc.remedy is Remedy.LOG_IN else 1
    except DBAPIError as exc:
        print(f"error: {explain_operational_error(exc, db.describe())}", file=err)
        return 1
    except KeyboardInterrupt:
        print(
            "\ninterrupted: every finished batch is in the log; run the same command again to resume.",
            file=err,
        )
        return 130
    finally:
        db.close()
