"""ESP nudges on the shared cadence engine: each person hears from the program at most once a day.

Every operating-cadence line keeps its own cadence, which says when it is due. Lines for the program's channel (the
forums) are posted there at their time. Lines for people are not posted one by one: each person gets one digest a
day on the program's daily cadence, with everything due for them that day, each obligation once (a line for four
accounts is one heading with a Done button per account), and, from three weeks before a fiscal quarter (year) ends,
the accounts still missing a touchpoint.

One digest a day rests on the engine's own key, (cadence, occurrence, target): a digest is a delivery of the daily
cadence, and every path that makes one uses that day's occurrence of it. The daily claim makes the digests of
everyone with something due; a line due earlier than the daily time makes its people's digests when it is claimed
(the daily claim then finds them made), so nobody waits, and two claims, ticks or processes make one row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from bot.blocks.common import Message
from bot.cadence.dispatcher import LATE_AFTER, insert_ignoring_duplicates
from bot.cadence.kinds import DueOccurrence, local_day, register_kind
from bot.cadence.rules import from_dict, latest_due, next_after
from bot.cadence.service import calendar_of
from bot.cadence.views import ProgramNudge
from bot.esp import blocks as esp_blocks
from bot.esp import rules, service
from bot.esp.views import DigestLine, PeriodChecklist
from models import (
    Cadence,
    CadenceStatus,
    ChecklistItem,
    Delivery,
    EspAccount,
    EspAudience,
    EspObligation,
    EspPeriod,
    EspProgram,
    Sponsorship,
    Touchpoint,
)

ANNUAL_PROGRAM_CHECKLIST = service.ANNUAL_CHECKLIST
# A digest catches up lines missed since the person's previous digest (downtime), at most this far back.
CATCH_UP = timedelta(days=35)
CHECKLIST_PERIODS = (EspPeriod.QUARTERLY, EspPeriod.ANNUALLY)


def members(session: Session, *, program: EspProgram) -> dict[str, dict[str, list[EspAccount]]]:
    """Audience → person → the active accounts the line is about for them (none for the program manager)."""
    active = service.accounts(session, team_id=program.team_id)
    team: dict[str, list[EspAccount]] = {}
    for account in active:
        for user_id in dict.fromkeys(filter(None, (account.csm_id, account.ae_id, account.sa_id))):
            team.setdefault(user_id, []).append(account)
    sponsored: dict[str, list[EspAccount]] = {}
    active_ids = {account.id for account in active}
    for sponsorship, account in service.active_sponsorships(session, team_id=program.team_id):
        if account.id in active_ids:
            sponsored.setdefault(sponsorship.sponsor_id, []).append(account)
    both: dict[str, list[EspAccount]] = {}
    for user_id in dict.fromkeys([*team, *sponsored]):
        mine = {a.id for a in team.get(user_id, []) + sponsored.get(user_id, [])}
        both[user_id] = [account for account in active if account.id in mine]
    return {
        EspAudience.PROGRAM_MANAGER: {program.program_manager_id: []},
        EspAudience.ACCOUNT_TEAMS: team,
        EspAudience.SPONSORS: sponsored,
        EspAudience.ACCOUNT_TEAMS_AND_SPONSORS: both,
    }


def program_for(session: Session, team_id: str) -> EspProgram | None:
    """The workspace's program, or None."""
    return session.scalar(select(EspProgram).where(EspProgram.team_id == team_id))


def digest_cadence(session: Session, *, program: EspProgram) -> Cadence | None:
    """The program's daily cadence, whose deliveries are the digests."""
    return session.scalar(
        select(Cadence).where(
            Cadence.team_id == program.team_id, Cadence.kind == service.DIGEST, Cadence.subject_id == program.id
        )
    )


