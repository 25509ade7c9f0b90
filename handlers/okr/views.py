"""The /okr forms submitted: a score, an imported page, a team's retrospective, a TRY line made an action item."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.db import unit_of_work
from bot.errors import UserError
from bot.handbook.report import ImportReport
from bot.okrs import ids as okr_ids
from bot.okrs import page as okr_page
from bot.okrs import rules, service
from bot.okrs.blocks import importing as importing_blocks
from bot.okrs.blocks import retro as retro_blocks
from bot.okrs.blocks import scoring as scoring_blocks
from bot.okrs.blocks import tries as tries_blocks
from handlers.context import attached_text, button_request
from handlers.home import publish_home
from handlers.okr.saved import SLACK_FAILURES, ack_saved, tell
from handlers.okr.shared import quarter_named, retro_message, save_score
from handlers.payload import metadata_of, row_id
from handlers.replies import answers_user_errors_in_modal, slack_failure_note


def register(app: App) -> None:
    """Wire the /okr forms."""
    app.view(okr_ids.OKR_SCORE_MODAL)(on_score_submit)
    app.view(okr_ids.OKR_IMPORT_MODAL)(on_import_submit)
    app.view(okr_ids.OKR_RETRO_MODAL)(on_retro_submit)
    app.view(okr_ids.OKR_TRY_MODAL)(on_try_submit)


@answers_user_errors_in_modal
def on_score_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Save the score and comment; the clicker is told in a DM (a form has no channel to answer in)."""
    metadata = metadata_of(view)
    score_text, comment = scoring_blocks.read_score_modal(view)
    request = button_request(body, context, client, channel_id=metadata.get("channel", ""))
    try:
        value = rules.read_score(score_text)
    except UserError as error:
        raise UserError(error.problem, error.usage, field=okr_ids.OKR_SCORE_VALUE) from error
    try:
        rules.check_comment(comment)
    except UserError as error:
        raise UserError(error.problem, field=okr_ids.OKR_SCORE_COMMENT) from error
    reply = save_score(request, row_id(metadata.get("kr")), value.score, comment, value.note)
    # Saved: from here on a Slack failure only changes what the person is told.
    notes = tell(client, request.user_id, reply)
    if metadata.get("home"):
        try:
            publish_home(client, team_id=request.team_id, user_id=request.user_id)
        except SLACK_FAILURES:
            notes.append("App Home didn't refresh; it will the next time you open it.")
    ack_saved(ack, "Score key result", reply, notes)


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
    request = button_request(body, context, client)
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
    ack_saved(ack, "Import OKRs", reply, tell(client, request.user_id, reply))


@answers_user_errors_in_modal
def on_retro_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Save the team's GOOD / BAD / TRY lists, then post (or update) the team's retro message in the OKR channel."""
    metadata = metadata_of(view)
    team, good, bad, try_ = retro_blocks.read_retro_modal(view)
    request = button_request(body, context, client)
    same_team = "team" in metadata and rules.role_key(metadata["team"] or "") == rules.role_key(team)
    with unit_of_work() as session:
        quarter = quarter_named(session, request, str(metadata.get("quarter") or ""))
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
        message = retro_message(session, saved, request.today)
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
        ack_saved(ack, "Retrospective", saved_reply, [slack_failure_note(error, channel_id=target)])
        return
    ack()


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
    request = button_request(body, context, client)
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
        message = retro_message(session, team, request.today)
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
    ack_saved(ack, "New action item", reply, notes + tell(client, request.user_id, reply))
