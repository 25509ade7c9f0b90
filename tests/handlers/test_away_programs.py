"""Time away in every program, through signed requests and the Slack stand-in: a program's channel post names who of
its people is away, and the DM a program sends someone away is held, then listed once in the catch-up when they are
back (the issue's "a program's digest shows who is away" and "holds every nudge addressed to that person, in every
program"). Each case has its control: with nobody away, the same post has no away line and the DM goes out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import time_machine
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.action_items.overdue import ensure_overdue_cadence
from bot.cadence import dispatcher
from bot.db import unit_of_work
from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from models import Cadence, CadenceStatus
from tests.handlers.test_esp import PM, SPONSOR
from tests.handlers.test_esp import people as people  # the fixture, found by its name
from tests.handlers.test_okr import DAY_ONE, import_seed
from tests.handlers.test_okr import okr_channel as okr_channel  # the fixture: #okrs, needed by `/okr setup`
from tests.handlers.test_overdue_across_programs import MONDAY, okr_action_item


@dataclass(frozen=True, slots=True)
class Posted:
    """A message the bot posted, with the tick that posted it."""

    at: datetime
    where: str
    message: dict

    @property
    def shown(self) -> str:
        return str(self.message["blocks"])


def away(app: AppClient, user: str, days: str, *, at: datetime, channel: str = "C_GENERAL") -> str:
    """`/cadence away <days>`, signed, as `user` typed it at `at`; the reply's text."""
    with time_machine.travel(at, tick=False):
        reply = app.command("/cadence", f"away {days}", user=user, channel=channel)
    assert "Set: you're away" in reply.text, reply.text
    return reply.text


def run_until(db: Session, client: WebClient, slack: SlackStandIn, end: datetime, watch: list[str]) -> list[Posted]:
    """Tick at every due time up to `end`, as the scheduler would wake, and keep what each tick posted in `watch`."""
    seen = {where: len(slack.messages(where)) for where in watch}
    posted: list[Posted] = []
    while True:
        db.expire_all()
        due = db.scalar(select(func.min(Cadence.next_run_at)).where(Cadence.status == CadenceStatus.ACTIVE))
        if due is None or due > end:
            return posted
        dispatcher.tick(due, client=client)
        for where in watch:
            messages = slack.messages(where)
            posted += [Posted(due, where, m) for m in messages[seen[where] :]]
            seen[where] = len(messages)


def away_line(post: Posted) -> str | None:
    """The closing context line of a channel post when it names who is away, else None."""
    last = post.message["blocks"][-1]
    text = last["elements"][0]["text"] if last["type"] == "context" else ""
    return text if text.startswith(":palm_tree: Away:") else None


def catch_ups(posted: list[Posted], user: str) -> list[Posted]:
    return [p for p in posted if p.where == user and p.message["text"].startswith("Welcome back")]


def nudges(posted: list[Posted], user: str) -> list[Posted]:
    """What reached the person but the catch-up."""
    return [p for p in posted if p.where == user and not p.message["text"].startswith("Welcome back")]


def listed(catch_up: Posted, title: str) -> int:
    """How many times the catch-up lists a cadence by its title."""
    return catch_up.shown.count(f"*{title}*")


# ---- the Executive Sponsorship Program ------------------------------------------------------------------------------
# Set up on Tue 28 Apr 2026, FY27-Q1's last week. Mon 4 May is FY27-Q2's first Monday: the ESP Forums line posts in
# #executive-sponsor-program at 10:00 UTC, and Dana (the sponsor, New York) gets her digest at 09:00 UTC with the
# month's account-planning session and the quarter's touchpoint line.
ESP_SET_UP = datetime(2026, 4, 28, 12, 0, tzinfo=UTC)
FORUM = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
DANA_LEAVES, DANA_BACK = datetime(2026, 5, 1, 4, 0, tzinfo=UTC), datetime(2026, 5, 7, 4, 0, tzinfo=UTC)
ESP_END = datetime(2026, 5, 8, 23, 0, tzinfo=UTC)


