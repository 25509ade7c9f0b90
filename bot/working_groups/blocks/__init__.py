"""Block Kit for /wg: the charter, roles, exit criteria, action items, reminders, digests, notices, modals, Home.

Builders take model objects and plain values (`today` is passed in, nothing reads the clock) and return the
plain dicts of `bot/blocks/common.py`; the two modals use `slack_sdk.models.views.View`, as /cadence's does,
and their readers sit beside them so block ids stay in this file.

Dates here are calendar days without a time of day, so they are written out (`Mon 30 Nov`) rather than as
Slack `<!date^…>` tokens, which need a timestamp and would shift a due day across time zones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
    UrlInputElement,
)
from slack_sdk.models.views import View

from bot.action_items import ids as item_ids
from bot.action_items.blocks import action_item_line, item_row, item_rows, tally
from bot.action_items.rules import by_urgency, is_done
from bot.blocks.common import (
    SECTION_LIMIT,
    USER_ID,
    WEB_URL,
    Block,
    Message,
    actions,
    button,
    context,
    counted,
    day,
    divider,
    element_state,
    ephemeral,
    header,
    link,
    mention,
    message,
    more_note,
    mrkdwn,
    packed_sections,
    page_inputs,
    plain,
    progress_bar,
    read_page_inputs,
    section,
    slack_date,
    view_input,
)
from bot.blocks.mrkdwn import page_text
from bot.errors import UserError
from bot.handbook.report import ImportReport
from bot.people import PersonMatch
from bot.text import clip, escape, quoted
from bot.working_groups import ids
from bot.working_groups.rules import GOAL_LIMIT, NAME_LIMIT, URL_LIMIT, LinkOutcome
from models import ActionItem, ExitCriterion, WorkingGroup, WorkingGroupMember, WorkingGroupStatus

ACTION_LIST_LIMIT = 20  # up to two blocks per item in /wg actions, plus header and notes: inside 50 blocks
SYNC_LIST_LIMIT = 15
HOME_GROUP_LIMIT = 10  # App Home allows 100 blocks and /cadence's part shares them
HOME_ITEM_LIMIT = 15
DIGEST_BUCKET_LIMIT = 8  # lines per bucket; each bucket is one section
CHARTER_CRITERION_BUTTONS = 12  # open criteria that get their own row and button in the charter
LIST_CRITERION_BUTTONS = 18  # the same in /wg criteria, which has room for more
NOTICE_CRITERION_BUTTONS = 8  # in the end-of-group warning
ITEM_TEXT_LIMIT = 300  # an action item's or criterion's text in a line; a full one is still in /wg charter
PLAN_SECTIONS = 2  # the charter's plan: two sections of 3000 characters
PLAN_LINE_LIMIT = 40  # plan items (nested ones too) shown in the charter; `/wg export` has them all
PLAN_MORE = "`/wg export` has it all"

CRITERIA_COMMAND_NOTE = (
    "Tick any criterion with `/wg criterion done N`, or record progress with `/wg criterion progress N 50%`."
)

ROLE_LABELS = {
    "dri": "DRI",
    "executive_stakeholder": "Executive Stakeholder",
    "executive_sponsor": "Executive Sponsor",
    "facilitator": "Facilitator",
    "functional_lead": "Functional Lead",
    "contributor": "Contributor",
    "member": "Member",
}

_CHANNEL_ID = re.compile(r"[CG][A-Z0-9_]+")

# ---------------------------------------------------------------------------------------------------------------
# Small pieces


def channel(channel_id: str) -> str:
    """A channel link from a stored id; anything that is not an id is shown as escaped text."""
    return f"<#{channel_id}>" if _CHANNEL_ID.fullmatch(channel_id) else escape(channel_id)


def row_id(block_id: str) -> int:
    """The row id at the end of a datepicker's block id (`wg.action.row.12` → 12); raises ValueError otherwise."""
    for prefix in (item_ids.ITEM_ROW, ids.WG_GROUP_ROW):
        if block_id.startswith(prefix) and block_id[len(prefix) :].isdigit():
            return int(block_id[len(prefix) :])
    raise ValueError(f"not a working-group row block id: {block_id!r}")


