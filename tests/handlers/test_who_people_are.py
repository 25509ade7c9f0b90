"""Who people are: names and time zones are read from the `slack_user` table, users.info is asked only for someone new
or a day old, and a `user_change` event refreshes the row at once (bot/slack/users.py), per workspace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from models import Cadence, SlackUser
from tests.conftest import SIGNING_SECRET
from tests.support.concurrency import at_once

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TZ = "Europe/Paris"  # Alice's zone in the stand-in


def add(app: AppClient, title: str, *, user: str = "U_ALICE") -> str:
    """`/cadence add` in #team-sync; the reply's text, checked to be a saved reminder."""
    reply = app.command("/cadence", f'add "{title}" every monday at 09:30', user=user, channel="C_TEAM")
    assert "Saved reminder" in reply.text, reply.text
    return reply.text


def zone_of(db: Session, title: str) -> str:
    db.expire_all()
    return str(db.scalars(select(Cadence).where(Cadence.title == title)).one().rule["timezone"])


def lookups(slack: SlackStandIn, user: str = "U_ALICE") -> int:
    return len([call for call in slack.calls("users.info") if call.get("user") == user])


def rows(db: Session) -> list[SlackUser]:
    db.expire_all()
    return list(db.scalars(select(SlackUser).order_by(SlackUser.team_id, SlackUser.user_id)))


