"""Going on holiday through signed requests: `/cadence away`, App Home's button and form, the offer from a Slack
status, and what people see in Slack while someone is away and when they are back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from bot.cadence.blocks import away as away_blocks
from devtools.app_client import AppClient, find_element
from devtools.signing import block_actions_body, post_signed
from devtools.slack_stand_in import SlackStandIn
from models import Away, AwayOffer, Cadence
from tests.support.concurrency import at_once

TUESDAY = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 09:00 in Paris (Alice), 03:00 in New York (Bob)


def count(db: Session, model: type) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model)) or 0


def away_of(db: Session, user_id: str) -> Away:
    db.expire_all()
    return db.scalars(select(Away).where(Away.user_id == user_id)).one()


def command(app: AppClient, text: str, *, user: str = "U_ALICE", at: datetime = TUESDAY, channel: str = "C_TEAM"):
    with time_machine.travel(at, tick=False):
        return app.command("/cadence", text, user=user, channel=channel)


def test_away_is_set_in_the_persons_own_days_shown_changed_and_called_off(app: AppClient, db: Session) -> None:
    reply = command(app, "away 2026-12-21 to 2027-01-04")
    assert reply["response_type"] == "ephemeral"
    assert "Set: you're away Mon 21 Dec – Mon 4 Jan (Europe/Paris)" in reply.text
    assert "catch-up" in reply.all_text() and "`/cadence away off`" in reply.all_text()
    alice = away_of(db, "U_ALICE")
    assert (alice.starts_at, alice.back_at) == (
        datetime(2026, 12, 20, 23, 0, tzinfo=UTC),  # midnight in Paris
        datetime(2027, 1, 4, 23, 0, tzinfo=UTC),
    )

    shown = command(app, "away")
    assert "You'll be away Mon 21 Dec – Mon 4 Jan" in shown.text
    changed = command(app, "away 2026-12-22 until 2027-01-08")
    assert "Changed: you're away Tue 22 Dec – Fri 8 Jan" in changed.text and count(db, Away) == 1
    one_day = command(app, "away 2026-12-24")
    assert "away Thu 24 Dec (" in one_day.text
    off = command(app, "away off")
    assert "Called off your time away (Thu 24 Dec)" in off.text
    assert "aren't set as away" in command(app, "away").text


def test_today_is_the_persons_today(app: AppClient, db: Session) -> None:
    # 03:00 UTC on Monday 21 Dec is still Sunday 20 Dec, 22:00, in New York.
    command(app, "away today", user="U_BOB", at=datetime(2026, 12, 21, 3, 0, tzinfo=UTC))
    bob = away_of(db, "U_BOB")
    assert (bob.first_day, bob.last_day, bob.timezone) == (date(2026, 12, 20), date(2026, 12, 20), "America/New_York")
    assert bob.back_at == datetime(2026, 12, 21, 5, 0, tzinfo=UTC)


def test_a_past_backwards_or_unreadable_range_is_explained_and_nothing_is_saved(app: AppClient, db: Session) -> None:
    for text, explains in [
        ("away 2026-11-01 to 2026-11-20", "is over: today is Tue 1 Dec where you are"),
        ("away 2027-01-04 to 2026-12-21", "The last day `2026-12-21` comes before the first `2027-01-04`"),
        ("away next year", "`next year`"),
        ("away off", "aren't set as away"),
    ]:
        reply = command(app, text)
        assert reply["response_type"] == "ephemeral" and explains in reply.text, (text, reply.text)
        assert "/cadence away" in reply.text
    assert count(db, Away) == 0 and count(db, Cadence) == 0


def hours(start: datetime, end: datetime) -> list[datetime]:
    return [start + timedelta(hours=n) for n in range(int((end - start) / timedelta(hours=1)))]


def test_a_holiday_in_every_program_holds_dms_names_him_in_channel_posts_and_catches_up_once(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    # Alice runs a working group with Bob (New York) as facilitator; his item is overdue from Sat 19 Dec.
    with time_machine.travel(TUESDAY, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", "role add facilitator <@U_BOB|bob>", user="U_ALICE", channel="C_TEAM")
        app.command("/wg", 'action "Write outline" <@U_BOB|bob> due 2026-12-18', user="U_ALICE", channel="C_TEAM")
        app.command("/cadence", 'add "Expense report" every friday at 09:00 to <@U_BOB|bob>', user="U_ALICE")
    set_at = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
    assert "Mon 21 Dec – Mon 4 Jan" in command(app, "away 2026-12-21 to 2027-01-04", user="U_BOB", at=set_at).text
    leaves, back = datetime(2026, 12, 21, 5, 0, tzinfo=UTC), datetime(2027, 1, 5, 5, 0, tzinfo=UTC)

    seen: dict[str, int] = {"C_TEAM": 0, "U_BOB": 0}
    posted: list[tuple[datetime, str, dict]] = []
    for moment in hours(datetime(2026, 12, 14, tzinfo=UTC), datetime(2027, 1, 7, tzinfo=UTC)):
        dispatcher.tick(moment, client=slack_client)
        for conversation in seen:
            messages = slack.messages(conversation)
            posted += [(moment, conversation, m) for m in messages[seen[conversation] :]]
            seen[conversation] = len(messages)

    to_bob = [(at, m["text"]) for at, where, m in posted if where == "U_BOB"]
    assert not [text for at, text in to_bob if leaves <= at < back]  # nothing reached him while away
    assert [at.date() for at, text in to_bob if "overdue action item" in text] == [
        date(2026, 12, 19),
        date(2026, 12, 20),
        date(2027, 1, 5),  # the first morning back
        date(2027, 1, 6),
    ]
    [catch_up] = [m for at, where, m in posted if where == "U_BOB" and m["text"].startswith("Welcome back")]
    assert [at for at, where, m in posted if m is catch_up] == [back]
    listed = str(catch_up["blocks"])
    assert listed.count("*Overdue action items*") == 1 and listed.count("*Expense report*") == 1
    assert "Fri 25 Dec 03:00, Fri 1 Jan 03:00" in listed  # when it came due, in Bob's zone
    assert "and 9 more times" in listed and "Write outline" in listed  # 15 mornings, its latest items

    in_channel = [(at, m) for at, where, m in posted if where == "C_TEAM"]
    during = [m for at, m in in_channel if leaves <= at < back]
    assert [m["text"][:13] for m in during if m["text"].startswith(("Sync today", "Weekly digest"))] == [
        "Weekly digest",  # Mon 21 Dec
        "Weekly digest",  # Mon 28 Dec
        "Sync today: D",  # Tue 29 Dec
        "Weekly digest",  # Mon 4 Jan
    ]
    assert all(":palm_tree: Away: <@U_BOB> until Mon 4 Jan" in str(m["blocks"]) for m in during)
    digest_before = [m for at, m in in_channel if at < leaves and m["text"].startswith("Weekly digest")][-1]
    assert "Away: <@U_BOB> from Mon 21 Dec to Mon 4 Jan" in str(digest_before["blocks"])  # Mon 14 Dec: next week
    digest_after = [m for at, m in in_channel if at >= back and m["text"].startswith("Weekly digest")]
    assert digest_after == []  # no Monday between his return and the 7th; the sync of Tue 12 Jan is later still
    assert slack.problems == []


def home_button(slack: SlackStandIn, user: str, action_id: str) -> dict:
    home = slack.views_published(user)[-1]
    return find_element(home["blocks"], action_id)


def press_in_home(app: AppClient, slack: SlackStandIn, button: dict, *, user: str, at: datetime) -> None:
    body = block_actions_body(
        button["action_id"],
        button["value"],
        user_id=user,
        container={"type": "view", "view_id": "V_HOME"},
        trigger_id="T_HOME",
        response_url=slack.response_url("home"),
    )
    with time_machine.travel(at, tick=False):
        assert post_signed(app.url, body, app.secret)[0] == 200


def dates(first: str, last: str) -> dict:
    return {
        away_blocks.MODAL_FIRST: {away_blocks.MODAL_FIRST: {"type": "datepicker", "selected_date": first}},
        away_blocks.MODAL_LAST: {away_blocks.MODAL_LAST: {"type": "datepicker", "selected_date": last}},
    }


def test_app_home_sets_time_away_from_a_form_and_ends_it_with_a_button(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    with time_machine.travel(TUESDAY, tick=False):
        app.event({"type": "app_home_opened", "user": "U_ALICE", "channel": "D_ALICE", "tab": "home"})
    assert "Going on holiday?" in str(slack.views_published("U_ALICE")[-1]["blocks"])
    press_in_home(app, slack, home_button(slack, "U_ALICE", away_blocks.AWAY_OPEN_MODAL), user="U_ALICE", at=TUESDAY)
    form = slack.views_opened()[-1]
    assert form["callback_id"] == away_blocks.AWAY_MODAL

    with time_machine.travel(TUESDAY, tick=False):
        refused = app.submit(form, dates("2027-01-04", "2026-12-21"), user="U_ALICE")
        assert "comes before the first" in refused["errors"][away_blocks.MODAL_LAST] and count(db, Away) == 0
        assert app.submit(form, dates("2026-12-21", "2027-01-04"), user="U_ALICE").body == ""
    assert away_of(db, "U_ALICE").last_day == date(2027, 1, 4)
    assert "Set: you're away Mon 21 Dec – Mon 4 Jan" in slack.messages(slack.dm_channel("U_ALICE"))[-1]["text"]
    redrawn = str(slack.views_published("U_ALICE")[-1]["blocks"])
    assert "You'll be away Mon 21 Dec – Mon 4 Jan" in redrawn and "Call it off" in redrawn

    during = datetime(2026, 12, 23, 10, 0, tzinfo=UTC)
    with time_machine.travel(during, tick=False):
        app.event({"type": "app_home_opened", "user": "U_ALICE", "channel": "D_ALICE", "tab": "home"})
    assert "You're away until Mon 4 Jan" in str(slack.views_published("U_ALICE")[-1]["blocks"])
    press_in_home(app, slack, home_button(slack, "U_ALICE", away_blocks.AWAY_END), user="U_ALICE", at=during)
    assert "Welcome back!" in slack.messages(slack.dm_channel("U_ALICE"))[-1]["text"]
    assert away_of(db, "U_ALICE").ended_at == during
    assert "Going on holiday?" in str(slack.views_published("U_ALICE")[-1]["blocks"])


def test_a_holiday_status_brings_one_offer_whose_button_sets_time_away(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    back_on = datetime(2026, 12, 9, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))  # "until Tuesday": the end of Tue 8 Dec
    slack.set_status("U_ALICE", "Vacation", ":palm_tree:", expiration=int(back_on.timestamp()))
    slack.set_status("U_BOB", "In a meeting", ":calendar:")

    at_once(lambda: command(app, "list"), lambda: command(app, "list"))  # two commands at once: one offer
    command(app, "help")
    command(app, "list", user="U_BOB")

    [offer] = slack.ephemerals("C_TEAM", user="U_ALICE")
    assert "Your Slack status says you're on holiday" in offer["text"] and count(db, AwayOffer) == 1
    assert slack.ephemerals(user="U_BOB") == []
    button = find_element(offer["blocks"], away_blocks.AWAY_OFFER_SET)
    assert button["text"]["text"] == "Hold them until Tue 8 Dec"

    with time_machine.travel(TUESDAY, tick=False):
        pressed = app.click(offer, away_blocks.AWAY_OFFER_SET, user="U_ALICE", channel="C_TEAM")
    assert "Set: you're away Tue 1 Dec – Tue 8 Dec" in str(pressed.responses)
    alice = away_of(db, "U_ALICE")
    assert (alice.first_day, alice.last_day) == (date(2026, 12, 1), date(2026, 12, 8))
    command(app, "list")
    assert len(slack.ephemerals(user="U_ALICE")) == 1  # once, and not while away is set


def test_the_offers_other_button_opens_the_form_with_the_statuss_last_day(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    back_on = datetime(2026, 12, 12, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))
    slack.set_status("U_ALICE", "OOO", "", expiration=int(back_on.timestamp()))
    command(app, "list")
    [offer] = slack.ephemerals(user="U_ALICE")
    with time_machine.travel(TUESDAY, tick=False):
        app.click(offer, away_blocks.AWAY_OFFER_PICK, user="U_ALICE", channel="C_TEAM")
    form = slack.views_opened()[-1]
    pickers = {b["block_id"]: b["element"].get("initial_date") for b in form["blocks"] if b["type"] == "input"}
    assert pickers == {away_blocks.MODAL_FIRST: "2026-12-01", away_blocks.MODAL_LAST: "2026-12-11"}


def test_a_last_day_more_than_a_year_ahead_is_refused_plainly_and_nothing_is_saved(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    """Found by trying it as an attacker: `9999-12-31` crashed, and the reply said the change was saved."""
    reply = command(app, "away 2026-12-21 to 9999-12-31")
    assert "more than a year from today" in reply.text and "Something went wrong" not in reply.text
    assert count(db, Away) == 0


def test_two_time_aways_set_at_once_make_one_and_both_are_answered(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    from tests.support.concurrency import at_once

    with time_machine.travel(TUESDAY, tick=False):
        replies = at_once(
            lambda: app.command("/cadence", "away 2026-12-21 to 2027-01-04", user="U_ALICE", channel="C_TEAM"),
            lambda: app.command("/cadence", "away 2026-12-22 to 2027-01-05", user="U_ALICE", channel="C_TEAM"),
        )
    assert all("Something went wrong" not in reply.text for reply in replies)
    assert count(db, Away) == 1


def test_when_the_forms_confirmation_dm_fails_the_form_says_what_was_saved(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    """Found by trying it as an attacker: with the DM refused the form just closed, saying nothing."""
    with time_machine.travel(TUESDAY, tick=False):
        app.event({"type": "app_home_opened", "user": "U_ALICE", "channel": "D_ALICE", "tab": "home"})
    press_in_home(app, slack, home_button(slack, "U_ALICE", away_blocks.AWAY_OPEN_MODAL), user="U_ALICE", at=TUESDAY)
    form = slack.views_opened()[-1]
    slack.fail_next("chat.postMessage", 500)
    with time_machine.travel(TUESDAY, tick=False):
        answer = app.submit(form, dates("2026-12-21", "2027-01-04"), user="U_ALICE")
    assert answer["response_action"] == "update"
    said = str(answer["view"]["blocks"])
    assert "Set: you're away Mon 21 Dec – Mon 4 Jan" in said and "It is saved: `/cadence away` shows it." in said
    assert away_of(db, "U_ALICE").last_day == date(2027, 1, 4)
