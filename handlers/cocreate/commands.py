"""/cocreate: parse the text, run the subcommand, reply after the commit. The prospect-scoring subcommands are in
`scoring`; the checklist a change redraws is in `checklist`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.common import Message, ephemeral
from bot.cocreate import commands as cocreate_commands
from bot.cocreate import pipeline, service
from bot.cocreate.blocks import help as help_blocks
from bot.cocreate.blocks import modals
from bot.cocreate.blocks import pipeline as pipeline_blocks
from bot.cocreate.blocks import steps as step_blocks
from bot.cocreate.commands import STEP_FOR_KEY
from bot.db import unit_of_work
from bot.errors import UserError
from bot.text import escape
from handlers.cocreate import scoring
from handlers.cocreate.checklist import (
    SLACK_FAILURES,
    Redraw,
    change_step,
    checklist_message,
    checklist_redraw,
    log,
    redraw,
    saved_reply,
)
from handlers.context import SlackRequest, command_request
from handlers.membership import check_member
from handlers.replies import answers_user_errors


def register(app: App) -> None:
    """Wire /cocreate."""
    app.command("/cocreate")(on_cocreate_command)


@answers_user_errors
def on_cocreate_command(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Parse and run; replies after the commit. The checklist itself is a channel message kept up to date."""
    request, fiscal_start = command_request(command, context.team_id, client)
    parsed = cocreate_commands.parse_cocreate_command(
        command.get("text", ""), today=request.today, fiscal_start_month=fiscal_start
    )
    ack(**RUNNERS[type(parsed)](parsed, request, client))


def run_help(_parsed: Any, _request: SlackRequest, _client: WebClient) -> Message:
    return help_blocks.cocreate_help()


def run_setup(parsed: cocreate_commands.Setup, request: SlackRequest, client: WebClient) -> Message:
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


def run_add(parsed: cocreate_commands.OpenProspectModal, request: SlackRequest, client: WebClient) -> Message:
    with unit_of_work() as session:
        service.program_of(session, team_id=request.team_id)  # set up first, or say how
    client.views_open(trigger_id=request.trigger_id, view=modals.prospect_modal(parsed.org))
    return {}


def run_start(parsed: cocreate_commands.StartOutreach, request: SlackRequest, client: WebClient) -> Message:
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
        pending = Redraw(
            prospect.id, channel_id or program.channel_id, None, checklist_message(prospect, request.today)
        )
    name = escape(parsed.org)
    problem = redraw(client, pending)
    if problem:
        notes.insert(0, f'{problem} `/cocreate steps "{name}"` shows it meanwhile; it is posted on the next change.')
    where = f"its checklist is in <#{pending.channel_id}>" if not problem else "its steps are saved"
    return ephemeral(" ".join([f"Outreach to *{name}* started; {where}.", *notes]))


def create_outreach_channel(client: WebClient, request: SlackRequest, org: str) -> tuple[str, list[str]]:
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


def run_step(parsed: cocreate_commands.ChangeStep, request: SlackRequest, client: WebClient) -> Message:
    with unit_of_work() as session:
        prospect = service.prospect_named(session, team_id=request.team_id, name=parsed.org)
        step = service.step_of(prospect, str(STEP_FOR_KEY[parsed.step_key]))
        line, pending = change_step(
            session,
            request,
            step,
            action=str(parsed.action),
            reason=parsed.reason,
            due_on=parsed.due_on,
            owner_id=parsed.owner_id,
        )
    return ephemeral(saved_reply(f"Updated: {line}", redraw(client, pending)))


def run_steps(parsed: cocreate_commands.ShowSteps, request: SlackRequest, _client: WebClient) -> Message:
    if not parsed.org:
        with unit_of_work() as session:
            mine = service.open_steps_of(session, team_id=request.team_id, user_id=request.user_id)
            return step_blocks.my_steps_message(mine, today=request.today)
    with unit_of_work() as session:
        prospect = service.prospect_named(session, team_id=request.team_id, name=parsed.org)
        service.step_of(prospect, str(STEP_FOR_KEY["contact"]))  # outreach must have started
        checklist = step_blocks.outreach_checklist(prospect, today=request.today)
        return {**checklist, "response_type": "ephemeral"}


def run_contribution(
    parsed: cocreate_commands.RecordContribution, request: SlackRequest, _client: WebClient
) -> Message:
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
        return pipeline_blocks.contributions_message(prospect.name, metrics)


def run_resources(_parsed: Any, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        return step_blocks.resources_message(service.program_of(session, team_id=request.team_id).resources)


def run_add_resource(parsed: cocreate_commands.AddResource, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        resources = service.add_resource(
            session, team_id=request.team_id, actor=request.actor, label=parsed.label, url=parsed.url, now=request.now
        )
        return step_blocks.resources_message(resources)


def run_remove_resource(parsed: cocreate_commands.RemoveResource, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        resources = service.remove_resource(
            session, team_id=request.team_id, actor=request.actor, number=parsed.n, now=request.now
        )
        return step_blocks.resources_message(resources)


def run_pipeline(parsed: cocreate_commands.ShowPipeline, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        view = pipeline.pipeline_of(
            session, team_id=request.team_id, today=request.today, quarter_label=parsed.quarter_label
        )
        return pipeline_blocks.pipeline_message(
            view.funnel, today=request.today, next_prospects=view.next_up, has_prospects=view.has_prospects
        )


def run_meeting(parsed: cocreate_commands.SetMeeting, request: SlackRequest, client: WebClient) -> Message:
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
    return ephemeral(saved_reply(said, redraw(client, pending)))


def run_outcome(parsed: cocreate_commands.SetOutcome, request: SlackRequest, client: WebClient) -> Message:
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
    return ephemeral(saved_reply(said, redraw(client, pending)))


RUNNERS: dict[type, Callable[[Any, SlackRequest, WebClient], Message]] = {
    cocreate_commands.OpenScoreModal: scoring.run_score_form,
    cocreate_commands.ShowTop: scoring.run_top,
    cocreate_commands.SetScores: scoring.run_set_scores,
    cocreate_commands.OverrideTier: scoring.run_override_tier,
    cocreate_commands.ClearTierOverride: scoring.run_override_tier,
    cocreate_commands.ShowWeights: scoring.run_weights,
    cocreate_commands.SetWeights: scoring.run_weights,
    cocreate_commands.ShowTargets: scoring.run_targets,
    cocreate_commands.SetTargets: scoring.run_targets,
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
