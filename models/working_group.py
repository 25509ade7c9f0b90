"""Working groups: a charter bound to a channel, its roles and its exit criteria."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TeamScoped, Timestamped, intpk


class WorkingGroupStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class WorkingGroup(TeamScoped, Timestamped, Base):
    __tablename__ = "working_group"
    __table_args__ = (UniqueConstraint("team_id", "channel_id"),)  # one group per channel: /wg there acts on it

    id: Mapped[intpk]
    channel_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    goals: Mapped[list[str]] = mapped_column(default=list)
    goals_heading: Mapped[str] = mapped_column(Text, default="Business Goal")
    created_on: Mapped[date | None]
    end_on: Mapped[date | None]
    end_label: Mapped[str] = mapped_column(Text, default="End Date")
    agenda_url: Mapped[str | None] = mapped_column(Text)
    board_url: Mapped[str | None] = mapped_column(Text)
    # What the handbook page held beyond the fields above, kept so an export gives the page back.
    attributes: Mapped[list[Any]] = mapped_column(default=list)
    plan: Mapped[list[Any]] = mapped_column(default=list)
    other_sections: Mapped[list[Any]] = mapped_column(default=list)
    exit_criteria_heading: Mapped[str] = mapped_column(Text, default="Exit Criteria")
    # How the page was laid out (heading levels and names, table columns), so an export is the page they wrote.
    page_shape: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # A date cell kept as written when it is not one day ("March, 2022", "end of Q3"); the date field is then None.
    created_written: Mapped[str | None] = mapped_column(Text)
    end_written: Mapped[str | None] = mapped_column(Text)
    status: Mapped[WorkingGroupStatus] = mapped_column(String(16), default=WorkingGroupStatus.ACTIVE)
    closed_by: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None]
    sync_on: Mapped[bool] = mapped_column(default=True)
    digest_on: Mapped[bool] = mapped_column(default=True)
    # When the end-date notices went out, so each is sent once even after downtime.
    end_warning_sent_on: Mapped[date | None]
    end_question_sent_on: Mapped[date | None]
    created_by: Mapped[str] = mapped_column(String(32))

    roles: Mapped[list[WorkingGroupMember]] = relationship(
        back_populates="working_group", order_by="WorkingGroupMember.position", cascade="all, delete-orphan"
    )
    exit_criteria: Mapped[list[ExitCriterion]] = relationship(
        back_populates="working_group", order_by="ExitCriterion.position", cascade="all, delete-orphan"
    )


class WorkingGroupMember(TeamScoped, Base):
    """One role holder: a Slack user, or a plain name until the person is linked to Slack."""

    __tablename__ = "working_group_member"

    id: Mapped[intpk]
    working_group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id"), index=True)
    position: Mapped[int]
    role: Mapped[str] = mapped_column(String(32))  # a bot.working_groups.handbook.WorkingGroupRole value
    role_title: Mapped[str | None] = mapped_column(Text)  # the role as the page wrote it, when it differs
    function: Mapped[str | None] = mapped_column(Text)  # for a Functional Lead: "Contributor Success"
    user_id: Mapped[str | None] = mapped_column(String(32))
    person_name: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    username: Mapped[str | None] = mapped_column(Text)

    working_group: Mapped[WorkingGroup] = relationship(back_populates="roles")


class ExitCriterion(TeamScoped, Base):
    __tablename__ = "exit_criterion"

    id: Mapped[intpk]
    working_group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    progress: Mapped[int | None]  # percent, when the page or a member gave one
    done: Mapped[bool] = mapped_column(default=False)
    done_on: Mapped[date | None]
    done_by: Mapped[str | None] = mapped_column(String(32))
    done_at: Mapped[datetime | None]

    working_group: Mapped[WorkingGroup] = relationship(back_populates="exit_criteria")
