"""The buttons on a nudge: Done, Snooze (1 day / 1 week), Skip this time, and Undo."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import clock
from bot.blocks import ids
from bot.blocks.nudge import nudge_message
from bot.cadence import service
from bot.db import unit_of_work
from handlers.payload import row_id
from handlers.replies import answers_user_errors_after_ack
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


@answers_user_errors_after_ack
def on_nudge_answer(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Record the answer, then redraw the nudge in place to show who answered."""
    action = body["actions"][0]
    outcome, snooze_for = ANSWERS[action["action_id"]]
    with unit_of_work() as session:
        delivery = service.settle_nudge(
            session,
            team_id=context.team_id or body["team"]["id"],
            delivery_id=row_id(action.get("value")),
            actor_id=body["user"]["id"],
            outcome=outcome,
            now=clock.now(),
            snooze_for=snooze_for,
        )
        redrawn = nudge_message(delivery.cadence, delivery, service.rule_of(delivery.cadence))
    redraw(client, body, redrawn)


@answers_user_errors_after_ack
def on_nudge_undo(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Reopen the nudge and bring its buttons back."""
    with unit_of_work() as session:
        delivery = service.undo_nudge(
            session,
            team_id=context.team_id or body["team"]["id"],
            delivery_id=row_id(body["actions"][0].get("value")),
            actor_id=body["user"]["id"],
            now=clock.now(),
        )
        redrawn = nudge_message(delivery.cadence, delivery, service.rule_of(delivery.cadence))
    redraw(client, body, redrawn)


def redraw(client: WebClient, body: dict[str, Any], message: dict[str, Any]) -> None:
    """Update the clicked message itself."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    client.chat_update(channel=channel, ts=ts, text=message["text"], blocks=message["blocks"])
