"""Executive Sponsorship Program services: the program, accounts, sponsor commitments, touchpoints, KPIs,
the operating cadence and per-account checklists. Session first, keyword-only, team-scoped, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot import audit
from bot.cadence.commands import parse_rule_sentence
from bot.cadence.rules import Frequency, Recurrence, from_dict, next_after, to_dict
from bot.cadence.service import add_program_cadence, complete_rule, ensure_workspace
from bot.db import insert_or_ignore, lock_row
from bot.errors import PermissionDenied, UserError
from bot.esp import rules
from bot.fiscal import FiscalQuarter
from bot.permissions import Actor
from bot.permissions import check_program_manager as check_manager_of_program
from models import (
    Cadence,
    CadenceStatus,
    ChecklistItem,
    EspAccount,
    EspObligation,
    EspPeriod,
    EspProgram,
    KpiReading,
    Sponsorship,
    Touchpoint,
    TouchpointKind,
)

PROGRAM = "esp"
ANNUAL_CHECKLIST = "esp.annual"  # the program manager's start-of-year checklist (accounts' are PROGRAM)
OBLIGATION = "esp.obligation"
# The program's daily cadence: each person's one digest a day (what is due for them, and accounts missing a
# touchpoint near a quarter's end). The kind keeps the name it had when it only watched touchpoints.
TOUCHPOINT_WATCH = "esp.touchpoints"
DIGEST = TOUCHPOINT_WATCH
SETUP_USAGE = "`/esp setup @program-manager` in the program's channel (the handbook's is #executive-sponsor-program)."


@dataclass(frozen=True, slots=True)
class AccountEdit:
    tier: int | None = None
    csm_id: str | None = None
    ae_id: str | None = None
    sa_id: str | None = None
    active: bool | None = None


def program_of(session: Session, *, team_id: str) -> EspProgram:
    """The workspace's program; raises UserError until `/esp setup` has run."""
    program = session.scalar(select(EspProgram).where(EspProgram.team_id == team_id))
    if program is None:
        raise UserError("The Executive Sponsorship Program isn't set up in this workspace yet.", SETUP_USAGE)
    return program


def lock_program(session: Session, program: EspProgram) -> None:
    """Take the program's row lock (a no-op UPDATE: PostgreSQL locks the row, SQLite takes its one write lock), so
    that mapping changes of one workspace queue up and each reads the sponsorships the one before it committed: two
    assigns at once can't both find an account without a sponsor, or a sponsor with room for one more account."""
    lock_row(session, program)


def check_program_manager(actor: Actor, program: EspProgram, what: str) -> None:
    """Program settings are for the program manager (or a workspace admin); raises PermissionDenied."""
    check_manager_of_program(actor, manager_id=program.program_manager_id, what=what)


# ----------------------------------------------------------------------------- the program and its cadence


def setup_program(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    channel_id: str,
    program_manager_id: str,
    timezone: str,
    now: datetime,
) -> tuple[EspProgram, bool]:
    """Install the program in this channel with every line of the operating cadence; returns (program, created).

    The first set-up names the program manager (its author unless it names someone); after that only the program
    manager or a workspace admin changes it (raises PermissionDenied). Two first set-ups at once make one program:
    the insert ignores the unique team, and the later one is a change by whoever sent it.
    """
    program = session.scalar(select(EspProgram).where(EspProgram.team_id == team_id))
    created = program is None and insert_or_ignore(
        session,
        EspProgram,
        {
            "team_id": team_id,
            "channel_id": channel_id,
            "program_manager_id": program_manager_id,
            "timezone": timezone,
            "created_at": now,
        },
        conflict=["team_id"],
    )
    program = session.scalars(
        select(EspProgram).where(EspProgram.team_id == team_id).execution_options(populate_existing=True)
    ).one()
    if created:
        _install_cadence(session, program=program, actor_id=actor.user_id, timezone=timezone, now=now)
    else:
        check_program_manager(actor, program, "change the program's set-up")
        program.channel_id, program.program_manager_id = channel_id, program_manager_id
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="esp.setup" if created else "esp.setup_changed",
        subject_type="esp_program",
        subject_id=program.id,
        at=now,
    )
    return program, created


def _install_cadence(session: Session, *, program: EspProgram, actor_id: str, timezone: str, now: datetime) -> None:
    """A new program's operating cadence, every line, and its daily digest at 09:00 in `timezone`."""
    for obligation in rules.OPERATING_CADENCE:
        install_obligation(session, program=program, obligation=obligation, actor_id=actor_id, now=now)
    add_program_cadence(
        session,
        team_id=program.team_id,
        kind=TOUCHPOINT_WATCH,
        subject_id=program.id,
        title="ESP: daily digest",
        rule=Recurrence(Frequency.DAILY, at=time(9, 0), timezone=timezone),
        actor_id=actor_id,
        now=now,
    )


