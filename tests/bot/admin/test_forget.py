"""`forget --team T… --user U…` on both databases: her personal data leaves every table, her records stay, and
nobody else's (in her workspace or another) is touched; run twice, it removes nothing the second time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from slack_sdk import WebClient
from sqlalchemy import JSON, String, func, select
from sqlalchemy.orm import Session

from bot import audit
from bot.admin.cli import client_for_team, main
from bot.admin.export import team_tables
from bot.admin.forget import name_redactor
from bot.cadence import dispatcher
from bot.db import unit_of_work
from bot.slack.users import remember
from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from models import (
    ActionItem,
    AuditEvent,
    Away,
    AwayOffer,
    Cadence,
    Delivery,
    HeldNudge,
    SlackUser,
    WorkingGroup,
    WorkingGroupMember,
)
from tests.conftest import settings_for

TUESDAY = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
CHRISTMAS_MORNING = datetime(2026, 12, 25, 8, 0, tzinfo=UTC)  # 09:00 in Paris, while Alice is away
STATUS = "Vacation in Lisbon"


def command(app: AppClient, slash: str, text: str, *, user: str, at: datetime = TUESDAY, channel: str = "C_TEAM"):
    with time_machine.travel(at, tick=False):
        reply = app.command(slash, text, user=user, channel=channel)
    assert reply.status == 200, reply.body
    return reply


def text_values(db: Session, team_id: str) -> list[tuple[str, str, str]]:
    """(table, column, text) of every text and JSON value the workspace holds."""
    found = []
    for table in team_tables():
        columns = [c for c in table.c if isinstance(c.type, String | JSON)]
        for row in db.execute(select(*columns).where(table.c.team_id == team_id)):
            for column in columns:
                value = row._mapping[column]
                if value not in (None, "", [], {}):
                    found.append((table.name, column.name, str(value)))
    return found


@pytest.fixture
def alices_data(app: AppClient, slack: SlackStandIn, slack_client: WebClient, db: Session) -> dict[str, str]:
    """Alice as the workspace knows her after a month: her profile and status, her time away with a DM held for it,
    her roles and items with her name written in, audit rows naming her; Bob's own; Alice in another workspace."""
    back = datetime(2027, 1, 5, tzinfo=ZoneInfo("Europe/Paris"))
    slack.set_status("U_ALICE", STATUS, ":palm_tree:", expiration=int(back.timestamp()))
    slack.set_status("U_BOB", "At the dentist", ":tooth:")
    command(app, "/wg", 'create "Docs revamp"', user="U_ALICE")
    command(app, "/wg", 'action "Alice Archer reviews the outline" <@U_ALICE|alice> due 2026-12-18', user="U_ALICE")
    command(app, "/cadence", 'add "Send the Lisbon receipts" every friday at 09:00 to <@U_ALICE|alice>', user="U_BOB")
    command(app, "/cadence", "away 2026-12-21 to 2027-01-04", user="U_ALICE")
    command(app, "/cadence", "away 2026-12-28 to 2026-12-31", user="U_BOB")
    with time_machine.travel(CHRISTMAS_MORNING, tick=False):
        dispatcher.tick(CHRISTMAS_MORNING, client=slack_client)
    with unit_of_work() as session:
        group = session.scalars(select(WorkingGroup)).one()
        session.add(
            WorkingGroupMember(
                team_id="T0001", working_group_id=group.id, position=9, role="DRI", user_id="U_ALICE",
                person_name="Alice Archer", title="Staff Engineer, Docs", username="aarcher",
            )
        )  # fmt: skip
        session.add(
            WorkingGroupMember(
                team_id="T0001", working_group_id=group.id, position=10, role="Member", person_name="Bob Baker",
                title="Writer", user_id="U_BOB",
            )
        )  # fmt: skip
        audit.record(
            session, team_id="T0001", actor_id="U_BOB", action="wg.role_linked", subject_type="working_group",
            subject_id=group.id, at=TUESDAY, role="DRI", who="U_ALICE", name="Alice Archer",
        )  # fmt: skip
        remember(session, team_id="T0002", user={"id": "U_ALICE", "real_name": "Alice Archer"}, now=TUESDAY)
    # The DMs that would have reached her on Christmas morning: the reminder, and her overdue item.
    held = list(db.scalars(select(HeldNudge.summary).order_by(HeldNudge.id)))
    assert len(held) == 2 and any("Lisbon receipts" in text for text in held), held
    assert db.scalar(select(func.count()).select_from(AwayOffer)) == 1
    return {"dms": held}


def test_her_data_is_there_to_find_before_forget(alices_data: dict[str, str], db: Session):
    """The scan below can fail: before forget it finds her name, her status and the held DMs' text."""
    values = [text for _table, _column, text in text_values(db, "T0001")]
    assert any("Alice Archer" in text for text in values) and any(STATUS in text for text in values)
    assert all(any(dm in text for text in values) for dm in alices_data["dms"])


def forget(slack: SlackStandIn, *words: str) -> int:
    return main(["forget", *words], lambda team: client_for_team(settings_for(slack.url), team))


