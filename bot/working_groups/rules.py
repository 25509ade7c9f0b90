"""What a working group's state means, without a database or Slack: the text limits every form and command holds
to, how far its exit criteria are, how its roles are written, who leads it, and what one submission of the Link
people form did."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.permissions import role_holders
from bot.working_groups.handbook import WorkingGroupRole
from models import ExitCriterion, WorkingGroup, WorkingGroupMember

NAME_LIMIT = 200
GOAL_LIMIT = 2000
TEXT_LIMIT = 1000  # action items and exit criteria
LABEL_LIMIT = 200  # person names, titles and functions, as the columns hold them
URL_LIMIT = 2000

LEAD_ROLES = (WorkingGroupRole.DRI.value, WorkingGroupRole.FACILITATOR.value)
# A stored role as its key (`executive_stakeholder`) → as the handbook writes it (`Executive Stakeholder`).
_ROLE_LABELS = {role.value.lower().replace(" ", "_"): role.value for role in WorkingGroupRole}


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    """What one submission of the link form did: rows `linked` now, rows someone `already` linked (to whom, by whom,
    as `(row, linked_by)`), and how many it named that are not on this group's charter (`gone`: re-imported since, or
    another group's rows)."""

    linked: list[WorkingGroupMember]
    already: list[tuple[WorkingGroupMember, str | None]]
    gone: int = 0


def criterion_completion(criterion: ExitCriterion) -> float:
    """1.0 for a done criterion, else its recorded progress as a fraction (0 when none, clamped to 0..1)."""
    if criterion.done:
        return 1.0
    return max(0, min(100, criterion.progress or 0)) / 100


def criteria_progress(criteria: Sequence[ExitCriterion]) -> tuple[int, float]:
    """How many criteria are done, and the overall fraction, which counts partial progress of open ones too."""
    if not criteria:
        return 0, 0.0
    return sum(1 for c in criteria if c.done), sum(criterion_completion(c) for c in criteria) / len(criteria)


def criteria_met(criteria: Sequence[ExitCriterion]) -> bool:
    """Every exit criterion is done (and there is at least one)."""
    return bool(criteria) and all(c.done for c in criteria)


def role_label(member: WorkingGroupMember) -> str:
    """The role as the handbook writes it, e.g. `Functional Lead: Contributor Success` (not escaped)."""
    key = member.role.strip().lower().replace(" ", "_").replace("-", "_")
    label = _ROLE_LABELS.get(key, member.role.strip())
    return f"{label}: {member.function}" if member.function else label


def role_pairs(group: WorkingGroup) -> list[tuple[str, str | None]]:
    """(role, Slack user id) for every role holder, as the permission rules read them."""
    return [(member.role, member.user_id) for member in group.roles]


def lead_ids(group: WorkingGroup) -> set[str]:
    """The Slack ids of the group's DRI and facilitator: who manage it."""
    return set(role_holders(role_pairs(group), *LEAD_ROLES))
