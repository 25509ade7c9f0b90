"""Each Slack delivery is handled once: Slack retries an event it could not confirm, and a proxy or a double send can
deliver the same command, click or form twice. A delivery's key (trigger id, view id and values) is claimed by the
first unit of work that writes while handling it, in that same transaction (bot/db): the change and the claim commit
together or not at all. A second copy's write finds the claim and is rolled back (db.AlreadyHandled); that copy is
told it was already done (the person saw the first copy's answer). Claims are kept for a day.

A delivery that writes nothing (a read, a refusal, a form sent back with errors) claims nothing, so a real retry of
it is handled afresh, and costs no extra write. Events are the exception: Slack retries them when the app is slow,
and what they do (App Home is drawn from them) is not always a write; so an event is claimed before it is handled,
and given back when handling it failed, so that Slack's next retry acts. A claim left by a process that died while
handling it is taken over after LEASE.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update

from bot import db
from models import HandledRequest

LEASE = timedelta(seconds=60)  # far longer than handling an event takes
KEPT_FOR = timedelta(days=1)  # Slack retries within minutes; a day covers proxies and people
PRUNE_EVERY = timedelta(minutes=10)

_last_pruned: datetime | None = None


def claim_event(*, team_id: str, key: str, now: datetime) -> bool:
    """Claim an event for this copy; False when another copy has it (handled, or being handled within its lease)."""
    with db.unit_of_work() as session:
        values = {"team_id": team_id, "key": key, "claimed_at": now}
        if db.insert_or_ignore(session, HandledRequest, values, conflict=["team_id", "key"]):
            return True
        taken_over = session.execute(
            update(HandledRequest)
            .where(
                HandledRequest.team_id == team_id,
                HandledRequest.key == key,
                HandledRequest.finished.is_(False),
                HandledRequest.claimed_at < now - LEASE,
            )
            .values(claimed_at=now)
        ).rowcount
    return bool(taken_over)


def release_event(*, team_id: str, key: str) -> None:
    """Give an event back after handling it failed, so that Slack's retry of it is handled."""
    with db.unit_of_work() as session:
        session.execute(delete(HandledRequest).where(HandledRequest.team_id == team_id, HandledRequest.key == key))


def event_handled(*, team_id: str, key: str, now: datetime) -> None:
    """Mark an event handled: its claim is kept (no lease runs out on it) until it is pruned."""
    with db.unit_of_work() as session:
        session.execute(
            update(HandledRequest)
            .where(HandledRequest.team_id == team_id, HandledRequest.key == key)
            .values(finished=True)
        )
    _prune(now)


def _prune(now: datetime) -> None:
    """Forget claims past KEPT_FOR, at most every PRUNE_EVERY per process."""
    global _last_pruned
    if _last_pruned is not None and abs(now - _last_pruned) < PRUNE_EVERY:
        return
    _last_pruned = now
    with db.unit_of_work() as session:
        session.execute(delete(HandledRequest).where(HandledRequest.claimed_at < now - KEPT_FOR))
