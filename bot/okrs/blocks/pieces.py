"""The small pieces every /okr surface shares: page markdown as mrkdwn, roles, score bars, a key result's and an
objective's heading, a quarter's dates, a Score row, and the form shown when a save went through but what came after
did not.

Objective and key-result texts keep the page's inline markdown. `page_text` shows them as mrkdwn: escaped, web links
as Slack links, and a relative handbook link (`/handbook/…`) as its label only, since it has no host to point at.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.views import View

from bot.blocks.common import WEB_URL, Block, button, context, counted, link, mention, progress_bar, section
from bot.handbook.inline import read_inline
from bot.okrs import ids
from bot.okrs.rules import KrNode, ObjectiveNode, QuarterSpan
from bot.text import clip, escape

KR_TEXT_LIMIT = 400  # a key result's text in a line, before links are made
OBJECTIVE_TEXT_LIMIT = 600
LINE_LIMIT = 1500  # a line longer than this once its links are made is shown without them, so no cut splits a link
ROLE_TEXT_LIMIT = 100
SCORE_USAGE = "`/okr score 42 70 on track after the launch`"
OWNER_USAGE = '`/okr owner "VP Eng" @someone`'
_LOOKALIKE = {"*": "∗", "_": "ˍ"}  # a role's own * or _ would end our bold or italics early


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


def emphasised(marker: str, text: str) -> str:
    """Escaped text inside `marker…marker`, with that marker's character swapped for a lookalike."""
    return f"{marker}{escape(clip(text, ROLE_TEXT_LIMIT)).replace(marker, _LOOKALIKE[marker])}{marker}"


def role_text(role: str) -> str:
    """A role in bold: `*VP Eng*`."""
    return emphasised("*", role)


def day_month(value: date) -> str:
    """`31 July`: the month in full, as the OKR pages write their dates."""
    return f"{value.day} {value:%B}"


def owner_text(node: KrNode) -> str:
    """`*CRO:* ` as the line writes it, `_(CRO)_ ` when the role is inherited from above, or nothing."""
    if node.owner:
        return f"{emphasised('*', node.owner + ':')} "
    if node.role:
        return f"{emphasised('_', '(' + node.role + ')')} "
    return ""


def bar(score: float) -> str:
    """`▰▰▰▰▱▱▱▱▱▱ 40%`; a score above 100 fills the bar and says its number (`▰▰▰▰▰▰▰▰▰▰ 120%`), not 100."""
    filled = progress_bar(min(max(score, 0.0), 100.0) / 100).rsplit(" ", 1)[0]
    shown = round(score) if abs(score) >= 10 or score == round(score) else round(score, 1)  # 0.7% is not 1%
    return f"{filled} {shown:g}%"


def score_text(score: float | None, status: str | None = None) -> str:
    """`▰▰▰▰▱▱▱▱▱▱ 40%`, the status the page wrote beside it (`· _achieved_`) or alone, or `_not scored_`."""
    said = f"_{escape(status)}_" if status else ""
    if score is None:
        return said or "_not scored_"
    return f"{bar(score)} · {said}" if said else bar(score)


def kr_heading(node: KrNode) -> str:
    return f"`#{node.id}` {owner_text(node)}{page_text(node.text)}"


def objective_heading(objective: ObjectiveNode, limit: int = OBJECTIVE_TEXT_LIMIT) -> str:
    """`*1. CEO:* Grow revenue`."""
    if objective.owner:
        return f"{emphasised('*', f'{objective.number}. {objective.owner}:')} {page_text(objective.text, limit)}"
    return f"*{objective.number}.* {page_text(objective.text, limit)}"


def objective_score(objective: ObjectiveNode, *, short: bool = False) -> str:
    """`▰▰▰▰▰▰▱▱▱▱ 62% — mean of 12 scored KRs of 30` (`short`: `▰▰▰▰▰▰▱▱▱▱ 62% · 12 of 30 KRs scored`, as a closed
    objective's line in the tree says it), or that none is scored yet."""
    scored, total = objective.scored
    if total == 0:
        return "_no key results_"
    if objective.score is None:
        return f"_no KR scored yet_ (0 of {total})"
    if short:
        return f"{bar(objective.score)} · {scored} of {total} {'KR' if total == 1 else 'KRs'} scored"
    return f"{bar(objective.score)} — mean of {scored} scored {'KR' if scored == 1 else 'KRs'} of {total}"


def when_text(quarter: QuarterSpan, today: date) -> str:
    if today < quarter.start:
        return f"starts on {day_month(quarter.start)}"
    if today > quarter.end:
        return f"ended on {day_month(quarter.end)}"
    left = (quarter.end - today).days
    return "last day today" if left == 0 else f"{counted(left, 'day')} left, ends on {day_month(quarter.end)}"


def score_row(node: KrNode) -> Block:
    """A key result with its score and a Score button beside it."""
    return section(
        f"{kr_heading(node)}\n{score_text(node.score, node.status)}",
        accessory=button("Score", ids.OKR_SCORE_OPEN, str(node.id)),
    )


def rows_within(rows: list[Block], room: int, more: str) -> list[Block]:
    """`rows` if they fit in `room` blocks, else as many as fit and a `…and N more` line."""
    if len(rows) <= room:
        return rows
    shown = rows[: room - 1]
    return [*shown, context(f"…and {len(rows) - len(shown)} more. {more}")]


def users_text(user_ids: Sequence[str]) -> str:
    return ", ".join(mention(user_id) for user_id in user_ids) or "_no one mapped_"


def saved_modal(title: str, saved: str, notes: Sequence[str]) -> dict[str, Any]:
    """What a form shows in place when its change was saved but something after it failed: the saved reply's text
    (already escaped), then what didn't happen and the fix."""
    view = View(
        type="modal", title=title, close="Close", blocks=[section(saved), section(":warning: " + " ".join(notes))]
    )
    return view.to_dict()


def quarter_span(quarter: QuarterSpan) -> str:
    """`1 Aug – 31 Oct 2019`, with the first year too when the quarter spans two."""
    start = f"{quarter.start.day} {quarter.start:%b}"
    if quarter.start.year != quarter.end.year:
        start += f" {quarter.start.year}"
    return f"{start} – {quarter.end.day} {quarter.end:%b %Y}"
