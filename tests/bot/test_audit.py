"""bot/audit.py's export: which rows each program's export holds, dates as people write them, formula-safe CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from bot import audit
from bot.db import unit_of_work
from bot.errors import PermissionDenied, UserError
from bot.permissions import Actor
from models import ActionItem

TODAY = date(2026, 12, 1)  # a Tuesday
AT = datetime(2026, 11, 30, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2026-11-01", date(2026, 11, 1)),
        ("November 1, 2026", date(2026, 11, 1)),
        ("1 Nov 2026", date(2026, 11, 1)),
        ("2026/11/01", date(2026, 11, 1)),
        ("Nov 1", date(2026, 11, 1)),
        ("1st november", date(2026, 11, 1)),
        ("Dec 25", date(2025, 12, 25)),  # the last one that has been
        ("today", TODAY),
        ("yesterday", date(2026, 11, 30)),
        ("monday", date(2026, 11, 30)),
        ("last monday", date(2026, 11, 30)),
        ("tuesday", TODAY),
        ("3 days ago", date(2026, 11, 28)),
        ("2 weeks ago", date(2026, 11, 17)),
        ("a week ago", date(2026, 11, 24)),
    ],
)
def test_past_dates_are_read_as_people_write_them(written: str, day: date) -> None:
    assert audit.read_past_date(written, today=TODAY) == day


@pytest.mark.parametrize("written", ["smarch 45", "2026-02-30", "next week", "Nov 1 2026 at noon", "", "2026"])
def test_an_unreadable_date_is_refused_with_the_usage(written: str) -> None:
    with pytest.raises(UserError) as refused:
        audit.read_past_date(written, today=TODAY)
    assert "I couldn't read the date" in refused.value.message and "`2 weeks ago`" in refused.value.message


def test_a_day_still_to_come_is_refused() -> None:
    with pytest.raises(UserError, match="still to come"):
        audit.read_past_date("2026-12-02", today=TODAY)


@pytest.mark.parametrize(
    ("words", "wanted"),
    [
        ([], audit.AuditFilter()),
        (["wg"], audit.AuditFilter(program="wg")),
        (["OKR", "since", "yesterday"], audit.AuditFilter(program="okr", since=date(2026, 11, 30))),
        (["since", "Nov", "1,", "2026"], audit.AuditFilter(since=date(2026, 11, 1))),
    ],
)
def test_the_audit_filter_reads_program_and_since(words: list[str], wanted: audit.AuditFilter) -> None:
    assert audit.read_audit_filter(words, today=TODAY) == wanted


@pytest.mark.parametrize("words", [["payroll"], ["wg", "before", "monday"], ["since"], ["wg", "esp"]])
def test_other_words_get_the_usage(words: list[str]) -> None:
    with pytest.raises(UserError) as refused:
        audit.read_audit_filter(words, today=TODAY)
    assert "`/cadence audit wg`" in refused.value.message


def test_only_admins_may_export() -> None:
    audit.check_may_export_audit(Actor("U_ADMIN", is_admin=True))
    with pytest.raises(PermissionDenied, match="Only a workspace admin or owner"):
        audit.check_may_export_audit(Actor("U_BOB"))


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("wg.created", "wg.created"),
        ('{"name": "=HYPERLINK()"}', '{"name": "=HYPERLINK()"}'),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_get_an_apostrophe(cell: str, safe: str) -> None:
    assert audit.safe_cell(cell) == safe


def record(session: Session, action: str, *, subject_type: str = "x", subject_id: int = 1, **detail: object) -> None:
    audit.record(
        session, team_id="T0001", actor_id="U_ALICE", action=action, subject_type=subject_type,
        subject_id=subject_id, at=AT, **detail,
    )  # fmt: skip


def test_each_program_gets_its_own_actions_and_its_own_action_items(db: Session) -> None:
    with unit_of_work() as session:
        items = {}
        for program in ("wg", "okr"):
            item = ActionItem(team_id="T0001", program=program, subject_id=1, text="x", created_by="U_ALICE")
            session.add(item)
            session.flush()
            items[program] = item.id
        for action in ("cadence.added", "nudge.done", "workspace.fiscal_year_start", "away.set", "wg.created",
                       "wg.sync.changed", "esp.setup", "cocreate.setup", "okr.scored"):  # fmt: skip
            record(session, action)
        record(session, "action.added", subject_type="action_item", subject_id=items["wg"])
        record(session, "action.done", subject_type="action_item", subject_id=items["okr"])
        audit.record(
            session, team_id="T0002", actor_id="U_X", action="wg.created", subject_type="x", subject_id=1, at=AT
        )
    with unit_of_work() as session:
        actions = {
            program: [e.action for e in audit.audit_rows(session, team_id="T0001", program=program)]
            for program in (None, *audit.PROGRAM_ACTIONS)
        }
    assert actions["cadence"] == ["cadence.added", "nudge.done", "workspace.fiscal_year_start", "away.set"]
    assert actions["wg"] == ["wg.created", "wg.sync.changed", "action.added"]
    assert actions["okr"] == ["okr.scored", "action.done"]
    assert (actions["esp"], actions["cocreate"]) == (["esp.setup"], ["cocreate.setup"])
    assert len(actions[None]) == 11  # every one of T0001's, none of T0002's


def test_the_csv_has_its_columns_and_json_details(db: Session) -> None:
    with unit_of_work() as session:
        record(session, "cocreate.prospect_added", name='=HYPERLINK("http://x","y")', source="Zoë")
    with unit_of_work() as session:
        text = audit.audit_csv(audit.audit_rows(session, team_id="T0001"))
    [header, row] = list(csv.reader(io.StringIO(text)))
    assert header == ["at", "actor", "action", "subject_type", "subject_id", "detail"]
    assert row[:5] == ["2026-11-30T12:00:00+00:00", "U_ALICE", "cocreate.prospect_added", "x", "1"]
    assert row[5] == '{"name": "=HYPERLINK(\\"http://x\\",\\"y\\")", "source": "Zoë"}'
    assert not any(cell.startswith(audit.FORMULA_STARTS) for cell in row)
