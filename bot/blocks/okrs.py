"""Block Kit for quarterly OKRs (/okr): the tree, your key results and their scores, reminders, the digest, owners,
quarters and the import form.

Builders take the values of `bot/okrs/rules.py` (no database, no clock: `today` is passed in) and return the plain
dicts of `bot/blocks/common.py`; the two modals are built with `slack_sdk.models.views.View` and returned as dicts,
with their readers beside them so block ids stay in this file.

Objective and key-result texts keep the page's inline markdown. `page_text` shows them as mrkdwn: escaped, web links
as Slack links, and a relative handbook link (`/handbook/…`) as its label only, since it has no host to point at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from slack_sdk.models.blocks import CheckboxesElement, InputBlock, NumberInputElement, Option, PlainTextInputElement
from slack_sdk.models.views import View

from bot.blocks import ids
from bot.blocks.common import (
    MESSAGE_BLOCKS_LIMIT,
    WEB_URL,
    Block,
    Message,
    actions,
    button,
    context,
    ephemeral,
    header,
    link,
    mention,
    message,
    packed_sections,
    page_inputs,
    progress_bar,
    read_page_inputs,
    section,
    slack_date,
    view_input,
)
from bot.blocks.okr_retro import quarter_span
from bot.handbook.inline import read_inline
from bot.okrs.rules import COMMENT_LIMIT, KrNode, ObjectiveNode, QuarterSpan, Reminder, RoleCheck
from bot.text import clip, escape

TREE_DEPTH = 2  # key results deeper than this wait behind "Show N more"
KR_TEXT_LIMIT = 400  # a key result's text in a line, before links are made
OBJECTIVE_TEXT_LIMIT = 600
OBJECTIVE_LINE_LIMIT = 90  # a closed objective's text in the tree, where it takes one line with its score
DIGEST_TEXT_LIMIT = 200  # an objective's text in the channel digest, where the scores matter more
LINE_LIMIT = 1500  # a line longer than this once its links are made is shown without them, so no cut splits a link
ROLE_TEXT_LIMIT = 100
ID_LIST_LIMIT = 25  # key-result ids listed per role in the digest
INDENT = "\u2003"  # an em space: Slack keeps it at the start of a line, where it drops ordinary spaces
SCORE_USAGE = "`/okr score 42 70 on track after the launch`"
OWNER_USAGE = '`/okr owner "VP Eng" @someone`'
REPLACE_OPTION = "replace"
_LOOKALIKE = {"*": "∗", "_": "ˍ"}  # a role's own * or _ would end our bold or italics early

# ---------------------------------------------------------------------------------------------------------------
# Small pieces


def page_text(markdown: str, limit: int = KR_TEXT_LIMIT) -> str:
    """Page markdown as mrkdwn on one line: escaped, `[label](url)` as `<url|label>` for http(s) URLs, any other
    link (a relative `/handbook/…`, `mailto:`) as its label only; emphasis, tags and entities as `read_inline` reads
    them. The plain text is clipped to `limit` before links are made."""
    inline = read_inline(markdown)
    text = clip(" ".join(inline.text.split()), limit)
    pieces: list[str] = []
    position = 0
    # read_inline gives the links in order but not where they sit: each label is taken at its first place after the
    # previous link, which can pick an earlier copy of the same words ("docs … [docs](…)"); the text reads the same.
    for found in inline.links:
        label = " ".join(found.text.split())
        at = text.find(label, position) if label else -1
        if at < 0:
            continue  # an image without alt text, or a label the clip cut off: its text (if any) stays plain
        shown = link(found.url, label) if WEB_URL.fullmatch(found.url.strip()) else escape(label)
        pieces += [escape(text[position:at]), shown]
        position = at + len(label)
    pieces.append(escape(text[position:]))
    rendered = "".join(pieces)
    return rendered if len(rendered) <= LINE_LIMIT else escape(text)


def _emphasised(marker: str, text: str) -> str:
    """Escaped text inside `marker…marker`, with that marker's character swapped for a lookalike."""
    return f"{marker}{escape(clip(text, ROLE_TEXT_LIMIT)).replace(marker, _LOOKALIKE[marker])}{marker}"


def _role(role: str) -> str:
    """A role in bold: `*VP Eng*`."""
    return _emphasised("*", role)


def _number(value: float) -> str:
    """`70`, `62.5`: a score as people write it, without a trailing `.0`."""
    return f"{round(value, 2):g}"


def _percent(value: float | None) -> str:
    return f"{_number(value)}%" if value is not None else "not scored"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _day(value: date) -> str:
    """`31 July`: the month in full, as the OKR pages write their dates."""
    return f"{value.day} {value:%B}"


