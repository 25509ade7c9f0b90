"""What the ESP digest and `/esp checklist` show, as the nudges gather it and the blocks render it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from models import ChecklistItem


@dataclass(slots=True)
class DigestLine:
    """One obligation in a digest: its title, period, and its Done rows (an account's name, or "" for a line of the
    program manager's own; the item None when it has none yet)."""

    title: str
    period: str
    key: str
    rows: list[tuple[str, ChecklistItem | None]]
    covers: list[str] = field(default_factory=list)  # the operating-cadence lines it stands for
    accounts: bool = True  # rows name accounts (else they are the items of the program manager's checklist)


@dataclass(frozen=True, slots=True)
class PeriodChecklist:
    """`/esp checklist` for one fiscal quarter or year: the lists, or why there are none and when they come."""

    label: str
    lists: list[tuple[str, list[ChecklistItem]]]
    waiting: list[str]  # account names without a list yet
    comes_at: datetime | None  # the period's first checklist nudge, when it is still to come
    off: bool  # every per-account line of this period is turned off
