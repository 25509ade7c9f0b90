"""`python app.py` as an operator runs it: real processes, real ports, the Slack stand-in."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect

from devtools.signing import command_body, post_signed
from devtools.slack_stand_in import SlackStandIn
from tests.conftest import SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[1]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "PORT", "HOST"))}
    return {**env, **extra}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_missing_credentials_exit_2_naming_each_one_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "app.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path}/c.db"),
    )
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr and "SLACK_SIGNING_SECRET" in result.stderr
    assert "manifest.json" in result.stderr and "Traceback" not in result.stderr


def test_settings_come_from_a_dotenv_file(tmp_path: Path, slack: SlackStandIn) -> None:
    (tmp_path / ".env").write_text(f"SLACK_BOT_TOKEN=xoxb-env\nSLACK_API_URL={slack.url}\n")
    result = subprocess.run(
        [sys.executable, str(ROOT / "app.py"), "tick", "--at", "2026-11-23T09:30:00"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path}/c.db"),
    )
    assert result.returncode == 0, result.stderr
    assert "claimed 0 occurrence(s)" in result.stdout
    assert "cadence" in inspect(create_engine(f"sqlite:///{tmp_path}/c.db")).get_table_names()  # migrated on start


def test_python_app_py_migrates_serves_signed_requests_and_schedules(tmp_path: Path, slack: SlackStandIn) -> None:
    port = free_port()
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.url,
        DATABASE_URL=f"sqlite:///{tmp_path}/cadence.db",
        PORT=str(port),
    )
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        seen = []
        assert process.stderr is not None
        for line in process.stderr:  # waitress logs "Serving on …" once the port is bound
            seen.append(line)
            if "Serving on" in line:
                break
        assert f"127.0.0.1:{port}" in "".join(seen), "".join(seen)
        assert any("cadence-tick" in line or "Added job" in line for line in seen), "".join(seen)
        body = command_body(
            "/cadence",
            'add "Stand-up" every monday at 09:30',
            user_id="U_ALICE",
            channel_id="C_TEAM",
            response_url=slack.response_url(),
        )
        status, reply = post_signed(f"http://127.0.0.1:{port}/slack/events", body, SIGNING_SECRET)
        assert status == 200 and "Saved reminder #1" in reply["text"]
        assert post_signed(f"http://127.0.0.1:{port}/slack/events", body, "wrong-secret")[0] == 401
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_worker_process_ticks_and_posts_what_is_due(tmp_path: Path, slack: SlackStandIn) -> None:
    from datetime import UTC, datetime, timedelta

    from bot import db as bot_db
    from tests.support.factories import make_cadence

    url = f"sqlite:///{tmp_path}/cadence.db"
    bot_db.upgrade_to_head(url)
    bot_db.configure(url)
    make_cadence('add "Overdue check" every monday at 09:30', now=datetime.now(UTC) - timedelta(days=8))
    # Its first tick comes at a random moment of its first interval (bot/cadence/scheduler.py first_tick): 2 s here.
    env = clean_env(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=slack.url, DATABASE_URL=url, TICK_SECONDS="2")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "worker"], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if "tick at" in line:
                break
        assert "claimed 1" in line and "posted 1" in line, line
        assert "Overdue check" in slack.messages("C_TEAM")[0]["text"]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_okr_import_and_export_run_as_commands(tmp_path: Path, slack: SlackStandIn) -> None:
    seed = ROOT.parent / "shared" / "seeds" / "okrs-fy20-q2.md"
    env = clean_env(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=slack.url, DATABASE_URL=f"sqlite:///{tmp_path}/c.db")

    def app_py(*words: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(ROOT / "app.py"), *words],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

    imported = app_py("okr", "import", str(seed), "--quarter", "FY20-Q2")
    assert imported.returncode == 0, imported.stderr
    assert "Imported FY20-Q2: 3 objectives, 206 key results (59 scored)" in imported.stdout
    again = app_py("okr", "import", str(seed))
    assert again.returncode == 1 and "already imported" in again.stderr and "Traceback" not in again.stderr
    markdown = app_py("okr", "export", "FY20-Q2")
    assert markdown.returncode == 0 and markdown.stdout.startswith('---\ntitle: "FY20-Q2 OKRs"'), markdown.stdout[:200]
    (tmp_path / "exported.md").write_text(markdown.stdout)
    replaced = app_py("okr", "import", str(tmp_path / "exported.md"), "--replace")
    assert replaced.returncode == 0 and "206 key results (59 scored), 3 retrospective teams" in replaced.stdout
    exported = app_py("okr", "export", "FY20-Q2", "--format", "json")
    assert json.loads(exported.stdout)["end"] == "2019-07-31"
    wrong = app_py("okr", "export", "FY20-Q2", "--format", "yaml")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr


def test_export_forget_and_audit_run_as_commands_on_either_database(
    tmp_path: Path, slack: SlackStandIn, database_url: str
) -> None:
    from datetime import UTC, datetime

    from bot import audit
    from bot.db import unit_of_work
    from bot.slack.users import remember

    with unit_of_work() as session:
        remember(session, team_id="T0001", user={"id": "U_ALICE", "real_name": "Alice Archer"}, now=datetime.now(UTC))
        audit.record(
            session, team_id="T0001", actor_id="U_BOB", action="wg.role_linked", subject_type="working_group",
            subject_id=1, at=datetime(2026, 11, 20, tzinfo=UTC), who="U_ALICE", name="Alice Archer",
        )  # fmt: skip
    env = clean_env(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=slack.url, DATABASE_URL=database_url)

    def app_py(*words: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(ROOT / "app.py"), *words],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

    exported = app_py("export", "--team", "T0001")
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["tables"]["slack_user"][0]["real_name"] == "Alice Archer"
    trail = app_py("audit", "--team", "T0001", "--program", "wg", "--since", "Nov", "1", "2026")
    assert trail.returncode == 0, trail.stderr
    assert trail.stdout.splitlines()[1].startswith("2026-11-20T00:00:00+00:00,U_BOB,wg.role_linked,")
    forgot = app_py("forget", "--team", "T0001", "--user", "U_ALICE")
    assert forgot.returncode == 0, forgot.stderr
    assert "Slack profile copies deleted (slack_user): 1" in forgot.stdout
    assert "Alice Archer" not in app_py("audit", "--team", "T0001").stdout
    elsewhere = app_py("export", "--team", "T0002")
    assert elsewhere.returncode == 1 and "belongs to workspace T0001, not T0002" in elsewhere.stderr
    assert "Traceback" not in elsewhere.stderr