def test_a_known_users_adds_make_no_users_info_call(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    with time_machine.travel(MONDAY, tick=False):
        for n in range(10):
            add(app, f"Sync {n}")
    assert lookups(slack) == 1  # the first add; before the table, 10 adds made 10 calls
    assert [call["user"] for call in slack.calls("users.info")] == ["U_ALICE"]  # the time-away check asks nobody
    assert {zone_of(db, f"Sync {n}") for n in range(10)} == {"Europe/Paris"}


def test_one_command_reads_who_its_sender_is_once_though_two_parts_of_it_ask(app: AppClient, db: Session) -> None:
    from sqlalchemy import event

    from bot import db as bot_db

    with time_machine.travel(MONDAY, tick=False):
        add(app, "First")  # stored now
        reads: list[str] = []

        def note(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
            if "FROM slack_user" in statement:
                reads.append(statement)

        event.listen(bot_db.engine(), "before_cursor_execute", note)
        try:
            add(app, "Second")  # the add asks for her zone, the time-away check after it for her status
            first = len(reads)
            add(app, "Third")  # a new request asks afresh
        finally:
            event.remove(bot_db.engine(), "before_cursor_execute", note)
    assert (first, len(reads)) == (1, 2)


def test_a_person_first_seen_is_looked_up_once_and_stored(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    with time_machine.travel(MONDAY, tick=False):
        add(app, "First")
    [alice] = rows(db)
    assert (alice.team_id, alice.user_id, alice.real_name, alice.tz) == (
        "T0001",
        "U_ALICE",
        "Alice Archer",
        "Europe/Paris",
    )
    assert alice.is_admin is False and alice.deleted is False and alice.fetched_at == MONDAY
    assert lookups(slack) == 1


def test_a_day_later_the_person_is_looked_up_again(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    with time_machine.travel(MONDAY, tick=False):
        add(app, "Before")
    slack.add_user("U_ALICE", name="alice", real_name="Alice Archer", tz="Asia/Tokyo")  # moved; no event reached us
    with time_machine.travel(MONDAY + timedelta(hours=23), tick=False):
        add(app, "Same day")
    assert lookups(slack) == 1 and zone_of(db, "Same day") == "Europe/Paris"  # still fresh: the stored zone
    with time_machine.travel(MONDAY + timedelta(days=1, minutes=1), tick=False):
        add(app, "Next day")
    assert lookups(slack) == 2 and zone_of(db, "Next day") == "Asia/Tokyo"
    assert rows(db)[0].fetched_at == MONDAY + timedelta(days=1, minutes=1)


def test_a_user_change_event_updates_the_zone_and_the_next_command_uses_it_unasked(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        add(app, "In Paris")
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        event = slack.change_user("U_ALICE", tz="Asia/Tokyo", real_name="Alice Tanaka")
        assert app.event(event).status == 200
        add(app, "In Tokyo")
    assert lookups(slack) == 1 and zone_of(db, "In Tokyo") == "Asia/Tokyo"
    [alice] = rows(db)
    assert (alice.tz, alice.real_name, alice.fetched_at) == ("Asia/Tokyo", "Alice Tanaka", MONDAY + timedelta(hours=1))


def test_a_user_change_for_someone_new_stores_them_and_their_first_command_asks_nobody(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        app.event(slack.change_user("U_BOB", is_admin=True))
        reply = app.command("/cadence", "list all", user="U_BOB", channel="C_TEAM")
    assert "Only a workspace admin" not in reply.text  # the admin flag came from the event
    assert lookups(slack, "U_BOB") == 0


def test_when_users_info_fails_a_known_person_is_read_from_the_stored_row(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        add(app, "Fresh")
    slack.fail_next("users.info", 500)  # one request asks once: the time-away check after the add reuses its answer
    with time_machine.travel(MONDAY + timedelta(days=3), tick=False):
        add(app, "Stale")
    assert lookups(slack) == 2 and zone_of(db, "Stale") == "Europe/Paris"  # asked, refused, the old row used
    assert rows(db)[0].fetched_at == MONDAY  # still stale: the next request asks again


def test_when_users_info_fails_for_someone_new_they_are_a_plain_member_in_utc(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    slack.fail_next("users.info", 500)  # one request asks once: the time-away check after the add reuses its answer
    with time_machine.travel(MONDAY, tick=False):
        add(app, "Unknown")
    assert zone_of(db, "Unknown") == "UTC" and rows(db) == []
    with time_machine.travel(MONDAY + timedelta(minutes=1), tick=False):
        add(app, "Known now")
    assert zone_of(db, "Known now") == "Europe/Paris" and len(rows(db)) == 1  # nothing stored, so asked again


def test_two_first_commands_at_once_by_someone_new_both_succeed_with_one_row(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        at_once(lambda: add(app, "One", user="U_BOB"), lambda: add(app, "Two", user="U_BOB"))
    assert [(row.user_id, row.tz) for row in rows(db)] == [("U_BOB", "America/New_York")]
    assert zone_of(db, "One") == zone_of(db, "Two") == "America/New_York"


def test_the_same_user_id_in_another_workspace_is_another_person(
    app: AppClient, db: Session, slack: SlackStandIn, app_url: str
) -> None:
    other = AppClient(app_url, SIGNING_SECRET, slack, team_id="T_OTHER")
    with time_machine.travel(MONDAY, tick=False):
        add(app, "Here")
        add(other, "There")
        other.event(slack.change_user("U_ALICE", tz="Asia/Tokyo"))  # only the other workspace hears of it
        add(app, "Here again")
        add(other, "There again")
    assert lookups(slack) == 2  # one per workspace
    assert [(row.team_id, row.tz) for row in rows(db)] == [("T0001", "Europe/Paris"), ("T_OTHER", "Asia/Tokyo")]
    assert zone_of(db, "Here again") == "Europe/Paris" and zone_of(db, "There again") == "Asia/Tokyo"


def test_a_user_change_without_a_user_changes_nothing(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    assert app.event({"type": "user_change", "user": "U_ALICE"}).status == 200
    assert app.event({"type": "user_change", "user": {"name": "no id"}}).status == 200
    assert rows(db) == []


def test_people_read_from_users_list_are_stored_so_their_first_command_asks_slack_nothing(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    from slack_sdk import WebClient

    from bot.slack.users import people_matcher

    with time_machine.travel(MONDAY, tick=False):
        people_matcher(WebClient(token="xoxb-test", base_url=slack.url))  # as a /wg import or Link people reads it
        listed = {(row.team_id, row.user_id): row.tz for row in rows(db)}
        add(app, "Bob's first", user="U_BOB")
    assert listed[("T0001", "U_BOB")] == "America/New_York" and listed[("T0001", "U_ADMIN")] == "UTC"
    assert lookups(slack, "U_BOB") == 0 and zone_of(db, "Bob's first") == "America/New_York"
