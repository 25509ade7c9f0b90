"""The audit trail: services record each change in the same transaction as the change itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
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
) -> AuditEvent:
    """Add one audit row (who did what to which row, when); flushed with the caller's transaction."""
    event = AuditEvent(
        team_id=team_id,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        at=at,
        detail=detail,
    )
    session.add(event)
    return event


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
