"""Executive Sponsorship Program rules as pure functions over plain values, so services, nudges and tests share them.

Nothing here reads the clock or the database: `today` and every row arrive as arguments. The numbers and the
operating cadence come from the handbook page (`seeds/executive-sponsorship-program.md`).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from bot.cadence.rules import Frequency, Recurrence
from bot.errors import PermissionDenied, UserError
from bot.fiscal import FiscalCalendar, FiscalQuarter
from bot.text import escape
from models.esp import EspAudience, EspPeriod, TouchpointKind

MAX_ACCOUNTS_PER_SPONSOR = 4  # "a maximum of four assigned accounts per Sponsor on an annual basis"
COMMITMENT_YEARS = 1  # "a minimum 1 year commitment to their assigned accounts"
PUBLIC_REFERENCE_TARGET = 2  # "2 public customer references annually", per account
# Touchpoint reminders go out for the last three weeks of a period: the due day and the 20 days after it, end
# day included, make 21 days. FY27-Q1 ends 2026-04-30, so its reminder is due on 2026-04-10.
REMINDER_DAYS_BEFORE_END = 20
ANNUAL_TOUCHPOINT_KINDS = frozenset({TouchpointKind.FACE_TO_FACE})  # the quarterly rule counts any touchpoint kind

UNASSIGN_EXAMPLE = '`/esp unassign "Acme Corp" @dana reason "Dana moved to another region"`'


def _shown(text: str) -> str:
    """User text (an account name) safe inside mrkdwn and inline code."""
    return escape(text.replace("`", "'"))


def _and_list(items: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 account", "2 accounts" ("1 sponsor", "3 sponsors")."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


# Touchpoint kinds as the handbook writes them ("Customer EBRs"): the acronym in capitals.
TOUCHPOINT_LABELS = {
    TouchpointKind.INFORMAL: "informal",
    TouchpointKind.FACE_TO_FACE: "face-to-face",
    TouchpointKind.EBR: "EBR",
}


def touchpoint_label(kind: str) -> str:
    """How a touchpoint kind reads in a sentence: "informal", "face-to-face", "EBR"."""
    return TOUCHPOINT_LABELS.get(str(kind), str(kind))


def _number(value: float) -> str:
    """4.0 as "4", 3.5 as "3.5"."""
    return f"{value:g}" if math.isfinite(value) else str(value)


# ---- sponsors and commitments ------------------------------------------------------------------------------------


def commitment_end(start: date) -> date:
    """The day a commitment starting on `start` has lasted a year: same day next year (29 February → 28 February)."""
    year = start.year + COMMITMENT_YEARS
    if start.month == 2 and start.day == 29:
        return date(year, 2, 28)  # a non-leap year has no 29th; ending on the 28th never shortens the year
    return start.replace(year=year)


def check_sponsor_load(sponsor_id: str, active_accounts: list[str]) -> None:
    """Refuse another account for a sponsor already holding the maximum; raises UserError naming those accounts."""
    if len(active_accounts) < MAX_ACCOUNTS_PER_SPONSOR:
        return
    names = _and_list([_shown(name) for name in active_accounts])
    raise UserError(
        f"<@{sponsor_id}> already sponsors {len(active_accounts)} accounts: {names}; the program allows at most "
        f"{MAX_ACCOUNTS_PER_SPONSOR} accounts per sponsor.",
        f"End one of those commitments first, e.g. {UNASSIGN_EXAMPLE}, or pick another sponsor; "
        "`/esp map` shows who sponsors what.",
    )


def check_second_sponsor(
    account_name: str, current_sponsor_ids: list[str], *, forced: bool, actor_is_program_manager: bool
) -> None:
    """Refuse a second sponsor on an account unless the program manager forces it; raises UserError, or
    PermissionDenied when someone else tries to force it."""
    if not current_sponsor_ids or (forced and actor_is_program_manager):
        return
    name = _shown(account_name)
    holders = _and_list([f"<@{user_id}>" for user_id in dict.fromkeys(current_sponsor_ids)])
    force = f'`/esp assign @sponsor "{name}" force`'
    if forced:
        raise PermissionDenied(
            f"Only the program manager can give {name} another sponsor; it already has {holders}.",
            f"Ask the program manager to run {force}.",
        )
    raise UserError(
        f"{name} already has a sponsor: {holders}. An account has one sponsor unless the program manager adds "
        "a second.",
        f"The program manager can do that with {force}; `/esp map` shows the mapping.",
    )


def early_end(started_on: date, commitment_ends_on: date, ended_on: date, reason: str | None) -> bool:
    """Whether ending on `ended_on` is before the year is up; raises UserError when it is early and has no reason."""
    early = ended_on < commitment_ends_on
    if early and not (reason or "").strip():
        raise UserError(
            f"This commitment started on {started_on.isoformat()} and runs until {commitment_ends_on.isoformat()}: "
            f"sponsors commit for at least a year, so ending it on {ended_on.isoformat()} is early and needs a reason.",
            f"Say why, e.g. {UNASSIGN_EXAMPLE}.",
        )
    return early


# ---- KPIs ------------------------------------------------------------------------------------------------------


class Metric(StrEnum):
    """What a KPI reading measures; the value's meaning and range depend on it (see `validate_reading`)."""

    INFLUENCE = "influence"  # relationship dimensions, 1..5 each
    SENTIMENT = "sentiment"
    STRENGTH = "strength"
    ENGAGEMENT = "engagement"
    NPS = "nps"  # one survey response, 0..10
    ROADBLOCK_REMOVED = "roadblock_removed"  # an event: the value counts them (normally 1)
    PUBLIC_REFERENCE = "public_reference"  # an event, as above
    USE_CASES_ADOPTED = "use_cases_adopted"  # the latest count of use cases fully adopted
    TIME_TO_VALUE_DAYS = "time_to_value_days"
    NET_ARR_GROWTH = "net_arr_growth"  # percent


