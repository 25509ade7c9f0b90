"""ESP nudges on the shared cadence engine: each operating-cadence line reaches its audience, per-account
obligations arrive as checklists, and sponsors hear about accounts without a touchpoint three weeks before the
fiscal quarter (and year) ends."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks import esp as esp_blocks
from bot.blocks.common import Message
from bot.cadence.kinds import DueOccurrence, local_day, register_kind
from bot.cadence.service import calendar_of
from bot.esp import rules, service
from models import Cadence, ChecklistItem, Delivery, EspObligation, EspProgram, Touchpoint

ANNUAL_PROGRAM_CHECKLIST = service.ANNUAL_CHECKLIST


def period_label(session: Session, *, team_id: str, period: str, day: date) -> str:
    """ "FY27-Q1" for quarterly obligations, "FY27" for annual ones, "" otherwise."""
    calendar = calendar_of(session, team_id=team_id)
    if period == "quarterly":
        return calendar.quarter_of(day).label
    if period == "annually":
        return f"FY{calendar.year_of(day) % 100:02d}"
    return ""


def audience(session: Session, *, program: EspProgram, who: str) -> list[str]:
    """Slack ids (or the program channel) an obligation goes to."""
    sponsorships = service.active_sponsorships(session, team_id=program.team_id)
    team = [uid for a in service.accounts(session, team_id=program.team_id) for uid in (a.csm_id, a.ae_id, a.sa_id)]
    sponsors = [s.sponsor_id for s, _a in sponsorships]
    return {
        "program_manager": [program.program_manager_id],
        "account_teams": [uid for uid in team if uid],
        "sponsors": sponsors,
        "account_teams_and_sponsors": [uid for uid in team if uid] + sponsors,
        "e_group": [program.channel_id],
        "channel": [program.channel_id],
    }.get(who, [program.channel_id])


class ObligationNudge:
    """One line of the operating cadence: its audience; per-account lines bring the period's checklists."""

    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        """The obligation's audience, creating this period's checklists first so the nudge can show them."""
        obligation = session.get(EspObligation, due.subject_id)
        program = session.scalar(select(EspProgram).where(EspProgram.team_id == due.team_id))
        if obligation is None or program is None or not obligation.enabled:
            return []
        cadence = session.get(Cadence, due.cadence_id)
        assert cadence is not None
        day = local_day(cadence, due.occurrence_at)
        label = period_label(session, team_id=due.team_id, period=obligation.period, day=day)
        if obligation.per_account:
            for account in service.accounts(session, team_id=due.team_id):
                service.ensure_checklist(
                    session, team_id=due.team_id, account=account, period_kind=obligation.period, period_label=label
                )
        if obligation.key in rules.PROGRAM_MANAGER_CHECKLIST_KEYS:
            ensure_program_checklist(session, program=program, label=label)
        return audience(session, program=program, who=obligation.audience)

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """The obligation, and for per-account lines the recipient's accounts' checklist items with tick buttons."""
        obligation = session.get(EspObligation, cadence.subject_id)
        assert obligation is not None
        day = local_day(cadence, delivery.occurrence_at)
        label = period_label(session, team_id=cadence.team_id, period=obligation.period, day=day)
        checklists = (
            checklists_for(session, team_id=cadence.team_id, recipient=delivery.target, label=label)
            if (obligation.per_account)
            else []
        )
        program_items = (
            program_checklist(session, team_id=cadence.team_id, label=label)
            if (obligation.key in rules.PROGRAM_MANAGER_CHECKLIST_KEYS)
            else []
        )
        return esp_blocks.obligation_nudge(
            obligation, period=label, checklists=checklists, program_items=program_items, late=delivery.late
        )


def ensure_program_checklist(session: Session, *, program: EspProgram, label: str) -> None:
    """The program manager's start-of-year checklist (reassess tier-1 accounts and the mapping, …), once a year (two
    nudges at once make one: each item's insert ignores the unique key)."""
    if service.checklist_items(
        session, team_id=program.team_id, program=ANNUAL_PROGRAM_CHECKLIST, subject_id=program.id, period=label
    ):
        return
    for position, (key, text) in enumerate(rules.annual_checklist_items()):
        service.insert_checklist_item(
            session,
            team_id=program.team_id,
            program=ANNUAL_PROGRAM_CHECKLIST,
            subject_id=program.id,
            period=label,
            key=key,
            text=text,
            position=position,
        )


def program_checklist(session: Session, *, team_id: str, label: str) -> list[ChecklistItem]:
    """The program manager's checklist for a fiscal year."""
    return list(
        session.scalars(
            select(ChecklistItem)
            .where(
                ChecklistItem.team_id == team_id,
                ChecklistItem.program == ANNUAL_PROGRAM_CHECKLIST,
                ChecklistItem.period == label,
            )
            .order_by(ChecklistItem.position)
        )
    )


