from datetime import date, timedelta

import pytest

from bot.cocreate.rules import (
    CRITERION_LABELS,
    DEFAULT_WEIGHTS,
    NO_REPLY_BUSINESS_DAYS,
    STEPS,
    SUBSCRIPTIONS,
    TOP_N,
    ContributionKind,
    ContributionRecord,
    Criterion,
    ProspectScore,
    QuarterCounts,
    Step,
    Targets,
    Tier,
    add_business_days,
    business_days_between,
    check_tier_override,
    computed_tier,
    contribution_metrics,
    criterion_of,
    default_due_dates,
    funnel,
    is_fully_scored,
    needs_follow_up,
    normalize_contribution_url,
    rank,
    read_subscription,
    read_targets,
    read_tier,
    stall_days,
    stalled,
    total_score,
    validate_score,
    validate_weights,
)
from bot.errors import UserError
from bot.fiscal import FiscalCalendar

FEB = FiscalCalendar(start_month=2)  # the seeds' fiscal year
FY26_Q1 = FEB.quarter(2026, 1)  # 2025-02-01..2025-04-30
FY26_Q2 = FEB.quarter(2026, 2)  # 2025-05-01..2025-07-31
C = Criterion


# ---- criteria, scores and weights --------------------------------------------------------------------------------


def test_the_seven_criteria_are_the_seeds_in_its_order():
    assert [c.value for c in Criterion] == [
        "public_issues_mrs",
        "feature_usage",
        "tier_and_seats",
        "industry_focus",
        "prior_oss_contribution",
        "usage_growth",
        "relationship_strength",
    ]
    assert CRITERION_LABELS[C.PUBLIC_ISSUES_MRS] == "Number of public issues and merge requests created"
    assert CRITERION_LABELS[C.INDUSTRY_FOCUS] == "Industry sector focus (Finance, Manufacturing, Telco)"
    assert CRITERION_LABELS[C.RELATIONSHIP_STRENGTH] == "Customer relationship strength"
    assert list(CRITERION_LABELS) == list(Criterion)
    assert dict(DEFAULT_WEIGHTS) == dict.fromkeys(Criterion, 1.0)


@pytest.mark.parametrize(
    ("name", "criterion"),
    [
        ("feature_usage", C.FEATURE_USAGE),
        ("Feature Usage", C.FEATURE_USAGE),
        ("Previous open source contribution experience", C.PRIOR_OSS_CONTRIBUTION),
        ("industry sector focus (finance, manufacturing, telco)", C.INDUSTRY_FOCUS),
        ("seats", None),
    ],
)
def test_a_criterion_is_named_by_its_key_or_the_seeds_label(name, criterion):
    assert criterion_of(name) == criterion


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (5, 5), ("3", 3), (" 4 ", 4), (2.0, 2)])
def test_scores_are_whole_numbers_from_0_to_5(value, expected):
    assert validate_score(C.FEATURE_USAGE, value) == expected


@pytest.mark.parametrize("value", [7, -1, 6, "many", "", "3.5", 2.5, True])
def test_other_scores_are_refused_naming_the_criterion_and_the_value(value):
    with pytest.raises(UserError) as caught:
        validate_score(C.USAGE_GROWTH, value)
    assert "GitLab usage growth trends" in caught.value.problem and f"`{value}`" in caught.value.problem
    assert "0 (none) to 5" in caught.value.usage


def test_weights_given_replace_the_defaults_and_the_rest_stay_equal():
    weights = validate_weights(
        {"public_issues_mrs": 2, C.RELATIONSHIP_STRENGTH: 0.5, "Usage of specific GitLab features": 0}
    )
    assert weights == {
        **dict.fromkeys(Criterion, 1.0),
        C.PUBLIC_ISSUES_MRS: 2.0,
        C.RELATIONSHIP_STRENGTH: 0.5,
        C.FEATURE_USAGE: 0.0,
    }


@pytest.mark.parametrize(
    ("weights", "problem"),
    [
        ({"feature_usage": -1}, "can't be `-1`"),
        ({"feature_usage": float("nan")}, "can't be `nan`"),
        ({"feature_usage": "2"}, "can't be `2`"),
        ({"charisma": 1}, "There is no criterion `charisma`"),
        (dict.fromkeys(Criterion, 0), "Every weight would be 0"),
    ],
)
def test_bad_weights_are_refused(weights, problem):
    with pytest.raises(UserError) as caught:
        validate_weights(weights)
    assert problem in caught.value.problem


