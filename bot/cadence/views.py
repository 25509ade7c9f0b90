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

    Written here, by kind name, because the engine never imports a program (STYLE §2); a kind missing from the
    table is still listed, under its program's name, with `/<program> help`.
    """

    program: str
    audience: str
    change: str


PROGRAM_NUDGES = {
    "wg.sync": ProgramNudge(
        "working groups", "", "In the group's channel: `/wg sync every 2 weeks on tuesday at 10:00` or `/wg sync off`."
    ),
    "wg.digest": ProgramNudge("working groups", "", "In the group's channel: `/wg digest off`."),
    "wg.lifecycle": ProgramNudge(
        "working groups",
        "then a DM to the DRI after the end date",
        "In the group's channel: `/wg extend 2027-03-31` or `/wg close`.",
    ),
    "wg.overdue": ProgramNudge(
        "action items",
        "DM to each owner of an overdue action item",
        "It follows the items: `/wg done 3`, `/wg due 3 friday`, or the DM's own buttons.",
    ),
    "esp.obligation": ProgramNudge(
        "executive sponsorship",
        "to the line's audience: the program channel, or in each person's daily digest (account teams, sponsors, "
        "the program manager)",
        "`/esp cadence` lists the operating cadence, who each line is for, and changes a line.",
    ),
    "esp.touchpoints": ProgramNudge(
        "executive sponsorship",
        "one digest a day to each person with a line due, and to each sponsor with an account missing its "
        "touchpoint near the quarter's end",
        "`/esp cadence` changes the lines it gathers; `/esp touchpoint` logs a touchpoint.",
    ),
    "cocreate.late_steps": ProgramNudge(
        "co-create",
        "DM to each owner of a late outreach step",
        "`/cocreate steps` lists them; `/cocreate step` ticks one.",
    ),
    "cocreate.digest": ProgramNudge(
        "co-create", "the pipeline digest, in the program's channel", "`/cocreate setup #channel` moves it."
    ),
    "cocreate.business_review": ProgramNudge(
        "co-create", "DM to the account teams of started projects", "The program sets it; `/cocreate help`."
    ),
    "okr.retro": ProgramNudge(
        "OKRs", "DM to each team lead, asking for the retrospective", "It follows the quarters `/okr setup` set."
    ),
}


_PROGRAM_NAMES = {"wg": "working groups", "esp": "executive sponsorship", "cocreate": "co-create", "okr": "OKRs"}


def program_nudge(kind: str) -> ProgramNudge:
    """How /cadence describes a program's cadence of this kind (OKR scoring reminders share one line)."""
    if kind in PROGRAM_NUDGES:
        return PROGRAM_NUDGES[kind]
    program = kind.split(".")[0]
    if program == "okr":
        return ProgramNudge(
            "OKRs", "DM to each owner of an unscored key result", "It follows the quarters `/okr setup` set."
        )
    return ProgramNudge(_PROGRAM_NAMES.get(program, program), "", f"`/{program} help` says how to change it.")


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


@dataclass(frozen=True, slots=True)
class NudgeState:
    """A nudge after a press: whether this press changed it, and what it is now (told to whoever came second)."""

    delivery: Delivery
    changed: bool
    snoozed_until: datetime | None = None  # when the snoozed copy goes out, while the nudge is snoozed
    reopened_by: str | None = None  # who last reopened it, while it is open
