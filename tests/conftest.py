"""Fixtures: a real database (SQLite file and PostgreSQL), the running app over HTTP, the Slack stand-in."""

from __future__ import annotations

import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot import db as bot_db
from bot.config import Settings
from devtools.app_client import AppClient
from devtools.postgres_server import PostgresServer
from devtools.slack_stand_in import SlackStandIn
from handlers.membership import forget_members
from handlers.web import build_app, wsgi_app

SIGNING_SECRET = "test-signing-secret"
TEAM_ID = "T0001"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL 15 server for the whole run, with a migrated template database."""
    server = PostgresServer().start()
    bot_db.upgrade_to_head(server.create_database("cadence_template"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "cadence.db"
    bot_db.upgrade_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated database of each kind; the code under test is pointed at it."""
    if request.param == "sqlite":
        path = tmp_path / "cadence.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        name = f"cadence_{uuid.uuid4().hex[:12]}"
        import psycopg

        with psycopg.connect(server.url().replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE cadence_template')
        url = server.url(name)
    bot_db.configure(url)
    return url


@pytest.fixture
def db(database_url: str) -> Iterator[Session]:
    """A session for assertions, separate from the app's own transactions."""
    session = Session(bot_db.engine(), expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()


@pytest.fixture(scope="session")
def slack_server() -> Iterator[SlackStandIn]:
    """The Slack Web API stand-in, one for the run."""
    stand_in = SlackStandIn()
    stand_in.start()
    try:
        yield stand_in
    finally:
        stand_in.stop()


@pytest.fixture
def slack(slack_server: SlackStandIn) -> Iterator[SlackStandIn]:
    """The stand-in, emptied, with the people and channels the tests use; fails a test whose app sent bad payloads."""
    slack_server.reset()
    forget_members()  # channel members are cached for a minute; each test's stand-in starts with its own
    slack_server.add_user("U_ALICE", name="alice", real_name="Alice Archer", tz="Europe/Paris")
    slack_server.add_user("U_BOB", name="bob", real_name="Bob Baker", tz="America/New_York")
    slack_server.add_user("U_ADMIN", name="ada", real_name="Ada Admin", tz="UTC", is_admin=True)
    slack_server.add_channel("C_GENERAL", "general", members=["U_ALICE", "U_BOB", "U_ADMIN"])
    slack_server.add_channel("C_TEAM", "team-sync", members=["U_ALICE", "U_BOB"])
    yield slack_server
    assert slack_server.problems == [], "the app sent Slack something it would reject"


def settings_for(slack_url: str, database_url: str = "sqlite://") -> Settings:
    """Settings the way an operator would give them, pointed at the stand-in."""
    return Settings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack_url,
            "DATABASE_URL": database_url,
            "SLACK_TIMEOUT_SECONDS": "2",  # a loaded machine answers a loopback call in well under 2 s
        }
    )


@pytest.fixture(scope="session")
def app_url(slack_server: SlackStandIn) -> Iterator[str]:
    """The real app behind waitress on a loopback port, as Slack would reach it."""
    from waitress.server import create_server

    app = build_app(settings_for(slack_server.url))
    server = create_server(wsgi_app(app), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}/slack/events"
    finally:
        server.task_dispatcher.shutdown()  # let request threads finish before the socket goes
        server.trigger.pull_trigger(server.close)  # closed from its own loop, not racing its select()
        thread.join(timeout=5)


@pytest.fixture
def slack_client(slack: SlackStandIn):  # type: ignore[no-untyped-def]
    """The WebClient the scheduler uses, pointed at the stand-in."""
    from bot.slack.client import make_client

    return make_client(settings_for(slack.url))


@pytest.fixture
def app(app_url: str, slack: SlackStandIn, database_url: str) -> AppClient:
    """Send signed requests to the running app as a given user in a given channel."""
    return AppClient(app_url, SIGNING_SECRET, slack, team_id=TEAM_ID)


# ----------------------------------------------------------------------------- OAuth mode (many workspaces)


def oauth_settings_for(slack_url: str, database_url: str = "sqlite://", **extra: str) -> Settings:
    """Settings of an app installed through Slack's OAuth flow (no SLACK_BOT_TOKEN), pointed at the stand-in."""
    from devtools.slack_stand_in import CLIENT_ID, CLIENT_SECRET

    return Settings.from_env(
        {
            "SLACK_CLIENT_ID": CLIENT_ID,
            "SLACK_CLIENT_SECRET": CLIENT_SECRET,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack_url,
            "DATABASE_URL": database_url,
            "SLACK_TIMEOUT_SECONDS": "2",
            **extra,
        }
    )


@pytest.fixture(scope="session")
def oauth_app_root(slack_server: SlackStandIn) -> Iterator[str]:
    """The app in OAuth mode behind waitress: `http://127.0.0.1:PORT` (/slack/install, /slack/oauth_redirect,
    /slack/events)."""
    from waitress.server import create_server

    app = build_app(oauth_settings_for(slack_server.url))
    server = create_server(wsgi_app(app), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.task_dispatcher.shutdown()
        server.trigger.pull_trigger(server.close)
        thread.join(timeout=5)
