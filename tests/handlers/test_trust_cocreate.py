"""Co-create outreach keeps its promises on every path: two presses at once are recorded once (the later one is told
who did what), a Slack failure after a save says what was saved and what didn't happen, only people in a channel
point the program at it, two first set-ups make one program, forms hold the commands' limits, echoes are escaped."""

from __future__ import annotations

import json

import pytest
import time_machine
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import db as bot_db
from devtools.app_client import AppClient
from devtools.signing import block_actions_body, post_signed, view_submission_body
from devtools.slack_stand_in import BOT_USER_ID, SlackStandIn
from handlers.membership import forget_members
from models import AuditEvent, Cadence, CocreateProgram, OutreachStep, Prospect, StepState
from tests.handlers.test_cocreate import MONDAY, add, cocreate, current, started
from tests.support.concurrency import at_once

MANAGER, OWNER = "U_ADMIN", "U_ALICE"  # started(): U_ADMIN manages the program, U_ALICE started (and owns) the steps


@pytest.fixture(autouse=True)
def fresh_members() -> None:
    forget_members()  # channel ids repeat across tests with other members


def typed(app: AppClient, text: str, *, user: str):
    """`/cocreate <text>` in #general, on whatever clock the caller set (one travel around a race, not one each)."""
    return app.command("/cocreate", text, user=user, channel="C_GENERAL")


def audit_count(db: Session, action: str) -> int:
    return db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)) or 0


def first_step(db: Session) -> OutreachStep:
    db.expire_all()
    return db.scalars(select(OutreachStep).order_by(OutreachStep.position)).first()


def control(app: AppClient, slack: SlackStandIn, message: dict, step_id: int, action: dict, *, user: str):
    """Press one of a step's controls on the checklist message; what the app sent back to this presser only."""
    name = f"press-{user}-{action['action_id']}"
    body = block_actions_body(
        action["action_id"],
        str(step_id) if action.get("type", "button") == "button" else "",
        user_id=user,
        channel_id="C_GENERAL",
        message_ts=message["ts"],
        message=message,
        team_id="T0001",
        block_id=f"cocreate.step.row.{step_id}",
        action={"type": "button", **action},
        response_url=slack.response_url(name),
    )
    status, _answer = post_signed(app.url, body, app.secret)
    assert status == 200
    return " ".join(json.dumps(r) for r in slack.responses(name))


PRESSES = {
    "done": {"action_id": "cocreate.step.done"},
    "reopen": {"action_id": "cocreate.step.reopen"},
    "due": {"type": "datepicker", "action_id": "cocreate.step.due", "selected_date": "2025-02-14"},
    "reassign": {"type": "users_select", "action_id": "cocreate.step.reassign", "selected_user": "U_BOB"},
}


@pytest.mark.parametrize("action", list(PRESSES))
def test_two_people_pressing_a_step_control_at_once_are_recorded_once_and_the_later_is_told(
    app: AppClient, db: Session, slack: SlackStandIn, action: str
) -> None:
    checklist = started(app, slack)
    step = first_step(db)
    if action == "reopen":
        control(app, slack, checklist, step.id, PRESSES["done"], user=OWNER)
    press = dict(PRESSES[action])
    if action == "due":
        press["selected_date"] = "2025-02-14"
    updates = len(slack.calls("chat.update"))
    audits = audit_count(db, f"cocreate.step_{action}")
    with time_machine.travel(MONDAY, tick=False):
        told = dict(
            zip(
                (OWNER, MANAGER),
                at_once(
                    lambda: control(app, slack, current(slack, checklist["ts"]), step.id, press, user=OWNER),
                    lambda: control(app, slack, current(slack, checklist["ts"]), step.id, press, user=MANAGER),
                ),
                strict=True,
            )
        )
    after = first_step(db)
    winner = after.changed_by
    loser = MANAGER if winner == OWNER else OWNER
    assert winner in (OWNER, MANAGER)
    assert audit_count(db, f"cocreate.step_{action}") == audits + 1  # recorded once
    assert len(slack.calls("chat.update")) == updates + 1  # redrawn once, by the winner
    expected = {
        "done": (StepState.DONE, "Already done by"),
        "reopen": (StepState.OPEN, "Already reopened by"),
        "due": (StepState.OPEN, "already due Fri 14 Feb"),
        "reassign": (StepState.OPEN, "already <@U_BOB>'s"),
    }[action]
    assert after.state == expected[0]
    assert expected[1] in told[loser] and f"<@{winner}>" in told[loser] and "nothing changed" in told[loser]
    assert "Mon 3 Feb" in told[loser]  # when, in the reader's zone
    assert told[winner] == ""  # the winner sees the checklist redrawn, nothing else


