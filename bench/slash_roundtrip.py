"""Slash command round trip through the real HTTP stack, against bare Bolt apps answering the same signed request.

    .venv/bin/python bench/slash_roundtrip.py            # 100k cadences stored, 300 requests of each kind
    .venv/bin/python bench/slash_roundtrip.py --quick    # a smoke run in seconds

Three apps run under waitress in this process, on loopback ports, with their WebClient pointed at the Slack
stand-in; requests go to each in turn (the order rotating), so machine noise hits them alike:
- Cadence itself, reading and writing a SQLite file holding --cadences reminders spread over many teams,
  ~--per-team of them in the team that sends the commands;
- the floor: a bare Bolt app doing the same database work with plain SQLAlchemy Core on the same file (for
  `/cadence list` the same selects of the person's zone, the reminders they may see and the failed posts; for
  `/cadence add` the person's zone and the same two inserts, the reminder and its audit row, in one transaction)
  and replying with the same blocks, drawn by the same builders;
- an ack-only Bolt app, for what Bolt and HTTP alone cost.
Targets from the issue: p50 within 1.5x of the floor, p99 under 100 ms.
A missed target is reported, not raised: the exit status is 0 whenever the run itself worked.

The bare app copies the Cadence app's `process_before_response`: with it off, Bolt runs the listener on its
executor while the request thread polls for the ack every 10 ms, which would put both apps on a 10 ms grid.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datetime import time as wall_time

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import Text, bindparam, cast, event, func, insert, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from waitress.server import create_server

from bench.common import (
    Stats,
    bulk_insert_cadences,
    cadence_rows,
    progress,
    quiet_logging,
    spread_over_next_year,
    stats,
    table,
    verdict,
)
from bot import clock
from bot import db as bot_db
from bot.cadence.blocks.help import cadence_help
from bot.cadence.blocks.reminders import added_reply, cadence_list
from bot.cadence.rules import Frequency, Recurrence, next_after, to_dict
from bot.cadence.service import cadence_views
from bot.cadence.views import REMINDER
from bot.config import Settings
from bot.slack.client import make_client
from devtools.signing import command_body, post_signed
from devtools.slack_stand_in import TEAM_ID, SlackStandIn
from handlers.web import build_app, wsgi_app
from models import AuditEvent, Cadence, CadenceStatus, Delivery, DeliveryStatus, HandledRequest, SlackUser, Workspace

SIGNING_SECRET = "bench-signing-secret"
USER_ID = "U_ALICE"
CHANNEL_ID = "C_GENERAL"
LIST_TEXT = "list"
HELP_TEXT = "help"  # no database: what Cadence's own stack (parse, render, ack) costs over bare Bolt
ADD_TEXT = 'add "Bench {n}" every monday at 09:30'  # each add its own title: the same one again warns of a duplicate
P50_RATIO_TARGET = 1.5
CADENCE, FLOOR, ACK_ONLY = "Cadence", "floor (Core)", "ack-only Bolt"
P99_TARGET_MS = 100.0


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    url: str


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cadences", type=int, default=100_000, help="cadences stored (default 100000)")
    parser.add_argument("--per-team", type=int, default=20, help="about this many in each team (default 20)")
    parser.add_argument("--requests", type=int, default=300, help="measured requests per app and command")
    parser.add_argument("--warmup", type=int, default=30, help="unmeasured requests per app and command first")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads per app (default 4)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 5k cadences, 40 requests, 5 warm-up")
    args = parser.parse_args(argv)
    if args.quick:
        args.cadences, args.requests, args.warmup = 5_000, 40, 5
    return args


def serve(wsgi: Any, *, threads: int) -> tuple[Any, str]:
    """A waitress server for `wsgi` on a free loopback port, in a daemon thread; returns (server, events URL)."""
    server = create_server(wsgi, host="127.0.0.1", port=0, threads=threads, ident="bench")
    threading.Thread(target=server.run, name="waitress", daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}/slack/events"


def stop(server: Any) -> None:
    """Let waitress's task threads finish, then close; closing first can leave one writing to a closed trigger."""
    server.task_dispatcher.shutdown()
    server.close()


def answer_ok(ack: Ack) -> None:
    """The ack-only app's whole handler."""
    ack("ok")


