"""`/esp checklist "Acme Corp"` through signed requests: the items when the period has them; before the period's first
nudge, why there are none and when they come; never an empty heading (issue 14)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from devtools.app_client import AppClient, Reply
from devtools.slack_stand_in import SlackStandIn
from tests.handlers.test_esp import CSM, SPONSOR, esp
from tests.handlers.test_esp import people as people  # the fixture, found by its name

# Sunday 1 February 2026: FY27 and its first quarter have begun; their lines fire on the first Monday, 2 February.
SUNDAY = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
MONDAY_NUDGES = datetime(2026, 2, 2, 10, 0, tzinfo=UTC)
LATER = datetime(2026, 2, 20, 12, 0, tzinfo=UTC)
QUARTER_ITEMS = [
    "ESP forum",
    "Scorecard update",
    "NPS and qualitative survey feedback",
    "Customer EBR (as necessary)",
    "At least 1 informal touchpoint between the sponsor and key customer contacts",
]


def acme(app: AppClient) -> None:
    esp(app, "setup <@U_ADMIN|ada>", at=SUNDAY)
    esp(app, f'account add "Acme Corp" tier 1 csm <@{CSM}|alice>', at=SUNDAY)
    esp(app, f'assign <@{SPONSOR}|dana> "Acme Corp"', at=SUNDAY)


def assert_no_empty_heading(reply: Reply) -> None:
    blocks = reply["blocks"]
    for index, block in enumerate(blocks):
        if block["type"] == "header":
            assert index + 1 < len(blocks) and blocks[index + 1]["type"] != "header", json.dumps(blocks)


def test_before_the_quarters_first_nudge_it_says_why_there_is_no_list_and_when_it_comes(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    acme(app)
    reply = esp(app, 'checklist "Acme Corp"', at=SUNDAY)
    assert_no_empty_heading(reply)
    text = reply.all_text()
    monday_ten = int(MONDAY_NUDGES.timestamp())
    assert "No FY27-Q1 checklist for *Acme Corp* yet" in text and "No FY27 checklist for *Acme Corp* yet" in text
    assert f"<!date^{monday_ten}^" in text  # when: Monday 10:00, shown in the reader's zone
    assert "first operating-cadence nudge" in text and "esp.checklist.done" not in text


def test_after_the_quarters_nudges_it_shows_the_items_with_their_done_buttons(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    acme(app)
    dispatcher.tick(MONDAY_NUDGES, client=slack_client)
    reply = esp(app, 'checklist "Acme Corp"', user=SPONSOR, at=LATER)
    assert_no_empty_heading(reply)
    text = reply.all_text()
    for item in [*QUARTER_ITEMS, "At least 1 face-to-face sponsor &amp; customer meeting"]:
        assert item in text, item
    assert text.count("esp.checklist.done") == 6 and "yet" not in text


def test_an_account_added_after_the_quarters_nudges_has_its_list_at_once(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    acme(app)
    dispatcher.tick(MONDAY_NUDGES, client=slack_client)
    esp(app, 'account add "Late Co" tier 2', at=LATER)
    reply = esp(app, 'checklist "late co"', at=LATER)
    assert_no_empty_heading(reply)
    assert all(item in reply.all_text() for item in QUARTER_ITEMS) and "Late Co" in reply.all_text()
    again = esp(app, 'checklist "Late Co"', at=LATER)  # made once
    assert again.all_text().count("esp.checklist.done") == 6


def test_with_the_quarters_lines_turned_off_it_says_they_are_off(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    acme(app)
    for number in (7, 8, 9):  # NPS, EBRs, informal touchpoint: the quarterly per-account lines
        esp(app, f"cadence off {number}", at=SUNDAY)
    reply = esp(app, 'checklist "Acme Corp"', at=SUNDAY)
    assert_no_empty_heading(reply)
    assert "No FY27-Q1 checklist for *Acme Corp*: the lines that bring it are off" in reply.all_text()
    assert "/esp cadence on N" in reply.all_text()


def test_an_unknown_account_is_explained(app: AppClient, db: Session, people: SlackStandIn) -> None:
    acme(app)
    reply = esp(app, 'checklist "Nope Corp"', at=SUNDAY)
    assert reply["response_type"] == "ephemeral" and "no account named *Nope Corp*" in reply.text