def checklists_for(
    session: Session, *, team_id: str, recipient: str, label: str
) -> list[tuple[str, list[ChecklistItem]]]:
    """(account name, its items for the period) for the accounts a recipient works on; every account for a channel."""
    sponsorships = service.active_sponsorships(session, team_id=team_id)
    result = []
    for account in service.accounts(session, team_id=team_id):
        involved = recipient in (account.csm_id, account.ae_id, account.sa_id) or any(
            s.sponsor_id == recipient and a.id == account.id for s, a in sponsorships
        )
        if not (involved or recipient.startswith(("C", "G"))):
            continue
        items = list(
            session.scalars(
                select(ChecklistItem)
                .where(
                    ChecklistItem.team_id == team_id,
                    ChecklistItem.program == service.PROGRAM,
                    ChecklistItem.subject_id == account.id,
                    ChecklistItem.period == label,
                )
                .order_by(ChecklistItem.position)
            )
        )
        if items:
            result.append((account.name, items))
    return result


def checklists_now(
    session: Session, *, team_id: str, user_id: str, today: date, account: str | None
) -> list[tuple[str, list[tuple[str, list[ChecklistItem]]]]]:
    """`/esp checklist`: this fiscal quarter's and year's checklists per account (one account when named), with the
    program manager's own yearly checklist first when they ask."""
    program = service.program_of(session, team_id=team_id)
    periods = []
    for period in ("quarterly", "annually"):
        label = period_label(session, team_id=team_id, period=period, day=today)
        lists = checklists_for(session, team_id=team_id, recipient=program.channel_id, label=label)
        if account:
            lists = [(name, items) for name, items in lists if name.lower() == account.strip().lower()]
        if period == "annually" and user_id == program.program_manager_id:
            lists = [("Program manager", program_checklist(session, team_id=team_id, label=label)), *lists]
        periods.append((label, [(name, items) for name, items in lists if items]))
    return periods


class TouchpointWatch:
    """Daily: from three weeks before the fiscal quarter (year) ends, once per quarter (year), each sponsor with
    an account lacking a touchpoint (a face-to-face meeting) gets one DM listing those accounts."""

    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        """Sponsors to remind today, marking the quarter/year as reminded in the claim's transaction."""
        program = session.get(EspProgram, due.subject_id)
        cadence = session.get(Cadence, due.cadence_id)
        if program is None or cadence is None:
            return []
        gaps = touchpoint_gaps(session, program=program, day=local_day(cadence, due.occurrence_at), claim=True)
        return sorted({sponsor for key in ("quarterly", "annual") for sponsor in gaps.get(key, {})})

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """One DM: the sponsor's accounts still without a touchpoint this quarter (and face-to-face this year)."""
        program = session.get(EspProgram, cadence.subject_id)
        assert program is not None
        gaps = touchpoint_gaps(session, program=program, day=local_day(cadence, delivery.occurrence_at), claim=False)
        return esp_blocks.touchpoint_reminder(
            quarterly=gaps.get("quarterly", {}).get(delivery.target, []),
            face_to_face=gaps.get("annual", {}).get(delivery.target, []),
            quarter_end=gaps.get("quarter_end"),
            year_end=gaps.get("year_end"),
        )


def touchpoint_gaps(session: Session, *, program: EspProgram, day: date, claim: bool) -> dict:
    """What is missing today: {"quarterly": {sponsor: [accounts]}, "annual": {...}}; with `claim`, only the reminders
    not yet sent for this quarter/year, and they are marked sent."""
    calendar = calendar_of(session, team_id=program.team_id)
    quarter = calendar.quarter_of(day)
    year_start = calendar.year_start(day)
    year_end = calendar.quarter(quarter.fy, 4).end
    pairs = [(s.sponsor_id, a.name, a.id) for s, a in service.active_sponsorships(session, team_id=program.team_id)]
    touches = [
        (t.account_id, t.kind, t.happened_on)
        for t in session.scalars(
            select(Touchpoint).where(Touchpoint.team_id == program.team_id, Touchpoint.happened_on >= year_start)
        )
    ]
    gaps: dict = {"quarter_end": quarter.end, "year_end": year_end}
    quarter_due = day >= rules.touchpoint_due_date(quarter)
    if quarter_due and (not claim or program.touchpoints_reminded_for != quarter.label):
        gaps["quarterly"] = rules.missing_touchpoints(pairs, touches, start=quarter.start, end=quarter.end, kinds=None)
        if claim:
            program.touchpoints_reminded_for = quarter.label
    year_label = f"FY{quarter.fy % 100:02d}"
    year_due = day >= rules.face_to_face_due_date(year_end)
    if year_due and (not claim or program.face_to_face_reminded_for != year_label):
        gaps["annual"] = rules.missing_touchpoints(
            pairs, touches, start=year_start, end=year_end, kinds={"face-to-face"}
        )
        if claim:
            program.face_to_face_reminded_for = year_label
    return {k: v for k, v in gaps.items() if not isinstance(v, dict) or v}


register_kind(service.OBLIGATION, ObligationNudge())
register_kind(service.TOUCHPOINT_WATCH, TouchpointWatch())
