"""`export --team T…` on both databases: every row of every table of that workspace, and nothing of another's."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from slack_sdk import WebClient
from sqlalchemy import Column, Integer, MetaData, String, Table, func, inspect, select, table, text
from sqlalchemy.orm import Session

from bot.admin.cli import client_for_team, main
from bot.admin.export import exported_columns, team_tables
from bot.cadence import dispatcher
from bot.db import engine
from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from tests.conftest import settings_for
from tests.support.factories import make_cadence

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def run(slack: SlackStandIn, *words: str) -> int:
    return main(list(words), lambda team: client_for_team(settings_for(slack.url), team))


@pytest.fixture
def two_workspaces(app: AppClient, slack: SlackStandIn, slack_client: WebClient, db: Session) -> None:
    """T0001 with a reminder that has been sent and answered, a working group with an item, and people; T0002 with
    a reminder of its own."""
    with time_machine.travel(MONDAY, tick=False):
        app.command("/cadence", 'add "Weekly sync" every monday at 09:30', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", 'action "Write outline" <@U_BOB|bob> due 2026-12-18', user="U_ALICE", channel="C_TEAM")
    make_cadence('add "Other workspace standup" every monday at 09:30', now=MONDAY, team_id="T0002")
    dispatcher.tick(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), client=slack_client)


def exported(slack: SlackStandIn, capsys: pytest.CaptureFixture, team_id: str = "T0001") -> dict:
    assert run(slack, "export", "--team", team_id) == 0
    return json.loads(capsys.readouterr().out)


def test_export_holds_every_row_of_the_workspace_and_none_of_another(
    two_workspaces: None, slack: SlackStandIn, db: Session, capsys: pytest.CaptureFixture
):
    document = exported(slack, capsys)
    assert document["team_id"] == "T0001"
    tables = document["tables"]
    for name, rows in tables.items():
        assert all(row["team_id"] == "T0001" for row in rows), name
        held = db.scalar(
            select(func.count()).select_from(table(name, Column("team_id"))).where(text("team_id = 'T0001'"))
        )
        assert len(rows) == held == document["row_counts"][name], name
    assert "Other workspace standup" not in json.dumps(document)
    assert [c["title"] for c in tables["cadence"] if c["kind"] == "reminder"] == ["Weekly sync"]
    assert {"wg.created", "action.added", "cadence.added"} <= {e["action"] for e in tables["audit_event"]}
    assert tables["delivery"] and tables["action_item"][0]["text"] == "Write outline"
    assert {row["user_id"] for row in tables["slack_user"]} == {"U_ALICE", "U_BOB"}


def test_datetimes_are_iso_utc_and_json_columns_stay_json(
    two_workspaces: None, slack: SlackStandIn, capsys: pytest.CaptureFixture
):
    tables = exported(slack, capsys)["tables"]
    [sync] = [c for c in tables["cadence"] if c["title"] == "Weekly sync"]
    assert sync["rule"]["timezone"] == "Europe/Paris" and sync["recipient_ids"] == []  # JSON, not a string
    assert datetime.fromisoformat(sync["next_run_at"]) == datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
    assert sync["next_run_at"].endswith("+00:00") and sync["created_at"].endswith("+00:00")
    assert tables["action_item"][0]["due_on"] == "2026-12-18"


def test_every_table_that_holds_a_workspaces_rows_is_exported(
    two_workspaces: None, slack: SlackStandIn, db: Session, capsys: pytest.CaptureFixture
):
    # The migrated database is asked, not the models: a table with team_id that the exporter missed fails here.
    inspector = inspect(engine())
    holding = {
        name
        for name in inspector.get_table_names()
        if any(column["name"] == "team_id" for column in inspector.get_columns(name))
    }
    assert {"cadence", "delivery", "audit_event", "slack_user", "working_group", "workspace"} <= holding
    assert set(exported(slack, capsys)["tables"]) == holding == {t.name for t in team_tables()}


def test_credentials_are_left_out_of_any_table():
    installs = Table(
        "installation_like", MetaData(), Column("id", Integer, primary_key=True), Column("team_id", String),
        Column("bot_token", String), Column("bot_refresh_token", String), Column("client_secret", String),
        Column("incoming_webhook_url", String), Column("bot_scopes", String),
    )  # fmt: skip
    assert [c.name for c in exported_columns(installs)] == ["id", "team_id", "bot_scopes"]


def test_export_to_a_file(two_workspaces: None, slack: SlackStandIn, tmp_path: Path, capsys: pytest.CaptureFixture):
    target = tmp_path / "t0001.json"
    assert run(slack, "export", "--team", "T0001", "--out", str(target)) == 0
    assert capsys.readouterr().out == f"Wrote workspace T0001's data to {target}.\n"
    assert json.loads(target.read_text())["row_counts"]["cadence"] >= 1


def test_a_workspace_with_no_data_says_so(slack: SlackStandIn, db: Session, capsys: pytest.CaptureFixture):
    assert run(slack, "export", "--team", "T0001") == 1
    out, err = capsys.readouterr()
    assert out == "" and "Workspace T0001 has no Cadence data, so there is nothing to export." in err


def test_another_workspaces_team_is_refused_in_single_workspace_mode(
    two_workspaces: None, slack: SlackStandIn, capsys: pytest.CaptureFixture
):
    assert run(slack, "export", "--team", "T0002") == 1
    out, err = capsys.readouterr()
    assert out == "" and "The bot token belongs to workspace T0001, not T0002" in err and "--team T0001" in err


def test_a_token_slack_refuses_or_a_slack_out_of_reach_changes_nothing(
    two_workspaces: None, slack: SlackStandIn, capsys: pytest.CaptureFixture
):
    slack.error_next("auth.test", "invalid_auth")
    assert run(slack, "export", "--team", "T0001") == 1
    assert "Slack refused the bot token (invalid_auth)" in capsys.readouterr().err
    unreachable = settings_for("http://127.0.0.1:9/api/")
    assert main(["export", "--team", "T0001"], lambda team: client_for_team(unreachable, team)) == 1
    out, err = capsys.readouterr()
    assert out == "" and "I couldn't reach Slack" in err
