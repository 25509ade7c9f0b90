"""One ESP message a day per person, through the scheduler and signed presses: at the start of a fiscal quarter a
sponsor of four accounts gets one digest, each obligation once with a Done button per account, every button works,
and ticking twice, or two dispatchers at once, still sends one (issue 14)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import UTC, date, datetime

import time_machine
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from devtools.app_client import AppClient
from devtools.signing import block_actions_body, post_signed
from devtools.slack_stand_in import SlackStandIn
from models import Cadence, CadenceStatus, ChecklistItem, Delivery
from tests.handlers.test_esp import AE, CSM, PM, SA, SPONSOR, esp, set_up
from tests.handlers.test_esp import people as people  # the fixture, found by its name

# FY27-Q2 starts on Friday 1 May 2026; its first Monday, 4 May, is when the quarter's lines fire (with the month's
# and the week's). The daily digest is at 09:00, the quarterly and monthly lines at 10:00 (UTC: the program
# manager's zone).
QUARTER_DAY = date(2026, 5, 4)
BEFORE_THE_DAY = datetime(2026, 5, 3, 12, 0, tzinfo=UTC)
ACCOUNTS = [f"Acct {n}" for n in range(1, 5)]


def sponsor_of_four(app: AppClient) -> None:
    set_up(app, accounts=4)
    for name in ACCOUNTS:
        esp(app, f'assign <@{SPONSOR}|dana> "{name}"')


def run_scheduler_until(db: Session, client: WebClient, end: datetime) -> None:
    """Tick at every due time up to `end`, as the scheduler would wake."""
    while True:
        db.expire_all()
        due = db.scalar(select(func.min(Cadence.next_run_at)).where(Cadence.status == CadenceStatus.ACTIVE))
        if due is None or due > end:
            return
        dispatcher.tick(due, client=client)


def messages_on(db: Session, slack: SlackStandIn, user: str, day: date) -> list[dict]:
    """The bot's DMs to `user` for `day` (by the day of the delivery each carries)."""
    db.expire_all()
    days = {d.id: d.occurrence_at.date() for d in db.scalars(select(Delivery))}
    return [m for m in slack.messages(user) if days[m["metadata"]["event_payload"]["delivery_id"]] == day]


def done_buttons(message: dict) -> list[tuple[str, str, str]]:
    """(block_id, item id, the row's text) of every Done button in a message."""
    return [
        (b.get("block_id", "b"), b["accessory"]["value"], b["text"]["text"])
        for b in message["blocks"]
        if (b.get("accessory") or {}).get("action_id") == "esp.checklist.done"
    ]


def headings(message: dict) -> list[str]:
    """The bold line titles of a digest, in order (the rows under them name accounts)."""
    return [
        b["text"]["text"]
        for b in message["blocks"]
        if b["type"] == "section" and b["text"]["text"].startswith("*") and "accessory" not in b
    ]


def press(app: AppClient, slack: SlackStandIn, message: dict, block_id: str, value: str, *, user: str) -> str:
    """A signed Done press on one button of `message` in `user`'s DM; what the app answered."""
    name = f"press-{user}-{value}"
    body = block_actions_body(
        "esp.checklist.done",
        value,
        user_id=user,
        channel_id=slack.dm_channel(user),
        message_ts=message["ts"],
        message=message,
        block_id=block_id,
        response_url=slack.response_url(name),
    )
    assert post_signed(app.url, body, app.secret)[0] == 200
    return " ".join(json.dumps(r) for r in slack.responses(name))


