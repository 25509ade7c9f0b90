"""Two `/wg reassign 1 @…` typed at the same moment, on real threads through signed requests: the reassignment is a
compare-and-set on the owner as the command read it (action_items.service.change_item), so of two that overlap one
wins, the other is told who has it and changes nothing, and one new owner is told by DM."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bot import db as bot_db
from devtools.app_client import AppClient, Reply
from devtools.slack_stand_in import SlackStandIn
from models import ActionItem, AuditEvent
from tests.handlers.test_wg_first_week import people as people  # the fixture, found by its name
from tests.support.concurrency import at_once

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
CHANNEL = "C_WG_DOCS"
# Who types which: Alice (the DRI) gives the item to Nick, Ada (the facilitator) to Emilio.
TYPED = {"U_ALICE": "U_NICK", "U_ADMIN": "U_EMILIO"}


def group_with_bobs_item(app: AppClient) -> None:
    with time_machine.travel(MONDAY, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel=CHANNEL)
        app.command("/wg", "role add facilitator <@U_ADMIN|ada>", user="U_ALICE", channel=CHANNEL)
        app.command("/wg", 'action "Outline" <@U_BOB|bob>', user="U_ALICE", channel=CHANNEL)


def reassign(app: AppClient, user: str) -> Callable[[], Reply]:
    owner = TYPED[user]
    return lambda: app.command("/wg", f"reassign 1 <@{owner}|{owner[2:].lower()}>", user=user, channel=CHANNEL)


def told(slack: SlackStandIn, user: str) -> list[dict]:
    """The DMs telling `user` an item became theirs."""
    return [m for m in slack.messages(user) if "to you: action item" in m["text"]]


def reassigns(db: Session) -> list[AuditEvent]:
    db.expire_all()
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == "action.reassign").order_by(AuditEvent.id)))


def waiting_on_a_lock() -> int:
    """PostgreSQL sessions of this database now waiting for a lock (the requests' UPDATEs behind the test's)."""
    with bot_db.engine().connect() as conn:
        return conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_reassigns_that_overlap_change_the_owner_once_and_tell_the_second_who_has_it(
    app: AppClient, db: Session, people: SlackStandIn, database_url: str
) -> None:
    """Made to overlap for sure: the test holds the item's row lock until both requests have read Bob as the owner
    and wait to write, as two commands arriving together do. Only PostgreSQL shows from outside that both are waiting
    (pg_stat_activity); SQLite's overlap is left to the next test."""
    group_with_bobs_item(app)
    with bot_db.engine().connect() as holder, ThreadPoolExecutor(max_workers=2) as pool:
        holder.execute(text("SELECT id FROM action_item WHERE id = 1 FOR UPDATE"))
        with time_machine.travel(MONDAY, tick=False):
            futures = {user: pool.submit(reassign(app, user)) for user in TYPED}
            deadline = time.monotonic() + 20
            while waiting_on_a_lock() < 2:  # reads pass the row lock; each UPDATE queues behind it
                assert time.monotonic() < deadline, "the two reassigns never both reached their UPDATE"
            holder.rollback()
            replies = {user: future.result(30) for user, future in futures.items()}

    [row] = reassigns(db)
    winner = row.actor_id
    [loser] = [user for user in TYPED if user != winner]
    assert db.scalars(select(ActionItem.owner_id)).one() == TYPED[winner] == row.detail["to"]
    assert row.detail["from"] == "U_BOB"
    assert replies[loser]["response_type"] == "ephemeral"
    assert replies[loser].text.startswith(f":x: Already reassigned to <@{TYPED[winner]}> by <@{winner}> <!date^")
    assert replies[loser].text.endswith(": nothing changed.")
    assert len(told(people, TYPED[winner])) == 1 and told(people, TYPED[loser]) == []


def test_two_reassigns_typed_at_once_leave_one_owner_told_once_and_history_matching_the_replies(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    """Released together on both databases, without a held lock: either they overlap (one reassignment, the other
    told who has it) or the second reads what the first committed, and is then a reassignment of its own from the
    first's owner. Whichever: every reply that says reassigned is in the history, the one who ends up with the item is
    told once, and nobody is told twice."""
    group_with_bobs_item(app)
    with time_machine.travel(MONDAY, tick=False):
        replies = dict(zip(TYPED, at_once(*(reassign(app, user) for user in TYPED)), strict=True))

    rows = reassigns(db)
    owner = db.scalars(select(ActionItem.owner_id)).one()
    changed = [user for user, reply in replies.items() if not reply.text.startswith(":x:")]
    assert sorted(row.actor_id for row in rows) == sorted(changed) and changed
    assert owner == TYPED[rows[-1].actor_id] and len(told(people, owner)) == 1
    for user, reply in replies.items():
        if user not in changed:  # the overlap: told who has it, nothing changed, nobody else told
            assert reply.text.startswith(f":x: Already reassigned to <@{owner}> by <@{rows[0].actor_id}> <!date^")
            assert told(people, TYPED[user]) == [] and len(rows) == 1
    if len(rows) == 2:  # one after the other: the second took it from the first's new owner
        assert rows[1].detail["from"] == TYPED[rows[0].actor_id] and rows[0].detail["from"] == "U_BOB"
        assert len(told(people, TYPED[rows[0].actor_id])) <= 1  # told only if it was still theirs as the DM went out
