"""App Home: the sections the kernel and each program registered (bot/home.py: time away, working groups and
action items, outreach steps, key results to score), then the reminders the user may see (theirs, those sent to
them, those in their channels)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import clock
from bot.cadence import service
from bot.cadence.blocks.home import home_view
from bot.db import unit_of_work
from bot.home import home_sections
from handlers.membership import ChannelUnseen, is_member

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Wire the app_home_opened event."""
    app.event("app_home_opened")(on_app_home_opened)


def on_app_home_opened(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Publish the Home tab for the user who opened it."""
    if event.get("tab", "home") != "home":
        return
    publish_home(client, team_id=context.team_id or "", user_id=event["user"])


def channels_of(client: WebClient, *, user_id: str, channel_ids: list[str]) -> list[str]:
    """Those of `channel_ids` the user is in (asked of Slack, cached briefly); one Slack can't show is left out."""
    mine = []
    for channel_id in channel_ids:
        if channel_id[:1] not in ("C", "G"):
            continue  # a DM's reminder is its creator's, and theirs is listed anyway
        try:
            if is_member(client, channel_id=channel_id, user_id=user_id):
                mine.append(channel_id)
        except (ChannelUnseen, SlackApiError, OSError):  # OSError: a timeout or a refused connection
            log.info("home: membership of %s unknown; its reminders are left out", channel_id)
    return mine


def publish_home(client: WebClient, *, team_id: str, user_id: str) -> None:
    """Render and publish one user's Home tab from the rows as they are now: only the reminders they may see."""
    with unit_of_work() as session:
        reminder_channels = service.reminder_channels(session, team_id=team_id)
    channel_ids = channels_of(client, user_id=user_id, channel_ids=reminder_channels)  # Slack, outside the database
    with unit_of_work() as session:
        now = clock.now()
        view = home_view(
            service.list_cadences(session, team_id=team_id, viewer=user_id, channel_ids=channel_ids),
            user_id=user_id,
            program_sections=home_sections(session, team_id=team_id, user_id=user_id, now=now),
        )
    client.views_publish(user_id=user_id, view=view)
