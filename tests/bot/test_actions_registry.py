"""Action items across programs against a real database (SQLite and PostgreSQL): the overdue DM's groups and
headings, and who may change an item, asked of the item's program."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

import bot.okrs.action_items  # noqa: F401 - registers the OKR items (bot/okrs/nudges.py imports it in the app)
from bot.action_items import service as actions
from bot.action_items.overdue import overdue_message_for
from bot.action_items.service import Owner
from bot.errors import PermissionDenied, UserError
from bot.okrs import rules
from bot.permissions import Actor
from bot.working_groups import service as wg_service
from models import ActionItem, OkrOwner, OkrProgram, OkrQuarter, RetroItem, RetroTeam

TEAM = "T0001"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
OKR_HEADING = "*FY27-Q3 retrospective · Platform &amp; Infra*"


def add_item(db: Session, *, program: str, subject_id: int, text: str, owner: str, due_on: date) -> ActionItem:
    return actions.add_item(
        db,
        team_id=TEAM,
        program=program,
        subject_id=subject_id,
        text=text,
        owner=Owner(user_id=owner),
        due_on=due_on,
        actor_id="U_ALICE",
        now=NOW,
    )


def retro_line(db: Session, *, team_name: str = "Platform & Infra") -> RetroItem:
    """A TRY line in a quarter's retrospective, made the way the importer stores it."""
    quarter = OkrQuarter(
        team_id=TEAM, label="FY27-Q3", start_on=date(2026, 8, 1), end_on=date(2026, 10, 31), imported_by="U_ALICE"
    )
    team = RetroTeam(team_id=TEAM, position=0, name=team_name)
    line = RetroItem(team_id=TEAM, kind="try", position=0, text="Ship smaller changes")
    team.items.append(line)
    quarter.retro_teams.append(team)
    db.add(quarter)
    db.flush()
    return line


def okr_item(db: Session, *, owner: str = "U_CAROL", due_on: date = date(2026, 11, 18)) -> ActionItem:
    line = retro_line(db)
    item = add_item(
        db, program=rules.PROGRAM, subject_id=line.id, text="Ship smaller changes", owner=owner, due_on=due_on
    )
    line.action_item_id = item.id
    db.flush()
    return item


def wg_item(db: Session, *, owner: str = "U_BOB", due_on: date = date(2026, 11, 20)) -> ActionItem:
    group = wg_service.create_group(
        db,
        team_id=TEAM,
        actor_id="U_ALICE",
        channel_id="C_PRICING",
        new=wg_service.NewGroup(name="Pricing <WG>"),
        timezone="UTC",
        now=NOW,
    )
    return wg_service.add_action(
        db, group=group, actor_id="U_ALICE", text="Draft the price list", owner=Owner(owner), due_on=due_on, now=NOW
    )


def refusal(db: Session, actor: Actor, item: ActionItem) -> str:
    with pytest.raises(PermissionDenied) as caught:
        actions.check_may_change(db, actor=actor, item=item)
    return caught.value.message


def test_overdue_items_of_every_program_are_listed_under_their_headings(db: Session) -> None:
    wg = wg_item(db, owner="U_BOB")
    okr = okr_item(db, owner="U_BOB")
    other = add_item(db, program="later", subject_id=1, text="Unregistered", owner="U_BOB", due_on=date(2026, 11, 1))
    add_item(db, program=rules.PROGRAM, subject_id=okr.subject_id, text="Not late", owner="U_BOB", due_on=TODAY)
    add_item(db, program=rules.PROGRAM, subject_id=okr.subject_id, text="Alice's", owner="U_ALICE", due_on=TODAY)

    groups = actions.overdue_groups(db, team_id=TEAM, user_id="U_BOB", today=TODAY)

    # The group with the oldest item first; items no program names last, under "Other".
    assert [(heading, [i.id for i in items]) for heading, items in groups] == [
        (OKR_HEADING, [okr.id]),
        ("*Pricing &lt;WG&gt;* · <#C_PRICING>", [wg.id]),
        (actions.OTHER_HEADING, [other.id]),
    ]