def digest_occurrence(digest: Cadence, day: date) -> datetime:
    """The daily cadence's occurrence on local `day`: the key every digest of that day is stored under."""
    rule = from_dict(digest.rule)
    midnight = datetime.combine(day, time(0), tzinfo=ZoneInfo(rule.timezone))
    return next_after(rule, midnight - timedelta(microseconds=1))


# ----------------------------------------------------------------------------- what is due for a person


@dataclass(frozen=True, slots=True)
class Due:
    """An obligation due for a person: its latest occurrence in the digest's window."""

    obligation: EspObligation
    cadence: Cadence
    occurrence: datetime
    accounts: list[EspAccount]


def people_lines(session: Session, *, program: EspProgram) -> list[tuple[EspObligation, Cadence]]:
    """The live operating-cadence lines that reach people (not the channel)."""
    rows = []
    for obligation, cadence in service.obligations(session, team_id=program.team_id):
        if cadence is None or not obligation.enabled or cadence.status != CadenceStatus.ACTIVE:
            continue
        if obligation.audience not in rules.CHANNEL_AUDIENCES:
            rows.append((obligation, cadence))
    return rows


def window_start(session: Session, *, program: EspProgram, digest: Cadence, person: str, key: datetime) -> date:
    """The first day a digest keyed `key` covers: the day after the person's previous digest, or the day the
    program started; never more than CATCH_UP back."""
    zone = ZoneInfo(from_dict(digest.rule).timezone)
    day = key.astimezone(zone).date()
    previous = session.scalar(
        select(func.max(Delivery.occurrence_at)).where(
            Delivery.cadence_id == digest.id, Delivery.target == person, Delivery.occurrence_at < key
        )
    )
    since = (
        previous.astimezone(zone).date() + timedelta(days=1) if previous else program.created_at.astimezone(zone).date()
    )
    return max(since, day - CATCH_UP)


def due_for(
    session: Session,
    *,
    program: EspProgram,
    digest: Cadence,
    person: str,
    key: datetime,
    audiences: dict[str, dict[str, list[EspAccount]]] | None = None,
    lines: list[tuple[EspObligation, Cadence]] | None = None,
) -> list[Due]:
    """The lines due for `person` in the digest keyed `key`: each line whose latest occurrence falls between the
    window's first day and the end of the digest's day (in the line's zone), once. `audiences` and `lines` save a
    caller asking for many people the same queries."""
    zone = ZoneInfo(from_dict(digest.rule).timezone)
    day = key.astimezone(zone).date()
    since = window_start(session, program=program, digest=digest, person=person, key=key)
    audiences = audiences if audiences is not None else members(session, program=program)
    found = []
    for obligation, cadence in lines if lines is not None else people_lines(session, program=program):
        mine = audiences.get(obligation.audience, {})
        if person not in mine:
            continue
        rule = from_dict(cadence.rule)
        line_zone = ZoneInfo(rule.timezone)
        start = datetime.combine(since, time(0), tzinfo=line_zone) - timedelta(microseconds=1)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=line_zone) - timedelta(microseconds=1)
        occurrence = latest_due(rule, end, since=start)
        if occurrence is not None:
            found.append(Due(obligation, cadence, occurrence, mine[person]))
    return found


