"""OKR services: the program, quarters imported from pages and exported back, owners, scores, reminders' audiences
and retrospectives whose TRY lines become action items.

Session first, keyword-only, team-scoped, audited in the caller's transaction; UserError / PermissionDenied for
what users can fix. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot import audit, db
from bot.action_items import service as actions
from bot.action_items.overdue import ensure_overdue_cadence
from bot.cadence.rules import Frequency, Recurrence, next_after, to_dict
from bot.cadence.service import add_program_cadence, calendar_of, ensure_workspace
from bot.errors import PermissionDenied, UserError
from bot.fiscal import FiscalCalendar, add_months
from bot.handbook.report import ImportReport
from bot.okrs import page as okr_page
from bot.okrs import rules
from bot.okrs.rules import KrNode, ObjectiveNode, QuarterSpan, Reminder
from bot.permissions import Actor, check_program_manager
from bot.text import escape, quoted
from models import (
    ActionItem,
    AuditEvent,
    Cadence,
    CadenceStatus,
    KeyResult,
    KeyResultScore,
    Objective,
    OkrOwner,
    OkrProgram,
    OkrQuarter,
    RetroItem,
    RetroKind,
    RetroTeam,
)

SETUP_USAGE = "`/okr setup #okrs` sets OKRs up: the channel gets the end-of-quarter digest."
IMPORT_USAGE = "`/okr import` opens a form to paste the quarter's OKR page or attach it as a .md file."
GONE_USAGE = "`/okr retro QUARTER` opens the retrospective form again."


# ---- the program -------------------------------------------------------------------------------------------------


def program_of(session: Session, *, team_id: str) -> OkrProgram:
    """The workspace's OKR program; raises UserError until `/okr setup`."""
    program = session.scalar(select(OkrProgram).where(OkrProgram.team_id == team_id))
    if program is None:
        raise UserError("OKRs aren't set up in this workspace yet.", SETUP_USAGE)
    return program


def setup_program(
    session: Session, *, team_id: str, actor: Actor, channel_id: str, timezone: str | None, now: datetime
) -> tuple[OkrProgram, bool]:
    """Set the OKR channel (and the zone reminders keep); the first to set it up manages it. Returns
    (program, created)."""
    program = session.scalar(select(OkrProgram).where(OkrProgram.team_id == team_id))
    if program is None:
        zone = timezone or ensure_workspace(session, team_id=team_id).default_timezone
        # Two first set-ups at once make one program: the second finds the first's and is judged as a change to it.
        values = {"team_id": team_id, "channel_id": channel_id, "manager_id": actor.user_id, "timezone": zone}
        created = db.insert_or_ignore(session, OkrProgram, {**values, "created_at": now}, conflict=["team_id"])
        program = session.scalars(
            select(OkrProgram).where(OkrProgram.team_id == team_id).execution_options(populate_existing=True)
        ).one()
        if created:
            install_cadences(session, program=program, actor_id=actor.user_id, now=now)
            audit.record(
                session,
                team_id=team_id,
                actor_id=actor.user_id,
                action="okr.setup",
                subject_type="okr_program",
                subject_id=program.id,
                at=now,
                channel=channel_id,
            )
            return program, True
    check_program_manager(actor, manager_id=program.manager_id, what="change the OKR set-up")
    program.channel_id = channel_id
    if timezone and timezone != program.timezone:
        program.timezone = timezone
        align_reminders(session, program=program, now=now)
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="okr.setup_changed",
        subject_type="okr_program",
        subject_id=program.id,
        at=now,
        channel=channel_id,
    )
    return program, False


# Each reminder is a quarterly cadence, weekends moved to Monday, 09:00 local: mid-quarter on the 15th of the second
# month; two weeks before the end on the 15th-last day of the third month; the retrospective the day after the quarter
# ends; the last call and digest a week after it ends.
_REMINDER_DAYS: dict[Reminder, tuple[str, int, int]] = {
    Reminder.MID_QUARTER: ("OKRs: mid-quarter scoring reminder", 2, 15),
    Reminder.TWO_WEEKS_LEFT: ("OKRs: two weeks left to score", 3, -15),
    Reminder.RETRO: ("OKRs: ask for the retrospective", 1, 1),
    Reminder.LAST_CALL: ("OKRs: last call and digest", 1, 8),
}


def _is_whole_quarter(quarter: OkrQuarter) -> bool:
    """Three calendar months from the 1st, as a reminder's quarter is."""
    start = quarter.start_on
    return start.day == 1 and quarter.end_on == add_months(start, 3) - timedelta(days=1)


def reminder_quarters(session: Session, *, team_id: str) -> tuple[int, bool]:
    """(a month the OKR quarters start in, whether they are the workspace's fiscal quarters). The reminders follow
    the latest imported quarter when it is a whole quarter that isn't fiscal (a page of calendar quarters in a
    workspace whose fiscal year starts in February), else the fiscal quarters, and move with the fiscal year."""
    fiscal_start = calendar_of(session, team_id=team_id).start_month
    latest = session.scalar(
        select(OkrQuarter).where(OkrQuarter.team_id == team_id).order_by(OkrQuarter.start_on.desc()).limit(1)
    )
    if latest is not None and _is_whole_quarter(latest) and (latest.start_on.month - fiscal_start) % 3:
        return latest.start_on.month, False
    return fiscal_start, True


def _reminder_rule(reminder: Reminder, *, timezone: str, start_month: int, fiscal: bool) -> Recurrence:
    _title, month, day = _REMINDER_DAYS[reminder]
    return Recurrence(
        Frequency.QUARTERLY,
        at=time(9, 0),
        timezone=timezone,
        month=month,
        day=day,
        year_start_month=start_month,
        fiscal=fiscal,
        weekend_to_monday=True,
    )


