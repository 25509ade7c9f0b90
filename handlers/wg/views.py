"""The /wg modals: create a group, import a handbook page."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.common import Message
from bot.db import unit_of_work
from bot.errors import UserError
from bot.handbook.report import ImportReport
from bot.slack.people import PeopleDirectory
from bot.slack.users import people_matcher
from bot.working_groups import handbook, ids, service
from bot.working_groups.blocks import charter as wg_charter
from bot.working_groups.blocks import modals as wg_modals
from bot.working_groups.blocks import people as wg_people
from handlers.context import SlackRequest, attached_text, button_request, real_name_of
from handlers.membership import check_member
from handlers.payload import channel_of
from handlers.replies import answers_user_errors_in_modal
from handlers.wg.saved import after_save, tell_privately

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Wire the create and import modals."""
    app.view(ids.WG_CREATE_MODAL)(on_create_submit)
    app.view(ids.WG_IMPORT_MODAL)(on_import_submit)


@answers_user_errors_in_modal
def on_create_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Create the group from the form; problems show under their field."""
    fields = wg_modals.read_create_modal(view)
    fields.pop("channel_id", None)
    request = _form_request(view, body, context, client, field=ids.WG_CREATE_NAME)
    actor_name = real_name_of(
        client, team_id=request.team_id, user_id=request.user_id
    )  # stored; Slack, if asked, before the transaction
    with unit_of_work() as session:
        group = service.create_group(
            session,
            team_id=request.team_id,
            actor_id=request.user_id,
            channel_id=request.channel_id,
            new=service.NewGroup(**fields),
            timezone=request.timezone,
            now=request.now,
            actor_name=actor_name,
        )
        charter = wg_charter.charter_message(group, today=request.today)
    _post_charter(ack, client, request, charter, saved="Saved the working group.")


@answers_user_errors_in_modal
def on_import_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Read the pasted (or attached) page, bind it to the channel, post the charter, and show the importer the import
    report (with Link people when the page's names are not all Slack users)."""
    pasted, file_ids = wg_modals.read_import_modal(view)
    request = _form_request(view, body, context, client, field=ids.WG_IMPORT_PAGE)
    page = pasted or "".join(attached_text(client, file_id, field=ids.WG_IMPORT_FILE) for file_id in file_ids)
    if not page.strip():
        raise UserError("Paste the page, or attach its .md file.", field=ids.WG_IMPORT_PAGE)
    report = ImportReport()
    try:
        draft = handbook.read_charter(page, report)
    except UserError as error:
        raise UserError(error.problem, error.usage, field=ids.WG_IMPORT_PAGE) from error
    match = _directory_or_none(client, report)
    _note_the_pages_channel(client, request.channel_id, draft.slack_channel, report)
    with unit_of_work() as session:
        group, created = service.import_charter(
            session,
            team_id=request.team_id,
            actor=request.actor,
            channel_id=request.channel_id,
            draft=draft,
            match_user=match,
            timezone=request.timezone,
            now=request.now,
        )
        service.note_linking(report, group=group, actor=request.actor)
        charter = wg_charter.charter_message(group, today=request.today)
        saved = "Saved the working group." if created else "Saved the new charter."
        unlinked = len(service.unlinked_people(group))
        reply = wg_people.import_reply(group, report, created=created, unlinked=unlinked)
    _post_charter(ack, client, request, charter, saved=saved, reply=reply)


def _note_the_pages_channel(client: WebClient, channel_id: str, written: str | None, report: ImportReport) -> None:
    """Ask Slack the import channel's name, for the report's note when the page names another one."""
    if not written:
        return
    try:
        name = client.conversations_info(channel=channel_id)["channel"].get("name")
    except SlackApiError:
        name = None
    if (note := service.channel_note(written, name)) is not None:
        report.check(note)


def _directory_or_none(client: WebClient, report: ImportReport) -> PeopleDirectory:
    """Slack's people to link the page's names to; when Slack can't say (an error, rate limited), nobody: the import
    goes on, and the report says to link people with the form."""
    try:
        return people_matcher(client)
    except SlackApiError as error:
        log.warning("users.list failed during an import: %s", error.response.get("error"))
        report.check("I couldn't ask Slack who is who just now, so nobody on the page is linked yet: use Link people.")
        return PeopleDirectory(())


def _form_request(
    view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient, *, field: str
) -> SlackRequest:
    """Who submits, for the channel the form was opened in; they must still be in it (a form can be submitted
    long after it was opened); raises UserError under `field`."""
    request = button_request(body, context, client, channel_id=channel_of(view))
    try:
        check_member(client, channel_id=request.channel_id, user_id=request.user_id)
    except UserError as error:
        raise UserError(error.problem, error.usage, field=field) from error
    return request


def _post_charter(
    ack: Ack, client: WebClient, request: SlackRequest, charter: Message, *, saved: str, reply: Message | None = None
) -> None:
    """Post the committed group's charter in its channel, show the submitter `reply` (ephemeral, else by DM), then
    close the form; when Slack refuses a post, the form says what was saved and how to fix the rest (a retry would only
    find the group already there), and carries the reply itself when it could not be shown otherwise."""
    failed = after_save(
        saved,
        lambda: client.chat_postMessage(channel=request.channel_id, text=charter["text"], blocks=charter["blocks"]),
        channel_id=request.channel_id,
    )
    unsent = reply is not None and after_save(
        saved,
        lambda: tell_privately(client, channel_id=request.channel_id, user_id=request.user_id, reply=reply),
        channel_id=request.channel_id,
    )
    if reply is not None and (failed or unsent):
        ack(response_action="update", view=wg_people.import_saved_modal(failed, reply))
    elif failed:
        ack(response_action="update", view=wg_modals.saved_notice_modal(failed))
    else:
        ack()