EQUAL = dict(DEFAULT_WEIGHTS)


@pytest.mark.parametrize(
    ("scores", "weights", "expected"),
    [
        (dict.fromkeys(Criterion, 5), EQUAL, 100.0),
        (dict.fromkeys(Criterion, 0), EQUAL, 0.0),
        ({C.PUBLIC_ISSUES_MRS: 4, C.FEATURE_USAGE: 2}, EQUAL, 60.0),  # (4+2) / (5+5); unscored count for nothing
        ({C.PUBLIC_ISSUES_MRS: 4, C.FEATURE_USAGE: 2, C.USAGE_GROWTH: None}, EQUAL, 60.0),
        # (3*5 + 1*0 + 1*3) / (3*5 + 1*5 + 1*5) = 18/25
        (
            {C.PUBLIC_ISSUES_MRS: 5, C.FEATURE_USAGE: 0, C.RELATIONSHIP_STRENGTH: 3},
            {**EQUAL, C.PUBLIC_ISSUES_MRS: 3},
            72.0,
        ),
        # (2*5 + 4 + 3 + 2 + 1 + 0 + 0.5*5) / (5 * 7.5) = 22.5/37.5
        (
            dict(zip(Criterion, [5, 4, 3, 2, 1, 0, 5], strict=True)),
            {**EQUAL, C.PUBLIC_ISSUES_MRS: 2, C.RELATIONSHIP_STRENGTH: 0.5},
            60.0,
        ),
        # a weight of 0 takes the criterion out: (1*4) / (1*5)
        ({C.PUBLIC_ISSUES_MRS: 0, C.FEATURE_USAGE: 4}, {**EQUAL, C.PUBLIC_ISSUES_MRS: 0}, 80.0),
        ({C.PUBLIC_ISSUES_MRS: 3}, {**EQUAL, C.PUBLIC_ISSUES_MRS: 0}, None),
        ({}, EQUAL, None),
        ({"feature_usage": 3}, {}, 60.0),  # scores stored under their keys; missing weights are the defaults
    ],
)
def test_total_score_is_the_weighted_mean_on_0_to_100(scores, weights, expected):
    result = total_score(scores, weights)
    assert result == (None if expected is None else pytest.approx(expected))


def test_fully_scored_means_all_seven():
    assert is_fully_scored(dict.fromkeys(Criterion, 0))
    assert not is_fully_scored({**dict.fromkeys(Criterion, 3), C.USAGE_GROWTH: None})
    assert not is_fully_scored({C.FEATURE_USAGE: 3})


# ---- subscriptions and tiers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Premium", "premium"), (" ULTIMATE ", "ultimate"), ("free", "free"), ("", None), (None, None)],
)
def test_subscriptions_are_read_in_any_case(text, expected):
    assert read_subscription(text) == expected
    assert [s.value for s in SUBSCRIPTIONS] == ["free", "premium", "ultimate"]


def test_an_unknown_subscription_is_refused():
    with pytest.raises(UserError) as caught:
        read_subscription("gold")
    assert caught.value.problem == "There is no subscription `gold`." and "`premium`" in caught.value.usage


@pytest.mark.parametrize(
    ("issues_mrs", "subscription", "prior_oss", "overlap", "tier"),
    [
        (3, "premium", 1, False, Tier.HIGH),  # every Tier 1 threshold met exactly
        (5, "Ultimate", 4, True, Tier.HIGH),
        (2, "ultimate", 5, True, Tier.MEDIUM),  # history under 3: not strong
        (4, "free", 5, True, Tier.MEDIUM),  # no Premium/Ultimate
        (4, None, 5, True, Tier.MEDIUM),  # subscription unknown
        (4, "premium", 0, True, Tier.MEDIUM),  # no prior contribution
        (4, "premium", None, True, Tier.MEDIUM),  # prior contribution unscored
        (0, "free", 0, True, Tier.MEDIUM),  # the seed's Tier 2: no MR history but a clear tech-stack overlap
        (None, None, None, True, Tier.MEDIUM),
        (2, "premium", 3, False, Tier.FUTURE),
        (4, "free", 5, False, Tier.FUTURE),
        (None, None, None, False, Tier.FUTURE),
    ],
)
def test_tier_follows_the_seed(issues_mrs, subscription, prior_oss, overlap, tier):
    assert (
        computed_tier(
            public_issues_mrs=issues_mrs,
            subscription=subscription,
            prior_oss_contribution=prior_oss,
            tech_stack_overlap=overlap,
        )
        is tier
    )


