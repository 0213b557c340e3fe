"""Use cases between the window (and the command line) and the log.

Each is a call that runs on the database worker (never on the window's thread), returns a future, and, once
its transaction is committed, announces typed :class:`~moderator_app.services.changes.Changes` on the bus
that the window and a running connector both follow. Refusals are sentences a moderator can act on.
"""
