"""The OKR part of App Home: the quarter being scored, its objectives' scores and the user's key results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.home import register_home_section
from bot.okrs import service
from bot.okrs.blocks import home as home_blocks


def scoring_home(session: Session, team_id: str, user_id: str, now: datetime) -> list[dict[str, Any]]:
    """The quarter being scored and the user's key results in it (nothing between quarters)."""
    quarter = service.scoring_quarter(session, team_id=team_id, today=now.date())
    if quarter is None:
        return []
    mine = service.key_results_of_user(session, team_id=team_id, user_id=user_id, quarter=quarter)
    return home_blocks.home_section(
        service.span_of(quarter),
        service.tree_of(session, quarter=quarter),
        [service.node_of(row) for row in mine],
        today=now.date(),
    )


register_home_section("okrs", order=30, build=scoring_home)
