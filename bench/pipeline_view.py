"""Co-create pipeline view cost with a small and a large prospect store.

    .venv/bin/python bench/pipeline_view.py                          # 100 vs 10k prospects (1k vs 100k steps), SQLite
    .venv/bin/python bench/pipeline_view.py --database postgresql    # the same on a throwaway PostgreSQL server
    .venv/bin/python bench/pipeline_view.py --quick                  # 100 vs 2k prospects, 10 rounds: seconds

Each store is a fresh, migrated database holding one workspace (T0001, fiscal year from February) with its
co-create program (default targets and weights) and `size` prospects, every one with its outreach started and a
checklist of `--steps-per-prospect` steps (the seed's six, then the same keys again). Outreach starts are spread
over FY26; each prospect is still uncontacted, open at some stage, started, declined or deferred, its contact,
meeting, start and outcome dates following its finished steps, so the funnel of every FY26 quarter has real
numbers and part of the open outreach is stalled on TODAY (a Monday in FY26-Q4).

Three paths are timed per request, each in its own `bot.db.unit_of_work()`:

- command: `handlers.cocreate.commands.run_pipeline` for `/cocreate pipeline FY26-Q1`, exactly what the slash command
  runs after parsing (workspace, quarter_funnel, uncontacted when the pipeline is short, pipeline_message);
- full view: what the issue lists for the view, each call timed on its own: quarter_funnel(FY26-Q1),
  uncontacted, stalled_prospects(today=TODAY) and pipeline_message with the stalled list;
- digest: `PipelineDigest.render` of the weekly digest on TODAY (the current quarter, stalled prospects included).

Rounds alternate between the stores (both stay open, in reverse order every other round). p50 and p99 per store are
reported with the ratio p50(largest)/p50(smallest); the issue asks for the same order of time (here: at most 10x).
A last, unmeasured pass counts the SQL statements of each path. A missed target is reported, not raised: the exit
status is 0 whenever the run itself worked.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_sdk import WebClient
from sqlalchemy import Engine, event, func, insert, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from bench.common import open_stores, progress, quiet_logging, stats, table, verdict
from bot import db as bot_db
from bot.cadence.rules import Frequency, Recurrence, to_dict
from bot.cocreate import commands as cocreate_commands
from bot.cocreate import pipeline, rules, service, standing
from bot.cocreate.blocks import pipeline as pipeline_blocks
from bot.cocreate.nudges import PipelineDigest
from bot.fiscal import FiscalCalendar, FiscalQuarter
from bot.permissions import Actor
from handlers.cocreate import commands as cocreate_handlers
from handlers.context import SlackRequest
from models import Cadence, CocreateProgram, Delivery, OutreachStep, Prospect, ProspectOutcome, StepState
from models.workspace import Workspace

RATIO_TARGET = 10.0  # "the same order of time"
TEAM_ID = "T0001"
MANAGER_ID = "U_MANAGER"
QUARTER_LABEL = "FY26-Q1"
CALENDAR = FiscalCalendar(start_month=2)
QUARTER = CALENDAR.parse_quarter(QUARTER_LABEL)
FY26_START = CALENDAR.quarter(2026, 1).start  # 2025-02-01
TODAY = date(2026, 1, 26)  # a Monday in FY26-Q4: the weekly digest's day
DIGEST_AT = datetime.combine(TODAY, wall_time(9, 0), tzinfo=UTC)
FILL_CHUNK = 5_000
WEIGHTS = rules.validate_weights({})  # the default program: equal weights
PARTS = ("quarter_funnel", "uncontacted", "stalled_prospects", "pipeline_message")


@dataclass
class Store:
    """One filled database, its own engine kept open for the whole run."""

    size: int
    steps: int
    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    fill_seconds: float
    command: list[float] = field(default_factory=list)
    view: list[float] = field(default_factory=list)
    parts: dict[str, list[float]] = field(default_factory=lambda: {part: [] for part in PARTS})
    digest: list[float] = field(default_factory=list)
    statements: dict[str, int] = field(default_factory=dict)
    shape: dict[str, int] = field(default_factory=dict)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[100, 10_000], help="prospects per store (default 100 10000)"
    )
    parser.add_argument(
        "--steps-per-prospect", type=int, default=10, help="checklist steps per prospect (default 10: 100k for 10k)"
    )
    parser.add_argument("--rounds", type=int, default=50, help="measured rounds per store (default 50)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured rounds per store first (default 3)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--quick", action="store_true", help="smoke run: 100 vs 2k prospects, 10 rounds, 1 warm-up")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.rounds, args.warmup = [100, 2_000], 10, 1
    if min(args.sizes) < 1 or args.steps_per_prospect < 1 or args.rounds < 1:
        parser.error("sizes, --steps-per-prospect and --rounds must be at least 1")
    args.sizes = sorted(set(args.sizes))
    if len(args.sizes) < 2:
        parser.error("give at least two different sizes")
    return args


# ---- the stores ---------------------------------------------------------------------------------------------------


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, wall_time(hour, 0), tzinfo=UTC)


def _step_dates(rng: random.Random, contacted: date) -> list[date]:
    """When the first five steps were finished: contact, follow-up, meeting, outcomes, project start."""
    follow_up = contacted + timedelta(days=rng.randint(3, 8))
    meeting = follow_up + timedelta(days=rng.randint(7, 16))
    outcomes = meeting + timedelta(days=rng.randint(3, 9))
    started = contacted + timedelta(days=rng.randint(max(50, (outcomes - contacted).days + 1), 75))
    return [contacted, follow_up, meeting, outcomes, started]


def prospect_and_steps(
    i: int, rng: random.Random, steps_per_prospect: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Prospect `i` (id i) and its checklist; its dates follow its finished steps, none after TODAY."""
    csm = f"U_CSM{i % 25:02d}"
    began = FY26_START + timedelta(days=rng.randint(0, (TODAY - FY26_START).days - 3))
    contacted = min(began + timedelta(days=rng.randint(0, 3)), TODAY)
    finished = [d for d in _step_dates(rng, contacted) if d <= TODAY]  # later steps can't be done yet
    kind = rng.random()
    outcome, outcome_on, revisit_on, reason = ProspectOutcome.OPEN, None, None, None
    if kind < 0.15:  # outreach started, initial contact not made yet
        done = 0
    elif kind < 0.50:  # open, somewhere before the project start
        done = rng.randint(1, min(4, len(finished)))
    elif kind < 0.70 and len(finished) == 5:  # project started
        done, outcome, outcome_on = 5, ProspectOutcome.STARTED, finished[4]
    elif kind < 0.90:  # declined after a few steps
        done = rng.randint(1, min(4, len(finished)))
        outcome, reason = ProspectOutcome.DECLINED, "no capacity this year"
        outcome_on = min(finished[done - 1] + timedelta(days=rng.randint(1, 10)), TODAY)
    else:  # deferred to a day after TODAY
        done = rng.randint(1, min(4, len(finished)))
        outcome, reason = ProspectOutcome.DEFERRED, "after their migration"
        outcome_on = min(finished[done - 1] + timedelta(days=rng.randint(1, 10)), TODAY)
        revisit_on = TODAY + timedelta(days=rng.randint(30, 90))
    done_on = finished[:done]
    prospect = {
        "id": i,
        "team_id": TEAM_ID,
        "name": f"Bench Org {i:06d}",
        "csm_id": csm,
        "ae_id": f"U_AE{i % 10:02d}",
        "sa_id": f"U_SA{i % 7:02d}",
        "subscription": ("free", "premium", "ultimate")[i % 3],
        "seats": 50 + i % 5_000,
        "industry": ("Finance", "Manufacturing", "Telco", "Retail")[i % 4],
        "tech_stack_overlap": i % 2 == 0,
        "scores": {criterion.value: (i + n) % 6 for n, criterion in enumerate(rules.Criterion)},
        "tier_override": None,
        "tier_reason": None,
        "outreach_channel_id": f"C_OUT{i % 50:02d}",
        "outreach_started_on": began,
        "contacted_on": done_on[0] if done >= 1 else None,
        "meeting_on": done_on[2] if done >= 3 else None,
        "meeting_attendees": [csm] if done >= 3 else [],
        "project_started_on": done_on[4] if done >= 5 else None,
        "outcome": outcome,
        "outcome_on": outcome_on,
        "outcome_reason": reason,
        "revisit_on": revisit_on,
        "checklist_channel_id": f"C_OUT{i % 50:02d}",
        "checklist_ts": f"1700000000.{i:06d}",
        "created_by": MANAGER_ID,
        "created_at": _at(began, 8),
    }
    due = rules.default_due_dates(began)
    steps = []
    for position in range(steps_per_prospect):
        spec = rules.STEPS[position % len(rules.STEPS)]
        due_on = due[spec.key] + timedelta(days=91 * (position // len(rules.STEPS)))
        if position < done:
            skipped = position == 1 and i % 3 == 0  # the follow-up is often not needed
            state, on = (StepState.SKIPPED if skipped else StepState.DONE), done_on[position]
            changed_by, changed_at = csm, _at(on, 15)
        else:
            state, skipped, changed_by, changed_at = StepState.OPEN, False, None, None
        steps.append(
            {
                "team_id": TEAM_ID,
                "prospect_id": i,
                "position": position,
                "key": str(spec.key),
                "owner_id": csm,
                "due_on": due_on,
                "state": state,
                "skip_reason": "they replied" if skipped else None,
                "changed_by": changed_by,
                "changed_at": changed_at,
            }
        )
    # The standing the flush listener keeps on each row: bulk inserts skip the ORM, so it is computed here alike.
    ranked = SimpleNamespace(**prospect)
    standing.rank(ranked, WEIGHTS)  # type: ignore[arg-type]
    prospect.update(rank_tier=ranked.rank_tier, total_score=ranked.total_score, fully_scored=ranked.fully_scored)
    prospect["current_step"], prospect["stage_began_on"] = standing.stage_from(
        (SimpleNamespace(**step) for step in steps), began
    )
    return prospect, steps


def fill(url: str, *, size: int, steps_per_prospect: int) -> Store:
    """Migrate the database at `url`, bulk-fill it with Core executemany, and open the engine the measurements use."""
    bot_db.upgrade_to_head(url)
    progress(f"filling {size:,} prospects and {size * steps_per_prospect:,} steps…")
    engine = bot_db.make_engine(url, poolclass=NullPool)
    start = time.perf_counter()
    rng = random.Random(size)
    created = _at(FY26_START, 8)
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(Workspace),
                [{"team_id": TEAM_ID, "fiscal_year_start_month": 2, "default_timezone": "UTC", "created_at": created}],
            )
            connection.execute(
                insert(CocreateProgram),
                [
                    {
                        "team_id": TEAM_ID,
                        "channel_id": "C_COCREATE",
                        "manager_id": MANAGER_ID,
                        "timezone": "UTC",
                        "targets": {},
                        "weights": {},
                        "resources": [],
                        "created_at": created,
                    }
                ],
            )
        prospects: list[dict[str, Any]] = []
        steps: list[dict[str, Any]] = []

        def flush() -> None:
            with engine.begin() as connection:
                connection.execute(insert(Prospect), prospects)
                connection.execute(insert(OutreachStep), steps)
            prospects.clear()
            steps.clear()

        for i in range(1, size + 1):
            prospect, checklist = prospect_and_steps(i, rng, steps_per_prospect)
            prospects.append(prospect)
            steps += checklist
            if len(prospects) == FILL_CHUNK:
                flush()
        if prospects:
            flush()
        if url.startswith("postgresql"):
            # A long-running database has statistics; a freshly filled one gets them here, as autovacuum would.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE prospect")
                connection.exec_driver_sql("VACUUM ANALYZE outreach_step")
        with engine.connect() as connection:
            stored = connection.scalar(select(func.count()).select_from(OutreachStep))
    finally:
        engine.dispose()
    seconds = time.perf_counter() - start
    progress(f"  done in {seconds:.1f} s")
    engine = bot_db.make_engine(url)
    return Store(size, stored or 0, url, engine, sessionmaker(engine, expire_on_commit=False), seconds)


@contextmanager
def using(store: Store) -> Iterator[None]:
    """Point bot.db at this store's engine for the block (both stores stay open and warm, as in tick_cost.py)."""
    saved = bot_db._engine, bot_db._sessions
    bot_db._engine, bot_db._sessions = store.engine, store.sessions
    try:
        yield
    finally:
        bot_db._engine, bot_db._sessions = saved


# ---- the three paths --------------------------------------------------------------------------------------------


def command_request() -> SlackRequest:
    return SlackRequest(TEAM_ID, MANAGER_ID, "C_COCREATE", Actor(MANAGER_ID), "UTC", DIGEST_AT)


def digest_occurrence() -> tuple[Cadence, Delivery]:
    """A transient digest cadence and delivery, as the dispatcher hands them to the renderer (never saved)."""
    rule = Recurrence(Frequency.WEEKLY, at=wall_time(9, 0), timezone="UTC", weekday=0)
    cadence = Cadence(
        team_id=TEAM_ID, title="Co-create: weekly pipeline digest", rule=to_dict(rule), kind=service.DIGEST
    )
    return cadence, Delivery(occurrence_at=DIGEST_AT, target="C_COCREATE")


def run_command(client: WebClient) -> tuple[float, dict[str, Any]]:
    """`/cocreate pipeline FY26-Q1` after parsing: the handler's own unit of work."""
    start = time.perf_counter()
    reply = cocreate_handlers.run_pipeline(cocreate_commands.ShowPipeline(QUARTER_LABEL), command_request(), client)
    return time.perf_counter() - start, reply


def run_view(quarter: FiscalQuarter) -> tuple[float, dict[str, float], dict[str, Any], rules.Funnel, int, int]:
    """The issue's list for the view, each call timed; returns (total, per call, message, funnel, stalled, next)."""
    marks: dict[str, float] = {}
    start = time.perf_counter()
    with bot_db.unit_of_work() as session:
        t = time.perf_counter()
        funnel = service.quarter_funnel(session, team_id=TEAM_ID, quarter=quarter)
        marks["quarter_funnel"] = time.perf_counter() - t
        t = time.perf_counter()
        next_up = pipeline.next_to_contact(session, team_id=TEAM_ID)
        marks["uncontacted"] = time.perf_counter() - t
        t = time.perf_counter()
        stalled = service.stalled_prospects(session, team_id=TEAM_ID, today=TODAY)
        marks["stalled_prospects"] = time.perf_counter() - t
        t = time.perf_counter()
        reply = pipeline_blocks.pipeline_message(funnel, today=TODAY, next_prospects=next_up, stalled=stalled)
        marks["pipeline_message"] = time.perf_counter() - t
    return time.perf_counter() - start, marks, reply, funnel, stalled.count, len(next_up)


def run_digest(digest: PipelineDigest) -> tuple[float, dict[str, Any]]:
    """The weekly digest's render on TODAY, in its own unit of work as the dispatcher runs it."""
    cadence, delivery = digest_occurrence()
    start = time.perf_counter()
    with bot_db.unit_of_work() as session:
        reply = digest.render(session, cadence, delivery)
    return time.perf_counter() - start, reply


def check_reply(store: Store, name: str, reply: dict[str, Any], label: str) -> None:
    if f"Co-create pipeline {label}" not in reply.get("text", ""):
        raise SystemExit(f"{store.size:,} store: unexpected {name} reply: {str(reply)[:300]}")


def run_round(store: Store, client: WebClient, digest: PipelineDigest, *, record: bool) -> None:
    with using(store):
        seconds, reply = run_command(client)
        check_reply(store, "command", reply, QUARTER_LABEL)
        if record:
            store.command.append(seconds)
        seconds, marks, reply, funnel, stalled, next_up = run_view(QUARTER)
        check_reply(store, "view", reply, QUARTER_LABEL)
        if record:
            store.view.append(seconds)
            for part, value in marks.items():
                store.parts[part].append(value)
        store.shape = {
            "in_pipeline": funnel.in_pipeline,
            "projects": funnel.projects_initiated,
            "short_by": funnel.short_by,
            "stalled": stalled,
            "next": next_up,
        }
        seconds, reply = run_digest(digest)
        check_reply(store, "digest", reply, CALENDAR.quarter_of(TODAY).label)
        if record:
            store.digest.append(seconds)


def count_statements(store: Store, client: WebClient, digest: PipelineDigest) -> None:
    """One unmeasured pass per path with a statement counter on the engine."""
    count = 0

    def counter(*_args: Any) -> None:
        nonlocal count
        count += 1

    event.listen(store.engine, "before_cursor_execute", counter)
    try:
        with using(store):
            for name, run in (
                ("command", lambda: run_command(client)),
                ("view", lambda: run_view(QUARTER)),
                ("digest", lambda: run_digest(digest)),
            ):
                count = 0
                run()
                store.statements[name] = count
            for part, call in (
                ("quarter_funnel", lambda s: service.quarter_funnel(s, team_id=TEAM_ID, quarter=QUARTER)),
                ("uncontacted", lambda s: pipeline.next_to_contact(s, team_id=TEAM_ID)),
                ("stalled_prospects", lambda s: service.stalled_prospects(s, team_id=TEAM_ID, today=TODAY)),
            ):
                with bot_db.unit_of_work() as session:
                    service.program_of(session, team_id=TEAM_ID)  # not counted: loaded before the call
                    count = 0
                    call(session)
                    store.statements[part] = count
            store.statements["pipeline_message"] = 0
    finally:
        event.remove(store.engine, "before_cursor_execute", counter)


# ---- the report ---------------------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def p50(values: list[float]) -> float:
    return stats(values).p50


def report(args: argparse.Namespace, stores: list[Store]) -> None:
    small, large = stores[0], stores[-1]
    print()
    print(
        f"Co-create pipeline view on {args.database}: `/cocreate pipeline {QUARTER_LABEL}` and the digest on {TODAY}; "
        f"p50/p99 of {args.rounds} rounds after {args.warmup} warm-up, rounds interleaved"
    )
    rows = []
    for store in stores:
        row = [f"{store.size:,}", f"{store.steps:,}", f"{store.fill_seconds:.1f}"]
        for values in (store.command, store.view, store.digest):
            s = stats(values)
            row += [ms(s.p50), ms(s.p99)]
        rows.append(row)
    print(
        table(
            ["prospects", "steps", "fill s", "command p50", "p99", "full view p50", "p99", "digest p50", "p99"],
            rows,
        )
    )
    print()
    print("Full view by call (p50 ms; SQL statements per call in brackets)")
    rows = []
    for store in stores:
        rows.append(
            [f"{store.size:,}"]
            + [f"{ms(p50(store.parts[part]))} [{store.statements.get(part, '?')}]" for part in PARTS]
            + [f"{ms(p50(store.view))} [{store.statements.get('view', '?')}]"]
        )
    rows.append(
        [f"ratio {large.size:,}/{small.size:,}"]
        + [f"{p50(large.parts[part]) / p50(small.parts[part]):.1f}x" for part in PARTS]
        + [f"{p50(large.view) / p50(small.view):.1f}x"]
    )
    print(table(["prospects", *PARTS, "full view"], rows))
    print()
    rows = [
        [
            f"{store.size:,}",
            store.shape["in_pipeline"],
            store.shape["projects"],
            store.shape["short_by"],
            store.shape["next"],
            store.shape["stalled"],
            store.statements.get("command", "?"),
            store.statements.get("digest", "?"),
        ]
        for store in stores
    ]
    print(
        table(
            ["prospects", "in pipeline", "projects", "short by", "next named", "stalled", "command SQL", "digest SQL"],
            rows,
        )
    )
    print()
    for name, small_values, large_values in (
        ("command (what /cocreate pipeline runs today)", small.command, large.command),
        ("full view (funnel + uncontacted + stalled + render)", small.view, large.view),
        ("digest render", small.digest, large.digest),
    ):
        ratio = p50(large_values) / p50(small_values)
        print(
            f"{name}: p50({large.size:,})/p50({small.size:,}) = {ratio:.1f}x "
            f"(target <= {RATIO_TARGET:g}x: {verdict(ratio <= RATIO_TARGET)})"
        )
    shares = {part: p50(large.parts[part]) for part in PARTS}
    top = max(shares, key=lambda part: shares[part])
    print(
        f"largest call at {large.size:,} prospects: {top}, {ms(shares[top])} ms of the full view's "
        f"{ms(p50(large.view))} ms ({shares[top] / p50(large.view):.0%}), "
        f"{large.statements.get(top, '?')} SQL statements against {small.statements.get(top, '?')} at {small.size:,}"
    )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    quiet_logging()
    client = WebClient(token="xoxb-bench")  # run_pipeline takes one and doesn't use it
    digest = PipelineDigest()
    with tempfile.TemporaryDirectory(prefix="cadence-bench-") as directory:
        stores, server = open_stores(
            args.database,
            args.sizes,
            Path(directory),
            name="pipeline",
            fill=lambda url, size: fill(url, size=size, steps_per_prospect=args.steps_per_prospect),
        )
        try:
            total = args.warmup + args.rounds
            for number in range(total):
                order: list[Store] = stores if number % 2 == 0 else stores[::-1]
                if number % 10 == 0 or number == total - 1:
                    progress(f"round {number + 1}/{total}" + (" (warm-up)" * (number < args.warmup)))
                for store in order:
                    run_round(store, client, digest, record=number >= args.warmup)
            for store in stores:
                count_statements(store, client, digest)
        finally:
            for store in stores:
                store.engine.dispose()
            if server is not None:
                server.stop()
    report(args, stores)


if __name__ == "__main__":
    main()
