"""App Home: whether the user's nudges are held while they are away (a button sets it), the user's working groups
and action items, outreach steps and key results to score, then the reminders they may see (theirs, those sent to
them, those in their channels)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot import clock
from bot.blocks import away as away_blocks
from bot.blocks import cocreate as cocreate_blocks
from bot.blocks import okrs as okr_blocks
from bot.blocks.home import home_view
from bot.cadence import away, service
from bot.cocreate import service as cocreate_service
from bot.db import unit_of_work
from bot.okrs import service as okr_service
from bot.working_groups.home import working_group_home
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
        groups = working_group_home(session, team_id=team_id, user_id=user_id, now=now)
        steps = cocreate_blocks.home_section(
            cocreate_service.open_steps_of(session, team_id=team_id, user_id=user_id), today=now.date()
        )
        view = home_view(
            service.list_cadences(session, team_id=team_id, viewer=user_id, channel_ids=channel_ids),
            user_id=user_id,
            program_sections=away_blocks.home_section(
                away.open_away(session, team_id=team_id, user_id=user_id), now=now
            )
            + groups
            + steps
            + _okr_section(session, team_id=team_id, user_id=user_id, now=now),
        )
    client.views_publish(user_id=user_id, view=view)
