"""Small pieces the working-group surfaces share: a channel link, a two-column fields section, a group's end
note, and the reader of the row id a datepicker's block id carries.
"""

from __future__ import annotations

import re
from datetime import date

from bot.action_items import ids as item_ids
from bot.blocks.common import Block, counted, day, mrkdwn
from bot.text import escape
from bot.working_groups import ids
from models import WorkingGroup

ITEM_TEXT_LIMIT = 300  # an action item's or criterion's text in a line; a full one is still in /wg charter
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9_]+")


def channel(channel_id: str) -> str:
    """A channel link from a stored id; anything that is not an id is shown as escaped text."""
    return f"<#{channel_id}>" if _CHANNEL_ID.fullmatch(channel_id) else escape(channel_id)


def row_id(block_id: str) -> int:
    """The row id at the end of a datepicker's block id (`wg.action.row.12` → 12); raises ValueError otherwise."""
    for prefix in (item_ids.ITEM_ROW, ids.WG_GROUP_ROW):
        if block_id.startswith(prefix) and block_id[len(prefix) :].isdigit():
            return int(block_id[len(prefix) :])
    raise ValueError(f"not a working-group row block id: {block_id!r}")


def fields(*pairs: tuple[str, str]) -> Block:
    """A two-column section of `*label*\\nvalue` fields (callers escape user text; Slack allows 10 fields)."""
    return {"type": "section", "fields": [mrkdwn(f"*{label}*\n{value}", 2000) for label, value in pairs[:10]]}


def end_note(group: WorkingGroup, today: date) -> str:
    """`End Date: Mon 30 Nov (in 3 days)`, `…: today` or `… (2 days ago)`; empty without an end date."""
    if group.end_on is None:
        return ""
    days = (group.end_on - today).days
    label = escape(group.end_label or "End Date")
    if days > 0:
        return f"{label}: {day(group.end_on, today)} (in {counted(days, 'day')})"
    if days == 0:
        return f"{label}: today"
    return f"{label}: {day(group.end_on, today)} ({counted(-days, 'day')} ago)"