RELATIONSHIP_DIMENSIONS = (Metric.INFLUENCE, Metric.SENTIMENT, Metric.STRENGTH, Metric.ENGAGEMENT)
METRIC_LABELS = {
    Metric.INFLUENCE: "Influence",
    Metric.SENTIMENT: "Sentiment",
    Metric.STRENGTH: "Strength",
    Metric.ENGAGEMENT: "Engagement",
    Metric.NPS: "NPS",
    Metric.ROADBLOCK_REMOVED: "Roadblocks removed",
    Metric.PUBLIC_REFERENCE: "Public references",
    Metric.USE_CASES_ADOPTED: "Use cases adopted",
    Metric.TIME_TO_VALUE_DAYS: "Time to value (days)",
    Metric.NET_ARR_GROWTH: "Net ARR growth (%)",
}


@dataclass(frozen=True, slots=True)
class _Range:
    """The values a metric accepts, and how to say so."""

    low: float
    high: float
    whole: bool
    what: str
    example: str


_KPI_EXAMPLE = '`/esp kpi "Acme Corp" {} {}`'
_RANGES = {
    **{
        dimension: _Range(1, 5, True, f"{dimension.value} score", _KPI_EXAMPLE.format(dimension.value, 4))
        for dimension in RELATIONSHIP_DIMENSIONS
    },
    Metric.NPS: _Range(0, 10, True, "NPS response", '`/esp nps "Acme Corp" 9 10 7`'),
    Metric.ROADBLOCK_REMOVED: _Range(1, 100, True, "number of roadblocks removed", '`/esp roadblock "Acme Corp"`'),
    Metric.PUBLIC_REFERENCE: _Range(1, 100, True, "number of public references", '`/esp reference "Acme Corp"`'),
    Metric.USE_CASES_ADOPTED: _Range(0, 1000, True, "number of use cases adopted", _KPI_EXAMPLE.format("use-cases", 3)),
    Metric.TIME_TO_VALUE_DAYS: _Range(0, 3650, True, "time to value", _KPI_EXAMPLE.format("time-to-value", 45)),
    Metric.NET_ARR_GROWTH: _Range(-100, 10000, False, "net ARR growth", _KPI_EXAMPLE.format("arr-growth", "12%")),
}


