"""Action items, shared by every program: add, list, close, reopen, reassign, re-date, with history.

Who may change an item is the program's rule (a working group's owner, DRI or facilitator…), so
each change takes a `check` that raises PermissionDenied; the item's history is the audit trail.
Lists that mix programs (the daily overdue DM and its buttons) ask each program, through
`register_item_program`, how to head its items and whom it lets change them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from bot import audit
from bot.errors import PermissionDenied, UserError
from bot.permissions import Actor
from models import ActionItem, ActionItemStatus, AuditEvent

TEXT_LIMIT = 1000
OTHER_HEADING = "*Other*"  # items of a program that registered nothing, or whose subject it cannot name


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


@dataclass(frozen=True, slots=True)
class ItemProgram:
    """What a program tells the lists that mix programs' items: how to head its items and who may change one."""

    # (session, team_id, the program's items) -> item id -> its heading (mrkdwn, user text escaped); items with the
    # same heading are listed together, items left out go under "Other".
    headings: Callable[[Session, str, list[ActionItem]], dict[int, str]]
    # (session, actor, item) -> None; raises PermissionDenied saying who may.
    check: Callable[[Session, Actor, ActionItem], None]


_PROGRAMS: dict[str, ItemProgram] = {}


def register_item_program(program: str, spec: ItemProgram) -> None:
    """Make a program's items readable and changeable from lists that mix programs (programs call this on load)."""
    _PROGRAMS[program] = spec


def _load_programs() -> None:
    """Import every program's nudge module once, so each registers its items in every process (as kinds do)."""
    from bot import programs  # noqa: F401 - imported for its registrations


def check_may_change(session: Session, *, actor: Actor, item: ActionItem) -> None:
    """Who may change the item, by its program's rule (an unknown program's: its owner or a workspace admin).

    Raises PermissionDenied saying who may (or the program's UserError, e.g. when the item's subject is gone).
    """
    _load_programs()
    spec = _PROGRAMS.get(item.program)
    if spec is not None:
        spec.check(session, actor, item)
        return
    if actor.is_admin or (item.owner_id is not None and actor.user_id == item.owner_id):
        return
    owner = f"its owner <@{item.owner_id}>" if item.owner_id else "its owner"
    raise PermissionDenied(f"Only {owner} or a workspace admin can change action item #{item.id}.")


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


def _overdue(team_id: str, today: date) -> Select[tuple[ActionItem]]:
    """Open, overdue, unsnoozed items with a Slack owner, oldest due first."""
    return (
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


def overdue_by_owner(session: Session, *, team_id: str, today: date) -> dict[str, list[ActionItem]]:
    """Every open, overdue item with a Slack owner, grouped by owner, across programs."""
    grouped: dict[str, list[ActionItem]] = {}
    for item in session.scalars(_overdue(team_id, today)):
        grouped.setdefault(item.owner_id or "", []).append(item)
    return grouped


def overdue_groups(session: Session, *, team_id: str, user_id: str, today: date) -> list[tuple[str, list[ActionItem]]]:
    """The user's overdue items across programs as (heading, items), the group with the oldest item first and
    "Other" (items no registered program names) last."""
    _load_programs()
    items = list(session.scalars(_overdue(team_id, today).where(ActionItem.owner_id == user_id)))
    headings: dict[int, str] = {}
    for program in dict.fromkeys(item.program for item in items):
        spec = _PROGRAMS.get(program)
        if spec is not None:
            headings |= spec.headings(session, team_id, [item for item in items if item.program == program])
    grouped: dict[str, list[ActionItem]] = {}
    for item in items:
        grouped.setdefault(headings.get(item.id, OTHER_HEADING), []).append(item)
    other = grouped.pop(OTHER_HEADING, [])
    return [*grouped.items(), *([(OTHER_HEADING, other)] if other else [])]


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
