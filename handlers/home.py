"""App Home: the user's working groups and action items, then the workspace's reminders."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot import clock
from bot.blocks import cocreate as cocreate_blocks
from bot.blocks.home import home_view
from bot.cadence import service
from bot.cocreate import service as cocreate_service
from bot.db import unit_of_work
from bot.working_groups.home import working_group_home


def register(app: App) -> None:
    """Wire the app_home_opened event."""
    app.event("app_home_opened")(on_app_home_opened)


def on_app_home_opened(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Publish the Home tab for the user who opened it."""
    if event.get("tab", "home") != "home":
        return
    publish_home(client, team_id=context.team_id or "", user_id=event["user"])


def publish_home(client: WebClient, *, team_id: str, user_id: str) -> None:
    """Render and publish one user's Home tab from the rows as they are now."""
    with unit_of_work() as session:
        now = clock.now()
        groups = working_group_home(session, team_id=team_id, user_id=user_id, now=now)
        steps = cocreate_blocks.home_section(
            cocreate_service.open_steps_of(session, team_id=team_id, user_id=user_id), today=now.date()
        )
        view = home_view(
            service.list_cadences(session, team_id=team_id), user_id=user_id, working_groups=groups + steps
        )
    client.views_publish(user_id=user_id, view=view)
