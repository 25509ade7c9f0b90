"""Block Kit for co-create outreach: the checklist message (updated in place), help, and the skip form."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.blocks import common, ids
from bot.blocks.common import Block, Message, actions, button, context, ephemeral, header, message, section
from bot.cocreate import rules
from bot.errors import UserError
from bot.text import escape
from models import OutreachStep, Prospect, StepState

COCREATE_HELP = """\
*`/cocreate setup [#channel] [manager @someone]`*: the program's home channel and manager.
*`/cocreate add ["Org"]`*: a prospect, in a form with every field. \
*`/cocreate score "Org" public-issues 4 relationship 3 …`* (0–5; `feature-usage`, `tier-seats`, `industry`, `oss`, \
`growth`) · *`/cocreate tier "Org" 1 reason "…"`* / *`auto`* · *`/cocreate top [N]`*
*`/cocreate start "Org" [in #channel | new-channel]`*: the outreach checklist, one message, a row per step.
*`/cocreate step "Org" <step> done|skip "reason"|due <date>|reassign @someone|reopen`*: steps are `contact`, \
`follow-up`, `meeting`, `outcomes`, `started`, `contributions` (or 1–6). *`/cocreate steps "Org"`*
*`/cocreate meeting "Org" <date> [with @u …]`* · *`/cocreate outcome "Org" started|declined "why"|deferred <date>`*
*`/cocreate pipeline [FY26-Q1]`* · *`/cocreate contribution "Org" mr|issue|comment <link>`*
*`/cocreate resources [add "Label" <link> | remove N]`* · *`/cocreate targets […]`* · *`/cocreate weights […]`*
"""
STATE_MARK = {
    StepState.OPEN: ":white_large_square:",
    StepState.DONE: ":white_check_mark:",
    StepState.SKIPPED: ":fast_forward:",
}


def cocreate_help() -> Message:
    """The /cocreate help, ephemeral."""
    return ephemeral("How to use /cocreate", [header("Co-create outreach: /cocreate"), section(COCREATE_HELP)])


def _day(value: date | None, today: date) -> str:
    if value is None:
        return "no due date"
    late = " (late)" if value < today else ""
    return f"{value:%a %-d %b}{late}"


def step_line(number: int, step: OutreachStep, today: date) -> str:
    """`1. ✅ Initial contact … · @csm · due Mon 3 Feb · done by @x`."""
    spec = rules.STEP_SPECS[rules.Step(step.key)]
    state = StepState(step.state)
    parts = [f"{STATE_MARK[state]} *{number}.* {escape(spec.label)}", f"<@{step.owner_id}>" if step.owner_id else "—"]
    if state == StepState.OPEN:
        parts.append(f"due {_day(step.due_on, today)}")
    elif state == StepState.SKIPPED:
        parts.append(f"skipped: {escape(step.skip_reason or '')}")
    if step.changed_by:
        parts.append(f"last change by <@{step.changed_by}>")
    return " · ".join(parts)


def _step_controls(step: OutreachStep) -> Block:
    value = str(step.id)
    if step.state != StepState.OPEN:
        return actions(button("Reopen", ids.COCREATE_STEP_REOPEN, value), block_id=f"{ids.COCREATE_STEP_ROW}{step.id}")
    picker = {
        "type": "datepicker",
        "action_id": ids.COCREATE_STEP_DUE,
        "placeholder": {"type": "plain_text", "text": "Due date"},
        **({"initial_date": step.due_on.isoformat()} if step.due_on else {}),
    }
    owner = {
        "type": "users_select",
        "action_id": ids.COCREATE_STEP_REASSIGN,
        "placeholder": {"type": "plain_text", "text": "Reassign"},
        **({"initial_user": step.owner_id} if step.owner_id else {}),
    }
    return actions(
        button("Done", ids.COCREATE_STEP_DONE, value, style="primary"),
        button("Skip…", ids.COCREATE_STEP_SKIP, value),
        picker,
        owner,
        block_id=f"{ids.COCREATE_STEP_ROW}{step.id}",
    )


def outreach_checklist(prospect: Prospect, *, today: date, resources: list[dict[str, str]] | None = None) -> Message:
    """The prospect's checklist: a line and a row of controls per step; the same message is updated on each change."""
    done = sum(1 for s in prospect.steps if s.state != StepState.OPEN)
    blocks: list[Block] = [
        header(f"Co-create outreach: {prospect.name}"),
        context(f"{done} of {len(prospect.steps)} steps done or skipped · outcome {escape(str(prospect.outcome))}"),
    ]
    for number, step in enumerate(prospect.steps, start=1):
        blocks.append(section(step_line(number, step, today)))
        if step.key == rules.Step.ALIGNMENT_MEETING and resources:
            blocks.append(context("Resources for common concerns: " + resource_links(resources)))
        blocks.append(_step_controls(step))
    return message(f"Co-create outreach: {escape(prospect.name)} ({done}/{len(prospect.steps)})", blocks)


