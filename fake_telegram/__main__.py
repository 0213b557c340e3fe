"""Run the fake Telegram server stand-alone, for manual trials and end-to-end CLI tests.

    python -m fake_telegram --port 0 --key-out PUBLIC.pem \\
        --app 611335:d524b414d21f4d37f08684c1df41ac9c --account +15550100001[:PASSWORD]

It seeds the simulated settlement organization (``simulation.py``: three language groups, a channel and private
chats with three months of history) for the first account, prints ``address: HOST:PORT:DC`` (what
``moderator-app --telegram-server`` takes), the public key path and each account's login code, then serves until
interrupted (SIGINT/SIGTERM). ``--traffic RATE`` also plays the community live (RATE 1: an event every 5-20 s).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import secrets
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from fake_telegram.demo import seed_demo
from fake_telegram.keys import public_key_pem
from fake_telegram.server import FakeTelegramServer
from fake_telegram.simulation import Organization, Traffic, seed_organization
from fake_telegram.world import FakeTelegram

DEFAULT_APP = "611335:d524b414d21f4d37f08684c1df41ac9c"
DEFAULT_ACCOUNT = "+15550100001"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m fake_telegram",
        description="A local fake Telegram server speaking real MTProto (for tests and demos only).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    parser.add_argument("--dc-id", type=int, default=2, help="data-center id to report (default 2)")
    parser.add_argument("--key-out", type=Path, help="write the server's RSA public key (PKCS#1 PEM) here")
    parser.add_argument(
        "--app", action="append", default=[], metavar="API_ID:API_HASH", help=f"accepted API id (default {DEFAULT_APP})"
    )
    parser.add_argument(
        "--account",
        action="append",
        default=[],
        metavar="PHONE[:PASSWORD]",
        help=f"an account that can log in, with an optional 2FA password (default {DEFAULT_ACCOUNT})",
    )
    parser.add_argument("--code", help="login code for every account (default: a random one per account)")
    parser.add_argument("--no-demo", action="store_true", help="do not seed the demo organization")
    parser.add_argument(
        "--small-demo", action="store_true", help="seed the small demo (one group, a few messages) instead"
    )
    parser.add_argument("--months", type=int, default=3, help="months of history to seed (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the simulated organization (default 1)")
    parser.add_argument(
        "--traffic",
        type=float,
        default=0.0,
        metavar="RATE",
        help="play live traffic at RATE (1.0: an event every 5-20 s; default 0: none)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every connection and request problem")
    return parser


def _say(line: str) -> None:
    print(line, flush=True)


def build_world(args: argparse.Namespace) -> FakeTelegram:
    """The world the command line describes: apps, accounts with printed codes, and the demo organization."""
    return build(args)[0]


def build(args: argparse.Namespace) -> tuple[FakeTelegram, Organization | None]:
    """The world and the simulated organization seeded in it (None with --no-demo or --small-demo)."""
    world = FakeTelegram(dc_id=args.dc_id)
    for app in args.app or [DEFAULT_APP]:
        api_id, _, api_hash = app.partition(":")
        if not api_id.isdigit() or not api_hash:
            raise SystemExit(f"--app must be API_ID:API_HASH, got {app!r}")
        world.add_app(int(api_id), api_hash)
        _say(f"app: {api_id}:{api_hash}")
    accounts: list[int] = []
    for index, spec in enumerate(args.account or [DEFAULT_ACCOUNT]):
        phone, _, password = spec.partition(":")
        account = world.add_account(
            phone, "Help Desk" if index == 0 else f"Help Desk {index + 1}", password=password or None
        )
        code = args.code or f"{secrets.randbelow(90000) + 10000}"
        world.pin_login_code(phone, code)
        accounts.append(account)
        _say(f"account: {phone} user_id={account} code={code} password={'yes' if password else 'no'}")
    world.on_login_code = lambda phone, code: _say(f"code sent: +{phone} {code}")
    if args.no_demo:
        return world, None
    if args.small_demo:
        demo = seed_demo(world, accounts[0])
        _say(f"demo: supergroup={demo.supergroup} channel={demo.channel} basic_group={demo.basic_group}")
        return world, None
    org = seed_organization(world, accounts[0], months=args.months, seed=args.seed, colleagues=accounts[1:])
    groups = " ".join(f"{lang}={gid}" for lang, gid in org.groups.items())
    _say(
        f"organization: {groups} channel={org.channel} private_chats={len(org.private_members)} "
        f"messages={org.counts['total']} open_questions={len(org.open_questions)}"
    )
    return world, org


async def _serve(world: FakeTelegram, host: str, port: int, traffic: Traffic | None = None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    async with FakeTelegramServer(world, host, port) as address:
        _say(f"address: {address.host}:{address.port}:{address.dc_id}")
        if traffic is not None:
            traffic.start()  # once listening: its messages are pushed to connected clients
            _say(f"traffic: rate={traffic.rate:g}")
        _say("ready")
        try:
            await stop.wait()
        finally:
            if traffic is not None:
                traffic.stop()
    _say("stopped")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr)
    if args.key_out is not None:
        args.key_out.write_bytes(public_key_pem())
        _say(f"public_key: {args.key_out}")
    if args.traffic < 0:
        raise SystemExit("--traffic must be 0 (none) or a positive rate")
    if args.traffic and (args.no_demo or args.small_demo):
        raise SystemExit("--traffic needs the simulated organization (not with --no-demo or --small-demo)")
    world, org = build(args)
    traffic = Traffic(world, org, rate=args.traffic, seed=args.seed) if org is not None and args.traffic else None
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(world, args.host, args.port, traffic))
    return 0


if __name__ == "__main__":
    sys.exit(main())