def install_cadences(session: Session, *, program: OkrProgram, actor_id: str, now: datetime) -> None:
    """The quarter's four reminders on the shared engine, and the workspace's daily overdue-items DM (TRY items
    become action items and are nudged with the working groups' ones)."""
    start_month, fiscal = reminder_quarters(session, team_id=program.team_id)
    for reminder, (title, _month, _day) in _REMINDER_DAYS.items():
        add_program_cadence(
            session,
            team_id=program.team_id,
            kind=str(reminder),
            subject_id=program.id,
            title=title,
            rule=_reminder_rule(reminder, timezone=program.timezone, start_month=start_month, fiscal=fiscal),
            actor_id=actor_id,
            now=now,
        )
    ensure_overdue_cadence(session, team_id=program.team_id, actor_id=actor_id, timezone=program.timezone, now=now)


def align_reminders(session: Session, *, program: OkrProgram, now: datetime) -> bool:
    """Move the reminders to the program's zone and to the quarters they follow (`reminder_quarters`), in place so
    their history stays; returns whether any moved."""
    start_month, fiscal = reminder_quarters(session, team_id=program.team_id)
    moved = False
    for cadence in session.scalars(
        select(Cadence).where(
            Cadence.team_id == program.team_id,
            Cadence.subject_id == program.id,
            Cadence.kind.in_([str(r) for r in Reminder]),
        )
    ):
        rule = _reminder_rule(Reminder(cadence.kind), timezone=program.timezone, start_month=start_month, fiscal=fiscal)
        if to_dict(rule) == cadence.rule:
            continue
        cadence.rule = to_dict(rule)
        if cadence.status == CadenceStatus.ACTIVE:
            cadence.next_run_at = next_after(rule, now)
        moved = True
    return moved


# ---- quarters ----------------------------------------------------------------------------------------------------


def reminded_as(session: Session, *, quarter: OkrQuarter) -> QuarterSpan | None:
    """The quarter the reminders take `quarter` for, when `quarter` isn't a whole three-month quarter from the 1st
    (its reminders then come on that quarter's days); None when it is."""
    if _is_whole_quarter(quarter):
        return None
    start_month, _fiscal = reminder_quarters(session, team_id=quarter.team_id)
    around = FiscalCalendar(start_month=start_month).quarter_of(quarter.start_on)
    return QuarterSpan(quarter.label, around.start, around.end)


def span_of(quarter: OkrQuarter) -> QuarterSpan:
    return QuarterSpan(quarter.label, quarter.start_on, quarter.end_on)


def quarters_of(session: Session, *, team_id: str) -> list[OkrQuarter]:
    """Every imported quarter, latest first."""
    return list(
        session.scalars(select(OkrQuarter).where(OkrQuarter.team_id == team_id).order_by(OkrQuarter.start_on.desc()))
    )


def quarter_named(session: Session, *, team_id: str, label: str | None, today: date) -> OkrQuarter:
    """The quarter a command names; without a name, the one running today, else the latest imported. Raises
    UserError when there is none."""
    if label is not None:
        span = rules.read_quarter(label, calendar_of(session, team_id=team_id))
        quarter = session.scalar(
            select(OkrQuarter).where(OkrQuarter.team_id == team_id, OkrQuarter.label == span.label)
        )
        if quarter is None:
            raise UserError(f"{escape(span.label)} hasn't been imported.", IMPORT_USAGE)
        return quarter
    imported = quarters_of(session, team_id=team_id)
    if not imported:
        raise UserError("No OKR quarter has been imported yet.", IMPORT_USAGE)
    running = [q for q in imported if q.start_on <= today <= q.end_on]
    return running[0] if running else imported[0]


def quarter_if_any(session: Session, *, team_id: str, label: str | None, today: date) -> OkrQuarter | None:
    """The quarter named (raises UserError when it isn't imported), else the current or latest one; None when no
    quarter is imported and none was named."""
    if label is None and not quarters_of(session, team_id=team_id):
        return None
    return quarter_named(session, team_id=team_id, label=label, today=today)


def scoring_quarter(session: Session, *, team_id: str, today: date) -> OkrQuarter | None:
    """The quarter being scored on `today`: the one running, else one that ended in the last two weeks (the last
    call comes a week after the end); None between quarters or when none is imported."""
    return session.scalar(
        select(OkrQuarter)
        .where(
            OkrQuarter.team_id == team_id,
            OkrQuarter.start_on <= today,
            OkrQuarter.end_on >= today - timedelta(days=14),
        )
        .order_by(OkrQuarter.start_on.desc())
        .limit(1)
    )


def quarter_by_id(session: Session, *, team_id: str, quarter_id: int) -> OkrQuarter:
    """The quarter a button names by its row; raises UserError when it is gone (replaced by a new import since)."""
    quarter = session.scalar(select(OkrQuarter).where(OkrQuarter.id == quarter_id, OkrQuarter.team_id == team_id))
    if quarter is None:
        raise UserError("That quarter's OKRs were imported again since this message was sent.", GONE_USAGE)
    return quarter


def quarter_by_label(session: Session, *, team_id: str, label: str) -> OkrQuarter | None:
    return session.scalar(select(OkrQuarter).where(OkrQuarter.team_id == team_id, OkrQuarter.label == label))


# ---- import and export -------------------------------------------------------------------------------------------


