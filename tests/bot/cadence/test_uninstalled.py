"""Uninstall (OAuth mode): app_uninstalled or tokens_revoked delete the workspace's tokens at once and stop its nudges
(none posted, none failed) while the others' go on; a reinstall within RETENTION_DAYS brings them back (the latest
missed occurrence once); after it, the workspace's data is deleted and nobody else's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from bot.cadence.retention import forget_uninstalled
from bot.db import unit_of_work
from bot.slack.installs import workspaces_for
from devtools.app_client import AppClient, install_through_the_flow
from devtools.slack_stand_in import SlackStandIn
from models import AuditEvent, Base, Cadence, Delivery, DeliveryStatus, Workspace, slack_bots, slack_installations
from tests.conftest import SIGNING_SECRET, oauth_settings_for

CREATED = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday
DUE = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
WEEK = timedelta(days=7)
UNINSTALL_EVENTS = {
    "app_uninstalled": {"type": "app_uninstalled"},
    "tokens_revoked": {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}},
}


@pytest.fixture
def oauth(oauth_app_root: str, slack: SlackStandIn, database_url: str) -> str:
    return oauth_app_root


def team_client(root: str, slack: SlackStandIn, team_id: str) -> AppClient:
    return AppClient(f"{root}/slack/events", SIGNING_SECRET, slack, team_id=team_id)


def install(root: str, slack: SlackStandIn, code: str, team_id: str) -> str:
    slack.add_install(code, team_id=team_id)
    assert install_through_the_flow(root, code=code)[0] == 200
    return slack.tokens_of(team_id=team_id)[-1]


def tick(slack: SlackStandIn, now: datetime) -> dispatcher.TickReport:
    return dispatcher.tick(now, workspaces=workspaces_for(oauth_settings_for(slack.url)))


def two_workspaces_with_a_weekly_nudge(root: str, slack: SlackStandIn) -> dict[str, str]:
    """Acme nudges #team-sync (C_TEAM), Beta #general (C_GENERAL), Mondays at 09:30 UTC; returns team → token."""
    tokens = {
        "T_ACME": install(root, slack, "code-acme", "T_ACME"),
        "T_BETA": install(root, slack, "code-beta", "T_BETA"),
    }
    with time_machine.travel(CREATED, tick=False):
        for team, channel in (("T_ACME", "C_TEAM"), ("T_BETA", "C_GENERAL")):
            reply = team_client(root, slack, team).command(
                "/cadence", 'add "Weekly sync" every monday at 09:30', user="U_ADMIN", channel=channel
            )
            assert "Weekly sync" in reply.all_text()
    return tokens


def uninstall(root: str, slack: SlackStandIn, team_id: str, event: str) -> None:
    slack.revoke_tokens(team_id=team_id)  # Slack's side: the tokens stop working
    reply = team_client(root, slack, team_id).event(UNINSTALL_EVENTS[event])
    assert reply.status == 200


def posted_to(slack: SlackStandIn) -> list[tuple[str, str]]:
    return [(call["channel"], call["token"]) for call in slack.calls("chat.postMessage")]


@pytest.mark.parametrize("event", sorted(UNINSTALL_EVENTS))
def test_an_uninstall_deletes_the_tokens_and_stops_that_workspaces_nudges_while_the_others_go_on(
    oauth: str, slack: SlackStandIn, db: Session, event: str
) -> None:
    tokens = two_workspaces_with_a_weekly_nudge(oauth, slack)
    with unit_of_work() as session:  # this week's occurrences are claimed: a delivery waits in each workspace
        dispatcher.claim_due(session, now=DUE)

    uninstall(oauth, slack, "T_ACME", event)

    assert db.scalars(select(slack_installations.c.team_id)).all() == ["T_BETA"]
    assert db.scalars(select(slack_bots.c.team_id)).all() == ["T_BETA"]
    acme = db.get(Workspace, "T_ACME")
    assert acme is not None and acme.uninstalled_at is not None
    report = tick(slack, DUE)
    assert report.outcome.posted == 1 and report.outcome.failed == 0
    assert posted_to(slack) == [("C_GENERAL", tokens["T_BETA"])]
    statuses = dict(db.execute(select(Delivery.team_id, Delivery.status)).tuples().all())
    assert statuses == {"T_ACME": DeliveryStatus.CANCELLED, "T_BETA": DeliveryStatus.SENT}

    later = tick(slack, DUE + 3 * WEEK)  # weeks go by: nothing is claimed for Acme, so nothing piles up or fails

    assert later.claimed == 1 and later.outcome.failed == 0
    assert [channel for channel, _ in posted_to(slack)] == ["C_GENERAL", "C_GENERAL"]
    acme_deliveries = db.scalar(select(func.count()).select_from(Delivery).where(Delivery.team_id == "T_ACME"))
    assert acme_deliveries == 1
    assert db.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == DeliveryStatus.FAILED)) == 0


