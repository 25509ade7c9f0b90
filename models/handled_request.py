"""Slack deliveries already handled: a retried event, a slash command or click sent twice, a form submitted twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TeamScoped, intpk


class HandledRequest(TeamScoped, Base):
    __tablename__ = "handled_request"
    # One row per delivery key: the second copy's insert conflicts, and it is answered from here instead of acting.
    __table_args__ = (UniqueConstraint("team_id", "key"),)

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(120))
    claimed_at: Mapped[datetime] = mapped_column(index=True)
    finished: Mapped[bool] = mapped_column(default=False)  # an event handled to the end (bot/replays: its lease)
