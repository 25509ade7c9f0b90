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
