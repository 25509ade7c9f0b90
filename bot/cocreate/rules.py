"""Co-Create outreach rules as pure functions over plain values, so services, nudges, the digest and tests share them.

Nothing here reads the clock or the database: `today` and every row arrive as arguments. The criteria, tiers,
engagement steps and targets come from the seed (`seeds/co-create-action-plan-fy26q1.md`).
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum, StrEnum
from types import MappingProxyType
from urllib.parse import urlsplit, urlunsplit

from bot.errors import UserError
from bot.fiscal import FiscalQuarter
from bot.text import quoted

NAME_LIMIT = 200  # prospect.name
INDUSTRY_LIMIT = 100  # prospect.industry
ORG_NAME_LIMIT = 200  # prospect.name: the command and the form refuse longer
SKIP_REASON_LIMIT = 2000  # a skipped step's reason, from the command or the form
SEATS_LIMIT = 2**31 - 1  # prospect.seats is a 32-bit integer
REASON_LIMIT = 2000  # tier overrides
NORMALIZED_URL_LIMIT = 500  # contribution.normalized_url

# ---- wording --------------------------------------------------------------------------------------------------------


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`1 step`, `3 steps`, `0 steps`: the count and its noun agreeing (`plural` for nouns not made with an s)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


# ---- criteria, scores and weights --------------------------------------------------------------------------------


class Criterion(StrEnum):
    """The seed's seven prioritization criteria, in its order; the value is the key stored in `prospect.scores`."""

    PUBLIC_ISSUES_MRS = "public_issues_mrs"
    FEATURE_USAGE = "feature_usage"
    TIER_AND_SEATS = "tier_and_seats"
    INDUSTRY_FOCUS = "industry_focus"
    PRIOR_OSS_CONTRIBUTION = "prior_oss_contribution"
    USAGE_GROWTH = "usage_growth"
    RELATIONSHIP_STRENGTH = "relationship_strength"


CRITERION_LABELS: Mapping[Criterion, str] = MappingProxyType(
    {
        Criterion.PUBLIC_ISSUES_MRS: "Number of public issues and merge requests created",
        Criterion.FEATURE_USAGE: "Usage of specific GitLab features",
        Criterion.TIER_AND_SEATS: "Current subscription tier and seat count",
        Criterion.INDUSTRY_FOCUS: "Industry sector focus (Finance, Manufacturing, Telco)",
        Criterion.PRIOR_OSS_CONTRIBUTION: "Previous open source contribution experience",
        Criterion.USAGE_GROWTH: "GitLab usage growth trends",
        Criterion.RELATIONSHIP_STRENGTH: "Customer relationship strength",
    }
)
SCORE_MIN = 0
SCORE_MAX = 5
DEFAULT_WEIGHTS: Mapping[Criterion, float] = MappingProxyType(dict.fromkeys(Criterion, 1.0))  # the seed ranks none

SCORE_USAGE = f"Score each criterion with a whole number from {SCORE_MIN} (none) to {SCORE_MAX} (strongest)."
WEIGHTS_USAGE = "Give each criterion a weight of 0 or more (1 is the default); at least one weight must be above 0."
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")


def criterion_of(name: str) -> Criterion | None:
    """The criterion named by its key (`feature_usage`) or the seed's label, any case or spacing; None otherwise."""
    wanted = _simplified(name)
    for criterion in Criterion:
        if wanted in (criterion.value, _simplified(CRITERION_LABELS[criterion])):
            return criterion
    return None


def _simplified(text: str) -> str:
    """Lower case with every run of other characters as one `_`: "Tech stack-overlap" → "tech_stack_overlap"."""
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def validate_score(criterion: Criterion, value: int | float | str) -> int:
    """The score as an int when it is a whole number from 0 to 5 (`"3"` and `3.0` too); raises UserError otherwise."""
    score: int | None = None
    if isinstance(value, bool):
        score = None  # True is not a score, even though Python counts it as 1
    elif isinstance(value, int):
        score = value
    elif isinstance(value, float) and value.is_integer():
        score = int(value)
    elif isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        score = int(value.strip())
    if score is None or not SCORE_MIN <= score <= SCORE_MAX:
        raise UserError(
            f"The score for “{CRITERION_LABELS[criterion]}” can't be {quoted(str(value))}.",
            SCORE_USAGE,
        )
    return score


