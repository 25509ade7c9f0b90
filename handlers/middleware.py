"""Middleware that every request passes: a request log line with team, user and what was asked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext

log = logging.getLogger("cadence.requests")


def register(app: App) -> None:
    """Install the request log."""
    app.use(log_request)


def log_request(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> None:
    """Log one line per request (no user text: reminders can be private)."""
    kind = body.get("command") or body.get("type") or (body.get("event") or {}).get("type")
    log.info("team=%s user=%s %s", context.team_id, context.user_id, kind)
    next()