def ack_only_app(slack: SlackStandIn, *, process_before_response: bool) -> App:
    """Bolt with nothing but a /cadence handler that acks: what Bolt and HTTP cost on their own."""
    app = App(
        signing_secret=SIGNING_SECRET,
        client=WebClient(token="xoxb-bench", base_url=slack.url),
        token_verification_enabled=False,
        process_before_response=process_before_response,
    )
    app.command("/cadence")(answer_ok)
    return app


class CoreFloor:
    """The fair floor: the statements Cadence runs for /cadence help, list and add, written as plain SQLAlchemy
    Core on the same file, replying with the same blocks drawn by the same builders. Who the sender is (their zone
    and status, which every command reads); for list, the reminders they may see and the failed posts; for add, the
    workspace's defaults, the reminder and its audit row, the older reminder it may repeat and the claim of the
    Slack delivery, in one transaction. No parsing, no permissions, no ORM, no middleware: the difference is
    Cadence's own code. The run checks both sent the same number of statements per request."""

    def __init__(self, url: str) -> None:
        self.engine = bot_db.make_engine(url)  # the same SQLite settings (WAL, busy timeout) as Cadence's engine
        people, cadence, delivery = SlackUser.__table__, Cadence.__table__, Delivery.__table__
        self.audit, self.cadence, self.claims = AuditEvent.__table__, cadence, HandledRequest.__table__
        self.person = select(people.c.tz, people.c.is_admin, people.c.status_text, people.c.fetched_at).where(
            people.c.team_id == bindparam("team_id"), people.c.user_id == bindparam("user")
        )
        self.workspace = select(Workspace.__table__).where(Workspace.__table__.c.team_id == bindparam("team_id"))
        self.visible = (
            select(
                cadence.c.id,
                cadence.c.title,
                cast(cadence.c.rule, Text).label("rule_json"),
                cadence.c.channel_id,
                cadence.c.recipient_ids,
                cadence.c.created_by,
                cadence.c.status,
                cadence.c.next_run_at,
                cadence.c.kind,
            )
            .where(
                cadence.c.team_id == bindparam("team_id"),
                cadence.c.status != CadenceStatus.REMOVED,
                or_(
                    cadence.c.created_by == bindparam("viewer"),
                    cast(cadence.c.recipient_ids, Text).like(bindparam("as_recipient"), escape="\\"),
                    cadence.c.channel_id.in_(bindparam("channel_ids", expanding=True)),
                ),
            )
            .order_by(cadence.c.id)
        )
        self.failed = (
            select(delivery.c.cadence_id, delivery.c.occurrence_at, delivery.c.last_error)
            .where(delivery.c.status == DeliveryStatus.FAILED, delivery.c.team_id == bindparam("team_id"))
            .order_by(delivery.c.occurrence_at)
        )
        self.same_text = select(cadence.c.id, cadence.c.rule, cadence.c.recipient_ids).where(
            cadence.c.team_id == bindparam("team_id"),
            cadence.c.kind == REMINDER,
            cadence.c.status != CadenceStatus.REMOVED,
            cadence.c.title == bindparam("title"),
            cadence.c.channel_id == bindparam("channel"),
            cadence.c.id != bindparam("id"),
        )
        self.claim = (
            sqlite_insert(self.claims)
            .on_conflict_do_nothing(index_elements=["team_id", "key"])
            .returning(self.claims.c.id)
        )
        self.rule = Recurrence(frequency=Frequency.WEEKLY, at=wall_time(9, 30), timezone="Europe/Paris", weekday=0)
        self.next_run_at = next_after(self.rule, clock.now())

    def app(self, slack: SlackStandIn, *, process_before_response: bool) -> App:
        """A bare Bolt app whose /cadence handler is `answer`."""
        app = App(
            signing_secret=SIGNING_SECRET,
            client=WebClient(token="xoxb-bench", base_url=slack.url),
            token_verification_enabled=False,
            process_before_response=process_before_response,
        )
        app.command("/cadence")(self.answer)
        return app

    def answer(self, ack: Ack, command: dict[str, Any]) -> None:
        """help, list or add, by the first word."""
        team_id, user_id, channel_id = command["team_id"], command["user_id"], command["channel_id"]
        word = command.get("text", "").split(" ", 1)[0]
        with self.engine.begin() as connection:
            zone = connection.execute(self.person, {"team_id": team_id, "user": user_id}).one().tz
            if word == HELP_TEXT:
                reply = cadence_help()
            elif word == LIST_TEXT:
                reply = self.listing(connection, team_id, user_id, channel_id, zone)
            else:
                title = command["text"].split('"')[1]
                reply = self.add(connection, team_id, user_id, channel_id, command["trigger_id"], title, zone)
        ack(**reply)

    def listing(self, connection: Any, team_id: str, user_id: str, channel_id: str, zone: str) -> dict[str, Any]:
        parameters = {
            "team_id": team_id,
            "viewer": user_id,
            "as_recipient": f'%"{user_id}"%',
            "channel_ids": [channel_id],
        }
        rows = connection.execute(self.visible, parameters).all()
        failed = connection.execute(self.failed, {"team_id": team_id}).all() if rows else []
        views = cadence_views(rows, failed)  # rows to what the list shows: the same function as Cadence's
        return cadence_list(views, channel_id=channel_id, timezone=zone)

    def add(
        self, connection: Any, team_id: str, user_id: str, channel_id: str, trigger_id: str, title: str, zone: str
    ) -> dict[str, Any]:
        now = clock.now()
        connection.execute(self.workspace, {"team_id": team_id}).one()
        values = {
            "team_id": team_id,
            "title": title,
            "rule": to_dict(self.rule),
            "channel_id": channel_id,
            "recipient_ids": [],
            "created_by": user_id,
            "status": CadenceStatus.ACTIVE,
            "kind": REMINDER,
            "next_run_at": self.next_run_at,
            "created_at": now,
        }
        cadence_id = connection.execute(insert(self.cadence).returning(self.cadence.c.id), values).scalar_one()
        audit = {"actor_id": user_id, "action": "cadence.added", "subject_type": "cadence", "subject_id": cadence_id}
        connection.execute(insert(self.audit), {"team_id": team_id, "at": now, "detail": {"title": title}, **audit})
        same = {"team_id": team_id, "title": title, "channel": channel_id, "id": cadence_id}
        if any(row.rule == values["rule"] for row in connection.execute(self.same_text, same)):
            raise SystemExit("the floor's add found a duplicate: each add should have its own title")
        claim = {"team_id": team_id, "key": f"command:{trigger_id}", "claimed_at": now, "finished": False}
        connection.execute(self.claim, claim).one()
        saved = Cadence(id=cadence_id, **values)  # not in any session: only what the reply shows
        return added_reply(saved, self.rule, timezone=zone)


