"""/cocreate: prospects and their outreach checklist, one message per prospect updated in place."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, object_session

from bot.blocks import cocreate as cocreate_blocks
from bot.blocks import ids
from bot.blocks.common import Message, ephemeral
from bot.cocreate import commands as cocreate_commands
from bot.cocreate import prospects, service
from bot.cocreate.commands import CRITERION_FOR_KEY, STEP_FOR_KEY
from bot.db import unit_of_work
from bot.errors import UserError
from bot.text import escape
from handlers.context import SlackRequest, command_request, slack_request
from handlers.membership import check_member
from handlers.payload import picked_date, picked_user, row_id
from handlers.replies import (
    answers_user_errors,
    answers_user_errors_after_ack,
    answers_user_errors_in_modal,
    slack_failure_note,
)
from models import Prospect

log = logging.getLogger(__name__)
Request = SlackRequest
# What a Slack call after the commit can fail with: an API error, or no answer in time (URLError, TimeoutError).
SLACK_FAILURES = (SlackApiError, OSError)


def register(app: App) -> None:
    """Wire /cocreate, the checklist's controls and the skip form."""
    app.command("/cocreate")(on_cocreate_command)
    for action_id in (
        ids.COCREATE_STEP_DONE,
        ids.COCREATE_STEP_REOPEN,
        ids.COCREATE_STEP_DUE,
        ids.COCREATE_STEP_REASSIGN,
    ):
        app.action(action_id)(on_step_control)
    app.action(ids.COCREATE_STEP_SKIP)(on_step_skip_button)
    app.view(ids.COCREATE_SKIP_MODAL)(on_skip_submit)
    app.view(ids.COCREATE_PROSPECT_MODAL)(on_prospect_submit)
    app.view(ids.COCREATE_SCORE_MODAL)(on_score_submit)


