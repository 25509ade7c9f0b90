"""The Slack Web API client every process uses (web, worker, tick, the command-line importers, the console)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.config import Settings


def make_client(settings: Settings, *, token: str | None = None, team_id: str | None = None) -> WebClient:
    """The Web API client at SLACK_API_URL, with `token` (default SLACK_BOT_TOKEN; in OAuth mode, a workspace's
    bot token or none); no automatic retries, because a blind retry of chat.postMessage can post twice. `team_id`
    goes with every call: an org-wide (Enterprise Grid) token needs it to know which workspace is meant, a
    workspace's own token ignores it (Bolt does the same for each request's client)."""
    return WebClient(
        token=token or (None if settings.oauth else settings.bot_token) or None,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout_seconds,
        retry_handlers=[],
        team_id=team_id,
    )