def was_replaced(session: Session, *, quarter: OkrQuarter) -> bool:
    """Whether the import that made `quarter` replaced an earlier one (a first import with Replace ticked didn't)."""
    detail = session.scalar(
        select(AuditEvent.detail)
        .where(
            AuditEvent.team_id == quarter.team_id,
            AuditEvent.action == "okr.imported",
            AuditEvent.subject_type == "okr_quarter",
            AuditEvent.subject_id == quarter.id,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return bool((detail or {}).get("replaced"))


def _lock_imports(session: Session, *, team_id: str) -> None:
    """Take the workspace row's lock (a no-op UPDATE; calendar_of made the row) before looking for the quarter: two
    imports at once queue up, and the later one finds the quarter the first saved (told so, or replacing it whole)
    instead of failing on the (team, label) unique key."""
    db.lock_row(session, ensure_workspace(session, team_id=team_id))


def import_page(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    page: okr_page.OkrPage,
    now: datetime,
    replace: bool = False,
    report: ImportReport | None = None,
) -> OkrQuarter:
    """Save a read page as its quarter: objectives, key results at every depth (each with the role in effect), their
    scores and statuses from the page, the retrospective, and how the page was laid out. A quarter already imported
    is refused unless `replace`, which swaps its tree (the old scores' history goes with it); only the OKR manager or
    an admin may replace. Dates that aren't the quarter's own are kept and named in `report` to check."""
    if page.quarter is None:
        raise UserError("The page doesn't say which quarter it is.", "Give the quarter, e.g. `FY20-Q2`.")
    span = rules.read_quarter(page.quarter, calendar_of(session, team_id=team_id))
    start, end = page.start or span.start, page.end or span.end
    if end < start:
        raise UserError(f"The page's quarter ends before it starts ({start} to {end}).", IMPORT_USAGE)
    if report is not None and (page.start is None or page.end is None):
        report.check(f"The page doesn't say when {span.label} runs: the quarter's own {start} to {end} is used.")
    elif report is not None and (start, end) != (span.start, span.end):
        report.check(
            f"The page says {span.label} runs {start} to {end}; the quarter itself runs {span.start} to {span.end}."
        )
    _lock_imports(session, team_id=team_id)
    existing = quarter_by_label(session, team_id=team_id, label=span.label)
    program = session.scalar(select(OkrProgram).where(OkrProgram.team_id == team_id))
    if existing is not None:
        if not replace:
            raise UserError(
                f"{escape(span.label)} is already imported.",
                "Tick *Replace* in the form (or pass `--replace`) to import it again; its scores' history goes.",
            )
        if program is not None:
            check_program_manager(actor, manager_id=program.manager_id, what=f"replace {escape(span.label)}")
        _delete_quarter(session, existing)
    elif program is not None:  # a quarter drives its owners' score DMs and may move the program's reminder months
        check_program_manager(actor, manager_id=program.manager_id, what=f"import {escape(span.label)}")
    quarter = OkrQuarter(
        team_id=team_id,
        label=span.label,
        start_on=start,
        end_on=end,
        imported_by=actor.user_id,
        page_shape=page.shape.as_json(),
    )
    session.add(quarter)
    session.flush()
    for objective in page.objectives:
        row = Objective(
            team_id=team_id, quarter_id=quarter.id, number=objective.number, owner=objective.owner, text=objective.text
        )
        session.add(row)
        session.flush()
        _add_key_results(session, objective=row, key_results=objective.key_results, inherited=objective.owner)
    for position, team in enumerate(page.retro):
        retro = RetroTeam(team_id=team_id, quarter_id=quarter.id, position=position, name=team.team)
        session.add(retro)
        session.flush()
        _set_retro_items(session, retro, good=team.good, bad=team.bad, try_=team.try_)
    if program is not None:
        session.flush()
        align_reminders(session, program=program, now=now)
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="okr.imported",
        subject_type="okr_quarter",
        subject_id=quarter.id,
        at=now,
        quarter=span.label,
        replaced=existing is not None,
    )
    return quarter


def _add_key_results(
    session: Session, *, objective: Objective, key_results: Sequence[okr_page.KeyResult], inherited: str | None
) -> None:
    """Key results depth-first, positions counting across the whole objective so one ordered read rebuilds it."""
    position = 0

    def add(nodes: Sequence[okr_page.KeyResult], parent_id: int | None, depth: int, role: str | None) -> None:
        nonlocal position
        for node in nodes:
            in_effect = node.owner or role
            row = KeyResult(
                team_id=objective.team_id,
                objective_id=objective.id,
                parent_id=parent_id,
                position=position,
                depth=depth,
                owner=node.owner,
                role=in_effect,
                role_key=rules.role_key(in_effect) if in_effect else None,
                text=node.text,
                score=node.score,
                status=node.status,
                status_text=node.status_text,
                percents=list(node.percents),
            )
            position += 1
            session.add(row)
            session.flush()
            add(node.key_results, row.id, depth + 1, in_effect)

    add(key_results, None, 1, inherited)


def _delete_quarter(session: Session, quarter: OkrQuarter) -> None:
    kr_ids = select(KeyResult.id).join(Objective).where(Objective.quarter_id == quarter.id)
    session.execute(delete(KeyResultScore).where(KeyResultScore.key_result_id.in_(kr_ids)))
    objective_ids = [o.id for o in quarter.objectives]
    # Children before parents: the deepest key results first.
    for depth in sorted(
        set(session.scalars(select(KeyResult.depth).where(KeyResult.objective_id.in_(objective_ids)))), reverse=True
    ):
        session.execute(delete(KeyResult).where(KeyResult.objective_id.in_(objective_ids), KeyResult.depth == depth))
    session.expire(quarter)
    session.delete(quarter)
    session.flush()


def tree_of(session: Session, *, quarter: OkrQuarter, only: int | None = None) -> list[ObjectiveNode]:
    """The quarter's objectives with their key results nested, from one ordered read; with `only`, raises UserError
    when the quarter has no such objective (the tree is still the whole quarter's)."""
    objectives = list(quarter.objectives)
    if only is not None and not any(o.number == only for o in objectives):
        numbers = ", ".join(str(o.number) for o in objectives) or "none"
        raise UserError(f"{escape(quarter.label)} has no objective {only}.", f"Its objectives are {numbers}.")
    rows = session.scalars(
        select(KeyResult)
        .where(KeyResult.objective_id.in_([o.id for o in objectives]))
        .order_by(KeyResult.objective_id, KeyResult.position)
    ).all()
    children: dict[int | None, list[KeyResult]] = {}
    by_objective: dict[int, list[KeyResult]] = {}
    for row in rows:
        if row.parent_id is None:
            by_objective.setdefault(row.objective_id, []).append(row)
        else:
            children.setdefault(row.parent_id, []).append(row)

    def node(row: KeyResult) -> KrNode:
        return KrNode(
            row.id,
            row.owner,
            row.role,
            row.text,
            row.score,
            row.depth,
            tuple(node(child) for child in children.get(row.id, [])),
            row.status if row.scored_by is None else None,
        )

    return [
        ObjectiveNode(o.number, o.owner, o.text, tuple(node(r) for r in by_objective.get(o.id, []))) for o in objectives
    ]


def page_of(session: Session, *, quarter: OkrQuarter) -> okr_page.OkrPage:
    """The quarter as a page again (the latest scores), for `python app.py okr export`."""
    rows = {
        r.id: r
        for r in session.scalars(
            select(KeyResult).join(Objective).where(Objective.quarter_id == quarter.id).order_by(KeyResult.position)
        )
    }

    def key_result(node: KrNode) -> okr_page.KeyResult:
        row = rows[node.id]
        from_page = row.scored_by is None  # a score given in Slack replaces what the page wrote, status and all
        percents = (
            tuple(float(p) for p in row.percents or ())
            if from_page
            else ((row.score,) if row.score is not None else ())
        )
        return okr_page.KeyResult(
            owner=node.owner,
            text=node.text,
            score=node.score,
            percents=percents,
            key_results=tuple(key_result(child) for child in node.children),
            status=row.status if from_page else None,
            status_text=row.status_text if from_page else None,
        )

    objectives = tuple(
        okr_page.Objective(
            number=o.number, owner=o.owner, text=o.text, key_results=tuple(key_result(k) for k in o.key_results)
        )
        for o in tree_of(session, quarter=quarter)
    )
    retro = tuple(
        okr_page.RetroTeam(
            team=team.name,
            good=tuple(i.text for i in team.items if i.kind == RetroKind.GOOD),
            bad=tuple(i.text for i in team.items if i.kind == RetroKind.BAD),
            try_=tuple(i.text for i in team.items if i.kind == RetroKind.TRY),
        )
        for team in quarter.retro_teams
    )
    shape = okr_page.PageShape.from_json(quarter.page_shape)
    return okr_page.OkrPage(
        quarter=quarter.label,
        start=quarter.start_on if shape.dates else None,  # the page said no dates: its export says none either
        end=quarter.end_on if shape.dates else None,
        objectives=objectives,
        retro=retro,
        shape=shape,
    )


# ---- owners ------------------------------------------------------------------------------------------------------


def users_of_roles(session: Session, *, team_id: str, role_keys: Iterable[str]) -> dict[str, list[str]]:
    """The Slack users mapped to each role key (keys with no one are absent)."""
    keys = list(set(role_keys))
    mapped: dict[str, list[str]] = {}
    for row in session.scalars(
        select(OkrOwner).where(OkrOwner.team_id == team_id, OkrOwner.role_key.in_(keys)).order_by(OkrOwner.id)
    ):
        mapped.setdefault(row.role_key, []).append(row.user_id)
    return mapped


def _manager_id(session: Session, *, team_id: str) -> str | None:
    return session.scalar(select(OkrProgram.manager_id).where(OkrProgram.team_id == team_id))


def check_may_map(session: Session, *, team_id: str, actor: Actor, role: str, holders: Sequence[str]) -> None:
    """Who gives a role to people: the OKR manager, a workspace admin, or someone who holds it already (a co-holder);
    raises PermissionDenied naming them."""
    manager_id = _manager_id(session, team_id=team_id)
    if actor.is_admin or actor.user_id == manager_id or actor.user_id in holders:
        return
    manager = f"the OKR manager <@{manager_id}>, " if manager_id else ""
    who = f" ({', '.join(f'<@{u}>' for u in holders)})" if holders else ""
    raise PermissionDenied(
        f"Only {manager}a workspace admin or the holders of {quoted(escape(role))}{who} can give it to someone. "
        f'Ask one of them: `/okr owner "{escape(role)}" @you`.'
    )


def check_may_unmap(
    session: Session, *, team_id: str, actor: Actor, role: str, holders: Sequence[str], user_ids: Sequence[str]
) -> None:
    """Who takes people off a role: the OKR manager or a workspace admin; a holder may take only themselves off;
    raises PermissionDenied naming them."""
    manager_id = _manager_id(session, team_id=team_id)
    if actor.is_admin or actor.user_id == manager_id:
        return
    if actor.user_id in holders and list(user_ids) == [actor.user_id]:
        return
    manager = f"the OKR manager <@{manager_id}> or " if manager_id else ""
    raise PermissionDenied(
        f"Only {manager}a workspace admin can take people off {quoted(escape(role))}; each holder can take "
        f'themselves off: `/okr owner remove "{escape(role)}" @you`.'
    )


def map_owner(
    session: Session, *, team_id: str, actor: Actor, role: str, user_ids: Sequence[str], now: datetime
) -> tuple[list[str], list[str]]:
    """Map a role to more users (check_may_map says who may). Returns (the users this added, the role's users now);
    two mappings of one person at once make one row, and only what was added is audited."""
    role = rules.check_role(role)
    key = rules.role_key(role)
    holders = users_of_roles(session, team_id=team_id, role_keys=[key]).get(key, [])
    check_may_map(session, team_id=team_id, actor=actor, role=role, holders=holders)
    added = [
        user_id
        for user_id in user_ids
        if user_id not in holders
        and db.insert_or_ignore(
            session,
            OkrOwner,
            {"team_id": team_id, "role": role, "role_key": key, "user_id": user_id, "created_at": now},
            conflict=["team_id", "role_key", "user_id"],
        )
    ]
    if added:
        audit.record(
            session,
            team_id=team_id,
            actor_id=actor.user_id,
            action="okr.owner_mapped",
            subject_type="okr_owner",
            subject_id=0,
            at=now,
            role=role,
            users=added,
        )
    return added, users_of_roles(session, team_id=team_id, role_keys=[key]).get(key, [])


def unmap_owner(
    session: Session, *, team_id: str, actor: Actor, role: str, user_ids: Sequence[str], now: datetime
) -> list[str]:
    """Take users (all, when none given) off a role (check_may_unmap says who may); returns the role's users left.
    Raises UserError when the role has no such mapping."""
    role = rules.check_role(role)
    key = rules.role_key(role)
    holders = users_of_roles(session, team_id=team_id, role_keys=[key]).get(key, [])
    # Naming only people who don't hold the role (someone who already took themselves off) changes nothing either
    # way: they are told so below, not who may take people off it.
    if holders and (not user_ids or set(user_ids) & set(holders)):
        check_may_unmap(session, team_id=team_id, actor=actor, role=role, holders=holders, user_ids=user_ids)
    query = delete(OkrOwner).where(OkrOwner.team_id == team_id, OkrOwner.role_key == key)
    if user_ids:
        query = query.where(OkrOwner.user_id.in_(list(user_ids)))
    removed = session.execute(query).rowcount or 0
    if not removed:
        raise UserError(f"No one given is mapped to {quoted(escape(role))}.", "`/okr owners` lists the mappings.")
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="okr.owner_unmapped",
        subject_type="okr_owner",
        subject_id=0,
        at=now,
        role=role,
        users=list(user_ids),
    )
    return users_of_roles(session, team_id=team_id, role_keys=[key]).get(key, [])


