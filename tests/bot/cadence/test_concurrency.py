"""Several dispatchers at once, each with several posts in flight: each nudge is still posted exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from devtools.slack_stand_in import SlackStandIn
from models import Delivery, DeliveryStatus
from tests.support.factories import make_cadence

ROOT = Path(__file__).resolve().parents[3]
CREATED = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
CADENCES = 40
CHANNELS = [f"C_ROOM{n}" for n in range(10)]  # four nudges each: one channel at one a second would take 40 s


def posted_delivery_ids(slack: SlackStandIn) -> Counter[int]:
    return Counter(
        m["metadata"]["event_payload"]["delivery_id"]
        for channel in CHANNELS
        for m in slack.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == "cadence_nudge"
    )


def make_due_cadences() -> None:
    for n in range(CADENCES):
        make_cadence(f'add "Sync {n}" every monday at 09:30', now=CREATED, channel=CHANNELS[n % len(CHANNELS)])


def assert_each_posted_once(db: Session, slack: SlackStandIn) -> None:
    posted = posted_delivery_ids(slack)
    assert len(posted) == CADENCES and set(posted.values()) == {1}
    assert db.scalar(select(func.count()).select_from(Delivery)) == CADENCES
    assert set(db.scalars(select(Delivery.status))) == {DeliveryStatus.SENT}


def test_four_dispatcher_threads_ticking_at_once_post_each_nudge_once(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    make_due_cadences()
    slack.set_latency(0.05, "chat.postMessage")
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        start.wait()
        try:
            dispatcher.tick(DUE, client=slack_client)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert_each_posted_once(db, slack)
    assert slack.in_flight_peak("chat.postMessage") >= 4


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_tick_processes_on_postgresql_post_each_nudge_once(
    database_url: str, db: Session, slack: SlackStandIn
) -> None:
    make_due_cadences()
    slack.set_latency(0.1, "chat.postMessage")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_API_URL": slack.url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "unused",
        "DELIVERY_WORKERS": "8",
    }
    at = (DUE + timedelta(seconds=5)).isoformat()
    processes = [
        subprocess.Popen(
            [sys.executable, "app.py", "tick", "--at", at],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    claimed = sum(int(out.split("claimed ")[1].split()[0]) for out, _err in outputs)
    assert claimed == CADENCES
    assert_each_posted_once(db, slack)
    assert slack.in_flight_peak("chat.postMessage") >= 4  # several posts at once, from one process or both
