from datetime import date, time

import pytest

from bot.cadence.commands import parse_rule_sentence
from bot.cadence.rules import Frequency, Recurrence
from bot.errors import PermissionDenied, UserError
from bot.esp import rules
from bot.esp.rules import (
    OPERATING_CADENCE,
    Metric,
    Reading,
    Trend,
    account_checklist,
    annual_checklist_items,
    check_second_sponsor,
    check_sponsor_load,
    commitment_end,
    early_end,
    face_to_face_due_date,
    missing_touchpoints,
    nps,
    program_scorecard,
    relationship_score,
    relationship_text,
    scorecard,
    touchpoint_due_date,
    validate_reading,
)
from bot.fiscal import FiscalCalendar
from models.esp import EspAudience as Audience
from models.esp import EspPeriod as Period

FEB = FiscalCalendar(start_month=2)  # the seeds' fiscal year
FY27_Q1 = FEB.quarter(2027, 1)  # 2026-02-01..2026-04-30
FY27_Q2 = FEB.quarter(2027, 2)  # 2026-05-01..2026-07-31
FY27_START = date(2026, 2, 1)


# ---- sponsors and commitments ----------------------------------------------------------------------------------


def test_a_fifth_account_is_refused_naming_the_four_held():
    with pytest.raises(UserError) as caught:
        check_sponsor_load("U0DANA", ["Acme", "Globex", "Initech", "Umbrella"])
    assert caught.value.problem == (
        "<@U0DANA> already sponsors 4 accounts: Acme, Globex, Initech and Umbrella; "
        "the program allows at most 4 accounts per sponsor."
    )
    assert "/esp unassign" in caught.value.usage and "/esp map" in caught.value.usage


@pytest.mark.parametrize("held", [[], ["Acme"], ["Acme", "Globex", "Initech"]])
def test_up_to_four_accounts_are_allowed(held):
    check_sponsor_load("U0DANA", held)


def test_account_names_in_the_load_message_are_escaped():
    with pytest.raises(UserError) as caught:
        check_sponsor_load("U0DANA", ["<!channel>", "R&D", "A", "B"])
    assert "&lt;!channel&gt;, R&amp;D, A and B" in caught.value.problem
    assert "<!channel>" not in caught.value.message


def test_a_second_sponsor_is_refused_saying_who_may_force_it_and_how():
    with pytest.raises(UserError) as caught:
        check_second_sponsor("Acme Corp", ["U0DANA"], forced=False, actor_is_program_manager=True)
    assert not isinstance(caught.value, PermissionDenied)
    assert "Acme Corp already has a sponsor: <@U0DANA>" in caught.value.problem
    assert "program manager" in caught.value.message
    assert '`/esp assign @sponsor "Acme Corp" force`' in caught.value.usage


def test_only_the_program_manager_can_force_a_second_sponsor():
    with pytest.raises(PermissionDenied) as caught:
        check_second_sponsor("Acme Corp", ["U0DANA"], forced=True, actor_is_program_manager=False)
    assert "Only the program manager" in caught.value.problem and "<@U0DANA>" in caught.value.problem
    assert '`/esp assign @sponsor "Acme Corp" force`' in caught.value.usage


@pytest.mark.parametrize(
    ("current", "forced", "manager"),
    [([], False, False), ([], True, False), (["U0DANA"], True, True)],
)
def test_first_sponsors_and_forced_second_sponsors_pass(current, forced, manager):
    check_second_sponsor("Acme Corp", current, forced=forced, actor_is_program_manager=manager)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 2, 1), date(2027, 2, 1)),
        (date(2026, 12, 31), date(2027, 12, 31)),
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2027, 2, 28), date(2028, 2, 28)),
        (date(2027, 3, 1), date(2028, 3, 1)),
    ],
)
def test_a_commitment_lasts_a_year(start, end):
    assert commitment_end(start) == end


def test_ending_early_needs_a_reason():
    with pytest.raises(UserError) as caught:
        early_end(date(2026, 2, 1), date(2027, 2, 1), date(2026, 8, 1), None)
    assert "runs until 2027-02-01" in caught.value.problem and "needs a reason" in caught.value.problem
    assert 'reason "' in caught.value.usage
    with pytest.raises(UserError):
        early_end(date(2026, 2, 1), date(2027, 2, 1), date(2026, 8, 1), "   ")


