"""After an uninstall's grace period (RETENTION_DAYS), the workspace's data is deleted: every row of every table
that has a team_id, children before parents (the foreign keys' order, reversed)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.db import unit_of_work
from bot.slack.installs import uninstalled_since
from models import Base

log = logging.getLogger(__name__)


def forget_uninstalled(*, now: datetime, retention_days: int) -> list[str]:
    """Delete the data of every workspace uninstalled more than `retention_days` ago, one workspace per
    transaction; returns the teams forgotten."""
    with unit_of_work() as session:
        teams = uninstalled_since(session, before=now - timedelta(days=retention_days))
    for team_id in teams:
        with unit_of_work() as session:
            for table in reversed(Base.metadata.sorted_tables):
                if "team_id" in table.c:
                    session.execute(delete(table).where(table.c.team_id == team_id))
        log.info("workspace %s: uninstalled over %d days ago, its data is deleted", team_id, retention_days)
    return teams
