"""OKR rules without a database, as tables: the TRY due-date window, scores typed as shares, the closest roles and
the retrospective team a typed name means."""

from __future__ import annotations

from datetime import date

import pytest

from bot.errors import UserError
from bot.okrs.rules import (
    DueOutsideTryWindow,
    QuarterSpan,
    TeamMatch,
    check_score,
    check_try_due,
    closest_names,
    match_team,
    read_score,
    try_window,
)

FY20_Q2 = QuarterSpan("FY20-Q2", date(2019, 5, 1), date(2019, 7, 31))
TEAMS = ["Infrastructure", "Delivery", "Development"]  # the seed's retrospective


@pytest.mark.parametrize(
    ("today", "first", "last", "suggested"),
    [
        (date(2019, 7, 25), date(2019, 7, 25), date(2019, 10, 31), date(2019, 8, 31)),  # written before the end
        (date(2019, 8, 1), date(2019, 8, 1), date(2019, 10, 31), date(2019, 8, 31)),  # the day after: FY20-Q3
        (date(2019, 10, 20), date(2019, 10, 20), date(2020, 1, 18), date(2019, 11, 19)),  # FY20-Q3 nearly over
        (date(2026, 7, 10), date(2026, 7, 10), date(2026, 10, 8), date(2026, 8, 9)),  # imported years later
    ],
)
def test_a_try_is_due_from_today_to_the_next_quarters_end_or_90_days_on(today, first, last, suggested):
    window = try_window(FY20_Q2, today)
    assert (window.first, window.last, window.suggested) == (first, last, suggested)
    assert window.following.label == "FY20-Q3" and window.contains(window.suggested)
    check_try_due(FY20_Q2, window.suggested, today=today, item_id=7)  # what it suggests, it takes


@pytest.mark.parametrize(
    ("today", "due", "problem"),
    [
        (date(2019, 8, 1), date(2019, 7, 31), "The due date 2019-07-31 has passed. Pick one from 1 Aug 2019 to 31 Oct"),
        (date(2019, 8, 1), date(2019, 12, 1), "The due date 2019-12-01 is too far ahead. Pick one from 1 Aug 2019"),
        (date(2026, 7, 10), date(2019, 8, 31), "The due date 2019-08-31 has passed. Pick one from 10 Jul 2026"),
    ],
)
def test_a_due_date_outside_the_window_is_refused_with_one_that_passes(today, due, problem):
    with pytest.raises(DueOutsideTryWindow) as raised:
        check_try_due(FY20_Q2, due, today=today, item_id=7)
    assert problem in raised.value.problem and "FY20-Q3" in raised.value.problem
    suggested = try_window(FY20_Q2, today).suggested
    assert raised.value.usage == f"For example `/okr try 7 @owner {suggested:%Y-%m-%d}`."


@pytest.mark.parametrize(
    ("typed", "score", "note"),
    [
        ("70", 70.0, None),
        ("70%", 70.0, None),
        ("0", 0.0, None),
        ("100", 100.0, None),
        ("0.7", 70.0, "Read 0.7 as 70%; write `0.7%` to mean it."),
        ("0.05", 5.0, "Read 0.05 as 5%; write `0.05%` to mean it."),
        ("0.125", 12.5, "Read 0.125 as 12.5%; write `0.125%` to mean it."),
        ("0.7%", 0.7, None),
        ("1", 1.0, "Read 1 as 1%; a full score is `100`."),
        ("1.0", 1.0, "Read 1 as 1%; a full score is `100`."),
        ("1%", 1.0, None),
    ],
)
def test_a_share_between_0_and_1_is_read_as_a_percentage_and_said(typed, score, note):
    read = read_score(typed)
    assert (read.score, read.note) == (score, note)


def test_a_score_already_read_is_kept_as_it_is():
    assert check_score(0.7) == 0.7  # the service stores what the reader made of the typing, never reading it again
    with pytest.raises(UserError, match="outside 0 to 100"):
        read_score("150")


@pytest.mark.parametrize(
    ("typed", "closest"),
    [
        ("VP Engineering", ["VP Eng"]),
        ("vp  eng:", ["VP Eng"]),
        ("Infra", ["Infrastructure"]),
        ("Devlopment", ["Development"]),
        ("Chief Vibes Officer", []),
    ],
)
def test_the_closest_roles_the_pages_name(typed, closest):
    roles = ["VP Eng", "VP Product", "CRO", "Infrastructure", "Development", "Dev and Ops", "UX Director"]
    assert closest_names(typed, roles)[: len(closest)] == closest
    assert len(closest_names(typed, roles)) <= 3


@pytest.mark.parametrize(
    ("typed", "match"),
    [
        ("Infrastructure", TeamMatch("Infrastructure")),
        ("infrastructure", TeamMatch("Infrastructure")),
        ("Infra", TeamMatch("Infrastructure")),  # the one team it starts
        ("Infrastucture", TeamMatch("Infrastructure")),  # a typo of one team
        ("Develop", TeamMatch("Development")),
        ("De", TeamMatch(None, ("Delivery", "Development"))),  # starts two: ask
        ("Deliveries", TeamMatch(None, ("Delivery",))),  # somewhat close to one: ask, don't guess
        ("Product Marketing", TeamMatch(None)),  # close to none: a new team
    ],
)
def test_a_typed_team_is_the_pages_team_or_a_question_never_a_new_team_from_a_typo(typed, match):
    assert match_team(typed, TEAMS) == match
