"""Telegram's errors as sentences a moderator can act on.

Every error a person can cause (a mistyped phone number, an old code, a wrong password, a revoked session,
a FloodWait) becomes a :class:`TelegramProblem`: what happened, what to do, and whether trying again later
can help. The GUI and the terminal show the same sentences.
"""

from __future__ import annotations

import asyncio

from telethon import errors

from moderator_app.telegram.problems import Remedy as Remedy
from moderator_app.telegram.problems import TelegramProblem as TelegramProblem


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 90:
        return f"{seconds} seconds"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} minutes"
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {round(rest / 60):02d} min"


_LOGIN_AGAIN = "Log in again (moderator-app login, or the login window); the log on this computer is kept as it is."

#: Errors whose meaning does not depend on the moment: (class, sentence, remedy).
_FIXED: tuple[tuple[type[BaseException], str, Remedy], ...] = (
    (
        errors.ApiIdInvalidError,
        "Telegram does not accept this API id and API hash. Copy both again from my.telegram.org → "
        "API development tools (the id is a number, the hash 32 letters and digits).",
        Remedy.FIX_INPUT,
    ),
    (
        errors.ApiIdPublishedFloodError,
        "Telegram refuses this API id because it was published. Create your organization's own at "
        "my.telegram.org → API development tools.",
        Remedy.FIX_INPUT,
    ),
    (
        errors.PhoneNumberInvalidError,
        "Telegram does not know this phone number. Type it in international format, with the country code "
        "(for example +1 613 555 0100).",
        Remedy.FIX_INPUT,
    ),
    (
        errors.PhoneNumberUnoccupiedError,
        "No Telegram account uses this phone number. Create the account in a Telegram app first.",
        Remedy.FIX_INPUT,
    ),
    (
        errors.PhoneNumberBannedError,
        "Telegram has banned this phone number. Contact Telegram support (recover@telegram.org) from the "
        "organization's address.",
        Remedy.PERMANENT,
    ),
    (
        errors.PhoneCodeInvalidError,
        "This login code is not the right one. Check the code Telegram sent (in the Telegram app, or by SMS) "
        "and type it again.",
        Remedy.FIX_INPUT,
    ),
    (
        errors.PhoneCodeEmptyError,
        "The login code is empty. Type the code Telegram sent.",
        Remedy.FIX_INPUT,
    ),
    (
        errors.PhoneCodeExpiredError,
        "This login code has expired. Ask for a new one and type it within a few minutes.",
        Remedy.FIX_INPUT,
    ),
    (
        errors.PasswordHashInvalidError,
        "This two-step verification password is wrong. Type it again (it is the account's cloud password, "
        "not the login code).",
        Remedy.FIX_INPUT,
    ),
    (errors.AuthKeyUnregisteredError, "Telegram no longer knows this session. " + _LOGIN_AGAIN, Remedy.LOG_IN),
    (
        errors.SessionRevokedError,
        "This session was ended from another device (Settings → Devices). " + _LOGIN_AGAIN,
        Remedy.LOG_IN,
    ),
    (errors.SessionExpiredError, "This session has expired. " + _LOGIN_AGAIN, Remedy.LOG_IN),
    (
        errors.AuthKeyDuplicatedError,
        "This session was used from two places at once, so Telegram closed it. " + _LOGIN_AGAIN,
        Remedy.LOG_IN,
    ),
    (
        errors.UserDeactivatedError,
        "The organization's Telegram account was deleted or deactivated. Log in with an active account.",
        Remedy.LOG_IN,
    ),
    (
        errors.UserIsBlockedError,
        "This person has blocked the organization's account, so the reply cannot be delivered.",
        Remedy.PERMANENT,
    ),
    (
        errors.YouBlockedUserError,
        "The organization's account has blocked this person. Unblock them in Telegram to reply.",
        Remedy.PERMANENT,
    ),
    (
        errors.InputUserDeactivatedError,
        "This person's Telegram account was deleted; the reply cannot be delivered.",
        Remedy.PERMANENT,
    ),
    (
        errors.UserPrivacyRestrictedError,
        "This person's privacy settings do not allow it.",
        Remedy.PERMANENT,
    ),
    (
        errors.ChatWriteForbiddenError,
        "The organization's account may not write in this group. Ask a group admin to allow it.",
        Remedy.PERMANENT,
    ),
    (
        errors.ChatSendPlainForbiddenError,
        "Text messages are not allowed in this group. Ask a group admin to allow them.",
        Remedy.PERMANENT,
    ),
    (
        errors.ChatAdminRequiredError,
        "This needs admin rights in the group, which the organization's account does not have: make it an "
        "admin (with the right to ban users and delete messages) in Telegram, then retry.",
        Remedy.PERMANENT,
    ),
    (
        errors.UserAdminInvalidError,
        "This person is an admin or the owner of the group: only the owner can restrict them, in Telegram.",
        Remedy.PERMANENT,
    ),
    (
        errors.MessageDeleteForbiddenError,
        "Telegram does not allow this account to delete that message (it needs the right to delete messages).",
        Remedy.PERMANENT,
    ),
    (
        errors.UserNotParticipantError,
        "This person is no longer in the group.",
        Remedy.PERMANENT,
    ),
    (
        errors.UserBannedInChannelError,
        "The organization's account is restricted from sending messages in groups. See @SpamBot in Telegram.",
        Remedy.PERMANENT,
    ),
    (
        errors.ChannelPrivateError,
        "The organization's account is no longer in this group or channel, or it was made private.",
        Remedy.PERMANENT,
    ),
    (
        errors.ChatRestrictedError,
        "This group is restricted by Telegram; nothing can be sent there.",
        Remedy.PERMANENT,
    ),
    (
        errors.MessageTooLongError,
        "The message is longer than Telegram allows (4,096 characters). Shorten it or split it.",
        Remedy.PERMANENT,
    ),
    (
        errors.MsgIdInvalidError,
        "The message this replies to no longer exists in Telegram (it was deleted).",
        Remedy.PERMANENT,
    ),
    (
        errors.PeerIdInvalidError,
        "Telegram does not know this chat for the organization's account (left, deleted or never joined).",
        Remedy.PERMANENT,
    ),
)


