"""The dispatcher: claims due cadences and turns each occurrence into delivery rows, exactly once.

APScheduler only calls `tick`; the database decides who does what. Claiming moves a cadence's
`next_run_at` forward with a compare-and-set update, and inserts its deliveries in the same
transaction, so two processes ticking at once cannot both claim an occurrence, and the unique
(cadence, occurrence, target) key refuses a second copy even if they somehow did.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import Insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.cadence import away  # noqa: F401 - registers the catch-up kind in every process that ticks
from bot.cadence import delivery as delivery_service
from bot.cadence.kinds import DueOccurrence, kind_of
from bot.cadence.rules import from_dict, latest_due, next_after
from bot.db import unit_of_work
from bot.slack.installs import Workspaces
from models import Cadence, CadenceStatus, Delivery, Workspace

log = logging.getLogger(__name__)

CLAIM_BATCH = 500
# An occurrence posted more than this after its time says so, instead of pretending to be on time.
LATE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class TickReport:
    claimed: int
    outcome: delivery_service.DeliveryReport


def tick(
    now: datetime,
    *,
    client: WebClient | None = None,
    workspaces: Workspaces | None = None,
    workers: int = delivery_service.DEFAULT_WORKERS,
    pace: delivery_service.Pace | None = None,
) -> TickReport:
    """One scheduler pass: claim every due occurrence, then post every delivery that is ready, up to `workers` at
    once (each channel in order, paced by `pace`), each with its workspace's client: `workspaces`' (OAuth mode), or
    `client` for every workspace (single mode)."""
    claimed = 0
    while True:
        with unit_of_work() as session:
            count, full_batch = claim_due(session, now=now)
        claimed += count
        if not full_batch:
            break
    outcome = delivery_service.deliver_ready(now=now, client=client, workspaces=workspaces, workers=workers, pace=pace)
    if claimed or outcome.attempted:
        log.info("tick at %s: claimed %d, %s", now.isoformat(), claimed, outcome)
    return TickReport(claimed=claimed, outcome=outcome)


def claim_due(session: Session, *, now: datetime, batch_size: int = CLAIM_BATCH) -> tuple[int, bool]:
    """Claim up to `batch_size` due cadences; returns (claimed, whether the batch was full). An uninstalled
    workspace's cadences are left as they are: nothing is claimed, posted or failed for it, and after a reinstall
    each posts its latest missed occurrence once (the catch-up below), not one per missed run."""
    uninstalled = select(Workspace.team_id).where(Workspace.uninstalled_at.is_not(None))
    query = (
        select(
            Cadence.id,
            Cadence.team_id,
            Cadence.kind,
            Cadence.subject_id,
            Cadence.rule,
            Cadence.next_run_at,
            Cadence.channel_id,
            Cadence.recipient_ids,
        )
        # NOT IN over the (few) uninstalled workspaces filters the index scan; the claim stays an index scan.
        .where(Cadence.next_run_at <= now, Cadence.status == CadenceStatus.ACTIVE, Cadence.team_id.not_in(uninstalled))
        .order_by(Cadence.next_run_at)
        .limit(batch_size)
    )
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)  # another dispatcher's batch is left to it
    rows = session.execute(query).all()
    new_deliveries: list[dict[str, Any]] = []
    claimed = 0
    for row in rows:
        rule = from_dict(row.rule)
        kind = kind_of(row.kind)
        occurrence = latest_due(rule, now, since=row.next_run_at - timedelta(microseconds=1)) or row.next_run_at
        # A one-shot kind (the catch-up after time away) is claimed once and then has no next run.
        next_run = None if getattr(kind, "once", False) else next_after(rule, now)
        moved = session.execute(
            update(Cadence)
            .where(Cadence.id == row.id, Cadence.next_run_at == row.next_run_at)
            .values(next_run_at=next_run)
            .execution_options(synchronize_session=False)
        ).rowcount
        if moved != 1:
            continue  # another dispatcher claimed this occurrence first
        claimed += 1
        # After downtime only the latest missed occurrence is posted, and it says it is late.
        late = occurrence > row.next_run_at or now - occurrence > LATE_AFTER
        due = DueOccurrence(
            cadence_id=row.id,
            team_id=row.team_id,
            kind=row.kind,
            subject_id=row.subject_id,
            channel_id=row.channel_id,
            recipient_ids=list(row.recipient_ids),
            occurrence_at=occurrence,
            now=now,
        )
        new_deliveries += [
            {
                "team_id": row.team_id,
                "cadence_id": row.id,
                "occurrence_at": occurrence,
                "target": target,
                "late": late,
                "not_before": now,
            }
            for target in dict.fromkeys(kind.targets(session, due))  # each target once
        ]
    if new_deliveries:
        session.execute(insert_ignoring_duplicates(session), new_deliveries)
    return claimed, len(rows) == batch_size


def insert_ignoring_duplicates(session: Session) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING for deliveries, in the session's dialect."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(Delivery).on_conflict_do_nothing(index_elements=["cadence_id", "occurrence_at", "target"])
