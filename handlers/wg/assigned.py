"""Telling an action item's owner that it is now theirs: one DM when it is added for them or reassigned to them.

Not when they gave it to themselves (`bot.working_groups.service.owner_to_tell`). The DM goes out once the change
is committed, by the copy of the request that made it: a retried delivery is rolled back before it gets here
(bot/replays), and a second press asking for the same owner changes nothing (action_items.service.change_item), so one
assignment is told once. A DM Slack refuses leaves the item assigned, and the assigner is told.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.blocks.common import Message, section
from bot.db import unit_of_work
from bot.working_groups import service
from bot.working_groups.blocks import items as wg_items
from handlers.context import SlackRequest
from handlers.replies import actor_of
from models import ActionItem, WorkingGroup

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NewOwner:
    """The owner to tell, and their own today (due notes such as "tomorrow" are theirs)."""

    user_id: str
    today: date


def new_owner(client: WebClient, request: SlackRequest, owner_id: str | None) -> NewOwner | None:
    """The owner to tell about an item given to `owner_id` by the requester, with their today; None when nobody is
    told. Slack is asked for their zone before the transaction opens."""
    user_id = service.owner_to_tell(owner_id=owner_id, assigner_id=request.user_id)
    if user_id is None:
        return None
    _actor, timezone = actor_of(client, team_id=request.team_id, user_id=user_id)
    return NewOwner(user_id, request.now.astimezone(ZoneInfo(timezone or "UTC")).date())


def assigned_message(
    item: ActionItem, group: WorkingGroup, owner: NewOwner | None, *, assigned_by: str, reassigned: bool
) -> Message | None:
    """The DM for the new owner (inside the unit of work, from the rows as saved), or None when nobody is told."""
    if owner is None or item.owner_id != owner.user_id:
        return None
    dm = wg_items.assigned_dm(item, group, assigned_by=assigned_by, reassigned=reassigned, today=owner.today)
    return {**dm, ITEM_KEY: item.id}


ITEM_KEY = "_item_id"  # carried beside the DM's text and blocks (never sent): the item to read again before sending


def _still_theirs(item_id: object, user_id: str) -> bool:
    """Whether the item is still the owner's as the DM is sent: two reassigns at once both commit, one after the
    other, and only the one whose owner stands is told (the other owner never held it)."""
    if not isinstance(item_id, int):
        return True
    with unit_of_work() as session:
        item = session.get(ActionItem, item_id)
        return item is not None and item.owner_id == user_id


def tell_owner(client: WebClient, owner: NewOwner | None, dm: Message | None) -> str | None:
    """Send the DM after the commit; None when sent (or nobody is told), else what the assigner is told."""
    if owner is None or dm is None or not _still_theirs(dm.get(ITEM_KEY), owner.user_id):
        return None
    try:
        client.chat_postMessage(channel=owner.user_id, text=dm["text"], blocks=dm["blocks"])  # not ITEM_KEY
    except (SlackClientError, OSError) as error:
        log.warning("the DM to an item's new owner failed: %s", type(error).__name__)
        said = isinstance(error, SlackApiError)
        why = f"Slack said `{error.response.get('error')}`" if said else "Slack didn't answer"
        return (
            f":warning: The item is theirs, but I couldn't tell <@{owner.user_id}> by DM ({why}); "
            "let them know yourself."
        )
    return None


def with_note(reply: Message, note: str | None) -> Message:
    """`reply` with `note` (what didn't happen after the save) added under it; `reply` itself when there is none."""
    if note is None:
        return reply
    return {**reply, "text": f"{reply['text']} {note}", "blocks": [*reply.get("blocks", []), section(note)]}