def explain(exc: BaseException) -> TelegramProblem:
    """The sentence and remedy for ``exc``; anything unknown says what Telegram said and to try later."""
    if isinstance(exc, TelegramProblem):
        return exc
    if isinstance(exc, errors.FloodWaitError | errors.SlowModeWaitError):
        seconds = float(exc.seconds)
        what = "slow mode in this group" if isinstance(exc, errors.SlowModeWaitError) else "too many requests"
        return TelegramProblem(
            f"Telegram asks to wait {_duration(seconds)} ({what}). The app waits and carries on by itself; "
            "nothing is lost.",
            Remedy.WAIT,
            seconds,
        )
    if isinstance(exc, errors.PhoneNumberFloodError | errors.PhonePasswordFloodError | errors.FloodError):
        return TelegramProblem(
            "Telegram refuses more login attempts for now (too many tries). Wait a few hours, then try again.",
            Remedy.WAIT,
        )
    for kind, sentence, remedy in _FIXED:
        if isinstance(exc, kind):
            return TelegramProblem(sentence, remedy)
    if isinstance(exc, errors.UnauthorizedError):
        return TelegramProblem(f"Telegram refused the session ({exc.message}). " + _LOGIN_AGAIN, Remedy.LOG_IN)
    if isinstance(exc, errors.ServerError | errors.TimedOutError):
        return TelegramProblem(
            "Telegram's servers had a problem answering. The app tries again by itself.", Remedy.WAIT, 10.0
        )
    if isinstance(exc, ConnectionError | OSError | asyncio.TimeoutError | TimeoutError):
        return TelegramProblem(
            "Telegram cannot be reached: no network, or a firewall blocks it. The app keeps trying and catches "
            "up when the connection is back; check this computer's internet connection.",
            Remedy.WAIT,
            15.0,
        )
    if isinstance(exc, errors.RPCError):
        return TelegramProblem(
            f"Telegram refused the request ({exc.message or type(exc).__name__}).",
            Remedy.PERMANENT if exc.code in (400, 403, 406) else Remedy.WAIT,
        )
    return TelegramProblem(f"Unexpected problem talking to Telegram: {exc}", Remedy.WAIT)
