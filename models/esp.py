"""The Executive Sponsorship Program: accounts, sponsor commitments, touchpoints, KPI readings, obligations."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TeamScoped, Timestamped, intpk


class TouchpointKind(StrEnum):
    INFORMAL = "informal"
    FACE_TO_FACE = "face-to-face"
    EBR = "ebr"


class EspPeriod(StrEnum):
    """How often an operating-cadence line comes round (quarters and years are fiscal)."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUALLY = "annually"


class EspAudience(StrEnum):
    """Who an obligation's nudge reaches: DMs to people, or the program's channel."""

    PROGRAM_MANAGER = "program_manager"
    ACCOUNT_TEAMS = "account_teams"
    SPONSORS = "sponsors"
    ACCOUNT_TEAMS_AND_SPONSORS = "account_teams_and_sponsors"
    E_GROUP = "e_group"
    CHANNEL = "channel"


class EspProgram(TeamScoped, Timestamped, Base):
    """The program in one workspace: its channel and program manager (who owns the operating cadence)."""

    __tablename__ = "esp_program"
    __table_args__ = (UniqueConstraint("team_id"),)

    id: Mapped[intpk]
    channel_id: Mapped[str] = mapped_column(String(32))
    program_manager_id: Mapped[str] = mapped_column(String(32))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The fiscal quarter / year whose missing-touchpoint DMs went out, so each goes once, even after downtime.
    touchpoints_reminded_for: Mapped[str | None] = mapped_column(String(16))
    face_to_face_reminded_for: Mapped[str | None] = mapped_column(String(16))


class EspAccount(TeamScoped, Timestamped, Base):
    __tablename__ = "esp_account"
    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[int] = mapped_column(default=1)
    csm_id: Mapped[str | None] = mapped_column(String(32))
    ae_id: Mapped[str | None] = mapped_column(String(32))
    sa_id: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)


class Sponsorship(TeamScoped, Timestamped, Base):
    """A sponsor's commitment to an account: at least a year, ended early only with a reason."""

    __tablename__ = "esp_sponsorship"
    __table_args__ = (Index("ix_esp_sponsorship_sponsor", "team_id", "sponsor_id", "ended_on"),)

    id: Mapped[intpk]
    account_id: Mapped[int] = mapped_column(ForeignKey("esp_account.id"), index=True)
    sponsor_id: Mapped[str] = mapped_column(String(32))
    started_on: Mapped[date]
    commitment_ends_on: Mapped[date]
    ended_on: Mapped[date | None]
    ended_early: Mapped[bool] = mapped_column(default=False)
    end_reason: Mapped[str | None] = mapped_column(Text)
    forced_by: Mapped[str | None] = mapped_column(String(32))  # the program manager who allowed a second sponsor
    created_by: Mapped[str] = mapped_column(String(32))


class Touchpoint(TeamScoped, Timestamped, Base):
    __tablename__ = "esp_touchpoint"
    __table_args__ = (Index("ix_esp_touchpoint_account_on", "account_id", "happened_on"),)

    id: Mapped[intpk]
    account_id: Mapped[int] = mapped_column(ForeignKey("esp_account.id"))
    sponsor_id: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[TouchpointKind] = mapped_column(String(16))
    happened_on: Mapped[date]
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(32))


class KpiReading(TeamScoped, Base):
    """One measured value for an account: a relationship dimension, an NPS response, a roadblock removed…"""

    __tablename__ = "esp_kpi_reading"
    __table_args__ = (Index("ix_esp_kpi_account_metric", "account_id", "metric", "measured_on"),)

    id: Mapped[intpk]
    account_id: Mapped[int] = mapped_column(ForeignKey("esp_account.id"))
    metric: Mapped[str] = mapped_column(String(32))  # a bot.esp.rules.Metric value
    value: Mapped[float]
    measured_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime]


class EspObligation(TeamScoped, Base):
    """One line of the seed's operating cadence, installed as a cadence with its audience."""

    __tablename__ = "esp_obligation"
    __table_args__ = (UniqueConstraint("team_id", "key"),)

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(64))  # stable: "quarterly.forum"
    period: Mapped[EspPeriod] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    audience: Mapped[EspAudience] = mapped_column(String(32))
    per_account: Mapped[bool] = mapped_column(default=False)  # becomes a checklist item per account and period
    cadence_id: Mapped[int | None] = mapped_column(ForeignKey("cadence.id"))
    enabled: Mapped[bool] = mapped_column(default=True)


class ChecklistItem(TeamScoped, Base):
    """A tickable item of a period's checklist (shared: ESP per-account obligations, later co-create steps)."""

    __tablename__ = "checklist_item"
    __table_args__ = (UniqueConstraint("program", "subject_id", "period", "key"),)

    id: Mapped[intpk]
    program: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int]  # the account (or prospect…) it is about
    period: Mapped[str] = mapped_column(String(16))  # "FY27-Q1", "FY27"
    key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int]
    done: Mapped[bool] = mapped_column(default=False)
    done_by: Mapped[str | None] = mapped_column(String(32))
    done_at: Mapped[datetime | None]
