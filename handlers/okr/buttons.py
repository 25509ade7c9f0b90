"""Buttons on /okr messages and App Home: Score and Make it an action item open their forms, the tree opens and
closes an objective in place, Write the retro and Edit open the retrospective form."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.db import unit_of_work
from bot.okrs import ids as okr_ids
from bot.okrs import rules, service
from bot.okrs.blocks import scoring as scoring_blocks
from bot.okrs.blocks import tree as tree_blocks
from bot.okrs.blocks import tries as tries_blocks
from handlers.context import button_request
from handlers.okr.saved import origin_of
from handlers.okr.shared import quarter_named, retro_target, retro_view
from handlers.payload import row_id, text_value
from handlers.replies import answers_user_errors_after_ack


def register(app: App) -> None:
    """Wire the /okr buttons."""
    app.action(okr_ids.OKR_SCORE_OPEN)(on_score_button)
    for action_id in (okr_ids.OKR_TREE_OPEN, okr_ids.OKR_TREE_CLOSE, okr_ids.OKR_TREE_MORE, okr_ids.OKR_TREE_LESS):
        app.action(action_id)(on_tree_toggle)
    app.action(okr_ids.OKR_RETRO_OPEN)(on_retro_button)
    app.action(okr_ids.OKR_RETRO_EDIT)(on_retro_button)
    app.action(okr_ids.OKR_TRY_OPEN)(on_try_button)


@answers_user_errors_after_ack
def on_score_button(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Open the score form (checking first that the clicker may score the key result)."""
    request = button_request(body, context, client)
    with unit_of_work() as session:
        key_result_id = row_id(body["actions"][0].get("value"))
        row = service.key_result_by_id(session, team_id=request.team_id, key_result_id=key_result_id)
        service.check_may_score(session, actor=request.actor, row=row)
        quarter = row.objective.quarter.label
        view = scoring_blocks.score_modal(
            service.node_of(row), quarter_label=quarter, private_metadata=json.dumps({"kr": row.id, **origin_of(body)})
        )
    client.views_open(trigger_id=body["trigger_id"], view=view)


@answers_user_errors_after_ack
def on_tree_toggle(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Show more (or less) of one objective's tree, in place of the message clicked."""
    request = button_request(body, context, client)
    action = body["actions"][0]
    label, _, number = text_value(action).rpartition("|")
    opened, expanded = tree_blocks.tree_toggle(action["action_id"], row_id(number))
    with unit_of_work() as session:
        quarter = quarter_named(session, request, label)
        tree = service.tree_of(session, quarter=quarter)
        message = tree_blocks.tree_message(service.span_of(quarter), tree, opened=opened, expanded=expanded)
    respond(**{k: v for k, v in message.items() if k != "response_type"}, replace_original=True)


@answers_user_errors_after_ack
def on_retro_button(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Open the retrospective form for the quarter and team on the button (from the request DM or the retro)."""
    request = button_request(body, context, client)
    action = body["actions"][0]
    origin = origin_of(body)
    if action["action_id"] == okr_ids.OKR_RETRO_EDIT:
        origin["edit"] = "1"  # saving redraws the posted retro in place rather than posting it again
    with unit_of_work() as session:
        quarter, team = retro_target(session, request, text_value(action))
        view = retro_view(session, request, quarter, team, origin)
    client.views_open(trigger_id=body["trigger_id"], view=view)


@answers_user_errors_after_ack
def on_try_button(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Open the form that makes a TRY line an action item."""
    request = button_request(body, context, client)
    with unit_of_work() as session:
        item_id = row_id(body["actions"][0].get("value"))
        item = service.retro_item_by_id(session, team_id=request.team_id, item_id=item_id)
        service.check_not_made_yet(session, item=item)
        window = rules.try_window(service.span_of(item.retro_team.quarter), request.today)
        view = tries_blocks.try_modal(
            item_id=item.id,
            text=item.text,
            window=window,
            private_metadata=json.dumps({"item": item.id, **origin_of(body)}),
        )
    client.views_open(trigger_id=body["trigger_id"], view=view)
