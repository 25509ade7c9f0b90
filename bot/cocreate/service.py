"""Co-create services: the program, prospects, the outreach checklist and its outcome.

Session first, keyword-only, team-scoped, audited; UserError / PermissionDenied for what users can fix.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from bot import audit
from bot.cadence.rules import Frequency, Recurrence
from bot.cadence.service import add_program_cadence, calendar_of
from bot.cocreate import rules, standing  # standing: also its flush listener, which keeps rows' rank and stage
from bot.db import insert_or_ignore, lock_row
from bot.errors import PermissionDenied, UserError
from bot.fiscal import FiscalQuarter
from bot.permissions import Actor, check_program_manager
from bot.text import escape
from models import (
    AuditEvent,
    CocreateProgram,
    Contribution,
    OutreachStep,
    Prospect,
    ProspectOutcome,
    StepState,
)

SETUP_USAGE = "`/cocreate setup #co-create manager @someone` sets the program up."


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    subject: CocreateProgram | Prospect | OutreachStep,
    now: datetime,
    **detail: object,
) -> None:
    """One audit row for a change to the program, a prospect or a step, in the subject's workspace."""
    audit.record(
        session,
        team_id=subject.team_id,
        actor_id=actor.user_id,
        action=action,
        subject_type=type(subject).__tablename__,
        subject_id=subject.id,
        at=now,
        **detail,
    )


def program_of(session: Session, *, team_id: str) -> CocreateProgram:
    """The workspace's co-create program; raises UserError until `/cocreate setup`."""
    program = session.scalar(select(CocreateProgram).where(CocreateProgram.team_id == team_id))
    if program is None:
        raise UserError("Co-create isn't set up in this workspace yet.", SETUP_USAGE)
    return program


def check_manager(actor: Actor, program: CocreateProgram, what: str) -> None:
    """Targets, weights and other people's steps: the program manager or a workspace admin; raises PermissionDenied."""
    check_program_manager(actor, manager_id=program.manager_id, what=what)


def setup_program(
    session: Session, *, team_id: str, actor: Actor, channel_id: str, manager_id: str, timezone: str, now: datetime
) -> tuple[CocreateProgram, bool]:
    """Set the home channel and program manager; returns (program, created). The first set-up names the manager;
    after that only the manager or a workspace admin changes it (raises PermissionDenied). Two first set-ups at once
    make one program: the insert ignores the unique team, and the later one is a change by whoever sent it."""
    program = session.scalar(select(CocreateProgram).where(CocreateProgram.team_id == team_id))
    values = {
        "team_id": team_id,
        "channel_id": channel_id,
        "manager_id": manager_id,
        "timezone": timezone,
        "targets": {},
        "weights": {},
        "resources": [],
        "created_at": now,
    }
    created = program is None and insert_or_ignore(session, CocreateProgram, values, conflict=["team_id"])
    program = session.scalars(
        select(CocreateProgram).where(CocreateProgram.team_id == team_id).execution_options(populate_existing=True)
    ).one()
    if created:
        install_cadences(session, program=program, actor_id=actor.user_id, now=now)
        record(session, actor=actor, action="cocreate.setup", subject=program, now=now)
        return program, True
    check_manager(actor, program, "change the program's set-up")
    program.channel_id, program.manager_id = channel_id, manager_id
    record(session, actor=actor, action="cocreate.setup_changed", subject=program, now=now)
    return program, False


LATE_STEPS = "cocreate.late_steps"
DIGEST = "cocreate.digest"
BUSINESS_REVIEW = "cocreate.business_review"


