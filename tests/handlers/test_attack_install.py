"""Attacks on OAuth mode (issue 17): strangers and uninstalled workspaces pressing, submitting and opening things;
one workspace's uninstall while another is served; user-only token revocations; an org-wide uninstall next to a
workspace's own install; old nudges after an uninstall and a reinstall; malformed OAuth redirects; the grace period
restarted by a second uninstall."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
import time_machine
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from bot.cadence.retention import forget_uninstalled
from bot.slack.installs import workspaces_for
from devtools.app_client import AppClient, GridAppClient, install_through_the_flow, oauth_redirect, open_install_page
from devtools.slack_stand_in import SlackStandIn
from models import Base, Cadence, Delivery, NudgeOutcome, Workspace, slack_installations
from tests.conftest import SIGNING_SECRET, oauth_settings_for

CREATED = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday
DUE = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
WEEK = timedelta(days=7)
ADD_WEEKLY = 'add "Weekly sync" every monday at 09:30'


@pytest.fixture
def oauth(oauth_app_root: str, slack: SlackStandIn, database_url: str) -> str:
    return oauth_app_root


def team_client(root: str, slack: SlackStandIn, team_id: str) -> AppClient:
    return AppClient(f"{root}/slack/events", SIGNING_SECRET, slack, team_id=team_id)


def install(root: str, slack: SlackStandIn, code: str, team_id: str | None, **where: Any) -> str:
    slack.add_install(code, team_id=team_id, **where)
    status, page = install_through_the_flow(root, code=code)
    assert status == 200, page
    return slack.tokens_of(team_id=team_id, enterprise_id=where.get("enterprise_id"))[-1]


def tick(slack: SlackStandIn, now: datetime) -> dispatcher.TickReport:
    return dispatcher.tick(now, workspaces=workspaces_for(oauth_settings_for(slack.url)))


def uninstall(root: str, slack: SlackStandIn, team_id: str) -> None:
    slack.revoke_tokens(team_id=team_id)
    assert team_client(root, slack, team_id).event({"type": "app_uninstalled"}).status == 200


def tokens_since(slack: SlackStandIn, since: int) -> set[str | None]:
    return {token for _, token in slack.tokens_used(since)}


def modal_values(*, text: str = "Retro", channel: str = "C_TEAM") -> dict[str, Any]:
    return {
        "cadence.modal.text": {"cadence.modal.text": {"type": "plain_text_input", "value": text}},
        "cadence.modal.frequency": {"cadence.modal.frequency": {"type": "plain_text_input", "value": "every monday"}},
        "cadence.modal.time": {"cadence.modal.time": {"type": "timepicker", "selected_time": "16:00"}},
        "cadence.modal.timezone": {"cadence.modal.timezone": {"type": "plain_text_input", "value": ""}},
        "cadence.modal.channel": {
            "cadence.modal.channel": {"type": "conversations_select", "selected_conversation": channel}
        },
        "cadence.modal.users": {"cadence.modal.users": {"type": "multi_users_select", "selected_users": []}},
        "cadence.modal.options": {"cadence.modal.options": {"type": "checkboxes", "selected_options": []}},
    }


def acme_nudge(root: str, slack: SlackStandIn) -> dict[str, Any]:
    """Acme installed, a weekly reminder in #team-sync, this Monday's nudge posted: the message."""
    install(root, slack, "code-acme", "T_ACME")
    with time_machine.travel(CREATED, tick=False):
        team_client(root, slack, "T_ACME").command("/cadence", ADD_WEEKLY, user="U_ALICE", channel="C_TEAM")
    assert tick(slack, DUE).outcome.posted == 1
    return slack.messages("C_TEAM")[-1]


# ----------------------------------------------------------------------------- strangers and the uninstalled


@pytest.mark.parametrize("who", ["stranger", "uninstalled"])
def test_a_button_a_form_and_app_home_from_a_workspace_without_cadence_change_nothing_and_use_no_token(
    oauth: str, slack: SlackStandIn, db: Session, who: str
) -> None:
    acme = install(oauth, slack, "code-acme", "T_ACME")
    team = "T_STRANGER"
    if who == "uninstalled":
        install(oauth, slack, "code-gone", "T_GONE")
        uninstall(oauth, slack, "T_GONE")
        team = "T_GONE"
    acme_app = team_client(oauth, slack, "T_ACME")
    acme_app.command("/cadence", "new", user="U_ALICE", channel="C_TEAM")
    form = slack.views_opened()[-1]
    cadences_before = db.scalar(select(func.count()).select_from(Cadence))
    since = len(slack.methods_called())
    outsider = team_client(oauth, slack, team)

    submitted = outsider.submit(form, modal_values(), user="U_ALICE")
    clicked = outsider.click(
        {
            "ts": "1.0",
            "blocks": [
                {
                    "type": "actions",
                    "block_id": "b",
                    "elements": [{"type": "button", "action_id": "cadence.open_modal", "value": "x"}],
                }
            ],
        },  # fmt: skip
        "cadence.open_modal",
        user="U_ALICE",
        channel="C_TEAM",
    )
    home = outsider.event({"type": "app_home_opened", "user": "U_ALICE", "channel": "D_ALICE", "tab": "home"})

    for reply in (submitted, clicked, home):
        assert reply.status < 500
        assert "Saved" not in reply.all_text()
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Cadence)) == cadences_before
    assert acme not in tokens_since(slack, since)
    assert slack.calls("views.publish") == [] and slack.calls("views.open")[1:] == []