def validate_weights(weights: Mapping[Criterion | str, float | int]) -> dict[Criterion, float]:
    """All seven weights, the given ones over the defaults; raises UserError for an unknown criterion, a negative or
    non-finite weight, or when every weight would be 0 (nothing could be scored)."""
    result = dict(DEFAULT_WEIGHTS)
    for name, value in weights.items():
        criterion = criterion_of(name)
        if criterion is None:
            raise UserError(f"There is no criterion {quoted(str(name))}.", _criteria_usage())
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            raise UserError(
                f"The weight for “{CRITERION_LABELS[criterion]}” can't be {quoted(str(value))}.", WEIGHTS_USAGE
            )
        result[criterion] = float(value)
    if not any(result.values()):
        raise UserError("Every weight would be 0, so no prospect could be scored.", WEIGHTS_USAGE)
    return result


def _criteria_usage() -> str:
    """The criterion keys, for an error about a name that is none of them."""
    return "The criteria are " + ", ".join(f"`{criterion.value}`" for criterion in Criterion) + "."


def total_score(scores: Mapping[Criterion, int | None], weights: Mapping[Criterion, float]) -> float | None:
    """The weighted mean of the scored criteria on 0..100: sum(w*s) / sum(w*5) * 100; unscored criteria count for
    nothing either way. None when no criterion with a weight above 0 is scored; never raises."""
    earned = possible = 0.0
    for criterion in Criterion:
        score = scores.get(criterion)
        if score is None:
            continue
        weight = weights.get(criterion, DEFAULT_WEIGHTS[criterion])
        earned += weight * score
        possible += weight * SCORE_MAX
    return earned / possible * 100 if possible else None


def is_fully_scored(scores: Mapping[Criterion, int | None]) -> bool:
    """Whether every one of the seven criteria has a score."""
    return all(scores.get(criterion) is not None for criterion in Criterion)


def scored_count(scores: Mapping[Criterion, int | None] | Mapping[str, int | None]) -> int:
    """How many of the seven criteria have a score, in scores keyed by criterion or by its stored key (a StrEnum
    finds both); keys that are no criterion don't count."""
    return sum(1 for criterion in Criterion if scores.get(criterion) is not None)


def score_shown(score: float | None, scored: int) -> str:
    """`70/100`, or for a partly scored prospect `70/100 (partial: 3 of 7 criteria scored)`, or `not scored yet`."""
    if score is None or scored == 0:
        return "not scored yet"
    total = len(Criterion)
    partial = "" if scored >= total else f" (partial: {scored} of {total} criteria scored)"
    return f"{score:.0f}/100{partial}"


# ---- subscriptions and tiers ---------------------------------------------------------------------------------------


class Subscription(StrEnum):
    """The customer's GitLab subscription tier."""

    FREE = "free"
    PREMIUM = "premium"
    ULTIMATE = "ultimate"


SUBSCRIPTIONS = tuple(Subscription)
SUBSCRIPTION_USAGE = "The subscription is `free`, `premium` or `ultimate`, or left empty when unknown."


def read_subscription(text: str | None) -> Subscription | None:
    """`Premium`, ` ULTIMATE ` … as a Subscription; None for empty text; raises UserError for anything else."""
    if text is None or not text.strip():
        return None
    try:
        return Subscription(text.strip().lower())
    except ValueError:
        raise UserError(f"There is no subscription {quoted(text)}.", SUBSCRIPTION_USAGE) from None


class Tier(IntEnum):
    """The seed's customer tiers; a lower number comes first."""

    HIGH = 1
    MEDIUM = 2
    FUTURE = 3


