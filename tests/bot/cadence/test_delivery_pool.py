"""Several deliveries in flight: each channel in claim order and paced, a 429 pausing only its channel, none lost."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from bot.cadence.delivery import Pace
from devtools.slack_stand_in import SlackStandIn
from models import Delivery, DeliveryStatus
from tests.support.factories import make_cadence

CREATED = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


class FakeClock:
    """The pace's clock: sleeping moves it on at once, so a test sees the spacing without waiting for it."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(round(seconds, 6))
            self.now += seconds

    def pace(self) -> Pace:
        return Pace(spacing=1.0, monotonic=self.monotonic, sleep=self.sleep)


def due_in(channel: str, count: int, name: str = "Sync") -> None:
    for n in range(count):
        make_cadence(f'add "{name} {n}" every monday at 09:30', now=CREATED, channel=channel)


def posted_ids(slack: SlackStandIn, channel: str) -> list[int]:
    return [
        m["metadata"]["event_payload"]["delivery_id"]
        for m in slack.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == "cadence_nudge"
    ]


def ids_to(db: Session, channel: str) -> list[int]:
    db.expire_all()
    return list(db.scalars(select(Delivery.id).where(Delivery.target == channel).order_by(Delivery.id)))


def test_deliveries_to_many_channels_are_posted_several_at_once(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    for n in range(16):
        due_in(f"C_ROOM{n}", 1)
    slack.set_latency(0.2, "chat.postMessage")

    report = dispatcher.tick(DUE, client=slack_client, workers=8)

    assert (report.claimed, report.outcome.posted) == (16, 16)
    assert slack.in_flight_peak("chat.postMessage") >= 6  # the stand-in answered that many posts at the same time
    assert all(len(posted_ids(slack, f"C_ROOM{n}")) == 1 for n in range(16))


def test_one_channels_nudges_go_in_claim_order_a_second_apart_while_others_go_on(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    due_in("C_TEAM", 10)
    due_in("C_OTHER", 1)
    slack.set_latency(0.02)
    clock = FakeClock()

    report = dispatcher.tick(DUE, client=slack_client, workers=8, pace=clock.pace())

    assert report.outcome.posted == 11
    assert posted_ids(slack, "C_TEAM") == ids_to(db, "C_TEAM")  # the order they were claimed in
    assert clock.sleeps == [1.0] * 9  # one post a second to C_TEAM, and nothing else waited
    assert len(posted_ids(slack, "C_OTHER")) == 1
    assert len(slack.calls("chat.postMessage")) == 11


def test_a_429_on_one_channel_defers_that_channel_only(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    due_in("C_TEAM", 3)
    due_in("C_OTHER", 3)
    slack.rate_limit_next("chat.postMessage", retry_after=30, channel="C_TEAM")
    clock = FakeClock()

    first = dispatcher.tick(DUE, client=slack_client, workers=4, pace=clock.pace())

    assert (first.outcome.posted, first.outcome.deferred) == (3, 3)
    assert posted_ids(slack, "C_OTHER") == ids_to(db, "C_OTHER")  # C_OTHER went on, at its own pace
    assert posted_ids(slack, "C_TEAM") == []
    assert len(slack.calls("chat.postMessage")) == 4  # C_TEAM's other two were not even tried
    db.expire_all()
    waiting = db.scalars(select(Delivery).where(Delivery.target == "C_TEAM")).all()
    assert {(d.status, d.not_before, d.attempts) for d in waiting} == {
        (DeliveryStatus.PENDING, DUE + timedelta(seconds=30), 0)
    }

    assert dispatcher.tick(DUE + timedelta(seconds=29), client=slack_client, pace=clock.pace()).outcome.attempted == 0
    later = dispatcher.tick(DUE + timedelta(seconds=30), client=slack_client, pace=clock.pace())

    assert later.outcome.posted == 3
    assert posted_ids(slack, "C_TEAM") == ids_to(db, "C_TEAM")


def test_a_429_on_the_look_in_the_channel_pauses_the_looks_not_the_posts(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    """conversations.history's limit is the method's: deliveries that must look first wait, fresh ones go on."""
    due_in("C_A", 1)
    due_in("C_B", 1)
    for channel in ("C_A", "C_B"):
        slack.time_out_next("chat.postMessage", delay=3.0, channel=channel)
    dispatcher.tick(DUE, client=slack_client, workers=1)  # both now UNKNOWN: each must be looked for first
    due_in("C_C", 1, name="Fresh")
    db.expire_all()
    retry_at = max(db.scalars(select(Delivery.not_before)))  # a minute on: the timeouts' back-off, and C_C is due
    slack.rate_limit_next("conversations.history", retry_after=20)

    report = dispatcher.tick(retry_at, client=slack_client, workers=1, pace=FakeClock().pace())

    assert len(slack.calls("conversations.history")) == 1  # the second look waited for the method's Retry-After
    assert report.outcome.deferred == 2
    assert len(posted_ids(slack, "C_C")) == 1  # a delivery that needs no look went on


def test_a_timeout_among_several_in_flight_is_looked_for_and_not_posted_twice(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    for n in range(6):
        due_in(f"C_ROOM{n}", 1)
    slack.set_latency(0.1, "chat.postMessage")
    slack.time_out_next("chat.postMessage", delay=3.0, channel="C_ROOM3")  # posted; the answer never comes in time

    first = dispatcher.tick(DUE, client=slack_client, workers=8)

    assert first.outcome.posted == 5
    db.expire_all()
    [unknown] = db.scalars(select(Delivery).where(Delivery.status == DeliveryStatus.UNKNOWN)).all()
    assert unknown.target == "C_ROOM3" and unknown.needs_check

    later = dispatcher.tick(unknown.not_before, client=slack_client, workers=8)

    assert (later.outcome.found_already_posted, later.outcome.posted) == (1, 0)
    assert all(len(posted_ids(slack, f"C_ROOM{n}")) == 1 for n in range(6))
    assert len(slack.calls("chat.postMessage")) == 6
    db.expire_all()
    assert set(db.scalars(select(Delivery.status))) == {DeliveryStatus.SENT}
