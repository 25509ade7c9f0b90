"""Prospect services: weights and targets, scores, profile and tier, the ranking, and CSV import and export.

Session first, keyword-only, team-scoped, audited in the caller's transaction; UserError / PermissionDenied for what
users can fix. Nothing here commits: `python app.py cocreate import` runs a whole file in one unit of work, so a
failure saves nothing from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cocreate import standing
from bot.cocreate.prospect_csv import SEATS_MAX, TEAM_ID_LIMIT, ProspectRow
from bot.cocreate.rules import (
    INDUSTRY_LIMIT,
    TARGETS_USAGE,
    TOP_N,
    Criterion,
    ProspectScore,
    RankedProspect,
    Subscription,
    Targets,
    Tier,
    check_tier_override,
    criterion_of,
    rank,
    read_subscription,
    read_targets,
    read_tier,
    scored_count,
    total_score,
    validate_score,
    validate_weights,
)
from bot.cocreate.service import check_manager, locked_program, locked_prospect, program_of, record
from bot.errors import UserError
from bot.permissions import Actor
from bot.text import quoted
from models import CocreateProgram, Prospect, ProspectOutcome

TEAM_MEMBER_USAGE = "Pick a Slack member, e.g. `U0123ABCD`."
SEATS_USAGE = f"Seats are a whole number from 0 to {SEATS_MAX:,}, e.g. `250`."
INDUSTRY_USAGE = f"Keep the industry under {INDUSTRY_LIMIT} characters, e.g. `Finance`."
HANDLE_USAGE = "Write those people's Slack member ids (e.g. `U0123ABCD`) instead, and import the file again."
MAX_PROBLEMS_SHOWN = 10
# Ids reach set_profile from Slack's user pickers; this keeps out text such as `<!channel>`, not Slack's exact shape.
_MEMBER_ID = re.compile(r"[UW][A-Z0-9_]{2,}")
# The target settings `program.targets` stores, by the name `set_targets` takes them under.
_TARGET_NAMES = {
    "projects": "projects_per_quarter",
    "multiple": "pipeline_multiple",
    "weeks_min": "weeks_min",
    "weeks_max": "weeks_max",
}


class Unchanged(Enum):
    """The default of `set_profile`'s fields: leave this one as it is (None would clear it)."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


def _check_team(prospect: Prospect, team_id: str) -> None:
    """Services act on the caller's workspace only; raises UserError for a prospect from another one."""
    if prospect.team_id != team_id:
        raise UserError("That prospect is gone.", "`/cocreate top` lists the prospects.")


# ---- weights and targets -------------------------------------------------------------------------------------------


def weights_of(program: CocreateProgram) -> dict[Criterion, float]:
    """All seven weights: the program's settings over the defaults (equal); raises UserError for a bad stored one."""
    return validate_weights(program.weights or {})


def set_weights(
    session: Session, *, team_id: str, actor: Actor, weights: Mapping[Criterion | str, float], now: datetime
) -> dict[Criterion, float]:
    """Change some weights (the others stay): the program manager or an admin; raises PermissionDenied, or UserError
    for an unknown criterion or a bad weight."""
    program = program_of(session, team_id=team_id)
    check_manager(actor, program, "change the scoring weights")
    program = locked_program(session, program)
    before = weights_of(program)
    after = validate_weights({**before, **weights})
    program.weights = {criterion.value: weight for criterion, weight in after.items()}
    changed = {criterion.value: weight for criterion, weight in after.items() if before[criterion] != weight}
    if changed:
        standing.rescore(session, team_id=team_id)
    record(session, actor=actor, action="cocreate.weights_changed", subject=program, now=now, weights=changed)
    return after


def set_targets(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    now: datetime,
    projects: int | None = None,
    multiple: float | None = None,
    conversion_percent: float | None = None,
    weeks_min: int | None = None,
    weeks_max: int | None = None,
) -> Targets:
    """Change the targets given (None leaves one as it is): the program manager or an admin; `conversion_percent` is
    33 for 33%. Raises PermissionDenied, or UserError when the targets would not fit together."""
    program = program_of(session, team_id=team_id)
    check_manager(actor, program, "change the targets")
    program = locked_program(session, program)
    given = {"projects": projects, "multiple": multiple, "weeks_min": weeks_min, "weeks_max": weeks_max}
    changed: dict[str, object] = {_TARGET_NAMES[name]: value for name, value in given.items() if value is not None}
    if conversion_percent is not None:
        if isinstance(conversion_percent, bool) or not isinstance(conversion_percent, int | float):
            raise UserError(f"The conversion target can't be {quoted(str(conversion_percent))}.", TARGETS_USAGE)
        changed["conversion"] = conversion_percent / 100
    settings = {**(program.targets or {}), **changed}
    targets = read_targets(settings)
    program.targets = settings
    record(session, actor=actor, action="cocreate.targets_changed", subject=program, now=now, targets=changed)
    return targets


