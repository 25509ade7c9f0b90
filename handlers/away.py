"""Time away: `/cadence away …`, its App Home buttons and form, and the one-time offer when a Slack status says
the person is on holiday (checked after each of their slash commands, in any program)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import clock
from bot.cadence import away, away_rules
from bot.cadence.blocks import away as away_blocks
from bot.cadence.commands import AwayCommand
from bot.db import unit_of_work
from bot.errors import UserError
from bot.parsing import DateContext
from bot.slack import users
from handlers.context import SlackRequest, button_request, command_request
from handlers.home import publish_home
from handlers.payload import row_id
from handlers.replies import answer_press, answers_user_errors_after_ack, answers_user_errors_in_modal

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Wire the Home buttons, the form, the offer's buttons and the status check after slash commands."""
    app.use(offer_time_away)
    app.action(away_blocks.AWAY_OPEN_MODAL)(on_away_open_button)
    app.action(away_blocks.AWAY_END)(on_away_end_button)
    app.action(away_blocks.AWAY_OFFER_SET)(on_away_offer_set)
    app.action(away_blocks.AWAY_OFFER_PICK)(on_away_open_button)
    app.view(away_blocks.AWAY_MODAL)(on_away_modal_submit)


def away_command(request: AwayCommand, *, command: dict[str, Any], team_id: str, client: WebClient) -> dict[str, Any]:
    """`/cadence away`, `… off` or `… <first> to <last>`, dates read in the person's zone; replies after the commit."""
    slack, fiscal_start = command_request(command, team_id, client)
    wanted = away.read_away(request.tokens, DateContext(slack.today, fiscal_start))
    return _apply(wanted, slack)


def _apply(wanted: away.AwayRequest, slack: SlackRequest) -> dict[str, Any]:
    with unit_of_work() as session:
        change = None
        if isinstance(wanted, away.EndAway):
            change = away.end_away(session, team_id=slack.team_id, user_id=slack.user_id, now=slack.now)
        elif isinstance(wanted, away.SetAway):
            change = away.set_away(
                session,
                team_id=slack.team_id,
                user_id=slack.user_id,
                first_day=wanted.first_day,
                last_day=wanted.last_day,
                timezone=slack.timezone,
                now=slack.now,
            )
        current = away.open_away(session, team_id=slack.team_id, user_id=slack.user_id)
    return away_blocks.away_reply(change, away=current, now=slack.now)


def _republish_home(client: WebClient, slack: SlackRequest) -> None:
    try:
        publish_home(client, team_id=slack.team_id, user_id=slack.user_id)
    except Exception as error:  # noqa: BLE001 - saved already; the Home tab redraws when it is next opened
        log.warning("home: republish after a time-away change failed: %s", type(error).__name__)


