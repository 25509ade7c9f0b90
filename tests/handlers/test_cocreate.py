"""Co-create outreach checklists through signed requests: one message per prospect, updated in place."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from devtools.app_client import AppClient
from devtools.signing import block_actions_body, post_signed, view_submission_body
from devtools.slack_stand_in import SlackStandIn
from models import AuditEvent, OutreachStep, Prospect

# Monday 3 February 2025: the first week of FY26-Q1 (the fiscal year starts in February)
MONDAY = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)


def cocreate(app: AppClient, text: str, *, user: str = "U_ADMIN"):
    with time_machine.travel(MONDAY, tick=False):
        return app.command("/cocreate", text, user=user, channel="C_GENERAL")


def add(app: AppClient, slack: SlackStandIn, name: str, *, user: str) -> None:
    """Add a prospect the way people do: `/cocreate add "Org"`, then Save on the form."""
    cocreate(app, f'add "{name}"', user=user)
    form = slack.views_opened()[-1]
    org = {"cocreate.prospect.org": {"cocreate.prospect.org": {"type": "plain_text_input", "value": name}}}
    with time_machine.travel(MONDAY, tick=False):
        assert app.submit(form, org, user=user).body == ""


def started(app: AppClient, slack: SlackStandIn) -> dict:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    add(app, slack, "Acme Corp", user="U_BOB")
    cocreate(app, 'start "Acme Corp"', user="U_ALICE")
    return slack.messages("C_GENERAL")[-1]


def pick(app: AppClient, slack: SlackStandIn, message: dict, action: dict, *, user: str) -> None:
    row = next(b for b in message["blocks"] if b.get("block_id") == action["block_id"])
    body = block_actions_body(
        action["action_id"],
        "",
        user_id=user,
        channel_id="C_GENERAL",
        message_ts=message["ts"],
        message=message,
        team_id="T0001",
        block_id=row["block_id"],
        action=action,
        response_url=slack.response_url("pick"),
    )
    with time_machine.travel(MONDAY, tick=False):
        assert post_signed(app.url, body, app.secret)[0] == 200


def current(slack: SlackStandIn, ts: str) -> dict:
    return next(m for m in slack.messages("C_GENERAL") if m["ts"] == ts)


def test_a_prospect_walks_every_step_from_the_checklist_message_updated_in_place(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    checklist = started(app, slack)
    ts = checklist["ts"]
    steps = db.scalars(select(OutreachStep).order_by(OutreachStep.position)).all()
    assert [s.key for s in steps] == [
        "initial_contact",
        "csm_follow_up",
        "alignment_meeting",
        "outcomes_documented",
        "project_started",
        "contributions_tracked",
    ]
    assert {s.owner_id for s in steps} == {"U_ALICE"}  # no CSM on the prospect: whoever started owns the steps
    assert [s.due_on for s in steps][:2] == [date(2025, 2, 3), date(2025, 2, 10)]

    # Step 1 done; step 2 skipped with a reason through the form; step 3 re-dated and reassigned; the rest done.
    with time_machine.travel(MONDAY, tick=False):
        app.click(current(slack, ts), "cocreate.step.done", user="U_ALICE", channel="C_GENERAL")
        app.click(current(slack, ts), "cocreate.step.skip", user="U_ALICE", channel="C_GENERAL")
    [form] = slack.views_opened()[-1:]
    skipped = view_submission_body(
        form["callback_id"],
        {"cocreate.skip.reason": {"cocreate.skip.reason": "they replied"}},
        user_id="U_ALICE",
        private_metadata=form["private_metadata"],
        team_id="T0001",
    )
    with time_machine.travel(MONDAY, tick=False):
        assert post_signed(app.url, skipped, app.secret)[0] == 200
    row = f"cocreate.step.row.{steps[2].id}"
    pick(
        app,
        slack,
        current(slack, ts),
        {"type": "datepicker", "action_id": "cocreate.step.due", "block_id": row, "selected_date": "2025-02-20"},
        user="U_ALICE",
    )
    pick(
        app,
        slack,
        current(slack, ts),
        {"type": "users_select", "action_id": "cocreate.step.reassign", "block_id": row, "selected_user": "U_BOB"},
        user="U_ALICE",
    )
    refused = app.click(current(slack, ts), "cocreate.step.done", user="U_ALICE", channel="C_GENERAL")
    # Step 3 is Bob's now; the first open Done on the message is step 3, which Alice may no longer tick.
    assert "Only the step's owner <@U_BOB>" in str(refused.responses)
    with time_machine.travel(MONDAY, tick=False):
        app.click(current(slack, ts), "cocreate.step.done", user="U_BOB", channel="C_GENERAL")
        for _ in range(3):
            app.click(current(slack, ts), "cocreate.step.done", user="U_ADMIN", channel="C_GENERAL")  # the manager

    assert [m["ts"] for m in slack.messages("C_GENERAL")] == [ts]  # one message, updated in place
    final = current(slack, ts)
    assert "6 of 6 steps done or skipped" in str(final["blocks"]) and "they replied" in str(final["blocks"])
    db.expire_all()
    prospect = db.scalars(select(Prospect)).one()
    assert (prospect.contacted_on, prospect.meeting_on, prospect.project_started_on, prospect.outcome) == (
        date(2025, 2, 3),
        date(2025, 2, 3),
        date(2025, 2, 3),
        "started",
    )
    changes = [e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.subject_type == "outreach_step"))]
    assert changes.count("cocreate.step_done") == 5 and "cocreate.step_skip" in changes
    assert "cocreate.step_due" in changes and "cocreate.step_reassign" in changes
    assert len(slack.calls("chat.update")) == 8  # one redraw per change that went through


def test_steps_change_from_the_command_too_and_bad_input_is_explained(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    checklist = started(app, slack)
    done = cocreate(app, 'step "Acme Corp" contact done', user="U_ALICE")
    assert "Updated" in done.text
    no_reason = cocreate(app, 'step "Acme Corp" follow-up skip', user="U_ALICE")
    unknown = cocreate(app, 'step "Nope Inc" contact done', user="U_ALICE")
    outsider = cocreate(app, 'step "Acme Corp" meeting done', user="U_BOB")
    assert "reason" in no_reason.text and "Nope Inc" in unknown.text and "Only the step's owner" in outsider.text
    assert ":white_check_mark: *1.*" in str(current(slack, checklist["ts"])["blocks"])
    cocreate(app, 'score "Acme Corp" public-issues 3', user="U_ALICE")
    cocreate(app, 'score "Acme Corp"', user="U_ALICE")
    form = slack.views_opened()[-1]
    assert form["callback_id"] == "cocreate.score.submit"
    picked = next(b for b in form["blocks"] if b.get("block_id") == "cocreate.prospect.score.public_issues_mrs")
    assert picked["element"]["initial_option"]["value"] == "3"  # the current score is filled in
    relationship = "cocreate.prospect.score.relationship_strength"
    saved = app.submit(
        form,
        {relationship: {relationship: {"type": "static_select", "selected_option": {"value": "5"}}}},
        user="U_ALICE",
    )
    assert saved.body == ""
    db.expire_all()
    assert db.scalars(select(Prospect.scores)).one()["relationship_strength"] == 5


def test_late_steps_reach_each_owner_at_most_once_a_day_over_weeks(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client
) -> None:
    from datetime import timedelta

    from bot.cadence import dispatcher

    started(app, slack)  # Alice owns the six steps; contact due 3 Feb, follow-up 10 Feb, meeting 24 Feb…
    add(app, slack, "Globex", user="U_BOB")
    cocreate(app, 'start "Globex"', user="U_BOB")
    moment = datetime(2025, 2, 3, 0, 0, tzinfo=UTC)
    while moment < datetime(2025, 3, 3, tzinfo=UTC):  # four weeks, a tick every 3 hours
        dispatcher.tick(moment, client=slack_client)
        if moment == datetime(2025, 2, 6, 12, 0, tzinfo=UTC):
            with time_machine.travel(moment, tick=False):
                app.command("/cocreate", 'step "Globex" contact done', user="U_BOB", channel="C_GENERAL")
        moment += timedelta(hours=3)
    from models import Cadence, Delivery

    late_cadence = db.scalars(select(Cadence).where(Cadence.kind == "cocreate.late_steps")).one()
    sent = [
        (d.target, d.occurrence_at.date())
        for d in db.scalars(select(Delivery).where(Delivery.cadence_id == late_cadence.id))
    ]
    assert len(sent) == len(set(sent))  # never two on the same day to the same owner
    alice_days = sorted(day for target, day in sent if target == "U_ALICE")
    bob_days = sorted(day for target, day in sent if target == "U_BOB")
    assert alice_days == [date(2025, 2, 4) + timedelta(days=n) for n in range(27)]  # 4 Feb .. 2 Mar, daily
    # Bob ticked Globex's contact on Thursday 6 Feb at noon: DMs on 4–6 Feb; then the follow-up falls due five
    # business days later (Thursday 13 Feb, the no-reply point) and is late from the 14th.
    assert bob_days[:3] == [date(2025, 2, 4), date(2025, 2, 5), date(2025, 2, 6)] and bob_days[3] == date(2025, 2, 14)
    digests = [m for m in slack.messages("C_GENERAL") if m["text"].startswith("Co-create pipeline")]
    assert len(digests) == 3  # Mondays 10, 17 and 24 Feb at 09:00 (set up on Monday 3 Feb at 09:00 itself)
    assert "stalled past" not in str(digests[0]["blocks"])  # 10 Feb: contact began 3 Feb, 7 days is its share
    second = str(digests[1]["blocks"])
    assert "2 prospects stalled past their share of the 8–10 week window" in second and "Acme Corp" in second
    alice_dms = [m for m in slack.messages("U_ALICE") if "late" in m["text"]]
    assert len(alice_dms) == 27 and "Acme Corp" in str(alice_dms[0]["blocks"])
    assert "Globex" not in str(alice_dms[0]["blocks"])
    assert slack.problems == []


def test_the_pipeline_shows_the_fiscal_quarters_funnel_against_its_targets(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    from datetime import timedelta

    from bot.fiscal import FiscalCalendar
    from models import Prospect

    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    q1 = FiscalCalendar(start_month=2).parse_quarter("FY26-Q1")  # 1 Feb – 30 Apr 2025
    seeded = []
    for n in range(30):  # 20 contacted through February-March, 5 started on 20 April, 2 declined, 10 never contacted
        contacted = date(2025, 2, 3) + timedelta(days=2 * n) if n < 20 else None
        outcome, started_on, outcome_on = "open", None, None
        if n < 5:
            outcome, started_on, outcome_on = "started", date(2025, 4, 20), date(2025, 4, 20)
        elif n in (5, 6):
            outcome, outcome_on = "declined", contacted
        meeting = contacted if contacted and n % 2 == 0 else None
        seeded.append((f"Org {n:02d}", contacted, meeting, started_on, outcome, outcome_on))
    for name, contacted, meeting, started_on, outcome, outcome_on in seeded:
        db.add(
            Prospect(
                team_id="T0001",
                name=name,
                contacted_on=contacted,
                meeting_on=meeting,
                project_started_on=started_on,
                outcome=outcome,
                outcome_on=outcome_on,
                created_by="U_ADMIN",
            )
        )
    db.commit()
    assert (q1.start, q1.end) == (date(2025, 2, 1), date(2025, 4, 30))
    reply = cocreate(app, "pipeline FY26-Q1").all_text()
    assert "Co-create pipeline FY26-Q1" in reply
    assert "Prospects in pipeline*: 20 of 21" in reply  # the 20 contacted, all in February and March
    assert "Projects initiated*: 5 of 7" in reply
    assert "Meetings scheduled*: 10" in reply  # the even-numbered contacts
    assert "Active conversations*: 13" in reply  # 20 contacted, less 5 started and 2 declined
    assert "Conversion*: 25% vs 33%" in reply  # 5 started of 20 contacted
    assert "Days from contact to start*: median 72, mean 72 vs 56–70" in reply  # 76, 74, 72, 70, 68 days; 8–10 weeks


def test_contributions_count_once_and_resources_show_on_the_meeting_step(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    checklist = started(app, slack)
    refused = cocreate(app, 'resources add "NDA template" https://docs.example/nda', user="U_ALICE")
    assert "Only the program manager <@U_ADMIN>" in refused.text
    cocreate(app, 'resources add "NDA template" https://docs.example/nda')
    first = cocreate(app, 'contribution "Acme Corp" mr https://gitlab.example/acme/-/merge_requests/1', user="U_ALICE")
    again = cocreate(app, 'contribution "Acme Corp" mr HTTPS://GITLAB.example/acme/-/merge_requests/1/', user="U_BOB")
    assert "has 1 contribution" in first.text and "already recorded" in again.text
    cocreate(app, 'step "Acme Corp" contact done', user="U_ALICE")  # any change redraws the checklist
    redrawn = current(slack, checklist["ts"])
    assert "<https://docs.example/nda|NDA template>" in str(redrawn["blocks"])


def test_app_home_shows_the_users_open_steps_late_first_and_done_works_there(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    started(app, slack)
    later = datetime(2025, 2, 12, 9, 0, tzinfo=UTC)
    with time_machine.travel(later, tick=False):
        app.event({"type": "app_home_opened", "user": "U_ALICE", "channel": "D_ALICE", "tab": "home"})
    home = slack.views_published("U_ALICE")[-1]
    text = str(home["blocks"])
    assert "Co-create outreach (6 open)" in text and text.index("Initial contact") < text.index("CSM follow-up")
    assert "(late)" in text
    body = block_actions_body(
        "cocreate.step.done",
        home["blocks"][[i for i, b in enumerate(home["blocks"]) if "Initial contact" in str(b)][0]]["accessory"][
            "value"
        ],
        user_id="U_ALICE",
        team_id="T0001",
        container={"type": "view", "view_id": "V1"},
        response_url=slack.response_url("home"),
    )
    with time_machine.travel(later, tick=False):
        assert post_signed(app.url, body, app.secret)[0] == 200
    assert "Co-create outreach (5 open)" in str(slack.views_published("U_ALICE")[-1]["blocks"])


def test_the_quarterly_business_review_reminder_carries_the_contribution_numbers(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client
) -> None:
    from bot.cadence import dispatcher

    started(app, slack)
    db.execute(Prospect.__table__.update().values(csm_id="U_BOB"))
    db.commit()
    cocreate(app, 'outcome "Acme Corp" started', user="U_ALICE")
    for n in (1, 2):
        cocreate(app, f'contribution "Acme Corp" mr https://gitlab.example/acme/-/merge_requests/{n}', user="U_BOB")
    # FY26-Q2 starts on 1 May 2025; its first Monday is 5 May, 10:00 in the program's zone (UTC).
    dispatcher.tick(datetime(2025, 5, 5, 10, 0, tzinfo=UTC), client=slack_client)
    [review] = [m for m in slack.messages("U_BOB") if "business review" in m["text"]]
    assert "*Acme Corp*: 2 contributions since the project" in str(review["blocks"])


def test_scores_tiers_weights_and_targets_through_the_command(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    for name in ("Acme Corp", "Globex", "Initech"):
        add(app, slack, name, user="U_BOB")
    scored = cocreate(
        app,
        'score "Globex" public-issues 5 feature-usage 5 tier-seats 5 industry 5 oss 5 growth 5 relationship 5',
        user="U_BOB",
    )
    cocreate(app, 'score "Acme Corp" public-issues 1 relationship 3', user="U_BOB")
    assert "scores 100/100" in scored.text
    refused = cocreate(app, 'tier "Initech" 1 reason "strategic"', user="U_BOB")
    assert "Only the program manager <@U_ADMIN>" in refused.text
    assert "tier 1 (set by hand)" in cocreate(app, 'tier "Initech" 1 reason "strategic"').text
    top = cocreate(app, "top 3").all_text()
    assert top.index("Initech") < top.index("Globex") < top.index("Acme Corp")  # tier first, then score
    assert "conversion 40% · 8–10 weeks" in cocreate(app, "targets conversion 40%").all_text()
    assert "Customer relationship strength: 2" in cocreate(app, "weights relationship 2").all_text()
    assert "Only the program manager" in cocreate(app, "weights oss 3", user="U_BOB").text


def test_starting_outreach_can_create_the_dedicated_channel_with_the_account_team(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    add(app, slack, "Acme & Co", user="U_BOB")
    db.execute(Prospect.__table__.update().values(csm_id="U_BOB"))
    db.commit()
    reply = cocreate(app, 'start "Acme & Co" new-channel', user="U_ALICE")
    [created] = slack.calls("conversations.create")
    assert created["name"] == "cocreate-acme-co"
    [invite] = slack.calls("conversations.invite")
    assert set(invite["users"].split(",")) == {"U_BOB", "U_ALICE"}
    channel = db.scalars(select(Prospect.outreach_channel_id)).one()
    assert channel and f"<#{channel}>" in reply.text
    assert slack.messages(channel)[-1]["text"].startswith("Co-create outreach: Acme &amp; Co")
    # Started already: said so before any channel is made (a second `cocreate-acme-co` would be refused anyway).
    assert "already started" in cocreate(app, 'start "Acme & Co" new-channel', user="U_ALICE").text
    assert len(slack.calls("conversations.create")) == 1


def set_up_by_the_admin() -> None:
    """The program set up in #general by the admin, straight through the service (for the command-line tests)."""
    from bot.cocreate import service as cocreate_service
    from bot.db import unit_of_work
    from bot.permissions import Actor

    with unit_of_work() as session:
        cocreate_service.setup_program(
            session,
            team_id="T0001",
            actor=Actor("U_ADMIN", is_admin=True),
            channel_id="C_GENERAL",
            manager_id="U_ADMIN",
            timezone="UTC",
            now=MONDAY,
        )