def skip_modal(step: OutreachStep) -> View:
    """Ask why a step is skipped (a skip needs a reason)."""
    spec = rules.STEP_SPECS[rules.Step(step.key)]
    return View(
        type="modal",
        callback_id=ids.COCREATE_SKIP_MODAL,
        private_metadata=str(step.id),
        title="Skip a step",
        submit="Skip",
        close="Cancel",
        blocks=[
            section(f"*{escape(spec.label)}*"),
            InputBlock(
                block_id=ids.COCREATE_SKIP_REASON,
                label="Why is it skipped?",
                element=PlainTextInputElement(action_id=ids.COCREATE_SKIP_REASON, max_length=rules.SKIP_REASON_LIMIT),
            ),
        ],
    )


def read_skip_modal(view: dict[str, Any]) -> tuple[int, str]:
    """The step id and the reason; raises UserError under the field when the reason is blank or longer than the
    command allows (a crafted submission isn't held by the input's max_length)."""
    reason = (common.view_input(view, ids.COCREATE_SKIP_REASON).get("value") or "").strip()
    if not reason:
        raise UserError("Say why the step is skipped.", field=ids.COCREATE_SKIP_REASON)
    _check_fits(reason, what="reason", limit=rules.SKIP_REASON_LIMIT, field=ids.COCREATE_SKIP_REASON)
    step_id = str(view.get("private_metadata") or "")
    if not (step_id.isascii() and step_id.isdigit() and len(step_id) <= 9):  # the form we opened wrote the step id
        raise UserError("This form is out of date: open it again from the checklist.", field=ids.COCREATE_SKIP_REASON)
    return int(step_id), reason


def _check_fits(text: str, *, what: str, limit: int, field: str) -> None:
    """A form's text within the limit its command enforces; raises UserError under the field."""
    if len(text) > limit:
        raise UserError(f"The {what} is {len(text):,} characters long; the limit is {limit:,}.", field=field)


def notice_modal(title: str, text: str) -> View:
    """What a form's submission did when part of it couldn't happen (shown in place of the form)."""
    return View(
        type="modal",
        title=title[:24],
        close="Close",
        blocks=[section(text)],
    )


def late_steps_dm(steps: list[OutreachStep], *, today: date) -> Message:
    """One DM with all of an owner's late outreach steps."""
    lines = []
    for step in steps[:40]:
        spec = rules.STEP_SPECS[rules.Step(step.key)]
        lines.append(f"*{escape(step.prospect.name)}* · {escape(spec.label)} · due {_day(step.due_on, today)}")
    late = rules.counted(len(steps), "late co-create outreach step")
    blocks: list[Block] = [section(f":hourglass: *You have {late}.*")]
    blocks += [section("\n".join(lines[i : i + 20])) for i in range(0, len(lines), 20)]
    them = "it" if len(steps) == 1 else "them"
    blocks.append(context(f'Tick {them} on the prospect\'s checklist, or `/cocreate step "Org" <step> done`.'))
    return message(f"You have {late}", blocks)


def _bar(value: float | None, target: float) -> str:
    from bot.blocks.common import progress_bar

    return progress_bar((value or 0) / target) if target else "—"


ADD_FIRST = (
    '`/cocreate add "Acme Corp"` adds one in a form, and `python app.py cocreate import prospects.csv` '
    "imports many from a CSV file"
)


def _short_pipeline(funnel: Any, next_prospects: list[str], *, has_prospects: bool) -> Block:
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
    funnel: Any,
    *,
    today: date,
    next_prospects: list[str],
    has_prospects: bool = True,
    digest: bool = False,
    stalled: Any | None = None,
) -> Message:
    """The quarter's funnel against its targets, with a progress bar per target, under the quarter's days and how much
    of it is left on `today`; a short pipeline comes first, and `stalled` (service.Stalled) names the longest-stalled
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


def resource_links(resources: list[dict[str, str]]) -> str:
    """`<url|label>` links for the program's resources (only http(s) links become links)."""
    links = []
    for resource in resources[:20]:
        url, label = resource.get("url", ""), escape(resource.get("label", ""))
        links.append(f"<{url}|{label}>" if url.startswith(("http://", "https://")) and "|" not in url else label)
    return " · ".join(links)