@pytest.mark.parametrize(
    ("ended_on", "reason", "early"),
    [
        (date(2026, 8, 1), "Sponsor left", True),
        (date(2027, 1, 31), "Sponsor left", True),
        (date(2027, 2, 1), None, False),
        (date(2027, 6, 1), None, False),
        (date(2027, 6, 1), "Renewed elsewhere", False),
    ],
)
def test_early_end_is_marked(ended_on, reason, early):
    assert early_end(date(2026, 2, 1), date(2027, 2, 1), ended_on, reason) is early


# ---- KPI values ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "value"),
    [
        (Metric.INFLUENCE, 1),
        (Metric.ENGAGEMENT, 5),
        (Metric.NPS, 0),
        (Metric.NPS, 10),
        (Metric.ROADBLOCK_REMOVED, 1),
        (Metric.PUBLIC_REFERENCE, 2),
        (Metric.USE_CASES_ADOPTED, 0),
        (Metric.TIME_TO_VALUE_DAYS, 45),
        (Metric.NET_ARR_GROWTH, -12.5),
        (Metric.NET_ARR_GROWTH, 140),
    ],
)
def test_readings_in_range_are_kept(metric, value):
    assert validate_reading(metric, value) == value


@pytest.mark.parametrize(
    ("metric", "value", "says"),
    [
        (Metric.INFLUENCE, 0, "The influence score `0` isn't a whole number from 1 to 5."),
        (Metric.SENTIMENT, 6, "The sentiment score `6` isn't a whole number from 1 to 5."),
        (Metric.STRENGTH, 3.5, "The strength score `3.5` isn't a whole number from 1 to 5."),
        (Metric.NPS, 11, "The NPS response `11` isn't a whole number from 0 to 10."),
        (Metric.ROADBLOCK_REMOVED, 0, "from 1 to 100"),
        (Metric.USE_CASES_ADOPTED, -1, "from 0 to 1000"),
        (Metric.TIME_TO_VALUE_DAYS, 4000, "`4000 days` isn't a whole number from 0 days to 3650 days"),
        (Metric.NET_ARR_GROWTH, -150, "The net ARR growth `-150%` isn't a number from -100% to 10000%."),
        (Metric.NET_ARR_GROWTH, float("nan"), "net ARR growth `nan%`"),
    ],
)
def test_readings_out_of_range_are_refused_with_the_range(metric, value, says):
    with pytest.raises(UserError) as caught:
        validate_reading(metric, value)
    assert says in caught.value.problem
    assert "`/esp " in caught.value.usage


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ((4, 3, 5, 2), 3.5),
        ((4, None, None, None), 4.0),
        ((None, 2, None, 5), 3.5),
        ((None, None, None, None), None),
    ],
)
def test_relationship_score_is_the_mean_of_the_dimensions_present(scores, expected):
    assert relationship_score(*scores) == expected


@pytest.mark.parametrize(("score", "text"), [(3.5, "3.5/5"), (4.0, "4/5"), (10 / 3, "3.3/5"), (None, "–")])
def test_relationship_score_reads_out_of_five(score, text):
    assert relationship_text(score) == text


@pytest.mark.parametrize(
    ("responses", "expected"),
    [
        ([10, 9, 8, 7, 6, 0], 0),  # (2 promoters - 2 detractors) / 6
        ([10, 10, 9], 100),
        ([0, 3, 6], -100),
        ([7, 8], 0),
        ([9, 6, 8, 10], 25),  # (2 - 1) / 4
        ([], None),
    ],
)
def test_nps_is_promoters_minus_detractors(responses, expected):
    assert nps(responses) == expected


# ---- scorecards ----------------------------------------------------------------------------------------------------


def r(metric: Metric, value: float, on: str) -> Reading:
    return Reading(metric.value, value, date.fromisoformat(on))


