"""The charter as one message that reads like the handbook page: attributes, goals, exit criteria, the plan, roles."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.blocks.common import (
    SECTION_LIMIT,
    Block,
    Message,
    context,
    day,
    divider,
    header,
    link,
    mention,
    message,
    packed_sections,
    section,
)
from bot.blocks.mrkdwn import page_text
from bot.text import clip, escape
from bot.working_groups.blocks.criteria import criteria_blocks
from bot.working_groups.blocks.pieces import ITEM_TEXT_LIMIT, channel, fields
from bot.working_groups.blocks.roles import roles_blocks
from models import WorkingGroup, WorkingGroupStatus

CHARTER_CRITERION_BUTTONS = 12  # open criteria that get their own row and button in the charter
PLAN_SECTIONS = 2  # the charter's plan: two sections of 3000 characters
PLAN_LINE_LIMIT = 40  # plan items (nested ones too) shown in the charter; `/wg export` has them all
PLAN_MORE = "`/wg export` has it all"


def _status(group: WorkingGroup, today: date) -> str:
    if group.status == WorkingGroupStatus.ENDED:
        text = ":lock: Closed"
        if group.closed_by:
            text += f" by {mention(group.closed_by)}"
        if group.closed_at is not None:
            text += f" on {day(group.closed_at.date(), today)}"
        return text
    if group.end_on is not None and group.end_on < today:
        return ":hourglass: Active, past its end date"
    return ":large_green_circle: Active"


def _attributes(group: WorkingGroup, today: date) -> Block:
    pairs: list[tuple[str, str]] = []
    if group.created_on is not None:
        pairs.append(("Date Created", day(group.created_on, today)))
    end_label = escape(group.end_label or "End Date")
    pairs.append((end_label, day(group.end_on, today) if group.end_on is not None else "_not set_"))
    pairs.append(("Status", _status(group, today)))
    pairs.append(("Slack", channel(group.channel_id)))
    if group.agenda_url:
        pairs.append(("Agenda", link(group.agenda_url, "Agenda")))
    if group.board_url:
        pairs.append(("Issue Board", link(group.board_url, "Board")))
    return fields(*pairs)


def _goals(group: WorkingGroup) -> list[Block]:
    goals = [g for g in (group.goals or []) if g.strip()]
    if not goals:
        return []
    heading = f"*{escape(group.goals_heading or 'Business Goal')}*"
    if len(goals) == 1:
        lines = [heading, page_text(goals[0])]
    else:
        lines = [heading, *(f"{n}. {page_text(goal)}" for n, goal in enumerate(goals, start=1))]
    return packed_sections(lines, max_sections=2, more="`/wg export` has the whole page.")


_CHECKBOX = re.compile(r"\[(?P<mark>[ xX])\]\s+")
_PLAN_INDENT = "\u2003\u2003"  # an em space pair per level: Slack keeps them where it trims plain spaces


def _plan_lines(items: Sequence[Any], depth: int = 0) -> list[str]:
    """Each plan item as one line, nested items indented under theirs; a checkbox as ✅ or ⬜."""
    lines: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        text = str(item.get("text") or "")
        box = _CHECKBOX.match(text)
        mark = ""
        if box:
            mark = ":white_check_mark: " if box["mark"] in "xX" else ":white_large_square: "
            text = text[box.end() :]
        bullet = "•" if depth == 0 else "◦"
        lines.append(f"{_PLAN_INDENT * depth}{bullet} {mark}{page_text(text, ITEM_TEXT_LIMIT)}")
        lines += _plan_lines(item.get("children") or [], depth + 1)
    return lines


def plan_blocks(group: WorkingGroup) -> list[Block]:
    """The plan under its page's heading, nested items and checkboxes kept, in at most PLAN_SECTIONS sections of at
    most PLAN_LINE_LIMIT lines; a longer plan ends "…and N more; `/wg export` has it all"."""
    lines = _plan_lines(group.plan or [])
    if not lines:
        return []
    shape = (group.page_shape or {}).get("plan")
    heading = shape.get("heading") if isinstance(shape, dict) and isinstance(shape.get("heading"), str) else "Plan"
    room = SECTION_LIMIT - 120  # kept for the closing "…and N more" line
    chunks: list[list[str]] = [[f"*{escape(heading)}*"]]
    size, shown = len(chunks[0][0]), 0
    for line in lines[:PLAN_LINE_LIMIT]:
        line = clip(line, room)
        if size + len(line) + 1 > room:
            if len(chunks) == PLAN_SECTIONS:
                break
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += len(line) + 1
        shown += 1
    if shown < len(lines):
        chunks[-1].append(f"_…and {len(lines) - shown} more; {PLAN_MORE}._")
    return [section("\n".join(chunk)) for chunk in chunks]


def charter_message(group: WorkingGroup, *, today: date) -> Message:
    """The charter as one message that reads like the handbook page; raises nothing.

    Header, attributes, goals, exit criteria (with Mark done buttons, see `criteria_blocks` for the 50-block
    budget), the plan, then roles. Fixed parts take at most 11 blocks, the criteria at most 30, the plan 3.
    """
    blocks: list[Block] = [header(group.name)]
    if group.description:
        blocks.append(context(page_text(group.description, 1000)))
    blocks.append(_attributes(group, today))
    blocks += _goals(group)
    blocks.append(divider())
    blocks += criteria_blocks(group, today=today, max_blocks=30, buttons=CHARTER_CRITERION_BUTTONS)
    plan = plan_blocks(group)
    if plan:
        blocks += [divider(), *plan]
    blocks.append(divider())
    blocks += roles_blocks(group)
    blocks.append(context("`/wg help` for the commands · `/wg export` gives the handbook page back."))
    return message(f"Charter of {escape(group.name)}", blocks)
