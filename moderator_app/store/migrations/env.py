"""Alembic environment: migrations always run on a connection handed in by :mod:`moderator_app.store.db`."""

from alembic import context

from moderator_app.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the app runs migrations, always with a connection
    raise RuntimeError("run migrations through moderator_app.store.db.migrate(), not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch mode recreates the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
