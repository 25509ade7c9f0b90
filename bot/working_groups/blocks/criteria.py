"""A working group's exit criteria: the progress summary, one line per criterion, the part of a message with
Mark done buttons (within a block budget), and `/wg criteria`.
"""

from __future__ import annotations

from datetime import date

from bot.blocks.common import (
    Block,
    Message,
    button,
    context,
    day,
    ephemeral,
    header,
    mention,
    packed_sections,
    progress_bar,
    section,
)
from bot.blocks.mrkdwn import page_text
from bot.text import escape
from bot.working_groups import ids
from bot.working_groups.blocks.pieces import ITEM_TEXT_LIMIT
from bot.working_groups.rules import criteria_progress
from models import ExitCriterion, WorkingGroup

LIST_CRITERION_BUTTONS = 18  # the same in /wg criteria, which has room for more
CRITERIA_COMMAND_NOTE = (
    "Tick any criterion with `/wg criterion done N`, or record progress with `/wg criterion progress N 50%`."
)


def criteria_of(group: WorkingGroup) -> list[ExitCriterion]:
    return list(group.exit_criteria or [])


def criteria_summary(group: WorkingGroup) -> str:
    """`2 of 6 done ▰▰▰▱▱▱▱▱▱▱ 30%`: the bar also counts partial progress of open criteria."""
    criteria = criteria_of(group)
    if not criteria:
        return "no exit criteria yet"
    done, overall = criteria_progress(criteria)
    return f"{done} of {len(criteria)} done {progress_bar(overall)}"


def criterion_line(number: int, criterion: ExitCriterion, *, today: date) -> str:
    """One criterion: ✅ or ⬜, its number, its text as mrkdwn, done date or progress bar."""
    text = page_text(criterion.text, ITEM_TEXT_LIMIT)
    if criterion.done:
        line = f":white_check_mark: *{number}.* {text}"
        if criterion.done_on is not None:
            line += f" · done {day(criterion.done_on, today)}"
        if criterion.done_by:
            line += f" by {mention(criterion.done_by)}"
        return line
    line = f":white_large_square: *{number}.* {text}"
    if criterion.progress is not None:
        line += f"\n{progress_bar(criterion.progress / 100)}"
    return line


def _criterion_rows(criteria: list[ExitCriterion], today: date, buttons: int) -> list[Block]:
    """Open criteria (the first `buttons` of them) get a row with a button; the lines between share sections."""
    blocks: list[Block] = []
    pending: list[str] = []
    given = 0
    for number, criterion in enumerate(criteria, start=1):
        line = criterion_line(number, criterion, today=today)
        if criterion.done or given >= buttons:
            pending.append(line)
            continue
        blocks += packed_sections(pending, max_sections=3, more="`/wg criteria` lists them all.")
        pending = []
        blocks.append(section(line, accessory=button("Mark done", ids.WG_CRITERION_DONE, str(criterion.id))))
        given += 1
    return blocks + packed_sections(pending, max_sections=3, more="`/wg criteria` lists them all.")


def criteria_blocks(group: WorkingGroup, *, today: date, max_blocks: int, buttons: int) -> list[Block]:
    """The exit criteria heading with overall progress, then the criteria, in at most `max_blocks` blocks.

    Each open criterion gets a "Mark done" button on its own row while `buttons` last; done criteria and the
    rest are packed several to a section. If that still takes too many blocks, fewer criteria get buttons:
    the others are ticked with `/wg criterion done N`, which the closing note says.
    """
    criteria = criteria_of(group)
    heading = escape(group.exit_criteria_heading or "Exit Criteria")
    if not criteria:
        return [section(f'*{heading}*\n_None yet._ Add one with `/wg criterion add "…"`.')]
    blocks = [section(f"*{heading}* · {criteria_summary(group)}")]
    rows: list[Block] = []
    for allowed in (buttons, buttons // 2, 0):
        rows = _criterion_rows(criteria, today, allowed)
        if len(rows) <= max_blocks - 2:
            break
    rows = rows[: max_blocks - 2]
    open_count = sum(1 for c in criteria if not c.done)
    with_buttons = sum(1 for row in rows if "accessory" in row)
    if open_count > with_buttons:
        rows.append(context(CRITERIA_COMMAND_NOTE))
    return blocks + rows


def criteria_list(group: WorkingGroup, *, today: date) -> Message:
    """`/wg criteria`: the exit criteria with Mark done buttons, ephemeral."""
    blocks = [header(f"Exit criteria: {group.name}")]
    blocks += criteria_blocks(group, today=today, max_blocks=45, buttons=LIST_CRITERION_BUTTONS)
    return ephemeral(f"Exit criteria of {escape(group.name)}: {criteria_summary(group)}", blocks)
