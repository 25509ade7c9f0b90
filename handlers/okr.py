"""/okr: quarterly OKRs. Parse, run in one unit of work, reply after the commit; Score buttons and forms, the
retrospective form and TRY lines made action items."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.common import Message, ephemeral
from bot.db import unit_of_work
from bot.errors import UserError
from bot.handbook.report import ImportReport
from bot.okrs import commands as okr_commands
from bot.okrs import ids as okr_ids
from bot.okrs import page as okr_page
from bot.okrs import rules, service
from bot.okrs.blocks import help as help_blocks
from bot.okrs.blocks import importing as importing_blocks
from bot.okrs.blocks import owners as owners_blocks
from bot.okrs.blocks import pieces as pieces_blocks
from bot.okrs.blocks import retro as retro_blocks
from bot.okrs.blocks import scoring as scoring_blocks
from bot.okrs.blocks import tree as tree_blocks
from bot.okrs.blocks import tries as tries_blocks
from handlers.context import SlackRequest, attached_text, command_request, slack_request
from handlers.membership import check_member
from handlers.payload import metadata_of, row_id, text_value
from handlers.replies import (
    answers_user_errors,
    answers_user_errors_after_ack,
    answers_user_errors_in_modal,
    slack_failure_note,
)
from models import OkrQuarter, RetroKind

Request = SlackRequest
SLACK_FAILURES = (SlackApiError, OSError)  # Slack said no, or didn't answer (timeouts are OSErrors)


def register(app: App) -> None:
    """Wire /okr, its buttons and its forms."""
    app.command("/okr")(on_okr_command)
    app.action(okr_ids.OKR_SCORE_OPEN)(on_score_button)
    app.action(okr_ids.OKR_TREE_MORE)(on_tree_toggle)
    app.action(okr_ids.OKR_TREE_LESS)(on_tree_toggle)
    app.action(okr_ids.OKR_TREE_OPEN)(on_tree_toggle)
    app.action(okr_ids.OKR_TREE_CLOSE)(on_tree_toggle)
    app.action(okr_ids.OKR_RETRO_OPEN)(on_retro_button)
    app.action(okr_ids.OKR_RETRO_EDIT)(on_retro_button)
    app.action(okr_ids.OKR_TRY_OPEN)(on_try_button)
    app.view(okr_ids.OKR_SCORE_MODAL)(on_score_submit)
    app.view(okr_ids.OKR_IMPORT_MODAL)(on_import_submit)
    app.view(okr_ids.OKR_RETRO_MODAL)(on_retro_submit)
    app.view(okr_ids.OKR_TRY_MODAL)(on_try_submit)


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


def _quarter(session: Any, request: Request, label: str | None) -> OkrQuarter:
    return service.quarter_named(session, team_id=request.team_id, label=label, today=request.today)


def run_help(_parsed: Any, _request: Request, _client: WebClient) -> Message:
    return help_blocks.okr_help(okr_commands.HELP_LINES)


def run_setup(parsed: okr_commands.SetupOkrs, request: Request, client: WebClient) -> Message:
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


def run_import(parsed: okr_commands.OpenImport, request: Request, client: WebClient) -> Message:
    metadata = json.dumps({"channel": request.channel_id})
    client.views_open(
        trigger_id=request.trigger_id,
        view=importing_blocks.import_modal(quarter=parsed.quarter, private_metadata=metadata),
    )
    return {}


def run_quarters(_parsed: Any, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        rows = []
        for quarter in service.quarters_of(session, team_id=request.team_id):
            counts = service.counts_of(session, quarter=quarter)
            rows.append((service.span_of(quarter), counts.objectives, counts.key_results, counts.scored))
        return owners_blocks.quarters_message(rows)


def run_tree(parsed: okr_commands.ShowTree, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        quarter = _quarter(session, request, parsed.quarter)
        tree = service.tree_of(session, quarter=quarter, only=parsed.objective)
        return tree_blocks.tree_message(service.span_of(quarter), tree, only=parsed.objective)


def run_mine(parsed: okr_commands.ShowMine, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        quarter = _quarter(session, request, parsed.quarter)
        rows = service.key_results_of_user(session, team_id=request.team_id, user_id=request.user_id, quarter=quarter)
        return scoring_blocks.mine_message(
            service.span_of(quarter), [service.node_of(row) for row in rows], today=request.today
        )


def _score(
    request: Request, key_result_id: int, score: float, comment: str | None, read_as: str | None = None
) -> Message:
    with unit_of_work() as session:
        row, previous = service.score_key_result(
            session,
            team_id=request.team_id,
            actor=request.actor,
            key_result_id=key_result_id,
            score=score,
            comment=comment,
            now=request.now,
        )
        return scoring_blocks.score_saved_reply(service.node_of(row), previous=previous, read_as=read_as)


def run_score(parsed: okr_commands.ScoreKeyResult, request: Request, _client: WebClient) -> Message:
    return _score(request, parsed.key_result_id, parsed.score, parsed.comment, parsed.read_as)


def run_history(parsed: okr_commands.ShowScoreHistory, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        row = service.key_result_by_id(session, team_id=request.team_id, key_result_id=parsed.key_result_id)
        entries = [(e.score, e.comment, e.scored_by, e.scored_at) for e in service.score_history(session, row=row)]
        return scoring_blocks.score_history_message(service.node_of(row), entries, timezone=request.timezone)


def run_map_owner(parsed: okr_commands.MapOwner, request: Request, _client: WebClient) -> Message:
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


def run_unmap_owner(parsed: okr_commands.UnmapOwner, request: Request, _client: WebClient) -> Message:
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


def run_owners(parsed: okr_commands.ShowOwners, request: Request, _client: WebClient) -> Message:
    with unit_of_work() as session:
        quarter = service.quarter_if_any(session, team_id=request.team_id, label=parsed.quarter, today=request.today)
        mapped, missing = service.owners_overview(session, team_id=request.team_id, quarter=quarter)
        return owners_blocks.owners_message(mapped, missing, quarter_label=quarter.label if quarter else None)


def _retro_view(
    session: Any, request: Request, quarter: OkrQuarter, team: str | None, origin: dict, new_beside: tuple = ()
) -> dict:
    existing = service.retro_team(session, quarter=quarter, name=team) if team else None
    items = existing.items if existing else []
    # Which save of the team's retro the form shows: saving it checks no one has saved since.
    seen = {"team": existing.name if existing else team, "seen": service.retro_version(existing)} if team else {}
    return retro_blocks.retro_modal(
        quarter_label=quarter.label,
        team=existing.name if existing else team,
        good=[i.text for i in items if i.kind == RetroKind.GOOD],
        bad=[i.text for i in items if i.kind == RetroKind.BAD],
        try_=[i.text for i in items if i.kind == RetroKind.TRY],
        private_metadata=json.dumps({"quarter": quarter.label, **seen, **origin}),
        new_beside=() if existing else new_beside,
    )


def run_retro(parsed: okr_commands.OpenRetro, request: Request, client: WebClient) -> Message:
    with unit_of_work() as session:
        quarter = _quarter(session, request, parsed.quarter)
        team = (
            service.retro_team_named(session, team_id=request.team_id, quarter=quarter, typed=parsed.team)
            if parsed.team
            else None
        )
        view = _retro_view(session, request, quarter, team.name if team else None, {}, team.new_beside if team else ())
    client.views_open(trigger_id=request.trigger_id, view=view)
    return {}


def run_try(parsed: okr_commands.TryToActionItem, request: Request, _client: WebClient) -> Message:
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


RUNNERS: dict[type, Callable[[Any, Request, WebClient], Message]] = {
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


# ---- buttons and forms -------------------------------------------------------------------------------------------


def _body_request(body: dict[str, Any], context: BoltContext, client: WebClient, channel_id: str = "") -> Request:
    channel = channel_id or (body.get("container") or {}).get("channel_id") or ""
    return slack_request(
        client, team_id=context.team_id or body["team"]["id"], user_id=body["user"]["id"], channel_id=channel
    )


def _origin(body: dict[str, Any]) -> dict[str, str]:
    """Where a button was clicked, so a form submitted from it can update that message (or App Home)."""
    container = body.get("container") or {}
    origin = {"channel": container.get("channel_id") or "", "ts": container.get("message_ts") or ""}
    return {**origin, "home": "1"} if container.get("type") == "view" else origin


@answers_user_errors_after_ack
def on_score_button(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Open the score form (checking first that the clicker may score the key result)."""
    request = _body_request(body, context, client)
    with unit_of_work() as session:
        key_result_id = row_id(body["actions"][0].get("value"))
        row = service.key_result_by_id(session, team_id=request.team_id, key_result_id=key_result_id)
        service.check_may_score(session, actor=request.actor, row=row)
        quarter = row.objective.quarter.label
        view = scoring_blocks.score_modal(
            service.node_of(row), quarter_label=quarter, private_metadata=json.dumps({"kr": row.id, **_origin(body)})
        )
    client.views_open(trigger_id=body["trigger_id"], view=view)


