"""Co-Create outreach: prospects with scores and tiers, their outreach steps, and contributions after a project."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TeamScoped, Timestamped, intpk


class ProspectOutcome(StrEnum):
    OPEN = "open"
    STARTED = "started"
    DECLINED = "declined"
    DEFERRED = "deferred"


class StepState(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


class CocreateProgram(TeamScoped, Timestamped, Base):
    """The program in one workspace: home channel, program manager, targets, weights and resource links."""

    __tablename__ = "cocreate_program"
    __table_args__ = (UniqueConstraint("team_id"),)

    id: Mapped[intpk]
    channel_id: Mapped[str] = mapped_column(String(32))
    manager_id: Mapped[str] = mapped_column(String(32))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    targets: Mapped[dict[str, Any]] = mapped_column(default=dict)  # empty: the seed's (7 a quarter, 3x, 33%, 8-10 wk)
    weights: Mapped[dict[str, Any]] = mapped_column(default=dict)  # empty: equal weights
    resources: Mapped[list[Any]] = mapped_column(default=list)  # [{"label": …, "url": …}]


class Prospect(TeamScoped, Timestamped, Base):
    __tablename__ = "prospect"
    __table_args__ = (
        UniqueConstraint("team_id", "name"),
        Index("ix_prospect_outcome", "team_id", "outcome"),
        Index("ix_prospect_rank", "team_id", "outcome", "rank_tier", "total_score"),
        Index("ix_prospect_stage", "team_id", "outcome", "current_step", "stage_began_on"),
        # Every column the quarter's funnel counts: the count reads this index alone, not the wide rows.
        Index(
            "ix_prospect_funnel",
            "team_id",
            "contacted_on",
            "outcome",
            "outcome_on",
            "project_started_on",
            "meeting_on",
        ),
    )

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    csm_id: Mapped[str | None] = mapped_column(String(32))
    ae_id: Mapped[str | None] = mapped_column(String(32))
    sa_id: Mapped[str | None] = mapped_column(String(32))
    subscription: Mapped[str | None] = mapped_column(String(32))
    seats: Mapped[int | None]
    industry: Mapped[str | None] = mapped_column(String(100))
    tech_stack_overlap: Mapped[bool] = mapped_column(default=False)
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)  # criterion key → 0..5
    tier_override: Mapped[int | None]
    tier_reason: Mapped[str | None] = mapped_column(Text)
    outreach_channel_id: Mapped[str | None] = mapped_column(String(32))
    outreach_started_on: Mapped[date | None]
    contacted_on: Mapped[date | None]
    meeting_on: Mapped[date | None]
    meeting_attendees: Mapped[list[str]] = mapped_column(default=list)
    project_started_on: Mapped[date | None]
    outcome: Mapped[str] = mapped_column(String(16), default=ProspectOutcome.OPEN)
    outcome_on: Mapped[date | None]
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    revisit_on: Mapped[date | None]
    # The checklist message, updated in place on every change.
    checklist_channel_id: Mapped[str | None] = mapped_column(String(32))
    checklist_ts: Mapped[str | None] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(32))
    # Standing, derived from the fields above and kept on the row (bot/cocreate/standing.py) so that the ranking and
    # the weekly digest are indexed queries, not a pass over every prospect and step.
    rank_tier: Mapped[int] = mapped_column(default=3)  # the override, else the seed's tier from the fields
    total_score: Mapped[float | None]  # 0..100 under the program's weights; None: nothing weighted is scored
    fully_scored: Mapped[bool] = mapped_column(default=False)
    current_step: Mapped[str | None] = mapped_column(String(32))  # the first open step; None: none open
    stage_began_on: Mapped[date | None]  # the day the current step's stage began (the step before it finished)

    steps: Mapped[list[OutreachStep]] = relationship(
        back_populates="prospect", order_by="OutreachStep.position", cascade="all, delete-orphan"
    )


class OutreachStep(TeamScoped, Base):
    __tablename__ = "outreach_step"
    __table_args__ = (Index("ix_outreach_step_owner", "team_id", "owner_id", "state", "due_on"),)

    id: Mapped[intpk]
    prospect_id: Mapped[int] = mapped_column(ForeignKey("prospect.id"), index=True)
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[str | None] = mapped_column(String(32))
    due_on: Mapped[date | None]
    state: Mapped[str] = mapped_column(String(16), default=StepState.OPEN)
    skip_reason: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str | None] = mapped_column(String(32))
    changed_at: Mapped[datetime | None]

    prospect: Mapped[Prospect] = relationship(back_populates="steps")


class Contribution(TeamScoped, Base):
    __tablename__ = "contribution"
    __table_args__ = (UniqueConstraint("team_id", "normalized_url"),)  # the same MR is counted once

    id: Mapped[intpk]
    prospect_id: Mapped[int] = mapped_column(ForeignKey("prospect.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(Text)
    normalized_url: Mapped[str] = mapped_column(String(500))
    contributed_on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(32))
