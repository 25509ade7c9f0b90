import json
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.cadence import rules
from bot.cadence.rules import (
    Frequency,
    Recurrence,
    describe,
    from_dict,
    latest_due,
    next_after,
    occurrences_between,
    to_dict,
    validate,
)
from bot.errors import UserError

W, M, Q, A = Frequency.WEEKLY, Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUALLY
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
PARIS, NEW_YORK = "Europe/Paris", "America/New_York"


def rule(frequency: Frequency, at: str = "09:30", tz: str = "UTC", **fields) -> Recurrence:
    return Recurrence(frequency=frequency, at=time.fromisoformat(at), timezone=tz, **fields)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def wall(moment: datetime, tz: str) -> str:
    """How a local clock in `tz` shows `moment`, with the zone's abbreviation, e.g. "2024-03-31 09:30 CEST"."""
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M %Z")


def series(recurrence: Recurrence, after: datetime, count: int) -> list[datetime]:
    moments = []
    for _ in range(count):
        after = next_after(recurrence, after)
        moments.append(after)
    return moments


WEEKLY_MONDAY_PARIS = rule(W, tz=PARIS, weekday=MON)

SERIES_CASES = [
    pytest.param(
        WEEKLY_MONDAY_PARIS,
        "2024-03-20",
        ["2024-03-25 09:30 CET", "2024-04-01 09:30 CEST", "2024-04-08 09:30 CEST"],
        id="weekly-paris-keeps-0930-across-spring-dst",
    ),
    pytest.param(
        rule(W, tz=PARIS, weekday=SUN),
        "2024-10-14",
        ["2024-10-20 09:30 CEST", "2024-10-27 09:30 CET", "2024-11-03 09:30 CET"],
        id="weekly-paris-keeps-0930-on-the-fall-dst-sunday",
    ),
    pytest.param(
        rule(W, tz=NEW_YORK, weekday=MON),
        "2024-10-28",
        ["2024-10-28 09:30 EDT", "2024-11-04 09:30 EST"],
        id="weekly-new-york-keeps-0930-across-fall-dst",
    ),
    pytest.param(
        rule(W, at="02:30", tz=NEW_YORK, weekday=SUN),
        "2024-03-01",
        ["2024-03-03 02:30 EST", "2024-03-10 03:30 EDT", "2024-03-17 02:30 EDT"],
        id="new-york-0230-on-the-spring-day-moves-to-0330",
    ),
    pytest.param(
        rule(W, at="02:30", tz=PARIS, weekday=SUN),
        "2024-03-25",
        ["2024-03-31 03:30 CEST", "2024-04-07 02:30 CEST"],
        id="paris-0230-on-the-spring-day-moves-to-0330",
    ),
    pytest.param(
        rule(W, at="01:30", tz=NEW_YORK, weekday=SUN),
        "2024-10-30",
        ["2024-11-03 01:30 EDT", "2024-11-10 01:30 EST"],
        id="new-york-repeated-0130-on-the-fall-day-is-the-first-one",
    ),
    pytest.param(
        rule(W, weekday=MON, interval=2, anchor=date(2024, 1, 10)),
        "2024-01-09",
        ["2024-01-22 09:30 UTC", "2024-02-05 09:30 UTC", "2024-02-19 09:30 UTC"],
        id="biweekly-phase-from-the-anchor-week",
    ),
    pytest.param(
        rule(W, weekday=MON, interval=2, anchor=date(2024, 2, 5)),
        "2024-01-01",
        ["2024-01-08 09:30 UTC", "2024-01-22 09:30 UTC", "2024-02-05 09:30 UTC"],
        id="biweekly-anchor-in-the-future-sets-the-same-phase-backwards",
    ),
    pytest.param(
        rule(W, weekday=FRI, interval=3, anchor=date(2023, 12, 29)),
        "2024-01-01",
        ["2024-01-19 09:30 UTC", "2024-02-09 09:30 UTC", "2024-03-01 09:30 UTC"],
        id="every-three-weeks",
    ),
    pytest.param(
        rule(M, day=31),
        "2024-01-01",
        ["2024-01-31 09:30 UTC", "2024-02-29 09:30 UTC", "2024-03-31 09:30 UTC", "2024-04-30 09:30 UTC"],
        id="monthly-day-31-clips-to-february-29-and-april-30",
    ),
    pytest.param(
        rule(M, day=31),
        "2023-02-01",
        ["2023-02-28 09:30 UTC", "2023-03-31 09:30 UTC"],
        id="monthly-day-31-in-a-common-february",
    ),
    pytest.param(
        rule(M, day=-1),
        "2023-01-01",
        ["2023-01-31 09:30 UTC", "2023-02-28 09:30 UTC", "2023-03-31 09:30 UTC", "2023-04-30 09:30 UTC"],
        id="monthly-last-day",
    ),
    pytest.param(
        rule(M, ordinal=1, weekday=MON),
        "2023-12-31",
        ["2024-01-01 09:30 UTC", "2024-02-05 09:30 UTC", "2024-03-04 09:30 UTC", "2024-04-01 09:30 UTC"],
        id="monthly-first-monday",
    ),
    pytest.param(
        rule(M, at="16:00", ordinal=-1, weekday=FRI),
        "2024-01-01",
        ["2024-01-26 16:00 UTC", "2024-02-23 16:00 UTC", "2024-03-29 16:00 UTC", "2024-04-26 16:00 UTC"],
        id="monthly-last-friday",
    ),
    pytest.param(
        rule(M, ordinal=4, weekday=THU),
        "2024-10-01",
        ["2024-10-24 09:30 UTC", "2024-11-28 09:30 UTC"],
        id="monthly-fourth-thursday",
    ),
    pytest.param(
        rule(M, day=15, interval=2, anchor=date(2024, 3, 1)),
        "2024-01-01",
        ["2024-01-15 09:30 UTC", "2024-03-15 09:30 UTC", "2024-05-15 09:30 UTC"],
        id="every-two-months-in-phase-with-the-anchor-month",
    ),
    pytest.param(
        rule(M, day=1, interval=3, year_start_month=2),
        "2024-01-01",
        ["2024-02-01 09:30 UTC", "2024-05-01 09:30 UTC", "2024-08-01 09:30 UTC", "2024-11-01 09:30 UTC"],
        id="every-three-months-without-anchor-counts-from-the-year-start-month",
    ),
    pytest.param(
        rule(Q, at="09:00", day=1),
        "2024-02-01",
        ["2024-04-01 09:00 UTC", "2024-07-01 09:00 UTC", "2024-10-01 09:00 UTC", "2025-01-01 09:00 UTC"],
        id="calendar-quarters",
    ),
    pytest.param(
        rule(Q, at="09:00", ordinal=1, weekday=MON, year_start_month=2),
        "2024-01-01",
        ["2024-02-05 09:00 UTC", "2024-05-06 09:00 UTC", "2024-08-05 09:00 UTC", "2024-11-04 09:00 UTC"],
        id="fiscal-quarters-start-feb-may-aug-nov",
    ),
    pytest.param(
        rule(Q, at="09:00", month=3, day=-1, year_start_month=2),
        "2024-05-01",
        ["2024-07-31 09:00 UTC", "2024-10-31 09:00 UTC", "2025-01-31 09:00 UTC", "2025-04-30 09:00 UTC"],
        id="fiscal-quarter-last-day-of-its-third-month",
    ),
    pytest.param(
        rule(Q, at="09:00", year_start_month=2),
        "2024-03-01",
        ["2024-05-01 09:00 UTC", "2024-08-01 09:00 UTC"],
        id="quarterly-defaults-to-day-one",
    ),
    pytest.param(
        rule(Q, at="09:00", day=10, interval=2, year_start_month=2, anchor=date(2024, 6, 1)),
        "2024-01-01",
        ["2024-05-10 09:00 UTC", "2024-11-10 09:00 UTC", "2025-05-10 09:00 UTC"],
        id="every-two-fiscal-quarters-in-phase-with-the-anchor-quarter",
    ),
    pytest.param(
        rule(A, at="09:00", month=3, day=15),
        "2024-03-15T09:00",
        ["2025-03-15 09:00 UTC", "2026-03-15 09:00 UTC"],
        id="annual-15-march",
    ),
    pytest.param(
        rule(A, at="09:00", month=2, day=29),
        "2024-01-01",
        [
            "2024-02-29 09:00 UTC",
            "2025-02-28 09:00 UTC",
            "2026-02-28 09:00 UTC",
            "2027-02-28 09:00 UTC",
            "2028-02-29 09:00 UTC",
        ],
        id="annual-29-february-clips-in-common-years",
    ),
    pytest.param(
        rule(A, at="09:00", month=5, ordinal=-1, weekday=MON),
        "2024-01-01",
        ["2024-05-27 09:00 UTC", "2025-05-26 09:00 UTC"],
        id="annual-last-monday-of-may",
    ),
    pytest.param(
        rule(A, at="09:00", month=1, day=1, fiscal=True, year_start_month=2),
        "2024-01-01",
        ["2024-02-01 09:00 UTC", "2025-02-01 09:00 UTC"],
        id="fiscal-year-month-1-is-february",
    ),
    pytest.param(
        rule(A, at="09:00", month=12, day=-1, fiscal=True, year_start_month=2),
        "2024-03-01",
        ["2025-01-31 09:00 UTC", "2026-01-31 09:00 UTC"],
        id="fiscal-year-month-12-is-the-next-january",
    ),
    pytest.param(
        rule(A, at="09:00", month=1, day=1, interval=2, fiscal=True, year_start_month=2, anchor=date(2025, 3, 1)),
        "2022-06-01",
        ["2023-02-01 09:00 UTC", "2025-02-01 09:00 UTC", "2027-02-01 09:00 UTC"],
        id="every-other-fiscal-year-in-phase-with-the-anchor-year",
    ),
    pytest.param(
        rule(M, day=1, weekend_to_monday=True),
        "2024-05-15",
        ["2024-06-03 09:30 UTC", "2024-07-01 09:30 UTC", "2024-08-01 09:30 UTC", "2024-09-02 09:30 UTC"],
        id="weekend-to-monday-moves-saturday-and-sunday",
    ),
    pytest.param(
        rule(M, day=-1, weekend_to_monday=True),
        "2024-08-01",
        ["2024-09-02 09:30 UTC", "2024-09-30 09:30 UTC"],
        id="weekend-to-monday-can-move-into-the-next-month",
    ),
    pytest.param(
        rule(W, weekday=SAT, weekend_to_monday=True),
        "2024-06-02",
        ["2024-06-03 09:30 UTC", "2024-06-10 09:30 UTC"],
        id="weekend-to-monday-moved-occurrence-is-still-ahead-after-the-weekend",
    ),
]


