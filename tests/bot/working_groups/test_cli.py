"""`python app.py wg import PAGE --channel C…`, run in-process against the Slack stand-in and a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.working_groups.cli import main
from models import WorkingGroupMember
from tests.support.slack_stand_in import SlackStandIn

PAGE = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "handbook"
    / "working_groups"
    / "05-automotive-development-2023.md"
)


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-test", base_url=slack.url, retry_handlers=[])


def test_import_prints_the_summary_then_the_report(db: Session, client: WebClient, capsys: pytest.CaptureFixture):
    code = main(["import", str(PAGE), "C_AUTO"], client)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    lines = out.strip().split("\n")
    assert lines[0] == "Created Automotive Development in C_AUTO: 12 roles (0 linked to Slack users), 3 exit criteria."
    assert (
        lines[1] == "Read:" and lines[2].startswith("  - ") and "12 roles" in lines[2] and "3 exit criteria" in lines[2]
    )
    assert "To check:" in lines
    titles = db.scalars(select(WorkingGroupMember.role_title).order_by(WorkingGroupMember.position)).all()
    assert titles[1:3] == ["Functional Lead Compliance", "Functional Lead Verify"]


def test_a_page_with_nothing_to_import_is_refused_and_says_why(
    db: Session, client: WebClient, capsys: pytest.CaptureFixture, tmp_path: Path
):
    page = tmp_path / "notes.md"
    page.write_text("Just notes.\n", encoding="utf-8")
    code = main(["import", str(page), "C_NOTES"], client)
    out, err = capsys.readouterr()
    assert (code, out) == (1, "") and "I found nothing I could import on this page." in err
    assert db.scalars(select(WorkingGroupMember)).all() == []
