"""Cadence services: create, list, pause, resume and remove reminders, and answer nudge buttons.

Every function takes the session first and the rest keyword-only, scopes queries by team,
records an audit row, raises UserError for anything the user can fix, and never commits or calls Slack.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Text, Update, bindparam, cast, or_, select, update
from sqlalchemy.orm import Session

from bot import audit, clock, db
from bot.cadence.commands import AddCadence, CadenceAction
from bot.cadence.kinds import listing_of
from bot.cadence.rules import Recurrence, describe, from_dict, next_after, to_dict, validate
from bot.cadence.views import REMINDER, CadenceView, FailedNudge, NudgeState
from bot.errors import UserError
from bot.fiscal import FiscalCalendar
from bot.permissions import Actor, check_may_change_workspace_settings, check_may_manage_cadence
from models import AuditEvent, Cadence, CadenceStatus, Delivery, DeliveryStatus, NudgeOutcome, Workspace

LIST_USAGE = "`/cadence list` shows each reminder with its number."


@lru_cache(maxsize=4096)
def describe_stored(rule_json: str) -> str:
    """describe() for a rule as stored; many reminders share a handful of rules, so it is cached by its text."""
    return describe(from_dict(json.loads(rule_json)))


def ensure_workspace(session: Session, *, team_id: str) -> Workspace:
    """The workspace row for a team, created with the seeds' defaults on first use (several first commands at once
    make one row: the insert ignores a conflict)."""
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        db.insert_or_ignore(session, Workspace, {"team_id": team_id, "created_at": clock.now()}, conflict=["team_id"])
        workspace = session.get_one(Workspace, team_id)
    return workspace


def calendar_of(session: Session, *, team_id: str) -> FiscalCalendar:
    """The workspace's fiscal calendar (the seeds' year starts in February)."""
    return FiscalCalendar(start_month=ensure_workspace(session, team_id=team_id).fiscal_year_start_month)


def add_program_cadence(
    session: Session,
    *,
    team_id: str,
    kind: str,
    subject_id: int | None,
    title: str,
    rule: Recurrence,
    actor_id: str,
    now: datetime,
    channel_id: str | None = None,
) -> Cadence:
    """A program's cadence on the shared engine: its kind picks the audience and the message (bot/cadence/kinds),
    its subject the row it is about; first due after `now`."""
    cadence = Cadence(
        team_id=team_id,
        title=title,
        rule=to_dict(rule),
        channel_id=channel_id,
        recipient_ids=[],
        created_by=actor_id,
        kind=kind,
        subject_id=subject_id,
        next_run_at=next_after(rule, now),
    )
    session.add(cadence)
    return cadence


def complete_rule(rule: Recurrence, *, workspace: Workspace, user_timezone: str | None, now: datetime) -> Recurrence:
    """Fill in what the user left out (zone, fiscal start, bi-weekly phase) and validate; raises UserError."""
    timezone = rule.timezone or user_timezone or workspace.default_timezone
    changes: dict[str, object] = {"timezone": timezone}
    if rule.fiscal:
        changes["year_start_month"] = workspace.fiscal_year_start_month
    if rule.interval > 1 and rule.anchor is None:
        validate(dataclasses.replace(rule, timezone=timezone, anchor=now.date()))  # zone checked before it is used
        changes["anchor"] = now.astimezone(ZoneInfo(timezone)).date()
    completed = dataclasses.replace(rule, **changes)
    validate(completed)
    return completed


def add_cadence(
    session: Session,
    *,
    team_id: str,
    actor_id: str,
    request: AddCadence,
    current_channel_id: str | None,
    user_timezone: str | None,
    now: datetime,
) -> Cadence:
    """Save a new reminder and schedule its first occurrence; raises UserError for an impossible rule."""
    workspace = ensure_workspace(session, team_id=team_id)
    rule = complete_rule(request.recurrence, workspace=workspace, user_timezone=user_timezone, now=now)
    channel_id = request.channel_id or (None if request.user_ids else current_channel_id)
    if channel_id is None and not request.user_ids:
        raise UserError("I don't know where to post this reminder.", "Add `in #channel` or `to @someone`.")
    cadence = Cadence(
        team_id=team_id,
        title=request.text,
        rule=to_dict(rule),
        channel_id=channel_id,
        recipient_ids=list(request.user_ids),
        created_by=actor_id,
        next_run_at=next_after(rule, now),
    )
    session.add(cadence)
    session.flush()
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor_id,
        action="cadence.added",
        subject_type="cadence",
        subject_id=cadence.id,
        at=now,
        title=request.text,
    )
    return cadence


def duplicate_of(session: Session, *, cadence: Cadence) -> Cadence | None:
    """An older live reminder of the team that says and does exactly what `cadence` does (same text, rule, channel
    and people): the one a reminder typed twice repeats, or None."""
    statement = _SAME_TEXT_DM if cadence.channel_id is None else _SAME_TEXT_IN_CHANNEL
    parameters = {"team_id": cadence.team_id, "title": cadence.title, "id": cadence.id, "channel": cadence.channel_id}
    people = sorted(cadence.recipient_ids)
    for row in session.execute(statement, parameters):
        if row.rule == cadence.rule and sorted(row.recipient_ids) == people:
            return session.get(Cadence, row.id)
    return None


# Every /cadence add looks for the reminder it may repeat: built once, read as plain rows (bench/slash_roundtrip.py).
_SAME_TEXT = (
    select(Cadence.id, Cadence.rule, Cadence.recipient_ids)
    .where(
        Cadence.team_id == bindparam("team_id"),
        Cadence.kind == REMINDER,
        Cadence.status != CadenceStatus.REMOVED,
        Cadence.title == bindparam("title"),
        Cadence.id != bindparam("id"),
    )
    .order_by(Cadence.id.desc())
)
_SAME_TEXT_DM = _SAME_TEXT.where(Cadence.channel_id.is_(None))
_SAME_TEXT_IN_CHANNEL = _SAME_TEXT.where(Cadence.channel_id == bindparam("channel"))


# Built once, and read as plain rows rather than ORM objects: /cadence list is the hottest request
# (bench/slash_roundtrip.py), and building and hydrating cost more there than the queries themselves.
_LIVE_CADENCES = (
    select(
        Cadence.id,
        Cadence.title,
        cast(Cadence.rule, Text).label("rule_json"),
        Cadence.channel_id,
        Cadence.recipient_ids,
        Cadence.created_by,
        Cadence.status,
        Cadence.next_run_at,
        Cadence.kind,
    )
    .where(Cadence.team_id == bindparam("team_id"), Cadence.status != CadenceStatus.REMOVED)
    .order_by(Cadence.id)
)
# What one person may see, filtered in SQL: theirs, addressed to them (the JSON list holds `"U…"`), or in the
# channels they are known to be in.
_VISIBLE_CADENCES = _LIVE_CADENCES.where(
    or_(
        Cadence.created_by == bindparam("viewer"),
        cast(Cadence.recipient_ids, Text).like(bindparam("as_recipient"), escape="\\"),
        Cadence.channel_id.in_(bindparam("channel_ids", expanding=True)),
    )
)
_FAILED_DELIVERIES = (
    select(Delivery.cadence_id, Delivery.occurrence_at, Delivery.last_error)
    .where(Delivery.status == DeliveryStatus.FAILED, Delivery.team_id == bindparam("team_id"))
    .order_by(Delivery.occurrence_at)
)
_REMINDER_CHANNELS = (
    select(Cadence.channel_id)
    .where(
        Cadence.team_id == bindparam("team_id"),
        Cadence.status != CadenceStatus.REMOVED,
        Cadence.channel_id.is_not(None),
    )
    .distinct()
)


def _like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_cadences(
    session: Session, *, team_id: str, viewer: str | None = None, channel_ids: Collection[str] = ()
) -> list[CadenceView]:
    """The team's reminders that are not removed, each with its failed deliveries (oldest first).

    With a `viewer`, only those they may see: created by them, sent to them, or posting in `channel_ids` (channels
    they are in); without one, all of them (for a workspace admin who asked for all).
    """
    if viewer is None:
        rows = session.execute(_LIVE_CADENCES, {"team_id": team_id}).all()
    else:
        parameters = {
            "team_id": team_id,
            "viewer": viewer,
            "as_recipient": f'%"{_like_literal(viewer)}"%',
            "channel_ids": list(channel_ids),
        }
        rows = session.execute(_VISIBLE_CADENCES, parameters).all()
    failed = session.execute(_FAILED_DELIVERIES, {"team_id": team_id}).all() if rows else []
    return cadence_views(rows, failed)


def cadence_views(rows: Sequence[Row[Any]], failed: Sequence[Row[Any]]) -> list[CadenceView]:
    """What /cadence list shows of rows read by `_LIVE_CADENCES` (or the same columns), each with its failed
    deliveries (cadence_id, occurrence_at, last_error rows, oldest first)."""
    failed_by_cadence: dict[int, list[FailedNudge]] = {}
    for row in failed:
        failed_by_cadence.setdefault(row.cadence_id, []).append(FailedNudge(row.occurrence_at, row.last_error))
    return [
        CadenceView(
            id=row.id,
            title=row.title,
            description=describe_stored(row.rule_json),
            channel_id=row.channel_id,
            recipient_ids=row.recipient_ids,
            created_by=row.created_by,
            status=row.status,
            next_run_at=row.next_run_at,
            kind=row.kind,
            failed=failed_by_cadence.get(row.id, []),
            listing=None if row.kind == REMINDER else listing_of(row.kind),
        )
        for row in rows
    ]


def reminder_channels(session: Session, *, team_id: str) -> list[str]:
    """Every channel a live reminder of the team posts in (App Home asks Slack which of them the user is in)."""
    return sorted(session.scalars(_REMINDER_CHANNELS, {"team_id": team_id}))


def get_cadence(session: Session, *, team_id: str, cadence_id: int) -> Cadence:
    """One reminder of this team that is not removed; raises UserError when there is none (saying who removed it)."""
    cadence = session.scalar(select(Cadence).where(Cadence.id == cadence_id, Cadence.team_id == team_id))
    if cadence is None:
        raise UserError(f"There's no reminder #{cadence_id} here.", LIST_USAGE)
    if cadence.status == CadenceStatus.REMOVED:
        raise UserError(f"There's no reminder #{cadence_id} here: it was removed{_by_whom(session, cadence)}.")
    return cadence


def change_cadence(
    session: Session, *, team_id: str, actor: Actor, cadence_id: int, action: CadenceAction, now: datetime
) -> Cadence:
    """Pause, resume or remove a reminder; raises UserError or PermissionDenied.

    The status is changed with a compare-and-set on the status read: of two presses at once one wins, and the
    other is told who got there first, changing nothing.
    """
    cadence = get_cadence(session, team_id=team_id, cadence_id=cadence_id)
    if cadence.kind != REMINDER:
        raise UserError(
            f"Reminder #{cadence.id} belongs to a program ({listing_of(cadence.kind).program}); change it there.",
            listing_of(cadence.kind).change,
        )
    check_may_manage_cadence(
        actor, created_by=cadence.created_by, recipient_ids=list(cadence.recipient_ids), cadence_id=cadence.id
    )
    was = CadenceStatus(cadence.status)
    if action == CadenceAction.RESUME and was == CadenceStatus.ACTIVE:
        raise UserError(f"Reminder #{cadence.id} is already running{_by_whom(session, cadence)}.", LIST_USAGE)
    if action == CadenceAction.PAUSE and was == CadenceStatus.PAUSED:
        raise UserError(
            f"Reminder #{cadence.id} is already paused{_by_whom(session, cadence)}.",
            f"Resume it with `/cadence resume {cadence.id}`.",
        )
    status, next_run_at = {
        # Resuming starts from now: the occurrences missed while paused are not caught up.
        CadenceAction.RESUME: (CadenceStatus.ACTIVE, next_after(from_dict(cadence.rule), now)),
        CadenceAction.PAUSE: (CadenceStatus.PAUSED, None),
        CadenceAction.REMOVE: (CadenceStatus.REMOVED, None),
    }[action]
    moved = _changed(
        session,
        update(Cadence)
        .where(Cadence.id == cadence.id, Cadence.status == was)
        .values(status=status, next_run_at=next_run_at),
    )
    session.refresh(cadence)
    if not moved:
        raise UserError(
            f"Reminder #{cadence.id} was just {STATUS_WORDS[CadenceStatus(cadence.status)]}"
            f"{_by_whom(session, cadence)}; nothing changed.",
            LIST_USAGE,
        )
    if status != CadenceStatus.ACTIVE:
        cancel_pending_deliveries(session, cadence_id=cadence.id)
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action=f"cadence.{action.value}",
        subject_type="cadence",
        subject_id=cadence.id,
        at=now,
    )
    return cadence


STATUS_WORDS = {CadenceStatus.ACTIVE: "resumed", CadenceStatus.PAUSED: "paused", CadenceStatus.REMOVED: "removed"}


def _by_whom(session: Session, cadence: Cadence) -> str:
    """The " (by <@U…>)" naming whoever last paused, resumed or removed the reminder; "" when no one has."""
    who = session.scalar(
        select(AuditEvent.actor_id)
        .where(
            AuditEvent.team_id == cadence.team_id,
            AuditEvent.subject_type == "cadence",
            AuditEvent.subject_id == cadence.id,
            AuditEvent.action.in_(("cadence.pause", "cadence.resume", "cadence.remove")),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return f" (by <@{who}>)" if who else ""


def cancel_pending_deliveries(session: Session, *, cadence_id: int) -> None:
    """Stop deliveries that have not gone out yet (snoozes, and retries after a failure, included).

    Ones already sent keep their history; one being posted right now (SENDING) is left to finish.
    """
    session.execute(
        update(Delivery)
        .where(
            Delivery.cadence_id == cadence_id,
            Delivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.UNKNOWN)),
        )
        .values(status=DeliveryStatus.CANCELLED)
    )


def get_delivery(session: Session, *, team_id: str, delivery_id: int) -> Delivery:
    """One delivery of this team; raises UserError when it is gone."""
    delivery = session.scalar(select(Delivery).where(Delivery.id == delivery_id, Delivery.team_id == team_id))
    if delivery is None:
        raise UserError("I can't find that reminder any more; it may have been removed.")
    return delivery


def nudge_target(session: Session, *, team_id: str, delivery_id: int) -> str:
    """Where a nudge was sent (a channel id, or the user id of a DM): who may answer it; raises UserError when gone."""
    return get_delivery(session, team_id=team_id, delivery_id=delivery_id).target


def settle_nudge(
    session: Session,
    *,
    team_id: str,
    delivery_id: int,
    actor_id: str,
    outcome: NudgeOutcome,
    now: datetime,
    snooze_for: timedelta | None = None,
) -> NudgeState:
    """Mark a nudge done, skipped or snoozed (scheduling the snoozed copy) if it is still open.

    The UPDATE names the state it read (`outcome IS NULL`): of two presses at the same moment exactly one changes
    the row, makes the copy and the audit row; the other changes nothing and gets the state as it now is.
    """
    if outcome == NudgeOutcome.SNOOZED and snooze_for is None:
        raise ValueError("a snooze needs snooze_for")
    delivery = get_delivery(session, team_id=team_id, delivery_id=delivery_id)
    if snooze_for is not None and delivery.outcome is None:
        check_still_running(session, delivery.cadence)
    won = delivery.outcome is None and _changed(
        session,
        update(Delivery)
        .where(Delivery.id == delivery.id, Delivery.outcome.is_(None))
        .values(outcome=outcome, outcome_by=actor_id, outcome_at=now),
    )
    session.refresh(delivery)
    if not won:
        return nudge_state(session, delivery, changed=False)
    if snooze_for is not None and outcome == NudgeOutcome.SNOOZED:
        again_at = now + snooze_for
        session.add(
            Delivery(
                team_id=team_id,
                cadence_id=delivery.cadence_id,
                occurrence_at=again_at,
                target=delivery.target,
                not_before=again_at,
                snoozed_from_id=delivery.id,
            )
        )
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor_id,
        action=f"nudge.{outcome.value}",
        subject_type="delivery",
        subject_id=delivery.id,
        at=now,
    )
    return nudge_state(session, delivery, changed=True)


def check_still_running(session: Session, cadence: Cadence) -> None:
    """A snooze makes a copy for later: refused (UserError, nothing changes) once the reminder is paused or removed,
    because that copy would never be posted."""
    if cadence.status == CadenceStatus.ACTIVE:
        return
    resume = (
        f"`/cadence resume {cadence.id}` starts it again." if cadence.status == CadenceStatus.PAUSED else LIST_USAGE
    )
    if cadence.kind != REMINDER:
        resume = "Its program turned it off; it comes back when the program turns it on again."
    raise UserError(
        f"Reminder #{cadence.id} was {STATUS_WORDS[CadenceStatus(cadence.status)]}{_by_whom(session, cadence)}, "
        "so a snoozed copy would never come; nothing changed.",
        resume,
    )


def undo_nudge(session: Session, *, team_id: str, delivery_id: int, actor_id: str, now: datetime) -> NudgeState:
    """Reopen a settled nudge (a snooze that has not gone out yet is called off) if it is still as it was read."""
    delivery = get_delivery(session, team_id=team_id, delivery_id=delivery_id)
    was, was_by = delivery.outcome, delivery.outcome_by  # the answer being undone, exactly as read
    was_at = delivery.outcome_at
    won = was is not None and _changed(
        session,
        update(Delivery)
        .where(
            Delivery.id == delivery.id,
            Delivery.outcome == was,
            Delivery.outcome_by == was_by,
            Delivery.outcome_at == was_at if was_at is not None else Delivery.outcome_at.is_(None),
        )
        .values(outcome=None, outcome_by=None, outcome_at=None),
    )
    session.refresh(delivery)
    if not won:
        return nudge_state(session, delivery, changed=False)
    if was == NudgeOutcome.SNOOZED:
        session.execute(
            update(Delivery)
            .where(Delivery.snoozed_from_id == delivery.id, Delivery.status == DeliveryStatus.PENDING)
            .values(status=DeliveryStatus.CANCELLED)
            .execution_options(synchronize_session=False)
        )
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor_id,
        action="nudge.reopened",
        subject_type="delivery",
        subject_id=delivery.id,
        at=now,
        was=was,
    )
    return NudgeState(delivery, changed=True, reopened_by=actor_id)


def _changed(session: Session, statement: Update) -> bool:
    """Run a compare-and-set UPDATE; True when it changed the one row it names."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    return result.rowcount == 1  # type: ignore[attr-defined]


