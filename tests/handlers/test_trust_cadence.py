"""Issue 12 for /cadence and the nudge buttons, through signed requests on both databases: two presses at the same
moment (real threads) make one answer, only the people a nudge went to may answer it, a reminder targets only a
channel its creator is in, lists show a person only what is theirs to see, the form saves before it says so and
keeps the command's limits, and every echo of a title is escaped, the `text` fallback too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from slack_sdk import WebClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from devtools.app_client import AppClient, Reply, find_element
from devtools.signing import block_actions_body, post_signed
from devtools.slack_stand_in import BOT_USER_ID, SlackStandIn
from handlers.membership import forget_members
from models import AuditEvent, Cadence, CadenceStatus, Delivery, DeliveryStatus, NudgeOutcome
from tests.support.concurrency import at_once
from tests.support.factories import make_cadence

CREATED = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday
DUE = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
PRESSED = DUE + timedelta(minutes=10)


@pytest.fixture(autouse=True)
def fresh_members(slack: SlackStandIn) -> Iterator[None]:
    """Channel members are cached for a minute; each test sets its own."""
    forget_members()
    slack.add_user("U_CAROL", name="carol", real_name="Carol Cole", tz="Asia/Tokyo")  # in #general only
    yield
    forget_members()


def press(app: AppClient, message: dict[str, Any], action_id: str, *, user: str, channel: str) -> int:
    """Press a button as `user`; what the app says back to them lands in `said_to(user)`."""
    button = find_element(message["blocks"], action_id)
    body = block_actions_body(
        action_id,
        button.get("value", ""),
        user_id=user,
        channel_id=channel,
        message=message,
        team_id=app.team_id,
        block_id=button["_block_id"],
        response_url=app.slack.response_url(f"to-{user}"),
    )
    return post_signed(app.url, body, app.secret)[0]


def said_to(slack: SlackStandIn, user: str) -> str:
    """Everything the app sent back to `user` through their presses' response_url."""
    return json.dumps(slack.responses(f"to-{user}"), ensure_ascii=False)


def nudge_in_team_channel(slack: SlackStandIn, client: WebClient, text: str = '"Weekly sync"') -> dict[str, Any]:
    make_cadence(f"add {text} every monday at 09:30", now=CREATED)
    dispatcher.tick(DUE, client=client)
    return slack.messages("C_TEAM")[-1]


def audit_actions(db: Session, subject_type: str = "delivery") -> list[str]:
    db.expire_all()
    return list(db.scalars(select(AuditEvent.action).where(AuditEvent.subject_type == subject_type)))


def deliveries(db: Session) -> list[Delivery]:
    db.expire_all()
    return list(db.scalars(select(Delivery).order_by(Delivery.id)))


# ---------------------------------------------------------------------------------------------- concurrent presses

# Alice (Paris) and Bob (New York) press at 09:40 UTC on Monday 23 November; the later one reads the time in their
# own zone: a day's snooze ends Tue 24 Nov 09:40 UTC, a week's Mon 30 Nov 09:40 UTC.
ALREADY = {
    "cadence.nudge.done": "Already done by <@{winner}>",
    "cadence.nudge.skip": "Already skipped this time by <@{winner}>",
    ("cadence.nudge.snooze_day", "U_BOB"): "Already snoozed by <@U_ALICE> until Tue 24 Nov 04:40",  # New York
    ("cadence.nudge.snooze_week", "U_ALICE"): "Already snoozed by <@U_BOB> until Mon 30 Nov 10:40",  # Paris
}
OUTCOME_OF = {
    "cadence.nudge.done": NudgeOutcome.DONE,
    "cadence.nudge.skip": NudgeOutcome.SKIPPED,
    "cadence.nudge.snooze_day": NudgeOutcome.SNOOZED,
    "cadence.nudge.snooze_week": NudgeOutcome.SNOOZED,
}


