"""Action items, shared by every program: add, list, close, reopen, reassign, re-date, with history.

Who may change an item is the program's rule (a working group's owner, DRI or facilitator…), so
each change takes a `check` that raises PermissionDenied; the item's history is the audit trail.
Lists that mix programs (the daily overdue DM and its buttons) ask each program, through
`register_item_program`, how to head its items and whom it lets change them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, or_, select, update
from sqlalchemy.orm import Session

from bot import audit
from bot.action_items.rules import sort_for_reading
from bot.blocks.common import slack_date
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
    # (session, team_id, the program's items) -> ids of the items whose nudges have stopped (a closed working
    # group's); None: every item is nudged.
    quiet: Callable[[Session, str, list[ActionItem]], set[int]] | None = None


class AlreadyChanged(UserError):
    """The item is already as asked: someone changed it first (a press at the same moment) or it already was so.

    Said ephemerally to the later presser, with who did it and when; nothing is changed.
    """


_PROGRAMS: dict[str, ItemProgram] = {}


def register_item_program(program: str, spec: ItemProgram) -> None:
    """Make a program's items readable and changeable from lists that mix programs (programs call this on load)."""
    _PROGRAMS[program] = spec


def check_may_change(session: Session, *, actor: Actor, item: ActionItem) -> None:
    """Who may change the item, by its program's rule (an unknown program's: its owner or a workspace admin).

    Raises PermissionDenied saying who may (or the program's UserError, e.g. when the item's subject is gone).
    """
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
    as_seen: dict[str, Any] | None = None,
    timezone: str | None = None,
) -> ActionItem:
    """Close, reopen, reassign or re-date an item, if `check` allows; every change is recorded once.

    The change is a compare-and-set on the state read (or on `as_seen`, the columns as the presser's control showed
    them, e.g. a date picker's initial date): of two presses at the same moment the first wins and the other raises
    AlreadyChanged (who did it, when, with `timezone`, the presser's zone, for the time's fallback text), as does a
    press asking for what already is.
    """
    check(item)
    if change == ActionChange.REASSIGN and (owner is None or (owner.user_id is None and not owner.name)):
        raise UserError("Say who takes it over.", "`/wg reassign 12 @someone`")
    seen, values, detail = _planned_change(item, change, actor_id=actor_id, now=now, owner=owner, due_on=due_on)
    if seen is not None and as_seen:
        seen = {**seen, **{column: value for column, value in as_seen.items() if column in seen}}
    if seen is None or not _compare_and_set(session, item, seen=seen, values=values):
        raise AlreadyChanged(_already(session, item, change, timezone))
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


def _planned_change(
    item: ActionItem,
    change: ActionChange,
    *,
    actor_id: str,
    now: datetime,
    owner: Owner | None,
    due_on: date | None,
) -> tuple[dict[str, Any] | None, dict[str, Any], dict[str, object]]:
    """(the columns as read, which must still hold, or None when the item already is as asked; the new values;
    the audit detail) of one change."""
    if change == ActionChange.DONE:
        return (
            {"status": ActionItemStatus.OPEN},
            {"status": ActionItemStatus.DONE, "done_by": actor_id, "done_at": now},
            {},
        )
    if change == ActionChange.REOPEN:
        return (
            {"status": ActionItemStatus.DONE},
            {"status": ActionItemStatus.OPEN, "done_by": None, "done_at": None},
            {},
        )
    if change == ActionChange.REASSIGN:
        assert owner is not None
        unchanged = (owner.user_id, owner.name) == (item.owner_id, item.owner_name)
        seen = None if unchanged else {"owner_id": item.owner_id, "owner_name": item.owner_name}
        detail: dict[str, object] = {"from": item.owner_id or item.owner_name, "to": owner.user_id or owner.name}
        return seen, {"owner_id": owner.user_id, "owner_name": owner.name}, detail
    seen = None if due_on == item.due_on else {"due_on": item.due_on}
    detail = {"from": item.due_on.isoformat() if item.due_on else None, "to": due_on.isoformat() if due_on else None}
    return seen, {"due_on": due_on}, detail


def _compare_and_set(session: Session, item: ActionItem, *, seen: dict[str, Any], values: dict[str, Any]) -> bool:
    """UPDATE the item WHERE its columns still hold what was read; True when this call changed it. The item is
    read again either way, so it shows the change that won."""
    held: list[ColumnElement[bool]] = [ActionItem.id == item.id, ActionItem.team_id == item.team_id]
    for column, value in seen.items():
        attribute = getattr(ActionItem, column)
        held.append(attribute.is_(None) if value is None else attribute == value)
    statement = update(ActionItem).where(*held).values(**values).execution_options(synchronize_session=False)
    moved = session.execute(statement).rowcount == 1
    session.refresh(item)
    return moved


def _last_change(session: Session, item: ActionItem, action: str) -> Any:
    """The latest audit row of this kind on the item (who changed it, when), or None."""
    events = [e for e in item_history(session, item=item) if e.action == action]
    return events[-1] if events else None


def _by(event: Any, timezone: str | None) -> str:
    return f" by <@{event.actor_id}> {slack_date(event.at, timezone=timezone)}" if event is not None else ""