TIER_LABELS: Mapping[Tier, str] = MappingProxyType(
    {
        Tier.HIGH: "High engagement potential",
        Tier.MEDIUM: "Medium engagement potential",
        Tier.FUTURE: "Future potential",
    }
)
TIER_USAGE = "A tier is `1` (high engagement potential), `2` (medium) or `3` (future potential), with a reason."
# Tier 1 needs all three of the seed's signs. "Strong issue/MR history" is a score of at least 3 out of 5 on public
# issues and MRs (the upper half), "prior contribution experience" any score above 0 on prior open-source work.
STRONG_HISTORY_MIN_SCORE = 3
PRIOR_CONTRIBUTION_MIN_SCORE = 1
TIER_1_SUBSCRIPTIONS = frozenset({Subscription.PREMIUM, Subscription.ULTIMATE})


def computed_tier(
    *,
    public_issues_mrs: int | None,
    subscription: str | None,
    prior_oss_contribution: int | None,
    tech_stack_overlap: bool,
) -> Tier:
    """The seed's tier from the prospect's fields; an unscored criterion counts as 0, an unknown subscription as
    not Premium/Ultimate. Raises UserError for a subscription that is none of `SUBSCRIPTIONS`.

    Tier 1: public issues/MRs >= 3, Premium or Ultimate, and prior open-source contribution >= 1.
    Tier 2: not Tier 1 but a clear tech-stack overlap. The seed says "no previous MR history, but clear overlap":
    MR history is not needed for Tier 2, so a prospect with some history and an overlap is Tier 2 as well, never
    ranked below one with no history at all.
    Tier 3: everyone else (future potential).
    """
    if (
        (public_issues_mrs or 0) >= STRONG_HISTORY_MIN_SCORE
        and read_subscription(subscription) in TIER_1_SUBSCRIPTIONS
        and (prior_oss_contribution or 0) >= PRIOR_CONTRIBUTION_MIN_SCORE
    ):
        return Tier.HIGH
    return Tier.MEDIUM if tech_stack_overlap else Tier.FUTURE


def read_tier(text: str | int) -> Tier:
    """`1`, `tier 2`, `T3` as a Tier; raises UserError for anything else."""
    match = re.fullmatch(r"(?:tier\s*|t)?([123])", str(text).strip().lower())
    if match is None:
        raise UserError(f"There is no tier {quoted(str(text))}.", TIER_USAGE)
    return Tier(int(match[1]))


def check_tier_override(tier: Tier | None, reason: str | None) -> str | None:
    """The reason, stripped, for a tier set by hand (None when there is no override); raises UserError when an
    override has no reason, a reason has no override, or the reason is over REASON_LIMIT characters."""
    reason = (reason or "").strip() or None
    if tier is None and reason is not None:
        raise UserError("A tier reason only goes with a tier set by hand.", TIER_USAGE)
    if tier is not None and reason is None:
        raise UserError(f"Setting the tier to {tier.value} by hand needs a reason.", TIER_USAGE)
    if reason is not None and len(reason) > REASON_LIMIT:
        raise UserError(f"The tier reason is {len(reason):,} characters; the limit is {REASON_LIMIT:,}.", TIER_USAGE)
    return reason


# ---- ranking ---------------------------------------------------------------------------------------------------------

TOP_N = 25  # the seed: "prioritize top 25 scored customers"


@dataclass(frozen=True, slots=True)
class ProspectScore:
    """One prospect as the ranking sees it: its tier (override or computed) and total score (None: unscored)."""

    name: str
    tier: Tier
    score: float | None


def rank(prospects: list[ProspectScore]) -> list[ProspectScore]:
    """Best first: tier 1 before 2 before 3, then the higher score (unscored last), then the name A to Z."""
    return sorted(
        prospects,
        key=lambda p: (p.tier, p.score is None, -(p.score or 0.0), p.name.casefold(), p.name),
    )


