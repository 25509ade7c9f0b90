"""Recurrence rules: when a cadence fires, computed in local wall time and returned in UTC."""

from __future__ import annotations

from calendar import monthrange
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import takewhile
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import UserError
from bot.fiscal import FiscalCalendar, add_months
from bot.text import quoted


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUALLY = "annually"


@dataclass(frozen=True, slots=True)
class Recurrence:
    """One recurring rule; the fields that apply depend on `frequency`.

    - WEEKLY: `weekday` (0=Monday..6=Sunday), `interval` weeks apart (2 = bi-weekly),
      phase fixed by `anchor` (a date in a week on which it fires; required when interval > 1).
    - MONTHLY: either `day` (1..31, clipped to short months; or -1..-28 counted from the end: -1 the last day, -15
      the 15th-last, which is two weeks before the last)
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


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
MAX_INTERVAL = 52
TIMEZONE_USAGE = "Use an IANA name such as `Europe/Paris` or `America/New_York`."
_MONTHS_PER_PERIOD = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUALLY: 12}
# An occurrence can land up to 2 days after its nominal day (weekend_to_monday) and up to a day later on the
# clock (a wall time inside a DST or date-line gap), so the search starts this many local days before `after`.
_LOOKBACK = timedelta(days=4)


def validate(rule: Recurrence) -> None:
    """Check that `rule` can ever fire; raises UserError saying what is impossible and how to write it."""
    if rule.frequency not in tuple(Frequency):
        raise UserError(
            f"I don't know how often {quoted(str(rule.frequency))} is.", "Use weekly, monthly, quarterly or annually."
        )
    zone_for(rule.timezone)
    if not 1 <= rule.interval <= MAX_INTERVAL:
        raise UserError(
            f"I can only repeat every 1 to {MAX_INTERVAL} periods, not `{rule.interval}`.",
            "Write e.g. `every 2 weeks`.",
        )
    if rule.weekday is not None and not 0 <= rule.weekday <= 6:
        raise UserError(f"There is no weekday `{rule.weekday}`.", "Use a day from Monday to Sunday.")
    if rule.day is not None and not (1 <= rule.day <= 31 or -28 <= rule.day <= -1):
        raise UserError(f"There is no day `{rule.day}` in a month.", "Use a day from 1 to 31, or the last day.")
    if rule.ordinal is not None and rule.ordinal not in ORDINAL_WORDS:
        raise UserError(
            f"I can't count weekday number `{rule.ordinal}` in a month.",
            "Use first to fourth, or last, e.g. `first monday`.",
        )
    if not 1 <= rule.year_start_month <= 12:
        raise UserError(f"A year can't start in month `{rule.year_start_month}`.", "Use a month from 1 to 12.")
    if rule.frequency == Frequency.WEEKLY:
        _validate_weekly(rule)
    elif rule.frequency != Frequency.DAILY:
        _validate_day_of_month(rule)


def _validate_weekly(rule: Recurrence) -> None:
    """The weekly-only checks of `validate`; raises UserError."""
    if rule.weekday is None:
        raise UserError("A weekly cadence needs a day of the week.", "Write e.g. `every monday at 09:30`.")
    if rule.interval > 1 and rule.anchor is None:
        raise UserError(
            f"Every {rule.interval} weeks needs a first date to count the weeks from.",
            "Give the date of a week on which it fires, e.g. `2024-01-08`.",
        )


def _validate_day_of_month(rule: Recurrence) -> None:
    """The monthly, quarterly and annual checks of `validate`; raises UserError."""
    if rule.frequency == Frequency.QUARTERLY and not 1 <= rule.month <= 3:
        raise UserError(f"A quarter has months 1 to 3, not `{rule.month}`.", "Use 1 for the quarter's first month.")
    if not 1 <= rule.month <= 12:
        raise UserError(f"There is no month `{rule.month}`.", "Use a month from 1 to 12.")
    if rule.ordinal is not None and rule.weekday is None:
        raise UserError(
            f"The {ORDINAL_WORDS[rule.ordinal]} what? A weekday must follow it.", "Write e.g. `first monday`."
        )
    if rule.ordinal is not None and rule.day is not None:
        raise UserError("Pick either a day of the month or a weekday such as `first monday`, not both.")
    if rule.weekday is not None and rule.ordinal is None and rule.day is None:
        raise UserError(
            f"Which {WEEKDAY_NAMES[rule.weekday]} of the month?", "Write e.g. `first monday` or `last friday`."
        )


def zone_for(name: str) -> ZoneInfo:
    """The IANA zone called `name`; raises UserError for a name zoneinfo doesn't know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise UserError(f"I don't know the time zone {quoted(str(name))}.", TIMEZONE_USAGE) from None