FULL_ACCOUNT = [
    # last quarter (FY26-Q4 = 2025-11-01..2026-01-31)
    r(Metric.INFLUENCE, 2, "2025-12-01"),
    r(Metric.SENTIMENT, 2, "2025-12-01"),
    r(Metric.NPS, 6, "2026-01-10"),
    r(Metric.NPS, 9, "2026-01-10"),
    r(Metric.USE_CASES_ADOPTED, 2, "2026-01-15"),
    r(Metric.PUBLIC_REFERENCE, 1, "2026-01-20"),  # the previous fiscal year: doesn't count
    # this quarter (FY27-Q1)
    r(Metric.INFLUENCE, 4, "2026-03-01"),
    r(Metric.SENTIMENT, 3, "2026-03-01"),
    r(Metric.STRENGTH, 5, "2026-03-01"),
    r(Metric.ENGAGEMENT, 4, "2026-03-01"),
    r(Metric.INFLUENCE, 5, "2026-04-01"),  # the latest influence wins
    r(Metric.NPS, 10, "2026-03-10"),
    r(Metric.NPS, 9, "2026-03-10"),
    r(Metric.NPS, 3, "2026-03-10"),
    r(Metric.ROADBLOCK_REMOVED, 1, "2026-02-15"),
    r(Metric.ROADBLOCK_REMOVED, 1, "2026-04-15"),
    r(Metric.PUBLIC_REFERENCE, 1, "2026-03-20"),
    r(Metric.USE_CASES_ADOPTED, 5, "2026-04-20"),
    r(Metric.TIME_TO_VALUE_DAYS, 45, "2026-04-20"),
    r(Metric.NET_ARR_GROWTH, 12, "2026-04-20"),
    # next quarter: after the scorecard's quarter, so ignored
    r(Metric.INFLUENCE, 1, "2026-05-05"),
]


def test_scorecard_shows_current_values_and_the_change_since_last_quarter():
    card = scorecard(FULL_ACCOUNT, quarter=FY27_Q1, year_start=FY27_START)
    assert card.quarter == "FY27-Q1"
    assert dict(card.dimensions) == {
        Metric.INFLUENCE: 5,
        Metric.SENTIMENT: 3,
        Metric.STRENGTH: 5,
        Metric.ENGAGEMENT: 4,
    }
    assert card.relationship == Trend(4.25, 2.0) and card.relationship.change == 2.25
    assert card.relationship_readings == 5
    assert card.nps.value == pytest.approx(100 / 3) and card.nps.previous == 0  # [10, 9, 3] vs [6, 9]
    assert (card.nps_responses, card.nps_previous_responses) == (3, 2)
    assert card.roadblocks_removed == Trend(2, 0) and card.roadblocks_removed.change == 2
    assert card.public_references == Trend(1, 0)
    assert card.use_cases_adopted == Trend(5, 2) and card.use_cases_adopted.change == 3
    assert card.time_to_value_days == Trend(45, None) and card.time_to_value_days.change is None
    assert card.net_arr_growth == Trend(12, None)
    assert card.missing == ("1 of 2 public references this year",)


def test_scorecard_lines_show_values_and_changes_as_text():
    card = scorecard(FULL_ACCOUNT, quarter=FY27_Q1, year_start=FY27_START)
    assert card.lines() == [
        ("Relationship score", "4.2/5 (+2.2 this quarter)"),
        ("Relationship dimensions", "influence 5 · sentiment 3 · strength 5 · engagement 4"),
        ("NPS", "+33 from 3 responses (+33 this quarter)"),
        ("Roadblocks removed this year", "2 (+2 this quarter)"),
        ("Public references this year", "1 of 2 (+1 this quarter)"),
        ("Use cases adopted", "5 (+3 this quarter)"),
        ("Time to value", "45 days"),
        ("Net ARR growth", "12%"),
    ]
    empty = dict(scorecard([], quarter=FY27_Q1, year_start=FY27_START).lines())
    assert empty["Relationship score"] == "–" and empty["NPS"] == "– from 0 responses"


def test_scorecard_lists_everything_missing_for_a_new_account():
    card = scorecard([], quarter=FY27_Q1, year_start=FY27_START)
    assert card.relationship == Trend(None, None) and card.nps == Trend(None, None)
    assert card.missing == (
        "no relationship reading this quarter",
        "no NPS responses this quarter",
        "0 of 2 public references this year",
        "no roadblocks removed this year",
        "use cases adopted not recorded yet",
        "time to value not recorded yet",
        "net ARR growth not recorded yet",
    )