def install_obligation(
    session: Session, *, program: EspProgram, obligation: rules.Obligation, actor_id: str, now: datetime
) -> EspObligation:
    """One operating-cadence line as a row and a cadence on the engine, at its default time in the program's zone."""
    workspace = ensure_workspace(session, team_id=program.team_id)
    rule = complete_rule(
        parse_rule_sentence(obligation.default_rule_words, obligation.default_time, program.timezone),
        workspace=workspace,
        user_timezone=program.timezone,
        now=now,
    )
    row = EspObligation(
        team_id=program.team_id,
        key=obligation.key,
        period=obligation.period,
        text=obligation.text,
        audience=obligation.audience,
        per_account=obligation.per_account,
    )
    session.add(row)
    session.flush()
    cadence = add_program_cadence(
        session,
        team_id=program.team_id,
        kind=OBLIGATION,
        subject_id=row.id,
        title=f"ESP: {obligation.text}",
        rule=rule,
        actor_id=actor_id,
        now=now,
    )
    session.flush()
    row.cadence_id = cadence.id
    return row


def obligations(session: Session, *, team_id: str) -> list[tuple[EspObligation, Cadence | None]]:
    """Every operating-cadence line with its cadence, in the seed's order."""
    rows = session.scalars(select(EspObligation).where(EspObligation.team_id == team_id).order_by(EspObligation.id))
    return [(row, session.get(Cadence, row.cadence_id) if row.cadence_id else None) for row in rows]


def obligation_by_ref(session: Session, *, team_id: str, ref: str) -> tuple[EspObligation, Cadence]:
    """An obligation by its number in `/esp cadence` or its key; raises UserError."""
    listed = obligations(session, team_id=team_id)
    for number, (row, cadence) in enumerate(listed, start=1):
        if (ref == str(number) or ref.lower() == row.key) and cadence is not None:
            return row, cadence
    raise UserError(f"There's no operating-cadence item `{ref[:40]}`.", "`/esp cadence` lists them with numbers.")


def change_obligation(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    ref: str,
    enabled: bool | None,
    rule: Recurrence | None,
    user_timezone: str | None,
    now: datetime,
) -> tuple[EspObligation, Cadence]:
    """Turn an obligation off or on, or move its time (program manager only)."""
    program = program_of(session, team_id=team_id)
    check_program_manager(actor, program, "change the operating cadence")
    row, cadence = obligation_by_ref(session, team_id=team_id, ref=ref)
    if rule is not None:
        workspace = ensure_workspace(session, team_id=team_id)
        cadence.rule = to_dict(complete_rule(rule, workspace=workspace, user_timezone=user_timezone, now=now))
    if enabled is not None:
        row.enabled = enabled
    live = row.enabled
    cadence.status = CadenceStatus.ACTIVE if live else CadenceStatus.PAUSED
    cadence.next_run_at = next_after(from_dict(cadence.rule), now) if live else None
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="esp.obligation_changed",
        subject_type="esp_obligation",
        subject_id=row.id,
        at=now,
        enabled=row.enabled,
    )
    return row, cadence


# ----------------------------------------------------------------------------- accounts and sponsors


def account_named(session: Session, *, team_id: str, name: str) -> EspAccount:
    """An account by name (case-insensitive); raises UserError listing how to add it."""
    account = session.scalar(
        select(EspAccount).where(EspAccount.team_id == team_id, func.lower(EspAccount.name) == name.strip().lower())
    )
    if account is None:
        raise UserError(
            f"There's no account named *{_safe(name)}* in the program.",
            '`/esp accounts` lists them; `/esp account add "Name" tier 1 csm @csm` adds one.',
        )
    return account


def _safe(text: str) -> str:
    from bot.text import escape

    return escape(text[:200])


