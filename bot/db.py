"""The database: one engine per process, and the unit of work every service runs in."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from bot import clock
from bot.text import without_nul
from models.handled_request import HandledRequest

_engine: Engine | None = None
_sessions: sessionmaker[Session] | None = None
# What the request being handled has written: an error after a write must not tell the user "nothing was saved".
# Each request starts at 0 (handlers.boundary); a thread reused by the server is reset then.
_writes_in_request: ContextVar[int] = ContextVar("writes_in_request", default=0)
# The Slack delivery being handled, (team, key), claimed by its first writing unit of work (bot/replays).
_delivery: ContextVar[tuple[str, str] | None] = ContextVar("delivery", default=None)
_delivery_claimed: ContextVar[bool] = ContextVar("delivery_claimed", default=False)


class AlreadyHandled(BaseException):
    """Another copy of this Slack delivery already made its change: this copy's change is rolled back.

    A BaseException, so that the handlers' `except Exception` (which turns a crash into an apology) lets it through
    to the boundary, which answers this copy as the first one was answered.
    """


def _drop_nul_bytes(_conn, _cursor, statement, parameters, _context, _executemany):  # type: ignore[no-untyped-def]
    """PostgreSQL refuses a NUL in text ("A string literal cannot contain NUL"), forever, and SQLite keeps it: every
    text bound to a statement loses its NULs, so a page, a CLI argument or a payload is stored the same on both."""
    return statement, without_nul(parameters)


def make_engine(url: str, **options: Any) -> Engine:
    """Create an engine; SQLite gets a busy timeout and WAL so several processes can share the file; on both, text
    is stored without NUL bytes."""
    engine = _make_engine(url, **options)
    event.listen(engine, "before_cursor_execute", _drop_nul_bytes, retval=True)
    return engine


def _make_engine(url: str, **options: Any) -> Engine:
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


def configure(url: str, *, connections: int | None = None) -> Engine:
    """Point this process at a database (called once at start-up, and by tests per database); `connections` sizes
    the pool to the threads that use it at once (SQLAlchemy's default is 5, and 10 more while busy)."""
    global _engine, _sessions
    if _engine is not None:
        _engine.dispose()
    _engine = make_engine(url, **({"pool_size": connections} if connections else {}))
    _sessions = sessionmaker(_engine, expire_on_commit=False)
    event.listen(_sessions, "after_flush", _note_flush)
    event.listen(_sessions, "do_orm_execute", _note_statement)
    return _engine


def _note_flush(session: Session, _context: Any) -> None:
    session.info["wrote"] = True


def _note_statement(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["wrote"] = True


def engine() -> Engine:
    """The configured engine; raises RuntimeError before configure()."""
    if _engine is None:
        raise RuntimeError("bot.db.configure(url) has not been called")
    return _engine


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction: commits when the block ends, rolls back on any exception.

    When it wrote something during a Slack request, the request's delivery is claimed in the same transaction, so the
    change and "this delivery was handled" commit together; raises AlreadyHandled when another copy claimed it first.
    """
    if _sessions is None:
        raise RuntimeError("bot.db.configure(url) has not been called")
    with _sessions.begin() as session:
        yield session
        session.flush()
        wrote = bool(session.info.get("wrote"))
        claiming = wrote and _delivery.get() is not None and not _delivery_claimed.get()
        if claiming:
            _claim_delivery(session, *_delivery.get())  # type: ignore[misc]
    if claiming:
        _delivery_claimed.set(True)
    if wrote:
        _writes_in_request.set(_writes_in_request.get() + 1)


@contextmanager
def kept_aside() -> Iterator[Session]:
    """One transaction for what Cadence keeps of Slack's own answers (who people are), not for the request's change:
    it claims no delivery and is not "saved", so a request that only read, or then failed, is still retried afresh
    and still says nothing was saved. Raises RuntimeError before configure()."""
    if _sessions is None:
        raise RuntimeError("bot.db.configure(url) has not been called")
    with _sessions.begin() as session:
        yield session


def _claim_delivery(session: Session, team_id: str, key: str) -> None:
    values = {"team_id": team_id, "key": key, "claimed_at": clock.now()}
    if not insert_or_ignore(session, HandledRequest, values, conflict=["team_id", "key"]):
        raise AlreadyHandled(key)


def lock_row(session: Session, row: Any) -> None:
    """Hold `row`'s lock until the commit, then read it afresh: a write that changes nothing (its key set to itself),
    for which PostgreSQL locks the row and SQLite takes its one write lock. Two changes of one row at the same moment
    queue up, and the later one reads what the first committed instead of writing over it. This request's own
    pending changes are flushed first, so they stay."""
    session.flush()
    state = inspect(row)
    key_columns = state.mapper.primary_key
    session.execute(
        update(state.mapper.local_table)
        .where(*(column == value for column, value in zip(key_columns, state.identity, strict=True)))
        .values({key_columns[0].name: key_columns[0]})
    )
    session.expire(row)


def start_request(delivery: tuple[str, str] | None = None) -> None:
    """A Slack request begins on this thread: nothing written yet; `delivery` (team, key) is claimed by its first
    write."""
    _writes_in_request.set(0)
    _delivery.set(delivery)
    _delivery_claimed.set(False)


def saved_in_this_request() -> bool:
    """Whether a unit of work has written and committed since this request began: what a failure must admit to."""
    return _writes_in_request.get() > 0


def delivery_claimed() -> bool:
    """Whether this request's delivery was claimed by one of its writes (so its answer is worth keeping)."""
    return _delivery_claimed.get()


def insert_or_ignore(session: Session, model: type[Any], values: dict[str, Any], *, conflict: Sequence[str]) -> bool:
    """INSERT … ON CONFLICT (conflict) DO NOTHING, on SQLite and PostgreSQL alike; True when this call inserted it.

    Get-or-create races (two first commands in a new workspace) end in one row and no error: the loser's insert
    is a no-op and it reads the winner's row.
    """
    statement = _insert_or_ignore(session.get_bind().dialect.name, model.__table__, tuple(values), tuple(conflict))
    return session.execute(statement, values).first() is not None


@lru_cache(maxsize=64)
def _insert_or_ignore(dialect: str, table: Any, _columns: tuple[str, ...], conflict: tuple[str, ...]) -> Any:
    # Built once per table and set of columns, the values bound at execution: every write that claims a Slack
    # delivery runs one (bench/slash_roundtrip.py), and building the statement cost more than running it.
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # Core, not the ORM's bulk insert, whose rowcount counts the conflicting row on psycopg.
    return insert(table).on_conflict_do_nothing(index_elements=list(conflict)).returning(*table.primary_key.columns)


def upsert(
    session: Session, model: type[Any], values: dict[str, Any], *, conflict: Sequence[str], newer: str | None = None
) -> None:
    """INSERT … ON CONFLICT (conflict) DO UPDATE, on SQLite and PostgreSQL alike: two inserts of one key at once end
    in one row and no error. With `newer` (a column), a stored row is only replaced by values at least as new."""
    upsert_many(session, model, [values], conflict=conflict, newer=newer)


def upsert_many(
    session: Session,
    model: type[Any],
    rows: Sequence[dict[str, Any]],
    *,
    conflict: Sequence[str],
    newer: str | None = None,
) -> None:
    """upsert() for many rows with the same columns, sent as one executemany (a users.list page: 200 people)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__
    statement = insert(table)
    changed = {name: statement.excluded[name] for name in rows[0] if name not in conflict}
    where = table.c[newer] <= statement.excluded[newer] if newer else None
    statement = statement.on_conflict_do_update(index_elements=list(conflict), set_=changed, where=where)
    session.execute(statement, list(rows) if len(rows) > 1 else rows[0])


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