def test_a_command_from_a_workspace_that_uninstalled_is_refused_and_saves_nothing(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    install(oauth, slack, "code-acme", "T_ACME")
    uninstall(oauth, slack, "T_ACME")
    since = len(slack.methods_called())

    reply = team_client(oauth, slack, "T_ACME").command("/cadence", ADD_WEEKLY, user="U_ALICE", channel="C_TEAM")

    assert reply.status < 500 and "Saved" not in reply.all_text()
    assert db.scalars(select(Cadence)).all() == []
    assert tokens_since(slack, since) <= {None}


def test_beta_uninstalling_between_acmes_requests_stops_only_beta(oauth: str, slack: SlackStandIn, db: Session) -> None:
    acme = install(oauth, slack, "code-acme", "T_ACME")
    install(oauth, slack, "code-beta", "T_BETA")
    acme_app, beta_app = team_client(oauth, slack, "T_ACME"), team_client(oauth, slack, "T_BETA")
    with time_machine.travel(CREATED, tick=False):
        assert "Weekly sync" in acme_app.command("/cadence", ADD_WEEKLY, user="U_ALICE", channel="C_TEAM").all_text()
        assert "Weekly sync" in beta_app.command("/cadence", ADD_WEEKLY, user="U_ADMIN", channel="C_GENERAL").all_text()
        uninstall(oauth, slack, "T_BETA")
        since = len(slack.methods_called())
        after = acme_app.command("/cadence", "list", user="U_ALICE", channel="C_TEAM")
    assert after.status == 200 and "Weekly sync" in after.all_text()
    assert tokens_since(slack, since) <= {None, acme}
    assert db.scalars(select(slack_installations.c.bot_token)).all() == [acme]
    db.expire_all()
    acme_row, beta_row = db.get(Workspace, "T_ACME"), db.get(Workspace, "T_BETA")
    assert acme_row is not None and acme_row.uninstalled_at is None
    assert beta_row is not None and beta_row.uninstalled_at is not None
    report = tick(slack, DUE)
    assert (report.outcome.posted, report.outcome.failed) == (1, 0)
    assert [call["channel"] for call in slack.calls("chat.postMessage")] == ["C_TEAM"]


def test_tokens_revoked_naming_only_user_tokens_leaves_the_workspace_installed(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    token = install(oauth, slack, "code-acme", "T_ACME")
    reply = team_client(oauth, slack, "T_ACME").event(
        {"type": "tokens_revoked", "tokens": {"oauth": ["U_ALICE"], "bot": []}}
    )
    assert reply.status == 200
    assert db.scalars(select(slack_installations.c.bot_token)).all() == [token]
    workspace = db.get(Workspace, "T_ACME")
    assert workspace is not None and workspace.uninstalled_at is None
    assert team_client(oauth, slack, "T_ACME").command("/cadence", "list", user="U_ALICE").status == 200


def test_an_org_wide_uninstall_leaves_a_workspace_with_its_own_install_running(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    install(oauth, slack, "code-grid", None, enterprise_id="E_GRID")
    own = install(oauth, slack, "code-own", "T_OWN", enterprise_id="E_GRID")
    grid = GridAppClient(
        f"{oauth}/slack/events", SIGNING_SECRET, slack, team_id="T_GRID1", enterprise_id="E_GRID", org_wide=True
    )
    own_app = GridAppClient(
        f"{oauth}/slack/events", SIGNING_SECRET, slack, team_id="T_OWN", enterprise_id="E_GRID", org_wide=False
    )
    with time_machine.travel(CREATED, tick=False):
        grid.command("/cadence", ADD_WEEKLY, user="U_ALICE", channel="C_TEAM")
        own_app.command("/cadence", ADD_WEEKLY, user="U_ADMIN", channel="C_GENERAL")

    slack.revoke_tokens(enterprise_id="E_GRID", team_id=None)  # the org's tokens only
    # revoke_tokens(team_id=None) revokes every token of the org in the stand-in: give T_OWN its own back
    for issued in slack._tokens.values():
        if issued["install"]["team_id"] == "T_OWN":
            issued["revoked"] = False
    assert grid.event({"type": "app_uninstalled"}).status == 200

    db.expire_all()
    assert db.scalars(select(slack_installations.c.team_id)).all() == ["T_OWN"]
    marked = {w.team_id for w in db.scalars(select(Workspace).where(Workspace.uninstalled_at.is_not(None)))}
    assert marked == {"T_GRID1"}
    report = tick(slack, DUE)
    assert (report.outcome.posted, report.outcome.failed) == (1, 0)
    assert [(c["channel"], c["token"]) for c in slack.calls("chat.postMessage")] == [("C_GENERAL", own)]


# ----------------------------------------------------------------------------- an old nudge's button


def test_a_button_on_an_old_nudge_after_the_uninstall_changes_nothing_and_after_a_reinstall_works(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    nudge = acme_nudge(oauth, slack)
    uninstall(oauth, slack, "T_ACME")
    acme_app = team_client(oauth, slack, "T_ACME")

    with time_machine.travel(DUE + timedelta(minutes=5), tick=False):
        pressed = acme_app.click(nudge, "cadence.nudge.done", user="U_BOB", channel="C_TEAM")
    assert pressed.status < 500
    db.expire_all()
    assert db.scalars(select(Delivery.outcome)).all() == [None]

    new_token = install(oauth, slack, "code-acme-again", "T_ACME")
    since = len(slack.methods_called())
    with time_machine.travel(DUE + timedelta(minutes=10), tick=False):
        again = acme_app.click(nudge, "cadence.nudge.done", user="U_BOB", channel="C_TEAM")
    assert again.status == 200
    db.expire_all()
    assert db.scalars(select(Delivery.outcome)).all() == [NudgeOutcome.DONE]
    assert tokens_since(slack, since) - {None} == {new_token}


# ----------------------------------------------------------------------------- malformed OAuth redirects


def status_of(url: str, cookie: str = "") -> int:
    request = Request(url)
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urlopen(request, timeout=10) as response:
            return response.status
    except HTTPError as error:
        return error.code


def test_malformed_oauth_redirects_get_4xx_and_store_nothing(oauth: str, slack: SlackStandIn, db: Session) -> None:
    page = open_install_page(oauth)
    garbage_code, _ = oauth_redirect(oauth, code="garbage", state=page.state, cookie=page.cookie)
    assert 400 <= garbage_code < 500

    missing_state = status_of(f"{oauth}/slack/oauth_redirect?code=garbage", cookie=page.cookie)
    assert 400 <= missing_state < 500

    slack.add_install("code-acme", team_id="T_ACME")
    mine, other = open_install_page(oauth), open_install_page(oauth)  # two browsers, each its own state
    crossed, _ = oauth_redirect(oauth, code="code-acme", state=mine.state, cookie=other.cookie)
    assert 400 <= crossed < 500

    for query in ("error=access_denied&state=" + page.state, "code=&state=", "state=%00%ff", "code=" + "x" * 5000):
        assert status_of(f"{oauth}/slack/oauth_redirect?{query}", cookie=page.cookie) < 500, query
    assert db.execute(select(slack_installations)).all() == []


# ----------------------------------------------------------------------------- the grace period, twice


def rows_of(db: Session, team_id: str) -> dict[str, int]:
    counts = {}
    for table in Base.metadata.sorted_tables:
        if "team_id" in table.c:
            count = db.scalar(select(func.count()).select_from(table).where(table.c.team_id == team_id))
            if count:
                counts[table.name] = count
    return counts


def test_reinstalled_at_day_29_and_uninstalled_at_day_40_the_data_goes_30_days_after_the_second_uninstall(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    install(oauth, slack, "code-acme", "T_ACME")
    install(oauth, slack, "code-beta", "T_BETA")
    with time_machine.travel(CREATED, tick=False):
        for team, user in (("T_ACME", "U_ALICE"), ("T_BETA", "U_ALICE")):  # the same user id in both
            team_client(oauth, slack, team).command("/cadence", ADD_WEEKLY, user=user, channel="C_TEAM")
    day0 = CREATED + timedelta(hours=1)
    with time_machine.travel(day0, tick=False):
        uninstall(oauth, slack, "T_ACME")
    with time_machine.travel(day0 + timedelta(days=29), tick=False):
        install(oauth, slack, "code-acme-2", "T_ACME")
    assert forget_uninstalled(now=day0 + timedelta(days=31), retention_days=30) == []
    with time_machine.travel(day0 + timedelta(days=40), tick=False):
        uninstall(oauth, slack, "T_ACME")
    beta_before = rows_of(db, "T_BETA")

    assert forget_uninstalled(now=day0 + timedelta(days=69), retention_days=30) == []
    assert "cadence" in rows_of(db, "T_ACME")
    assert forget_uninstalled(now=day0 + timedelta(days=71), retention_days=30) == ["T_ACME"]

    db.expire_all()
    assert rows_of(db, "T_ACME") == {}
    assert rows_of(db, "T_BETA") == beta_before
    assert db.scalars(select(Cadence.created_by).where(Cadence.team_id == "T_BETA")).all() == ["U_ALICE"]
