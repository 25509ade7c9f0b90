"""App Home: the user's working groups and action items, outreach steps and key results to score, then the
workspace's reminders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import clock
from bot.blocks import cocreate as cocreate_blocks
from bot.blocks import okrs as okr_blocks
from bot.blocks.home import home_view
from bot.cadence import service
from bot.cocreate import service as cocreate_service
from bot.db import unit_of_work
from bot.okrs import service as okr_service
from bot.working_groups.home import working_group_home


def register(app: App) -> None:
    """Wire the app_home_opened event."""
    app.event("app_home_opened")(on_app_home_opened)


def on_app_home_opened(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Publish the Home tab for the user who opened it."""
    if event.get("tab", "home") != "home":
        return
    publish_home(client, team_id=context.team_id or "", user_id=event["user"])


def _okr_section(session: Session, *, team_id: str, user_id: str, now: datetime) -> list[Any]:
    """The quarter being scored: its objectives' scores, and the user's key results (nothing between quarters)."""
    quarter = okr_service.scoring_quarter(session, team_id=team_id, today=now.date())
    if quarter is None:
        return []
    mine = okr_service.key_results_of_user(session, team_id=team_id, user_id=user_id, quarter=quarter)
    return okr_blocks.home_section(
        okr_service.span_of(quarter),
        okr_service.tree_of(session, quarter=quarter),
        [okr_service.node_of(row) for row in mine],
        today=now.date(),
    )


def publish_home(client: WebClient, *, team_id: str, user_id: str) -> None:
    """Render and publish one user's Home tab from the rows as they are now."""
    with unit_of_work() as session:
        now = clock.now()
        groups = working_group_home(session, team_id=team_id, user_id=user_id, now=now)
        steps = cocreate_blocks.home_section(
            cocreate_service.open_steps_of(session, team_id=team_id, user_id=user_id), today=now.date()
        )
        view = home_view(
            service.list_cadences(session, team_id=team_id),
            user_id=user_id,
            program_sections=groups + steps + _okr_section(session, team_id=team_id, user_id=user_id, now=now),
        )
    client.views_publish(user_id=user_id, view=view)