def validate_reading(metric: Metric, value: float) -> float:
    """The value as stored, when the metric allows it; raises UserError with the allowed range."""
    allowed = _RANGES[metric]
    unit = {Metric.TIME_TO_VALUE_DAYS: " days", Metric.NET_ARR_GROWTH: "%"}.get(metric, "")
    kind = "a whole number" if allowed.whole else "a number"
    if math.isfinite(value) and allowed.low <= value <= allowed.high and not (allowed.whole and value % 1):
        return float(value)
    raise UserError(
        f"The {allowed.what} `{_number(value)}{unit}` isn't {kind} from {_number(allowed.low)}{unit} "
        f"to {_number(allowed.high)}{unit}.",
        f"Write one in that range, e.g. {allowed.example}.",
    )


def relationship_score(
    influence: float | None, sentiment: float | None, strength: float | None, engagement: float | None
) -> float | None:
    """The mean of the dimensions scored (each 1..5), on 1..5; None when none is."""
    present = [value for value in (influence, sentiment, strength, engagement) if value is not None]
    return sum(present) / len(present) if present else None


def relationship_text(score: float | None) -> str:
    """A relationship score as users read it, "3.5/5"; "–" when there is none."""
    return "–" if score is None else f"{round(score, 1):g}/5"


def nps(responses: list[int]) -> float | None:
    """Net promoter score: % promoters (9–10) minus % detractors (0–6), -100..100; None without responses."""
    if not responses:
        return None
    promoters = sum(1 for response in responses if response >= 9)
    detractors = sum(1 for response in responses if response <= 6)
    return 100 * (promoters - detractors) / len(responses)


@dataclass(frozen=True, slots=True)
class Reading:
    """One KPI value for an account (`metric` is a Metric value), as measured on a day."""

    metric: str
    value: float
    measured_on: date


@dataclass(frozen=True, slots=True)
class Trend:
    """A KPI now and at the end of the previous quarter; for yearly counts `previous` is the count before this
    quarter, so `change` is what this quarter added."""

    value: float | None
    previous: float | None = None

    @property
    def change(self) -> float | None:
        """`value - previous`, or None when either is unknown."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True, slots=True)
class Scorecard:
    """An account's KPIs for a fiscal quarter (or the program's, from `program_scorecard`), and what is missing.

    relationship: from the latest score of each dimension; `dimensions` holds those scores.
    nps: over the quarter's survey responses (previous: the previous quarter's).
    roadblocks_removed, public_references: counts this fiscal year (target `public_reference_target`).
    use_cases_adopted, time_to_value_days, net_arr_growth: the latest figures.
    """

    quarter: str
    relationship: Trend
    dimensions: tuple[tuple[Metric, float | None], ...]
    relationship_readings: int  # dimension scores recorded this quarter
    nps: Trend
    nps_responses: int
    nps_previous_responses: int
    roadblocks_removed: Trend
    public_references: Trend
    use_cases_adopted: Trend
    time_to_value_days: Trend
    net_arr_growth: Trend
    missing: tuple[str, ...] = ()
    accounts: int = 1
    public_reference_target: int = PUBLIC_REFERENCE_TARGET

    def lines(self) -> list[tuple[str, str]]:
        """Each KPI as (label, plain text) for display: the value and this quarter's change; "–" when unknown."""
        scores = " · ".join(f"{metric.value} {_shown_value(value)}" for metric, value in self.dimensions)
        responses = f"{self.nps_responses} response{'' if self.nps_responses == 1 else 's'}"
        return [
            ("Relationship score", f"{relationship_text(self.relationship.value)}{_change(self.relationship)}"),
            ("Relationship dimensions", scores),
            ("NPS", f"{_shown_value(self.nps.value, signed=True, digits=0)} from {responses}{_change(self.nps, 0)}"),
            (
                "Roadblocks removed this year",
                f"{_shown_value(self.roadblocks_removed.value)}{_change(self.roadblocks_removed)}",
            ),
            (
                "Public references this year",
                f"{_shown_value(self.public_references.value)} of {self.public_reference_target}"
                f"{_change(self.public_references)}",
            ),
            ("Use cases adopted", f"{_shown_value(self.use_cases_adopted.value)}{_change(self.use_cases_adopted)}"),
            (
                "Time to value",
                f"{_shown_value(self.time_to_value_days.value, unit=' days')}{_change(self.time_to_value_days)}",
            ),
            ("Net ARR growth", f"{_shown_value(self.net_arr_growth.value, unit='%')}{_change(self.net_arr_growth)}"),
        ]


