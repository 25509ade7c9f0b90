"""The database: one engine per process, and the unit of work every service runs in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

_engine: Engine | None = None
_sessions: sessionmaker[Session] | None = None


def make_engine(url: str, **options: Any) -> Engine:
    """Create an engine; SQLite gets a busy timeout and WAL so several processes can share the file."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **options)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **options)


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