@pytest.mark.parametrize(("recurrence", "after", "expected"), SERIES_CASES)
def test_occurrences_in_local_wall_time(recurrence, after, expected):
    moments = series(recurrence, utc(after), len(expected))
    assert [wall(moment, recurrence.timezone) for moment in moments] == expected
    assert all(moment.tzinfo is UTC for moment in moments)


@pytest.mark.parametrize(
    ("recurrence", "after", "expected_utc"),
    [
        (WEEKLY_MONDAY_PARIS, "2024-03-20", "2024-03-25T08:30"),
        (WEEKLY_MONDAY_PARIS, "2024-03-26", "2024-04-01T07:30"),
        (rule(W, at="02:30", tz=NEW_YORK, weekday=SUN), "2024-03-04", "2024-03-10T07:30"),
        (rule(W, at="01:30", tz=NEW_YORK, weekday=SUN), "2024-11-01", "2024-11-03T05:30"),
    ],
)
def test_results_are_the_right_utc_instants(recurrence, after, expected_utc):
    assert next_after(recurrence, utc(after)) == utc(expected_utc)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (utc("2024-03-25T08:30"), utc("2024-04-01T07:30")),  # exactly an occurrence: the next one
        (utc("2024-03-25T08:29:59.999999"), utc("2024-03-25T08:30")),
        (utc("2024-03-25T08:30:00.000001"), utc("2024-04-01T07:30")),
        (datetime(2024, 3, 25, 9, 30, tzinfo=ZoneInfo(PARIS)), utc("2024-04-01T07:30")),
        (datetime(2024, 3, 25, 4, 29, tzinfo=ZoneInfo(NEW_YORK)), utc("2024-03-25T08:30")),
    ],
)
def test_next_after_is_strictly_after_in_any_zone(after, expected):
    assert next_after(WEEKLY_MONDAY_PARIS, after) == expected


