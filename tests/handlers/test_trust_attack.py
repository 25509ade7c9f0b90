"""Issue 12 tried as an attacker on the merged code: paths the slices' tests did not reach, each through signed
requests on both databases."""

from __future__ import annotations

import json
from datetime import timedelta

import time_machine
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher, ids
from bot.okrs import ids as okr_ids
from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from models import AuditEvent, Contribution, Delivery, OkrQuarter, Sponsorship
from tests.handlers.test_esp import FY27_START, PM, SPONSOR, set_up
from tests.handlers.test_esp import people as people  # the fixture, found by its name
from tests.support.concurrency import at_once


def audits(db: Session, action: str) -> int:
    return db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)) or 0


def count(db: Session, model: type) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model)) or 0


def active_sponsors(db: Session) -> list[str]:
    db.expire_all()
    return sorted(db.scalars(select(Sponsorship.sponsor_id).where(Sponsorship.ended_on.is_(None))))


def test_two_sponsors_assigned_to_one_account_at_once_make_one_sponsor_without_force(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    set_up(app)
    people.add_user("U_ROOT", name="root", real_name="Root Admin", is_admin=True)
    with time_machine.travel(FY27_START, tick=False):
        replies = at_once(
            lambda: app.command("/esp", f'assign <@{SPONSOR}|dana> "Acct 1"', user=PM, channel="C_ESP"),
            lambda: app.command("/esp", 'assign <@U_EVE|eve> "Acct 1"', user="U_ROOT", channel="C_ESP"),
        )
    texts = [r.text for r in replies]
    assert len(active_sponsors(db)) == 1, texts  # a second sponsor needs `force`
    assert audits(db, "esp.assigned") == 1
    assert sum("now sponsors" in t for t in texts) == 1 and any("force" in t for t in texts), texts


def test_one_sponsor_assigned_twice_at_once_is_assigned_once(app: AppClient, db: Session, people: SlackStandIn) -> None:
    set_up(app)
    with time_machine.travel(FY27_START, tick=False):
        replies = at_once(
            *(lambda: app.command("/esp", f'assign <@{SPONSOR}|dana> "Acct 1"', user=PM, channel="C_ESP"),) * 2
        )
    texts = [r.text for r in replies]
    assert active_sponsors(db) == [SPONSOR] and audits(db, "esp.assigned") == 1, texts
    assert sorted("already sponsors" in t for t in texts) == [False, True], texts


def test_a_sponsor_given_a_fifth_account_at_once_with_a_fourth_holds_four(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    set_up(app, accounts=5)
    for n in range(1, 4):
        app.command("/esp", f'assign <@{SPONSOR}|dana> "Acct {n}"', user=PM, channel="C_ESP")
    with time_machine.travel(FY27_START, tick=False):
        replies = at_once(
            lambda: app.command("/esp", f'assign <@{SPONSOR}|dana> "Acct 4"', user=PM, channel="C_ESP"),
            lambda: app.command("/esp", f'assign <@{SPONSOR}|dana> "Acct 5"', user=PM, channel="C_ESP"),
        )
    assert len(active_sponsors(db)) == 4, [r.text for r in replies]


def test_a_sponsorship_ended_twice_at_once_is_ended_once(app: AppClient, db: Session, people: SlackStandIn) -> None:
    set_up(app)
    app.command("/esp", f'assign <@{SPONSOR}|dana> "Acct 1"', user=PM, channel="C_ESP")
    with time_machine.travel(FY27_START, tick=False):
        replies = at_once(
            *(lambda: app.command("/esp", 'unassign "Acct 1" reason "moved"', user=PM, channel="C_ESP"),) * 2
        )
    texts = [r.text for r in replies]
    assert active_sponsors(db) == [] and audits(db, "esp.unassigned") == 1, texts
    assert sorted("no active sponsor" in t for t in texts) == [False, True], texts


def test_one_quarter_imported_from_two_forms_at_once_is_imported_once_and_the_other_is_told(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    from tests.handlers.test_okr import DAY_ONE, SEED, okr, text_input

    slack.add_channel("C_OKRS", "okrs", members=["U_ADMIN"])
    okr(app, "setup <#C_OKRS|okrs>")
    forms = []
    for _ in range(2):
        okr(app, "import")
        forms.append(slack.views_opened()[-1])
    page = SEED.read_text()
    cut = page.index('<p class="h3">3.')
    values = {
        **text_input(okr_ids.OKR_IMPORT_QUARTER, ""),
        **text_input(okr_ids.OKR_IMPORT_PAGE, page[:cut]),
        **text_input(okr_ids.OKR_IMPORT_PAGE_MORE, page[cut:]),
    }
    with time_machine.travel(DAY_ONE, tick=False):
        answers = at_once(*(lambda form=form: app.submit(form, values, user="U_ADMIN").body for form in forms))
    assert count(db, OkrQuarter) == 1 and audits(db, "okr.imported") == 1, answers
    assert not any("went wrong" in json.dumps(a) for a in answers), answers
    assert sorted("already imported" in json.dumps(a) for a in answers) == [False, True], answers


def test_one_contribution_recorded_twice_at_once_is_counted_once_and_the_other_is_told(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    from tests.handlers.test_cocreate import MONDAY, started

    started(app, slack)
    link = "https://gitlab.example/acme/-/merge_requests/1"
    with time_machine.travel(MONDAY, tick=False):
        replies = at_once(
            lambda: app.command("/cocreate", f'contribution "Acme Corp" mr {link}', user="U_ALICE"),
            lambda: app.command("/cocreate", f'contribution "Acme Corp" mr {link}/', user="U_BOB"),
        )
    texts = [r.text for r in replies]
    assert count(db, Contribution) == 1, texts
    assert not any("went wrong" in t for t in texts), texts
    assert sorted("already recorded" in t for t in texts) == [False, True], texts


def test_a_removed_reminders_old_nudge_snoozed_never_comes_back(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    from tests.handlers.test_nudges import DUE, post_one_nudge

    nudge = post_one_nudge(slack, slack_client)  # U_ALICE's reminder in #team, posted once
    with time_machine.travel(DUE + timedelta(minutes=5), tick=False):
        removed = app.command("/cadence", "remove 1", user="U_ALICE", channel="C_TEAM")
        assert "emoved" in removed.text, removed.text
        snoozed = app.click(nudge, ids.NUDGE_SNOOZE_DAY, user="U_ALICE", channel="C_TEAM")
    told = " ".join(json.dumps(r) for r in snoozed.responses) + json.dumps(snoozed.body)
    assert "removed" in told, told  # not "Snoozed until tomorrow": it would never come
    dispatcher.tick(DUE + timedelta(days=1, minutes=10), client=slack_client)
    assert len(slack.messages("C_TEAM")) == 1  # the removed reminder posts nothing more
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == "sent")) == 1


def test_a_snooze_saved_as_its_reminder_is_paused_is_not_posted(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    from tests.handlers.test_nudges import DUE, post_one_nudge

    nudge = post_one_nudge(slack, slack_client)
    with time_machine.travel(DUE + timedelta(minutes=5), tick=False):
        at_once(
            lambda: app.click(nudge, ids.NUDGE_SNOOZE_DAY, user="U_ALICE", channel="C_TEAM"),
            lambda: app.command("/cadence", "pause 1", user="U_ALICE", channel="C_TEAM"),
        )
    dispatcher.tick(DUE + timedelta(days=1, minutes=10), client=slack_client)
    assert len(slack.messages("C_TEAM")) == 1  # paused: whichever came first, no snoozed copy goes out


def test_a_first_import_with_replace_ticked_says_imported_not_replaced(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    from bot.okrs.blocks.importing import REPLACE_OPTION
    from tests.handlers.test_okr import DAY_ONE, SEED, okr, text_input

    slack.add_channel("C_OKRS", "okrs", members=["U_ADMIN"])
    okr(app, "setup <#C_OKRS|okrs>")
    okr(app, "import")
    form = slack.views_opened()[-1]
    page = SEED.read_text()
    cut = page.index('<p class="h3">3.')
    ticked = {
        "type": "checkboxes",
        "selected_options": [{"value": REPLACE_OPTION, "text": {"type": "plain_text", "text": "Replace"}}],
    }
    values = {
        **text_input(okr_ids.OKR_IMPORT_QUARTER, ""),
        **text_input(okr_ids.OKR_IMPORT_PAGE, page[:cut]),
        **text_input(okr_ids.OKR_IMPORT_PAGE_MORE, page[cut:]),
        okr_ids.OKR_IMPORT_REPLACE: {okr_ids.OKR_IMPORT_REPLACE: ticked},
    }
    with time_machine.travel(DAY_ONE, tick=False):
        assert app.submit(form, values, user="U_ADMIN").body == ""
    summary = slack.messages(slack.dm_channel("U_ADMIN"))[-1]["text"]
    assert summary.startswith("Imported FY20-Q2"), summary  # there was nothing to replace
    okr(app, "import")
    with time_machine.travel(DAY_ONE, tick=False):
        assert app.submit(slack.views_opened()[-1], values, user="U_ADMIN").body == ""
    assert slack.messages(slack.dm_channel("U_ADMIN"))[-1]["text"].startswith("Replaced FY20-Q2")
    assert count(db, OkrQuarter) == 1


def test_the_same_extension_typed_twice_is_recorded_and_announced_once(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    from tests.handlers.test_trust_working_groups import audit_rows, wg

    wg(app, 'create "Docs revamp" ends 2027-01-31')
    first, again = wg(app, "extend 2027-03-31"), wg(app, "extend 2027-03-31")
    assert "Extended to 2027-03-31" in first.text
    assert "Already extended to 2027-03-31 by <@U_ALICE>" in again.text and "nothing changed" in again.text
    assert len(audit_rows(db, "wg.extended")) == 1
    assert sum("was extended" in m["text"] for m in slack.messages("C_TEAM")) == 1


def test_a_holder_who_took_themselves_off_is_told_they_no_longer_hold_the_role_not_who_may(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    from models import OkrOwner
    from tests.handlers.test_okr import okr

    slack.add_channel("C_OKRS", "okrs", members=["U_ADMIN"])
    okr(app, "setup <#C_OKRS|okrs>")
    okr(app, 'owner "VP Eng" <@U_BOB|bob> <@U_ALICE|alice>')
    assert "now held by <@U_ALICE>" in okr(app, 'owner remove "VP Eng" <@U_BOB|bob>', user="U_BOB").text
    again = okr(app, 'owner remove "VP Eng" <@U_BOB|bob>', user="U_BOB")
    assert "No one given is mapped to" in again.text and "Only" not in again.text, again.text
    refused = okr(app, 'owner remove "VP Eng" <@U_ALICE|alice>', user="U_BOB")  # someone else: still refused
    assert "Only the OKR manager <@U_ADMIN>" in refused.text
    assert db.scalars(select(OkrOwner.user_id)).all() == ["U_ALICE"]


def test_two_resources_added_at_once_are_both_kept(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    from models import CocreateProgram
    from tests.handlers.test_cocreate import MONDAY, cocreate

    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    slack.add_user("U_ROOT", name="root", real_name="Root Admin", is_admin=True)
    for n in range(4):  # rounds, so the two reads and writes interleave at least once
        with time_machine.travel(MONDAY, tick=False):
            replies = at_once(
                lambda n=n: app.command(
                    "/cocreate", f'resources add "NDA {n}" https://docs.example/nda', user="U_ADMIN"
                ),
                lambda n=n: app.command(
                    "/cocreate", f'resources add "ROI {n}" https://docs.example/roi', user="U_ROOT"
                ),
            )
        assert all(f"NDA {n}" in r.all_text() or f"ROI {n}" in r.all_text() for r in replies)
    db.expire_all()
    labels = sorted(r["label"] for r in db.scalars(select(CocreateProgram.resources)).one())
    assert labels == sorted([f"NDA {n}" for n in range(4)] + [f"ROI {n}" for n in range(4)])  # each was told added
    assert audits(db, "cocreate.resource_added") == 8


def test_two_people_scoring_different_criteria_at_once_both_keep_their_scores(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    from models import Prospect
    from tests.handlers.test_cocreate import MONDAY, add, cocreate

    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    add(app, slack, "Acme Corp", user="U_BOB")
    criteria = ("public-issues", "feature-usage", "tier-seats", "industry", "oss", "growth", "relationship")
    for n in range(3):  # rounds, so the two reads and writes interleave at least once
        first, second = criteria[2 * n], criteria[2 * n + 1]
        with time_machine.travel(MONDAY, tick=False):
            at_once(
                lambda first=first: app.command("/cocreate", f'score "Acme Corp" {first} 4', user="U_ALICE"),
                lambda second=second: app.command("/cocreate", f'score "Acme Corp" {second} 2', user="U_BOB"),
            )
    db.expire_all()
    scores = db.scalars(select(Prospect.scores)).one()
    assert len(scores) == 6 and audits(db, "cocreate.scored") == 6, scores  # each was told it was saved


def test_two_weights_changed_at_once_are_both_kept(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    from models import CocreateProgram
    from tests.handlers.test_cocreate import MONDAY, cocreate

    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    slack.add_user("U_ROOT", name="root", real_name="Root Admin", is_admin=True)
    pairs = (("public-issues", "feature-usage"), ("tier-seats", "industry"), ("oss", "growth"))
    for first, second in pairs:
        with time_machine.travel(MONDAY, tick=False):
            at_once(
                lambda first=first: app.command("/cocreate", f"weights {first} 3", user="U_ADMIN"),
                lambda second=second: app.command("/cocreate", f"weights {second} 2", user="U_ROOT"),
            )
    db.expire_all()
    weights = db.scalars(select(CocreateProgram.weights)).one()
    assert sorted(weights.values()).count(1) == 1, weights  # six changed, only the seventh still at its default