@pytest.mark.parametrize(
    ("alice_presses", "bob_presses"),
    [
        ("cadence.nudge.snooze_day", "cadence.nudge.snooze_week"),
        ("cadence.nudge.done", "cadence.nudge.done"),
        ("cadence.nudge.done", "cadence.nudge.skip"),
        ("cadence.nudge.skip", "cadence.nudge.snooze_week"),
    ],
)
def test_two_presses_at_the_same_moment_make_one_answer_and_the_later_presser_is_told(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient, alice_presses: str, bob_presses: str
) -> None:
    nudge = nudge_in_team_channel(slack, slack_client)
    with time_machine.travel(PRESSED, tick=False):
        statuses = at_once(
            lambda: press(app, nudge, alice_presses, user="U_ALICE", channel="C_TEAM"),
            lambda: press(app, nudge, bob_presses, user="U_BOB", channel="C_TEAM"),
        )
    assert statuses == [200, 200]
    original, *copies = deliveries(db)
    winner = original.outcome_by
    loser, won_with = ("U_BOB", alice_presses) if winner == "U_ALICE" else ("U_ALICE", bob_presses)
    assert (original.outcome, original.outcome_at) == (OUTCOME_OF[won_with], PRESSED)
    assert len(copies) == (1 if OUTCOME_OF[won_with] == NudgeOutcome.SNOOZED else 0)  # one snoozed copy at most
    assert audit_actions(db) == [f"nudge.{OUTCOME_OF[won_with].value}"]
    assert len(slack.calls("chat.update")) == 1  # only the press that counted redraws
    told = ALREADY.get((won_with, loser)) or ALREADY[won_with].format(winner=winner)
    assert told in said_to(slack, loser) and "nothing changed" in said_to(slack, loser)
    assert said_to(slack, winner) == "[]"  # the one who counted sees the nudge redrawn, nothing more
    assert slack.responses(f"to-{loser}")[0]["response_type"] == "ephemeral"


