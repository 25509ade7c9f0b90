"""/esp: the Executive Sponsorship Program. Parse, run in one unit of work, reply after the commit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.common import Message
from bot.cadence.service import calendar_of
from bot.db import unit_of_work
from bot.esp import blocks as esp_blocks
from bot.esp import commands as esp_commands
from bot.esp import ids, rules, service
from bot.esp.nudges import checklists_now
from handlers.context import SlackRequest, button_request, command_request
from handlers.payload import row_id
from handlers.replies import answers_user_errors, answers_user_errors_after_ack

Request = SlackRequest


def register(app: App) -> None:
    """Wire /esp and its checklist buttons."""
    app.command("/esp")(on_esp_command)
    app.action(ids.ESP_CHECKLIST_DONE)(on_checklist_done)


@answers_user_errors
def on_esp_command(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Parse the text and run it; the reply is acked once the change is committed."""
    request, fiscal_start = command_request(command, context.team_id, client)
    parsed = esp_commands.parse_esp_command(
        command.get("text", ""), today=request.today, fiscal_start_month=fiscal_start
    )
    if not isinstance(parsed, esp_commands.ShowEspHelp | esp_commands.SetupProgram):
        with unit_of_work() as session:
            service.program_of(session, team_id=request.team_id)  # everything else needs the program set up
    ack(**RUNNERS[type(parsed)](parsed, request))


def run_help(_parsed: Any, _request: Request) -> Message:
    return esp_blocks.esp_help()


def run_setup(parsed: esp_commands.SetupProgram, request: Request) -> Message:
    manager = parsed.program_manager_id or request.user_id
    with unit_of_work() as session:
        program, created = service.setup_program(
            session,
            team_id=request.team_id,
            actor=request.actor,
            channel_id=request.channel_id,
            program_manager_id=manager,
            timezone=request.timezone,
            now=request.now,
        )
        return esp_blocks.setup_reply(
            program.channel_id, program.program_manager_id, created, len(rules.OPERATING_CADENCE)
        )


def _edit(parsed: Any) -> service.AccountEdit:
    return service.AccountEdit(
        tier=parsed.tier,
        csm_id=parsed.csm_id,
        ae_id=parsed.ae_id,
        sa_id=parsed.sa_id,
        active=getattr(parsed, "active", None),
    )


def run_add_account(parsed: esp_commands.AddAccount, request: Request) -> Message:
    with unit_of_work() as session:
        account = service.add_account(
            session, team_id=request.team_id, actor=request.actor, name=parsed.name, edit=_edit(parsed), now=request.now
        )
        return esp_blocks.account_saved(account, [], added=True)


def run_edit_account(parsed: esp_commands.EditAccount, request: Request) -> Message:
    with unit_of_work() as session:
        account = service.edit_account(
            session, team_id=request.team_id, actor=request.actor, name=parsed.name, edit=_edit(parsed), now=request.now
        )
        sponsors = service.sponsors_by_account(session, team_id=request.team_id).get(account.id, [])
        return esp_blocks.account_saved(account, sponsors, added=False)


def run_accounts(_parsed: Any, request: Request) -> Message:
    with unit_of_work() as session:
        sponsors = service.sponsors_by_account(session, team_id=request.team_id)
        listed = service.accounts(session, team_id=request.team_id, active_only=False)
        return esp_blocks.accounts_list([(a, sponsors.get(a.id, [])) for a in listed])


def run_assign(parsed: esp_commands.AssignSponsor, request: Request) -> Message:
    with unit_of_work() as session:
        sponsorship = service.assign(
            session,
            team_id=request.team_id,
            actor=request.actor,
            sponsor_id=parsed.sponsor_id,
            account_name=parsed.account,
            start=parsed.start_on,
            force=parsed.force,
            now=request.now,
        )
        account = service.account_named(session, team_id=request.team_id, name=parsed.account)
        return esp_blocks.assigned_reply(sponsorship, account)


def run_unassign(parsed: esp_commands.UnassignSponsor, request: Request) -> Message:
    with unit_of_work() as session:
        sponsorship = service.unassign(
            session,
            team_id=request.team_id,
            actor=request.actor,
            account_name=parsed.account,
            sponsor_id=parsed.sponsor_id,
            reason=parsed.reason,
            today=request.today,
            now=request.now,
        )
        account = service.account_named(session, team_id=request.team_id, name=parsed.account)
        return esp_blocks.unassigned_reply(sponsorship, account)


def run_map(_parsed: Any, request: Request) -> Message:
    with unit_of_work() as session:
        return esp_blocks.sponsor_map(
            service.active_sponsorships(session, team_id=request.team_id), today=request.today
        )


def run_touchpoint(parsed: esp_commands.RecordTouchpoint, request: Request) -> Message:
    with unit_of_work() as session:
        touchpoint = service.record_touchpoint(
            session,
            team_id=request.team_id,
            actor=request.actor,
            account_name=parsed.account,
            kind=parsed.kind,
            happened_on=parsed.happened_on,
            notes=parsed.notes,
            now=request.now,
        )
        return esp_blocks.touchpoint_logged(touchpoint.kind, parsed.account, touchpoint.happened_on)


