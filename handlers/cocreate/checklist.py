"""A prospect's checklist message after a change: what to redraw, read inside the unit of work, and the post or
update once the commit is done. Commands, buttons and forms all redraw through here."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, object_session

from bot.blocks.common import Message
from bot.cocreate import service
from bot.cocreate.blocks import steps as step_blocks
from bot.db import unit_of_work
from handlers.context import SlackRequest
from handlers.replies import slack_failure_note
from models import OutreachStep, Prospect

log = logging.getLogger(__name__)
# What a Slack call after the commit can fail with: an API error, or no answer in time (URLError, TimeoutError).
SLACK_FAILURES = (SlackApiError, OSError)


@dataclass(frozen=True, slots=True)
class Redraw:
    """A prospect's checklist message as its rows stood at the commit, to post or update once the commit is done."""

    prospect_id: int
    channel_id: str
    ts: str | None  # None: not posted yet
    message: Message


def checklist_message(prospect: Prospect, today: date) -> Message:
    """The checklist as the prospect's rows stand, with the program's resources on the meeting step."""
    return step_blocks.outreach_checklist(prospect, today=today, resources=_resources(prospect))


def _resources(prospect: Prospect) -> list[dict[str, str]]:
    session = object_session(prospect)
    return service.program_of(session, team_id=prospect.team_id).resources if session is not None else []


def checklist_redraw(prospect: Prospect, *, today: date) -> Redraw | None:
    """Inside the unit of work: the checklist message to update (or to post, when its first post failed)."""
    if prospect.checklist_channel_id and prospect.checklist_ts:
        return Redraw(
            prospect.id, prospect.checklist_channel_id, prospect.checklist_ts, checklist_message(prospect, today)
        )
    session = object_session(prospect)
    if prospect.steps and session is not None:
        where = prospect.outreach_channel_id or service.program_of(session, team_id=prospect.team_id).channel_id
        return Redraw(prospect.id, where, None, checklist_message(prospect, today))
    return None


def change_step(
    session: Session, request: SlackRequest, step: OutreachStep, **change: Any
) -> tuple[str, Redraw | None]:
    """Inside the unit of work: change the step as `request`'s user, then its line for the reply and the checklist to
    redraw after the commit; raises what `service.change_step` raises."""
    service.change_step(
        session,
        actor=request.actor,
        step=step,
        today=request.today,
        now=request.now,
        timezone=request.timezone,
        **change,
    )
    return step_blocks.step_line(step.position + 1, step, request.today), checklist_redraw(
        step.prospect, today=request.today
    )


def redraw(client: WebClient, pending: Redraw | None) -> str:
    """After the commit: update the checklist in place (or post it and remember where); '' when done, else what
    didn't happen and the fix. The change it shows stays saved either way."""
    if pending is None:
        return ""
    text, blocks = pending.message["text"], pending.message["blocks"]
    try:
        if pending.ts is not None:
            client.chat_update(channel=pending.channel_id, ts=pending.ts, text=text, blocks=blocks)
            return ""
        posted = client.chat_postMessage(channel=pending.channel_id, text=text, blocks=blocks)
    except SLACK_FAILURES as error:
        log.warning("checklist of prospect %s not shown: %s", pending.prospect_id, type(error).__name__)
        note = slack_failure_note(error, channel_id=pending.channel_id)
        return note.replace("I couldn't post", "I couldn't show its checklist", 1)
    with unit_of_work() as session:
        prospect = session.get(Prospect, pending.prospect_id)
        if prospect is not None:
            service.set_checklist_message(prospect, channel_id=posted["channel"], ts=posted["ts"])
    return ""


def saved_reply(what: str, problem: str) -> str:
    """The reply after a commit: what was saved, then what didn't happen and its fix, if anything."""
    return f"{what.rstrip('.')}. {problem}" if problem else what
