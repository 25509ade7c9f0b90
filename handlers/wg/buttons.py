"""Buttons on working-group messages: tick a criterion, close/reopen/snooze/re-date an item, close or extend.

The item buttons also sit on the daily overdue DM, which lists every program's items, so they look an item up
whatever its program and ask that program's rule (`bot.action_items.service.check_may_change`) who may change it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.action_items import blocks as item_blocks
from bot.action_items import ids as item_ids
from bot.action_items import service as action_items
from bot.action_items.overdue import overdue_message_for
from bot.action_items.service import ActionChange, Owner
from bot.blocks.common import ephemeral
from bot.db import unit_of_work
from bot.errors import UserError
from bot.permissions import Actor
from bot.working_groups import ids, service
from bot.working_groups.blocks import charter as wg_charter
from bot.working_groups.blocks import criteria as wg_criteria
from bot.working_groups.blocks import items as wg_items
from bot.working_groups.blocks import scheduled as wg_scheduled
from handlers.context import SlackRequest, button_request
from handlers.home import publish_home
from handlers.payload import picked_date, picked_user, row_id
from handlers.replies import answers_user_errors_after_ack
from handlers.wg import assigned
from handlers.wg.saved import after_save


def register(app: App) -> None:
    """Wire every working-group button."""
    app.action(ids.WG_CRITERION_DONE)(on_criterion_done)
    app.action(item_ids.ITEM_DONE)(on_action_done)
    app.action(item_ids.ITEM_REOPEN)(on_action_reopen)
    app.action(item_ids.ITEM_SNOOZE)(on_action_snooze)
    app.action(item_ids.ITEM_DUE)(on_action_due)
    app.action(item_ids.ITEM_REASSIGN)(on_action_reassign)
    app.action(ids.WG_ACTION_UNDO)(on_action_undo)
    app.action(ids.WG_GROUP_CLOSE)(on_group_close)
    app.action(ids.WG_GROUP_EXTEND)(on_group_extend)


def _value(body: dict[str, Any]) -> dict[str, Any]:
    return body["actions"][0]


@answers_user_errors_after_ack
def on_criterion_done(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    """Tick an exit criterion from the charter message, then redraw the charter in place."""
    request = button_request(body, context, client)
    with unit_of_work() as session:
        criterion_id = row_id(_value(body).get("value"))
        group = service.group_of_criterion(session, team_id=request.team_id, criterion_id=criterion_id)
        criterion = next(c for c in group.exit_criteria if c.id == criterion_id)
        service.tick_criterion(
            session,
            group=group,
            criterion=criterion,
            actor=request.actor,
            done=True,
            now=request.now,
            timezone=request.timezone,
        )
        charter = wg_charter.charter_message(group, today=request.today)
        ticked = ephemeral(f":white_check_mark: Ticked: {wg_criteria.criteria_summary(group)}.")
    clicked_text = (body.get("message") or {}).get("text")
    # The charter redraws in place; a criterion ticked from another message (e.g. the end-date notice) is confirmed.
    if clicked_text == charter["text"]:
        _redraw(client, body, respond, charter, saved="Ticked the exit criterion.")
    else:
        respond(**ticked, replace_original=False)


SAVED_WORDS = {
    ActionChange.DONE: "Marked action item #{} done.",
    ActionChange.REOPEN: "Reopened action item #{}.",
    ActionChange.REASSIGN: "Reassigned action item #{}.",
    ActionChange.DUE: "Moved the due date of action item #{}.",
}


def _check(session: Session, actor: Actor) -> action_items.Check:
    return lambda item: action_items.check_may_change(session, actor=actor, item=item)


def _change(
    body: dict[str, Any],
    respond: Respond,
    context: BoltContext,
    client: WebClient,
    change: ActionChange,
    due_on: date | None = None,
    owner: Owner | None = None,
    as_seen: dict[str, Any] | None = None,
) -> None:
    request = button_request(body, context, client)
    told = assigned.new_owner(client, request, owner.user_id if owner else None)
    with unit_of_work() as session:
        item = action_items.get_item(session, team_id=request.team_id, item_id=row_id(_item_id(body)))
        action_items.change_item(
            session,
            item=item,
            change=change,
            actor_id=request.user_id,
            check=_check(session, request.actor),
            now=request.now,
            due_on=due_on,
            owner=owner,
            as_seen=as_seen,
            timezone=request.timezone,
        )
        reply = item_blocks.action_changed_reply(item, change.value, today=request.today)
        saved = SAVED_WORDS[change].format(item.id)
        dm = None
        if told is not None and item.program == service.PROGRAM:
            group, _item = service.group_of_item(session, team_id=request.team_id, item_id=item.id)
            dm = assigned.assigned_message(item, group, told, assigned_by=request.user_id, reassigned=True)
    note = assigned.tell_owner(client, told, dm)
    _after_item_change(client, body, respond, request, reply, saved=saved)
    if note:
        respond(**ephemeral(note), replace_original=False)


def _item_id(body: dict[str, Any]) -> str:
    action = _value(body)
    return action.get("value") or action.get("block_id", "").rsplit(".", 1)[-1]


@answers_user_errors_after_ack
def on_action_done(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Close an item (whoever its program allows: for a working group's, its owner, the DRI or the facilitator)."""
    _change(body, respond, context, client, ActionChange.DONE)


