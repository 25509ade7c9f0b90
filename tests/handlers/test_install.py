"""OAuth mode: workspaces install Cadence through /slack/install → /slack/oauth_redirect (Bolt's flow, the stand-in
answering oauth.v2.access), then each is served, and nudged, with its own token; Enterprise Grid org-wide installs;
the state parameter; token rotation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from bot.slack.installs import workspaces_for
from devtools.app_client import AppClient, GridAppClient, install_through_the_flow, oauth_redirect, open_install_page
from devtools.slack_stand_in import ISSUED_PREFIX, SlackStandIn
from models import Cadence, Workspace, slack_installations
from tests.conftest import SIGNING_SECRET, oauth_settings_for

CREATED = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday
DUE = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
ADD_WEEKLY = 'add "Weekly sync" every monday at 09:30'


@pytest.fixture
def oauth(oauth_app_root: str, slack: SlackStandIn, database_url: str) -> str:
    """The OAuth-mode app's root URL, on this test's database and an emptied stand-in."""
    return oauth_app_root


def team_client(root: str, slack: SlackStandIn, team_id: str) -> AppClient:
    return AppClient(f"{root}/slack/events", SIGNING_SECRET, slack, team_id=team_id)


def install(root: str, slack: SlackStandIn, code: str, **where: object) -> str:
    """Install through the flow (the stand-in answering `code` for `where`); returns the bot token it issued."""
    slack.add_install(code, **where)  # type: ignore[arg-type]
    status, page = install_through_the_flow(root, code=code)
    assert status == 200, page
    team_id, enterprise_id = where.get("team_id"), where.get("enterprise_id")
    return slack.tokens_of(team_id=team_id, enterprise_id=enterprise_id)[-1]  # type: ignore[arg-type]


def tokens_during(slack: SlackStandIn, action) -> set[str | None]:  # type: ignore[no-untyped-def]
    since = len(slack.methods_called())
    action()
    used = slack.tokens_used(since)
    assert used, "the action called Slack"
    return {token for _, token in used}


def test_an_install_through_the_flow_stores_the_installation_and_its_workspace(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    token = install(oauth, slack, "code-acme", team_id="T_ACME", team_name="Acme")
    row = db.execute(select(slack_installations)).one()
    assert (row.team_id, row.enterprise_id, row.bot_token, row.is_enterprise_install) == ("T_ACME", None, token, False)
    assert token.startswith(ISSUED_PREFIX)
    [access] = slack.calls("oauth.v2.access")
    assert access["code"] == "code-acme"
    workspace = db.get(Workspace, "T_ACME")
    assert workspace is not None and workspace.uninstalled_at is None


def test_two_installed_workspaces_answer_commands_each_with_its_own_token(oauth: str, slack: SlackStandIn) -> None:
    acme = install(oauth, slack, "code-acme", team_id="T_ACME")
    beta = install(oauth, slack, "code-beta", team_id="T_BETA")
    assert acme != beta
    replies = {}

    def command(team: str) -> None:
        replies[team] = team_client(oauth, slack, team).command(
            "/cadence", ADD_WEEKLY, user="U_ALICE", channel="C_TEAM"
        )

    assert tokens_during(slack, lambda: command("T_ACME")) == {acme}
    assert tokens_during(slack, lambda: command("T_BETA")) == {beta}
    for reply in replies.values():
        assert reply.status == 200 and "Weekly sync" in reply.all_text()


def test_two_workspaces_installed_through_the_flow_each_get_their_nudges_with_their_own_tokens(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    acme = install(oauth, slack, "code-acme", team_id="T_ACME")
    beta = install(oauth, slack, "code-beta", team_id="T_BETA")
    with time_machine.travel(CREATED, tick=False):
        team_client(oauth, slack, "T_ACME").command("/cadence", ADD_WEEKLY, user="U_ALICE", channel="C_TEAM")
        team_client(oauth, slack, "T_BETA").command("/cadence", ADD_WEEKLY, user="U_ADMIN", channel="C_GENERAL")
    assert sorted(db.scalars(select(Cadence.team_id))) == ["T_ACME", "T_BETA"]

    report = dispatcher.tick(DUE, workspaces=workspaces_for(oauth_settings_for(slack.url)))

    assert report.outcome.posted == 2 and report.outcome.failed == 0
    posted = {call["channel"]: call["token"] for call in slack.calls("chat.postMessage")}
    assert posted == {"C_TEAM": acme, "C_GENERAL": beta}


def test_a_forged_state_is_refused_and_stores_nothing(oauth: str, slack: SlackStandIn, db: Session) -> None:
    slack.add_install("code-acme", team_id="T_ACME")
    page = open_install_page(oauth)
    assert page.status == 200 and page.state and page.state in page.cookie
    # A state the app never issued, whether or not the browser's cookie agrees with it.
    status, _ = oauth_redirect(oauth, code="code-acme", state="forged-state", cookie=page.cookie)
    assert status == 400
    status, _ = oauth_redirect(
        oauth, code="code-acme", state="forged-state", cookie="slack-app-oauth-state=forged-state"
    )
    assert status == 401
    assert slack.calls("oauth.v2.access") == []
    assert db.execute(select(slack_installations)).all() == []


def test_a_replayed_state_is_refused_and_stores_nothing_more(oauth: str, slack: SlackStandIn, db: Session) -> None:
    slack.add_install("code-acme", team_id="T_ACME")
    slack.add_install("code-evil", team_id="T_EVIL")
    page = open_install_page(oauth)
    assert oauth_redirect(oauth, code="code-acme", state=page.state, cookie=page.cookie)[0] == 200

    status, _ = oauth_redirect(oauth, code="code-evil", state=page.state, cookie=page.cookie)

    assert status == 401
    assert [call["code"] for call in slack.calls("oauth.v2.access")] == ["code-acme"]
    assert [row.team_id for row in db.execute(select(slack_installations))] == ["T_ACME"]


def test_an_org_wide_grid_install_serves_commands_and_nudges_of_two_of_its_workspaces(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    org = install(oauth, slack, "code-grid", team_id=None, enterprise_id="E_GRID", enterprise_name="Grid Co")
    row = db.execute(select(slack_installations)).one()
    assert (row.team_id, row.enterprise_id, row.is_enterprise_install) == (None, "E_GRID", True)
    clients = {
        team: GridAppClient(
            f"{oauth}/slack/events", SIGNING_SECRET, slack, team_id=team, enterprise_id="E_GRID", org_wide=True
        )
        for team in ("T_GRID1", "T_GRID2")
    }
    channels = {"T_GRID1": "C_TEAM", "T_GRID2": "C_GENERAL"}
    with time_machine.travel(CREATED, tick=False):
        for team, client in clients.items():
            assert tokens_during(
                slack, lambda c=client, t=team: c.command("/cadence", ADD_WEEKLY, user="U_ALICE", channel=channels[t])
            ) == {org}
    db.expire_all()
    assert {w.team_id: w.enterprise_id for w in db.scalars(select(Workspace))} == {
        "T_GRID1": "E_GRID",
        "T_GRID2": "E_GRID",
    }

    report = dispatcher.tick(DUE, workspaces=workspaces_for(oauth_settings_for(slack.url)))

    assert report.outcome.posted == 2
    posts = slack.calls("chat.postMessage")
    assert {call["channel"]: call["token"] for call in posts} == {"C_TEAM": org, "C_GENERAL": org}
    # An org-wide token names the workspace it acts for on each call.
    assert {call["channel"]: call.get("team_id") for call in posts} == {"C_TEAM": "T_GRID1", "C_GENERAL": "T_GRID2"}


def test_an_expiring_token_is_refreshed_before_a_nudge_and_the_new_one_is_used_and_stored(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    evening = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    with time_machine.travel(CREATED, tick=False):
        first = install(oauth, slack, "code-acme", team_id="T_ACME", expires_in=12 * 3600)  # until 20:00
        team_client(oauth, slack, "T_ACME").command(
            "/cadence", 'add "Evening check" every monday at 19:00', user="U_ALICE", channel="C_TEAM"
        )
    assert [call.get("grant_type") for call in slack.calls("oauth.v2.access")] == [None]

    with time_machine.travel(evening, tick=False):  # an hour before it expires: within Bolt's two hours
        report = dispatcher.tick(evening, workspaces=workspaces_for(oauth_settings_for(slack.url)))

    refreshed = slack.tokens_of(team_id="T_ACME")[-1]
    assert refreshed != first
    assert [call.get("grant_type") for call in slack.calls("oauth.v2.access")] == [None, "refresh_token"]
    assert report.outcome.posted == 1
    assert [call["token"] for call in slack.calls("chat.postMessage")] == [refreshed]
    stored = db.execute(select(slack_installations.c.bot_token).where(slack_installations.c.team_id == "T_ACME"))
    assert refreshed in set(stored.scalars())

    with time_machine.travel(evening + timedelta(hours=2), tick=False):  # the first token has expired by now
        used = tokens_during(
            slack,
            lambda: team_client(oauth, slack, "T_ACME").command("/cadence", "list", user="U_ALICE", channel="C_TEAM"),
        )
    assert used == {refreshed}


def test_a_command_with_an_expiring_token_refreshes_it_through_bolt(oauth: str, slack: SlackStandIn) -> None:
    with time_machine.travel(CREATED, tick=False):
        first = install(oauth, slack, "code-acme", team_id="T_ACME", expires_in=3600)  # within two hours already
        reply_tokens = tokens_during(
            slack,
            lambda: team_client(oauth, slack, "T_ACME").command("/cadence", ADD_WEEKLY, user="U_ALICE"),
        )
    refreshed = slack.tokens_of(team_id="T_ACME")[-1]
    assert refreshed != first
    assert reply_tokens - {None} == {refreshed}  # oauth.v2.access itself carries the app's credentials, no token
    assert [call.get("grant_type") for call in slack.calls("oauth.v2.access")] == [None, "refresh_token"]


def test_app_home_is_published_with_the_workspaces_own_token(oauth: str, slack: SlackStandIn) -> None:
    acme = install(oauth, slack, "code-acme", team_id="T_ACME")
    install(oauth, slack, "code-beta", team_id="T_BETA")

    reply = team_client(oauth, slack, "T_ACME").event(
        {"type": "app_home_opened", "user": "U_ALICE", "channel": "D_ALICE", "tab": "home"}
    )

    assert reply.status == 200
    assert [call["token"] for call in slack.calls("views.publish")] == [acme]


def run_cli(slack: SlackStandIn, database_url: str, *words: str):  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    from pathlib import Path

    from devtools.slack_stand_in import CLIENT_ID, CLIENT_SECRET

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env |= {
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": database_url,
    }
    return subprocess.run(
        [sys.executable, "app.py", *words], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )


def test_a_command_line_tool_in_oauth_mode_works_on_the_workspace_its_team_names(
    oauth: str, slack: SlackStandIn, database_url: str
) -> None:
    install(oauth, slack, "code-acme", team_id="T_ACME")
    beta = install(oauth, slack, "code-beta", team_id="T_BETA")
    setup = team_client(oauth, slack, "T_BETA").command(
        "/cocreate", "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>", user="U_ADMIN"
    )
    assert setup.status == 200

    unnamed = run_cli(slack, database_url, "cocreate", "export")
    assert unnamed.returncode != 0 and "--team T…" in unnamed.stderr
    unknown = run_cli(slack, database_url, "cocreate", "export", "--team", "T_NOWHERE")
    assert unknown.returncode != 0 and "not installed in T_NOWHERE" in unknown.stderr

    since = len(slack.methods_called())
    exported = run_cli(slack, database_url, "cocreate", "export", "--team", "T_BETA")

    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("org,csm,")
    assert {token for _, token in slack.tokens_used(since)} == {beta}


def test_the_install_paths_answer_4xx_not_500_to_a_bare_or_mistaken_visit(oauth: str, app_url: str) -> None:
    from urllib.error import HTTPError
    from urllib.request import urlopen

    def status_of(url: str) -> int:
        try:
            with urlopen(url, timeout=5) as response:
                return response.status
        except HTTPError as error:
            return error.code

    assert status_of(f"{oauth}/slack/oauth_redirect") == 400  # no state, no cookie
    assert status_of(f"{oauth}/slack/oauth_redirect?error=access_denied") == 200  # the admin said no: a page says so
    single = app_url.removesuffix("/slack/events")
    assert status_of(f"{single}/slack/install") == 404  # single-workspace mode has no install flow


def test_a_command_line_tool_on_an_org_wide_install_acts_in_the_workspace_its_team_names(
    oauth: str, slack: SlackStandIn, database_url: str, tmp_path
) -> None:
    org = install(oauth, slack, "code-grid", team_id=None, enterprise_id="E_GRID", enterprise_name="Grid Co")
    for team in ("T_GRID1", "T_GRID2"):
        grid = GridAppClient(
            f"{oauth}/slack/events", SIGNING_SECRET, slack, team_id=team, enterprise_id="E_GRID", org_wide=True
        )
        setup = grid.command("/cocreate", "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>", user="U_ADMIN")
        assert setup.status == 200
    prospects = tmp_path / "prospects.csv"
    prospects.write_text("org\nInitech\n", encoding="utf-8")

    since = len(slack.methods_called())
    imported = run_cli(slack, database_url, "cocreate", "import", str(prospects), "--team", "T_GRID2")
    there = run_cli(slack, database_url, "cocreate", "export", "--team", "T_GRID2")
    elsewhere = run_cli(slack, database_url, "cocreate", "export", "--team", "T_GRID1")

    # auth.test of the org's token speaks for the org (E_GRID): the tools still act in the workspace --team names
    assert imported.returncode == 0, imported.stderr
    assert "Initech" in there.stdout and "Initech" not in elsewhere.stdout
    assert {token for _, token in slack.tokens_used(since)} == {org}


def test_a_workspace_cadence_is_not_installed_in_gets_no_service_and_nothing_is_saved_for_it(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    acme = install(oauth, slack, "code-acme", team_id="T_ACME")
    since = len(slack.methods_called())

    stranger = team_client(oauth, slack, "T_STRANGER").command("/cadence", ADD_WEEKLY, user="U_ALICE", channel="C_TEAM")

    assert stranger.status < 500 and "Saved" not in stranger.all_text()
    db.expire_all()
    assert db.scalars(select(Cadence)).all() == [] and db.get(Workspace, "T_STRANGER") is None
    # nothing was asked of Slack in the stranger's name, least of all with another workspace's token
    assert acme not in {token for _, token in slack.tokens_used(since)}
