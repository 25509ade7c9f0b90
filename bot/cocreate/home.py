"""The co-create part of App Home: the user's open outreach steps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.cocreate import service
from bot.cocreate.blocks import steps as step_blocks
from bot.home import register_home_section


def outreach_home(session: Session, team_id: str, user_id: str, now: datetime) -> list[dict[str, Any]]:
    """The user's open outreach steps, late first, each with Done (nothing when they have none)."""
    return step_blocks.home_section(service.open_steps_of(session, team_id=team_id, user_id=user_id), today=now.date())


register_home_section("cocreate", order=20, build=outreach_home)
