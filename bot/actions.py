"""Action items, shared by every program: add, list, close, reopen, reassign, re-date, with history.

Who may change an item is the program's rule (a working group's owner, DRI or facilitator…), so
each change takes a `check` that raises PermissionDenied; the item's history is the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot import audit
from bot.errors import UserError
from models import ActionItem, ActionItemStatus, AuditEvent

TEXT_LIMIT = 1000


class ActionFilter(StrEnum):
    OPEN = "open"
    MINE = "mine"
    OVERDUE = "overdue"
    ALL = "all"


class ActionChange(StrEnum):
    DONE = "done"
    REOPEN = "reopen"
    REASSIGN = "reassign"
    DUE = "due"


@dataclass(frozen=True, slots=True)
class Owner:
    """Who owes an item: a Slack user, or a plain name until the person is in Slack."""

    user_id: str | None = None
    name: str | None = None


Check = Callable[[ActionItem], None]


def add_item(
    session: Session,
    *,
    team_id: str,
    program: str,
    subject_id: int,
    text: str,
    owner: Owner,
    due_on: date | None,
    actor_id: str,
    now: datetime,
) -> ActionItem:
    """Save a new open item; raises UserError for empty or over-long text or no owner."""
    text = text.strip()
    if not text or len(text) > TEXT_LIMIT:
        raise UserError(f"An action item needs a text of 1 to {TEXT_LIMIT:,} characters.")
    if owner.user_id is None and not owner.name:
        raise UserError("An action item needs an owner.", '`/wg action "Draft the plan" @owner due friday`')
    item = ActionItem(
        team_id=team_id,
        program=program,
        subject_id=subject_id,
        text=text,
        owner_id=owner.user_id,
        owner_name=owner.name,
        due_on=due_on,
        created_by=actor_id,
    )
    session.add(item)
    session.flush()
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor_id,
        action="action.added",
        subject_type="action_item",
        subject_id=item.id,
        at=now,
        owner=owner.user_id or owner.name,
        due=due_on.isoformat() if due_on else None,
    )
    return item


def get_item(session: Session, *, team_id: str, item_id: int, program: str | None = None) -> ActionItem:
    """One item of this team; raises UserError when there is none."""
    item = session.scalar(select(ActionItem).where(ActionItem.id == item_id, ActionItem.team_id == team_id))
    if item is None or (program is not None and item.program != program):
        raise UserError(f"There's no action item #{item_id} here.", "`/wg actions all` shows their numbers.")
    return item


def change_item(
    session: Session,
    *,
    item: ActionItem,
    change: ActionChange,
    actor_id: str,
    check: Check,
    now: datetime,
    owner: Owner | None = None,
    due_on: date | None = None,
) -> ActionItem:
    """Close, reopen, reassign or re-date an item, if `check` allows; every change is recorded."""
    check(item)
    detail: dict[str, object] = {}
    if change == ActionChange.DONE:
        if item.status == ActionItemStatus.DONE:
            return item  # a second click changes nothing
        item.status, item.done_by, item.done_at = ActionItemStatus.DONE, actor_id, now
    elif change == ActionChange.REOPEN:
        if item.status == ActionItemStatus.OPEN:
            return item
        item.status, item.done_by, item.done_at = ActionItemStatus.OPEN, None, None
    elif change == ActionChange.REASSIGN:
        if owner is None or (owner.user_id is None and not owner.name):
            raise UserError("Say who takes it over.", "`/wg reassign 12 @someone`")
        detail = {"from": item.owner_id or item.owner_name, "to": owner.user_id or owner.name}
        item.owner_id, item.owner_name = owner.user_id, owner.name
    elif change == ActionChange.DUE:
        detail = {
            "from": item.due_on.isoformat() if item.due_on else None,
            "to": due_on.isoformat() if due_on else None,
        }
        item.due_on = due_on
    audit.record(
        session,
        team_id=item.team_id,
        actor_id=actor_id,
        action=f"action.{change.value}",
        subject_type="action_item",
        subject_id=item.id,
        at=now,
        **detail,
    )
    return item


def snooze_item(
    session: Session, *, item: ActionItem, actor_id: str, check: Check, until: date, now: datetime
) -> ActionItem:
    """Keep the item out of overdue reminders until after `until`; its due date stays as it was."""
    check(item)
    item.snoozed_until = until
    audit.record(
        session,
        team_id=item.team_id,
        actor_id=actor_id,
        action="action.snoozed",
        subject_type="action_item",
        subject_id=item.id,
        at=now,
        until=until.isoformat(),
    )
    return item


def list_items(
    session: Session,
    *,
    team_id: str,
    program: str,
    subject_id: int,
    which: ActionFilter,
    user_id: str,
    today: date,
) -> list[ActionItem]:
    """A group's items: open ones (default), the user's open ones, the overdue ones, or all; overdue first."""
    query = select(ActionItem).where(
        ActionItem.team_id == team_id, ActionItem.program == program, ActionItem.subject_id == subject_id
    )
    if which != ActionFilter.ALL:
        query = query.where(ActionItem.status == ActionItemStatus.OPEN)
    if which == ActionFilter.MINE:
        query = query.where(ActionItem.owner_id == user_id)
    if which == ActionFilter.OVERDUE:
        query = query.where(ActionItem.due_on < today)
    return sort_for_reading(list(session.scalars(query)), today=today)


def sort_for_reading(items: list[ActionItem], *, today: date) -> list[ActionItem]:
    """Open before done, overdue first, then by due date (undated last), then by number."""

    def key(item: ActionItem) -> tuple[int, int, date, int]:
        done = item.status == ActionItemStatus.DONE
        overdue = not done and item.due_on is not None and item.due_on < today
        return (int(done), 0 if overdue else 1, item.due_on or date.max, item.id)

    return sorted(items, key=key)


def overdue_by_owner(session: Session, *, team_id: str, today: date) -> dict[str, list[ActionItem]]:
    """Every open, overdue item with a Slack owner, grouped by owner, across programs."""
    items = session.scalars(
        select(ActionItem)
        .where(
            ActionItem.team_id == team_id,
            ActionItem.status == ActionItemStatus.OPEN,
            ActionItem.due_on < today,
            ActionItem.owner_id.is_not(None),
            or_(ActionItem.snoozed_until.is_(None), ActionItem.snoozed_until < today),
        )
        .order_by(ActionItem.due_on, ActionItem.id)
    )
    grouped: dict[str, list[ActionItem]] = {}
    for item in items:
        grouped.setdefault(item.owner_id or "", []).append(item)
    return grouped


def week_buckets(items: list[ActionItem], *, today: date) -> dict[str, list[ActionItem]]:
    """The weekly digest's buckets: open, due this week, overdue, done in the last seven days."""
    week_end = today + timedelta(days=6 - today.weekday())
    since = today - timedelta(days=7)
    open_items = [i for i in items if i.status == ActionItemStatus.OPEN]
    return {
        "open": open_items,
        "due_this_week": [i for i in open_items if i.due_on is not None and today <= i.due_on <= week_end],
        "overdue": [i for i in open_items if i.due_on is not None and i.due_on < today],
        "done_last_week": [
            i for i in items if i.status == ActionItemStatus.DONE and i.done_at and i.done_at.date() >= since
        ],
    }


def item_history(session: Session, *, item: ActionItem) -> list[AuditEvent]:
    """Who changed the item, when and how."""
    return audit.history(session, team_id=item.team_id, subject_type="action_item", subject_id=item.id)
