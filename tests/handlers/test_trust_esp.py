"""The Executive Sponsorship Program keeps its promises on every path: a checklist item pressed Done by two people at
once is ticked once (the later one is told by whom), only the program manager or an admin assigns sponsors, the
program manager's own checklist is theirs, first commands at once make one program, one account and one checklist,
and an account named like a mention is shown as text."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import time_machine
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import db as bot_db
from bot.cadence import dispatcher
from bot.esp import nudges, service
from devtools.app_client import AppClient
from devtools.signing import block_actions_body, post_signed
from devtools.slack_stand_in import SlackStandIn
from models import AuditEvent, Cadence, ChecklistItem, EspAccount, EspObligation, EspProgram, Sponsorship
from tests.handlers.test_esp import FY27_START, PM, SPONSOR, esp, set_up
from tests.handlers.test_esp import people as people  # the fixture, found by its name
from tests.handlers.test_trust_cocreate import mrkdwn_of
from tests.support.concurrency import at_once

CSM = "U_ALICE"  # on Acct 1's account team (set_up)
TICKED_AT = datetime(2026, 2, 2, 10, 30, tzinfo=UTC)  # Monday 2 Feb 2026


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def audits(db: Session, action: str) -> int:
    return db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)) or 0


def every_row(db: Session) -> dict[str, list]:
    """What an ESP refusal must leave as it was."""
    db.expire_all()
    tables = (EspProgram, EspAccount, Sponsorship, ChecklistItem, AuditEvent)
    return {
        model.__name__: [tuple(getattr(r, c.key) for c in model.__table__.columns) for r in db.scalars(select(model))]
        for model in tables
    }


def with_checklist(app: AppClient, slack: SlackStandIn, slack_client: WebClient) -> dict:
    """Acct 1 with Dana as sponsor, and the quarter's first nudge in Dana's DM, with its checklist's Done buttons."""
    set_up(app)
    esp(app, f'assign <@{SPONSOR}|dana> "Acct 1"')
    dispatcher.tick(datetime(2026, 2, 2, 10, 0, tzinfo=UTC), client=slack_client)
    return next(m for m in slack.messages(SPONSOR) if "informal" in m["text"].lower())


def press(app: AppClient, slack: SlackStandIn, message: dict, item_id: int, *, user: str, dm_of: str = SPONSOR) -> str:
    """Done on checklist item `item_id` of `message` (in `dm_of`'s DM); what the app sent back to this presser."""
    name = f"tick-{user}-{item_id}"
    body = block_actions_body(
        "esp.checklist.done",
        str(item_id),
        user_id=user,
        channel_id=slack.dm_channel(dm_of),
        message_ts=message["ts"],
        message=message,
        team_id="T0001",
        response_url=slack.response_url(name),
    )
    assert post_signed(app.url, body, app.secret)[0] == 200
    return " ".join(json.dumps(r) for r in slack.responses(name))


def first_item(db: Session, program: str = "esp") -> ChecklistItem:
    db.expire_all()
    return db.scalars(select(ChecklistItem).where(ChecklistItem.program == program).order_by(ChecklistItem.id)).first()