@answers_user_errors_after_ack
def on_away_open_button(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    """Open the time-away form (from App Home or the offer), filled with what is set or the status's last day."""
    slack = button_request(body, context, client)
    with unit_of_work() as session:
        current = away.open_away(session, team_id=slack.team_id, user_id=slack.user_id)
        last = _offered_last_day(session, body, slack) if current is None else current.last_day
    first = current.first_day if current is not None else slack.today
    view = away_blocks.away_modal(first=first, last=last)
    view["private_metadata"] = slack.channel_id
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _offered_last_day(session: Any, body: dict[str, Any], slack: SlackRequest) -> date | None:
    action = body["actions"][0]
    if action.get("action_id") != away_blocks.AWAY_OFFER_PICK:
        return None
    offer_id = row_id(action.get("value"))
    return away.suggested_away(session, team_id=slack.team_id, offer_id=offer_id, user_id=slack.user_id)


@answers_user_errors_in_modal
def on_away_modal_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Save the two days (the same rules as the command; an error shows under the last day), then confirm by DM."""
    first, last = away_blocks.read_away_modal(view)
    slack = button_request(body, context, client)  # a form has no channel: the confirmation goes by DM
    try:
        first, last = away.check_range(first, last, today=slack.today)
    except UserError as error:
        raise UserError(error.problem, error.usage, field=away_blocks.MODAL_LAST) from None
    reply = _apply(away.SetAway(first, last), slack)
    if _tell(client, slack.user_id, reply):
        ack()
    else:  # saved, but the DM is missing: the form itself says what was saved
        ack(response_action="update", view=away_blocks.saved_modal(reply))
    _republish_home(client, slack)


def _tell(client: WebClient, user_id: str, reply: dict[str, Any]) -> bool:
    """Confirm by DM; whether it went."""
    try:
        client.chat_postMessage(channel=user_id, text=reply["text"], blocks=reply.get("blocks"))
    except Exception as error:  # noqa: BLE001 - saved already: the caller says so where it can
        log.warning("couldn't confirm time away by DM: %s", type(error).__name__)
        return False
    return True


@answers_user_errors_after_ack
def on_away_end_button(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    """ "I'm back" (or "Call it off") on App Home: the same as `/cadence away off`."""
    slack = button_request(body, context, client)
    reply = _apply(away.EndAway(), slack)
    answer_press({"respond": respond, "client": client, "body": body}, reply)
    _republish_home(client, slack)


@answers_user_errors_after_ack
def on_away_offer_set(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext, client: WebClient
) -> None:
    """The offer's "Hold them until …": from today to the status's last day."""
    slack = button_request(body, context, client)
    with unit_of_work() as session:
        offer_id = row_id(body["actions"][0].get("value"))
        last = away.suggested_away(session, team_id=slack.team_id, offer_id=offer_id, user_id=slack.user_id)
    if last is None:
        raise UserError("Your status didn't say when you're back.", f"Set the days with {away_rules.EXAMPLE}.")
    first, last = away.check_range(slack.today, last, today=slack.today)
    answer_press({"respond": respond, "client": client, "body": body}, _apply(away.SetAway(first, last), slack))


def offer_time_away(body: dict[str, Any], context: BoltContext, client: WebClient, next: Callable[[], None]) -> None:
    """After a slash command is handled: when the person's Slack status says they are on holiday and no time away
    is set, offer (ephemerally, once per status) to hold their nudges. Failing here never fails their command."""
    next()
    if not body.get("command") or not context.user_id:
        return
    try:
        offer_if_on_holiday(
            client,
            team_id=context.team_id or str(body.get("team_id") or ""),
            user_id=context.user_id,
            channel_id=str(body.get("channel_id") or context.user_id),
        )
    except Exception as error:  # noqa: BLE001 - a nicety: the command itself was answered
        # Only the error's type: the log never carries what people wrote or sent (a forged id holds a newline).
        log.warning("time-away offer check failed: %s", type(error).__name__)


def offer_if_on_holiday(client: WebClient, *, team_id: str, user_id: str, channel_id: str) -> None:
    """Look at the person's status (as stored: bot/slack/users.py) and offer once; nothing when time away is set."""
    # The status first: the command's handler has usually just looked the person up, and most statuses say no
    # holiday, so most commands pay nothing more here.
    known = users.person(client, team_id=team_id, user_id=user_id, now=clock.now())
    status = away.holiday_status(known.status, timezone=known.tz or "UTC")
    if status is None:
        return
    with unit_of_work() as session:
        if away.open_away(session, team_id=team_id, user_id=user_id) is not None:
            return
        offered = away.was_offered(session, team_id=team_id, user_id=user_id)
    if status.key in offered:
        return
    with unit_of_work() as session:
        offer_id = away.record_offer(session, team_id=team_id, user_id=user_id, status=status)
    if offer_id is not None:
        offer = away_blocks.offer_message(offer_id, last_day=status.last_day)
        client.chat_postEphemeral(channel=channel_id, user=user_id, text=offer["text"], blocks=offer["blocks"])
