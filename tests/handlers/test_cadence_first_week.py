"""What a new user hits in /cadence (issue 14): the list grouped and paged, times in the reader's zone, "reminder
number", a reminder added twice, and mistyped commands echoed as typed. Signed requests into the running app."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from devtools.app_client import AppClient, Reply
from devtools.slack_stand_in import SlackStandIn
from models import AuditEvent, Cadence, CadenceStatus
from tests.support.factories import make_cadence

MONDAY_MORNING = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def shown(reply: Reply | dict[str, Any]) -> str:
    """Every text of a reply's blocks, in order."""
    body = reply.body if isinstance(reply, Reply) else reply
    assert isinstance(body, dict), body
    return json.dumps(body.get("blocks", []), ensure_ascii=False)


def as_message(reply: Reply) -> dict[str, Any]:
    """An ephemeral reply as a message whose buttons can be pressed (Slack keeps ephemerals client-side)."""
    return {"ts": "1700000000.000100", "blocks": reply["blocks"]}


def a_working_group(app: AppClient) -> None:
    """A working group in #team-sync: its sync, digest and end-date cadences, and the daily overdue DM."""
    with time_machine.travel(MONDAY_MORNING, tick=False):
        made = app.command(
            "/wg", 'create "Docs revamp" goal "Better docs" ends 2027-06-30', user="U_ALICE", channel="C_TEAM"
        )
    assert "Docs revamp" in made.text, made.body


# ---------------------------------------------------------------------------------------------- the list


def test_the_list_puts_your_reminders_first_then_program_nudges_each_pointing_to_its_command(
    app: AppClient, db: Session
) -> None:
    a_working_group(app)
    make_cadence('add "Weekly sync" every monday at 09:30', now=MONDAY_MORNING)
    make_cadence(
        'add "1:1 notes" every tuesday at 08:00 to <@U_BOB|bob> <@U_ADMIN|ada>', now=MONDAY_MORNING, channel=None
    )

    listing = app.command("/cadence", "list", user="U_ALICE", channel="C_TEAM")

    text = shown(listing)
    assert listing["response_type"] == "ephemeral"
    assert "Reminders (2) and program nudges (4)" in text
    assert text.index("*Your reminders here* (2)") < text.index("Weekly sync") < text.index("*Program nudges* (4)")
    assert text.index("*Program nudges* (4)") < text.index("Docs revamp: sync")
    assert "by DM to <@U_BOB>, <@U_ADMIN>" in text  # a DM reminder names its recipients
    assert "Overdue action items" in text and "DM to each owner of an overdue action item" in text  # no empty slot
    assert "`/wg sync every 2 weeks on tuesday at 10:00` or `/wg sync off`" in text and "`/wg digest off`" in text
    pause_buttons = [
        b for b in listing["blocks"] if (b.get("accessory") or {}).get("action_id") == "cadence.list.pause"
    ]
    assert len(pause_buttons) == 2  # the reminders; a program's nudge is changed with its command
    assert listing.text == "2 reminders, 4 program nudges"


def test_a_long_list_is_paged_with_a_next_page_button_and_list_page_2(app: AppClient, db: Session) -> None:
    a_working_group(app)
    for number in range(1, 18):
        make_cadence(f'add "Reminder {number:02d}" every monday at 09:30', now=MONDAY_MORNING)

    first = app.command("/cadence", "list", user="U_ALICE", channel="C_TEAM")
    assert "Reminder 15" in shown(first) and "Reminder 16" not in shown(first) and "more." not in shown(first)
    assert "Page 1 of 2 · `/cadence list page 2` shows the next." in shown(first)
    assert first.text == "17 reminders, 4 program nudges, page 1 of 2"

    pressed = app.click(as_message(first), "cadence.list.page", user="U_ALICE", channel="C_TEAM")
    [second] = pressed.responses
    assert second["replace_original"] is True  # the list turns its page in place
    typed = app.command("/cadence", "list page 2", user="U_ALICE", channel="C_TEAM")
    for page_two in (second, typed.body):
        text = shown(page_two)
        assert "Reminder 16" in text and "Reminder 17" in text and "Reminder 15" not in text
        assert text.index("Reminder 17") < text.index("*Program nudges* (4)") < text.index("Overdue action items")
        assert "Page 2 of 2." in text and "Previous page" in text and "Next page" not in text

    beyond = app.command("/cadence", "list page 3", user="U_ALICE", channel="C_TEAM")
    assert beyond["response_type"] == "ephemeral" and "There's no page 3: the list has 2 pages." in beyond.text
    bad = app.command("/cadence", "list page two", user="U_ALICE", channel="C_TEAM")
    assert "`/cadence list page 2`" in bad.text


