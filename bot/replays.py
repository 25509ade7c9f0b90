"""Each Slack delivery is handled once: Slack retries an event it could not confirm, and a proxy or a double send can
deliver the same command, click or form twice. A delivery's key (event id, trigger id, view id and values) is claimed
before it is handled; a second copy finds the claim and is answered with the first one's reply instead of acting.

The claim commits on its own, before the handler runs, so a copy arriving mid-way sees it (and waits for the first
copy's answer). It is kept with that answer, except when the first copy did nothing a second could repeat: a 5xx
(Slack's retry must then act), or a form refused with nothing saved (sent again unchanged once the person has fixed
what was outside it, it is a new try). A claim whose handler died mid-way is taken over after a lease.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from bot import db
from models import HandledRequest

LEASE = timedelta(seconds=60)  # longer than any handler runs; a crashed one's claim is taken over after it
KEPT_FOR = timedelta(days=1)  # Slack retries within minutes; a day covers proxies and people
PRUNE_EVERY = timedelta(minutes=10)

_last_pruned: datetime | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """The answer the first copy gave, to give again."""

    status: int
    content_type: str | None
    body: str


@dataclass(frozen=True, slots=True)
class Claim:
    """The outcome of claiming a key: ours to handle (`claim_id`), already answered (`reply`), or still in hand."""

    claim_id: int | None = None
    reply: Reply | None = None

    @property
    def ours(self) -> bool:
        """Whether this copy is the one to handle the delivery."""
        return self.claim_id is not None


def claim(*, team_id: str, key: str, now: datetime) -> Claim:
    """Claim a delivery key for this copy, or say how the first copy stands."""
    _prune(now)
    with db.unit_of_work() as session:
        if db.insert_or_ignore(
            session, HandledRequest, {"team_id": team_id, "key": key, "claimed_at": now}, conflict=["team_id", "key"]
        ):
            return Claim(claim_id=_claim_id(session, team_id=team_id, key=key))
        row = session.scalar(select(HandledRequest).where(HandledRequest.team_id == team_id, HandledRequest.key == key))
        if row is None:  # released between our insert and our read: take it
            return claim(team_id=team_id, key=key, now=now)
        if row.finished:
            return Claim(reply=Reply(row.response_status or 200, row.response_type, row.response_body or ""))
        if row.claimed_at < now - LEASE:
            taken = session.execute(
                update(HandledRequest)
                .where(HandledRequest.id == row.id, HandledRequest.claimed_at == row.claimed_at)
                .values(claimed_at=now)
            ).rowcount
            if taken:
                return Claim(claim_id=row.id)
        return Claim()


def look(*, team_id: str, key: str) -> Claim | None:
    """How a key stands now: answered (with its reply), in hand (an empty Claim), or None when released."""
    with db.unit_of_work() as session:
        row = session.scalar(select(HandledRequest).where(HandledRequest.team_id == team_id, HandledRequest.key == key))
    if row is None:
        return None
    if row.finished:
        return Claim(reply=Reply(row.response_status or 200, row.response_type, row.response_body or ""))
    return Claim()


def finish(claim_id: int, reply: Reply) -> None:
    """Keep the claim with the reply a later copy will get."""
    with db.unit_of_work() as session:
        session.execute(
            update(HandledRequest)
            .where(HandledRequest.id == claim_id)
            .values(
                finished=True, response_status=reply.status, response_type=reply.content_type, response_body=reply.body
            )
        )


def release(claim_id: int) -> None:
    """Give the key back: the delivery saved nothing, so a later copy is handled as if it were the first."""
    with db.unit_of_work() as session:
        session.execute(delete(HandledRequest).where(HandledRequest.id == claim_id))


def _claim_id(session, *, team_id: str, key: str) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(HandledRequest.id).where(HandledRequest.team_id == team_id, HandledRequest.key == key))


def _prune(now: datetime) -> None:
    """Forget claims past KEPT_FOR, at most every PRUNE_EVERY per process."""
    global _last_pruned
    if _last_pruned is not None and now - _last_pruned < PRUNE_EVERY:
        return
    _last_pruned = now
    with db.unit_of_work() as session:
        session.execute(delete(HandledRequest).where(HandledRequest.claimed_at < now - KEPT_FOR))