def next_after(rule: Recurrence, after: datetime) -> datetime:
    """The first occurrence strictly after the aware `after`, in UTC; raises UserError for an invalid rule."""
    return next(_occurrences_after(rule, after))


def occurrences_between(rule: Recurrence, start: datetime, end: datetime) -> Iterator[datetime]:
    """Occurrences in (start, end], in order, in UTC; raises UserError for an invalid rule."""
    return takewhile(lambda moment: moment <= end, _occurrences_after(rule, start))


def latest_due(rule: Recurrence, now: datetime, since: datetime) -> datetime | None:
    """The latest occurrence in (since, now] in UTC, or None; raises UserError for an invalid rule."""
    # Look back one longest gap between occurrences at a time rather than walking forward from `since`,
    # which may be years ago after downtime; the first window that holds an occurrence holds the latest one.
    span = _longest_gap(rule)
    window_end = now
    while window_end > since:
        window_start = max(since, window_end - span)
        found = deque(occurrences_between(rule, window_start, window_end), maxlen=1)
        if found:
            return found[0]
        window_end = window_start
    return None


def _longest_gap(rule: Recurrence) -> timedelta:
    """More than the longest time between two consecutive occurrences of `rule`."""
    if rule.frequency == Frequency.DAILY:
        return timedelta(days=rule.interval) + _LOOKBACK
    if rule.frequency == Frequency.WEEKLY:
        return timedelta(weeks=rule.interval) + _LOOKBACK
    return timedelta(days=31 * _MONTHS_PER_PERIOD[rule.frequency] * rule.interval + 7) + _LOOKBACK


def _occurrences_after(rule: Recurrence, after: datetime) -> Iterator[datetime]:
    """Every occurrence strictly after `after`, in UTC; raises UserError for an invalid rule, ValueError if naive."""
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError("`after` must be an aware datetime")
    validate(rule)  # here rather than in the generator, so a bad rule fails at the call and not at first use
    return _walk(rule, after, zone_for(rule.timezone))


def _walk(rule: Recurrence, after: datetime, zone: ZoneInfo) -> Iterator[datetime]:
    """The occurrences of a valid rule after `after`, strictly increasing, so none is returned twice."""
    wall_time = rule.at.replace(tzinfo=None)
    previous = after
    for day in _nominal_days(rule, after.astimezone(zone).date() - _LOOKBACK):
        if rule.weekend_to_monday and day.weekday() >= 5:
            day += timedelta(days=7 - day.weekday())
        # fold=0: a time skipped by spring-forward lands after the gap, a repeated fall-back time is the first one.
        moment = datetime.combine(day, wall_time, tzinfo=zone).astimezone(UTC)
        if moment > previous:
            previous = moment
            yield moment


