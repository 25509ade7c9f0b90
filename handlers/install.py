"""Install and uninstall: Slack's app_uninstalled and tokens_revoked events, and (Enterprise Grid) the org a request's
workspace belongs to. The install flow itself is Bolt's (bot/slack/installs.py configures it)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.config import Settings
from bot.db import unit_of_work
from bot.slack import installs
from handlers.boundary import safe

log = logging.getLogger(__name__)


def register(app: App, settings: Settings) -> None:
    """Wire the uninstall events; in OAuth mode also remember each Grid workspace's org."""
    if settings.oauth:
        store = installs.installation_store(settings)
        app.use(remember_enterprise)
        app.event("app_uninstalled")(uninstalled_by(store))
        app.event("tokens_revoked")(tokens_revoked_by(store))
    else:
        app.event("app_uninstalled")(on_app_uninstalled)
        app.event("tokens_revoked")(on_tokens_revoked)


def remember_enterprise(context: BoltContext, next: Callable[[], None]) -> None:
    """A request from a workspace of a Grid org: its workspace row learns the org (once per process), so nudges
    outside requests find the org-wide install."""
    if context.enterprise_id and context.team_id:
        installs.remember_enterprise(team_id=context.team_id, enterprise_id=context.enterprise_id)
    next()


def uninstalled_by(store: installs.InstallationStore, reason: str = "app_uninstalled") -> Callable[..., None]:
    """The listener for Slack saying the app is gone: tokens deleted, nudges stopped, data kept for the grace."""

    def on_app_uninstalled(ack: Ack, context: BoltContext) -> None:
        with unit_of_work() as session:
            teams = installs.uninstall(
                session,
                store=store,
                enterprise_id=context.enterprise_id,
                team_id=context.team_id,
                org_wide=bool(context.is_enterprise_install),
            )
        log.info("%s: tokens deleted, nudges stopped for %s", reason, ",".join(safe(team) for team in teams) or "-")
        ack()

    return on_app_uninstalled


def tokens_revoked_by(store: installs.InstallationStore) -> Callable[..., None]:
    """tokens_revoked: when the bot's token is among them, the workspace is as good as uninstalled (Cadence asks
    for no user tokens, so a user's revoked token changes nothing here)."""
    uninstalled = uninstalled_by(store, "tokens_revoked")

    def on_tokens_revoked(ack: Ack, event: dict[str, Any], context: BoltContext) -> None:
        if (event.get("tokens") or {}).get("bot"):
            uninstalled(ack=ack, context=context)
        else:
            ack()

    return on_tokens_revoked


def on_app_uninstalled(ack: Ack, context: BoltContext) -> None:
    """Single-workspace mode: SLACK_BOT_TOKEN no longer works, and only the operator can change it."""
    log.warning(
        "Slack says Cadence was uninstalled from %s: SLACK_BOT_TOKEN no longer works; reinstall the app and set "
        "the new token",
        safe(context.team_id),
    )
    ack()


def on_tokens_revoked(ack: Ack, event: dict[str, Any], context: BoltContext) -> None:
    """Single-workspace mode: when the bot's token is revoked, the operator must set a new one."""
    if (event.get("tokens") or {}).get("bot"):
        log.warning("Slack says the bot token of %s was revoked: set a new SLACK_BOT_TOKEN", safe(context.team_id))
    ack()