def test_the_command_line_imports_a_csv_and_a_bad_row_saves_nothing(
    tmp_path, database_url: str, slack: SlackStandIn, db: Session
) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    set_up_by_the_admin()
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack.url, "DATABASE_URL": database_url}
    good = tmp_path / "good.csv"
    good.write_text("org,subscription,seats,public_issues_mrs\nAcme Corp,ultimate,500,4\nGlobex,premium,120,2\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("org,subscription,seats,public_issues_mrs\nInitech,free,10,1\nUmbrella,premium,many,3\n")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "app.py", "cocreate", *args], cwd=root, env=env, capture_output=True, text=True, timeout=60
        )

    imported = run("import", str(good))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 2 prospects" in imported.stdout
    refused = run("import", str(bad))
    assert refused.returncode == 1 and "Line 3: the seats `many`" in refused.stderr
    db.expire_all()
    assert sorted(db.scalars(select(Prospect.name))) == ["Acme Corp", "Globex"]  # nothing from the bad file
    exported = run("export")
    assert exported.returncode == 0 and exported.stdout.splitlines()[0].startswith("org,")
    assert "Acme Corp" in exported.stdout


def test_add_opens_the_form_with_every_field_and_saves_them(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    cocreate(app, 'add "Acme Corp"', user="U_BOB")
    view = slack.views_opened()[-1]
    assert view["callback_id"] == "cocreate.prospect.submit" and len(view["blocks"]) == 8 + 7

    def values(seats: str) -> dict:
        state = {
            "cocreate.prospect.org": {"type": "plain_text_input", "value": "Acme Corp"},
            "cocreate.prospect.csm": {"type": "users_select", "selected_user": "U_ALICE"},
            "cocreate.prospect.subscription": {"type": "static_select", "selected_option": {"value": "ultimate"}},
            "cocreate.prospect.seats": {"type": "number_input", "value": seats},
            "cocreate.prospect.overlap": {"type": "checkboxes", "selected_options": [{"value": "yes"}]},
            "cocreate.prospect.score.public_issues_mrs": {"type": "static_select", "selected_option": {"value": "4"}},
            "cocreate.prospect.score.prior_oss_contribution": {
                "type": "static_select",
                "selected_option": {"value": "2"},
            },
        }
        return {block_id: {block_id: value} for block_id, value in state.items()}

    bad = app.submit(view, values("lots"), user="U_BOB")
    assert bad["response_action"] == "errors" and "cocreate.prospect.seats" in bad["errors"]
    assert db.scalars(select(Prospect)).all() == []
    with time_machine.travel(MONDAY, tick=False):
        assert app.submit(view, values("500"), user="U_BOB").body == ""
    prospect = db.scalars(select(Prospect)).one()
    assert (prospect.csm_id, prospect.subscription, prospect.seats, prospect.tech_stack_overlap) == (
        "U_ALICE",
        "ultimate",
        500,
        True,
    )
    assert prospect.scores["public_issues_mrs"] == 4
    assert "tier 1" in slack.messages("U_BOB")[-1]["text"]  # strong history, Ultimate, prior contribution


def test_help_lists_every_subcommand(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    shown = cocreate(app, "help").all_text()
    for word in (
        "setup",
        "add",
        "score",
        "tier",
        "top",
        "start",
        "step",
        "steps",
        "meeting",
        "outcome",
        "pipeline",
        "contribution",
        "resources",
        "targets",
        "weights",
    ):
        assert f"/cocreate {word}" in shown, word


def test_a_short_pipeline_names_the_best_prospects_not_yet_contacted_first(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    for name in ("Acme Corp", "Globex", "Initech"):
        add(app, slack, name, user="U_BOB")
    cocreate(app, 'score "Globex" public-issues 5 relationship 5', user="U_BOB")
    cocreate(app, 'score "Acme Corp" public-issues 2', user="U_BOB")
    shown = cocreate(app, "pipeline").all_text()
    assert "The pipeline is 21 short of 21" in shown
    assert shown.index("*Globex*") < shown.index("*Acme Corp*") < shown.index("*Initech*")


def test_every_cocreate_request_has_a_handler() -> None:
    import typing

    from bot.cocreate.commands import CocreateCommand
    from handlers.cocreate.commands import RUNNERS

    assert set(typing.get_args(CocreateCommand)) == set(RUNNERS)


def test_steps_without_a_name_lists_the_users_open_steps(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    started(app, slack)
    mine = cocreate(app, "steps", user="U_ALICE").all_text()
    none = cocreate(app, "steps", user="U_BOB").text
    assert "Co-create outreach (6 open)" in mine and "Acme Corp" in mine
    assert none == "You have no open co-create outreach steps."
