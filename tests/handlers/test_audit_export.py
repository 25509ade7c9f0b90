"""/cadence audit through signed requests: an admin gets the audit trail as a CSV file in her DM (files_upload_v2
against the stand-in), only her workspace's rows; others are refused; bad input and a failed upload send nothing."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy.orm import Session

from bot import audit
from bot.db import unit_of_work
from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from tests.support.factories import make_cadence

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def record(action: str, *, at: datetime, team_id: str = "T0001", actor: str = "U_ALICE", **detail: object) -> None:
    subject_type = action.split(".")[0]
    with unit_of_work() as session:
        audit.record(
            session, team_id=team_id, actor_id=actor, action=action, subject_type=subject_type, subject_id=1, at=at,
            **detail,
        )  # fmt: skip


def rows_of(file: dict) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(file["content"].decode("utf-8"))))


def test_an_admin_gets_her_workspaces_rows_as_a_csv_file_in_her_dm(app: AppClient, slack: SlackStandIn, db: Session):
    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        make_cadence('add "Weekly sync" every monday at 09:30', now=NOW - timedelta(days=3))
    record("wg.created", at=NOW - timedelta(days=2), name='=HYPERLINK("http://evil")')
    record("wg.created", at=NOW - timedelta(days=2), team_id="T0002", name="Other workspace's group")
    with time_machine.travel(NOW, tick=False):
        reply = app.command("/cadence", "audit", user="U_ADMIN")
    assert reply["response_type"] == "ephemeral"
    assert "Sent you 2 audit rows" in reply.text, reply.text
    [file] = slack.files_shared("U_ADMIN")
    assert file["name"].startswith("cadence-audit-T0001-") and file["name"].endswith(".csv")
    table = rows_of(file)
    assert [row["action"] for row in table] == ["cadence.added", "wg.created"]
    assert list(table[0]) == ["at", "actor", "action", "subject_type", "subject_id", "detail"]
    assert table[0]["at"] == (NOW - timedelta(days=3)).isoformat() and table[0]["actor"] == "U_ALICE"
    assert json.loads(table[1]["detail"]) == {"name": '=HYPERLINK("http://evil")'}
    assert "Other workspace" not in file["content"].decode()
    comment = slack.messages("U_ADMIN")[-1]
    assert comment["files"][0]["id"] == file["id"] and "2 audit rows" in comment["text"]


def test_one_programs_rows_since_a_date_written_as_people_write_it(app: AppClient, slack: SlackStandIn, db: Session):
    record("wg.created", at=datetime(2026, 11, 20, 12, tzinfo=UTC))
    record("wg.closed", at=datetime(2026, 11, 25, 12, tzinfo=UTC))
    record("esp.setup", at=datetime(2026, 11, 26, 12, tzinfo=UTC))
    with time_machine.travel(NOW, tick=False):
        reply = app.command("/cadence", "audit wg since Nov 24", user="U_ADMIN")
    assert "Sent you 1 audit row (`wg`'s changes since 2026-11-24)" in reply.text, reply.text
    [file] = slack.files_shared("U_ADMIN")
    assert [row["action"] for row in rows_of(file)] == ["wg.closed"]


def test_since_is_midnight_in_the_readers_zone(app: AppClient, slack: SlackStandIn, db: Session):
    # Alice's zone is Europe/Paris (UTC+1): her 2026-11-25 began at 23:00 UTC on the 24th.
    slack.change_user("U_ALICE", is_admin=True)
    record("wg.created", at=datetime(2026, 11, 24, 22, 30, tzinfo=UTC))
    record("wg.closed", at=datetime(2026, 11, 24, 23, 30, tzinfo=UTC))
    with time_machine.travel(NOW, tick=False):
        reply = app.command("/cadence", "audit since 2026-11-25", user="U_ALICE")
    assert "Sent you 1 audit row" in reply.text, reply.text
    assert [row["action"] for row in rows_of(slack.files_shared("U_ALICE")[0])] == ["wg.closed"]


def test_a_member_is_refused_told_who_may_and_nothing_is_sent(app: AppClient, slack: SlackStandIn, db: Session):
    record("wg.created", at=NOW - timedelta(days=1))
    reply = app.command("/cadence", "audit", user="U_BOB")
    assert reply["response_type"] == "ephemeral"
    assert "Only a workspace admin or owner can export the audit trail" in reply.text
    assert slack.files_shared() == [] and slack.calls("files.getUploadURLExternal") == []


def test_a_bad_date_or_program_gets_the_usage_and_nothing_is_sent(app: AppClient, slack: SlackStandIn, db: Session):
    record("wg.created", at=NOW - timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        garbled = app.command("/cadence", "audit since smarch 45", user="U_ADMIN")
        future = app.command("/cadence", "audit since 2027-01-05", user="U_ADMIN")
        unknown = app.command("/cadence", "audit payroll", user="U_ADMIN")
    assert "I couldn't read the date `smarch 45`" in garbled.text and "/cadence audit since 2026-11-01" in garbled.text
    assert "still to come" in future.text
    assert "I didn't understand `payroll`" in unknown.text and "`cocreate`" in unknown.text
    assert slack.files_shared() == [] and slack.calls("files.getUploadURLExternal") == []


def test_no_matching_rows_says_so_and_sends_nothing(app: AppClient, slack: SlackStandIn, db: Session):
    record("wg.created", at=NOW - timedelta(days=1), team_id="T0002")
    reply = app.command("/cadence", "audit okr", user="U_ADMIN")
    assert "There are no audit rows for `okr`'s changes, so I sent nothing." in reply.text
    assert slack.files_shared() == [] and slack.calls("files.getUploadURLExternal") == []


def test_a_failed_upload_says_nothing_was_sent_and_how_to_retry(app: AppClient, slack: SlackStandIn, db: Session):
    record("wg.created", at=datetime(2026, 11, 30, tzinfo=UTC))
    slack.fail_next("files.completeUploadExternal", 500)
    with time_machine.travel(NOW, tick=False):
        reply = app.command("/cadence", "audit wg since yesterday", user="U_ADMIN")
    assert reply["response_type"] == "ephemeral"
    assert "I couldn't send you the audit CSV (1 audit row)" in reply.text and "Nothing was sent" in reply.text
    assert "try again with `/cadence audit wg since 2026-11-30`" in reply.text
    assert slack.files_shared() == []
    again = app.command("/cadence", "audit wg since 2026-11-30", user="U_ADMIN")
    assert "Sent you 1 audit row" in again.text and len(slack.files_shared("U_ADMIN")) == 1


def test_help_mentions_the_audit_export_for_admins(app: AppClient):
    assert (
        "/cadence audit [program] [since DATE]`* (workspace admins)"
        in app.command("/cadence", "help", user="U_BOB").all_text()
    )


def test_an_upload_slack_doesnt_answer_in_time_is_not_called_unsent(app: AppClient, slack: SlackStandIn, db: Session):
    record("wg.created", at=NOW - timedelta(days=1))
    slack.time_out_next("files.completeUploadExternal", delay=3)  # shared, answered after the client's 2 s
    reply = app.command("/cadence", "audit", user="U_ADMIN")
    assert "Slack didn't answer in time" in reply.text and "may still show up in our DM" in reply.text
    assert "Nothing was sent" not in reply.text
    assert len(slack.files_shared("U_ADMIN")) == 1  # it was shared, as the reply allowed
