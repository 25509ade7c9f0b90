"""The Slack Web API client every process uses (web, worker, tick, the command-line importers, the console)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.config import Settings


def make_client(settings: Settings) -> WebClient:
    """The Web API client; no automatic retries, because a blind retry of chat.postMessage can post twice."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout_seconds,
        retry_handlers=[],
    )