def test_weekend_moved_occurrence_is_not_returned_again():
    saturday_rule = rule(W, weekday=SAT, weekend_to_monday=True)
    moved = utc("2024-06-03T09:30")
    assert next_after(saturday_rule, utc("2024-06-01T12:00")) == moved
    assert next_after(saturday_rule, moved) == utc("2024-06-10T09:30")


CONSISTENCY_RULES = [
    WEEKLY_MONDAY_PARIS,
    rule(W, at="02:30", tz=NEW_YORK, weekday=SUN, interval=2, anchor=date(2024, 3, 10)),
    rule(M, at="23:45", tz="Pacific/Auckland", day=31, weekend_to_monday=True),
    rule(M, tz="Asia/Kolkata", ordinal=-1, weekday=FRI),
    rule(Q, tz=NEW_YORK, ordinal=1, weekday=MON, year_start_month=2),
    rule(A, tz=PARIS, month=2, day=29, weekend_to_monday=True),
]


@pytest.mark.parametrize("recurrence", CONSISTENCY_RULES, ids=describe)
def test_next_after_occurrences_between_and_latest_due_agree(recurrence):
    start, end = utc("2023-06-01"), utc("2031-06-01")
    moments = list(occurrences_between(recurrence, start, end))
    assert len(moments) >= 7
    assert moments == sorted(set(moments))  # strictly increasing: nothing returned twice
    assert next_after(recurrence, start) == moments[0]
    for earlier, later in pairwise(moments):
        assert next_after(recurrence, earlier) == later
        assert next_after(recurrence, later - timedelta(microseconds=1)) == later
        assert latest_due(recurrence, later - timedelta(seconds=1), since=start) == earlier
        assert latest_due(recurrence, later, since=start) == later


