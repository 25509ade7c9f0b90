"""What both benchmarks share: percentiles, a results table, and bulk-filled cadence stores."""

from __future__ import annotations

import logging
import math
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as wall_time
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import insert
from sqlalchemy.pool import NullPool

from bot.cadence.rules import Frequency, Recurrence, to_dict
from bot.db import make_engine
from devtools.postgres_server import PostgresServer
from models import Cadence, CadenceStatus

FILL_CHUNK = 10_000
TIMEZONES = ("UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo")


def quiet_logging() -> None:
    """Warnings and errors only: the request log would otherwise print a line per request."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def progress(message: str) -> None:
    """A set-up note on stderr, so stdout holds only the results."""
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True, slots=True)
class Stats:
    n: int
    p50: float
    p99: float
    mean: float
    low: float
    high: float


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence; raises ValueError when empty."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def stats(values: Sequence[float]) -> Stats:
    """p50, p99, mean, min and max of the samples; raises ValueError when empty."""
    return Stats(
        n=len(values),
        p50=percentile(values, 50),
        p99=percentile(values, 99),
        mean=sum(values) / len(values),
        low=min(values),
        high=max(values),
    )


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain fixed-width table: the first column left-aligned, the rest right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def verdict(met: bool) -> str:
    """How a target check reads in the results."""
    return "met" if met else "MISSED"


def rule_pool() -> list[dict[str, Any]]:
    """Stored rules as `/cadence add` would save them: weekly and monthly, at several times and zones."""
    rules = []
    for zone in TIMEZONES:
        for hour, minute in ((9, 0), (9, 30), (14, 0), (16, 45)):
            at = wall_time(hour, minute)
            rules += [
                to_dict(Recurrence(frequency=Frequency.WEEKLY, at=at, timezone=zone, weekday=day)) for day in range(5)
            ]
            rules.append(to_dict(Recurrence(frequency=Frequency.MONTHLY, at=at, timezone=zone, day=1)))
            rules.append(to_dict(Recurrence(frequency=Frequency.MONTHLY, at=at, timezone=zone, ordinal=-1, weekday=4)))
    return rules


def cadence_rows(
    count: int,
    *,
    team_of: Callable[[int], str],
    next_run_of: Callable[[int], datetime],
    created_at: datetime,
    seed: int = 1,
) -> Iterator[dict[str, Any]]:
    """`count` cadence rows with ids 1..count; row i belongs to `team_of(i)` and is due at `next_run_of(i)`."""
    rng = random.Random(seed)
    rules = rule_pool()
    for i in range(1, count + 1):
        team_id = team_of(i)
        yield {
            "id": i,
            "team_id": team_id,
            "title": f"Bench reminder {i}",
            "rule": rng.choice(rules),
            "channel_id": f"C_BENCH{i % 100:03d}",
            "recipient_ids": [],
            "created_by": "U_ALICE",
            "status": CadenceStatus.ACTIVE,
            "kind": "reminder",
            "subject_id": None,
            "next_run_at": next_run_of(i),
            "created_at": created_at,
        }


def bulk_insert_cadences(url: str, rows: Iterator[dict[str, Any]], *, chunk: int = FILL_CHUNK) -> float:
    """Insert rows with Core executemany, `chunk` rows per transaction; returns the seconds it took."""
    # Its own unpooled engine: nothing the fill does to a connection is left behind for the measurements.
    engine = make_engine(url, poolclass=NullPool)
    start = time.perf_counter()
    statement = insert(Cadence)
    batch: list[dict[str, Any]] = []
    try:
        for row in rows:
            batch.append(row)
            if len(batch) == chunk:
                with engine.begin() as connection:
                    connection.execute(statement, batch)
                batch = []
        if batch:
            with engine.begin() as connection:
                connection.execute(statement, batch)
        if url.startswith("postgresql"):
            # The rows carry their ids, which PostgreSQL's id sequence doesn't see: moved past them, so the next
            # cadence saved (a /cadence add) doesn't get id 1 and fail on the primary key.
            with engine.begin() as connection:
                connection.exec_driver_sql(
                    "SELECT setval(pg_get_serial_sequence('cadence', 'id'), (SELECT max(id) FROM cadence))"
                )
            # A long-running database has statistics; a freshly filled one gets them here, as autovacuum would.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE cadence")
    finally:
        engine.dispose()
    return time.perf_counter() - start


def spread_over_next_year(now: datetime, *, seed: int = 2) -> Callable[[int], datetime]:
    """next_run_at values spread uniformly between one day and one year from `now` (never due during a run)."""
    rng = random.Random(seed)
    return lambda _i: now + timedelta(days=1) + timedelta(seconds=rng.uniform(0, 364 * 86_400))


class _Store(Protocol):
    @property
    def engine(self) -> Any: ...


StoreT = TypeVar("StoreT", bound=_Store)


def open_stores(
    database: str, sizes: Sequence[int], directory: Path, *, name: str, fill: Callable[[str, int], StoreT]
) -> tuple[list[StoreT], PostgresServer | None]:
    """One database per size, each filled by `fill(url, size)`: SQLite files in `directory`, or databases on a
    throwaway PostgreSQL server (returned so it can be stopped). What was opened is closed if a fill fails."""
    if database == "sqlite":
        urls = [f"sqlite:///{directory / f'{name}_{size}.db'}" for size in sizes]
        server: PostgresServer | None = None
    else:
        progress("starting a throwaway PostgreSQL server…")
        server = PostgresServer().start()
        urls = [server.create_database(f"bench_{name}_{size}") for size in sizes]
    stores: list[StoreT] = []
    try:
        for size, url in zip(sizes, urls, strict=True):
            stores.append(fill(url, size))
    except BaseException:
        for store in stores:
            store.engine.dispose()
        if server is not None:
            server.stop()
        raise
    return stores, server
