"""Who people are: a `user_change` event (a name, a time zone, a status changed) refreshes the stored row at once,
so the next request reads it without asking Slack (bot/slack/users.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot import clock
from bot.db import unit_of_work
from bot.slack import users


def register(app: App) -> None:
    """Wire the user_change event."""
    app.event("user_change")(on_user_change)


def on_user_change(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    """Store what the event says of the person, in the workspace the event came from."""
    user, team_id = event.get("user"), context.team_id or str(body.get("team_id") or "")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str) or not user["id"] or not team_id:
        return  # nothing to store: Slack always sends the whole user object
    with unit_of_work() as session:
        users.remember(session, team_id=team_id, user=user, now=clock.now())