def test_last_quarters_scores_carry_over_but_count_as_missing_this_quarter():
    readings = [r(Metric.INFLUENCE, 4, "2026-03-01"), r(Metric.NPS, 10, "2026-03-01")]
    card = scorecard(readings, quarter=FY27_Q2, year_start=FY27_START)
    assert card.relationship == Trend(4.0, 4.0) and card.relationship.change == 0
    assert card.nps == Trend(None, 100)
    assert "no relationship reading this quarter" in card.missing
    assert "no NPS responses this quarter" in card.missing


def test_counts_are_this_fiscal_year_and_the_change_is_this_quarter():
    readings = [
        r(Metric.PUBLIC_REFERENCE, 1, "2026-03-01"),  # Q1
        r(Metric.PUBLIC_REFERENCE, 1, "2026-06-01"),  # Q2
        r(Metric.ROADBLOCK_REMOVED, 3, "2026-06-02"),
    ]
    card = scorecard(readings, quarter=FY27_Q2, year_start=FY27_START)
    assert card.public_references == Trend(2, 1) and card.public_references.change == 1
    assert card.roadblocks_removed == Trend(3, 0)
    assert not any("public references" in gap or "roadblocks" in gap for gap in card.missing)


def test_program_scorecard_combines_accounts():
    full = scorecard(FULL_ACCOUNT, quarter=FY27_Q1, year_start=FY27_START)
    empty = scorecard([], quarter=FY27_Q1, year_start=FY27_START)
    program = program_scorecard([full, empty])
    assert program.quarter == "FY27-Q1" and program.accounts == 2 and program.public_reference_target == 4
    assert program.relationship == Trend(4.25, 2.0)  # the mean over the accounts that have one
    assert program.nps.value == pytest.approx(100 / 3) and program.nps_responses == 3
    assert program.roadblocks_removed == Trend(2, 0) and program.public_references == Trend(1, 0)
    assert program.use_cases_adopted == Trend(5, 2)
    assert program.missing == (
        "no relationship reading this quarter for 1 of 2 accounts",
        "no NPS responses this quarter for 1 of 2 accounts",
        "1 of 4 public references this year",
        "use cases adopted not recorded yet for 1 of 2 accounts",
        "time to value not recorded yet for 1 of 2 accounts",
        "net ARR growth not recorded yet for 1 of 2 accounts",
    )


def test_program_nps_counts_every_response_not_every_account():
    one = scorecard([r(Metric.NPS, 10, "2026-03-01")], quarter=FY27_Q1, year_start=FY27_START)
    three = scorecard(
        [r(Metric.NPS, 0, "2026-03-01"), r(Metric.NPS, 0, "2026-03-01"), r(Metric.NPS, 0, "2026-03-01")],
        quarter=FY27_Q1,
        year_start=FY27_START,
    )
    assert program_scorecard([one, three]).nps.value == nps([10, 0, 0, 0]) == -50


def test_a_program_without_accounts_says_so():
    program = program_scorecard([])
    assert program.accounts == 0 and program.missing == ("no accounts in the program yet",)


# ---- touchpoints ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fy", "q", "due"),
    [
        (2027, 1, date(2026, 4, 10)),  # 2026-02-01..2026-04-30
        (2027, 2, date(2026, 7, 11)),  # ..2026-07-31
        (2027, 3, date(2026, 10, 11)),  # ..2026-10-31
        (2027, 4, date(2027, 1, 11)),  # ..2027-01-31
    ],
)
def test_touchpoints_are_due_three_weeks_before_a_february_fiscal_quarter_ends(fy, q, due):
    quarter = FEB.quarter(fy, q)
    assert touchpoint_due_date(quarter) == due
    assert (quarter.end - due).days + 1 == 21  # three weeks, counting the end day


def test_calendar_quarters_work_too():
    assert touchpoint_due_date(FiscalCalendar(start_month=1).quarter(2026, 1)) == date(2026, 3, 11)


def test_the_face_to_face_reminder_is_three_weeks_before_the_fiscal_year_ends():
    assert face_to_face_due_date(FEB.quarter(2027, 4).end) == date(2027, 1, 11)


SPONSORSHIPS = [
    ("U0DANA", "Acme", 1),
    ("U0DANA", "Globex", 2),
    ("U0DANA", "Initech", 3),
    ("U0LEE", "Globex", 2),  # a forced second sponsor
    ("U0LEE", "Umbrella", 4),
    ("U0KIM", "Hooli", 5),
]