def install_cadences(session: Session, *, program: CocreateProgram, actor_id: str, now: datetime) -> None:
    """The daily late-step DMs and the weekly pipeline digest, on the shared engine, in the program's zone."""
    rules_by_kind = {
        LATE_STEPS: (
            "Co-create: late outreach steps",
            Recurrence(Frequency.DAILY, at=time(9, 0), timezone=program.timezone),
        ),
        BUSINESS_REVIEW: (
            "Co-create: quarterly business review",
            Recurrence(
                Frequency.QUARTERLY,
                at=time(10, 0),
                timezone=program.timezone,
                weekday=0,
                ordinal=1,
                fiscal=True,
                year_start_month=calendar_of(session, team_id=program.team_id).start_month,
            ),
        ),
        DIGEST: (
            "Co-create: weekly pipeline digest",
            Recurrence(Frequency.WEEKLY, at=time(9, 0), timezone=program.timezone, weekday=0),
        ),
    }
    for kind, (title, rule) in rules_by_kind.items():
        add_program_cadence(
            session,
            team_id=program.team_id,
            kind=kind,
            subject_id=program.id,
            title=title,
            rule=rule,
            actor_id=actor_id,
            now=now,
        )


def prospect_named(session: Session, *, team_id: str, name: str) -> Prospect:
    """A prospect by organization name (case-insensitive); raises UserError."""
    prospect = session.scalar(
        select(Prospect).where(Prospect.team_id == team_id, func.lower(Prospect.name) == name.strip().lower())
    )
    if prospect is None:
        raise UserError(
            f"There's no prospect *{escape(name[:200])}*.",
            '`/cocreate top` lists them; `/cocreate add "Org"` adds one.',
        )
    return prospect


def add_prospect(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    name: str,
    now: datetime,
    csm_id: str | None = None,
    ae_id: str | None = None,
    sa_id: str | None = None,
) -> Prospect:
    """Anyone may add a prospect; its name is unique in the workspace."""
    program_of(session, team_id=team_id)
    exists = session.scalar(
        select(Prospect.id).where(Prospect.team_id == team_id, func.lower(Prospect.name) == name.strip().lower())
    )
    if exists is not None:
        raise UserError(f"*{escape(name[:200])}* is already a prospect.", f'`/cocreate score "{escape(name[:200])}"`')
    values = {
        "team_id": team_id,
        "name": name.strip(),
        "csm_id": csm_id,
        "ae_id": ae_id,
        "sa_id": sa_id,
        "created_by": actor.user_id,
        "created_at": now,
    }
    # The same organization added by two people at once: the unique (team, name) keeps the first.
    if not insert_or_ignore(session, Prospect, values, conflict=["team_id", "name"]):
        raise UserError(f"*{escape(name[:200])}* is already a prospect.", f'`/cocreate score "{escape(name[:200])}"`')
    prospect = prospect_named(session, team_id=team_id, name=name)
    standing.rank(prospect, standing.weights_for(session, team_id))  # inserted past the flush listener
    record(session, actor=actor, action="cocreate.prospect_added", subject=prospect, now=now, name=name)
    return prospect