def _fields(*pairs: tuple[str, str]) -> Block:
    """A two-column section of `*label*\\nvalue` fields (callers escape user text; Slack allows 10 fields)."""
    return {"type": "section", "fields": [mrkdwn(f"*{label}*\n{value}", 2000) for label, value in pairs[:10]]}


# ---------------------------------------------------------------------------------------------------------------
# Help


WG_HELP_SETUP = """\
*Set up*
*`/wg create`*: a form for a new working group in this channel.
*`/wg create "Name" [goal "…"] [created <date>] [ends <date>] [agenda <url>] [board <url>]`*: the same in one line.
*`/wg import`*: paste or attach the group's handbook page (the markdown of the page) and get everything in it.
*`/wg people`*: link the people the page named to Slack users (a form, pre-filled with the best match).
*`/wg charter`*: the charter, as the handbook page reads. *`/wg export`*: the handbook page, to paste back.
"""

WG_HELP_ROLES = """\
*Roles*
*`/wg role add <role> @user|"Name" [as "Title"]`*: e.g. `/wg role add DRI @emilio as "VP, Developer Relations"` \
or `/wg role add "Functional Lead: Customer Success" "Jamie Reid"`.
*`/wg role remove [<role>] @user|"Name"`*: e.g. `/wg role remove facilitator @alice`; without a role, \
`/wg role remove @alice` removes every role they hold. *`/wg roles`*: who holds which role.
Roles: DRI, Executive Stakeholder, Executive Sponsor, Facilitator, Functional Lead (with its function), \
Contributor, Member.
"""

WG_HELP_CRITERIA = """\
*Exit criteria*
*`/wg criterion add "…"`* · *`/wg criterion done N`* · *`/wg criterion undo N`* · \
*`/wg criterion progress N 50%`* · *`/wg criteria`*: N is the number in the list.
"""

WG_HELP_ACTIONS = """\
*Action items*
*`/wg action "<text>" @owner [due <date>]`*: e.g. `/wg action "Draft the plan" @alex due friday`.
*`/wg actions [mine|overdue|all]`*: open items (the default), yours, late ones, or all including done.
*`/wg done N`* · *`/wg reopen N`* · *`/wg reassign N @user`* · *`/wg due N <date>`*: N is the item's `#` number.
Dates: `2026-12-01`, `today`, `tomorrow`, a weekday such as `friday`, `in 2 weeks`, `end of quarter`.
"""

WG_HELP_RHYTHM = """\
*Meetings, digest and end*
*`/wg sync every 2 weeks on tuesday at 10:00`*: a "sync today" reminder with the agenda and open items. \
*`/wg sync off`* stops it.
*`/wg digest on|off`*: a weekly digest of open, due, overdue and done items and exit-criteria progress.
*`/wg close`*: close the group. *`/wg extend <date>`*: move its end date.
"""

WG_HELP_WHO = """\
*Who may do what*
Anyone in the channel adds action items; anyone with a role in the group ticks exit criteria. \
An item's owner, the DRI or the facilitator close, reopen, reassign or re-date it. \
The DRI, the facilitator and workspace admins edit the charter, roles and exit criteria, link people, set the sync \
and digest, close and extend; whoever imported the page may too, until a DRI or facilitator is linked.
"""


def wg_help() -> Message:
    """The /wg help: every subcommand and who may use it, ephemeral."""
    blocks = [
        header("Working groups: /wg"),
        section(WG_HELP_SETUP),
        section(WG_HELP_ROLES),
        section(WG_HELP_CRITERIA),
        section(WG_HELP_ACTIONS),
        section(WG_HELP_RHYTHM),
        section(WG_HELP_WHO),
        context("In a working group's channel, /wg acts on that group. `/wg help` shows this again."),
    ]
    return ephemeral('How to use /wg: /wg create "Name", /wg charter, /wg action "<text>" @owner, /wg help', blocks)


