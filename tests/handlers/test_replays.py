"""Each delivery is handled once: a slash command, a click or a form that arrives twice (a proxy, a double send, Slack's
retry) acts once and the second copy is told so; a retry whose first copy never arrived is handled; a new workspace's
first commands, all at once, all succeed."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cadence import ids
from devtools.app_client import AppClient, find_element
from devtools.signing import (
    block_actions_body,
    command_body,
    event_body,
    new_trigger_id,
    post_signed,
    view_submission_body,
)
from devtools.slack_stand_in import SlackStandIn
from models import AuditEvent, Cadence, HandledRequest, Workspace
from tests.conftest import SIGNING_SECRET
from tests.support.concurrency import at_once

ADD = 'add "Weekly sync" every monday at 09:30'


def count(db: Session, model: type) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model)) or 0


ALREADY = "already done: Slack delivered this command twice"


def test_the_same_command_delivered_twice_saves_once_and_the_copy_is_told(
    app_url: str, slack: SlackStandIn, db: Session
) -> None:
    body = command_body("/cadence", ADD, user_id="U_ALICE", channel_id="C_GENERAL", trigger_id=new_trigger_id())
    first = post_signed(app_url, body, SIGNING_SECRET)
    second = post_signed(app_url, body, SIGNING_SECRET)
    assert first[0] == second[0] == 200
    assert "Saved reminder #1" in first[1]["text"]
    assert ALREADY in second[1]["text"] and second[1]["response_type"] == "ephemeral"
    assert count(db, Cadence) == 1 and count(db, AuditEvent) == 1 and count(db, HandledRequest) == 1


def test_the_same_command_delivered_twice_at_the_same_moment_saves_once(
    app_url: str, slack: SlackStandIn, db: Session
) -> None:
    body = command_body("/cadence", ADD, user_id="U_ALICE", channel_id="C_GENERAL", trigger_id=new_trigger_id())
    replies = at_once(*[lambda: post_signed(app_url, body, SIGNING_SECRET)] * 3)
    assert [status for status, _ in replies] == [200, 200, 200]
    assert count(db, Cadence) == 1 and count(db, AuditEvent) == 1
    said = sorted(reply["text"] for _, reply in replies)
    assert said[0].startswith("Saved reminder #1") and all(ALREADY in text for text in said[1:]), said


def test_a_refused_command_delivered_twice_gets_the_same_refusal_and_saves_nothing(
    app_url: str, slack: SlackStandIn, db: Session
) -> None:
    body = command_body("/cadence", 'add "Sync" every monday at 25:00', user_id="U_ALICE", channel_id="C_GENERAL")
    replies = [post_signed(app_url, body, SIGNING_SECRET) for _ in range(2)]
    assert replies[0] == replies[1] and replies[0][0] == 200 and "`25:00`" in replies[0][1]["text"]
    assert count(db, Cadence) == 0 and count(db, HandledRequest) == 0  # a refusal wrote nothing, so claims nothing


def test_two_different_commands_with_their_own_triggers_both_act(app: AppClient, db: Session) -> None:
    app.command("/cadence", ADD, user="U_ALICE")
    app.command("/cadence", ADD, user="U_ALICE")
    assert count(db, Cadence) == 2


def form_values(when: str, *, zone: str = "", time_value: str = "16:00") -> dict:
    """What a person typed into the /cadence form."""
    return {
        ids.MODAL_TEXT: {ids.MODAL_TEXT: "Retro"},
        ids.MODAL_FREQUENCY: {ids.MODAL_FREQUENCY: when},
        ids.MODAL_TIME: {ids.MODAL_TIME: {"type": "timepicker", "selected_time": time_value}},
        ids.MODAL_TIMEZONE: {ids.MODAL_TIMEZONE: zone},
        ids.MODAL_CHANNEL: {ids.MODAL_CHANNEL: {"type": "conversations_select", "selected_conversation": "C_GENERAL"}},
        ids.MODAL_USERS: {ids.MODAL_USERS: {"type": "multi_users_select", "selected_users": []}},
        ids.MODAL_OPTIONS: {ids.MODAL_OPTIONS: {"type": "checkboxes", "selected_options": []}},
    }


def test_the_same_form_submitted_twice_makes_one_reminder_and_one_dm(
    app_url: str, slack: SlackStandIn, db: Session
) -> None:
    def submission(view_id: str) -> str:
        return view_submission_body(
            ids.CADENCE_MODAL, form_values("every thursday"), user_id="U_ALICE", view_id=view_id
        )

    one_after_the_other = submission("V_FORM_ONE")
    once = post_signed(app_url, one_after_the_other, SIGNING_SECRET)
    again = post_signed(app_url, one_after_the_other, SIGNING_SECRET)
    assert once == again == (200, "")  # both close the form
    at_the_same_moment = submission("V_FORM_TWO")
    at_once(*[lambda: post_signed(app_url, at_the_same_moment, SIGNING_SECRET)] * 2)
    assert db.scalars(select(Cadence.title)).all() == ["Retro", "Retro"]  # one per form, not one per submission
    assert len(slack.messages("DU_ALICE")) == 2


def test_a_form_sent_back_with_errors_and_corrected_is_a_new_submission(
    app_url: str, slack: SlackStandIn, db: Session
) -> None:
    def submit(zone: str) -> tuple[int, object]:
        body = view_submission_body(
            ids.CADENCE_MODAL, form_values("every friday", zone=zone), user_id="U_ALICE", view_id="V_CORRECTED"
        )
        return post_signed(app_url, body, SIGNING_SECRET)

    for _ in range(2):  # sent again unchanged: refused again, not answered from memory of a save
        status, refused = submit("Mars/Olympus")
        assert status == 200 and refused["response_action"] == "errors"
    assert submit("Europe/Paris") == (200, "")
    assert db.scalars(select(Cadence.title)).all() == ["Retro"]


def test_a_click_delivered_twice_is_answered_once(
    app: AppClient, app_url: str, slack: SlackStandIn, db: Session, slack_client
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from bot.cadence import dispatcher

    app.command("/cadence", ADD, user="U_ALICE")
    first_run = db.scalar(select(Cadence.next_run_at))
    dispatcher.tick(first_run + timedelta(seconds=1), client=slack_client)
    nudge = slack.messages("C_GENERAL")[-1]
    button = find_element(nudge["blocks"], ids.NUDGE_SNOOZE_DAY)
    body = block_actions_body(
        ids.NUDGE_SNOOZE_DAY,
        button["value"],
        user_id="U_ALICE",
        channel_id="C_GENERAL",
        message=nudge,
        block_id=button["_block_id"],
        trigger_id=new_trigger_id(),
        response_url=slack.response_url("action"),
    )
    audits = count(db, AuditEvent)
    at_once(*[lambda: post_signed(app_url, body, SIGNING_SECRET)] * 2)
    post_signed(app_url, body, SIGNING_SECRET)
    assert count(db, AuditEvent) == audits + 1


def test_slacks_retry_of_an_event_is_answered_without_acting_but_a_lone_retry_is_handled(
    app_url: str, slack: SlackStandIn, db: Session
) -> None:
    opened = event_body({"type": "app_home_opened", "user": "U_ALICE", "tab": "home"})
    retry_headers = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert post_signed(app_url, opened, SIGNING_SECRET)[0] == 200
    published = len(slack.views_published("U_ALICE"))
    assert post_signed(app_url, opened, SIGNING_SECRET, headers=retry_headers)[0] == 200
    assert len(slack.views_published("U_ALICE")) == published  # the retry's first copy was handled: nothing again

    # Home publishes but saves nothing, so it isn't remembered: Slack's retry of it redraws Home once more, which is
    # harmless. What must never be dropped is a retry whose first copy never reached the app.
    lone = json.loads(event_body({"type": "app_home_opened", "user": "U_BOB", "tab": "home"}))
    assert post_signed(app_url, json.dumps(lone), SIGNING_SECRET, headers=retry_headers)[0] == 200
    assert len(slack.views_published("U_BOB")) == 1


def test_a_new_workspaces_first_commands_all_at_once_all_succeed(
    app_url: str, slack: SlackStandIn, db: Session
) -> None:
    team = "T_BRAND_NEW"
    people = ["U_ALICE", "U_BOB", "U_ADMIN", "U_ALICE", "U_BOB", "U_ADMIN"]
    texts = ["list", ADD, "fiscal-year", ADD, "list", "fiscal-year"]
    bodies = [
        command_body("/cadence", text, user_id=user, channel_id="C_GENERAL", team_id=team)
        for user, text in zip(people, texts, strict=True)
    ]
    replies = at_once(*[lambda body=body: post_signed(app_url, body, SIGNING_SECRET) for body in bodies])
    assert all(status == 200 for status, _ in replies)
    said = json.dumps([reply for _, reply in replies])
    assert "Something went wrong" not in said
    assert db.scalars(select(Workspace.team_id).where(Workspace.team_id == team)).all() == [team]
    assert count(db, Cadence) == 2
