"""Why a use case did not happen, as a sentence the person at the window can act on."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from moderator_app.domain.actions import ActionRefused
from moderator_app.domain.outbox import OutboxError
from moderator_app.domain.profiles import ProfileError
from moderator_app.domain.retention import RetentionError
from moderator_app.store.db import Database, explain_operational_error
from moderator_app.store.library import LibraryError
from moderator_app.store.repositories import ReferralError


def sentence(problem: BaseException, db: Database | None = None) -> str:
    """Refusals say themselves; the database's words become what to do; anything else is named as it is
    (and logged by whoever caught it): nothing was changed, and the moderator may try again."""
    if isinstance(problem, ActionRefused | OutboxError | ProfileError | LibraryError | ReferralError | RetentionError):
        return str(problem)
    if isinstance(problem, DBAPIError):
        where = db.describe() if db is not None else "of the log"
        return explain_operational_error(problem, where) + " Nothing was changed."
    return f"That did not work ({type(problem).__name__}: {problem}). Nothing was changed; try again."
