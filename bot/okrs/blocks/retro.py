"""Block Kit for OKR retrospectives: the GOOD / BAD / TRY form of one team (its reader beside it), the retro as
posted in the OKR channel with a button per TRY line, the DM that asks for it and the saved reply.

Builders take plain values (a retro item is `(item_id, kind, text, action_item | None)`, `today` is passed in) and
return the plain dicts of `bot/blocks/common.py`; the modal is built with `slack_sdk.models.views.View`, as /wg's
are, and returned as a dict so slack_sdk checks its limits when it is built.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.blocks.common import (
    MESSAGE_BLOCKS_LIMIT,
    Block,
    Message,
    actions,
    button,
    context,
    day,
    ephemeral,
    header,
    mention,
    message,
    packed_sections,
    section,
    view_input,
)
from bot.errors import UserError
from bot.okrs import ids
from bot.okrs.blocks.pieces import quarter_span
from bot.okrs.rules import RETRO_LIST_LIMIT, QuarterSpan, RetroListTooLong, check_retro_lines
from bot.text import clip, escape, quoted
from models import ActionItem, ActionItemStatus

# Where a list's error shows.
LIST_FIELDS = {"good": ids.OKR_RETRO_GOOD, "bad": ids.OKR_RETRO_BAD, "try": ids.OKR_RETRO_TRY}

KINDS = ("good", "bad", "try")
KIND_TITLES = {"good": ":white_check_mark: *GOOD*", "bad": ":x: *BAD*", "try": ":bulb: *TRY*"}
RETRO_INPUT_LIMIT = RETRO_LIST_LIMIT  # Slack's plain_text_input max_length, and what a saved list may hold
TEAM_LIMIT = 200  # okr_retro_team.name
ITEM_TEXT_LIMIT = 700  # one GOOD/BAD/TRY line in the message; the handbook's longest are about 300
RETRO_SECTIONS = 3  # GOOD and BAD take up to this many sections each when the TRY rows leave room
ASK_TEAM_LIMIT = MESSAGE_BLOCKS_LIMIT - 4  # the DM's opening, "…and N more", the other-team row and the note
IMPORT_USAGE = "Edit it in the handbook page and load that with `python app.py okr import`."

# Write the retro and Edit carry `QUARTER_ID:TEAM_ID`: the retrospective's quarter and a row that names the team,
# both row ids. Two, because the DM's team is mostly a row of the previous quarter's retrospective (this quarter has
# none before its first save), so the quarter can't be read off the team's row; Edit carries the same shape so one
# reader serves both, and `QUARTER_ID:` is the button whose team is named in the form. Messages posted before carry
# `QUARTER|team`, the label and the name as free text; `read_retro_value` still reads them (`legacy`).
RETRO_VALUE_SEPARATOR = ":"
LEGACY_RETRO_SEPARATOR = "|"  # never in a value of row ids

_LIST_MARKER = re.compile(r"^(?:[-*•]|\d+[.)]|\[[ xX]?\])(?:\s+|$)")

# ---------------------------------------------------------------------------------------------------------------
# Small pieces


def retro_value(quarter_id: int, team_id: int | None) -> str:
    """What Write the retro and Edit carry: `12:34`, or `12:` when the team is named in the form."""
    return f"{quarter_id}{RETRO_VALUE_SEPARATOR}{team_id or ''}"


@dataclass(frozen=True, slots=True)
class RetroValue:
    """A Write the retro / Edit button's value, split but not judged: `quarter` and `team` are row ids as written
    (the team's empty when it is named in the form), or, when `legacy`, the quarter's label and the team's name."""

    quarter: str
    team: str
    legacy: bool = False


def read_retro_value(value: str) -> RetroValue:
    """The parts of a retro button's value, either shape; raises nothing (the ids are checked where they are read)."""
    if LEGACY_RETRO_SEPARATOR in value:
        label, _, team = value.rpartition(LEGACY_RETRO_SEPARATOR)
        return RetroValue(label, team, legacy=True)
    quarter, _, team = value.partition(RETRO_VALUE_SEPARATOR)
    return RetroValue(quarter, team)


def _counts(good: int, bad: int, try_: int) -> str:
    return f"{good} GOOD, {bad} BAD, {try_} TRY"


def _item_line(number: int, text: str) -> str:
    return f"{number}. {escape(clip(text, ITEM_TEXT_LIMIT))}"


def _action_note(item: ActionItem, today: date) -> str:
    """`→ action item #12, <@U1> by Thu 15 Aug` (or `· done`)."""
    note = f"→ action item #{item.id}, {mention(item.owner_id, item.owner_name)}"
    if item.status == ActionItemStatus.DONE:
        return f"{note} · done"
    return f"{note} by {day(item.due_on, today)}" if item.due_on is not None else note


# ---------------------------------------------------------------------------------------------------------------
# The retro form


def _prefill(items: Sequence[str]) -> str:
    """Items one per line, as `read_retro_modal` reads them back: an item that itself starts like a list marker gets
    one (which the reader takes off again), and line breaks inside an item become spaces."""
    lines = [" ".join(text.split()) for text in items]
    return "\n".join(f"- {line}" if _LIST_MARKER.match(line) else line for line in lines if line)


def _check_fits(prefilled: dict[str, str], team: str | None) -> None:
    too_long = [kind.upper() for kind, text in prefilled.items() if len(text) > RETRO_INPUT_LIMIT]
    if too_long:
        whose = f"The retrospective of {quoted(team)}" if team else "This retrospective"
        raise UserError(
            f"{whose} is too long to edit in Slack: its {' and '.join(too_long)} list passes the "
            f"{RETRO_INPUT_LIMIT} characters a Slack form box holds.",
            IMPORT_USAGE,
        )


def _list_input(block_id: str, label: str, initial: str) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=True,
        hint="One item per line.",
        element=PlainTextInputElement(
            action_id=block_id, multiline=True, max_length=RETRO_INPUT_LIMIT, initial_value=initial or None
        ),
    )


