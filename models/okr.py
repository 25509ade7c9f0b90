"""Quarterly OKRs: quarters imported from handbook pages, objectives, nested key results with their score history,
role-to-user owner mappings, and GOOD / BAD / TRY retrospectives per team."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TeamScoped, Timestamped, intpk


class RetroKind(StrEnum):
    GOOD = "good"
    BAD = "bad"
    TRY = "try"


class OkrProgram(TeamScoped, Timestamped, Base):
    """OKRs in one workspace: the channel the digest goes to, who set it up, and the zone its reminders keep."""

    __tablename__ = "okr_program"
    __table_args__ = (UniqueConstraint("team_id"),)

    id: Mapped[intpk]
    channel_id: Mapped[str] = mapped_column(String(32))
    manager_id: Mapped[str] = mapped_column(String(32))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")


class OkrQuarter(TeamScoped, Timestamped, Base):
    """One quarter's OKRs, named as the pages name it (`FY20-Q2`, `2018-Q2`); start and end are both inclusive."""

    __tablename__ = "okr_quarter"
    __table_args__ = (UniqueConstraint("team_id", "label"),)

    id: Mapped[intpk]
    label: Mapped[str] = mapped_column(String(16))
    start_on: Mapped[date]
    end_on: Mapped[date]
    imported_by: Mapped[str] = mapped_column(String(32))
    # How the page was laid out (objective headings' form and level, section names), so an export reads the same.
    page_shape: Mapped[dict[str, Any]] = mapped_column(default=dict)

    objectives: Mapped[list[Objective]] = relationship(
        back_populates="quarter", order_by="Objective.number", cascade="all, delete-orphan"
    )
    retro_teams: Mapped[list[RetroTeam]] = relationship(
        back_populates="quarter", order_by="RetroTeam.position", cascade="all, delete-orphan"
    )


class Objective(TeamScoped, Base):
    __tablename__ = "okr_objective"

    id: Mapped[intpk]
    quarter_id: Mapped[int] = mapped_column(ForeignKey("okr_quarter.id"), index=True)
    number: Mapped[int]
    owner: Mapped[str | None] = mapped_column(Text)  # the role as the page writes it ("CEO")
    text: Mapped[str] = mapped_column(Text)

    quarter: Mapped[OkrQuarter] = relationship(back_populates="objectives")
    key_results: Mapped[list[KeyResult]] = relationship(
        back_populates="objective", order_by="KeyResult.position", cascade="all, delete-orphan"
    )


class KeyResult(TeamScoped, Base):
    """A key result at any depth. `owner` is the role as written on its line (None: none written); `role` is the one
    in effect, the nearest written owner up the tree, whose users score it. `position` orders the whole objective's
    tree depth-first, so one ordered read rebuilds it."""

    __tablename__ = "okr_key_result"
    __table_args__ = (Index("ix_okr_key_result_role", "team_id", "role_key"),)

    id: Mapped[intpk]
    objective_id: Mapped[int] = mapped_column(ForeignKey("okr_objective.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("okr_key_result.id"))
    position: Mapped[int]
    depth: Mapped[int]  # 1 under the objective
    owner: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)
    role_key: Mapped[str | None] = mapped_column(Text)  # `role` compared any case, runs of spaces as one
    text: Mapped[str] = mapped_column(Text)
    score: Mapped[float | None]  # the latest, in percent; above 100 when the page says so ("=> 120%")
    # A status written in words: "achieved", "done", "missed", "not started"; `status_text` as the page wrote it.
    status: Mapped[str | None] = mapped_column(String(32))
    status_text: Mapped[str | None] = mapped_column(Text)
    percents: Mapped[list[Any]] = mapped_column(default=list)  # as the page wrote them (`=> 27%, 0%, 227%`)
    scored_by: Mapped[str | None] = mapped_column(String(32))  # None: from the page
    scored_at: Mapped[datetime | None]

    objective: Mapped[Objective] = relationship(back_populates="key_results")


class KeyResultScore(TeamScoped, Base):
    """Every score a key result was given, with who, when and why; the tree shows the latest."""

    __tablename__ = "okr_key_result_score"

    id: Mapped[intpk]
    key_result_id: Mapped[int] = mapped_column(ForeignKey("okr_key_result.id"), index=True)
    score: Mapped[float]
    comment: Mapped[str | None] = mapped_column(Text)
    scored_by: Mapped[str] = mapped_column(String(32))
    scored_at: Mapped[datetime]


class OkrOwner(TeamScoped, Timestamped, Base):
    """A role as the pages write it ("VP Eng"), mapped to one of the Slack users who hold it."""

    __tablename__ = "okr_owner"
    __table_args__ = (UniqueConstraint("team_id", "role_key", "user_id"),)

    id: Mapped[intpk]
    role: Mapped[str] = mapped_column(Text)
    role_key: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(32))


class RetroTeam(TeamScoped, Base):
    """One team's retrospective of a quarter."""

    __tablename__ = "okr_retro_team"
    __table_args__ = (UniqueConstraint("quarter_id", "name"),)

    id: Mapped[intpk]
    quarter_id: Mapped[int] = mapped_column(ForeignKey("okr_quarter.id"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime | None]

    quarter: Mapped[OkrQuarter] = relationship(back_populates="retro_teams")
    items: Mapped[list[RetroItem]] = relationship(
        back_populates="retro_team", order_by="RetroItem.position", cascade="all, delete-orphan"
    )


class RetroItem(TeamScoped, Base):
    """A GOOD, BAD or TRY line; a TRY can become an action item (its id kept here, the item's subject is this)."""

    __tablename__ = "okr_retro_item"

    id: Mapped[intpk]
    retro_team_id: Mapped[int] = mapped_column(ForeignKey("okr_retro_team.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    action_item_id: Mapped[int | None] = mapped_column(ForeignKey("action_item.id"))

    retro_team: Mapped[RetroTeam] = relationship(back_populates="items")
