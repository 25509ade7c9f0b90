"""Block Kit for /cadence: replies, the list, and the create modal (with its reader, so block ids stay here)."""

from __future__ import annotations

import calendar
from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ContextBlock,
    ConversationSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    TimePickerElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks import common
from bot.blocks.common import (
    Block,
    Message,
    actions,
    button,
    context,
    ephemeral,
    header,
    message,
    reader_time,
    section,
    slack_date,
)
from bot.cadence import ids
from bot.cadence.commands import TEXT_LIMIT, AddCadence, CadenceAction, check_text_length, parse_rule_sentence
from bot.cadence.rules import Recurrence, describe, zone_for
from bot.cadence.views import REMINDER, CadenceView
from bot.errors import UserError
from bot.fiscal import FiscalCalendar
from bot.text import clip, escape
from models import Cadence, CadenceStatus

ADD_HINT = '`/cadence add "Weekly sync" every monday at 09:30`'
LIST_LIMIT = 15  # reminders on one page of the list: each takes up to 2 blocks, and Slack allows 50 per message


def destination(cadence: Cadence | CadenceView) -> str:
    """Where a reminder goes, as Slack mentions built from stored ids: `in #team`, `by DM to @bob, @sam`, or both."""
    places = [f"in <#{cadence.channel_id}>"] if cadence.channel_id else []
    if cadence.recipient_ids:
        places.append("by DM to " + ", ".join(f"<@{u}>" for u in cadence.recipient_ids))
    return " and ".join(places)


def added_text(cadence: Cadence, rule: Recurrence, *, timezone: str | None = None) -> str:
    """What was saved: number, text (escaped), rule, where it goes and its next run (in the reader's zone)."""
    assert cadence.next_run_at is not None
    return (
        f":white_check_mark: Saved reminder #{cadence.id}: *{escape(cadence.title)}*\n"
        f"{escape(describe(rule))}, posted {destination(cadence)}. "
        f"Next: {slack_date(cadence.next_run_at, timezone=timezone)}."
    )


def added_reply(
    cadence: Cadence, rule: Recurrence, *, timezone: str | None = None, duplicate: Cadence | None = None
) -> Message:
    """Confirmation after a reminder is saved, with its next run and a button to take it back; when it repeats an
    older one, a warning naming that one, and the Undo removes the new one."""
    undo = button("Undo", ids.CADENCE_REMOVE, str(cadence.id))
    if duplicate is None:
        blocks = [section(added_text(cadence, rule, timezone=timezone), accessory=undo)]
        return ephemeral(f"Saved reminder #{cadence.id}, next {_plain_next(cadence, timezone)}", blocks)
    yours = "You already have" if duplicate.created_by == cadence.created_by else "There already is"
    warning = (
        f":warning: {yours} this reminder: #{duplicate.id} *{escape(clip(duplicate.title, 200))}*, "
        f"{escape(describe(rule))}, {destination(duplicate)}.\n"
        f"I saved it again as #{cadence.id}, so it would come twice. *Undo* removes #{cadence.id}; "
        f"#{duplicate.id} stays."
    )
    text = f"You already have this reminder: #{duplicate.id}. Saved it again as reminder #{cadence.id}"
    return ephemeral(text, [section(warning, accessory=undo), context(added_text(cadence, rule, timezone=timezone))])


def _plain_next(cadence: Cadence, timezone: str | None) -> str:
    """The next run as plain text in the reader's zone, for a notification's fallback text."""
    assert cadence.next_run_at is not None
    return reader_time(cadence.next_run_at, timezone)


def saved_modal(cadence: Cadence, rule: Recurrence, *, note: str, timezone: str | None = None) -> View:
    """The form, turned into the confirmation when the confirmation DM could not be sent: it was saved all the same."""
    return View(
        type="modal",
        title="Reminder saved",
        close="Done",
        blocks=[
            # a long escaped title
            SectionBlock(text=MarkdownTextObject(text=clip(added_text(cadence, rule, timezone=timezone)))),
            ContextBlock(elements=[MarkdownTextObject(text=note)]),
        ],
    )


