"""Time away: a person's holiday, the nudges held for them meanwhile, and the offers made from a Slack status."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TeamScoped, Timestamped, intpk


class Away(TeamScoped, Timestamped, Base):
    """One person's time away, from the start of `first_day` to the end of `last_day` in their zone.

    `open_for` holds the person's id until the catch-up is claimed (or the time away is called off), then NULL: the
    unique key lets each person have one open time away, and holding a nudge is a compare-and-set on it, so a nudge
    is either held before the catch-up is claimed (and listed in it) or posted as usual, never lost between the two.
    """

    __tablename__ = "away"
    __table_args__ = (
        UniqueConstraint("team_id", "open_for"),
        Index("ix_away_team_id_user_id", "team_id", "user_id"),
    )

    id: Mapped[intpk]
    user_id: Mapped[str] = mapped_column(String(32))
    first_day: Mapped[date]
    last_day: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime]  # 00:00 on first_day in `timezone`
    back_at: Mapped[datetime]  # 00:00 the day after last_day in `timezone`: the catch-up is due then
    ended_at: Mapped[datetime | None]  # set by `/cadence away off` (or the Home tab's "I'm back")
    open_for: Mapped[str | None] = mapped_column(String(32))
    held_count: Mapped[int] = mapped_column(default=0)
    # The one-shot cadence that posts the catch-up through the ordinary delivery path (lease, retry, look before
    # posting again), so the catch-up is as exactly-once as any nudge.
    catch_up_cadence_id: Mapped[int | None] = mapped_column(ForeignKey("cadence.id"))
    created_by: Mapped[str] = mapped_column(String(32))


class HeldNudge(TeamScoped, Timestamped, Base):
    """A DM nudge that came due while its person was away: listed in their catch-up instead of being posted."""

    __tablename__ = "held_nudge"
    # A delivery is held at most once, whichever process leased it.
    __table_args__ = (UniqueConstraint("delivery_id"),)

    id: Mapped[intpk]
    away_id: Mapped[int] = mapped_column(ForeignKey("away.id"), index=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("delivery.id"))
    cadence_id: Mapped[int] = mapped_column(ForeignKey("cadence.id"))
    occurrence_at: Mapped[datetime]
    summary: Mapped[str] = mapped_column(Text)  # the nudge's plain-text fallback, as it would have been posted


class AwayOffer(TeamScoped, Timestamped, Base):
    """An offer to set time away, made once for a Slack status that said the person is on holiday."""

    __tablename__ = "away_offer"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "status_key"),)

    id: Mapped[intpk]
    user_id: Mapped[str] = mapped_column(String(32))
    status_key: Mapped[str] = mapped_column(String(200))  # emoji, text and expiry of the status, clipped
    suggested_last_day: Mapped[date | None]  # the status's expiry, in the person's zone
