"""/okr keeps its promises on every path, through signed requests on both databases: who may map roles, two presses or
submits at the same moment (real threads), saved before said (a Slack failure after the commit keeps the save and
says so), the OKR channel only where its manager is a member, get-or-create races, the forms' limits, and every echo
escaped, the `text` fallback too."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import unit_of_work
from bot.okrs import ids, service
from bot.okrs import ids as retro_ids
from bot.okrs import page as okr_page
from bot.permissions import Actor
from devtools.app_client import AppClient, Reply
from devtools.slack_stand_in import BOT_USER_ID, SlackStandIn
from handlers.membership import forget_members
from models import (
    ActionItem,
    AuditEvent,
    Cadence,
    KeyResult,
    KeyResultScore,
    OkrOwner,
    OkrProgram,
    OkrQuarter,
    RetroItem,
    RetroTeam,
)
from tests.support.concurrency import at_once

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "okrs-fy20-q2.md"
DURING = datetime(2019, 6, 3, 9, tzinfo=UTC)  # FY20-Q2
AFTER = datetime(2019, 8, 1, 9, tzinfo=UTC)  # FY20-Q3, the retrospective's time
EVERY_TABLE = (OkrProgram, OkrQuarter, KeyResult, KeyResultScore, OkrOwner, RetroTeam, RetroItem, ActionItem)
LONG = "x" * 10_000


@pytest.fixture(autouse=True)
def people(slack: SlackStandIn) -> None:
    """Carol holds no role, Dana is a second Infrastructure lead-to-be; #okrs has them all."""
    slack.add_user("U_CAROL", name="carol", real_name="Carol Cole", tz="UTC")
    slack.add_user("U_DANA", name="dana", real_name="Dana Diaz", tz="UTC")
    slack.add_channel("C_OKRS", "okrs", members=["U_ADMIN", "U_ALICE", "U_BOB", "U_CAROL", "U_DANA"])
    forget_members()


def okr(app: AppClient, text: str, *, user: str, at: datetime = DURING, channel: str = "C_GENERAL") -> Reply:
    with time_machine.travel(at, tick=False):
        return app.command("/okr", text, user=user, channel=channel)


def state(db: Session) -> tuple:
    """What a refusal must leave as it was: every OKR row count, every score, the channel, every audit entry."""
    db.expire_all()
    counts = tuple(db.scalar(select(func.count()).select_from(model)) for model in EVERY_TABLE)
    scores = tuple(db.scalars(select(KeyResult.score).order_by(KeyResult.id)))
    channel = db.scalar(select(OkrProgram.channel_id))
    return counts, scores, channel, db.scalar(select(func.count()).select_from(AuditEvent))


def owners(db: Session, role_key: str) -> list[str]:
    db.expire_all()
    return list(db.scalars(select(OkrOwner.user_id).where(OkrOwner.role_key == role_key).order_by(OkrOwner.id)))


