"""Every action /okr refuses, through signed requests: the reply says why (and who may, or how to write it), is
shown only to the user, and nothing changes. Malformed commands are tested where they are parsed
(tests/bot/okrs/test_commands.py); here, well-formed commands that the state or the caller's rights refuse."""

from __future__ import annotations

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
from bot.okrs.blocks.importing import REPLACE_OPTION
from bot.permissions import Actor
from devtools.app_client import AppClient, Reply
from devtools.slack_stand_in import SlackStandIn
from models import (
    ActionItem,
    AuditEvent,
    KeyResult,
    KeyResultScore,
    OkrOwner,
    OkrProgram,
    OkrQuarter,
    RetroItem,
    RetroTeam,
)

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "okrs-fy20-q2.md"
DURING = datetime(2019, 6, 3, 9, tzinfo=UTC)  # FY20-Q2
AFTER = datetime(2019, 8, 1, 9, tzinfo=UTC)  # FY20-Q3, the retrospective's time
EVERY_TABLE = (OkrProgram, OkrQuarter, KeyResult, KeyResultScore, OkrOwner, RetroTeam, RetroItem, ActionItem)


def okr(app: AppClient, text: str, *, user: str = "U_ADMIN", at: datetime = DURING) -> Reply:
    with time_machine.travel(at, tick=False):
        return app.command("/okr", text, user=user, channel="C_GENERAL")


def state(db: Session) -> tuple:
    """What a refusal must leave as it was: every OKR row count, every score, every audit entry."""
    db.expire_all()
    counts = tuple(db.scalar(select(func.count()).select_from(model)) for model in EVERY_TABLE)
    scores = tuple(db.scalars(select(KeyResult.score).order_by(KeyResult.id)))
    channel = db.scalar(select(OkrProgram.channel_id))
    return counts, scores, channel, db.scalar(select(func.count()).select_from(AuditEvent))


def refused(reply: Reply, *expected: str) -> str:
    """The reply is ephemeral and says each of `expected`; returns its text."""
    assert reply.status == 200 and isinstance(reply.body, dict), reply.body
    assert reply.body.get("response_type", "ephemeral") == "ephemeral"
    for words in expected:
        assert words in reply.text, (words, reply.text)
    return reply.text


@pytest.fixture(autouse=True)
def okr_channels(slack: SlackStandIn) -> None:
    """#okrs and #other, which the one who sets OKRs up must be in (`/okr setup #okrs` asks Slack)."""
    from handlers.membership import forget_members

    slack.add_channel("C_OKRS", "okrs", members=["U_ADMIN", "U_ALICE", "U_BOB"])
    slack.add_channel("C_OTHER", "other", members=["U_ADMIN", "U_ALICE", "U_BOB"])
    forget_members()


