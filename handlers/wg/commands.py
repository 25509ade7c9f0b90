"""/wg: parse, run in one unit of work, reply once it is committed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.action_items import blocks as item_blocks
from bot.action_items import service as action_items
from bot.action_items.service import ActionFilter, Owner
from bot.blocks.common import Message, ephemeral
from bot.db import unit_of_work
from bot.text import escape
from bot.working_groups import commands as wg_commands
from bot.working_groups import handbook, service
from bot.working_groups.blocks import charter as wg_charter
from bot.working_groups.blocks import criteria as wg_criteria
from bot.working_groups.blocks import export as wg_export
from bot.working_groups.blocks import help as wg_help
from bot.working_groups.blocks import items as wg_items
from bot.working_groups.blocks import modals as wg_modals
from bot.working_groups.blocks import roles as wg_roles
from bot.working_groups.blocks import scheduled as wg_scheduled
from handlers.context import SlackRequest, command_request, real_name_of
from handlers.replies import answers_user_errors
from handlers.wg import assigned, people
from handlers.wg.saved import after_save
from models import WorkingGroup

Reply = Message


def register(app: App) -> None:
    """Wire /wg."""
    app.command("/wg")(on_wg_command)


@answers_user_errors
def on_wg_command(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Parse the text and run it; modals open at once, everything else acks with its reply after the commit."""
    request, fiscal_start = command_request(command, context.team_id, client)
    parsed = wg_commands.parse_wg_command(command.get("text", ""), today=request.today, fiscal_start_month=fiscal_start)
    if isinstance(parsed, wg_commands.OpenCreateModal | wg_commands.OpenImportModal):
        ack()
        view = (
            wg_modals.create_modal(request.channel_id)
            if isinstance(parsed, wg_commands.OpenCreateModal)
            else wg_modals.import_modal(request.channel_id)
        )
        client.views_open(trigger_id=command["trigger_id"], view=view)
        return
    if isinstance(parsed, wg_commands.OpenLinkModal):
        view = people.link_form(client, request)  # a refusal is the ack's ephemeral text
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=view)
        return
    reply = RUNNERS[type(parsed)](parsed, request, client)
    ack(**reply)


@contextmanager
def group_here(request: SlackRequest) -> Iterator[tuple[Session, WorkingGroup]]:
    """One unit of work with the working group of the channel the command was typed in (UserError if none)."""
    with unit_of_work() as session:
        yield session, service.group_in_channel(session, team_id=request.team_id, channel_id=request.channel_id)


def run_help(_parsed: Any, _request: SlackRequest, _client: WebClient) -> Reply:
    return wg_help.wg_help()


def run_create(parsed: wg_commands.CreateGroup, request: SlackRequest, client: WebClient) -> Reply:
    new = service.NewGroup(
        name=parsed.name,
        goal=parsed.goal,
        created_on=parsed.created_on,
        end_on=parsed.end_on,
        agenda_url=parsed.agenda_url,
        board_url=parsed.board_url,
    )
    actor_name = real_name_of(
        client, team_id=request.team_id, user_id=request.user_id
    )  # stored; Slack, if asked, before the transaction
    with unit_of_work() as session:
        group = service.create_group(
            session,
            team_id=request.team_id,
            actor_id=request.user_id,
            channel_id=request.channel_id,
            new=new,
            timezone=request.timezone,
            now=request.now,
            actor_name=actor_name,
        )
        return ephemeral(
            f":white_check_mark: *{escape(group.name)}* now lives in <#{group.channel_id}>, with you as DRI. "
            "`/wg charter` shows it; `/wg role add`, `/wg criterion add` and `/wg action` fill it in."
        )