@pytest.fixture
def seeded(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    """OKRs set up by Alice (who manages them), the seed imported, Infrastructure led by Bob."""
    assert "OKRs set up" in okr(app, "setup <#C_OKRS|okrs>", user="U_ALICE").text
    with unit_of_work() as session:
        page = okr_page.read_okr_page(SEED.read_text())
        service.import_page(session, team_id="T0001", actor=Actor("U_ALICE"), page=page, now=DURING)
    assert "now held by" in okr(app, 'owner "Infrastructure" <@U_BOB|bob>', user="U_ALICE").text


def text_input(block_id: str, value: str) -> dict:
    return {block_id: {block_id: {"type": "plain_text_input", "value": value}}}


def retro_values(team: str, *, good: str = "", bad: str = "", try_: str = "") -> dict:
    return {
        **text_input(retro_ids.OKR_RETRO_TEAM, team),
        **text_input(retro_ids.OKR_RETRO_GOOD, good),
        **text_input(retro_ids.OKR_RETRO_BAD, bad),
        **text_input(retro_ids.OKR_RETRO_TRY, try_),
    }


def try_values(text: str, owner: str = "U_BOB", due: str = "2019-09-02") -> dict:
    return {
        **text_input(retro_ids.OKR_TRY_TEXT, text),
        retro_ids.OKR_TRY_OWNER: {retro_ids.OKR_TRY_OWNER: {"type": "users_select", "selected_user": owner}},
        retro_ids.OKR_TRY_DUE: {retro_ids.OKR_TRY_DUE: {"type": "datepicker", "selected_date": due}},
    }


def open_retro(app: AppClient, slack: SlackStandIn, team: str, *, user: str) -> dict:
    assert okr(app, f'retro FY20-Q2 "{team}"', user=user, at=AFTER).body == ""
    form = slack.views_opened()[-1]
    assert form["callback_id"] == retro_ids.OKR_RETRO_MODAL
    return form


def infrastructure_try(db: Session) -> RetroItem:
    return db.scalars(
        select(RetroItem)
        .join(RetroTeam)
        .where(RetroTeam.name == "Infrastructure", RetroItem.kind == "try")
        .order_by(RetroItem.id)
    ).first()


def shown_as_mrkdwn(payload: dict) -> str:
    """The text fallback and every mrkdwn text of a message: where Slack would turn `<!channel>` into a ping."""
    found = [payload.get("text", "")]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node.get("text", ""))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload.get("blocks", []))
    return "\n".join(found)


def lines_of(db: Session, team: str) -> list[tuple[str, str]]:
    db.expire_all()
    return [
        (item.kind, item.text)
        for item in db.scalars(
            select(RetroItem).join(RetroTeam).where(RetroTeam.name == team).order_by(RetroItem.position)
        )
    ]


# ---- 1. roles: the manager or an admin maps them; a holder adds a co-holder and takes only themselves off -------


def test_no_one_maps_themselves_to_a_role_they_do_not_hold_and_a_refusal_changes_nothing(
    app: AppClient, db: Session, seeded: None
) -> None:
    infra = db.scalars(select(KeyResult).where(KeyResult.role == "Infrastructure", KeyResult.score.is_(None))).first()
    before = state(db)
    refused = okr(app, 'owner "Infrastructure" <@U_CAROL|carol>', user="U_CAROL")
    assert refused["response_type"] == "ephemeral"
    assert "Only the OKR manager <@U_ALICE>, a workspace admin or the holders of `Infrastructure` (<@U_BOB>)" in (
        refused.text
    )
    new_role = okr(app, 'owner "VP Eng" <@U_CAROL|carol>', user="U_CAROL")
    assert "Only the OKR manager <@U_ALICE>, a workspace admin or the holders of `VP Eng` can give it" in new_role.text
    assert "Only the OKR manager" in okr(app, 'owner remove "Infrastructure" <@U_BOB|bob>', user="U_CAROL").text
    assert "Only the OKR manager" in okr(app, 'owner remove "Infrastructure"', user="U_CAROL").text
    assert "Only the holders of" in okr(app, f"score {infra.id} 50", user="U_CAROL").text  # so no score either
    assert state(db) == before and owners(db, "infrastructure") == ["U_BOB"]


def test_a_holder_adds_a_co_holder_and_takes_only_themselves_off(app: AppClient, db: Session, seeded: None) -> None:
    assert "now held by <@U_BOB>, <@U_DANA>" in okr(app, 'owner "Infrastructure" <@U_DANA|dana>', user="U_BOB").text
    before = state(db)
    refused = okr(app, 'owner remove "Infrastructure" <@U_DANA|dana>', user="U_BOB")
    assert "Only the OKR manager <@U_ALICE> or a workspace admin can take people off `Infrastructure`" in refused.text
    assert '/okr owner remove "Infrastructure" @you' in refused.text
    assert "Only the OKR manager" in okr(app, 'owner remove "Infrastructure"', user="U_BOB").text
    assert state(db) == before
    assert "held by <@U_BOB>" in okr(app, 'owner remove "Infrastructure" <@U_DANA|dana>', user="U_DANA").text
    assert owners(db, "infrastructure") == ["U_BOB"]
    assert "now held by <@U_CAROL>" in okr(app, 'owner "VP Eng" <@U_CAROL|carol>', user="U_ALICE").text
    assert "now held by <@U_CAROL>, <@U_DANA>" in okr(app, 'owner "VP Eng" <@U_DANA|dana>', user="U_ADMIN").text
    assert "no one" in okr(app, 'owner remove "VP Eng"', user="U_ADMIN").text
    mapped = db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "okr.owner_mapped"))
    assert mapped == 4  # Bob (set-up), Dana by Bob, Carol, Dana: each mapping that happened, none that was refused