@pytest.mark.parametrize(
    ("text", "tier"), [("1", Tier.HIGH), ("Tier 2", Tier.MEDIUM), ("t3", Tier.FUTURE), (2, Tier.MEDIUM)]
)
def test_tiers_are_read_as_written(text, tier):
    assert read_tier(text) is tier


@pytest.mark.parametrize("text", ["4", "0", "high", ""])
def test_other_tiers_are_refused(text):
    with pytest.raises(UserError, match="There is no tier"):
        read_tier(text)


def test_a_tier_override_needs_a_reason_and_a_reason_needs_an_override():
    assert check_tier_override(Tier.HIGH, "  Signed the CLA last year ") == "Signed the CLA last year"
    assert check_tier_override(None, "  ") is None
    with pytest.raises(UserError, match="needs a reason"):
        check_tier_override(Tier.MEDIUM, " ")
    with pytest.raises(UserError, match="only goes with a tier set by hand"):
        check_tier_override(None, "because")
    with pytest.raises(UserError, match="2,001 characters"):
        check_tier_override(Tier.MEDIUM, "x" * 2001)


# ---- ranking ---------------------------------------------------------------------------------------------------------


def test_ranking_is_tier_then_score_then_name():
    prospects = [
        ProspectScore("Umbrella", Tier.FUTURE, 95.0),
        ProspectScore("initech", Tier.MEDIUM, 70.0),
        ProspectScore("Acme", Tier.HIGH, 60.0),
        ProspectScore("Globex", Tier.HIGH, 82.5),
        ProspectScore("Hooli", Tier.MEDIUM, None),
        ProspectScore("Beta", Tier.MEDIUM, 70.0),
        ProspectScore("Cyberdyne", Tier.HIGH, None),
    ]
    assert [p.name for p in rank(prospects)] == ["Globex", "Acme", "Cyberdyne", "Beta", "initech", "Hooli", "Umbrella"]
    assert TOP_N == 25


# ---- targets -----------------------------------------------------------------------------------------------------


def test_the_seeds_targets_are_the_defaults():
    targets = Targets()
    assert (targets.projects_per_quarter, targets.pipeline_multiple, targets.conversion) == (7, 3, 0.33)
    assert (targets.weeks_min, targets.weeks_max, targets.days_min, targets.days_max) == (8, 10, 56, 70)
    assert targets.pipeline_size == 21  # "3x target pipeline (21+ prospects)"
    assert read_targets({}) == targets
    assert read_targets({"projects_per_quarter": 5, "weeks_max": 12, "conversion": 0.5}) == Targets(
        projects_per_quarter=5, conversion=0.5, weeks_max=12
    )
    assert Targets(projects_per_quarter=5, pipeline_multiple=2.5).pipeline_size == 13


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"speed": 3}, "There is no target `speed`"),
        ({"projects_per_quarter": 0}, "don't fit together"),
        ({"projects_per_quarter": 2.5}, "whole numbers"),
        ({"weeks_min": 11}, "don't fit together"),
        ({"conversion": 33}, "don't fit together"),
        ({"pipeline_multiple": 0.5}, "don't fit together"),
        ({"conversion": "33%"}, "Every target is a number"),
    ],
)
def test_bad_targets_are_refused(settings, problem):
    with pytest.raises(UserError) as caught:
        read_targets(settings)
    assert problem in caught.value.problem


# ---- engagement steps ------------------------------------------------------------------------------------------------


def test_steps_are_the_seeds_in_order_and_spread_the_window():
    assert [(spec.key.value, spec.label) for spec in STEPS] == [
        ("initial_contact", "Initial contact through dedicated Slack channel"),
        ("csm_follow_up", "CSM follow-up if needed"),
        (
            "alignment_meeting",
            "Schedule alignment meeting with Customer Success Manager, Account Executive and Solutions Architect",
        ),
        ("outcomes_documented", "Document meeting outcomes and next steps"),
        ("project_started", "Project started"),
        ("contributions_tracked", "Post-project contributions tracked"),
    ]
    offsets = [spec.due_offset_days for spec in STEPS]
    assert offsets == sorted(offsets) and offsets[4] == Targets().days_max
    assert sum(spec.stage_share or 0 for spec in STEPS) == pytest.approx(1.0)


