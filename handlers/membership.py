"""Who is in a channel, asked of Slack (conversations.members) and kept briefly: a person may point the bot at a
channel (a reminder's target, a program's home channel) or answer a channel's nudge only when they are in it."""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import UserError

log = logging.getLogger(__name__)

MEMBERS_TTL_SECONDS = 60.0  # a join or leave shows within a minute; a burst of commands costs one call per channel
MAX_MEMBERS_PAGES = 50  # 50 × 1,000 members: past that, a channel is treated as open to whoever types in it

_cache: dict[tuple[str, str], tuple[float, frozenset[str] | None]] = {}
_lock = threading.Lock()


class ChannelUnseen(Exception):
    """The bot can't see the channel: it is private and the bot isn't in it, or it doesn't exist."""


def forget_members() -> None:
    """Drop what was remembered (tests, and a member_joined/left event)."""
    with _lock:
        _cache.clear()


def _is_conversation_with_people(channel_id: str) -> bool:
    return channel_id[:1] in ("C", "G")


def channel_members(client: WebClient, channel_id: str) -> frozenset[str] | None:
    """The members of a channel (None when the channel is too big to list); raises ChannelUnseen."""
    key = (client.token or "", channel_id)
    now = time.monotonic()
    with _lock:
        cached = _cache.get(key)
    if cached is not None and now - cached[0] < MEMBERS_TTL_SECONDS:
        return cached[1]
    members: set[str] = set()
    cursor = None
    try:
        for _ in range(MAX_MEMBERS_PAGES):
            page = client.conversations_members(channel=channel_id, limit=1000, cursor=cursor)
            members.update(page.get("members") or [])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        else:
            members = set()
            cursor = "too many"
    except SlackApiError as error:
        if error.response.get("error") in ("channel_not_found", "not_in_channel", "missing_scope"):
            raise ChannelUnseen(channel_id) from None
        raise
    found = None if cursor else frozenset(members)
    with _lock:
        _cache[key] = (now, found)
    return found


def is_member(client: WebClient, *, channel_id: str, user_id: str) -> bool:
    """Whether `user_id` is in `channel_id` (a DM or a user id is theirs only); raises ChannelUnseen."""
    if channel_id.startswith(("U", "W")):
        return channel_id == user_id
    if not _is_conversation_with_people(channel_id):
        return True  # a DM: Slack only shows it, and its buttons, to the people in it
    members = channel_members(client, channel_id)
    return members is None or user_id in members


def check_member(client: WebClient, *, channel_id: str, user_id: str, typed_in: str | None = None) -> None:
    """Refuse to point the bot at a channel the person isn't in, or one the bot can't see (a private channel it
    wasn't invited to: every post there would fail); raises UserError saying how to fix it.

    The channel a command is typed in counts as theirs: Slack only lets members write there.
    """
    if not _is_conversation_with_people(channel_id):
        return
    try:
        if channel_id == typed_in:
            channel_members(client, channel_id)  # only to learn that the bot can see it
            return
        member = is_member(client, channel_id=channel_id, user_id=user_id)
    except ChannelUnseen:
        raise UserError(
            f"I can't see <#{channel_id}>: it is private and I'm not in it, or it doesn't exist.",
            "Invite me there with `/invite @Cadence`, then try again.",
        ) from None
    if not member:
        raise UserError(
            f"You're not in <#{channel_id}>, so I won't post there for you.",
            "Join the channel (or ask one of its members to set this up), then try again.",
        )