def nudge_state(session: Session, delivery: Delivery, *, changed: bool) -> NudgeState:
    """A nudge as it stands: until when it is snoozed, or who reopened it last."""
    if delivery.outcome == NudgeOutcome.SNOOZED:
        until = session.scalar(
            select(Delivery.occurrence_at)
            .where(Delivery.snoozed_from_id == delivery.id)
            .order_by(Delivery.id.desc())
            .limit(1)
        )
        return NudgeState(delivery, changed, snoozed_until=until)
    if delivery.outcome is None:
        reopened_by = session.scalar(
            select(AuditEvent.actor_id)
            .where(
                AuditEvent.team_id == delivery.team_id,
                AuditEvent.subject_type == "delivery",
                AuditEvent.subject_id == delivery.id,
                AuditEvent.action == "nudge.reopened",
            )
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
        return NudgeState(delivery, changed, reopened_by=reopened_by)
    return NudgeState(delivery, changed)


def set_fiscal_year_start(session: Session, *, team_id: str, actor: Actor, month: int, now: datetime) -> int:
    """Change the workspace's fiscal year start (admins only) and move fiscal cadences with it; returns how many."""
    check_may_change_workspace_settings(actor)
    workspace = ensure_workspace(session, team_id=team_id)
    was = workspace.fiscal_year_start_month
    workspace.fiscal_year_start_month = month
    moved = 0
    for cadence in session.scalars(
        select(Cadence).where(Cadence.team_id == team_id, Cadence.status != CadenceStatus.REMOVED)
    ):
        rule = from_dict(cadence.rule)
        if not rule.fiscal:
            continue
        rule = dataclasses.replace(rule, year_start_month=month)
        cadence.rule = to_dict(rule)
        if cadence.status == CadenceStatus.ACTIVE:
            cadence.next_run_at = next_after(rule, now)
        moved += 1
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="workspace.fiscal_year_start",
        subject_type="workspace",
        subject_id=0,
        at=now,
        was=was,
        now=month,
    )
    return moved


def rule_of(cadence: Cadence) -> Recurrence:
    """The stored rule of a cadence as a Recurrence."""
    return from_dict(cadence.rule)