@answers_user_errors_after_ack
def on_action_reopen(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Reopen a closed item."""
    _change(body, respond, context, client, ActionChange.REOPEN)


@answers_user_errors_after_ack
def on_action_due(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """A new due date picked in an item's date picker (the overdue DM's, or a list's)."""
    action = _value(body)
    picked, shown = action.get("selected_date"), action.get("initial_date")
    # The picker opens on the due date the presser saw: a change made meanwhile by someone else wins.
    seen = {"due_on": picked_date(shown)} if shown else None
    due_on = picked_date(picked) if picked else None
    _change(body, respond, context, client, ActionChange.DUE, due_on=due_on, as_seen=seen)


@answers_user_errors_after_ack
def on_action_reassign(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    """A new owner picked in the item's user menu."""
    action = _value(body)
    picked, shown = picked_user(action.get("selected_user")), picked_user(action.get("initial_user"))
    # The menu opens on the owner the presser saw: a reassignment made meanwhile by someone else wins.
    seen = {"owner_id": shown, "owner_name": None} if shown else None
    owner = Owner(user_id=picked) if picked else None
    _change(body, respond, context, client, ActionChange.REASSIGN, owner=owner, as_seen=seen)


@answers_user_errors_after_ack
def on_action_snooze(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Leave the item out of overdue reminders until tomorrow; its due date stays."""
    request = button_request(body, context, client)
    with unit_of_work() as session:
        item = action_items.get_item(session, team_id=request.team_id, item_id=row_id(_item_id(body)))
        action_items.snooze_item(
            session,
            item=item,
            actor_id=request.user_id,
            check=_check(session, request.actor),
            until=request.today + timedelta(days=1),
            now=request.now,
        )
        reply = ephemeral(item_blocks.snoozed_line(item, today=request.today))
    saved = f"Snoozed action item #{item.id} until tomorrow."
    _after_item_change(client, body, respond, request, reply, saved=saved, snoozed_id=item.id)


@answers_user_errors_after_ack
def on_action_undo(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Take back an item just added (its creator only)."""
    request = button_request(body, context, client)
    with unit_of_work() as session:
        text = service.remove_action(
            session,
            team_id=request.team_id,
            item_id=row_id(_item_id(body)),
            actor=request.actor,
            now=request.now,
            timezone=request.timezone,
        )
    respond(**wg_items.action_removed_reply(text), replace_original=True)


@answers_user_errors_after_ack
def on_group_close(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Close the group from the end-date question."""
    request = button_request(body, context, client)
    with unit_of_work() as session:
        group = service.group_by_id(session, team_id=request.team_id, group_id=row_id(_value(body).get("value")))
        service.close_group(session, group=group, actor=request.actor, now=request.now, timezone=request.timezone)
        notice = wg_scheduled.group_closed_message(group, request.user_id)
        channel_id = group.channel_id
    _announce(client, body, respond, notice, channel_id=channel_id, saved="Closed the group.")


@answers_user_errors_after_ack
def on_group_extend(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Extend (or reopen) the group to the date picked in the end-date question."""
    request = button_request(body, context, client)
    action = _value(body)
    group_id = row_id(str(action.get("block_id", "")).rsplit(".", 1)[-1])
    if not action.get("selected_date"):
        raise UserError("Pick the date to extend the group to.", "Or in its channel: `/wg extend 2027-03-31`.")
    with unit_of_work() as session:
        group = service.group_by_id(session, team_id=request.team_id, group_id=group_id)
        service.extend_group(
            session,
            group=group,
            actor=request.actor,
            end_on=picked_date(action.get("selected_date")),
            now=request.now,
            timezone=request.timezone,
        )
        notice = wg_scheduled.group_extended_message(group)
        channel_id = group.channel_id
    saved = f"Extended the group to {action['selected_date']}."
    _announce(client, body, respond, notice, channel_id=channel_id, saved=saved)


def _announce(
    client: WebClient, body: dict[str, Any], respond: Respond, notice: dict[str, Any], *, channel_id: str, saved: str
) -> None:
    """After a close or an extend is committed: tell the channel, then redraw the question; a failure says so."""
    failed = after_save(
        saved,
        lambda: client.chat_postMessage(channel=channel_id, text=notice["text"], blocks=notice["blocks"]),
        channel_id=channel_id,
    )
    _redraw(client, body, respond, notice, saved=saved)
    if failed:
        respond(**ephemeral(failed), replace_original=False)


def _after_item_change(
    client: WebClient,
    body: dict[str, Any],
    respond: Respond,
    request: SlackRequest,
    reply: dict[str, Any],
    *,
    saved: str,
    snoozed_id: int | None = None,
) -> None:
    """Redraw where the click came from: the overdue DM in place (naming the item `snoozed_id` if a Snooze took it
    off), App Home republished, else an ephemeral note.

    The change is committed by now: a redraw Slack refuses leaves it saved and says so.
    """
    container = body.get("container") or {}
    if str(_value(body).get("block_id", "")).startswith(ids.WG_ASSIGNED_ROW):
        # The DM that told the owner of the item: it redraws as that item now is.
        failed = after_save(
            saved, lambda: _redraw_assigned(client, body, request, container), channel_id=container.get("channel_id")
        )
    elif container.get("type") == "view":
        failed = after_save(
            saved, lambda: publish_home(client, team_id=request.team_id, user_id=request.user_id), channel_id=None
        )
    elif container.get("type") == "message" and str(container.get("channel_id", "")).startswith("D"):
        # Item buttons in a DM are the daily overdue list: redraw it from the rows as they are now.
        with unit_of_work() as session:
            redrawn = overdue_message_for(
                session, team_id=request.team_id, user_id=request.user_id, today=request.today, snoozed_id=snoozed_id
            )
        failed = after_save(
            saved,
            lambda: client.chat_update(
                channel=container["channel_id"],
                ts=container["message_ts"],
                text=redrawn["text"],
                blocks=redrawn["blocks"],
            ),
            channel_id=container["channel_id"],
        )
    else:
        respond(**reply, replace_original=False)
        return
    if failed:
        respond(**ephemeral(failed), replace_original=False)


def _redraw_assigned(client: WebClient, body: dict[str, Any], request: SlackRequest, container: dict[str, Any]) -> None:
    """Redraw the new-owner DM a press came from, from the item as it is now; raises what chat.update raised."""
    with unit_of_work() as session:
        group, item = service.group_of_item(session, team_id=request.team_id, item_id=row_id(_item_id(body)))
        assigned_by, reassigned = service.latest_assignment(session, item=item)
        dm = wg_items.assigned_dm(item, group, assigned_by=assigned_by, reassigned=reassigned, today=request.today)
    client.chat_update(
        channel=container["channel_id"], ts=container["message_ts"], text=dm["text"], blocks=dm["blocks"]
    )


def _redraw(client: WebClient, body: dict[str, Any], respond: Respond, message: dict[str, Any], *, saved: str) -> None:
    """Redraw the clicked message in place (after the commit); when Slack refuses, say what was saved."""
    container = body.get("container") or {}
    if container.get("type") == "message" and not container.get("is_ephemeral"):
        failed = after_save(
            saved,
            lambda: client.chat_update(
                channel=container["channel_id"],
                ts=container["message_ts"],
                text=message["text"],
                blocks=message["blocks"],
            ),
            channel_id=container["channel_id"],
        )
        if failed:
            respond(**ephemeral(failed), replace_original=False)
    else:
        respond(**message, replace_original=True)
