"""Cadences (recurring nudges) and their deliveries, the durable record of every nudge."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TeamScoped, Timestamped, intpk


class CadenceStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    REMOVED = "removed"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting to be posted (at or after not_before)
    SENDING = "sending"  # leased by one dispatcher until not_before
    UNKNOWN = "unknown"  # a post may have reached Slack; look for it before posting again
    SENT = "sent"
    FAILED = "failed"  # gave up; shown in /cadence list
    CANCELLED = "cancelled"  # its cadence was paused or removed before it went out
    HELD = "held"  # its person was away: listed in their catch-up instead (models/away.py HeldNudge)


class NudgeOutcome(StrEnum):
    DONE = "done"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"


class Cadence(TeamScoped, Timestamped, Base):
    __tablename__ = "cadence"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(Text)
    rule: Mapped[dict[str, Any]]
    channel_id: Mapped[str | None] = mapped_column(String(32))
    recipient_ids: Mapped[list[str]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(32))
    status: Mapped[CadenceStatus] = mapped_column(String(16), default=CadenceStatus.ACTIVE)
    # Programs reuse the engine: `kind` picks the nudge builder, `subject_id` the row it is about.
    kind: Mapped[str] = mapped_column(String(32), default="reminder")
    subject_id: Mapped[int | None]
    # NULL while paused or removed, so the dispatcher's index scan only ever sees live, due rows.
    next_run_at: Mapped[datetime | None] = mapped_column(index=True)

    deliveries: Mapped[list[Delivery]] = relationship(back_populates="cadence", order_by="Delivery.id")

    @property
    def targets(self) -> list[str]:
        """Where each occurrence goes: the channel, then a DM per recipient."""
        return ([self.channel_id] if self.channel_id else []) + list(self.recipient_ids)


class Delivery(TeamScoped, Timestamped, Base):
    __tablename__ = "delivery"
    # The exactly-once guarantee lives here: one row per occurrence and destination.
    __table_args__ = (
        UniqueConstraint("cadence_id", "occurrence_at", "target"),
        Index("ix_delivery_status_not_before", "status", "not_before"),
    )

    id: Mapped[intpk]
    cadence_id: Mapped[int] = mapped_column(ForeignKey("cadence.id"), index=True)
    occurrence_at: Mapped[datetime]
    target: Mapped[str] = mapped_column(String(32))
    late: Mapped[bool] = mapped_column(default=False)
    status: Mapped[DeliveryStatus] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    not_before: Mapped[datetime]  # also the lease's end while SENDING, so one index finds all work
    attempts: Mapped[int] = mapped_column(default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(36))
    # True once a post may have reached Slack without us hearing back (a timeout, or a crash while
    # leased): the channel is searched for this delivery's metadata before any new post.
    needs_check: Mapped[bool] = mapped_column(default=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    snoozed_from_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id"))
    outcome: Mapped[NudgeOutcome | None] = mapped_column(String(16))
    outcome_by: Mapped[str | None] = mapped_column(String(32))
    outcome_at: Mapped[datetime | None]

    cadence: Mapped[Cadence] = relationship(back_populates="deliveries")
