"""Time away: the rules as plain functions, then the engine on a real database (SQLite and PostgreSQL) with the
Slack stand-in: a held nudge is neither lost nor sent twice, and the catch-up goes out exactly once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cadence import away, away_rules, dispatcher
from bot.cadence import delivery as delivery_service
from bot.cadence.blocks.away import catch_up_message
from bot.db import unit_of_work
from bot.errors import UserError
from bot.parsing import DateContext, tokenize
from devtools.slack_stand_in import SlackStandIn
from models import Away, Cadence, CadenceStatus, Delivery, DeliveryStatus, HeldNudge
from tests.support.concurrency import at_once
from tests.support.factories import TEAM_ID, make_cadence

TODAY = date(2026, 12, 1)  # a Tuesday
CONTEXT = DateContext(today=TODAY, fiscal_start_month=2)
CREATED = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
# Alice (Paris) is away Mon 21 Dec to Mon 4 Jan: from 20 Dec 23:00 UTC until 4 Jan 23:00 UTC.
FIRST, LAST = date(2026, 12, 21), date(2027, 1, 4)
STARTS = datetime(2026, 12, 20, 23, 0, tzinfo=UTC)
BACK = datetime(2027, 1, 4, 23, 0, tzinfo=UTC)
MONDAYS_AWAY = [datetime(2026, 12, 21, 9, 30, tzinfo=UTC), datetime(2026, 12, 28, 9, 30, tzinfo=UTC)] + [
    datetime(2027, 1, 4, 9, 30, tzinfo=UTC)
]
NEXT_MONDAY = datetime(2027, 1, 11, 9, 30, tzinfo=UTC)
BOTH = 'add "Weekly update" every monday at 09:30 in <#C_TEAM|team> to <@U_ALICE|alice>'


def read(text: str) -> away.AwayRequest:
    return away.read_away(tokenize(text), CONTEXT)


# ---- the rules, without Slack or a database -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", away.ShowAway()),
        ("off", away.EndAway()),
        ("back", away.EndAway()),
        ("2026-12-21 to 2027-01-04", away.SetAway(FIRST, LAST)),
        ("2026-12-21 until 2027-01-04", away.SetAway(FIRST, LAST)),
        ("from 2026-12-21 to 2027-01-04", away.SetAway(FIRST, LAST)),
        ("2026-12-24", away.SetAway(date(2026, 12, 24), date(2026, 12, 24))),
        ("today", away.SetAway(TODAY, TODAY)),
        ("tomorrow to friday", away.SetAway(date(2026, 12, 2), date(2026, 12, 4))),
        ("2026-11-20 to 2026-12-04", away.SetAway(TODAY, date(2026, 12, 4))),  # begun already: from today
    ],
)
def test_the_command_reads_days_as_every_command_does(text: str, expected: away.AwayRequest) -> None:
    assert read(text) == expected


@pytest.mark.parametrize(
    ("text", "explains"),
    [
        ("2027-01-04 to 2026-12-21", "comes before the first"),
        ("2026-11-01 to 2026-11-20", "is over: today is Tue 1 Dec"),
        ("2026-11-20", "is over"),
        ("2026-02-30 to 2026-03-04", "isn't a day on the calendar"),
        ("soon to later", "`soon`"),
        ("2026-12-21 to", "last day away"),
    ],
)
def test_a_backwards_past_or_unreadable_range_is_explained(text: str, explains: str) -> None:
    with pytest.raises(UserError) as refused:
        read(text)
    assert explains in refused.value.message and "/cadence away" in refused.value.message


def test_the_days_are_the_persons_own_midnight_to_midnight() -> None:
    assert away.span_of(FIRST, LAST, "Europe/Paris") == (STARTS, BACK)
    assert away.span_of(FIRST, FIRST, "America/New_York") == (
        datetime(2026, 12, 21, 5, 0, tzinfo=UTC),
        datetime(2026, 12, 22, 5, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("profile", "last_day"),
    [
        ({"status_emoji": ":palm_tree:", "status_text": ""}, None),
        ({"status_text": "Vacation until the 8th"}, None),
        ({"status_text": "OOO"}, None),
        (
            {"status_text": "On holiday", "status_expiration": int(datetime(2027, 1, 9, tzinfo=UTC).timestamp())},
            LAST + timedelta(days=4),
        ),
    ],
)
def test_a_holiday_status_is_recognised_with_its_last_day(profile: dict, last_day: date | None) -> None:
    status = away.holiday_status(profile, timezone="UTC")
    assert status is not None and status.last_day == last_day


@pytest.mark.parametrize(
    "profile", [{}, {"status_text": "In a meeting", "status_emoji": ":calendar:"}, {"status_text": "Booked"}]
)
def test_other_statuses_are_not_a_holiday(profile: dict) -> None:
    assert away.holiday_status(profile, timezone="UTC") is None


def test_the_away_line_names_who_is_away_now_and_who_leaves_soon() -> None:
    notes = [
        away.AwayNote("U_ALICE", FIRST, LAST, begun=True),
        away.AwayNote("U_BOB", date(2026, 12, 24), date(2026, 12, 27), begun=False),
    ]
    assert away.away_line(notes) == (
        ":palm_tree: Away: <@U_ALICE> until Mon 4 Jan · <@U_BOB> from Thu 24 Dec to Sun 27 Dec"
    )


def test_a_summary_keeps_whole_lines_and_the_people_a_message_mentions_are_found() -> None:
    message = {
        "text": "You have 2 overdue action items",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "*Docs*\n• Outline · <@U_BOB>"}},
            {"type": "actions", "elements": []},
            {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 700}},
        ],
    }
    assert away.summarize(message) == "*Docs*\n• Outline · <@U_BOB>"
    assert away.people_in(message) == ["U_BOB"]


@pytest.mark.parametrize(
    ("kind", "times", "says"),
    [
        ("wg.overdue", 7, "and 1 more time · act on it with the buttons of the overdue DM"),  # OKR items too
        ("wg.sync", 8, "and 2 more times · act on it with `/wg actions mine` in the group's channel"),
        ("esp.touchpoints", 1, "act on it with `/esp checklist`"),
        ("okr.last_call", 1, "act on it with `/okr`"),
    ],
)
def test_a_catch_up_item_counts_its_times_and_points_where_its_kind_is_acted_on(
    kind: str, times: int, says: str
) -> None:
    holiday = Away(first_day=FIRST, last_day=LAST, timezone="UTC", ended_at=None)
    due = [STARTS + timedelta(days=n) for n in range(times)]
    item = away_rules.CatchUpItem(
        cadence_id=1, title="Held", kind=kind, channel_id=None, due=due, summary="It said this"
    )
    shown = str(catch_up_message(holiday, [item], held_count=times)["blocks"])
    assert says in shown and "> It said this" in shown


# ---- the engine ---------------------------------------------------------------------------------------------------


def set_alice_away(first: date = FIRST, last: date = LAST, now: datetime = CREATED) -> Away:
    with unit_of_work() as session:
        return away.set_away(
            session,
            team_id=TEAM_ID,
            user_id="U_ALICE",
            first_day=first,
            last_day=last,
            timezone="Europe/Paris",
            now=now,
        ).away


def nudges_in(slack: SlackStandIn, channel: str) -> list[dict]:
    return [m for m in slack.messages(channel) if (m.get("metadata") or {}).get("event_type") == "cadence_nudge"]


def catch_ups(slack: SlackStandIn) -> list[dict]:
    return [m for m in nudges_in(slack, "U_ALICE") if m["text"].startswith("Welcome back")]


def reminders(slack: SlackStandIn) -> list[dict]:
    return [m for m in nudges_in(slack, "U_ALICE") if "Weekly update" in m["text"]]


def count(db: Session, model: type) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_dms_are_held_while_away_channel_posts_name_her_and_one_catch_up_lists_each_once(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    make_cadence(BOTH, now=CREATED)
    set_alice_away()
    for moment in MONDAYS_AWAY:
        report = dispatcher.tick(moment, client=slack_client)
        assert (report.outcome.posted, report.outcome.held) == (1, 1)  # the channel's copy out, hers held

    assert reminders(slack) == []
    posts = nudges_in(slack, "C_TEAM")
    assert len(posts) == 3
    assert all(":palm_tree: Away: <@U_ALICE> until Mon 4 Jan" in str(p["blocks"][-1]) for p in posts)
    assert {d.status for d in db.scalars(select(Delivery).where(Delivery.target == "U_ALICE"))} == {DeliveryStatus.HELD}

    assert dispatcher.tick(BACK - timedelta(seconds=1), client=slack_client).claimed == 0
    back = dispatcher.tick(BACK, client=slack_client)
    later = [dispatcher.tick(BACK + step, client=slack_client) for step in (timedelta(minutes=1), timedelta(days=1))]

    [catch_up] = catch_ups(slack)
    assert (back.outcome.posted, [t.claimed for t in later]) == (1, [0, 0])
    assert catch_up["text"] == "Welcome back! 3 nudges came due while you were away (Mon 21 Dec – Mon 4 Jan)"
    listed = str(catch_up["blocks"])
    assert listed.count("*Weekly update*") == 1  # each cadence once, with every time it came due, in her zone
    assert "Mon 21 Dec 10:30, Mon 28 Dec 10:30, Mon 4 Jan 10:30" in listed and "also in <#C_TEAM>" in listed
    catch_up_cadence = db.scalars(select(Cadence).where(Cadence.kind == away.CATCH_UP)).one()
    assert (catch_up_cadence.status, catch_up_cadence.next_run_at) == (CadenceStatus.REMOVED, None)

    dispatcher.tick(NEXT_MONDAY, client=slack_client)
    assert len(reminders(slack)) == 1  # back to normal
    assert "Away" not in str(nudges_in(slack, "C_TEAM")[-1]["blocks"])
    assert slack.problems == []


def test_two_dispatchers_ticking_at_once_send_one_catch_up(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    make_cadence(BOTH, now=CREATED)
    set_alice_away()
    for moment in MONDAYS_AWAY:
        dispatcher.tick(moment, client=slack_client)

    reports = at_once(*[lambda: dispatcher.tick(BACK + timedelta(seconds=5), client=slack_client)] * 4)

    assert sum(r.claimed for r in reports) == 1 and sum(r.outcome.posted for r in reports) == 1
    [catch_up] = catch_ups(slack)
    assert "3 nudges came due" in catch_up["text"]
    assert count(db, HeldNudge) == 3


def test_a_nudge_leased_just_before_the_return_is_posted_if_the_catch_up_went_first(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    # 22:59 UTC on Monday 4 Jan is 23:59 in Paris: still away. A slow process leases it, then stalls.
    make_cadence('add "Last call" every monday at 22:59 to <@U_ALICE|alice>', now=CREATED)
    set_alice_away()
    just_before = BACK - timedelta(minutes=1)
    for monday in (datetime(2026, 12, 21, 22, 59, tzinfo=UTC), datetime(2026, 12, 28, 22, 59, tzinfo=UTC)):
        assert dispatcher.tick(monday, client=slack_client).outcome.held == 1
    with unit_of_work() as session:
        dispatcher.claim_due(session, now=just_before)
    [slow] = delivery_service.lease_ready(now=just_before, owner="slow-process")

    dispatcher.tick(BACK, client=slack_client)  # another process: the catch-up is claimed and posted
    report = delivery_service.DeliveryReport()
    delivery_service.attempt(slow, owner="slow-process", now=just_before, client=slack_client, report=report)

    [catch_up] = catch_ups(slack)
    assert "2 nudges came due" in catch_up["text"]  # the two held before it, not the one it did not list
    assert report.posted == 1 and report.held == 0  # …which is posted instead of lost
    last_calls = [m for m in nudges_in(slack, "U_ALICE") if "Last call" in m["text"]]
    assert len(last_calls) == 1 and count(db, HeldNudge) == 2


def test_a_crash_while_holding_is_held_once_by_the_next_process(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    make_cadence('add "Weekly update" every monday at 09:30 to <@U_ALICE|alice>', now=CREATED)
    set_alice_away()
    with unit_of_work() as session:
        dispatcher.claim_due(session, now=MONDAYS_AWAY[0])
    assert len(delivery_service.lease_ready(now=MONDAYS_AWAY[0], owner="crashed")) == 1  # …and it dies

    during = dispatcher.tick(MONDAYS_AWAY[0] + timedelta(minutes=1), client=slack_client)
    after = dispatcher.tick(MONDAYS_AWAY[0] + delivery_service.LEASE + timedelta(seconds=1), client=slack_client)
    again = dispatcher.tick(MONDAYS_AWAY[0] + timedelta(hours=1), client=slack_client)

    assert (during.outcome.attempted, after.outcome.held, again.outcome.attempted) == (0, 1, 0)
    assert count(db, HeldNudge) == 1 and reminders(slack) == []
    slack.rate_limit_next("chat.postMessage", retry_after=30)  # the catch-up waits out Slack, then goes once
    first = dispatcher.tick(BACK, client=slack_client)
    second = dispatcher.tick(BACK + timedelta(seconds=31), client=slack_client)
    # The 429 pauses Alice's DM: the reminder due at BACK, after the catch-up in that DM, waits with it.
    assert (first.outcome.deferred, second.outcome.posted, len(catch_ups(slack))) == (2, 2, 1)


def test_a_timed_out_catch_up_is_found_in_the_dm_and_not_sent_again(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    set_alice_away()
    slack.time_out_next("chat.postMessage", delay=3.0)
    dispatcher.tick(BACK, client=slack_client)
    [delivery] = db.scalars(select(Delivery)).all()
    later = dispatcher.tick(delivery.not_before, client=slack_client)
    assert later.outcome.found_already_posted == 1 and len(slack.calls("chat.postMessage")) == 1
    assert len(catch_ups(slack)) == 1 and "Nothing came due" in catch_ups(slack)[0]["text"]


def test_back_early_sends_the_catch_up_on_the_next_tick_and_nudges_resume(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    make_cadence(BOTH, now=CREATED)
    set_alice_away()
    dispatcher.tick(MONDAYS_AWAY[0], client=slack_client)
    off_at = datetime(2026, 12, 23, 14, 0, tzinfo=UTC)
    with unit_of_work() as session:
        change = away.end_away(session, team_id=TEAM_ID, user_id="U_ALICE", now=off_at)
    assert (change.what, change.held) == ("ended", 1)

    dispatcher.tick(off_at + timedelta(seconds=30), client=slack_client)
    [catch_up] = catch_ups(slack)
    assert "(Mon 21 Dec – Wed 23 Dec)" in catch_up["text"]
    dispatcher.tick(MONDAYS_AWAY[1], client=slack_client)
    assert len(reminders(slack)) == 1 and "Away" not in str(nudges_in(slack, "C_TEAM")[-1]["blocks"])
    dispatcher.tick(BACK, client=slack_client)
    assert len(catch_ups(slack)) == 1
    with unit_of_work() as session, pytest.raises(UserError, match="aren't set as away"):
        away.end_away(session, team_id=TEAM_ID, user_id="U_ALICE", now=off_at)


def test_calling_off_a_time_away_to_come_sends_nothing(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    set_alice_away()
    with unit_of_work() as session:
        assert away.end_away(session, team_id=TEAM_ID, user_id="U_ALICE", now=CREATED).what == "cancelled"
    for moment in (STARTS, BACK, BACK + timedelta(days=1)):
        dispatcher.tick(moment, client=slack_client)
    assert slack.calls("chat.postMessage") == []


def test_changing_the_dates_moves_the_one_catch_up(db: Session, slack: SlackStandIn, slack_client: WebClient) -> None:
    set_alice_away()
    during = datetime(2026, 12, 22, 12, 0, tzinfo=UTC)
    with unit_of_work() as session:  # begun: the start stays, the end moves
        change = away.set_away(
            session,
            team_id=TEAM_ID,
            user_id="U_ALICE",
            first_day=date(2026, 12, 22),
            last_day=date(2027, 1, 8),
            timezone="Europe/Paris",
            now=during,
        )
    assert (change.what, change.away.first_day, change.away.last_day) == ("changed", FIRST, date(2027, 1, 8))
    assert count(db, Away) == 1
    dispatcher.tick(BACK, client=slack_client)
    assert catch_ups(slack) == []
    dispatcher.tick(datetime(2027, 1, 8, 23, 0, tzinfo=UTC), client=slack_client)
    assert len(catch_ups(slack)) == 1


def test_holding_and_ending_at_the_same_moment_neither_loses_nor_repeats_a_nudge(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    make_cadence('add "Weekly update" every monday at 09:30 to <@U_ALICE|alice>', now=CREATED)
    set_alice_away()

    def end() -> None:
        with unit_of_work() as session:
            away.end_away(session, team_id=TEAM_ID, user_id="U_ALICE", now=MONDAYS_AWAY[0])

    at_once(lambda: dispatcher.tick(MONDAYS_AWAY[0], client=slack_client), end)
    dispatcher.tick(MONDAYS_AWAY[0] + timedelta(minutes=5), client=slack_client)  # the catch-up, if not yet sent

    [catch_up] = catch_ups(slack)
    listed = "Weekly update" in str(catch_up["blocks"])
    assert listed + len(reminders(slack)) == 1  # held and listed, or posted: exactly one of the two
    assert count(db, HeldNudge) == int(listed)
