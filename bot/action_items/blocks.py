"""Block Kit for action items, whatever their program: an item's line and its controls (Done or Reopen, Snooze,
a date, a new owner), the daily overdue DM that lists a person's items of every program, the confirmation of a
change and an item's history.

Dates are calendar days without a time of day, so they are written out (`Mon 30 Nov`) rather than as Slack
`<!date^…>` tokens, which need a timestamp and would shift a due day across time zones.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from bot.action_items import ids
from bot.action_items.rules import by_urgency, is_done, is_overdue
from bot.blocks.common import (
    Block,
    Message,
    actions,
    button,
    context,
    counted,
    day,
    ephemeral,
    mention,
    message,
    more_note,
    packed_sections,
    section,
    slack_date,
)
from bot.blocks.mrkdwn import page_text
from bot.text import clip, escape
from models import ActionItem

ITEM_TEXT_LIMIT = 300  # an action item's text in a line; the full one is in `/wg item N`


ACTION_CHANGES = ("done", "reopen", "reassign", "due")


def due_note(item: ActionItem, today: date) -> str:
    if item.due_on is None:
        return "no due date"
    note = f"due {day(item.due_on, today)}"
    if is_done(item):
        return note
    days = (item.due_on - today).days
    if days < 0:
        return f"{note} (overdue by {counted(-days, 'day')})"
    if days == 0:
        return f"{note} (today)"
    if days == 1:
        return f"{note} (tomorrow)"
    return note


def action_item_line(item: ActionItem, *, today: date) -> str:
    """`*#12* Write the plan — <@U1> · due Mon 30 Nov (overdue by 3 days)`, user text escaped."""
    owner = mention(item.owner_id, item.owner_name)
    line = f"*#{item.id}* {page_text(item.text, ITEM_TEXT_LIMIT)} — {owner} · {due_note(item, today)}"
    if is_done(item):
        line = f":white_check_mark: {line} · done"
        if item.done_by:
            line += f" by {mention(item.done_by)}"
    elif is_overdue(item, today):
        line = f":red_circle: {line}"
    return line


def item_row(item: ActionItem, today: date) -> Block:
    """An item's line with Done (or Reopen) beside it."""
    label, action_id, style = ("Reopen", ids.ITEM_REOPEN, None) if is_done(item) else ("Done", ids.ITEM_DONE, "primary")
    return section(action_item_line(item, today=today), accessory=button(label, action_id, str(item.id), style=style))


def item_rows(item: ActionItem, today: date) -> list[Block]:
    """An item in a list: its line with Done (or Reopen), and for open items a row to reassign or re-date it."""
    if is_done(item):
        return [item_row(item, today)]
    # Each control opens on the item as the reader sees it, and the press sends that back: what a change made
    # meanwhile is compared with (the first of two changes at once wins).
    reassign = {
        "type": "users_select",
        "action_id": ids.ITEM_REASSIGN,
        "placeholder": {"type": "plain_text", "text": "Reassign to…"},
        **({"initial_user": item.owner_id} if item.owner_id else {}),
    }
    picker = {
        "type": "datepicker",
        "action_id": ids.ITEM_DUE,
        "placeholder": {"type": "plain_text", "text": "New due date"},
        **({"initial_date": item.due_on.isoformat()} if item.due_on else {}),
    }
    return [item_row(item, today), actions(reassign, picker, block_id=f"{ids.ITEM_ROW}{item.id}")]


def tally(items: Sequence[ActionItem], today: date) -> str:
    open_count = sum(1 for i in items if not is_done(i))
    overdue = sum(1 for i in items if is_overdue(i, today))
    parts = [f"{open_count} open"]
    if overdue:
        parts.append(f"{overdue} overdue")
    if len(items) > open_count:
        parts.append(f"{len(items) - open_count} done")
    return " · ".join(parts)


def overdue_rows(item: ActionItem, today: date) -> list[Block]:
    value = str(item.id)
    picker = {
        "type": "datepicker",
        "action_id": ids.ITEM_DUE,
        # The item's due date, as the line above says; the press sends it back to be compared with.
        "initial_date": (item.due_on or today).isoformat(),
        "placeholder": {"type": "plain_text", "text": "New due date"},
    }
    return [
        section(action_item_line(item, today=today)),
        actions(
            button("Done", ids.ITEM_DONE, value, style="primary"),
            button("Snooze 1 day", ids.ITEM_SNOOZE, value),
            picker,
            block_id=f"{ids.ITEM_ROW}{item.id}",
        ),
    ]


NOTHING_OVERDUE = "Nothing overdue is waiting on you today"


NOTHING_OVERDUE_NOTE = (
    "A snoozed item stays out of tomorrow's reminder and comes back the day after; a re-dated one comes back if its "
    "new date passes; a done one is off the list."
)


