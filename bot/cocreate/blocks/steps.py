"""Block Kit for the outreach steps: the prospect's checklist (one message, updated in place), the owner's late-steps
DM, the user's open steps (App Home and `/cocreate steps`), and the program's resources shown on the meeting step."""

from __future__ import annotations

from datetime import date

from bot.blocks.common import Block, Message, actions, button, context, ephemeral, header, message, section
from bot.cocreate import ids, rules
from bot.text import escape
from models import OutreachStep, Prospect, StepState

STATE_MARK = {
    StepState.OPEN: ":white_large_square:",
    StepState.DONE: ":white_check_mark:",
    StepState.SKIPPED: ":fast_forward:",
}


def _day(value: date | None, today: date) -> str:
    """`Mon 3 Feb`, `Mon 3 Feb (late)` or `no due date`."""
    if value is None:
        return "no due date"
    late = " (late)" if rules.is_late(value, today) else ""
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
        return actions(button("Reopen", ids.STEP_REOPEN, value), block_id=f"{ids.STEP_ROW}{step.id}")
    picker = {
        "type": "datepicker",
        "action_id": ids.STEP_DUE,
        "placeholder": {"type": "plain_text", "text": "Due date"},
        **({"initial_date": step.due_on.isoformat()} if step.due_on else {}),
    }
    owner = {
        "type": "users_select",
        "action_id": ids.STEP_REASSIGN,
        "placeholder": {"type": "plain_text", "text": "Reassign"},
        **({"initial_user": step.owner_id} if step.owner_id else {}),
    }
    return actions(
        button("Done", ids.STEP_DONE, value, style="primary"),
        button("Skip…", ids.STEP_SKIP, value),
        picker,
        owner,
        block_id=f"{ids.STEP_ROW}{step.id}",
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


def home_section(steps: list[OutreachStep], *, today: date) -> list[Block]:
    """App Home: the user's open outreach steps, late first, each with Done."""
    if not steps:
        return []
    ordered = sorted(steps, key=lambda s: (s.due_on is None, s.due_on or date.max, s.id))
    blocks: list[Block] = [header(f"Co-create outreach ({len(ordered)} open)")]
    for step in ordered[:15]:
        spec = rules.STEP_SPECS[rules.Step(step.key)]
        line = f"*{escape(step.prospect.name)}* · {escape(spec.label)} · due {_day(step.due_on, today)}"
        blocks.append(section(line, accessory=button("Done", ids.STEP_DONE, str(step.id), style="primary")))
    return blocks


def my_steps_message(steps: list[OutreachStep], *, today: date) -> Message:
    """`/cocreate steps`: the user's open outreach steps, late first, each with Done."""
    blocks = home_section(steps, today=today)
    if not blocks:
        return ephemeral("You have no open co-create outreach steps.")
    return {**message(rules.counted(len(steps), "open outreach step"), blocks), "response_type": "ephemeral"}