def test_missing_touchpoints_are_grouped_per_sponsor():
    touchpoints = [
        (1, "informal", date(2026, 3, 3)),
        (2, "ebr", date(2026, 1, 31)),  # last quarter
        (5, "face-to-face", date(2026, 4, 30)),  # the quarter's last day counts
        (4, "informal", date(2026, 5, 1)),  # next quarter
    ]
    gaps = missing_touchpoints(SPONSORSHIPS, touchpoints, start=FY27_Q1.start, end=FY27_Q1.end, kinds=None)
    assert gaps == {"U0DANA": ["Globex", "Initech"], "U0LEE": ["Globex", "Umbrella"]}


def test_only_face_to_face_meetings_count_for_the_year():
    touchpoints = [
        (1, "informal", date(2026, 3, 3)),
        (2, "face-to-face", date(2026, 2, 1)),
        (3, "ebr", date(2026, 9, 1)),
        (4, "face-to-face", date(2027, 2, 1)),  # next fiscal year
        (5, "face-to-face", date(2027, 1, 31)),
    ]
    gaps = missing_touchpoints(
        SPONSORSHIPS,
        touchpoints,
        start=FY27_START,
        end=date(2027, 1, 31),
        kinds=rules.ANNUAL_TOUCHPOINT_KINDS,
    )
    assert gaps == {"U0DANA": ["Acme", "Initech"], "U0LEE": ["Umbrella"]}


def test_no_gaps_means_nobody_is_reminded():
    touchpoints = [(n, "informal", date(2026, 3, 1)) for n in range(1, 6)]
    assert missing_touchpoints(SPONSORSHIPS, touchpoints, start=FY27_Q1.start, end=FY27_Q1.end) == {}


# ---- the operating cadence -----------------------------------------------------------------------------------------

# The seed's "Operating Cadence", as written there (one double space collapsed).
SEED_CADENCE = {
    Period.WEEKLY: [
        "Action Planning execution and reviews (asynch)",
        "Customer engagement (account teams)",
    ],
    Period.MONTHLY: [
        "Account team and Exec Sponsor account planning session",
        "E-Group and CRO LT program update",
    ],
    Period.QUARTERLY: [
        "ESP Forums",
        "Program scorecard update",
        "NPS and qualitative survey feedback",
        "Customer EBRs (as necessary)",
        "Minimum of 1 informal virtual or in-person touchpoint between Sponsor and key Customer contacts",
    ],
    Period.ANNUALLY: [
        "Review program impact and funding model",
        "Reassess tier 1 accounts and sponsor mapping",
        "Consider additional tiers or creation of a self-service ESP model",
        "Minimum of 1 face-to-face Sponsor & Customer meeting",
    ],
}


def test_the_operating_cadence_is_every_line_of_the_seed_in_order():
    assert len(OPERATING_CADENCE) == 13
    assert [(o.period, o.text) for o in OPERATING_CADENCE] == [
        (period, text) for period, texts in SEED_CADENCE.items() for text in texts
    ]
    assert len({o.key for o in OPERATING_CADENCE}) == 13
    assert all(o.key.startswith(o.period.value + ".") and len(o.key) <= 64 for o in OPERATING_CADENCE)


@pytest.mark.parametrize(
    ("period", "frequency", "at", "fiscal"),
    [
        (Period.WEEKLY, Frequency.WEEKLY, "09:00", False),
        (Period.MONTHLY, Frequency.MONTHLY, "10:00", False),
        (Period.QUARTERLY, Frequency.QUARTERLY, "10:00", True),
        (Period.ANNUALLY, Frequency.ANNUALLY, "10:00", True),
    ],
)
def test_default_times_read_as_cadence_rules(period, frequency, at, fiscal):
    for obligation in (o for o in OPERATING_CADENCE if o.period == period):
        rule = parse_rule_sentence(obligation.default_rule_words, obligation.default_time)
        assert (rule.frequency, rule.at.isoformat("minutes"), rule.fiscal) == (frequency, at, fiscal)
        assert rule.weekday == 0 and rule.ordinal == (None if period == Period.WEEKLY else 1)  # (first) Monday


