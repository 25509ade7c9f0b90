"""Fiscal years and quarters: the only place that knows when a fiscal year starts and how it is named."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.errors import UserError
from bot.text import quoted

QUARTER_USAGE = "Write it as `FY20-Q2`: the fiscal year, then the quarter 1 to 4 (`FY2020-Q2` and `Q2 FY20` work too)."

# "FY20-Q2", "fy2020 q2", "FY20Q2" · "Q2 FY20", "q2-fy2020"
_FY_FIRST = re.compile(r"fy\s*(?P<fy>\d{2}|\d{4})\s*[-_/ ]?\s*q\s*(?P<q>\d)", re.IGNORECASE)
_Q_FIRST = re.compile(r"q\s*(?P<q>\d)\s*[-_/ ]?\s*fy\s*(?P<fy>\d{2}|\d{4})", re.IGNORECASE)


def add_months(first_of_month: date, months: int) -> date:
    """The first day of the month `months` after the month of `first_of_month`."""
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class FiscalQuarter:
    """One fiscal quarter: `start` and `end` are both inclusive days."""

    fy: int
    number: int
    start: date
    end: date

    @property
    def label(self) -> str:
        """The short name users write, e.g. `FY20-Q2`."""
        return f"FY{self.fy % 100:02d}-Q{self.number}"

    def contains(self, d: date) -> bool:
        """Whether the day `d` falls inside this quarter."""
        return self.start <= d <= self.end

    def next(self) -> FiscalQuarter:
        """The quarter that starts the day after this one ends."""
        start = self.end + timedelta(days=1)
        fy, number = (self.fy + 1, 1) if self.number == 4 else (self.fy, self.number + 1)
        return FiscalQuarter(fy, number, start, add_months(start, 3) - timedelta(days=1))

    def previous(self) -> FiscalQuarter:
        """The quarter that ends the day before this one starts."""
        start = add_months(self.start, -3)
        fy, number = (self.fy - 1, 4) if self.number == 1 else (self.fy, self.number - 1)
        return FiscalQuarter(fy, number, start, self.start - timedelta(days=1))


@dataclass(frozen=True, slots=True)
class FiscalCalendar:
    """A fiscal year starting on the 1st of `start_month`, named by the calendar year in which it ends.

    With `start_month=2`, FY20 runs 2019-02-01..2020-01-31; with `start_month=1` the FY is the calendar year.
    """

    start_month: int = 2

    def __post_init__(self) -> None:
        if not 1 <= self.start_month <= 12:
            raise ValueError(f"start_month must be 1..12, got {self.start_month}")

    def year_of(self, d: date) -> int:
        """The number of the fiscal year containing `d`."""
        if self.start_month == 1 or d.month < self.start_month:
            return d.year
        return d.year + 1

    def year_start(self, d: date) -> date:
        """The first day of the fiscal year containing `d`."""
        year = d.year if d.month >= self.start_month else d.year - 1
        return date(year, self.start_month, 1)

    def quarter(self, fy: int, q: int) -> FiscalQuarter:
        """Quarter `q` (1..4) of fiscal year `fy`; raises UserError for a quarter outside 1..4."""
        if not 1 <= q <= 4:
            raise UserError(f"There is no quarter {q} in a fiscal year.", QUARTER_USAGE)
        first_year = fy if self.start_month == 1 else fy - 1
        start = add_months(date(first_year, self.start_month, 1), 3 * (q - 1))
        return FiscalQuarter(fy, q, start, add_months(start, 3) - timedelta(days=1))

    def quarter_of(self, d: date) -> FiscalQuarter:
        """The fiscal quarter containing `d`."""
        months_in = (d.month - self.start_month) % 12
        return self.quarter(self.year_of(d), months_in // 3 + 1)

    def parse_quarter(self, label: str) -> FiscalQuarter:
        """Read "FY20-Q2", "FY2020-Q2", "fy20 q2" or "Q2 FY20"; raises UserError when it can't."""
        text = label.strip()
        match = _FY_FIRST.fullmatch(text) or _Q_FIRST.fullmatch(text)
        if match is None:
            raise UserError(f"I couldn't read the fiscal quarter {quoted(label)}.", QUARTER_USAGE)
        number = int(match["q"])
        if not 1 <= number <= 4:
            raise UserError(f"There is no quarter {number} in {quoted(label)}; quarters go from 1 to 4.", QUARTER_USAGE)
        fy = int(match["fy"]) + (2000 if len(match["fy"]) == 2 else 0)
        if not 1901 <= fy <= 9998:
            raise UserError(f"The fiscal year in {quoted(label)} is out of range.", QUARTER_USAGE)
        return self.quarter(fy, number)