def _shown_value(value: float | None, *, unit: str = "", signed: bool = False, digits: int = 1) -> str:
    """A KPI value rounded to `digits` decimals ("4.5", "+33", "12%"), or "–"."""
    if value is None:
        return "–"
    return f"{round(value, digits) + 0:{'+' if signed else ''}g}{unit}"  # + 0 turns -0.0 into 0


def _change(trend: Trend, digits: int = 1) -> str:
    """The change this quarter as " (+2 this quarter)" or " (no change this quarter)"; "" when it is unknown."""
    change = trend.change
    if change is None:
        return ""
    change = round(change, digits) + 0
    return " (no change this quarter)" if change == 0 else f" ({change:+g} this quarter)"


def _by_metric(readings: Iterable[Reading]) -> dict[str, list[Reading]]:
    """Readings grouped by metric, in the order given."""
    grouped: dict[str, list[Reading]] = {}
    for reading in readings:
        grouped.setdefault(str(reading.metric), []).append(reading)
    return grouped


def _latest(readings: list[Reading], on: date) -> float | None:
    """The value measured last on or before `on` (on a tie, the one given last), or None."""
    best = None
    for reading in readings:
        if reading.measured_on <= on and (best is None or reading.measured_on >= best.measured_on):
            best = reading
    return None if best is None else best.value


def _within(readings: list[Reading], start: date, end: date) -> list[Reading]:
    """The readings measured between `start` and `end`, both included."""
    return [reading for reading in readings if start <= reading.measured_on <= end]


def _latest_trend(readings: list[Reading], quarter: FiscalQuarter) -> Trend:
    """The latest value by the end of the quarter, and by the end of the one before."""
    return Trend(_latest(readings, quarter.end), _latest(readings, quarter.previous().end))


def _year_count(readings: list[Reading], quarter: FiscalQuarter, year_start: date) -> Trend:
    """Events this fiscal year up to the quarter's end; `previous` leaves out this quarter's."""
    this_year = sum(reading.value for reading in _within(readings, year_start, quarter.end))
    this_quarter = sum(reading.value for reading in _within(readings, max(year_start, quarter.start), quarter.end))
    return Trend(round(this_year), round(this_year - this_quarter))