def test_default_due_dates_count_from_the_start_of_outreach():
    assert default_due_dates(date(2025, 2, 3)) == {
        Step.INITIAL_CONTACT: date(2025, 2, 3),
        Step.CSM_FOLLOW_UP: date(2025, 2, 10),
        Step.ALIGNMENT_MEETING: date(2025, 2, 24),
        Step.OUTCOMES_DOCUMENTED: date(2025, 3, 3),
        Step.PROJECT_STARTED: date(2025, 4, 14),
        Step.CONTRIBUTIONS_TRACKED: date(2025, 7, 14),
    }


@pytest.mark.parametrize(
    ("step", "started_on", "today", "is_stalled"),
    [
        (Step.INITIAL_CONTACT, date(2025, 2, 3), date(2025, 2, 10), False),  # 7 days: exactly its 10% of 70
        (Step.INITIAL_CONTACT, date(2025, 2, 3), date(2025, 2, 11), True),
        (Step.ALIGNMENT_MEETING, date(2025, 2, 3), date(2025, 2, 17), False),  # 14 days: 20%
        (Step.ALIGNMENT_MEETING, date(2025, 2, 3), date(2025, 2, 18), True),
        (Step.PROJECT_STARTED, date(2025, 3, 1), date(2025, 4, 5), False),  # 35 days: 50%
        (Step.PROJECT_STARTED, date(2025, 3, 1), date(2025, 4, 6), True),
        (Step.CONTRIBUTIONS_TRACKED, date(2024, 1, 1), date(2025, 4, 6), False),  # open-ended
        ("csm_follow_up", date(2025, 2, 3), date(2025, 2, 11), True),  # the key as stored
    ],
)
def test_a_stage_stalls_past_its_share_of_the_window(step, started_on, today, is_stalled):
    assert stalled(step, started_on, today) is is_stalled


def test_stall_days_follow_the_window_target():
    eight_weeks = Targets(weeks_min=6, weeks_max=8)
    assert [stall_days(spec.key) for spec in STEPS] == [7, 7, 14, 7, 35, None]
    assert [stall_days(spec.key, eight_weeks) for spec in STEPS] == [6, 6, 11, 6, 28, None]
    assert stalled(Step.ALIGNMENT_MEETING, date(2025, 2, 3), date(2025, 2, 15), targets=eight_weeks)


# ---- business days ---------------------------------------------------------------------------------------------------

MON, FRI, SAT, SUN = date(2025, 2, 3), date(2025, 2, 7), date(2025, 2, 8), date(2025, 2, 9)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (MON, 0, MON),
        (SAT, 0, SAT),
        (MON, 4, FRI),
        (FRI, 1, date(2025, 2, 10)),  # over the weekend to Monday
        (FRI, 5, date(2025, 2, 14)),
        (SAT, 1, date(2025, 2, 10)),
        (SAT, 5, date(2025, 2, 14)),
        (SUN, 6, date(2025, 2, 17)),
        (date(2025, 2, 12), 10, date(2025, 2, 26)),
        (MON, -1, date(2025, 1, 31)),
        (SUN, -5, MON),
        (SAT, -1, FRI),
        (date(2025, 4, 30), 3, date(2025, 5, 5)),
    ],
)
def test_business_days_are_added_skipping_weekends(day, n, expected):
    assert add_business_days(day, n) == expected


def _naive_add(day: date, n: int) -> date:
    step = 1 if n >= 0 else -1
    while n:
        day += timedelta(days=step)
        n -= step if day.weekday() < 5 else 0
    return day


def test_adding_business_days_agrees_with_counting_them_one_by_one():
    for offset in range(14):
        day = MON + timedelta(days=offset)
        for n in range(-16, 17):
            assert add_business_days(day, n) == _naive_add(day, n), (day, n)
            later = add_business_days(day, n)
            if n >= 0 or day.weekday() < 5:  # counting back from a weekend day starts at Friday, not Saturday
                assert business_days_between(day, later) == n


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (MON, MON, 0),
        (MON, FRI, 4),
        (FRI, SAT, 0),
        (FRI, SUN, 0),
        (FRI, date(2025, 2, 10), 1),
        (SAT, date(2025, 2, 10), 1),
        (MON, date(2025, 2, 10), 5),
        (MON, date(2025, 3, 3), 20),
        (date(2025, 2, 10), FRI, -1),
    ],
)
def test_business_days_between_counts_weekdays_after_the_first_day(a, b, expected):
    assert business_days_between(a, b) == expected


