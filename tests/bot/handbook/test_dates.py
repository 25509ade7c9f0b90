from datetime import date

import pytest

from bot.handbook import HandbookError, reading
from bot.handbook.dates import find_date, is_placeholder, read_date_text, read_written_date, search_date, write_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-11-09", date(2022, 11, 9)),
        ("May 20,2022", date(2022, 5, 20)),
        ("July 28, 2022", date(2022, 7, 28)),
        ("20 May 2022", date(2022, 5, 20)),
        ("Jul 28 2022", date(2022, 7, 28)),
        ("2022/07/28", date(2022, 7, 28)),
        ("2022.7.8", date(2022, 7, 8)),
        ("May 20th, 2022", date(2022, 5, 20)),
        ("28th of July, 2022", date(2022, 7, 28)),
        ("Sept. 5 2022", date(2022, 9, 5)),
        ("14 February 2021", date(2021, 2, 14)),
        ("2023-12-15 (may extend)", date(2023, 12, 15)),
        ("Done on July 1, 2022", date(2022, 7, 1)),
    ],
)
def test_dates_as_people_write_them(text, expected):
    assert find_date(text) == expected
    assert read_date_text(text) == expected


@pytest.mark.parametrize(
    "text",
    ["FY24-Q4", "Q3", "end of year", "Sprint 12 2022", "Feb 30, 2022", "2022-13-01", "07/28/2022", "May 2022", "2022"],
)
def test_text_without_a_full_real_date_gives_no_date(text):
    assert find_date(text) is None


@pytest.mark.parametrize("text", ["", "  ", "TBD", "tbd.", "TBD (Q3)", "N/A", "-", "—", "?", "None", "Ongoing"])
def test_placeholders_mean_no_date_yet(text):
    assert is_placeholder(text)
    assert read_date_text(text) is None


def test_text_that_is_neither_a_date_nor_a_placeholder_is_refused_and_quoted():
    with pytest.raises(HandbookError) as raised:
        read_date_text("sometime <next> year")
    assert raised.value.problem == "`sometime &lt;next&gt; year` is not a date."
    assert "2022-07-28" in raised.value.usage


def test_the_first_date_in_the_text_is_found_with_where_it_is_written():
    found = search_date("from 2022-01-05 to March 3, 2022")
    assert (found.day, found.start, found.end) == (date(2022, 1, 5), 5, 15)
    later = search_date("from March 3, 2022 to 2022-01-05")
    assert (later.day, later.start) == (date(2022, 3, 3), 5)


def test_dates_are_written_in_iso_form_and_none_as_tbd():
    assert write_date(date(2022, 7, 28)) == "2022-07-28"
    assert write_date(None) == "TBD"


def test_reading_names_where_the_error_happened():
    with pytest.raises(HandbookError) as raised, reading("the Attributes table"):
        read_date_text("soon")
    assert raised.value.problem == "I couldn't read the Attributes table: `soon` is not a date."


@pytest.mark.parametrize(
    ("text", "day", "month"),
    [
        ("2022-07-28", date(2022, 7, 28), None),
        ("2023-12-15 (may extend)", date(2023, 12, 15), None),
        ("March, 2022", None, date(2022, 3, 1)),
        ("Mar 2022", None, date(2022, 3, 1)),
        ("end of March 2022", None, date(2022, 3, 1)),
        ("2022-03", None, date(2022, 3, 1)),
        ("TBD", None, None),
    ],
)
def test_a_date_cell_is_a_day_a_month_or_a_placeholder_and_keeps_its_text(text, day, month):
    written = read_written_date(text)
    assert written is not None
    assert (written.text, written.day, written.month) == (text, day, month)
    assert written.is_placeholder == (day is None and month is None)


@pytest.mark.parametrize("text", ["Q3 2022", "FY24-Q4", "Spring 2022", "2022", "May", "sometime next year", "07/2022"])
def test_text_without_a_written_month_and_year_is_no_date_and_no_month(text):
    assert read_written_date(text) is None