@answers_user_errors_in_modal
def on_score_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Save the score and comment; the clicker is told in a DM (a form has no channel to answer in)."""
    metadata = metadata_of(view)
    score_text, comment = scoring_blocks.read_score_modal(view)
    request = _body_request(body, context, client, channel_id=metadata.get("channel", ""))
    try:
        value = rules.read_score(score_text)
    except UserError as error:
        raise UserError(error.problem, error.usage, field=okr_ids.OKR_SCORE_VALUE) from error
    try:
        rules.check_comment(comment)
    except UserError as error:
        raise UserError(error.problem, field=okr_ids.OKR_SCORE_COMMENT) from error
    reply = _score(request, row_id(metadata.get("kr")), value.score, comment, value.note)
    # Saved: from here on a Slack failure only changes what the person is told.
    notes = _tell(client, request.user_id, reply)
    if metadata.get("home"):
        from handlers.home import publish_home

        try:
            publish_home(client, team_id=request.team_id, user_id=request.user_id)
        except SLACK_FAILURES:
            notes.append("App Home didn't refresh; it will the next time you open it.")
    _ack_saved(ack, "Score key result", reply, notes)


def _tell(client: WebClient, user_id: str, reply: Message) -> list[str]:
    """DM the person a form's outcome; returns what didn't happen (a failed DM is shown in the form instead)."""
    try:
        client.chat_postMessage(channel=user_id, text=reply["text"], blocks=reply.get("blocks"))
    except SLACK_FAILURES:
        return ["(I couldn't DM you this.)"]
    return []


def _ack_saved(ack: Ack, title: str, reply: Message, notes: list[str]) -> None:
    """Close the form; when something after the save failed, show in it what was saved and what didn't happen."""
    if not notes:
        ack()
        return
    ack(response_action="update", view=pieces_blocks.saved_modal(title, reply["text"], notes))