def add_account(
    session: Session, *, team_id: str, actor: Actor, name: str, edit: AccountEdit, now: datetime
) -> EspAccount:
    """Add an account to the program (program manager only)."""
    check_program_manager(actor, program_of(session, team_id=team_id), "add accounts")
    exists = session.scalar(
        select(EspAccount.id).where(EspAccount.team_id == team_id, func.lower(EspAccount.name) == name.strip().lower())
    )
    if exists is not None:
        raise UserError(
            f"*{_safe(name)}* is already in the program.", f'`/esp account "{_safe(name)}" tier 2` edits it.'
        )
    values = {
        "team_id": team_id,
        "name": name.strip(),
        "tier": edit.tier or 1,
        "csm_id": edit.csm_id,
        "ae_id": edit.ae_id,
        "sa_id": edit.sa_id,
        "active": True if edit.active is None else edit.active,
        "created_at": now,
    }
    # The same add sent twice at once: the unique (team, name) keeps one, and the later one is told it exists.
    if not insert_or_ignore(session, EspAccount, values, conflict=["team_id", "name"]):
        raise UserError(
            f"*{_safe(name)}* is already in the program.", f'`/esp account "{_safe(name)}" tier 2` edits it.'
        )
    account = account_named(session, team_id=team_id, name=name)
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="esp.account_added",
        subject_type="esp_account",
        subject_id=account.id,
        at=now,
        name=name,
    )
    return account


def edit_account(
    session: Session, *, team_id: str, actor: Actor, name: str, edit: AccountEdit, now: datetime
) -> EspAccount:
    """Change an account's tier, account team or status (program manager only)."""
    check_program_manager(actor, program_of(session, team_id=team_id), "edit accounts")
    account = account_named(session, team_id=team_id, name=name)
    changes = {k: v for k, v in vars_of(edit).items() if v is not None}
    for field, value in changes.items():
        setattr(account, field, value)
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="esp.account_edited",
        subject_type="esp_account",
        subject_id=account.id,
        at=now,
        **{k: str(v) for k, v in changes.items()},
    )
    return account


def vars_of(edit: AccountEdit) -> dict[str, object]:
    """The fields of an AccountEdit as a dict."""
    return {"tier": edit.tier, "csm_id": edit.csm_id, "ae_id": edit.ae_id, "sa_id": edit.sa_id, "active": edit.active}


def active_sponsorships(session: Session, *, team_id: str) -> list[tuple[Sponsorship, EspAccount]]:
    """Every commitment not yet ended, with its account."""
    rows = session.execute(
        select(Sponsorship, EspAccount)
        .join(EspAccount, EspAccount.id == Sponsorship.account_id)
        .where(Sponsorship.team_id == team_id, Sponsorship.ended_on.is_(None))
        .order_by(Sponsorship.sponsor_id, EspAccount.name)
    ).all()
    return [(row[0], row[1]) for row in rows]


def sponsors_by_account(session: Session, *, team_id: str) -> dict[int, list[str]]:
    """Account id → the sponsors currently committed to it."""
    result: dict[int, list[str]] = {}
    for sponsorship, account in active_sponsorships(session, team_id=team_id):
        result.setdefault(account.id, []).append(sponsorship.sponsor_id)
    return result


def assign(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    sponsor_id: str,
    account_name: str,
    start: date,
    force: bool,
    now: datetime,
) -> Sponsorship:
    """Commit a sponsor to an account for at least a year (the program manager or a workspace admin: nobody makes
    themselves a sponsor); at most four accounts per sponsor, one sponsor per account unless forced. Raises
    PermissionDenied or UserError."""
    program = program_of(session, team_id=team_id)
    check_program_manager(actor, program, "assign sponsors")
    lock_program(session, program)
    account = account_named(session, team_id=team_id, name=account_name)
    current = active_sponsorships(session, team_id=team_id)
    held = [a.name for s, a in current if s.sponsor_id == sponsor_id]
    if account.name in held:
        raise UserError(f"<@{sponsor_id}> already sponsors *{_safe(account.name)}*.", "`/esp map` shows the mapping.")
    rules.check_sponsor_load(sponsor_id, held)
    others = [s.sponsor_id for s, a in current if a.id == account.id]
    is_manager = actor.is_admin or actor.user_id == program.program_manager_id
    rules.check_second_sponsor(account.name, others, forced=force, actor_is_program_manager=is_manager)
    sponsorship = Sponsorship(
        team_id=team_id,
        account_id=account.id,
        sponsor_id=sponsor_id,
        started_on=start,
        commitment_ends_on=rules.commitment_end(start),
        created_by=actor.user_id,
        forced_by=actor.user_id if others else None,
    )
    session.add(sponsorship)
    session.flush()
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="esp.assigned",
        subject_type="esp_sponsorship",
        subject_id=sponsorship.id,
        at=now,
        sponsor=sponsor_id,
        account=account.name,
        forced=bool(others),
    )
    return sponsorship