def run_charter(_parsed: Any, request: SlackRequest, client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        charter = wg_charter.charter_message(group, today=request.today)
    failed = after_save(
        "",
        lambda: client.chat_postMessage(channel=request.channel_id, text=charter["text"], blocks=charter["blocks"]),
        channel_id=request.channel_id,
    )
    return ephemeral(failed.strip() if failed else "Posted the charter in this channel.")


def run_export(_parsed: Any, request: SlackRequest, _client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        page = handbook.write_charter(service.charter_draft(group))
        name = group.name
    return wg_export.export_reply(name, page)


def run_roles(_parsed: Any, request: SlackRequest, _client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        return wg_roles.roles_list(group)


def run_add_role(parsed: wg_commands.AddRole, request: SlackRequest, client: WebClient) -> Reply:
    name = parsed.person_name or (
        real_name_of(client, team_id=request.team_id, user_id=parsed.user_id) if parsed.user_id else None
    )
    with group_here(request) as (session, group):
        service.add_role(
            session,
            group=group,
            actor=request.actor,
            role=parsed.role,
            function=parsed.function,
            user_id=parsed.user_id,
            person_name=name,
            title=parsed.title,
            now=request.now,
        )
        return wg_roles.roles_list(group, note=":white_check_mark: Role added.")


def run_remove_role(parsed: wg_commands.RemoveRole, request: SlackRequest, _client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        service.remove_role(
            session,
            group=group,
            actor=request.actor,
            user_id=parsed.user_id,
            person_name=parsed.person_name,
            role=parsed.role,
            function=parsed.function,
            now=request.now,
        )
        return wg_roles.roles_list(group, note=":white_check_mark: Role removed.")


def run_criteria(_parsed: Any, request: SlackRequest, _client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        return wg_criteria.criteria_list(group, today=request.today)


def run_add_criterion(parsed: wg_commands.AddCriterion, request: SlackRequest, _client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        service.add_criterion(session, group=group, actor=request.actor, text=parsed.text, now=request.now)
        return wg_criteria.criteria_list(group, today=request.today)


def run_tick_criterion(parsed: wg_commands.TickCriterion, request: SlackRequest, _client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        criterion = service.criterion_at(group, parsed.number)
        service.tick_criterion(
            session,
            group=group,
            criterion=criterion,
            actor=request.actor,
            done=parsed.done,
            now=request.now,
            timezone=request.timezone,
        )
        return wg_criteria.criteria_list(group, today=request.today)


def run_progress(parsed: wg_commands.SetCriterionProgress, request: SlackRequest, _client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        criterion = service.criterion_at(group, parsed.number)
        service.set_progress(
            session, group=group, criterion=criterion, actor=request.actor, percent=parsed.percent, now=request.now
        )
        return wg_criteria.criteria_list(group, today=request.today)


def run_add_action(parsed: wg_commands.AddAction, request: SlackRequest, client: WebClient) -> Reply:
    owner = Owner(user_id=request.user_id) if parsed.owner_is_me else Owner(parsed.owner_id, parsed.owner_name)
    told = assigned.new_owner(client, request, owner.user_id)
    with group_here(request) as (session, group):
        item = service.add_action(
            session,
            group=group,
            actor_id=request.user_id,
            text=parsed.text,
            owner=owner,
            due_on=parsed.due_on,
            now=request.now,
        )
        reply = wg_items.action_added_reply(item, today=request.today)
        dm = assigned.assigned_message(item, group, told, assigned_by=request.user_id, reassigned=False)
    return assigned.with_note(reply, assigned.tell_owner(client, told, dm))


def run_list_actions(parsed: wg_commands.ListActions, request: SlackRequest, _client: WebClient) -> Reply:
    which = ActionFilter(parsed.filter)
    with group_here(request) as (session, group):
        items = action_items.list_items(
            session,
            team_id=request.team_id,
            program=service.PROGRAM,
            subject_id=group.id,
            which=which,
            user_id=request.user_id,
            today=request.today,
        )
        title = {
            "open": "Open action items",
            "mine": "Your open action items",
            "overdue": "Overdue action items",
            "all": "All action items",
        }[which.value]
        return wg_items.action_items_message(
            items,
            title=f"{title}: {group.name}",
            today=request.today,
            empty_text='Nothing here. Add one with `/wg action "Draft the plan" @owner due friday`.',
        )


def run_change_action(parsed: wg_commands.ChangeAction, request: SlackRequest, client: WebClient) -> Reply:
    owner = (
        Owner(user_id=request.user_id)
        if parsed.owner_is_me
        else Owner(parsed.owner_id, parsed.owner_name)
        if (parsed.owner_id or parsed.owner_name)
        else None
    )
    told = assigned.new_owner(client, request, owner.user_id if owner else None)
    with group_here(request) as (session, group):
        item = service.change_action(
            session,
            group=group,
            item_id=parsed.item_id,
            change=action_items.ActionChange(parsed.change),
            actor=request.actor,
            now=request.now,
            owner=owner,
            due_on=parsed.due_on,
            timezone=request.timezone,
        )
        reply = item_blocks.action_changed_reply(item, str(parsed.change), today=request.today)
        dm = assigned.assigned_message(item, group, told, assigned_by=request.user_id, reassigned=True)
    return assigned.with_note(reply, assigned.tell_owner(client, told, dm))


def run_close(_parsed: Any, request: SlackRequest, client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        service.close_group(session, group=group, actor=request.actor, now=request.now, timezone=request.timezone)
        notice = wg_scheduled.group_closed_message(group, request.user_id)
    saved = "Closed. Its nudges have stopped; its charter and history stay."
    return ephemeral(_announce(client, request, notice, saved=saved) or saved)


def run_extend(parsed: wg_commands.ExtendGroup, request: SlackRequest, client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        service.extend_group(
            session,
            group=group,
            actor=request.actor,
            end_on=parsed.end_on,
            now=request.now,
            timezone=request.timezone,
        )
        notice = wg_scheduled.group_extended_message(group)
    saved = f"Extended to {parsed.end_on.isoformat()}; its nudges run again."
    return ephemeral(_announce(client, request, notice, saved=saved) or saved)


def _announce(client: WebClient, request: SlackRequest, notice: Message, *, saved: str) -> str | None:
    """Tell the channel about a committed close or extend; None when posted, else what was saved and the fix."""
    return after_save(
        saved,
        lambda: client.chat_postMessage(channel=request.channel_id, text=notice["text"], blocks=notice["blocks"]),
        channel_id=request.channel_id,
    )


def run_set_sync(parsed: wg_commands.SetSync, request: SlackRequest, _client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        cadence = service.set_group_cadence(
            session,
            group=group,
            actor=request.actor,
            kind=service.SYNC,
            rule=parsed.recurrence,
            enabled=parsed.recurrence is not None,
            user_timezone=request.timezone,
            now=request.now,
        )
        return wg_scheduled.cadence_setting_reply("sync reminder", cadence, timezone=request.timezone)


def run_show_sync(_parsed: Any, request: SlackRequest, _client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        cadence = service.group_cadence(session, group=group, kind=service.SYNC)
        shown = cadence if group.sync_on else None
        return wg_scheduled.cadence_setting_reply("sync reminder", shown, timezone=request.timezone)


def run_set_digest(parsed: wg_commands.SetDigest, request: SlackRequest, _client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        cadence = service.set_group_cadence(
            session,
            group=group,
            actor=request.actor,
            kind=service.DIGEST,
            rule=None,
            enabled=parsed.enabled,
            user_timezone=request.timezone,
            now=request.now,
        )
        shown = cadence if parsed.enabled else None
        return wg_scheduled.cadence_setting_reply("weekly digest", shown, timezone=request.timezone)


def run_show_action(parsed: wg_commands.ShowAction, request: SlackRequest, _client: WebClient) -> Reply:
    with group_here(request) as (session, group):
        item = service.item_of_group(session, group=group, item_id=parsed.item_id)
        history = action_items.item_history(session, item=item)
        return item_blocks.action_history(item, history, today=request.today, timezone=request.timezone)


RUNNERS: dict[type, Callable[[Any, SlackRequest, WebClient], Reply]] = {
    wg_commands.ShowAction: run_show_action,
    wg_commands.ShowWgHelp: run_help,
    wg_commands.CreateGroup: run_create,
    wg_commands.PostCharter: run_charter,
    wg_commands.ExportCharter: run_export,
    wg_commands.ListRoles: run_roles,
    wg_commands.AddRole: run_add_role,
    wg_commands.RemoveRole: run_remove_role,
    wg_commands.ListCriteria: run_criteria,
    wg_commands.AddCriterion: run_add_criterion,
    wg_commands.TickCriterion: run_tick_criterion,
    wg_commands.SetCriterionProgress: run_progress,
    wg_commands.AddAction: run_add_action,
    wg_commands.ListActions: run_list_actions,
    wg_commands.ChangeAction: run_change_action,
    wg_commands.CloseGroup: run_close,
    wg_commands.ExtendGroup: run_extend,
    wg_commands.SetSync: run_set_sync,
    wg_commands.ShowSync: run_show_sync,
    wg_commands.SetDigest: run_set_digest,
}
