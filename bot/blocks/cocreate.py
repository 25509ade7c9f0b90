"""Block Kit for co-create outreach: the checklist message (updated in place), help, and the skip form."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.blocks import ids
from bot.blocks.common import Block, Message, actions, button, context, ephemeral, header, message, section
from bot.cocreate import rules
from bot.errors import UserError
from bot.text import escape
from models import OutreachStep, Prospect, StepState

COCREATE_HELP = """\
*`/cocreate setup [#channel] [manager @someone]`*: the program's home channel and manager.
*`/cocreate add "Org"`* · *`/cocreate start "Org" [in #channel]`*: the outreach checklist, one message, \
a row per step.
*`/cocreate step "Org" <step> done|skip "reason"|due <date>|reassign @someone|reopen`*: steps are `contact`, \
`follow-up`, `meeting`, `outcomes`, `started`, `contributions` (or 1–6).
*`/cocreate steps ["Org"]`*: your open steps, or one prospect's checklist.
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


def outreach_checklist(prospect: Prospect, *, today: date) -> Message:
    """The prospect's checklist: a line and a row of controls per step; the same message is updated on each change."""
    done = sum(1 for s in prospect.steps if s.state != StepState.OPEN)
    blocks: list[Block] = [
        header(f"Co-create outreach: {prospect.name}"),
        context(f"{done} of {len(prospect.steps)} steps done or skipped · outcome {escape(str(prospect.outcome))}"),
    ]
    for number, step in enumerate(prospect.steps, start=1):
        blocks.append(section(step_line(number, step, today)))
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
                element=PlainTextInputElement(action_id=ids.COCREATE_SKIP_REASON, max_length=2000),
            ),
        ],
    )


def read_skip_modal(view: dict[str, Any]) -> tuple[int, str]:
    """The step id and the reason; raises UserError under the field when the reason is blank."""
    state = view["state"]["values"].get(ids.COCREATE_SKIP_REASON, {}).get(ids.COCREATE_SKIP_REASON, {})
    reason = (state.get("value") or "").strip()
    if not reason:
        raise UserError("Say why the step is skipped.", field=ids.COCREATE_SKIP_REASON)
    return int(view["private_metadata"]), reason