@pytest.mark.parametrize(
    ("contacted_on", "replied", "today", "follow_up"),
    [
        (date(2025, 2, 5), False, date(2025, 2, 11), False),  # Wednesday to Tuesday: 4 business days
        (date(2025, 2, 5), False, date(2025, 2, 12), True),  # exactly 5
        (date(2025, 2, 5), True, date(2025, 2, 12), False),  # they replied
        (FRI, False, date(2025, 2, 13), False),  # Friday to Thursday over a weekend: 4
        (FRI, False, date(2025, 2, 14), True),
        (SAT, False, date(2025, 2, 14), True),  # a weekend contact counts from Monday
        (SAT, False, date(2025, 2, 13), False),
    ],
)
def test_no_reply_after_five_business_days_needs_the_csm_follow_up(contacted_on, replied, today, follow_up):
    assert NO_REPLY_BUSINESS_DAYS == 5
    assert needs_follow_up(contacted_on, replied, today) is follow_up


# ---- the funnel's arithmetic (the counting is the database's: tests/bot/cocreate/test_pipeline.py) --------------


def test_funnel_with_nobody_contacted_has_no_conversion_and_needs_the_whole_pipeline():
    counts = QuarterCounts(contacted=0, carried=0, meetings=0, active=0, started=0)
    result = funnel(counts, quarter=FY26_Q1, targets=Targets(projects_per_quarter=4, pipeline_multiple=2.5))
    assert (result.in_pipeline, result.contacted, result.active_conversations, result.conversion) == (0, 0, 0, None)
    assert (result.median_days_to_start, result.mean_days_to_start) == (None, None)
    assert (result.pipeline_target, result.short_by) == (10, 10)


def test_funnel_past_its_project_target_needs_no_more_pipeline():
    counts = QuarterCounts(contacted=8, carried=0, meetings=0, active=0, started=8, days_to_start=(57,) * 8)
    result = funnel(counts, quarter=FY26_Q1, targets=Targets())
    assert (result.projects_initiated, result.projects_still_needed, result.pipeline_target, result.short_by) == (
        8,
        0,
        0,
        0,
    )
    assert result.conversion == 1.0 and result.median_days_to_start == 57.0


def test_funnel_times_are_the_median_and_mean_of_the_starts_with_a_contact_day():
    counts = QuarterCounts(
        contacted=20, carried=4, meetings=11, active=15, started=6, days_to_start=(56, 63, 70, 74, 77)
    )
    result = funnel(counts, quarter=FY26_Q1, targets=Targets())
    assert (result.in_pipeline, result.projects_initiated, result.conversion) == (24, 6, pytest.approx(0.3))
    assert (result.median_days_to_start, result.mean_days_to_start) == (70.0, pytest.approx(68.0))
    assert (result.projects_still_needed, result.pipeline_target, result.short_by) == (1, 3, 0)


d = date


# ---- contributions -------------------------------------------------------------------------------------------------


def test_contribution_metrics_per_org_repeat_share_and_days_between():
    contributions = [
        ContributionRecord("Acme", ContributionKind.MR, "https://gitlab.com/a/-/merge_requests/1", d(2025, 1, 31)),
        ContributionRecord("Globex", "issue", "https://gitlab.com/a/-/issues/2", d(2025, 2, 4)),
        ("Acme", "comment", "https://gitlab.com/a/-/issues/3#note_1", d(2025, 1, 1)),
        ContributionRecord("Initech", ContributionKind.MR, "https://gitlab.com/a/-/merge_requests/4", d(2025, 3, 1)),
        ContributionRecord("Acme", ContributionKind.MR, "https://gitlab.com/a/-/merge_requests/5", d(2025, 1, 11)),
        ContributionRecord("Globex", ContributionKind.MR, "https://gitlab.com/a/-/merge_requests/6", d(2025, 2, 1)),
    ]
    metrics = contribution_metrics(contributions)
    assert metrics.total == 6
    assert list(metrics.per_org.items()) == [("Acme", 3), ("Globex", 2), ("Initech", 1)]
    assert dict(metrics.per_kind) == {ContributionKind.MR: 4, ContributionKind.ISSUE: 1, ContributionKind.COMMENT: 1}
    assert metrics.repeat_share == pytest.approx(2 / 3)
    assert metrics.mean_days_between == pytest.approx(9.0)  # Acme: 10 and 20 days, mean 15; Globex: 3; (15 + 3) / 2