def page_roles(session: Session, *, team_id: str) -> list[str]:
    """Every name a role can own something by, as the pages write it: the roles of the key results in every imported
    quarter, and the retrospectives' teams (a team's leads hold the role named like it)."""
    roles = session.scalars(
        select(func.min(KeyResult.role))
        .where(KeyResult.team_id == team_id, KeyResult.role_key.is_not(None))
        .group_by(KeyResult.role_key)
    ).all()
    teams = session.scalars(select(RetroTeam.name).where(RetroTeam.team_id == team_id)).all()
    return sorted({rules.role_key(name): name for name in [*teams, *roles] if name}.values(), key=str.casefold)


def check_role_named(session: Session, *, team_id: str, role: str) -> rules.RoleCheck:
    """Whether the pages name `role` (a key result's role or a retrospective's team, in any imported quarter), and
    otherwise the closest names they have (rules.closest_names); raises nothing: a role no page names yet is kept."""
    if not quarters_of(session, team_id=team_id):
        return rules.RoleCheck(owns=False, checked=False)
    named = page_roles(session, team_id=team_id)
    key = rules.role_key(role)
    if any(rules.role_key(name) == key for name in named):
        return rules.RoleCheck(owns=True)
    return rules.RoleCheck(owns=False, closest=tuple(rules.closest_names(role, named)))


