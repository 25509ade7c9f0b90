"""The daily overdue DM, one per workspace: each owner gets one message a day listing all their overdue items of
every program (each program names its items' headings and which of them it still nudges: service.ItemProgram),
with Done, Snooze and a new date on each. Any program that has items makes sure the cadence exists."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.action_items import blocks, service
from bot.blocks.common import Message
from bot.cadence.kinds import DueOccurrence, local_day, register_kind
from bot.cadence.rules import Frequency, Recurrence
from bot.cadence.service import add_program_cadence, ensure_workspace
from bot.cadence.views import ProgramNudge
from bot.db import lock_row
from models import ActionItem, ActionItemStatus, Cadence, Delivery

# The kind's name is stored on every workspace's cadence row; it was the working groups' before items were shared.
OVERDUE = "wg.overdue"


def ensure_overdue_cadence(session: Session, *, team_id: str, actor_id: str, timezone: str, now: datetime) -> None:
    """One daily cadence per workspace DMs each owner all their overdue items, at most once a day."""
    # The workspace row's lock queues two first groups created at once, so the second sees the first's cadence.
    lock_row(session, ensure_workspace(session, team_id=team_id))
    exists = session.scalar(select(Cadence.id).where(Cadence.team_id == team_id, Cadence.kind == OVERDUE))
    if exists is None:
        rule = Recurrence(Frequency.DAILY, at=time(9, 0), timezone=timezone)
        add_program_cadence(
            session,
            team_id=team_id,
            kind=OVERDUE,
            subject_id=None,
            title="Overdue action items",
            rule=rule,
            actor_id=actor_id,
            now=now,
        )


class OverdueDigest:
    """Daily, per workspace: one DM to each owner listing all their overdue items across groups and programs."""

    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        """Every Slack owner with an overdue, unsnoozed item today."""
        cadence = session.get(Cadence, due.cadence_id)
        assert cadence is not None
        today = local_day(cadence, due.occurrence_at)
        return list(service.overdue_by_owner(session, team_id=due.team_id, today=today))

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """The owner's overdue items of every program, grouped by subject, with Done / Snooze / new-date controls."""
        today = local_day(cadence, delivery.occurrence_at)
        return overdue_message_for(session, team_id=cadence.team_id, user_id=delivery.target, today=today)


def overdue_message_for(
    session: Session, *, team_id: str, user_id: str, today: date, snoozed_id: int | None = None
) -> Message:
    """One person's overdue items across programs, as the daily DM shows them (also after a click); `snoozed_id`,
    the item a Snooze press just took off the list, is named with the day it comes back."""
    groups = service.overdue_groups(session, team_id=team_id, user_id=user_id, today=today)
    snoozed = None
    if snoozed_id is not None:
        item = session.scalar(select(ActionItem).where(ActionItem.id == snoozed_id, ActionItem.team_id == team_id))
        # Read after the commit: an item taken back, done or woken meanwhile is not called snoozed.
        if item is not None and item.snoozed_until is not None and item.snoozed_until >= today:
            snoozed = item if item.status == ActionItemStatus.OPEN else None
    return blocks.overdue_dm(groups, today=today, snoozed=snoozed)


register_kind(
    OVERDUE,
    OverdueDigest(),
    listing=ProgramNudge(
        "action items",
        "DM to each owner of an overdue action item",
        "It follows the items: `/wg done 3`, `/wg due 3 friday`, or the DM's own buttons.",
    ),
)