@dataclass(frozen=True, slots=True)
class RankedProspect:
    """One prospect in `/cocreate top`: its tier (override or computed), total score (None: unscored), whether all
    seven criteria are scored and how many are, and whether first contact has been made."""

    prospect_id: int
    name: str
    tier: Tier
    score: float | None
    fully_scored: bool
    contacted: bool
    scored: int


# ---- targets -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Targets:
    """The seed's quarterly targets: 7 projects from a pipeline of 3x, 33% conversion, 8-10 weeks contact to start."""

    projects_per_quarter: int = 7
    pipeline_multiple: float = 3
    conversion: float = 0.33
    weeks_min: int = 8
    weeks_max: int = 10

    @property
    def pipeline_size(self) -> int:
        """The whole quarter's pipeline target: 21 for the seed's "3x target pipeline (21+ prospects)"."""
        return math.ceil(self.projects_per_quarter * self.pipeline_multiple)

    @property
    def days_min(self) -> int:
        """The shortest target time from contact to project start, in days."""
        return self.weeks_min * 7

    @property
    def days_max(self) -> int:
        """The longest target time from contact to project start, in days: the outreach window."""
        return self.weeks_max * 7


TARGETS_USAGE = (
    "Targets are whole projects a quarter (1 or more), a pipeline multiple of 1 or more, a conversion from 0 to 1 "
    "(0.33 for 33%) and weeks from contact to start, the lower first, e.g. 8 to 10."
)


def read_targets(settings: Mapping[str, object]) -> Targets:
    """Targets from the program's stored settings, the seed's defaults for any missing one; raises UserError for an
    unknown name or a value out of range."""
    defaults = Targets()
    unknown = sorted(set(settings) - set(Targets.__dataclass_fields__))
    if unknown:
        raise UserError(f"There is no target {quoted(unknown[0])}.", TARGETS_USAGE)
    values = {name: settings.get(name, getattr(defaults, name)) for name in Targets.__dataclass_fields__}
    if any(isinstance(value, bool) or not isinstance(value, int | float) for value in values.values()):
        raise UserError("Every target is a number.", TARGETS_USAGE)
    whole = {name: values[name] for name in ("projects_per_quarter", "weeks_min", "weeks_max")}
    if not all(math.isfinite(value) and float(value).is_integer() for value in whole.values()):
        raise UserError("Projects and weeks are whole numbers.", TARGETS_USAGE)
    targets = Targets(**{**values, **{name: int(value) for name, value in whole.items()}})
    if not (
        targets.projects_per_quarter >= 1
        and 1 <= targets.pipeline_multiple < math.inf
        and 0 <= targets.conversion <= 1
        and 1 <= targets.weeks_min <= targets.weeks_max
    ):
        raise UserError("Those targets don't fit together.", TARGETS_USAGE)
    return targets


DEFAULT_TARGETS = Targets()


# ---- engagement steps ------------------------------------------------------------------------------------------------


class Step(StrEnum):
    """The seed's engagement steps, then project start and contribution tracking, in order."""

    INITIAL_CONTACT = "initial_contact"
    CSM_FOLLOW_UP = "csm_follow_up"
    ALIGNMENT_MEETING = "alignment_meeting"
    OUTCOMES_DOCUMENTED = "outcomes_documented"
    PROJECT_STARTED = "project_started"
    CONTRIBUTIONS_TRACKED = "contributions_tracked"


@dataclass(frozen=True, slots=True)
class StepSpec:
    """One engagement step: its label, its default due day counted from the day outreach starts, and the share of
    the outreach window (Targets.weeks_max) its stage may take before it counts as stalled (None: never stalls)."""

    key: Step
    label: str
    due_offset_days: int
    stage_share: float | None


