"""A prospect's standing: its rank (tier, total score) and where its outreach stands (current step, since when).

Both are derived from other fields, and both are kept on the prospect's row so that `/cocreate top`, the uncontacted
names of a short pipeline and the digest's stalled stages are indexed queries that read a handful of rows, however
many prospects and steps a workspace holds (bench/pipeline_view.py). A flush listener keeps them current: every
prospect or step that a session adds or changes has its prospect's standing computed again before it is written, so
no service can forget to. A weights change re-scores the whole workspace (`rescore`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from bot.cocreate import rules
from bot.cocreate.rules import Criterion, Tier
from bot.errors import UserError
from models import CocreateProgram, OutreachStep, Prospect, StepState


def scores_from(stored: Mapping[str, Any] | None) -> dict[Criterion, int | None]:
    """The seven scores from a prospect's stored dict, None where unscored (keys that are no criterion ignored)."""
    stored = stored or {}
    return {criterion: stored.get(criterion.value) for criterion in Criterion}


def tier_from(
    override: int | None, scores: Mapping[Criterion, int | None], *, subscription: str | None, tech_stack_overlap: bool
) -> Tier:
    """The tier set by hand, or else the seed's tier from the scores, subscription and overlap."""
    if override is not None:
        return Tier(override)
    return rules.computed_tier(
        public_issues_mrs=scores.get(Criterion.PUBLIC_ISSUES_MRS),
        subscription=subscription,
        prior_oss_contribution=scores.get(Criterion.PRIOR_OSS_CONTRIBUTION),
        tech_stack_overlap=tech_stack_overlap,
    )


def stage_from(steps: Iterable[Any], outreach_started_on: date | None) -> tuple[str | None, date | None]:
    """(the first open step's key, the day its stage began) for steps in checklist order; (None, None) when no step
    is open. A stage begins when the step before it was done or skipped, the first one when outreach started."""
    began = outreach_started_on
    for step in steps:
        if step.state in (StepState.OPEN, None):  # None: a new step, open once its column default is written
            return step.key, began
        began = step.changed_at.date() if step.changed_at else began
    return None, None


def rank(prospect: Prospect, weights: Mapping[Criterion, float]) -> None:
    """Compute the prospect's tier, total score and whether it is fully scored again."""
    scores = scores_from(prospect.scores)
    try:
        tier = tier_from(
            prospect.tier_override,
            scores,
            subscription=prospect.subscription,
            tech_stack_overlap=bool(prospect.tech_stack_overlap),
        )
    except UserError:  # a stored subscription no longer known: rank it as the seed's future potential
        tier = Tier.FUTURE
    prospect.rank_tier = int(tier)
    prospect.total_score = rules.total_score(scores, weights)
    prospect.fully_scored = rules.is_fully_scored(scores)


def place(prospect: Prospect) -> None:
    """Compute the prospect's current step and the day its stage began again, from its steps in order."""
    prospect.current_step, prospect.stage_began_on = stage_from(
        sorted(prospect.steps, key=lambda step: step.position), prospect.outreach_started_on
    )


def weights_for(session: Session, team_id: str) -> dict[Criterion, float]:
    """The program's weights as this session sees them (unflushed changes included); equal without a program."""
    with session.no_autoflush:
        program = next(
            (obj for obj in session.new if isinstance(obj, CocreateProgram) and obj.team_id == team_id), None
        ) or session.scalar(select(CocreateProgram).where(CocreateProgram.team_id == team_id))
    return rules.validate_weights((program.weights if program else None) or {})


def rescore(session: Session, *, team_id: str) -> int:
    """Every prospect of the workspace ranked again (after a weights change); returns how many."""
    weights = weights_for(session, team_id)
    prospects = list(session.scalars(select(Prospect).where(Prospect.team_id == team_id)))
    for prospect in prospects:
        rank(prospect, weights)
    return len(prospects)


@event.listens_for(Session, "before_flush")
def _keep_standing(session: Session, _flush_context: Any, _instances: Any) -> None:
    changed = [obj for obj in (*session.new, *session.dirty) if isinstance(obj, Prospect | OutreachStep)]
    if not changed:
        return
    ranked: dict[int, Prospect] = {}
    placed: dict[int, Prospect] = {}
    with session.no_autoflush:
        for obj in changed:
            if isinstance(obj, Prospect):
                ranked[id(obj)] = obj
                if "steps" not in inspect(obj).unloaded or obj in session.new:
                    placed[id(obj)] = obj
            elif obj.prospect is not None:
                placed[id(obj.prospect)] = obj.prospect
        weights_by_team: dict[str, dict[Criterion, float]] = {}
        for prospect in ranked.values():
            if prospect.team_id not in weights_by_team:
                weights_by_team[prospect.team_id] = weights_for(session, prospect.team_id)
            rank(prospect, weights_by_team[prospect.team_id])
        for prospect in placed.values():
            place(prospect)