def digest_lines(
    session: Session, *, program: EspProgram, due: list[Due], ensure: bool, today: date | None = None
) -> list[DigestLine]:
    """The digest's lines, each obligation once with its Done rows; with `ensure`, the rows' checklist items are
    made first (at the claim, so the message only reads them). A weekly line caught up from before `today` (the
    digest's day) says when it was due."""
    calendar = calendar_of(session, team_id=program.team_id)
    lines: list[DigestLine] = []
    yearly: DigestLine | None = None
    for entry in due:
        obligation, rule = entry.obligation, from_dict(entry.cadence.rule)
        day = entry.occurrence.astimezone(ZoneInfo(rule.timezone)).date()
        kind, key, shown = rules.period_of(rule.frequency, day, calendar)
        if kind == EspPeriod.WEEKLY:
            shown = "" if today is None or day == today else f"due {day:%a %-d %b}"
        if obligation.audience == EspAudience.PROGRAM_MANAGER:
            if obligation.key in rules.PROGRAM_MANAGER_YEARLY_KEYS and kind == EspPeriod.ANNUALLY:
                if yearly is None:
                    yearly = _yearly_checklist(session, program=program, label=key, ensure=ensure)
                    lines.append(yearly)
                yearly.covers.append(obligation.text)
                continue
            item = _item(session, program=program, program_key=ANNUAL_PROGRAM_CHECKLIST, subject_id=program.id,
                         period=key, obligation=obligation, ensure=ensure)  # fmt: skip
            rows: list[tuple[str, ChecklistItem | None]] = [("", item)]
        else:
            rows = [
                (
                    account.name,
                    _account_item(
                        session, account=account, kind=kind, period=key, obligation=obligation, ensure=ensure
                    ),
                )  # fmt: skip
                for account in entry.accounts
            ]
        lines.append(DigestLine(obligation.text, shown, obligation.key, rows, [obligation.text]))
    return lines


def _yearly_checklist(session: Session, *, program: EspProgram, label: str, ensure: bool) -> DigestLine:
    """The program manager's start-of-year checklist as one digest line."""
    if ensure:
        ensure_program_checklist(session, program=program, label=label)
    items = [i for i in program_checklist(session, team_id=program.team_id, label=label) if "." not in i.key]
    rows: list[tuple[str, ChecklistItem | None]] = [(i.text, i) for i in items]
    return DigestLine("Program manager checklist: the yearly review", label, "annually.review", rows, accounts=False)


def _account_item(
    session: Session, *, account: EspAccount, kind: EspPeriod, period: str, obligation: EspObligation, ensure: bool
) -> ChecklistItem | None:
    """The account's item for this line and period: from the account's quarter (year) checklist when the line is on
    it, else an item of its own."""
    if kind in CHECKLIST_PERIODS and obligation.key in dict(rules.account_checklist(kind)):
        if ensure:
            service.ensure_checklist(
                session, team_id=account.team_id, account=account, period_kind=kind, period_label=period
            )
        return _find(session, account.team_id, service.PROGRAM, account.id, period, obligation.key)
    return _item(session, program_key=service.PROGRAM, subject_id=account.id, period=period, obligation=obligation,
                 ensure=ensure, team_id=account.team_id)  # fmt: skip


def _item(
    session: Session,
    *,
    program_key: str,
    subject_id: int,
    period: str,
    obligation: EspObligation,
    ensure: bool,
    program: EspProgram | None = None,
    team_id: str | None = None,
) -> ChecklistItem | None:
    """A line's own item for a period (unique on program, subject, period and key: two claims make one)."""
    team = team_id or (program.team_id if program else obligation.team_id)
    if ensure:
        service.insert_checklist_item(
            session, team_id=team, program=program_key, subject_id=subject_id, period=period,
            key=obligation.key, text=obligation.text, position=100,
        )  # fmt: skip
    return _find(session, team, program_key, subject_id, period, obligation.key)


def _find(session: Session, team_id: str, program: str, subject_id: int, period: str, key: str) -> ChecklistItem | None:
    return session.scalar(
        select(ChecklistItem).where(
            ChecklistItem.team_id == team_id,
            ChecklistItem.program == program,
            ChecklistItem.subject_id == subject_id,
            ChecklistItem.period == period,
            ChecklistItem.key == key,
        )
    )