# ---------------------------------------------------------------------------------------------------------------
# Exit criteria and roles


def _criteria(group: WorkingGroup) -> list[ExitCriterion]:
    return list(group.exit_criteria or [])


def _completion(criterion: ExitCriterion) -> float:
    if criterion.done:
        return 1.0
    return max(0, min(100, criterion.progress or 0)) / 100


def criteria_summary(group: WorkingGroup) -> str:
    """`2 of 6 done ▰▰▰▱▱▱▱▱▱▱ 30%`: the bar also counts partial progress of open criteria."""
    criteria = _criteria(group)
    if not criteria:
        return "no exit criteria yet"
    done = sum(1 for c in criteria if c.done)
    overall = sum(_completion(c) for c in criteria) / len(criteria)
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
    criteria = _criteria(group)
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


def role_label(member: WorkingGroupMember) -> str:
    """The role as the handbook writes it, e.g. `Functional Lead: Contributor Success` (not escaped)."""
    key = member.role.strip().lower().replace(" ", "_").replace("-", "_")
    label = ROLE_LABELS.get(key, member.role.strip())
    return f"{label}: {member.function}" if member.function else label


def role_line(member: WorkingGroupMember) -> str:
    """One row of the roles table: role, person (mention or plain name), title."""
    person = mention(member.user_id, member.person_name, nobody="_(open)_")
    line = f"*{escape(role_label(member))}* · {person}"
    if member.title:
        line += f" · _{escape(member.title)}_"
    return line


def roles_blocks(group: WorkingGroup, *, max_sections: int = 3) -> list[Block]:
    """The "Roles and Responsibilities" part of the charter."""
    members = list(group.roles or [])
    if not members:
        return [section("*Roles and Responsibilities*\n_Nobody yet._ Add people with `/wg role add DRI @user`.")]
    lines = ["*Roles and Responsibilities*", *(role_line(m) for m in members)]
    return packed_sections(lines, max_sections=max_sections, more="`/wg roles` lists them all.")


# ---------------------------------------------------------------------------------------------------------------
# Charter


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
    return _fields(*pairs)


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


def criteria_list(group: WorkingGroup, *, today: date) -> Message:
    """`/wg criteria`: the exit criteria with Mark done buttons, ephemeral."""
    blocks = [header(f"Exit criteria: {group.name}")]
    blocks += criteria_blocks(group, today=today, max_blocks=45, buttons=LIST_CRITERION_BUTTONS)
    return ephemeral(f"Exit criteria of {escape(group.name)}: {criteria_summary(group)}", blocks)


def roles_list(group: WorkingGroup, *, note: str | None = None) -> Message:
    """`/wg roles`: who holds which role, ephemeral; `note` (our own text) leads when a change was just made."""
    blocks = [*([section(note)] if note else []), header(f"Roles: {group.name}"), *roles_blocks(group, max_sections=10)]
    blocks.append(
        context(
            'Change them with `/wg role add <role> @user|"Name" [as "Title"]` or '
            '`/wg role remove [<role>] @user|"Name"`.'
        )
    )
    return ephemeral(f"Roles in {escape(group.name)}", blocks)


# ---------------------------------------------------------------------------------------------------------------
# Action items


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


# ---------------------------------------------------------------------------------------------------------------
# Scheduled messages


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


