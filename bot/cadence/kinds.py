"""Nudge kinds: how each program uses the one cadence engine.

A cadence's `kind` says who an occurrence goes to (decided when it is claimed, in the claim's
transaction) and how its message reads (rendered from current rows when it is posted). Plain
reminders go to their channel and recipients; a program's kinds can compute their audience, e.g.
every owner with an overdue item, and return no one to post nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.blocks.common import Message
from bot.cadence.blocks.nudge import nudge_message
from bot.cadence.rules import from_dict
from bot.cadence.views import REMINDER, ProgramNudge
from models import Cadence, Delivery


def local_day(cadence: Cadence, moment: datetime) -> date:
    """The calendar day of `moment` where the cadence lives (its rule's zone)."""
    return moment.astimezone(ZoneInfo(from_dict(cadence.rule).timezone)).date()


@dataclass(frozen=True, slots=True)
class DueOccurrence:
    """A claimed occurrence of a cadence, as the kind sees it when choosing its audience."""

    cadence_id: int
    team_id: str
    kind: str
    subject_id: int | None
    channel_id: str | None
    recipient_ids: list[str]
    occurrence_at: datetime
    now: datetime


class NudgeKind(Protocol):
    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        """Channel and user ids this occurrence goes to; [] posts nothing."""
        ...

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """The message for one delivery, from the rows as they are now."""
        ...


class Reminder:
    """A plain /cadence reminder: its channel and recipients, the standard nudge."""

    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        """The cadence's own channel, then a DM per recipient."""
        return ([due.channel_id] if due.channel_id else []) + list(due.recipient_ids)

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """The Done / Snooze / Skip nudge."""
        return nudge_message(cadence, delivery, from_dict(cadence.rule))


_KINDS: dict[str, Any] = {REMINDER: Reminder()}


_LISTINGS: dict[str, ProgramNudge] = {}


def register_kind(name: str, kind: NudgeKind, *, listing: ProgramNudge | None = None) -> None:
    """Make a program's kind known to the dispatcher (programs call this when their module loads), with how
    `/cadence list` names its cadences (`listing`: the program, who gets it, the command that changes it)."""
    _KINDS[name] = kind
    if listing is not None:
        _LISTINGS[name] = listing


def listing_of(name: str) -> ProgramNudge:
    """How /cadence names a program's cadence of this kind; one registered without a listing is named by the first
    word of its kind, with that program's help."""
    if name in _LISTINGS:
        return _LISTINGS[name]
    program = name.split(".")[0]
    return ProgramNudge(program, "", f"`/{program} help` says how to change it.")


def kind_of(name: str) -> NudgeKind:
    """The kind registered under `name`; raises KeyError for an unknown kind (a process that never imported
    bot.programs, or a deploy missing a program)."""
    return _KINDS[name]
