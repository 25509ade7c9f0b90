"""Working-group services: the charter bound to a channel, its roles, exit criteria, action items and cadences.

Session first, everything else keyword-only; every query scoped by team; every change audited;
UserError / PermissionDenied for what the user can fix; no commits, no Slack calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import audit
from bot.action_items import service as actions
from bot.action_items.overdue import ensure_overdue_cadence
from bot.action_items.service import ActionChange, AlreadyChanged, Owner
from bot.blocks.common import slack_date
from bot.cadence.rules import Frequency, Recurrence, from_dict, next_after, to_dict, validate
from bot.cadence.service import add_program_cadence, complete_rule, ensure_workspace
from bot.db import insert_or_ignore, lock_row
from bot.errors import UserError
from bot.handbook.report import ImportReport
from bot.permissions import (
    Actor,
    check_has_a_role,
    check_may_change_action_item,
    check_may_edit_charter,
)
from bot.text import escape
from bot.working_groups.handbook import (
    Attribute,
    CharterDraft,
    CriterionEntry,
    PlanItem,
    RoleEntry,
    Section,
    WorkingGroupRole,
    slack_channel_of,
)
from bot.working_groups.rules import LinkOutcome, lead_ids, role_pairs
from models import (
    ActionItem,
    Cadence,
    CadenceStatus,
    ExitCriterion,
    WorkingGroup,
    WorkingGroupMember,
    WorkingGroupStatus,
)

PROGRAM = "wg"
SYNC = "wg.sync"
DIGEST = "wg.digest"
LIFECYCLE = "wg.lifecycle"
CREATE_USAGE = '`/wg create "Leading Organizations" goal "Grow contributors" ends 2027-01-31`'

UserMatcher = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class NewGroup:
    name: str
    goal: str | None = None
    created_on: date | None = None
    end_on: date | None = None
    agenda_url: str | None = None
    board_url: str | None = None


def group_in_channel(session: Session, *, team_id: str, channel_id: str) -> WorkingGroup:
    """The working group bound to this channel; raises UserError when there is none."""
    group = session.scalar(
        select(WorkingGroup).where(WorkingGroup.team_id == team_id, WorkingGroup.channel_id == channel_id)
    )
    if group is None:
        raise UserError(
            "This channel has no working group yet.",
            f"Create one here with `/wg create` (a form), or {CREATE_USAGE}, or `/wg import` a handbook page.",
        )
    return group


def _name(group: WorkingGroup) -> str:
    """The group's name as it goes into a message: escaped, so a name like `<!channel>` is only text."""
    return escape(group.name)


def _record(session: Session, group: WorkingGroup, actor_id: str, action: str, now: datetime, **detail: object) -> None:
    audit.record(
        session,
        team_id=group.team_id,
        actor_id=actor_id,
        action=action,
        subject_type="working_group",
        subject_id=group.id,
        at=now,
        **detail,
    )


def create_group(
    session: Session,
    *,
    team_id: str,
    actor_id: str,
    channel_id: str,
    new: NewGroup,
    timezone: str,
    now: datetime,
    actor_name: str | None = None,
) -> WorkingGroup:
    """Bind a new working group to the channel, its creator as DRI, with its default cadences."""
    if new.created_on and new.end_on and new.end_on < new.created_on:
        raise UserError("The end date is before the created date.", CREATE_USAGE)
    fields = {
        "name": new.name,
        "goals": [new.goal] if new.goal else [],
        "created_on": new.created_on or now.date(),
        "end_on": new.end_on,
        "agenda_url": new.agenda_url,
        "board_url": new.board_url,
    }
    group, created = _claim_channel(session, team_id=team_id, channel_id=channel_id, actor_id=actor_id, **fields)
    if not created:
        _refuse_second_group(session, team_id=team_id, channel_id=channel_id)
    group.roles = [
        WorkingGroupMember(team_id=team_id, position=0, role="DRI", user_id=actor_id, person_name=actor_name)
    ]
    session.flush()
    install_cadences(session, group=group, actor_id=actor_id, timezone=timezone, now=now)
    _record(session, group, actor_id, "wg.created", now, name=new.name)
    return group


def _claim_channel(
    session: Session, *, team_id: str, channel_id: str, actor_id: str, **fields: object
) -> tuple[WorkingGroup, bool]:
    """The channel's group, inserted if there is none (two creates or imports at once make one row, and the later
    one finds it); returns (group, created)."""
    values = {"team_id": team_id, "channel_id": channel_id, "created_by": actor_id, **fields}
    created = insert_or_ignore(session, WorkingGroup, values, conflict=["team_id", "channel_id"])
    group = session.scalars(
        select(WorkingGroup)
        .where(WorkingGroup.team_id == team_id, WorkingGroup.channel_id == channel_id)
        .execution_options(populate_existing=True)
    ).one()
    return group, created