def scorecard(readings: list[Reading], *, quarter: FiscalQuarter, year_start: date) -> Scorecard:
    """An account's scorecard for `quarter` (in the fiscal year starting `year_start`), with the change since the
    previous quarter and what is missing."""
    grouped = _by_metric(readings)
    before = quarter.previous()
    dimensions = tuple((metric, _latest(grouped.get(metric, []), quarter.end)) for metric in RELATIONSHIP_DIMENSIONS)
    earlier = [_latest(grouped.get(metric, []), before.end) for metric in RELATIONSHIP_DIMENSIONS]
    answers = [round(r.value) for r in _within(grouped.get(Metric.NPS, []), quarter.start, quarter.end)]
    earlier_answers = [round(r.value) for r in _within(grouped.get(Metric.NPS, []), before.start, before.end)]
    card = Scorecard(
        quarter=quarter.label,
        relationship=Trend(relationship_score(*(value for _metric, value in dimensions)), relationship_score(*earlier)),
        dimensions=dimensions,
        relationship_readings=sum(
            len(_within(grouped.get(metric, []), quarter.start, quarter.end)) for metric in RELATIONSHIP_DIMENSIONS
        ),
        nps=Trend(nps(answers), nps(earlier_answers)),
        nps_responses=len(answers),
        nps_previous_responses=len(earlier_answers),
        roadblocks_removed=_year_count(grouped.get(Metric.ROADBLOCK_REMOVED, []), quarter, year_start),
        public_references=_year_count(grouped.get(Metric.PUBLIC_REFERENCE, []), quarter, year_start),
        use_cases_adopted=_latest_trend(grouped.get(Metric.USE_CASES_ADOPTED, []), quarter),
        time_to_value_days=_latest_trend(grouped.get(Metric.TIME_TO_VALUE_DAYS, []), quarter),
        net_arr_growth=_latest_trend(grouped.get(Metric.NET_ARR_GROWTH, []), quarter),
    )
    return replace(card, missing=_missing([card], program=False))


_ADOPTION_GAPS = (
    ("use_cases_adopted", "use cases adopted not recorded yet"),
    ("time_to_value_days", "time to value not recorded yet"),
    ("net_arr_growth", "net ARR growth not recorded yet"),
)


def _missing(cards: list[Scorecard], *, program: bool) -> tuple[str, ...]:
    """What the scorecards lack; for the program each gap says how many accounts have it."""
    total = len(cards)

    def lacking(count: int, text: str) -> list[str]:
        if not count:
            return []
        return [f"{text} for {count} of {counted(total, 'account')}" if program else text]

    references = sum(round(card.public_references.value or 0) for card in cards)
    target = PUBLIC_REFERENCE_TARGET * total
    gaps = [
        *lacking(sum(card.relationship_readings == 0 for card in cards), "no relationship reading this quarter"),
        *lacking(sum(card.nps_responses == 0 for card in cards), "no NPS responses this quarter"),
        *([f"{references} of {target} public references this year"] if references < target else []),
        *(["no roadblocks removed this year"] if not any(card.roadblocks_removed.value for card in cards) else []),
    ]
    for field, text in _ADOPTION_GAPS:
        gaps += lacking(sum(getattr(card, field).value is None for card in cards), text)
    return tuple(gaps)


def _mean(values: Iterable[float | None]) -> float | None:
    """The mean of the known values, or None."""
    known = [value for value in values if value is not None]
    return sum(known) / len(known) if known else None


def _sum(values: Iterable[float | None]) -> float | None:
    """The sum of the known values, or None when none is known."""
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def _weighted(pairs: Iterable[tuple[float | None, int]]) -> float | None:
    """The mean of known values weighted by their counts (NPS over every response), or None."""
    known = [(value, weight) for value, weight in pairs if value is not None and weight > 0]
    total = sum(weight for _value, weight in known)
    return sum(value * weight for value, weight in known) / total if total else None


def _mean_trend(trends: list[Trend]) -> Trend:
    """Means of the known values and of the known previous values."""
    return Trend(_mean(t.value for t in trends), _mean(t.previous for t in trends))


def _sum_trend(trends: list[Trend]) -> Trend:
    """Sums of the known values and of the known previous values."""
    return Trend(_sum(t.value for t in trends), _sum(t.previous for t in trends))


def _empty_program_scorecard() -> Scorecard:
    """The scorecard of a program without accounts."""
    return Scorecard(
        quarter="",
        relationship=Trend(None),
        dimensions=tuple((metric, None) for metric in RELATIONSHIP_DIMENSIONS),
        relationship_readings=0,
        nps=Trend(None),
        nps_responses=0,
        nps_previous_responses=0,
        roadblocks_removed=Trend(0, 0),
        public_references=Trend(0, 0),
        use_cases_adopted=Trend(None),
        time_to_value_days=Trend(None),
        net_arr_growth=Trend(None),
        missing=("no accounts in the program yet",),
        accounts=0,
        public_reference_target=0,
    )


