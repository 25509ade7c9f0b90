"""The working-group part of App Home: the user's groups with their progress and the user's open items."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.action_items.rules import sort_for_reading
from bot.home import register_home_section
from bot.working_groups import service
from bot.working_groups.blocks import home as wg_home
from models import ActionItem, ActionItemStatus, WorkingGroup, WorkingGroupStatus


def working_group_home(session: Session, team_id: str, user_id: str, now: datetime) -> list[dict[str, Any]]:
    """Blocks for the user's active groups (with a role, or with an item they own) and their open items."""
    today = now.date()
    items = list(
        session.scalars(
            select(ActionItem).where(
                ActionItem.team_id == team_id,
                ActionItem.program == service.PROGRAM,
                ActionItem.owner_id == user_id,
                ActionItem.status == ActionItemStatus.OPEN,
            )
        )
    )
    groups = {g.id: g for g in service.groups_of_user(session, team_id=team_id, user_id=user_id)}
    missing = {i.subject_id for i in items} - set(groups)
    if missing:
        for group in session.scalars(
            select(WorkingGroup).where(
                WorkingGroup.team_id == team_id,
                WorkingGroup.id.in_(missing),
                WorkingGroup.status == WorkingGroupStatus.ACTIVE,
            )
        ):
            groups[group.id] = group
    ordered = sorted(groups.values(), key=lambda g: g.name.lower())
    with_items = [
        (group, sort_for_reading([i for i in items if i.subject_id == group.id], today=today)) for group in ordered
    ]
    return wg_home.home_section(with_items, user_id=user_id, today=today) if with_items else []


register_home_section("working_groups", order=10, build=working_group_home)