def snoozed_line(item: ActionItem, *, today: date) -> str:
    """What a snooze did, named: the item (escaped, clipped) and the last day it stays out of reminders, in the
    reader's words (`today` is theirs), and the day it comes back."""
    until = item.snoozed_until or today
    back = day(until + timedelta(days=1), today)
    return (
        f":zzz: Snoozed _{escape(clip(item.text, 200))}_ until {day(until, today)}; "
        f"it is back in your reminder on {back} if it is still open."
    )


def overdue_dm(
    groups_of_items: list[tuple[str, list[ActionItem]]], *, today: date, snoozed: ActionItem | None = None
) -> Message:
    """One DM with all of a person's overdue items, under each group's heading (a working group, a retrospective…;
    mrkdwn, escaped by its program), each item with Done, Snooze and a date; `snoozed`, the item just snoozed from
    it, is named under the opening line.

    Each item takes two blocks (its line, then its buttons and datepicker), each group one; what does not fit
    in 50 blocks is counted in a closing line.
    """
    groups = [
        (heading, by_urgency([i for i in items if is_overdue(i, today)], today)) for heading, items in groups_of_items
    ]
    groups = [(heading, items) for heading, items in groups if items]
    total = sum(len(items) for _, items in groups)
    # The snoozed item has left the list: without its own line the redraw would not say what the press did.
    told = [section(snoozed_line(snoozed, today=today))] if snoozed is not None else []
    if total == 0:  # redrawn after the last item was snoozed, re-dated or done: say where it went, not "0 items"
        text = NOTHING_OVERDUE
        if snoozed is not None:
            text += f"; snoozed “{escape(clip(snoozed.text, 80))}” until {day(snoozed.snoozed_until or today, today)}"
        return message(text, [section(f":white_check_mark: *{NOTHING_OVERDUE}.* {NOTHING_OVERDUE_NOTE}"), *told])
    blocks: list[Block] = [section(f":hourglass: *You have {counted(total, 'overdue action item')}.*"), *told]
    budget = 50 - 3 - len(told)  # the opening line, the closing context and a possible "…and N more"
    shown = 0
    for heading, items in groups:
        if len(blocks) + 3 > budget:
            break
        blocks.append(context(heading))
        for item in items:
            if len(blocks) + 2 > budget:
                break
            blocks += overdue_rows(item, today)
            shown += 1
    blocks += more_note(total, shown, "`/wg actions mine` in each group's channel lists working-group items.")
    blocks.append(context("Pick a date to move an item's due date. Snooze leaves it out of tomorrow's reminder."))
    return message(f"You have {counted(total, 'overdue action item')}", blocks)


def action_changed_reply(item: ActionItem, change: str, *, today: date) -> Message:
    """Confirmation after done, reopen, reassign or due, ephemeral; raises ValueError for another change."""
    line = action_item_line(item, today=today)
    if change == "done":
        text, undo = f"Marked done: {line}", button("Reopen", ids.ITEM_REOPEN, str(item.id))
    elif change == "reopen":
        text, undo = f":arrows_counterclockwise: Reopened {line}", button("Done", ids.ITEM_DONE, str(item.id))
    elif change == "reassign":
        text, undo = (
            f":bust_in_silhouette: #{item.id} now belongs to {mention(item.owner_id, item.owner_name)}.\n{line}",
            None,
        )
    elif change == "due":
        when = day(item.due_on, today) if item.due_on is not None else "no due date"
        text, undo = f":date: #{item.id} is now due {when}.\n{line}", None
    else:
        raise ValueError(f"unknown action item change {change!r}; expected one of {ACTION_CHANGES}")
    return ephemeral(f"Action item #{item.id}: {change}", [section(text, accessory=undo)])


def action_history(item: ActionItem, events: Sequence[Any], *, today: date, timezone: str | None = None) -> Message:
    """`/wg item N`: the item and every change to it (who, when, what), oldest first; ephemeral, so the times'
    fallback text is in `timezone`, its one reader's zone."""
    lines = [f"{slack_date(e.at, timezone=timezone)} · <@{e.actor_id}> {_history_words(e)}" for e in events]
    blocks = [
        section(action_item_line(item, today=today)),
        *packed_sections(lines or ["No history recorded."], max_sections=5),
    ]
    return ephemeral(f"Action item #{item.id}", blocks)


_HISTORY_WORDS = {
    "action.added": "added it",
    "action.done": "closed it",
    "action.reopen": "reopened it",
    "action.reassign": "reassigned it",
    "action.due": "changed its due date",
    "action.snoozed": "snoozed it",
}


def _history_words(event: Any) -> str:
    words = _HISTORY_WORDS.get(event.action, escape(event.action))
    detail = event.detail or {}
    if "from" in detail or "to" in detail:
        words += f" ({escape(str(detail.get('from') or 'none'))} → {escape(str(detail.get('to') or 'none'))})"
    elif detail.get("until"):
        words += f" until {escape(str(detail['until']))}"
    return words