def program_scorecard(per_account: list[Scorecard]) -> Scorecard:
    """The program's scorecard from its accounts': relationship, time to value and ARR growth are means over the
    accounts that have them, NPS is over every response, counts are sums; missing counts accounts per gap."""
    if not per_account:
        return _empty_program_scorecard()
    dimensions = [dict(card.dimensions) for card in per_account]
    return Scorecard(
        quarter=per_account[0].quarter,
        relationship=_mean_trend([card.relationship for card in per_account]),
        dimensions=tuple((metric, _mean(d.get(metric) for d in dimensions)) for metric in RELATIONSHIP_DIMENSIONS),
        relationship_readings=sum(card.relationship_readings for card in per_account),
        nps=Trend(
            _weighted((card.nps.value, card.nps_responses) for card in per_account),
            _weighted((card.nps.previous, card.nps_previous_responses) for card in per_account),
        ),
        nps_responses=sum(card.nps_responses for card in per_account),
        nps_previous_responses=sum(card.nps_previous_responses for card in per_account),
        roadblocks_removed=_sum_trend([card.roadblocks_removed for card in per_account]),
        public_references=_sum_trend([card.public_references for card in per_account]),
        use_cases_adopted=_sum_trend([card.use_cases_adopted for card in per_account]),
        time_to_value_days=_mean_trend([card.time_to_value_days for card in per_account]),
        net_arr_growth=_mean_trend([card.net_arr_growth for card in per_account]),
        missing=_missing(per_account, program=True),
        accounts=len(per_account),
        public_reference_target=PUBLIC_REFERENCE_TARGET * len(per_account),
    )


# ---- touchpoints -----------------------------------------------------------------------------------------------


def touchpoint_due_date(quarter: FiscalQuarter) -> date:
    """When sponsors hear about accounts with no touchpoint this quarter: three weeks before it ends, counting the
    end day (quarter.end - 20 days; FY27-Q1, 2026-02-01..2026-04-30, gives 2026-04-10)."""
    return quarter.end - timedelta(days=REMINDER_DAYS_BEFORE_END)


def face_to_face_due_date(fiscal_year_end: date) -> date:
    """When sponsors hear about accounts with no face-to-face meeting this fiscal year: three weeks before its
    last day, counting that day (FY27 ends 2027-01-31, so 2027-01-11)."""
    return fiscal_year_end - timedelta(days=REMINDER_DAYS_BEFORE_END)


def missing_touchpoints(
    sponsorships: list[tuple[str, str, int]],
    touchpoints: list[tuple[int, str, date]],
    *,
    start: date,
    end: date,
    kinds: Collection[str] | None = None,
) -> dict[str, list[str]]:
    """Accounts with no touchpoint between `start` and `end` (both included), by sponsor, in the order given.

    `sponsorships` are (sponsor_id, account_name, account_id), `touchpoints` (account_id, kind, happened_on).
    With `kinds` None any kind counts (the quarterly "informal virtual or in-person" rule); pass
    ANNUAL_TOUCHPOINT_KINDS for the yearly face-to-face rule. Sponsors with nothing missing are left out.
    """
    touched = {
        account_id
        for account_id, kind, happened_on in touchpoints
        if start <= happened_on <= end and (kinds is None or kind in kinds)
    }
    gaps: dict[str, list[str]] = {}
    for sponsor_id, account_name, account_id in sponsorships:
        if account_id in touched:
            continue
        names = gaps.setdefault(sponsor_id, [])
        if account_name not in names:
            names.append(account_name)
    return gaps


# ---- the operating cadence -------------------------------------------------------------------------------------