class StatementCount:
    """Statements an engine sent to the database, counted as the driver is called."""

    def __init__(self, engine: Any) -> None:
        self.sent = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args: Any) -> None:
        self.sent += 1


def prepare_database(directory: Path, *, cadences: int, per_team: int) -> tuple[str, float]:
    """A migrated SQLite file holding `cadences` rows, ~`per_team` in TEAM_ID; returns (url, fill seconds)."""
    url = f"sqlite:///{directory / 'cadence.db'}"
    bot_db.upgrade_to_head(url)
    teams = max(1, cadences // per_team)
    now = clock.now()
    rows = cadence_rows(
        cadences,
        team_of=lambda i: TEAM_ID if i % teams == 0 else f"TB{i % teams:07d}",
        next_run_of=spread_over_next_year(now),
        created_at=now,
    )
    seconds = bulk_insert_cadences(url, rows)
    bot_db.configure(url)
    return url, seconds


def team_cadence_count() -> int:
    """Cadences stored for the team that sends the commands."""
    with bot_db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(Cadence).where(Cadence.team_id == TEAM_ID)) or 0


def round_trip(target: Target, text: str, response_url: str) -> tuple[float, int, Any]:
    """One signed /cadence POST; returns (milliseconds, status, reply). Building the body is not timed."""
    body = command_body("/cadence", text, user_id=USER_ID, channel_id=CHANNEL_ID, response_url=response_url)
    start = time.perf_counter()
    status, reply = post_signed(target.url, body, SIGNING_SECRET, timeout=30)
    return (time.perf_counter() - start) * 1000, status, reply


