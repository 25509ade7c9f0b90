"""Block Kit for the program's numbers: the quarter's funnel (`/cocreate pipeline` and the weekly digest), the
targets, and the contribution metrics (after `/cocreate contribution` and in the quarterly business review)."""

from __future__ import annotations

from datetime import date

from bot.blocks.common import Block, Message, context, ephemeral, header, message, progress_bar, section
from bot.cocreate import rules
from bot.text import escape


def _bar(value: float | None, target: float) -> str:
    return progress_bar((value or 0) / target) if target else "—"


ADD_FIRST = (
    '`/cocreate add "Acme Corp"` adds one in a form, and `python app.py cocreate import prospects.csv` '
    "imports many from a CSV file"
)


def _short_pipeline(funnel: rules.Funnel, next_prospects: list[str], *, has_prospects: bool) -> Block:
    """The warning that the pipeline is short, naming whom to contact next, or how to add prospects when none is
    left to contact."""
    t = funnel.targets
    needed = rules.counted(funnel.projects_still_needed, "project")
    said = (
        f":warning: The pipeline is {funnel.short_by} short of {funnel.pipeline_target} "
        f"({t.pipeline_multiple:g}x the {needed} still needed)."
    )
    if next_prospects:
        return section(f"{said} Next to contact: {', '.join(f'*{escape(n)}*' for n in next_prospects)}.")
    if not has_prospects:
        return section(f"{said} There are no prospects yet: {ADD_FIRST}.")
    return section(f"{said} Every open prospect is contacted and scored; to add more, {ADD_FIRST}.")


def pipeline_message(
    funnel: rules.Funnel,
    *,
    today: date,
    next_prospects: list[str],
    has_prospects: bool = True,
    digest: bool = False,
    stalled: rules.Stalled | None = None,
) -> Message:
    """The quarter's funnel against its targets, with a progress bar per target, under the quarter's days and how much
    of it is left on `today`; a short pipeline comes first, and `stalled` (rules.Stalled) names the longest-stalled
    outreach, the rest as a count."""
    t = funnel.targets
    conversion = f"{funnel.conversion:.0%}" if funnel.conversion is not None else "—"
    median = f"{funnel.median_days_to_start:.0f}" if funnel.median_days_to_start is not None else "—"
    mean = f"{funnel.mean_days_to_start:.0f}" if funnel.mean_days_to_start is not None else "—"
    lines = [
        f"*Prospects in pipeline*: {funnel.in_pipeline} of {t.pipeline_size} ({t.pipeline_multiple:g}x) "
        f"{_bar(funnel.in_pipeline, t.pipeline_size)}",
        f"*Meetings scheduled*: {funnel.meetings_scheduled}",
        f"*Active conversations*: {funnel.active_conversations}",
        f"*Projects initiated*: {funnel.projects_initiated} of {t.projects_per_quarter} "
        f"{_bar(funnel.projects_initiated, t.projects_per_quarter)}",
        f"*Conversion*: {conversion} vs {t.conversion:.0%} {_bar(funnel.conversion, t.conversion)}",
        f"*Days from contact to start*: median {median}, mean {mean} vs {t.days_min}–{t.days_max}",
    ]
    when = rules.quarter_line(funnel.quarter, today)
    blocks: list[Block] = [header(f"Co-create pipeline {when}")]
    if funnel.short_by:
        blocks.append(_short_pipeline(funnel, next_prospects, has_prospects=has_prospects))
    blocks.append(section("\n".join(lines)))
    if stalled is not None and stalled.count:
        stuck = [
            f"*{escape(name)}*: {escape(label)} for {rules.counted(days, 'day')}"
            for name, label, days in stalled.longest
        ]
        if stalled.count > len(stuck):
            stuck.append(f"…and {stalled.count - len(stuck)} more")
        blocks.append(
            section(
                f":snail: *{rules.counted(stalled.count, 'prospect')} stalled past "
                f"{'its' if stalled.count == 1 else 'their'} share of the {t.weeks_min}–{t.weeks_max} week window*"
                "\n" + "\n".join(stuck)
            )
        )
    projects = rules.counted(t.projects_per_quarter, "project")
    text = f"Co-create pipeline {when}: {funnel.projects_initiated}/{projects}"
    return message(text, blocks) if digest else {**message(text, blocks), "response_type": "ephemeral"}


def targets_message(targets: rules.Targets) -> Message:
    """`/cocreate targets`: the quarter's targets."""
    text = (
        f"{rules.counted(targets.projects_per_quarter, 'project')} a quarter · pipeline {targets.pipeline_multiple:g}x "
        f"({targets.pipeline_size}) · conversion {targets.conversion:.0%} · "
        f"{targets.weeks_min}–{targets.weeks_max} weeks from contact to start"
    )
    return ephemeral(
        "Co-create targets",
        [
            header("Co-create targets"),
            section(text),
            context("`/cocreate targets projects 8 conversion 40% weeks 6-9`"),
        ],
    )


def contributions_message(org: str, metrics: rules.ContributionMetrics) -> Message:
    """After `/cocreate contribution`: the org's count and the program's contribution metrics."""
    count = rules.counted(metrics.per_org.get(org, 0), "contribution")
    return ephemeral(
        f":white_check_mark: Recorded. *{escape(org)}* has {count}. Program: "
        f"{metrics.total:,} in all, {_repeat(metrics)} of organizations contributed more than once, "
        f"mean time between contributions {_between(metrics)}."
    )


def business_review_message(orgs: list[str], metrics: rules.ContributionMetrics) -> Message:
    """The quarterly business-review reminder: contributions per project, repeat share, time between contributions."""
    lines = [
        f"*{escape(org)}*: {rules.counted(metrics.per_org.get(org, 0), 'contribution')} since the project"
        for org in orgs[:30]
    ]
    blocks: list[Block] = [
        section(":bar_chart: *Quarterly business review: co-create contributions*"),
        section("\n".join(lines) or "No projects of yours have started yet."),
        context(
            f"Program: {rules.counted(metrics.total, 'contribution')}, {_repeat(metrics)} of organizations "
            f"contributed more than once, {_between(metrics)} between contributions on average."
        ),
    ]
    return message("Quarterly business review: co-create contributions", blocks)


def _repeat(metrics: rules.ContributionMetrics) -> str:
    return f"{metrics.repeat_share:.0%}" if metrics.repeat_share is not None else "—"


def _between(metrics: rules.ContributionMetrics) -> str:
    days = metrics.mean_days_between
    return rules.counted(round(days), "day") if days is not None else "—"