def test_a_person_whose_only_overdue_item_is_an_okr_one_gets_a_dm_listing_it(db: Session) -> None:
    okr = okr_item(db, owner="U_CAROL")

    dm = overdue_message_for(db, team_id=TEAM, user_id="U_CAROL", today=TODAY)

    assert dm["text"] == "You have 1 overdue action item"
    shown = str(dm["blocks"])
    assert OKR_HEADING in shown and "Ship smaller changes" in shown
    done = [e for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"] if e.get("value") == str(okr.id)]
    assert [e["action_id"] for e in done] == ["wg.action.done", "wg.action.snooze"]


def test_an_okr_item_keeps_its_heading_through_a_resaved_retro_and_loses_it_with_the_quarter(db: Session) -> None:
    okr = okr_item(db, owner="U_CAROL")
    old_line = db.get_one(RetroItem, okr.subject_id)
    team = old_line.retro_team
    # Saving the retrospective again re-creates its lines; a TRY line kept word for word keeps its link.
    team.items.clear()
    db.flush()
    team.items.append(RetroItem(team_id=TEAM, kind="try", position=0, text=old_line.text, action_item_id=okr.id))
    db.flush()
    assert actions.overdue_groups(db, team_id=TEAM, user_id="U_CAROL", today=TODAY)[0][0] == OKR_HEADING

    db.delete(team.quarter)  # the quarter replaced: its retrospective goes with it
    db.flush()
    assert actions.overdue_groups(db, team_id=TEAM, user_id="U_CAROL", today=TODAY) == [("*OKR retrospective*", [okr])]


def test_an_okr_item_is_changed_by_its_owner_the_teams_role_holders_the_okr_manager_or_an_admin(db: Session) -> None:
    okr = okr_item(db, owner="U_CAROL")
    db.add(OkrProgram(team_id=TEAM, channel_id="C_OKRS", manager_id="U_MANAGER"))
    db.add(
        OkrOwner(
            team_id=TEAM, role="Platform & Infra", role_key=rules.role_key("Platform  &  infra:"), user_id="U_LEAD"
        )
    )
    db.flush()

    for allowed in (Actor("U_CAROL"), Actor("U_MANAGER"), Actor("U_LEAD"), Actor("U_ADMIN", is_admin=True)):
        actions.check_may_change(db, actor=allowed, item=okr)
    assert refusal(db, Actor("U_STRANGER"), okr) == (
        "Only its owner <@U_CAROL>, the leads of `Platform &amp; Infra` (<@U_LEAD>), the OKR manager <@U_MANAGER> "
        f"or a workspace admin can change action item #{okr.id}."
    )
    # The Done button goes through the same check.
    with pytest.raises(PermissionDenied):
        actions.change_item(
            db,
            item=okr,
            change=actions.ActionChange.DONE,
            actor_id="U_STRANGER",
            check=lambda target: actions.check_may_change(db, actor=Actor("U_STRANGER"), item=target),
            now=NOW,
        )


def test_an_okr_item_whose_retrospective_is_gone_is_its_owners_or_the_managers(db: Session) -> None:
    okr = okr_item(db, owner="U_CAROL")
    line = db.get_one(RetroItem, okr.subject_id)
    db.add(OkrProgram(team_id=TEAM, channel_id="C_OKRS", manager_id="U_MANAGER"))
    db.add(
        OkrOwner(team_id=TEAM, role="Platform & Infra", role_key=rules.role_key("Platform & Infra"), user_id="U_LEAD")
    )
    db.delete(line.retro_team.quarter)
    db.flush()

    actions.check_may_change(db, actor=Actor("U_MANAGER"), item=okr)
    assert refusal(db, Actor("U_LEAD"), okr) == (
        "Only its owner <@U_CAROL>, the OKR manager <@U_MANAGER> or a workspace admin "
        f"can change action item #{okr.id}."
    )


def test_working_group_and_unknown_items_keep_their_own_rules(db: Session) -> None:
    wg = wg_item(db, owner="U_BOB")
    other = add_item(db, program="later", subject_id=1, text="Unregistered", owner="U_BOB", due_on=TODAY)

    actions.check_may_change(db, actor=Actor("U_ALICE"), item=wg)  # the DRI
    assert refusal(db, Actor("U_STRANGER"), wg).startswith("Only its owner <@U_BOB>, the DRI or the facilitator")
    assert "the DRI or the facilitator" in refusal(db, Actor("U_ADMIN", is_admin=True), wg)  # as before: no admins

    actions.check_may_change(db, actor=Actor("U_ADMIN", is_admin=True), item=other)
    assert refusal(db, Actor("U_ALICE"), other) == (
        f"Only its owner <@U_BOB> or a workspace admin can change action item #{other.id}."
    )


def test_a_working_group_item_whose_group_is_gone_is_explained(db: Session) -> None:
    orphan = add_item(db, program=wg_service.PROGRAM, subject_id=999, text="Orphan", owner="U_BOB", due_on=TODAY)

    with pytest.raises(UserError, match="working group is gone"):
        actions.check_may_change(db, actor=Actor("U_BOB"), item=orphan)
    assert actions.overdue_groups(db, team_id=TEAM, user_id="U_BOB", today=date(2026, 12, 1)) == [
        (actions.OTHER_HEADING, [orphan])
    ]
