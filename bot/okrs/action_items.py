"""OKR action items (a retrospective's TRY lines made action items) in the lists every program shares, such as the
daily overdue DM: the heading that names their retrospective, and who may change one.

A TRY line taken out when its retrospective is saved again is deleted (the lines kept keep their rows), so an item's
`subject_id` can name a line that is gone (or, on SQLite, a newer line that got its number back). The line's own link
to the item (`RetroItem.action_item_id`) is read first; a line linked to another item is never taken for this one.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.action_items import service as actions
from bot.errors import PermissionDenied
from bot.okrs import rules, service
from bot.permissions import Actor
from bot.text import escape, quoted
from models import ActionItem, OkrProgram, RetroItem, RetroTeam

GONE_HEADING = "*OKR retrospective*"  # the retrospective was replaced or its TRY line removed


def retro_teams_of(session: Session, *, team_id: str, items: list[ActionItem]) -> dict[int, RetroTeam]:
    """The retrospective team each OKR item came from, by item id; items whose line is gone are left out."""
    if not items:
        return {}
    item_ids = [item.id for item in items]
    lines = session.scalars(
        select(RetroItem).where(
            RetroItem.team_id == team_id,
            or_(RetroItem.action_item_id.in_(item_ids), RetroItem.id.in_({item.subject_id for item in items})),
        )
    ).all()
    by_link = {line.action_item_id: line for line in lines if line.action_item_id is not None}
    by_id = {line.id: line for line in lines}
    found: dict[int, RetroTeam] = {}
    for item in items:
        line = by_link.get(item.id) or by_id.get(item.subject_id)
        if line is not None and line.action_item_id in (None, item.id):
            found[item.id] = line.retro_team
    return found


def headings(session: Session, team_id: str, items: list[ActionItem]) -> dict[int, str]:
    """`*FY20-Q2 retrospective · Platform*` for each item, `*OKR retrospective*` when its line is gone."""
    teams = retro_teams_of(session, team_id=team_id, items=items)
    named: dict[int, str] = {}
    for item in items:
        team = teams.get(item.id)
        named[item.id] = (
            f"*{escape(team.quarter.label)} retrospective · {escape(team.name)}*" if team is not None else GONE_HEADING
        )
    return named


def check_may_change(session: Session, actor: Actor, item: ActionItem) -> None:
    """An OKR item is changed by its owner, the retrospective team's role holders (`/okr owner`), the OKR manager or
    a workspace admin; raises PermissionDenied naming them."""
    if actor.is_admin or (item.owner_id is not None and actor.user_id == item.owner_id):
        return
    program = session.scalar(select(OkrProgram).where(OkrProgram.team_id == item.team_id))
    if program is not None and actor.user_id == program.manager_id:
        return
    team = retro_teams_of(session, team_id=item.team_id, items=[item]).get(item.id)
    leads = service.team_leads(session, team_id=item.team_id, name=team.name) if team is not None else []
    if actor.user_id in leads:
        return
    who = [f"its owner <@{item.owner_id}>" if item.owner_id else "its owner"]
    if team is not None and leads:
        who.append(f"the leads of {quoted(team.name)} ({', '.join(f'<@{u}>' for u in leads)})")
    if program is not None:
        who.append(f"the OKR manager <@{program.manager_id}>")
    raise PermissionDenied(f"Only {', '.join(who)} or a workspace admin can change action item #{item.id}.")


actions.register_item_program(rules.PROGRAM, actions.ItemProgram(headings=headings, check=check_may_change))