# The window is the seed's 10 weeks at most (70 days) from first contact to project start. Due days spread it:
# contact the day outreach starts; the CSM follows up a week later (5 business days: the no-reply point); the
# alignment meeting by the end of week 3 and its outcomes a week after; the project starts by day 70; contributions
# are first tracked a quarter (91 days) after that, at the business review.
# Stage shares say how long a stage may run from the day it began (the previous step finished) before the digest
# flags it: contact 10% (7 days), follow-up 10% (7), meeting 20% (14), outcomes 10% (7) and project start 50% (35),
# together the whole window. Tracking contributions is open-ended, so it never stalls.
STEPS: tuple[StepSpec, ...] = (
    StepSpec(Step.INITIAL_CONTACT, "Initial contact through dedicated Slack channel", 0, 0.10),
    StepSpec(Step.CSM_FOLLOW_UP, "CSM follow-up if needed", 7, 0.10),
    StepSpec(
        Step.ALIGNMENT_MEETING,
        "Schedule alignment meeting with Customer Success Manager, Account Executive and Solutions Architect",
        21,
        0.20,
    ),
    StepSpec(Step.OUTCOMES_DOCUMENTED, "Document meeting outcomes and next steps", 28, 0.10),
    StepSpec(Step.PROJECT_STARTED, "Project started", 70, 0.50),
    StepSpec(Step.CONTRIBUTIONS_TRACKED, "Post-project contributions tracked", 70 + 91, None),
)
STEP_SPECS: Mapping[Step, StepSpec] = MappingProxyType({spec.key: spec for spec in STEPS})


def default_due_dates(outreach_started_on: date) -> dict[Step, date]:
    """Each step's default due day for outreach that starts on `outreach_started_on`, in step order."""
    return {spec.key: outreach_started_on + timedelta(days=spec.due_offset_days) for spec in STEPS}


def stall_days(step: Step, targets: Targets = DEFAULT_TARGETS) -> int | None:
    """How many days the stage of `step` may run before it stalls (share of the window, rounded); None: never."""
    share = STEP_SPECS[step].stage_share
    return None if share is None else round(share * targets.days_max)


def stalled(step: Step, started_on: date, today: date, *, targets: Targets = DEFAULT_TARGETS) -> bool:
    """Whether the stage of `step`, begun on `started_on`, has run past its share of the window by `today`."""
    allowed = stall_days(step, targets)
    return allowed is not None and (today - started_on).days > allowed


# ---- business days ---------------------------------------------------------------------------------------------------

NO_REPLY_BUSINESS_DAYS = 5  # a contact with no reply after 5 business days prompts the CSM follow-up


def _weekdays_before(day: date) -> int:
    """How many Mondays-to-Fridays come before `day` since 0001-01-01 (a Monday)."""
    weeks, rest = divmod(day.toordinal() - 1, 7)
    return weeks * 5 + min(rest, 5)


def business_days_between(a: date, b: date) -> int:
    """How many Mondays-to-Fridays fall after `a` up to and including `b`; negative when `b` is before `a`."""
    return _weekdays_before(b + timedelta(days=1)) - _weekdays_before(a + timedelta(days=1))


def add_business_days(day: date, n: int) -> date:
    """The n-th Monday-to-Friday after `day` (before it for negative n); `day` itself for 0, weekend or not."""
    step = 1 if n >= 0 else -1
    weeks, rest = divmod(abs(n), 5)
    result = day + timedelta(weeks=weeks * step)
    if weeks and result.weekday() >= 5:
        # Whole weeks from a weekend day land on a weekend day: the last of them is the Friday before (counting
        # forward) or the Monday after (counting back).
        result += timedelta(days=4 - result.weekday() if step > 0 else 7 - result.weekday())
    while rest:
        result += timedelta(days=step)
        if result.weekday() < 5:
            rest -= 1
    return result


def is_late(due_on: date | None, today: date) -> bool:
    """Whether a step due on `due_on` is late on `today` (a step with no due date never is)."""
    return due_on is not None and due_on < today


@dataclass(frozen=True, slots=True)
class Stalled:
    """Open outreach whose current stage ran past its share of the window: how many, and the longest-stalled first
    as (prospect, step label, days in the stage)."""

    count: int
    longest: list[tuple[str, str, int]]


