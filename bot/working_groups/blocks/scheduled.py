"""What a working group's cadences post, and the notices around its end: the sync reminder, the weekly digest,
the end-date warning and question, the closed and extended notices, and the reply that sets a sync or digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.action_items.blocks import action_item_line, item_row, tally
from bot.action_items.rules import by_urgency, is_done
from bot.blocks.common import (
    Block,
    Message,
    actions,
    button,
    context,
    counted,
    day,
    ephemeral,
    header,
    link,
    mention,
    message,
    more_note,
    packed_sections,
    section,
    slack_date,
)
from bot.cadence.rules import describe, from_dict
from bot.text import escape
from bot.working_groups import ids
from bot.working_groups.blocks.criteria import criteria_blocks, criteria_of, criteria_summary, criterion_line
from bot.working_groups.blocks.pieces import channel, end_note, fields
from bot.working_groups.rules import criteria_met, criteria_progress
from models import ActionItem, WorkingGroup

SYNC_LIST_LIMIT = 15
DIGEST_BUCKET_LIMIT = 8  # lines per bucket; each bucket is one section
NOTICE_CRITERION_BUTTONS = 8  # in the end-of-group warning


def sync_reminder(group: WorkingGroup, open_items: list[ActionItem], *, today: date) -> Message:
    """The "sync today" post: agenda link, open action items overdue first with Done, how to change it."""
    name = escape(group.name)
    lines = [f":spiral_calendar_pad: *Sync today: {name}*"]
    if group.agenda_url:
        lines.append(f"Agenda: {link(group.agenda_url, 'agenda doc')}. Add your topics before the call.")
    blocks: list[Block] = [section("\n".join(lines))]
    ordered = by_urgency([i for i in open_items if not is_done(i)], today)
    if ordered:
        blocks.append(section(f"*Open action items* · {tally(ordered, today)}"))
        blocks += [item_row(item, today) for item in ordered[:SYNC_LIST_LIMIT]]
        blocks += more_note(len(ordered), SYNC_LIST_LIMIT, "`/wg actions` lists them all.")
    else:
        blocks.append(section("No open action items. :tada:"))
    blocks.append(
        context(
            "Change the schedule with `/wg sync every 2 weeks on tuesday at 10:00`, or stop it with `/wg sync off`."
        )
    )
    return message(f"Sync today: {name}", blocks)


def _bucket(title: str, items: Sequence[ActionItem], today: date) -> list[Block]:
    if not items:
        return []
    lines = [f"*{title} ({len(items)})*"]
    lines += [f"• {action_item_line(item, today=today)}" for item in items[:DIGEST_BUCKET_LIMIT]]
    if len(items) > DIGEST_BUCKET_LIMIT:
        lines.append(f"_…and {len(items) - DIGEST_BUCKET_LIMIT} more._")
    return packed_sections(lines, max_sections=1)


def weekly_digest(
    group: WorkingGroup,
    *,
    open_items: list[ActionItem],
    due_this_week: list[ActionItem],
    overdue: list[ActionItem],
    done_last_week: list[ActionItem],
    today: date,
) -> Message:
    """The weekly digest: counts for the four buckets, their items, and exit-criteria progress."""
    name = escape(group.name)
    shown_elsewhere = {i.id for i in (*overdue, *due_this_week)}
    other_open = by_urgency([i for i in open_items if i.id not in shown_elsewhere], today)
    blocks: list[Block] = [
        header(f"Weekly digest: {group.name}"),
        fields(
            ("Open", str(len(open_items))),
            ("Due this week", str(len(due_this_week))),
            ("Overdue", str(len(overdue))),
            ("Done last week", str(len(done_last_week))),
        ),
        section(
            f"*{escape(group.exit_criteria_heading or 'Exit Criteria')}* · {criteria_summary(group)}"
            + (f"\n{end_note(group, today)}" if group.end_on else "")
        ),
    ]
    blocks += _bucket("Overdue", by_urgency(overdue, today), today)
    blocks += _bucket("Due this week", by_urgency(due_this_week, today), today)
    blocks += _bucket("Also open", other_open, today)
    blocks += _bucket("Done last week", list(done_last_week), today)
    blocks.append(context("`/wg actions` lists open items with Done buttons · `/wg digest off` stops this digest."))
    summary = (
        f"Weekly digest for {name}: {len(open_items)} open, {len(overdue)} overdue, "
        f"{len(due_this_week)} due this week, {len(done_last_week)} done last week"
    )
    return message(summary, blocks)


def end_warning(group: WorkingGroup, *, today: date) -> Message:
    """Posted two weeks before the end date: when it ends, and where the exit criteria stand."""
    name = escape(group.name)
    if group.end_on is not None:
        days = (group.end_on - today).days
        on_day = f"on {day(group.end_on, today)}"
        when = f"in {counted(days, 'day')}, {on_day}" if days > 0 else on_day
    else:
        when = "soon"
    blocks: list[Block] = [section(f":hourglass_flowing_sand: *{name}* ends {when}.")]
    blocks += criteria_blocks(group, today=today, max_blocks=25, buttons=NOTICE_CRITERION_BUTTONS)
    blocks.append(
        context(
            "When the exit criteria are met, the DRI or facilitator closes the group with `/wg close`; "
            "to keep going, `/wg extend <date>`."
        )
    )
    return message(f"{name} ends {when}", blocks)


def end_question(group: WorkingGroup, *, today: date) -> Message:
    """DM to the DRI after the end date: close the group, or pick a date to extend it to."""
    name = escape(group.name)
    ended = f"on {day(group.end_on, today)}" if group.end_on is not None else "its end date"
    criteria = criteria_of(group)
    met = criteria_met(criteria)
    open_lines = [criterion_line(n, c, today=today) for n, c in enumerate(criteria, start=1) if not c.done]
    blocks: list[Block] = [
        section(
            f":checkered_flag: *{name}* ({channel(group.channel_id)}) reached its "
            f"{escape((group.end_label or 'End Date').lower())} {ended}. Close it, or extend it?"
        ),
        section(f"*{escape(group.exit_criteria_heading or 'Exit Criteria')}* · {criteria_summary(group)}"),
    ]
    if open_lines:
        blocks += packed_sections(["*Still open*", *open_lines], max_sections=2, more="`/wg criteria` lists them all.")
    picker = {
        "type": "datepicker",
        "action_id": ids.WG_GROUP_EXTEND,
        "placeholder": {"type": "plain_text", "text": "Extend to…"},
    }
    # Closing with criteria still open is the unusual, final choice, so it is red; with all met it is the way on.
    close = button("Close the group", ids.WG_GROUP_CLOSE, str(group.id), style="primary" if met else "danger")
    blocks.append(actions(close, picker, block_id=f"{ids.WG_GROUP_ROW}{group.id}"))
    blocks.append(context("Or in the channel: `/wg close` · `/wg extend <date>`."))
    return message(f"{name} reached its end date: close it or extend it?", blocks)


def group_closed_message(group: WorkingGroup, closed_by: str) -> Message:
    """Posted in the channel when the group is closed."""
    name = escape(group.name)
    criteria = criteria_of(group)
    met = f" {criteria_progress(criteria)[0]} of {len(criteria)} exit criteria were met." if criteria else ""
    blocks = [
        section(f":lock: *{name}* was closed by {mention(closed_by)}.{met}"),
        context("The charter and action items stay readable: `/wg charter` · `/wg export` gives the handbook page."),
    ]
    return message(f"{name} was closed", blocks)


def group_extended_message(group: WorkingGroup) -> Message:
    """Posted in the channel when the end date moves."""
    name = escape(group.name)
    label = escape((group.end_label or "End Date").lower())
    text = (
        f":date: *{name}* now has the {label} {day(group.end_on)}."
        if group.end_on is not None
        else f":date: *{name}* has no end date now."
    )
    return message(f"{name} was extended", [section(text)])


def cadence_setting_reply(label: str, cadence: Any, *, timezone: str | None = None) -> Message:
    """After `/wg sync …` or `/wg digest on|off`: what runs now and when next, or that it is off (ephemeral: the next
    run's fallback text is in `timezone`, its one reader's zone)."""

    if cadence is None or cadence.next_run_at is None:
        how = "`/wg digest on`" if "digest" in label else "`/wg sync every 2 weeks on tuesday at 10:00`"
        return ephemeral(f"The {label} is off. {how} turns it on.")
    return ephemeral(
        f":white_check_mark: The {label} runs {escape(describe(from_dict(cadence.rule)))}; "
        f"next {slack_date(cadence.next_run_at, timezone=timezone)}."
    )