@answers_user_errors
def on_cocreate_command(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Parse and run; replies after the commit. The checklist itself is a channel message kept up to date."""
    request, fiscal_start = command_request(command, context.team_id, client)
    parsed = cocreate_commands.parse_cocreate_command(
        command.get("text", ""), today=request.today, fiscal_start_month=fiscal_start
    )
    ack(**RUNNERS[type(parsed)](parsed, request, client))


def run_help(_parsed: Any, _request: Request, _client: WebClient) -> Message:
    return cocreate_blocks.cocreate_help()


def run_setup(parsed: cocreate_commands.Setup, request: Request, client: WebClient) -> Message:
    if parsed.channel_id:  # the bot posts there for the program: only for someone in it
        check_member(client, channel_id=parsed.channel_id, user_id=request.user_id, typed_in=request.channel_id)
    with unit_of_work() as session:
        program, created = service.setup_program(
            session,
            team_id=request.team_id,
            actor=request.actor,
            channel_id=parsed.channel_id or request.channel_id,
            manager_id=parsed.manager_id or request.user_id,
            timezone=request.timezone,
            now=request.now,
        )
        verb = "is set up" if created else "now lives"
        return ephemeral(
            f":white_check_mark: Co-create {verb} in <#{program.channel_id}>, managed by <@{program.manager_id}>."
        )


def run_add(parsed: cocreate_commands.OpenProspectModal, request: Request, client: WebClient) -> Message:
    with unit_of_work() as session:
        service.program_of(session, team_id=request.team_id)  # set up first, or say how
    client.views_open(trigger_id=request.trigger_id, view=cocreate_blocks.prospect_modal(parsed.org))
    return {}


def run_start(parsed: cocreate_commands.StartOutreach, request: Request, client: WebClient) -> Message:
    channel_id, notes = parsed.channel_id, []
    if channel_id:  # its checklist is posted there: only for someone in it
        check_member(client, channel_id=channel_id, user_id=request.user_id, typed_in=request.channel_id)
    if parsed.create_channel:
        channel_id, notes = create_outreach_channel(client, request, parsed.org)
    with unit_of_work() as session:
        program = service.program_of(session, team_id=request.team_id)
        prospect = service.prospect_named(session, team_id=request.team_id, name=parsed.org)
        service.start_outreach(
            session,
            team_id=request.team_id,
            actor=request.actor,
            prospect=prospect,
            channel_id=channel_id,
            today=request.today,
            now=request.now,
        )
        pending = Redraw(prospect.id, channel_id or program.channel_id, None, _checklist(prospect, request.today))
    name = escape(parsed.org)
    problem = redraw(client, pending)
    if problem:
        notes.insert(0, f'{problem} `/cocreate steps "{name}"` shows it meanwhile; it is posted on the next change.')
    where = f"its checklist is in <#{pending.channel_id}>" if not problem else "its steps are saved"
    return ephemeral(" ".join([f"Outreach to *{name}* started; {where}.", *notes]))


def create_outreach_channel(client: WebClient, request: Request, org: str) -> tuple[str, list[str]]:
    """The dedicated channel for the first contact, with the account team and whoever started it invited; returns
    (its id, what couldn't be done). Nothing is saved yet: a channel Slack won't create is a UserError."""
    with unit_of_work() as session:
        prospect = service.prospect_named(session, team_id=request.team_id, name=org)
        service.check_not_started(prospect)  # no channel for outreach that won't start
        name = service.outreach_channel_name(prospect.name)
        people = [uid for uid in (prospect.csm_id, prospect.ae_id, prospect.sa_id, request.user_id) if uid]
    try:
        created = client.conversations_create(name=name)["channel"]["id"]
    except SLACK_FAILURES as error:
        code = error.response.get("error") if isinstance(error, SlackApiError) else "no answer"
        if code == "name_taken":
            raise UserError(
                f"A channel named `#{name}` already exists.", f'Use it: `/cocreate start "{escape(org)}" in #{name}`.'
            ) from error
        raise UserError(
            f"I couldn't create `#{name}`: Slack said `{escape(str(code))}`. Nothing was saved.",
            f'Create a channel yourself and use it: `/cocreate start "{escape(org)}" in #channel`.',
        ) from error
    try:
        client.conversations_invite(channel=created, users=",".join(dict.fromkeys(people)))
    except SLACK_FAILURES as error:
        log.warning("conversations.invite failed for %s: %s", created, type(error).__name__)
        return created, [f"I couldn't invite the account team to <#{created}>; invite them there yourself."]
    return created, []


@dataclass(frozen=True, slots=True)
class Redraw:
    """A prospect's checklist message as its rows stood at the commit, to post or update once the commit is done."""

    prospect_id: int
    channel_id: str
    ts: str | None  # None: not posted yet
    message: Message


def _checklist(prospect: Prospect, today: date) -> Message:
    return cocreate_blocks.outreach_checklist(prospect, today=today, resources=_resources(prospect))


def checklist_redraw(prospect: Prospect, *, today: date) -> Redraw | None:
    """Inside the unit of work: the checklist message to update (or to post, when its first post failed)."""
    if prospect.checklist_channel_id and prospect.checklist_ts:
        return Redraw(prospect.id, prospect.checklist_channel_id, prospect.checklist_ts, _checklist(prospect, today))
    session = object_session(prospect)
    if prospect.steps and session is not None:
        where = prospect.outreach_channel_id or service.program_of(session, team_id=prospect.team_id).channel_id
        return Redraw(prospect.id, where, None, _checklist(prospect, today))
    return None


def redraw(client: WebClient, pending: Redraw | None) -> str:
    """After the commit: update the checklist in place (or post it and remember where); '' when done, else what
    didn't happen and the fix. The change it shows stays saved either way."""
    if pending is None:
        return ""
    text, blocks = pending.message["text"], pending.message["blocks"]
    try:
        if pending.ts is not None:
            client.chat_update(channel=pending.channel_id, ts=pending.ts, text=text, blocks=blocks)
            return ""
        posted = client.chat_postMessage(channel=pending.channel_id, text=text, blocks=blocks)
    except SLACK_FAILURES as error:
        log.warning("checklist of prospect %s not shown: %s", pending.prospect_id, type(error).__name__)
        note = slack_failure_note(error, channel_id=pending.channel_id)
        return note.replace("I couldn't post", "I couldn't show its checklist", 1)
    with unit_of_work() as session:
        prospect = session.get(Prospect, pending.prospect_id)
        if prospect is not None:
            service.set_checklist_message(prospect, channel_id=posted["channel"], ts=posted["ts"])
    return ""


def run_step(parsed: cocreate_commands.ChangeStep, request: Request, client: WebClient) -> Message:
    with unit_of_work() as session:
        prospect = service.prospect_named(session, team_id=request.team_id, name=parsed.org)
        step = service.step_of(prospect, str(STEP_FOR_KEY[parsed.step_key]))
        service.change_step(
            session,
            actor=request.actor,
            step=step,
            action=str(parsed.action),
            today=request.today,
            now=request.now,
            reason=parsed.reason,
            due_on=parsed.due_on,
            owner_id=parsed.owner_id,
            timezone=request.timezone,
        )
        line = cocreate_blocks.step_line(step.position + 1, step, request.today)
        pending = checklist_redraw(prospect, today=request.today)
    return ephemeral(_saved(f"Updated: {line}", redraw(client, pending)))


def _saved(what: str, problem: str) -> str:
    """The reply after a commit: what was saved, then what didn't happen and its fix, if anything."""
    return f"{what.rstrip('.')}. {problem}" if problem else what


def run_steps(parsed: cocreate_commands.ShowSteps, request: Request, _client: WebClient) -> Message:
    if not parsed.org:
        with unit_of_work() as session:
            mine = service.open_steps_of(session, team_id=request.team_id, user_id=request.user_id)
            return cocreate_blocks.my_steps_message(mine, today=request.today)
    with unit_of_work() as session:
        prospect = service.prospect_named(session, team_id=request.team_id, name=parsed.org)
        service.step_of(prospect, str(STEP_FOR_KEY["contact"]))  # outreach must have started
        checklist = cocreate_blocks.outreach_checklist(prospect, today=request.today)
        return {**checklist, "response_type": "ephemeral"}


def _resources(prospect: Any) -> list[dict[str, str]]:
    session = object_session(prospect)
    return service.program_of(session, team_id=prospect.team_id).resources if session is not None else []


def run_contribution(parsed: cocreate_commands.RecordContribution, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        prospect = service.prospect_named(session, team_id=request.team_id, name=parsed.org)
        service.record_contribution(
            session,
            team_id=request.team_id,
            actor=request.actor,
            prospect=prospect,
            kind=str(parsed.kind),
            url=parsed.url,
            on=request.today,
            now=request.now,
        )
        metrics = service.contribution_metrics(session, team_id=request.team_id)
        return cocreate_blocks.contributions_message(prospect.name, metrics)


def run_resources(_parsed: Any, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        return cocreate_blocks.resources_message(service.program_of(session, team_id=request.team_id).resources)


def run_add_resource(parsed: cocreate_commands.AddResource, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        resources = service.add_resource(
            session, team_id=request.team_id, actor=request.actor, label=parsed.label, url=parsed.url, now=request.now
        )
        return cocreate_blocks.resources_message(resources)


def run_remove_resource(parsed: cocreate_commands.RemoveResource, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        resources = service.remove_resource(
            session, team_id=request.team_id, actor=request.actor, number=parsed.n, now=request.now
        )
        return cocreate_blocks.resources_message(resources)


def _button_request(body: dict[str, Any], context: BoltContext, client: WebClient) -> Request:
    channel = (body.get("container") or {}).get("channel_id") or ""
    return slack_request(
        client, team_id=context.team_id or body["team"]["id"], user_id=body["user"]["id"], channel_id=channel
    )


def _step_id(action: dict[str, Any]) -> int:
    return row_id(action.get("value") or str(action.get("block_id", "")).removeprefix(ids.COCREATE_STEP_ROW))


CONTROL_ACTIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    ids.COCREATE_STEP_DONE: lambda action: {"action": "done"},
    ids.COCREATE_STEP_REOPEN: lambda action: {"action": "reopen"},
    ids.COCREATE_STEP_DUE: lambda action: {"action": "due", "due_on": picked_date(action.get("selected_date"))},
    ids.COCREATE_STEP_REASSIGN: lambda action: {
        "action": "reassign",
        "owner_id": picked_user(action.get("selected_user")),
    },
}


@answers_user_errors_after_ack
def on_step_control(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Done, reopen, a new date or a new owner, from the checklist message or App Home; it redraws in place after the
    commit. The second of two presses at once is told what the first did (a UserError: nothing changes)."""
    request = _button_request(body, context, client)
    action = body["actions"][0]
    on_home = (body.get("container") or {}).get("type") == "view"  # App Home: no response_url to answer through
    try:
        with unit_of_work() as session:
            step = service.step_by_id(session, team_id=request.team_id, step_id=_step_id(action))
            service.change_step(
                session,
                actor=request.actor,
                step=step,
                today=request.today,
                now=request.now,
                timezone=request.timezone,
                **CONTROL_ACTIONS[action["action_id"]](action),
            )
            line = cocreate_blocks.step_line(step.position + 1, step, request.today)
            pending = checklist_redraw(step.prospect, today=request.today)
    except UserError:
        if on_home:  # Home redrawn shows how the step stands; the refusal itself reaches them by DM (answer_press)
            _publish_home(client, request)
        raise
    problem = redraw(client, pending)
    if problem and not on_home:
        respond(**ephemeral(_saved(f"Saved: {line}", problem)), replace_original=False)
    if on_home:
        _publish_home(client, request)


def _publish_home(client: WebClient, request: SlackRequest) -> None:
    from handlers.home import publish_home

    publish_home(client, team_id=request.team_id, user_id=request.user_id)


@answers_user_errors_after_ack
def on_step_skip_button(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    """Skipping needs a reason: open the form (checking first that the clicker may change the step)."""
    request = _button_request(body, context, client)
    with unit_of_work() as session:
        step = service.step_by_id(session, team_id=request.team_id, step_id=_step_id(body["actions"][0]))
        service.check_may_change_step(session, actor=request.actor, step=step)
        view = cocreate_blocks.skip_modal(step)
    client.views_open(trigger_id=body["trigger_id"], view=view)


@answers_user_errors_in_modal
def on_skip_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Skip the step with the reason given; after the commit the checklist redraws in place (when it can't, the form
    says what was saved and what didn't happen)."""
    step_id, reason = cocreate_blocks.read_skip_modal(view)
    request = slack_request(
        client, team_id=context.team_id or body["team"]["id"], user_id=body["user"]["id"], channel_id=""
    )
    with unit_of_work() as session:
        step = service.step_by_id(session, team_id=request.team_id, step_id=step_id)
        service.change_step(
            session,
            actor=request.actor,
            step=step,
            action="skip",
            reason=reason,
            today=request.today,
            now=request.now,
            timezone=request.timezone,
        )
        line = cocreate_blocks.step_line(step.position + 1, step, request.today)
        pending = checklist_redraw(step.prospect, today=request.today)
    problem = redraw(client, pending)
    if problem:
        notice = cocreate_blocks.notice_modal("Step skipped", _saved(f"Saved: {line}", problem))
        ack(response_action="update", view=notice)
        return
    ack()


def run_pipeline(parsed: cocreate_commands.ShowPipeline, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        view = service.pipeline_of(
            session, team_id=request.team_id, today=request.today, quarter_label=parsed.quarter_label
        )
        return cocreate_blocks.pipeline_message(
            view.funnel, today=request.today, next_prospects=view.next_up, has_prospects=view.has_prospects
        )


def run_meeting(parsed: cocreate_commands.SetMeeting, request: Request, client: WebClient) -> Message:
    with unit_of_work() as session:
        prospect = service.prospect_named(session, team_id=request.team_id, name=parsed.org)
        service.set_meeting(
            session,
            actor=request.actor,
            prospect=prospect,
            on=parsed.on,
            attendee_ids=list(parsed.attendee_ids),
            now=request.now,
        )
        said = f"Alignment meeting with *{escape(prospect.name)}* on {parsed.on:%a %-d %b %Y}."
        pending = checklist_redraw(prospect, today=request.today)
    return ephemeral(_saved(said, redraw(client, pending)))


def run_outcome(parsed: cocreate_commands.SetOutcome, request: Request, client: WebClient) -> Message:
    with unit_of_work() as session:
        prospect = service.prospect_named(session, team_id=request.team_id, name=parsed.org)
        service.set_outcome(
            session,
            actor=request.actor,
            prospect=prospect,
            outcome=str(parsed.outcome),
            reason=parsed.reason,
            revisit_on=parsed.revisit_on,
            today=request.today,
            now=request.now,
        )
        said = f"*{escape(prospect.name)}*: {escape(str(parsed.outcome))}."
        pending = checklist_redraw(prospect, today=request.today)
    return ephemeral(_saved(said, redraw(client, pending)))


def run_top(parsed: cocreate_commands.ShowTop, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        return cocreate_blocks.top_message(prospects.top(session, team_id=request.team_id, n=parsed.n))


def run_set_scores(parsed: cocreate_commands.SetScores, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        prospect = service.prospect_named(session, team_id=request.team_id, name=parsed.org)
        scores = {CRITERION_FOR_KEY[key]: value for key, value in parsed.scores}
        prospects.set_scores(
            session, team_id=request.team_id, actor=request.actor, prospect=prospect, scores=scores, now=request.now
        )
        return _score_reply(session, prospect)


def _score_reply(session: Session, prospect: Prospect) -> Message:
    """The prospect's total (saying when it is partial), and its tier, under the program's weights."""
    weights = prospects.weights_of(service.program_of(session, team_id=prospect.team_id))
    return cocreate_blocks.prospect_score_reply(
        prospect.name,
        prospects.score_of(prospect, weights),
        prospects.tier_of(prospect),
        scored=prospects.scored_of(prospect),
    )


def run_override_tier(parsed: Any, request: Request, _client: WebClient) -> Message:
    tier, reason = getattr(parsed, "tier", None), getattr(parsed, "reason", None)
    with unit_of_work() as session:
        prospect = service.prospect_named(session, team_id=request.team_id, name=parsed.org)
        result = prospects.override_tier(
            session,
            team_id=request.team_id,
            actor=request.actor,
            prospect=prospect,
            tier=tier,
            reason=reason,
            now=request.now,
        )
        return ephemeral(
            f"*{escape(prospect.name)}* is tier {int(result)}"
            + (" (set by hand)." if tier is not None else " (computed from its fields).")
        )


def run_weights(parsed: Any, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        if isinstance(parsed, cocreate_commands.SetWeights):
            prospects.set_weights(
                session,
                team_id=request.team_id,
                actor=request.actor,
                weights={str(CRITERION_FOR_KEY[k]): w for k, w in parsed.weights},
                now=request.now,
            )
        program = service.program_of(session, team_id=request.team_id)
        return cocreate_blocks.weights_message(prospects.weights_of(program))


def run_targets(parsed: Any, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        if isinstance(parsed, cocreate_commands.SetTargets):
            prospects.set_targets(
                session,
                team_id=request.team_id,
                actor=request.actor,
                now=request.now,
                projects=parsed.projects,
                multiple=parsed.multiple,
                conversion_percent=parsed.conversion,
                weeks_min=parsed.weeks_min,
                weeks_max=parsed.weeks_max,
            )
        program = service.program_of(session, team_id=request.team_id)
        return cocreate_blocks.targets_message(service.targets_of(program))


def run_score_form(parsed: cocreate_commands.OpenScoreModal, request: Request, client: WebClient) -> Message:
    with unit_of_work() as session:
        view = cocreate_blocks.score_modal(service.prospect_named(session, team_id=request.team_id, name=parsed.org))
    client.views_open(trigger_id=request.trigger_id, view=view)
    return {}


@answers_user_errors_in_modal
def on_score_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Save the scores picked; anyone may score."""
    request = slack_request(
        client, team_id=context.team_id or body["team"]["id"], user_id=body["user"]["id"], channel_id=""
    )
    with unit_of_work() as session:
        prospect = session.get(Prospect, row_id(view.get("private_metadata")))
        if prospect is None or prospect.team_id != request.team_id:
            raise UserError("That prospect is gone.")
        prospects.set_scores(
            session,
            team_id=request.team_id,
            actor=request.actor,
            prospect=prospect,
            scores=cocreate_blocks.read_scores(view),
            now=request.now,
        )
        reply = _score_reply(session, prospect)
        name = prospect.name
    confirm_in_dm(ack, client, user_id=request.user_id, reply=reply, saved=f"Saved *{escape(name)}*.")


@answers_user_errors_in_modal
def on_prospect_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Save the prospect with every field given; problems show under their field."""
    fields = cocreate_blocks.read_prospect_modal(view)
    request = slack_request(
        client, team_id=context.team_id or body["team"]["id"], user_id=body["user"]["id"], channel_id=""
    )
    with unit_of_work() as session:
        prospect = service.add_prospect(
            session, team_id=request.team_id, actor=request.actor, name=fields["name"], now=request.now
        )
        prospects.set_profile(
            session,
            team_id=request.team_id,
            actor=request.actor,
            prospect=prospect,
            now=request.now,
            subscription=fields["subscription"],
            seats=fields["seats"],
            industry=fields["industry"],
            tech_stack_overlap=fields["tech_stack_overlap"],
            csm_id=fields["csm_id"],
            ae_id=fields["ae_id"],
            sa_id=fields["sa_id"],
        )
        if fields["scores"]:
            prospects.set_scores(
                session,
                team_id=request.team_id,
                actor=request.actor,
                prospect=prospect,
                scores=fields["scores"],
                now=request.now,
            )
        reply = _score_reply(session, prospect)
        name = prospect.name
    confirm_in_dm(ack, client, user_id=request.user_id, reply=reply, saved=f"Saved *{escape(name)}*.")


def confirm_in_dm(ack: Ack, client: WebClient, *, user_id: str, reply: Message, saved: str) -> None:
    """After a form's commit: the confirmation goes to the person's DM and the form closes; when Slack won't take the
    DM, the form shows what was saved and what didn't happen instead (so nobody submits it again)."""
    try:
        client.chat_postMessage(channel=user_id, text=reply["text"], blocks=reply["blocks"])
    except SLACK_FAILURES as error:
        log.warning("form confirmation not posted: %s", type(error).__name__)
        note = slack_failure_note(error, channel_id=None).replace("I couldn't post there", "I couldn't DM you", 1)
        ack(response_action="update", view=cocreate_blocks.notice_modal("Saved", f"{saved} {note}"))
        return
    ack()


RUNNERS: dict[type, Callable[[Any, Request, WebClient], Message]] = {
    cocreate_commands.OpenScoreModal: run_score_form,
    cocreate_commands.ShowTop: run_top,
    cocreate_commands.SetScores: run_set_scores,
    cocreate_commands.OverrideTier: run_override_tier,
    cocreate_commands.ClearTierOverride: run_override_tier,
    cocreate_commands.ShowWeights: run_weights,
    cocreate_commands.SetWeights: run_weights,
    cocreate_commands.ShowTargets: run_targets,
    cocreate_commands.SetTargets: run_targets,
    cocreate_commands.RecordContribution: run_contribution,
    cocreate_commands.ShowResources: run_resources,
    cocreate_commands.AddResource: run_add_resource,
    cocreate_commands.RemoveResource: run_remove_resource,
    cocreate_commands.ShowPipeline: run_pipeline,
    cocreate_commands.SetMeeting: run_meeting,
    cocreate_commands.SetOutcome: run_outcome,
    cocreate_commands.ShowHelp: run_help,
    cocreate_commands.Setup: run_setup,
    cocreate_commands.OpenProspectModal: run_add,
    cocreate_commands.StartOutreach: run_start,
    cocreate_commands.ChangeStep: run_step,
    cocreate_commands.ShowSteps: run_steps,
}
