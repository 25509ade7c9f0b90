"""Block Kit for the OKR nudges: the scoring reminder an owner gets in a DM, and the quarter's digest for the OKR
channel."""

from __future__ import annotations

from collections.abc import Sequence

from bot.blocks.common import MESSAGE_BLOCKS_LIMIT, Message, context, counted, header, message, packed_sections, section
from bot.okrs.blocks.pieces import (
    OWNER_USAGE,
    SCORE_USAGE,
    day_month,
    objective_heading,
    objective_score,
    quarter_span,
    role_text,
    rows_within,
    score_row,
    users_text,
)
from bot.okrs.rules import KrNode, ObjectiveNode, QuarterSpan, Reminder

DIGEST_TEXT_LIMIT = 200  # an objective's text in the channel digest, where the scores matter more
ID_LIST_LIMIT = 25  # key-result ids listed per role in the digest


def _reminder_opening(reminder: Reminder, quarter: QuarterSpan, nodes: Sequence[KrNode]) -> str:
    """The DM's first line: which reminder, and how many of the owner's key results have no score."""
    label, end = quarter.label, day_month(quarter.end)
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
    rows = [score_row(node) for node in nodes]
    blocks += rows_within(rows, MESSAGE_BLOCKS_LIMIT - len(blocks) - 1, "`/okr mine` lists them all.")
    return message(opening, [*blocks, note])


def _id_list(nodes: Sequence[KrNode]) -> str:
    shown = " ".join(f"`#{node.id}`" for node in nodes[:ID_LIST_LIMIT])
    return f"{shown} and {len(nodes) - ID_LIST_LIMIT} more" if len(nodes) > ID_LIST_LIMIT else shown


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
    summary = f"{scored} of {counted(len(nodes), 'key result')} scored"
    blocks = [header(f"{label} OKR scores"), context(f"{quarter_span(quarter)} · {summary}")]
    scores = [f"{objective_heading(o, DIGEST_TEXT_LIMIT)}\n{objective_score(o)}" for o in objectives]
    blocks += packed_sections(scores or ["_No objectives._"], max_sections=15, more=f"`/okr tree {label}` shows them.")
    if not unscored:
        blocks.append(section(":tada: Every key result has a score."))
        return message(f"{label} OKR scores: {summary}", blocks)
    lines = ["*Unscored key results by owner*"]
    lines += [
        f"{role_text(role)} · {users_text(users)} · {len(owned)} unscored: {_id_list(owned)}"
        for role, users, owned in unscored
    ]
    room = MESSAGE_BLOCKS_LIMIT - len(blocks) - 1
    blocks += packed_sections(lines, max_sections=room, more=f"Map a role with {OWNER_USAGE}.")
    blocks.append(context(f"Owners score with `/okr mine` or {SCORE_USAGE}."))
    return message(f"{label} OKR scores: {summary}", blocks)