def test_occurrences_between_excludes_start_and_includes_end():
    moments = list(occurrences_between(rule(M, day=1), utc("2024-01-01T09:30"), utc("2024-03-01T09:30")))
    assert moments == [utc("2024-02-01T09:30"), utc("2024-03-01T09:30")]


def test_occurrences_between_an_empty_range():
    assert list(occurrences_between(rule(M, day=1), utc("2024-01-02"), utc("2024-01-31"))) == []


@pytest.mark.parametrize(
    ("recurrence", "now", "since", "expected"),
    [
        pytest.param(
            WEEKLY_MONDAY_PARIS, "2024-03-20", "2019-01-01", "2024-03-18T08:30", id="weekly-after-5-years-down"
        ),
        pytest.param(rule(M, day=-1), "2024-03-20", "2010-01-01", "2024-02-29T09:30", id="monthly-after-14-years-down"),
        pytest.param(
            rule(W, weekday=FRI, interval=52, anchor=date(2024, 1, 5)),
            "2024-12-31",
            "1990-01-01",
            "2024-01-05T09:30",
            id="every-52-weeks",
        ),
        pytest.param(
            rule(A, month=6, day=1, interval=5, anchor=date(2020, 1, 1)),
            "2024-12-31",
            "1990-01-01",
            "2020-06-01T09:30",
            id="every-5-years",
        ),
        pytest.param(
            WEEKLY_MONDAY_PARIS, "2024-03-18T08:30", "2024-03-01", "2024-03-18T08:30", id="now-is-an-occurrence"
        ),
        pytest.param(WEEKLY_MONDAY_PARIS, "2024-03-20", "2024-03-11T08:30", "2024-03-18T08:30", id="since-is-excluded"),
        pytest.param(WEEKLY_MONDAY_PARIS, "2024-03-20", "2024-03-18T08:30", None, id="nothing-after-since"),
        pytest.param(WEEKLY_MONDAY_PARIS, "2024-03-20", "2024-03-21", None, id="since-after-now"),
    ],
)
def test_latest_due_returns_only_the_latest(recurrence, now, since, expected):
    assert latest_due(recurrence, utc(now), since=utc(since)) == (utc(expected) if expected else None)