def queue_digests(session: Session, *, program: EspProgram, people: list[str], now: datetime, late: bool) -> list[str]:
    """Make today's digest of each person with something due (in the claim's transaction); a digest already made
    today is left as it is (the engine's unique key). Returns the people queued; without a daily cadence, none."""
    digest = digest_cadence(session, program=program)
    if digest is None or digest.status != CadenceStatus.ACTIVE:
        return []
    key = digest_occurrence(digest, now.astimezone(ZoneInfo(from_dict(digest.rule).timezone)).date())
    audiences, lines = members(session, program=program), people_lines(session, program=program)
    queued = []
    for person in people:
        due = due_for(session, program=program, digest=digest, person=person, key=key, audiences=audiences, lines=lines)
        if not due:
            continue
        digest_lines(session, program=program, due=due, ensure=True)
        queued.append(person)
    if queued:
        rows = [
            {
                "team_id": program.team_id,
                "cadence_id": digest.id,
                "occurrence_at": key,
                "target": person,
                "late": late,
                "not_before": now,
            }  # fmt: skip
            for person in queued
        ]
        session.execute(insert_ignoring_duplicates(session), rows)
    return queued


# ----------------------------------------------------------------------------- the kinds


class ObligationNudge:
    """One line of the operating cadence: channel lines post at their time; people's lines go in their digest."""

    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        """The program channel for channel lines; for people's lines, their digests are made here and the line posts
        nothing of its own. The period's checklists are made first, for every account."""
        obligation = session.get(EspObligation, due.subject_id)
        program = program_for(session, due.team_id)
        if obligation is None or program is None or not obligation.enabled:
            return []
        # Claims of one workspace's lines take turns (two dispatchers would otherwise make the same checklist items
        # and digests in different orders, which PostgreSQL can only end by aborting one of them).
        service.lock_program(session, program)
        cadence = session.get(Cadence, due.cadence_id)
        assert cadence is not None
        rule = from_dict(cadence.rule)
        kind, label, _shown = rules.period_of(
            rule.frequency, local_day(cadence, due.occurrence_at), calendar_of(session, team_id=due.team_id)
        )
        if obligation.per_account and kind in CHECKLIST_PERIODS:
            for account in service.accounts(session, team_id=due.team_id):
                service.ensure_checklist(
                    session, team_id=due.team_id, account=account, period_kind=kind, period_label=label
                )
        if obligation.key in rules.PROGRAM_MANAGER_CHECKLIST_KEYS and kind == EspPeriod.ANNUALLY:
            ensure_program_checklist(session, program=program, label=label)
        if obligation.audience in rules.CHANNEL_AUDIENCES:
            return [program.channel_id]
        people = sorted(members(session, program=program).get(obligation.audience, {}))
        if digest_cadence(session, program=program) is None:
            return people  # a program set up without its daily cadence: the line goes out on its own
        late = due.now - due.occurrence_at > LATE_AFTER
        queue_digests(session, program=program, people=people, now=due.now, late=late)
        return []

    def people(self, session: Session, cadence: Cadence) -> list[str]:
        """The sponsors, then the account teams, of the active accounts: a channel line (the forum) names those of
        them who are away, as the ones the forum is for. One query."""
        rows = session.execute(
            select(Sponsorship.sponsor_id, EspAccount.csm_id, EspAccount.ae_id, EspAccount.sa_id)
            .outerjoin(
                Sponsorship,
                and_(
                    Sponsorship.account_id == EspAccount.id,
                    Sponsorship.team_id == EspAccount.team_id,
                    Sponsorship.ended_on.is_(None),
                ),
            )
            .where(EspAccount.team_id == cadence.team_id, EspAccount.active.is_(True))
            .order_by(EspAccount.tier, EspAccount.name, Sponsorship.id)
        ).all()
        sponsors = [row.sponsor_id for row in rows]
        teams = [uid for row in rows for uid in (row.csm_id, row.ae_id, row.sa_id)]
        return list(dict.fromkeys(uid for uid in [*sponsors, *teams] if uid))

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """The line, and for per-account lines the recipient's accounts' checklist items with tick buttons."""
        obligation = session.get(EspObligation, cadence.subject_id)
        assert obligation is not None
        rule = from_dict(cadence.rule)
        _kind, label, _shown = rules.period_of(
            rule.frequency, local_day(cadence, delivery.occurrence_at), calendar_of(session, team_id=cadence.team_id)
        )
        checklists = (
            checklists_for(session, team_id=cadence.team_id, recipient=delivery.target, label=label)
            if obligation.per_account
            else []
        )
        program_items = (
            program_checklist(session, team_id=cadence.team_id, label=label)
            if (obligation.key in rules.PROGRAM_MANAGER_CHECKLIST_KEYS)
            else []
        )
        return esp_blocks.obligation_nudge(
            obligation,
            period=label if _kind in CHECKLIST_PERIODS else "",
            rule_label=rules.rule_period(rule),
            checklists=checklists,
            program_items=program_items,
            late=delivery.late,
        )


