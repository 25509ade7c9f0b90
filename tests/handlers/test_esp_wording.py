"""ESP replies read as sentences, through signed requests: no "sponsor no sponsor yet", no "1 sponsors", acronyms as
the handbook writes them (EBR), and a line's label follows its rule (issue 14). One test per slip found."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from tests.handlers.test_esp import SPONSOR, esp, set_up
from tests.handlers.test_esp import people as people  # the fixture, found by its name


def line(listing: str, number: int) -> str:
    """Line `number` of `/esp cadence`."""
    return next(part for part in listing.split("\\n") if part.startswith(f"*{number}.*"))


def test_an_account_without_a_sponsor_says_no_sponsor_yet_and_one_with_two_says_sponsors(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    set_up(app)
    added = esp(app, 'account add "Solo"').text
    assert "· no sponsor yet" in added and "sponsor no sponsor" not in added
    esp(app, f'assign <@{SPONSOR}|dana> "Acct 1"')
    assert "· sponsor <@U_DANA>" in esp(app, "accounts").all_text()
    esp(app, 'assign <@U_EVE|eve> "Acct 1" force')
    assert "· sponsors <@U_DANA>, <@U_EVE>" in esp(app, "accounts").all_text()


def test_one_sponsor_and_one_account_are_singular(app: AppClient, db: Session, people: SlackStandIn) -> None:
    set_up(app)
    esp(app, f'assign <@{SPONSOR}|dana> "Acct 1"')
    assert esp(app, "map").text == "1 sponsor"
    assert esp(app, "accounts").text == "1 account"
    esp(app, 'account add "Acct 2"')
    assert esp(app, "accounts").text == "2 accounts"


def test_an_ebr_is_logged_as_an_EBR_and_an_informal_touchpoint_stays_informal(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    set_up(app)
    ebr = esp(app, 'touchpoint "Acct 1" ebr 2026-02-01')
    assert "Logged the EBR touchpoint with *Acct 1* on Sun 1 Feb 2026" in ebr.text and "ebr" not in ebr.text
    assert "Logged the informal touchpoint" in esp(app, 'touchpoint "Acct 1" informal').text
    assert "Logged the face-to-face touchpoint" in esp(app, 'touchpoint "Acct 1" f2f').text


def test_a_monthly_line_moved_to_every_tuesday_is_labelled_weekly(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    set_up(app)
    assert "_monthly_" in line(esp(app, "cadence").all_text(), 3)
    moved = line(esp(app, "cadence 3 every tuesday at 08:00").all_text(), 3)
    assert "_weekly_" in moved and "monthly" not in moved and "every Tuesday at 08:00" in moved
    fortnightly = line(esp(app, "cadence 3 every 2 weeks on monday at 08:00").all_text(), 3)
    assert "_every 2 weeks_" in fortnightly


def test_audiences_read_as_phrases(app: AppClient, db: Session, people: SlackStandIn) -> None:
    set_up(app)
    listing = esp(app, "cadence").all_text()
    assert "· in the program channel ·" in line(listing, 5)  # ESP Forums
    assert "· to the program manager ·" in line(listing, 4) and "to program manager" not in listing
    assert "to channel" not in listing


def test_a_channel_line_moved_to_another_rule_shows_its_new_label(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    set_up(app)
    esp(app, "cadence 5 every monday at 10:00")  # the forums, now weekly
    dispatcher.tick(datetime(2026, 2, 9, 10, 0, tzinfo=UTC), client=slack_client)
    [forum] = [m for m in people.messages("C_ESP") if "ESP Forums" in m["text"]]
    assert "ESP operating cadence · weekly" in str(forum["blocks"]) and "quarterly" not in str(forum["blocks"])


def test_one_nps_response_and_one_reference_are_singular(app: AppClient, db: Session, people: SlackStandIn) -> None:
    set_up(app)
    assert "Recorded 1 NPS response for *Acct 1*" in esp(app, 'nps "Acct 1" 9').text
    assert "Recorded 3 NPS responses" in esp(app, 'nps "Acct 1" 9 10 4').text
    assert "Recorded 1 public reference" in esp(app, 'reference "Acct 1"').text
    assert "Recorded 1 roadblock removed" in esp(app, 'roadblock "Acct 1"').text
    assert "Recorded Influence, Sentiment" in esp(app, 'kpi "Acct 1" influence 4 sentiment 3').text


def test_the_program_scorecard_of_one_account_says_1_of_1_account(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    set_up(app)
    card = esp(app, "scorecard").all_text()
    assert "for 1 of 1 account" in card and "1 of 1 accounts" not in card


def test_one_account_missing_a_touchpoint_needs_one(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    set_up(app)
    esp(app, f'assign <@{SPONSOR}|dana> "Acct 1"')
    # FY27-Q1 ends 30 April 2026: three weeks before, Dana hears about Acct 1.
    dispatcher.tick(datetime(2026, 4, 10, 9, 0, tzinfo=UTC), client=slack_client)
    [reminder] = [m for m in people.messages(SPONSOR) if "touchpoint" in m["text"]]
    assert "1 of your accounts needs a touchpoint" in reminder["text"]
    assert "ends Thu 30 Apr 2026" in str(reminder["blocks"])