@answers_user_errors_after_ack
def on_tree_toggle(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Show more (or less) of one objective's tree, in place of the message clicked."""
    request = _body_request(body, context, client)
    action = body["actions"][0]
    label, _, number = text_value(action).rpartition("|")
    opened, expanded = tree_blocks.tree_toggle(action["action_id"], row_id(number))
    with unit_of_work() as session:
        quarter = _quarter(session, request, label)
        tree = service.tree_of(session, quarter=quarter)
        message = tree_blocks.tree_message(service.span_of(quarter), tree, opened=opened, expanded=expanded)
    respond(**{k: v for k, v in message.items() if k != "response_type"}, replace_original=True)


@answers_user_errors_in_modal
def on_import_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Read the pasted (or attached) page and save its quarter; the importer gets the summary and the import report
    (what was read, kept as written, skipped and to check) in a DM."""
    quarter, pasted, file_ids, replace = importing_blocks.read_import_modal(view)
    text = pasted or "".join(attached_text(client, file_id, field=okr_ids.OKR_IMPORT_FILE) for file_id in file_ids)
    if not text.strip():
        raise UserError("Paste the page, or attach its .md file.", field=okr_ids.OKR_IMPORT_PAGE)
    report = ImportReport()
    try:
        page = okr_page.read_okr_page(text, quarter=quarter, report=report)
    except UserError as error:
        raise UserError(error.problem, error.usage, field=okr_ids.OKR_IMPORT_PAGE) from error
    request = _body_request(body, context, client)
    with unit_of_work() as session:
        try:
            saved = service.import_page(
                session,
                team_id=request.team_id,
                actor=request.actor,
                page=page,
                now=request.now,
                replace=replace,
                report=report,
            )
        except UserError as error:
            raise UserError(error.problem, error.usage, field=okr_ids.OKR_IMPORT_QUARTER) from error
        counts = service.counts_of(session, quarter=saved)
        reply = importing_blocks.import_reply(
            service.span_of(saved),
            objectives=counts.objectives,
            key_results=counts.key_results,
            scored=counts.scored,
            retro_teams=counts.retro_teams,
            replaced=service.was_replaced(session, quarter=saved),
            reminded_as=service.reminded_as(session, quarter=saved),
            report=report.as_mrkdwn(),
        )
    _ack_saved(ack, "Import OKRs", reply, _tell(client, request.user_id, reply))


@answers_user_errors_after_ack
def on_retro_button(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Open the retrospective form for the quarter and team on the button (from the request DM or the retro)."""
    request = _body_request(body, context, client)
    action = body["actions"][0]
    label, _, team = text_value(action).rpartition("|")
    origin = _origin(body)
    if action["action_id"] == okr_ids.OKR_RETRO_EDIT:
        origin["edit"] = "1"  # saving redraws the posted retro in place rather than posting it again
    with unit_of_work() as session:
        quarter = _quarter(session, request, label)
        view = _retro_view(session, request, quarter, team or None, origin)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _retro_message(session: Any, quarter: OkrQuarter, team_name: str, today: Any) -> Message:
    name, lines = service.retro_lines(session, quarter=quarter, name=team_name)
    return retro_blocks.retro_message(quarter_label=quarter.label, team=name, items=lines, today=today)


@answers_user_errors_in_modal
def on_retro_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Save the team's GOOD / BAD / TRY lists, then post (or update) the team's retro message in the OKR channel."""
    metadata = metadata_of(view)
    team, good, bad, try_ = retro_blocks.read_retro_modal(view)
    request = _body_request(body, context, client)
    same_team = "team" in metadata and rules.role_key(metadata["team"] or "") == rules.role_key(team)
    with unit_of_work() as session:
        quarter = _quarter(session, request, str(metadata.get("quarter") or ""))
        try:
            if not same_team:  # a name typed in the form's box: the page's team it means, never a typo's new team
                team = service.retro_team_named(session, team_id=request.team_id, quarter=quarter, typed=team).name
            saved = service.save_retro(
                session,
                team_id=request.team_id,
                actor=request.actor,
                quarter=quarter,
                name=team,
                good=good,
                bad=bad,
                try_=try_,
                now=request.now,
                seen=metadata.get("seen") if same_team else None,
            )
        except rules.RetroListTooLong as error:
            raise UserError(error.problem, error.usage, field=retro_blocks.LIST_FIELDS[error.kind]) from error
        except UserError as error:
            raise UserError(error.problem, error.usage, field=okr_ids.OKR_RETRO_TEAM) from error
        message = _retro_message(session, quarter, saved.name, request.today)
        channel = service.program_of(session, team_id=request.team_id).channel_id
        saved_reply = retro_blocks.retro_saved_reply(
            quarter_label=quarter.label, team=saved.name, counts=(len(good), len(bad), len(try_))
        )
    # Saved: posting it is what can fail now, and that must not undo the save.
    edit = metadata.get("ts") and metadata.get("channel") and metadata.get("edit")
    target = metadata["channel"] if edit else channel
    try:
        if edit:
            client.chat_update(channel=target, ts=metadata["ts"], text=message["text"], blocks=message["blocks"])
        else:
            client.chat_postMessage(channel=target, text=message["text"], blocks=message["blocks"])
    except SLACK_FAILURES as error:
        _ack_saved(ack, "Retrospective", saved_reply, [slack_failure_note(error, channel_id=target)])
        return
    ack()


@answers_user_errors_after_ack
def on_try_button(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient) -> None:
    """Open the form that makes a TRY line an action item."""
    request = _body_request(body, context, client)
    with unit_of_work() as session:
        item_id = row_id(body["actions"][0].get("value"))
        item = service.retro_item_by_id(session, team_id=request.team_id, item_id=item_id)
        service.check_not_made_yet(session, item=item)
        window = rules.try_window(service.span_of(item.retro_team.quarter), request.today)
        view = tries_blocks.try_modal(
            item_id=item.id,
            text=item.text,
            window=window,
            private_metadata=json.dumps({"item": item.id, **_origin(body)}),
        )
    client.views_open(trigger_id=body["trigger_id"], view=view)


@answers_user_errors_in_modal
def on_try_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Make the TRY line an action item; the retro message it came from shows the item."""
    metadata = metadata_of(view)
    text, owner_id, due_on = tries_blocks.read_try_modal(view)
    if owner_id is None:
        raise UserError("Pick who owns the action item.", field=okr_ids.OKR_TRY_OWNER)
    if due_on is None:
        raise UserError("Pick the due date.", field=okr_ids.OKR_TRY_DUE)
    request = _body_request(body, context, client)
    with unit_of_work() as session:
        try:
            action = service.try_to_action_item(
                session,
                team_id=request.team_id,
                actor=request.actor,
                item_id=row_id(metadata.get("item")),
                owner_id=owner_id,
                due_on=due_on,
                now=request.now,
                today=request.today,
                text=text,
            )
        except rules.DueOutsideTryWindow as error:
            raise UserError(error.problem, error.usage, field=okr_ids.OKR_TRY_DUE) from error
        except UserError as error:  # who may, or the line changed meanwhile: shown at the top of the form
            raise UserError(error.problem, error.usage, field=okr_ids.OKR_TRY_TEXT) from error
        item = service.retro_item_by_id(session, team_id=request.team_id, item_id=row_id(metadata.get("item")))
        team = item.retro_team
        message = _retro_message(session, team.quarter, team.name, request.today)
        reply = tries_blocks.try_done_reply(action, today=request.today)
    # Saved: redrawing the retro and the DM can fail now without undoing it.
    notes = []
    if metadata.get("channel") and metadata.get("ts"):
        try:
            client.chat_update(
                channel=metadata["channel"], ts=metadata["ts"], text=message["text"], blocks=message["blocks"]
            )
        except SLACK_FAILURES as error:
            notes.append(slack_failure_note(error, channel_id=metadata["channel"]))
    _ack_saved(ack, "New action item", reply, notes + _tell(client, request.user_id, reply))
