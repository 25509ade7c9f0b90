"""Block Kit for prospects and their scores: `/cocreate top`, the reply after scoring, and the scoring weights."""

from __future__ import annotations

from bot.blocks.common import Message, context, ephemeral, header, section
from bot.cocreate import rules
from bot.text import escape


def top_message(ranked: list[rules.RankedProspect]) -> Message:
    """`/cocreate top [N]`: prospects by tier, then score (0–100), with what is missing."""
    if not ranked:
        return ephemeral('No open prospects yet. `/cocreate add "Acme Corp"` adds one.')
    lines = []
    for number, row in enumerate(ranked, start=1):
        score = rules.score_shown(row.score, row.scored)
        extra = " · contacted" if row.contacted else ""
        lines.append(f"*{number}.* {escape(row.name)} · tier {int(row.tier)} · {score}{extra}")
    chunks = [section("\n".join(lines[i : i + 40])) for i in range(0, len(lines), 40)][:45]
    top = "Top" if len(ranked) == 1 else f"Top {len(ranked)}"
    prospects = "prospect" if len(ranked) == 1 else "prospects"
    return ephemeral(f"{top} {prospects}", [header(f"{top} co-create {prospects}"), *chunks])


def prospect_score_reply(name: str, score: float | None, tier: rules.Tier, *, scored: int) -> Message:
    """After `/cocreate score` or a form: the total (saying when only `scored` of the seven criteria are), and the
    tier now."""
    total = rules.score_shown(score, scored)
    scores = "is not scored yet" if total == "not scored yet" else f"scores {total}"
    return ephemeral(f":white_check_mark: *{escape(name)}* {scores}, tier {int(tier)}.")


def weights_message(weights: dict[rules.Criterion, float]) -> Message:
    """`/cocreate weights`: each criterion's weight."""
    lines = [f"{escape(rules.CRITERION_LABELS[c])}: {w:g}" for c, w in weights.items()]
    return ephemeral(
        "Scoring weights",
        [
            header("Scoring weights"),
            section("\n".join(lines)),
            context("`/cocreate weights public-issues 2 relationship 1.5`"),
        ],
    )