def _owner(node: KrNode) -> str:
    """`*CRO:* ` as the line writes it, `_(CRO)_ ` when the role is inherited from above, or nothing."""
    if node.owner:
        return f"{_emphasised('*', node.owner + ':')} "
    if node.role:
        return f"{_emphasised('_', '(' + node.role + ')')} "
    return ""


def _bar(score: float) -> str:
    """`▰▰▰▰▱▱▱▱▱▱ 40%`; a score above 100 fills the bar and says its number (`▰▰▰▰▰▰▰▰▰▰ 120%`), not 100."""
    bar = progress_bar(min(max(score, 0.0), 100.0) / 100).rsplit(" ", 1)[0]
    shown = round(score) if abs(score) >= 10 or score == round(score) else round(score, 1)  # 0.7% is not 1%
    return f"{bar} {shown:g}%"


def score_text(score: float | None, status: str | None = None) -> str:
    """`▰▰▰▰▱▱▱▱▱▱ 40%`, the status the page wrote beside it (`· _achieved_`) or alone, or `_not scored_`."""
    said = f"_{escape(status)}_" if status else ""
    if score is None:
        return said or "_not scored_"
    return f"{_bar(score)} · {said}" if said else _bar(score)


def kr_line(node: KrNode) -> str:
    """One key result in the tree: indented by depth, `#id`, owner, text, score."""
    indent = (INDENT * (node.depth - 1) + "↳ ") if node.depth > 1 else ""
    return f"{indent}`#{node.id}` {_owner(node)}{page_text(node.text)} · {score_text(node.score, node.status)}"


def _kr_heading(node: KrNode) -> str:
    return f"`#{node.id}` {_owner(node)}{page_text(node.text)}"


def objective_heading(objective: ObjectiveNode, limit: int = OBJECTIVE_TEXT_LIMIT) -> str:
    """`*1. CEO:* Grow revenue`."""
    if objective.owner:
        return f"{_emphasised('*', f'{objective.number}. {objective.owner}:')} {page_text(objective.text, limit)}"
    return f"*{objective.number}.* {page_text(objective.text, limit)}"


def objective_score(objective: ObjectiveNode) -> str:
    """`▰▰▰▰▰▰▱▱▱▱ 62% — mean of 12 scored KRs of 30`, or that none is scored yet."""
    scored, total = objective.scored
    if total == 0:
        return "_no key results_"
    if objective.score is None:
        return f"_no KR scored yet_ (0 of {total})"
    return f"{_bar(objective.score)} — mean of {scored} scored {'KR' if scored == 1 else 'KRs'} of {total}"


def _when(quarter: QuarterSpan, today: date) -> str:
    if today < quarter.start:
        return f"starts on {_day(quarter.start)}"
    if today > quarter.end:
        return f"ended on {_day(quarter.end)}"
    left = (quarter.end - today).days
    return "last day today" if left == 0 else f"{_count(left, 'day')} left, ends on {_day(quarter.end)}"


def _score_row(node: KrNode) -> Block:
    """A key result with its score and a Score button beside it."""
    return section(
        f"{_kr_heading(node)}\n{score_text(node.score, node.status)}",
        accessory=button("Score", ids.OKR_SCORE_OPEN, str(node.id)),
    )


def _rows_within(rows: list[Block], room: int, more: str) -> list[Block]:
    """`rows` if they fit in `room` blocks, else as many as fit and a `…and N more` line."""
    if len(rows) <= room:
        return rows
    shown = rows[: room - 1]
    return [*shown, context(f"…and {len(rows) - len(shown)} more. {more}")]


# ---------------------------------------------------------------------------------------------------------------
# Help


def okr_help(lines: Sequence[tuple[str, str]]) -> Message:
    """The /okr help from (command as written, what it does) pairs, ephemeral."""
    shown = [f"*`{escape(command)}`*: {escape(what)}" for command, what in lines]
    blocks = [
        header("Quarterly OKRs: /okr"),
        *packed_sections(shown or ["No commands yet."], max_sections=MESSAGE_BLOCKS_LIMIT - 2),
        context(
            "Scores are 0 to 100 (a share such as 0.7 reads as 70%). A key result is scored by the people mapped to "
            "its owner's role."
        ),
    ]
    commands = ", ".join(command for command, _ in lines[:4])
    return ephemeral(f"How to use /okr: {commands}" if commands else "How to use /okr", blocks)


# ---------------------------------------------------------------------------------------------------------------
# The tree


