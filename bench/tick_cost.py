"""Dispatcher tick cost with a small and a large store and the same number of due cadences.

    .venv/bin/python bench/tick_cost.py                          # 10k vs 1M stored, 1k due, SQLite files
    .venv/bin/python bench/tick_cost.py --database postgresql    # the same on a throwaway PostgreSQL server
    .venv/bin/python bench/tick_cost.py --quick                  # 1k vs 20k stored, 100 due: seconds

Each store is a fresh, migrated database: N - due active cadences due between a day and a year from now, and
`due` active ones (spread through the table) due a minute ago, each with a channel. Two costs are measured:

- claim only: `dispatcher.claim_due` in its own unit of work, batch after batch until a batch is not full,
  exactly the claim loop of `dispatcher.tick` (select due rows by index, move each forward, insert deliveries);
- full tick: `dispatcher.tick(now, client=...)`, which also posts every delivery to the in-process Slack
  stand-in, so the posts dominate it.

- memory: once per store, after the rounds, `python app.py tick` in a process of its own on freshly due rows (the
  operator's one-off tick: settings, migration check, the programs' kinds, one tick posting to the stand-in at
  Slack's pace), and its peak resident set as the kernel counts it (wait4's ru_maxrss). Targets: under 150 MB,
  and no more with the largest store than with the smallest (within 10%).

Before every measurement the due rows are made due again with one UPDATE and the delivery table is emptied.
Rounds alternate between the stores (both stay open, in reverse order every other round) and the median
per store is reported, with the ratio cost(largest)/cost(smallest); the issue's target is at most 1.5.
A missed target is reported, not raised: the exit status is 0 whenever the run itself worked.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_sdk import WebClient
from sqlalchemy import Engine, String, cast, delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bench.common import bulk_insert_cadences, cadence_rows, open_stores, progress, quiet_logging, table, verdict
from bot import clock
from bot import db as bot_db
from bot.cadence import dispatcher
from bot.cadence.delivery import Pace
from bot.config import Settings
from bot.slack.client import make_client
from devtools.slack_stand_in import SlackStandIn
from models import Cadence, CadenceStatus, Delivery

RATIO_TARGET = 1.5
RSS_TARGET_MB = 150.0
RSS_GROWTH_TARGET = 1.1
ROOT = Path(__file__).resolve().parent.parent
OVERDUE_BY = timedelta(minutes=1)
TEAMS = 500


@dataclass
class Store:
    """One filled database, its own engine kept open for the whole run."""

    size: int
    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    due_ids: list[int]
    fill_seconds: float
    claim_seconds: list[float] = field(default_factory=list)
    tick_seconds: list[float] = field(default_factory=list)
    tick_peak_mb: float = 0.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 1_000_000], help="cadences stored per store (10000 1000000)"
    )
    parser.add_argument("--due", type=int, default=1_000, help="due cadences in every store (default 1000)")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds per store (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds per store first (default 1)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1k vs 20k stored, 100 due, 2 rounds")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.due, args.rounds = [1_000, 20_000], 100, 2
    if min(args.sizes) <= args.due:
        parser.error("every size must be larger than --due")
    return args


def due_ids_for(size: int, due: int) -> list[int]:
    """Ids of the due rows, evenly spread over 1..size so they are not all in the table's last pages."""
    step = size // due
    return [1 + k * step for k in range(due)]


def fill(url: str, *, size: int, due: int) -> Store:
    """Migrate the database at `url`, fill it, and open the engine the measurements use."""
    bot_db.upgrade_to_head(url)
    now = clock.now()
    due_ids = due_ids_for(size, due)
    due_set = set(due_ids)
    span = 364 * 86_400
    rows = cadence_rows(
        size,
        team_of=lambda i: f"TB{i % TEAMS:05d}",
        # Deterministic, spread over the coming year (day 1..365), interleaved with the due ones.
        next_run_of=lambda i: now - OVERDUE_BY if i in due_set else now + timedelta(days=1, seconds=(i * 7919) % span),
        created_at=now,
    )
    progress(f"filling {size:,} cadences ({due:,} due)…")
    seconds = bulk_insert_cadences(url, rows)
    engine = bot_db.make_engine(url)
    with engine.begin() as connection:
        # Each due nudge in its own channel: the ids chosen above fall in a few of the hundred channels, and one
        # channel takes one post a second, which would make the paced tick (memory, below) a matter of minutes.
        connection.execute(
            update(Cadence).where(Cadence.id.in_(due_ids)).values(channel_id="C_DUE" + cast(Cadence.id, String))
        )
    progress(f"  done in {seconds:.1f} s")
    return Store(size, url, engine, sessionmaker(engine, expire_on_commit=False), due_ids, seconds)


@contextmanager
def using(store: Store) -> Iterator[None]:
    """Point bot.db at this store's engine for the block.

    bot.db keeps one engine per process and configure() disposes the previous one; swapping its engine and
    sessionmaker instead keeps both stores' connections (and SQLite page caches) warm while rounds interleave.
    """
    saved = bot_db._engine, bot_db._sessions
    bot_db._engine, bot_db._sessions = store.engine, store.sessions
    try:
        yield
    finally:
        bot_db._engine, bot_db._sessions = saved


def make_due_again(store: Store, now: datetime) -> None:
    """Due rows due a minute before `now` again, and no deliveries (one UPDATE, one DELETE)."""
    with store.engine.begin() as connection:
        connection.execute(delete(Delivery))
        connection.execute(update(Cadence).where(Cadence.id.in_(store.due_ids)).values(next_run_at=now - OVERDUE_BY))
        due = connection.scalar(
            select(func.count())
            .select_from(Cadence)
            .where(Cadence.next_run_at <= now, Cadence.status == CadenceStatus.ACTIVE)
        )
    if due != len(store.due_ids):
        raise SystemExit(f"{store.size:,} store: {due} cadences due after the reset, expected {len(store.due_ids)}")