def resources_message(resources: list[dict[str, str]]) -> Message:
    """`/cocreate resources`: the numbered links the alignment-meeting step shows."""
    if not resources:
        return ephemeral('No resources yet. The program manager adds them: `/cocreate resources add "NDA" https://…`')
    lines = [f"*{n}.* {resource_links([r])}" for n, r in enumerate(resources, start=1)]
    return ephemeral("Co-create resources", [header("Resources for common concerns"), section("\n".join(lines))])


def contributions_message(org: str, metrics: Any) -> Message:
    """After `/cocreate contribution`: the org's count and the program's contribution metrics."""
    count = rules.counted(metrics.per_org.get(org, 0), "contribution")
    return ephemeral(
        f":white_check_mark: Recorded. *{escape(org)}* has {count}. Program: "
        f"{metrics.total:,} in all, {_repeat(metrics)} of organizations contributed more than once, "
        f"mean time between contributions {_between(metrics)}."
    )


def _repeat(metrics: Any) -> str:
    return f"{metrics.repeat_share:.0%}" if metrics.repeat_share is not None else "—"


def _between(metrics: Any) -> str:
    days = metrics.mean_days_between
    return rules.counted(round(days), "day") if days is not None else "—"


def home_section(steps: list[OutreachStep], *, today: date) -> list[Block]:
    """App Home: the user's open outreach steps, late first, each with Done."""
    if not steps:
        return []
    ordered = sorted(steps, key=lambda s: (s.due_on is None, s.due_on or date.max, s.id))
    blocks: list[Block] = [header(f"Co-create outreach ({len(ordered)} open)")]
    for step in ordered[:15]:
        spec = rules.STEP_SPECS[rules.Step(step.key)]
        line = f"*{escape(step.prospect.name)}* · {escape(spec.label)} · due {_day(step.due_on, today)}"
        blocks.append(section(line, accessory=button("Done", ids.COCREATE_STEP_DONE, str(step.id), style="primary")))
    return blocks


def business_review_message(orgs: list[str], metrics: Any) -> Message:
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


def top_message(ranked: list[Any]) -> Message:
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


def prospect_score_reply(name: str, score: float | None, tier: Any, *, scored: int) -> Message:
    """After `/cocreate score` or a form: the total (saying when only `scored` of the seven criteria are), and the
    tier now."""
    total = rules.score_shown(score, scored)
    scores = "is not scored yet" if total == "not scored yet" else f"scores {total}"
    return ephemeral(f":white_check_mark: *{escape(name)}* {scores}, tier {int(tier)}.")


def weights_message(weights: dict[Any, float]) -> Message:
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


def targets_message(targets: Any) -> Message:
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


def prospect_modal(org: str | None) -> View:
    """`/cocreate add ["Org"]`: every field of a prospect, scores optional (0–5 each)."""
    from slack_sdk.models.blocks import (
        CheckboxesElement,
        NumberInputElement,
        Option,
        StaticSelectElement,
        UserSelectElement,
    )

    def person(block_id: str, label: str) -> InputBlock:
        return InputBlock(block_id=block_id, label=label, optional=True, element=UserSelectElement(action_id=block_id))

    blocks: list[Any] = [
        InputBlock(
            block_id=ids.COCREATE_FIELD_ORG,
            label="Organization",
            element=PlainTextInputElement(
                action_id=ids.COCREATE_FIELD_ORG, initial_value=org or None, max_length=rules.ORG_NAME_LIMIT
            ),
        ),
        person(ids.COCREATE_FIELD_CSM, "Customer Success Manager"),
        person(ids.COCREATE_FIELD_AE, "Account Executive"),
        person(ids.COCREATE_FIELD_SA, "Solutions Architect"),
        InputBlock(
            block_id=ids.COCREATE_FIELD_SUBSCRIPTION,
            label="Subscription",
            optional=True,
            element=StaticSelectElement(
                action_id=ids.COCREATE_FIELD_SUBSCRIPTION,
                options=[Option(value=v, label=v.title()) for v in ("free", "premium", "ultimate")],
            ),
        ),
        InputBlock(
            block_id=ids.COCREATE_FIELD_SEATS,
            label="Seats",
            optional=True,
            element=NumberInputElement(action_id=ids.COCREATE_FIELD_SEATS, is_decimal_allowed=False),
        ),
        InputBlock(
            block_id=ids.COCREATE_FIELD_INDUSTRY,
            label="Industry",
            optional=True,
            element=PlainTextInputElement(action_id=ids.COCREATE_FIELD_INDUSTRY, max_length=rules.INDUSTRY_LIMIT),
        ),
        InputBlock(
            block_id=ids.COCREATE_FIELD_OVERLAP,
            label="Tech stack",
            optional=True,
            element=CheckboxesElement(
                action_id=ids.COCREATE_FIELD_OVERLAP,
                options=[Option(value="yes", label="Clear overlap between their tech stack and ours")],
            ),
        ),
    ]
    blocks += _score_blocks({})
    return View(
        type="modal",
        callback_id=ids.COCREATE_PROSPECT_MODAL,
        title="Co-create prospect",
        submit="Save",
        close="Cancel",
        blocks=blocks,
    )


