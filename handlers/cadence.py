"""/cadence: add, list, pause, resume, remove, help, audit (admins), and the create modal."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot import audit, clock
from bot.blocks.common import ephemeral
from bot.cadence import ids, service
from bot.cadence.blocks import audit as audit_blocks
from bot.cadence.blocks import reminders as cadence_blocks
from bot.cadence.blocks.help import cadence_help
from bot.cadence.commands import (
    AddCadence,
    AuditCommand,
    AwayCommand,
    CadenceAction,
    ChangeCadence,
    ListCadences,
    OpenCadenceModal,
    SetFiscalYearStart,
    ShowHelp,
    parse_cadence_command,
)
from bot.db import unit_of_work
from bot.errors import PermissionDenied, UserError
from handlers import away
from handlers.context import slack_request
from handlers.membership import check_member
from handlers.payload import row_id
from handlers.replies import (
    actor_of,
    answer_press,
    answers_user_errors,
    answers_user_errors_after_ack,
    answers_user_errors_in_modal,
)
from models import Cadence

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Wire /cadence, its modal and its list buttons."""
    app.command("/cadence")(on_cadence_command)
    app.view(ids.CADENCE_MODAL)(on_cadence_modal_submit)
    app.action(ids.CADENCE_PAUSE)(on_cadence_pause_button)
    app.action(ids.CADENCE_RESUME)(on_cadence_resume_button)
    app.action(ids.CADENCE_REMOVE)(on_cadence_remove_button)
    app.action(ids.CADENCE_OPEN_MODAL)(on_cadence_new_button)
    app.action(ids.CADENCE_LIST_PAGE)(on_cadence_list_page_button)
    app.action(ids.CADENCE_LIST_ALL_PAGE)(on_cadence_list_page_button)
    away.register(app)  # /cadence away's buttons, form and holiday-status offer