def test_forget_leaves_nothing_personal_of_hers_in_any_table(
    alices_data: dict[str, str], slack: SlackStandIn, db: Session, capsys: pytest.CaptureFixture
):
    audit_rows = db.scalar(select(func.count()).select_from(AuditEvent))
    assert forget(slack, "--team", "T0001", "--user", "U_ALICE") == 0
    out = capsys.readouterr().out
    assert out.startswith("Forgot U_ALICE in workspace T0001; their reminders, items, scores and audit rows stay:")
    assert "Slack profile copies deleted (slack_user): 1" in out and "held DM texts deleted (held_nudge): 2" in out
    assert "name replaced by [forgotten] in action_item.text: 1" in out

    db.expire_all()
    dms = "|".join(re.escape(text) for text in alices_data["dms"])
    personal = re.compile(rf"alice archer|{re.escape(STATUS)}|{dms}|(?<!\w)alice(?!\w)", re.IGNORECASE)
    assert [value for value in text_values(db, "T0001") if personal.search(value[2])] == []
    assert db.scalars(select(Away).where(Away.user_id == "U_ALICE")).all() == []
    assert db.scalars(select(AwayOffer)).all() == [] and db.scalars(select(HeldNudge)).all() == []
    # Her records stay, owned by her id.
    item = db.scalars(select(ActionItem)).one()
    assert (item.owner_id, item.text, item.due_on) == ("U_ALICE", "[forgotten] reviews the outline", date(2026, 12, 18))
    reminder = db.scalars(select(Cadence).where(Cadence.title == "Send the Lisbon receipts")).one()
    assert reminder.recipient_ids == ["U_ALICE"] and reminder.status == "active"
    assert db.scalars(select(Delivery.target).where(Delivery.cadence_id == reminder.id)).all() == ["U_ALICE"]
    roles = db.scalars(select(WorkingGroupMember).where(WorkingGroupMember.user_id == "U_ALICE")).all()
    assert len(roles) == 2 and {(r.person_name, r.title, r.username) for r in roles} == {(None, None, None)}
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == audit_rows
    linked = db.scalars(select(AuditEvent).where(AuditEvent.action == "wg.role_linked")).one()
    assert linked.detail == {"role": "DRI", "who": "U_ALICE", "name": "[forgotten]"}
    hers = select(AuditEvent).where(AuditEvent.actor_id == "U_ALICE", AuditEvent.action.startswith("away."))
    assert [event.detail for event in db.scalars(hers)] == [{}]


def test_forget_touches_no_one_else_here_or_in_another_workspace(
    alices_data: dict[str, str], slack: SlackStandIn, db: Session
):
    assert forget(slack, "--team", "T0001", "--user", "U_ALICE") == 0
    db.expire_all()
    bob = db.scalars(select(SlackUser).where(SlackUser.team_id == "T0001", SlackUser.user_id == "U_BOB")).one()
    assert (bob.real_name, bob.status_text) == ("Bob Baker", "At the dentist")
    assert db.scalars(select(Away.first_day).where(Away.user_id == "U_BOB")).all() == [date(2026, 12, 28)]
    bobs_role = db.scalars(select(WorkingGroupMember).where(WorkingGroupMember.user_id == "U_BOB")).one()
    assert (bobs_role.person_name, bobs_role.title) == ("Bob Baker", "Writer")
    bobs_away = db.scalars(select(AuditEvent).where(AuditEvent.actor_id == "U_BOB", AuditEvent.action == "away.set"))
    assert bobs_away.one().detail == {"first_day": "2026-12-28", "last_day": "2026-12-31"}
    elsewhere = db.scalars(select(SlackUser).where(SlackUser.team_id == "T0002")).one()
    assert (elsewhere.user_id, elsewhere.real_name) == ("U_ALICE", "Alice Archer")


def test_forget_twice_removes_nothing_the_second_time(
    alices_data: dict[str, str], slack: SlackStandIn, db: Session, capsys: pytest.CaptureFixture
):
    assert forget(slack, "--team", "T0001", "--user", "U_ALICE") == 0
    capsys.readouterr()
    assert forget(slack, "--team", "T0001", "--user", "U_ALICE") == 0
    assert capsys.readouterr().out == "Nothing personal of U_ALICE is left in workspace T0001: nothing to remove.\n"


def test_forget_in_a_workspace_the_token_is_not_for_is_refused(
    alices_data: dict[str, str], slack: SlackStandIn, db: Session, capsys: pytest.CaptureFixture
):
    assert forget(slack, "--team", "T0002", "--user", "U_ALICE") == 1
    assert "The bot token belongs to workspace T0001, not T0002" in capsys.readouterr().err
    assert db.scalars(select(SlackUser.team_id).where(SlackUser.user_id == "U_ALICE")).all() == ["T0001", "T0002"]


@pytest.mark.parametrize(
    ("value", "names_here", "redacted"),
    [
        ("ALICE  ARCHER's outline", False, "[forgotten]'s outline"),
        ("Alice Archer", False, "[forgotten]"),
        ("Alice Archerson", True, "Alice Archerson"),  # another name that starts like hers
        ("will", True, "[forgotten]"),  # her one-word handle, as the whole value of a field of names (a role's name)
        ("will", False, "will"),  # …but not where the code keeps its words (a status, a kind, a subject type)
        ("I will ship it", True, "I will ship it"),  # …nor the word inside a sentence
        (
            ["Alice Archer", {"who": " Will "}, {"kind": "will"}, 3],
            False,
            ["[forgotten]", {"who": "[forgotten]"}, {"kind": "will"}, 3],
        ),
        (None, False, None),
    ],
)
def test_her_names_are_replaced_as_whole_words_and_handles_only_as_whole_values_of_names(
    value: object, names_here: bool, redacted: object
):
    assert name_redactor(["Alice Archer", "will"])(value, names_here=names_here) == redacted