def claim_only(now: datetime) -> tuple[float, int]:
    """The claim loop of dispatcher.tick on its own; returns (seconds, claimed)."""
    start = time.perf_counter()
    claimed = 0
    while True:
        with bot_db.unit_of_work() as session:
            count, full_batch = dispatcher.claim_due(session, now=now)
        claimed += count
        if not full_batch:
            break
    return time.perf_counter() - start, claimed


def full_tick(now: datetime, client: WebClient) -> tuple[float, int, int]:
    """dispatcher.tick; returns (seconds, claimed, posted)."""
    start = time.perf_counter()
    # Ten nudges per channel here: unpaced, so this measures the tick's own cost, not Slack's one post a second.
    report = dispatcher.tick(now, client=client, pace=Pace(spacing=0.0))
    return time.perf_counter() - start, report.claimed, report.outcome.posted


def run_round(store: Store, client: WebClient, slack: SlackStandIn, *, record: bool) -> None:
    """One claim-only and one full-tick measurement on `store`, each on freshly due rows."""
    due = len(store.due_ids)
    with using(store):
        now = clock.now()
        make_due_again(store, now)
        seconds, claimed = claim_only(now)
        if claimed != due:
            raise SystemExit(f"{store.size:,} store: claimed {claimed}, expected {due}")
        if record:
            store.claim_seconds.append(seconds)
        now = clock.now()
        make_due_again(store, now)
        seconds, claimed, posted = full_tick(now, client)
        if claimed != due or posted != due or slack.problems:
            raise SystemExit(f"{store.size:,} store: tick claimed {claimed}, posted {posted}; {slack.problems[:3]}")
        if record:
            store.tick_seconds.append(seconds)
    slack.reset()  # keep the stand-in's message store from growing round after round


def tick_in_its_own_process(store: Store, slack: SlackStandIn) -> None:
    """`python app.py tick` on freshly due rows, in a child process; records its peak RSS (wait4's ru_maxrss)."""
    make_due_again(store, clock.now())
    environment = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": store.url,
    }
    child = subprocess.Popen(
        [sys.executable, "app.py", "tick"], cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert child.stdout is not None
    said = child.stdout.read().decode()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0 or f"claimed {len(store.due_ids)} " not in said:
        raise SystemExit(f"{store.size:,} store: `app.py tick` exited {child.returncode} saying {said!r}")
    store.tick_peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    slack.reset()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def report(args: argparse.Namespace, stores: list[Store]) -> None:
    print()
    print(
        f"Dispatcher tick cost on {args.database}: {args.due:,} due in every store, claim batch "
        f"{dispatcher.CLAIM_BATCH}; median of {args.rounds} rounds after {args.warmup} warm-up, rounds interleaved"
    )
    rows = []
    for store in stores:
        claims, ticks = store.claim_seconds, store.tick_seconds
        rows.append(
            [
                f"{store.size:,}",
                f"{store.fill_seconds:.1f}",
                ms(statistics.median(claims)),
                ms(min(claims)),
                ms(max(claims)),
                ms(statistics.median(ticks)),
                ms(min(ticks)),
                ms(max(ticks)),
            ]
        )
    print(
        table(
            ["stored", "fill s", "claim ms", "min", "max", "full tick ms", "min", "max", "tick process peak MB"],
            [row + [f"{store.tick_peak_mb:.1f}"] for row, store in zip(rows, stores, strict=True)],
        )
    )
    small, large = stores[0], stores[-1]
    print()
    for name, small_values, large_values in (
        ("claim only", small.claim_seconds, large.claim_seconds),
        ("full tick", small.tick_seconds, large.tick_seconds),
    ):
        ratio = statistics.median(large_values) / statistics.median(small_values)
        print(
            f"{name}: cost({large.size:,})/cost({small.size:,}) = {ratio:.2f}x "
            f"(target <= {RATIO_TARGET}x: {verdict(ratio <= RATIO_TARGET)})"
        )
    peak, growth = max(s.tick_peak_mb for s in stores), large.tick_peak_mb / small.tick_peak_mb
    print(
        f"tick process peak RSS: {peak:.1f} MB at most (target < {RSS_TARGET_MB:.0f} MB: "
        f"{verdict(peak < RSS_TARGET_MB)}); {large.size:,} stored / {small.size:,} stored = {growth:.2f}x "
        f"(target <= {RSS_GROWTH_TARGET}x: {verdict(growth <= RSS_GROWTH_TARGET)})"
    )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    args.sizes = sorted(args.sizes)
    quiet_logging()
    with tempfile.TemporaryDirectory(prefix="cadence-bench-") as directory, SlackStandIn() as slack:
        settings = Settings.from_env(
            {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "unused", "SLACK_API_URL": slack.url}
        )
        client = make_client(settings)
        stores, server = open_stores(
            args.database,
            args.sizes,
            Path(directory),
            name="tick",
            fill=lambda url, size: fill(url, size=size, due=args.due),
        )
        try:
            for number in range(args.warmup + args.rounds):
                order = stores if number % 2 == 0 else stores[::-1]
                progress(f"round {number + 1}/{args.warmup + args.rounds}" + (" (warm-up)" * (number < args.warmup)))
                for store in order:
                    run_round(store, client, slack, record=number >= args.warmup)
            for store in stores:
                progress(f"{store.size:,} store: one `app.py tick` in its own process, for its memory…")
                tick_in_its_own_process(store, slack)
        finally:
            for store in stores:
                store.engine.dispose()
            if server is not None:
                server.stop()
    report(args, stores)


if __name__ == "__main__":
    main()