def compare(
    targets: list[Target],
    text: str,
    *,
    requests: int,
    warmup: int,
    response_url: str,
    check: Callable[[Any], bool],
    statements: dict[str, StatementCount],
) -> tuple[dict[str, list[float]], dict[str, set[int]]]:
    """Send `text` to every app in turn, the order rotating each round (so none always goes first or last); every
    reply but the ack-only app's is checked. Returns each app's timings in ms, and the numbers of statements its
    requests sent (requests go one at a time, so each count is one request's)."""
    timings: dict[str, list[float]] = {target.name: [] for target in targets}
    sent: dict[str, set[int]] = {name: set() for name in statements}
    for i in range(warmup + requests):
        shift = i % len(targets)
        for target in targets[shift:] + targets[:shift]:
            before = statements[target.name].sent if target.name in statements else 0
            ms, status, reply = round_trip(target, text.format(n=f"{target.name[0]}{i}"), response_url)
            if status != 200 or (target.name != ACK_ONLY and not check(reply)):
                raise SystemExit(f"{target.name} answered {status} {reply!r} to /cadence {text}: not measuring that")
            if i >= warmup:
                timings[target.name].append(ms)
                if target.name in statements:
                    sent[target.name].add(statements[target.name].sent - before)
    return timings, sent


def is_list_reply(reply: Any) -> bool:
    return isinstance(reply, dict) and "reminders" in reply.get("text", "") and bool(reply.get("blocks"))


def is_help_reply(reply: Any) -> bool:
    return isinstance(reply, dict) and "/cadence add" in reply.get("text", "")


def is_add_reply(reply: Any) -> bool:
    text = reply.get("text", "") if isinstance(reply, dict) else ""
    return text.startswith("Saved reminder #")


def row(name: str, s: Stats) -> list[str]:
    return [name, f"{s.p50:.2f}", f"{s.p99:.2f}", f"{s.mean:.2f}", f"{s.low:.2f}", f"{s.high:.2f}", str(s.n)]


def same_reply_shape(cadence_url: str, floor_url: str, text: str, response_url: str) -> None:
    """The floor is only fair if it answers with what Cadence answers: the same blocks, bar the new row's number
    (and, for an add, the title, which differs so that neither add repeats the other)."""
    replies = []
    for name, url in ((CADENCE, cadence_url), (FLOOR, floor_url)):
        _ms, _status, reply = round_trip(Target(name, url), text.format(n=f"{name[0]}-check"), response_url)
        shown = json.dumps(reply, sort_keys=True).replace(f"{name[0]}-check", "…")
        replies.append(re.sub(r"#\d+|\"value\": \"\d+\"", "#N", shown))
    if replies[0] != replies[1]:
        raise SystemExit(f"the floor's reply to /cadence {text} differs from Cadence's: not a fair floor\n{replies}")


def measure(args: argparse.Namespace, settings: Settings, slack: SlackStandIn) -> dict[str, Any]:
    """Each command against the three apps; returns their timings and what the adds did."""
    cadence_app = build_app(settings, make_client(settings))
    # The same ack mode on every side: with it off, Bolt polls for the ack every 10 ms and hides the handler's cost.
    inline = cadence_app.process_before_response
    floor = CoreFloor(settings.database_url)
    servers = []
    try:
        urls = {}
        for name, wsgi in (
            (CADENCE, wsgi_app(cadence_app)),
            (FLOOR, wsgi_app(floor.app(slack, process_before_response=inline))),
            (ACK_ONLY, wsgi_app(ack_only_app(slack, process_before_response=inline))),
        ):
            server, urls[name] = serve(wsgi, threads=args.threads)
            servers.append(server)
        targets = [Target(name, url) for name, url in urls.items()]
        response_url = slack.response_url("bench")
        runs = {"requests": args.requests, "warmup": args.warmup, "response_url": response_url}
        for text in (HELP_TEXT, LIST_TEXT, ADD_TEXT):
            same_reply_shape(urls[CADENCE], urls[FLOOR], text, response_url)
        in_team = team_cadence_count()
        counters = {CADENCE: StatementCount(bot_db.engine()), FLOOR: StatementCount(floor.engine)}
        timings, statements = {}, {}
        calls_before = len(slack.calls("users.info"))
        for text, check in ((HELP_TEXT, is_help_reply), (LIST_TEXT, is_list_reply), (ADD_TEXT, is_add_reply)):
            progress(f"/cadence {text}: {args.warmup} warm-up + {args.requests} requests per app…")
            timings[text], statements[text] = compare(targets, text, check=check, statements=counters, **runs)
        saved = team_cadence_count() - in_team
        users_info = len(slack.calls("users.info")) - calls_before
    finally:
        for server in servers:
            stop(server)
        floor.engine.dispose()
    expected = 2 * (args.warmup + args.requests)  # Cadence's adds and the floor's
    if saved != expected:
        raise SystemExit(f"/cadence add saved {saved} rows, not {expected}: not a valid measurement")
    return {
        "process_before_response": inline,
        "in_team": in_team,
        "saved": saved,
        "users_info": users_info,
        "stats": {text: {name: stats(values) for name, values in per_app.items()} for text, per_app in timings.items()},
        "statements": statements,
    }


