"""`python app.py wg import PAGE --channel C…`, run in-process against the Slack stand-in and a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.working_groups.cli import main
from devtools.slack_stand_in import SlackStandIn
from models import WorkingGroupMember

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


def test_import_prints_the_summary_then_the_report(
    db: Session, client: WebClient, slack: SlackStandIn, capsys: pytest.CaptureFixture
):
    slack.add_channel("C_AUTO", "wg_automotive")
    code = main(["import", str(PAGE), "C_AUTO"], client)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    lines = out.strip().split("\n")
    assert lines[0] == (
        "Created Automotive Development in #wg_automotive (C_AUTO): 12 roles (0 linked to Slack users), "
        "3 exit criteria."
    )
    assert "a workspace admin manages the group: `/wg people` in #wg_automotive links them." in out
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


def _latin1_page(folder: Path) -> Path:
    page = folder / "latin1.md"
    page.write_bytes(b"# Docs WG\n\n## Exit Criteria\n\n1. Ship \xff\xfe it\n")
    return page


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda folder: folder, "I couldn't read"),  # a folder, not a file
        (lambda folder: folder / "missing.md", "I couldn't read"),
        (_latin1_page, "not UTF-8"),
    ],
)
def test_a_page_that_cannot_be_read_is_explained_without_a_traceback(
    db: Session, client: WebClient, slack: SlackStandIn, capsys: pytest.CaptureFixture, tmp_path: Path, make, said
):
    slack.add_channel("C_AUTO", "wg_automotive")
    code = main(["import", str(make(tmp_path)), "C_AUTO"], client)
    out, err = capsys.readouterr()
    assert (code, out) == (1, "") and said in err and "Traceback" not in err
    assert db.scalars(select(WorkingGroupMember)).all() == []


@pytest.mark.parametrize(("channel", "said"), [("#wg_auto", "is not a channel id"), ("C_NOWHERE", "doesn't show me")])
def test_a_channel_that_is_not_one_slack_shows_is_refused_and_nothing_is_saved(
    db: Session, client: WebClient, capsys: pytest.CaptureFixture, channel: str, said: str
):
    code = main(["import", str(PAGE), channel], client)
    out, err = capsys.readouterr()
    assert (code, out) == (1, "") and said in err and "--channel C0123456789" in err
    assert db.scalars(select(WorkingGroupMember)).all() == []