def start_outreach(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    prospect: Prospect,
    channel_id: str | None,
    today: date,
    now: datetime,
) -> Prospect:
    """Create the prospect's checklist: the seed's steps in order, owned by its CSM (or the starter), with due dates."""
    check_not_started(prospect)
    # Two starts at once: the first to mark the row started creates the steps; the later one is told.
    claimed = session.execute(
        update(Prospect)
        .where(Prospect.id == prospect.id, Prospect.outreach_started_on.is_(None))
        .values(outreach_started_on=today)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(prospect)
    if claimed != 1:
        check_not_started(prospect)
        raise UserError(f"Outreach to *{escape(prospect.name)}* has already started.")
    owner = prospect.csm_id or actor.user_id
    due = rules.default_due_dates(today)
    prospect.steps = [
        OutreachStep(team_id=team_id, position=position, key=str(spec.key), owner_id=owner, due_on=due[spec.key])
        for position, spec in enumerate(rules.STEPS)
    ]
    prospect.outreach_started_on, prospect.outreach_channel_id = today, channel_id
    prospect.outcome = ProspectOutcome.OPEN
    session.flush()
    record(session, actor=actor, action="cocreate.outreach_started", subject=prospect, now=now)
    return prospect


def check_not_started(prospect: Prospect) -> None:
    """Outreach starts once; raises UserError pointing at its checklist when it has."""
    if prospect.steps:
        raise UserError(
            f"Outreach to *{escape(prospect.name)}* has already started.",
            f'`/cocreate steps "{escape(prospect.name)}"` shows its checklist.',
        )


def step_of(prospect: Prospect, key: str) -> OutreachStep:
    """The prospect's step with this key; raises UserError when outreach has not started."""
    for step in prospect.steps:
        if step.key == key:
            return step
    raise UserError(
        f"Outreach to *{escape(prospect.name)}* hasn't started.",
        f'`/cocreate start "{escape(prospect.name)}"` creates its checklist.',
    )


def step_by_id(session: Session, *, team_id: str, step_id: int) -> OutreachStep:
    """A step by id (buttons carry ids); raises UserError when it is gone."""
    step = session.scalar(select(OutreachStep).where(OutreachStep.id == step_id, OutreachStep.team_id == team_id))
    if step is None:
        raise UserError("That outreach step is gone.")
    return step


def check_may_change_step(session: Session, *, actor: Actor, step: OutreachStep) -> None:
    """A step's owner ticks it; the program manager and admins change anyone's; raises PermissionDenied."""
    if actor.user_id == step.owner_id or actor.is_admin:
        return
    program = program_of(session, team_id=step.team_id)
    if actor.user_id == program.manager_id:
        return
    raise PermissionDenied(
        f"Only the step's owner <@{step.owner_id}>, the program manager <@{program.manager_id}> or a workspace admin "
        "can change it."
    )


def change_step(
    session: Session,
    *,
    actor: Actor,
    step: OutreachStep,
    action: str,
    today: date,
    now: datetime,
    reason: str | None = None,
    due_on: date | None = None,
    owner_id: str | None = None,
    timezone: str = "UTC",
) -> OutreachStep:
    """Done, skip (with a reason), reopen, a new due date or a new owner; who and when recorded on every change.

    The change is a compare-and-set on the step as read (its state, due date and owner): of two presses at once the
    first is recorded and the later one raises UserError saying what happened and by whom (when in `timezone`),
    changing nothing. Raises PermissionDenied for people who may not change the step.
    """
    # "Already done by…" comes first: the later of two presses may have lost the right (a reassign) with the race.
    changes = _step_changes(step, action=action, reason=reason, due_on=due_on, owner_id=owner_id, timezone=timezone)
    check_may_change_step(session, actor=actor, step=step)
    # One prospect's steps change one at a time (PostgreSQL locks its row; SQLite has one writer): its standing is
    # computed from every step as committed, even when two people change two different steps at once.
    session.execute(
        select(Prospect)
        .where(Prospect.id == step.prospect_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    seen = (
        OutreachStep.state == step.state,
        OutreachStep.due_on.is_(None) if step.due_on is None else OutreachStep.due_on == step.due_on,
        OutreachStep.owner_id.is_(None) if step.owner_id is None else OutreachStep.owner_id == step.owner_id,
    )
    moved = session.execute(
        update(OutreachStep)
        .where(OutreachStep.id == step.id, *seen)
        .values(**changes, changed_by=actor.user_id, changed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(step)
    if moved != 1:
        raise UserError(f"{_what_happened(step, action, timezone)}: nothing changed.")
    session.execute(
        select(OutreachStep)
        .where(OutreachStep.prospect_id == step.prospect_id)
        .execution_options(populate_existing=True)
    ).all()
    if action == "done":
        _mark_progress(step.prospect, step.key, today)
    standing.place(step.prospect)  # the step was written past the flush listener, which would not see it
    record(
        session,
        actor=actor,
        action=f"cocreate.step_{action}",
        subject=step,
        now=now,
        step=step.key,
        reason=reason,
        due=due_on.isoformat() if due_on else None,
        owner=owner_id,
    )
    return step


def _step_changes(
    step: OutreachStep,
    *,
    action: str,
    reason: str | None,
    due_on: date | None,
    owner_id: str | None,
    timezone: str,
) -> dict[str, object]:
    """The columns an action writes; raises UserError when it needs something it wasn't given, or when the step is
    already that way (the second of two presses, or a stale message)."""
    state = StepState(step.state)
    if action in ("done", "skip") and state != StepState.OPEN:
        raise UserError(f"{_what_happened(step, action, timezone)}: nothing changed.")
    if action == "done":
        return {"state": StepState.DONE, "skip_reason": None}
    if action == "skip":
        if not (reason or "").strip():
            raise UserError("Say why the step is skipped.", '`/cocreate step "Acme" follow-up skip "they replied"`')
        return {"state": StepState.SKIPPED, "skip_reason": reason.strip()}
    if action == "reopen":
        if state == StepState.OPEN:
            raise UserError(f"{_what_happened(step, action, timezone)}: nothing changed.")
        return {"state": StepState.OPEN, "skip_reason": None}
    if action == "due":
        if due_on is None:
            raise UserError("Pick the new due date.", '`/cocreate step "Acme" meeting due friday`')
        if due_on == step.due_on:
            raise UserError(f"{_what_happened(step, action, timezone)}: nothing changed.")
        return {"due_on": due_on}
    if action == "reassign":
        if owner_id is None:
            raise UserError("Pick the new owner.", '`/cocreate step "Acme" meeting reassign @sam`')
        if owner_id == step.owner_id:
            raise UserError(f"{_what_happened(step, action, timezone)}: nothing changed.")
        return {"owner_id": owner_id}
    raise UserError(f"I don't know how to {escape(action[:40])} a step.")


def _what_happened(step: OutreachStep, action: str, timezone: str) -> str:
    """The step as it stands, for the second of two presses: "Already done by <@U…> on Tue 1 Dec"."""
    by = f" by <@{step.changed_by}>" if step.changed_by else ""
    on = f" on {step.changed_at.astimezone(ZoneInfo(timezone)):%a %-d %b}" if step.changed_at else ""
    state = StepState(step.state)
    if state == StepState.DONE:
        return f"Already done{by}{on}"
    if state == StepState.SKIPPED:
        return f"Already skipped{by}{on} ({escape((step.skip_reason or '')[:200])})"
    if action == "due":
        due = f"due {step.due_on:%a %-d %b}" if step.due_on else "without a due date"
        return f"It is already {due}" + (f" (last changed{by}{on})" if by else "")
    if action == "reassign":
        owner = f"<@{step.owner_id}>'s" if step.owner_id else "without an owner"
        return f"It is already {owner}" + (f" (last changed{by}{on})" if by else "")
    return f"Already reopened{by}{on}" if by else "It is open"


def _mark_progress(prospect: Prospect, key: str, today: date) -> None:
    """What a finished step says about the prospect: first contact, the meeting, the project start."""
    if key == rules.Step.INITIAL_CONTACT and prospect.contacted_on is None:
        prospect.contacted_on = today
        # No reply after five business days prompts the CSM follow-up: it falls due then (and is late the day after).
        follow_up = next((s for s in prospect.steps if s.key == rules.Step.CSM_FOLLOW_UP), None)
        if follow_up is not None and follow_up.state == StepState.OPEN:
            follow_up.due_on = rules.add_business_days(today, rules.NO_REPLY_BUSINESS_DAYS)
            follow_up.owner_id = prospect.csm_id or follow_up.owner_id
    elif key == rules.Step.ALIGNMENT_MEETING and prospect.meeting_on is None:
        prospect.meeting_on = today
    elif key == rules.Step.PROJECT_STARTED:
        prospect.project_started_on, prospect.outcome, prospect.outcome_on = today, ProspectOutcome.STARTED, today


def set_checklist_message(prospect: Prospect, *, channel_id: str, ts: str) -> None:
    """Remember where the checklist was posted, so every change updates that message in place."""
    prospect.checklist_channel_id, prospect.checklist_ts = channel_id, ts


def history(session: Session, *, step: OutreachStep) -> list[AuditEvent]:
    """Every change to one step."""
    return audit.history(session, team_id=step.team_id, subject_type="outreach_step", subject_id=step.id)


# ----------------------------------------------------------------------------- late steps and the funnel


def late_steps_by_owner(session: Session, *, team_id: str, today: date) -> dict[str, list[OutreachStep]]:
    """Every open step past its due date with an owner, by owner (prospects still open only)."""
    steps = session.scalars(
        select(OutreachStep)
        .join(Prospect, Prospect.id == OutreachStep.prospect_id)
        .where(
            OutreachStep.team_id == team_id,
            OutreachStep.state == StepState.OPEN,
            OutreachStep.due_on < today,
            OutreachStep.owner_id.is_not(None),
            Prospect.outcome == ProspectOutcome.OPEN,
        )
        .order_by(OutreachStep.due_on, OutreachStep.id)
    )
    late: dict[str, list[OutreachStep]] = {}
    for step in steps:
        late.setdefault(step.owner_id or "", []).append(step)
    return late


def targets_of(program: CocreateProgram) -> rules.Targets:
    """The program's targets: its settings over the seed's defaults."""
    return rules.read_targets(program.targets or {})


def _open_on(day: date) -> ColumnElement[bool]:
    """Contacted by `day` and still open that day: a prospect is open from first contact until its outcome's day (a
    closed outcome with no day counts from its project start, else from the contact)."""
    closed_on = case(
        (Prospect.outcome == ProspectOutcome.OPEN, None),
        else_=func.coalesce(Prospect.outcome_on, Prospect.project_started_on, Prospect.contacted_on),
    )
    return and_(Prospect.contacted_on <= day, or_(closed_on.is_(None), closed_on > day))


def _counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def quarter_funnel(session: Session, *, team_id: str, quarter: FiscalQuarter) -> rules.Funnel:
    """The funnel for a fiscal quarter against the program's targets, counted by the database in one pass over the
    workspace's prospects (and one short read of the quarter's project starts); see `rules.QuarterCounts`."""
    program = program_of(session, team_id=team_id)
    in_quarter = lambda column: column.between(quarter.start, quarter.end)  # noqa: E731
    counts = session.execute(
        select(
            _counted(in_quarter(Prospect.contacted_on)).label("contacted"),
            _counted(and_(Prospect.contacted_on < quarter.start, _open_on(quarter.start - timedelta(days=1)))).label(
                "carried"
            ),
            _counted(in_quarter(Prospect.meeting_on)).label("meetings"),
            _counted(_open_on(quarter.end)).label("active"),
        ).where(Prospect.team_id == team_id)
    ).one()
    starts = session.execute(
        select(Prospect.contacted_on, Prospect.project_started_on).where(
            Prospect.team_id == team_id, in_quarter(Prospect.project_started_on)
        )
    ).all()
    days = tuple((started - contacted).days for contacted, started in starts if contacted is not None)
    quarter_counts = rules.QuarterCounts(
        contacted=counts.contacted,
        carried=counts.carried,
        meetings=counts.meetings,
        active=counts.active,
        started=len(starts),
        days_to_start=days,
    )
    return rules.funnel(quarter_counts, quarter=quarter, targets=targets_of(program))


def set_meeting(
    session: Session, *, actor: Actor, prospect: Prospect, on: date, attendee_ids: list[str], now: datetime
) -> Prospect:
    """Record the alignment meeting's date and attendees (default: the account team)."""
    step = step_of(prospect, rules.Step.ALIGNMENT_MEETING)
    check_may_change_step(session, actor=actor, step=step)
    team = [uid for uid in (prospect.csm_id, prospect.ae_id, prospect.sa_id) if uid]
    prospect.meeting_on, prospect.meeting_attendees = on, attendee_ids or team
    record(
        session,
        actor=actor,
        action="cocreate.meeting",
        subject=prospect,
        now=now,
        on=on.isoformat(),
        attendees=prospect.meeting_attendees,
    )
    return prospect


def set_outcome(
    session: Session,
    *,
    actor: Actor,
    prospect: Prospect,
    outcome: str,
    reason: str | None,
    revisit_on: date | None,
    today: date,
    now: datetime,
) -> Prospect:
    """End the outreach: project started, declined (with a reason) or deferred (until a date that brings it back)."""
    program = program_of(session, team_id=prospect.team_id)
    owners = {s.owner_id for s in prospect.steps}
    if not (actor.is_admin or actor.user_id == program.manager_id or actor.user_id in owners):
        raise PermissionDenied(
            f"Only the prospect's step owners or the program manager <@{program.manager_id}> can set its outcome."
        )
    if outcome == ProspectOutcome.DECLINED and not (reason or "").strip():
        raise UserError("Say why they declined.", '`/cocreate outcome "Acme" declined "no capacity this year"`')
    if outcome == ProspectOutcome.DEFERRED and (revisit_on is None or revisit_on <= today):
        raise UserError(
            "A deferred prospect needs a date to revisit, after today.",
            '`/cocreate outcome "Acme" deferred 2025-09-01`',
        )
    prospect.outcome, prospect.outcome_on, prospect.outcome_reason = outcome, today, reason
    prospect.revisit_on = revisit_on if outcome == ProspectOutcome.DEFERRED else None
    if outcome == ProspectOutcome.STARTED and prospect.project_started_on is None:
        prospect.project_started_on = today
    record(
        session,
        actor=actor,
        action=f"cocreate.outcome_{outcome}",
        subject=prospect,
        now=now,
        reason=reason,
        revisit=revisit_on.isoformat() if revisit_on else None,
    )
    return prospect


def bring_back_deferred(session: Session, *, team_id: str, today: date) -> list[Prospect]:
    """Deferred prospects whose revisit date has come are open again (their history stays)."""
    due = list(
        session.scalars(
            select(Prospect).where(
                Prospect.team_id == team_id, Prospect.outcome == ProspectOutcome.DEFERRED, Prospect.revisit_on <= today
            )
        )
    )
    for prospect in due:
        prospect.outcome, prospect.outcome_on, prospect.revisit_on = ProspectOutcome.OPEN, None, None
    return due


# ----------------------------------------------------------------------------- contributions and resources


def record_contribution(
    session: Session, *, team_id: str, actor: Actor, prospect: Prospect, kind: str, url: str, on: date, now: datetime
) -> Contribution:
    """A contribution after a project; the same link is counted once (refused with when it was recorded), also when
    two people record it at the same moment: the unique (team, link) keeps the first."""
    normalized = rules.normalize_contribution_url(url)
    values = {
        "team_id": team_id,
        "prospect_id": prospect.id,
        "kind": kind,
        "url": url,
        "normalized_url": normalized,
        "contributed_on": on,
        "recorded_by": actor.user_id,
    }
    inserted = insert_or_ignore(session, Contribution, values, conflict=["team_id", "normalized_url"])
    contribution = session.scalars(
        select(Contribution)
        .where(Contribution.team_id == team_id, Contribution.normalized_url == normalized)
        .execution_options(populate_existing=True)
    ).one()
    if not inserted:
        raise UserError(
            f"That link was already recorded on {contribution.contributed_on} by <@{contribution.recorded_by}>.",
            "Each MR, issue or comment counts once.",
        )
    record(session, actor=actor, action="cocreate.contribution", subject=prospect, now=now, kind=kind)
    return contribution


def contribution_metrics(session: Session, *, team_id: str) -> rules.ContributionMetrics:
    """The seed's contribution metrics over every recorded contribution."""
    rows = session.execute(
        select(Prospect.name, Contribution.kind, Contribution.url, Contribution.contributed_on)
        .join(Prospect, Prospect.id == Contribution.prospect_id)
        .where(Contribution.team_id == team_id)
    ).all()
    return rules.contribution_metrics([(r[0], r[1], r[2], r[3]) for r in rows])


def locked_program(session: Session, program: CocreateProgram) -> CocreateProgram:
    """The program read afresh under its row lock (a no-op UPDATE): two changes of its settings at once (resources,
    some weights, some targets) queue up, and the later one changes what the first saved rather than writing over
    it."""
    lock_row(session, program)
    return program


def locked_prospect(session: Session, prospect: Prospect) -> Prospect:
    """The prospect read afresh under its row lock (this request's own changes flushed first, so they stay): two
    people scoring some of its criteria at once both keep their scores."""
    lock_row(session, prospect)
    return prospect


def add_resource(session: Session, *, team_id: str, actor: Actor, label: str, url: str, now: datetime) -> list:
    """Keep a link for common concerns (legal, ROI, onboarding, templates): the program manager or an admin."""
    program = program_of(session, team_id=team_id)
    check_manager(actor, program, "change the resources")
    program = locked_program(session, program)
    program.resources = [*program.resources, {"label": label, "url": url}]
    record(session, actor=actor, action="cocreate.resource_added", subject=program, now=now, label=label)
    return program.resources


def remove_resource(session: Session, *, team_id: str, actor: Actor, number: int, now: datetime) -> list:
    """Drop the resource numbered `number` in `/cocreate resources`."""
    program = program_of(session, team_id=team_id)
    check_manager(actor, program, "change the resources")
    program = locked_program(session, program)
    if not 1 <= number <= len(program.resources):
        raise UserError(
            f"There's no resource {number}; {_resources_count(len(program.resources))}.",
            "`/cocreate resources` lists them with numbers.",
        )
    program.resources = [r for i, r in enumerate(program.resources, start=1) if i != number]
    record(session, actor=actor, action="cocreate.resource_removed", subject=program, now=now)
    return program.resources


def _resources_count(n: int) -> str:
    """`there are none`, `there is 1`, `there are 3`."""
    return "there are none" if n == 0 else f"there {'is' if n == 1 else 'are'} {n}"


STALLED_SHOWN = 15  # the digest names the longest-stalled; the rest are a count


def stalled_prospects(session: Session, *, team_id: str, today: date, shown: int = STALLED_SHOWN) -> rules.Stalled:
    """Open outreach stalled on `today`, from each prospect's current stage as kept on its row
    (bot/cocreate/standing.py): one count and one short indexed read, whatever the number of prospects."""
    targets = targets_of(program_of(session, team_id=team_id))
    past_share = [
        and_(Prospect.current_step == str(spec.key), Prospect.stage_began_on < today - timedelta(days=allowed))
        for spec in rules.STEPS
        if (allowed := rules.stall_days(spec.key, targets)) is not None
    ]
    stalled = and_(Prospect.team_id == team_id, Prospect.outcome == ProspectOutcome.OPEN, or_(*past_share))
    count = session.scalar(select(func.count()).select_from(Prospect).where(stalled)) or 0
    rows = session.execute(
        select(Prospect.name, Prospect.current_step, Prospect.stage_began_on)
        .where(stalled)
        .order_by(Prospect.stage_began_on, Prospect.id)
        .limit(shown)
    ).all()
    longest = [
        (row.name, rules.STEP_SPECS[rules.Step(row.current_step)].label, (today - row.stage_began_on).days)
        for row in rows
    ]
    return rules.Stalled(count, longest)


def open_steps_of(session: Session, *, team_id: str, user_id: str) -> list[OutreachStep]:
    """The user's open steps on prospects still in play."""
    return list(
        session.scalars(
            select(OutreachStep)
            .join(Prospect, Prospect.id == OutreachStep.prospect_id)
            .where(
                OutreachStep.team_id == team_id,
                OutreachStep.owner_id == user_id,
                OutreachStep.state == StepState.OPEN,
                Prospect.outcome == ProspectOutcome.OPEN,
            )
        )
    )


def started_prospects_of(session: Session, *, team_id: str, user_id: str | None = None) -> list[Prospect]:
    """Prospects whose project started; with `user_id`, only those where the user is on the account team."""
    query = select(Prospect).where(Prospect.team_id == team_id, Prospect.outcome == ProspectOutcome.STARTED)
    prospects = list(session.scalars(query.order_by(Prospect.name)))
    if user_id is None:
        return prospects
    return [p for p in prospects if user_id in (p.csm_id, p.ae_id, p.sa_id)]


def outreach_channel_name(org: str) -> str:
    """A Slack channel name for a prospect's dedicated channel: `cocreate-acme-corp` (lower case, 80 characters)."""
    import re

    slug = re.sub(r"[^a-z0-9]+", "-", org.lower()).strip("-") or "prospect"
    return f"cocreate-{slug}"[:80].rstrip("-")