def changed_reply(cadence: Cadence, action: CadenceAction, *, timezone: str | None = None) -> Message:
    """Confirmation after pause, resume or remove (the next run in the reader's zone)."""
    title = escape(cadence.title)
    if action == CadenceAction.RESUME and cadence.next_run_at is not None:
        return ephemeral(
            f":arrow_forward: Resumed reminder #{cadence.id} *{title}*. "
            f"Next: {slack_date(cadence.next_run_at, timezone=timezone)}."
        )
    if action == CadenceAction.PAUSE:
        return ephemeral(
            f":double_vertical_bar: Paused reminder #{cadence.id} *{title}*. "
            f"`/cadence resume {cadence.id}` starts it again."
        )
    return ephemeral(f":wastebasket: Removed reminder #{cadence.id} *{title}*. Its past nudges stay as they are.")


def cadence_line(view: CadenceView, *, timezone: str | None = None) -> str:
    """One reminder in the list: number, text, rule, where (a program's nudge: to whom, and how to change it),
    next run (in the reader's zone) or paused."""
    state = (
        f"next {slack_date(view.next_run_at, timezone=timezone)}"
        if view.status == CadenceStatus.ACTIVE and view.next_run_at
        else ":double_vertical_bar: paused"
    )
    program = view.listing if view.kind != REMINDER else None
    where = " and ".join(part for part in (destination(view), program.audience if program else "") if part)
    about = " · ".join(part for part in (escape(view.description), where, state) if part)
    line = f"*#{view.id} {escape(clip(view.title, 200))}*\n{about}"
    return line + (f"\n_{program.change}_" if program else "")


def failure_note(view: CadenceView, *, timezone: str | None = None) -> str:
    """What failed to post for a reminder, most recent reason first."""
    latest = view.failed[-1]
    count = len(view.failed)
    noun = "nudge" if count == 1 else "nudges"
    return (
        f":warning: {count} {noun} could not be posted; the last one, due "
        f"{slack_date(latest.occurrence_at, timezone=timezone)}: {escape(latest.last_error or 'unknown error')}"
    )


def list_scope(*, channel_id: str | None, everything: bool) -> str:
    """What a list holds, said with it: an admin's whole-workspace list must not pass for anyone's own."""
    if everything:
        return ":eyes: Every reminder in this workspace, shown to you as a workspace admin."
    mine = "reminders you created and those sent to you"
    shown = f"<#{channel_id}>'s reminders, {mine}" if channel_id and channel_id[:1] in "CG" else mine.capitalize()
    return f"{shown}. A workspace admin sees all with `/cadence list all`."


def in_list_order(views: list[CadenceView]) -> list[CadenceView]:
    """Plain reminders first, then the programs' nudges, each by number: the order the list's pages follow."""
    return sorted(views, key=lambda view: (view.kind != REMINDER, view.id))