def read_prospect_modal(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted prospect: name, account team, subscription, seats, industry, overlap, and the scores given."""
    values = view["state"]["values"]

    def field(block_id: str) -> dict[str, Any]:
        return common.element_state(values.get(block_id, {}).get(block_id, {}))

    name = (field(ids.COCREATE_FIELD_ORG).get("value") or "").strip()
    if not name:
        raise UserError("Name the organization.", field=ids.COCREATE_FIELD_ORG)
    _check_fits(name, what="organization's name", limit=rules.ORG_NAME_LIMIT, field=ids.COCREATE_FIELD_ORG)
    seats_text = field(ids.COCREATE_FIELD_SEATS).get("value")
    if seats_text and not (str(seats_text).isdigit() and int(seats_text) <= rules.SEATS_LIMIT):
        raise UserError("Seats are a whole number, e.g. 250.", field=ids.COCREATE_FIELD_SEATS)
    industry = (field(ids.COCREATE_FIELD_INDUSTRY).get("value") or "").strip() or None
    _check_fits(industry or "", what="industry", limit=rules.INDUSTRY_LIMIT, field=ids.COCREATE_FIELD_INDUSTRY)
    scores = read_scores(view)
    subscription = field(ids.COCREATE_FIELD_SUBSCRIPTION).get("selected_option")
    return {
        "name": name,
        "csm_id": field(ids.COCREATE_FIELD_CSM).get("selected_user"),
        "ae_id": field(ids.COCREATE_FIELD_AE).get("selected_user"),
        "sa_id": field(ids.COCREATE_FIELD_SA).get("selected_user"),
        "subscription": subscription["value"] if subscription else None,
        "seats": int(seats_text) if seats_text else None,
        "industry": industry,
        "tech_stack_overlap": bool(field(ids.COCREATE_FIELD_OVERLAP).get("selected_options")),
        "scores": scores,
    }


def _score_blocks(current: dict[str, Any]) -> list[Any]:
    """One 0–5 select per criterion, showing the current score when there is one."""
    from slack_sdk.models.blocks import Option, StaticSelectElement

    options = [Option(value=str(n), label=str(n)) for n in range(6)]
    blocks = []
    for criterion in rules.Criterion:
        block_id = ids.COCREATE_FIELD_SCORE + criterion.value
        value = current.get(criterion.value)
        initial = options[int(value)] if value is not None else None
        blocks.append(
            InputBlock(
                block_id=block_id,
                label=rules.CRITERION_LABELS[criterion][:150],
                optional=True,
                element=StaticSelectElement(
                    action_id=block_id, options=options, placeholder="0–5", initial_option=initial
                ),
            )
        )
    return blocks


def score_modal(prospect: Prospect) -> View:
    """`/cocreate score "Org"`: the seven criteria, 0–5, with the current scores filled in."""
    return View(
        type="modal",
        callback_id=ids.COCREATE_SCORE_MODAL,
        private_metadata=str(prospect.id),
        title="Score a prospect",
        submit="Save",
        close="Cancel",
        blocks=[section(f"*{escape(prospect.name)}*"), *_score_blocks(prospect.scores or {})],
    )


def read_scores(view: dict[str, Any]) -> dict[Any, int]:
    """The scores picked in a prospect or score form (criteria left empty are not in the result)."""
    values = view["state"]["values"]
    scores = {}
    for criterion in rules.Criterion:
        block_id = ids.COCREATE_FIELD_SCORE + criterion.value
        picked = common.element_state(values.get(block_id, {}).get(block_id)).get("selected_option")
        if picked and picked["value"].isascii() and picked["value"].isdigit():
            scores[criterion] = int(picked["value"])
    return scores


def my_steps_message(steps: list[OutreachStep], *, today: date) -> Message:
    """`/cocreate steps`: the user's open outreach steps, late first, each with Done."""
    blocks = home_section(steps, today=today)
    if not blocks:
        return ephemeral("You have no open co-create outreach steps.")
    return {**message(rules.counted(len(steps), "open outreach step"), blocks), "response_type": "ephemeral"}
