"""Rows made the way users make them: through the parser and the services. No pytest imports."""

from __future__ import annotations

from datetime import datetime

from bot.cadence import service
from bot.cadence.commands import AddCadence, parse_cadence_command
from bot.db import unit_of_work
from models import Cadence

TEAM_ID = "T0001"


def make_cadence(
    command_text: str,
    *,
    now: datetime,
    actor: str = "U_ALICE",
    channel: str | None = "C_TEAM",
    user_timezone: str | None = "UTC",
    team_id: str = TEAM_ID,
) -> Cadence:
    """Save a cadence from `/cadence` text, as typed by `actor` in `channel` at `now`."""
    request = parse_cadence_command(command_text)
    assert isinstance(request, AddCadence), request
    with unit_of_work() as session:
        return service.add_cadence(
            session,
            team_id=team_id,
            actor_id=actor,
            request=request,
            current_channel_id=channel,
            user_timezone=user_timezone,
            now=now,
        )
