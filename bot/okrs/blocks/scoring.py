"""Block Kit for scoring: `/okr mine`, the Score form (its reader beside it), the saved reply and a key result's
score history.

Builders take the values of `bot/okrs/rules.py` (no database, no clock: `today` is passed in)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from slack_sdk.models.blocks import InputBlock, NumberInputElement, PlainTextInputElement
from slack_sdk.models.views import View

from bot.blocks.common import (
    MESSAGE_BLOCKS_LIMIT,
    Message,
    context,
    counted,
    ephemeral,
    header,
    mention,
    packed_sections,
    section,
    slack_date,
    view_input,
)
from bot.okrs import ids
from bot.okrs.blocks.pieces import (
    OWNER_USAGE,
    SCORE_USAGE,
    kr_heading,
    quarter_span,
    rows_within,
    score_row,
    score_text,
    when_text,
)
from bot.okrs.rules import COMMENT_LIMIT, KrNode, QuarterSpan
from bot.text import clip, escape


def _number(value: float) -> str:
    """`70`, `62.5`: a score as people write it, without a trailing `.0`."""
    return f"{round(value, 2):g}"


def _percent(value: float | None) -> str:
    return f"{_number(value)}%" if value is not None else "not scored"


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
    summary = f"{scored} of {counted(len(nodes), 'key result')} scored"
    blocks = [
        header(f"Your key results in {label}"),
        context(f"{quarter_span(quarter)} · {when_text(quarter, today)} · {summary}"),
    ]
    rows = [score_row(node) for node in nodes]
    blocks += rows_within(rows, MESSAGE_BLOCKS_LIMIT - len(blocks), f"Score any of them with {SCORE_USAGE}.")
    return ephemeral(f"Your key results in {label}: {summary}", blocks)


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
            section(f"{escape(quarter_label)} · {kr_heading(node)}\nNow: {score_text(node.score)}"),
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
        section(f":white_check_mark: Scored `#{node.id}` *{_percent(node.score)}* ({was})\n{kr_heading(node)}"),
        *([context(f":information_source: {read_as}")] if read_as else []),
        context(score_text(node.score)),
    ]
    return ephemeral(text, blocks)


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
    blocks = [section(f"{kr_heading(node)}\n{score_text(node.score, node.status)}")]
    blocks += packed_sections(lines, max_sections=MESSAGE_BLOCKS_LIMIT - len(blocks))
    return ephemeral(f"Score history of #{node.id}: {counted(len(entries), 'score')}", blocks)