def test_latest_due_after_long_downtime_does_not_walk_from_since(monkeypatch):
    generated = []
    nominal_days = rules._nominal_days

    def counting(recurrence, from_day):
        for day in nominal_days(recurrence, from_day):
            generated.append(day)
            yield day

    monkeypatch.setattr(rules, "_nominal_days", counting)
    assert latest_due(rule(W, weekday=MON), utc("2024-03-20"), since=utc("2000-01-01")) == utc("2024-03-18T09:30")
    assert len(generated) <= 5  # 24 years of Mondays, but only the last weeks are looked at
    generated.clear()
    assert next_after(rule(M, day=1), utc("2024-03-20")) == utc("2024-04-01T09:30")
    assert len(generated) <= 3


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        next_after(WEEKLY_MONDAY_PARIS, datetime(2024, 1, 1))


@pytest.mark.parametrize(
    ("recurrence", "text"),
    [
        (WEEKLY_MONDAY_PARIS, "every Monday at 09:30 (Europe/Paris)"),
        (rule(W, weekday=MON, interval=2, anchor=date(2024, 1, 1)), "every 2 weeks on Monday at 09:30 (UTC)"),
        (rule(M, at="10:00", day=15), "monthly on the 15th at 10:00 (UTC)"),
        (rule(M, at="10:00", day=1), "monthly on the 1st at 10:00 (UTC)"),
        (rule(M, at="10:00", day=22), "monthly on the 22nd at 10:00 (UTC)"),
        (rule(M, at="10:00", day=23), "monthly on the 23rd at 10:00 (UTC)"),
        (rule(M, at="10:00", day=11), "monthly on the 11th at 10:00 (UTC)"),
        (rule(M, at="10:00", day=-1), "monthly on the last day at 10:00 (UTC)"),
        (rule(M, at="16:00", ordinal=-1, weekday=FRI), "monthly on the last Friday at 16:00 (UTC)"),
        (rule(M, at="16:00", day=15, interval=3), "every 3 months on the 15th at 16:00 (UTC)"),
        (
            rule(Q, at="09:00", ordinal=1, weekday=MON, year_start_month=2),
            "every fiscal quarter on the first Monday at 09:00 (UTC)",
        ),
        (rule(Q, at="09:00", day=1), "every quarter on day 1 at 09:00 (UTC)"),
        (rule(Q, at="09:00", month=3, day=-1), "every quarter on the last day of the third month at 09:00 (UTC)"),
        (rule(Q, at="09:00", day=1, interval=2), "every 2 quarters on day 1 at 09:00 (UTC)"),
        (rule(A, at="09:00", month=3, day=15), "every year on 15 March at 09:00 (UTC)"),
        (rule(A, at="09:00", month=5, ordinal=-1, weekday=MON), "every year on the last Monday of May at 09:00 (UTC)"),
        (
            rule(A, at="09:00", month=12, day=-1, fiscal=True, year_start_month=2),
            "every fiscal year on the last day of January at 09:00 (UTC)",
        ),
        (
            rule(A, at="09:00", month=1, day=1, fiscal=True, year_start_month=2),
            "every fiscal year on 1 February at 09:00 (UTC)",
        ),
        (
            rule(M, at="09:00", tz=NEW_YORK, day=1, weekend_to_monday=True),
            "monthly on the 1st at 09:00 (America/New_York), weekends moved to Monday",
        ),
    ],
)
def test_describe(recurrence, text):
    assert describe(recurrence) == text


