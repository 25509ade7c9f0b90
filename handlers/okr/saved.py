"""After an /okr form's change is saved: where it was opened from, telling the person, and closing the form (or
showing in it what was saved and what didn't happen when Slack failed after the save)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.common import Message
from bot.okrs.blocks import pieces as pieces_blocks

SLACK_FAILURES = (SlackApiError, OSError)  # Slack said no, or didn't answer (timeouts are OSErrors)


def origin_of(body: dict[str, Any]) -> dict[str, str]:
    """Where a button was clicked, so a form submitted from it can update that message (or App Home)."""
    container = body.get("container") or {}
    origin = {"channel": container.get("channel_id") or "", "ts": container.get("message_ts") or ""}
    return {**origin, "home": "1"} if container.get("type") == "view" else origin


def tell(client: WebClient, user_id: str, reply: Message) -> list[str]:
    """DM the person a form's outcome; returns what didn't happen (a failed DM is shown in the form instead)."""
    try:
        client.chat_postMessage(channel=user_id, text=reply["text"], blocks=reply.get("blocks"))
    except SLACK_FAILURES:
        return ["(I couldn't DM you this.)"]
    return []


def ack_saved(ack: Ack, title: str, reply: Message, notes: list[str]) -> None:
    """Close the form; when something after the save failed, show in it what was saved and what didn't happen."""
    if not notes:
        ack()
        return
    ack(response_action="update", view=pieces_blocks.saved_modal(title, reply["text"], notes))