def needs_follow_up(contacted_on: date, replied: bool, today: date) -> bool:
    """Whether a contact with no reply has waited NO_REPLY_BUSINESS_DAYS business days or more by `today`."""
    return not replied and business_days_between(contacted_on, today) >= NO_REPLY_BUSINESS_DAYS


# ---- the funnel for a fiscal quarter -----------------------------------------------------------------------------


def quarter_span(quarter: FiscalQuarter) -> str:
    """`1 Feb – 30 Apr 2025`, or `1 Nov 2025 – 31 Jan 2026` when the quarter spans two calendar years."""
    start = f"{quarter.start.day} {quarter.start:%b}" + (
        "" if quarter.start.year == quarter.end.year else f" {quarter.start.year}"
    )
    return f"{start} – {quarter.end.day} {quarter.end:%b %Y}"


def time_left(quarter: FiscalQuarter, today: date) -> str:
    """How much of the quarter is left on `today` (counted as a day left): `6 weeks left` (whole weeks, from 14
    days), `1 week left` (8–13 days), `last week` (7), `3 days left`, `last day`, `ended`, or for a quarter
    still to come `starts in 3 weeks` / `starts in 4 days` / `starts tomorrow`."""
    if today > quarter.end:
        return "ended"
    if today < quarter.start:
        ahead = (quarter.start - today).days
        if ahead == 1:
            return "starts tomorrow"
        return f"starts in {counted(ahead // 7, 'week')}" if ahead >= 14 else f"starts in {counted(ahead, 'day')}"
    left = (quarter.end - today).days + 1
    if left >= 8:
        return f"{counted(left // 7, 'week')} left"
    if left == 7:
        return "last week"
    return "last day" if left == 1 else f"{left} days left"


def quarter_line(quarter: FiscalQuarter, today: date) -> str:
    """`FY26-Q1 · 1 Feb – 30 Apr 2025 · 6 weeks left`: the quarter, its days, and how much of it is left."""
    return f"{quarter.label} · {quarter_span(quarter)} · {time_left(quarter, today)}"


@dataclass(frozen=True, slots=True)
class QuarterCounts:
    """What the database counts for a fiscal quarter (bot/cocreate/service.py `quarter_funnel`).

    `contacted`: first contact made in the quarter. `carried`: contacted before it and still open the day before it
    began. `meetings`: alignment meetings dated in it. `active`: contacted and still open on its last day (a prospect
    is open from its first contact until its outcome's day). `days_to_start`: for each project started in the quarter,
    the days from first contact to the start (a start with no contact day counts as a project without a time).
    """

    contacted: int
    carried: int
    meetings: int
    active: int
    started: int
    days_to_start: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Funnel:
    """A fiscal quarter's outreach against its targets.

    `in_pipeline` counts prospects contacted in the quarter or still open when it began; `active_conversations`
    those contacted and still open at its end (now, for the current quarter). `pipeline_target` is
    pipeline_multiple x the projects still needed this quarter, and `short_by` how many open conversations the
    pipeline lacks to reach it (0 when enough): prospects that started or declined can't fill what is still needed.
    The whole quarter's "pipeline vs 3x target" compares `in_pipeline` with `targets.pipeline_size` (21).
    """

    quarter: FiscalQuarter
    targets: Targets
    in_pipeline: int
    contacted: int
    meetings_scheduled: int
    active_conversations: int
    projects_initiated: int
    conversion: float | None
    median_days_to_start: float | None
    mean_days_to_start: float | None
    projects_still_needed: int
    pipeline_target: int
    short_by: int


