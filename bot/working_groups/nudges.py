"""Working-group nudges on the shared cadence engine: sync reminders, weekly digests, end-date notices and
the daily DM of overdue action items. Each kind picks its audience when an occurrence is claimed and renders
from the rows as they are when it is posted."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.action_items import service as actions
from bot.action_items.rules import week_buckets
from bot.blocks.common import Message
from bot.cadence.kinds import DueOccurrence, local_day, register_kind
from bot.cadence.views import ProgramNudge
from bot.working_groups import service
from bot.working_groups.blocks import items as wg_items
from bot.working_groups.blocks import scheduled as wg_scheduled
from models import ActionItem, Cadence, Delivery, WorkingGroup, WorkingGroupStatus

END_WARNING_AHEAD = timedelta(days=14)


def _group(session: Session, team_id: str, group_id: int | None) -> WorkingGroup | None:
    if group_id is None:
        return None
    return session.scalar(select(WorkingGroup).where(WorkingGroup.id == group_id, WorkingGroup.team_id == team_id))


def _open_items(session: Session, group: WorkingGroup, today: date) -> list[ActionItem]:
    return actions.list_items(
        session,
        team_id=group.team_id,
        program=service.PROGRAM,
        subject_id=group.id,
        which=actions.ActionFilter.OPEN,
        user_id="",
        today=today,
    )


class _ChannelOfActiveGroup:
    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        """The group's channel, while the group is active."""
        group = _group(session, due.team_id, due.subject_id)
        return [group.channel_id] if group and group.status == WorkingGroupStatus.ACTIVE else []

    def people(self, session: Session, cadence: Cadence) -> list[str]:
        """The group's role holders: the sync reminder and the digest name those of them who are away."""
        group = _group(session, cadence.team_id, cadence.subject_id)
        return [member.user_id for member in group.roles if member.user_id] if group else []


class SyncReminder(_ChannelOfActiveGroup):
    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """The sync reminder with the agenda link and the open items."""
        group = _group(session, cadence.team_id, cadence.subject_id)
        assert group is not None
        today = local_day(cadence, delivery.occurrence_at)
        return wg_scheduled.sync_reminder(group, _open_items(session, group, today), today=today)


class WeeklyDigest(_ChannelOfActiveGroup):
    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """Open, due this week, overdue, done last week."""
        group = _group(session, cadence.team_id, cadence.subject_id)
        assert group is not None
        today = local_day(cadence, delivery.occurrence_at)
        everything = actions.list_items(
            session,
            team_id=group.team_id,
            program=service.PROGRAM,
            subject_id=group.id,
            which=actions.ActionFilter.ALL,
            user_id="",
            today=today,
        )
        buckets = week_buckets(everything, today=today)
        return wg_scheduled.weekly_digest(
            group,
            open_items=buckets["open"],
            due_this_week=buckets["due_this_week"],
            overdue=buckets["overdue"],
            done_last_week=buckets["done_last_week"],
            today=today,
        )


class EndDateWatch:
    """Daily: two weeks before the end date, a notice to the channel; after it, a question to the DRI. Each once."""

    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        """Whom today's notice goes to, marking it sent in the claim's transaction; [] on quiet days."""
        group = _group(session, due.team_id, due.subject_id)
        if group is None or group.status != WorkingGroupStatus.ACTIVE or group.end_on is None:
            return []
        cadence = session.get(Cadence, due.cadence_id)
        assert cadence is not None
        today = local_day(cadence, due.occurrence_at)
        if today > group.end_on and group.end_question_sent_on is None:
            group.end_question_sent_on = today
            dris = [m.user_id for m in group.roles if m.role == "DRI" and m.user_id]
            return dris or [group.channel_id]
        if group.end_on - END_WARNING_AHEAD <= today <= group.end_on and group.end_warning_sent_on is None:
            group.end_warning_sent_on = today
            return [group.channel_id]
        return []

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """The warning before the end, or the close-or-extend question after it."""
        group = _group(session, cadence.team_id, cadence.subject_id)
        assert group is not None
        today = local_day(cadence, delivery.occurrence_at)
        if group.end_on is not None and today > group.end_on:
            return wg_scheduled.end_question(group, today=today)
        return wg_scheduled.end_warning(group, today=today)


def _item_headings(session: Session, team_id: str, items: list[ActionItem]) -> dict[int, str]:
    """Each working-group item's heading: its group's name and channel (an item whose group is gone: none)."""
    group_ids = list({item.subject_id for item in items})
    groups = session.scalars(
        select(WorkingGroup).where(WorkingGroup.team_id == team_id, WorkingGroup.id.in_(group_ids))
    )
    heading = {group.id: wg_items.overdue_heading(group) for group in groups}
    return {item.id: heading[item.subject_id] for item in items if item.subject_id in heading}


def _items_of_closed_groups(session: Session, team_id: str, items: list[ActionItem]) -> set[int]:
    """The items of closed groups: a closed group stops all its nudges, its items' overdue DMs too."""
    closed = set(
        session.scalars(
            select(WorkingGroup.id).where(
                WorkingGroup.team_id == team_id,
                WorkingGroup.id.in_({item.subject_id for item in items}),
                WorkingGroup.status == WorkingGroupStatus.ENDED,
            )
        )
    )
    return {item.id for item in items if item.subject_id in closed}


actions.register_item_program(
    service.PROGRAM,
    actions.ItemProgram(headings=_item_headings, check=service.check_may_change_item, quiet=_items_of_closed_groups),
)
register_kind(
    service.SYNC,
    SyncReminder(),
    listing=ProgramNudge(
        "working groups", "", "In the group's channel: `/wg sync every 2 weeks on tuesday at 10:00` or `/wg sync off`."
    ),
)
register_kind(
    service.DIGEST,
    WeeklyDigest(),
    listing=ProgramNudge("working groups", "", "In the group's channel: `/wg digest off`."),
)
register_kind(
    service.LIFECYCLE,
    EndDateWatch(),
    listing=ProgramNudge(
        "working groups",
        "then a DM to the DRI after the end date",
        "In the group's channel: `/wg extend 2027-03-31` or `/wg close`.",
    ),
)
