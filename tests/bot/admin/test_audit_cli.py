"""`audit --team T… [--program P] [--since DATE]` on both databases: the same CSV as /cadence audit, on stdout."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy.orm import Session

from bot import audit
from bot.admin.cli import client_for_team, main
from bot.db import unit_of_work
from devtools.slack_stand_in import SlackStandIn
from models import Workspace
from tests.conftest import settings_for

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def run(slack: SlackStandIn, *words: str) -> int:
    with time_machine.travel(NOW, tick=False):
        return main(list(words), lambda team: client_for_team(settings_for(slack.url), team))


@pytest.fixture
def trail(db: Session) -> None:
    with unit_of_work() as session:
        session.add(Workspace(team_id="T0001", default_timezone="America/New_York"))
        for team_id, action, at in [
            ("T0001", "wg.created", datetime(2026, 11, 20, 12, tzinfo=UTC)),
            ("T0001", "esp.setup", datetime(2026, 11, 25, 4, tzinfo=UTC)),  # 23:00 on the 24th in New York
            ("T0001", "wg.closed", datetime(2026, 11, 25, 6, tzinfo=UTC)),  # 01:00 on the 25th in New York
            ("T0002", "wg.created", datetime(2026, 11, 26, 12, tzinfo=UTC)),
        ]:
            audit.record(
                session, team_id=team_id, actor_id="U_ALICE", action=action, subject_type="working_group",
                subject_id=1, at=at, name="-1+2 Docs",
            )  # fmt: skip


def actions(out: str) -> list[str]:
    return [row["action"] for row in csv.DictReader(io.StringIO(out))]


def test_the_cli_prints_the_workspaces_audit_csv(trail: None, slack: SlackStandIn, capsys: pytest.CaptureFixture):
    assert run(slack, "audit", "--team", "T0001") == 0
    out = capsys.readouterr().out
    assert out.startswith("at,actor,action,subject_type,subject_id,detail\r\n")
    assert actions(out) == ["wg.created", "esp.setup", "wg.closed"]  # none of T0002's


def test_the_cli_filters_by_program_and_by_a_day_in_the_workspaces_zone(
    trail: None, slack: SlackStandIn, capsys: pytest.CaptureFixture
):
    assert run(slack, "audit", "--team", "T0001", "--since", "Nov", "25") == 0
    assert actions(capsys.readouterr().out) == ["wg.closed"]
    assert run(slack, "audit", "--team", "T0001", "--program", "wg", "--since", "2026-11-01") == 0
    assert actions(capsys.readouterr().out) == ["wg.created", "wg.closed"]


def test_the_cli_refuses_a_bad_date_and_says_when_nothing_matched(
    trail: None, slack: SlackStandIn, capsys: pytest.CaptureFixture
):
    assert run(slack, "audit", "--team", "T0001", "--since", "smarch") == 1
    out, err = capsys.readouterr()
    assert out == "" and "I couldn't read the date `smarch`" in err
    assert run(slack, "audit", "--team", "T0001", "--program", "okr") == 0
    out, err = capsys.readouterr()
    assert out == "at,actor,action,subject_type,subject_id,detail\r\n" and "No audit rows matched" in err