def funnel(counts: QuarterCounts, *, quarter: FiscalQuarter, targets: Targets) -> Funnel:
    """The funnel of `quarter` against `targets` from what the database counted for it."""
    days = counts.days_to_start
    still_needed = max(0, targets.projects_per_quarter - counts.started)
    pipeline_target = math.ceil(targets.pipeline_multiple * still_needed)
    return Funnel(
        quarter=quarter,
        targets=targets,
        in_pipeline=counts.contacted + counts.carried,
        contacted=counts.contacted,
        meetings_scheduled=counts.meetings,
        active_conversations=counts.active,
        projects_initiated=counts.started,
        conversion=counts.started / counts.contacted if counts.contacted else None,
        median_days_to_start=float(statistics.median(days)) if days else None,
        mean_days_to_start=statistics.fmean(days) if days else None,
        projects_still_needed=still_needed,
        pipeline_target=pipeline_target,
        short_by=max(0, pipeline_target - counts.active),
    )


# ---- contributions after a project -------------------------------------------------------------------------------


class ContributionKind(StrEnum):
    """What a contribution after a project is (the seed: new MRs, issues, comments)."""

    MR = "mr"
    ISSUE = "issue"
    COMMENT = "comment"


@dataclass(frozen=True, slots=True)
class ContributionRecord:
    """One contribution by a customer organization, on the day it was made."""

    org: str
    kind: ContributionKind | str
    url: str
    on: date


@dataclass(frozen=True, slots=True)
class ContributionMetrics:
    """The seed's contribution metrics. `per_org` is most contributions first, then by name; `repeat_share` is the
    share of organizations with more than one (None: no contributions); `mean_days_between` averages, over the
    organizations with two or more, each one's mean days between consecutive contributions (None: no such org)."""

    total: int
    per_org: Mapping[str, int]
    per_kind: Mapping[ContributionKind, int]
    repeat_share: float | None
    mean_days_between: float | None


def contribution_metrics(
    contributions: Iterable[ContributionRecord | tuple[str, ContributionKind | str, str, date]],
) -> ContributionMetrics:
    """Metrics over contributions given as ContributionRecord or (org, kind, url, on) tuples; never raises for
    well-typed input (an unknown kind raises ValueError)."""
    days_by_org: dict[str, list[date]] = defaultdict(list)
    kinds: Counter[ContributionKind] = Counter()
    for item in contributions:
        org, kind, _url, on = (item.org, item.kind, item.url, item.on) if isinstance(item, ContributionRecord) else item
        days_by_org[org].append(on)
        kinds[ContributionKind(kind)] += 1
    gaps = [
        (max(days) - min(days)).days / (len(days) - 1)  # the mean of consecutive gaps is the span over their number
        for days in days_by_org.values()
        if len(days) > 1
    ]
    per_org = sorted(days_by_org.items(), key=lambda item: (-len(item[1]), item[0].casefold(), item[0]))
    return ContributionMetrics(
        total=sum(kinds.values()),
        per_org=MappingProxyType({org: len(days) for org, days in per_org}),
        per_kind=MappingProxyType({kind: kinds[kind] for kind in ContributionKind}),
        repeat_share=len(gaps) / len(days_by_org) if days_by_org else None,
        mean_days_between=statistics.fmean(gaps) if gaps else None,
    )


CONTRIBUTION_URL_USAGE = "Give the contribution's whole link, starting with `https://`."
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_contribution_url(url: str) -> str:
    """The link as duplicates are compared: scheme and host lower case, default port, fragment and trailing slashes
    dropped, path and query kept as written. Takes Slack's `<https://x|label>` too. Raises UserError for anything that
    is not an http(s) link with a host, or whose normal form is over NORMALIZED_URL_LIMIT characters."""
    text = url.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].split("|", 1)[0].strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme.lower() not in _DEFAULT_PORTS
        or not parts.hostname
        or any(c.isspace() for c in text)
    ):
        raise UserError(f"I couldn't read the link {quoted(url)}.", CONTRIBUTION_URL_USAGE)
    scheme = parts.scheme.lower()
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    normalized = urlunsplit((scheme, netloc, parts.path.rstrip("/"), parts.query, ""))
    if len(normalized) > NORMALIZED_URL_LIMIT:
        raise UserError(
            f"The link is {len(normalized):,} characters; the limit is {NORMALIZED_URL_LIMIT:,}.",
            CONTRIBUTION_URL_USAGE,
        )
    return normalized
