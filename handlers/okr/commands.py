"""/okr: parse the text, run it in one unit of work, reply after the commit."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.common import Message, ephemeral
from bot.db import unit_of_work
from bot.okrs import commands as okr_commands
from bot.okrs import rules, service
from bot.okrs.blocks import help as help_blocks
from bot.okrs.blocks import importing as importing_blocks
from bot.okrs.blocks import owners as owners_blocks
from bot.okrs.blocks import scoring as scoring_blocks
from bot.okrs.blocks import tree as tree_blocks
from bot.okrs.blocks import tries as tries_blocks
from handlers.context import SlackRequest, command_request
from handlers.membership import check_member
from handlers.okr.shared import quarter_named, retro_view, save_score
from handlers.replies import answers_user_errors


def register(app: App) -> None:
    """Wire /okr."""
    app.command("/okr")(on_okr_command)


@answers_user_errors
def on_okr_command(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Parse the text and run it; the reply is acked once the change is committed."""
    request, fiscal_start = command_request(command, context.team_id, client)
    parsed = okr_commands.parse_okr_command(
        command.get("text", ""), today=request.today, fiscal_start_month=fiscal_start
    )
    if not isinstance(parsed, okr_commands.ShowOkrHelp | okr_commands.SetupOkrs):
        with unit_of_work() as session:
            service.program_of(session, team_id=request.team_id)  # everything else needs the program set up
    ack(**RUNNERS[type(parsed)](parsed, request, client))


def run_help(_parsed: Any, _request: SlackRequest, _client: WebClient) -> Message:
    return help_blocks.okr_help(okr_commands.HELP_LINES)


def run_setup(parsed: okr_commands.SetupOkrs, request: SlackRequest, client: WebClient) -> Message:
    # Asked of Slack before anything is written: the digest goes only where its manager is a member.
    check_member(client, channel_id=parsed.channel_id, user_id=request.user_id, typed_in=request.channel_id)
    with unit_of_work() as session:
        program, created = service.setup_program(
            session,
            team_id=request.team_id,
            actor=request.actor,
            channel_id=parsed.channel_id,
            timezone=parsed.timezone or request.timezone,
            now=request.now,
        )
        what = "set up" if created else "updated"
        return ephemeral(
            f":white_check_mark: OKRs {what}: the end-of-quarter digest goes to <#{program.channel_id}>, reminders "
            f"keep {program.timezone} time, and <@{program.manager_id}> manages them. Next: `/okr import`."
        )


def run_import(parsed: okr_commands.OpenImport, request: SlackRequest, client: WebClient) -> Message:
    metadata = json.dumps({"channel": request.channel_id})
    client.views_open(
        trigger_id=request.trigger_id,
        view=importing_blocks.import_modal(quarter=parsed.quarter, private_metadata=metadata),
    )
    return {}


def run_quarters(_parsed: Any, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        rows = []
        for quarter in service.quarters_of(session, team_id=request.team_id):
            counts = service.counts_of(session, quarter=quarter)
            rows.append((service.span_of(quarter), counts.objectives, counts.key_results, counts.scored))
        return owners_blocks.quarters_message(rows)


def run_tree(parsed: okr_commands.ShowTree, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        quarter = quarter_named(session, request, parsed.quarter)
        tree = service.tree_of(session, quarter=quarter, only=parsed.objective)
        return tree_blocks.tree_message(service.span_of(quarter), tree, only=parsed.objective)


def run_mine(parsed: okr_commands.ShowMine, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        quarter = quarter_named(session, request, parsed.quarter)
        rows = service.key_results_of_user(session, team_id=request.team_id, user_id=request.user_id, quarter=quarter)
        return scoring_blocks.mine_message(
            service.span_of(quarter), [service.node_of(row) for row in rows], today=request.today
        )


def run_score(parsed: okr_commands.ScoreKeyResult, request: SlackRequest, _client: WebClient) -> Message:
    return save_score(request, parsed.key_result_id, parsed.score, parsed.comment, parsed.read_as)


def run_history(parsed: okr_commands.ShowScoreHistory, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        row = service.key_result_by_id(session, team_id=request.team_id, key_result_id=parsed.key_result_id)
        entries = [(e.score, e.comment, e.scored_by, e.scored_at) for e in service.score_history(session, row=row)]
        return scoring_blocks.score_history_message(service.node_of(row), entries, timezone=request.timezone)


def run_map_owner(parsed: okr_commands.MapOwner, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        added, users = service.map_owner(
            session,
            team_id=request.team_id,
            actor=request.actor,
            role=parsed.role,
            user_ids=parsed.user_ids,
            now=request.now,
        )
        role = rules.check_role(parsed.role)
        check = service.check_role_named(session, team_id=request.team_id, role=role)
    return owners_blocks.owner_mapped_reply(role, users, added=bool(added), check=check, people=parsed.people)


def run_unmap_owner(parsed: okr_commands.UnmapOwner, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        users = service.unmap_owner(
            session,
            team_id=request.team_id,
            actor=request.actor,
            role=parsed.role,
            user_ids=parsed.user_ids,
            now=request.now,
        )
    left = ", ".join(f"<@{u}>" for u in users) or "no one"
    return ephemeral(f":white_check_mark: Done: that role is now held by {left}.")


def run_owners(parsed: okr_commands.ShowOwners, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        quarter = service.quarter_if_any(session, team_id=request.team_id, label=parsed.quarter, today=request.today)
        mapped, missing = service.owners_overview(session, team_id=request.team_id, quarter=quarter)
        return owners_blocks.owners_message(mapped, missing, quarter_label=quarter.label if quarter else None)


def run_retro(parsed: okr_commands.OpenRetro, request: SlackRequest, client: WebClient) -> Message:
    with unit_of_work() as session:
        quarter = quarter_named(session, request, parsed.quarter)
        team = (
            service.retro_team_named(session, team_id=request.team_id, quarter=quarter, typed=parsed.team)
            if parsed.team
            else None
        )
        view = retro_view(session, request, quarter, team.name if team else None, {}, team.new_beside if team else ())
    client.views_open(trigger_id=request.trigger_id, view=view)
    return {}


def run_try(parsed: okr_commands.TryToActionItem, request: SlackRequest, _client: WebClient) -> Message:
    with unit_of_work() as session:
        item = service.try_to_action_item(
            session,
            team_id=request.team_id,
            actor=request.actor,
            item_id=parsed.retro_item_id,
            owner_id=parsed.owner_id,
            due_on=parsed.due_on,
            now=request.now,
            today=request.today,
        )
        return tries_blocks.try_done_reply(item, today=request.today)


RUNNERS: dict[type, Callable[[Any, SlackRequest, WebClient], Message]] = {
    okr_commands.ShowOkrHelp: run_help,
    okr_commands.SetupOkrs: run_setup,
    okr_commands.OpenImport: run_import,
    okr_commands.ListQuarters: run_quarters,
    okr_commands.ShowTree: run_tree,
    okr_commands.ShowMine: run_mine,
    okr_commands.ScoreKeyResult: run_score,
    okr_commands.ShowScoreHistory: run_history,
    okr_commands.MapOwner: run_map_owner,
    okr_commands.UnmapOwner: run_unmap_owner,
    okr_commands.ShowOwners: run_owners,
    okr_commands.OpenRetro: run_retro,
    okr_commands.TryToActionItem: run_try,
}
