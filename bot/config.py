"""Settings from the environment (or a .env file), checked once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///cadence.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_HANDBOOK_URL = "https://handbook.gitlab.com"  # where a page's relative links (`/handbook/…`) point
DEFAULT_DELIVERY_WORKERS = 8
DEFAULT_TICK_SECONDS = 60
DEFAULT_RETENTION_DAYS = 30  # how long an uninstalled workspace's data is kept, so a reinstall brings it all back
WEB_THREADS = 8  # waitress threads answering Slack in a web (or serve) process

HOW_TO_GET = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-…) under OAuth & Permissions after installing the app",
    "SLACK_SIGNING_SECRET": "Basic Information → App Credentials → Signing Secret",
    "SLACK_CLIENT_ID": "Basic Information → App Credentials → Client ID",
    "SLACK_CLIENT_SECRET": "Basic Information → App Credentials → Client Secret",
}
SINGLE_WORKSPACE_SETTINGS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
OAUTH_SETTINGS = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")


class MissingSettings(Exception):
    """Required settings are absent; `missing` names each one."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing

    def explain(self) -> str:
        """A message for the operator: each missing variable and where to find its value."""
        lines = ["Cadence can't start: these settings are missing (set them in the environment or in .env):"]
        lines += [f"  {name}: {HOW_TO_GET[name]}" for name in self.missing]
        lines += [
            "Cadence runs in one of two modes:",
            "  one workspace: set SLACK_BOT_TOKEN (the default);",
            "  installed through Slack's OAuth flow (many workspaces, Enterprise Grid): set SLACK_CLIENT_ID and",
            "  SLACK_CLIENT_SECRET instead, and install at /slack/install.",
            "Create the Slack app from manifest.json first; README.md walks through it.",
        ]
        return "\n".join(lines)


def normalize_database_url(url: str) -> str:
    """Accept URLs as platforms hand them out: `postgres://` (Heroku) becomes psycopg's `postgresql+psycopg://`."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True, slots=True)
class Settings:
    bot_token: str
    signing_secret: str
    app_token: str | None
    database_url: str
    slack_api_url: str
    host: str
    port: int
    slack_timeout_seconds: float
    handbook_url: str = DEFAULT_HANDBOOK_URL
    # How many deliveries a tick has in flight at once (each channel still gets one at a time, about one a second).
    delivery_workers: int = DEFAULT_DELIVERY_WORKERS
    # How often a worker looks for due nudges; a nudge is posted at most this long after its time.
    tick_seconds: int = DEFAULT_TICK_SECONDS
    # OAuth mode (many workspaces) when both are set; otherwise the one workspace of bot_token.
    client_id: str | None = None
    client_secret: str | None = None
    redirect_uri: str | None = None  # when the app's OAuth settings list more than one redirect URL
    # Days an uninstalled workspace's data is kept before it is deleted.
    retention_days: int = DEFAULT_RETENTION_DAYS

    @property
    def oauth(self) -> bool:
        """Whether workspaces install Cadence through Slack's OAuth flow (else: the one SLACK_BOT_TOKEN)."""
        return bool(self.client_id and self.client_secret)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, required: tuple[str, ...] = SINGLE_WORKSPACE_SETTINGS
    ) -> Settings:
        """Read settings; raises MissingSettings naming every absent variable of `required`. With SLACK_CLIENT_ID or
        SLACK_CLIENT_SECRET set (OAuth mode), both are required and SLACK_BOT_TOKEN is not."""
        env = os.environ if env is None else env
        if any(env.get(name) for name in OAUTH_SETTINGS):
            required = tuple(name for name in required if name != "SLACK_BOT_TOKEN") + OAUTH_SETTINGS
        missing = [name for name in dict.fromkeys(required) if not env.get(name)]
        if missing:
            raise MissingSettings(missing)
        api_url = env.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
        return cls(
            bot_token=env.get("SLACK_BOT_TOKEN", ""),
            signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            app_token=env.get("SLACK_APP_TOKEN") or None,
            database_url=normalize_database_url(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL),
            slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
            host=env.get("HOST", "127.0.0.1"),
            port=int(env.get("PORT", "3000")),
            slack_timeout_seconds=float(env.get("SLACK_TIMEOUT_SECONDS", "10")),
            handbook_url=handbook_url(env),
            delivery_workers=max(1, int(env.get("DELIVERY_WORKERS") or DEFAULT_DELIVERY_WORKERS)),
            tick_seconds=max(1, int(env.get("TICK_SECONDS") or DEFAULT_TICK_SECONDS)),
            client_id=env.get("SLACK_CLIENT_ID") or None,
            client_secret=env.get("SLACK_CLIENT_SECRET") or None,
            redirect_uri=env.get("SLACK_REDIRECT_URI") or None,
            retention_days=max(0, int(env.get("RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)),
        )

    def connections(self, *, web: bool, ticks: bool) -> int:
        """Database connections a process can use at once: one per thread that answers Slack and per delivery in
        flight, plus two for the tick's own claims and the away checks."""
        return (WEB_THREADS if web else 0) + (self.delivery_workers + 2 if ticks else 0)


def handbook_url(env: Mapping[str, str] | None = None) -> str:
    """The base URL that a handbook page's relative links (`/handbook/…`) are shown under in Slack: `HANDBOOK_URL`,
    default the public GitLab handbook; read when a message is drawn, so every process shows the same links."""
    env = os.environ if env is None else env
    return (env.get("HANDBOOK_URL") or DEFAULT_HANDBOOK_URL).strip().rstrip("/")


def load_dotenv_file(path: Path = Path(".env")) -> None:
    """Load a .env file into the environment without overriding variables already set."""
    from dotenv import load_dotenv

    load_dotenv(path, override=False)
