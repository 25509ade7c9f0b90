"""Who people are, as Slack last said: name, time zone, admin or not, status. Read on every request instead of
asking Slack (users.info) each time; refreshed when a day old and on each `user_change` event (bot/slack/users.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TeamScoped, intpk


class SlackUser(TeamScoped, Base):
    """One person in one workspace: the same user id in another workspace is another row."""

    __tablename__ = "slack_user"
    # Two first requests by a new person at once both upsert on this key: one row, no error.
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[intpk]
    user_id: Mapped[str] = mapped_column(String(32))
    real_name: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(255))
    tz: Mapped[str | None] = mapped_column(String(64))
    is_admin: Mapped[bool] = mapped_column(default=False)  # a workspace admin or owner
    deleted: Mapped[bool] = mapped_column(default=False)
    # The profile's status, for the time-away offer (bot/cadence/away.py holiday_status reads these three).
    status_text: Mapped[str] = mapped_column(String(255), default="")
    status_emoji: Mapped[str] = mapped_column(String(100), default="")
    status_expiration: Mapped[int] = mapped_column(BigInteger, default=0)  # epoch seconds; 0: none
    fetched_at: Mapped[datetime]  # when Slack said this (users.info answered, or the event arrived)
