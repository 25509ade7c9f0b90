"""Block Kit for `/okr tree`: one line per objective with its score, opened one at a time to its key results, and
what a tree button shows when pressed.

Builders take the values of `bot/okrs/rules.py` and return the plain dicts of `bot/blocks/common.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.blocks.common import (
    MESSAGE_BLOCKS_LIMIT,
    Block,
    Message,
    actions,
    button,
    context,
    counted,
    ephemeral,
    header,
    packed_sections,
    section,
)
from bot.okrs import ids
from bot.okrs.blocks.pieces import (
    objective_heading,
    objective_score,
    owner_text,
    page_text,
    quarter_span,
    score_text,
)
from bot.okrs.rules import KrNode, ObjectiveNode, QuarterSpan

TREE_DEPTH = 2  # key results deeper than this wait behind "Show N more"
OBJECTIVE_LINE_LIMIT = 90  # a closed objective's text in the tree, where it takes one line with its score
INDENT = "\u2003"  # an em space: Slack keeps it at the start of a line, where it drops ordinary spaces


def kr_line(node: KrNode) -> str:
    """One key result in the tree: indented by depth, `#id`, owner, text, score."""
    indent = (INDENT * (node.depth - 1) + "↳ ") if node.depth > 1 else ""
    return f"{indent}`#{node.id}` {owner_text(node)}{page_text(node.text)} · {score_text(node.score, node.status)}"


def tree_toggle(action_id: str, number: int) -> tuple[frozenset[int], frozenset[int]]:
    """What a tree button shows: (objectives open, objectives open in full). Open and Show less open the objective
    two levels deep, Show N more (OKR_TREE_MORE) in full, Close (and the old Show less, OKR_TREE_LESS, on messages
    sent before objectives opened one by one) none."""
    one = frozenset({number})
    return {ids.OKR_TREE_OPEN: (one, frozenset()), ids.OKR_TREE_MORE: (one, one)}.get(
        action_id, (frozenset(), frozenset())
    )


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


def objective_line(objective: ObjectiveNode) -> str:
    """A closed objective on one line: `*1. CEO:* Grow Incremental ACV… · ▰▰▰▰▱▱▱▱▱▱ 40% · 12 of 30 KRs scored`."""
    return f"{objective_heading(objective, OBJECTIVE_LINE_LIMIT)} · {objective_score(objective, short=True)}"


def _closed_row(quarter: QuarterSpan, objective: ObjectiveNode) -> Block:
    value = f"{quarter.label}|{objective.number}"
    return section(objective_line(objective), accessory=button("Open", ids.OKR_TREE_OPEN, value))


def _objective_blocks(quarter: QuarterSpan, listing: _Listing, *, cap: int, more: str) -> list[Block]:
    """The open objective and its score (with Close), its key results packed into at most `cap` sections, then Show
    more / less."""
    objective = listing.objective
    value = f"{quarter.label}|{objective.number}"
    blocks = [
        section(
            f"{objective_heading(objective)}\n{objective_score(objective)}",
            accessory=button("Close", ids.OKR_TREE_CLOSE, value),
        )
    ]
    blocks += packed_sections(listing.lines, max_sections=cap, more=more)
    if listing.hidden:
        blocks.append(actions(button(f"Show {listing.hidden} more", ids.OKR_TREE_MORE, value)))
    elif listing.show_less:
        blocks.append(actions(button("Show less", ids.OKR_TREE_OPEN, value)))
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
    summary = f"{counted(len(objectives), 'objective')}, {scored} of {counted(len(nodes), 'key result')} scored"
    blocks = [header(f"OKRs {label}"), context(f"{quarter_span(quarter)} · {summary}")]
    room = MESSAGE_BLOCKS_LIMIT - len(blocks) - 1  # one for the note when something is left out
    shown, left_out, cut = _tree_blocks(quarter, objectives, opened, expanded, room, single=only is not None)
    blocks += shown
    if left_out:
        blocks.append(
            context(
                f"{counted(left_out, 'more objective')} without an Open button: the tree doesn't fit in one message. "
                f"`/okr tree {label} objective N` opens one."
            )
        )
    elif cut and only is None:
        blocks.append(
            context(f"The whole tree doesn't fit in one message: `/okr tree {label} objective N` shows one in full.")
        )
    return ephemeral(f"OKRs {label}: {summary}", blocks)