def _record(
    request: Request, account: str, readings: list[tuple[str, float]], measured_on: Any, note: str | None = None
) -> Message:
    with unit_of_work() as session:
        saved = service.record_readings(
            session,
            team_id=request.team_id,
            actor=request.actor,
            account_name=account,
            readings=readings,
            measured_on=measured_on,
            note=note,
            now=request.now,
        )
        return esp_blocks.readings_recorded(Counter(str(r.metric) for r in saved), account)


def run_kpis(parsed: esp_commands.RecordKpis, request: Request) -> Message:
    return _record(request, parsed.account, [(str(m), v) for m, v in parsed.readings], parsed.measured_on)


def run_nps(parsed: esp_commands.RecordNps, request: Request) -> Message:
    return _record(
        request, parsed.account, [(str(rules.Metric.NPS), float(v)) for v in parsed.responses], parsed.measured_on
    )


def run_event(parsed: esp_commands.RecordEvent, request: Request) -> Message:
    return _record(request, parsed.account, [(str(parsed.metric), 1.0)], parsed.measured_on, parsed.note)


def run_scorecard(parsed: esp_commands.ShowScorecard, request: Request) -> Message:
    with unit_of_work() as session:
        calendar = calendar_of(session, team_id=request.team_id)
        quarter, year_start = calendar.quarter_of(request.today), calendar.year_start(request.today)
        if parsed.account:
            account = service.account_named(session, team_id=request.team_id, name=parsed.account)
            card = service.account_scorecard(
                session, team_id=request.team_id, account=account, quarter=quarter, year_start=year_start
            )
            return esp_blocks.scorecard_message(f"{account.name} · {quarter.label}", card)
        cards = [
            service.account_scorecard(
                session, team_id=request.team_id, account=a, quarter=quarter, year_start=year_start
            )
            for a in service.accounts(session, team_id=request.team_id)
        ]
        return esp_blocks.scorecard_message(f"Program scorecard · {quarter.label}", rules.program_scorecard(cards))


def run_obligations(_parsed: Any, request: Request) -> Message:
    with unit_of_work() as session:
        service.program_of(session, team_id=request.team_id)
        return esp_blocks.obligations_list(service.obligations(session, team_id=request.team_id))


def run_set_obligation(parsed: esp_commands.SetObligationEnabled, request: Request) -> Message:
    return _change_obligation(request, parsed.ref, enabled=parsed.enabled, rule=None)


def run_reschedule(parsed: esp_commands.RescheduleObligation, request: Request) -> Message:
    return _change_obligation(request, parsed.ref, enabled=None, rule=parsed.recurrence)


def _change_obligation(request: Request, ref: str, *, enabled: bool | None, rule: Any) -> Message:
    with unit_of_work() as session:
        service.change_obligation(
            session,
            team_id=request.team_id,
            actor=request.actor,
            ref=ref,
            enabled=enabled,
            rule=rule,
            user_timezone=request.timezone,
            now=request.now,
        )
        return esp_blocks.obligations_list(service.obligations(session, team_id=request.team_id))


def run_checklist(parsed: esp_commands.ShowChecklist, request: Request) -> Message:
    with unit_of_work() as session:
        periods = checklists_now(
            session,
            team_id=request.team_id,
            user_id=request.user_id,
            now=request.now,
            today=request.today,
            account=parsed.account,
        )
        return esp_blocks.checklist_message(periods, account=parsed.account, timezone=request.timezone)


@answers_user_errors_after_ack
def on_checklist_done(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    """Tick a checklist item from a nudge or `/esp checklist`."""
    request = button_request(body, context, client)
    with unit_of_work() as session:
        item = service.tick_checklist_item(
            session,
            team_id=request.team_id,
            actor=request.actor,
            item_id=row_id(body["actions"][0].get("value")),
            done=True,
            now=request.now,
            timezone=request.timezone,
        )
        ticked = esp_blocks.item_ticked(item.text)
    respond(**ticked, replace_original=False)


RUNNERS: dict[type, Callable[[Any, Request], Message]] = {
    esp_commands.ShowEspHelp: run_help,
    esp_commands.SetupProgram: run_setup,
    esp_commands.AddAccount: run_add_account,
    esp_commands.EditAccount: run_edit_account,
    esp_commands.ListAccounts: run_accounts,
    esp_commands.AssignSponsor: run_assign,
    esp_commands.UnassignSponsor: run_unassign,
    esp_commands.ShowMap: run_map,
    esp_commands.RecordTouchpoint: run_touchpoint,
    esp_commands.RecordKpis: run_kpis,
    esp_commands.RecordNps: run_nps,
    esp_commands.RecordEvent: run_event,
    esp_commands.ShowScorecard: run_scorecard,
    esp_commands.ListObligations: run_obligations,
    esp_commands.SetObligationEnabled: run_set_obligation,
    esp_commands.RescheduleObligation: run_reschedule,
    esp_commands.ShowChecklist: run_checklist,
}
