"""Dates as people write them in handbook prose: `2022-11-09`, `May 20,2022`, `20 May 2022`, or `TBD` for none yet.

Nothing here guesses: a placeholder is None, text without a full date (day, month and year) is not a date, and
an all-numbers date is read only year first (`2022/07/28`), because `07/08/2022` means two different days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.handbook import HandbookError
from bot.parsing import read_month
from bot.text import quoted

DATE_USAGE = "Write dates as `2022-07-28`, `July 28, 2022` or `28 July 2022`, or `TBD` when there is none yet."

_PLACEHOLDERS = frozenset(
    {"tbd", "tba", "tbc", "n/a", "na", "none", "unknown", "pending", "ongoing", "-", "--", "—", "–", "?", "..."}
)
_FIRST_WORD = re.compile(r"[^\s(,;:]+")
_YEAR_FIRST = re.compile(r"(?<!\d)(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)")
_MONTH_FIRST = re.compile(
    r"(?<![A-Za-z])(?P<month>[A-Za-z]{3,9})\.?\s*(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s*,\s*|\s+)(?P<year>\d{4})(?!\d)"
)
_DAY_FIRST = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<year>\d{4})(?!\d)"
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in text, with where it was written (`start`..`end`), so callers can cut it out."""

    day: date
    start: int
    end: int


def is_placeholder(text: str) -> bool:
    """Whether a cell says there is no value yet: empty, "TBD", "N/A", "-", "TBD (Q3)" and the like."""
    first = _FIRST_WORD.match(text.strip().lower())
    return first is None or first[0].rstrip(".") in _PLACEHOLDERS or first[0] in _PLACEHOLDERS


def _found(match: re.Match[str]) -> FoundDate | None:
    """The FoundDate for a match whose parts make a real day, or None (`Feb 30, 2022`, `Sprint 12 2022`)."""
    month = int(match["month"]) if match["month"].isdigit() else read_month(match["month"])
    if month is None:
        return None
    try:
        return FoundDate(date(int(match["year"]), month, int(match["day"])), match.start(), match.end())
    except ValueError:
        return None


def search_date(text: str) -> FoundDate | None:
    """The first full date written anywhere in `text`, with its position, or None when there is none."""
    candidates = (
        found
        for pattern in (_YEAR_FIRST, _MONTH_FIRST, _DAY_FIRST)
        for match in pattern.finditer(text)
        if (found := _found(match)) is not None
    )
    return min(candidates, key=lambda found: found.start, default=None)


def find_date(text: str) -> date | None:
    """The first full date written anywhere in `text` ("Done on July 1, 2022" gives 2022-07-01), or None."""
    found = search_date(text)
    return found.day if found else None


def read_date_text(text: str) -> date | None:
    """The date a cell or phrase holds; None for a placeholder such as "TBD"; raises HandbookError for other text."""
    if is_placeholder(text):
        return None
    found = find_date(text)
    if found is None:
        raise HandbookError(f"{quoted(text)} is not a date.", DATE_USAGE)
    return found


def write_date(day: date | None) -> str:
    """A date as the handbook writes it when we choose (`2022-07-28`), or "TBD" for none."""
    return day.isoformat() if day else "TBD"
