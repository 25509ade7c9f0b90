"""The stand-in's installs: oauth.v2.access for configured workspaces and orgs (and refresh tokens), auth.test per
token, and tokens refused the way Slack refuses them."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import time_machine
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from devtools.slack_stand_in import CLIENT_ID, CLIENT_SECRET, ISSUED_PREFIX, SlackStandIn


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as stand_in:
        yield stand_in


def app_client(slack: SlackStandIn) -> WebClient:
    return WebClient(base_url=slack.url, retry_handlers=[])


def test_a_code_installs_its_workspace_once_and_auth_test_answers_for_the_issued_token(slack: SlackStandIn) -> None:
    slack.add_install("code-a", team_id="T_A", team_name="Acme")
    answer = app_client(slack).oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code="code-a")
    token = answer["access_token"]
    assert token.startswith(ISSUED_PREFIX) and answer["team"] == {"id": "T_A", "name": "Acme"}
    assert answer["is_enterprise_install"] is False and "refresh_token" not in answer
    identity = WebClient(token=token, base_url=slack.url).auth_test()
    assert identity["team_id"] == "T_A"
    assert slack.calls("auth.test")[-1]["token"] == token  # each recorded call keeps its token
    with pytest.raises(SlackApiError) as again:
        app_client(slack).oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code="code-a")
    assert again.value.response["error"] == "invalid_code"


def test_wrong_client_credentials_are_refused(slack: SlackStandIn) -> None:
    slack.add_install("code-a", team_id="T_A")
    with pytest.raises(SlackApiError) as refused:
        app_client(slack).oauth_v2_access(client_id=CLIENT_ID, client_secret="wrong", code="code-a")
    assert refused.value.response["error"] == "invalid_client_id"


def test_an_org_wide_install_has_no_team_and_its_token_speaks_for_the_org(slack: SlackStandIn) -> None:
    slack.add_install("code-grid", team_id=None, enterprise_id="E_GRID")
    answer = app_client(slack).oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code="code-grid")
    assert answer["team"] is None and answer["enterprise"]["id"] == "E_GRID" and answer["is_enterprise_install"]
    identity = WebClient(token=answer["access_token"], base_url=slack.url).auth_test()
    assert identity["enterprise_id"] == "E_GRID" and identity["is_enterprise_install"] is True


def test_revoked_unknown_and_expired_tokens_are_refused_and_the_single_workspaces_token_still_works(
    slack: SlackStandIn,
) -> None:
    slack.add_install("code-a", team_id="T_A", expires_in=3600)
    answer = app_client(slack).oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code="code-a")
    issued = WebClient(token=answer["access_token"], base_url=slack.url)
    with time_machine.travel(time.time() + 2 * answer["expires_in"], tick=False):
        with pytest.raises(SlackApiError) as expired:
            issued.auth_test()
    assert expired.value.response["error"] == "token_expired"
    with pytest.raises(SlackApiError) as unknown:
        WebClient(token=ISSUED_PREFIX + "never-issued", base_url=slack.url).auth_test()
    assert unknown.value.response["error"] == "invalid_auth"
    slack.revoke_tokens(team_id="T_A")
    with pytest.raises(SlackApiError) as revoked:
        issued.chat_postMessage(channel="C_GENERAL", text="hi")
    assert revoked.value.response["error"] == "token_revoked"
    assert slack.messages("C_GENERAL") == []
    assert WebClient(token="xoxb-test-token", base_url=slack.url).auth_test()["team_id"] == "T0001"


def test_a_refresh_token_gives_a_new_token_once(slack: SlackStandIn) -> None:
    slack.add_install("code-a", team_id="T_A", expires_in=3600)
    first = app_client(slack).oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code="code-a")
    refresh = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "grant_type": "refresh_token"}
    second = app_client(slack).oauth_v2_access(**refresh, refresh_token=first["refresh_token"])
    assert second["access_token"] != first["access_token"] and second["token_type"] == "bot"
    assert slack.tokens_of(team_id="T_A") == [first["access_token"], second["access_token"]]
    with pytest.raises(SlackApiError) as reused:
        app_client(slack).oauth_v2_access(**refresh, refresh_token=first["refresh_token"])
    assert reused.value.response["error"] == "invalid_refresh_token"
