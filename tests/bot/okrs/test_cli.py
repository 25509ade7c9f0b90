"""`python app.py okr import|export`, run in-process against the Slack stand-in and a real database (the process
itself, with its arguments, is run in tests/test_app_cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.okrs import page as okr_page
from bot.okrs.cli import main
from devtools.slack_stand_in import BOT_USER_ID, SlackStandIn
from models import AuditEvent, KeyResult, OkrQuarter, RetroTeam

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "okrs-fy20-q2.md"
# The other way pages write a quarter: `## Objective N:` headings, no title and no dates (the quarter is given).
OBJECTIVE_HEADINGS = """\
## Objective 1: Grow revenue

1. CRO: Close 10 enterprise deals => 50%
    - Sales: Hire 3 AEs: 66% done
1. CMO:
    1. PMM: Launch two webinars

## Objective 2: Ship faster

- VP Eng: Halve cycle time - 83%
"""


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-test", base_url=slack.url, retry_handlers=[])


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def run(capsys: pytest.CaptureFixture, client: WebClient, *words: str) -> tuple[int, str, str]:
    code = main(list(words), client)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_seed_imports_and_exports_back_as_the_same_tree(
    db: Session, client: WebClient, capsys: pytest.CaptureFixture
) -> None:
    code, out, err = run(capsys, client, "import", str(SEED), "", "")
    assert (code, err) == (0, "")
    saved, *report = out.strip().split("\n")
    assert saved == "Imported FY20-Q2: 3 objectives, 206 key results (59 scored), 3 retrospective teams"
    assert report[:2] == ["Read:", "  - 2 dates, 3 objectives, 206 key results, 59 scores, 3 retro teams"]
    assert "Skipped:" in report and '  - Objective 1, item "CPO": a label with no key results under it' in report
    assert db.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "okr.imported")).all() == [BOT_USER_ID]

    code, markdown, err = run(capsys, client, "export", "FY20-Q2", "markdown")
    assert (code, err) == (0, "")
    assert okr_page.read_okr_page(markdown) == okr_page.read_okr_page(SEED.read_text())

    code, text, _ = run(capsys, client, "export", "fy20-q2", "json")
    exported = json.loads(text)
    assert code == 0 and set(exported) == {"quarter", "start", "end", "objectives", "retro"}
    assert (exported["quarter"], exported["start"], exported["end"]) == ("FY20-Q2", "2019-05-01", "2019-07-31")
    fellow = exported["objectives"][0]["key_results"][5]["key_results"][2]
    assert (fellow["owner"], fellow["score"], fellow["key_results"]) == ("Fellow", 40, [])
    assert [team["team"] for team in exported["retro"]] == ["Infrastructure", "Delivery", "Development"]


def test_a_quarter_imported_twice_is_refused_unless_replace_is_given(
    db: Session, client: WebClient, capsys: pytest.CaptureFixture
) -> None:
    assert run(capsys, client, "import", str(SEED), "", "")[0] == 0
    code, out, err = run(capsys, client, "import", str(SEED), "", "")
    assert (code, out) == (1, "") and "FY20-Q2 is already imported" in err and "--replace" in err
    assert count(db, OkrQuarter) == 1 and count(db, KeyResult) == 206
    code, out, _ = run(capsys, client, "import", str(SEED), "", "replace")
    assert code == 0 and out.startswith("Imported FY20-Q2")
    imports = db.scalars(select(AuditEvent.detail).where(AuditEvent.action == "okr.imported").order_by(AuditEvent.id))
    assert [detail["replaced"] for detail in imports] == [False, True]
    assert count(db, KeyResult) == 206 and count(db, RetroTeam) == 3


def test_a_page_that_does_not_name_its_quarter_takes_it_from_the_option(
    tmp_path: Path, db: Session, client: WebClient, capsys: pytest.CaptureFixture
) -> None:
    page = tmp_path / "okrs.md"
    page.write_text(OBJECTIVE_HEADINGS, encoding="utf-8")
    code, _, err = run(capsys, client, "import", str(page), "", "")
    assert code == 1 and "quarter" in err.lower() and count(db, OkrQuarter) == 0
    code, out, err = run(capsys, client, "import", str(page), "FY21-Q1", "")
    assert (code, err) == (0, "")
    assert out.strip().split("\n") == [
        "Imported FY21-Q1: 2 objectives, 4 key results (3 scored), 0 retrospective teams",
        "Read:",
        "  - 2 objectives, 4 key results, 3 scores",
        "To check:",
        "  - The page doesn't say when FY21-Q1 runs: the quarter's own 2020-02-01 to 2020-04-30 is used.",
    ]
    quarter = db.scalars(select(OkrQuarter)).one()
    assert (str(quarter.start_on), str(quarter.end_on)) == ("2020-02-01", "2020-04-30")  # the year starts in February
    code, text, _ = run(capsys, client, "export", "FY21-Q1", "json")
    sales = json.loads(text)["objectives"][0]["key_results"][0]["key_results"][0]
    assert (sales["owner"], sales["text"], sales["score"]) == ("Sales", "Hire 3 AEs", 66)

    code, out, err = run(capsys, client, "import", str(page), "2020-Q2", "")  # a calendar quarter: April to June
    assert (code, err) == (0, "") and out.startswith("Imported 2020-Q2")
    odd = tmp_path / "odd.md"
    odd.write_text("This quarter will run from May 15, 2021 to August 14, 2021.\n\n" + OBJECTIVE_HEADINGS)
    code, out, err = run(capsys, client, "import", str(odd), "FY22-Q2", "")
    assert code == 0 and out.startswith("Imported FY22-Q2")
    assert err.startswith("Warning: FY22-Q2 runs 15 May – 14 Aug 2021, not three whole months from the 1st")
    assert "the quarter it starts in, 1 May – 31 Jul 2021" in err  # the workspace's fiscal FY22-Q2


def test_problems_are_named_on_stderr_and_nothing_is_saved(
    tmp_path: Path, db: Session, client: WebClient, capsys: pytest.CaptureFixture
) -> None:
    code, out, err = run(capsys, client, "import", str(tmp_path / "nowhere.md"), "", "")
    assert (code, out) == (1, "") and "nowhere.md" in err
    notes = tmp_path / "notes.md"
    notes.write_text("# Team notes\n\nWe met and talked about the quarter.\n", encoding="utf-8")
    code, _, err = run(capsys, client, "import", str(notes), "FY20-Q2", "")
    assert code == 1 and "couldn't find any objectives" in err
    binary = tmp_path / "page.md"
    binary.write_bytes(b"\xff\xfe\x00junk")
    code, _, err = run(capsys, client, "import", str(binary), "", "")
    assert code == 1 and "UTF-8" in err
    code, _, err = run(capsys, client, "import", str(SEED), "FY20-Q9", "")
    assert code == 1 and "FY20-Q9" in err
    code, out, err = run(capsys, client, "export", "FY20-Q2", "markdown")
    assert (code, out) == (1, "") and "FY20-Q2 hasn't been imported" in err
    assert count(db, OkrQuarter) == 0 and count(db, AuditEvent) == 0
