"""The Executive Sponsorship Program through signed requests: set-up, mapping rules, touchpoints, KPIs, cadence."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from bot.esp import rules
from bot.text import escape
from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from models import Cadence, CadenceStatus, Delivery, EspObligation, Sponsorship

# Monday 2 February 2026, 08:00 UTC: the first week of FY27 (the fiscal year starts in February)
FY27_START = datetime(2026, 2, 2, 8, 0, tzinfo=UTC)
PM, SPONSOR, CSM, AE, SA = "U_ADMIN", "U_DANA", "U_ALICE", "U_BOB", "U_SAM"


@pytest.fixture
def people(slack: SlackStandIn) -> SlackStandIn:
    slack.add_user("U_DANA", name="dana", real_name="Dana Sponsor", tz="America/New_York")
    slack.add_user("U_EVE", name="eve", real_name="Eve Sponsor", tz="UTC")
    slack.add_user("U_SAM", name="sam", real_name="Sam Architect", tz="UTC")
    slack.add_channel("C_ESP", "executive-sponsor-program", members=["U_ADMIN", "U_DANA", "U_ALICE"])
    return slack


def esp(app: AppClient, text: str, *, user: str = PM, at: datetime = FY27_START):
    with time_machine.travel(at, tick=False):
        return app.command("/esp", text, user=user, channel="C_ESP")


def set_up(app: AppClient, accounts: int = 1) -> None:
    esp(app, "setup <@U_ADMIN|ada>")
    for n in range(1, accounts + 1):
        esp(app, f'account add "Acct {n}" tier 1 csm <@{CSM}|alice> ae <@{AE}|bob> sa <@{SA}|sam>')


def test_setup_installs_every_line_of_the_operating_cadence(app: AppClient, db: Session, people: SlackStandIn) -> None:
    reply = esp(app, "setup <@U_ADMIN|ada>")
    assert "13 operating-cadence items" in reply.text
    texts = [o.text for o in db.scalars(select(EspObligation).order_by(EspObligation.id))]
    assert texts == [o.text for o in rules.OPERATING_CADENCE] and len(texts) == 13
    assert "Minimum of 1 face-to-face Sponsor & Customer meeting" in texts
    kinds = Counter(c.kind for c in db.scalars(select(Cadence)))
    assert kinds == {"esp.obligation": 13, "esp.touchpoints": 1}
    listing = esp(app, "cadence")
    assert "ESP Forums" in listing.all_text() and "every fiscal quarter on the first Monday" in listing.all_text()


def test_only_the_program_manager_changes_the_cadence(app: AppClient, db: Session, people: SlackStandIn) -> None:
    set_up(app)
    refused = esp(app, "cadence off 1", user=SPONSOR)
    assert "Only the program manager <@U_ADMIN>" in refused.text
    off = esp(app, "cadence off 1")
    moved = esp(app, "cadence 2 every tuesday at 08:00")
    assert ":double_vertical_bar: off" in off.all_text() and "every Tuesday at 08:00" in moved.all_text()
    first = db.scalars(select(EspObligation).order_by(EspObligation.id)).first()
    assert db.get(Cadence, first.cadence_id).status == CadenceStatus.PAUSED


def test_a_sponsor_holds_at_most_four_accounts_and_an_account_one_sponsor(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    set_up(app, accounts=5)
    for n in range(1, 5):
        assert "now sponsors" in esp(app, f'assign <@{SPONSOR}|dana> "Acct {n}"').text
    fifth = esp(app, f'assign <@{SPONSOR}|dana> "Acct 5"')
    assert "already sponsors 4 accounts" in fifth.text and all(f"Acct {n}" in fifth.text for n in range(1, 5))
    second = esp(app, 'assign <@U_EVE|eve> "Acct 1"')
    assert "<@U_DANA>" in second.text and "force" in second.text
    not_manager = esp(app, 'assign <@U_EVE|eve> "Acct 1" force', user=CSM)
    assert "program manager" in not_manager.text
    forced = esp(app, 'assign <@U_EVE|eve> "Acct 1" force')
    assert "now sponsors" in forced.text
    assert db.scalar(select(func.count()).select_from(Sponsorship)) == 5
    assert "4/4" in esp(app, "map").all_text()


def test_ending_a_commitment_before_a_year_needs_a_reason_and_is_marked_early(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    set_up(app)
    esp(app, f'assign <@{SPONSOR}|dana> "Acct 1"')
    later = FY27_START + timedelta(days=100)
    no_reason = esp(app, 'unassign "Acct 1"', at=later)
    assert "reason" in no_reason.text and db.scalars(select(Sponsorship)).one().ended_on is None
    ended = esp(app, 'unassign "Acct 1" reason "Dana moved to EMEA"', at=later)
    assert "early" in ended.text
    db.expire_all()
    sponsorship = db.scalars(select(Sponsorship)).one()
    assert (sponsorship.ended_early, sponsorship.end_reason) == (True, "Dana moved to EMEA")
    assert sponsorship.commitment_ends_on == date(2027, 2, 2)


def test_sponsors_missing_a_touchpoint_hear_three_weeks_before_the_fiscal_quarter_ends(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    set_up(app, accounts=3)
    esp(app, f'assign <@{SPONSOR}|dana> "Acct 1"')
    esp(app, f'assign <@{SPONSOR}|dana> "Acct 2"')
    esp(app, 'assign <@U_EVE|eve> "Acct 3"')
    esp(app, 'touchpoint "Acct 3" informal 2026-03-02', user="U_EVE", at=datetime(2026, 3, 3, tzinfo=UTC))
    # FY27-Q1 runs 1 Feb – 30 Apr 2026; three weeks before it ends is 10 April.
    for day in range(60, 75):
        dispatcher.tick(datetime(2026, 2, 1, 9, 0, tzinfo=UTC) + timedelta(days=day), client=slack_client)
    reminders = [m for m in people.messages(SPONSOR) if "a touchpoint" in m["text"]]
    assert len(reminders) == 1
    assert "Acct 1" in str(reminders[0]["blocks"]) and "Acct 2" in str(reminders[0]["blocks"])
    assert [m for m in people.messages("U_EVE") if "a touchpoint" in m["text"]] == []
    # Dana's digests are one a day; the touchpoint reminder is in the one of 10 April.
    digests = {d.id: d for d in db.scalars(select(Delivery).where(Delivery.target == SPONSOR))}
    reminded_on = [digests[m["metadata"]["event_payload"]["delivery_id"]].occurrence_at.date() for m in reminders]
    assert reminded_on == [date(2026, 4, 10)]
    days = [d.occurrence_at.date() for d in digests.values()]
    assert len(days) == len(set(days)) == len(people.messages(SPONSOR))


def test_kpis_and_the_scorecard(app: AppClient, db: Session, people: SlackStandIn) -> None:
    set_up(app)
    esp(app, 'kpi "Acct 1" influence 4 sentiment 3 strength 5 engagement 4')
    esp(app, 'nps "Acct 1" 10 9 7 3')
    esp(app, 'reference "Acct 1" "case study"')
    bad = esp(app, 'kpi "Acct 1" influence 9')
    assert "1" in bad.text and "5" in bad.text and bad["response_type"] == "ephemeral"
    card = esp(app, 'scorecard "Acct 1"').all_text()
    assert "4/5" in card  # relationship: mean of 4, 3, 5, 4
    assert "25" in card  # NPS: 2 promoters, 1 detractor of 4 = +25
    assert "1 of 2 public references" in card
    program = esp(app, "scorecard").all_text()
    assert "Program scorecard" in program


def test_malformed_esp_commands_are_explained(app: AppClient, db: Session, people: SlackStandIn) -> None:
    not_set_up = esp(app, "map")
    assert "isn't set up" in not_set_up.text and "/esp setup" in not_set_up.text
    set_up(app)
    for text, explains in [
        ('touchpoint "Acct 1" smoke-signal', "smoke-signal"),
        ('nps "Acct 1" 11', "11"),
        ("assign dana", "/esp assign"),
        ('assign <@U_DANA|dana> "Nope Corp"', "Nope Corp"),
        ("frobnicate", "frobnicate"),
    ]:
        reply = esp(app, text)
        assert reply["response_type"] == "ephemeral" and explains in reply.text, (text, reply.text)
    assert db.scalar(select(func.count()).select_from(Sponsorship)) == 0


def test_every_cadence_line_fires_at_its_local_time_across_a_year_to_the_right_people(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    set_up(app)
    esp(app, f'assign <@{SPONSOR}|dana> "Acct 1"')
    moment, end = FY27_START, FY27_START + timedelta(days=364)  # the whole of FY27, up to Monday 1 Feb 2027
    while True:  # travel from one due time to the next, as the scheduler would wake
        due = db.scalar(select(func.min(Cadence.next_run_at)).where(Cadence.status == CadenceStatus.ACTIVE))
        db.expire_all()
        if due is None or due > end:
            break
        moment = due
        dispatcher.tick(moment, client=slack_client)
    # Lines for the channel post there at their local time; everything for people comes in one digest a day.
    forum = db.scalars(select(EspObligation).where(EspObligation.key == "quarterly.forum")).one()
    forum_posts = db.get(Cadence, forum.cadence_id).deliveries
    assert {d.target for d in forum_posts} == {"C_ESP"}
    zone = ZoneInfo(db.get(Cadence, forum.cadence_id).rule["timezone"])
    local = sorted(d.occurrence_at.astimezone(zone) for d in forum_posts)
    assert [(t.month, t.strftime("%a %H:%M")) for t in local] == [(m, "Mon 10:00") for m in (2, 5, 8, 11)]
    digest = db.scalars(select(Cadence).where(Cadence.kind == "esp.touchpoints")).one()
    digests = digest.deliveries
    assert {d.occurrence_at.astimezone(zone).strftime("%H:%M") for d in digests} == {"09:00"}
    per_person_day = Counter((d.target, d.occurrence_at.date()) for d in digests)
    assert set(per_person_day.values()) == {1}  # never two in a day
    days_of = {who: sorted(day for (target, day) in per_person_day if target == who) for who in (CSM, SPONSOR, PM)}
    assert len(days_of[CSM]) == 52 and {d.weekday() for d in days_of[CSM]} == {0}  # every Monday: the weekly lines
    assert len(days_of[PM]) == 12  # the month's first Monday: the E-Group update (and the quarter's, the year's)
    texts = {who: " ".join(m["text"] for m in people.messages(who)) for who in (CSM, SPONSOR, PM)}
    for obligation in rules.OPERATING_CADENCE:
        if obligation.audience == "channel":
            continue
        reached = [who for who, text in texts.items() if escape(obligation.text) in text]  # fallbacks are mrkdwn
        assert reached, obligation.key
    assert "Customer EBRs" in texts[CSM] and "Customer EBRs" not in texts[SPONSOR]
    touchpoint_digest = [m for m in people.messages(SPONSOR) if "informal" in m["text"].lower()][0]
    assert "Acct 1" in str(touchpoint_digest["blocks"]) and "esp.checklist.done" in str(touchpoint_digest["blocks"])
    assert people.problems == []


def test_refused_actions_say_who_may(app: AppClient, db: Session, people: SlackStandIn) -> None:
    set_up(app)
    esp(app, f'assign <@{SPONSOR}|dana> "Acct 1"')
    for text in ('account add "Other"', 'account "Acct 1" tier 2', 'unassign "Acct 1" reason "x"'):
        reply = esp(app, text, user=CSM)
        assert reply["response_type"] == "ephemeral" and "Only the program manager <@U_ADMIN>" in reply.text, text
    again = esp(app, "setup", user=CSM)
    assert "Only the program manager" in again.text
    assert db.scalars(select(Sponsorship)).one().ended_on is None


def test_checklists_are_ticked_from_the_nudge_and_the_face_to_face_reminder_comes_before_the_year_ends(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    set_up(app)
    esp(app, f'assign <@{SPONSOR}|dana> "Acct 1"')
    dispatcher.tick(datetime(2026, 2, 2, 10, 0, tzinfo=UTC), client=slack_client)
    nudge = [m for m in people.messages(SPONSOR) if "informal" in m["text"].lower()][0]
    # The digest's rows: the month's account planning, then the quarter's informal touchpoint for Acct 1.
    informal = [b for b in nudge["blocks"] if "informal" in b.get("text", {}).get("text", "")][0]
    row = nudge["blocks"][nudge["blocks"].index(informal) + 1]
    one_button = {**nudge, "blocks": [row]}
    outsider = app.click(one_button, "esp.checklist.done", user="U_EVE", channel=people.dm_channel(SPONSOR))
    assert "Only the account team" in str(outsider.responses)
    ticked = app.click(one_button, "esp.checklist.done", user=SPONSOR, channel=people.dm_channel(SPONSOR))
    assert "Ticked" in str(ticked.responses)
    checklist = esp(app, 'checklist "Acct 1"', user=SPONSOR).all_text()
    assert ":white_check_mark:" in checklist and "<@U_DANA>" in checklist
    pm_nudge = [m for m in people.messages(PM) if "Reassess tier 1" in m["text"]][0]
    assert "esp.checklist.done" in str(pm_nudge["blocks"]) and "CRO Leadership" in str(pm_nudge["blocks"])
    scorecard_nudge = [m for m in people.messages(PM) if "scorecard update" in m["text"].lower()][0]
    assert "/esp scorecard" in str(scorecard_nudge["blocks"])
    # FY27 ends 31 Jan 2027: three weeks before, Dana hears that Acct 1 has had no face-to-face meeting.
    for day in range(8, 13):
        dispatcher.tick(datetime(2027, 1, day, 9, 0, tzinfo=UTC), client=slack_client)
    reminders = [m for m in people.messages(SPONSOR) if "a touchpoint" in m["text"]]
    assert len(reminders) == 1 and "face-to-face" in str(reminders[0]["blocks"])