def _nominal_days(rule: Recurrence, from_day: date) -> Iterator[date]:
    """The local days the rule fires on, before any weekend move, from the first period in phase at or after the
    period holding `from_day` (so the first few may fall before `from_day`)."""
    if rule.frequency == Frequency.DAILY:
        yield from _daily_days(rule, from_day)
        return
    if rule.frequency == Frequency.WEEKLY:
        yield from _weekly_days(rule, from_day)
        return
    period_start, index = _period_of(rule, from_day)
    phase_index = _period_of(rule, rule.anchor)[1] if rule.anchor else 0
    months_per_period = _MONTHS_PER_PERIOD[rule.frequency]
    period_start = add_months(period_start, months_per_period * (-(index - phase_index) % rule.interval))
    month_in_period = 0 if rule.frequency == Frequency.MONTHLY else rule.month - 1
    while True:
        month_start = add_months(period_start, month_in_period)
        yield _day_in_month(rule, month_start.year, month_start.month)
        period_start = add_months(period_start, months_per_period * rule.interval)


def _daily_days(rule: Recurrence, from_day: date) -> Iterator[date]:
    """Every `interval`-th day from `from_day` (in phase with `anchor` when it is given)."""
    day = from_day
    if rule.interval > 1 and rule.anchor is not None:
        day += timedelta(days=-(day - rule.anchor).days % rule.interval)
    step = timedelta(days=rule.interval)
    while True:
        yield day
        day += step


