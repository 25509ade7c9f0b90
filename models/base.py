"""The declarative base every table shares: naming convention, UTC timestamps, team scoping."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import JSON, DateTime, MetaData, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, reads back aware UTC (SQLAlchemy's TZDateTime recipe; SQLite has no zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes: every datetime in Cadence is aware."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use bot.clock.now()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Attach UTC to the stored naive value."""
        return None if value is None else value.replace(tzinfo=UTC)


intpk = Annotated[int, mapped_column(primary_key=True)]
slack_id = Annotated[str, mapped_column(String(32))]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[str]: JSON(), list[Any]: JSON()}


class TeamScoped:
    """Every row belongs to one Slack workspace; services filter on it in every query."""

    team_id: Mapped[str] = mapped_column(String(32), index=True)


def _now() -> datetime:
    from bot.clock import now  # late import: models must not pull in the bot package at import time

    return now()


class Timestamped:
    # Set from Python, not the server: PostgreSQL's now() on a naive column would be server-local time.
    created_at: Mapped[datetime] = mapped_column(default=_now)