def test_a_delivery_whose_workspace_lost_its_token_mid_tick_is_called_off_not_failed(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    two_workspaces_with_a_weekly_nudge(oauth, slack)
    with unit_of_work() as session:
        dispatcher.claim_due(session, now=DUE)
    # The tokens go before the uninstall event is handled (Slack deletes them first): the worker finds none.
    with unit_of_work() as session:
        from bot.slack.installs import installation_store

        installation_store(oauth_settings_for(slack.url)).delete_all(enterprise_id=None, team_id="T_ACME")

    report = tick(slack, DUE)

    assert (report.outcome.posted, report.outcome.uninstalled, report.outcome.failed) == (1, 1, 0)
    acme = db.scalars(select(Delivery).where(Delivery.team_id == "T_ACME")).one()
    assert acme.status == DeliveryStatus.CANCELLED


def test_a_reinstall_within_the_grace_brings_the_nudges_back_with_the_latest_missed_one_once(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    two_workspaces_with_a_weekly_nudge(oauth, slack)
    with time_machine.travel(CREATED + timedelta(hours=1), tick=False):
        uninstall(oauth, slack, "T_ACME", "app_uninstalled")
    tick(slack, DUE + 2 * WEEK)  # Beta's go on meanwhile
    assert [channel for channel, _ in posted_to(slack)] == ["C_GENERAL"]

    back = DUE + 3 * WEEK + timedelta(hours=2)  # four Mondays missed, 23 days later: within the 30
    with time_machine.travel(back, tick=False):
        new_token = install(oauth, slack, "code-acme-again", "T_ACME")
    acme = db.get(Workspace, "T_ACME")
    db.refresh(acme)
    assert acme is not None and acme.uninstalled_at is None

    report = tick(slack, back)

    acme_posts = [(c, t) for c, t in posted_to(slack) if c == "C_TEAM"]
    assert acme_posts == [("C_TEAM", new_token)]  # one catch-up, not one per missed Monday
    assert report.outcome.failed == 0
    late = db.scalars(select(Delivery).where(Delivery.team_id == "T_ACME")).one()
    assert late.late and late.occurrence_at == DUE + 3 * WEEK
    assert db.scalars(select(Cadence.title).where(Cadence.team_id == "T_ACME")).all() == ["Weekly sync"]


def rows_of(db: Session, team_id: str) -> dict[str, int]:
    """How many rows each table holds for `team_id` (tables that have any)."""
    counts = {}
    for table in Base.metadata.sorted_tables:
        if "team_id" in table.c:
            count = db.scalar(select(func.count()).select_from(table).where(table.c.team_id == team_id))
            if count:
                counts[table.name] = count
    return counts


def test_after_the_grace_the_workspaces_data_is_deleted_and_the_others_is_untouched(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    two_workspaces_with_a_weekly_nudge(oauth, slack)
    tick(slack, DUE)
    gone_at = DUE + timedelta(hours=1)
    with time_machine.travel(gone_at, tick=False):
        uninstall(oauth, slack, "T_ACME", "app_uninstalled")
    beta_before = rows_of(db, "T_BETA")
    assert {"cadence", "delivery", "workspace", "audit_event", "slack_installations"} <= set(beta_before)
    assert {"cadence", "delivery", "workspace", "audit_event"} <= set(rows_of(db, "T_ACME"))

    assert forget_uninstalled(now=gone_at + timedelta(days=29), retention_days=30) == []
    assert "cadence" in rows_of(db, "T_ACME")

    with time_machine.travel(gone_at + timedelta(days=31), tick=False):
        forgotten = forget_uninstalled(now=gone_at + timedelta(days=31), retention_days=30)

    db.expire_all()
    assert forgotten == ["T_ACME"]
    assert rows_of(db, "T_ACME") == {}
    assert rows_of(db, "T_BETA") == beta_before
    assert db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.team_id == "T_BETA")) > 0


def test_uninstalling_an_org_wide_install_stops_every_workspace_of_the_org(
    oauth: str, slack: SlackStandIn, db: Session
) -> None:
    from devtools.app_client import GridAppClient

    slack.add_install("code-grid", team_id=None, enterprise_id="E_GRID")
    assert install_through_the_flow(oauth, code="code-grid")[0] == 200
    beta = install(oauth, slack, "code-beta", "T_BETA")
    grid = {
        team: GridAppClient(
            f"{oauth}/slack/events", SIGNING_SECRET, slack, team_id=team, enterprise_id="E_GRID", org_wide=True
        )
        for team in ("T_GRID1", "T_GRID2")
    }
    with time_machine.travel(CREATED, tick=False):
        for team, channel in (("T_GRID1", "C_TEAM"), ("T_GRID2", "C_RANDOM")):
            grid[team].command("/cadence", 'add "Weekly sync" every monday at 09:30', user="U_ADMIN", channel=channel)
        team_client(oauth, slack, "T_BETA").command(
            "/cadence", 'add "Weekly sync" every monday at 09:30', user="U_ADMIN", channel="C_GENERAL"
        )

    slack.revoke_tokens(enterprise_id="E_GRID")
    assert grid["T_GRID1"].event({"type": "app_uninstalled"}).status == 200

    assert db.scalars(select(slack_installations.c.team_id)).all() == ["T_BETA"]
    db.expire_all()
    marked = {w.team_id for w in db.scalars(select(Workspace).where(Workspace.uninstalled_at.is_not(None)))}
    assert marked == {"T_GRID1", "T_GRID2"}
    report = tick(slack, DUE)
    assert (report.claimed, report.outcome.failed) == (1, 0)
    assert posted_to(slack) == [("C_GENERAL", beta)]
