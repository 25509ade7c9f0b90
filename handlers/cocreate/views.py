"""Co-create's form submissions: the skip form, the prospect form and the score form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.common import Message
from bot.cocreate import ids, prospects, service
from bot.cocreate.blocks import modals
from bot.db import unit_of_work
from bot.errors import UserError
from bot.text import escape
from handlers.cocreate.checklist import SLACK_FAILURES, change_step, log, redraw, saved_reply
from handlers.cocreate.scoring import score_reply
from handlers.context import button_request
from handlers.payload import row_id
from handlers.replies import answers_user_errors_in_modal, slack_failure_note
from models import Prospect


def register(app: App) -> None:
    """Wire the skip, prospect and score forms."""
    app.view(ids.SKIP_MODAL)(on_skip_submit)
    app.view(ids.PROSPECT_MODAL)(on_prospect_submit)
    app.view(ids.SCORE_MODAL)(on_score_submit)


@answers_user_errors_in_modal
def on_skip_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Skip the step with the reason given; after the commit the checklist redraws in place (when it can't, the form
    says what was saved and what didn't happen)."""
    step_id, reason = modals.read_skip_modal(view)
    request = button_request(body, context, client)
    with unit_of_work() as session:
        step = service.step_by_id(session, team_id=request.team_id, step_id=step_id)
        line, pending = change_step(session, request, step, action="skip", reason=reason)
    problem = redraw(client, pending)
    if problem:
        notice = modals.notice_modal("Step skipped", saved_reply(f"Saved: {line}", problem))
        ack(response_action="update", view=notice)
        return
    ack()


@answers_user_errors_in_modal
def on_score_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Save the scores picked; anyone may score."""
    request = button_request(body, context, client)
    with unit_of_work() as session:
        prospect = session.get(Prospect, row_id(view.get("private_metadata")))
        if prospect is None or prospect.team_id != request.team_id:
            raise UserError("That prospect is gone.")
        prospects.set_scores(
            session,
            team_id=request.team_id,
            actor=request.actor,
            prospect=prospect,
            scores=modals.read_scores(view),
            now=request.now,
        )
        reply = score_reply(session, prospect)
        name = prospect.name
    confirm_in_dm(ack, client, user_id=request.user_id, reply=reply, saved=f"Saved *{escape(name)}*.")


@answers_user_errors_in_modal
def on_prospect_submit(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Save the prospect with every field given; problems show under their field."""
    fields = modals.read_prospect_modal(view)
    request = button_request(body, context, client)
    with unit_of_work() as session:
        prospect = service.add_prospect(
            session, team_id=request.team_id, actor=request.actor, name=fields["name"], now=request.now
        )
        prospects.set_profile(
            session,
            team_id=request.team_id,
            actor=request.actor,
            prospect=prospect,
            now=request.now,
            subscription=fields["subscription"],
            seats=fields["seats"],
            industry=fields["industry"],
            tech_stack_overlap=fields["tech_stack_overlap"],
            csm_id=fields["csm_id"],
            ae_id=fields["ae_id"],
            sa_id=fields["sa_id"],
        )
        if fields["scores"]:
            prospects.set_scores(
                session,
                team_id=request.team_id,
                actor=request.actor,
                prospect=prospect,
                scores=fields["scores"],
                now=request.now,
            )
        reply = score_reply(session, prospect)
        name = prospect.name
    confirm_in_dm(ack, client, user_id=request.user_id, reply=reply, saved=f"Saved *{escape(name)}*.")


def confirm_in_dm(ack: Ack, client: WebClient, *, user_id: str, reply: Message, saved: str) -> None:
    """After a form's commit: the confirmation goes to the person's DM and the form closes; when Slack won't take the
    DM, the form shows what was saved and what didn't happen instead (so nobody submits it again)."""
    try:
        client.chat_postMessage(channel=user_id, text=reply["text"], blocks=reply["blocks"])
    except SLACK_FAILURES as error:
        log.warning("form confirmation not posted: %s", type(error).__name__)
        note = slack_failure_note(error, channel_id=None).replace("I couldn't post there", "I couldn't DM you", 1)
        ack(response_action="update", view=modals.notice_modal("Saved", f"{saved} {note}"))
        return
    ack()