def owners_overview(
    session: Session, *, team_id: str, quarter: OkrQuarter | None
) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """(every mapped role with its users, the quarter's roles with no one mapped)."""
    mapped: dict[str, tuple[str, list[str]]] = {}
    for row in session.scalars(
        select(OkrOwner).where(OkrOwner.team_id == team_id).order_by(OkrOwner.role, OkrOwner.id)
    ):
        mapped.setdefault(row.role_key, (row.role, []))[1].append(row.user_id)
    missing: list[str] = []
    if quarter is not None:
        roles = session.execute(
            select(KeyResult.role_key, func.min(KeyResult.role))
            .join(Objective)
            .where(Objective.quarter_id == quarter.id, KeyResult.role_key.is_not(None))
            .group_by(KeyResult.role_key)
            .order_by(func.min(KeyResult.role))
        ).all()
        missing = [role for key, role in roles if key not in mapped]
    return sorted(mapped.values(), key=lambda pair: pair[0].casefold()), missing


# ---- scoring -----------------------------------------------------------------------------------------------------


def key_result_by_id(session: Session, *, team_id: str, key_result_id: int) -> KeyResult:
    row = session.scalar(select(KeyResult).where(KeyResult.id == key_result_id, KeyResult.team_id == team_id))
    if row is None:
        raise UserError(f"There's no key result #{key_result_id}.", "`/okr mine` and `/okr tree` show their numbers.")
    return row


def node_of(row: KeyResult) -> KrNode:
    status = row.status if row.scored_by is None else None  # a score given in Slack replaces the page's status
    return KrNode(row.id, row.owner, row.role, row.text, row.score, row.depth, status=status)