def report(args: argparse.Namespace, result: dict[str, Any], fill_seconds: float) -> None:
    print()
    print(
        f"Slash command round trip over HTTP: waitress ({args.threads} threads per app), signed requests "
        f"to each app in turn, all with process_before_response={result['process_before_response']}"
    )
    print(
        f"{args.cadences:,} cadences stored (SQLite, filled in {fill_seconds:.1f} s), {result['in_team']} in the "
        f"measured team; {args.requests} requests per row after {args.warmup} warm-up"
    )
    rows = []
    for text, per_app in result["stats"].items():
        for name in (ACK_ONLY, FLOOR, CADENCE):
            rows.append(row(f"{name:<16} /cadence {text}", per_app[name]))
    print(table(["request", "p50 ms", "p99 ms", "mean ms", "min ms", "max ms", "n"], rows))
    print(
        f"(Cadence's and the floor's adds saved {result['saved']} rows; Cadence called users.info "
        f"{result['users_info']} times for these requests by a known user)"
    )
    for text, sent in result["statements"].items():
        print(
            f"statements per request, /cadence {text}: Cadence {sorted(sent[CADENCE])}, floor {sorted(sent[FLOOR])}"
            + ("" if sent[CADENCE] == sent[FLOOR] else "  (NOT the same database work)")
        )
    print()
    for text, per_app in result["stats"].items():
        cadence, floor, ack_only = per_app[CADENCE], per_app[FLOOR], per_app[ACK_ONLY]
        ratio = cadence.p50 / floor.p50
        print(
            f"/cadence {text}: p50 Cadence/floor = {ratio:.2f}x "
            f"(target <= {P50_RATIO_TARGET}x: {verdict(ratio <= P50_RATIO_TARGET)}); "
            f"Cadence/ack-only = {cadence.p50 / ack_only.p50:.2f}x; "
            f"p99 = {cadence.p99:.1f} ms (target < {P99_TARGET_MS:.0f} ms: {verdict(cadence.p99 < P99_TARGET_MS)})"
        )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    quiet_logging()
    with tempfile.TemporaryDirectory(prefix="cadence-bench-") as directory, SlackStandIn() as slack:
        progress(f"filling a SQLite file with {args.cadences:,} cadences…")
        url, fill_seconds = prepare_database(Path(directory), cadences=args.cadences, per_team=args.per_team)
        progress(f"  done in {fill_seconds:.1f} s")
        slack.add_user("U_ALICE", name="alice", real_name="Alice Archer", tz="Europe/Paris")
        slack.add_user("U_BOB", name="bob", real_name="Bob Baker", tz="America/New_York")
        slack.add_user("U_ADMIN", name="ada", real_name="Ada Admin", tz="UTC", is_admin=True)
        settings = Settings.from_env(
            {
                "SLACK_BOT_TOKEN": "xoxb-bench",
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": slack.url,
                "DATABASE_URL": url,
            }
        )
        try:
            result = measure(args, settings, slack)
        finally:
            bot_db.engine().dispose()
    report(args, result, fill_seconds)


if __name__ == "__main__":
    main()
