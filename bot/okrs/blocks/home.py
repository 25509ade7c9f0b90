"""The OKR section of App Home: the quarter being scored, each objective's score, the user's own key results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.blocks.common import Block, context, counted, header, packed_sections, section
from bot.okrs.blocks.pieces import objective_heading, objective_score, quarter_span, score_row, when_text
from bot.okrs.rules import KrNode, ObjectiveNode, QuarterSpan

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
            f"{quarter_span(quarter)} · {when_text(quarter, today)} · "
            f"{scored} of {counted(len(nodes), 'key result')} scored"
        ),
    ]
    lines = [f"{objective_heading(o, HOME_OBJECTIVE_TEXT)}\n{objective_score(o)}" for o in objectives]
    blocks += packed_sections(lines, max_sections=3, more=f"`/okr tree {quarter.label}` shows them.")
    if not mine:
        return blocks
    unscored = [node for node in mine if node.score is None]
    blocks.append(section(f"*Yours:* {len(mine) - len(unscored)} of {counted(len(mine), 'key result')} scored"))
    blocks += [score_row(node) for node in unscored[:HOME_ROWS]]
    rest = len(unscored) - HOME_ROWS
    if rest > 0:
        blocks.append(context(f"…and {rest} more unscored. `/okr mine` lists them all."))
    elif not unscored:
        blocks.append(context("All scored. `/okr mine` shows them, and a Score button changes any."))
    return blocks