class DailyDigest:
    """Daily: each person with something due today gets one digest; from three weeks before the fiscal quarter
    (year) ends, once per quarter (year), each sponsor with an account lacking a touchpoint (a face-to-face
    meeting) gets one too, and every digest of theirs until then lists those accounts."""

    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        """Everyone with something due today, and the sponsors to remind of touchpoints (marking the quarter/year
        as reminded in the claim's transaction); each one's checklist items are made here."""
        program = session.get(EspProgram, due.subject_id)
        cadence = session.get(Cadence, due.cadence_id)
        if program is None or cadence is None:
            return []
        if local_day(cadence, due.occurrence_at) < local_day(cadence, due.now):
            # A day missed while Cadence was down: today's digest catches up everything since the person's last
            # one (window_start), so a digest for the missed day would only say it all a second time.
            return []
        service.lock_program(session, program)  # as the lines' claims do: one workspace's claims take turns
        gaps = touchpoint_gaps(session, program=program, day=local_day(cadence, due.occurrence_at), claim=True)
        reminded = {sponsor for key in ("quarterly", "annual") for sponsor in gaps.get(key, {})}
        audiences, lines = members(session, program=program), people_lines(session, program=program)
        everyone = {person for by_person in audiences.values() for person in by_person}
        with_lines = set()
        for person in sorted(everyone):
            found = due_for(
                session, program=program, digest=cadence, person=person, key=due.occurrence_at,
                audiences=audiences, lines=lines,
            )  # fmt: skip
            if found:
                digest_lines(session, program=program, due=found, ensure=True)
                with_lines.add(person)
        return sorted(reminded | with_lines)

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """One DM: every line due for the person today with its Done buttons, then accounts missing a touchpoint."""
        program = session.get(EspProgram, cadence.subject_id)
        assert program is not None
        day = local_day(cadence, delivery.occurrence_at)
        found = due_for(session, program=program, digest=cadence, person=delivery.target, key=delivery.occurrence_at)
        gaps = touchpoint_gaps(session, program=program, day=day, claim=False)
        return esp_blocks.digest_message(
            day=day,
            lines=digest_lines(session, program=program, due=found, ensure=False, today=day),
            quarterly=gaps.get("quarterly", {}).get(delivery.target, []),
            face_to_face=gaps.get("annual", {}).get(delivery.target, []),
            quarter_end=gaps.get("quarter_end"),
            year_end=gaps.get("year_end"),
            late=delivery.late,
        )


# ----------------------------------------------------------------------------- checklists