def unassign(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    account_name: str,
    sponsor_id: str | None,
    reason: str | None,
    today: date,
    now: datetime,
) -> Sponsorship:
    """End a commitment; before its year is up it needs a reason and is marked early (program manager only)."""
    program = program_of(session, team_id=team_id)
    check_program_manager(actor, program, "end a sponsorship")
    lock_program(session, program)
    account = account_named(session, team_id=team_id, name=account_name)
    current = [s for s, a in active_sponsorships(session, team_id=team_id) if a.id == account.id]
    if sponsor_id is not None:
        current = [s for s in current if s.sponsor_id == sponsor_id]
    if len(current) != 1:
        problem = (
            f"*{_safe(account.name)}* has no active sponsor{' like that' if sponsor_id else ''}."
            if not current
            else f"*{_safe(account.name)}* has {len(current)} sponsors; say which one."
        )
        raise UserError(problem, f'`/esp unassign "{_safe(account.name)}" @sponsor reason "…"`')
    sponsorship = current[0]
    sponsorship.ended_early = rules.early_end(sponsorship.started_on, sponsorship.commitment_ends_on, today, reason)
    sponsorship.ended_on, sponsorship.end_reason = today, reason
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="esp.unassigned",
        subject_type="esp_sponsorship",
        subject_id=sponsorship.id,
        at=now,
        early=sponsorship.ended_early,
        reason=reason,
    )
    return sponsorship


# ----------------------------------------------------------------------------- touchpoints and KPIs


def record_touchpoint(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    account_name: str,
    kind: TouchpointKind,
    happened_on: date,
    notes: str | None,
    now: datetime,
) -> Touchpoint:
    """Log a touchpoint between the account's sponsor and the customer."""
    account = account_named(session, team_id=team_id, name=account_name)
    sponsors = [s.sponsor_id for s, a in active_sponsorships(session, team_id=team_id) if a.id == account.id]
    sponsor_id = actor.user_id if actor.user_id in sponsors else (sponsors[0] if sponsors else None)
    touchpoint = Touchpoint(
        team_id=team_id,
        account_id=account.id,
        sponsor_id=sponsor_id,
        kind=kind,
        happened_on=happened_on,
        notes=notes,
        recorded_by=actor.user_id,
    )
    session.add(touchpoint)
    session.flush()
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="esp.touchpoint",
        subject_type="esp_touchpoint",
        subject_id=touchpoint.id,
        at=now,
        kind=kind,
    )
    return touchpoint


def record_readings(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    account_name: str,
    readings: list[tuple[str, float]],
    measured_on: date,
    note: str | None,
    now: datetime,
) -> list[KpiReading]:
    """Record KPI values for an account (each checked against its range)."""
    account = account_named(session, team_id=team_id, name=account_name)
    saved = []
    for metric, value in readings:
        checked = rules.validate_reading(rules.Metric(metric), value)
        saved.append(
            KpiReading(
                team_id=team_id,
                account_id=account.id,
                metric=str(metric),
                value=checked,
                measured_on=measured_on,
                note=note,
                recorded_by=actor.user_id,
                recorded_at=now,
            )
        )
    session.add_all(saved)
    session.flush()
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="esp.kpis",
        subject_type="esp_account",
        subject_id=account.id,
        at=now,
        metrics=[m for m, _v in readings],
    )
    return saved


def account_scorecard(
    session: Session, *, team_id: str, account: EspAccount, quarter: FiscalQuarter, year_start: date
) -> rules.Scorecard:
    """The account's KPIs this fiscal quarter and year, with changes and what is missing."""
    readings = [
        rules.Reading(r.metric, r.value, r.measured_on)
        for r in session.scalars(
            select(KpiReading).where(KpiReading.team_id == team_id, KpiReading.account_id == account.id)
        )
    ]
    return rules.scorecard(readings, quarter=quarter, year_start=year_start)


def accounts(session: Session, *, team_id: str, active_only: bool = True) -> list[EspAccount]:
    """The program's accounts by tier then name."""
    query = select(EspAccount).where(EspAccount.team_id == team_id)
    if active_only:
        query = query.where(EspAccount.active.is_(True))
    return list(session.scalars(query.order_by(EspAccount.tier, EspAccount.name)))


# ----------------------------------------------------------------------------- checklists


def ensure_checklist(
    session: Session, *, team_id: str, account: EspAccount, period_kind: EspPeriod, period_label: str
) -> list[ChecklistItem]:
    """The account's checklist for a fiscal quarter or year, created from the seed's obligations on first use."""
    return ensure_checklist_items(
        session,
        team_id=team_id,
        program=PROGRAM,
        subject_id=account.id,
        period=period_label,
        template=rules.account_checklist(period_kind),
    )


