"""After the commit: Slack calls whose failure must not undo the change, and the words that say so."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.blocks.common import Message
from handlers.replies import slack_failure_note

log = logging.getLogger(__name__)


def after_save(saved: str, call: Callable[[], object], *, channel_id: str | None) -> str | None:
    """Run a Slack call once the change is committed; None when it went through, else what was saved and what
    didn't happen, with the fix ("Saved the working group. I couldn't post in <#C…>: invite me …")."""
    try:
        call()
    except (SlackClientError, OSError) as error:
        log.warning("slack call after a save failed: %s", type(error).__name__)
        return f"{saved} {slack_failure_note(error, channel_id=channel_id)}"
    return None


def tell_privately(client: WebClient, *, channel_id: str, user_id: str, reply: Message) -> None:
    """Show `reply` to one person: ephemerally in the channel, or by DM when Slack won't post there (the bot is not in
    the channel, or it is archived); raises what the DM raised."""
    try:
        client.chat_postEphemeral(channel=channel_id, user=user_id, text=reply["text"], blocks=reply.get("blocks"))
    except SlackApiError:
        log.info("an ephemeral reply was refused; sending it by DM")
        client.chat_postMessage(channel=user_id, text=reply["text"], blocks=reply.get("blocks"))