def _refuse_second_group(session: Session, *, team_id: str, channel_id: str) -> None:
    existing = session.scalar(
        select(WorkingGroup.name).where(WorkingGroup.team_id == team_id, WorkingGroup.channel_id == channel_id)
    )
    if existing is not None:
        raise UserError(
            f"This channel already holds the working group *{escape(existing)}*.",
            "Each group has its own channel; `/wg charter` shows this one, `/wg import` replaces its charter.",
        )


def default_sync_rule(*, timezone: str, today: date) -> Recurrence:
    """The handbook's bi-weekly sync: every two weeks on Tuesday at 10:00 local, starting this week."""
    return Recurrence(Frequency.WEEKLY, at=time(10, 0), timezone=timezone, interval=2, weekday=1, anchor=today)


def install_cadences(session: Session, *, group: WorkingGroup, actor_id: str, timezone: str, now: datetime) -> None:
    """The group's sync reminder, weekly digest and end-date watch, plus the workspace's daily overdue DMs."""
    today = now.date()
    rules = {
        SYNC: default_sync_rule(timezone=timezone, today=today),
        DIGEST: Recurrence(Frequency.WEEKLY, at=time(9, 0), timezone=timezone, weekday=0),
        LIFECYCLE: Recurrence(Frequency.DAILY, at=time(9, 0), timezone=timezone),
    }
    titles = {SYNC: f"{group.name}: sync", DIGEST: f"{group.name}: weekly digest", LIFECYCLE: f"{group.name}: end date"}
    for kind, rule in rules.items():
        _add_cadence(session, group=group, kind=kind, rule=rule, title=titles[kind], actor_id=actor_id, now=now)
    ensure_overdue_cadence(session, team_id=group.team_id, actor_id=actor_id, timezone=timezone, now=now)


def _add_cadence(
    session: Session, *, group: WorkingGroup, kind: str, rule: Recurrence, title: str, actor_id: str, now: datetime
) -> Cadence:
    validate(rule)
    return add_program_cadence(
        session,
        team_id=group.team_id,
        kind=kind,
        subject_id=group.id,
        title=title,
        rule=rule,
        actor_id=actor_id,
        now=now,
        channel_id=group.channel_id,
    )


def group_cadence(session: Session, *, group: WorkingGroup, kind: str) -> Cadence | None:
    """The group's cadence of one kind (sync, digest, end-date watch)."""
    return session.scalar(
        select(Cadence).where(
            Cadence.team_id == group.team_id,
            Cadence.kind == kind,
            Cadence.subject_id == group.id,
            Cadence.status != CadenceStatus.REMOVED,
        )
    )


# ----------------------------------------------------------------------------- the handbook page in and out


def import_charter(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    channel_id: str,
    draft: CharterDraft,
    match_user: UserMatcher,
    timezone: str,
    now: datetime,
) -> tuple[WorkingGroup, bool]:
    """Create the channel's group from a handbook page, or replace its charter; returns (group, created)."""
    group, created = _claim_channel(
        session, team_id=team_id, channel_id=channel_id, actor_id=actor.user_id, name=draft.title
    )
    if not created:
        lock_group(session, group)
        check_may_edit_charter(actor, roles=role_pairs(group), group_name=_name(group), created_by=group.created_by)
    apply_draft(group, draft, match_user=match_user)
    session.flush()
    if created:
        install_cadences(session, group=group, actor_id=actor.user_id, timezone=timezone, now=now)
        session.flush()
    if group.status == WorkingGroupStatus.ENDED:  # an ended group's page: history only, no nudges
        for cadence in _group_cadences(session, group):
            cadence.status, cadence.next_run_at = CadenceStatus.PAUSED, None
    _record(
        session, group, actor.user_id, "wg.imported", now, roles=len(group.roles), criteria=len(draft.exit_criteria)
    )
    return group, created


def channel_note(written: str, name: str | None) -> str | None:
    """What an import's report says when the page names a Slack channel (`written`) other than the one the group
    is imported in (`name`, None when Slack couldn't say): the group lives where it was imported."""
    if name is not None and name.casefold() == written.lstrip("#").casefold():
        return None
    here = f"#{name}" if name else "this channel"
    return (
        f"The page names #{written.lstrip('#')} as its channel; the group lives in {here}, where you imported it, "
        "and its nudges go there."
    )


def _person_key(name: str | None) -> str:
    """A page's name as two imports compare it: any case, runs of spaces as one."""
    return " ".join((name or "").casefold().split())


