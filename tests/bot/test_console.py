"""The console: typed lines go through the real app as signed requests, against a SQLite file of the test's own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot import db
from bot.console import Console, render_message, render_view, slack_escape, terminal_text

ROOT = Path(__file__).resolve().parents[2]
ADD_SYNC = '/cadence add "Weekly sync" every monday at 09:30'


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    """A started console on a fresh SQLite file (never the developer's cadence.db)."""
    playground = Console(f"sqlite:///{tmp_path / 'c.db'}").start()
    try:
        yield playground
    finally:
        playground.stop()
    assert playground.slack.problems == [], "the app sent Slack something it would reject"


def next_run(reply: str) -> datetime:
    """The `Next: 2026-11-30 08:30 UTC` of a confirmation."""
    found = re.search(r"Next: (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", reply)
    assert found, reply
    return datetime.fromisoformat(found.group(1)).replace(tzinfo=UTC)


def test_adding_a_reminder_shows_the_apps_confirmation(console: Console) -> None:
    reply = console.handle(ADD_SYNC)
    assert reply.startswith("(only you)  [1] ✅ Saved reminder #1: *Weekly sync*")
    assert "every Monday at 09:30 (Europe/Paris), posted to #general" in reply  # alice's zone, from users.info
    assert "[Undo]" in reply
    assert console.slack.calls("users.info")[0]["user"] == "U_ALICE"  # the app asked the stand-in, not Slack


def test_tick_after_the_next_run_posts_the_nudge_and_reports(console: Console) -> None:
    due = next_run(console.handle(ADD_SYNC))
    output = console.handle(f"tick {(due + timedelta(minutes=1)).strftime('%Y-%m-%dT%H:%M')}")
    assert "#general  [2] ⏰ *Weekly sync*" in output
    assert "[Done] [Snooze 1 day] [Snooze 1 week] [Skip this time]" in output
    assert "late" not in output
    assert output.splitlines()[-1].endswith(
        "claimed 1 occurrence(s); posted 1, found already posted 0, deferred 0, failed 0"
    )
    assert console.handle(f"tick {(due + timedelta(minutes=2)).isoformat()}").startswith("tick at")  # nothing new


def test_pressing_done_redraws_the_nudge_with_who_answered(console: Console) -> None:
    due = next_run(console.handle(ADD_SYNC))
    console.handle(f"tick {(due + timedelta(minutes=1)).isoformat()}")
    output = console.handle("press done")
    assert output.startswith("#general  [2] (redrawn) ⏰ *Weekly sync*")
    assert "✅ Done by @alice" in output and "[Undo]" in output and "[Done]" not in output
    assert console.slack.calls("chat.update")[-1]["channel"] == "C_GENERAL"
    assert "[Done] [Snooze 1 day]" in console.handle("press undo on 2")


def test_a_button_on_a_reply_only_the_typist_saw_goes_through_the_app(console: Console) -> None:
    console.handle(ADD_SYNC)
    assert "🗑️ Removed reminder #1 *Weekly sync*" in console.handle("press undo")
    assert "No reminders yet" in console.handle("/cadence list")


def test_bad_input_shows_the_bots_ephemeral_error(console: Console) -> None:
    reply = console.handle('/cadence add "Sync" every monday at 25:00')
    assert reply.startswith("(only you)  ❌ I couldn't read the time `25:00`.")
    assert "[" not in reply.split("❌")[0].replace("(only you)", "")  # nothing to press: no number


def test_as_and_in_switch_who_types_and_where(console: Console) -> None:
    assert console.prompt == "alice in #general> "
    assert console.handle("as @bob") == "You are bob (Bob Baker, America/New_York)."
    assert console.handle("in #team") == "You are in #team."
    assert console.prompt == "bob in #team> "
    reply = console.handle('/cadence add "Retro" every friday at 16:00')
    assert "(America/New_York), posted to #team." in reply  # bob's zone, this channel
    assert "posted to #general, @alice." in console.handle(
        '/cadence add "Retro" every friday at 16:00 in #general to @alice'
    )
    assert "alice, bob, ada" in console.handle("as zed")
    assert "#general #team #random" in console.handle("in #nowhere")
    assert console.prompt == "bob in #team> "


def test_dm_nudges_are_shown_and_pressed_in_the_dm(console: Console) -> None:
    console.handle("as ada")
    due = next_run(console.handle('/cadence add "1:1 notes" every tuesday at 08:00 to @bob'))
    output = console.handle(f"tick {(due + timedelta(minutes=1)).isoformat()}")
    assert "@bob (DM)  [2] ⏰ *1:1 notes*" in output
    console.handle("as bob")
    assert "💤 Snoozed by @bob" in console.handle("press snooze_day")
    assert "Snoozed by @bob" in console.handle("messages @bob")


def test_press_explains_what_it_cannot_find(console: Console) -> None:
    assert console.handle("press done") == "No message here has a [done] button."
    console.handle(ADD_SYNC)
    assert console.handle("press done on 1") == "Message [1] has no [done] button; it has [Undo]."
    assert console.handle("press done on 9") == "There's no message [9]; the last one is [1]."


def test_other_commands_and_quit(console: Console) -> None:
    assert "HTTP 404" in console.handle("/nothing here")
    assert 'modal "New reminder"  [Cancel] [Save]' in console.handle("/cadence new")
    assert console.handle("messages") == "No bot messages in #general yet."
    assert "Type `help`" in console.handle("frobnicate")
    assert "press done [on 3]" in console.handle("help")
    assert console.handle("tick yesterday").startswith("`tick` wants an ISO-8601 time")
    assert not console.finished
    assert console.handle("quit") == "Bye." and console.finished


def test_what_the_stand_in_flags_is_shown(console: Console) -> None:
    console.slack.problems.append("chat.postMessage: blocks without a text fallback")  # as the stand-in records one
    assert console.handle("/cadence list").endswith(
        "(the Slack stand-in flagged: chat.postMessage: blocks without a text fallback)"
    )
    console.slack.problems.clear()


def test_tick_refuses_a_database_other_workspaces_use(console: Console) -> None:
    due = next_run(console.handle(ADD_SYNC))
    with db.unit_of_work() as session:
        session.execute(text("UPDATE cadence SET team_id = 'T_REAL'"))
    output = console.handle(f"tick {(due + timedelta(minutes=1)).isoformat()}")
    assert output.startswith("Not ticking: 1 reminder(s) or nudge(s) of other workspaces are due")
    assert console.slack.calls("chat.postMessage") == []


def test_render_message_turns_block_kit_into_terminal_text() -> None:
    message = {
        "text": "fallback",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Reminders (1)"}},
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": ":alarm_clock: *Q&amp;A &lt;prep&gt;* for <@U_BOB> in <#C_TEAM|team>",
                },
                "fields": [
                    {"type": "mrkdwn", "text": "Next: <!date^1764491400^{date_short_pretty}|2025-11-30 08:30 UTC>"}
                ],
                "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Pause"}, "action_id": "p"},
            },
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "see <https://x.example|the docs> · <!here>"}]},
            {"type": "divider"},
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": {"type": "plain_text", "text": "Done"}, "action_id": "d"},
                    {"type": "button", "text": {"type": "plain_text", "text": "Skip"}, "action_id": "s"},
                ],
            },
        ],
    }
    assert render_message(message, {"U_BOB": "bob"}).splitlines() == [
        "== Reminders (1) ==",
        "⏰ *Q&A <prep>* for @bob in #team",
        "  Next: 2025-11-30 08:30 UTC  [Pause]",
        "  see the docs (https://x.example) · @here",
        "─" * 40,
        "[Done] [Skip]",
    ]
    assert render_message({"text": "plain &amp; simple <@U_X>"}) == "plain & simple @U_X"


