"""OKR nudges on the shared cadence engine: the scoring reminders (mid-quarter, two weeks left, last call), the
end-of-quarter digest and the request for the retrospective. Each is a quarterly cadence; the audience is chosen when
an occurrence is claimed and the message rendered from the rows as they are when it is posted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.blocks.common import Message, message
from bot.cadence.kinds import DueOccurrence, local_day, register_kind
from bot.cadence.views import ProgramNudge
from bot.okrs import action_items, service  # noqa: F401  (action_items: OKR items in the overdue DM)
from bot.okrs.blocks import reminders as reminder_blocks
from bot.okrs.blocks import retro as retro_blocks
from bot.okrs.rules import Reminder
from models import Cadence, Delivery, KeyResult, Objective, OkrOwner, OkrProgram, OkrQuarter


def _quarter(session: Session, cadence: Cadence, reminder: Reminder, moment: datetime) -> OkrQuarter | None:
    """The quarter an occurrence at `moment` is about, from the day it is where the cadence lives."""
    day = local_day(cadence, moment)
    return service.quarter_for_reminder(session, team_id=cadence.team_id, reminder=reminder, day=day)


class ScoringReminder:
    """One DM per owner with unscored key results in the quarter the reminder is about, listing them with Score
    buttons; the last call also posts the digest to the OKR channel."""

    def __init__(self, reminder: Reminder) -> None:
        self.reminder = reminder

    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        cadence = session.get_one(Cadence, due.cadence_id)
        quarter = _quarter(session, cadence, self.reminder, due.occurrence_at)
        if quarter is None:
            return []
        owners = sorted(service.unscored_by_user(session, team_id=due.team_id, quarter=quarter))
        if self.reminder != Reminder.LAST_CALL:
            return owners
        program = session.get(OkrProgram, due.subject_id) if due.subject_id else None
        return owners + ([program.channel_id] if program else [])

    def people(self, session: Session, cadence: Cadence) -> list[str]:
        """The holders of the roles owning the quarter's key results: the OKR channel's digest names those of them
        who are away, those whose key results are all scored too (it mentions the others already)."""
        # The engine hands a kind the cadence, not the delivery: the digest being posted is the cadence's latest
        # occurrence (the one before it, a quarter back, was posted or given up long ago).
        latest = session.scalar(
            select(func.max(Delivery.occurrence_at)).where(
                Delivery.team_id == cadence.team_id, Delivery.cadence_id == cadence.id
            )
        )
        quarter = _quarter(session, cadence, self.reminder, latest) if latest is not None else None
        if quarter is None:
            return []
        return list(
            session.scalars(
                select(OkrOwner.user_id)
                .join(KeyResult, KeyResult.role_key == OkrOwner.role_key)
                .join(Objective, Objective.id == KeyResult.objective_id)
                .where(OkrOwner.team_id == cadence.team_id, Objective.quarter_id == quarter.id)
                .group_by(OkrOwner.user_id)
                .order_by(func.min(OkrOwner.id))
            )
        )

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        quarter = _quarter(session, cadence, self.reminder, delivery.occurrence_at)
        if quarter is None:  # the quarter was deleted since the claim
            return message("These OKRs are gone.", [])
        span = service.span_of(quarter)
        program = session.get(OkrProgram, cadence.subject_id) if cadence.subject_id else None
        if program is not None and delivery.target == program.channel_id:
            return digest_message(session, quarter=quarter)
        rows = service.unscored_by_user(session, team_id=cadence.team_id, quarter=quarter).get(delivery.target, [])
        return reminder_blocks.reminder_dm(self.reminder, span, [service.node_of(row) for row in rows])


def digest_message(session: Session, *, quarter: OkrQuarter) -> Message:
    """Score per objective and the unscored key results by owner."""
    unscored = service.unscored_by_role(session, quarter=quarter)
    holders = service.users_of_roles(session, team_id=quarter.team_id, role_keys=[k for k in unscored if k])
    by_role = [
        (rows[0].role or "No owner written", holders.get(key, []), [service.node_of(row) for row in rows])
        for key, rows in unscored.items()
    ]
    return reminder_blocks.digest_message(service.span_of(quarter), service.tree_of(session, quarter=quarter), by_role)


class RetroRequest:
    """The day after a quarter ends: each team lead (or, with none known, each key-result owner) is asked for the
    retrospective, with a button per team."""

    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        cadence = session.get_one(Cadence, due.cadence_id)
        quarter = _quarter(session, cadence, Reminder.RETRO, due.occurrence_at)
        if quarter is None:
            return []
        return sorted(service.retro_leads(session, team_id=due.team_id, quarter=quarter))

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        quarter = _quarter(session, cadence, Reminder.RETRO, delivery.occurrence_at)
        if quarter is None:
            return message("These OKRs are gone.", [])
        teams = service.retro_leads(session, team_id=cadence.team_id, quarter=quarter).get(delivery.target, [])
        return retro_blocks.retro_ask_dm(
            quarter=service.span_of(quarter), quarter_id=quarter.id, teams=[(team.id, team.name) for team in teams]
        )


for _reminder in (Reminder.MID_QUARTER, Reminder.TWO_WEEKS_LEFT, Reminder.LAST_CALL):
    register_kind(
        str(_reminder),
        ScoringReminder(_reminder),
        listing=ProgramNudge(
            "OKRs", "DM to each owner of an unscored key result", "It follows the quarters `/okr setup` set."
        ),
    )
register_kind(
    str(Reminder.RETRO),
    RetroRequest(),
    listing=ProgramNudge(
        "OKRs", "DM to each team lead, asking for the retrospective", "It follows the quarters `/okr setup` set."
    ),
)