def retro_modal(
    *,
    quarter_label: str,
    team: str | None,
    good: Sequence[str],
    bad: Sequence[str],
    try_: Sequence[str],
    private_metadata: str,
    new_beside: Sequence[str] = (),
) -> dict[str, Any]:
    """The GOOD / BAD / TRY form for one team's retro, filled with its items one per line; `new_beside` names the
    teams the pages have when `team` is a new one, so a new team is never made without a word.

    Raises UserError when a list is longer than a Slack input holds (3000 characters): cutting it would lose items
    on save, so the user is sent to the handbook import instead.
    """
    prefilled = {"good": _prefill(good), "bad": _prefill(bad), "try": _prefill(try_)}
    _check_fits(prefilled, team)
    team_input = PlainTextInputElement(
        action_id=ids.OKR_RETRO_TEAM, max_length=TEAM_LIMIT, initial_value=team or None, placeholder="Infrastructure"
    )
    view = View(
        type="modal",
        callback_id=ids.OKR_RETRO_MODAL,
        private_metadata=private_metadata,
        title="Retrospective",
        submit="Save",
        close="Cancel",
        blocks=[
            context(f"Retrospective of *{escape(quarter_label)}* · one item per line; `-` or `1.` in front is fine."),
            *([context(_new_team_note(team or "", new_beside))] if new_beside else []),
            InputBlock(block_id=ids.OKR_RETRO_TEAM, label="Team", element=team_input),
            _list_input(ids.OKR_RETRO_GOOD, "GOOD: what went well", prefilled["good"]),
            _list_input(ids.OKR_RETRO_BAD, "BAD: what did not", prefilled["bad"]),
            _list_input(ids.OKR_RETRO_TRY, "TRY: what to try next quarter", prefilled["try"]),
        ],
    )
    return view.to_dict()


def _new_team_note(team: str, teams: Sequence[str]) -> str:
    """`:new: *Marketing* is a new team; the retrospectives have Infrastructure, Delivery and Development.`"""
    shown = [escape(clip(name, 60)) for name in teams[:10]]
    listed = ", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) > 1 else shown[0]
    more = f" (and {len(teams) - 10} more)" if len(teams) > 10 else ""
    return f":new: *{escape(team)}* is a new team; the retrospectives have {listed}{more}."