@answers_user_errors
def on_cadence_command(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Parse the text, run it in one unit of work, and ack with the reply once it is committed."""
    request = parse_cadence_command(command.get("text", ""))
    team_id, user_id = context.team_id or command["team_id"], command["user_id"]
    if isinstance(request, ShowHelp):
        ack(**cadence_help())
    elif isinstance(request, OpenCadenceModal):
        ack()  # trigger_id expires in 3 s: open the modal right away
        client.views_open(
            trigger_id=command["trigger_id"], view=cadence_blocks.cadence_modal(command.get("channel_id"))
        )
    elif isinstance(request, ListCadences):
        ack(**listing(request, team_id=team_id, user_id=user_id, channel_id=command.get("channel_id"), client=client))
    elif isinstance(request, AddCadence):
        reply, _cadence = add(
            request, team_id=team_id, user_id=user_id, channel_id=command.get("channel_id"), client=client
        )
        ack(**reply)
    elif isinstance(request, ChangeCadence):
        ack(**change(request.action, request.cadence_id, team_id=team_id, user_id=user_id, client=client))
    elif isinstance(request, SetFiscalYearStart):
        ack(**fiscal_year(request.month, team_id=team_id, user_id=user_id, client=client))
    elif isinstance(request, AwayCommand):
        ack(**away.away_command(request, command=command, team_id=team_id, client=client))
    elif isinstance(request, AuditCommand):
        ack(**audit_export(request, team_id=team_id, user_id=user_id, client=client))


def audit_export(request: AuditCommand, *, team_id: str, user_id: str, client: WebClient) -> dict[str, Any]:
    """The workspace's audit trail as a CSV file in the admin's DM (workspace admins only; a date is read in their
    zone); the reply says how many rows went only once Slack has the file, and that nothing did when it failed."""
    slack = slack_request(client, team_id=team_id, user_id=user_id, channel_id="")
    audit.check_may_export_audit(slack.actor)
    wanted = audit.read_audit_filter(list(request.words), today=slack.today)
    since = audit.start_of_day(wanted.since, timezone=slack.timezone) if wanted.since else None
    with unit_of_work() as session:
        events = audit.audit_rows(session, team_id=team_id, program=wanted.program, since=since)
    if not events:
        return audit_blocks.audit_empty_reply(wanted)
    try:
        # files.completeUploadExternal shares into a conversation id, so the DM is opened first.
        dm_id = client.conversations_open(users=user_id)["channel"]["id"]
        client.files_upload_v2(
            channel=dm_id,
            content=audit.audit_csv(events),
            filename=audit_blocks.audit_filename(team_id, wanted, now=slack.now),
            title="Cadence audit trail",
            initial_comment=audit_blocks.audit_file_comment(len(events), wanted),
        )
    except (SlackApiError, SlackRequestError) as error:  # Slack refused a step: nothing was shared
        log.warning("audit export for %r not sent: %s", user_id, type(error).__name__)
        return audit_blocks.audit_not_sent_reply(len(events), wanted, said=slack_said(error))
    except Exception as error:  # noqa: BLE001 - no answer: the file may have been shared all the same
        log.warning("audit export for %r: no answer from Slack: %s", user_id, type(error).__name__)
        return audit_blocks.audit_maybe_sent_reply(len(events), wanted)
    return audit_blocks.audit_sent_reply(len(events), wanted)


def slack_said(error: Exception) -> str:
    """Slack's answer to a failed call, in words: its error code, or that it refused the file's bytes."""
    if isinstance(error, SlackApiError):
        return f"Slack said `{error.response.get('error') or error.response.status_code}`"
    return "Slack refused the file's upload"


def listing(
    request: ListCadences, *, team_id: str, user_id: str, channel_id: str | None, client: WebClient
) -> dict[str, Any]:
    """One page of the reminders the user may see: this channel's (typing here shows they are in it), theirs and
    those sent to them, filtered in SQL; `list all` is for workspace admins, and says it is everything. Times are in
    the reader's zone (users.info)."""
    actor, zone = actor_of(client, team_id=team_id, user_id=user_id)
    if request.everything:
        if not actor.is_admin:
            raise PermissionDenied(
                "Only a workspace admin or owner can list every reminder in the workspace.",
                "`/cadence list` shows this channel's reminders, yours and those sent to you.",
            )
    with unit_of_work() as session:
        views = service.list_cadences(
            session,
            team_id=team_id,
            viewer=None if request.everything else user_id,
            channel_ids=[channel_id] if channel_id else [],
        )
    return cadence_blocks.cadence_list(
        views, channel_id=channel_id, everything=request.everything, page=request.page, timezone=zone
    )


def add(
    request: AddCadence,
    *,
    team_id: str,
    user_id: str,
    channel_id: str | None,
    client: WebClient,
    channel_field: str | None = None,
) -> tuple[dict[str, Any], Cadence]:
    """Save a reminder for the user (in their Slack time zone unless they named one) and say so; a channel named
    must be one they are in (checked with Slack before anything is saved; the refusal goes under `channel_field`).
    The same reminder saved twice is saved, with a warning naming the first and an Undo for the second."""
    _actor, user_timezone = actor_of(client, team_id=team_id, user_id=user_id)
    target = request.channel_id or (None if request.user_ids else channel_id)
    if target:
        try:
            check_member(client, channel_id=target, user_id=user_id, typed_in=channel_id)
        except UserError as error:
            raise UserError(error.problem, error.usage, field=channel_field) from None
    with unit_of_work() as session:
        cadence = service.add_cadence(
            session,
            team_id=team_id,
            actor_id=user_id,
            request=request,
            current_channel_id=channel_id,
            user_timezone=user_timezone,
            now=clock.now(),
        )
        rule = service.rule_of(cadence)
        duplicate = service.duplicate_of(session, cadence=cadence)
    return cadence_blocks.added_reply(cadence, rule, timezone=user_timezone, duplicate=duplicate), cadence


def change(action: CadenceAction, cadence_id: int, *, team_id: str, user_id: str, client: WebClient) -> dict[str, Any]:
    """Pause, resume or remove a reminder, if the user may."""
    actor, zone = actor_of(client, team_id=team_id, user_id=user_id)
    with unit_of_work() as session:
        cadence = service.change_cadence(
            session, team_id=team_id, actor=actor, cadence_id=cadence_id, action=action, now=clock.now()
        )
    return cadence_blocks.changed_reply(cadence, action, timezone=zone)


def fiscal_year(month: int | None, *, team_id: str, user_id: str, client: WebClient) -> dict[str, Any]:
    """Show the workspace's fiscal year start, or change it (admins)."""
    if month is None:
        with unit_of_work() as session:
            current = service.ensure_workspace(session, team_id=team_id).fiscal_year_start_month
        return cadence_blocks.fiscal_year_reply(current, changed=False)
    actor, _zone = actor_of(client, team_id=team_id, user_id=user_id)
    with unit_of_work() as session:
        moved = service.set_fiscal_year_start(session, team_id=team_id, actor=actor, month=month, now=clock.now())
    return cadence_blocks.fiscal_year_reply(month, changed=True, moved=moved)


@answers_user_errors_in_modal
def on_cadence_modal_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Validate the form (errors show under their field), save, then close it and confirm by DM.

    The app answers Slack when the listener returns (process_before_response), so the ack is decided after the DM:
    if the DM fails, the form itself turns into the confirmation, because the reminder is saved all the same.
    """
    request = cadence_blocks.read_cadence_modal(view)
    team_id, user_id = context.team_id or body["team"]["id"], body["user"]["id"]
    reply, cadence = add(
        request,
        team_id=team_id,
        user_id=user_id,
        channel_id=view.get("private_metadata") or None,
        client=client,
        channel_field=ids.MODAL_CHANNEL,
    )
    try:
        client.chat_postMessage(channel=user_id, text=reply["text"], blocks=reply["blocks"])
    except Exception as error:  # noqa: BLE001 - saved already: say so rather than "something went wrong"
        log.warning("cadence %s saved; its confirmation DM failed: %s", cadence.id, type(error).__name__)
        note = dm_failure_note(error)
        _actor, zone = actor_of(client, team_id=team_id, user_id=user_id)
        saved = cadence_blocks.saved_modal(cadence, service.rule_of(cadence), note=note, timezone=zone)
        ack(response_action="update", view=saved)
        return
    ack()


def dm_failure_note(error: Exception) -> str:
    """Why the confirmation DM is missing, and that nothing needs doing again."""
    if isinstance(error, SlackApiError):
        said = f"Slack said `{error.response.get('error') or error.response.status_code}`"
    else:
        said = "Slack didn't answer in time, so it may still show up"
    return f"I couldn't send you this confirmation by DM ({said}). Don't save it again: `/cadence list` shows it."


def _button_change(
    action: CadenceAction, ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    cadence_id = row_id(body["actions"][0].get("value"))
    reply = change(
        action, cadence_id, team_id=context.team_id or body["team"]["id"], user_id=body["user"]["id"], client=client
    )
    answer_press({"respond": respond, "client": client, "body": body}, reply)  # a press without response_url: a DM


@answers_user_errors_after_ack
def on_cadence_pause_button(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    """Pause from the list."""
    _button_change(CadenceAction.PAUSE, ack, body, respond, context, client)


@answers_user_errors_after_ack
def on_cadence_resume_button(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    """Resume from the list."""
    _button_change(CadenceAction.RESUME, ack, body, respond, context, client)


@answers_user_errors_after_ack
def on_cadence_remove_button(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    """Remove (the Undo on the confirmation)."""
    _button_change(CadenceAction.REMOVE, ack, body, respond, context, client)


@answers_user_errors_after_ack
def on_cadence_list_page_button(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    """Next page / Previous page on the list: the list redrawn in place at that page, for the presser, as the
    command would show it in that channel."""
    action = body["actions"][0]
    in_a_view = (body.get("container") or {}).get("type") == "view"
    if in_a_view or not getattr(respond, "response_url", None):  # the list is an ephemeral message: nothing to redraw
        answer_press(
            {"body": body, "respond": respond, "client": client},
            ephemeral("The list's pages turn on the list itself: type `/cadence list` to see it again."),
        )
        return
    request = ListCadences(
        everything=action["action_id"] == ids.CADENCE_LIST_ALL_PAGE, page=row_id(action.get("value"))
    )
    channel_id = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    team_id = context.team_id or body["team"]["id"]
    reply = listing(request, team_id=team_id, user_id=body["user"]["id"], channel_id=channel_id, client=client)
    respond(**reply, replace_original=True)


def on_cadence_new_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Open the create modal from App Home."""
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=cadence_blocks.cadence_modal(None))