def page_count(views: list[CadenceView]) -> int:
    """How many pages the list takes (an empty list is one page)."""
    return max(1, -(-len(views) // LIST_LIMIT))


def check_page(views: list[CadenceView], page: int) -> None:
    """Refuse a page the list doesn't have; raises UserError saying how many there are."""
    pages = page_count(views)
    if page > pages:
        raise UserError(
            f"There's no page {page}: the list has {pages} page{'s' if pages > 1 else ''}.",
            "`/cadence list` shows the first, `/cadence list page 2` the second.",
        )


def _list_row(view: CadenceView, timezone: str | None) -> list[Block]:
    """A reminder's line with Pause or Resume (a program's nudge has none: its command changes it), and what failed."""
    toggle = None
    if view.kind == REMINDER:
        active = view.status == CadenceStatus.ACTIVE
        toggle = (
            button("Pause", ids.CADENCE_PAUSE, str(view.id))
            if active
            else button("Resume", ids.CADENCE_RESUME, str(view.id))
        )
    blocks = [section(cadence_line(view, timezone=timezone), accessory=toggle)]
    if view.failed:
        blocks.append(context(failure_note(view, timezone=timezone)))
    return blocks


def _pager(page: int, pages: int, *, everything: bool) -> list[Block]:
    """Where this page is, the command for the next, and buttons to turn pages."""
    if pages == 1:
        return []
    command = "/cadence list all" if everything else "/cadence list"
    action = ids.CADENCE_LIST_ALL_PAGE if everything else ids.CADENCE_LIST_PAGE
    turn = []
    if page > 1:
        turn.append(button("Previous page", action, str(page - 1)))
    if page < pages:
        turn.append(button("Next page", action, str(page + 1), style="primary"))
    hint = f" · `{command} page {page + 1}` shows the next" if page < pages else ""
    return [context(f"Page {page} of {pages}{hint}."), actions(*turn, block_id=f"{action}.{page}")]


def cadence_list(
    views: list[CadenceView],
    *,
    channel_id: str | None = None,
    everything: bool = False,
    page: int = 1,
    timezone: str | None = None,
) -> Message:
    """One page of the reminders the user may see (or, for an admin who asked, all of them): their reminders first,
    each with a Pause/Resume button, then the programs' nudges, each saying how its program changes it; anything
    that failed to post; and buttons to turn pages. Times in the reader's zone. Raises UserError for a page past the
    end."""
    if not views:
        return ephemeral(
            f"No reminders yet{' in this workspace' if everything else ' here or for you'}. Try {ADD_HINT}."
        )
    check_page(views, page)
    ordered = in_list_order(views)
    pages = page_count(views)
    reminders = [v for v in ordered if v.kind == REMINDER]
    nudges = [v for v in ordered if v.kind != REMINDER]
    shown = ordered[(page - 1) * LIST_LIMIT : page * LIST_LIMIT]
    title = f"{'All reminders' if everything else 'Reminders'} ({len(reminders)})"
    blocks: list[Any] = [
        header(title + (f" and program nudges ({len(nudges)})" if nudges else "")),
        context(list_scope(channel_id=channel_id, everything=everything)),
    ]
    headings = {
        True: f"*{'Reminders' if everything else 'Your reminders here'}* ({len(reminders)})",
        False: f"*Program nudges* ({len(nudges)}): each program sets its own; its command changes them.",
    }
    if not reminders and page == 1:
        blocks.append(
            section(f"*{'Reminders' if everything else 'Your reminders here'}*: none yet. {ADD_HINT} adds one.")
        )
    for index, view in enumerate(shown):
        if index == 0 or (view.kind == REMINDER) != (shown[index - 1].kind == REMINDER):
            blocks.append(section(headings[view.kind == REMINDER]))
        blocks += _list_row(view, timezone)
    blocks += _pager(page, pages, everything=everything)
    failed = sum(len(v.failed) for v in views)
    summary = ("Every reminder in this workspace (admin view): " if everything else "") + f"{len(reminders)} reminders"
    summary += f", {len(nudges)} program nudges" if nudges else ""
    summary += f", page {page} of {pages}" if pages > 1 else ""
    summary += f", {failed} failed nudges" if failed else ""
    return {**message(summary, blocks), "response_type": "ephemeral"}


def cadence_modal(channel_id: str | None) -> View:
    """The form alternative to `/cadence add`; the rule uses the same words as the command."""
    return View(
        type="modal",
        callback_id=ids.CADENCE_MODAL,
        private_metadata=channel_id or "",
        title="New reminder",
        submit="Save",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id=ids.MODAL_TEXT,
                label="Reminder",
                element=PlainTextInputElement(action_id=ids.MODAL_TEXT, max_length=TEXT_LIMIT, multiline=True),
            ),
            InputBlock(
                block_id=ids.MODAL_FREQUENCY,
                label="When",
                hint="e.g. every monday · every 2 weeks on friday · every month on the last friday · "
                "every fiscal quarter on the first monday",
                element=PlainTextInputElement(action_id=ids.MODAL_FREQUENCY, placeholder="every monday"),
            ),
            InputBlock(
                block_id=ids.MODAL_TIME,
                label="At",
                element=TimePickerElement(action_id=ids.MODAL_TIME, initial_time="09:00"),
            ),
            InputBlock(
                block_id=ids.MODAL_TIMEZONE,
                label="Time zone",
                optional=True,
                hint="An IANA name such as Europe/Paris; empty means your Slack time zone.",
                element=PlainTextInputElement(action_id=ids.MODAL_TIMEZONE, placeholder="Europe/Paris"),
            ),
            InputBlock(
                block_id=ids.MODAL_CHANNEL,
                label="Post in channel",
                optional=True,
                element=ConversationSelectElement(action_id=ids.MODAL_CHANNEL, initial_conversation=channel_id or None),
            ),
            InputBlock(
                block_id=ids.MODAL_USERS,
                label="DM these people",
                optional=True,
                element=UserMultiSelectElement(action_id=ids.MODAL_USERS),
            ),
            InputBlock(
                block_id=ids.MODAL_OPTIONS,
                label="Options",
                optional=True,
                element=CheckboxesElement(
                    action_id=ids.MODAL_OPTIONS,
                    options=[Option(value="weekend_to_monday", label="Move weekend occurrences to Monday")],
                ),
            ),
        ],
    )


