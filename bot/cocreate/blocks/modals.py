"""Co-create's forms and their readers: the prospect form, the score form, the skip form, and the notice shown in
place of a form when part of its submission couldn't happen. Each reader sits next to its builder, so the block ids
stay in one file."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks import common
from bot.blocks.common import section
from bot.cocreate import ids, rules
from bot.errors import UserError
from bot.text import escape
from models import OutreachStep, Prospect


def prospect_modal(org: str | None) -> View:
    """`/cocreate add ["Org"]`: every field of a prospect, scores optional (0–5 each)."""

    def person(block_id: str, label: str) -> InputBlock:
        return InputBlock(block_id=block_id, label=label, optional=True, element=UserSelectElement(action_id=block_id))

    blocks: list[Any] = [
        InputBlock(
            block_id=ids.FIELD_ORG,
            label="Organization",
            element=PlainTextInputElement(
                action_id=ids.FIELD_ORG, initial_value=org or None, max_length=rules.ORG_NAME_LIMIT
            ),
        ),
        person(ids.FIELD_CSM, "Customer Success Manager"),
        person(ids.FIELD_AE, "Account Executive"),
        person(ids.FIELD_SA, "Solutions Architect"),
        InputBlock(
            block_id=ids.FIELD_SUBSCRIPTION,
            label="Subscription",
            optional=True,
            element=StaticSelectElement(
                action_id=ids.FIELD_SUBSCRIPTION,
                options=[Option(value=v, label=v.title()) for v in ("free", "premium", "ultimate")],
            ),
        ),
        InputBlock(
            block_id=ids.FIELD_SEATS,
            label="Seats",
            optional=True,
            element=NumberInputElement(action_id=ids.FIELD_SEATS, is_decimal_allowed=False),
        ),
        InputBlock(
            block_id=ids.FIELD_INDUSTRY,
            label="Industry",
            optional=True,
            element=PlainTextInputElement(action_id=ids.FIELD_INDUSTRY, max_length=rules.INDUSTRY_LIMIT),
        ),
        InputBlock(
            block_id=ids.FIELD_OVERLAP,
            label="Tech stack",
            optional=True,
            element=CheckboxesElement(
                action_id=ids.FIELD_OVERLAP,
                options=[Option(value="yes", label="Clear overlap between their tech stack and ours")],
            ),
        ),
    ]
    blocks += _score_blocks({})
    return View(
        type="modal",
        callback_id=ids.PROSPECT_MODAL,
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

    name = (field(ids.FIELD_ORG).get("value") or "").strip()
    if not name:
        raise UserError("Name the organization.", field=ids.FIELD_ORG)
    _check_fits(name, what="organization's name", limit=rules.ORG_NAME_LIMIT, field=ids.FIELD_ORG)
    seats_text = field(ids.FIELD_SEATS).get("value")
    if seats_text and not (str(seats_text).isdigit() and int(seats_text) <= rules.SEATS_LIMIT):
        raise UserError("Seats are a whole number, e.g. 250.", field=ids.FIELD_SEATS)
    industry = (field(ids.FIELD_INDUSTRY).get("value") or "").strip() or None
    _check_fits(industry or "", what="industry", limit=rules.INDUSTRY_LIMIT, field=ids.FIELD_INDUSTRY)
    scores = read_scores(view)
    subscription = field(ids.FIELD_SUBSCRIPTION).get("selected_option")
    return {
        "name": name,
        "csm_id": field(ids.FIELD_CSM).get("selected_user"),
        "ae_id": field(ids.FIELD_AE).get("selected_user"),
        "sa_id": field(ids.FIELD_SA).get("selected_user"),
        "subscription": subscription["value"] if subscription else None,
        "seats": int(seats_text) if seats_text else None,
        "industry": industry,
        "tech_stack_overlap": bool(field(ids.FIELD_OVERLAP).get("selected_options")),
        "scores": scores,
    }


def _score_blocks(current: dict[str, Any]) -> list[Any]:
    """One 0–5 select per criterion, showing the current score when there is one."""
    options = [Option(value=str(n), label=str(n)) for n in range(6)]
    blocks = []
    for criterion in rules.Criterion:
        block_id = ids.FIELD_SCORE + criterion.value
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
        callback_id=ids.SCORE_MODAL,
        private_metadata=str(prospect.id),
        title="Score a prospect",
        submit="Save",
        close="Cancel",
        blocks=[section(f"*{escape(prospect.name)}*"), *_score_blocks(prospect.scores or {})],
    )


def read_scores(view: dict[str, Any]) -> dict[rules.Criterion, int]:
    """The scores picked in a prospect or score form (criteria left empty are not in the result)."""
    values = view["state"]["values"]
    scores = {}
    for criterion in rules.Criterion:
        block_id = ids.FIELD_SCORE + criterion.value
        picked = common.element_state(values.get(block_id, {}).get(block_id)).get("selected_option")
        if picked and picked["value"].isascii() and picked["value"].isdigit():
            scores[criterion] = int(picked["value"])
    return scores


def skip_modal(step: OutreachStep) -> View:
    """Ask why a step is skipped (a skip needs a reason)."""
    spec = rules.STEP_SPECS[rules.Step(step.key)]
    return View(
        type="modal",
        callback_id=ids.SKIP_MODAL,
        private_metadata=str(step.id),
        title="Skip a step",
        submit="Skip",
        close="Cancel",
        blocks=[
            section(f"*{escape(spec.label)}*"),
            InputBlock(
                block_id=ids.SKIP_REASON,
                label="Why is it skipped?",
                element=PlainTextInputElement(action_id=ids.SKIP_REASON, max_length=rules.SKIP_REASON_LIMIT),
            ),
        ],
    )


def read_skip_modal(view: dict[str, Any]) -> tuple[int, str]:
    """The step id and the reason; raises UserError under the field when the reason is blank or longer than the
    command allows (a crafted submission isn't held by the input's max_length)."""
    reason = (common.view_input(view, ids.SKIP_REASON).get("value") or "").strip()
    if not reason:
        raise UserError("Say why the step is skipped.", field=ids.SKIP_REASON)
    _check_fits(reason, what="reason", limit=rules.SKIP_REASON_LIMIT, field=ids.SKIP_REASON)
    step_id = str(view.get("private_metadata") or "")
    if not (step_id.isascii() and step_id.isdigit() and len(step_id) <= 9):  # the form we opened wrote the step id
        raise UserError("This form is out of date: open it again from the checklist.", field=ids.SKIP_REASON)
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