# ---- scores, profile and tier --------------------------------------------------------------------------------------


def scores_of(prospect: Prospect) -> dict[Criterion, int | None]:
    """The prospect's seven scores, None where unscored (stored keys that are no criterion are ignored)."""
    return standing.scores_from(prospect.scores)


def score_of(prospect: Prospect, weights: Mapping[Criterion, float]) -> float | None:
    """The prospect's total on 0..100 under these weights; None when nothing weighted is scored; never raises."""
    return total_score(scores_of(prospect), weights)


def scored_of(prospect: Prospect) -> int:
    """How many of the seven criteria the prospect has a score for."""
    return scored_count(scores_of(prospect))


def tier_of(prospect: Prospect) -> Tier:
    """The tier set by hand, or else the seed's tier from the prospect's scores, subscription and overlap."""
    return standing.tier_from(
        prospect.tier_override,
        scores_of(prospect),
        subscription=prospect.subscription,
        tech_stack_overlap=prospect.tech_stack_overlap,
    )


def _checked_scores(scores: Mapping[Criterion | str, int | str | None]) -> dict[Criterion, int | None]:
    """Each score checked under its criterion (None: unscored); raises UserError for an unknown criterion or a
    score that is not a whole number from 0 to 5."""
    checked: dict[Criterion, int | None] = {}
    for name, value in scores.items():
        criterion = criterion_of(name)
        if criterion is None:
            raise UserError(
                f"There is no criterion {quoted(str(name))}.",
                "The criteria are " + ", ".join(f"`{c.value}`" for c in Criterion) + ".",
            )
        checked[criterion] = None if value is None else validate_score(criterion, value)
    return checked


def set_scores(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    prospect: Prospect,
    scores: Mapping[Criterion | str, int | str | None],
    now: datetime,
) -> dict[Criterion, int | None]:
    """Score some criteria (the others stay; None clears one): anyone may; returns all seven. Raises UserError for an
    unknown criterion or a score that is not a whole number from 0 to 5."""
    _check_team(prospect, team_id)
    checked = _checked_scores(scores)
    prospect = locked_prospect(session, prospect)
    merged = {**scores_of(prospect), **checked}
    prospect.scores = {criterion.value: score for criterion, score in merged.items() if score is not None}
    given = {criterion.value: score for criterion, score in checked.items()}
    record(session, actor=actor, action="cocreate.scored", subject=prospect, now=now, scores=given)
    return merged


def set_profile(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    prospect: Prospect,
    now: datetime,
    subscription: str | None | Unchanged = UNCHANGED,
    seats: int | None | Unchanged = UNCHANGED,
    industry: str | None | Unchanged = UNCHANGED,
    tech_stack_overlap: bool | Unchanged = UNCHANGED,
    csm_id: str | None | Unchanged = UNCHANGED,
    ae_id: str | None | Unchanged = UNCHANGED,
    sa_id: str | None | Unchanged = UNCHANGED,
) -> list[str]:
    """Change the account fields given (UNCHANGED leaves one, None clears it): anyone may; returns the names of the
    fields that changed. Raises UserError for an unknown subscription, bad seats, an over-long industry or an
    account-team member that is not a Slack member id."""
    _check_team(prospect, team_id)
    given = {
        "subscription": subscription,
        "seats": seats,
        "industry": industry,
        "tech_stack_overlap": tech_stack_overlap,
        "csm_id": csm_id,
        "ae_id": ae_id,
        "sa_id": sa_id,
    }
    values = {name: _checked_field(name, value) for name, value in given.items() if value is not UNCHANGED}
    changed = [name for name, value in values.items() if getattr(prospect, name) != value]
    for name in changed:
        setattr(prospect, name, values[name])
    if changed:
        record(session, actor=actor, action="cocreate.profile_changed", subject=prospect, now=now, fields=changed)
    return changed


def _checked_field(name: str, value: object) -> object:
    """One account field as it is stored; raises UserError when it can't be."""
    if name in ("csm_id", "ae_id", "sa_id"):
        return _member_id(value, name.removesuffix("_id").upper())
    return _FIELD_CHECKS[name](value)


def _subscription(value: object) -> str | None:
    found = read_subscription(None if value is None else str(value))
    return found.value if found is not None else None