def test_contribution_metrics_without_repeats():
    assert contribution_metrics([]).repeat_share is None and contribution_metrics([]).total == 0
    one_each = contribution_metrics([("Acme", "mr", "u1", d(2025, 1, 1)), ("Hooli", "mr", "u2", d(2025, 1, 2))])
    assert one_each.repeat_share == 0.0 and one_each.mean_days_between is None


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        (
            "HTTPS://GitLab.com/gitlab-org/gitlab/-/merge_requests/1/",
            "https://gitlab.com/gitlab-org/gitlab/-/merge_requests/1",
        ),
        ("https://gitlab.com/a/b/-/issues/2#note_99", "https://gitlab.com/a/b/-/issues/2"),
        ("https://gitlab.com:443/a", "https://gitlab.com/a"),
        ("http://Example.com:8080/x//", "http://example.com:8080/x"),
        ("<https://gitlab.com/a/b|MR 1>", "https://gitlab.com/a/b"),
        ("https://gitlab.com/Org/Repo?tab=Notes#x", "https://gitlab.com/Org/Repo?tab=Notes"),
        ("  https://gitlab.com/  ", "https://gitlab.com"),
    ],
)
def test_contribution_links_are_normalised_for_duplicates(url, normalized):
    assert normalize_contribution_url(url) == normalized


def test_two_writings_of_one_link_are_the_same_contribution():
    assert normalize_contribution_url("https://GITLAB.com/a/-/merge_requests/7/") == normalize_contribution_url(
        "https://gitlab.com/a/-/merge_requests/7#note_3"
    )


@pytest.mark.parametrize(
    "url",
    [
        "gitlab.com/a",
        "ftp://gitlab.com/a",
        "",
        "https://",
        "https://exa mple.com/a",
        "https://gitlab.com:99999/a",
        "https://x.com/" + "a" * 600,
    ],
)
def test_other_contribution_links_are_refused(url):
    with pytest.raises(UserError) as caught:
        normalize_contribution_url(url)
    assert "https://" in caught.value.usage


# ---- the quarter's days and how much is left; partial scores (issue 14) -------------------------------------------

FY26_Q1 = FiscalCalendar(2).parse_quarter("FY26-Q1")


@pytest.mark.parametrize(
    ("today", "left"),
    [
        (date(2025, 1, 1), "starts in 4 weeks"),  # 31 days ahead
        (date(2025, 1, 19), "starts in 13 days"),
        (date(2025, 1, 31), "starts tomorrow"),
        (date(2025, 2, 1), "12 weeks left"),  # 89 days, the first one included
        (date(2025, 3, 17), "6 weeks left"),  # 45 days
        (date(2025, 4, 16), "2 weeks left"),  # 15 days
        (date(2025, 4, 17), "2 weeks left"),  # 14 days
        (date(2025, 4, 18), "1 week left"),  # 13 days
        (date(2025, 4, 23), "1 week left"),  # 8 days
        (date(2025, 4, 24), "last week"),  # 7 days
        (date(2025, 4, 25), "6 days left"),
        (date(2025, 4, 28), "3 days left"),
        (date(2025, 4, 29), "2 days left"),
        (date(2025, 4, 30), "last day"),
        (date(2025, 5, 1), "ended"),
    ],
)
def test_time_left_in_a_quarter(today, left):
    from bot.cocreate.rules import quarter_line, time_left

    assert time_left(FY26_Q1, today) == left
    assert quarter_line(FY26_Q1, today) == f"FY26-Q1 · 1 Feb – 30 Apr 2025 · {left}"


def test_a_quarter_across_two_calendar_years_names_both():
    from bot.cocreate.rules import quarter_span

    assert quarter_span(FiscalCalendar(2).parse_quarter("FY26-Q4")) == "1 Nov 2025 – 31 Jan 2026"
    assert quarter_span(FiscalCalendar(1).parse_quarter("FY25-Q4")) == "1 Oct – 31 Dec 2025"


@pytest.mark.parametrize(
    ("scores", "total", "shown"),
    [
        ({}, None, "not scored yet"),
        (
            {Criterion.PUBLIC_ISSUES_MRS: 4, Criterion.RELATIONSHIP_STRENGTH: 3},
            70.0,
            "70/100 (partial: 2 of 7 criteria scored)",
        ),
        ({"public_issues_mrs": 5}, 100.0, "100/100 (partial: 1 of 7 criteria scored)"),
        ({c: 5 for c in Criterion}, 100.0, "100/100"),
        ({"not_a_criterion": 5, "usage_growth": 0}, 0.0, "0/100 (partial: 1 of 7 criteria scored)"),
    ],
)
def test_a_partial_score_says_how_many_criteria_are_scored(scores, total, shown):
    from bot.cocreate.rules import score_shown, scored_count

    assert score_shown(total, scored_count(scores)) == shown
