"""Snooze in the daily overdue DM, through signed presses into the running app on both databases: the redrawn DM
names the item it took off the list (escaped, clipped) and the day it stays out until, in the presser's own zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from models import ActionItem

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TUESDAY_DM = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
# 22:00 on Tuesday in Bob's New York, already Wednesday in UTC: his "tomorrow" is Wednesday 25th, not Thursday.
TUESDAY_NIGHT_IN_NEW_YORK = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def wg(app: AppClient, text: str, *, user: str = "U_ALICE") -> None:
    with time_machine.travel(MONDAY, tick=False):
        app.command("/wg", text, user=user, channel="C_TEAM")


def overdue_dms(slack: SlackStandIn, user: str) -> list[dict]:
    """Bob's DMs but for those telling him an item became his."""
    return [m for m in slack.messages(user) if "to you: action item" not in m["text"]]


def snooze_first(app: AppClient, slack: SlackStandIn, dm: dict) -> None:
    with time_machine.travel(TUESDAY_NIGHT_IN_NEW_YORK, tick=False):
        reply = app.click(dm, "wg.action.snooze", user="U_BOB", channel=slack.dm_channel("U_BOB"))
    assert reply.status == 200


def test_snoozing_the_last_item_redraws_the_dm_naming_it_and_the_day_in_the_pressers_zone(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    wg(app, 'create "Docs revamp"')
    # As Slack sends what Bob's colleague typed: `&`, `<` and `>` arrive escaped, `<!channel>` as Slack's own token.
    wg(app, 'action "Outline &lt;b&gt;all&lt;/b&gt; &amp; <!channel> ' + "x" * 300 + '" <@U_BOB|bob> due 2026-11-20')
    dispatcher.tick(TUESDAY_DM, client=slack_client)
    [dm] = overdue_dms(slack, "U_BOB")
    snooze_first(app, slack, dm)

    db.expire_all()
    assert db.scalars(select(ActionItem.snoozed_until)).one() == date(2026, 11, 25)  # Bob's tomorrow
    [redrawn] = overdue_dms(slack, "U_BOB")  # the same DM, updated in place
    shown = [block["text"]["text"] for block in redrawn["blocks"]]
    assert shown[0].startswith(":white_check_mark: *Nothing overdue is waiting on you today.*")
    assert shown[1].startswith(":zzz: Snoozed _Outline &lt;b&gt;all&lt;/b&gt; &amp; &lt;!channel&gt; xxx")
    assert "until Wed 25 Nov; it is back in your reminder on Thu 26 Nov" in shown[1]
    assert "x" * 250 not in shown[1] and "<!channel>" not in shown[1]  # clipped, and no @channel smuggled in
    assert redrawn["text"].startswith("Nothing overdue is waiting on you today; snoozed “Outline &lt;b&gt;")
    assert redrawn["text"].endswith("” until Wed 25 Nov") and "0 overdue" not in redrawn["text"]


def test_snoozing_one_of_two_keeps_the_other_listed_and_names_the_snoozed_one_under_the_count(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    wg(app, 'create "Docs revamp"')
    wg(app, 'action "Outline" <@U_BOB|bob> due 2026-11-19')
    wg(app, 'action "Glossary" <@U_BOB|bob> due 2026-11-20')
    dispatcher.tick(TUESDAY_DM, client=slack_client)
    [dm] = overdue_dms(slack, "U_BOB")
    snooze_first(app, slack, dm)  # the oldest, Outline, is listed first

    [redrawn] = overdue_dms(slack, "U_BOB")
    shown = [block["text"]["text"] for block in redrawn["blocks"] if block["type"] == "section"]
    assert redrawn["text"] == "You have 1 overdue action item"
    assert shown[0] == ":hourglass: *You have 1 overdue action item.*"
    assert shown[1].startswith(":zzz: Snoozed _Outline_ until Wed 25 Nov")
    assert any("Glossary" in line for line in shown[2:]) and not any("Outline" in line for line in shown[2:])
