"""Delivery: a tick's posts at Slack's pace, one at a time against several in flight, in the same run.

    .venv/bin/python bench/delivery.py            # 1,000 nudges in 1,000 channels at 200 ms a post; 100 in one channel
    .venv/bin/python bench/delivery.py --quick    # 100 nudges, 10 in one channel: ~30 s

One migrated SQLite file holds `--nudges` cadences, each in its own channel, and `--one-channel` more in one channel.
The Slack stand-in answers chat.postMessage and chat.update after `--latency` seconds (default 0.2). Each scenario
makes its cadences due a minute ago, empties `delivery`, and runs `dispatcher.tick` at the real time:

- one at a time: `workers=1`, as ticks posted before (the baseline);
- in flight: `workers=--workers` (default 8, the `DELIVERY_WORKERS` default);
- with 429s: the same, with 1 chat.postMessage in 20 answered 429 (Retry-After 1 s); ticks run again as soon as
  the deferred deliveries are ready, until none is left; counts what was lost and what was posted twice;
- one channel: `--one-channel` nudges in one channel: their order against the claim order, and the spacing between
  the posts as the stand-in received them.

Targets (issue 16): in flight at most 40 s for 1,000 (at least 25 posts/s), with 429s 0 lost and 0 twice, one channel
in order at about one a second. A missed target is reported, not raised.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, select, update

from bench.common import bulk_insert_cadences, cadence_rows, progress, quiet_logging, table, verdict
from bot import clock
from bot import db as bot_db
from bot.cadence import dispatcher
from bot.config import Settings
from bot.slack.client import make_client
from devtools.slack_stand_in import SlackStandIn
from models import Cadence, Delivery

FAR = timedelta(days=300)
ONE_CHANNEL = "C_ONE"
SECONDS_TARGET_PER_1000 = 40.0
RATE_TARGET = 25.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nudges", type=int, default=1_000, help="due nudges, each in its own channel (default 1000)")
    parser.add_argument("--one-channel", type=int, default=100, help="due nudges in one channel (default 100)")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds the stand-in takes per chat call")
    parser.add_argument("--workers", type=int, default=8, help="deliveries in flight (default 8)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 100 nudges, 10 in one channel")
    args = parser.parse_args(argv)
    if args.quick:
        args.nudges, args.one_channel = 100, 10
    return args


def fill(url: str, nudges: int, one_channel: int) -> None:
    bot_db.upgrade_to_head(url)
    now = clock.now()
    rows = cadence_rows(
        nudges + one_channel, team_of=lambda _i: "T0001", next_run_of=lambda _i: now + FAR, created_at=now
    )
    bulk_insert_cadences(
        url,
        ({**row, "channel_id": f"C_D{row['id']:05d}" if row["id"] <= nudges else ONE_CHANNEL} for row in rows),
    )


def make_due(ids: range) -> None:
    """These cadences due a minute ago, every other one far off, and no deliveries."""
    now = clock.now()
    with bot_db.engine().begin() as connection:
        connection.execute(delete(Delivery))
        connection.execute(update(Cadence).values(next_run_at=now + FAR))
        connection.execute(
            update(Cadence).where(Cadence.id.in_(list(ids))).values(next_run_at=now - timedelta(minutes=1))
        )


def fresh_slack(slack: SlackStandIn, latency: float) -> None:
    slack.reset()
    for method in ("chat.postMessage", "chat.update"):
        slack.set_latency(latency, method)


def posted(slack: SlackStandIn, channels: list[str]) -> Counter[int]:
    return Counter(
        m["metadata"]["event_payload"]["delivery_id"]
        for channel in channels
        for m in slack.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == "cadence_nudge"
    )


def deliver_all(client: object, workers: int) -> tuple[float, int]:
    """Tick now, then again whenever deferred deliveries come ready, until none is left: (seconds, ticks)."""
    start = time.perf_counter()
    ticks = 0
    while True:
        dispatcher.tick(clock.now(), client=client, workers=workers)  # type: ignore[arg-type]
        ticks += 1
        with bot_db.unit_of_work() as session:
            left = session.scalar(select(Delivery.not_before).where(Delivery.status != "sent").order_by("not_before"))
        if left is None:
            return time.perf_counter() - start, ticks
        time.sleep(max(0.0, (left - clock.now()).total_seconds()) + 0.01)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    quiet_logging()
    with tempfile.TemporaryDirectory() as folder, SlackStandIn() as slack:
        url = f"sqlite:///{Path(folder) / 'delivery.db'}"
        progress(f"filling {args.nudges:,} + {args.one_channel} cadences…")
        fill(url, args.nudges, args.one_channel)
        bot_db.configure(url)
        settings = Settings.from_env(
            {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "x", "SLACK_API_URL": slack.url}
        )
        client = make_client(settings)
        many = range(1, args.nudges + 1)
        channels = [f"C_D{i:05d}" for i in many]
        rows, results = [], {}
        for name, workers, limited in (
            ("in flight", args.workers, False),
            ("one at a time", 1, False),
            ("in flight, 1 in 20 answered 429", args.workers, True),
        ):
            progress(f"{name}: {args.nudges} nudges, {workers} worker(s)…")
            make_due(many)
            fresh_slack(slack, args.latency)
            if limited:
                slack.rate_limit_every("chat.postMessage", 20, retry_after=1)
            seconds, ticks = deliver_all(client, workers)
            counts = posted(slack, channels)
            lost = args.nudges - len(counts)
            twice = sum(1 for n in counts.values() if n > 1)
            peak = slack.in_flight_peak("chat.postMessage")
            limited_calls = len(slack.calls("chat.postMessage")) - sum(counts.values())
            results[name] = (seconds, lost, twice)
            rows.append(
                [
                    name,
                    workers,
                    f"{seconds:.1f}",
                    f"{args.nudges / seconds:.1f}",
                    peak,
                    ticks,
                    limited_calls,
                    lost,
                    twice,
                ]
            )

        progress(f"one channel: {args.one_channel} nudges…")
        one = range(args.nudges + 1, args.nudges + args.one_channel + 1)
        make_due(one)
        fresh_slack(slack, args.latency)
        start = time.perf_counter()
        dispatcher.tick(clock.now(), client=client, workers=args.workers)
        one_seconds = time.perf_counter() - start
        with bot_db.unit_of_work() as session:
            claim_order = list(session.scalars(select(Delivery.id).order_by(Delivery.id)))
        arrived = [
            m["metadata"]["event_payload"]["delivery_id"]
            for m in slack.messages(ONE_CHANNEL)
            if (m.get("metadata") or {}).get("event_type") == "cadence_nudge"
        ]
        received = [began for began, _ in slack.call_times("chat.postMessage")]
        gaps = [b - a for a, b in zip(received, received[1:], strict=False)]

    print(
        f"Delivery: {args.nudges:,} due nudges in {args.nudges:,} channels, stand-in {args.latency * 1000:.0f} ms/post"
    )
    print(table(["run", "workers", "seconds", "posts/s", "peak in flight", "ticks", "429s", "lost", "twice"], rows))
    fast, slow = results["in flight"][0], results["one at a time"][0]
    limit = SECONDS_TARGET_PER_1000 * args.nudges / 1000
    print()
    print(f"one at a time / in flight: {slow / fast:.1f}x")
    print(
        f"in flight: {fast:.1f} s (target at most {limit:.0f} s, {RATE_TARGET:.0f} posts/s): {verdict(fast <= limit)}"
    )
    _, lost, twice = results["in flight, 1 in 20 answered 429"]
    print(f"with 429s: {lost} lost, {twice} twice (target 0 and 0): {verdict(lost == 0 and twice == 0)}")
    print()
    in_order = arrived == claim_order and len(arrived) == args.one_channel
    print(
        f"one channel: {len(arrived)} of {args.one_channel} posted in {one_seconds:.1f} s, in claim order: {in_order}"
    )
    if gaps:
        paced = verdict(in_order and min(gaps) >= 0.95 and statistics.median(gaps) < 1.2)
        print(
            f"  gap between posts: min {min(gaps):.3f} s, median {statistics.median(gaps):.3f} s, max {max(gaps):.3f} s"
            f" (target about 1 s, in order): {paced}"
        )


if __name__ == "__main__":
    main()
