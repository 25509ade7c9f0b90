"""The console: typed lines go through the real app as signed requests, against a SQLite file of the test's own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from bot import db
from bot.okrs.rules import QuarterSpan, try_window
from devtools.app_client import Reply
from devtools.console import Console, slack_escape
from devtools.console.forms import FillRefused, OpenForm, initial_state, typed_state
from devtools.console.render import render_message, render_view, terminal_text
from models import ActionItem, Cadence, Delivery, KeyResult, OkrQuarter, RetroItem, WorkingGroup

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "okrs-fy20-q2.md"
ADD_SYNC = '/cadence add "Weekly sync" every monday at 09:30'
IMPORT_FIELDS = "1. Quarter; 2. Page; 3. Page, continued; 4. Or attach the page; 5. If the quarter is already imported"


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    """A started console on a fresh SQLite file (never the developer's cadence.db)."""
    playground = Console(f"sqlite:///{tmp_path / 'c.db'}").start()
    try:
        yield playground
    finally:
        playground.stop()
    assert playground.slack.problems == [], "the app sent Slack something it would reject"


@pytest.fixture
def form_console(database_url: str) -> Iterator[Console]:
    """A started console on a fresh, migrated database of each kind (SQLite file and PostgreSQL)."""
    playground = Console(database_url, migrate=False).start()
    try:
        yield playground
    finally:
        playground.stop()
    assert playground.slack.problems == [], "the app sent Slack something it would reject"


def rows(model: type) -> int:
    """How many rows a table holds now, read in a transaction of its own."""
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def next_run(reply: str) -> datetime:
    """The next run of the reminder a confirmation names (`Saved reminder #3`), as stored."""
    found = re.search(r"Saved reminder #(\d+)", reply)
    assert found, reply
    with db.unit_of_work() as session:
        due = session.get_one(Cadence, int(found.group(1))).next_run_at
    assert due is not None
    return due


def test_adding_a_reminder_shows_the_apps_confirmation(console: Console) -> None:
    reply = console.handle(ADD_SYNC)
    assert reply.startswith("(only you)  [1] ✅ Saved reminder #1: *Weekly sync*")
    assert "every Monday at 09:30 (Europe/Paris), posted in #general" in reply  # alice's zone, from users.info
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
    assert "(America/New_York), posted in #team." in reply  # bob's zone, this channel
    assert "posted in #general and by DM to @alice." in console.handle(
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


# ----------------------------------------------------------------------------- the travelled clock, and mistypes

MONDAY = "2027-03-01"  # a Monday, whatever day the test runs on: the first `tick` moves the console's clock there


def test_a_press_after_a_tick_happens_on_the_ticks_day_so_a_snooze_comes_back_a_simulated_day_later(
    console: Console,
) -> None:
    assert console.handle(f"tick {MONDAY}T08:00").startswith("tick at 2027-03-01T08:00:00+00:00: claimed 0")
    added = console.handle(ADD_SYNC)  # typed on the simulated Monday: its first run is that morning
    assert next_run(added) == datetime(2027, 3, 1, 8, 30, tzinfo=UTC)
    assert "Next: today at 09:30." in added  # alice reads it in her zone (Paris)
    console.handle(f"tick {MONDAY}T08:31")

    snoozed = console.handle("press snooze 1 day")
    assert "💤 Snoozed by @alice, today at 09:31" in snoozed  # pressed on the simulated day, shown in her zone
    with db.unit_of_work() as session:
        [copy] = session.scalars(select(Delivery).where(Delivery.snoozed_from_id.is_not(None))).all()
        assert abs(copy.occurrence_at - datetime(2027, 3, 2, 8, 31, tzinfo=UTC)) < timedelta(seconds=30)
    later_that_day = console.handle(f"tick {MONDAY}T20:00")
    assert "Weekly sync" not in later_that_day  # the real clock's "tomorrow" would have been due long ago
    next_day = console.handle("tick 2027-03-02T08:32")
    assert "⏰ *Weekly sync*" in next_day and "snoozed reminder" in next_day


def test_snoozing_the_last_overdue_item_says_it_is_snoozed_and_it_skips_one_simulated_day(console: Console) -> None:
    console.handle(f"tick {MONDAY}T07:00")
    console.handle("in #team")
    assert "Docs revamp" in console.handle('/wg create "Docs revamp" goal "Better docs" ends 2027-12-31')
    assert "Added *#1* Write the outline" in console.handle('/wg action "Write the outline" @alice due 2027-03-02')
    dm = console.handle("tick 2027-03-04T08:01")
    assert "⌛ *You have 1 overdue action item.*" in dm and "Write the outline" in dm

    redrawn = console.handle("press snooze 1 day")
    assert redrawn.startswith("@alice (DM)") and "(redrawn) ✅ *Nothing overdue is waiting on you today.*" in redrawn
    assert "A snoozed item stays out of tomorrow's reminder" in redrawn and "0 overdue" not in redrawn
    with db.unit_of_work() as session:
        assert session.get_one(ActionItem, 1).snoozed_until == date(2027, 3, 5)  # the simulated day's tomorrow
    assert "Write the outline" not in console.handle("tick 2027-03-05T08:01")
    assert "*#1* Write the outline" in console.handle("tick 2027-03-06T08:01")


def test_a_mistyped_command_name_gets_the_consoles_answer_not_bolts(console: Console) -> None:
    answer = console.handle("/cadense list")
    assert answer == (
        "I don't know `/cadense`: Slack would answer “/cadense is not a valid command” and send it nowhere. "
        "Did you mean `/cadence`? This app's commands: /cadence /wg /esp /cocreate /okr."
    )
    assert "I don't know `/nothing`" in console.handle("/nothing here")
    assert console.slack.calls("users.info") == []  # nothing reached the app


def test_the_list_and_dates_show_in_the_zone_of_whoever_reads_them(console: Console) -> None:
    console.handle(f"tick {MONDAY}T08:00")
    console.handle('/cadence add "Board prep" every first monday at 09:30 to @bob')
    assert "next today at 09:30" in console.handle("/cadence list")  # alice, Paris
    console.handle("as bob")
    listed = console.handle("/cadence list")
    assert "*Your reminders here* (1)" in listed and "by DM to @bob" in listed
    assert "next today at 03:30" in listed and "UTC" not in listed  # bob, New York


# ----------------------------------------------------------------------------- forms


def test_an_okr_page_attached_in_the_import_form_is_imported_and_shows_in_the_tree(form_console: Console) -> None:
    assert "OKRs set up" in form_console.handle("/okr setup #general")
    opened = form_console.handle("/okr import")
    assert opened.startswith('(for @alice) modal "Import OKRs"  [Cancel] [Import]')
    assert "`fill <field> = <value>`" in opened and "`submit`" in opened  # how to fill it, not "can't be filled"
    attached = form_console.handle(f"fill file from {SEED}")
    assert attached == f"4. Or attach the page: okrs-fy20-q2.md ({SEED.stat().st_size} bytes)"

    done = form_console.handle("submit")
    assert done.startswith("@alice (DM)  [1] ✅ Imported FY20-Q2 (1 May – 31 Jul 2019)")
    assert "206 key results" in done
    [info] = form_console.slack.calls("files.info")  # the app fetched the attachment the way it does from Slack
    assert info["file"].startswith("F")
    assert rows(KeyResult) == 206
    assert "alice has no open form" in form_console.handle("form")  # accepted, so it closed

    tree = form_console.handle("/okr tree FY20-Q2")
    assert "== OKRs FY20-Q2 ==" in tree and "3 objectives, 59 of 206 key results scored" in tree
    assert "*1. CEO:* Grow Incremental ACV" in tree and "*3. CEO:* Great team" in tree


def test_an_error_from_the_app_shows_under_its_field_and_the_form_stays_as_filled(form_console: Console) -> None:
    form_console.handle("/okr setup #general")
    form_console.handle("/okr import")
    assert form_console.handle("fill page = just notes") == '2. Page: "just notes"'

    refused = form_console.handle("submit").splitlines()
    assert refused[0] == 'The app refused "Import OKRs"; it stays open as you filled it:'
    assert refused[1].startswith("  2. Page: I couldn't find any objectives on this page.")
    assert rows(OkrQuarter) == 0
    shown = form_console.handle("form")
    assert shown.startswith('modal "Import OKRs"  [Cancel] [Import]')
    assert '  2. Page (optional) · lines of text (\\n starts a line), up to 3000 characters: "just notes"' in shown

    assert form_console.handle("fill 2 =") == "2. Page: (empty)"  # nothing after `=` empties it
    form_console.handle(f"fill Or attach from {SEED}")  # a label's start names the field too
    assert "206 key results" in form_console.handle("submit")
    assert rows(OkrQuarter) == 1


def test_fill_refusals_are_explained_and_send_nothing(form_console: Console, tmp_path: Path) -> None:
    assert form_console.handle("submit") == (
        "alice has no open form; a command that opens one, such as `/okr import`, does."
    )
    form_console.handle("/okr setup #general")
    form_console.handle("/okr import")
    calls = form_console.slack.methods_called()
    assert form_console.handle("fill owner = @bob") == f"This form has no field `owner`. Its fields: {IMPORT_FIELDS}."
    assert form_console.handle("fill pa = x") == "`pa` could be 2. Page or 3. Page, continued; the number says which."
    assert form_console.handle(f"fill page from {SEED}") == (
        f"2. Page is unchanged: That's {len(SEED.read_text().rstrip())} characters; this box takes at most 3000, and "
        f"Slack refuses more. Attach it instead: `fill 4 from {SEED}`."
    )
    assert form_console.handle("fill quarter = " + "Q" * 41).endswith(
        "this box takes at most 40, and Slack refuses more."
    )
    assert form_console.handle("fill replace = maybe") == (
        "5. If the quarter is already imported is unchanged: Pick any of: Replace the quarter if it is already "
        "imported (comma-separated), or none."
    )
    (tmp_path / "page.pdf").write_bytes(b"%PDF-1.4")
    assert form_console.handle(f"fill file from {tmp_path / 'page.pdf'}") == (
        "4. Or attach the page is unchanged: It takes .md, .markdown, .txt files, not page.pdf."
    )
    assert form_console.handle("fill file = notes").endswith("It takes a file: `fill <field> from <path>`.")
    assert form_console.handle("form").count(": (empty)") == 5  # nothing was filled
    assert form_console.handle("cancel") == 'Dropped the form "Import OKRs"; nothing was sent.'
    assert form_console.slack.methods_called() == calls and rows(OkrQuarter) == 0

    form_console.handle("/wg create")
    calls = form_console.slack.methods_called()
    assert form_console.handle("fill date created = 2019-02-30") == (
        "3. Date created is unchanged: `2019-02-30` isn't a date; write it as YYYY-MM-DD, e.g. 2019-09-02."
    )
    assert form_console.handle("fill end = 31/12/2019").startswith(
        "4. End date is unchanged: `31/12/2019` isn't a date"
    )
    assert form_console.handle("fill name = Demo\\ngroup") == (
        "1. Name is unchanged: It's a one-line box: leave out the line breaks."
    )
    assert form_console.handle("fill agenda = the wiki") == (
        "5. Agenda doc is unchanged: Write a web address, e.g. https://example.com/page."
    )
    assert form_console.handle("submit") == "Slack won't send the form yet: fill in 1. Name."  # a required input
    assert form_console.slack.methods_called() == calls and rows(WorkingGroup) == 0
    assert form_console.handle("as bob").startswith("You are bob")
    assert form_console.handle("submit").startswith("bob has no open form")  # the form is alice's


def test_the_try_form_takes_a_person_and_a_date_and_makes_the_action_item(form_console: Console) -> None:
    form_console.handle("/okr setup #general")
    form_console.handle("/okr import")
    form_console.handle(f"fill file from {SEED}")
    form_console.handle("submit")
    assert 'modal "Retrospective"' in form_console.handle("/okr retro FY20-Q2 Infrastructure")
    form_console.handle("fill try = Hire the data analyst\\nData-driven KRs")
    assert "FY20-Q2 retrospective: Infrastructure" in form_console.handle("submit")  # unfilled GOOD/BAD kept as given
    assert rows(RetroItem) > 2

    opened = form_console.handle("press make it an action item")
    assert 'modal "New action item"  [Cancel] [Create]' in opened
    # The console's clock is the real one: FY20-Q2's TRY is due from alice's today on (rules.try_window).
    due = try_window(QuarterSpan("FY20-Q2", date(2019, 5, 1), date(2019, 7, 31)), alices_today()).suggested
    assert form_console.handle("form").splitlines()[1:4] == [
        '  1. Action item · lines of text (\\n starts a line), up to 1000 characters: "Hire the data analyst"',
        "  2. Owner · a person, @name: (empty)",
        f"  3. Due · a date, YYYY-MM-DD: {due}",
    ]
    assert form_console.handle("fill owner = @zed") == (
        "2. Owner is unchanged: There's no @zed here; pick from @alice, @bob, @ada."
    )
    assert form_console.handle("fill owner = @bob") == "2. Owner: @bob"
    assert form_console.handle("fill due = 2019-12-01") == "3. Due: 2019-12-01"
    late = form_console.handle("submit")
    assert "  3. Due: The due date 2019-12-01 has passed" in late and rows(ActionItem) == 0  # refused, under Due
    assert form_console.handle(f"fill 3 = {due}") == f"3. Due: {due}"

    done = form_console.handle("submit")
    assert "(redrawn) == FY20-Q2 retrospective: Infrastructure ==" in done  # the retro shows the item in place
    assert "is now action item #1 for @bob, due " in done
    with db.unit_of_work() as session:
        item = session.scalars(select(ActionItem)).one()
        assert (item.program, item.text, item.owner_id, item.due_on, item.created_by) == (
            "okr",
            "Hire the data analyst",
            "U_BOB",
            due,
            "U_ALICE",
        )


def alices_today() -> date:
    """The day it is for alice (Europe/Paris) on the real clock, which the console's requests keep."""
    return datetime.now(ZoneInfo("Europe/Paris")).date()


def element(kind: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "action_id": "a", **fields}


def option(label: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label}, "value": value}


def test_inputs_are_submitted_in_slacks_state_shape_with_the_views_initial_values() -> None:
    yes, no = option("Yes", "y"), option("No", "n")
    assert initial_state(element("plain_text_input")) == {"type": "plain_text_input", "value": None}
    assert initial_state(element("datepicker", initial_date="2019-09-01")) == {
        "type": "datepicker",
        "selected_date": "2019-09-01",
    }
    assert initial_state(element("users_select", initial_user="U_BOB")) == {
        "type": "users_select",
        "selected_user": "U_BOB",
    }
    assert initial_state(element("multi_users_select")) == {"type": "multi_users_select", "selected_users": []}
    assert initial_state(element("conversations_select", default_to_current_conversation=True), "C_TEAM") == {
        "type": "conversations_select",
        "selected_conversation": "C_TEAM",
    }
    assert initial_state(element("checkboxes", options=[yes, no], initial_options=[yes])) == {
        "type": "checkboxes",
        "selected_options": [yes],
    }
    assert initial_state(element("file_input")) == {"type": "file_input", "files": []}

    people, channels = {"bob": "U_BOB", "ada": "U_ADA"}, {"team": "C_TEAM"}

    def typed(kind: str, value: str, **fields: Any) -> dict[str, Any]:
        return typed_state(element(kind, **fields), value, people=people, channels=channels)

    assert typed("plain_text_input", "one\\ntwo", multiline=True) == {"type": "plain_text_input", "value": "one\ntwo"}
    assert typed("number_input", "0.7", is_decimal_allowed=True) == {"type": "number_input", "value": "0.7"}
    assert typed("timepicker", "9:30") == {"type": "timepicker", "selected_time": "09:30"}
    assert typed("multi_users_select", "@bob, @ada") == {
        "type": "multi_users_select",
        "selected_users": ["U_BOB", "U_ADA"],
    }
    assert typed("channels_select", "#team") == {"type": "channels_select", "selected_channel": "C_TEAM"}
    assert typed("static_select", "no", options=[yes, no]) == {"type": "static_select", "selected_option": no}
    assert typed("radio_buttons", "y", options=[yes, no]) == {"type": "radio_buttons", "selected_option": yes}
    assert typed("checkboxes", "Yes, No", options=[yes, no])["selected_options"] == [yes, no]
    assert typed("checkboxes", "none", options=[yes, no])["selected_options"] == []
    for kind, value, fields in [
        ("number_input", "0.7", {}),
        ("number_input", "11", {"max_value": "10"}),
        ("timepicker", "25:00", {}),
        ("users_select", "@bob @ada", {}),
        ("static_select", "maybe", {"options": [yes, no]}),
    ]:
        with pytest.raises(FillRefused):
            typed(kind, value, **fields)


def test_a_view_the_app_answers_with_becomes_the_open_form(console: Console) -> None:
    first = {
        "type": "modal",
        "id": "V1",
        "callback_id": "demo",
        "title": {"type": "plain_text", "text": "First"},
        "submit": {"type": "plain_text", "text": "Next"},
        "blocks": [],
    }
    console._forms["U_ALICE"] = form = OpenForm(first, "C_GENERAL", {})
    second = {**first, "id": None, "title": {"type": "plain_text", "text": "Second"}}
    shown = console._after_submit(form, Reply(200, {"response_action": "update", "view": second}))
    assert shown[-1].startswith('(for @alice) modal "Second"  [Next]')
    assert console.handle("form").startswith('modal "Second"')
    assert console._forms["U_ALICE"].view["id"] == "V1"  # an update keeps the view's id, as Slack does
    assert console._after_submit(console._forms["U_ALICE"], Reply(200, "")) == [
        '(sent "Second"; the form closed and the bot posted nothing)'
    ]
    assert "no open form" in console.handle("form")