def ensure_program_checklist(session: Session, *, program: EspProgram, label: str) -> None:
    """The program manager's start-of-year checklist (reassess tier-1 accounts and the mapping, …), once a year."""
    service.ensure_checklist_items(
        session,
        team_id=program.team_id,
        program=ANNUAL_PROGRAM_CHECKLIST,
        subject_id=program.id,
        period=label,
        template=rules.annual_checklist_items(),
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
            .order_by(ChecklistItem.position, ChecklistItem.id)
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
        items = service.checklist_items(
            session, team_id=team_id, program=service.PROGRAM, subject_id=account.id, period=label
        )
        if items:
            result.append((account.name, items))
    return result


def checklists_now(
    session: Session, *, team_id: str, user_id: str, now: datetime, today: date, account: str | None
) -> list[PeriodChecklist]:
    """`/esp checklist`: this fiscal quarter's and year's checklists per account (one account when named; raises
    UserError for an unknown one), with the program manager's own yearly checklist first when they ask. Once the
    period's first checklist nudge has gone, an account without a list (added since) gets it now."""
    program = service.program_of(session, team_id=team_id)
    named = service.account_named(session, team_id=team_id, name=account) if account else None
    chosen = [named] if named else service.accounts(session, team_id=team_id)
    calendar = calendar_of(session, team_id=team_id)
    periods = []
    for period in CHECKLIST_PERIODS:
        label = rules.period_of(period, today, calendar)[1]  # each period is named as the frequency that brings it
        started, comes_at, off = _period_nudges(session, team_id=team_id, period=period, label=label, now=now)
        lists, waiting = [], []
        for acct in chosen:
            items = service.checklist_items(
                session, team_id=team_id, program=service.PROGRAM, subject_id=acct.id, period=label
            )
            if not items and started and acct.active:
                items = service.ensure_checklist(
                    session, team_id=team_id, account=acct, period_kind=period, period_label=label
                )
            if items:
                lists.append((acct.name, items))
            else:
                waiting.append(acct.name)
        if period == EspPeriod.ANNUALLY and user_id == program.program_manager_id and not named:
            mine = program_checklist(session, team_id=team_id, label=label)
            if mine:
                lists.insert(0, ("Program manager", mine))
        periods.append(PeriodChecklist(label, lists, waiting, None if started else comes_at, off))
    return periods


def _period_nudges(
    session: Session, *, team_id: str, period: EspPeriod, label: str, now: datetime
) -> tuple[bool, datetime | None, bool]:
    """For the per-account lines of a period: (whether one has fired in the period `label`, when the next fires, and
    whether they are all off)."""
    calendar = calendar_of(session, team_id=team_id)
    started, upcoming, live = False, [], False
    for obligation, cadence in service.obligations(session, team_id=team_id):
        if cadence is None or not obligation.per_account:
            continue
        rule = from_dict(cadence.rule)
        if rules.period_of(rule.frequency, now.date(), calendar)[0] != period:
            continue
        if not obligation.enabled or cadence.status != CadenceStatus.ACTIVE:
            continue
        live = True
        last = latest_due(rule, now, since=now - timedelta(days=370))
        if last is not None:
            day = last.astimezone(ZoneInfo(rule.timezone)).date()
            started = started or rules.period_of(rule.frequency, day, calendar)[1] == label
        upcoming.append(cadence.next_run_at or next_after(rule, now))
    return started, min(upcoming, default=None), not live


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
            pairs, touches, start=year_start, end=year_end, kinds=rules.ANNUAL_TOUCHPOINT_KINDS
        )
        if claim:
            program.face_to_face_reminded_for = year_label
    return {k: v for k, v in gaps.items() if not isinstance(v, dict) or v}


register_kind(
    service.OBLIGATION,
    ObligationNudge(),
    listing=ProgramNudge(
        "executive sponsorship",
        "to the line's audience: the program channel, or in each person's daily digest (account teams, sponsors, "
        "the program manager)",
        "`/esp cadence` lists the operating cadence, who each line is for, and changes a line.",
    ),
)
register_kind(
    service.DIGEST,
    DailyDigest(),
    listing=ProgramNudge(
        "executive sponsorship",
        "one digest a day to each person with a line due, and to each sponsor with an account missing its "
        "touchpoint near the quarter's end",
        "`/esp cadence` changes the lines it gathers; `/esp touchpoint` logs a touchpoint.",
    ),
)