# ---- 2. concurrent presses and submits -------------------------------------------------------------------------


def test_two_scores_at_once_are_both_kept_and_the_current_score_is_the_latest_of_them(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    okr(app, 'owner "Infrastructure" <@U_DANA|dana>', user="U_BOB")
    infra = db.scalars(select(KeyResult).where(KeyResult.role == "Infrastructure", KeyResult.score.is_(None))).first()
    mine = okr(app, "mine", user="U_DANA")
    row = next(b for b in mine["blocks"] if b.get("accessory", {}).get("value") == str(infra.id))
    with time_machine.travel(DURING, tick=False):
        app.click({"ts": "1.0", "blocks": [row]}, ids.OKR_SCORE_OPEN, user="U_DANA", channel="D1")
    form = slack.views_opened()[-1]
    values = {
        ids.OKR_SCORE_VALUE: {ids.OKR_SCORE_VALUE: {"type": "number_input", "value": "70"}},
        **text_input(ids.OKR_SCORE_COMMENT, "caught up"),
    }
    with time_machine.travel(DURING, tick=False):
        command, submitted = at_once(
            lambda: app.command("/okr", f"score {infra.id} 30 slow start", user="U_BOB"),
            lambda: app.submit(form, values, user="U_DANA"),
        )
    assert "Scored" in command.text and submitted.body == ""
    dm = slack.messages(slack.dm_channel("U_DANA"))[-1]["text"]
    db.expire_all()
    history = db.scalars(
        select(KeyResultScore)
        .where(KeyResultScore.key_result_id == infra.id)
        .order_by(KeyResultScore.scored_at.desc(), KeyResultScore.id.desc())
    ).all()
    assert sorted((h.score, h.scored_by) for h in history) == [(30.0, "U_BOB"), (70.0, "U_DANA")]
    current = db.get_one(KeyResult, infra.id)
    assert (current.score, current.scored_by, current.scored_at) == (
        history[0].score,
        history[0].scored_by,
        history[0].scored_at,
    )
    # The one saved second says it replaced the first (not the page's empty score, as both did before).
    assert ["its first score" in text for text in (command.text, dm)].count(True) == 1, (command.text, dm)


def test_two_try_commands_at_once_make_one_action_item_and_the_second_is_told_whose(
    app: AppClient, db: Session, seeded: None
) -> None:
    line = infrastructure_try(db)
    with time_machine.travel(AFTER, tick=False):
        replies = at_once(
            lambda: app.command("/okr", f"try {line.id} <@U_BOB|bob> 2019-09-02", user="U_BOB"),
            lambda: app.command("/okr", f"try {line.id} <@U_DANA|dana> 2019-09-09", user="U_ALICE"),
        )
    db.expire_all()
    [item] = db.scalars(select(ActionItem)).all()
    assert db.get_one(RetroItem, line.id).action_item_id == item.id
    won = [reply for reply in replies if "is now action item" in reply.text]
    lost = [reply for reply in replies if "already" in reply.text]
    assert len(won) == len(lost) == 1, [reply.text for reply in replies]
    assert f"Line {line.id} is already action item #{item.id} (by <@{item.created_by}>)" in lost[0].text
    assert lost[0]["response_type"] == "ephemeral"
    made = db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.subject_type == "action_item"))
    assert made == 1  # the loser's item and its audit row rolled back


