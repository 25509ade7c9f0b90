"""/cocreate's prospect subcommands: the ranking, scores, tier overrides, weights and targets, and the score form."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.common import Message, ephemeral
from bot.cocreate import commands as cocreate_commands
from bot.cocreate import prospects, service
from bot.cocreate.blocks import modals
from bot.cocreate.blocks import pipeline as pipeline_blocks
from bot.cocreate.blocks import prospects as prospect_blocks
from bot.cocreate.commands import CRITERION_FOR_KEY
from bot.db import unit_of_work
from bot.text import escape
from handlers.context import SlackRequest
from models import Prospect


def run_top(parsed: cocreate_commands.ShowTop, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        return prospect_blocks.top_message(prospects.top(session, team_id=request.team_id, n=parsed.n))


def run_set_scores(parsed: cocreate_commands.SetScores, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        prospect = service.prospect_named(session, team_id=request.team_id, name=parsed.org)
        scores = {CRITERION_FOR_KEY[key]: value for key, value in parsed.scores}
        prospects.set_scores(
            session, team_id=request.team_id, actor=request.actor, prospect=prospect, scores=scores, now=request.now
        )
        return score_reply(session, prospect)


def score_reply(session: Session, prospect: Prospect) -> Message:
    """The prospect's total (saying when it is partial), and its tier, under the program's weights."""
    weights = prospects.weights_of(service.program_of(session, team_id=prospect.team_id))
    return prospect_blocks.prospect_score_reply(
        prospect.name,
        prospects.score_of(prospect, weights),
        prospects.tier_of(prospect),
        scored=prospects.scored_of(prospect),
    )


def run_override_tier(parsed: Any, request: SlackRequest, _client: WebClient) -> Message:
    tier, reason = getattr(parsed, "tier", None), getattr(parsed, "reason", None)
    with unit_of_work() as session:
        prospect = service.prospect_named(session, team_id=request.team_id, name=parsed.org)
        result = prospects.override_tier(
            session,
            team_id=request.team_id,
            actor=request.actor,
            prospect=prospect,
            tier=tier,
            reason=reason,
            now=request.now,
        )
        return ephemeral(
            f"*{escape(prospect.name)}* is tier {int(result)}"
            + (" (set by hand)." if tier is not None else " (computed from its fields).")
        )


def run_weights(parsed: Any, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        if isinstance(parsed, cocreate_commands.SetWeights):
            prospects.set_weights(
                session,
                team_id=request.team_id,
                actor=request.actor,
                weights={str(CRITERION_FOR_KEY[k]): w for k, w in parsed.weights},
                now=request.now,
            )
        program = service.program_of(session, team_id=request.team_id)
        return prospect_blocks.weights_message(prospects.weights_of(program))


def run_targets(parsed: Any, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        if isinstance(parsed, cocreate_commands.SetTargets):
            prospects.set_targets(
                session,
                team_id=request.team_id,
                actor=request.actor,
                now=request.now,
                projects=parsed.projects,
                multiple=parsed.multiple,
                conversion_percent=parsed.conversion,
                weeks_min=parsed.weeks_min,
                weeks_max=parsed.weeks_max,
            )
        program = service.program_of(session, team_id=request.team_id)
        return pipeline_blocks.targets_message(service.targets_of(program))


def run_score_form(parsed: cocreate_commands.OpenScoreModal, request: SlackRequest, client: WebClient) -> Message:
    with unit_of_work() as session:
        view = modals.score_modal(service.prospect_named(session, team_id=request.team_id, name=parsed.org))
    client.views_open(trigger_id=request.trigger_id, view=view)
    return {}