@pytest.fixture
def seeded(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    """OKRs set up by Alice (who manages them), the seed imported, Infrastructure led by Bob; Carol holds no role."""
    slack.add_user("U_CAROL", name="carol", real_name="Carol Cole", tz="UTC")
    okr(app, "setup <#C_OKRS|okrs>", user="U_ALICE")
    with unit_of_work() as session:
        page = okr_page.read_okr_page(SEED.read_text())
        service.import_page(session, team_id="T0001", actor=Actor("U_ALICE"), page=page, now=DURING)
    okr(app, 'owner "Infrastructure" <@U_BOB|bob>', user="U_ALICE")


def test_before_set_up_every_command_but_help_and_setup_says_how(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    for text in (
        "import",
        "quarters",
        "tree",
        "mine",
        "score 1 50",
        "history 1",
        'owner "CRO" <@U_BOB|bob>',
        'owner remove "CRO"',
        "owners",
        "retro",
        "try 1 <@U_BOB|bob> 2019-09-02",
    ):
        refused(okr(app, text, user="U_BOB"), "OKRs aren't set up", "/okr setup #okrs")
    assert slack.views_opened() == [] and state(db) == ((0,) * 8, (), None, 0)
    assert "/okr setup" in okr(app, "help", user="U_BOB").all_text()


def test_the_set_up_is_changed_only_by_its_manager_or_an_admin(app: AppClient, db: Session, seeded: None) -> None:
    before = state(db)
    refused(okr(app, "setup <#C_OTHER|other>", user="U_BOB"), "Only the program manager", "<@U_ALICE>")
    assert state(db) == before
    assert "<#C_OTHER>" in okr(app, "setup <#C_OTHER|other>", user="U_ADMIN").text
    assert state(db)[2] == "C_OTHER"


def test_quarters_and_objectives_that_are_not_there_are_named(app: AppClient, db: Session, seeded: None) -> None:
    before = state(db)
    refused(okr(app, "tree FY19-Q4"), "FY19-Q4 hasn't been imported", "/okr import")
    refused(okr(app, "mine FY21-Q1", user="U_BOB"), "FY21-Q1 hasn't been imported")
    refused(okr(app, "retro 2018-Q2 Infrastructure", user="U_BOB"), "2018-Q2 hasn't been imported")
    refused(okr(app, "tree FY20-Q2 objective 7"), "FY20-Q2 has no objective 7", "Its objectives are 1, 2, 3")
    assert state(db) == before


def test_nothing_imported_yet_says_to_import(app: AppClient, db: Session) -> None:
    okr(app, "setup <#C_OKRS|okrs>")
    refused(okr(app, "tree"), "No OKR quarter has been imported yet", "/okr import")
    refused(okr(app, "mine", user="U_BOB"), "No OKR quarter has been imported yet")


def test_key_results_that_do_not_exist_and_scores_by_others_are_refused(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    unscored = db.scalars(select(KeyResult).where(KeyResult.role == "Infrastructure", KeyResult.score.is_(None)))
    infra = unscored.first()
    assert infra is not None
    before = state(db)
    refused(okr(app, "history 999999"), "There's no key result #999999", "/okr mine")
    refused(okr(app, f"score {infra.id} 50", user="U_CAROL"), "Only the holders of", "<@U_BOB>")
    mine = okr(app, "mine", user="U_BOB")
    opened = len(slack.views_opened())
    with time_machine.travel(DURING, tick=False):
        # Bob's DM button, pressed by someone else (a forwarded message): refused before the form opens.
        clicked = app.click({"ts": "1.0", "blocks": mine["blocks"]}, ids.OKR_SCORE_OPEN, user="U_CAROL", channel="D1")
    assert len(slack.views_opened()) == opened
    assert any("Only the holders of" in str(r) for r in clicked.responses)
    assert state(db) == before


def test_removing_an_owner_no_one_holds_is_refused(app: AppClient, db: Session, seeded: None) -> None:
    before = state(db)
    refused(okr(app, 'owner remove "Infrastructure" <@U_CAROL|carol>'), "No one given is mapped to `Infrastructure`")
    refused(okr(app, 'owner remove "Chief Vibes Officer"'), "No one given is mapped to `Chief Vibes Officer`")
    assert state(db) == before


def test_a_retro_is_written_only_by_the_team_lead_the_manager_or_an_admin(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    okr(app, "retro FY20-Q2 Infrastructure", user="U_CAROL", at=AFTER)  # the form opens; saving is checked
    form = slack.views_opened()[-1]
    values = {
        retro_ids.OKR_RETRO_TEAM: {retro_ids.OKR_RETRO_TEAM: {"type": "plain_text_input", "value": "Infrastructure"}},
        retro_ids.OKR_RETRO_TRY: {retro_ids.OKR_RETRO_TRY: {"type": "plain_text_input", "value": "Nothing"}},
    }
    before = state(db)
    with time_machine.travel(AFTER, tick=False):
        answer = app.submit(form, values, user="U_CAROL")
    assert answer.body["response_action"] == "errors"
    assert "Only the leads of" in answer.body["errors"][retro_ids.OKR_RETRO_TEAM]
    assert state(db) == before
    with time_machine.travel(AFTER, tick=False):
        assert app.submit(form, values, user="U_ALICE").body == ""  # the manager may
    assert [i.text for i in db.scalars(select(RetroItem).where(RetroItem.kind == "try"))][-1] == "Nothing"


def test_try_refuses_other_lines_linked_lines_strangers_and_dates_outside_the_next_quarter(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    good = db.scalars(select(RetroItem.id).where(RetroItem.kind == "good")).first()
    try_ = db.scalars(
        select(RetroItem.id).join(RetroTeam).where(RetroTeam.name == "Infrastructure", RetroItem.kind == "try")
    ).first()
    before = state(db)
    refused(okr(app, "try 999999 <@U_BOB|bob> 2019-09-02", at=AFTER), "There's no retrospective item #999999")
    refused(okr(app, f"try {good} <@U_BOB|bob> 2019-09-02", at=AFTER), "is a GOOD line", "only TRY lines")
    refused(okr(app, f"try {try_} <@U_BOB|bob> 2019-09-02", user="U_CAROL", at=AFTER), "Only the leads of", "<@U_BOB>")
    refused(
        okr(app, f"try {try_} <@U_BOB|bob> 2019-12-01", user="U_BOB", at=AFTER),
        "Pick one from 1 Aug 2019 to 31 Oct 2019",
        "(from today to the end of FY20-Q3, the quarter after the retrospective, or to 90 days from today",
        f"/okr try {try_} @owner 2019-08-31",
    )
    refused(
        okr(app, f"try {try_} <@U_BOB|bob> 2019-07-31", user="U_BOB", at=AFTER),
        "The due date 2019-07-31 has passed",
        f"/okr try {try_} @owner 2019-08-31",
    )
    assert state(db) == before
    done = okr(app, f"try {try_} <@U_BOB|bob> 2019-09-02", user="U_BOB", at=AFTER)
    action_id = db.scalar(select(ActionItem.id))
    assert f"#{action_id}" in done.all_text()
    after_first = state(db)
    refused(
        okr(app, f"try {try_} <@U_BOB|bob> 2019-09-09", user="U_BOB", at=AFTER), f"already action item #{action_id}"
    )
    assert state(db) == after_first


def test_the_try_form_shows_a_refusal_under_the_field_it_is_about(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    okr(app, "retro FY20-Q2 Infrastructure", user="U_BOB", at=AFTER)  # posted by its lead, with TRY buttons
    form = slack.views_opened()[-1]
    values = {
        retro_ids.OKR_RETRO_TEAM: {retro_ids.OKR_RETRO_TEAM: {"type": "plain_text_input", "value": "Infrastructure"}},
        retro_ids.OKR_RETRO_TRY: {retro_ids.OKR_RETRO_TRY: {"type": "plain_text_input", "value": "Hire an analyst"}},
    }
    with time_machine.travel(AFTER, tick=False):
        assert app.submit(form, values, user="U_BOB").body == ""
    retro = slack.messages("C_OKRS")[-1]
    with time_machine.travel(AFTER, tick=False):
        app.click(retro, retro_ids.OKR_TRY_OPEN, user="U_CAROL", channel="C_OKRS")
    try_form = slack.views_opened()[-1]
    assert try_form["callback_id"] == retro_ids.OKR_TRY_MODAL
    values = {
        retro_ids.OKR_TRY_TEXT: {retro_ids.OKR_TRY_TEXT: {"type": "plain_text_input", "value": "Hire an analyst"}},
        retro_ids.OKR_TRY_OWNER: {retro_ids.OKR_TRY_OWNER: {"type": "users_select", "selected_user": "U_BOB"}},
        retro_ids.OKR_TRY_DUE: {retro_ids.OKR_TRY_DUE: {"type": "datepicker", "selected_date": "2019-09-02"}},
    }
    before = state(db)
    with time_machine.travel(AFTER, tick=False):
        stranger = app.submit(try_form, values, user="U_CAROL")
    assert list(stranger.body["errors"]) == [retro_ids.OKR_TRY_TEXT]
    assert "Only the leads of" in stranger.body["errors"][retro_ids.OKR_TRY_TEXT]
    no_owner = {**values, retro_ids.OKR_TRY_OWNER: {retro_ids.OKR_TRY_OWNER: {"type": "users_select"}}}
    with time_machine.travel(AFTER, tick=False):
        unowned = app.submit(try_form, no_owner, user="U_BOB")
    assert list(unowned.body["errors"]) == [retro_ids.OKR_TRY_OWNER]
    late = {
        **values,
        retro_ids.OKR_TRY_DUE: {retro_ids.OKR_TRY_DUE: {"type": "datepicker", "selected_date": "2020-01-06"}},
    }
    with time_machine.travel(AFTER, tick=False):
        too_late = app.submit(try_form, late, user="U_BOB")
    assert (
        list(too_late.body["errors"]) == [retro_ids.OKR_TRY_DUE]
        and "FY20-Q3" in too_late.body["errors"][retro_ids.OKR_TRY_DUE]
    )
    assert state(db) == before


def test_replacing_a_quarter_from_the_form_is_for_the_manager(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    okr(app, "import FY20-Q2", user="U_BOB")
    form = slack.views_opened()[-1]
    page = SEED.read_text()
    cut = page.index('<p class="h3">3.')
    values = {
        ids.OKR_IMPORT_QUARTER: {ids.OKR_IMPORT_QUARTER: {"type": "plain_text_input", "value": ""}},
        ids.OKR_IMPORT_PAGE: {ids.OKR_IMPORT_PAGE: {"type": "plain_text_input", "value": page[:cut]}},
        ids.OKR_IMPORT_PAGE_MORE: {ids.OKR_IMPORT_PAGE_MORE: {"type": "plain_text_input", "value": page[cut:]}},
        ids.OKR_IMPORT_REPLACE: {
            ids.OKR_IMPORT_REPLACE: {"type": "checkboxes", "selected_options": [{"value": REPLACE_OPTION}]}
        },
    }
    before = state(db)
    with time_machine.travel(DURING, tick=False):
        answer = app.submit(form, values, user="U_BOB")
    assert "Only the program manager" in answer.body["errors"][ids.OKR_IMPORT_QUARTER]
    assert state(db) == before
    blank = {**values, ids.OKR_IMPORT_PAGE: {ids.OKR_IMPORT_PAGE: {"type": "plain_text_input", "value": " "}}}
    blank[ids.OKR_IMPORT_PAGE_MORE] = {ids.OKR_IMPORT_PAGE_MORE: {"type": "plain_text_input", "value": ""}}
    with time_machine.travel(DURING, tick=False):
        empty = app.submit(form, blank, user="U_ALICE")
    assert list(empty.body["errors"]) == [ids.OKR_IMPORT_PAGE] and state(db) == before


def test_importing_a_new_quarter_is_for_the_manager_once_okrs_are_set_up(
    app: AppClient, db: Session, slack: SlackStandIn, seeded: None
) -> None:
    """A quarter sends its owners score DMs and can move the program's reminder months: not anyone's to add."""
    page = (
        SEED.read_text()
        .replace("FY20-Q2", "FY20-Q3")
        .replace("May 1, 2019 to July 31, 2019", "August 1, 2019 to October 31, 2019")
    )
    values = {
        ids.OKR_IMPORT_QUARTER: {ids.OKR_IMPORT_QUARTER: {"type": "plain_text_input", "value": ""}},
        ids.OKR_IMPORT_PAGE: {ids.OKR_IMPORT_PAGE: {"type": "plain_text_input", "value": page[:2900]}},
        ids.OKR_IMPORT_PAGE_MORE: {ids.OKR_IMPORT_PAGE_MORE: {"type": "plain_text_input", "value": page[2900:]}},
    }
    before = state(db)
    okr(app, "import", user="U_BOB")
    with time_machine.travel(DURING, tick=False):
        answer = app.submit(slack.views_opened()[-1], values, user="U_BOB")
    assert "Only the program manager" in answer.body["errors"][ids.OKR_IMPORT_QUARTER]
    assert state(db) == before
    okr(app, "import", user="U_ALICE")
    with time_machine.travel(DURING, tick=False):
        app.submit(slack.views_opened()[-1], values, user="U_ALICE")
    assert sorted(db.scalars(select(OkrQuarter.label))) == ["FY20-Q2", "FY20-Q3"]