def _value(state: dict[str, Any], block_id: str) -> dict[str, Any]:
    return common.element_state(state.get(block_id, {}).get(block_id, {}))


def read_cadence_modal(view: dict[str, Any]) -> AddCadence:
    """Turn a submitted modal into the same request `/cadence add` makes; raises UserError with `field` set."""
    state = view["state"]["values"]
    text = (_value(state, ids.MODAL_TEXT).get("value") or "").strip()
    if not text:
        raise UserError("Write what the reminder should say.", field=ids.MODAL_TEXT)
    check_text_length(text, field=ids.MODAL_TEXT)  # max_length binds Slack's clients, not a request
    when = (_value(state, ids.MODAL_FREQUENCY).get("value") or "").strip()
    at = _value(state, ids.MODAL_TIME).get("selected_time") or ""
    zone = (_value(state, ids.MODAL_TIMEZONE).get("value") or "").strip()
    weekend = bool(_value(state, ids.MODAL_OPTIONS).get("selected_options"))
    if zone:
        try:
            zone_for(zone)
        except UserError as error:
            raise UserError(error.problem, error.usage, field=ids.MODAL_TIMEZONE) from error
    try:
        recurrence = parse_rule_sentence(when, at, zone, weekend)
    except UserError as error:
        raise UserError(error.problem, error.usage, field=error.field or ids.MODAL_FREQUENCY) from error
    channel = _value(state, ids.MODAL_CHANNEL).get("selected_conversation")
    users = tuple(_value(state, ids.MODAL_USERS).get("selected_users") or ())
    if not channel and not users:
        raise UserError("Choose a channel, people to DM, or both.", field=ids.MODAL_CHANNEL)
    return AddCadence(text=text, recurrence=recurrence, channel_id=channel, user_ids=users)


def fiscal_year_reply(month: int, *, changed: bool, moved: int = 0) -> Message:
    """The fiscal year start, as set or as it is, with the quarter it implies."""
    today_quarter = FiscalCalendar(start_month=month).quarter(2026, 1)
    name = calendar.month_name[month]
    example = (
        f"so FY{today_quarter.fy % 100:02d}-Q1 runs {today_quarter.start:%d %b %Y} to {today_quarter.end:%d %b %Y}"
    )
    if not changed:
        return ephemeral(
            f"This workspace's fiscal year starts in {name}, {example}. "
            "A workspace admin can change it with `/cadence fiscal-year <month>`."
        )
    note = f" {moved} fiscal reminder(s) now follow it." if moved else ""
    return ephemeral(f":white_check_mark: The fiscal year now starts in {name}, {example}.{note}")