def esp_program(app: AppClient) -> None:
    """One tier-1 account (CSM Alice, AE Bob, SA Sam) that Dana sponsors."""
    with time_machine.travel(ESP_SET_UP, tick=False):
        app.command("/esp", f"setup <@{PM}|ada>", user=PM, channel="C_ESP")
        team = "csm <@U_ALICE|alice> ae <@U_BOB|bob> sa <@U_SAM|sam>"
        app.command("/esp", f'account add "Acme" tier 1 {team}', user=PM, channel="C_ESP")
        app.command("/esp", f'assign <@{SPONSOR}|dana> "Acme"', user=PM, channel="C_ESP")


def forum(posted: list[Posted]) -> Posted:
    [post] = [p for p in posted if p.where == "C_ESP" and p.message["text"].startswith("ESP: ESP Forums")]
    assert post.at == FORUM
    return post


def test_the_esp_forum_names_the_sponsor_and_account_team_away_and_the_sponsors_digest_waits_for_her_return(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    esp_program(app)
    assert "Fri 1 May – Wed 6 May (America/New_York)" in away(app, SPONSOR, "2026-05-01 to 2026-05-06", at=ESP_SET_UP)
    away(app, "U_SAM", "2026-05-04", at=ESP_SET_UP)  # the account's SA, one day
    posted = run_until(db, slack_client, people, ESP_END, ["C_ESP", SPONSOR, "U_SAM"])

    post = forum(posted)
    assert away_line(post) == ":palm_tree: Away: <@U_DANA> until Wed 6 May · <@U_SAM> until Mon 4 May"
    assert "<@U_DANA>" not in post.message["text"].split("\n")[0]  # named by the program's people, not by the line

    to_dana = nudges(posted, SPONSOR)
    assert [p.at.date() for p in to_dana if DANA_LEAVES <= p.at < DANA_BACK] == []
    assert [p.at for p in to_dana if p.at >= DANA_BACK] == []  # the held digest is not posted late either
    [catch_up] = catch_ups(posted, SPONSOR)
    assert catch_up.at == DANA_BACK
    assert catch_up.message["text"] == "Welcome back! 1 nudge came due while you were away (Fri 1 May – Wed 6 May)"
    assert listed(catch_up, "ESP: daily digest") == 1
    assert "due Mon 4 May 05:00" in catch_up.shown and "`/esp checklist`" in catch_up.shown  # in her zone
    assert "Account team and Exec Sponsor account planning session" in catch_up.shown
    assert people.problems == []


def test_with_nobody_away_the_esp_forum_has_no_away_line_and_the_sponsors_digest_comes_that_morning(
    app: AppClient, db: Session, people: SlackStandIn, slack_client: WebClient
) -> None:
    esp_program(app)
    posted = run_until(db, slack_client, people, ESP_END, ["C_ESP", SPONSOR])
    assert away_line(forum(posted)) is None
    on_the_day = [p for p in nudges(posted, SPONSOR) if p.at.date() == date(2026, 5, 4)]
    assert len(on_the_day) == 1 and "Account team and Exec Sponsor account planning session" in on_the_day[0].shown
    assert catch_ups(posted, SPONSOR) == []


# ---- co-create -------------------------------------------------------------------------------------------------
# Set up on Mon 3 Feb 2025 at 08:00 (FY26-Q1), in the program manager's UTC. Bob starts outreach to Acme himself, so
# he owns its steps; the first is due that day, late from Tuesday, and the late-steps DM comes daily at 09:00. The
# pipeline digest posts in #general on Mondays at 09:00. Bob (New York) is away Wed 5 – Tue 11 Feb.
COCREATE_SET_UP = datetime(2025, 2, 3, 8, 0, tzinfo=UTC)
BOB_LEAVES, BOB_BACK = datetime(2025, 2, 5, 5, 0, tzinfo=UTC), datetime(2025, 2, 12, 5, 0, tzinfo=UTC)
COCREATE_END = datetime(2025, 2, 13, 12, 0, tzinfo=UTC)
LATE_STEPS_TITLE = "Co-create: late outreach steps"


def cocreate_pipeline(app: AppClient, slack: SlackStandIn) -> None:
    with time_machine.travel(COCREATE_SET_UP, tick=False):
        app.command("/cocreate", "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>", user="U_ADMIN")
        app.command("/cocreate", 'add "Acme Corp"', user="U_BOB")
        org = {"cocreate.prospect.org": {"cocreate.prospect.org": {"type": "plain_text_input", "value": "Acme Corp"}}}
        assert app.submit(slack.views_opened()[-1], org, user="U_BOB").body == ""
        app.command("/cocreate", 'start "Acme Corp"', user="U_BOB")


def digests(posted: list[Posted]) -> list[Posted]:
    found = [p for p in posted if p.where == "C_GENERAL" and p.at.weekday() == 0 and p.at.hour == 9]
    assert [p.at.date() for p in found] == [date(2025, 2, 3), date(2025, 2, 10)]
    return found


def test_the_pipeline_digest_names_the_step_owner_away_and_his_late_steps_dms_wait_for_one_catch_up(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    cocreate_pipeline(app, slack)
    away(app, "U_BOB", "2025-02-05 to 2025-02-11", at=COCREATE_SET_UP)
    posted = run_until(db, slack_client, slack, COCREATE_END, ["C_GENERAL", "U_BOB"])

    before, during = digests(posted)
    assert away_line(before) == ":palm_tree: Away: <@U_BOB> from Wed 5 Feb to Tue 11 Feb"  # leaves within the week
    assert away_line(during) == ":palm_tree: Away: <@U_BOB> until Tue 11 Feb"

    late = [p.at.date() for p in nudges(posted, "U_BOB") if "late" in p.message["text"].lower()]
    assert late == [date(2025, 2, 4), date(2025, 2, 12), date(2025, 2, 13)]  # none of the seven days away
    [catch_up] = catch_ups(posted, "U_BOB")
    assert catch_up.at == BOB_BACK
    assert catch_up.message["text"].startswith("Welcome back! 7 nudges came due while you were away")
    assert listed(catch_up, LATE_STEPS_TITLE) == 1 and "`/cocreate`" in catch_up.shown
    assert "Wed 5 Feb 04:00" in catch_up.shown and "and 1 more time ·" in catch_up.shown  # 09:00 UTC, his zone
    assert "Acme Corp" in catch_up.shown  # what the last one said
    assert slack.problems == []


def test_with_nobody_away_the_pipeline_digest_has_no_away_line_and_the_late_steps_dm_comes_every_day(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    cocreate_pipeline(app, slack)
    posted = run_until(db, slack_client, slack, COCREATE_END, ["C_GENERAL", "U_BOB"])
    assert [away_line(p) for p in digests(posted)] == [None, None]
    late = [p.at.date() for p in nudges(posted, "U_BOB") if "late" in p.message["text"].lower()]
    assert late == [date(2025, 2, day) for day in range(4, 14)]
    assert catch_ups(posted, "U_BOB") == []


# ---- OKRs --------------------------------------------------------------------------------------------------------
# The seed's FY20-Q2 (1 May – 31 July 2019). Fellow's key results are all scored on the page, so the last call's
# digest in #okrs (Thu 8 Aug, 09:00 UTC) does not mention him; Secure's has no score, so Secure gets the last-call DM
# and is named under "Unscored key results". Both are away Mon 5 – Fri 9 Aug.
OKR_AWAY_SET = datetime(2019, 8, 1, 12, 0, tzinfo=UTC)
LAST_CALL = datetime(2019, 8, 8, 9, 0, tzinfo=UTC)
OKR_LEAVES, OKR_BACK = datetime(2019, 8, 5, 0, 0, tzinfo=UTC), datetime(2019, 8, 10, 0, 0, tzinfo=UTC)
OKR_END = datetime(2019, 8, 12, 0, 0, tzinfo=UTC)


def okr_quarter(app: AppClient, slack: SlackStandIn) -> None:
    slack.add_user("U_FELLOW", name="fel", tz="UTC")
    slack.add_user("U_SECURE", name="sec", tz="UTC")
    import_seed(app, slack)
    with time_machine.travel(DAY_ONE, tick=False):
        app.command("/okr", 'owner "Fellow" <@U_FELLOW|fel>', user="U_ADMIN", channel="C_GENERAL")
        app.command("/okr", 'owner "Secure" <@U_SECURE|sec>', user="U_ADMIN", channel="C_GENERAL")


def okr_digest(posted: list[Posted]) -> Posted:
    [digest] = [p for p in posted if p.where == "C_OKRS"]
    assert digest.at == LAST_CALL and digest.message["text"].startswith("FY20-Q2 OKR scores")
    return digest


def test_the_okr_digest_names_key_result_owners_away_and_the_last_call_waits_for_the_catch_up(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    okr_quarter(app, slack)
    for user in ("U_FELLOW", "U_SECURE"):
        away(app, user, "2019-08-05 to 2019-08-09", at=OKR_AWAY_SET)
    posted = run_until(db, slack_client, slack, OKR_END, ["C_OKRS", "U_FELLOW", "U_SECURE"])

    digest = okr_digest(posted)
    assert away_line(digest) == ":palm_tree: Away: <@U_FELLOW> until Fri 9 Aug · <@U_SECURE> until Fri 9 Aug"
    assert "<@U_FELLOW>" not in str(digest.message["blocks"][:-1])  # only the quarter's owners name him

    reached = [(p.at.date(), " ".join(p.message["text"].split()[:3])) for p in nudges(posted, "U_SECURE")]
    assert reached == [
        (date(2019, 6, 17), "Mid-quarter check on"),
        (date(2019, 7, 17), "Two weeks left"),
        (date(2019, 8, 1), "FY20-Q2 has ended:"),  # the retrospective's request, before Secure leaves
    ]
    [catch_up] = catch_ups(posted, "U_SECURE")
    assert catch_up.at == OKR_BACK
    assert catch_up.message["text"] == "Welcome back! 1 nudge came due while you were away (Mon 5 Aug – Fri 9 Aug)"
    [title] = db.scalars(select(Cadence.title).where(Cadence.kind == "okr.last_call")).all()
    assert listed(catch_up, title) == 1 and "due Thu 8 Aug 09:00" in catch_up.shown and "`/okr`" in catch_up.shown
    assert "FY20-Q2" in catch_up.shown  # what the last call said
    [fellows] = catch_ups(posted, "U_FELLOW")
    assert fellows.message["text"].startswith("Welcome back! Nothing came due")  # his key results are scored
    assert slack.problems == []


def test_with_nobody_away_the_okr_digest_has_no_away_line_and_the_last_call_reaches_the_owner(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    okr_quarter(app, slack)
    posted = run_until(db, slack_client, slack, OKR_END, ["C_OKRS", "U_SECURE"])
    assert away_line(okr_digest(posted)) is None
    assert [p.at for p in nudges(posted, "U_SECURE")][-1] == LAST_CALL
    assert catch_ups(posted, "U_SECURE") == []


# ---- an OKR retrospective's action item, in the daily overdue DM ---------------------------------------------------


def test_an_overdue_okr_item_held_while_away_is_in_the_catch_up_which_points_where_it_can_be_done(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    with unit_of_work() as session:
        ensure_overdue_cadence(session, team_id="T0001", actor_id="U_ALICE", timezone="UTC", now=MONDAY)
    okr_action_item(owner="U_BOB", due_on=date(2026, 11, 20))  # a TRY line of FY27-Q3's retrospective
    away(app, "U_BOB", "2026-11-23 to 2026-11-25", at=MONDAY)
    posted = run_until(db, slack_client, slack, datetime(2026, 11, 26, 12, 0, tzinfo=UTC), ["U_BOB"])

    [catch_up] = catch_ups(posted, "U_BOB")
    assert catch_up.at == datetime(2026, 11, 26, 5, 0, tzinfo=UTC)
    assert listed(catch_up, "Overdue action items") == 1 and "Ship smaller changes" in catch_up.shown
    # It is in no working group, so "`/wg actions mine` in the group's channel" would send him nowhere.
    assert "/wg actions" not in catch_up.shown and "the buttons of the overdue DM" in catch_up.shown
    assert [p.at for p in nudges(posted, "U_BOB")] == [datetime(2026, 11, 26, 9, 0, tzinfo=UTC)]
