"""App Home: the reminders of the workspace, with a button to add one."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.blocks.home import home_view
from bot.cadence import service
from bot.db import unit_of_work


def register(app: App) -> None:
    """Wire the app_home_opened event."""
    app.event("app_home_opened")(on_app_home_opened)


def on_app_home_opened(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Publish the Home tab for the user who opened it."""
    if event.get("tab", "home") != "home":
        return
    with unit_of_work() as session:
        views = service.list_cadences(session, team_id=context.team_id or "")
        view = home_view(views, user_id=event["user"])
    client.views_publish(user_id=event["user"], view=view)