def test_the_same_step_command_twice_at_once_is_recorded_once(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    started(app, slack)
    with time_machine.travel(MONDAY, tick=False):
        replies = at_once(
            lambda: typed(app, 'step "Acme Corp" contact done', user=OWNER),
            lambda: typed(app, 'step "Acme Corp" contact done', user=MANAGER),
        )
    assert audit_count(db, "cocreate.step_done") == 1
    winner = first_step(db).changed_by
    texts = sorted((r.text for r in replies), key=lambda t: "Already" in t)
    assert texts[0].startswith("Updated:") and f"Already done by <@{winner}> on Mon 3 Feb" in texts[1]


def skip_body(step_id: int, reason: str, *, user: str) -> str:
    """The skip form as the app opens it for step `step_id`, submitted with `reason`."""
    from bot.cocreate.blocks.modals import skip_modal

    with Session(bot_db.engine()) as session:
        form = skip_modal(session.get_one(OutreachStep, step_id)).to_dict()
    return view_submission_body(
        form["callback_id"],
        {"cocreate.skip.reason": {"cocreate.skip.reason": reason}},
        user_id=user,
        private_metadata=form["private_metadata"],
        team_id="T0001",
        blocks=form["blocks"],
    )


def test_two_skip_forms_submitted_at_once_skip_once_and_the_later_form_says_by_whom(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    started(app, slack)
    step = first_step(db)
    with time_machine.travel(MONDAY, tick=False):
        answers = at_once(
            lambda: post_signed(app.url, skip_body(step.id, "they replied", user=OWNER), app.secret),
            lambda: post_signed(app.url, skip_body(step.id, "no need", user=MANAGER), app.secret),
        )
    assert audit_count(db, "cocreate.step_skip") == 1
    after = first_step(db)
    assert after.state == StepState.SKIPPED and after.skip_reason in ("they replied", "no need")
    refused = [a for _status, a in answers if a != ""]
    assert len(refused) == 1 and "Already skipped by" in refused[0]["errors"]["cocreate.skip.reason"]


def test_a_skip_reason_longer_than_the_command_allows_is_refused_under_its_field(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    started(app, slack)
    step = first_step(db)
    _status, answer = post_signed(app.url, skip_body(step.id, "x" * 2001, user=OWNER), app.secret)
    assert (
        "2,001 characters" in answer["errors"]["cocreate.skip.reason"]
        and "2,000" in answer["errors"]["cocreate.skip.reason"]
    )
    too_long = cocreate(app, f'step "Acme Corp" contact skip "{"x" * 2001}"', user=OWNER)
    assert "2,000" in too_long.text  # the same limit the command enforces
    assert first_step(db).state == StepState.OPEN and audit_count(db, "cocreate.step_skip") == 0


def test_a_prospect_form_holds_the_commands_limits(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    cocreate(app, "add", user=OWNER)
    form = slack.views_opened()[-1]
    for values, field in [
        ({"cocreate.prospect.org": {"cocreate.prospect.org": "A" * 201}}, "cocreate.prospect.org"),
        (
            {
                "cocreate.prospect.org": {"cocreate.prospect.org": "Acme"},
                "cocreate.prospect.industry": {"cocreate.prospect.industry": "i" * 101},
            },
            "cocreate.prospect.industry",
        ),
        (
            {
                "cocreate.prospect.org": {"cocreate.prospect.org": "Acme"},
                "cocreate.prospect.seats": {"cocreate.prospect.seats": str(2**31)},
            },
            "cocreate.prospect.seats",
        ),
    ]:
        answer = app.submit(form, values, user=OWNER).body
        assert answer["response_action"] == "errors" and field in answer["errors"], (field, answer)
    assert db.scalar(select(func.count()).select_from(Prospect)) == 0
    long_name = cocreate(app, f'add "{"A" * 201}"', user=OWNER)
    assert "200" in long_name.text  # the command's limit is the form's


# ----------------------------------------------------------------------------- Slack failing after the save


def test_a_step_done_whose_redraw_fails_stays_done_and_says_how_to_fix_it(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    checklist = started(app, slack)
    step = first_step(db)
    slack.error_next("chat.update", "not_in_channel")
    told = control(app, slack, checklist, step.id, PRESSES["done"], user=OWNER)
    assert first_step(db).state == StepState.DONE and audit_count(db, "cocreate.step_done") == 1
    assert "Saved:" in told and "<#C_GENERAL>" in told and "/invite @Cadence" in told
    assert "Nothing was saved" not in told
    slack.fail_next("chat.update", 500)
    by_command = cocreate(app, 'step "Acme Corp" follow-up done', user=OWNER)
    assert by_command.text.startswith("Updated:") and "couldn't show its checklist in <#C_GENERAL>" in by_command.text
    assert [s.state for s in db.scalars(select(OutreachStep).order_by(OutreachStep.position))][:2] == ["done", "done"]


def test_a_skip_form_whose_redraw_fails_is_saved_and_the_form_says_so(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    started(app, slack)
    step = first_step(db)
    slack.error_next("chat.update", "channel_not_found")
    _status, answer = post_signed(app.url, skip_body(step.id, "they replied", user=OWNER), app.secret)
    assert answer["response_action"] == "update"
    shown = json.dumps(answer["view"])
    assert "Saved:" in shown and "couldn't show its checklist" in shown and "/invite @Cadence" in shown
    assert first_step(db).state == StepState.SKIPPED


def test_a_start_whose_checklist_cannot_be_posted_is_saved_and_posted_on_the_next_change(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    add(app, slack, "Acme Corp", user="U_BOB")
    slack.error_next("chat.postMessage", "not_in_channel")
    reply = cocreate(app, 'start "Acme Corp"', user=OWNER)
    assert "started" in reply.text and "couldn't show its checklist in <#C_GENERAL>" in reply.text
    assert "/invite @Cadence" in reply.text and "Nothing was saved" not in reply.text
    assert db.scalar(select(func.count()).select_from(OutreachStep)) == 6
    assert db.scalars(select(Prospect.checklist_ts)).one() is None
    assert cocreate(app, 'step "Acme Corp" contact done', user=OWNER).text.startswith("Updated:")
    db.expire_all()
    ts = db.scalars(select(Prospect.checklist_ts)).one()
    assert ts and "1 of 6 steps done" in json.dumps(current(slack, ts)["blocks"])


def test_a_channel_slack_wont_create_saves_nothing_and_says_what_to_do(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    add(app, slack, "Acme Corp", user="U_BOB")
    slack.error_next("conversations.create", "restricted_action")
    reply = cocreate(app, 'start "Acme Corp" new-channel', user=OWNER)
    assert "couldn't create `#cocreate-acme-corp`" in reply.text and "restricted_action" in reply.text
    assert "Nothing was saved" in reply.text and "in #channel" in reply.text
    assert db.scalar(select(func.count()).select_from(OutreachStep)) == 0
    assert db.scalars(select(Prospect.outreach_started_on)).one() is None


def test_a_prospect_form_whose_dm_fails_is_saved_and_the_form_says_so(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    cocreate(app, 'add "Acme Corp"', user=OWNER)
    form = slack.views_opened()[-1]
    slack.fail_next("chat.postMessage", 500)
    answer = app.submit(form, {"cocreate.prospect.org": {"cocreate.prospect.org": "Acme Corp"}}, user=OWNER).body
    assert answer["response_action"] == "update"
    shown = json.dumps(answer["view"])
    assert "Saved *Acme Corp*" in shown and "couldn't DM you" in shown
    assert db.scalars(select(Prospect.name)).all() == ["Acme Corp"]


# ----------------------------------------------------------------------------- channels, races, escaping


@pytest.mark.parametrize("private", [True, False], ids=["private-not-member", "public-not-joined"])
def test_the_program_points_only_at_channels_its_author_is_in(
    app: AppClient, db: Session, slack: SlackStandIn, private: bool
) -> None:
    slack.add_channel("C_ELSE", "elsewhere", members=["U_BOB", BOT_USER_ID], is_private=private)
    refused = cocreate(app, "setup <#C_ELSE|elsewhere> manager <@U_ADMIN|ada>", user=OWNER)
    assert "You're not in <#C_ELSE>" in refused.text and "Join the channel" in refused.text
    assert db.scalar(select(func.count()).select_from(CocreateProgram)) == 0
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    add(app, slack, "Acme Corp", user="U_BOB")
    start = cocreate(app, 'start "Acme Corp" in <#C_ELSE|elsewhere>', user=OWNER)
    assert "You're not in <#C_ELSE>" in start.text
    assert db.scalar(select(func.count()).select_from(OutreachStep)) == 0 and slack.messages("C_ELSE") == []
    # A member may; and the channel a command is typed in is the author's.
    assert "started" in cocreate(app, 'start "Acme Corp" in <#C_ELSE|elsewhere>', user="U_BOB").text


def test_a_channel_the_bot_cannot_see_is_refused_with_the_fix(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    slack.add_channel("C_HIDDEN", "hidden", members=[OWNER], is_private=True)
    slack.error_next("conversations.members", "channel_not_found")  # what Slack says of a private channel without us
    refused = cocreate(app, "setup <#C_HIDDEN|hidden>", user=OWNER)
    assert "I can't see <#C_HIDDEN>" in refused.text and "/invite @Cadence" in refused.text
    assert db.scalar(select(func.count()).select_from(CocreateProgram)) == 0


def test_two_first_setups_at_once_make_one_program(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    with time_machine.travel(MONDAY, tick=False):
        replies = at_once(
            lambda: typed(app, "setup <#C_GENERAL|general>", user=OWNER),
            lambda: typed(app, "setup <#C_GENERAL|general>", user="U_BOB"),
        )
    texts = [r.text for r in replies]
    assert db.scalar(select(func.count()).select_from(CocreateProgram)) == 1
    assert db.scalar(select(func.count()).select_from(Cadence).where(Cadence.kind.like("cocreate.%"))) == 3
    manager = db.scalars(select(CocreateProgram.manager_id)).one()
    assert sum("is set up" in t for t in texts) == 1, texts
    assert any(f"Only the program manager <@{manager}>" in t for t in texts), texts
    assert not any("went wrong" in t for t in texts)


def test_two_starts_at_once_make_one_checklist(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    add(app, slack, "Acme Corp", user="U_BOB")
    with time_machine.travel(MONDAY, tick=False):
        replies = at_once(
            lambda: typed(app, 'start "Acme Corp"', user=OWNER),
            lambda: typed(app, 'start "Acme Corp"', user=MANAGER),
        )
    assert db.scalar(select(func.count()).select_from(OutreachStep)) == 6
    assert sorted("already started" in r.text for r in replies) == [False, True]
    assert len(slack.messages("C_GENERAL")) == 1


def mrkdwn_of(payload: dict) -> list[str]:
    """Every text Slack reads as mrkdwn in a message: its fallback and each mrkdwn text object (plain_text, such as a
    header, shows `<!channel>` as typed and never notifies)."""
    found = [payload.get("text", "")]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node.get("text", ""))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload.get("blocks", []))
    return found


def test_an_organisation_named_like_a_mention_is_shown_as_text_everywhere(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    add(app, slack, "<!channel> *x*", user="U_BOB")
    replies = [
        cocreate(app, 'start "&lt;!channel&gt; *x*"', user=OWNER),
        cocreate(app, 'step "&lt;!channel&gt; *x*" contact done', user=OWNER),
        cocreate(app, "top", user=OWNER),
        cocreate(app, 'steps "&lt;!channel&gt; *x*"', user=OWNER),
        cocreate(app, 'outcome "&lt;!channel&gt; *x*" declined "no capacity"', user=OWNER),
    ]
    sent = [m for channel in ("C_GENERAL", slack.dm_channel("U_BOB")) for m in slack.messages(channel)]
    assert len(sent) == 2 and all(r.text for r in replies)
    for shown in [*(r.body for r in replies), *sent]:
        assert not any("<!channel>" in t for t in mrkdwn_of(shown)), shown
    naming = [replies[0].body, *(r.body for r in replies[2:]), *sent]  # the step's reply names the step, not the org
    assert all(any("&lt;!channel&gt; *x*" in t for t in mrkdwn_of(shown)) for shown in naming)
    assert all("&lt;!channel&gt; *x*" in m["text"] for m in sent)  # the fallback too
    assert db.scalars(select(Prospect.name)).one() == "<!channel> *x*"  # stored as typed, escaped when shown


def test_done_pressed_twice_at_once_on_app_home_is_recorded_once_and_home_shows_it(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    started(app, slack)
    step = first_step(db)

    def on_home() -> int:  # a Home press has no response_url: the answer is Home redrawn
        body = block_actions_body(
            "cocreate.step.done",
            str(step.id),
            user_id=OWNER,
            team_id="T0001",
            container={"type": "view", "view_id": "V1"},
        )
        return post_signed(app.url, body, app.secret)[0]

    with time_machine.travel(MONDAY, tick=False):
        assert at_once(on_home, on_home) == [200, 200]
    assert audit_count(db, "cocreate.step_done") == 1 and first_step(db).state == StepState.DONE
    homes = slack.views_published(OWNER)
    assert len(homes) == 2 and all("Co-create outreach (5 open)" in str(h["blocks"]) for h in homes)
    told = [m for m in slack.messages(f"D{OWNER}") if "Already done" in m["text"]]
    assert len(told) == 1  # the later press is told by DM, Home having no response_url


def test_one_organisation_added_by_two_people_at_once_is_added_once(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    cocreate(app, "setup <#C_GENERAL|general> manager <@U_ADMIN|ada>")
    cocreate(app, 'add "Acme Corp"', user=OWNER)
    form = slack.views_opened()[-1]
    org = {"cocreate.prospect.org": {"cocreate.prospect.org": "Acme Corp"}}
    with time_machine.travel(MONDAY, tick=False):
        answers = at_once(lambda: app.submit(form, org, user=OWNER), lambda: app.submit(form, org, user="U_BOB"))
    assert db.scalar(select(func.count()).select_from(Prospect)) == 1
    assert audit_count(db, "cocreate.prospect_added") == 1
    refused = [a.body for a in answers if a.body != ""]
    assert len(refused) == 1 and "already a prospect" in refused[0]["errors"]["cocreate.prospect.org"]
    assert db.scalars(select(Prospect.rank_tier)).one() == 3  # ranked as a prospect added alone would be


def test_two_steps_done_at_once_leave_the_prospect_at_the_first_open_step(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    checklist = started(app, slack)
    first, second = db.scalars(select(OutreachStep).order_by(OutreachStep.position)).all()[:2]
    with time_machine.travel(MONDAY, tick=False):
        at_once(
            lambda: control(app, slack, checklist, first.id, PRESSES["done"], user=OWNER),
            lambda: control(app, slack, checklist, second.id, PRESSES["done"], user=MANAGER),
        )
    db.expire_all()
    assert audit_count(db, "cocreate.step_done") == 2
    assert db.scalars(select(Prospect.current_step)).one() == "alignment_meeting"  # neither saw the other's step open