def rule_period(rule: Recurrence) -> str:
    """The label a line's rule earns, so a monthly line moved to `every tuesday` reads "weekly": "daily", "weekly",
    "every 2 weeks", "monthly", "every 2 months", "quarterly", "annually"."""
    if rule.interval == 1:
        return str(rule.frequency)
    unit = {
        Frequency.DAILY: "days",
        Frequency.WEEKLY: "weeks",
        Frequency.MONTHLY: "months",
        Frequency.QUARTERLY: "quarters",
        Frequency.ANNUALLY: "years",
    }[rule.frequency]
    return f"every {rule.interval} {unit}"


def period_of(frequency: str, day: date, calendar: FiscalCalendar) -> tuple[EspPeriod, str, str]:
    """The period an occurrence on `day` belongs to, as (kind, key, shown): checklists are kept per period key.

    Weekly (and daily) lines are per day ("2026-02-02", shown "this week"), monthly per month ("2026-02",
    "February 2026"), quarterly per fiscal quarter ("FY27-Q1") and annual per fiscal year ("FY27").
    """
    if frequency == Frequency.QUARTERLY:
        label = calendar.quarter_of(day).label
        return EspPeriod.QUARTERLY, label, label
    if frequency == Frequency.ANNUALLY:
        label = f"FY{calendar.year_of(day) % 100:02d}"
        return EspPeriod.ANNUALLY, label, label
    if frequency == Frequency.MONTHLY:
        return EspPeriod.MONTHLY, f"{day:%Y-%m}", f"{day:%B %Y}"
    return EspPeriod.WEEKLY, day.isoformat(), "this week"


AUDIENCE_LABELS = {
    EspAudience.PROGRAM_MANAGER: "to the program manager",
    EspAudience.ACCOUNT_TEAMS: "to account teams",
    EspAudience.SPONSORS: "to sponsors",
    EspAudience.ACCOUNT_TEAMS_AND_SPONSORS: "to account teams and sponsors",
    EspAudience.E_GROUP: "in the program channel, for the E-Group",
    EspAudience.CHANNEL: "in the program channel",
}
# Lines posted in the program's channel; every other line reaches people in their daily digest.
CHANNEL_AUDIENCES = frozenset({EspAudience.E_GROUP, EspAudience.CHANNEL})


def audience_label(audience: str) -> str:
    """ "to account teams", "in the program channel"."""
    try:
        return AUDIENCE_LABELS[EspAudience(audience)]
    except ValueError:
        return "to " + audience.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Obligation:
    """One line of the seed's operating cadence, with its audience and default time.

    `default_rule_words` and `default_time` are what `parse_rule_sentence` (the `/cadence` reader) takes; quarters
    and years are fiscal. `per_account` lines bring each account's checklist for the period.
    """

    key: str
    period: EspPeriod
    text: str
    audience: EspAudience
    per_account: bool
    default_rule_words: str
    default_time: str


_DEFAULT_TIMES = {
    EspPeriod.WEEKLY: ("every monday", "09:00"),
    EspPeriod.MONTHLY: ("every month on the first monday", "10:00"),
    EspPeriod.QUARTERLY: ("every fiscal quarter on the first monday", "10:00"),
    EspPeriod.ANNUALLY: ("every fiscal year on the first monday", "10:00"),
}


def _obligation(key: str, text: str, audience: EspAudience, *, per_account: bool = False) -> Obligation:
    """An obligation whose period is its key's first part, at that period's default time."""
    period = EspPeriod(key.partition(".")[0])
    rule_words, at = _DEFAULT_TIMES[period]
    return Obligation(key, period, text, audience, per_account, rule_words, at)