def test_only_an_admin_turns_the_pages_of_the_whole_workspace(app: AppClient, db: Session) -> None:
    for number in range(1, 17):
        make_cadence(f'add "Reminder {number:02d}" every monday at 09:30', now=MONDAY_MORNING)
    everything = app.command("/cadence", "list all", user="U_ADMIN", channel="C_GENERAL")
    assert "`/cadence list all page 2`" in shown(everything)
    forwarded = app.click(as_message(everything), "cadence.list_all.page", user="U_ALICE", channel="C_GENERAL")
    assert "Only a workspace admin" in json.dumps(forwarded.responses) and "Reminder 16" not in json.dumps(
        forwarded.responses
    )
    turned = app.click(as_message(everything), "cadence.list_all.page", user="U_ADMIN", channel="C_GENERAL")
    assert "Reminder 16" in shown(turned.responses[0]) and "Every reminder in this workspace" in shown(
        turned.responses[0]
    )


# ---------------------------------------------------------------------------------------------- times


def test_times_are_shown_in_the_readers_zone_not_utc(app: AppClient, db: Session) -> None:
    with time_machine.travel(MONDAY_MORNING, tick=False):
        added = app.command(
            "/cadence",
            'add "Board prep" every first monday at 09:30 in <#C_TEAM|team-sync> to <@U_BOB|bob>',
            user="U_ALICE",
            channel="C_TEAM",
        )
        alices = app.command("/cadence", "list", user="U_ALICE", channel="C_TEAM")
        bobs = app.command("/cadence", "list", user="U_BOB", channel="C_TEAM")
        [cadence] = db.scalars(select(Cadence))
        paused = app.command("/cadence", f"pause {cadence.id}", user="U_ALICE", channel="C_TEAM")
        resumed = app.command("/cadence", f"resume {cadence.id}", user="U_BOB", channel="C_TEAM")
    stamp = int(datetime(2026, 12, 7, 8, 30, tzinfo=UTC).timestamp())  # 09:30 in Paris, 03:30 in New York
    for reply in (added, alices, bobs, resumed):
        assert "UTC" not in json.dumps(reply.body)
        assert f"<!date^{stamp}^" in shown(reply)  # Slack shows each reader their own zone
    assert added.text == "Saved reminder #1, next Mon 7 Dec 09:30"  # the notification's text: Alice's zone
    assert "Next: <!date^" in shown(added) and "|Mon 7 Dec 09:30>" in shown(added)  # the token's fallback too
    assert "|Mon 7 Dec 09:30>" in shown(alices)
    assert "|Mon 7 Dec 03:30>" in shown(bobs) and "|Mon 7 Dec 03:30>" in resumed.text  # Bob's, from users.info
    assert "Paused reminder" in paused.text


# ---------------------------------------------------------------------------------------------- wording


@pytest.mark.parametrize("text", ["pause", "resume abc", "remove 3 4"])
def test_errors_call_it_a_reminder_number(app: AppClient, db: Session, text: str) -> None:
    reply = app.command("/cadence", text, user="U_ALICE")
    assert "reminder number" in reply.text and "cadence number" not in reply.text


