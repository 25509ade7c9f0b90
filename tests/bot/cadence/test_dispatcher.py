"""The dispatcher on a real database with the Slack stand-in: every nudge posted once, none lost."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cadence import delivery as delivery_service
from bot.cadence import dispatcher
from bot.db import unit_of_work
from devtools.slack_stand_in import SlackStandIn
from models import Cadence, Delivery, DeliveryStatus
from tests.support.factories import make_cadence

# Monday 23 November 2026, 08:00 UTC
CREATED = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
FIRST_RUN = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
WEEKLY = 'add "Weekly sync" every monday at 09:30'


def deliveries(db: Session) -> list[Delivery]:
    db.expire_all()
    return list(db.scalars(select(Delivery).order_by(Delivery.id)))


def nudges_in(slack: SlackStandIn, channel: str) -> list[dict]:
    return [m for m in slack.messages(channel) if (m.get("metadata") or {}).get("event_type") == "cadence_nudge"]


def test_a_due_cadence_is_posted_once_with_its_delivery_id_and_buttons(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    cadence = make_cadence(WEEKLY, now=CREATED)
    assert dispatcher.tick(FIRST_RUN - timedelta(seconds=1), client=slack_client).claimed == 0
    report = dispatcher.tick(FIRST_RUN, client=slack_client)
    again = dispatcher.tick(FIRST_RUN + timedelta(minutes=1), client=slack_client)

    assert (report.claimed, report.outcome.posted, again.claimed, again.outcome.posted) == (1, 1, 0, 0)
    [posted] = nudges_in(slack, "C_TEAM")
    [delivery] = deliveries(db)
    assert posted["metadata"]["event_payload"] == {"delivery_id": delivery.id}
    assert "Weekly sync" in posted["text"]
    actions = [e["action_id"] for b in posted["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert actions == [
        "cadence.nudge.done",
        "cadence.nudge.snooze_day",
        "cadence.nudge.snooze_week",
        "cadence.nudge.skip",
    ]
    assert (delivery.status, delivery.message_ts, delivery.late) == (DeliveryStatus.SENT, posted["ts"], False)
    assert db.get(Cadence, cadence.id).next_run_at == FIRST_RUN + timedelta(weeks=1)
    assert slack.problems == []


def test_after_downtime_only_the_latest_missed_occurrence_is_posted_and_marked_late(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    make_cadence(WEEKLY, now=CREATED)
    back_up = FIRST_RUN + timedelta(weeks=3, hours=2)  # three Mondays missed, plus this one

    report = dispatcher.tick(back_up, client=slack_client)

    assert (report.claimed, report.outcome.posted) == (1, 1)
    [delivery] = deliveries(db)
    assert delivery.occurrence_at == FIRST_RUN + timedelta(weeks=3)
    assert delivery.late is True
    [posted] = nudges_in(slack, "C_TEAM")
    assert "late" in str(posted["blocks"])
    assert db.scalar(select(Cadence.next_run_at)) == FIRST_RUN + timedelta(weeks=4)


def test_reminders_to_people_go_to_each_persons_dm(db: Session, slack: SlackStandIn, slack_client: WebClient) -> None:
    make_cadence(WEEKLY + " to <@U_ALICE|alice> <@U_BOB|bob>", now=CREATED)
    dispatcher.tick(FIRST_RUN, client=slack_client)
    assert len(nudges_in(slack, "U_ALICE")) == 1 and len(nudges_in(slack, "U_BOB")) == 1
    assert nudges_in(slack, "C_TEAM") == []


def test_a_paused_cadence_is_not_claimed(db: Session, slack: SlackStandIn, slack_client: WebClient) -> None:
    from bot.cadence import service
    from bot.cadence.commands import CadenceAction
    from bot.permissions import Actor

    cadence = make_cadence(WEEKLY, now=CREATED)
    with unit_of_work() as session:
        service.change_cadence(
            session,
            team_id="T0001",
            actor=Actor("U_ALICE"),
            cadence_id=cadence.id,
            action=CadenceAction.PAUSE,
            now=CREATED,
        )
    assert dispatcher.tick(FIRST_RUN + timedelta(weeks=2), client=slack_client).claimed == 0
    assert slack.messages("C_TEAM") == []


def test_a_crash_between_claim_and_post_leaves_the_delivery_pending_for_the_next_tick(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    make_cadence(WEEKLY, now=CREATED)
    with unit_of_work() as session:  # the claim commits, then the process dies before posting
        assert dispatcher.claim_due(session, now=FIRST_RUN) == (1, False)
    assert [d.status for d in deliveries(db)] == [DeliveryStatus.PENDING]

    report = dispatcher.tick(FIRST_RUN + timedelta(minutes=1), client=slack_client)

    assert (report.claimed, report.outcome.posted) == (0, 1)
    assert len(nudges_in(slack, "C_TEAM")) == 1


def test_a_crash_while_posting_is_checked_in_the_channel_after_the_lease_runs_out(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    make_cadence(WEEKLY, now=CREATED)
    with unit_of_work() as session:
        dispatcher.claim_due(session, now=FIRST_RUN)
    leased = delivery_service.lease_ready(now=FIRST_RUN, owner="crashed-process")
    assert len(leased) == 1  # …and that process dies holding the lease

    during_lease = dispatcher.tick(FIRST_RUN + timedelta(minutes=1), client=slack_client)
    after_lease = dispatcher.tick(FIRST_RUN + delivery_service.LEASE + timedelta(seconds=1), client=slack_client)

    assert during_lease.outcome.attempted == 0
    assert after_lease.outcome.posted == 1
    assert len(slack.calls("conversations.history")) == 1  # looked before posting again
    assert len(nudges_in(slack, "C_TEAM")) == 1


def test_a_timed_out_post_is_found_in_the_channel_and_not_sent_again(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    make_cadence(WEEKLY, now=CREATED)
    slack.time_out_next("chat.postMessage", delay=3.0)  # Slack keeps the message; we never hear back

    first = dispatcher.tick(FIRST_RUN, client=slack_client)
    [delivery] = deliveries(db)
    assert (first.outcome.posted, delivery.status, delivery.needs_check) == (0, DeliveryStatus.UNKNOWN, True)
    assert dispatcher.tick(FIRST_RUN + timedelta(seconds=30), client=slack_client).outcome.attempted == 0

    later = dispatcher.tick(delivery.not_before, client=slack_client)

    assert (later.outcome.found_already_posted, later.outcome.posted) == (1, 0)
    [posted] = nudges_in(slack, "C_TEAM")
    [delivery] = deliveries(db)
    assert (delivery.status, delivery.message_ts) == (DeliveryStatus.SENT, posted["ts"])
    assert len(slack.calls("chat.postMessage")) == 1


def test_a_timed_out_dm_is_looked_for_in_the_dm(db: Session, slack: SlackStandIn, slack_client: WebClient) -> None:
    make_cadence(WEEKLY + " to <@U_BOB>", now=CREATED)
    slack.time_out_next("chat.postMessage", delay=3.0)
    dispatcher.tick(FIRST_RUN, client=slack_client)
    [delivery] = deliveries(db)
    report = dispatcher.tick(delivery.not_before, client=slack_client)
    assert report.outcome.found_already_posted == 1
    assert len(nudges_in(slack, "U_BOB")) == 1


def test_slack_rate_limits_are_waited_out_as_retry_after_says(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    make_cadence(WEEKLY, now=CREATED)
    slack.rate_limit_next("chat.postMessage", retry_after=30)

    limited = dispatcher.tick(FIRST_RUN, client=slack_client)
    too_soon = dispatcher.tick(FIRST_RUN + timedelta(seconds=29), client=slack_client)
    in_time = dispatcher.tick(FIRST_RUN + timedelta(seconds=30), client=slack_client)

    assert (limited.outcome.deferred, too_soon.outcome.attempted, in_time.outcome.posted) == (1, 0, 1)
    assert len(nudges_in(slack, "C_TEAM")) == 1
    [delivery] = deliveries(db)
    assert delivery.attempts == 0  # waiting out a rate limit is not a failure


def test_server_errors_back_off_then_fail_visibly(
    db: Session, slack: SlackStandIn, slack_client: WebClient, caplog: pytest.LogCaptureFixture
) -> None:
    make_cadence(WEEKLY, now=CREATED)
    slack.fail_next("chat.postMessage", status=500, times=delivery_service.MAX_ATTEMPTS)
    moment, waits = FIRST_RUN, []
    with caplog.at_level(logging.WARNING):
        for _ in range(delivery_service.MAX_ATTEMPTS):
            dispatcher.tick(moment, client=slack_client)
            [delivery] = deliveries(db)
            waits.append(delivery.not_before - moment)
            moment = delivery.not_before

    [delivery] = deliveries(db)
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == delivery_service.MAX_ATTEMPTS
    assert "HTTP 500" in (delivery.last_error or "")
    assert waits[:4] == delivery_service.BACKOFF  # 1 min, 5 min, 15 min, 1 h
    assert any("failed for good" in r.message for r in caplog.records if r.levelno == logging.ERROR)
    assert dispatcher.tick(moment + timedelta(hours=5), client=slack_client).outcome.attempted == 0
    assert nudges_in(slack, "C_TEAM") == []


def test_a_permanent_slack_error_fails_at_once_with_its_reason(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    make_cadence(WEEKLY, now=CREATED)
    slack.error_next("chat.postMessage", error="not_in_channel")
    report = dispatcher.tick(FIRST_RUN, client=slack_client)
    [delivery] = deliveries(db)
    assert report.outcome.failed == 1
    assert (delivery.status, delivery.last_error) == (DeliveryStatus.FAILED, "Slack said not_in_channel")


def test_a_process_whose_lease_was_taken_over_before_it_posted_leaves_the_post_to_the_new_holder(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    """A process leases a nudge and stalls past its lease; another takes the row over. The first, waking, must not
    post: the second looks in the channel and posts once."""
    make_cadence(WEEKLY, now=CREATED)
    with unit_of_work() as session:
        dispatcher.claim_due(session, now=FIRST_RUN)
    [stalled] = delivery_service.lease_ready(now=FIRST_RUN, owner="stalled-process")
    later = FIRST_RUN + delivery_service.LEASE + timedelta(seconds=1)
    [taken] = delivery_service.lease_ready(now=later, owner="next-process")
    assert taken.needs_check

    woke = delivery_service.DeliveryReport()
    delivery_service.attempt(stalled, owner="stalled-process", now=FIRST_RUN, client=slack_client, report=woke)
    assert (woke.posted, woke.taken_over) == (0, 1)
    assert nudges_in(slack, "C_TEAM") == []

    holder = delivery_service.DeliveryReport()
    delivery_service.attempt(taken, owner="next-process", now=later, client=slack_client, report=holder)
    assert holder.posted == 1
    assert len(nudges_in(slack, "C_TEAM")) == 1
    assert [d.status for d in deliveries(db)] == [DeliveryStatus.SENT]