def test_text_helpers() -> None:
    assert terminal_text("&amp;lt; stays &lt; once") == "&lt; stays < once"
    assert terminal_text(":x: :unknown_emoji: 09:30") == "❌ :unknown_emoji: 09:30"
    users, channels = {"bob": "U_BOB"}, {"team": "C_TEAM"}
    assert slack_escape("to @bob in #team, @zed & @here", users, channels) == (
        "to <@U_BOB|bob> in <#C_TEAM|team>, @zed &amp; <!here>"
    )
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "New"},
        "submit": {"type": "plain_text", "text": "Save"},
    }
    assert render_view(view) == 'modal "New"  [Save]'


def test_python_app_py_console_reads_piped_lines(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"}
    lines = "/cadence help\nas bob\n" + ADD_SYNC + "\nquit\n/cadence list\n"
    done = subprocess.run(
        [sys.executable, "app.py", "console"],
        cwd=ROOT,
        env=env,
        input=lines,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"Database: sqlite:///{tmp_path / 'c.db'} (as workspace T0001)" in out
    assert "alice in #general> /cadence help\n(only you)  == Cadence: recurring reminders ==" in out
    assert "bob in #general> " + ADD_SYNC + "\n(only you)  [1] ✅ Saved reminder #1: *Weekly sync*" in out
    assert "(America/New_York)" in out
    assert out.rstrip().endswith("bob in #general> quit\nBye.")  # lines after quit are not read
    assert (tmp_path / "c.db").exists()
