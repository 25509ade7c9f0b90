"""The buttons on a nudge: Done, Snooze (1 day / 1 week), Skip this time, and Undo.

A nudge is answered by the people it went to: a DM nudge by its recipient, a channel nudge by that channel's
members (asked of Slack), whatever program's cadence posted it. The answer is a compare-and-set on the delivery
row, so of two presses at the same moment one counts and the other is told, ephemerally, what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import clock, permissions
from bot.blocks.common import ephemeral
from bot.cadence import ids, service, views
from bot.cadence.blocks.nudge import OUTCOME_WORDS, already_answered, nudge_message
from bot.db import unit_of_work
from bot.errors import UserError
from handlers.membership import ChannelUnseen, is_member
from handlers.payload import row_id
from handlers.replies import actor_of, answers_user_errors_after_ack, slack_failure_note
from models import NudgeOutcome

ANSWERS = {
    ids.NUDGE_DONE: (NudgeOutcome.DONE, None),
    ids.NUDGE_SNOOZE_DAY: (NudgeOutcome.SNOOZED, timedelta(days=1)),
    ids.NUDGE_SNOOZE_WEEK: (NudgeOutcome.SNOOZED, timedelta(weeks=1)),
    ids.NUDGE_SKIP: (NudgeOutcome.SKIPPED, None),
}


def register(app: App) -> None:
    """Wire every nudge button."""
    for action_id in ANSWERS:
        app.action(action_id)(on_nudge_answer)
    app.action(ids.NUDGE_UNDO)(on_nudge_undo)


@dataclass(frozen=True, slots=True)
class Press:
    """A press on a nudge by someone allowed to answer it."""

    team_id: str
    user_id: str
    delivery_id: int
    timezone: str


@answers_user_errors_after_ack
def on_nudge_answer(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Record the answer if the nudge is still open, then redraw it in place to show who answered."""
    outcome, snooze_for = ANSWERS[body["actions"][0]["action_id"]]
    press = allowed_press(body, context, client)
    with unit_of_work() as session:
        state = service.settle_nudge(
            session,
            team_id=press.team_id,
            delivery_id=press.delivery_id,
            actor_id=press.user_id,
            outcome=outcome,
            now=clock.now(),
            snooze_for=snooze_for,
        )
        redrawn = nudge_message(state.delivery.cadence, state.delivery, service.rule_of(state.delivery.cadence))
    answer(client, body, respond, state, redrawn, press)


@answers_user_errors_after_ack
def on_nudge_undo(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Reopen the nudge, if it is still answered as it was, and bring its buttons back."""
    press = allowed_press(body, context, client)
    with unit_of_work() as session:
        state = service.undo_nudge(
            session, team_id=press.team_id, delivery_id=press.delivery_id, actor_id=press.user_id, now=clock.now()
        )
        redrawn = nudge_message(state.delivery.cadence, state.delivery, service.rule_of(state.delivery.cadence))
    answer(client, body, respond, state, redrawn, press)


def allowed_press(body: dict[str, Any], context: BoltContext, client: WebClient) -> Press:
    """Who pressed, on which nudge, in which time zone; raises PermissionDenied unless they may answer it."""
    team_id, user_id = context.team_id or body["team"]["id"], body["user"]["id"]
    delivery_id = row_id(body["actions"][0].get("value"))
    _actor, timezone = actor_of(client, team_id=team_id, user_id=user_id)
    with unit_of_work() as session:
        target = service.nudge_target(session, team_id=team_id, delivery_id=delivery_id)
    check_may_answer_nudge(client, target=target, user_id=user_id)
    return Press(team_id, user_id, delivery_id, timezone or "UTC")


def check_may_answer_nudge(client: WebClient, *, target: str, user_id: str) -> None:
    """Ask Slack whether the presser is in a channel nudge's channel, then apply the rule (bot/permissions)."""
    in_channel = None
    if not target.startswith(("U", "W")):
        try:
            in_channel = is_member(client, channel_id=target, user_id=user_id)
        except ChannelUnseen:
            raise UserError(
                f"I can't see who is in <#{target}> any more, so I can't take answers to its reminders.",
                "Invite me back with `/invite @Cadence`.",
            ) from None
    permissions.check_may_answer_nudge(target=target, user_id=user_id, in_channel=in_channel)


def answer(
    client: WebClient,
    body: dict[str, Any],
    respond: Respond,
    state: views.NudgeState,
    redrawn: dict[str, Any],
    press: Press,
) -> None:
    """After the commit: the press that counted redraws the nudge; a later one is told what happened instead."""
    if not state.changed:
        respond(**already_answered(state, timezone=press.timezone), replace_original=False)
        return
    try:
        redraw(client, body, redrawn)
    except Exception as error:  # noqa: BLE001 - the answer is saved; say so, and what didn't happen
        outcome = state.delivery.outcome
        saved = OUTCOME_WORDS[NudgeOutcome(outcome)] if outcome else ":leftwards_arrow_with_hook: Reopened"
        note = slack_failure_note(error, channel_id=state.delivery.channel_id)
        respond(**ephemeral(f"{saved}: saved. {note}"), replace_original=False)


def redraw(client: WebClient, body: dict[str, Any], message: dict[str, Any]) -> None:
    """Update the clicked message itself."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    client.chat_update(channel=channel, ts=ts, text=message["text"], blocks=message["blocks"])