def test_two_try_forms_submitted_at_once_make_one_action_item(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    form = open_retro(app, slack, "Infrastructure", user="U_BOB")
    with time_machine.travel(AFTER, tick=False):
        assert app.submit(form, retro_values("Infrastructure", try_="Hire an analyst"), user="U_BOB").body == ""
    retro = slack.messages("C_OKRS")[-1]
    forms = []
    for user in ("U_BOB", "U_ALICE"):
        with time_machine.travel(AFTER, tick=False):
            app.click(retro, retro_ids.OKR_TRY_OPEN, user=user, channel="C_OKRS")
        forms.append(slack.views_opened()[-1])
    with time_machine.travel(AFTER, tick=False):
        answers = at_once(
            lambda: app.submit(forms[0], try_values("Hire an analyst"), user="U_BOB"),
            lambda: app.submit(forms[1], try_values("Hire an analyst soon", owner="U_DANA"), user="U_ALICE"),
        )
    [item] = db.scalars(select(ActionItem)).all()
    errors = [answer.body["errors"] for answer in answers if isinstance(answer.body, dict)]
    assert len(errors) == 1 and list(errors[0]) == [retro_ids.OKR_TRY_TEXT], answers
    assert f"is already action item #{item.id} (by <@{item.created_by}>)" in errors[0][retro_ids.OKR_TRY_TEXT]
    # And the button, pressed again afterwards, says so before a form opens.
    opened = len(slack.views_opened())
    with time_machine.travel(AFTER, tick=False):
        again = app.click(retro, retro_ids.OKR_TRY_OPEN, user="U_BOB", channel="C_OKRS")
    assert len(slack.views_opened()) == opened and f"already action item #{item.id}" in again.all_text()


def test_two_leads_saving_one_retro_at_once_keep_one_of_them_whole_and_the_other_is_told(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    okr(app, 'owner "Infrastructure" <@U_DANA|dana>', user="U_BOB")
    forms = [open_retro(app, slack, "Infrastructure", user=user) for user in ("U_BOB", "U_DANA")]
    bob = retro_values("Infrastructure", good="Shipped Gitaly", try_="Hire an analyst\nFewer KRs")
    dana = retro_values("Infrastructure", bad="Pages at night", try_="On-call rota")
    with time_machine.travel(AFTER, tick=False):
        answers = at_once(
            lambda: app.submit(forms[0], bob, user="U_BOB"), lambda: app.submit(forms[1], dana, user="U_DANA")
        )
    saved = [answer for answer in answers if answer.body == ""]
    told = [answer.body for answer in answers if isinstance(answer.body, dict)]
    assert len(saved) == len(told) == 1, answers
    assert list(told[0]["errors"]) == [retro_ids.OKR_RETRO_TEAM]
    assert (
        "saved the retrospective of `Infrastructure` while this form was open"
        in (told[0]["errors"][retro_ids.OKR_RETRO_TEAM])
    )
    winner = "U_BOB" if answers[0].body == "" else "U_DANA"
    expected = (
        [("good", "Shipped Gitaly"), ("try", "Hire an analyst"), ("try", "Fewer KRs")]
        if winner == "U_BOB"
        else [("bad", "Pages at night"), ("try", "On-call rota")]
    )
    assert lines_of(db, "Infrastructure") == expected  # one save whole, nothing twice
    assert f"<@{winner}>" in told[0]["errors"][retro_ids.OKR_RETRO_TEAM]
    assert len(slack.messages("C_OKRS")) == 1  # one retro posted


def test_a_new_teams_first_retro_saved_twice_at_once_makes_one_team(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    forms = [open_retro(app, slack, "Data Platform", user=user) for user in ("U_CAROL", "U_DANA")]
    values = retro_values("Data Platform", good="Warehouse live", try_="Fewer dashboards")
    with time_machine.travel(AFTER, tick=False):
        answers = at_once(
            lambda: app.submit(forms[0], values, user="U_CAROL"), lambda: app.submit(forms[1], values, user="U_DANA")
        )
    assert sorted(str(answer.body) == "" for answer in answers) == [False, True], answers
    assert db.scalar(select(func.count()).select_from(RetroTeam).where(RetroTeam.name == "Data Platform")) == 1
    assert lines_of(db, "Data Platform") == [("good", "Warehouse live"), ("try", "Fewer dashboards")]


def test_the_same_retro_saved_again_from_its_edit_button_is_redrawn_in_place(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    form = open_retro(app, slack, "Infrastructure", user="U_BOB")
    with time_machine.travel(AFTER, tick=False):
        assert app.submit(form, retro_values("Infrastructure", good="One"), user="U_BOB").body == ""
    [posted] = slack.messages("C_OKRS")
    with time_machine.travel(AFTER, tick=False):
        app.click(posted, retro_ids.OKR_RETRO_EDIT, user="U_BOB", channel="C_OKRS")
        edit = slack.views_opened()[-1]
        assert app.submit(edit, retro_values("Infrastructure", good="One\nTwo"), user="U_BOB").body == ""
    [redrawn] = slack.messages("C_OKRS")
    assert redrawn["ts"] == posted["ts"] and "2. Two" in json.dumps(redrawn["blocks"])


def with_value(message: dict, action_id: str, value: str) -> dict:
    """`message` as it was posted by an older version, its `action_id` button carrying `value`."""
    old = json.loads(json.dumps(message))
    for block in old["blocks"]:
        for element in block.get("elements", []) + [block.get("accessory") or {}]:
            if element.get("action_id") == action_id:
                element["value"] = value
    return old


def retro_form_team(slack: SlackStandIn) -> str | None:
    form = slack.views_opened()[-1]
    assert form["callback_id"] == retro_ids.OKR_RETRO_MODAL
    team = next(b for b in form["blocks"] if b.get("block_id") == retro_ids.OKR_RETRO_TEAM)["element"]
    return team.get("initial_value")


def test_edit_carries_the_quarter_s_and_team_s_row_ids_and_an_old_quarter_team_value_still_opens_the_retro(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    form = open_retro(app, slack, "Infrastructure", user="U_BOB")
    with time_machine.travel(AFTER, tick=False):
        assert app.submit(form, retro_values("Infrastructure", good="One"), user="U_BOB").body == ""
    [posted] = slack.messages("C_OKRS")
    team = db.scalars(select(RetroTeam).where(RetroTeam.name == "Infrastructure")).one()
    edit = next(e for b in posted["blocks"] for e in b.get("elements", []) if e["action_id"] == ids.OKR_RETRO_EDIT)
    assert edit["value"] == f"{team.quarter_id}:{team.id}"
    old = with_value(posted, ids.OKR_RETRO_EDIT, "FY20-Q2|Infrastructure")
    with time_machine.travel(AFTER, tick=False):
        app.click(old, ids.OKR_RETRO_EDIT, user="U_BOB", channel="C_OKRS")
        assert retro_form_team(slack) == "Infrastructure"
        again = slack.views_opened()[-1]
        assert app.submit(again, retro_values("Infrastructure", good="One\nTwo"), user="U_BOB").body == ""
    [redrawn] = slack.messages("C_OKRS")
    assert redrawn["ts"] == posted["ts"] and "2. Two" in json.dumps(redrawn["blocks"])


def test_write_the_retro_opens_the_form_from_row_ids_and_from_an_old_quarter_team_value(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    quarter = db.scalars(select(OkrQuarter).where(OkrQuarter.label == "FY20-Q2")).one()
    team = db.scalars(select(RetroTeam).where(RetroTeam.name == "Infrastructure")).one()
    button = {"type": "button", "action_id": ids.OKR_RETRO_OPEN, "text": {"type": "plain_text", "text": "Write"}}
    expected = {
        f"{quarter.id}:{team.id}": "Infrastructure",
        f"{quarter.id}:": None,
        "FY20-Q2|Infrastructure": "Infrastructure",
        "FY20-Q2|": None,
    }
    for value, shown in expected.items():
        dm = {"ts": "1.0", "blocks": [{"type": "actions", "elements": [{**button, "value": value}]}]}
        with time_machine.travel(AFTER, tick=False):
            app.click(dm, ids.OKR_RETRO_OPEN, user="U_BOB", channel="D_BOB")
        assert retro_form_team(slack) == shown, value
    opened = len(slack.views_opened())
    gone = {"ts": "1.0", "blocks": [{"type": "actions", "elements": [{**button, "value": f"{quarter.id}:999999"}]}]}
    with time_machine.travel(AFTER, tick=False):
        app.click(gone, ids.OKR_RETRO_OPEN, user="U_BOB", channel="D_BOB")
    assert len(slack.views_opened()) == opened


# ---- 3. saved before said ----------------------------------------------------------------------------------------


def test_a_retro_whose_post_fails_is_kept_and_the_form_says_what_did_not_happen(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    form = open_retro(app, slack, "Infrastructure", user="U_BOB")
    slack.error_next("chat.postMessage", "not_in_channel")
    with time_machine.travel(AFTER, tick=False):
        answer = app.submit(form, retro_values("Infrastructure", good="Shipped", try_="Hire"), user="U_BOB")
    assert lines_of(db, "Infrastructure") == [("good", "Shipped"), ("try", "Hire")]  # saved, not rolled back
    assert answer.body["response_action"] == "update"
    shown = json.dumps(answer.body["view"])
    assert "Saved the FY20-Q2 retrospective of *Infrastructure*: 1 GOOD, 0 BAD, 1 TRY" in shown
    assert "I couldn't post in <#C_OKRS>: invite me with `/invite @Cadence`." in shown
    assert slack.messages("C_OKRS") == []


def test_an_action_item_whose_retro_redraw_fails_is_kept_and_the_form_says_so(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    form = open_retro(app, slack, "Infrastructure", user="U_BOB")
    with time_machine.travel(AFTER, tick=False):
        app.submit(form, retro_values("Infrastructure", try_="Hire an analyst"), user="U_BOB")
        app.click(slack.messages("C_OKRS")[-1], retro_ids.OKR_TRY_OPEN, user="U_BOB", channel="C_OKRS")
    try_form = slack.views_opened()[-1]
    slack.error_next("chat.update", "channel_not_found")
    with time_machine.travel(AFTER, tick=False):
        answer = app.submit(try_form, try_values("Hire an analyst"), user="U_BOB")
    [item] = db.scalars(select(ActionItem)).all()
    assert answer.body["response_action"] == "update"
    shown = json.dumps(answer.body["view"])
    assert f"is now action item #{item.id}" in shown and "I couldn't post in <#C_OKRS>" in shown


def test_a_score_whose_home_redraw_fails_is_kept_and_the_form_says_so(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    from devtools.signing import block_actions_body, post_signed

    infra = db.scalars(select(KeyResult).where(KeyResult.role == "Infrastructure", KeyResult.score.is_(None))).first()
    click = block_actions_body(
        ids.OKR_SCORE_OPEN,
        str(infra.id),
        user_id="U_BOB",
        team_id="T0001",
        container={"type": "view", "view_id": "V_HOME"},
        response_url=slack.response_url("home"),
    )
    with time_machine.travel(DURING, tick=False):
        assert post_signed(app.url, click, app.secret)[0] == 200
    form = slack.views_opened()[-1]
    values = {ids.OKR_SCORE_VALUE: {ids.OKR_SCORE_VALUE: {"type": "number_input", "value": "55"}}}
    slack.error_next("views.publish", "ratelimited")
    with time_machine.travel(DURING, tick=False):
        answer = app.submit(form, values, user="U_BOB")
    db.expire_all()
    assert db.get_one(KeyResult, infra.id).score == 55.0
    assert answer.body["response_action"] == "update"
    shown = json.dumps(answer.body["view"])
    assert f"Scored #{infra.id} 55%" in shown and "App Home didn't refresh" in shown


# ---- 4. the OKR channel is one its manager is in -----------------------------------------------------------------


def test_setup_names_only_a_channel_its_author_is_in(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    slack.add_channel("C_SECRET", "secret", members=["U_BOB", BOT_USER_ID], is_private=True)
    slack.add_channel("C_PUBLIC", "public", members=["U_BOB"])
    slack.add_channel("C_LOCKED", "locked", members=["U_BOB"], is_private=True)  # the bot was never invited
    forget_members()
    private = okr(app, "setup <#C_SECRET|secret>", user="U_ALICE")
    assert "You're not in <#C_SECRET>" in private.text and private["response_type"] == "ephemeral"
    public = okr(app, "setup <#C_PUBLIC|public>", user="U_ALICE")
    assert "You're not in <#C_PUBLIC>" in public.text and "Join the channel" in public.text
    slack.error_next("conversations.members", "channel_not_found")  # private, and the bot isn't in it
    forget_members()
    unseen = okr(app, "setup <#C_HIDDEN|hidden>", user="U_ALICE")
    assert "I can't see <#C_HIDDEN>" in unseen.text and "/invite @Cadence" in unseen.text
    locked = okr(app, "setup <#C_LOCKED|locked>", user="U_BOB", channel="C_LOCKED")  # Bob is in it, the bot is not
    assert "I can't see <#C_LOCKED>" in locked.text and "/invite @Cadence" in locked.text
    assert state(db) == ((0,) * 8, (), None, 0)
    # Typed in the channel itself: Slack lets only its members write there.
    assert "OKRs set up" in okr(app, "setup <#C_SECRET|secret>", user="U_BOB", channel="C_SECRET").text
    assert state(db)[2] == "C_SECRET"


def test_moving_the_okr_channel_is_refused_when_its_manager_is_not_in_the_new_one(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    slack.add_channel("C_PUBLIC", "public", members=["U_BOB"])
    forget_members()
    before = state(db)
    assert "You're not in <#C_PUBLIC>" in okr(app, "setup <#C_PUBLIC|public>", user="U_ALICE").text
    assert state(db) == before and before[2] == "C_OKRS"


# ---- 5. get-or-create races --------------------------------------------------------------------------------------


def test_two_mappings_of_one_person_at_once_make_one_row(app: AppClient, db: Session, seeded: None) -> None:
    with time_machine.travel(DURING, tick=False):
        replies = at_once(
            lambda: app.command("/okr", 'owner "CRO" <@U_DANA|dana>', user="U_ALICE"),
            lambda: app.command("/okr", 'owner "CRO" <@U_DANA|dana>', user="U_ADMIN"),
        )
    assert owners(db, "cro") == ["U_DANA"]
    texts = sorted(reply.text for reply in replies)
    assert "is already held by <@U_DANA>; nothing changed" in texts[0] and "is now held by <@U_DANA>" in texts[1]
    audited = db.scalars(select(AuditEvent).where(AuditEvent.action == "okr.owner_mapped")).all()
    assert sum(event.detail.get("role") == "CRO" for event in audited) == 1


def test_two_first_set_ups_at_once_make_one_program(app: AppClient, db: Session) -> None:
    with time_machine.travel(DURING, tick=False):
        replies = at_once(
            lambda: app.command("/okr", "setup <#C_OKRS|okrs>", user="U_ALICE"),
            lambda: app.command("/okr", "setup <#C_OKRS|okrs>", user="U_BOB"),
        )
    [program] = db.scalars(select(OkrProgram)).all()
    assert db.scalar(select(func.count()).select_from(Cadence).where(Cadence.kind.startswith("okr."))) == 4
    texts = [reply.text for reply in replies]
    assert sum("OKRs set up" in text for text in texts) == 1, texts
    assert any(f"Only the program manager <@{program.manager_id}>" in text for text in texts), texts


# ---- 6. the forms hold the commands' limits, and every echo is escaped -------------------------------------------


def test_a_ten_thousand_character_retro_line_is_refused_under_its_list(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    form = open_retro(app, slack, "Infrastructure", user="U_BOB")
    before, lines = state(db), lines_of(db, "Infrastructure")
    for field, values in (
        (retro_ids.OKR_RETRO_GOOD, retro_values("Infrastructure", good=LONG)),
        (retro_ids.OKR_RETRO_TRY, retro_values("Infrastructure", try_="\n".join(["y" * 900] * 4))),
        (retro_ids.OKR_RETRO_TEAM, retro_values("T" * 300, good="Fine")),
    ):
        with time_machine.travel(AFTER, tick=False):
            answer = app.submit(form, values, user="U_BOB")
        assert list(answer.body["errors"]) == [field], answer.body
    assert (
        "is 10,000 characters long"
        in app.submit(form, retro_values("Infrastructure", good=LONG), user="U_BOB").body["errors"][
            retro_ids.OKR_RETRO_GOOD
        ]
    )
    assert state(db) == before and lines_of(db, "Infrastructure") == lines


def test_a_long_score_comment_and_a_long_action_item_are_refused_under_their_fields(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    infra = db.scalars(select(KeyResult).where(KeyResult.role == "Infrastructure", KeyResult.score.is_(None))).first()
    mine = okr(app, "mine", user="U_BOB")
    with time_machine.travel(DURING, tick=False):
        app.click({"ts": "1.0", "blocks": mine["blocks"]}, ids.OKR_SCORE_OPEN, user="U_BOB", channel="D1")
    form = slack.views_opened()[-1]
    values = {
        ids.OKR_SCORE_VALUE: {ids.OKR_SCORE_VALUE: {"type": "number_input", "value": "50"}},
        **text_input(ids.OKR_SCORE_COMMENT, LONG),
    }
    before = state(db)
    with time_machine.travel(DURING, tick=False):
        answer = app.submit(form, values, user="U_BOB")
    assert list(answer.body["errors"]) == [ids.OKR_SCORE_COMMENT] and "1000" in str(answer.body)
    command = okr(app, f"score {infra.id} 50 {LONG}", user="U_BOB")
    assert "Keep the comment under 1000 characters" in command.text  # the same limit as the form
    assert state(db) == before

    retro = open_retro(app, slack, "Infrastructure", user="U_BOB")
    with time_machine.travel(AFTER, tick=False):
        app.submit(retro, retro_values("Infrastructure", try_="Hire an analyst"), user="U_BOB")
        app.click(slack.messages("C_OKRS")[-1], retro_ids.OKR_TRY_OPEN, user="U_BOB", channel="C_OKRS")
    try_form = slack.views_opened()[-1]
    with time_machine.travel(AFTER, tick=False):
        answer = app.submit(try_form, try_values(LONG), user="U_BOB")
    assert list(answer.body["errors"]) == [retro_ids.OKR_TRY_TEXT]
    assert db.scalar(select(func.count()).select_from(ActionItem)) == 0


def test_a_role_and_a_retro_line_that_say_channel_are_shown_escaped_in_the_fallback_too(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    mapped = okr(app, 'owner "<!channel> leads" <@U_DANA|dana>', user="U_ALICE")
    assert "&lt;!channel&gt; leads" in mapped.text and "<!channel>" not in shown_as_mrkdwn(mapped.body)
    again = okr(app, 'owner "<!channel> leads" <@U_DANA|dana>', user="U_ALICE")
    assert "already held" in again.text and "<!channel>" not in shown_as_mrkdwn(again.body)
    refused = okr(app, 'owner "<!channel> leads" <@U_CAROL|carol>', user="U_CAROL")
    assert "Only the OKR manager" in refused.text and "<!channel>" not in shown_as_mrkdwn(refused.body)
    listed = okr(app, "owners", user="U_CAROL")
    assert "&lt;!channel&gt; leads" in shown_as_mrkdwn(listed.body)
    assert "<!channel>" not in shown_as_mrkdwn(listed.body)

    form = open_retro(app, slack, "<!channel> team", user="U_DANA")
    with time_machine.travel(AFTER, tick=False):
        saved = app.submit(
            form, retro_values("<!channel> team", good="<!channel> shipped", try_="<!here> x"), user="U_DANA"
        )
    assert saved.body == ""
    [posted] = slack.messages("C_OKRS")
    assert "&lt;!channel&gt; team" in posted["text"] and "&lt;!channel&gt; shipped" in shown_as_mrkdwn(posted)
    assert "<!channel>" not in shown_as_mrkdwn(posted) and "<!here>" not in shown_as_mrkdwn(posted)
    assert lines_of(db, "<!channel> team") == [("good", "<!channel> shipped"), ("try", "<!here> x")]  # kept as typed
