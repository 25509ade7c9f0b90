"""A working group's action items: `/wg actions`, the replies to adding and taking one back, the heading a group
gets in the overdue DM, and the DM telling an owner an item is now theirs (the item lines and rows themselves are
bot/action_items/blocks.py's).
"""

from __future__ import annotations

from datetime import date

from bot.action_items import ids as item_ids
from bot.action_items.blocks import action_item_line, item_rows, tally
from bot.action_items.rules import by_urgency, is_done
from bot.blocks.common import (
    Block,
    Message,
    actions,
    button,
    context,
    ephemeral,
    header,
    mention,
    message,
    more_note,
    section,
)
from bot.text import clip, escape
from bot.working_groups import ids
from bot.working_groups.blocks.pieces import channel
from models import ActionItem, WorkingGroup

ACTION_LIST_LIMIT = 20  # up to two blocks per item in /wg actions, plus header and notes: inside 50 blocks


def action_items_message(items: list[ActionItem], *, title: str, today: date, empty_text: str) -> Message:
    """`/wg actions`: items overdue first, each with Done (or Reopen), at most 20, ephemeral.

    `title` is plain text (it may hold a group's name: escaped here for the mrkdwn fallback); `empty_text` is
    ours, mrkdwn.
    """
    if not items:
        return ephemeral(empty_text)
    ordered = by_urgency(items, today)
    blocks: list[Block] = [header(title), context(tally(ordered, today))]
    for item in ordered[:ACTION_LIST_LIMIT]:
        blocks += item_rows(item, today)
    blocks += more_note(
        len(ordered), ACTION_LIST_LIMIT, "`/wg actions overdue` or `/wg actions mine` narrows the list."
    )
    return ephemeral(f"{escape(title)}: {tally(ordered, today)}", blocks)


def action_added_reply(item: ActionItem, *, today: date) -> Message:
    """Confirmation after `/wg action`, with Undo, ephemeral."""
    text = f":white_check_mark: Added {action_item_line(item, today=today)}"
    blocks = [section(text, accessory=button("Undo", ids.WG_ACTION_UNDO, str(item.id)))]
    return ephemeral(f"Added action item #{item.id}", blocks)


def action_removed_reply(text: str) -> Message:
    """After Undo on a just-added item."""
    return ephemeral(f":wastebasket: Took back the action item _{escape(clip(text, 200))}_.")


def overdue_heading(group: WorkingGroup) -> str:
    """A working group's heading in the overdue DM: `*Pricing WG* · <#C123>`, the name escaped."""
    return f"*{escape(group.name)}* · {channel(group.channel_id)}"


def assigned_dm(item: ActionItem, group: WorkingGroup, *, assigned_by: str, reassigned: bool, today: date) -> Message:
    """The DM telling an owner an item is now theirs: who gave it to them, in which group, the item, and (while it
    is open) Done and a date picker, the overdue DM's own controls; `today` is the owner's."""
    verb = "reassigned" if reassigned else "assigned"
    blocks: list[Block] = [
        section(f":inbox_tray: {mention(assigned_by)} {verb} you an action item in {overdue_heading(group)}."),
        section(action_item_line(item, today=today)),
    ]
    if not is_done(item):
        picker = {
            "type": "datepicker",
            "action_id": item_ids.ITEM_DUE,
            "placeholder": {"type": "plain_text", "text": "New due date"},
            # The due date the line above says; the press sends it back to be compared with.
            **({"initial_date": item.due_on.isoformat()} if item.due_on else {}),
        }
        done = button("Done", item_ids.ITEM_DONE, str(item.id), style="primary")
        blocks.append(actions(done, picker, block_id=f"{ids.WG_ASSIGNED_ROW}{item.id}"))
        blocks.append(context("Pick a date to move its due date. `/wg actions mine` in its channel lists yours."))
    return message(f"{verb.capitalize()} to you: action item #{item.id} in {escape(group.name)}", blocks)