def apply_draft(group: WorkingGroup, draft: CharterDraft, *, match_user: UserMatcher) -> None:
    """Copy a handbook page onto the group: fields, roles (matched to Slack users when possible), criteria."""
    group.name, group.description = draft.title, draft.description
    group.goals, group.goals_heading = list(draft.goals), draft.goals_heading
    group.created_on, group.end_on, group.end_label = draft.created_on, draft.end_on, draft.end_label
    group.created_written, group.end_written = draft.created_written, draft.end_written
    group.agenda_url, group.board_url = draft.agenda_url, draft.board_url
    group.attributes = [_attribute_to_json(a) for a in draft.attributes]
    group.page_shape = {**draft.shape, **({"status": draft.status} if draft.status else {})}
    group.plan = [_plan_to_json(item) for item in draft.plan]
    group.other_sections = [{"heading": s.heading, "level": s.level, "body": s.body} for s in draft.other_sections]
    group.exit_criteria_heading = draft.exit_criteria_heading
    if (draft.status or "").lower() in _ENDED_STATUSES:
        group.status = WorkingGroupStatus.ENDED
    # A person linked to Slack before (by the link form or an earlier import) stays linked when the page names them
    # again: a re-import fixes a typo, it doesn't undo who is who.
    linked_before = {_person_key(m.person_name): m.user_id for m in group.roles if m.person_name and m.user_id}

    def user_of(name: str | None) -> str | None:
        return (linked_before.get(_person_key(name)) or match_user(name)) if name else None

    group.roles = [
        WorkingGroupMember(
            team_id=group.team_id,
            position=position,
            role=str(entry.role),
            role_title=entry.role_title,
            function=entry.function,
            user_id=user_of(entry.person_name),
            person_name=entry.person_name,
            title=entry.title,
            username=entry.username,
        )
        for position, entry in enumerate(draft.roles)
    ]
    group.exit_criteria = [
        ExitCriterion(
            team_id=group.team_id,
            position=position,
            text=entry.text,
            progress=entry.progress,
            done=entry.done,
            done_on=entry.done_on,
        )
        for position, entry in enumerate(draft.exit_criteria)
    ]


def _attribute_to_json(attribute: Attribute) -> dict[str, object]:
    """An attribute row as stored; the cell's markdown only when it held several links."""
    stored: dict[str, object] = {"name": attribute.name, "value": attribute.value, "url": attribute.url}
    return {**stored, "markdown": attribute.markdown} if attribute.markdown is not None else stored


_ENDED_STATUSES = ("ended", "closed", "inactive", "complete", "completed")


def _status_of(group: WorkingGroup) -> str:
    """The status as the page wrote it while it still says what the group is (active or ended), else the group's."""
    written = (group.page_shape or {}).get("status")
    ended = group.status == WorkingGroupStatus.ENDED
    if isinstance(written, str) and (written.lower() in _ENDED_STATUSES) == ended:
        return written
    return str(group.status)


def _plan_to_json(item: PlanItem) -> dict[str, object]:
    return {"text": item.text, "children": [_plan_to_json(child) for child in item.children]}


def _plan_from_json(data: dict[str, object]) -> PlanItem:
    children = data.get("children") or []
    assert isinstance(children, list)
    return PlanItem(text=str(data["text"]), children=tuple(_plan_from_json(child) for child in children))


def charter_draft(group: WorkingGroup) -> CharterDraft:
    """The group as a handbook page draft (for `/wg export` and the command line)."""
    attributes = tuple(Attribute(a["name"], a["value"], a.get("url"), a.get("markdown")) for a in group.attributes)
    shape = {key: value for key, value in (group.page_shape or {}).items() if key != "status"}
    return CharterDraft(
        title=group.name,
        description=group.description,
        status=_status_of(group),
        created_on=group.created_on,
        end_on=group.end_on,
        end_label=group.end_label,
        slack_channel=slack_channel_of(attributes),
        agenda_url=group.agenda_url,
        board_url=group.board_url,
        attributes=attributes,
        goals=tuple(group.goals),
        goals_heading=group.goals_heading,
        exit_criteria=tuple(
            CriterionEntry(text=c.text, done=c.done, progress=c.progress, done_on=c.done_on)
            for c in group.exit_criteria
        ),
        exit_criteria_heading=group.exit_criteria_heading,
        plan=tuple(_plan_from_json(item) for item in group.plan),
        roles=tuple(
            RoleEntry(
                role=WorkingGroupRole(m.role),
                person_name=m.person_name,
                title=m.title,
                function=m.function,
                username=m.username,
                role_title=m.role_title,
            )
            for m in group.roles
        ),
        other_sections=tuple(Section(s["heading"], s["level"], s["body"]) for s in group.other_sections),
        created_written=group.created_written,
        end_written=group.end_written,
        shape=shape,
    )


# ----------------------------------------------------------------------------- roles and exit criteria


def lock_group(session: Session, group: WorkingGroup) -> None:
    """Two edits of a group's roles or criteria at the same moment queue up, and the later one sees the first (no
    duplicate role, no two criteria at one position)."""
    lock_row(session, group)