def test_two_people_ticking_one_item_at_once_tick_it_once_and_the_later_is_told_by_whom(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    nudge = with_checklist(app, people, slack_client)
    item = first_item(db)
    with time_machine.travel(TICKED_AT, tick=False):
        told = dict(
            zip(
                (SPONSOR, CSM),
                at_once(
                    lambda: press(app, people, nudge, item.id, user=SPONSOR),
                    lambda: press(app, people, nudge, item.id, user=CSM),
                ),
                strict=True,
            )
        )
    ticked = first_item(db)
    winner = ticked.done_by
    loser = CSM if winner == SPONSOR else SPONSOR
    assert ticked.done and winner in (SPONSOR, CSM) and ticked.done_at == TICKED_AT
    assert audits(db, "esp.checklist_ticked") == 1  # recorded once, the first presser kept
    assert "Ticked" in told[winner]
    assert f"Already done by <@{winner}> on Mon 2 Feb" in told[loser] and "nothing changed" in told[loser]
    again = press(app, people, nudge, item.id, user=PM)  # later, from the same (stale) message: the same answer
    assert f"Already done by <@{winner}>" in again and audits(db, "esp.checklist_ticked") == 1


def test_the_program_managers_own_checklist_is_ticked_only_by_them_or_an_admin(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    with_checklist(app, people, slack_client)
    pm_nudge = next(m for m in people.messages(PM) if "Reassess tier 1" in m["text"])
    item = first_item(db, "esp.annual")
    account = db.scalars(select(EspAccount)).one()
    assert item.subject_id == account.id  # the program's id is Acct 1's: it used to let Acct 1's team tick it
    before = every_row(db)
    refused = press(app, people, pm_nudge, item.id, user=CSM, dm_of=PM)
    assert "Only the program manager <@U_ADMIN> or a workspace admin" in refused
    assert every_row(db) == before
    assert "Ticked" in press(app, people, pm_nudge, item.id, user=PM, dm_of=PM)


def test_a_strangers_assign_leaves_every_row_unchanged_and_says_who_may(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    set_up(app, accounts=2)
    esp(app, f'assign <@{SPONSOR}|dana> "Acct 1"')
    before = every_row(db)
    for text in ('assign <@U_EVE|eve> "Acct 2"', f'assign <@{CSM}|alice> "Acct 2" force', 'unassign "Acct 1"'):
        for stranger in ("U_EVE", SPONSOR, CSM):  # someone else, a sponsor, an account team member
            reply = esp(app, text, user=stranger)
            assert reply["response_type"] == "ephemeral", text
            assert "Only the program manager <@U_ADMIN> or a workspace admin" in reply.text, (text, reply.text)
    assert every_row(db) == before
    people.add_user("U_ROOT", name="root", real_name="Root Admin", is_admin=True)
    assert "now sponsors" in esp(app, 'assign <@U_EVE|eve> "Acct 2"', user="U_ROOT").text  # an admin may
    assert "now sponsors" in esp(app, f'assign <@{CSM}|alice> "Acct 2" force').text  # and the program manager
    assert count(db, Sponsorship) == 3


def test_two_first_setups_at_once_make_one_program_and_one_operating_cadence(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    with time_machine.travel(FY27_START, tick=False):
        replies = at_once(
            lambda: app.command("/esp", "setup", user=CSM, channel="C_ESP"),  # two people, neither an admin
            lambda: app.command("/esp", "setup", user=SPONSOR, channel="C_ESP"),
        )
    texts = [r.text for r in replies]
    assert count(db, EspProgram) == 1 and count(db, EspObligation) == 13
    assert db.scalar(select(func.count()).select_from(Cadence).where(Cadence.kind.like("esp.%"))) == 14
    manager = db.scalars(select(EspProgram.program_manager_id)).one()
    assert sum("operating-cadence items scheduled" in t for t in texts) == 1, texts
    assert any(f"Only the program manager <@{manager}>" in t for t in texts), texts
    assert not any("went wrong" in t for t in texts)


def test_the_same_account_added_twice_at_once_is_added_once(app: AppClient, db: Session, people: SlackStandIn) -> None:
    esp(app, "setup <@U_ADMIN|ada>")
    with time_machine.travel(FY27_START, tick=False):
        replies = at_once(
            lambda: app.command("/esp", 'account add "Acme" tier 1', user=PM, channel="C_ESP"),
            lambda: app.command("/esp", 'account add "Acme" tier 2', user=PM, channel="C_ESP"),
        )
    assert count(db, EspAccount) == 1 and audits(db, "esp.account_added") == 1
    assert sorted("already in the program" in r.text for r in replies) == [False, True], [r.text for r in replies]


def test_two_nudges_creating_one_checklist_at_once_make_one_list(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    set_up(app)

    def ensure() -> int:
        with bot_db.unit_of_work() as session:
            account = session.scalars(select(EspAccount)).one()
            program = service.program_of(session, team_id="T0001")
            items = service.ensure_checklist(
                session, team_id="T0001", account=account, period_kind="quarterly", period_label="FY27-Q1"
            )
            nudges.ensure_program_checklist(session, program=program, label="FY27")
            return len(items)

    sizes = at_once(ensure, ensure, ensure)
    per_account = count(db, ChecklistItem) - len(nudges.program_checklist(db, team_id="T0001", label="FY27"))
    assert len(set(sizes)) == 1 and per_account == sizes[0] > 0
    keys = db.execute(select(ChecklistItem.program, ChecklistItem.key)).all()
    assert len(keys) == len(set(keys))


def test_an_account_named_like_a_mention_is_shown_as_text_everywhere(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    esp(app, "setup <@U_ADMIN|ada>")
    named = '"&lt;!channel&gt; *x*"'
    replies = [
        esp(app, f"account add {named} tier 1 csm <@{CSM}|alice>"),
        esp(app, f"account {named} tier 2"),
        esp(app, f"assign <@{SPONSOR}|dana> {named}"),
        esp(app, "accounts"),
        esp(app, "map"),
        esp(app, f"touchpoint {named} informal"),
        esp(app, f"kpi {named} influence 4"),
        esp(app, f"scorecard {named}"),
        esp(app, 'account add "&lt;!channel&gt; *x*"'),  # refused: already there, and the refusal echoes it
    ]
    assert db.scalars(select(EspAccount.name)).one() == "<!channel> *x*"
    for reply in replies:
        texts = mrkdwn_of(reply.body)  # the fallback and every mrkdwn text
        assert not any("<!channel>" in t for t in texts), reply.body
        assert any("&lt;!channel&gt; *x*" in t for t in texts), reply.body
    lists = (3, 4)  # `accounts` and `map` fall back to a count; every other reply names the account there too
    assert all("&lt;!channel&gt; *x*" in r.text for n, r in enumerate(replies) if n not in lists)