# The tree opens one objective at a time: its button's value is `quarter|number` and its action says what to show.
OKR_TREE_OPEN = "okr.tree.open"  # "Open" beside a closed objective, and "Show less" under one shown in full
OKR_TREE_CLOSE = "okr.tree.close"  # "Close" beside an open objective: every objective one line again


def tree_toggle(action_id: str, number: int) -> tuple[frozenset[int], frozenset[int]]:
    """What a tree button shows: (objectives open, objectives open in full). Open and Show less open the objective
    two levels deep, Show N more (OKR_TREE_MORE) in full, Close (and the old Show less, OKR_TREE_LESS, on messages
    sent before objectives opened one by one) none."""
    one = frozenset({number})
    return {
        OKR_TREE_OPEN: (one, frozenset()),
        ids.OKR_TREE_MORE: (one, one),
    }.get(action_id, (frozenset(), frozenset()))


def _visible(objective: ObjectiveNode, expanded: bool) -> tuple[list[KrNode], int]:
    """The key results shown, depth-first, and how many deeper ones wait behind "Show N more"."""
    nodes = objective.all_key_results()
    if expanded:
        return nodes, 0
    shown = [node for node in nodes if node.depth <= TREE_DEPTH]
    return shown, len(nodes) - len(shown)


@dataclass(frozen=True, slots=True)
class _Listing:
    """One open objective as the tree shows it: its key-result lines, how many wait behind "Show N more", whether
    it offers "Show less", and how many sections its lines take uncut."""

    objective: ObjectiveNode
    lines: list[str]
    hidden: int
    show_less: bool
    sections: int

    @property
    def fixed_blocks(self) -> int:
        """The heading, and the row with its button if it has one."""
        return 1 + bool(self.hidden or self.show_less)


def _listing(objective: ObjectiveNode, expanded: bool) -> _Listing:
    nodes, hidden = _visible(objective, expanded)
    lines = [kr_line(node) for node in nodes]
    show_less = expanded and any(node.depth > TREE_DEPTH for node in nodes)
    return _Listing(objective, lines, hidden, show_less, len(packed_sections(lines, max_sections=len(lines) or 1)))


def _short_score(objective: ObjectiveNode) -> str:
    """`▰▰▰▰▱▱▱▱▱▱ 40% · 12 of 30 KRs scored`, or that none is."""
    scored, total = objective.scored
    if total == 0:
        return "_no key results_"
    if objective.score is None:
        return f"_no KR scored yet_ (0 of {total})"
    return f"{_bar(objective.score)} · {scored} of {total} {'KR' if total == 1 else 'KRs'} scored"


def objective_line(objective: ObjectiveNode) -> str:
    """A closed objective on one line: `*1. CEO:* Grow Incremental ACV… · ▰▰▰▰▱▱▱▱▱▱ 40% · 12 of 30 KRs scored`."""
    return f"{objective_heading(objective, OBJECTIVE_LINE_LIMIT)} · {_short_score(objective)}"


def _closed_row(quarter: QuarterSpan, objective: ObjectiveNode) -> Block:
    value = f"{quarter.label}|{objective.number}"
    return section(objective_line(objective), accessory=button("Open", OKR_TREE_OPEN, value))


def _objective_blocks(quarter: QuarterSpan, listing: _Listing, *, cap: int, more: str) -> list[Block]:
    """The open objective and its score (with Close), its key results packed into at most `cap` sections, then Show
    more / less."""
    objective = listing.objective
    value = f"{quarter.label}|{objective.number}"
    blocks = [
        section(
            f"{objective_heading(objective)}\n{objective_score(objective)}",
            accessory=button("Close", OKR_TREE_CLOSE, value),
        )
    ]
    blocks += packed_sections(listing.lines, max_sections=cap, more=more)
    if listing.hidden:
        blocks.append(actions(button(f"Show {listing.hidden} more", ids.OKR_TREE_MORE, value)))
    elif listing.show_less:
        blocks.append(actions(button("Show less", OKR_TREE_OPEN, value)))
    return blocks


def _largest_cap(listings: Sequence[_Listing], spare: int) -> int:
    """The most sections each open objective's key results may take so that together they fit in `spare` (a short
    list takes only what it needs); at least one."""
    longest = max((listing.sections for listing in listings), default=1)
    fitting = [cap for cap in range(1, longest + 1) if sum(min(x.sections, cap) for x in listings) <= spare]
    return max(fitting, default=1)