def check_may_score(session: Session, *, actor: Actor, row: KeyResult) -> None:
    """A key result is scored by its role's users, the OKR manager or a workspace admin; raises PermissionDenied."""
    if actor.is_admin:
        return
    program = session.scalar(select(OkrProgram).where(OkrProgram.team_id == row.team_id))
    if program is not None and actor.user_id == program.manager_id:
        return
    holders = users_of_roles(session, team_id=row.team_id, role_keys=[row.role_key or ""]).get(row.role_key or "", [])
    if actor.user_id in holders:
        return
    owners = ", ".join(f"<@{u}>" for u in holders) or (
        f'no one yet; the OKR manager maps it: `/okr owner "{escape(row.role or "Role")}" @someone`'
    )
    manager = f", the OKR manager <@{program.manager_id}>" if program else ""
    raise PermissionDenied(
        f"Only the holders of {quoted(escape(row.role or 'its role'))} ({owners}){manager} or a workspace admin can "
        f"score #{row.id}."
    )


def score_key_result(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    key_result_id: int,
    score: float | str,
    comment: str | None,
    now: datetime,
) -> tuple[KeyResult, float | None]:
    """Record a score (0-100) with its comment; the history keeps every one. Returns (the key result, its previous
    score)."""
    row = key_result_by_id(session, team_id=team_id, key_result_id=key_result_id)
    value = rules.check_score(score)
    note = rules.check_comment(comment)
    check_may_score(session, actor=actor, row=row)
    # Two scores at once: the key result's row is locked first (a write that changes nothing), so each score reads
    # the other's once it is committed, and the current score is always the latest in the history, never a mix.
    db.lock_row(session, row)
    previous = row.score
    # A request that began earlier but got the lock later still scores last: its time is no earlier than the one
    # it replaces, so the history's order is the order the scores were saved in.
    at = max(now, row.scored_at) if row.scored_at is not None else now
    session.add(
        KeyResultScore(
            team_id=team_id, key_result_id=row.id, score=value, comment=note, scored_by=actor.user_id, scored_at=at
        )
    )
    session.flush()
    latest = score_history(session, row=row)[0]
    row.score, row.percents, row.scored_by, row.scored_at = latest.score, [latest.score], latest.scored_by, at
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="okr.scored",
        subject_type="okr_key_result",
        subject_id=row.id,
        at=now,
        score=value,
        comment=note,
    )
    return row, previous


def score_history(session: Session, *, row: KeyResult) -> list[KeyResultScore]:
    """Every score given in Slack, newest first."""
    return list(
        session.scalars(
            select(KeyResultScore)
            .where(KeyResultScore.key_result_id == row.id)
            .order_by(KeyResultScore.scored_at.desc(), KeyResultScore.id.desc())
        )
    )


def key_results_of_user(session: Session, *, team_id: str, user_id: str, quarter: OkrQuarter) -> list[KeyResult]:
    """The quarter's key results whose role the user holds, in tree order."""
    keys = select(OkrOwner.role_key).where(OkrOwner.team_id == team_id, OkrOwner.user_id == user_id)
    return list(
        session.scalars(
            select(KeyResult)
            .join(Objective)
            .where(Objective.quarter_id == quarter.id, KeyResult.role_key.in_(keys))
            .order_by(Objective.number, KeyResult.position)
        )
    )


def unscored_by_role(session: Session, *, quarter: OkrQuarter) -> dict[str, list[KeyResult]]:
    """The quarter's unscored key results by role key (those with no role under "")."""
    grouped: dict[str, list[KeyResult]] = {}
    for row in session.scalars(
        select(KeyResult)
        .join(Objective)
        .where(Objective.quarter_id == quarter.id, KeyResult.score.is_(None))
        .order_by(Objective.number, KeyResult.position)
    ):
        grouped.setdefault(row.role_key or "", []).append(row)
    return grouped


def unscored_by_user(session: Session, *, team_id: str, quarter: OkrQuarter) -> dict[str, list[KeyResult]]:
    """Each Slack user's unscored key results (through the roles they hold)."""
    by_role = unscored_by_role(session, quarter=quarter)
    holders = users_of_roles(session, team_id=team_id, role_keys=[k for k in by_role if k])
    by_user: dict[str, list[KeyResult]] = {}
    for key, users in holders.items():
        for user_id in users:
            by_user.setdefault(user_id, []).extend(by_role[key])
    return by_user


def quarter_for_reminder(session: Session, *, team_id: str, reminder: Reminder, day: date) -> OkrQuarter | None:
    """The imported quarter a reminder firing on `day` is about (rules.quarter_reminded)."""
    imported = quarters_of(session, team_id=team_id)
    span = rules.quarter_reminded(reminder, day, [span_of(q) for q in imported])
    return next((q for q in imported if span is not None and q.label == span.label), None)


# ---- retrospectives ----------------------------------------------------------------------------------------------


def retro_team(session: Session, *, quarter: OkrQuarter, name: str) -> RetroTeam | None:
    key = rules.role_key(name)
    return next((team for team in quarter.retro_teams if rules.role_key(team.name) == key), None)


def retro_team_by_id(session: Session, *, team_id: str, retro_team_id: int) -> RetroTeam:
    """The retrospective team a button names by its row (of any quarter); raises UserError when it is gone."""
    team = session.scalar(select(RetroTeam).where(RetroTeam.id == retro_team_id, RetroTeam.team_id == team_id))
    if team is None:
        raise UserError("That retrospective was imported again since this message was sent.", GONE_USAGE)
    return team


def retro_team_names(session: Session, *, team_id: str, quarter: OkrQuarter) -> list[str]:
    """The teams a retrospective of `quarter` can be for: its own, then those of every other imported quarter."""
    others = session.scalars(
        select(RetroTeam.name)
        .join(OkrQuarter)
        .where(RetroTeam.team_id == team_id, OkrQuarter.id != quarter.id)
        .order_by(OkrQuarter.start_on.desc(), RetroTeam.position)
    ).all()
    unique: dict[str, str] = {}
    for name in [team.name for team in quarter.retro_teams] + list(others):
        unique.setdefault(rules.role_key(name), name)
    return list(unique.values())


