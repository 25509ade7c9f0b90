"""Recurrence rules: when a cadence fires, computed in local wall time and returned in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum


class Frequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUALLY = "annually"


@dataclass(frozen=True, slots=True)
class Recurrence:
    """One recurring rule; the fields that apply depend on `frequency`.

    - WEEKLY: `weekday` (0=Monday..6=Sunday), `interval` weeks apart (2 = bi-weekly),
      phase fixed by `anchor` (a date in a week on which it fires; required when interval > 1).
    - MONTHLY: either `day` (1..31, or -1 for the last day; clipped to short months)
      or `ordinal` + `weekday` (ordinal 1..4, or -1 for the last such weekday: "first Monday").
      `interval` months apart (anchored on `anchor`'s month when interval > 1).
    - QUARTERLY: quarters begin in `year_start_month` and every 3 months after it
      (1 = calendar quarters; 2 = the seeds' fiscal year). `month` (1..3) is the month within
      the quarter, then `day` or `ordinal` + `weekday` as for MONTHLY (default: day 1).
    - ANNUALLY: `month` (1..12) of the year, then `day` or `ordinal` + `weekday`.
      With `fiscal=True` the month counts from `year_start_month` (month=1 = first month of the FY).
    All: `at` is the local wall-clock time in the IANA zone `timezone`;
    `weekend_to_monday` moves a Saturday/Sunday occurrence to the following Monday.
    """

    frequency: Frequency
    at: time
    timezone: str
    interval: int = 1
    weekday: int | None = None
    ordinal: int | None = None
    day: int | None = None
    month: int = 1
    year_start_month: int = 1
    fiscal: bool = False
    anchor: date | None = None
    weekend_to_monday: bool = False