def _end_note(group: WorkingGroup, today: date) -> str:
    if group.end_on is None:
        return ""
    days = (group.end_on - today).days
    label = escape(group.end_label or "End Date")
    if days > 0:
        return f"{label}: {day(group.end_on, today)} (in {counted(days, 'day')})"
    if days == 0:
        return f"{label}: today"
    return f"{label}: {day(group.end_on, today)} ({counted(-days, 'day')} ago)"


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
        _fields(
            ("Open", str(len(open_items))),
            ("Due this week", str(len(due_this_week))),
            ("Overdue", str(len(overdue))),
            ("Done last week", str(len(done_last_week))),
        ),
        section(
            f"*{escape(group.exit_criteria_heading or 'Exit Criteria')}* · {criteria_summary(group)}"
            + (f"\n{_end_note(group, today)}" if group.end_on else "")
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
    criteria = _criteria(group)
    met = bool(criteria) and all(c.done for c in criteria)
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
    criteria = _criteria(group)
    met = f" {sum(1 for c in criteria if c.done)} of {len(criteria)} exit criteria were met." if criteria else ""
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


# ---------------------------------------------------------------------------------------------------------------
# Modals


def create_modal(channel_id: str) -> View:
    """The form behind `/wg create`: name, goal, dates and links; the channel travels in private_metadata."""
    return View(
        type="modal",
        callback_id=ids.WG_CREATE_MODAL,
        private_metadata=channel_id,
        title="New working group",
        submit="Create",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id=ids.WG_CREATE_NAME,
                label="Name",
                element=PlainTextInputElement(
                    action_id=ids.WG_CREATE_NAME,
                    max_length=NAME_LIMIT,
                    placeholder="Leading Organizations Working Group",
                ),
            ),
            InputBlock(
                block_id=ids.WG_CREATE_GOAL,
                label="Business goal",
                optional=True,
                element=PlainTextInputElement(action_id=ids.WG_CREATE_GOAL, multiline=True, max_length=GOAL_LIMIT),
            ),
            InputBlock(
                block_id=ids.WG_CREATE_CREATED_ON,
                label="Date created",
                optional=True,
                hint="Empty means today.",
                element=DatePickerElement(action_id=ids.WG_CREATE_CREATED_ON),
            ),
            InputBlock(
                block_id=ids.WG_CREATE_END_ON,
                label="End date",
                optional=True,
                element=DatePickerElement(action_id=ids.WG_CREATE_END_ON),
            ),
            InputBlock(
                block_id=ids.WG_CREATE_AGENDA,
                label="Agenda doc",
                optional=True,
                element=UrlInputElement(action_id=ids.WG_CREATE_AGENDA, placeholder="https://docs.google.com/…"),
            ),
            InputBlock(
                block_id=ids.WG_CREATE_BOARD,
                label="Issue board or epic",
                optional=True,
                element=UrlInputElement(action_id=ids.WG_CREATE_BOARD, placeholder="https://gitlab.com/…"),
            ),
        ],
    )


def _text(view: dict[str, Any], block_id: str) -> str:
    return (view_input(view, block_id).get("value") or "").strip()


def _date(view: dict[str, Any], block_id: str) -> date | None:
    picked = view_input(view, block_id).get("selected_date")
    return date.fromisoformat(picked) if picked else None


def _limited(view: dict[str, Any], block_id: str, *, what: str, limit: int) -> str:
    """A text field within the limit its command holds to (Slack's max_length is only the client's word)."""
    text = _text(view, block_id)
    if len(text) > limit:
        raise UserError(
            f"The {what} is {len(text):,} characters long; the limit is {limit:,}.", "Shorten it.", field=block_id
        )
    return text


def _url(view: dict[str, Any], block_id: str) -> str | None:
    url = _limited(view, block_id, what="link", limit=URL_LIMIT)
    if url and not WEB_URL.fullmatch(url):
        raise UserError(
            f"I can only link to web addresses, not {quoted(url)}.", "Start it with `https://`.", field=block_id
        )
    return url or None