@dataclass(frozen=True, slots=True)
class TeamNamed:
    """The team `/okr retro` opens: its name, and the other teams the pages have when it is a new one."""

    name: str
    new_beside: tuple[str, ...] = ()


def retro_team_named(session: Session, *, team_id: str, quarter: OkrQuarter, typed: str) -> TeamNamed:
    """The team a typed name means (rules.match_team over `retro_team_names`): the page's own name for it, or a new
    team when the name is close to none. Raises UserError listing the teams when it is close to several, or only
    somewhat close to one, so a typo never becomes a new team."""
    teams = retro_team_names(session, team_id=team_id, quarter=quarter)
    match = rules.match_team(typed, teams)
    if match.team is not None:
        return TeamNamed(match.team)
    if not match.offered:
        return TeamNamed(rules.check_role(typed), tuple(teams))
    label = escape(quarter.label)
    offered = " or ".join(quoted(escape(name)) for name in match.offered)
    example = f'`/okr retro {label} "{escape(match.offered[0])}"`'
    everyone = ", ".join(escape(name) for name in teams)
    raise UserError(
        f"Which team is {quoted(escape(typed))}: {offered}? The retrospectives have {everyone}.",
        f"Name it as written, e.g. {example}; for a team of its own, write `/okr retro {label}` and name it in "
        "the form.",
    )


def retro_lines(
    session: Session, *, quarter: OkrQuarter, name: str
) -> tuple[str, list[tuple[int, str, str, ActionItem | None]]]:
    """A team's retrospective as its message shows it: (the team's name as saved, each line as (id, kind, text, its
    action item or None)); no lines for a team with no retrospective yet."""
    team = retro_team(session, quarter=quarter, name=name)
    if team is None:
        return name, []
    linked = [item.action_item_id for item in team.items if item.action_item_id]
    items = {row.id: row for row in session.scalars(select(ActionItem).where(ActionItem.id.in_(linked)))}
    return team.name, [(i.id, i.kind, i.text, items.get(i.action_item_id or 0)) for i in team.items]


def retro_leads(session: Session, *, team_id: str, quarter: OkrQuarter) -> dict[str, list[RetroTeam]]:
    """Whom to ask for the quarter's retrospective, by user: the teams each user leads (users mapped to a team of the
    previous retro by its name; the teams are that retro's rows), or else, when no lead is known, every owner of the
    quarter's key results."""
    earlier = session.scalar(
        select(OkrQuarter)
        .where(OkrQuarter.team_id == team_id, OkrQuarter.end_on < quarter.start_on)
        .order_by(OkrQuarter.end_on.desc())
    )
    teams = list(earlier.retro_teams if earlier else []) or list(quarter.retro_teams)
    leads = users_of_roles(session, team_id=team_id, role_keys=[rules.role_key(t.name) for t in teams])
    asked: dict[str, list[RetroTeam]] = {}
    for team in teams:
        for user_id in leads.get(rules.role_key(team.name), []):
            asked.setdefault(user_id, []).append(team)
    if asked:
        return asked
    keys = session.scalars(
        select(KeyResult.role_key).join(Objective).where(Objective.quarter_id == quarter.id).distinct()
    ).all()
    owners = users_of_roles(session, team_id=team_id, role_keys=[k for k in keys if k])
    return {user_id: [] for users in owners.values() for user_id in users}


def retro_version(team: RetroTeam | None) -> str:
    """Who saved a team's retrospective last, and when, as a form carries it: saving checks it is still so."""
    if team is None or team.updated_at is None:
        return "|"
    return f"{team.updated_at.isoformat()}|{team.updated_by or ''}"


class RetroChangedMeanwhile(UserError):
    """Someone saved the retrospective after the form was opened; the form shows it above the lists."""


def _retro_team_for_writing(session: Session, *, team_id: str, quarter: OkrQuarter, name: str) -> RetroTeam:
    """The team's row, made if it is new (two first saves at once make one), and locked until the commit: a write
    that changes nothing, so a second save waits for this one and then reads what it wrote."""
    team = retro_team(session, quarter=quarter, name=name)
    if team is None:
        values = {"team_id": team_id, "quarter_id": quarter.id, "position": len(quarter.retro_teams), "name": name}
        db.insert_or_ignore(session, RetroTeam, values, conflict=["quarter_id", "name"])
        session.expire(quarter, ["retro_teams"])
        team = retro_team(session, quarter=quarter, name=name)
        assert team is not None  # inserted, or inserted by the save that won
    db.lock_row(session, team)
    return team


def save_retro(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    quarter: OkrQuarter,
    name: str,
    good: Sequence[str],
    bad: Sequence[str],
    try_: Sequence[str],
    now: datetime,
    seen: str | None = None,
) -> RetroTeam:
    """Write a team's GOOD / BAD / TRY lists (replacing what it had). A line kept word for word keeps its number, and a
    TRY line its action item; one removed takes its link with it (the action item stays). With `seen` (the
    `retro_version` the form was opened on), a save made by someone else since then wins: raises
    RetroChangedMeanwhile and this one changes nothing."""
    name = rules.check_role(name)
    rules.check_retro_lines(good=good, bad=bad, try_=try_)
    _check_retro_writer(session, team_id=team_id, actor=actor, name=name)
    team = _retro_team_for_writing(session, team_id=team_id, quarter=quarter, name=name)
    if seen is not None and retro_version(team) != seen:
        raise RetroChangedMeanwhile(
            f"<@{team.updated_by}> saved the retrospective of {quoted(escape(team.name))} while this form was open, "
            "so yours isn't saved.",
            "Copy your lines, close the form and open it again (Edit under the retro) to see theirs.",
        )
    _set_retro_items(session, team, good=good, bad=bad, try_=try_)
    team.updated_by, team.updated_at = actor.user_id, now
    audit.record(
        session,
        team_id=team_id,
        actor_id=actor.user_id,
        action="okr.retro_saved",
        subject_type="okr_retro_team",
        subject_id=team.id,
        at=now,
        quarter=quarter.label,
        counts=[len(good), len(bad), len(try_)],
    )
    return team


