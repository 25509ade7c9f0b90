"""The values time away is shown with, shared by its service (bot/cadence/away.py) and its Block Kit
(bot/cadence/blocks/away.py), which is given them and never queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from models import Away

EXAMPLE = "`/cadence away 2026-12-21 to 2027-01-04`"


def short_day(day: date) -> str:
    """`Mon 4 Jan`: how a day away is shown (a day, not an instant, so it reads the same in every zone)."""
    return f"{day:%a} {day.day} {day:%b}"


@dataclass(frozen=True, slots=True)
class AwayChange:
    """What a change did: the time away as it now stands, and how (`set`, `changed`, `ended`, `cancelled`)."""

    away: Away
    what: str
    held: int = 0


@dataclass(frozen=True, slots=True)
class CatchUpItem:
    """One cadence's nudges held during a time away: listed once, with each time it came due and its latest text."""

    cadence_id: int
    title: str
    kind: str
    channel_id: str | None
    due: list[datetime]
    summary: str
