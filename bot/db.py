"""The database: one engine per process, and the unit of work every service runs in."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

_engine: Engine | None = None
_sessions: sessionmaker[Session] | None = None
# How many units of work have committed in the request being handled: an error after a commit must not tell the
# user "nothing was saved". Each request starts at 0 (handlers.middleware); a thread reused by the server is reset.
_commits_in_request: ContextVar[int] = ContextVar("commits_in_request", default=0)


def make_engine(url: str, **options: Any) -> Engine:
    """Create an engine; SQLite gets a busy timeout and WAL so several processes can share the file."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, hide_parameters=True, **options
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    # hide_parameters: a failing statement's error (and so the log) must not carry what people typed.
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, **options)


def configure(url: str) -> Engine:
    """Point this process at a database (called once at start-up, and by tests per database)."""
    global _engine, _sessions
    if _engine is not None:
        _engine.dispose()
    _engine = make_engine(url)
    _sessions = sessionmaker(_engine, expire_on_commit=False)
    return _engine


def engine() -> Engine:
    """The configured engine; raises RuntimeError before configure()."""
    if _engine is None:
        raise RuntimeError("bot.db.configure(url) has not been called")
    return _engine


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction: commits when the block ends, rolls back on any exception."""
    if _sessions is None:
        raise RuntimeError("bot.db.configure(url) has not been called")
    with _sessions.begin() as session:
        yield session
    _commits_in_request.set(_commits_in_request.get() + 1)


def start_request() -> None:
    """Forget the commits of an earlier request on this thread (called as each Slack request arrives)."""
    _commits_in_request.set(0)


def saved_in_this_request() -> bool:
    """Whether a unit of work has committed since this request began: what a failure afterwards must admit to."""
    return _commits_in_request.get() > 0


def insert_or_ignore(session: Session, model: type[Any], values: dict[str, Any], *, conflict: Sequence[str]) -> bool:
    """INSERT … ON CONFLICT (conflict) DO NOTHING, on SQLite and PostgreSQL alike; True when this call inserted it.

    Get-or-create races (two first commands in a new workspace) end in one row and no error: the loser's insert
    is a no-op and it reads the winner's row.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**values).on_conflict_do_nothing(index_elements=list(conflict))
    # RETURNING, not rowcount: PostgreSQL inserts return the new key that way and report rowcount -1 (truthy).
    key = list(model.__table__.primary_key.columns)
    return session.execute(statement.returning(*key)).first() is not None


def upgrade_to_head(url: str) -> None:
    """Run Alembic migrations up to head (done on every start, and by the Procfile's release phase)."""
    from pathlib import Path

    from alembic import command
    from alembic.config import Config

    root = Path(__file__).resolve().parent.parent
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.attributes["database_url"] = url
    command.upgrade(config, "head")
