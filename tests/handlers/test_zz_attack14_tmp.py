"""Attack 14 (temporary)."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.blocks import away as away_blocks
from bot.blocks import okrs as okr_blocks
from models import ActionItem, AuditEvent, Away, AwayOffer, Cadence, CadenceStatus, ChecklistItem
from tests.conftest import SIGNING_SECRET
from tests.handlers.test_away import TUESDAY, away_of, command, count, dates, home_button, press_in_home
from tests.handlers.test_cadence_first_week import MONDAY_MORNING, as_message, shown
from tests.handlers.test_esp import CSM, SPONSOR, esp, set_up
from tests.handlers.test_esp import people as people  # noqa: F401
from tests.handlers.test_esp_digest import QUARTER_DAY, done_buttons, messages_on, press, run_scheduler_until
from tests.handlers.test_okr_first_week import NOW as OKR_NOW
from tests.handlers.test_okr_first_week import okr, okr_channel, seeded  # noqa: F401
from tests.support.app_client import AppClient, find_element
from tests.support.concurrency import at_once
from tests.support.signing import block_actions_body, command_body, new_trigger_id, post_signed
from tests.support.slack_stand_in import BOT_USER_ID, SlackStandIn

GENERIC = "went wrong on our side"


# ---------------------------------------------------------------- away: command
@pytest.mark.parametrize(
    "text",
    [
        "away 2026-12-21 to 9999-12-31",
        "away 9999-12-31",
        "away 2026-12-21 to 9999-12-30",
    ],
)
def test_away_far_future_is_explained_not_a_crash(app: AppClient, db: Session, text: str) -> None:
    reply = command(app, text)
    assert reply.status == 200
    assert GENERIC not in reply.all_text(), (text, reply.all_text())


def test_away_1900_start_is_today(app: AppClient, db: Session) -> None:
    reply = command(app, "away 1900-01-01 to 2026-12-05")
    assert GENERIC not in reply.all_text()
    alice = away_of(db, "U_ALICE")
    assert alice.first_day == date(2026, 12, 1)


@pytest.mark.parametrize(
    "text",
    [
        "away to",
        "away from",
        "away - -",
        "away 2026-12-21 to 2026-12-22 to 2026-12-23",
        "away off now",
        "away " + "x" * 3000,
        "away 2026-13-45",
        "away 0000-01-01",
        "away 2026-12-21 to",
        "away to 2026-12-21",
        "away <@U_BOB|bob> 2026-12-21",
        "away \u202e2026-12-21",
        "away 99999999999999999999",
        "away in 99999999 weeks",
        "away in -3 days",
    ],
)
def test_away_garbage_text_is_explained_and_nothing_saved(app: AppClient, db: Session, text: str) -> None:
    reply = command(app, text)
    assert reply.status == 200
    assert GENERIC not in reply.all_text(), (text, reply.all_text())
    assert reply["response_type"] == "ephemeral"
    if "<@U_BOB" in text:
        assert db.scalar(select(func.count()).select_from(Away).where(Away.user_id == "U_BOB")) == 0


def test_two_away_commands_at_once_make_one_time_away(app: AppClient, db: Session) -> None:
    replies = at_once(
        lambda: command(app, "away 2026-12-21 to 2027-01-04"), lambda: command(app, "away 2026-12-22 to 2027-01-05")
    )
    for r in replies:
        assert GENERIC not in r.all_text(), r.all_text()
    assert count(db, Away) == 1
    db.expire_all()
    live = db.scalars(select(Cadence).where(Cadence.kind == "away.catchup", Cadence.status != CadenceStatus.REMOVED)).all()
    assert len(live) == 1, [(c.id, c.status) for c in live]


def open_form(app: AppClient, slack: SlackStandIn) -> dict:
    with time_machine.travel(TUESDAY, tick=False):
        app.event({"type": "app_home_opened", "user": "U_ALICE", "channel": "D_ALICE", "tab": "home"})
    press_in_home(app, slack, home_button(slack, "U_ALICE", away_blocks.AWAY_OPEN_MODAL), user="U_ALICE", at=TUESDAY)
    return slack.views_opened()[-1]


@pytest.mark.parametrize(
    ("first", "last"),
    [("2026-12-21", "9999-12-31"), ("9999-12-31", "9999-12-31"), ("1900-01-01", "1900-01-02"), ("1900-01-01", "2026-12-03"),
     ("2026-12-21", "not-a-date"), ("", "")],
)
def test_away_form_odd_dates_answer_in_the_form(app: AppClient, db: Session, slack: SlackStandIn, first: str, last: str) -> None:
    form = open_form(app, slack)
    with time_machine.travel(TUESDAY, tick=False):
        reply = app.submit(form, dates(first, last), user="U_ALICE")
    assert reply.status == 200
    assert GENERIC not in json.dumps(reply.body), reply.body
    dm = [m["text"] for m in slack.messages(slack.dm_channel("U_ALICE"))]
    assert not any(GENERIC in t for t in dm), dm


def test_away_form_submitted_twice_at_once(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    form = open_form(app, slack)

    def go():
        with time_machine.travel(TUESDAY, tick=False):
            return app.submit(form, dates("2026-12-21", "2027-01-04"), user="U_ALICE")

    replies = at_once(go, go)
    for r in replies:
        assert GENERIC not in json.dumps(r.body), r.body
    assert count(db, Away) == 1
    db.expire_all()
    live = db.scalars(select(Cadence).where(Cadence.kind == "away.catchup", Cadence.status != CadenceStatus.REMOVED)).all()
    assert len(live) == 1
    dm = [m["text"] for m in slack.messages(slack.dm_channel("U_ALICE"))]
    assert not any(GENERIC in t for t in dm), dm


def test_away_form_slack_500_after_save(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    form = open_form(app, slack)
    slack.fail_next("chat.postMessage", 500)
    slack.fail_next("views.publish", 500)
    with time_machine.travel(TUESDAY, tick=False):
        reply = app.submit(form, dates("2026-12-21", "2027-01-04"), user="U_ALICE")
    assert reply.status == 200
    assert away_of(db, "U_ALICE").last_day == date(2027, 1, 4)
    # The person should learn it was saved somewhere: the form (update) since the DM failed.
    assert reply.body != "", "saved, but no confirmation anywhere (DM failed, form closed silently)"


def test_away_end_pressed_twice_at_once(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    command(app, "away 2026-12-01 to 2026-12-10")
    with time_machine.travel(TUESDAY, tick=False):
        app.event({"type": "app_home_opened", "user": "U_ALICE", "channel": "D_ALICE", "tab": "home"})
    button = home_button(slack, "U_ALICE", away_blocks.AWAY_END)
    at_once(*(lambda: press_in_home(app, slack, button, user="U_ALICE", at=TUESDAY) for _ in range(2)))
    ended = db.scalars(select(AuditEvent).where(AuditEvent.action.in_(["away.ended", "away.cancelled"]))).all()
    assert len(ended) == 1
    texts = json.dumps(slack.responses("home")) + json.dumps(slack.messages(slack.dm_channel("U_ALICE")))
    assert GENERIC not in texts, texts


def test_bob_presses_alices_offer(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    slack.set_status("U_ALICE", "Vacation", ":palm_tree:", expiration=int(datetime(2026, 12, 9, tzinfo=UTC).timestamp()))
    command(app, "list")
    [offer] = slack.ephemerals(user="U_ALICE")
    for action in (away_blocks.AWAY_OFFER_SET, away_blocks.AWAY_OFFER_PICK):
        with time_machine.travel(TUESDAY, tick=False):
            pressed = app.click(offer, action, user="U_BOB", channel="C_TEAM")
        assert GENERIC not in pressed.all_text() and GENERIC not in json.dumps(slack.responses())
    assert count(db, Away) == 0


@pytest.mark.parametrize("value", ["-1", "0", "99999999999", "abc", "", "2147483647", " 1", "1.0"])
def test_forged_offer_ids(app: AppClient, db: Session, slack: SlackStandIn, value: str) -> None:
    body = block_actions_body(away_blocks.AWAY_OFFER_SET, value, user_id="U_ALICE", channel_id="C_TEAM",
                              message_ts="1.1", response_url=slack.response_url("forged"))
    with time_machine.travel(TUESDAY, tick=False):
        assert post_signed(app.url, body, SIGNING_SECRET)[0] == 200
    assert GENERIC not in json.dumps(slack.responses("forged")), slack.responses("forged")
    assert count(db, Away) == 0


def test_offer_from_another_workspace(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    slack.set_status("U_ALICE", "Vacation", ":palm_tree:", expiration=int(datetime(2026, 12, 9, tzinfo=UTC).timestamp()))
    other = AppClient(app.url, app.secret, slack, team_id="T0002")
    with time_machine.travel(TUESDAY, tick=False):
        other.command("/cadence", "list", user="U_ALICE", channel="C_TEAM")
    [offer] = slack.ephemerals(user="U_ALICE")
    with time_machine.travel(TUESDAY, tick=False):
        pressed = app.click(offer, away_blocks.AWAY_OFFER_SET, user="U_ALICE", channel="C_TEAM")
    assert "isn't yours" in pressed.all_text()
    assert count(db, Away) == 0


def test_away_command_retried(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    body = command_body("/cadence", "away 2026-12-21 to 2027-01-04", user_id="U_ALICE", channel_id="C_TEAM",
                        trigger_id=new_trigger_id())
    with time_machine.travel(TUESDAY, tick=False):
        first = post_signed(app.url, body, SIGNING_SECRET)
        second = post_signed(app.url, body, SIGNING_SECRET, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert first[0] == 200 and second[0] == 200
    assert count(db, Away) == 1
    assert db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("away.%"))) == 1


# ---------------------------------------------------------------- /cadence list pages & Undo
@pytest.mark.parametrize("value", ["-1", "0", "99999999999", "abc", "", "2147483647", "3", "1e3"])
def test_forged_page_values(app: AppClient, db: Session, slack: SlackStandIn, value: str) -> None:
    body = block_actions_body("cadence.list.page", value, user_id="U_ALICE", channel_id="C_TEAM", message_ts="1.1",
                              response_url=slack.response_url("page"))
    assert post_signed(app.url, body, SIGNING_SECRET)[0] == 200
    assert GENERIC not in json.dumps(slack.responses("page")), slack.responses("page")
    assert slack.responses("page"), "no answer at all"


def test_list_all_page_by_non_admin_with_forged_value(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    body = block_actions_body("cadence.list_all.page", "1", user_id="U_BOB", channel_id="C_TEAM", message_ts="1.1",
                              response_url=slack.response_url("page"))
    assert post_signed(app.url, body, SIGNING_SECRET)[0] == 200
    assert "Only a workspace admin" in json.dumps(slack.responses("page"))


def dup(app: AppClient, db: Session, typed: str = 'add "Weekly sync" every monday at 09:30 to <@U_BOB|bob>'):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        app.command("/cadence", typed, user="U_ALICE", channel="C_TEAM")
        second = app.command("/cadence", typed, user="U_ALICE", channel="C_TEAM")
    older, newer = db.scalars(select(Cadence).order_by(Cadence.id))
    return second, older, newer


def test_bob_presses_alices_undo(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    second, older, newer = dup(app, db)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        pressed = app.click(as_message(second), "cadence.list.remove", user="U_BOB", channel="C_TEAM")
    db.expire_all()
    assert db.get(Cadence, newer.id).status == CadenceStatus.ACTIVE, pressed.all_text()


def test_undo_twice_at_once(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    second, older, newer = dup(app, db)

    def go():
        with time_machine.travel(MONDAY_MORNING, tick=False):
            return app.click(as_message(second), "cadence.list.remove", user="U_ALICE", channel="C_TEAM")

    replies = at_once(go, go, go)
    removals = db.scalars(select(AuditEvent.subject_id).where(AuditEvent.action == "cadence.remove")).all()
    assert removals == [newer.id]
    for r in replies:
        assert GENERIC not in r.all_text(), r.all_text()
    db.expire_all()
    assert db.get(Cadence, older.id).status == CadenceStatus.ACTIVE


def test_undo_with_other_workspace_id(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    other = AppClient(app.url, app.secret, slack, team_id="T0002")
    with time_machine.travel(MONDAY_MORNING, tick=False):
        other.command("/cadence", 'add "Theirs" every monday at 09:30', user="U_ALICE", channel="C_TEAM")
    [theirs] = db.scalars(select(Cadence).where(Cadence.team_id == "T0002"))
    body = block_actions_body("cadence.list.remove", str(theirs.id), user_id="U_ALICE", channel_id="C_TEAM",
                              message_ts="1.1", response_url=slack.response_url("x"))
    assert post_signed(app.url, body, SIGNING_SECRET)[0] == 200
    db.expire_all()
    assert db.get(Cadence, theirs.id).status == CadenceStatus.ACTIVE


def test_undo_respond_fails_after_save(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    second, older, newer = dup(app, db)
    url = slack.response_url("undo500")
    slack.fail_next("response_url", 500) if hasattr(slack, "fail_response_next") is False else None
    # best effort: just make sure removal then a retried press doesn't double-audit
    body = block_actions_body("cadence.list.remove", str(newer.id), user_id="U_ALICE", channel_id="C_TEAM",
                              message_ts="1.1", response_url=url)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        post_signed(app.url, body, SIGNING_SECRET)
        post_signed(app.url, body, SIGNING_SECRET, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    removals = db.scalars(select(AuditEvent.subject_id).where(AuditEvent.action == "cadence.remove")).all()
    assert removals == [newer.id]


# ---------------------------------------------------------------- WG new-owner DM
@pytest.fixture
def wg_people(slack: SlackStandIn) -> SlackStandIn:
    slack.add_user("U_NICK", name="nick", real_name="Nick V", tz="Europe/Brussels")
    slack.add_user("U_EMILIO", name="emilio", real_name="Emilio S", tz="America/Los_Angeles")
    slack.add_channel("C_WG_DOCS", "wg_docs", members=["U_ALICE", "U_BOB", "U_ADMIN", "U_NICK", "U_EMILIO", BOT_USER_ID])
    return slack


def wg_dms(slack: SlackStandIn, user: str) -> list[dict]:
    return [m for m in slack.messages(user) if "to you: action item" in m["text"]]


def test_two_reassigns_at_once_tell_one_owner_once(app: AppClient, db: Session, wg_people: SlackStandIn) -> None:
    with time_machine.travel(MONDAY_MORNING, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_WG_DOCS")
        app.command("/wg", 'action "Outline" <@U_BOB|bob>', user="U_ALICE", channel="C_WG_DOCS")

    def go():
        with time_machine.travel(MONDAY_MORNING, tick=False):
            return app.command("/wg", "reassign 1 <@U_NICK|nick>", user="U_ALICE", channel="C_WG_DOCS")

    replies = at_once(go, go, go)
    assert len(wg_dms(wg_people, "U_NICK")) == 1, [r.text for r in replies]
    for r in replies:
        assert GENERIC not in r.all_text()


def test_reassign_to_two_people_at_once(app: AppClient, db: Session, wg_people: SlackStandIn) -> None:
    with time_machine.travel(MONDAY_MORNING, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_WG_DOCS")
        app.command("/wg", 'action "Outline" <@U_BOB|bob>', user="U_ALICE", channel="C_WG_DOCS")

    def go(who):
        def run():
            with time_machine.travel(MONDAY_MORNING, tick=False):
                return app.command("/wg", f"reassign 1 <@{who}|x>", user="U_ALICE", channel="C_WG_DOCS")
        return run

    at_once(go("U_NICK"), go("U_EMILIO"))
    db.expire_all()
    owner = db.scalars(select(ActionItem.owner_id)).one()
    told = [u for u in ("U_NICK", "U_EMILIO") if wg_dms(wg_people, u)]
    # a DM saying "it's yours" must not go to someone who doesn't own it
    assert told == [owner], (owner, told)


def test_reassign_by_outsider(app: AppClient, db: Session, wg_people: SlackStandIn) -> None:
    wg_people.add_user("U_MALLORY", name="mal", real_name="Mal", tz="UTC")
    with time_machine.travel(MONDAY_MORNING, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_WG_DOCS")
        app.command("/wg", 'action "Outline" <@U_BOB|bob>', user="U_ALICE", channel="C_WG_DOCS")
        app.command("/wg", "reassign 1 <@U_NICK|nick>", user="U_MALLORY", channel="C_WG_DOCS")
    db.expire_all()
    assert db.scalars(select(ActionItem.owner_id)).one() == "U_BOB"
    assert wg_dms(wg_people, "U_NICK") == []


def test_wg_dm_500_after_save(app: AppClient, db: Session, wg_people: SlackStandIn) -> None:
    with time_machine.travel(MONDAY_MORNING, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_WG_DOCS")
        wg_people.fail_next("chat.postMessage", 500)
        reply = app.command("/wg", 'action "Outline" <@U_BOB|bob>', user="U_ALICE", channel="C_WG_DOCS")
    assert "couldn't tell <@U_BOB>" in reply.text and GENERIC not in reply.all_text(), reply.all_text()
    db.expire_all()
    assert db.scalars(select(ActionItem.owner_id)).one() == "U_BOB"


# ---------------------------------------------------------------- ESP Done
@pytest.fixture
def esp_digest(app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient):
    set_up(app, accounts=1)
    esp(app, f'assign <@{SPONSOR}|dana> "Acct 1"')
    run_scheduler_until(db, slack_client, datetime.combine(QUARTER_DAY, datetime.max.time(), tzinfo=UTC))
    [digest] = messages_on(db, people, SPONSOR, QUARTER_DAY)
    return digest


def test_esp_done_by_someone_else(app: AppClient, db: Session, people: SlackStandIn, esp_digest: dict) -> None:
    block_id, value, _t = done_buttons(esp_digest)[0]
    with time_machine.travel(datetime(2026, 5, 4, 11, 0, tzinfo=UTC), tick=False):
        said = press(app, people, esp_digest, block_id, value, user="U_EVE")
    db.expire_all()
    item = db.get(ChecklistItem, int(value))
    assert not item.done, said


def test_esp_done_twice_at_once(app: AppClient, db: Session, people: SlackStandIn, esp_digest: dict) -> None:
    block_id, value, _t = done_buttons(esp_digest)[0]

    def go(n):
        def run():
            body = block_actions_body("esp.checklist.done", value, user_id=SPONSOR, channel_id=people.dm_channel(SPONSOR),
                                      message=esp_digest, block_id=block_id, response_url=people.response_url(f"d{n}"))
            with time_machine.travel(datetime(2026, 5, 4, 11, 0, tzinfo=UTC), tick=False):
                return post_signed(app.url, body, SIGNING_SECRET)[0]
        return run

    assert at_once(go(1), go(2), go(3)) == [200, 200, 200]
    ticks = db.scalars(select(AuditEvent).where(AuditEvent.action == "esp.checklist_ticked")).all()
    assert len(ticks) == 1
    said = json.dumps(people.responses("d1") + people.responses("d2") + people.responses("d3"))
    assert GENERIC not in said and said.count("Ticked") == 1, said


@pytest.mark.parametrize("value", ["-1", "0", "99999999999", "abc", "", "2147483647"])
def test_esp_done_forged(app: AppClient, db: Session, people: SlackStandIn, esp_digest: dict, value: str) -> None:
    block_id, _v, _t = done_buttons(esp_digest)[0]
    said = press(app, people, esp_digest, block_id, value, user=SPONSOR)
    assert GENERIC not in said and said, said


def test_esp_done_retried(app: AppClient, db: Session, people: SlackStandIn, esp_digest: dict) -> None:
    block_id, value, _t = done_buttons(esp_digest)[0]
    body = block_actions_body("esp.checklist.done", value, user_id=SPONSOR, channel_id=people.dm_channel(SPONSOR),
                              message=esp_digest, block_id=block_id, response_url=people.response_url("r"))
    people.fail_next("chat.postEphemeral", 500, times=3)
    with time_machine.travel(datetime(2026, 5, 4, 11, 0, tzinfo=UTC), tick=False):
        post_signed(app.url, body, SIGNING_SECRET)
        post_signed(app.url, body, SIGNING_SECRET, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    ticks = db.scalars(select(AuditEvent).where(AuditEvent.action == "esp.checklist_ticked")).all()
    assert len(ticks) == 1


def test_esp_done_other_workspace_item(app: AppClient, db: Session, people: SlackStandIn, esp_digest: dict) -> None:
    block_id, value, _t = done_buttons(esp_digest)[0]
    body = block_actions_body("esp.checklist.done", value, user_id=SPONSOR, channel_id=people.dm_channel(SPONSOR),
                              message=esp_digest, block_id=block_id, team_id="T0002", response_url=people.response_url("o"))
    with time_machine.travel(datetime(2026, 5, 4, 11, 0, tzinfo=UTC), tick=False):
        assert post_signed(app.url, body, SIGNING_SECRET)[0] == 200
    db.expire_all()
    assert not db.get(ChecklistItem, int(value)).done


# ---------------------------------------------------------------- OKR tree
@pytest.mark.parametrize("value", ["FY20-Q2|99999999999", "FY20-Q2|-1", "FY20-Q2|0", "FY20-Q2|abc", "FY99-Q9|1",
                                   "|1", "FY20-Q2|", "garbage", "FY20-Q2|2|3", "FY20-Q2|999"])
def test_okr_tree_forged(app: AppClient, db: Session, slack: SlackStandIn, seeded: None, value: str) -> None:
    for action in (okr_blocks.OKR_TREE_OPEN, okr_blocks.OKR_TREE_CLOSE):
        body = block_actions_body(action, value, user_id="U_BOB", channel_id="C_OKRS", message_ts="1.0",
                                  response_url=slack.response_url("t"))
        with time_machine.travel(OKR_NOW, tick=False):
            assert post_signed(app.url, body, SIGNING_SECRET)[0] == 200
    said = json.dumps(slack.responses("t"))
    assert GENERIC not in said and said != "[]", said


def test_okr_tree_other_workspace(app: AppClient, db: Session, slack: SlackStandIn, seeded: None) -> None:
    body = block_actions_body(okr_blocks.OKR_TREE_OPEN, "FY20-Q2|2", user_id="U_BOB", channel_id="C_OKRS",
                              message_ts="1.0", team_id="T0002", response_url=slack.response_url("t"))
    with time_machine.travel(OKR_NOW, tick=False):
        assert post_signed(app.url, body, SIGNING_SECRET)[0] == 200
    said = json.dumps(slack.responses("t"))
    assert "Popular next generation product" not in said, said