def _tree_blocks(
    quarter: QuarterSpan,
    objectives: Sequence[ObjectiveNode],
    opened: frozenset[int],
    expanded: frozenset[int],
    room: int,
    single: bool,
) -> tuple[list[Block], int, bool]:
    """The objectives in at most `room` blocks: each closed one a line with Open, each open one with its key
    results; (blocks, objectives left without a button, whether any list was cut). Closed objectives past what fits
    share one last section, without buttons."""
    listings = {o.number: _listing(o, o.number in expanded) for o in objectives if o.number in opened | expanded}
    closed = [o for o in objectives if o.number not in listings]
    fixed = sum(listing.fixed_blocks for listing in listings.values())
    floor = fixed + len(listings)  # each open objective's heading, button row and at least one section of key results
    with_button = closed if len(closed) + floor <= room else closed[: max(room - floor - 1, 0)]
    rest = closed[len(with_button) :]
    cap = _largest_cap(list(listings.values()), room - fixed - len(with_button) - bool(rest))
    shown: list[Block] = []
    for objective in objectives:
        if objective.number in listings:
            more = "" if single else f"`/okr tree {quarter.label} objective {objective.number}` shows them all."
            shown += _objective_blocks(quarter, listings[objective.number], cap=cap, more=more)
        elif objective in with_button:
            shown.append(_closed_row(quarter, objective))
    if rest:
        shown += packed_sections([objective_line(o) for o in rest], max_sections=1, more="")
    return shown, len(rest), any(listing.sections > cap for listing in listings.values())


def tree_message(
    quarter: QuarterSpan,
    objectives: Sequence[ObjectiveNode],
    *,
    opened: frozenset[int] = frozenset(),
    expanded: frozenset[int] = frozenset(),
    only: int | None = None,
) -> Message:
    """`/okr tree`: one line per objective with its score and an Open button, ephemeral. An open objective (in
    `opened`, or the one `only` names) shows its key results depth-first, those deeper than two levels after
    "Show N more"; in `expanded` it shows them all. Whatever does not fit in one message is named, with the command
    that shows it."""
    label = quarter.label
    if only is not None:
        objectives = [objective for objective in objectives if objective.number == only]
        if not objectives:
            return ephemeral(f"{label} has no objective {only}. `/okr tree {label}` shows them all.")
        opened = opened | {only}
    if not objectives:
        return ephemeral(f"{label} has no objectives yet. `/okr import` loads its OKR page.")
    nodes = [node for objective in objectives for node in objective.all_key_results()]
    scored = sum(node.score is not None for node in nodes)
    summary = f"{_count(len(objectives), 'objective')}, {scored} of {_count(len(nodes), 'key result')} scored"
    blocks = [header(f"OKRs {label}"), context(f"{quarter_span(quarter)} · {summary}")]
    room = MESSAGE_BLOCKS_LIMIT - len(blocks) - 1  # one for the note when something is left out
    shown, left_out, cut = _tree_blocks(quarter, objectives, opened, expanded, room, single=only is not None)
    blocks += shown
    if left_out:
        blocks.append(
            context(
                f"{_count(left_out, 'more objective')} without an Open button: the tree doesn't fit in one message. "
                f"`/okr tree {label} objective N` opens one."
            )
        )
    elif cut and only is None:
        blocks.append(
            context(f"The whole tree doesn't fit in one message: `/okr tree {label} objective N` shows one in full.")
        )
    return ephemeral(f"OKRs {label}: {summary}", blocks)


# ---------------------------------------------------------------------------------------------------------------
# Scoring


def mine_message(quarter: QuarterSpan, nodes: Sequence[KrNode], *, today: date) -> Message:
    """`/okr mine`: the caller's key results in the quarter, each with its score and a Score button, ephemeral."""
    label = quarter.label
    if not nodes:
        return ephemeral(
            f"No key result in {label} is owned by a role mapped to you. The OKR manager (or someone who holds the "
            f'role) maps you to it as the OKR page writes it with `/okr owner "Role" @you`, e.g. {OWNER_USAGE}; '
            "`/okr owners` lists the roles."
        )
    scored = sum(node.score is not None for node in nodes)
    summary = f"{scored} of {_count(len(nodes), 'key result')} scored"
    blocks = [
        header(f"Your key results in {label}"),
        context(f"{quarter_span(quarter)} · {_when(quarter, today)} · {summary}"),
    ]
    rows = [_score_row(node) for node in nodes]
    blocks += _rows_within(rows, MESSAGE_BLOCKS_LIMIT - len(blocks), f"Score any of them with {SCORE_USAGE}.")
    return ephemeral(f"Your key results in {label}: {summary}", blocks)


HOME_ROWS = 10  # unscored key results listed on App Home; `/okr mine` has them all
HOME_OBJECTIVE_TEXT = 90