def add_role(
    session: Session,
    *,
    group: WorkingGroup,
    actor: Actor,
    role: str,
    function: str | None,
    user_id: str | None,
    person_name: str | None,
    title: str | None,
    now: datetime,
) -> WorkingGroupMember:
    """Give someone a role in the group (DRI, facilitator or admin only)."""
    check_may_edit_charter(actor, roles=role_pairs(group), group_name=_name(group), created_by=group.created_by)
    lock_group(session, group)
    unlinked = _unlinked_holder(group, role=role, function=function, person_name=person_name)
    if user_id and unlinked is not None:
        # The page named this person before they were in Slack: link the name rather than add a second row.
        unlinked.user_id = user_id
        _record(session, group, actor.user_id, "wg.role_linked", now, role=role, who=user_id, name=person_name)
        return unlinked
    for member in group.roles:
        same_person = (user_id and member.user_id == user_id) or (person_name and member.person_name == person_name)
        if same_person and member.role == role and member.function == function:
            raise UserError(f"{_person(user_id, person_name)} is already {role} of {_name(group)}.")
    member = WorkingGroupMember(
        team_id=group.team_id,
        position=len(group.roles),
        role=role,
        function=function,
        user_id=user_id,
        person_name=person_name,
        title=title,
    )
    group.roles.append(member)
    session.flush()
    _record(session, group, actor.user_id, "wg.role_added", now, role=role, who=user_id or person_name)
    return member


def _unlinked_holder(
    group: WorkingGroup, *, role: str, function: str | None, person_name: str | None
) -> WorkingGroupMember | None:
    """A role row held by `person_name` as plain text (not yet a Slack user), if there is one."""
    if not person_name:
        return None
    wanted = person_name.strip().lower()
    for member in group.roles:
        named = (member.person_name or "").strip().lower()
        if member.user_id is None and named == wanted and member.role == role and member.function == function:
            return member
    return None


def remove_role(
    session: Session,
    *,
    group: WorkingGroup,
    actor: Actor,
    user_id: str | None,
    person_name: str | None,
    role: str | None,
    now: datetime,
    function: str | None = None,
) -> list[WorkingGroupMember]:
    """Take someone's role (or every role, when none is named; a functional lead's named function only, when one is
    given) away; raises UserError saying which roles they do hold when they hold none of those."""
    check_may_edit_charter(actor, roles=role_pairs(group), group_name=_name(group), created_by=group.created_by)
    lock_group(session, group)
    held = [
        m
        for m in group.roles
        if (user_id and m.user_id == user_id)
        or (person_name and (m.person_name or "").strip().lower() == person_name.strip().lower())
    ]
    removed = [
        m
        for m in held
        if (role is None or m.role == role)
        and (function is None or (m.function or "").strip().lower() == function.strip().lower())
    ]
    if not removed:
        raise UserError(_not_held(group, user_id, person_name, role, function, held), "`/wg roles` lists them.")
    for member in removed:
        group.roles.remove(member)
    _record(session, group, actor.user_id, "wg.role_removed", now, role=role, who=user_id or person_name)
    return removed


def _not_held(
    group: WorkingGroup,
    user_id: str | None,
    person_name: str | None,
    role: str | None,
    function: str | None,
    held: list[WorkingGroupMember],
) -> str:
    """What a removal of a role someone doesn't hold is told: the roles they do hold, if any."""
    who = _person(user_id, person_name)
    if not held:
        return f"{who} holds no role in {_name(group)}."
    wanted = escape(f"{role}: {function}" if function else role or "")
    labels = ", ".join(escape(f"{m.role}: {m.function}" if m.function else m.role) for m in held)
    return f"{who} isn't {wanted} of {_name(group)}; they are {labels}."


def _person(user_id: str | None, person_name: str | None) -> str:
    return f"<@{user_id}>" if user_id else escape(person_name or "That person")


def add_criterion(session: Session, *, group: WorkingGroup, actor: Actor, text: str, now: datetime) -> ExitCriterion:
    """Append an exit criterion (DRI, facilitator or admin only)."""
    check_may_edit_charter(actor, roles=role_pairs(group), group_name=_name(group), created_by=group.created_by)
    lock_group(session, group)
    criterion = ExitCriterion(team_id=group.team_id, position=len(group.exit_criteria), text=text.strip())
    group.exit_criteria.append(criterion)
    session.flush()
    _record(session, group, actor.user_id, "wg.criterion_added", now, criterion=criterion.id)
    return criterion


def criterion_at(group: WorkingGroup, number: int) -> ExitCriterion:
    """The criterion numbered `number` (1-based, as the charter shows); raises UserError."""
    if not 1 <= number <= len(group.exit_criteria):
        raise UserError(
            f"{_name(group)} has no exit criterion {number}; it has {len(group.exit_criteria)}.",
            "`/wg criteria` shows their numbers.",
        )
    return group.exit_criteria[number - 1]


