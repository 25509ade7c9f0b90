"""Linking the people a handbook page named to Slack users: the Link people button, `/wg people`, and its form.

Who may: the group's DRI, facilitator or an admin, or its importer until a DRI or facilitator is linked
(`bot.working_groups.service.check_may_link_people`), and only from inside the group's channel.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.db import unit_of_work
from bot.errors import UserError
from bot.slack.people import PeopleDirectory
from bot.slack.users import people_matcher
from bot.text import escape
from bot.working_groups import ids, service
from bot.working_groups.blocks import people as wg_people
from handlers.context import SlackRequest, button_request
from handlers.membership import ChannelUnseen, is_member
from handlers.payload import channel_of, row_id
from handlers.replies import answers_user_errors_after_ack, answers_user_errors_in_modal, first_block_id
from handlers.wg.saved import after_save, tell_privately

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Wire the Link people button and its form (`/wg people` opens it from handlers.wg.commands)."""
    app.action(ids.WG_LINK_OPEN)(on_link_people_pressed)
    app.view(ids.WG_LINK_MODAL)(on_link_people_submit)


def check_in_channel(client: WebClient, *, channel_id: str, user_id: str, field: str | None = None) -> None:
    """Only the group's channel members link its people (a pressed button or a form can outlive a membership);
    raises UserError."""
    try:
        inside = is_member(client, channel_id=channel_id, user_id=user_id)
    except ChannelUnseen:
        inside = False
    if not inside:
        raise UserError(
            f"Only members of <#{channel_id}> can link the people of its working group.",
            "Join the channel, then try again.",
            field=field,
        )


def link_form(client: WebClient, request: SlackRequest, *, group_id: int | None = None) -> dict[str, Any]:
    """The Link people form for the channel's group (or the group of a pressed button), pre-filled from users.list;
    raises UserError when the person may not link its people or nobody is left to link."""
    with unit_of_work() as session:
        group = (
            service.group_by_id(session, team_id=request.team_id, group_id=group_id)
            if group_id is not None
            else service.group_in_channel(session, team_id=request.team_id, channel_id=request.channel_id)
        )
        if group_id is not None:
            check_in_channel(client, channel_id=group.channel_id, user_id=request.user_id)
        service.check_may_link_people(request.actor, group)
        people = service.unlinked_people(group)
    if not people:
        raise UserError(
            f"Everyone the charter of *{escape(group.name)}* names is linked to Slack already.",
            "`/wg roles` lists them; `/wg role add` adds someone.",
        )
    try:
        directory = people_matcher(client)  # Slack is asked after the transaction has closed
    except SlackClientError:  # without the directory the form still works, only nobody is filled in
        log.warning("users.list failed; the link form opens without suggestions")
        directory = PeopleDirectory([])
    matches = [(member, directory.best_match(member.person_name, username=member.username)) for member in people]
    return wg_people.link_people_modal(group.channel_id, group, matches)


@answers_user_errors_after_ack
def on_link_people_pressed(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    """Open the Link people form from the import reply's button (a button in a form pushes it on top); a refusal is
    answered through `respond` (by the decorator)."""
    request = button_request(body, context, client)
    view = link_form(client, request, group_id=row_id(body["actions"][0].get("value")))
    if (body.get("container") or {}).get("type") == "view":
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


@answers_user_errors_in_modal
def on_link_people_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Link the people picked, each row only if nobody linked it meanwhile; say what was linked, ephemerally."""
    field = first_block_id(view)
    request = button_request(body, context, client, channel_id=channel_of(view))
    links = wg_people.read_link_modal(view)
    check_in_channel(client, channel_id=request.channel_id, user_id=request.user_id, field=field)
    with unit_of_work() as session:
        group = service.group_in_channel(session, team_id=request.team_id, channel_id=request.channel_id)
        try:
            outcome = service.link_people(session, group=group, actor=request.actor, links=links, now=request.now)
        except UserError as error:
            raise UserError(error.problem, error.usage, field=field) from error
        reply = wg_people.linked_reply(group, outcome, submitter_id=request.user_id, is_admin=request.actor.is_admin)
    failed = after_save(
        reply["text"],
        lambda: tell_privately(client, channel_id=request.channel_id, user_id=request.user_id, reply=reply),
        channel_id=request.channel_id,
    )
    if failed:
        ack(response_action="update", view=wg_people.import_saved_modal(None, reply, title="Linked"))
    else:
        ack()