def home_section(
    quarter: QuarterSpan, objectives: Sequence[ObjectiveNode], mine: Sequence[KrNode], *, today: date
) -> list[Block]:
    """App Home: the quarter being scored, each objective's score (for everyone), then the user's own key results,
    the unscored ones with Score."""
    nodes = [node for objective in objectives for node in objective.all_key_results()]
    scored = sum(node.score is not None for node in nodes)
    blocks: list[Block] = [
        header(f"OKRs {quarter.label}"),
        context(
            f"{quarter_span(quarter)} · {_when(quarter, today)} · {scored} of {_count(len(nodes), 'key result')} scored"
        ),
    ]
    lines = [f"{objective_heading(o, HOME_OBJECTIVE_TEXT)}\n{objective_score(o)}" for o in objectives]
    blocks += packed_sections(lines, max_sections=3, more=f"`/okr tree {quarter.label}` shows them.")
    if not mine:
        return blocks
    unscored = [node for node in mine if node.score is None]
    blocks.append(section(f"*Yours:* {len(mine) - len(unscored)} of {_count(len(mine), 'key result')} scored"))
    blocks += [_score_row(node) for node in unscored[:HOME_ROWS]]
    rest = len(unscored) - HOME_ROWS
    if rest > 0:
        blocks.append(context(f"…and {rest} more unscored. `/okr mine` lists them all."))
    elif not unscored:
        blocks.append(context("All scored. `/okr mine` shows them, and a Score button changes any."))
    return blocks


def score_modal(node: KrNode, *, quarter_label: str, private_metadata: str) -> dict[str, Any]:
    """The form behind Score: the key result, a score from 0 to 100 (the current one filled in) and a comment."""
    view = View(
        type="modal",
        callback_id=ids.OKR_SCORE_MODAL,
        private_metadata=private_metadata,
        title="Score key result",
        submit="Save",
        close="Cancel",
        blocks=[
            section(f"{escape(quarter_label)} · {_kr_heading(node)}\nNow: {score_text(node.score)}"),
            InputBlock(
                block_id=ids.OKR_SCORE_VALUE,
                label="Score, 0 to 100",
                hint="A percentage; a share such as 0.7 reads as 70%.",
                element=NumberInputElement(
                    action_id=ids.OKR_SCORE_VALUE,
                    is_decimal_allowed=True,
                    min_value=0,
                    max_value=100,
                    # A page's 120% is outside what the form takes (0 to 100): the form starts empty then.
                    initial_value=_number(node.score) if node.score is not None and node.score <= 100 else None,
                ),
            ),
            InputBlock(
                block_id=ids.OKR_SCORE_COMMENT,
                label="Comment",
                optional=True,
                hint="What moved it, or what stands in the way.",
                element=PlainTextInputElement(
                    action_id=ids.OKR_SCORE_COMMENT, multiline=True, max_length=COMMENT_LIMIT
                ),
            ),
        ],
    )
    return view.to_dict()


def read_score_modal(view: dict[str, Any]) -> tuple[str, str | None]:
    """(the score as typed, the comment or None); raises nothing: `rules.check_score` and `check_comment` judge them."""
    score = (view_input(view, ids.OKR_SCORE_VALUE).get("value") or "").strip()
    comment = (view_input(view, ids.OKR_SCORE_COMMENT).get("value") or "").strip()
    return score, comment or None


def score_saved_reply(node: KrNode, *, previous: float | None, read_as: str | None = None) -> Message:
    """After a score is saved: `Scored #42 70% (was 40%)`, with the key result and, when the score was typed as a
    share, how it was read (`Read 0.7 as 70%…`, from `rules.read_score`), ephemeral."""
    was = f"was {_percent(previous)}" if previous is not None else "its first score"
    text = f"Scored #{node.id} {_percent(node.score)} ({was})" + (f". {read_as}" if read_as else "")
    blocks = [
        section(f":white_check_mark: Scored `#{node.id}` *{_percent(node.score)}* ({was})\n{_kr_heading(node)}"),
        *([context(f":information_source: {read_as}")] if read_as else []),
        context(score_text(node.score)),
    ]
    return ephemeral(text, blocks)


def saved_modal(title: str, saved: str, notes: Sequence[str]) -> dict[str, Any]:
    """What a form shows in place when its change was saved but something after it failed: the saved reply's text
    (already escaped), then what didn't happen and the fix."""
    view = View(
        type="modal",
        title=title,
        close="Close",
        blocks=[section(saved), section(":warning: " + " ".join(notes))],
    )
    return view.to_dict()


