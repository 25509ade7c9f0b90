"""The daily overdue DM lists every program's action items, and its buttons change any of them: ticked in simulated
time, clicked through signed block_actions requests into the running app."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

import bot.okrs.action_items  # noqa: F401 - registers the OKR items (bot/okrs/nudges.py imports it in the app)
from bot.action_items import service as actions
from bot.action_items.overdue import ensure_overdue_cadence
from bot.cadence import dispatcher
from bot.db import unit_of_work
from bot.okrs import rules
from devtools.app_client import AppClient, find_element
from devtools.slack_stand_in import SlackStandIn
from models import ActionItem, ActionItemStatus, OkrQuarter, RetroItem, RetroTeam

TEAM = "T0001"
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TUESDAY_9AM = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # the overdue cadence's 09:00 in UTC
OKR_HEADING = "*FY27-Q3 retrospective · Platform*"


def nudges_to(slack: SlackStandIn, user: str) -> list[dict]:
    """The DMs a person got, but for those telling them an item became theirs (tests/handlers/test_wg_first_week.py)."""
    return [m for m in slack.messages(user) if "to you: action item" not in m["text"]]


def okr_action_item(*, owner: str, due_on: date) -> int:
    """A retrospective's TRY line made an action item, rows written as the OKR service writes them; the item's id."""
    with unit_of_work() as session:
        quarter = OkrQuarter(
            team_id=TEAM, label="FY27-Q3", start_on=date(2026, 8, 1), end_on=date(2026, 10, 31), imported_by="U_ALICE"
        )
        team = RetroTeam(team_id=TEAM, position=0, name="Platform")
        line = RetroItem(team_id=TEAM, kind="try", position=0, text="Ship smaller changes")
        team.items.append(line)
        quarter.retro_teams.append(team)
        session.add(quarter)
        session.flush()
        item = actions.add_item(
            session,
            team_id=TEAM,
            program=rules.PROGRAM,
            subject_id=line.id,
            text="Ship smaller changes",
            owner=actions.Owner(user_id=owner),
            due_on=due_on,
            actor_id="U_ALICE",
            now=MONDAY,
        )
        line.action_item_id = item.id
        return item.id


def item(db: Session, item_id: int) -> ActionItem:
    db.expire_all()
    return db.scalars(select(ActionItem).where(ActionItem.id == item_id)).one()


def test_an_overdue_okr_item_is_in_the_daily_dm_and_done_there_closes_it(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    with unit_of_work() as session:
        ensure_overdue_cadence(session, team_id=TEAM, actor_id="U_ALICE", timezone="UTC", now=MONDAY)
    okr_id = okr_action_item(owner="U_BOB", due_on=date(2026, 11, 20))

    dispatcher.tick(TUESDAY_9AM, client=slack_client)
    [dm] = nudges_to(slack, "U_BOB")
    assert dm["text"] == "You have 1 overdue action item"
    assert OKR_HEADING in str(dm["blocks"]) and "Ship smaller changes" in str(dm["blocks"])
    assert find_element(dm["blocks"], "wg.action.done")["value"] == str(okr_id)

    with time_machine.travel(datetime(2026, 11, 24, 9, 30, tzinfo=UTC), tick=False):
        # Bob's DM, forwarded to Alice, who neither owns the item nor leads the team nor manages OKRs.
        stranger = app.click(dm, "wg.action.done", user="U_ALICE", channel=slack.dm_channel("U_ALICE"))
    said = " ".join(str(r) for r in stranger.responses)
    assert f"Only its owner <@U_BOB> or a workspace admin can change action item #{okr_id}" in said
    assert item(db, okr_id).status == ActionItemStatus.OPEN and nudges_to(slack, "U_BOB") == [dm]

    with time_machine.travel(datetime(2026, 11, 24, 9, 30, tzinfo=UTC), tick=False):
        reply = app.click(dm, "wg.action.done", user="U_BOB", channel=slack.dm_channel("U_BOB"))
    assert reply.status == 200
    [dm] = nudges_to(slack, "U_BOB")
    assert dm["text"] == "Nothing overdue is waiting on you today"  # redrawn in place from the rows as they are now
    closed = item(db, okr_id)
    assert closed.status == ActionItemStatus.DONE and closed.done_by == "U_BOB"

    dispatcher.tick(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), client=slack_client)
    assert len(nudges_to(slack, "U_BOB")) == 1  # nothing overdue the next morning: no DM


def test_one_dm_lists_working_group_and_okr_items_and_done_closes_only_the_one_clicked(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    with time_machine.travel(MONDAY, tick=False):  # a working group's set-up brings the daily overdue cadence
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", 'action "Outline" <@U_BOB|bob> due 2026-11-20', user="U_ALICE", channel="C_TEAM")
    okr_id = okr_action_item(owner="U_BOB", due_on=date(2026, 11, 19))

    dispatcher.tick(datetime(2026, 11, 24, 8, 0, tzinfo=UTC), client=slack_client)  # 09:00 in Alice's Paris
    [dm] = nudges_to(slack, "U_BOB")
    assert dm["text"] == "You have 2 overdue action items"
    shown = str(dm["blocks"])
    assert shown.index(OKR_HEADING) < shown.index("*Docs revamp* · <#C_TEAM>")  # the oldest item's group first
    assert find_element(dm["blocks"], "wg.action.done")["value"] == str(okr_id)

    with time_machine.travel(datetime(2026, 11, 24, 9, 0, tzinfo=UTC), tick=False):
        app.click(dm, "wg.action.done", user="U_BOB", channel=slack.dm_channel("U_BOB"))
        [dm] = nudges_to(slack, "U_BOB")
        assert dm["text"] == "You have 1 overdue action item" and OKR_HEADING not in str(dm["blocks"])
        app.click(dm, "wg.action.snooze", user="U_BOB", channel=slack.dm_channel("U_BOB"))  # the working group's

    items = {i.text: i for i in db.scalars(select(ActionItem))}
    assert items["Ship smaller changes"].status == ActionItemStatus.DONE
    assert items["Outline"].status == ActionItemStatus.OPEN and items["Outline"].snoozed_until == date(2026, 11, 25)
