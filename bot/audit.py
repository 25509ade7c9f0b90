"""The audit trail: services record each change in the same transaction as the change itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models import AuditEvent


def record(
    session: Session,
    *,
    team_id: str,
    actor_id: str,
    action: str,
    subject_type: str,
    subject_id: int,
    at: datetime,
    **detail: Any,
) -> None:
    """Add one audit row (who did what to which row, when) in the caller's transaction."""
    # A Core insert, sent at once, rather than an ORM object flushed later: nothing reads the row back in the
    # same transaction, and the ORM's flush of it was a tenth of a /cadence add (bench/slash_roundtrip.py).
    values = {
        "team_id": team_id,
        "actor_id": actor_id,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "at": at,
        "detail": detail,
    }
    session.execute(_INSERT, values)


_INSERT = insert(AuditEvent.__table__)


def history(session: Session, *, team_id: str, subject_type: str, subject_id: int) -> list[AuditEvent]:
    """Every recorded change to one row, oldest first."""
    query = (
        select(AuditEvent)
        .where(
            AuditEvent.team_id == team_id,
            AuditEvent.subject_type == subject_type,
            AuditEvent.subject_id == subject_id,
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return list(session.scalars(query))