def whole_quarter_warning(quarter: QuarterSpan, reminded_as: QuarterSpan) -> str:
    """Why a quarter that isn't three whole months gets its reminders on another quarter's days."""
    return (
        f"{quarter.label} runs {quarter_span(quarter)}, not three whole months from the 1st: its reminders follow the "
        f"quarter it starts in, {quarter_span(reminded_as)} (mid-quarter on the 15th of its second month, the "
        "retrospective the day after it ends), so they may come early or late for it."
    )


def score_history_message(
    node: KrNode, entries: Sequence[tuple[float, str | None, str, datetime]], *, timezone: str | None = None
) -> Message:
    """Every score of a key result, newest first: (score, comment, user id, when), ephemeral, so its times' fallback
    text is in `timezone`, its one reader's zone."""
    if not entries:
        return ephemeral(f"#{node.id} has no score yet. Score it with {SCORE_USAGE}.")
    lines = []
    for score, comment, user_id, when in sorted(entries, key=lambda entry: entry[3], reverse=True):
        line = f"{slack_date(when, timezone=timezone)} · {mention(user_id, nobody='someone')} · *{_percent(score)}*"
        lines.append(f"{line} — {escape(clip(comment, COMMENT_LIMIT))}" if comment else line)
    blocks = [section(f"{_kr_heading(node)}\n{score_text(node.score, node.status)}")]
    blocks += packed_sections(lines, max_sections=MESSAGE_BLOCKS_LIMIT - len(blocks))
    return ephemeral(f"Score history of #{node.id}: {_count(len(entries), 'score')}", blocks)


# ---------------------------------------------------------------------------------------------------------------
# Reminders and the digest


def _reminder_opening(reminder: Reminder, quarter: QuarterSpan, nodes: Sequence[KrNode]) -> str:
    """The DM's first line: which reminder, and how many of the owner's key results have no score."""
    label, end = quarter.label, _day(quarter.end)
    if reminder == Reminder.RETRO:
        return f"{label} ended on {end}: time to look back on your key results for the retrospective."
    if reminder == Reminder.MID_QUARTER:
        opening = f"Mid-quarter check on {label}"
    elif reminder == Reminder.TWO_WEEKS_LEFT:
        opening = f"Two weeks left in {label} (it ends on {end})"
    else:
        opening = f"Last call: {label} ended on {end}"
    unscored = sum(node.score is None for node in nodes)
    if not unscored:
        return f"{opening}: every key result of yours has a score. Update any that moved."
    total = "" if unscored == len(nodes) else f" {len(nodes)}"
    have = "has" if unscored == 1 else "have"
    if reminder == Reminder.LAST_CALL:
        return (
            f"{opening}; {unscored} of your{total} key results still {have} no score. "
            "Score them now: the quarter's scores go to the OKR channel."
        )
    return f"{opening}: {unscored} of your{total} key results {have} no score yet."


def reminder_dm(reminder: Reminder, quarter: QuarterSpan, nodes: Sequence[KrNode]) -> Message:
    """The DM a reminder sends an owner: what is due, then each key result with a Score button."""
    opening = _reminder_opening(reminder, quarter, nodes)
    blocks = [section(f":alarm_clock: {opening}" if reminder != Reminder.RETRO else f":mag: {opening}")]
    note = context(f"Score with the buttons, or {SCORE_USAGE}. `/okr mine` lists your key results.")
    rows = [_score_row(node) for node in nodes]
    blocks += _rows_within(rows, MESSAGE_BLOCKS_LIMIT - len(blocks) - 1, "`/okr mine` lists them all.")
    return message(opening, [*blocks, note])


def _id_list(nodes: Sequence[KrNode]) -> str:
    shown = " ".join(f"`#{node.id}`" for node in nodes[:ID_LIST_LIMIT])
    return f"{shown} and {len(nodes) - ID_LIST_LIMIT} more" if len(nodes) > ID_LIST_LIMIT else shown


def _users(user_ids: Sequence[str]) -> str:
    return ", ".join(mention(user_id) for user_id in user_ids) or "_no one mapped_"


