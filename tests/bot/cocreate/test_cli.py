"""`python app.py cocreate import|export`, run in-process against the Slack stand-in and a real database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cocreate.cli import main
from bot.cocreate.prospect_csv import HEADER, read_prospects
from bot.cocreate.service import setup_program
from bot.db import unit_of_work
from bot.permissions import Actor
from devtools.slack_stand_in import BOT_USER_ID, TEAM_ID, SlackStandIn
from models import AuditEvent, Prospect

TEAM = TEAM_ID  # what the stand-in's auth.test answers
COLUMNS = ",".join(HEADER)
GOOD = f"""{COLUMNS}
Acme Corp,U0CSM1,@carla,,ultimate,"1,200",Finance,yes,4,3,5,5,2,3,4,,
Globex,@devi,,,free,40,Telco,no,0,1,1,5,0,,,2,Strong champion
Initech,,,,,,,,,,,,,,,,
"""
BAD_LINE_4 = f"""{COLUMNS}
Acme Corp,U0CSM1,,,ultimate,1200,Finance,yes,4,3,5,5,2,3,4,,
Globex,,,,free,40,Telco,no,0,1,1,5,0,,,,
Initech,,,,platinum,,,,,,,,,,,,
"""


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    # Member ids shaped as Slack's are (the fixture's U_ALICE is not one, so a CSV would refuse it).
    slack.add_user("U0CARLA01", name="carla", real_name="Carla Cruz")
    slack.add_user("U0DEV0001", name="dev", display_name="devi", real_name="Devi Das")
    return WebClient(token="xoxb-test", base_url=slack.url, retry_handlers=[])


@pytest.fixture
def program(db: Session) -> None:
    with unit_of_work() as session:
        setup_program(
            session,
            team_id=TEAM,
            actor=Actor("U_ADMIN", is_admin=True),
            channel_id="C_GENERAL",
            manager_id="U_ADMIN",
            timezone="UTC",
            now=datetime(2025, 2, 3, 9, 0, tzinfo=UTC),
        )


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "prospects.csv"
    path.write_text(text, encoding="utf-8")
    return path


def count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Prospect)) or 0


def test_a_good_file_is_imported_with_handles_looked_up_in_slack(
    tmp_path: Path, db: Session, program: None, client: WebClient, capsys: pytest.CaptureFixture
) -> None:
    assert main(["import", str(written(tmp_path, GOOD))], client) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "Imported 3 prospects (3 new, 0 updated)" and err == ""
    saved = db.execute(select(Prospect.name, Prospect.csm_id, Prospect.ae_id, Prospect.team_id).order_by(Prospect.name))
    assert saved.all() == [
        ("Acme Corp", "U0CSM1", "U0CARLA01", TEAM),
        ("Globex", "U0DEV0001", None, TEAM),
        ("Initech", None, None, TEAM),
    ]
    added_by = db.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "cocreate.prospect_added"))
    assert set(added_by) == {BOT_USER_ID}  # the bot, acting for the operator
    assert main(["import", str(written(tmp_path, GOOD))], client) == 0
    assert capsys.readouterr().out.strip() == "Imported 3 prospects (0 new, 3 updated)" and count(db) == 3


def test_a_bad_row_on_line_4_is_named_on_stderr_and_nothing_is_saved(
    tmp_path: Path, db: Session, program: None, client: WebClient, capsys: pytest.CaptureFixture
) -> None:
    assert main(["import", str(written(tmp_path, BAD_LINE_4))], client) == 1
    out, err = capsys.readouterr()
    assert out == "" and "Line 4:" in err and "`platinum`" in err and "nothing from it is saved" in err
    assert count(db) == 0


def test_a_handle_nobody_has_is_named_with_its_org_and_nothing_is_saved(
    tmp_path: Path, db: Session, program: None, client: WebClient, capsys: pytest.CaptureFixture
) -> None:
    file = GOOD.replace("@devi", "@nobody")
    assert main(["import", str(written(tmp_path, file))], client) == 1
    err = capsys.readouterr().err
    assert "`Globex`" in err and "`@nobody`" in err and count(db) == 0


def test_a_missing_file_or_a_workspace_without_the_program_is_explained(
    tmp_path: Path, db: Session, client: WebClient, capsys: pytest.CaptureFixture
) -> None:
    assert main(["import", str(tmp_path / "nowhere.csv")], client) == 1
    assert "nowhere.csv" in capsys.readouterr().err
    assert main(["import", str(written(tmp_path, GOOD))], client) == 1
    assert "/cocreate setup" in capsys.readouterr().err and count(db) == 0
    assert main(["export", "extra"], client) == 2 and "usage" in capsys.readouterr().err


def test_export_prints_the_csv_that_import_reads(
    tmp_path: Path, db: Session, program: None, client: WebClient, capsys: pytest.CaptureFixture
) -> None:
    assert main(["export"], client) == 0
    assert capsys.readouterr().out == COLUMNS + "\n"
    main(["import", str(written(tmp_path, GOOD))], client)
    capsys.readouterr()
    assert main(["export"], client) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == COLUMNS
    assert [row.org for row in read_prospects(out)] == ["Acme Corp", "Globex", "Initech"]
    assert read_prospects(out)[0].ae == "U0CARLA01"
