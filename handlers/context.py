"""What program handlers need to know about a request (who, where, when), a person's name, an attached file.

The Slack people directory a page's people are matched against is in `bot/slack/people.py`, where the CLIs reach it too.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot import clock
from bot.cadence.service import ensure_workspace
from bot.db import unit_of_work
from bot.errors import UserError
from bot.permissions import Actor
from bot.slack import users
from handlers.replies import actor_of

MAX_PAGE_BYTES = 200_000  # a handbook page is tens of kB; anything far bigger is not the page


@dataclass(frozen=True, slots=True)
class SlackRequest:
    team_id: str
    user_id: str
    channel_id: str
    actor: Actor
    timezone: str
    now: datetime
    trigger_id: str = ""  # set for slash commands: a modal must open with it within 3 seconds

    @property
    def today(self) -> date:
        """The user's local date: `today`, `tomorrow` and due dates are theirs."""
        return self.now.astimezone(ZoneInfo(self.timezone)).date()


def slack_request(client: WebClient, *, team_id: str, user_id: str, channel_id: str) -> SlackRequest:
    """Look the user up once (admin? time zone?) for the whole request."""
    actor, timezone = actor_of(client, team_id=team_id, user_id=user_id)
    return SlackRequest(team_id, user_id, channel_id, actor, timezone or "UTC", clock.now())


def button_request(
    body: dict[str, Any], context: BoltContext, client: WebClient, *, channel_id: str = ""
) -> SlackRequest:
    """The request behind a button press (or a form opened from one): who pressed it, in which channel (the message's
    container, else the payload's channel), in which workspace."""
    channel = (
        channel_id or (body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get("id") or ""
    )
    return slack_request(
        client, team_id=context.team_id or body["team"]["id"], user_id=body["user"]["id"], channel_id=channel
    )


def command_request(command: dict[str, Any], team_id: str | None, client: WebClient) -> tuple[SlackRequest, int]:
    """The request behind a slash command, and the workspace's fiscal year start month its dates are read with."""
    request = dataclasses.replace(
        slack_request(
            client,
            team_id=team_id or command["team_id"],
            user_id=command["user_id"],
            channel_id=command["channel_id"],
        ),
        trigger_id=command.get("trigger_id", ""),
    )
    with unit_of_work() as session:
        fiscal_start = ensure_workspace(session, team_id=request.team_id).fiscal_year_start_month
    return request, fiscal_start


def real_name_of(client: WebClient, *, team_id: str, user_id: str) -> str | None:
    """A person's name as the handbook would write it (real name, else display name), as stored (bot/slack/users.py);
    None if Slack never said."""
    return users.person(client, team_id=team_id, user_id=user_id, now=clock.now()).name


def attached_text(client: WebClient, file_id: str, *, field: str) -> str:
    """The text of a file attached in a form (an importer's page), fetched with the bot token; raises UserError under
    the form's `field` when it is too big or isn't UTF-8 text."""
    info = client.files_info(file=file_id)["file"]
    url = info.get("url_private_download") or info.get("url_private")
    too_big = UserError(f"I can only read a text file under {MAX_PAGE_BYTES // 1000} kB.", field=field)
    if not url or (info.get("size") or 0) > MAX_PAGE_BYTES:
        raise too_big
    request = Request(url, headers={"Authorization": f"Bearer {client.token}"})
    with urlopen(request, timeout=10) as response:
        data = response.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise too_big
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError("That file isn't UTF-8 text; attach the page's .md file.", field=field) from None