def digest_message(
    quarter: QuarterSpan,
    objectives: Sequence[ObjectiveNode],
    unscored: Sequence[tuple[str, Sequence[str], Sequence[KrNode]]],
) -> Message:
    """The quarter's scores for the OKR channel: each objective's score, then the unscored key results by owner
    (role, its users, its unscored key results)."""
    label = quarter.label
    nodes = [node for objective in objectives for node in objective.all_key_results()]
    scored = sum(node.score is not None for node in nodes)
    summary = f"{scored} of {_count(len(nodes), 'key result')} scored"
    blocks = [header(f"{label} OKR scores"), context(f"{quarter_span(quarter)} · {summary}")]
    scores = [f"{objective_heading(o, DIGEST_TEXT_LIMIT)}\n{objective_score(o)}" for o in objectives]
    blocks += packed_sections(scores or ["_No objectives._"], max_sections=15, more=f"`/okr tree {label}` shows them.")
    if not unscored:
        blocks.append(section(":tada: Every key result has a score."))
        return message(f"{label} OKR scores: {summary}", blocks)
    lines = ["*Unscored key results by owner*"]
    lines += [
        f"{_role(role)} · {_users(users)} · {len(owned)} unscored: {_id_list(owned)}" for role, users, owned in unscored
    ]
    room = MESSAGE_BLOCKS_LIMIT - len(blocks) - 1
    blocks += packed_sections(lines, max_sections=room, more=f"Map a role with {OWNER_USAGE}.")
    blocks.append(context(f"Owners score with `/okr mine` or {SCORE_USAGE}."))
    return message(f"{label} OKR scores: {summary}", blocks)


# ---------------------------------------------------------------------------------------------------------------
# Owners and quarters


def owners_message(
    mapped: Sequence[tuple[str, Sequence[str]]], missing: Sequence[str], *, quarter_label: str | None
) -> Message:
    """`/okr owners`: each role with the people mapped to it, then the quarter's roles no one is mapped to."""
    blocks = [header("OKR owners")]
    mapped_lines = [f"{_role(name)} · {_users(users)}" for name, users in mapped]
    blocks += packed_sections(mapped_lines or ["No role is mapped to anyone yet."], max_sections=20, more="")
    where = f" in {escape(quarter_label)}" if quarter_label else ""
    if missing:
        # A real quarter names dozens of roles: a paragraph reads better than a line each.
        blocks.append(section(f"*{_count(len(missing), 'role')} with no one mapped*{where}"))
        blocks += packed_sections(
            [escape(name) for name in missing], max_sections=MESSAGE_BLOCKS_LIMIT - len(blocks) - 1, separator=" · "
        )
    elif quarter_label:
        blocks.append(section(f"Every role{where} has someone mapped."))
    blocks.append(context(f'Map a role as the OKR page writes it: `/okr owner "Role" @someone`, e.g. {OWNER_USAGE}.'))
    text = f"{_count(len(mapped), 'role')} mapped, {len(missing)} with no one mapped"
    return ephemeral(text, blocks)


def owner_mapped_reply(role: str, users: Sequence[str], *, added: bool, check: RoleCheck, people: str) -> Message:
    """After `/okr owner "<role>" @person …`: who holds the role now; when no imported page names the role (no key
    result's role nor retrospective team), a warning with the closest roles the pages name, each as the command
    that maps it instead, and the command that takes this mapping back. `people` is as typed (`@bob`)."""
    held = (
        f"*{escape(role)}* is now held by {_users(users)}."
        if added
        else f"*{escape(role)}* is already held by {_users(users)}; nothing changed."
    )
    opening = f":white_check_mark: {held}" if added else f":information_source: {held}"
    if check.owns:
        return ephemeral(opening)
    if not check.checked:
        note = "No quarter is imported yet, so I couldn't check the role against a page: name it as the page will."
        return ephemeral(opening, [section(opening), context(note)])
    who = escape(people) or "@someone"
    warning = (
        f":warning: No key result or retrospective team in the imported quarters is owned by *{escape(role)}*, so "
        "holding it brings no reminders and scores nothing."
    )
    if check.closest:
        roles = " or ".join(f"*{escape(name)}*" for name in check.closest)
        fixes = "\n".join(f'`/okr owner "{escape(name)}" {who}`' for name in check.closest)
        warning += f" The pages name {roles}:\n{fixes}"
    else:
        warning += " `/okr owners` lists the roles the pages name."
    undo = f'Kept as you wrote it. `/okr owner remove "{escape(role)}" {who}` takes it back.'
    return ephemeral(f"{held} No imported page names that role.", [section(opening), section(warning), context(undo)])


def quarters_message(rows: Sequence[tuple[QuarterSpan, int, int, int]]) -> Message:
    """`/okr quarters`: each imported quarter with its dates and counts: (span, objectives, key results, scored)."""
    if not rows:
        return ephemeral("No OKR quarter is imported yet. `/okr import` loads a quarter's OKR page.")
    lines = [
        f"*{escape(span.label)}* · {quarter_span(span)} · {_count(objectives, 'objective')} · "
        f"{_count(key_results, 'key result')} · {scored} scored"
        for span, objectives, key_results, scored in rows
    ]
    blocks = [header("Imported OKR quarters"), *packed_sections(lines, max_sections=MESSAGE_BLOCKS_LIMIT - 2)]
    blocks.append(context("`/okr tree QUARTER` shows one."))
    return ephemeral(f"{_count(len(rows), 'imported quarter')}", blocks)