def team_leads(session: Session, *, team_id: str, name: str) -> list[str]:
    """A retrospective team's leads: the users mapped to the team's name as a role (`/okr owner "Delivery" @dana`)."""
    key = rules.role_key(name)
    return users_of_roles(session, team_id=team_id, role_keys=[key]).get(key, [])


def _check_retro_writer(session: Session, *, team_id: str, actor: Actor, name: str) -> None:
    """A team's retrospective (and its TRY lines' action items) is written by its leads, the OKR manager or an admin;
    a team with no lead mapped is open to anyone."""
    if actor.is_admin:
        return
    program = session.scalar(select(OkrProgram).where(OkrProgram.team_id == team_id))
    leads = team_leads(session, team_id=team_id, name=name)
    if not leads or actor.user_id in leads or (program is not None and actor.user_id == program.manager_id):
        return
    manager = f", the OKR manager <@{program.manager_id}>" if program else ""
    raise PermissionDenied(
        f"Only the leads of {quoted(escape(name))} ({', '.join(f'<@{u}>' for u in leads)}){manager} or a workspace "
        "admin can write its retrospective."
    )


def _set_retro_items(
    session: Session, team: RetroTeam, *, good: Sequence[str], bad: Sequence[str], try_: Sequence[str]
) -> None:
    """Write the lists in order. A line kept word for word under the same heading keeps its row, so its number (on
    buttons and in `/okr try N`) and a TRY line's action item stay; lines taken out go, new lines are added."""
    spare: dict[tuple[str, str], list[RetroItem]] = {}
    for item in team.items:
        spare.setdefault((item.kind, item.text), []).append(item)
    written: list[RetroItem] = []
    for kind, lines in ((RetroKind.GOOD, good), (RetroKind.BAD, bad), (RetroKind.TRY, try_)):
        for text in lines:
            same = spare.get((str(kind), text))
            item = same.pop(0) if same else RetroItem(team_id=team.team_id, kind=str(kind), text=text)
            item.position = len(written)
            written.append(item)
    team.items[:] = written  # delete-orphan removes the lines taken out
    session.flush()


def retro_item_by_id(session: Session, *, team_id: str, item_id: int) -> RetroItem:
    item = session.scalar(select(RetroItem).where(RetroItem.id == item_id, RetroItem.team_id == team_id))
    if item is None:
        raise UserError(f"There's no retrospective item #{item_id}.", "`/okr retro` shows a team's items.")
    return item


def try_to_action_item(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    item_id: int,
    owner_id: str,
    due_on: date,
    now: datetime,
    today: date,
    text: str | None = None,
) -> ActionItem:
    """Make a TRY line an action item (the shared action items, nudged when overdue with every program's), owned by
    `owner_id`, due within `rules.try_window` of the retrospective's quarter on `today` (the person's own day);
    linked back to the line. Raises UserError, rules.DueOutsideTryWindow or PermissionDenied."""
    item = retro_item_by_id(session, team_id=team_id, item_id=item_id)
    check_not_made_yet(session, item=item)
    team = item.retro_team
    _check_retro_writer(session, team_id=team_id, actor=actor, name=team.name)
    rules.check_try_due(span_of(team.quarter), due_on, today=today, item_id=item_id)
    action = actions.add_item(
        session,
        team_id=team_id,
        program=rules.PROGRAM,
        subject_id=item.id,
        text=(text or item.text).strip()[: actions.TEXT_LIMIT],
        owner=actions.Owner(user_id=owner_id),
        due_on=due_on,
        actor_id=actor.user_id,
        now=now,
    )
    # Two presses at once make one item: the link is set only where there is none yet, and the press that finds one
    # there rolls its own item back.
    linked = session.execute(
        update(RetroItem)
        .where(RetroItem.id == item.id, RetroItem.action_item_id.is_(None))
        .values(action_item_id=action.id),
        execution_options={"synchronize_session": False},
    ).rowcount
    session.expire(item, ["action_item_id"])
    if linked != 1:
        check_not_made_yet(session, item=item)
        raise UserError(f"Line {item.id} was just taken out of its retrospective.")
    return action


def check_not_made_yet(session: Session, *, item: RetroItem) -> None:
    """A line may become an action item once, and only a TRY line; raises UserError saying which item it is (and who
    made it)."""
    if item.kind != RetroKind.TRY:
        raise UserError(f"#{item.id} is a {item.kind.upper()} line; only TRY lines become action items.")
    if item.action_item_id is not None:
        made = session.get(ActionItem, item.action_item_id)
        by = f" (by <@{made.created_by}>)" if made is not None else ""
        raise UserError(f"Line {item.id} is already action item #{item.action_item_id}{by}.")


@dataclass(frozen=True, slots=True)
class QuarterCounts:
    objectives: int
    key_results: int
    scored: int
    retro_teams: int


def counts_of(session: Session, *, quarter: OkrQuarter) -> QuarterCounts:
    """How much the quarter holds: what an import confirms and `/okr quarters` lists."""
    total, scored = session.execute(
        select(func.count(KeyResult.id), func.count(KeyResult.score))
        .join(Objective)
        .where(Objective.quarter_id == quarter.id)
    ).one()
    return QuarterCounts(len(quarter.objectives), total, scored, len(quarter.retro_teams))