def ensure_checklist_items(
    session: Session, *, team_id: str, program: str, subject_id: int, period: str, template: list[tuple[str, str]]
) -> list[ChecklistItem]:
    """One checklist for a period with every (key, text) of `template` on it, in order: the missing ones are added
    (two nudges adding them at once make one list: each item's insert ignores the unique key)."""
    existing = checklist_items(session, team_id=team_id, program=program, subject_id=subject_id, period=period)
    have = {item.key for item in existing}
    if {key for key, _text in template} <= have:
        return existing
    for position, (key, text) in enumerate(template):
        if key not in have:
            insert_checklist_item(
                session,
                team_id=team_id,
                program=program,
                subject_id=subject_id,
                period=period,
                key=key,
                text=text,
                position=position,
            )
    return checklist_items(session, team_id=team_id, program=program, subject_id=subject_id, period=period)


def checklist_items(
    session: Session, *, team_id: str, program: str, subject_id: int, period: str
) -> list[ChecklistItem]:
    """One checklist (an account's, or the program manager's) for a period, in order."""
    return list(
        session.scalars(
            select(ChecklistItem)
            .where(
                ChecklistItem.team_id == team_id,
                ChecklistItem.program == program,
                ChecklistItem.subject_id == subject_id,
                ChecklistItem.period == period,
            )
            .order_by(ChecklistItem.position)
        )
    )


def insert_checklist_item(
    session: Session, *, team_id: str, program: str, subject_id: int, period: str, key: str, text: str, position: int
) -> bool:
    """Add one checklist item unless it is there already (unique on program, subject, period and key)."""
    values = {
        "team_id": team_id,
        "program": program,
        "subject_id": subject_id,
        "period": period,
        "key": key,
        "text": text,
        "position": position,
        "done": False,
    }
    return insert_or_ignore(session, ChecklistItem, values, conflict=["program", "subject_id", "period", "key"])


def check_may_tick(session: Session, *, actor: Actor, item: ChecklistItem) -> EspProgram:
    """An account's checklist: its team, its sponsors, the program manager or an admin; the program manager's own
    yearly checklist: the program manager or an admin. Raises PermissionDenied."""
    program = program_of(session, team_id=item.team_id)
    if actor.is_admin or actor.user_id == program.program_manager_id:
        return program
    if item.program == PROGRAM:
        account = session.get(EspAccount, item.subject_id)
        current = active_sponsorships(session, team_id=item.team_id)
        sponsors = [s.sponsor_id for s, a in current if a.id == item.subject_id]
        team = [account.csm_id, account.ae_id, account.sa_id] if account is not None else []
        if actor.user_id in {*sponsors, *filter(None, team)}:
            return program
        raise PermissionDenied(
            f"Only the account team, its sponsor or the program manager <@{program.program_manager_id}> can tick "
            "its checklist."
        )
    raise PermissionDenied(
        f"Only the program manager <@{program.program_manager_id}> or a workspace admin can tick this checklist."
    )


def on_day(moment: datetime | None, timezone: str) -> str:
    """`Tue 1 Dec` in the reader's zone (a dash when unknown)."""
    if moment is None:
        return "—"
    return f"{moment.astimezone(ZoneInfo(timezone)):%a %-d %b}"


def tick_checklist_item(
    session: Session, *, team_id: str, actor: Actor, item_id: int, done: bool, now: datetime, timezone: str = "UTC"
) -> ChecklistItem:
    """Tick (or untick) a checklist item, with a compare-and-set on the state read: two presses at once are recorded
    once, and the later one raises UserError saying who ticked it and when (in the reader's `timezone`)."""
    item = session.scalar(select(ChecklistItem).where(ChecklistItem.id == item_id, ChecklistItem.team_id == team_id))
    if item is None or item.program not in (PROGRAM, ANNUAL_CHECKLIST):
        raise UserError("That checklist item is gone.")
    check_may_tick(session, actor=actor, item=item)
    moved = session.execute(
        update(ChecklistItem)
        .where(ChecklistItem.id == item.id, ChecklistItem.done == (not done))
        .values(done=done, done_by=actor.user_id if done else None, done_at=now if done else None)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(item)
    if moved != 1:
        if item.done:
            raise UserError(f"Already done by <@{item.done_by}> on {on_day(item.done_at, timezone)}: nothing changed.")
        raise UserError("That item isn't ticked (any more): nothing changed.")
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="esp.checklist_ticked" if done else "esp.checklist_unticked",
        subject_type="checklist_item",
        subject_id=item.id,
        at=now,
    )
    return item
