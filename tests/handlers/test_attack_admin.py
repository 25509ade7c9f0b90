"""Attacks on the admin's side (issue 17): /cadence audit by the wrong people and with odd input, formulas in the
CSV, export and credentials, SQL-ish team ids, forget across workspaces, twice, and of someone named like a word
the code uses; the command-line tools in both modes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import audit
from bot.admin.cli import client_for_team, main
from bot.admin.export import export_workspace, to_json
from bot.db import unit_of_work
from bot.errors import UserError
from devtools.app_client import AppClient, install_through_the_flow
from devtools.slack_stand_in import CLIENT_ID, CLIENT_SECRET, SlackStandIn
from models import AuditEvent, Cadence, SlackUser, slack_bots, slack_installations, slack_oauth_states
from tests.conftest import SIGNING_SECRET, settings_for

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def record(action: str, *, team_id: str = "T0001", at: datetime = NOW - timedelta(days=1), **detail: object) -> None:
    with unit_of_work() as session:
        audit.record(
            session, team_id=team_id, actor_id="U_ALICE", action=action, subject_type=action.split(".")[0],
            subject_id=1, at=at, **detail,
        )  # fmt: skip


def csv_rows(file: dict) -> list[list[str]]:
    return list(csv.reader(io.StringIO(file["content"].decode("utf-8"))))


def run_admin(slack: SlackStandIn, *words: str) -> int:
    return main(list(words), lambda team: client_for_team(settings_for(slack.url), team))


def app_py(env_extra: dict[str, str], *words: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")} | env_extra
    return subprocess.run(
        [sys.executable, "app.py", *words], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


# ----------------------------------------------------------------------------- /cadence audit


@pytest.mark.parametrize(
    "text",
    [
        "audit since",
        "audit since 31 February",
        "audit since February 31, 2026",
        "audit since 2026-02-31",
        "audit " + "x" * 5000,
        "audit since " + "9" * 5000,
        "audit since 99999 days ago",
        "audit <!channel>",
        "audit wg since <@U_BOB|bob>",
    ],
)
def test_odd_audit_input_gets_the_usage_sends_nothing_and_echoes_no_markup(
    app: AppClient, slack: SlackStandIn, db: Session, text: str
) -> None:
    record("wg.created")
    with time_machine.travel(NOW, tick=False):
        reply = app.command("/cadence", text, user="U_ADMIN")
    assert reply.status == 200 and reply["response_type"] == "ephemeral"
    assert "/cadence audit since 2026-11-01" in reply.text, reply.text
    assert "<!channel>" not in reply.all_text() and "<@U_BOB" not in reply.all_text()
    assert len(reply.text) < 3000
    assert slack.files_shared() == []


def test_since_far_in_the_past_sends_every_row(app: AppClient, slack: SlackStandIn, db: Session) -> None:
    record("wg.created", at=datetime(1999, 1, 1, tzinfo=UTC))
    record("wg.closed")
    with time_machine.travel(NOW, tick=False):
        reply = app.command("/cadence", "audit since 1900-01-01", user="U_ADMIN")
    assert "Sent you 2 audit rows" in reply.text, reply.text


def test_a_reminder_titled_like_a_formula_is_text_in_every_cell_of_the_csv(
    app: AppClient, slack: SlackStandIn, db: Session
) -> None:
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        for title in ("=HYPERLINK('http://evil';'x')", "@SUM(1+1)*cmd|' /C calc'!A0", "+1-1", "-2+3"):
            added = app.command("/cadence", f'add "{title}" every monday at 09:30', user="U_ALICE", channel="C_TEAM")
            assert added.status == 200 and "Saved" in added.all_text(), added.text
    record("wg.created", team_id="T0002", name="=other workspace")
    with time_machine.travel(NOW, tick=False):
        reply = app.command("/cadence", "audit", user="U_ADMIN")
    assert "Sent you 4 audit rows" in reply.text, reply.text
    [file] = slack.files_shared("U_ADMIN")
    rows = csv_rows(file)
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)
    titles = [json.loads(row[5].removeprefix("'"))["title"] for row in rows[1:]]
    assert titles[0].startswith("=HYPERLINK") and "other workspace" not in file["content"].decode()


def test_an_admin_of_another_workspace_gets_only_her_workspaces_rows(
    oauth_app_root: str, slack: SlackStandIn, database_url: str, db: Session
) -> None:
    for code, team in (("code-acme", "T_ACME"), ("code-beta", "T_BETA")):
        slack.add_install(code, team_id=team)
        assert install_through_the_flow(oauth_app_root, code=code)[0] == 200
    record("wg.created", team_id="T_ACME", name="Acme secret")
    record("wg.created", team_id="T_BETA", name="Beta group")
    beta = AppClient(f"{oauth_app_root}/slack/events", SIGNING_SECRET, slack, team_id="T_BETA")
    with time_machine.travel(NOW, tick=False):
        reply = beta.command("/cadence", "audit", user="U_ADMIN")
        member = beta.command("/cadence", "audit", user="U_BOB")
    assert "Sent you 1 audit row" in reply.text, reply.text
    [file] = slack.files_shared("U_ADMIN")
    assert "Beta group" in file["content"].decode() and "Acme secret" not in file["content"].decode()
    assert file["name"].startswith("cadence-audit-T_BETA-")
    assert "Only a workspace admin or owner" in member.text and len(slack.files_shared()) == 1


# ----------------------------------------------------------------------------- export


def test_export_leaks_no_token_refresh_token_or_oauth_state(
    oauth_app_root: str, slack: SlackStandIn, database_url: str, db: Session
) -> None:
    slack.add_install("code-acme", team_id="T_ACME", expires_in=12 * 3600)  # rotation: a refresh token too
    assert install_through_the_flow(oauth_app_root, code="code-acme")[0] == 200
    AppClient(f"{oauth_app_root}/slack/events", SIGNING_SECRET, slack, team_id="T_ACME").command(
        "/cadence", "list", user="U_ALICE"
    )
    from urllib.request import urlopen

    urlopen(f"{oauth_app_root}/slack/install", timeout=5).close()  # a state waiting in slack_oauth_states
    secrets = set(db.scalars(select(slack_installations.c.bot_token))) | set(
        db.scalars(select(slack_installations.c.bot_refresh_token))
    )
    states = set(db.scalars(select(slack_oauth_states.c.state)))
    assert len(secrets) == 2 and all(secrets) and states

    with unit_of_work() as session:
        text = to_json(export_workspace(session, team_id="T_ACME", now=NOW))

    document = json.loads(text)
    assert {"slack_installations", "slack_bots"} <= set(document["tables"])
    assert "slack_oauth_states" not in document["tables"]
    for secret in (*secrets, *states, CLIENT_SECRET):
        assert secret not in text
    assert not any(
        "token" in column or "secret" in column for row in document["tables"]["slack_bots"] for column in row
    )
    assert db.scalar(select(func.count()).select_from(slack_bots)) == 1


@pytest.mark.parametrize("team", ["T' OR '1'='1", "T0001' --", "%", "T0001%", "_0001"])
def test_export_of_a_sql_ish_team_id_finds_nothing(app: AppClient, db: Session, team: str) -> None:
    with time_machine.travel(NOW, tick=False):
        app.command("/cadence", 'add "Weekly sync" every monday at 09:30', user="U_ALICE", channel="C_TEAM")
    with unit_of_work() as session, pytest.raises(UserError, match="has no Cadence data"):
        export_workspace(session, team_id=team, now=NOW)


# ----------------------------------------------------------------------------- forget


def test_forget_of_a_user_id_known_only_in_another_workspace_removes_nothing_anywhere(
    app: AppClient, slack: SlackStandIn, db: Session, capsys: pytest.CaptureFixture
) -> None:
    app.command("/cadence", "list", user="U_ALICE")  # Alice is known in T0001
    with unit_of_work() as session:
        session.add(
            SlackUser(team_id="T0002", user_id="U_ZED", real_name="Zed Zebra", display_name="zed", fetched_at=NOW)
        )
    assert run_admin(slack, "forget", "--team", "T0001", "--user", "U_ZED") == 0
    assert "Nothing personal of U_ZED is left in workspace T0001" in capsys.readouterr().out
    db.expire_all()
    assert db.scalars(select(SlackUser.real_name).where(SlackUser.user_id == "U_ZED")).all() == ["Zed Zebra"]
    assert db.scalars(select(SlackUser.user_id).where(SlackUser.team_id == "T0001")).all() == ["U_ALICE"]


def test_forget_twice_removes_nothing_the_second_time(
    app: AppClient, slack: SlackStandIn, db: Session, capsys: pytest.CaptureFixture
) -> None:
    app.command("/cadence", "list", user="U_ALICE")
    assert run_admin(slack, "forget", "--team", "T0001", "--user", "U_ALICE") == 0
    assert "Slack profile copies deleted (slack_user): 1" in capsys.readouterr().out
    assert run_admin(slack, "forget", "--team", "T0001", "--user", "U_ALICE") == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_forget_of_someone_named_like_a_word_the_code_stores_leaves_the_code_values_alone(
    app: AppClient, slack: SlackStandIn, db: Session
) -> None:
    slack.add_user("U_CAD", name="cadence", real_name="Cadence")  # Cadence is a first name too
    slack.add_channel("C_TEAM", "team-sync", members=["U_ALICE", "U_BOB", "U_CAD"])
    with time_machine.travel(NOW, tick=False):
        app.command("/cadence", 'add "Weekly sync" every monday at 09:30', user="U_ALICE", channel="C_TEAM")
        app.command("/cadence", 'add "Retro" every friday at 16:00', user="U_CAD", channel="C_TEAM")
    assert db.scalars(select(SlackUser.real_name).where(SlackUser.user_id == "U_CAD")).all() == ["Cadence"]

    assert run_admin(slack, "forget", "--team", "T0001", "--user", "U_CAD") == 0

    db.expire_all()
    assert db.scalars(select(SlackUser).where(SlackUser.user_id == "U_CAD")).all() == []
    assert set(db.scalars(select(AuditEvent.subject_type))) == {"cadence"}
    assert set(db.scalars(select(Cadence.title))) == {"Weekly sync", "Retro"}


# ----------------------------------------------------------------------------- the command-line tools


def test_the_admin_tools_in_oauth_mode_refuse_a_missing_or_unknown_team_and_change_nothing(
    oauth_app_root: str, slack: SlackStandIn, database_url: str, db: Session
) -> None:
    slack.add_install("code-acme", team_id="T_ACME")
    assert install_through_the_flow(oauth_app_root, code="code-acme")[0] == 200
    AppClient(f"{oauth_app_root}/slack/events", SIGNING_SECRET, slack, team_id="T_ACME").command(
        "/cadence", "list", user="U_ALICE"
    )
    env = {
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": database_url,
    }
    for words in (("export",), ("forget", "--user", "U_ALICE"), ("audit",)):
        missing = app_py(env, *words)
        assert missing.returncode != 0 and "--team" in missing.stderr and missing.stdout == "", words
        unknown = app_py(env, *words, "--team", "T_NOWHERE")
        assert unknown.returncode != 0 and "not installed in T_NOWHERE" in unknown.stderr, words
        assert unknown.stdout == ""
    db.expire_all()
    assert db.scalars(select(SlackUser.user_id).where(SlackUser.team_id == "T_ACME")).all() == ["U_ALICE"]
    exported = app_py(env, "export", "--team", "T_ACME")
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["team_id"] == "T_ACME"


def test_the_admin_tools_in_single_mode_refuse_another_workspace(
    app: AppClient, slack: SlackStandIn, database_url: str, db: Session
) -> None:
    app.command("/cadence", "list", user="U_ALICE")
    with unit_of_work() as session:
        session.add(SlackUser(team_id="T0002", user_id="U_ALICE", real_name="Alice Elsewhere", fetched_at=NOW))
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": database_url,
    }
    for words in (("export",), ("forget", "--user", "U_ALICE"), ("audit",)):
        refused = app_py(env, *words, "--team", "T0002")
        assert refused.returncode == 1 and "not T0002" in refused.stderr and refused.stdout == "", words
    db.expire_all()
    assert set(db.scalars(select(SlackUser.team_id).where(SlackUser.user_id == "U_ALICE"))) == {"T0001", "T0002"}


def test_an_uninstalled_workspace_in_its_grace_can_still_be_exported_and_a_person_forgotten(
    oauth_app_root: str, slack: SlackStandIn, database_url: str, db: Session
) -> None:
    """The admin tools read and change the database only: after an uninstall, with no token left, the workspace's
    data is still there for RETENTION_DAYS, and so is the way to hand it over or to forget someone in it."""
    slack.add_install("code-acme", team_id="T_ACME")
    assert install_through_the_flow(oauth_app_root, code="code-acme")[0] == 200
    acme = AppClient(f"{oauth_app_root}/slack/events", SIGNING_SECRET, slack, team_id="T_ACME")
    added = acme.command("/cadence", 'add "Weekly sync" every monday at 09:30', user="U_ALICE", channel="C_TEAM")
    assert "Saved" in added.text
    slack.revoke_tokens(team_id="T_ACME")
    assert acme.event({"type": "app_uninstalled"}).status == 200
    env = {
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": database_url,
    }

    exported = app_py(env, "export", "--team", "T_ACME")
    forgotten = app_py(env, "forget", "--team", "T_ACME", "--user", "U_ALICE")

    assert exported.returncode == 0, exported.stderr
    assert "Weekly sync" in json.dumps(json.loads(exported.stdout)["tables"]["cadence"])
    assert forgotten.returncode == 0, forgotten.stderr
    db.expire_all()
    assert db.scalars(select(SlackUser).where(SlackUser.team_id == "T_ACME")).all() == []
    assert db.scalars(select(Cadence.title).where(Cadence.team_id == "T_ACME")).all() == ["Weekly sync"]
