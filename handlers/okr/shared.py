"""What the /okr command, buttons and forms share: the quarter a request names, a score saved, the retrospective
form filled in from the team's rows and the retro message drawn from them."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.blocks.common import Message
from bot.db import unit_of_work
from bot.okrs import service
from bot.okrs.blocks import retro as retro_blocks
from bot.okrs.blocks import scoring as scoring_blocks
from handlers.context import SlackRequest
from handlers.payload import row_id
from models import OkrQuarter, RetroKind, RetroTeam


def quarter_named(session: Any, request: SlackRequest, label: str | None) -> OkrQuarter:
    return service.quarter_named(session, team_id=request.team_id, label=label, today=request.today)


def save_score(
    request: SlackRequest, key_result_id: int, score: float, comment: str | None, read_as: str | None = None
) -> Message:
    with unit_of_work() as session:
        row, previous = service.score_key_result(
            session,
            team_id=request.team_id,
            actor=request.actor,
            key_result_id=key_result_id,
            score=score,
            comment=comment,
            now=request.now,
        )
        return scoring_blocks.score_saved_reply(service.node_of(row), previous=previous, read_as=read_as)


def retro_view(
    session: Any, request: SlackRequest, quarter: OkrQuarter, team: str | None, origin: dict, new_beside: tuple = ()
) -> dict:
    existing = service.retro_team(session, quarter=quarter, name=team) if team else None
    items = existing.items if existing else []
    # Which save of the team's retro the form shows: saving it checks no one has saved since.
    seen = {"team": existing.name if existing else team, "seen": service.retro_version(existing)} if team else {}
    return retro_blocks.retro_modal(
        quarter_label=quarter.label,
        team=existing.name if existing else team,
        good=[i.text for i in items if i.kind == RetroKind.GOOD],
        bad=[i.text for i in items if i.kind == RetroKind.BAD],
        try_=[i.text for i in items if i.kind == RetroKind.TRY],
        private_metadata=json.dumps({"quarter": quarter.label, **seen, **origin}),
        new_beside=() if existing else new_beside,
    )


def retro_message(session: Any, team: RetroTeam, today: date) -> Message:
    """A team's retrospective as posted, from its rows."""
    name, lines = service.retro_lines(session, quarter=team.quarter, name=team.name)
    return retro_blocks.retro_message(
        quarter_id=team.quarter_id,
        team_id=team.id,
        quarter_label=team.quarter.label,
        team=name,
        items=lines,
        today=today,
    )


def retro_target(session: Any, request: SlackRequest, value: str) -> tuple[OkrQuarter, str | None]:
    """The quarter and team (None: named in the form) a Write the retro / Edit button names: by their row ids, or on
    a message posted before those, by `QUARTER|team` as written. Raises UserError when a row is gone or the value
    can't be read."""
    target = retro_blocks.read_retro_value(value)
    if target.legacy:
        return quarter_named(session, request, target.quarter), target.team or None
    quarter = service.quarter_by_id(session, team_id=request.team_id, quarter_id=row_id(target.quarter))
    if not target.team:
        return quarter, None
    team = service.retro_team_by_id(session, team_id=request.team_id, retro_team_id=row_id(target.team))
    return quarter, team.name