def _weekly_days(rule: Recurrence, from_day: date) -> Iterator[date]:
    """The weekly rule's days from the first in-phase week at or after the week holding `from_day`."""
    monday = from_day - timedelta(days=from_day.weekday())
    if rule.interval > 1 and rule.anchor is not None:
        anchor_monday = rule.anchor - timedelta(days=rule.anchor.weekday())
        monday += timedelta(weeks=-((monday - anchor_monday).days // 7) % rule.interval)
    step = timedelta(weeks=rule.interval)
    offset = timedelta(days=rule.weekday or 0)
    while True:
        yield monday + offset
        monday += step


def _period_of(rule: Recurrence, day: date) -> tuple[date, int]:
    """The first day of the month, quarter or year holding `day`, and that period's running number."""
    if rule.frequency == Frequency.MONTHLY:
        # Without an anchor, months in phase are counted from the year's first month.
        return day.replace(day=1), day.year * 12 + day.month - rule.year_start_month
    if rule.frequency == Frequency.QUARTERLY:
        quarter = FiscalCalendar(rule.year_start_month).quarter_of(day)
        return quarter.start, quarter.fy * 4 + quarter.number - 1
    if rule.fiscal:
        calendar = FiscalCalendar(rule.year_start_month)
        return calendar.year_start(day), calendar.year_of(day)
    return date(day.year, 1, 1), day.year


def _day_in_month(rule: Recurrence, year: int, month: int) -> date:
    """The day the rule picks in this month: a day clipped to the month's length, or the nth/last weekday."""
    last_day = monthrange(year, month)[1]
    if rule.ordinal is not None and rule.weekday is not None:
        if rule.ordinal == -1:
            return date(year, month, last_day - (date(year, month, last_day).weekday() - rule.weekday) % 7)
        first_match = 1 + (rule.weekday - date(year, month, 1).weekday()) % 7
        return date(year, month, first_match + 7 * (rule.ordinal - 1))
    if rule.day is None:
        return date(year, month, 1)
    return date(year, month, last_day + 1 + rule.day if rule.day < 0 else min(rule.day, last_day))


def describe(rule: Recurrence) -> str:
    """Short human text for the rule, e.g. "every Monday at 09:30 (Europe/Paris)"."""
    text = f"{_describe_when(rule)} at {rule.at.strftime('%H:%M')} ({rule.timezone})"
    return text + ", weekends moved to Monday" if rule.weekend_to_monday else text


def _describe_when(rule: Recurrence) -> str:
    """The day part of `describe`, e.g. "monthly on the last Friday"."""
    if rule.frequency == Frequency.DAILY:
        return "every day" if rule.interval == 1 else f"every {rule.interval} days"
    if rule.frequency == Frequency.WEEKLY:
        weekday = WEEKDAY_NAMES[rule.weekday or 0]
        return f"every {weekday}" if rule.interval == 1 else f"every {rule.interval} weeks on {weekday}"
    if rule.frequency == Frequency.MONTHLY:
        every = "monthly" if rule.interval == 1 else f"every {rule.interval} months"
        if rule.ordinal is not None or (rule.day or 0) < 0:
            return f"{every} on {_describe_ordinal_day(rule)}"
        return f"{every} on the {_nth(rule.day or 1)}"
    if rule.frequency == Frequency.QUARTERLY:
        unit = "fiscal quarter" if rule.fiscal or rule.year_start_month != 1 else "quarter"
        every = f"every {unit}" if rule.interval == 1 else f"every {rule.interval} {unit}s"
        of_month = "" if rule.month == 1 else f" of the {ORDINAL_WORDS[rule.month]} month"
        if rule.ordinal is not None or (rule.day or 0) < 0:
            return f"{every} on {_describe_ordinal_day(rule)}{of_month}"
        return f"{every} on day {rule.day or 1}{of_month}"
    unit = "fiscal year" if rule.fiscal else "year"
    every = f"every {unit}" if rule.interval == 1 else f"every {rule.interval} {unit}s"
    month_index = (rule.year_start_month - 1 + rule.month - 1) % 12 if rule.fiscal else rule.month - 1
    month_name = MONTH_NAMES[month_index]
    if rule.ordinal is not None or (rule.day or 0) < 0:
        return f"{every} on {_describe_ordinal_day(rule)} of {month_name}"
    return f"{every} on {rule.day or 1} {month_name}"


def _describe_ordinal_day(rule: Recurrence) -> str:
    """ "the last day" or "the first Monday"."""
    if rule.ordinal is None or rule.weekday is None:
        return "the last day" if (rule.day or -1) == -1 else f"the {_nth(-(rule.day or -1))}-last day"
    return f"the {ORDINAL_WORDS[rule.ordinal]} {WEEKDAY_NAMES[rule.weekday]}"


def _nth(number: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st."""
    suffix = "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def to_dict(rule: Recurrence) -> dict[str, Any]:
    """The rule as JSON-safe values (times "HH:MM", dates ISO) for a JSON column."""
    at = rule.at.replace(tzinfo=None)
    return {
        "frequency": str(rule.frequency),
        "at": at.isoformat("minutes" if at.second == 0 and at.microsecond == 0 else "auto"),
        "timezone": rule.timezone,
        "interval": rule.interval,
        "weekday": rule.weekday,
        "ordinal": rule.ordinal,
        "day": rule.day,
        "month": rule.month,
        "year_start_month": rule.year_start_month,
        "fiscal": rule.fiscal,
        "anchor": rule.anchor.isoformat() if rule.anchor else None,
        "weekend_to_monday": rule.weekend_to_monday,
    }


def from_dict(data: dict[str, Any]) -> Recurrence:
    """The rule stored by `to_dict`; missing optional keys take their defaults; raises KeyError or ValueError."""
    anchor = data.get("anchor")
    return Recurrence(
        frequency=Frequency(data["frequency"]),
        at=time.fromisoformat(data["at"]),
        timezone=data["timezone"],
        interval=int(data.get("interval", 1)),
        weekday=_optional_int(data.get("weekday")),
        ordinal=_optional_int(data.get("ordinal")),
        day=_optional_int(data.get("day")),
        month=int(data.get("month", 1)),
        year_start_month=int(data.get("year_start_month", 1)),
        fiscal=bool(data.get("fiscal", False)),
        anchor=date.fromisoformat(anchor) if anchor else None,
        weekend_to_monday=bool(data.get("weekend_to_monday", False)),
    )


def _optional_int(value: Any) -> int | None:
    """`value` as an int, keeping None."""
    return None if value is None else int(value)