def test_at_the_start_of_a_fiscal_quarter_a_sponsor_of_four_accounts_gets_one_digest_with_every_item_once(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    sponsor_of_four(app)
    run_scheduler_until(db, slack_client, datetime.combine(QUARTER_DAY, datetime.max.time(), tzinfo=UTC))
    [digest] = messages_on(db, people, SPONSOR, QUARTER_DAY)
    # Each of the sponsor's obligations once, the quarter's and the month's, each naming the four accounts.
    assert [h.split("*")[1] for h in headings(digest)] == [
        "Account team and Exec Sponsor account planning session",
        "Minimum of 1 informal virtual or in-person touchpoint between Sponsor and key Customer contacts",
    ]
    buttons = done_buttons(digest)
    assert [text.split("*")[1] for _b, _v, text in buttons] == ACCOUNTS * 2
    assert len({value for _b, value, _t in buttons}) == 8  # eight items, no checklist repeated
    assert "FY27-Q2" in str(digest["blocks"]) and "May 2026" in str(digest["blocks"])
    # The account team's CSM, the program manager: one message each that day too; the forum is in the channel.
    for user in (CSM, AE, SA, PM):
        assert len(messages_on(db, people, user, QUARTER_DAY)) == 1, user
    csm_digest = messages_on(db, people, CSM, QUARTER_DAY)[0]
    assert len(headings(csm_digest)) == 5 and len(done_buttons(csm_digest)) == 5 * 4
    assert [m["text"] for m in people.messages("C_ESP") if "Forum" in m["text"]] == ["ESP: ESP Forums"] * 2  # Q1, Q2

    # Every Done button works, pressed by the sponsor from the digest itself.
    with time_machine.travel(datetime(2026, 5, 4, 11, 0, tzinfo=UTC), tick=False):
        for block_id, value, _text in buttons:
            assert "Ticked" in press(app, people, digest, block_id, value, user=SPONSOR), value
    db.expire_all()
    ticked = db.scalars(select(ChecklistItem).where(ChecklistItem.id.in_([int(v) for _b, v, _t in buttons]))).all()
    assert len(ticked) == 8 and all(item.done and item.done_by == SPONSOR for item in ticked)

    # The same tick again, later the same day and at once from two dispatchers: nothing more.
    posted = len(people.calls("chat.postMessage"))
    dispatcher.tick(datetime(2026, 5, 4, 10, 0, tzinfo=UTC), client=slack_client)
    dispatcher.tick(datetime(2026, 5, 4, 18, 0, tzinfo=UTC), client=slack_client)
    assert len(people.calls("chat.postMessage")) == posted


def test_two_dispatchers_ticking_at_once_on_the_quarters_first_day_send_each_person_one_message(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    sponsor_of_four(app)
    run_scheduler_until(db, slack_client, BEFORE_THE_DAY)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(at: datetime) -> None:
        start.wait()
        try:
            dispatcher.tick(at, client=slack_client)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    # One wakes at the digest's time, the other at the quarter's lines' time: both claim on the same day.
    moments = [datetime(2026, 5, 4, 9, 0, tzinfo=UTC), datetime(2026, 5, 4, 10, 0, tzinfo=UTC)]
    threads = [threading.Thread(target=run, args=(at,)) for at in moments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    dispatcher.tick(datetime(2026, 5, 4, 10, 1, tzinfo=UTC), client=slack_client)  # whatever one left, the other posts
    for user in (SPONSOR, CSM, AE, SA, PM):
        [digest] = messages_on(db, people, user, QUARTER_DAY)
        values = [value for _b, value, _t in done_buttons(digest)]
        assert values and len(values) == len(set(values)), user
    db.expire_all()
    per_person_day = Counter(
        (d.target, d.occurrence_at.date()) for d in db.scalars(select(Delivery)) if d.target.startswith("U")
    )
    assert set(per_person_day.values()) == {1}


def test_a_line_due_before_the_digest_brings_the_digest_early_and_the_digest_adds_nothing(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    sponsor_of_four(app)
    esp(app, "cadence 3 every monday at 07:30")  # the account-planning line, now weekly and before 09:00
    run_scheduler_until(db, slack_client, datetime(2026, 2, 9, 23, 0, tzinfo=UTC))
    [early] = messages_on(db, people, SPONSOR, date(2026, 2, 9))
    assert "account planning session" in early["text"]
    db.expire_all()
    sent_at = db.get(Delivery, early["metadata"]["event_payload"]["delivery_id"]).sent_at
    assert sent_at == datetime(2026, 2, 9, 7, 30, tzinfo=UTC)


def test_weekly_digests_name_the_accounts_they_are_about(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    sponsor_of_four(app)
    esp(app, 'account add "Other Co" tier 2 csm <@U_EVE|eve>')  # not Alice's: her digest leaves it out
    run_scheduler_until(db, slack_client, datetime(2026, 2, 9, 23, 0, tzinfo=UTC))
    [weekly] = messages_on(db, people, CSM, date(2026, 2, 9))  # a plain Monday: only the weekly lines
    assert [h.split("*")[1] for h in headings(weekly)] == [
        "Action Planning execution and reviews (asynch)",
        "Customer engagement (account teams)",
    ]
    assert [text.split("*")[1] for _b, _v, text in done_buttons(weekly)] == ACCOUNTS * 2
    assert "Other Co" not in json.dumps(weekly)
    assert people.problems == []


def test_after_downtime_each_person_gets_one_digest_that_day_catching_up_each_line_once(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    """Found trying it in the console: set up, then nothing ticks for weeks until a Monday at 07:30, before the
    digest's 09:00 and with a line due at 07:30. The missed Sunday's digest and Monday's both went out."""
    with time_machine.travel(datetime(2026, 1, 6, 12, 0, tzinfo=UTC), tick=False):
        sponsor_of_four(app)
        esp(app, "cadence 3 every monday at 07:30")
    monday = datetime(2026, 2, 9, 7, 30, tzinfo=UTC)
    dispatcher.tick(monday, client=slack_client)  # the first tick in five weeks
    run_scheduler_until(db, slack_client, datetime(2026, 2, 9, 23, 0, tzinfo=UTC))
    for person in (SPONSOR, CSM, AE, SA, PM):
        sent = [m for m in people.messages(person) if m.get("metadata", {}).get("event_payload", {}).get("delivery_id")]
        assert len(sent) <= 1, (person, [m["text"][:80] for m in sent])
    [digest] = [m for m in people.messages(SPONSOR) if "metadata" in m]
    assert "account planning session" in digest["text"]
    assert Counter(headings(digest)).most_common(1)[0][1] == 1  # each line once
