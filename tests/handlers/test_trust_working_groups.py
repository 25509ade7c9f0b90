"""Working groups keep their promises on every path, through signed requests on both databases: extend and reopen,
a closed group's silence, one answer to two presses at the same moment (real threads), saved before said, only
where you belong, one row for two get-or-creates at once, and every echo escaped."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import time_machine
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from devtools.app_client import AppClient, find_element
from devtools.signing import block_actions_body, post_signed
from devtools.slack_stand_in import SlackStandIn
from handlers.membership import forget_members
from models import (
    ActionItem,
    ActionItemStatus,
    AuditEvent,
    Cadence,
    CadenceStatus,
    ExitCriterion,
    WorkingGroup,
    WorkingGroupMember,
)
from tests.handlers.test_overdue_across_programs import OKR_HEADING, okr_action_item
from tests.support.concurrency import at_once

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Alice's Paris
TUESDAY_DM = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # the daily overdue DM, 09:00 Paris
TUESDAY_SYNC = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # the bi-weekly sync reminder, 10:00 Paris
LATER = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def nudges_to(slack: SlackStandIn, user: str) -> list[dict]:
    """The DMs a person got, but for those telling them an item became theirs (tests/handlers/test_wg_first_week.py)."""
    return [m for m in slack.messages(user) if "to you: action item" not in m["text"]]


def wg(app: AppClient, text: str, *, user: str = "U_ALICE", channel: str = "C_TEAM", at: datetime = MONDAY) -> Any:
    with time_machine.travel(at, tick=False):
        return app.command("/wg", text, user=user, channel=channel)


def group_with_item(app: AppClient, *, owner: str = "U_BOB", due: str = "2026-11-20") -> None:
    wg(app, 'create "Docs revamp"')
    wg(app, f'action "Outline" <@{owner}|{owner.lower()}> due {due}')


def press(
    app: AppClient,
    message: dict[str, Any],
    action_id: str,
    *,
    user: str,
    channel: str,
    answers: str,
    action: dict[str, Any] | None = None,
    ephemeral: bool = False,
) -> Callable[[], int]:
    """A signed press of `action_id` on `message`, ready to send (each with its own trigger_id); what the app says
    back through response_url lands under `answers`."""
    element = find_element(message["blocks"], action_id)
    container = (
        {"type": "message", "is_ephemeral": True, "channel_id": channel, "message_ts": message.get("ts", "1.2")}
        if ephemeral
        else None
    )
    body = block_actions_body(
        action_id,
        element.get("value", ""),
        user_id=user,
        channel_id=channel,
        message_ts=message.get("ts", "1.2"),
        message=message if not ephemeral else None,
        team_id=app.team_id,
        block_id=element["_block_id"],
        container=container,
        # Slack sends a picker's or menu's initial value back with the press, as the reader saw it.
        action={
            "block_id": element["_block_id"],
            **{key: element[key] for key in ("initial_date", "initial_user") if key in element},
            **(action or {}),
        },
        response_url=app.slack.response_url(answers),
    )
    return lambda: post_signed(app.url, body, app.secret)[0]


def said(slack: SlackStandIn, answers: str) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in slack.responses(answers))


def audit_rows(db: Session, action: str) -> list[AuditEvent]:
    db.expire_all()
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def the_item(db: Session) -> ActionItem:
    db.expire_all()
    return db.scalars(select(ActionItem)).one()


def the_group(db: Session, channel: str = "C_TEAM") -> WorkingGroup:
    db.expire_all()
    return db.scalars(select(WorkingGroup).where(WorkingGroup.channel_id == channel)).one()


def loser_of(winner: str, people: dict[str, str]) -> str:
    """The answers name of whoever did not win."""
    [loser] = [answers for user, answers in people.items() if user != winner]
    return loser


# --------------------------------------------------------------------------------------------- extend and reopen


def test_extend_from_the_command_reopens_a_closed_group_and_its_nudges_resume(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    wg(app, 'create "Docs revamp" ends 2026-12-31')
    closed = wg(app, "close")
    assert "Closed" in closed.text and the_group(db).status == "ended"

    extended = wg(app, "extend 2027-03-31")
    assert extended["response_type"] == "ephemeral" and "Extended to 2027-03-31" in extended.text
    group = the_group(db)
    assert (group.status, group.end_on, group.closed_by) == ("active", date(2027, 3, 31), None)
    kinds = {c.kind: c.status for c in db.scalars(select(Cadence)) if c.kind != "wg.overdue"}
    assert kinds == {"wg.sync": CadenceStatus.ACTIVE, "wg.digest": CadenceStatus.ACTIVE, "wg.lifecycle": "active"}
    [row] = audit_rows(db, "wg.extended")
    assert row.actor_id == "U_ALICE" and row.detail == {"was": "2026-12-31", "to": "2027-03-31", "reopened": True}
    assert "now has the end date" in slack.messages("C_TEAM")[-1]["text"] + str(slack.messages("C_TEAM")[-1])

    dispatcher.tick(TUESDAY_SYNC, client=slack_client)  # the reopened group's sync reminder is back
    assert slack.messages("C_TEAM")[-1]["text"] == "Sync today: Docs revamp"


def end_question(app: AppClient, slack: SlackStandIn, slack_client: WebClient, *, dri: str = "U_ALICE") -> dict:
    """A group that ended on Wed 25 Nov, and the question its DRI gets the next morning."""
    wg(app, 'create "Docs revamp" ends 2026-11-25')
    dispatcher.tick(TUESDAY_DM, client=slack_client)  # the two-weeks notice in the channel
    dispatcher.tick(datetime(2026, 11, 26, 8, 0, tzinfo=UTC), client=slack_client)
    [question] = [m for m in slack.messages(dri) if "reached its end date" in m["text"]]
    return question


def test_extend_from_the_end_questions_date_picker_moves_the_end_and_redraws_the_question(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    question = end_question(app, slack, slack_client)
    pick = press(
        app,
        question,
        "wg.group.extend",
        user="U_ALICE",
        channel=slack.dm_channel("U_ALICE"),
        answers="alice",
        action={"type": "datepicker", "selected_date": "2027-01-31"},
    )
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=UTC), tick=False):
        assert pick() == 200

    group = the_group(db)
    assert (group.status, group.end_on, group.end_question_sent_on) == ("active", date(2027, 1, 31), None)
    assert len(audit_rows(db, "wg.extended")) == 1 and "Something went wrong" not in said(slack, "alice")
    assert "now has the end date" in str(slack.messages("C_TEAM")[-1]["blocks"])
    [redrawn] = [m for m in nudges_to(slack, "U_ALICE") if m["ts"] == question["ts"]]
    assert redrawn["text"] == "Docs revamp was extended"


# --------------------------------------------------------------------------------------------- a closed group is quiet


def test_a_closed_groups_items_get_no_overdue_dm_while_okr_items_still_do(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    wg(app, 'create "Docs revamp"')
    wg(app, 'action "Outline" <@U_BOB|bob> due 2026-11-20')
    wg(app, 'action "Style guide" <@U_ALICE|alice> due 2026-11-20')
    okr_action_item(owner="U_BOB", due_on=date(2026, 11, 19))
    wg(app, "close")

    dispatcher.tick(TUESDAY_DM, client=slack_client)
    [bob] = nudges_to(slack, "U_BOB")
    assert bob["text"] == "You have 1 overdue action item"
    assert OKR_HEADING in str(bob["blocks"]) and "Outline" not in str(bob["blocks"])
    assert nudges_to(slack, "U_ALICE") == []  # her only overdue item is the closed group's

    wg(app, "extend 2027-03-31", at=LATER)  # reopened: its items are nudged again the next morning
    dispatcher.tick(datetime(2026, 11, 25, 8, 0, tzinfo=UTC), client=slack_client)
    [alice] = nudges_to(slack, "U_ALICE")
    assert alice["text"] == "You have 1 overdue action item" and "Style guide" in str(alice["blocks"])
    assert nudges_to(slack, "U_BOB")[-1]["text"] == "You have 2 overdue action items"


# --------------------------------------------------------------------------------------------- two presses at once


def test_two_people_pressing_done_at_once_on_the_sync_reminder_record_it_once(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    group_with_item(app, due="2026-12-01")
    dispatcher.tick(TUESDAY_SYNC, client=slack_client)
    reminder = slack.messages("C_TEAM")[-1]
    people = {"U_ALICE": "alice", "U_BOB": "bob"}
    presses = [press(app, reminder, "wg.action.done", user=u, channel="C_TEAM", answers=a) for u, a in people.items()]
    with time_machine.travel(LATER, tick=False):
        assert at_once(*presses) == [200, 200]

    item = the_item(db)
    [row] = audit_rows(db, "action.done")
    assert item.status == ActionItemStatus.DONE and item.done_by == row.actor_id
    loser = said(slack, loser_of(item.done_by, people))
    assert f"Already marked done by <@{item.done_by}> <!date^{int(LATER.timestamp())}^" in loser
    assert '"response_type": "ephemeral"' in loser and "Marked done" in said(slack, people[item.done_by])


def test_a_double_press_of_done_or_snooze_in_the_overdue_dm_is_recorded_once(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    wg(app, 'create "Docs revamp"')
    wg(app, 'action "Outline" <@U_BOB|bob> due 2026-11-20')
    wg(app, 'action "Glossary" <@U_BOB|bob> due 2026-11-20')
    dispatcher.tick(TUESDAY_DM, client=slack_client)
    [dm] = nudges_to(slack, "U_BOB")
    dm_channel = slack.dm_channel("U_BOB")

    snoozes = [press(app, dm, "wg.action.snooze", user="U_BOB", channel=dm_channel, answers=f"s{n}") for n in (1, 2)]
    with time_machine.travel(LATER, tick=False):
        assert at_once(*snoozes) == [200, 200]
    [snoozed] = audit_rows(db, "action.snoozed")
    answers = said(slack, "s1") + said(slack, "s2")
    assert "Already snoozed by <@U_BOB> until 2026-11-25" in answers
    assert len(slack.calls("chat.update")) == 1  # only the winner redrew the DM

    [dm] = nudges_to(slack, "U_BOB")
    dones = [press(app, dm, "wg.action.done", user="U_BOB", channel=dm_channel, answers=f"d{n}") for n in (1, 2)]
    with time_machine.travel(LATER, tick=False):
        assert at_once(*dones) == [200, 200]
    [done] = audit_rows(db, "action.done")
    assert done.subject_id != snoozed.subject_id
    assert "Already marked done by <@U_BOB>" in said(slack, "d1") + said(slack, "d2")
    db.expire_all()
    statuses = {i.text: (i.status, i.snoozed_until) for i in db.scalars(select(ActionItem))}
    assert sorted(statuses.values()) == [("done", None), ("open", date(2026, 11, 25))]


def list_row(app: AppClient, *, which: str = "", user: str = "U_BOB") -> dict[str, Any]:
    """`/wg actions` as an ephemeral message to press on (its controls carry the item's row id)."""
    reply = wg(app, f"actions {which}".strip(), user=user, at=LATER)
    return {"blocks": reply["blocks"], "ts": "1.2"}


def test_two_new_due_dates_or_owners_picked_at_once_keep_the_first_and_tell_the_second(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    group_with_item(app, due="2026-11-27")
    listing = list_row(app)
    dates = {"U_ALICE": "2026-12-11", "U_BOB": "2026-12-18"}
    picks = [
        press(
            app,
            listing,
            "wg.action.due",
            user=user,
            channel="C_TEAM",
            answers=f"due-{user}",
            action={"type": "datepicker", "selected_date": picked},
            ephemeral=True,
        )
        for user, picked in dates.items()
    ]
    with time_machine.travel(LATER, tick=False):
        assert at_once(*picks) == [200, 200]
    [row] = audit_rows(db, "action.due")
    assert the_item(db).due_on.isoformat() == dates[row.actor_id] == row.detail["to"]
    loser = next(u for u in dates if u != row.actor_id)
    assert f"Already due {dates[row.actor_id]} by <@{row.actor_id}>" in said(slack, f"due-{loser}")

    wg(app, "role add facilitator <@U_ADMIN|ada>")  # both pressers stay allowed whoever wins
    owners = {"U_ALICE": "U_ADMIN", "U_ADMIN": "U_ALICE"}
    picks = [
        press(
            app,
            listing,
            "wg.action.reassign",
            user=user,
            channel="C_TEAM",
            answers=f"owner-{user}",
            action={"type": "users_select", "selected_user": picked},
            ephemeral=True,
        )
        for user, picked in owners.items()
    ]
    with time_machine.travel(LATER, tick=False):
        assert at_once(*picks) == [200, 200]
    [row] = audit_rows(db, "action.reassign")
    assert the_item(db).owner_id == owners[row.actor_id]
    loser = next(u for u in owners if u != row.actor_id)
    assert f"Already reassigned to <@{owners[row.actor_id]}> by <@{row.actor_id}>" in said(slack, f"owner-{loser}")
    # The new owner is told once, by the pick that won; the other pick changed nothing and told nobody.
    told = {user: [m for m in slack.messages(user) if "to you: action item" in m["text"]] for user in owners}
    assert len(told[owners[row.actor_id]]) == 1 and told[row.actor_id] == []


def test_two_reopens_at_once_are_recorded_once(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    group_with_item(app)
    wg(app, "done 1", user="U_BOB")
    listing = list_row(app, which="all")
    people = {"U_ALICE": "alice", "U_BOB": "bob"}
    presses = [
        press(app, listing, "wg.action.reopen", user=u, channel="C_TEAM", answers=a, ephemeral=True)
        for u, a in people.items()
    ]
    with time_machine.travel(LATER, tick=False):
        assert at_once(*presses) == [200, 200]
    [row] = audit_rows(db, "action.reopen")
    assert the_item(db).status == ActionItemStatus.OPEN and the_item(db).done_by is None
    assert f"Already reopened by <@{row.actor_id}>" in said(slack, loser_of(row.actor_id, people))


def test_a_double_press_of_undo_takes_the_item_back_once(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    wg(app, 'create "Docs revamp"')
    added = wg(app, 'action "Outline" <@U_BOB|bob> due 2026-11-27')
    reply = {"blocks": added["blocks"], "ts": "1.2"}
    presses = [
        press(app, reply, "wg.action.undo", user="U_ALICE", channel="C_TEAM", answers=f"u{n}", ephemeral=True)
        for n in (1, 2)
    ]
    with time_machine.travel(LATER, tick=False):
        assert at_once(*presses) == [200, 200]
    assert db.scalar(select(func.count()).select_from(ActionItem)) == 0
    assert len(audit_rows(db, "action.removed")) == 1
    answers = said(slack, "u1") + said(slack, "u2")
    assert "Took back the action item" in answers and "Already taken back by <@U_ALICE>" in answers


def test_two_people_ticking_a_criterion_at_once_record_it_once(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    wg(app, 'create "Docs revamp"')
    wg(app, "role add member <@U_BOB|bob>")
    wg(app, 'criterion add "Ship the new docs"')
    wg(app, "charter")
    charter = slack.messages("C_TEAM")[-1]
    people = {"U_ALICE": "alice", "U_BOB": "bob"}
    presses = [press(app, charter, "wg.criterion.done", user=u, channel="C_TEAM", answers=a) for u, a in people.items()]
    with time_machine.travel(LATER, tick=False):
        assert at_once(*presses) == [200, 200]
    db.expire_all()
    criterion = db.scalars(select(ExitCriterion)).one()
    [row] = audit_rows(db, "wg.criterion_done")
    assert criterion.done and criterion.done_by == row.actor_id
    assert f"Already ticked by <@{criterion.done_by}>" in said(slack, loser_of(criterion.done_by, people))


def test_two_dris_closing_the_group_at_once_from_their_questions_close_it_once(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    wg(app, 'create "Docs revamp" ends 2026-11-25')
    wg(app, "role add DRI <@U_BOB|bob>")
    dispatcher.tick(TUESDAY_DM, client=slack_client)
    dispatcher.tick(datetime(2026, 11, 26, 8, 0, tzinfo=UTC), client=slack_client)
    people = {"U_ALICE": "alice", "U_BOB": "bob"}
    presses = []
    for user, answers in people.items():
        [asked] = [m for m in slack.messages(user) if "reached its end date" in m["text"]]
        presses.append(press(app, asked, "wg.group.close", user=user, channel=slack.dm_channel(user), answers=answers))
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=UTC), tick=False):
        assert at_once(*presses) == [200, 200]
    group = the_group(db)
    [row] = audit_rows(db, "wg.closed")
    assert group.status == "ended" and group.closed_by == row.actor_id
    assert [m["text"] for m in slack.messages("C_TEAM")].count("Docs revamp was closed") == 1
    assert f"Already closed by <@{row.actor_id}>" in said(slack, loser_of(row.actor_id, people))


def test_wg_done_typed_twice_at_once_is_recorded_once(app: AppClient, db: Session) -> None:
    group_with_item(app)
    with time_machine.travel(LATER, tick=False):
        replies = at_once(
            lambda: app.command("/wg", "done 1", user="U_ALICE", channel="C_TEAM"),
            lambda: app.command("/wg", "done 1", user="U_BOB", channel="C_TEAM"),
        )
    [row] = audit_rows(db, "action.done")
    assert the_item(db).done_by == row.actor_id
    texts = {user: reply.text for user, reply in zip(("U_ALICE", "U_BOB"), replies, strict=True)}
    loser = next(u for u in texts if u != row.actor_id)
    assert texts[loser].startswith(f":x: Already marked done by <@{row.actor_id}> <!date^")


# --------------------------------------------------------------------------------------------- saved before said


def test_a_failing_redraw_of_the_overdue_dm_keeps_the_item_done_and_says_so(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    group_with_item(app)
    dispatcher.tick(TUESDAY_DM, client=slack_client)
    [dm] = nudges_to(slack, "U_BOB")
    slack.fail_next("chat.update", 500)
    with time_machine.travel(LATER, tick=False):
        assert press(app, dm, "wg.action.done", user="U_BOB", channel=slack.dm_channel("U_BOB"), answers="bob")() == 200
    assert the_item(db).status == ActionItemStatus.DONE
    answer = said(slack, "bob")
    assert "Marked action item #1 done. I couldn't post there" in answer and "Nothing was saved" not in answer


def test_a_failing_charter_redraw_keeps_the_criterion_ticked_and_says_so(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    wg(app, 'create "Docs revamp"')
    wg(app, 'criterion add "Ship the new docs"')
    wg(app, "charter")
    charter = slack.messages("C_TEAM")[-1]
    slack.error_next("chat.update", "not_in_channel")
    assert press(app, charter, "wg.criterion.done", user="U_ALICE", channel="C_TEAM", answers="alice")() == 200
    db.expire_all()
    assert db.scalars(select(ExitCriterion.done)).one() is True
    assert "Ticked the exit criterion. I couldn't post in <#C_TEAM>: invite me with `/invite @Cadence`." in said(
        slack, "alice"
    )


def create_values(name: str, goal: str = "Better docs") -> dict:
    return {
        "wg.create.name": {"wg.create.name": {"type": "plain_text_input", "value": name}},
        "wg.create.goal": {"wg.create.goal": {"type": "plain_text_input", "value": goal}},
        "wg.create.created_on": {"wg.create.created_on": {"type": "datepicker", "selected_date": None}},
        "wg.create.end_on": {"wg.create.end_on": {"type": "datepicker", "selected_date": None}},
        "wg.create.agenda_url": {"wg.create.agenda_url": {"type": "url_text_input", "value": None}},
        "wg.create.board_url": {"wg.create.board_url": {"type": "url_text_input", "value": None}},
    }


def test_a_create_form_whose_charter_post_fails_says_the_group_was_saved(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    wg(app, "create")
    slack.error_next("chat.postMessage", "not_in_channel")
    with time_machine.travel(MONDAY, tick=False):
        answer = app.submit(slack.views_opened()[-1], create_values("Docs revamp"), user="U_ALICE")
    assert answer["response_action"] == "update"
    assert (
        "Saved the working group. I couldn't post in <#C_TEAM>: invite me with `/invite @Cadence`."
        in answer["view"]["blocks"][0]["text"]["text"]
    )
    assert the_group(db).name == "Docs revamp" and slack.messages("C_TEAM") == []


def test_an_import_whose_charter_post_fails_says_the_group_was_saved(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    wg(app, "import")
    page = "# Docs revamp\n\n## Exit Criteria\n\n1. Ship the new docs\n"
    values = {
        "wg.import.page": {"wg.import.page": {"type": "plain_text_input", "value": page}},
        "wg.import.page_more": {"wg.import.page_more": {"type": "plain_text_input", "value": ""}},
        "wg.import.file": {"wg.import.file": {"type": "file_input", "files": []}},
    }
    slack.fail_next("chat.postMessage", 500)
    with time_machine.travel(MONDAY, tick=False):
        answer = app.submit(slack.views_opened()[-1], values, user="U_ALICE")
    assert answer["response_action"] == "update"
    assert "Saved the working group. I couldn't post in <#C_TEAM>" in json.dumps(answer["view"])
    assert the_group(db).name == "Docs revamp" and [c.text for c in the_group(db).exit_criteria] == [
        "Ship the new docs"
    ]


def test_a_close_whose_notice_fails_is_still_closed_and_says_so(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    wg(app, 'create "Docs revamp"')
    slack.error_next("chat.postMessage", "not_in_channel")
    reply = wg(app, "close")
    assert the_group(db).status == "ended"
    assert reply.text == (
        "Closed. Its nudges have stopped; its charter and history stay. "
        "I couldn't post in <#C_TEAM>: invite me with `/invite @Cadence`."
    )


# --------------------------------------------------------------------------------------------- where you belong


def test_a_create_form_submitted_by_someone_no_longer_in_the_channel_is_refused(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    wg(app, "create", user="U_BOB")
    slack.add_channel("C_TEAM", "team-sync", members=["U_ALICE"])  # Bob left before submitting
    forget_members()
    answer = app.submit(slack.views_opened()[-1], create_values("Docs revamp"), user="U_BOB")
    assert answer["response_action"] == "errors"
    assert "You're not in <#C_TEAM>" in answer["errors"]["wg.create.name"]
    assert db.scalar(select(func.count()).select_from(WorkingGroup)) == 0 and slack.messages("C_TEAM") == []


# --------------------------------------------------------------------------------------------- get-or-create races


def test_two_role_adds_of_the_same_person_at_once_make_one_role(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    wg(app, 'create "Docs revamp"')
    wg(app, "role add facilitator <@U_BOB|bob>")
    people = ["U_ADMIN", "U_CAROL", "U_DAN", "U_ERIN"]
    for person in people[1:]:
        slack.add_user(person)
    for person in people:  # a round per person: the DRI and the facilitator add them at the same moment
        mention = f"<@{person}|{person.lower()}>"
        with time_machine.travel(LATER, tick=False):
            replies = at_once(
                lambda m=mention: app.command("/wg", f"role add member {m}", user="U_ALICE", channel="C_TEAM"),
                lambda m=mention: app.command("/wg", f"role add member {m}", user="U_BOB", channel="C_TEAM"),
            )
        texts = [reply.all_text() for reply in replies]
        assert sum("Role added" in t for t in texts) == 1 and sum("is already Member" in t for t in texts) == 1
    db.expire_all()
    members = db.scalars(select(WorkingGroupMember).order_by(WorkingGroupMember.position)).all()
    assert [(m.position, m.role, m.user_id) for m in members] == [
        (0, "DRI", "U_ALICE"),
        (1, "Facilitator", "U_BOB"),
        *((2 + n, "Member", person) for n, person in enumerate(people)),
    ]
    assert len(audit_rows(db, "wg.role_added")) == 1 + len(people)


def test_two_creates_in_one_channel_at_once_make_one_group_and_one_overdue_dm_cadence(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    slack.add_channel("C_WG_B", "wg_b", members=["U_ALICE", "U_BOB"])
    with time_machine.travel(MONDAY, tick=False):
        replies = at_once(
            lambda: app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM"),
            lambda: app.command("/wg", 'create "Docs again"', user="U_BOB", channel="C_TEAM"),
            lambda: app.command("/wg", 'create "Pricing"', user="U_BOB", channel="C_WG_B"),
        )
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(WorkingGroup).where(WorkingGroup.channel_id == "C_TEAM")) == 1
    name = the_group(db).name
    texts = [reply.text for reply in replies]
    assert not any("Something went wrong" in text for text in texts), texts
    refused = [text for text in texts[:2] if "already holds" in text]
    assert len(refused) == 1
    assert refused[0].startswith(f":x: This channel already holds the working group *{name}*.")
    overdue = db.scalar(select(func.count()).select_from(Cadence).where(Cadence.kind == "wg.overdue"))
    assert overdue == 1  # one DM a day per owner, however many groups began at once
    assert db.scalar(select(func.count()).select_from(Cadence).where(Cadence.kind == "wg.sync")) == 2


# --------------------------------------------------------------------------------------------- forms and echoes


def test_the_create_form_holds_the_commands_limits(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    wg(app, "create")
    view = slack.views_opened()[-1]
    long_name = app.submit(view, create_values("N" * 201), user="U_ALICE")
    assert "201 characters long; the limit is 200" in long_name["errors"]["wg.create.name"]
    long_goal = app.submit(view, create_values("Docs revamp", goal="G" * 2001), user="U_ALICE")
    assert "2,001 characters long; the limit is 2,000" in long_goal["errors"]["wg.create.goal"]
    assert db.scalar(select(func.count()).select_from(WorkingGroup)) == 0


def test_a_groups_name_is_escaped_in_the_action_lists_fallback_and_its_bold_formats(
    app: AppClient, db: Session
) -> None:
    wg(app, 'create "<!channel> *x*"')
    wg(app, 'action "Outline" me due 2026-11-27')
    listing = wg(app, "actions all")
    assert listing["text"].startswith("All action items: &lt;!channel&gt; *x*: 1 open")
    mrkdwn = [
        listing["text"],
        *(b["text"]["text"] for b in listing["blocks"] if b.get("text", {}).get("type") == "mrkdwn"),
    ]
    assert not any("<!channel>" in text for text in mrkdwn)
    assert the_group(db).name == "<!channel> *x*"