def _lines(view: dict[str, Any], block_id: str) -> list[str]:
    """The non-empty lines of a list input, each without one leading list marker (`- `, `1. `, `[ ] `…)."""
    found = []
    for line in (view_input(view, block_id).get("value") or "").splitlines():
        text = _LIST_MARKER.sub("", line.strip(), count=1).strip()
        if text:
            found.append(text)
    return found


def read_retro_modal(view: dict[str, Any]) -> tuple[str, list[str], list[str], list[str]]:
    """The submitted retro form as (team, good, bad, try_); raises UserError under the team box when it is blank or
    too long, and under a list that holds more than `/okr` keeps (a submission isn't held to the box's max_length)."""
    team = (view_input(view, ids.OKR_RETRO_TEAM).get("value") or "").strip()
    if not team:
        raise UserError("Name the team this retrospective is for.", field=ids.OKR_RETRO_TEAM)
    if len(team) > TEAM_LIMIT:
        raise UserError(f"Keep the team's name under {TEAM_LIMIT} characters.", field=ids.OKR_RETRO_TEAM)
    good, bad, try_ = _lines(view, ids.OKR_RETRO_GOOD), _lines(view, ids.OKR_RETRO_BAD), _lines(view, ids.OKR_RETRO_TRY)
    try:
        check_retro_lines(good=good, bad=bad, try_=try_)
    except RetroListTooLong as error:
        raise UserError(error.problem, error.usage, field=LIST_FIELDS[error.kind]) from error
    return team, good, bad, try_


# ---------------------------------------------------------------------------------------------------------------
# The posted retro


def _try_line(item_id: int, text: str, action_item: ActionItem | None, today: date) -> str:
    """`*#5* text`: a TRY goes by its id, the number `/okr try` takes, with its action item on a second line."""
    line = f"*#{item_id}* {escape(clip(text, ITEM_TEXT_LIMIT))}"
    return f"{line}\n{_action_note(action_item, today)}" if action_item is not None else line


def _try_rows(tries: Sequence[tuple[int, str, ActionItem | None]], today: date, buttons: int) -> list[Block]:
    """The TRY part: the first `buttons` TRY items without an action item get a row with a button; the lines around
    them share sections."""
    blocks: list[Block] = []
    pending = [KIND_TITLES["try"]]
    given = 0
    for item_id, text, action_item in tries:
        line = _try_line(item_id, text, action_item, today)
        if action_item is not None or given >= buttons:
            pending.append(line)
            continue
        if pending == [KIND_TITLES["try"]]:  # the title alone rides on the row rather than taking a block
            line, pending = f"{KIND_TITLES['try']}\n{line}", []
        blocks += packed_sections(pending, max_sections=RETRO_SECTIONS)
        pending = []
        blocks.append(section(line, accessory=button("Make it an action item", ids.OKR_TRY_OPEN, str(item_id))))
        given += 1
    if len(pending) == 1 and not tries:
        pending.append("_None._")
    return blocks + packed_sections(pending, max_sections=RETRO_SECTIONS)


def _try_blocks(tries: Sequence[tuple[int, str, ActionItem | None]], today: date, max_blocks: int) -> list[Block]:
    """The TRY rows with as many buttons as fit in `max_blocks`, and a note when some TRY items had to go without."""
    wanting = sum(1 for _, _, action_item in tries if action_item is None)
    for buttons in range(wanting, -1, -1):
        rows = _try_rows(tries, today, buttons)
        if buttons < wanting:
            rows.append(
                context(
                    f"A Slack message holds {MESSAGE_BLOCKS_LIMIT} blocks, so {wanting - buttons} TRY items have "
                    "no button here: `/okr try N @owner in 2 weeks` makes TRY #N an action item."
                )
            )
        if len(rows) <= max_blocks:
            return rows
    raise AssertionError("unreachable: without buttons the TRY part takes at most four blocks")


