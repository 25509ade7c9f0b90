"""What /cadence and App Home show of cadences and nudges, as plain values: the service makes them, the Block Kit
in bot/cadence/blocks/ is given them and never queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models import Delivery

# The kind of a cadence a person wrote with /cadence (every other kind is a program's nudge).
REMINDER = "reminder"


@dataclass(frozen=True, slots=True)
class ProgramNudge:
    """What /cadence says about a program's cadence: whose it is, who gets it when no channel does, how to change it.

    Each program gives its own when it registers the kind (bot/cadence/kinds.py `register_kind`); a kind registered
    without one is still listed, under the first word of its name, with `/<program> help`.
    """

    program: str
    audience: str
    change: str


@dataclass(frozen=True, slots=True)
class FailedNudge:
    """A delivery that gave up, as /cadence list reports it."""

    occurrence_at: datetime
    last_error: str | None


@dataclass(frozen=True, slots=True)
class CadenceView:
    """A cadence as /cadence list and App Home show it: plain values, its rule already described."""

    id: int
    title: str
    description: str
    channel_id: str | None
    recipient_ids: list[str]
    created_by: str
    status: str
    next_run_at: datetime | None
    kind: str
    failed: list[FailedNudge]
    listing: ProgramNudge | None = None  # a program's cadence: how /cadence names it; None for a reminder


@dataclass(frozen=True, slots=True)
class NudgeState:
    """A nudge after a press: whether this press changed it, and what it is now (told to whoever came second)."""

    delivery: Delivery
    changed: bool
    snoozed_until: datetime | None = None  # when the snoozed copy goes out, while the nudge is snoozed
    reopened_by: str | None = None  # who last reopened it, while it is open
