"""A Slack workspace (team) that installed Cadence, with its settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped

SEED_FISCAL_YEAR_START_MONTH = 2  # the handbook's FY20-Q2 runs May..July, so its year starts in February


class Workspace(Timestamped, Base):
    __tablename__ = "workspace"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    fiscal_year_start_month: Mapped[int] = mapped_column(default=SEED_FISCAL_YEAR_START_MONTH)
    default_timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The Enterprise Grid org the workspace belongs to: an org-wide install's tokens are stored for the org (team
    # NULL), so a workspace's client is found by its enterprise and team. Recorded at install and on its requests.
    enterprise_id: Mapped[str | None] = mapped_column(String(32), default=None)
    # Set when Slack says the app was uninstalled (or its bot token revoked): no nudges are claimed or posted, and
    # RETENTION_DAYS later its data is deleted; a reinstall before then clears it.
    uninstalled_at: Mapped[datetime | None] = mapped_column(default=None)