def tick_criterion(
    session: Session,
    *,
    group: WorkingGroup,
    criterion: ExitCriterion,
    actor: Actor,
    done: bool,
    now: datetime,
    timezone: str | None = None,
) -> ExitCriterion:
    """Mark a criterion done (or not) with who and when; anyone with a role in the group may.

    A compare-and-set on `done` as read: a second tick (at the same moment, or later) raises AlreadyChanged saying
    who ticked it and when (the time's fallback in `timezone`, the ticker's zone), and changes nothing.
    """
    check_has_a_role(actor, roles=role_pairs(group), group_name=_name(group))
    values: dict[str, object] = {"done": done, "done_by": None, "done_at": None, "done_on": None}
    if done:
        values |= {"done_by": actor.user_id, "done_at": now, "done_on": now.date()}
        if criterion.progress is not None:
            values["progress"] = 100
    moved = session.execute(
        update(ExitCriterion)
        .where(ExitCriterion.id == criterion.id, ExitCriterion.done == (not done))
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(criterion)
    if moved != 1:
        number = group.exit_criteria.index(criterion) + 1 if criterion in group.exit_criteria else criterion.id
        if done:
            when = f" {slack_date(criterion.done_at, timezone=timezone)}" if criterion.done_at else ""
            by = f" by <@{criterion.done_by}>{when}" if criterion.done_by else ""
            raise AlreadyChanged(f"Already ticked{by}: exit criterion {number} is done.")
        raise AlreadyChanged(f"Exit criterion {number} is already not done.")
    _record(
        session,
        group,
        actor.user_id,
        "wg.criterion_done" if done else "wg.criterion_undone",
        now,
        criterion=criterion.id,
    )
    return criterion


def set_progress(
    session: Session, *, group: WorkingGroup, criterion: ExitCriterion, actor: Actor, percent: int, now: datetime
) -> ExitCriterion:
    """Record a criterion's progress in percent; 100 marks it done."""
    check_has_a_role(actor, roles=role_pairs(group), group_name=_name(group))
    criterion.progress = percent
    _record(session, group, actor.user_id, "wg.criterion_progress", now, criterion=criterion.id, percent=percent)
    if percent == 100 and not criterion.done:
        tick_criterion(session, group=group, criterion=criterion, actor=actor, done=True, now=now)
    return criterion


# ----------------------------------------------------------------------------- action items


def add_action(
    session: Session,
    *,
    group: WorkingGroup,
    actor_id: str,
    text: str,
    owner: Owner,
    due_on: date | None,
    now: datetime,
) -> ActionItem:
    """Anyone in the channel adds an item to the group."""
    if group.status == WorkingGroupStatus.ENDED:
        raise UserError(f"{_name(group)} is closed.", "`/wg extend <date>` reopens it first.")
    return actions.add_item(
        session,
        team_id=group.team_id,
        program=PROGRAM,
        subject_id=group.id,
        text=text,
        owner=owner,
        due_on=due_on,
        actor_id=actor_id,
        now=now,
    )


def owner_to_tell(*, owner_id: str | None, assigner_id: str) -> str | None:
    """Whom a new assignment (an item added, or reassigned) is told by DM: its Slack owner, unless they gave it to
    themselves; an owner known only by name is not in Slack to be told."""
    return owner_id if owner_id and owner_id != assigner_id else None


def latest_assignment(session: Session, *, item: ActionItem) -> tuple[str, bool]:
    """Who gave the item to its owner, and whether that was a reassignment (from its history)."""
    given = [e for e in actions.item_history(session, item=item) if e.action in ("action.added", "action.reassign")]
    if not given:
        return item.created_by, False
    return given[-1].actor_id, given[-1].action == "action.reassign"


def item_of_group(session: Session, *, group: WorkingGroup, item_id: int) -> ActionItem:
    """One of the group's items; raises UserError when it is another group's or gone."""
    item = actions.get_item(session, team_id=group.team_id, item_id=item_id, program=PROGRAM)
    if item.subject_id != group.id:
        raise UserError(f"Action item #{item_id} belongs to another working group.", "Use `/wg` in its channel.")
    return item


def change_action(
    session: Session,
    *,
    group: WorkingGroup,
    item_id: int,
    change: ActionChange,
    actor: Actor,
    now: datetime,
    owner: Owner | None = None,
    due_on: date | None = None,
    timezone: str | None = None,
) -> ActionItem:
    """Close, reopen, reassign or re-date one of the group's items: its owner, the DRI or the facilitator; a refusal
    says when the item was last changed in `timezone`, the actor's zone."""
    item = item_of_group(session, group=group, item_id=item_id)
    roles = role_pairs(group)

    def check(target: ActionItem) -> None:
        check_may_change_action_item(actor, owner_id=target.owner_id, roles=roles, item_id=target.id)

    return actions.change_item(
        session,
        item=item,
        change=change,
        actor_id=actor.user_id,
        check=check,
        now=now,
        owner=owner,
        due_on=due_on,
        timezone=timezone,
    )


def check_may_change_item(session: Session, actor: Actor, item: ActionItem) -> None:
    """The working-group rule for one of its items, as the shared action-item lists ask it: the owner, the DRI or the
    facilitator; raises PermissionDenied, or UserError when the group is gone."""
    group = session.scalar(
        select(WorkingGroup).where(WorkingGroup.id == item.subject_id, WorkingGroup.team_id == item.team_id)
    )
    if group is None:
        raise UserError("That action item's working group is gone.")
    check_may_change_action_item(actor, owner_id=item.owner_id, roles=role_pairs(group), item_id=item.id)


def group_of_item(session: Session, *, team_id: str, item_id: int) -> tuple[WorkingGroup, ActionItem]:
    """The item and its group, for buttons that carry only the item id (e.g. in an overdue DM)."""
    item = actions.get_item(session, team_id=team_id, item_id=item_id, program=PROGRAM)
    group = session.scalar(
        select(WorkingGroup).where(WorkingGroup.id == item.subject_id, WorkingGroup.team_id == team_id)
    )
    if group is None:
        raise UserError("That action item's working group is gone.")
    return group, item


# ----------------------------------------------------------------------------- life cycle and cadences


def close_group(
    session: Session, *, group: WorkingGroup, actor: Actor, now: datetime, timezone: str | None = None
) -> WorkingGroup:
    """End the group: its nudges stop (cadences paused), its history stays.

    A compare-and-set on the status read: of two closes at once one is recorded; the other raises AlreadyChanged
    (who closed it, when, in `timezone`, the actor's zone).
    """
    check_may_edit_charter(actor, roles=role_pairs(group), group_name=_name(group), created_by=group.created_by)
    moved = session.execute(
        update(WorkingGroup)
        .where(WorkingGroup.id == group.id, WorkingGroup.status == WorkingGroupStatus.ACTIVE)
        .values(status=WorkingGroupStatus.ENDED, closed_by=actor.user_id, closed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(group)
    if moved != 1:
        closed_at = slack_date(group.closed_at, timezone=timezone) if group.closed_at else ""
        by = f" by <@{group.closed_by}> {closed_at}" if group.closed_by and closed_at else ""
        raise AlreadyChanged(f"Already closed{by}: {_name(group)} is closed.", "`/wg extend <date>` reopens it.")
    for cadence in _group_cadences(session, group):
        cadence.status, cadence.next_run_at = CadenceStatus.PAUSED, None
    _record(session, group, actor.user_id, "wg.closed", now)
    return group


def extend_group(
    session: Session,
    *,
    group: WorkingGroup,
    actor: Actor,
    end_on: date,
    now: datetime,
    timezone: str | None = None,
) -> WorkingGroup:
    """Move the end date (reopening a closed group); its nudges resume.

    A compare-and-set on the status and end date read: of two extensions at once one is recorded; the other
    raises AlreadyChanged saying who extended it to when (that moment in `timezone`, the actor's zone).
    """
    check_may_edit_charter(actor, roles=role_pairs(group), group_name=_name(group), created_by=group.created_by)
    if end_on <= now.date():
        raise UserError(f"The new end date {end_on.isoformat()} is not in the future.", "`/wg extend 2027-03-31`")
    previous, previous_status = group.end_on, group.status
    if previous_status == WorkingGroupStatus.ACTIVE and previous == end_on:  # the same extension sent again
        raise AlreadyChanged(_changed_meanwhile(session, group, timezone))
    seen_end = WorkingGroup.end_on.is_(None) if previous is None else WorkingGroup.end_on == previous
    moved = session.execute(
        update(WorkingGroup)
        .where(WorkingGroup.id == group.id, WorkingGroup.status == previous_status, seen_end)
        .values(
            end_on=end_on,
            status=WorkingGroupStatus.ACTIVE,
            closed_by=None,
            closed_at=None,
            end_warning_sent_on=None,
            end_question_sent_on=None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(group)
    if moved != 1:
        raise AlreadyChanged(_changed_meanwhile(session, group, timezone))
    for cadence in _group_cadences(session, group):
        if cadence.status == CadenceStatus.PAUSED and is_turned_on(group, cadence.kind):
            cadence.status, cadence.next_run_at = CadenceStatus.ACTIVE, next_after(from_dict(cadence.rule), now)
    _record(
        session,
        group,
        actor.user_id,
        "wg.extended",
        now,
        was=previous.isoformat() if previous else None,
        to=end_on.isoformat(),
        reopened=previous_status == WorkingGroupStatus.ENDED,
    )
    return group


def _changed_meanwhile(session: Session, group: WorkingGroup, timezone: str | None) -> str:
    """What a later extend is told: the group's end date and status now, and who last changed them, when."""
    events = [
        e
        for e in audit.history(session, team_id=group.team_id, subject_type="working_group", subject_id=group.id)
        if e.action in ("wg.extended", "wg.closed")
    ]
    by = f" by <@{events[-1].actor_id}> {slack_date(events[-1].at, timezone=timezone)}" if events else ""
    if group.status == WorkingGroupStatus.ENDED:
        return f"{_name(group)} was closed meanwhile{by}; nothing changed."
    end = group.end_on.isoformat() if group.end_on else "no end date"
    return f"Already extended to {end}{by}; nothing changed."


def is_turned_on(group: WorkingGroup, kind: str) -> bool:
    """Whether the group's leads left this cadence on (`/wg sync off` and `/wg digest off` turn them off)."""
    return {SYNC: group.sync_on, DIGEST: group.digest_on}.get(kind, True)


def _group_cadences(session: Session, group: WorkingGroup) -> list[Cadence]:
    return list(
        session.scalars(
            select(Cadence).where(
                Cadence.team_id == group.team_id,
                Cadence.subject_id == group.id,
                Cadence.kind.in_((SYNC, DIGEST, LIFECYCLE)),
                Cadence.status != CadenceStatus.REMOVED,
            )
        )
    )


def set_group_cadence(
    session: Session,
    *,
    group: WorkingGroup,
    actor: Actor,
    kind: str,
    rule: Recurrence | None,
    enabled: bool,
    user_timezone: str | None,
    now: datetime,
) -> Cadence | None:
    """Change when the sync (or digest) runs, or turn it off/on (DRI, facilitator or admin only)."""
    check_may_edit_charter(actor, roles=role_pairs(group), group_name=_name(group), created_by=group.created_by)
    cadence = group_cadence(session, group=group, kind=kind)
    if cadence is None:
        return None
    if rule is not None:
        workspace = ensure_workspace(session, team_id=group.team_id)
        cadence.rule = to_dict(complete_rule(rule, workspace=workspace, user_timezone=user_timezone, now=now))
    if kind == SYNC:
        group.sync_on = enabled
    elif kind == DIGEST:
        group.digest_on = enabled
    live = enabled and group.status == WorkingGroupStatus.ACTIVE
    cadence.status = CadenceStatus.ACTIVE if live else CadenceStatus.PAUSED
    cadence.next_run_at = next_after(from_dict(cadence.rule), now) if live else None
    _record(session, group, actor.user_id, f"{kind}.changed", now, enabled=enabled)
    return cadence


def group_by_id(session: Session, *, team_id: str, group_id: int) -> WorkingGroup:
    """A group of this team by id (buttons carry ids); raises UserError when it is gone."""
    group = session.scalar(select(WorkingGroup).where(WorkingGroup.id == group_id, WorkingGroup.team_id == team_id))
    if group is None:
        raise UserError("That working group is gone.")
    return group


def group_of_criterion(session: Session, *, team_id: str, criterion_id: int) -> WorkingGroup:
    """The group holding an exit criterion (the charter's buttons carry criterion ids)."""
    group_id = session.scalar(
        select(ExitCriterion.working_group_id).where(ExitCriterion.id == criterion_id, ExitCriterion.team_id == team_id)
    )
    if group_id is None:
        raise UserError("That exit criterion is gone; `/wg charter` shows the current ones.")
    return group_by_id(session, team_id=team_id, group_id=group_id)


def groups_of_user(session: Session, *, team_id: str, user_id: str) -> list[WorkingGroup]:
    """The active groups in which the user holds a role, by name."""
    with_role = select(WorkingGroupMember.working_group_id).where(
        WorkingGroupMember.team_id == team_id, WorkingGroupMember.user_id == user_id
    )
    return list(
        session.scalars(
            select(WorkingGroup)
            .where(
                WorkingGroup.team_id == team_id,
                WorkingGroup.id.in_(with_role),
                WorkingGroup.status == WorkingGroupStatus.ACTIVE,
            )
            .order_by(WorkingGroup.name)
        )
    )


def remove_action(
    session: Session, *, team_id: str, item_id: int, actor: Actor, now: datetime, timezone: str | None = None
) -> str:
    """Undo an item just added: only its creator, only while nobody has changed it; returns its text. A second Undo
    raises AlreadyChanged saying when the first took it back, in `timezone`, the presser's zone."""
    try:
        item = actions.get_item(session, team_id=team_id, item_id=item_id, program=PROGRAM)
    except UserError:
        removed = actions.taken_back(session, team_id=team_id, item_id=item_id)
        if removed is not None:  # a second Undo, after the first
            when = slack_date(removed.at, timezone=timezone)
            raise AlreadyChanged(f"Already taken back by <@{removed.actor_id}> {when}.") from None
        raise
    if item.created_by != actor.user_id:
        raise UserError(f"Only <@{item.created_by}>, who added action item #{item.id}, can take it back.")
    history = actions.item_history(session, item=item)
    removed = [event for event in history if event.action == "action.removed"]
    if removed:  # the first of two Undos at once got there between our two reads
        when = slack_date(removed[-1].at, timezone=timezone)
        raise AlreadyChanged(f"Already taken back by <@{removed[-1].actor_id}> {when}.")
    if history[1:]:
        raise UserError(f"Action item #{item.id} has changed since it was added; close it with `/wg done {item.id}`.")
    actions.take_back_item(session, item=item, actor_id=actor.user_id, now=now, timezone=timezone)
    return item.text


# ---- linking people to Slack users (issue 13)


def _link_row(session: Session, group: WorkingGroup, member: WorkingGroupMember, user_id: str) -> bool:
    """Link one role row if no one has yet (compare-and-set); whether this call linked it. The row is read afresh."""
    moved = session.execute(
        update(WorkingGroupMember)
        .where(
            WorkingGroupMember.id == member.id,
            WorkingGroupMember.team_id == group.team_id,
            WorkingGroupMember.user_id.is_(None),
        )
        .values(user_id=user_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(member)
    return moved == 1


def unlinked_people(group: WorkingGroup) -> list[WorkingGroupMember]:
    """The people a page named whom no Slack user holds yet, in charter order, one row each (a person holding two
    roles, "Facilitator/DRI", is one person to link; linking that row links the other); open roles are not people."""
    first_rows: dict[str, WorkingGroupMember] = {}
    for member in group.roles:
        if member.user_id is None and (member.person_name or "").strip():
            first_rows.setdefault(_person_key(member.person_name), member)
    return list(first_rows.values())


def check_may_link_people(actor: Actor, group: WorkingGroup) -> None:
    """Linking a page's people to Slack users is managing the group: the DRI, the facilitator, an admin, or whoever
    set the group up while no DRI or facilitator is linked; raises PermissionDenied."""
    check_may_edit_charter(actor, roles=role_pairs(group), group_name=_name(group), created_by=group.created_by)


def link_people(
    session: Session, *, group: WorkingGroup, actor: Actor, links: dict[int, str], now: datetime
) -> LinkOutcome:
    """Link role rows (by id) to Slack users, each audited; raises PermissionDenied.

    A compare-and-set on "not linked yet": a row someone linked since the form opened (or at the same moment) keeps
    its link and is reported in `already`; rows of another group or team are never touched (`gone`).
    """
    lock_group(session, group)  # two submissions queue up; the later one reads the first one's links
    rows = {
        member.id: member
        for member in session.scalars(
            select(WorkingGroupMember)
            .where(WorkingGroupMember.working_group_id == group.id, WorkingGroupMember.team_id == group.team_id)
            .execution_options(populate_existing=True)
        )
    }
    check_may_link_people(actor, group)
    linked: list[WorkingGroupMember] = []
    already: list[tuple[WorkingGroupMember, str | None]] = []
    for member_id, user_id in links.items():
        member = rows.get(member_id)
        if member is None:
            continue
        if not _link_row(session, group, member, user_id):
            already.append((member, _linked_by(session, group, member)))
            continue
        linked.append(member)
        _record(session, group, actor.user_id, "wg.role_linked", now, member=member.id, role=member.role, who=user_id)
        for other in rows.values():  # the same person's other roles on the page ("Facilitator/DRI")
            same = other.id != member.id and _person_key(other.person_name) == _person_key(member.person_name)
            if same and other.user_id is None and _link_row(session, group, other, user_id):
                _record(
                    session, group, actor.user_id, "wg.role_linked", now, member=other.id, role=other.role, who=user_id
                )
    return LinkOutcome(linked, already, gone=sum(1 for member_id in links if member_id not in rows))


def _linked_by(session: Session, group: WorkingGroup, member: WorkingGroupMember) -> str | None:
    """Who linked a role row last, from the audit trail (None when it came linked from the page or `/wg role`)."""
    events = audit.history(session, team_id=group.team_id, subject_type="working_group", subject_id=group.id)
    linked = [e for e in events if e.action == "wg.role_linked" and (e.detail or {}).get("member") == member.id]
    return linked[-1].actor_id if linked else None


def note_linking(report: ImportReport, *, group: WorkingGroup, actor: Actor) -> None:
    """Add to an import's to-check lines who is not linked to Slack yet, and that the importer manages the group until
    a DRI or facilitator is."""
    unlinked = unlinked_people(group)
    if unlinked:
        people = "1 person" if len(unlinked) == 1 else f"{len(unlinked)} people"
        report.check(f"{people} on the page are not linked to Slack users yet: Link people, or `/wg people` later.")
    leads = lead_ids(group)
    if not leads and group.created_by == actor.user_id:
        report.check("You can manage this group until a DRI or facilitator is linked.")
