"""Dates as people write them in handbook prose: `2022-11-09`, `May 20,2022`, `20 May 2022`, `March, 2022`, `TBD`.

Nothing here guesses: a placeholder is None, an all-numbers date is read only year first (`2022/07/28`), because
`07/08/2022` means two different days, and a month without a day (`March, 2022`) stays a month: `read_written_date`
says which of the three a cell holds and keeps the text as written, so an export can write it back unchanged.

`search_date` finds full dates with their position (the progress markers cut them out of a line), which
python-dateutil's parser does not give; `read_written_date` uses that parser for what is left (a month and a year
written in any order, with or without commas and words around them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from dateutil import parser as dateutil_parser

from bot.handbook import HandbookError
from bot.parsing import read_month
from bot.text import quoted

DATE_USAGE = (
    "Write dates as `2022-07-28`, `July 28, 2022` or `28 July 2022`, a month as `March 2022`, "
    "or `TBD` when there is none yet."
)

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


_ISO_MONTH = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})(?![\d-])")
_WORD = re.compile(r"[A-Za-z]+")
# Two defaults that differ in every field: a field the parser fills the same way from both was written.
_DEFAULTS = (datetime(1, 1, 1), datetime(2, 2, 2))


@dataclass(frozen=True, slots=True)
class WrittenDate:
    """A date cell as written: a full `day`, else a `month` (its first day, with no day written), else neither.

    `text` is the cell as the page wrote it, so a month or a placeholder can be written back the same way.
    """

    text: str
    day: date | None = None
    month: date | None = None

    @property
    def is_placeholder(self) -> bool:
        """Whether the cell says there is no date yet ("TBD", empty)."""
        return self.day is None and self.month is None and is_placeholder(self.text)


def _written_month(text: str) -> date | None:
    """The month (as its first day) that `text` names with a year and a month word or as `2022-03`, or None.

    A bare number is never read as a month ("Q3 2022" is not March).
    """
    iso = _ISO_MONTH.search(text)
    if iso is not None and 1 <= int(iso["month"]) <= 12:
        return date(int(iso["year"]), int(iso["month"]), 1)
    if not any(read_month(word) for word in _WORD.findall(text)):
        return None
    try:
        first, second = (dateutil_parser.parse(text, default=default, fuzzy=True) for default in _DEFAULTS)
    except (ValueError, OverflowError):
        return None
    if first.year != second.year or first.month != second.month:
        return None  # no year written, or no month: "March", "2022"
    return date(first.year, first.month, 1)


def read_written_date(text: str) -> WrittenDate | None:
    """What a date cell holds: a day, a month ("March, 2022"), a placeholder ("TBD"); None for text that is none.

    The full date comes first ("2023-12-15 (may extend)" is that day); a month only when no full date is written.
    """
    cleaned = text.strip()
    if is_placeholder(cleaned):
        return WrittenDate(cleaned)
    day = find_date(cleaned)
    if day is not None:
        return WrittenDate(cleaned, day=day)
    month = _written_month(cleaned)
    return WrittenDate(cleaned, month=month) if month is not None else None
