"""The checklist's controls (Done, Reopen, a due date, a new owner, Skip…), on its message and in App Home."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.common import ephemeral
from bot.cocreate import ids, service
from bot.cocreate.blocks import modals
from bot.db import unit_of_work
from bot.errors import UserError
from handlers.cocreate.checklist import change_step, redraw, saved_reply
from handlers.context import SlackRequest, button_request
from handlers.home import publish_home
from handlers.payload import picked_date, picked_user, row_id
from handlers.replies import answers_user_errors_after_ack


def register(app: App) -> None:
    """Wire the checklist's controls."""
    for action_id in (ids.STEP_DONE, ids.STEP_REOPEN, ids.STEP_DUE, ids.STEP_REASSIGN):
        app.action(action_id)(on_step_control)
    app.action(ids.STEP_SKIP)(on_step_skip_button)


def _step_id(action: dict[str, Any]) -> int:
    return row_id(action.get("value") or str(action.get("block_id", "")).removeprefix(ids.STEP_ROW))


CONTROL_ACTIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    ids.STEP_DONE: lambda action: {"action": "done"},
    ids.STEP_REOPEN: lambda action: {"action": "reopen"},
    ids.STEP_DUE: lambda action: {"action": "due", "due_on": picked_date(action.get("selected_date"))},
    ids.STEP_REASSIGN: lambda action: {
        "action": "reassign",
        "owner_id": picked_user(action.get("selected_user")),
    },
}


@answers_user_errors_after_ack
def on_step_control(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Done, reopen, a new date or a new owner, from the checklist message or App Home; it redraws in place after the
    commit. The second of two presses at once is told what the first did (a UserError: nothing changes)."""
    request = button_request(body, context, client)
    action = body["actions"][0]
    on_home = (body.get("container") or {}).get("type") == "view"  # App Home: no response_url to answer through
    try:
        with unit_of_work() as session:
            step = service.step_by_id(session, team_id=request.team_id, step_id=_step_id(action))
            line, pending = change_step(session, request, step, **CONTROL_ACTIONS[action["action_id"]](action))
    except UserError:
        if on_home:  # Home redrawn shows how the step stands; the refusal itself reaches them by DM (answer_press)
            _publish_home(client, request)
        raise
    problem = redraw(client, pending)
    if problem and not on_home:
        respond(**ephemeral(saved_reply(f"Saved: {line}", problem)), replace_original=False)
    if on_home:
        _publish_home(client, request)


def _publish_home(client: WebClient, request: SlackRequest) -> None:
    publish_home(client, team_id=request.team_id, user_id=request.user_id)


@answers_user_errors_after_ack
def on_step_skip_button(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    """Skipping needs a reason: open the form (checking first that the clicker may change the step)."""
    request = button_request(body, context, client)
    with unit_of_work() as session:
        step = service.step_by_id(session, team_id=request.team_id, step_id=_step_id(body["actions"][0]))
        service.check_may_change_step(session, actor=request.actor, step=step)
        view = modals.skip_modal(step)
    client.views_open(trigger_id=body["trigger_id"], view=view)
