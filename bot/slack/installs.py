"""Where Cadence is installed, and the Web API client of each workspace.

Two modes (bot.config): one workspace with SLACK_BOT_TOKEN, or any number installed through Slack's OAuth flow
(slack_bolt's OAuthFlow, slack_sdk's SQLAlchemy stores on Cadence's own tables, models/installation.py). A request's
client comes from Bolt (its authorize finds the installation, rotating an expiring token); everything outside a
request (nudges, the command-line tools) asks `Workspaces.client_for(team_id)`.

Enterprise Grid: an org-wide install is stored for the org (team_id NULL), so a workspace's installation is looked
up by its enterprise and team; the workspace row remembers its enterprise (at install, and on its first request).
"""

from __future__ import annotations

import json
import logging
import weakref
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from threading import Lock
from typing import Any, Protocol

from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from bot import clock, db
from bot.config import Settings
from bot.slack.client import make_client
from models import Delivery, DeliveryStatus, Workspace, slack_bots, slack_installations, slack_oauth_states

log = logging.getLogger(__name__)

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.json"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# Bolt's default: a token expiring within this many minutes is refreshed before it is used.
ROTATE_MINUTES_BEFORE_EXPIRY = 120
# Deliveries not yet in Slack when a workspace uninstalls: called off, not failed (nobody is there to tell).
UNSENT = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.UNKNOWN)


def manifest_scopes(path: Path = MANIFEST) -> list[str]:
    """The bot scopes the install asks for: manifest.json's, so the app and its install agree on one list."""
    return list(json.loads(path.read_text())["oauth_config"]["scopes"]["bot"])


# ----------------------------------------------------------------------------- the stores, on Cadence's database


class InstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy store on Cadence's tables and engine; saving an installation (a new install, a
    reinstall, a rotated token) marks its workspace installed again."""

    def __init__(self, client_id: str) -> None:
        super().__init__(client_id=client_id, engine=None)  # type: ignore[arg-type] # the engine is read per call
        self.metadata = slack_installations.metadata
        self.installations, self.bots = slack_installations, slack_bots

    @property  # type: ignore[override]
    def engine(self) -> Engine:
        """The process's engine at the time of the call (tests point the process at a new database each)."""
        return db.engine()

    @engine.setter
    def engine(self, _value: Any) -> None:
        """slack_sdk's __init__ assigns the engine it was given; Cadence's is always bot.db's."""

    def save(self, installation: Installation) -> None:
        """Store the installation and its bot; its workspace (or, org-wide, its org's) is installed again."""
        super().save(installation)
        mark_installed(
            enterprise_id=installation.enterprise_id,
            team_id=None if installation.is_enterprise_install else installation.team_id,
        )


class StateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's OAuth state store on Cadence's table and engine: a state is good for one callback, within
    `expiration_seconds`."""

    def __init__(self, *, expiration_seconds: int) -> None:
        super().__init__(expiration_seconds=expiration_seconds, engine=None)  # type: ignore[arg-type]
        self.metadata = slack_oauth_states.metadata
        self.oauth_states = slack_oauth_states

    @property  # type: ignore[override]
    def engine(self) -> Engine:
        """The process's engine at the time of the call."""
        return db.engine()

    @engine.setter
    def engine(self, _value: Any) -> None:
        """Ignored: see InstallationStore.engine."""


# ----------------------------------------------------------------------------- clients outside requests


class Workspaces(Protocol):
    """The Web API client for a workspace, or None when Cadence has no token there (uninstalled, revoked)."""

    def client_for(self, team_id: str) -> WebClient | None:
        """The client that speaks for `team_id`'s bot."""
        ...


@dataclass(frozen=True, slots=True)
class SingleWorkspace:
    """Single-workspace mode: SLACK_BOT_TOKEN's client, for every team."""

    client: WebClient

    def client_for(self, team_id: str) -> WebClient | None:
        """The one client."""
        return self.client


@dataclass
class InstalledWorkspaces:
    """OAuth mode: each workspace's bot token from the installation store, refreshed (and the refreshed tokens
    saved) when it expires within ROTATE_MINUTES_BEFORE_EXPIRY."""

    settings: Settings
    store: InstallationStore
    rotator: TokenRotator

    def client_for(self, team_id: str) -> WebClient | None:
        """The team's client; None when it is marked uninstalled or has no installation."""
        installation = self.installation_for(team_id)
        if installation is None or not installation.bot_token:
            return None
        return make_client(self.settings, token=installation.bot_token, team_id=team_id)

    def installation_for(self, team_id: str) -> Installation | None:
        """The team's own installation, else its org's org-wide one, with its tokens refreshed if they expire soon."""
        with db.kept_aside() as session:
            workspace = session.get(Workspace, team_id)
            enterprise_id = workspace.enterprise_id if workspace is not None else None
            if workspace is not None and workspace.uninstalled_at is not None:
                return None
        installation = self.store.find_installation(enterprise_id=enterprise_id, team_id=team_id)
        if installation is None and enterprise_id is not None:
            installation = self.store.find_installation(
                enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
            )
        if installation is None:
            return None
        refreshed = self.rotator.perform_token_rotation(
            installation=installation, minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY
        )
        if refreshed is not None:
            self.store.save(refreshed)  # what Bolt's authorize does with a refreshed installation
            return refreshed
        return installation


@dataclass
class RememberedClients:
    """One tick's clients: each workspace's is looked up (and its token refreshed) once per tick, from any thread."""

    workspaces: Workspaces
    _clients: dict[str, WebClient | None] = field(default_factory=dict)
    _lock: Lock = field(default_factory=Lock)

    def client_for(self, team_id: str) -> WebClient | None:
        """The team's client, as the wrapped Workspaces answered the first time it was asked this tick."""
        with self._lock:
            if team_id not in self._clients:
                self._clients[team_id] = self.workspaces.client_for(team_id)
            return self._clients[team_id]


