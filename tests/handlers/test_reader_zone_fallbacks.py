"""Times in a reply to one person fall back (old clients, notifications, the console) to that person's own zone, read
from their Slack profile, not to UTC: through signed requests on both databases, for every program surface whose
`<!date>` fallback was UTC. Alice is in Paris (UTC+1 in November, UTC+2 in June), Bob in New York."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from models import KeyResult
from tests.handlers.test_esp import CSM, esp
from tests.handlers.test_esp import people as people  # the fixture, found by its name
from tests.handlers.test_esp_checklist import MONDAY_NUDGES, SUNDAY, acme
from tests.handlers.test_okr import import_seed, okr
from tests.handlers.test_okr import okr_channel as okr_channel  # the fixture, found by its name

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Paris, 03:00 in New York
STAMP = int(MONDAY.timestamp())
_FALLBACK = re.compile(r"<!date\^(\d+)\^[^|>]*\|([^>]*)>")


def fallbacks(text: str) -> set[tuple[int, str]]:
    """Every `<!date^stamp^fmt|fallback>` in a reply (its text and its blocks), as (stamp, fallback)."""
    return {(int(stamp), shown) for stamp, shown in _FALLBACK.findall(text)}


def wg(app: AppClient, text: str, *, user: str = "U_ALICE") -> str:
    with time_machine.travel(MONDAY, tick=False):
        return app.command("/wg", text, user=user, channel="C_TEAM").all_text()


def test_a_second_done_says_when_the_first_was_in_the_readers_own_zone(app: AppClient, db: Session) -> None:
    wg(app, 'create "Docs revamp"')
    wg(app, 'action "Outline" <@U_BOB|bob>')
    wg(app, "done 1", user="U_BOB")
    alices = wg(app, "done 1")
    bobs = wg(app, "done 1", user="U_BOB")
    assert "Already marked done by <@U_BOB>" in alices
    assert fallbacks(alices) == {(STAMP, "Mon 23 Nov 09:00")}  # the same moment, as each of them reads it
    assert fallbacks(bobs) == {(STAMP, "Mon 23 Nov 03:00")}


def test_the_items_history_the_sync_reply_and_a_second_close_fall_back_to_pariss_time(
    app: AppClient, db: Session
) -> None:
    wg(app, 'create "Docs revamp"')
    wg(app, 'action "Outline" <@U_BOB|bob>')
    history = wg(app, "item 1")
    assert fallbacks(history) and all(shown == "Mon 23 Nov 09:00" for _, shown in fallbacks(history))

    sync = wg(app, "sync every thursday at 15:00")
    thursday_three_in_paris = int(datetime(2026, 11, 26, 14, 0, tzinfo=UTC).timestamp())
    assert fallbacks(sync) == {(thursday_three_in_paris, "Thu 26 Nov 15:00")}  # as she typed it, not 14:00 UTC

    wg(app, "close")
    again = wg(app, "close")
    assert "Already closed by <@U_ALICE>" in again and fallbacks(again) == {(STAMP, "Mon 23 Nov 09:00")}


def test_a_second_tick_of_a_criterion_says_when_the_first_was_in_the_readers_zone(app: AppClient, db: Session) -> None:
    wg(app, 'create "Docs revamp"')
    wg(app, 'criterion add "Ship the new docs"')
    wg(app, "criterion done 1")
    again = wg(app, "criterion done 1")
    assert "Already ticked by <@U_ALICE>" in again and fallbacks(again) == {(STAMP, "Mon 23 Nov 09:00")}


def test_the_esp_checklist_says_when_the_list_comes_in_the_readers_zone(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    acme(app)
    text = esp(app, 'checklist "Acme Corp"', user=CSM, at=SUNDAY).all_text()  # the CSM, Alice, in Paris
    assert CSM == "U_ALICE" and "first operating-cadence nudge" in text
    assert (int(MONDAY_NUDGES.timestamp()), "Mon 2 Feb 11:00") in fallbacks(text)  # 10:00 UTC is 11:00 in Paris
    assert not any(shown.endswith("UTC") for _, shown in fallbacks(text))


def test_a_key_results_score_history_is_dated_in_the_readers_zone(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    import_seed(app, slack)
    gitaly = db.scalars(select(KeyResult.id).where(KeyResult.text.startswith("Work across teams to ensure"))).one()
    scored_at = datetime(2019, 6, 3, 9, 0, tzinfo=UTC)
    okr(app, f"score {gitaly} 65 10K test passing", at=scored_at)  # the admin may score any key result
    history = okr(app, f"history {gitaly}", user="U_ALICE", at=scored_at).all_text()
    assert "10K test passing" in history
    assert fallbacks(history) == {(int(scored_at.timestamp()), "Mon 3 Jun 11:00")}  # summer time in Paris
