"""Action items: who owes what by when. Shared by every program; `program` + `subject_id` say whose item it is."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TeamScoped, Timestamped, intpk


class ActionItemStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class ActionItem(TeamScoped, Timestamped, Base):
    __tablename__ = "action_item"
    __table_args__ = (
        Index("ix_action_item_owner", "team_id", "owner_id", "status"),
        Index("ix_action_item_subject", "program", "subject_id", "status"),
    )

    id: Mapped[intpk]
    program: Mapped[str] = mapped_column(String(16))  # "wg", later "esp", "cocreate", "okr"
    subject_id: Mapped[int]  # the working group (or account, prospect…) it belongs to
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[str | None] = mapped_column(String(32))  # a Slack user
    owner_name: Mapped[str | None] = mapped_column(String(200))  # when the owner is not in Slack yet
    due_on: Mapped[date | None]
    status: Mapped[ActionItemStatus] = mapped_column(String(16), default=ActionItemStatus.OPEN)
    created_by: Mapped[str] = mapped_column(String(32))
    done_by: Mapped[str | None] = mapped_column(String(32))
    done_at: Mapped[datetime | None]
    snoozed_until: Mapped[date | None]  # the overdue reminder skips the item until after this day
