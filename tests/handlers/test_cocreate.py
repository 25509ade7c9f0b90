"""Co-create outreach checklists through signed requests: one message per prospect, updated in place."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, OutreachStep, Prospect
from tests.support.app_client import AppClient
from tests.support.signing import block_actions_body, post_signed, view_submission_body
from tests.support.slack_stand_in import SlackStandIn

# Monday 3 February 2025: the first week of FY26-Q1 (the fiscal year starts in February)
MONDAY = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)


def cocreate(app: AppClient, text: str, *, user: str = "U_ADMIN"):
    with time_machine.travel(MONDAY, tick=False):
        return app.command("/cocreate", text, user=user, channel="C_GENERAL")


def started(app: AppClient, slack: SlackStandIn) -> dict:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    cocreate(app, 'add "Acme Corp"', user="U_BOB")
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
    not_yet = cocreate(app, "pipeline")
    assert "isn't available yet" in not_yet.text
