"""Nudge buttons, the create modal and App Home, through signed requests; nudges over simulated weeks."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import time_machine
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from models import AuditEvent, Cadence, Delivery, NudgeOutcome
from tests.support.factories import make_cadence

CREATED = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def post_one_nudge(slack: SlackStandIn, client: WebClient) -> dict:
    make_cadence('add "Weekly sync" every monday at 09:30', now=CREATED)
    dispatcher.tick(DUE, client=client)
    return slack.messages("C_TEAM")[-1]


def button_ids(message: dict) -> list[str]:
    found = []
    for block in message["blocks"]:
        elements = block.get("elements", []) + ([block["accessory"]] if block.get("accessory") else [])
        found += [e["action_id"] for e in elements if isinstance(e, dict) and "action_id" in e]
    return found


def test_done_updates_the_nudge_in_place_with_who_and_undo_brings_the_buttons_back(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    nudge = post_one_nudge(slack, slack_client)
    with time_machine.travel(DUE + timedelta(minutes=5), tick=False):
        app.click(nudge, "cadence.nudge.done", user="U_BOB", channel="C_TEAM")
    [updated] = slack.messages("C_TEAM")
    assert updated["ts"] == nudge["ts"]
    assert "Done" in str(updated["blocks"]) and "<@U_BOB>" in str(updated["blocks"])
    assert button_ids(updated) == ["cadence.nudge.undo"]
    delivery = db.scalars(select(Delivery)).one()
    assert (delivery.outcome, delivery.outcome_by, delivery.outcome_at) == (
        NudgeOutcome.DONE,
        "U_BOB",
        DUE + timedelta(minutes=5),
    )

    app.click(updated, "cadence.nudge.undo", user="U_BOB", channel="C_TEAM")
    [reopened] = slack.messages("C_TEAM")
    assert button_ids(reopened)[0] == "cadence.nudge.done"
    db.expire_all()
    assert db.scalars(select(Delivery)).one().outcome is None
    assert list(db.scalars(select(AuditEvent.action).where(AuditEvent.subject_type == "delivery"))) == [
        "nudge.done",
        "nudge.reopened",
    ]
    assert slack.problems == []


def test_a_double_click_is_answered_once(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    nudge = post_one_nudge(slack, slack_client)
    app.click(nudge, "cadence.nudge.done", user="U_BOB", channel="C_TEAM")
    app.click(nudge, "cadence.nudge.skip", user="U_ALICE", channel="C_TEAM")
    delivery = db.scalars(select(Delivery)).one()
    assert (delivery.outcome, delivery.outcome_by) == (NudgeOutcome.DONE, "U_BOB")


def test_snooze_a_day_posts_the_nudge_again_a_day_later_once(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    nudge = post_one_nudge(slack, slack_client)
    clicked_at = DUE + timedelta(minutes=10)
    with time_machine.travel(clicked_at, tick=False):
        app.click(nudge, "cadence.nudge.snooze_day", user="U_ALICE", channel="C_TEAM")
    assert "Snoozed" in str(slack.messages("C_TEAM")[0]["blocks"])

    assert dispatcher.tick(clicked_at + timedelta(hours=23), client=slack_client).outcome.posted == 0
    assert dispatcher.tick(clicked_at + timedelta(days=1), client=slack_client).outcome.posted == 1
    assert dispatcher.tick(clicked_at + timedelta(days=1, minutes=1), client=slack_client).outcome.posted == 0
    again = slack.messages("C_TEAM")[-1]
    assert len(slack.messages("C_TEAM")) == 2 and "snoozed reminder" in str(again["blocks"])


def test_skip_marks_this_occurrence_and_the_next_one_still_comes(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    nudge = post_one_nudge(slack, slack_client)
    app.click(nudge, "cadence.nudge.skip", user="U_ALICE", channel="C_TEAM")
    assert "Skipped this time" in str(slack.messages("C_TEAM")[0]["blocks"])
    assert dispatcher.tick(DUE + timedelta(weeks=1), client=slack_client).outcome.posted == 1


def test_weekly_nudges_keep_their_local_time_across_daylight_saving_for_weeks(
    db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    # Paris leaves summer time on 25 October 2026: 09:30 local is 07:30 UTC before and 08:30 UTC after.
    make_cadence(
        'add "Sync" every monday at 09:30', now=datetime(2026, 10, 1, tzinfo=UTC), user_timezone="Europe/Paris"
    )
    moment = datetime(2026, 10, 1, tzinfo=UTC)
    while moment < datetime(2026, 11, 10, tzinfo=UTC):  # a tick every 15 minutes for six weeks
        dispatcher.tick(moment, client=slack_client)
        moment += timedelta(minutes=15)
    posted_at = [d.occurrence_at for d in db.scalars(select(Delivery).order_by(Delivery.id))]
    assert posted_at == [
        datetime(2026, 10, 5, 7, 30, tzinfo=UTC),
        datetime(2026, 10, 12, 7, 30, tzinfo=UTC),
        datetime(2026, 10, 19, 7, 30, tzinfo=UTC),
        datetime(2026, 10, 26, 8, 30, tzinfo=UTC),
        datetime(2026, 11, 2, 8, 30, tzinfo=UTC),
        datetime(2026, 11, 9, 8, 30, tzinfo=UTC),
    ]
    assert len(slack.messages("C_TEAM")) == 6
    assert not any(d.late for d in db.scalars(select(Delivery)))


def test_the_modal_creates_the_same_reminder_and_explains_errors_under_the_field(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    opened = app.command("/cadence", "new", user="U_ALICE", channel="C_TEAM")
    assert opened.status == 200
    [view] = slack.views_opened()
    assert view["callback_id"] == "cadence.modal.submit" and view["private_metadata"] == "C_TEAM"

    def values(when: str, zone: str = "") -> dict:
        return {
            "cadence.modal.text": {"cadence.modal.text": {"type": "plain_text_input", "value": "Retro"}},
            "cadence.modal.frequency": {"cadence.modal.frequency": {"type": "plain_text_input", "value": when}},
            "cadence.modal.time": {"cadence.modal.time": {"type": "timepicker", "selected_time": "16:00"}},
            "cadence.modal.timezone": {"cadence.modal.timezone": {"type": "plain_text_input", "value": zone}},
            "cadence.modal.channel": {
                "cadence.modal.channel": {"type": "conversations_select", "selected_conversation": "C_TEAM"}
            },
            "cadence.modal.users": {"cadence.modal.users": {"type": "multi_users_select", "selected_users": []}},
            "cadence.modal.options": {"cadence.modal.options": {"type": "checkboxes", "selected_options": []}},
        }

    bad_rule = app.submit(view, values("every blue moon"), user="U_ALICE")
    bad_zone = app.submit(view, values("every monday", zone="Mars/Base"), user="U_ALICE")
    assert bad_rule["response_action"] == "errors" and "blue moon" in bad_rule["errors"]["cadence.modal.frequency"]
    assert "Mars/Base" in bad_zone["errors"]["cadence.modal.timezone"]
    assert db.scalars(select(Cadence)).all() == []

    with time_machine.travel(CREATED, tick=False):
        saved = app.submit(view, values("every month on the last friday"), user="U_ALICE")
    assert saved.body == ""  # the modal closes
    cadence = db.scalars(select(Cadence)).one()
    assert cadence.title == "Retro" and cadence.channel_id == "C_TEAM"
    assert cadence.next_run_at == datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # last Friday of November, 16:00 Paris
    assert "Saved reminder" in slack.messages("U_ALICE")[-1]["text"]


def test_app_home_lists_the_users_reminders(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    make_cadence('add "Mine" every monday at 09:30', now=CREATED, actor="U_BOB")
    make_cadence('add "Theirs" every friday at 09:30', now=CREATED, actor="U_ALICE")
    reply = app.event({"type": "app_home_opened", "user": "U_BOB", "channel": "D_BOB", "tab": "home"})
    assert reply.status == 200
    home = slack.views_published("U_BOB")[-1]
    text = str(home["blocks"])
    assert text.index("Mine") < text.index("Theirs") and "Yours (1)" in text
    assert slack.problems == []


def test_slacks_url_verification_challenge_is_answered(app: AppClient) -> None:
    from devtools.signing import post_signed

    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    body = json.dumps({"token": "t", "challenge": challenge, "type": "url_verification"})
    status, answer = post_signed(app.url, body, app.secret)
    assert status == 200 and challenge in str(answer)
