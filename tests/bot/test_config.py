"""Settings as platforms and operators give them."""

from __future__ import annotations

import pytest

from bot.config import MissingSettings, Settings, normalize_database_url

CREDENTIALS = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u:p@host:5432/db", "postgresql+psycopg://u:p@host:5432/db"),
        ("postgresql://u@host/db", "postgresql+psycopg://u@host/db"),
        ("postgresql+psycopg://u@host/db", "postgresql+psycopg://u@host/db"),
        ("sqlite:///cadence.db", "sqlite:///cadence.db"),
    ],
)
def test_database_urls_are_accepted_as_platforms_give_them(given: str, used: str) -> None:
    assert normalize_database_url(given) == used


def test_defaults_are_a_sqlite_file_slack_and_loopback() -> None:
    settings = Settings.from_env(CREDENTIALS)
    assert settings.database_url == "sqlite:///cadence.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert (settings.host, settings.port) == ("127.0.0.1", 3000)
    assert settings.app_token is None


def test_slack_api_url_gets_its_trailing_slash() -> None:
    assert Settings.from_env({**CREDENTIALS, "SLACK_API_URL": "http://127.0.0.1:9/api"}).slack_api_url == (
        "http://127.0.0.1:9/api/"
    )


def test_every_missing_credential_is_named_with_where_to_find_it() -> None:
    with pytest.raises(MissingSettings) as raised:
        Settings.from_env({})
    assert raised.value.missing == ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]
    explanation = raised.value.explain()
    assert "SLACK_BOT_TOKEN" in explanation and "OAuth & Permissions" in explanation
    assert "SLACK_SIGNING_SECRET" in explanation and "Signing Secret" in explanation


def test_a_worker_ticks_every_minute_unless_tick_seconds_says_otherwise() -> None:
    from apscheduler.schedulers.background import BackgroundScheduler
    from slack_sdk import WebClient

    from bot.cadence.scheduler import _add_tick_job

    assert Settings.from_env(CREDENTIALS).tick_seconds == 60
    settings = Settings.from_env({**CREDENTIALS, "TICK_SECONDS": "5"})
    scheduler = BackgroundScheduler(timezone="UTC")  # not started: nothing ticks in this test
    _add_tick_job(scheduler, WebClient(token="xoxb-1"), 8, settings.tick_seconds)
    (job,) = scheduler.get_jobs()
    assert settings.tick_seconds == 5 and job.trigger.interval.total_seconds() == 5


def test_processes_started_together_tick_first_at_different_moments_within_one_interval() -> None:
    import random
    from datetime import UTC, datetime, timedelta

    import time_machine

    from bot.cadence.scheduler import first_tick

    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    rng = random.Random(7)
    with time_machine.travel(start, tick=False):
        firsts = [first_tick(60, rng=rng) for _ in range(3)]
    assert all(start <= moment <= start + timedelta(seconds=60) for moment in firsts)
    assert len(set(firsts)) == 3


def test_the_pool_has_a_connection_for_each_thread_that_answers_slack_or_delivers(tmp_path) -> None:
    from bot import db

    settings = Settings.from_env({**CREDENTIALS, "DELIVERY_WORKERS": "20"})
    assert settings.connections(web=True, ticks=True) == 8 + 20 + 2  # `python app.py serve`: both in one process
    assert settings.connections(web=True, ticks=False) == 8
    assert settings.connections(web=False, ticks=True) == 22
    engine = db.configure(f"sqlite:///{tmp_path / 'pool.db'}", connections=settings.connections(web=False, ticks=True))
    try:
        assert engine.pool.size() == 22
    finally:
        engine.dispose()
