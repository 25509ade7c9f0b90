"""The working groups' App Home section: the user's groups with exit-criteria progress, then their open items."""

from __future__ import annotations

from datetime import date

from bot.action_items.blocks import item_row, tally
from bot.action_items.rules import by_urgency, is_done
from bot.blocks.common import Block, context, header, more_note, section
from bot.text import escape
from bot.working_groups.blocks.criteria import criteria_summary
from bot.working_groups.blocks.pieces import channel, end_note
from models import ActionItem, WorkingGroup, WorkingGroupStatus

HOME_GROUP_LIMIT = 10  # App Home allows 100 blocks and /cadence's part shares them
HOME_ITEM_LIMIT = 15


def home_section(
    groups_with_progress: list[tuple[WorkingGroup, list[ActionItem]]], *, user_id: str, today: date
) -> list[Block]:
    """App Home blocks: the user's working groups with exit-criteria progress, then their open items with Done.

    Each group comes with its action items; only the open ones the user owns are listed, overdue first.
    """
    blocks: list[Block] = [header("Working groups")]
    if not groups_with_progress:
        blocks.append(section("You're not in a working group yet. `/wg create` in a channel starts one."))
        return blocks
    for group, _items in groups_with_progress[:HOME_GROUP_LIMIT]:
        line = f"*{escape(group.name)}* · {channel(group.channel_id)}\n{criteria_summary(group)}"
        if group.status == WorkingGroupStatus.ENDED:
            line += " · :lock: closed"
        elif group.end_on is not None:
            line += f" · {end_note(group, today)}"
        blocks.append(section(line))
    blocks += more_note(len(groups_with_progress), HOME_GROUP_LIMIT)
    mine = by_urgency(
        [i for _, items in groups_with_progress for i in items if i.owner_id == user_id and not is_done(i)], today
    )
    blocks.append(section(f"*Your action items* · {tally(mine, today)}" if mine else "*Your action items*"))
    if not mine:
        blocks.append(context("Nothing open for you. :sparkles:"))
    blocks += [item_row(item, today) for item in mine[:HOME_ITEM_LIMIT]]
    blocks += more_note(len(mine), HOME_ITEM_LIMIT, "`/wg actions mine` in a group's channel lists them.")
    return blocks
