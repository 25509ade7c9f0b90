"""Middleware that every request passes: a request log line with team, user and what was asked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest

from handlers.boundary import safe

log = logging.getLogger("cadence.requests")


def register(app: App) -> None:
    """Install the request log."""
    app.use(log_request)


def log_request(body: dict[str, Any], context: BoltContext, request: BoltRequest, next: Callable[[], None]) -> None:
    """Log one line per request: ids, kinds and sizes only (no user text: reminders can be private), each value
    cut to id characters so a newline in a request can't forge a log line."""
    kind = body.get("command") or body.get("type")
    detail = (body.get("event") or {}).get("type") or _action_id(body) or (body.get("view") or {}).get("callback_id")
    retry = (request.headers.get("x-slack-retry-num") or [""])[0]
    log.info(
        "team=%s user=%s channel=%s %s %s bytes=%d%s",
        safe(context.team_id),
        safe(context.user_id),
        safe(context.channel_id),
        safe(kind),
        safe(detail),
        len(request.raw_body or ""),
        f" retry={safe(retry)}" if retry else "",
    )
    next()


def _action_id(body: dict[str, Any]) -> str | None:
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    return first.get("action_id") if isinstance(first, dict) else None