ROUND_TRIP_RULES = [
    WEEKLY_MONDAY_PARIS,
    rule(W, at="07:05", tz=NEW_YORK, weekday=SUN, interval=2, anchor=date(2024, 3, 10), weekend_to_monday=True),
    rule(M, day=-1),
    rule(M, ordinal=-1, weekday=FRI, interval=3, anchor=date(2024, 2, 1)),
    rule(Q, ordinal=1, weekday=MON, month=2, year_start_month=2),
    rule(A, at="23:59:30", month=12, day=31, fiscal=True, year_start_month=7),
]


@pytest.mark.parametrize("recurrence", ROUND_TRIP_RULES, ids=describe)
def test_dict_round_trip_is_exact_and_json_safe(recurrence):
    stored = json.loads(json.dumps(to_dict(recurrence)))
    assert from_dict(stored) == recurrence


def test_to_dict_writes_plain_values():
    recurrence = rule(W, at="07:05", tz=NEW_YORK, weekday=SUN, interval=2, anchor=date(2024, 3, 10))
    assert to_dict(recurrence) == {
        "frequency": "weekly",
        "at": "07:05",
        "timezone": NEW_YORK,
        "interval": 2,
        "weekday": 6,
        "ordinal": None,
        "day": None,
        "month": 1,
        "year_start_month": 1,
        "fiscal": False,
        "anchor": "2024-03-10",
        "weekend_to_monday": False,
    }


def test_from_dict_fills_missing_optional_fields_with_defaults():
    recurrence = from_dict({"frequency": "monthly", "at": "10:00", "timezone": PARIS, "day": 15})
    assert recurrence == Recurrence(Frequency.MONTHLY, time(10, 0), PARIS, day=15)
    assert recurrence.frequency is Frequency.MONTHLY


@pytest.mark.parametrize("recurrence", [case.values[0] for case in SERIES_CASES] + ROUND_TRIP_RULES, ids=describe)
def test_every_rule_used_above_is_valid(recurrence):
    assert validate(recurrence) is None


@pytest.mark.parametrize(
    ("recurrence", "problem"),
    [
        (rule(W, tz="Mars/Base", weekday=MON), "I don't know the time zone `Mars/Base`."),
        (rule(W, tz="", weekday=MON), "I don't know the time zone ``."),
        (rule(W, tz="../etc/passwd", weekday=MON), "I don't know the time zone `../etc/passwd`."),
        (rule(W, weekday=7), "There is no weekday `7`."),
        (rule(W, weekday=-1), "There is no weekday `-1`."),
        (rule(W), "A weekly cadence needs a day of the week."),
        (rule(W, weekday=MON, interval=0), "I can only repeat every 1 to 52 periods, not `0`."),
        (
            rule(W, weekday=MON, interval=53, anchor=date(2024, 1, 1)),
            "I can only repeat every 1 to 52 periods, not `53`.",
        ),
        (rule(W, weekday=MON, interval=2), "Every 2 weeks needs a first date to count the weeks from."),
        (rule(M, day=0), "There is no day `0` in a month."),
        (rule(M, day=32), "There is no day `32` in a month."),
        (rule(M, day=-29), "There is no day `-29` in a month."),
        (rule(M, ordinal=5, weekday=MON), "I can't count weekday number `5` in a month."),
        (rule(M, ordinal=0, weekday=MON), "I can't count weekday number `0` in a month."),
        (rule(M, ordinal=1), "The first what? A weekday must follow it."),
        (rule(M, ordinal=1, weekday=MON, day=3), "Pick either a day of the month or a weekday"),
        (rule(M, weekday=MON), "Which Monday of the month?"),
        (rule(Q, month=4, day=1), "A quarter has months 1 to 3, not `4`."),
        (rule(A, month=13, day=1), "There is no month `13`."),
        (rule(A, month=0, day=1), "There is no month `0`."),
        (rule(Q, day=1, year_start_month=13), "A year can't start in month `13`."),
    ],
)
def test_validate_explains_impossible_rules(recurrence, problem):
    with pytest.raises(UserError) as raised:
        validate(recurrence)
    assert raised.value.problem == problem or raised.value.problem.startswith(problem)