def read_create_modal(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted create form as `channel_id, name, goal, created_on, end_on, agenda_url, board_url`.

    Raises UserError with `field` set to the block to show it under.
    """
    name = _limited(view, ids.WG_CREATE_NAME, what="name", limit=NAME_LIMIT)
    if not name:
        raise UserError("Give the working group a name.", field=ids.WG_CREATE_NAME)
    created_on = _date(view, ids.WG_CREATE_CREATED_ON)
    end_on = _date(view, ids.WG_CREATE_END_ON)
    if created_on is not None and end_on is not None and end_on < created_on:
        raise UserError(
            f"The end date {end_on:%Y-%m-%d} is before the date created {created_on:%Y-%m-%d}.",
            "Pick an end date on or after it.",
            field=ids.WG_CREATE_END_ON,
        )
    return {
        "channel_id": view.get("private_metadata") or "",
        "name": name,
        "goal": _limited(view, ids.WG_CREATE_GOAL, what="goal", limit=GOAL_LIMIT) or None,
        "created_on": created_on,
        "end_on": end_on,
        "agenda_url": _url(view, ids.WG_CREATE_AGENDA),
        "board_url": _url(view, ids.WG_CREATE_BOARD),
    }


def import_modal(channel_id: str) -> View:
    """The form behind `/wg import`: the page pasted in two parts (3000 characters each), or attached as a file."""
    return View(
        type="modal",
        callback_id=ids.WG_IMPORT_MODAL,
        private_metadata=channel_id,
        title="Import a handbook page",
        submit="Import",
        close="Cancel",
        blocks=[
            SectionBlock(
                text="Paste the markdown of the working group's handbook page, or attach it as a file. "
                "A page longer than 3000 characters goes in two parts: cut it at a line break."
            ),
            *page_inputs(
                page=ids.WG_IMPORT_PAGE,
                more=ids.WG_IMPORT_PAGE_MORE,
                file=ids.WG_IMPORT_FILE,
                placeholder="## Attributes",
            ),
        ],
    )


def saved_notice_modal(text: str) -> dict[str, Any]:
    """What a submitted form turns into when its change is saved but Slack refused what came after: the words
    of `handlers.replies.slack_failure_note`, with a Close button only."""
    return View(
        type="modal",
        title="Saved",
        close="Close",
        blocks=[SectionBlock(text=MarkdownTextObject(text=clip(text)))],
    ).to_dict()


def read_import_modal(view: dict[str, Any]) -> tuple[str, list[str]]:
    """The pasted page (both parts joined by a line break) and the ids of attached files.

    Raises UserError, under the first paste box, when nothing was given, or under the file when both were.
    """
    return read_page_inputs(view, page=ids.WG_IMPORT_PAGE, more=ids.WG_IMPORT_PAGE_MORE, file=ids.WG_IMPORT_FILE)


# ---------------------------------------------------------------------------------------------------------------
# After an import: the report, and linking the page's people to Slack users

LINK_FORM_LIMIT = 40  # people per link form (an input each); the rest come in the next `/wg people`
LABEL_LIMIT = 150  # an input's label: Slack allows 2000, a person and their role fit in far less
REPORT_SECTIONS = 4


def import_reply(group: WorkingGroup, report: ImportReport, *, created: bool, unlinked: int) -> Message:
    """The importer's answer to `/wg import`: what was saved, the import report, and a Link people button while some
    of the page's people are not Slack users yet (the button carries the group id)."""
    name = escape(group.name)
    saved = f"Saved the working group *{name}*." if created else f"Saved the new charter of *{name}*."
    blocks = [
        section(f":white_check_mark: {saved} Its charter is in {channel(group.channel_id)}."),
        *packed_sections(report.as_mrkdwn().split("\n"), max_sections=REPORT_SECTIONS),
    ]
    if unlinked:  # the report's To check says how many; this is where to do it
        blocks.append(
            section(
                "Link the page's people to their Slack users, so they get their nudges:",
                accessory=button("Link people", ids.WG_LINK_OPEN, str(group.id), style="primary"),
            )
        )
    return ephemeral(f"{saved} Read: {report.summary()}.", blocks)


def import_saved_modal(notice: str | None, reply: Message, *, title: str = "Imported") -> dict[str, Any]:
    """What the import form turns into when the importer's reply could not be posted (or the charter not): what was
    saved, the fix, and the reply itself, Link people button included."""
    blocks = ([section(notice)] if notice else []) + list(reply["blocks"])
    return {"type": "modal", "title": plain(title, 24), "close": plain("Close", 24), "blocks": blocks[:100]}


def _match_hint(member: WorkingGroupMember, match: PersonMatch) -> str:
    written = {"email": "the email on the page", "handle": f"{member.username or 'the handle'} on the page"}
    if match.user_id:
        return f"Found by {written.get(match.how, 'name')}. Change it if it is someone else."
    if match.several:
        return f"{match.several} Slack users match {written.get(match.how, 'that name')}: pick the right one."
    return "No Slack user by that name: pick them, or leave it empty for now."


def person_label(member: WorkingGroupMember) -> str:
    """A page's person as the link form names them: the name and the role as the page wrote it (plain text)."""
    return f"{member.person_name} · {member.role_title or role_label(member)}"


def link_people_modal(
    channel_id: str, group: WorkingGroup, people: Sequence[tuple[WorkingGroupMember, PersonMatch]]
) -> dict[str, Any]:
    """The Link people form: one user picker per person the page named who is not a Slack user yet, pre-filled with
    the one Slack user who matches them; the channel travels in private_metadata."""
    inputs = []
    for member, match in people[:LINK_FORM_LIMIT]:
        element: dict[str, Any] = {"type": "users_select", "action_id": f"{ids.WG_LINK_PERSON}{member.id}"}
        if match.user_id:
            element["initial_user"] = match.user_id
        inputs.append(
            {
                "type": "input",
                "block_id": f"{ids.WG_LINK_PERSON}{member.id}",
                "optional": True,
                "label": plain(person_label(member), LABEL_LIMIT),
                "hint": plain(_match_hint(member, match), LABEL_LIMIT),
                "element": element,
            }
        )
    matched = sum(1 for _member, match in people[:LINK_FORM_LIMIT] if match.user_id)
    who = "the one person" if matched == 1 else f"the {matched} people"
    filled = (
        f"I filled in {who} I could match by email, handle or name"
        if matched
        else "I couldn't match anyone by email, handle or name: pick each person"
    )
    intro = section(
        f"Who is who in Slack, for *{escape(group.name)}*. {filled}; leave someone empty to link them later with "
        "`/wg people`."
    )
    more = more_note(len(people), LINK_FORM_LIMIT, "Link these, then `/wg people` shows the rest.")
    return {
        "type": "modal",
        "callback_id": ids.WG_LINK_MODAL,
        "private_metadata": channel_id,
        "title": plain("Link people", 24),
        "submit": plain("Link", 24),
        "close": plain("Cancel", 24),
        "blocks": [intro, *inputs, *more],
    }


def read_link_modal(view: dict[str, Any]) -> dict[int, str]:
    """The people picked in the Link people form, as {role row id: Slack user id}; an empty picker is left out.

    Raises UserError (under the picker) for a value that is not a user id, or under the first picker when nobody
    was picked.
    """
    picked: dict[int, str] = {}
    blocks = [b for b in view.get("state", {}).get("values", {}) if str(b).startswith(ids.WG_LINK_PERSON)]
    for block_id in blocks:
        tail = block_id[len(ids.WG_LINK_PERSON) :]
        state = element_state(view["state"]["values"][block_id].get(block_id))
        user_id = state.get("selected_user")
        if not user_id:
            continue
        if not (tail.isascii() and tail.isdigit() and len(tail) <= 10) or not USER_ID.fullmatch(user_id):
            raise UserError("I couldn't read the person picked. Pick them again from the list.", field=block_id)
        picked[int(tail)] = user_id
    if not picked:
        first = next((b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"), None)
        raise UserError("Pick a Slack user for at least one person, or close the form.", field=first)
    return picked


def linked_reply(group: WorkingGroup, outcome: LinkOutcome, *, submitter_id: str, is_admin: bool = False) -> Message:
    """What the person who submitted the link form is told: who is linked now, who someone linked first (kept as
    they linked it), rows that are no longer on the charter, and, when they linked a DRI or facilitator who is not
    themselves, that the group is now theirs to manage (the importer's stand-in rights end there)."""
    count = len(outcome.linked)
    name = escape(group.name)
    text = f"Linked {count} {'person' if count == 1 else 'people'} of *{name}* to Slack."
    if not count:
        text = f"Nothing changed in *{name}*."
    lines = [text]
    for member in outcome.linked:
        lines.append(f":link: {escape(person_label(member))} is <@{member.user_id}>.")
    for member, by in outcome.already:
        who = f" by <@{by}>" if by else ""
        lines.append(
            f":information_source: {escape(person_label(member))} was already linked{who} to <@{member.user_id}>; "
            "I left it as it is."
        )
    if outcome.gone:
        lines.append(
            f":warning: {outcome.gone} of the people in the form are no longer on this group's charter "
            "(was the page imported again?). `/wg people` shows who is left."
        )
    leads = {member.user_id for member in group.roles if member.user_id and member.role in ("DRI", "Facilitator")}
    new_leads = [m for m in outcome.linked if m.user_id in leads]
    if new_leads and submitter_id not in leads and not is_admin:
        who = ", ".join(f"<@{m.user_id}>" for m in new_leads)
        lines.append(
            f":information_source: {who} now leads *{name}*: from here the DRI, the facilitator and workspace admins "
            "change its charter and roles, and link people."
        )
    return ephemeral(text, packed_sections(lines, max_sections=3))


# ---------------------------------------------------------------------------------------------------------------
# App Home


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
            line += f" · {_end_note(group, today)}"
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


# ---------------------------------------------------------------------------------------------------------------
# Export, settings, undo

EXPORT_CHUNK = 2900  # a section holds 3000 characters; the code fence takes the rest
FENCE = "`" * 3


def _export_chunks(page: str) -> list[str]:
    """The page cut into pieces of at most EXPORT_CHUNK characters once escaped, between its blocks (at blank lines)
    where it can, so a copied table or list stays whole; a block too long for one piece is cut between lines, and a
    line too long for one piece between characters."""
    pieces: list[str] = []
    for block in re.split(r"(?<=\n)(?=\n)", page):  # each block keeps its line ends; blank lines start blocks
        if len(escape(block)) <= EXPORT_CHUNK:
            pieces.append(block)
            continue
        for line in block.splitlines(keepends=True):
            while len(escape(line)) > EXPORT_CHUNK:
                cut = EXPORT_CHUNK // 5  # an escaped character is at most 5 long (`&amp;`)
                pieces.append(line[:cut])
                line = line[cut:]
            pieces.append(line)
    chunks = [""]
    for piece in pieces:
        if chunks[-1] and len(escape(chunks[-1] + piece)) > EXPORT_CHUNK:
            chunks.append("")
        chunks[-1] += piece
    return [chunk for chunk in chunks if chunk.strip()]


def export_reply(group_name: str, page: str) -> Message:
    """`/wg export`: the handbook page in code blocks (ephemeral), cut between its blocks so tables stay whole."""
    chunks = _export_chunks(page.replace(FENCE, "´´´"))
    blocks = [section(f"The handbook page of *{escape(group_name)}*; copy it into the handbook:")]
    blocks += [section(f"{FENCE}{escape(chunk.strip(chr(10)))}{FENCE}") for chunk in chunks[:45]]
    if len(chunks) > 45:
        blocks.append(context("The page is longer than one Slack message; `python app.py wg export` prints it all."))
    return ephemeral(f"Handbook page of {escape(group_name)}", blocks)


def cadence_setting_reply(label: str, cadence: Any, *, timezone: str | None = None) -> Message:
    """After `/wg sync …` or `/wg digest on|off`: what runs now and when next, or that it is off (ephemeral: the next
    run's fallback text is in `timezone`, its one reader's zone)."""
    from bot.cadence.rules import describe, from_dict

    if cadence is None or cadence.next_run_at is None:
        how = "`/wg digest on`" if "digest" in label else "`/wg sync every 2 weeks on tuesday at 10:00`"
        return ephemeral(f"The {label} is off. {how} turns it on.")
    return ephemeral(
        f":white_check_mark: The {label} runs {escape(describe(from_dict(cadence.rule)))}; "
        f"next {slack_date(cadence.next_run_at, timezone=timezone)}."
    )


def action_removed_reply(text: str) -> Message:
    """After Undo on a just-added item."""
    return ephemeral(f":wastebasket: Took back the action item _{escape(clip(text, 200))}_.")