def test_audiences_and_per_account_lines():
    by_key = {o.key: o for o in OPERATING_CADENCE}
    assert by_key["monthly.account_planning"].audience == Audience.ACCOUNT_TEAMS_AND_SPONSORS
    assert by_key["monthly.egroup_update"].audience == Audience.PROGRAM_MANAGER
    assert by_key["quarterly.forum"].audience == Audience.CHANNEL
    assert by_key["quarterly.informal_touchpoint"].audience == Audience.SPONSORS
    assert by_key["annually.face_to_face"].audience == Audience.SPONSORS
    assert {o.key for o in OPERATING_CADENCE if o.per_account} == {
        "quarterly.nps_survey",
        "quarterly.ebr",
        "quarterly.informal_touchpoint",
        "annually.face_to_face",
    }
    assert {o.audience for o in OPERATING_CADENCE if o.key.startswith("annually.") and not o.per_account} == {
        Audience.PROGRAM_MANAGER
    }
    assert rules.PROGRAM_MANAGER_CHECKLIST_KEYS <= set(by_key)


def test_account_checklists_hold_the_per_account_obligations():
    quarterly = account_checklist("quarterly")
    assert [key for key, _text in quarterly] == [
        "quarterly.forum",
        "quarterly.scorecard",
        "quarterly.nps_survey",
        "quarterly.ebr",
        "quarterly.informal_touchpoint",
    ]
    assert "(as necessary)" in dict(quarterly)["quarterly.ebr"]
    assert account_checklist("annually") == [
        ("annually.face_to_face", "At least 1 face-to-face sponsor & customer meeting")
    ]
    keys = {o.key for o in OPERATING_CADENCE}
    assert all(key in keys for key, _text in quarterly)
    with pytest.raises(ValueError):
        account_checklist("weekly")


def test_the_program_manager_reassesses_tier_1_accounts_and_the_mapping_each_year():
    items = annual_checklist_items()
    texts = " / ".join(text for _key, text in items)
    assert "tier 1 accounts" in texts and "sponsor mapping" in texts
    assert "impact and funding" in texts and "additional tiers" in texts
    assert len({key for key, _text in items}) == len(items)


@pytest.mark.parametrize(
    ("number", "noun", "plural", "shown"),
    [(0, "account", None, "0 accounts"), (1, "account", None, "1 account"), (2, "sponsor", None, "2 sponsors"),
     (1, "roadblock removed", "roadblocks removed", "1 roadblock removed"),
     (3, "roadblock removed", "roadblocks removed", "3 roadblocks removed")],
)  # fmt: skip
def test_counted_says_one_thing_and_many_things(number: int, noun: str, plural: str | None, shown: str) -> None:
    assert rules.counted(number, noun, plural) == shown


@pytest.mark.parametrize(
    ("frequency", "interval", "label"),
    [(Frequency.WEEKLY, 1, "weekly"), (Frequency.WEEKLY, 2, "every 2 weeks"), (Frequency.MONTHLY, 1, "monthly"),
     (Frequency.QUARTERLY, 1, "quarterly"), (Frequency.ANNUALLY, 1, "annually"), (Frequency.DAILY, 1, "daily"),
     (Frequency.MONTHLY, 3, "every 3 months")],
)  # fmt: skip
def test_a_lines_label_follows_its_rule(frequency: Frequency, interval: int, label: str) -> None:
    rule = Recurrence(frequency, at=time(8, 0), timezone="UTC", interval=interval, weekday=1)
    assert rules.rule_period(rule) == label


@pytest.mark.parametrize(
    ("frequency", "day", "period"),
    [("weekly", date(2026, 2, 2), ("weekly", "2026-02-02", "this week")),
     ("monthly", date(2026, 2, 2), ("monthly", "2026-02", "February 2026")),
     ("quarterly", date(2026, 5, 4), ("quarterly", "FY27-Q2", "FY27-Q2")),
     ("annually", date(2026, 2, 2), ("annually", "FY27", "FY27")),
     ("annually", date(2026, 1, 31), ("annually", "FY26", "FY26"))],
)  # fmt: skip
def test_an_occurrence_belongs_to_its_period(frequency: str, day: date, period: tuple[str, str, str]) -> None:
    assert rules.period_of(frequency, day, FiscalCalendar(start_month=2)) == period


def test_touchpoint_kinds_read_as_the_handbook_writes_them() -> None:
    shown = [rules.touchpoint_label(kind) for kind in ("informal", "face-to-face", "ebr")]
    assert shown == ["informal", "face-to-face", "EBR"]