def test_a_program_nudge_paused_with_cadence_is_called_a_reminder_and_points_to_its_command(
    app: AppClient, db: Session
) -> None:
    a_working_group(app)
    sync = db.scalar(select(Cadence).where(Cadence.kind == "wg.sync"))
    assert sync is not None
    refused = app.command("/cadence", f"pause {sync.id}", user="U_ALICE", channel="C_TEAM")
    assert f"Reminder #{sync.id} belongs to a program (working groups)" in refused.text
    assert "`/wg sync off`" in refused.text
    db.expire_all()
    assert db.get(Cadence, sync.id).status == CadenceStatus.ACTIVE


# ---------------------------------------------------------------------------------------------- added twice


def test_the_same_reminder_added_twice_warns_and_its_undo_removes_the_new_one_exactly_once(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    typed = 'add "Weekly sync" every monday at 09:30 to <@U_BOB|bob>'
    with time_machine.travel(MONDAY_MORNING, tick=False):
        first = app.command("/cadence", typed, user="U_ALICE", channel="C_TEAM")
        second = app.command("/cadence", typed, user="U_ALICE", channel="C_TEAM")
        other = app.command("/cadence", 'add "Weekly sync" every monday at 10:00 to <@U_BOB|bob>', user="U_ALICE")
    older, newer, different = db.scalars(select(Cadence).order_by(Cadence.id))
    assert "already" not in first.text and "already" not in other.text  # another time is another reminder
    assert second["response_type"] == "ephemeral"
    assert second.text.startswith(f"You already have this reminder: #{older.id}")
    assert f"You already have this reminder: #{older.id} *Weekly sync*" in shown(second)
    assert f"*Undo* removes #{newer.id}; #{older.id} stays." in shown(second)
    undo = next(b["accessory"] for b in second["blocks"] if b.get("accessory"))
    assert (undo["action_id"], undo["value"]) == ("cadence.list.remove", str(newer.id))

    with time_machine.travel(MONDAY_MORNING, tick=False):
        pressed = app.click(as_message(second), "cadence.list.remove", user="U_ALICE", channel="C_TEAM")
        again = app.click(as_message(second), "cadence.list.remove", user="U_ALICE", channel="C_TEAM")
    db.expire_all()
    assert [
        c.status for c in (db.get(Cadence, older.id), db.get(Cadence, newer.id), db.get(Cadence, different.id))
    ] == [
        CadenceStatus.ACTIVE,
        CadenceStatus.REMOVED,
        CadenceStatus.ACTIVE,
    ]
    removals = db.scalars(select(AuditEvent.subject_id).where(AuditEvent.action == "cadence.remove")).all()
    assert removals == [newer.id]
    assert f"Removed reminder #{newer.id}" in json.dumps(pressed.responses)
    assert f"There's no reminder #{newer.id} here: it was removed (by <@U_ALICE>)" in json.dumps(again.responses)
    assert slack.calls("chat.postMessage") == []


# ---------------------------------------------------------------------------------------------- echoes


@pytest.mark.parametrize(
    ("command", "sent", "echo"),
    [
        ("/cadence", "<@U_BOB|bob> please", "`/cadence @bob`"),
        ("/wg", "<#C_TEAM|team-sync>", "`/wg #team-sync`"),
        ("/esp", "<!here>", "`/esp @here`"),
        ("/okr", "<@U_BOB|bob>", "`/okr @bob`"),
        ("/cocreate", "<!subteam^S1|@devs>", "`/cocreate @devs`"),
    ],
)
def test_every_programs_unknown_subcommand_echoes_what_was_typed(
    app: AppClient, db: Session, command: str, sent: str, echo: str
) -> None:
    reply = app.command(command, sent, user="U_ALICE", channel="C_TEAM")
    assert reply["response_type"] == "ephemeral"
    assert f"I don't know {echo}." in reply.text
    assert "&lt;" not in reply.text and "<@" not in reply.text and "<#" not in reply.text and "<!" not in reply.text