# Every line of the seed's "Operating Cadence", in its order and wording (one double space collapsed).
# The E-Group/CRO LT update goes to the program manager, who prepares it; forums are announced in the channel.
OPERATING_CADENCE = (
    _obligation("weekly.action_planning", "Action Planning execution and reviews (asynch)", EspAudience.ACCOUNT_TEAMS),
    _obligation("weekly.customer_engagement", "Customer engagement (account teams)", EspAudience.ACCOUNT_TEAMS),
    _obligation(
        "monthly.account_planning",
        "Account team and Exec Sponsor account planning session",
        EspAudience.ACCOUNT_TEAMS_AND_SPONSORS,
    ),
    _obligation("monthly.egroup_update", "E-Group and CRO LT program update", EspAudience.PROGRAM_MANAGER),
    _obligation("quarterly.forum", "ESP Forums", EspAudience.CHANNEL),
    _obligation("quarterly.scorecard", "Program scorecard update", EspAudience.PROGRAM_MANAGER),
    _obligation(
        "quarterly.nps_survey", "NPS and qualitative survey feedback", EspAudience.ACCOUNT_TEAMS, per_account=True
    ),
    _obligation("quarterly.ebr", "Customer EBRs (as necessary)", EspAudience.ACCOUNT_TEAMS, per_account=True),
    _obligation(
        "quarterly.informal_touchpoint",
        "Minimum of 1 informal virtual or in-person touchpoint between Sponsor and key Customer contacts",
        EspAudience.SPONSORS,
        per_account=True,
    ),
    _obligation("annually.review_impact", "Review program impact and funding model", EspAudience.PROGRAM_MANAGER),
    _obligation(
        "annually.reassess_mapping", "Reassess tier 1 accounts and sponsor mapping", EspAudience.PROGRAM_MANAGER
    ),
    _obligation(
        "annually.additional_tiers",
        "Consider additional tiers or creation of a self-service ESP model",
        EspAudience.PROGRAM_MANAGER,
    ),
    _obligation(
        "annually.face_to_face",
        "Minimum of 1 face-to-face Sponsor & Customer meeting",
        EspAudience.SPONSORS,
        per_account=True,
    ),
)
OBLIGATION_KEYS = tuple(obligation.key for obligation in OPERATING_CADENCE)
# The three annual program-manager lines fire together; only this one carries the start-of-year checklist, so the
# program manager gets it once rather than three times.
PROGRAM_MANAGER_CHECKLIST_KEYS = frozenset({"annually.reassess_mapping"})
# The yearly lines that checklist covers item by item: a digest shows the checklist once instead of the three lines.
PROGRAM_MANAGER_YEARLY_KEYS = frozenset(
    {"annually.review_impact", "annually.reassess_mapping", "annually.additional_tiers"}
)


def annual_checklist_items() -> list[tuple[str, str]]:
    """The program manager's start-of-year checklist (the annual selection), as (key, text)."""
    return [
        ("reassess_tier_1", "Reassess the tier 1 accounts: strategic value, account health and propensity to churn"),
        (
            "review_mapping",
            f"Review the sponsor mapping: fit, at most {MAX_ACCOUNTS_PER_SPONSOR} accounts per sponsor, "
            "commitments that reach their year",
        ),
        ("cro_review", "Present the shortlisted accounts and sponsor pairings to the CRO Leadership team"),
        ("review_impact", "Review program impact and funding model"),
        ("additional_tiers", "Consider additional tiers or creation of a self-service ESP model"),
    ]


_ACCOUNT_CHECKLISTS = {
    EspPeriod.QUARTERLY: [
        ("quarterly.forum", "ESP forum"),
        ("quarterly.scorecard", "Scorecard update"),
        ("quarterly.nps_survey", "NPS and qualitative survey feedback"),
        ("quarterly.ebr", "Customer EBR (as necessary)"),
        (
            "quarterly.informal_touchpoint",
            "At least 1 informal touchpoint between the sponsor and key customer contacts",
        ),
    ],
    EspPeriod.ANNUALLY: [
        ("annually.face_to_face", "At least 1 face-to-face sponsor & customer meeting"),
    ],
}


def account_checklist(period: str) -> list[tuple[str, str]]:
    """An account's checklist for a fiscal quarter ("quarterly") or year ("annually") as (key, text), keyed like
    the obligations; raises ValueError for any other period."""
    try:
        return list(_ACCOUNT_CHECKLISTS[EspPeriod(period)])
    except (KeyError, ValueError) as error:
        raise ValueError(f"accounts have checklists per quarter or year, not {period!r}") from error
