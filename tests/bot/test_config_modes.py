"""The two modes: SLACK_BOT_TOKEN's one workspace (the default), or installed through OAuth (client id and secret)."""

from __future__ import annotations

import pytest

from bot.config import MissingSettings, Settings
from bot.slack.installs import manifest_scopes

OAUTH = {"SLACK_CLIENT_ID": "1111.2222", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"}


def test_with_a_client_id_and_secret_no_bot_token_is_needed_and_the_mode_is_oauth() -> None:
    settings = Settings.from_env(OAUTH)
    assert settings.oauth and settings.bot_token == ""
    assert (settings.client_id, settings.client_secret, settings.redirect_uri) == ("1111.2222", "c", None)
    assert not Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}).oauth


def test_half_the_oauth_credentials_names_the_other_half_and_explains_both_modes() -> None:
    with pytest.raises(MissingSettings) as raised:
        Settings.from_env({"SLACK_CLIENT_ID": "1111.2222", "SLACK_SIGNING_SECRET": "s"})
    assert raised.value.missing == ["SLACK_CLIENT_SECRET"]
    explanation = raised.value.explain()
    assert "Client Secret" in explanation
    assert "SLACK_BOT_TOKEN" in explanation and "SLACK_CLIENT_ID and" in explanation and "/slack/install" in explanation


def test_a_worker_in_oauth_mode_needs_the_client_credentials_not_a_bot_token() -> None:
    with pytest.raises(MissingSettings) as raised:
        Settings.from_env({"SLACK_CLIENT_ID": "1111.2222"}, required=("SLACK_BOT_TOKEN",))
    assert raised.value.missing == ["SLACK_CLIENT_SECRET"]


def test_retention_is_thirty_days_unless_retention_days_says_otherwise() -> None:
    assert Settings.from_env(OAUTH).retention_days == 30
    assert Settings.from_env({**OAUTH, "RETENTION_DAYS": "7"}).retention_days == 7
    assert Settings.from_env({**OAUTH, "SLACK_REDIRECT_URI": "https://x/slack/oauth_redirect"}).redirect_uri == (
        "https://x/slack/oauth_redirect"
    )


def test_the_install_asks_for_the_manifests_bot_scopes() -> None:
    scopes = manifest_scopes()
    assert "commands" in scopes and "chat:write" in scopes and len(scopes) == len(set(scopes))