def test_two_snoozes_at_once_post_one_snoozed_copy_later(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    nudge = nudge_in_team_channel(slack, slack_client)
    with time_machine.travel(PRESSED, tick=False):
        at_once(
            lambda: press(app, nudge, "cadence.nudge.snooze_day", user="U_ALICE", channel="C_TEAM"),
            lambda: press(app, nudge, "cadence.nudge.snooze_week", user="U_BOB", channel="C_TEAM"),
        )
    assert len(slack.calls("chat.postMessage")) == 1
    dispatcher.tick(PRESSED + timedelta(days=1), client=slack_client)
    dispatcher.tick(PRESSED + timedelta(days=8), client=slack_client)  # past a week's snooze too
    posted = [c for c in slack.calls("chat.postMessage") if c.get("channel") == "C_TEAM"]
    assert len(posted) == 3  # the nudge, its one snoozed copy, and next Monday's occurrence
    assert sum("snoozed reminder" in json.dumps(c.get("blocks")) for c in posted) == 1
    assert audit_actions(db) == ["nudge.snoozed"]


def test_two_undos_at_once_reopen_once_and_call_the_snooze_off(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    nudge = nudge_in_team_channel(slack, slack_client)
    with time_machine.travel(PRESSED, tick=False):
        press(app, nudge, "cadence.nudge.snooze_day", user="U_ALICE", channel="C_TEAM")
    snoozed = slack.messages("C_TEAM")[-1]
    with time_machine.travel(PRESSED + timedelta(minutes=1), tick=False):
        at_once(
            lambda: press(app, snoozed, "cadence.nudge.undo", user="U_ALICE", channel="C_TEAM"),
            lambda: press(app, snoozed, "cadence.nudge.undo", user="U_BOB", channel="C_TEAM"),
        )
    original, copy = deliveries(db)
    assert (original.outcome, original.outcome_by, copy.status) == (None, None, DeliveryStatus.CANCELLED)
    assert audit_actions(db) == ["nudge.snoozed", "nudge.reopened"]
    [reopened] = db.scalars(select(AuditEvent).where(AuditEvent.action == "nudge.reopened"))
    loser = "U_BOB" if reopened.actor_id == "U_ALICE" else "U_ALICE"
    assert f"Already reopened by <@{reopened.actor_id}>" in said_to(slack, loser)
    assert len(slack.calls("chat.update")) == 2  # the snooze, and one reopening
    dispatcher.tick(PRESSED + timedelta(days=1, hours=1), client=slack_client)
    assert len(slack.messages("C_TEAM")) == 1  # the called-off copy never goes out


def test_a_late_undo_on_a_stale_message_is_told_and_changes_nothing(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    nudge = nudge_in_team_channel(slack, slack_client)
    press(app, nudge, "cadence.nudge.done", user="U_ALICE", channel="C_TEAM")
    answered = slack.messages("C_TEAM")[-1]
    press(app, answered, "cadence.nudge.undo", user="U_ALICE", channel="C_TEAM")
    press(app, answered, "cadence.nudge.undo", user="U_BOB", channel="C_TEAM")  # Bob's screen still shows Undo
    assert "Already reopened by <@U_ALICE>" in said_to(slack, "U_BOB")
    assert audit_actions(db) == ["nudge.done", "nudge.reopened"]


def list_message(reply: Reply) -> dict[str, Any]:
    """The ephemeral list as a message whose buttons can be pressed (Slack keeps ephemerals client-side)."""
    return {"ts": "1700000000.000100", "blocks": reply["blocks"]}


@pytest.mark.parametrize("which", ["pause", "resume", "remove"])
def test_list_buttons_pressed_at_once_change_the_reminder_once(
    app: AppClient, db: Session, slack: SlackStandIn, which: str
) -> None:
    with time_machine.travel(CREATED, tick=False):
        added = app.command("/cadence", 'add "Sync" every monday at 09:30', user="U_ALICE", channel="C_TEAM")
    [cadence] = db.scalars(select(Cadence))
    if which == "resume":
        app.command("/cadence", f"pause {cadence.id}", user="U_ALICE", channel="C_TEAM")
    alices = list_message(app.command("/cadence", "list", user="U_ALICE", channel="C_TEAM"))
    admins = list_message(app.command("/cadence", "list all", user="U_ADMIN", channel="C_GENERAL"))
    presses = {
        "pause": [(alices, "cadence.list.pause", "U_ALICE"), (admins, "cadence.list.pause", "U_ADMIN")],
        "resume": [(alices, "cadence.list.resume", "U_ALICE"), (admins, "cadence.list.resume", "U_ADMIN")],
        # The Undo on her own reply, double-clicked: Slack delivers both.
        "remove": [(list_message(added), "cadence.list.remove", "U_ALICE")] * 2,
    }[which]
    with time_machine.travel(CREATED + timedelta(minutes=5), tick=False):
        at_once(*[lambda m=m, a=a, u=u: press(app, m, a, user=u, channel="C_TEAM") for m, a, u in presses])
    assert audit_actions(db, "cadence").count(f"cadence.{which}") == 1
    db.expire_all()
    expected = {"pause": CadenceStatus.PAUSED, "resume": CadenceStatus.ACTIVE, "remove": CadenceStatus.REMOVED}
    assert db.get(Cadence, cadence.id).status == expected[which]
    winner = db.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == f"cadence.{which}"))
    told = [r["text"] for u in dict.fromkeys(u for _m, _a, u in presses) for r in slack.responses(f"to-{u}")]
    refusals = [t for t in told if f"(by <@{winner}>)" in t]
    assert len(told) == 2 and len(refusals) == 1  # one confirmation, one "already …" naming who
    assert any(words in refusals[0] for words in ("already", "was just", "it was removed"))


def test_an_answer_whose_redraw_fails_stays_saved_and_says_so(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    nudge = nudge_in_team_channel(slack, slack_client)
    slack.fail_next("chat.update", 500)
    press(app, nudge, "cadence.nudge.done", user="U_BOB", channel="C_TEAM")
    assert [(d.outcome, d.outcome_by) for d in deliveries(db)] == [(NudgeOutcome.DONE, "U_BOB")]
    told = said_to(slack, "U_BOB")
    assert "Done: saved. I couldn't post in <#C_TEAM>" in told and "Nothing was saved" not in told


# ---------------------------------------------------------------------------------------------- who may answer


def test_a_dm_nudge_is_answered_only_by_its_recipient(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    make_cadence('add "1:1 prep" every monday at 09:30 to <@U_BOB|bob>', now=CREATED)
    dispatcher.tick(DUE, client=slack_client)
    nudge = slack.messages("U_BOB")[-1]
    dm = slack.dm_channel("U_BOB")
    for action_id in ("cadence.nudge.done", "cadence.nudge.snooze_day", "cadence.nudge.skip"):
        press(app, nudge, action_id, user="U_ALICE", channel=dm)  # Alice created it, but it isn't hers to answer
    assert "Only <@U_BOB>, to whom this reminder was sent, can answer it." in said_to(slack, "U_ALICE")
    [delivery] = deliveries(db)
    assert (delivery.outcome, delivery.outcome_by) == (None, None)
    assert audit_actions(db) == [] and slack.calls("chat.update") == []

    press(app, nudge, "cadence.nudge.done", user="U_BOB", channel=dm)
    answered = slack.messages("U_BOB")[-1]
    press(app, answered, "cadence.nudge.undo", user="U_ADMIN", channel=dm)  # not even an admin undoes Bob's answer
    [delivery] = deliveries(db)
    assert (delivery.outcome, delivery.outcome_by) == (NudgeOutcome.DONE, "U_BOB")
    assert "Only <@U_BOB>" in said_to(slack, "U_ADMIN") and audit_actions(db) == ["nudge.done"]


@pytest.mark.parametrize("kind", ["reminder", "wg.sync"])
def test_a_channel_nudge_is_answered_only_by_the_channels_members_whatever_its_kind(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient, kind: str
) -> None:
    nudge = nudge_in_team_channel(slack, slack_client)
    with db.begin():
        db.execute(update(Cadence).values(kind=kind))  # the rule is the delivery's audience, not the program
    for action_id in ("cadence.nudge.done", "cadence.nudge.snooze_week", "cadence.nudge.skip"):
        press(app, nudge, action_id, user="U_CAROL", channel="C_TEAM")  # Carol can read #team-sync, isn't in it
    told = [r["text"] for r in slack.responses("to-U_CAROL")]
    assert told == [":x: Only members of <#C_TEAM> can answer its reminders. Join it to answer this one."] * 3
    assert [d.outcome for d in deliveries(db)] == [None] and audit_actions(db) == []

    press(app, nudge, "cadence.nudge.done", user="U_BOB", channel="C_TEAM")
    press(app, slack.messages("C_TEAM")[-1], "cadence.nudge.undo", user="U_CAROL", channel="C_TEAM")
    assert [(d.outcome, d.outcome_by) for d in deliveries(db)] == [(NudgeOutcome.DONE, "U_BOB")]
    assert audit_actions(db) == ["nudge.done"] and len(slack.calls("chat.update")) == 1


# ---------------------------------------------------------------------------------------------- targets


def count_cadences(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Cadence)) or 0


def test_a_reminder_typed_in_a_private_channel_the_bot_was_never_invited_to_is_refused_with_the_fix(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    slack.add_channel("G_LOCKED", "locked", members=["U_ALICE"], is_private=True)
    reply = app.command("/cadence", 'add "Sync" every monday at 09:30', user="U_ALICE", channel="G_LOCKED")
    assert reply["response_type"] == "ephemeral"
    assert "I can't see <#G_LOCKED>" in reply.text and "/invite @Cadence" in reply.text
    assert count_cadences(db) == 0 and audit_actions(db, "cadence") == []

    slack.add_channel("G_LOCKED", "locked", members=["U_ALICE", BOT_USER_ID], is_private=True)  # /invite @Cadence
    forget_members()
    assert (
        "Saved reminder"
        in app.command("/cadence", 'add "Sync" every monday at 09:30', user="U_ALICE", channel="G_LOCKED").text
    )
    assert count_cadences(db) == 1


@pytest.mark.parametrize(
    ("channel", "explains"),
    [
        ("<#G_SECRET|secret>", ["You're not in <#G_SECRET>", "Join the channel"]),  # private, Alice isn't in it
        ("<#C_RANDOM|random>", ["You're not in <#C_RANDOM>", "Join the channel"]),  # public, not joined
        ("<#C_HIDDEN|hidden>", ["I can't see <#C_HIDDEN>", "/invite @Cadence"]),  # the bot can't see it
    ],
)
def test_a_reminder_names_only_a_channel_its_creator_is_in(
    app: AppClient, db: Session, slack: SlackStandIn, channel: str, explains: list[str]
) -> None:
    slack.add_channel("G_SECRET", "secret", members=["U_BOB", BOT_USER_ID], is_private=True)
    slack.add_channel("C_RANDOM", "random", members=["U_BOB"])
    reply = app.command("/cadence", f'add "Sync" every monday at 09:30 in {channel}', user="U_ALICE", channel="C_TEAM")
    assert reply["response_type"] == "ephemeral"
    for words in explains:
        assert words in reply.text
    assert count_cadences(db) == 0 and audit_actions(db, "cadence") == []
    assert slack.calls("chat.postMessage") == []

    slack.add_channel("C_RANDOM", "random", members=["U_BOB", "U_ALICE"])  # once she joins, it works
    forget_members()
    if "C_RANDOM" in channel:
        joined = app.command("/cadence", f'add "Sync" every monday at 09:30 in {channel}', user="U_ALICE")
        assert "Saved reminder" in joined.text and count_cadences(db) == 1


def modal_values(*, text: str = "Retro", channel: str | None = "C_TEAM") -> dict[str, Any]:
    return {
        "cadence.modal.text": {"cadence.modal.text": {"type": "plain_text_input", "value": text}},
        "cadence.modal.frequency": {"cadence.modal.frequency": {"type": "plain_text_input", "value": "every monday"}},
        "cadence.modal.time": {"cadence.modal.time": {"type": "timepicker", "selected_time": "16:00"}},
        "cadence.modal.timezone": {"cadence.modal.timezone": {"type": "plain_text_input", "value": ""}},
        "cadence.modal.channel": {
            "cadence.modal.channel": {"type": "conversations_select", "selected_conversation": channel}
        },
        "cadence.modal.users": {"cadence.modal.users": {"type": "multi_users_select", "selected_users": []}},
        "cadence.modal.options": {"cadence.modal.options": {"type": "checkboxes", "selected_options": []}},
    }


def opened_form(app: AppClient, slack: SlackStandIn, *, channel: str = "C_TEAM") -> dict[str, Any]:
    app.command("/cadence", "new", user="U_ALICE", channel=channel)
    return slack.views_opened()[-1]


def test_the_forms_channel_must_be_one_its_creator_is_in_said_under_the_field(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    slack.add_channel("C_RANDOM", "random", members=["U_BOB"])
    form = opened_form(app, slack)
    refused = app.submit(form, modal_values(channel="C_RANDOM"), user="U_ALICE")
    assert refused["response_action"] == "errors"
    assert "You're not in <#C_RANDOM>" in refused["errors"]["cadence.modal.channel"]
    unseen = app.submit(form, modal_values(channel="C_HIDDEN"), user="U_ALICE")
    assert "I can't see <#C_HIDDEN>" in unseen["errors"]["cadence.modal.channel"]
    assert count_cadences(db) == 0 and slack.calls("chat.postMessage") == []
    typed_in = app.submit(form, modal_values(channel="C_TEAM"), user="U_ALICE")  # where `/cadence new` was typed
    assert typed_in.body == "" and count_cadences(db) == 1


# ---------------------------------------------------------------------------------------------- lists


def reminders_of_everyone() -> None:
    make_cadence('add "Alice own sync" every monday at 09:30', now=CREATED, actor="U_ALICE", channel="C_TEAM")
    make_cadence('add "Sent to Alice" every monday at 09:30 to <@U_ALICE|alice>', now=CREATED, actor="U_BOB")
    make_cadence('add "DM to admin" every monday at 09:30 to <@U_ADMIN|ada>', now=CREATED, actor="U_BOB")
    make_cadence('add "Secret planning" every monday at 09:30', now=CREATED, actor="U_BOB", channel="G_SECRET")
    make_cadence('add "General notice" every monday at 09:30', now=CREATED, actor="U_BOB", channel="C_GENERAL")


ALL_TITLES = ["Alice own sync", "Sent to Alice", "DM to admin", "Secret planning", "General notice"]


def shown_titles(text: str) -> list[str]:
    return [title for title in ALL_TITLES if title in text]


def test_list_shows_this_channels_reminders_the_users_own_and_those_sent_to_them(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    slack.add_channel("G_SECRET", "secret", members=["U_BOB", BOT_USER_ID], is_private=True)
    reminders_of_everyone()
    in_team = app.command("/cadence", "list", user="U_ALICE", channel="C_TEAM")
    in_general = app.command("/cadence", "list", user="U_ALICE", channel="C_GENERAL")
    carols = app.command("/cadence", "list", user="U_CAROL", channel="C_GENERAL")
    assert shown_titles(in_team.all_text()) == ["Alice own sync", "Sent to Alice"]
    assert shown_titles(in_general.all_text()) == ["Alice own sync", "Sent to Alice", "General notice"]
    assert shown_titles(carols.all_text()) == ["General notice"]
    assert "/cadence list all" in in_team.all_text() and "Every reminder" not in in_team.all_text()
    assert in_team.text == "2 reminders"


def test_only_an_admin_lists_all_and_the_answer_says_so(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    reminders_of_everyone()
    refused = app.command("/cadence", "list all", user="U_ALICE", channel="C_TEAM")
    assert refused["response_type"] == "ephemeral" and "Only a workspace admin" in refused.text
    assert shown_titles(refused.all_text()) == []
    everything = app.command("/cadence", "list all", user="U_ADMIN", channel="C_TEAM")
    assert shown_titles(everything.all_text()) == ALL_TITLES
    assert "All reminders (5)" in everything.all_text()
    assert everything.text.startswith("Every reminder in this workspace (admin view)")
    assert "shown to you as a workspace admin" in everything.all_text()


def test_app_home_shows_only_the_reminders_the_user_may_see(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    slack.add_channel("G_SECRET", "secret", members=["U_BOB", BOT_USER_ID], is_private=True)
    reminders_of_everyone()
    app.event({"type": "app_home_opened", "user": "U_ALICE", "channel": "D_ALICE", "tab": "home"})
    app.event({"type": "app_home_opened", "user": "U_BOB", "channel": "D_BOB", "tab": "home"})
    alices = json.dumps(slack.views_published("U_ALICE")[-1]["blocks"])
    bobs = json.dumps(slack.views_published("U_BOB")[-1]["blocks"])
    assert shown_titles(alices) == ["Alice own sync", "Sent to Alice", "General notice"]
    assert "Yours (2)" in alices and "In your channels (1)" in alices
    assert shown_titles(bobs) == ALL_TITLES  # he created the rest, and is in #team-sync


# ---------------------------------------------------------------------------------------------- the form


@pytest.mark.parametrize("failure", ["500", "timeout"])
def test_when_the_forms_confirmation_dm_fails_the_reminder_stays_saved_and_the_form_says_so(
    app: AppClient, db: Session, slack: SlackStandIn, failure: str
) -> None:
    form = opened_form(app, slack)
    if failure == "500":
        slack.fail_next("chat.postMessage", 500)
    else:
        slack.time_out_next("chat.postMessage", delay=3.0)
    with time_machine.travel(CREATED, tick=False):
        saved = app.submit(form, modal_values(), user="U_ALICE")
    [cadence] = db.scalars(select(Cadence))
    assert cadence.title == "Retro" and audit_actions(db, "cadence") == ["cadence.added"]
    assert saved["response_action"] == "update"
    shown = json.dumps(saved["view"], ensure_ascii=False)
    assert f"Saved reminder #{cadence.id}" in shown and "Don't save it again" in shown
    assert ("didn't answer in time" if failure == "timeout" else "Slack said") in shown
    assert "Nothing was saved" not in shown and "went wrong" not in shown


def test_the_saved_form_holds_a_longest_title_of_characters_that_escaping_lengthens(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    form = opened_form(app, slack)
    slack.fail_next("chat.postMessage", 500)
    saved = app.submit(form, modal_values(text="&" * 1000), user="U_ALICE")  # 5,000 characters once escaped
    assert saved["response_action"] == "update" and "Saved reminder #" in json.dumps(saved["view"])
    assert count_cadences(db) == 1


def test_the_form_refuses_a_text_longer_than_the_commands_limit_under_its_field(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    form = opened_form(app, slack)
    refused = app.submit(form, modal_values(text="x" * 10_000), user="U_ALICE")
    assert refused["response_action"] == "errors"
    assert "10,000 characters" in refused["errors"]["cadence.modal.text"]
    assert "the limit is 1,000" in refused["errors"]["cadence.modal.text"]
    command = app.command("/cadence", 'add "' + "x" * 10_000 + '" every monday at 09:30', user="U_ALICE")
    assert "the limit is 1,000" in command.text  # the same limit, the same words
    assert count_cadences(db) == 0 and slack.calls("chat.postMessage") == []


# ---------------------------------------------------------------------------------------------- escaping

# Slack sends what was typed with &, < and > escaped, and a mention picked from the menu as <@U…|name>.
SNEAKY_TYPED = '"*Ship* it &lt;!channel&gt; <@U_BOB|bob>"'
SNEAKY_SHOWN = "*Ship* it &lt;!channel&gt; &lt;@U_BOB|bob&gt;"  # *bold* formats; the mentions are only text


def assert_escaped(message: dict[str, Any]) -> None:
    """Both the blocks and the `text` fallback show the title escaped, never as a live mention."""
    for part in (message["text"], json.dumps(message.get("blocks") or message, ensure_ascii=False)):
        assert "<!channel>" not in part and "<@U_BOB|bob>" not in part  # "Done by <@U_BOB>" is ours
    assert SNEAKY_SHOWN in json.dumps(message.get("blocks") or message, ensure_ascii=False)


def test_every_echo_of_a_title_is_escaped_in_blocks_and_text(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    with time_machine.travel(CREATED, tick=False):
        added = app.command("/cadence", f"add {SNEAKY_TYPED} every monday at 09:30", user="U_ALICE", channel="C_TEAM")
        listing = app.command("/cadence", "list", user="U_ALICE", channel="C_TEAM")
    [cadence] = db.scalars(select(Cadence))
    assert cadence.title == "*Ship* it <!channel> <@U_BOB|bob>"  # stored as typed
    dispatcher.tick(DUE, client=slack_client)
    nudge = slack.messages("C_TEAM")[-1]
    assert nudge["text"] == f"Reminder: {SNEAKY_SHOWN}"
    press(app, nudge, "cadence.nudge.done", user="U_BOB", channel="C_TEAM")
    answered = slack.messages("C_TEAM")[-1]
    paused = app.command("/cadence", f"pause {cadence.id}", user="U_ALICE", channel="C_TEAM")
    app.event({"type": "app_home_opened", "user": "U_ALICE", "channel": "D_ALICE", "tab": "home"})
    home = slack.views_published("U_ALICE")[-1]
    for message in (added.body, listing.body, nudge, answered, paused.body):
        assert isinstance(message, dict)
        assert_escaped(message)
    assert SNEAKY_SHOWN in paused.text  # the fallback itself carries the title, escaped
    assert SNEAKY_SHOWN in json.dumps(home["blocks"], ensure_ascii=False) and "<!channel>" not in json.dumps(home)

    form = opened_form(app, slack)
    slack.fail_next("chat.postMessage", 500)
    values = modal_values(text="*Ship* it <!channel> <@U_BOB|bob>")  # a form's text arrives unescaped
    saved = app.submit(form, values, user="U_ALICE")
    assert SNEAKY_SHOWN in json.dumps(saved["view"], ensure_ascii=False) and "<!channel>" not in json.dumps(saved.body)