def _kind_blocks(kind: str, texts: Sequence[str], max_sections: int) -> list[Block]:
    lines = [_item_line(number, text) for number, text in enumerate(texts, start=1)]
    return packed_sections([KIND_TITLES[kind], *(lines or ["_None._"])], max_sections=max_sections)


def retro_message(
    *,
    quarter_id: int,
    team_id: int,
    quarter_label: str,
    team: str,
    items: Sequence[tuple[int, str, str, ActionItem | None]],
    today: date,
) -> Message:
    """One team's retro, posted to a channel: GOOD and BAD numbered 1, 2, …, each TRY by its `#id` (what `/okr try`
    takes), a button per TRY without an action item, and Edit (carrying the quarter's and the team's row ids).

    At most 50 blocks: the TRY rows are laid out first; GOOD and BAD take one section each, more when the TRY rows
    leave room, and end with `…and N more` when their lines do not fit. Raises nothing.
    """
    by_kind: dict[str, list[tuple[int, str, ActionItem | None]]] = {kind: [] for kind in KINDS}
    for item_id, kind, text, action_item in items:
        by_kind.setdefault(kind, []).append((item_id, text, action_item))
    good = [text for _, text, _ in by_kind["good"]]
    bad = [text for _, text, _ in by_kind["bad"]]
    head = [header(f"{quarter_label} retrospective: {team}")]
    tail = [actions(button("Edit", ids.OKR_RETRO_EDIT, retro_value(quarter_id, team_id)))]
    try_rows = _try_blocks(by_kind["try"], today, MESSAGE_BLOCKS_LIMIT - len(head) - len(tail) - 2)
    spare = MESSAGE_BLOCKS_LIMIT - len(head) - len(tail) - len(try_rows) - 2
    listed = 1 + min(RETRO_SECTIONS - 1, spare // 2)
    blocks = [*head, *_kind_blocks("good", good, listed), *_kind_blocks("bad", bad, listed), *try_rows, *tail]
    counts = _counts(len(good), len(bad), len(by_kind["try"]))
    return message(f"{escape(quarter_label)} retrospective: {escape(team)} ({counts})", blocks)


# ---------------------------------------------------------------------------------------------------------------
# DMs and replies


def retro_ask_dm(*, quarter: QuarterSpan, quarter_id: int, teams: Sequence[tuple[int, str]]) -> Message:
    """The DM after a quarter ends: a "Write the retro" button per team (`teams`: a row naming it, of any quarter's
    retrospective, and its name), or one (team named in the form) when no team is known; past 46 teams the rest are
    counted and the other-team button covers them."""
    label = escape(quarter.label)
    blocks: list[Block] = [
        section(
            f":spiral_note_pad: *{label}* ({quarter_span(quarter)}) has ended. Time for the retrospective: "
            "what went well (GOOD), what did not (BAD), and what to try next quarter (TRY)."
        )
    ]
    for team_id, team in teams[:ASK_TEAM_LIMIT]:
        write = button("Write the retro", ids.OKR_RETRO_OPEN, retro_value(quarter_id, team_id), style="primary")
        blocks.append(section(f"*{escape(team)}*", accessory=write))
    if len(teams) > ASK_TEAM_LIMIT:
        blocks.append(context(f"…and {len(teams) - ASK_TEAM_LIMIT} more teams: name yours in the form below."))
    if not teams or len(teams) > ASK_TEAM_LIMIT:
        other = button("Write the retro", ids.OKR_RETRO_OPEN, retro_value(quarter_id, None), style="primary")
        blocks.append(section("Name the team in the form.", accessory=other))
    blocks.append(context("Each TRY can become an action item for next quarter, with an owner and a due date."))
    return message(f"{label} has ended: time for the retrospective", blocks)


def retro_saved_reply(*, quarter_label: str, team: str, counts: tuple[int, int, int]) -> Message:
    """Confirmation after the retro form is saved, ephemeral."""
    return ephemeral(
        f":white_check_mark: Saved the {escape(quarter_label)} retrospective of *{escape(team)}*: {_counts(*counts)}."
    )