def test_unknown_time_zone_says_how_to_write_one():
    with pytest.raises(UserError) as raised:
        validate(rule(W, tz="Mars/Base", weekday=MON))
    assert raised.value.message == (
        "I don't know the time zone `Mars/Base`. Use an IANA name such as `Europe/Paris` or `America/New_York`."
    )


def test_next_after_refuses_an_invalid_rule_at_the_call():
    with pytest.raises(UserError, match="day of the week"):
        next_after(rule(W), utc("2024-01-01"))
    with pytest.raises(UserError, match="no day `32`"):
        occurrences_between(rule(M, day=32), utc("2024-01-01"), utc("2025-01-01"))


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (datetime(2026, 11, 23, 8, 0, tzinfo=UTC), datetime(2026, 11, 23, 8, 0, tzinfo=UTC) + timedelta(hours=1)),
        (datetime(2026, 11, 23, 9, 0, tzinfo=UTC), datetime(2026, 11, 24, 9, 0, tzinfo=UTC)),
        (datetime(2026, 11, 28, 10, 0, tzinfo=UTC), datetime(2026, 11, 29, 9, 0, tzinfo=UTC)),
    ],
)
def test_daily_fires_every_day_at_its_time(after: datetime, expected: datetime) -> None:
    rule = Recurrence(Frequency.DAILY, at=time(9, 0), timezone="UTC")
    assert next_after(rule, after) == expected
    assert describe(rule) == "every day at 09:00 (UTC)"


def test_daily_with_weekends_moved_fires_on_weekdays_only_once_each() -> None:
    rule = Recurrence(Frequency.DAILY, at=time(9, 0), timezone="Europe/Paris", weekend_to_monday=True)
    start = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # a Friday afternoon
    days = [
        d.astimezone(ZoneInfo("Europe/Paris")).strftime("%a %d")
        for d in occurrences_between(rule, start, start + timedelta(days=7))
    ]
    assert days == ["Mon 30", "Tue 01", "Wed 02", "Thu 03", "Fri 04"]
    assert latest_due(rule, datetime(2026, 11, 29, 12, tzinfo=UTC), since=start) is None


def test_a_day_counted_from_the_end_of_the_month_is_two_weeks_before_the_quarter_ends() -> None:
    from bot.cadence.rules import Frequency, Recurrence, describe, next_after

    two_weeks_before = Recurrence(
        Frequency.QUARTERLY, at=time(9, 0), timezone="UTC", month=3, day=-15, year_start_month=2
    )
    firsts = [datetime(2019, 5, 1, tzinfo=UTC)]
    for _ in range(4):
        firsts.append(next_after(two_weeks_before, firsts[-1]))
    # FY20 quarters end 31 Jul, 31 Oct, 31 Jan and 30 Apr: fifteen days from the end is two weeks before it.
    assert [d.date() for d in firsts[1:]] == [
        date(2019, 7, 17),
        date(2019, 10, 17),
        date(2020, 1, 17),
        date(2020, 4, 16),
    ]
    assert "the 15th-last day of the third month" in describe(two_weeks_before)
