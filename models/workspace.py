"""A Slack workspace (team) that installed Cadence, with its settings."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped

SEED_FISCAL_YEAR_START_MONTH = 2  # the handbook's FY20-Q2 runs May..July, so its year starts in February


class Workspace(Timestamped, Base):
    __tablename__ = "workspace"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    fiscal_year_start_month: Mapped[int] = mapped_column(default=SEED_FISCAL_YEAR_START_MONTH)
    default_timezone: Mapped[str] = mapped_column(String(64), default="UTC")