def _seats(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SEATS_MAX:
        raise UserError(f"The seats can't be {quoted(str(value))}.", SEATS_USAGE)
    return value


def _industry(value: object) -> str | None:
    text = (str(value) if value is not None else "").strip() or None
    if text is not None and len(text) > INDUSTRY_LIMIT:
        raise UserError(f"The industry is {len(text):,} characters; the limit is {INDUSTRY_LIMIT}.", INDUSTRY_USAGE)
    return text


def _overlap(value: object) -> bool:
    if not isinstance(value, bool):
        raise UserError(f"The tech-stack overlap is yes or no, not {quoted(str(value))}.")
    return value


_FIELD_CHECKS: Mapping[str, Callable[[object], object]] = {
    "subscription": _subscription,
    "seats": _seats,
    "industry": _industry,
    "tech_stack_overlap": _overlap,
}


def _member_id(value: object, role: str) -> str | None:
    """A Slack member id for an account-team role (None: nobody); raises UserError for anything else."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > TEAM_ID_LIMIT or not _MEMBER_ID.fullmatch(value):
        raise UserError(f"The {role} {quoted(str(value))} isn't a Slack member.", TEAM_MEMBER_USAGE)
    return value


def override_tier(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    prospect: Prospect,
    tier: int | str | None,
    reason: str | None,
    now: datetime,
) -> Tier:
    """Set the tier by hand with a reason, or clear the override with None (a reason then only goes in the audit
    trail): the program manager or an admin; returns the tier now in effect. Raises PermissionDenied, or UserError for
    a tier that is not 1, 2 or 3, or an override without a reason."""
    _check_team(prospect, team_id)
    program = program_of(session, team_id=team_id)
    check_manager(actor, program, "set a prospect's tier by hand")
    if tier is None:
        prospect.tier_override, prospect.tier_reason = None, None
        reason = (reason or "").strip() or None
    else:
        chosen = read_tier(tier)
        reason = check_tier_override(chosen, reason)
        prospect.tier_override, prospect.tier_reason = chosen.value, reason
    action = "cocreate.tier_cleared" if tier is None else "cocreate.tier_overridden"
    record(session, actor=actor, action=action, subject=prospect, now=now, tier=prospect.tier_override, reason=reason)
    return tier_of(prospect)


# ---- the ranking ---------------------------------------------------------------------------------------------------


def top(session: Session, *, team_id: str, n: int = TOP_N) -> list[RankedProspect]:
    """The best `n` open prospects (declined, deferred and started ones aside): tier 1 first, then the higher score
    (unscored last), then the name. Reads the standing kept on each row (bot/cocreate/standing.py) through its index,
    so it costs the same with 100 prospects as with 10,000; raises UserError before `/cocreate setup`."""
    program_of(session, team_id=team_id)
    if n <= 0:
        return []
    rows = session.execute(
        select(
            Prospect.id,
            Prospect.name,
            Prospect.rank_tier,
            Prospect.total_score,
            Prospect.fully_scored,
            Prospect.contacted_on,
            Prospect.scores,
        )
        .where(Prospect.team_id == team_id, Prospect.outcome == ProspectOutcome.OPEN)
        .order_by(
            Prospect.rank_tier,
            Prospect.total_score.is_(None),
            Prospect.total_score.desc(),
            func.lower(Prospect.name),
            Prospect.name,
        )
        .limit(n)
    ).all()
    ranked = {
        row.name: RankedProspect(
            row.id,
            row.name,
            Tier(row.rank_tier),
            row.total_score,
            row.fully_scored,
            row.contacted_on is not None,
            scored_count(row.scores or {}),
        )
        for row in rows
    }
    order = rank([ProspectScore(entry.name, entry.tier, entry.score) for entry in ranked.values()])
    return [ranked[key.name] for key in order]


# ---- CSV import and export -----------------------------------------------------------------------------------------


def _name_key(name: str) -> str:
    """Names compare as `read_prospects` compares them: any case, runs of spaces as one."""
    return " ".join(name.casefold().split())


def import_rows(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    rows: list[ProspectRow],
    now: datetime,
    resolve_user: Callable[[str], str | None] | None = None,
) -> tuple[int, int]:
    """Create or update (by name, any case) a prospect per row; returns (created, updated). An updated prospect takes
    every field from its row, so an empty cell clears. `@handles` in the account team are looked up with
    `resolve_user`. Raises UserError naming every org with a handle it can't resolve, PermissionDenied when rows
    change a tier override and the actor is not the manager or an admin. Saves in the caller's transaction only,
    so a raise part-way leaves nothing once it rolls back."""
    program = program_of(session, team_id=team_id)
    _check_distinct(rows)
    existing = {_name_key(p.name): p for p in session.scalars(select(Prospect).where(Prospect.team_id == team_id))}
    matched = [(row, existing.get(_name_key(row.org))) for row in rows]
    if any(_override_changes(row, prospect) for row, prospect in matched):
        check_manager(actor, program, "set a prospect's tier by hand")
    members = _resolved_handles(rows, resolve_user)
    created: list[Prospect] = []
    updated: list[tuple[Prospect, list[str]]] = []
    for row, prospect in matched:
        if prospect is None:
            prospect = Prospect(team_id=team_id, name=row.org, created_by=actor.user_id)
            session.add(prospect)
            created.append(prospect)
            _apply_row(prospect, row, members)
        else:
            updated.append((prospect, _apply_row(prospect, row, members)))
    session.flush()
    for prospect in created:
        record(session, actor=actor, action="cocreate.prospect_added", subject=prospect, now=now, source="import")
    for prospect, changed in updated:
        if changed:
            record(session, actor=actor, action="cocreate.prospect_imported", subject=prospect, now=now, fields=changed)
    return len(created), len(updated)


def _check_distinct(rows: list[ProspectRow]) -> None:
    """Raises UserError when two rows name the same org (`read_prospects` refuses that by line already)."""
    seen: set[str] = set()
    for row in rows:
        if _name_key(row.org) in seen:
            raise UserError(f"{quoted(row.org)} is in the file twice.", "Keep one row per organization.")
        seen.add(_name_key(row.org))


def _resolved_handles(rows: list[ProspectRow], resolve_user: Callable[[str], str | None] | None) -> dict[str, str]:
    """The member id of every `@handle` in the rows' account teams; raises UserError naming each org with a handle
    that does not resolve (all of them, not only the first)."""
    found: dict[str, str | None] = {}
    problems: list[str] = []
    for row in rows:
        for role, member in (("CSM", row.csm), ("AE", row.ae), ("SA", row.sa)):
            if member is None or not member.startswith("@"):
                continue
            if member not in found:
                found[member] = resolve_user(member) if resolve_user is not None else None
            if found[member] is None:
                problems.append(f"{quoted(row.org)}: I can't find the {role} {quoted(member)} in Slack.")
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > len(shown):
            shown.append(f"…and {len(problems) - len(shown)} more.")
        raise UserError("\n".join(shown), HANDLE_USAGE)
    return {handle: member for handle, member in found.items() if member is not None}


def _override_changes(row: ProspectRow, prospect: Prospect | None) -> bool:
    """Whether importing the row sets, changes or clears a tier override (manager or admin only)."""
    override = row.tier_override.value if row.tier_override is not None else None
    if prospect is None:
        return override is not None
    return (override, row.tier_reason) != (prospect.tier_override, prospect.tier_reason)


def _apply_row(prospect: Prospect, row: ProspectRow, members: Mapping[str, str]) -> list[str]:
    """Copy the row onto the prospect; returns the names of the fields that changed."""
    values = {
        "csm_id": members.get(row.csm, row.csm) if row.csm else None,
        "ae_id": members.get(row.ae, row.ae) if row.ae else None,
        "sa_id": members.get(row.sa, row.sa) if row.sa else None,
        "subscription": row.subscription.value if row.subscription is not None else None,
        "seats": row.seats,
        "industry": row.industry,
        "tech_stack_overlap": row.tech_stack_overlap,
        "scores": {c.value: score for c, score in _checked_scores(row.scores).items() if score is not None},
        "tier_override": row.tier_override.value if row.tier_override is not None else None,
        "tier_reason": row.tier_reason,
    }
    changed = [name for name, value in values.items() if getattr(prospect, name) != value]
    for name in changed:
        setattr(prospect, name, values[name])
    return changed


def export_rows(session: Session, *, team_id: str) -> list[ProspectRow]:
    """Every prospect as a CSV row, by name; `import_rows` reads them back unchanged. Raises UserError before setup."""
    program_of(session, team_id=team_id)
    prospects = sorted(
        session.scalars(select(Prospect).where(Prospect.team_id == team_id)), key=lambda p: (_name_key(p.name), p.name)
    )
    return [
        ProspectRow(
            org=prospect.name,
            csm=prospect.csm_id,
            ae=prospect.ae_id,
            sa=prospect.sa_id,
            subscription=Subscription(prospect.subscription) if prospect.subscription else None,
            seats=prospect.seats,
            industry=prospect.industry,
            tech_stack_overlap=prospect.tech_stack_overlap,
            scores=scores_of(prospect),
            tier_override=Tier(prospect.tier_override) if prospect.tier_override is not None else None,
            tier_reason=prospect.tier_reason,
        )
        for prospect in prospects
    ]