def _already(session: Session, item: ActionItem, change: ActionChange, timezone: str | None) -> str:
    """What the later presser is told: the item's state now, and who made it so, when (in their own zone)."""
    number = f"Action item #{item.id}"

    def by(action: str) -> str:
        return _by(_last_change(session, item, action), timezone)

    if change == ActionChange.DONE:
        done = (
            f" by <@{item.done_by}> {slack_date(item.done_at, timezone=timezone)}"
            if item.done_by and item.done_at
            else ""
        )
        return f"Already marked done{done}: {number} is closed."
    if change == ActionChange.REOPEN:
        if item.status == ActionItemStatus.DONE:  # closed again in between: it is someone else's latest word
            return f"{number} was changed meanwhile{by('action.done')}; nothing changed."
        return f"Already reopened{by('action.reopen')}: {number} is open."
    if change == ActionChange.REASSIGN:
        owner = f"<@{item.owner_id}>" if item.owner_id else _escaped(item.owner_name or "nobody")
        return f"Already reassigned to {owner}{by('action.reassign')}: nothing changed."
    due = item.due_on.isoformat() if item.due_on else "no due date"
    return f"Already due {due}{by('action.due')}: nothing changed."


def _escaped(text: str) -> str:
    from bot.text import escape

    return escape(text)


def snooze_item(
    session: Session, *, item: ActionItem, actor_id: str, check: Check, until: date, now: datetime
) -> ActionItem:
    """Keep the item out of overdue reminders until after `until`; its due date stays as it was.

    A compare-and-set on the snooze read: a second press (at the same moment, or once snoozed that far) raises
    AlreadyChanged saying who snoozed it and until when.
    """
    check(item)
    already = item.snoozed_until is not None and item.snoozed_until >= until
    if already or not _compare_and_set(
        session, item, seen={"snoozed_until": item.snoozed_until}, values={"snoozed_until": until}
    ):
        last = _last_change(session, item, "action.snoozed")
        shown = item.snoozed_until.isoformat() if item.snoozed_until else until.isoformat()
        who = f" by <@{last.actor_id}>" if last is not None else ""
        raise AlreadyChanged(f"Already snoozed{who} until {shown}: action item #{item.id} stays out of reminders.")
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


def take_back_item(
    session: Session, *, item: ActionItem, actor_id: str, now: datetime, timezone: str | None = None
) -> None:
    """Delete an item just added, only if it is still as read (a Done, a new owner or date at the same moment
    wins); the text stays in the audit row. Raises AlreadyChanged when another press got there first (its time's
    fallback in `timezone`, the presser's zone)."""
    held = [
        ActionItem.id == item.id,
        ActionItem.team_id == item.team_id,
        ActionItem.status == item.status,
        *(
            getattr(ActionItem, column).is_(None) if value is None else getattr(ActionItem, column) == value
            for column, value in (
                ("owner_id", item.owner_id),
                ("owner_name", item.owner_name),
                ("due_on", item.due_on),
                ("snoozed_until", item.snoozed_until),
            )
        ),
    ]
    gone = session.execute(delete(ActionItem).where(*held).execution_options(synchronize_session=False)).rowcount
    session.expunge(item)
    if gone != 1:
        removed = taken_back(session, team_id=item.team_id, item_id=item.id)
        if removed is not None:
            raise AlreadyChanged(
                f"Already taken back by <@{removed.actor_id}> {slack_date(removed.at, timezone=timezone)}."
            )
        raise AlreadyChanged(f"Action item #{item.id} changed meanwhile; close it with `/wg done {item.id}`.")
    audit.record(
        session,
        team_id=item.team_id,
        actor_id=actor_id,
        action="action.removed",
        subject_type="action_item",
        subject_id=item.id,
        at=now,
        text=item.text,
    )


def taken_back(session: Session, *, team_id: str, item_id: int) -> AuditEvent | None:
    """The latest audit row of an item's removal (who took it back, when), or None if it was never taken back."""
    return session.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.team_id == team_id,
            AuditEvent.subject_type == "action_item",
            AuditEvent.subject_id == item_id,
            AuditEvent.action == "action.removed",
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


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
    """Every open, overdue item with a Slack owner that its program still nudges, grouped by owner, across
    programs."""
    grouped: dict[str, list[ActionItem]] = {}
    for item in _nudged(session, team_id, list(session.scalars(_overdue(team_id, today)))):
        grouped.setdefault(item.owner_id or "", []).append(item)
    return grouped


def _nudged(session: Session, team_id: str, items: list[ActionItem]) -> list[ActionItem]:
    """The items whose program still nudges them (a closed working group's items are left in peace)."""
    quiet: set[int] = set()
    for program in dict.fromkeys(item.program for item in items):
        spec = _PROGRAMS.get(program)
        if spec is not None and spec.quiet is not None:
            quiet |= spec.quiet(session, team_id, [item for item in items if item.program == program])
    return [item for item in items if item.id not in quiet]


def overdue_groups(session: Session, *, team_id: str, user_id: str, today: date) -> list[tuple[str, list[ActionItem]]]:
    """The user's overdue items across programs as (heading, items), the group with the oldest item first and
    "Other" (items no registered program names) last."""
    items = _nudged(
        session, team_id, list(session.scalars(_overdue(team_id, today).where(ActionItem.owner_id == user_id)))
    )
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


def item_history(session: Session, *, item: ActionItem) -> list[AuditEvent]:
    """Who changed the item, when and how."""
    return audit.history(session, team_id=item.team_id, subject_type="action_item", subject_id=item.id)