def workspaces_for(settings: Settings, client: WebClient | None = None) -> Workspaces:
    """The Workspaces of the configured mode; `client` is single mode's (made from the settings when not given)."""
    if not settings.oauth:
        return SingleWorkspace(client or make_client(settings))
    return InstalledWorkspaces(settings=settings, store=installation_store(settings), rotator=rotator(settings))


def installation_store(settings: Settings) -> InstallationStore:
    """The installation store for the app's client id."""
    assert settings.client_id is not None, "OAuth mode needs SLACK_CLIENT_ID"
    return InstallationStore(settings.client_id)


def rotator(settings: Settings) -> TokenRotator:
    """slack_sdk's TokenRotator, calling oauth.v2.access at SLACK_API_URL."""
    assert settings.client_id and settings.client_secret, "OAuth mode needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"
    return TokenRotator(
        client_id=settings.client_id, client_secret=settings.client_secret, client=make_client(settings)
    )


# ----------------------------------------------------------------------------- Bolt's OAuth flow


def oauth_options(settings: Settings, *, client: WebClient, logger: logging.Logger) -> dict[str, Any]:
    """The App(...) options of OAuth mode: the install flow at /slack/install → /slack/oauth_redirect on Cadence's
    stores, and an authorize whose token refreshes go to SLACK_API_URL (OAuthSettings' own would call slack.com)."""
    assert settings.client_id and settings.client_secret, "OAuth mode needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"
    store = installation_store(settings)
    oauth = OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=manifest_scopes(),
        user_scopes=[],
        redirect_uri=settings.redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=store,
        state_store=StateStore(expiration_seconds=600),
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE_EXPIRY,
        logger=logger,
    )
    authorize = InstallationStoreAuthorize(
        logger=logger,
        installation_store=store,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE_EXPIRY,
        client=client,
        # auth.test once per token, not per request: a token is looked up in the store on every request first, so
        # an uninstalled workspace's (deleted) token is never reused from here.
        cache_enabled=True,
    )
    return {"oauth_settings": oauth, "authorize": authorize}


# ----------------------------------------------------------------------------- installed, uninstalled, forgotten

# Per engine (tests use a database each): the (team, enterprise) pairs already written this process.
_remembered: weakref.WeakKeyDictionary[Engine, set[tuple[str, str]]] = weakref.WeakKeyDictionary()


def remember_enterprise(*, team_id: str, enterprise_id: str) -> None:
    """A request came from `team_id` of the Grid org `enterprise_id`: its workspace row says so (once per process),
    so the worker finds the org-wide install for it."""
    engine = db.engine()
    seen = _remembered.setdefault(engine, set())
    if (team_id, enterprise_id) in seen:
        return
    with db.kept_aside() as session:
        _ensure(session, team_id)
        session.execute(update(Workspace).where(Workspace.team_id == team_id).values(enterprise_id=enterprise_id))
    seen.add((team_id, enterprise_id))


def _ensure(session: Session, team_id: str) -> None:
    db.insert_or_ignore(session, Workspace, {"team_id": team_id, "created_at": clock.now()}, conflict=["team_id"])


def mark_installed(*, enterprise_id: str | None, team_id: str | None) -> None:
    """An installation was saved: the workspace (with its enterprise), or every workspace of an org-wide install's
    org, is installed; an uninstall mark is cleared, so its programs and nudges are back."""
    with db.kept_aside() as session:
        if team_id is not None:
            _ensure(session, team_id)
            values: dict[str, Any] = {"uninstalled_at": None, "enterprise_id": enterprise_id}
            session.execute(update(Workspace).where(Workspace.team_id == team_id).values(**values))
        elif enterprise_id is not None:
            session.execute(
                update(Workspace).where(Workspace.enterprise_id == enterprise_id).values(uninstalled_at=None)
            )


def uninstall(
    session: Session, *, store: InstallationStore, enterprise_id: str | None, team_id: str | None, org_wide: bool
) -> list[str]:
    """Slack said the app is gone (app_uninstalled, or the bot's tokens revoked): its tokens are deleted now, the
    workspace (org-wide: each of the org's without an install of its own) is marked uninstalled and its unsent
    deliveries are called off; its data stays for RETENTION_DAYS. Returns the teams marked."""
    now = clock.now()
    if org_wide:
        store.delete_all(enterprise_id=enterprise_id, team_id=None)
        teams = list(
            session.scalars(
                select(Workspace.team_id).where(
                    Workspace.enterprise_id == enterprise_id, Workspace.uninstalled_at.is_(None)
                )
            )
        )
        teams = [team for team in teams if store.find_bot(enterprise_id=enterprise_id, team_id=team) is None]
    else:
        store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
        teams = [team_id] if team_id else []
    for team in teams:
        _ensure(session, team)
    if teams:
        session.execute(update(Workspace).where(Workspace.team_id.in_(teams)).values(uninstalled_at=now))
        session.execute(
            update(Delivery)
            .where(Delivery.team_id.in_(teams), Delivery.status.in_(UNSENT))
            .values(status=DeliveryStatus.CANCELLED, lease_owner=None, last_error="Cadence was uninstalled")
            .execution_options(synchronize_session=False)
        )
    return teams


def uninstalled_since(session: Session, *, before: datetime) -> list[str]:
    """Teams uninstalled before `before` (their grace period is over)."""
    return list(
        session.scalars(
            select(Workspace.team_id).where(Workspace.uninstalled_at.is_not(None), Workspace.uninstalled_at < before)
        )
    )
