"""/cadence through signed HTTP requests into the running app, with the Slack stand-in answering its calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from models import AuditEvent, Cadence, CadenceStatus, Delivery, DeliveryStatus
from tests.support.factories import make_cadence

MONDAY_MORNING = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def count_cadences(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Cadence)) or 0


def test_add_saves_before_it_confirms_and_uses_the_creators_time_zone(app: AppClient, db: Session) -> None:
    with time_machine.travel(MONDAY_MORNING, tick=False):
        reply = app.command("/cadence", 'add "Weekly sync" every monday at 09:30', user="U_ALICE", channel="C_TEAM")
    assert reply.status == 200
    assert reply["response_type"] == "ephemeral"
    cadence = db.scalars(select(Cadence)).one()
    assert f"Saved reminder #{cadence.id}" in reply.text
    assert cadence.title == "Weekly sync" and cadence.channel_id == "C_TEAM" and cadence.created_by == "U_ALICE"
    assert cadence.rule["timezone"] == "Europe/Paris"  # Alice's zone, read from users.info
    assert cadence.next_run_at == datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # 09:30 CET
    assert db.scalar(select(AuditEvent.action)) == "cadence.added"


def test_a_named_zone_channel_and_people_are_used(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    text = 'add "Board prep" every first monday at 9am tz America/New_York in <#C_GENERAL|general> to <@U_BOB|bob>'
    with time_machine.travel(MONDAY_MORNING, tick=False):
        reply = app.command("/cadence", text, user="U_ALICE", channel="C_TEAM")
    cadence = db.scalars(select(Cadence)).one()
    assert (cadence.channel_id, cadence.recipient_ids) == ("C_GENERAL", ["U_BOB"])
    assert cadence.next_run_at == datetime(2026, 12, 7, 14, 0, tzinfo=UTC)  # first Monday of December, 09:00 EST
    assert "<#C_GENERAL>" in reply.all_text() and "<@U_BOB>" in reply.all_text()
    assert slack.problems == []


@pytest.mark.parametrize(
    ("text", "explains"),
    [
        ('add "Sync" every fortnightly at 09:30', "fortnightly"),
        ('add "Sync" every monday at 25:00', "HH:MM"),
        ('add "Sync" every monday at 09:30 tz Mars/Base', "Mars/Base"),
        ("add every monday at 09:30", "double quotes"),
        ('add "Sync" every monday at 09:30 in #nowhere', "#nowhere"),
        ('add "Sync" every monday at 09:30 to bob', "bob"),
        ('add "' + "x" * 5000 + '" every monday at 09:30', "1,000"),
        ('add "Sync" every monday', "at"),
        ("frobnicate", "frobnicate"),
        ("pause", "number"),
    ],
)
def test_mistyped_commands_are_explained_ephemerally_and_save_nothing(
    app: AppClient, db: Session, slack: SlackStandIn, text: str, explains: str
) -> None:
    reply = app.command("/cadence", text, user="U_ALICE")
    assert reply.status == 200 and reply["response_type"] == "ephemeral"
    assert explains in reply.text and "/cadence" in reply.text  # what was wrong, and how to write it
    assert count_cadences(db) == 0
    assert slack.calls("chat.postMessage") == []


def test_echoed_text_cannot_mention_or_link(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    sneaky = 'add "<!channel> @here see <http://evil.example|this>" every monday at 09:30'
    with time_machine.travel(MONDAY_MORNING, tick=False):
        reply = app.command("/cadence", sneaky, user="U_ALICE", channel="C_TEAM")
        listing = app.command("/cadence", "list", user="U_ALICE", channel="C_TEAM")
    for shown in (reply.all_text(), listing.all_text()):
        assert "<!channel>" not in shown and "<http://evil.example" not in shown
        assert "&lt;!channel&gt;" in shown
    bad = app.command("/cadence", 'add "Sync" every <!here> at 09:30', user="U_ALICE")
    assert "<!here>" not in bad.all_text() and "`every @here`" in bad.all_text()  # as typed, inside code: not live


def test_list_shows_each_reminder_its_next_run_and_failures(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client
) -> None:
    failing = make_cadence('add "Doomed" every monday at 09:30', now=MONDAY_MORNING, channel="C_ARCHIVED")
    make_cadence('add "Fine" every tuesday at 10:00', now=MONDAY_MORNING)
    slack.error_next("chat.postMessage", error="is_archived")
    dispatcher.tick(MONDAY_MORNING + timedelta(hours=2), client=slack_client)

    listing = app.command("/cadence", "list", user="U_ALICE")  # their creator: Bob sees neither from #general

    shown = listing.all_text()
    assert listing["response_type"] == "ephemeral"
    assert f"#{failing.id} Doomed" in shown and "Fine" in shown
    assert "could not be posted" in shown and "is_archived" in shown
    assert listing.text.endswith("1 failed nudges")


def test_help_and_empty_text_show_usage(app: AppClient, db: Session) -> None:
    for text in ("help", ""):
        reply = app.command("/cadence", text, user="U_ALICE")
        assert reply["response_type"] == "ephemeral"
        assert "/cadence add" in reply.all_text() and "every month on the last friday" in reply.all_text()
        assert "/cadence away 2026-12-21 to 2027-01-04" in reply.all_text()  # going on holiday, issue 14
        assert "/cadence list page 2" in reply.all_text()


def test_pause_resume_remove_by_the_creator(app: AppClient, db: Session) -> None:
    cadence = make_cadence('add "Sync" every monday at 09:30', now=MONDAY_MORNING)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        paused = app.command("/cadence", f"pause {cadence.id}", user="U_ALICE")
        again = app.command("/cadence", f"pause #{cadence.id}", user="U_ALICE")
        resumed = app.command("/cadence", f"resume {cadence.id}", user="U_ALICE")
        removed = app.command("/cadence", f"remove {cadence.id}", user="U_ALICE")
        gone = app.command("/cadence", f"resume {cadence.id}", user="U_ALICE")
    assert "Paused reminder" in paused.text and "already paused" in again.text
    assert "Resumed reminder" in resumed.text and "Removed reminder" in removed.text
    assert f"no reminder #{cadence.id}" in gone.text
    db.expire_all()
    stored = db.get(Cadence, cadence.id)
    assert (stored.status, stored.next_run_at) == (CadenceStatus.REMOVED, None)
    actions = list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["cadence.added", "cadence.pause", "cadence.resume", "cadence.remove"]


def test_only_the_creator_recipients_or_an_admin_may_change_a_reminder(app: AppClient, db: Session) -> None:
    cadence = make_cadence('add "Sync" every monday at 09:30', now=MONDAY_MORNING)
    refused = app.command("/cadence", f"pause {cadence.id}", user="U_BOB")
    assert refused["response_type"] == "ephemeral"
    assert "Only <@U_ALICE>" in refused.text and "admin" in refused.text
    db.expire_all()
    assert db.get(Cadence, cadence.id).status == CadenceStatus.ACTIVE
    allowed = app.command("/cadence", f"pause {cadence.id}", user="U_ADMIN")
    assert "Paused" in allowed.text


def test_reminders_of_another_workspace_are_invisible(app: AppClient, db: Session) -> None:
    other = make_cadence('add "Theirs" every monday at 09:30', now=MONDAY_MORNING, team_id="T_OTHER")
    assert "No reminders yet" in app.command("/cadence", "list", user="U_ALICE").text
    assert f"no reminder #{other.id}" in app.command("/cadence", f"remove {other.id}", user="U_ADMIN").text
    db.expire_all()
    assert db.get(Cadence, other.id).status == CadenceStatus.ACTIVE


def test_pausing_cancels_a_pending_snooze(app: AppClient, db: Session, slack: SlackStandIn, slack_client) -> None:
    cadence = make_cadence('add "Sync" every monday at 09:30', now=MONDAY_MORNING)
    dispatcher.tick(MONDAY_MORNING + timedelta(hours=2), client=slack_client)
    nudge = slack.messages("C_TEAM")[-1]
    with time_machine.travel(MONDAY_MORNING + timedelta(hours=3), tick=False):
        app.click(nudge, "cadence.nudge.snooze_day", user="U_ALICE", channel="C_TEAM")
        app.command("/cadence", f"pause {cadence.id}", user="U_ALICE")
    dispatcher.tick(MONDAY_MORNING + timedelta(days=2), client=slack_client)
    db.expire_all()
    assert sorted(d.status for d in db.scalars(select(Delivery))) == [DeliveryStatus.CANCELLED, DeliveryStatus.SENT]
    assert len(slack.messages("C_TEAM")) == 1


def test_unsigned_and_stale_requests_are_refused(app_url: str, slack: SlackStandIn, database_url: str) -> None:
    from devtools.signing import command_body, post_signed

    body = command_body("/cadence", "list", user_id="U_ALICE", channel_id="C_GENERAL")
    assert post_signed(app_url, body, "not-the-secret")[0] == 401
    stale = int(datetime.now(UTC).timestamp()) - 10 * 60
    assert post_signed(app_url, body, "test-signing-secret", timestamp=stale)[0] == 401


def test_the_fiscal_year_start_is_a_workspace_setting_that_admins_change(app: AppClient, db: Session) -> None:
    quarterly = make_cadence('add "Scorecard" every fiscal quarter at 10:00', now=MONDAY_MORNING)
    assert quarterly.next_run_at == datetime(2027, 2, 1, 10, 0, tzinfo=UTC)  # seeds' FY starts in February

    shown = app.command("/cadence", "fiscal-year", user="U_BOB")
    refused = app.command("/cadence", "fiscal-year january", user="U_BOB")
    garbled = app.command("/cadence", "fiscal-year smarch", user="U_ADMIN")
    with time_machine.travel(MONDAY_MORNING, tick=False):
        changed = app.command("/cadence", "fiscal-year starts in january", user="U_ADMIN")

    assert "starts in February" in shown.text
    assert "admin" in refused.text and "smarch" in garbled.text and "fiscal-year february" in garbled.text
    assert "now starts in January" in changed.text and "1 fiscal reminder" in changed.text
    db.expire_all()
    assert db.get(Cadence, quarterly.id).next_run_at == datetime(2027, 1, 1, 10, 0, tzinfo=UTC)


def test_text_slack_escaped_is_stored_as_typed_and_shown_escaped_once(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client
) -> None:
    # Slack sends what the user typed with &, < and > as entities; mentions it made itself stay raw.
    typed = 'add "Q&amp;A prep &lt;!channel&gt;" every monday at 09:30'
    with time_machine.travel(MONDAY_MORNING, tick=False):
        reply = app.command("/cadence", typed, user="U_ALICE", channel="C_TEAM")
    assert db.scalars(select(Cadence.title)).one() == "Q&A prep <!channel>"
    assert "Q&amp;A prep &lt;!channel&gt;" in reply.all_text() and "&amp;amp;" not in reply.all_text()
    dispatcher.tick(MONDAY_MORNING + timedelta(hours=1), client=slack_client)
    nudge = slack.messages("C_TEAM")[-1]
    assert "Q&amp;A prep &lt;!channel&gt;" in str(nudge["blocks"]) and "<!channel>" not in str(nudge)
