from datetime import date

import pytest

from bot.errors import UserError
from bot.fiscal import FiscalCalendar, FiscalQuarter

FEB = FiscalCalendar()  # the seeds' fiscal year: starts 1 February
CALENDAR = FiscalCalendar(start_month=1)


@pytest.mark.parametrize(
    ("calendar", "day", "fy", "year_start"),
    [
        (FEB, date(2019, 2, 1), 2020, date(2019, 2, 1)),
        (FEB, date(2019, 5, 15), 2020, date(2019, 2, 1)),
        (FEB, date(2019, 12, 31), 2020, date(2019, 2, 1)),
        (FEB, date(2020, 1, 31), 2020, date(2019, 2, 1)),
        (FEB, date(2019, 1, 31), 2019, date(2018, 2, 1)),
        (CALENDAR, date(2019, 1, 1), 2019, date(2019, 1, 1)),
        (CALENDAR, date(2019, 12, 31), 2019, date(2019, 1, 1)),
        (FiscalCalendar(start_month=7), date(2023, 6, 30), 2023, date(2022, 7, 1)),
        (FiscalCalendar(start_month=7), date(2023, 7, 1), 2024, date(2023, 7, 1)),
    ],
)
def test_year_is_named_by_the_calendar_year_in_which_it_ends(calendar, day, fy, year_start):
    assert calendar.year_of(day) == fy
    assert calendar.year_start(day) == year_start


@pytest.mark.parametrize(
    ("calendar", "day", "label", "start", "end"),
    [
        (FEB, date(2019, 5, 1), "FY20-Q2", date(2019, 5, 1), date(2019, 7, 31)),
        (FEB, date(2019, 7, 31), "FY20-Q2", date(2019, 5, 1), date(2019, 7, 31)),
        (FEB, date(2019, 2, 1), "FY20-Q1", date(2019, 2, 1), date(2019, 4, 30)),
        (FEB, date(2019, 11, 30), "FY20-Q4", date(2019, 11, 1), date(2020, 1, 31)),
        (FEB, date(2020, 1, 15), "FY20-Q4", date(2019, 11, 1), date(2020, 1, 31)),
        (FEB, date(2020, 2, 29), "FY21-Q1", date(2020, 2, 1), date(2020, 4, 30)),
        (CALENDAR, date(2024, 1, 1), "FY24-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        (CALENDAR, date(2024, 12, 31), "FY24-Q4", date(2024, 10, 1), date(2024, 12, 31)),
    ],
)
def test_quarter_of_a_day(calendar, day, label, start, end):
    quarter = calendar.quarter_of(day)
    assert (quarter.label, quarter.start, quarter.end) == (label, start, end)
    assert quarter.contains(day)


def test_january_belongs_to_the_previous_fiscal_years_fourth_quarter():
    quarter = FEB.quarter_of(date(2020, 1, 10))
    assert (quarter.fy, quarter.number) == (2020, 4)
    assert FEB.year_of(date(2020, 1, 10)) == FEB.year_of(date(2019, 2, 1)) == 2020


def test_quarter_by_number():
    assert FEB.quarter(2020, 2) == FiscalQuarter(2020, 2, date(2019, 5, 1), date(2019, 7, 31))
    assert CALENDAR.quarter(2020, 2) == FiscalQuarter(2020, 2, date(2020, 4, 1), date(2020, 6, 30))


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2019, 4, 30), False),
        (date(2019, 5, 1), True),
        (date(2019, 6, 15), True),
        (date(2019, 7, 31), True),
        (date(2019, 8, 1), False),
    ],
)
def test_contains_includes_both_ends(day, inside):
    assert FEB.quarter(2020, 2).contains(day) is inside


@pytest.mark.parametrize(
    ("fy", "q", "next_label", "next_start", "previous_label", "previous_end"),
    [
        (2020, 2, "FY20-Q3", date(2019, 8, 1), "FY20-Q1", date(2019, 4, 30)),
        (2020, 4, "FY21-Q1", date(2020, 2, 1), "FY20-Q3", date(2019, 10, 31)),
        (2020, 1, "FY20-Q2", date(2019, 5, 1), "FY19-Q4", date(2019, 1, 31)),
    ],
)
def test_next_and_previous_quarters(fy, q, next_label, next_start, previous_label, previous_end):
    quarter = FEB.quarter(fy, q)
    assert (quarter.next().label, quarter.next().start) == (next_label, next_start)
    assert (quarter.previous().label, quarter.previous().end) == (previous_label, previous_end)
    assert quarter.next().previous() == quarter == quarter.previous().next()


def test_walking_a_year_of_quarters_covers_every_day_once():
    quarter = FEB.quarter(2025, 1)
    days = 0
    for _ in range(4):
        following = quarter.next()
        assert (following.start - quarter.end).days == 1
        days += (quarter.end - quarter.start).days + 1
        quarter = following
    assert days == 366  # FY25 = 2024-02-01..2025-01-31 holds 29 February 2024
    assert quarter.label == "FY26-Q1"


@pytest.mark.parametrize(
    "label", ["FY20-Q2", "FY2020-Q2", "fy20 q2", "Q2 FY20", "q2-fy2020", " FY20Q2 ", "fy 20 - q 2"]
)
def test_parse_quarter_accepts_common_spellings(label):
    quarter = FEB.parse_quarter(label)
    assert (quarter.fy, quarter.number, quarter.start, quarter.end) == (2020, 2, date(2019, 5, 1), date(2019, 7, 31))


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("FY20-Q5", "There is no quarter 5 in `FY20-Q5`"),
        ("FY20-Q0", "There is no quarter 0"),
        ("Q2", "I couldn't read the fiscal quarter `Q2`"),
        ("2020-Q2", "I couldn't read the fiscal quarter `2020-Q2`"),
        ("FY202-Q2", "I couldn't read the fiscal quarter `FY202-Q2`"),
        ("<!channel> FY20-Q2", "I couldn't read the fiscal quarter `@channel FY20-Q2`"),
        ("FY0999-Q1", "The fiscal year in `FY0999-Q1` is out of range"),
        ("", "I couldn't read the fiscal quarter ``"),
    ],
)
def test_parse_quarter_explains_bad_input(label, problem):
    with pytest.raises(UserError) as raised:
        FEB.parse_quarter(label)
    assert raised.value.problem.startswith(problem)
    assert "`FY20-Q2`" in raised.value.usage


def test_quarter_number_outside_one_to_four_is_a_user_error():
    with pytest.raises(UserError, match="no quarter 5"):
        FEB.quarter(2020, 5)


@pytest.mark.parametrize("start_month", [0, 13])
def test_start_month_must_be_a_month(start_month):
    with pytest.raises(ValueError, match="start_month"):
        FiscalCalendar(start_month=start_month)


def test_labels_use_two_digits():
    assert FEB.quarter(2005, 3).label == "FY05-Q3"
    assert FEB.quarter(2100, 1).label == "FY00-Q1"
