"""Opening the log: data folder, engine, SQLite pragmas, file permissions and migrations at start-up."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import platformdirs

if TYPE_CHECKING:
    from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from moderator_app.store.keyring_backends import database_password

APP_NAME = "moderator-app"
DB_FILE = "moderator.sqlite3"
MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(Exception):
    """A problem a person can fix (folder not writable, database locked or unreachable): say what to do."""


def default_data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_log_dir() -> Path:
    """Where the window keeps its notes (a log given by --data-dir keeps them beside it, in ``logs``)."""
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def prepare_data_dir(path: Path) -> Path:
    """Create the data folder readable by the user only (0700). A folder that exists keeps its mode (a person
    chose it, and may share it on purpose): the log's files in it are the user's only anyway, and
    :func:`data_dir_warning` says when others can list it."""
    try:
        if not path.is_dir():
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.chmod(0o700)
    except OSError as exc:
        raise StoreError(
            f"Cannot use the data folder {path}: {exc.strerror}. Choose another one with --data-dir."
        ) from exc
    return path


def data_dir_warning(path: Path) -> str | None:
    """A sentence when other users of this computer can open the data folder (the log's files stay private)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    if os.name != "posix" or not mode & 0o077:
        return None
    return (
        f"warning: the data folder {path} can be opened by other users of this computer (mode {mode:o}). The log's "
        f"files in it are readable by you only; to keep even their names private, run: chmod 700 '{path}'"
    )


def _create_private_file(path: Path) -> None:
    """SQLite gives its -wal and -shm files the main file's mode, so making the file 0600 first covers all three."""
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)


#: Memory-mapped reads: the first report in a fresh process over a 1M-message year takes 1.5 s with them,
#: 2.0 s without (the later ones the same).
MMAP_BYTES: Final = 256 * 1024 * 1024
#: WAL pages an import lets accumulate before SQLite copies them into the log file. The default, 1,000, is
#: less than one batch of 5,000 messages writes, so every commit copied its pages again, the same index pages
#: batch after batch: a 200,000-message import spent 0.6 s committing, 0.36 s with 25,000 pages (0.26 s with
#: 100,000). The WAL file grows to about 100 MB meanwhile; SQLite removes it when the last connection closes.
IMPORT_CHECKPOINT_PAGES: Final = 25_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, for_import: bool = False) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # A 64 MB page cache and in-memory temporaries: imports write large indexes, reports sort and group.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.execute(f"PRAGMA mmap_size={0 if for_import else MMAP_BYTES}")
    if for_import:
        cursor.execute(f"PRAGMA wal_autocheckpoint={IMPORT_CHECKPOINT_PAGES}")
    cursor.close()


@dataclass
class Database:
    """The engine and a session factory; built once in app.py and passed to whoever needs it."""

    engine: Engine
    sessions: sessionmaker[Session]
    url: str
    data_dir: Path | None = None  # the SQLite log's folder (media downloads go beside it)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def describe(self) -> str:
        """Where the log is, for messages (password hidden)."""
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()


def open_database(
    *, data_dir: Path | None = None, database_url: str | None = None, migrate: bool = True, for_import: bool = False
) -> Database:
    """Open (and migrate) the log: a SQLite file in ``data_dir`` unless ``database_url`` names a server.

    ``for_import=True`` opens a SQLite log for a process that writes a lot and must keep its memory bounded
    (an import): it is read without mapping it into memory, since every page read through the map counts in
    the resident memory, up to the map's size, and a large import reads pages all over its indexes (97 MB of
    the 291 MB peak of a 1 GB import); and written with fewer WAL checkpoints (IMPORT_CHECKPOINT_PAGES).
    """
    folder: Path | None = None
    if database_url:
        url = database_url
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        engine = create_engine(url, pool_pre_ping=True)
        if engine.dialect.name == "postgresql":
            from moderator_app.store.models import declare_postgresql_options

            declare_postgresql_options()
            if make_url(url).password is None:
                event.listen(engine, "do_connect", password_from_keyring(url))
    else:
        folder = prepare_data_dir(data_dir or default_data_dir())
        path = folder / DB_FILE
        _create_private_file(path)
        url = f"sqlite:///{path}"
        engine = create_engine(url)

        def pragmas(dbapi_connection: Any, record: Any) -> None:
            _sqlite_pragmas(dbapi_connection, record, for_import=for_import)

        event.listen(engine, "connect", pragmas)
    database = Database(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False), url=url, data_dir=folder)
    if migrate:
        try:
            upgrade(database)
        except OperationalError as exc:
            engine.dispose()
            raise StoreError(explain_operational_error(exc, database.describe())) from exc
    return database


#: The newest migration. A log already there opens without loading Alembic (a fifth of a second at every
#: start); tests/store/test_db.py checks this is Alembic's head.
HEAD_REVISION = "0019"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _at_head(database: Database) -> bool:
    with database.engine.connect() as connection:
        try:
            versions = list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
        except DBAPIError:  # a new log: no version table yet
            connection.rollback()
            return False
    return versions == [HEAD_REVISION]


def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the schema to ``revision``; runs at every start, a no-op when already there."""
    if revision == "head" and _at_head(database):
        return
    from alembic import command

    config = alembic_config()
    with database.engine.connect() as connection:
        if database.is_sqlite:
            # Batch migrations copy tables; with foreign keys enforced, dropping the old copy would fail.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        if database.is_sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def current_revision(database: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def password_from_keyring(url: str) -> Callable[[Any, Any, Any, dict[str, Any]], None]:
    """For a server URL without a password (so it never shows in the command line or a process list): the
    password kept in the system keyring (``database-password``) unless PGPASSWORD is set; with neither, the
    driver reads the .pgpass file (or PGPASSFILE) as it always does."""

    def supply(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        if cparams.get("password") or os.environ.get("PGPASSWORD"):
            return
        password = database_password(url)
        if password:
            cparams["password"] = password

    return supply


def explain_operational_error(exc: DBAPIError, where: str) -> str:
    """Turn the driver's words into what a person can do about it."""
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if "locked" in text or "busy" in text:
        return (
            f"The database {where} is locked by another program (another copy of the app or a backup "
            "tool). Close it and try again."
        )
    if "readonly" in text or "read-only" in text or "permission" in text:
        return f"The database {where} cannot be written: check that you own the file and its folder."
    if "disk" in text and ("full" in text or "i/o" in text):
        return f"The disk holding {where} is full or failing: free some space and try again."
    # Before "connection": the driver says "connection … failed: password authentication failed".
    if "authentication" in text or "password" in text:
        return f"The database server {where} refused the user name or password in --database-url."
    if "connection refused" in text or "could not connect" in text or "connection" in text:
        return (
            f"Cannot reach the database server {where}: check that it is running and that the address "
            "in --database-url is right."
        )
    return f"The database {where} reported an error: {exc.orig or exc}"