# ---------------------------------------------------------------------------------------------------------------
# Import


def import_modal(*, quarter: str | None, private_metadata: str) -> dict[str, Any]:
    """The form behind `/okr import`: the quarter, the page pasted in two parts or attached, and whether to replace
    a quarter already imported."""
    view = View(
        type="modal",
        callback_id=ids.OKR_IMPORT_MODAL,
        private_metadata=private_metadata,
        title="Import OKRs",
        submit="Import",
        close="Cancel",
        blocks=[
            section(
                "Paste the markdown of the quarter's OKR page, or attach it as a file. "
                "A page longer than 3000 characters goes in two parts: cut it at a line break."
            ),
            InputBlock(
                block_id=ids.OKR_IMPORT_QUARTER,
                label="Quarter",
                optional=True,
                hint="Empty: the quarter the page's title names.",
                element=PlainTextInputElement(
                    action_id=ids.OKR_IMPORT_QUARTER,
                    initial_value=quarter or None,
                    max_length=40,
                    placeholder="FY20-Q2",
                ),
            ),
            *page_inputs(
                page=ids.OKR_IMPORT_PAGE,
                more=ids.OKR_IMPORT_PAGE_MORE,
                file=ids.OKR_IMPORT_FILE,
                placeholder="### 1. CEO: Grow revenue",
            ),
            InputBlock(
                block_id=ids.OKR_IMPORT_REPLACE,
                label="If the quarter is already imported",
                optional=True,
                element=CheckboxesElement(
                    action_id=ids.OKR_IMPORT_REPLACE,
                    options=[Option(value=REPLACE_OPTION, label="Replace the quarter if it is already imported")],
                ),
            ),
        ],
    )
    return view.to_dict()


def read_import_modal(view: dict[str, Any]) -> tuple[str | None, str, list[str], bool]:
    """(the quarter typed or None, the pasted page, the attached file ids, whether to replace).

    Raises UserError, under the first paste box, when no page was given, or under the file when both were."""
    quarter = (view_input(view, ids.OKR_IMPORT_QUARTER).get("value") or "").strip() or None
    text, files = read_page_inputs(
        view, page=ids.OKR_IMPORT_PAGE, more=ids.OKR_IMPORT_PAGE_MORE, file=ids.OKR_IMPORT_FILE
    )
    picked = view_input(view, ids.OKR_IMPORT_REPLACE).get("selected_options") or []
    replace = any(option.get("value") == REPLACE_OPTION for option in picked)
    return quarter, text, files, replace


REPORT_SECTIONS = 4  # the import report's sections at most (the reply stays far below Slack's 50 blocks)


def import_reply(
    quarter: QuarterSpan,
    *,
    objectives: int,
    key_results: int,
    scored: int,
    retro_teams: int,
    replaced: bool,
    reminded_as: QuarterSpan | None = None,
    report: str | None = None,
) -> Message:
    """After an import: what was saved, the import report (`ImportReport.as_mrkdwn()`, already escaped: what was read,
    kept as written, skipped and to check), a warning when the quarter isn't three whole months (the reminders then
    follow `reminded_as`, the quarter it starts in), and what to do next; ephemeral."""
    label = quarter.label
    done = "Replaced" if replaced else "Imported"
    counts = f"{_count(objectives, 'objective')}, {_count(key_results, 'key result')} ({scored} scored)"
    retro = f", the retrospective of {_count(retro_teams, 'team')}" if retro_teams else ""
    text = f"{done} {label} ({quarter_span(quarter)}): {counts}{retro}."
    blocks = [section(f":white_check_mark: {text}")]
    if report:
        blocks += packed_sections(report.split("\n"), max_sections=REPORT_SECTIONS)
    if reminded_as is not None:
        blocks.append(section(f":warning: {whole_quarter_warning(quarter, reminded_as)}"))
    blocks += [
        section(
            f"*Next*\n`/okr tree {label}` shows the objectives and key results.\n"
            f"`/okr owners {label}` lists the roles that own key results and who is mapped to each; "
            f"map the rest with {OWNER_USAGE}, so their owners can score and get reminders."
        ),
    ]
    return ephemeral(text, blocks)
