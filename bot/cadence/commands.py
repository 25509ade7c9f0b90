"""The text of `/cadence` read into a request: pure, so every form and every error is tested without Slack.

`add "<text>" every <rule> at <time> [tz <zone>] [in #channel] [to @person …] [weekends to monday]`, with the
options in any order after the rule; also `new`, `list`, `list all`, `pause N`, `resume N`, `remove N` and `help`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import time
from enum import StrEnum
from functools import cache, partial
from itertools import takewhile
from zoneinfo import available_timezones

from bot.cadence.rules import Frequency, Recurrence
from bot.errors import UserError
from bot.parsing import (
    Token,
    expect_end,
    read_channel_mention,
    read_day_of_month,
    read_month,
    read_ordinal,
    read_time,
    read_user_mention,
    read_weekday,
    tokenize,
)
from bot.text import quoted, unescape

TEXT_LIMIT = 1000
EXAMPLE = '`/cadence add "Weekly sync" every monday at 09:30`'
RULE_USAGE = (
    "I understand `every monday`, `every other monday`, `every 2 weeks on monday`, `every first monday`, "
    "`every month on the 15th`, `every month on day 15`, `every month on the last day`, "
    "`every month on the last friday`, `every 2 months on the 1st`, `every quarter`, "
    "`every quarter on the first monday`, `every fiscal quarter on day 15`, `every year on march 15`, "
    "`every year on the first monday of march`, `every fiscal year` and `every fiscal year on the first monday`; "
    "`weekly`, `biweekly`, `monthly`, `quarterly` and `annually` can stand in for `every`, "
    'e.g. `/cadence add "Weekly sync" weekly on monday at 09:30`.'
)
OPTIONS_USAGE = (
    "After the rule come `at HH:MM` and, if you want them, `tz Europe/Paris`, `in #channel`, `to @person …` "
    f"and `weekends to monday`, e.g. {EXAMPLE}."
)
ZONE_USAGE = (
    'Use an IANA name such as `Europe/Paris`, e.g. `/cadence add "Weekly sync" every monday at 09:30 tz Europe/Paris`.'
)
ID_USAGE = "Give the number `/cadence list` shows, e.g. `/cadence pause 3`."
SUBCOMMAND_USAGE = (
    "Try `/cadence add`, `/cadence new`, `/cadence list`, `/cadence pause 3`, `/cadence resume 3`, "
    "`/cadence remove 3`, `/cadence fiscal-year`, `/cadence audit` (workspace admins) or `/cadence help`, "
    f"e.g. {EXAMPLE}."
)

# Words that end the rule and start an option; they never appear inside a rule.
_OPTION_WORDS = frozenset({"at", "tz", "in", "to", "weekends", "weekend"})
# `weekly on monday` reads as `every week on monday`.
_SHORTHANDS = {
    "weekly": ["week"],
    "biweekly": ["2", "weeks"],
    "fortnightly": ["2", "weeks"],
    "monthly": ["month"],
    "quarterly": ["quarter"],
    "annually": ["year"],
    "yearly": ["year"],
}
_UNITS = {
    "week": Frequency.WEEKLY,
    "weeks": Frequency.WEEKLY,
    "month": Frequency.MONTHLY,
    "months": Frequency.MONTHLY,
    "quarter": Frequency.QUARTERLY,
    "quarters": Frequency.QUARTERLY,
    "year": Frequency.ANNUALLY,
    "years": Frequency.ANNUALLY,
}
_MAX_INTERVAL = {Frequency.WEEKLY: 52, Frequency.MONTHLY: 12, Frequency.QUARTERLY: 1, Frequency.ANNUALLY: 1}
_UNIT_NAMES = {Frequency.WEEKLY: "weeks", Frequency.MONTHLY: "months"}
_MAX_ID = 2**31 - 1  # the id column is a 32-bit integer

_expect_end = partial(expect_end, "/cadence")


class CadenceAction(StrEnum):
    """What `/cadence pause|resume|remove N` does to cadence N."""

    PAUSE = "pause"
    RESUME = "resume"
    REMOVE = "remove"


@dataclass(frozen=True, slots=True)
class AddCadence:
    """`/cadence add …`: a new cadence as the user wrote it.

    `text` is raw (escaping happens when rendering). In `recurrence`, `timezone` is "" when the user named none
    (the service uses the user's zone), fiscal rules have `fiscal=True` with `year_start_month=1` (the service
    sets the workspace's), and `anchor` is None: for `every other monday` the service anchors on the creation date.
    """

    text: str
    recurrence: Recurrence
    channel_id: str | None = None
    user_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ListCadences:
    """`/cadence list [page N]`: the reminders the user may see; `/cadence list all [page N]`: every one (workspace
    admins)."""

    everything: bool = False
    page: int = 1


@dataclass(frozen=True, slots=True)
class ChangeCadence:
    """`/cadence pause|resume|remove N`."""

    action: CadenceAction
    cadence_id: int


@dataclass(frozen=True, slots=True)
class ShowHelp:
    """`/cadence`, `/cadence help`."""


@dataclass(frozen=True, slots=True)
class OpenCadenceModal:
    """`/cadence new`, or `/cadence add` with nothing after it."""


@dataclass(frozen=True, slots=True)
class SetFiscalYearStart:
    """`/cadence fiscal-year [starts in] <month>`: the workspace's fiscal year start; month None = show it."""

    month: int | None


@dataclass(frozen=True, slots=True)
class AwayCommand:
    """`/cadence away …`: its words, read in the person's zone by bot/cadence/away.py `read_away`."""

    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class AuditCommand:
    """`/cadence audit [program] [since DATE]`: its words, read against the reader's today by bot/audit.py
    `read_audit_filter` (a date needs the reader's zone)."""

    words: tuple[str, ...]


CadenceCommand = (
    AddCadence
    | ListCadences
    | ChangeCadence
    | ShowHelp
    | OpenCadenceModal
    | SetFiscalYearStart
    | AwayCommand
    | AuditCommand
)
FISCAL_USAGE = "Name the month the fiscal year starts in, e.g. `/cadence fiscal-year february`."


def parse_cadence_command(text: str) -> CadenceCommand:
    """Read the text of `/cadence` into a request; raises UserError saying what was wrong and how to write it."""
    tokens = tokenize(text)
    name = tokens[0].text.lower() if tokens and not tokens[0].quoted else ""
    rest = tokens[1:]
    if not tokens or name == "help":
        return ShowHelp()
    if name == "add":
        return _parse_add(rest) if rest else OpenCadenceModal()
    if name == "list":
        return _parse_list(rest)
    if name == "new":
        _expect_end(rest, after=name)
        return OpenCadenceModal()
    if name in {action.value for action in CadenceAction}:
        return ChangeCadence(CadenceAction(name), _read_cadence_id(rest, action=name))
    if name in ("fiscal-year", "fiscal_year", "fiscalyear"):
        return _parse_fiscal_year(rest)
    if name == "away":  # dates need the person's today, so they are read by the handler (bot/cadence/away.py)
        return AwayCommand(tuple(rest))
    if name == "audit":  # admins only, checked by the handler with who they are
        return AuditCommand(tuple(token.written for token in rest))
    raise UserError(f"I don't know {quoted('/cadence ' + tokens[0].written)}.", SUBCOMMAND_USAGE)


LIST_PAGE_USAGE = "Write `/cadence list`, `/cadence list page 2` or (workspace admins) `/cadence list all page 2`."


def _parse_list(rest: list[Token]) -> ListCadences:
    """`list`, `list all`, `list page 2`, `list all page 2` (or `list 2`); raises UserError for anything else."""
    words = [token.text.lower() if not token.quoted else "" for token in rest]
    everything = words[:1] == ["all"]
    paging = words[1:] if everything else words
    if paging[:1] == ["page"]:
        paging = paging[1:]
        if not paging:
            raise UserError(
                f"I couldn't find the page number in {quoted('/cadence list ' + _written(rest))}.", LIST_PAGE_USAGE
            )
    if not paging:
        return ListCadences(everything=everything)
    number = paging[0].removeprefix("#")
    if len(paging) > 1 or not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= 1000:
        raise UserError(f"I didn't expect {quoted(_written(rest))} after `/cadence list`.", LIST_PAGE_USAGE)
    return ListCadences(everything=everything, page=int(number))


def _parse_fiscal_year(rest: list[Token]) -> SetFiscalYearStart:
    """`fiscal-year`, `fiscal-year february`, `fiscal-year starts in feb`; raises UserError for anything else."""
    words = [t.text.lower() for t in rest if t.text.lower() not in ("starts", "start", "in", "on")]
    if not words:
        return SetFiscalYearStart(None)
    month = read_month(words[0]) if len(words) == 1 else None
    if month is None:
        raise UserError(f"I couldn't read the month {quoted(_written(rest))}.", FISCAL_USAGE)
    return SetFiscalYearStart(month)


def _read_cadence_id(rest: list[Token], *, action: str) -> int:
    """The reminder number in `pause 3` or `pause #3`; raises UserError when it is missing or not a number."""
    if not rest:
        raise UserError(f"I couldn't find a reminder number in {quoted('/cadence ' + action)}.", ID_USAGE)
    if len(rest) > 1:
        raise UserError(f"I expected one reminder number, not {quoted(_written(rest))}.", ID_USAGE)
    digits = rest[0].text.removeprefix("#")
    if rest[0].quoted or not (digits.isascii() and digits.isdigit()) or not 1 <= int(digits) <= _MAX_ID:
        raise UserError(f"I couldn't read the reminder number {quoted(rest[0].written)}.", ID_USAGE)
    return int(digits)


@dataclass(slots=True)
class _Options:
    """What the options after the rule said, filled in as they are read."""

    at: time | None = None
    timezone: str = ""
    channel_id: str | None = None
    user_ids: tuple[str, ...] = ()
    weekend_to_monday: bool = False
    seen: set[str] = field(default_factory=set)


def _parse_add(tokens: list[Token]) -> AddCadence:
    """Read everything after `add`; raises UserError for the first problem found."""
    text = _read_text(tokens)
    rule_tokens, option_tokens = _split_rule(tokens[0], tokens[1:])
    options = _read_options(option_tokens, written=_written(tokens[1:]))
    if options.at is None:
        raise UserError(
            f"I couldn't find the time in {quoted(_written(tokens[1:]))}.",
            f"Add `at` and a 24-hour `HH:MM` time, e.g. {EXAMPLE}.",
        )
    rule = _parse_rule(_rule_words(rule_tokens), options.at, options.timezone, written=_written(rule_tokens))
    rule = replace(rule, weekend_to_monday=options.weekend_to_monday)
    return AddCadence(text, rule, options.channel_id, options.user_ids)


def _read_text(tokens: list[Token]) -> str:
    """The quoted reminder text that must come first; raises UserError when missing, empty or too long."""
    first = tokens[0]
    if not first.quoted:
        raise UserError(
            f"I couldn't find the reminder text in {quoted('/cadence add ' + _written(tokens))}.",
            f"Put the reminder text in double quotes, e.g. {EXAMPLE}.",
        )
    text = unescape(first.text).strip()  # stored as typed; escaped again whenever it is shown
    if not text:
        raise UserError(
            f"The reminder text {quoted(first.written)} is empty.",
            f"Write what the reminder should say between the quotes, e.g. {EXAMPLE}.",
        )
    check_text_length(text)
    return text


def check_text_length(text: str, *, field: str | None = None) -> None:
    """The one limit on a reminder's text, for the command and the form alike; raises UserError (under `field`)."""
    if len(text) > TEXT_LIMIT:
        raise UserError(
            f"The reminder text {quoted(text)} is {len(text):,} characters long; the limit is {TEXT_LIMIT:,}.",
            f"Shorten it, or link to a doc that holds the details, e.g. {EXAMPLE}.",
            field=field,
        )


def _split_rule(text: Token, tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    """The rule's tokens from `every` (or `weekly`…) on, and the option tokens after them; raises UserError."""
    start = tokens[0].text.lower() if tokens and not tokens[0].quoted else ""
    if start != "every" and start not in _SHORTHANDS:
        shown = _written(tokens) if tokens else text.written
        raise UserError(
            f"I couldn't find `every` after the reminder text in {quoted(shown)}.",
            f"Say how often it repeats, e.g. {EXAMPLE}.",
        )
    end = 1
    while end < len(tokens) and not _is_option(tokens[end]):
        end += 1
    return tokens[:end], tokens[end:]


def _rule_words(tokens: list[Token]) -> list[str]:
    """The words after `every`, with a leading `weekly`… spelled out as `week`…; other words are kept as they are."""
    start = tokens[0].text.lower() if tokens and not tokens[0].quoted else ""
    if start == "every":
        return [token.written for token in tokens[1:]]
    if start in _SHORTHANDS:
        return _SHORTHANDS[start] + [token.written for token in tokens[1:]]
    return [token.written for token in tokens]


def _is_option(token: Token) -> bool:
    """Whether the token starts an option (`at`, `tz`, `in`, `to`, `weekends`)."""
    return not token.quoted and token.text.lower() in _OPTION_WORDS


def _written(tokens: list[Token]) -> str:
    """Tokens as the user typed them, for echoing back."""
    return " ".join(token.written for token in tokens)


def _read_options(tokens: list[Token], *, written: str) -> _Options:
    """Read `at`, `tz`, `in`, `to` and `weekends to monday` in any order; raises UserError."""
    options = _Options()
    position = 0
    while position < len(tokens):
        keyword = tokens[position].text.lower() if _is_option(tokens[position]) else ""
        keyword = "weekends" if keyword == "weekend" else keyword
        if not keyword:
            problem = f"I didn't understand {quoted(tokens[position].written)} in {quoted(written)}."
            raise UserError(problem, OPTIONS_USAGE)
        if keyword in options.seen:
            raise UserError(f"You wrote {quoted(keyword)} twice in {quoted(written)}.", OPTIONS_USAGE)
        options.seen.add(keyword)
        values = _option_values(keyword, tokens[position + 1 :])
        _OPTION_READERS[keyword](options, values, written)
        position += 1 + len(values)
    return options


def _option_values(keyword: str, following: list[Token]) -> list[Token]:
    """The tokens an option takes: `to` takes every one up to the next option, `weekends` takes `to monday`,
    `at` one (two for `9 am`), `tz` and `in` one; stray words after those are then reported as not understood."""
    if keyword == "weekends":
        return following[:2] if following and following[0].text.lower() == "to" else []
    free = list(takewhile(lambda token: not _is_option(token), following))
    if keyword == "to":
        return free
    if keyword == "at" and len(free) > 1 and free[1].text.lower().strip(".") in ("am", "pm", "a.m", "p.m"):
        return free[:2]
    return free[:1]


def _read_at(options: _Options, values: list[Token], written: str) -> None:
    """`at 09:30` or `at 9 am`; raises UserError for a missing or unreadable time."""
    if not values:
        problem = f"I couldn't find the time after `at` in {quoted(written)}."
        raise UserError(problem, f"Add a 24-hour `HH:MM` time, e.g. {EXAMPLE}.")
    try:
        options.at = read_time(_written(values))
    except UserError as error:
        raise UserError(error.problem, f"Write it as 24-hour `HH:MM`, e.g. {EXAMPLE}.") from error


def _read_tz(options: _Options, values: list[Token], written: str) -> None:
    """`tz Europe/Paris`; raises UserError for a missing or unknown zone."""
    if not values:
        raise UserError(f"I couldn't find the time zone after `tz` in {quoted(written)}.", ZONE_USAGE)
    options.timezone = read_zone(values[0].written)


def read_zone(text: str) -> str:
    """The IANA zone named, in its canonical spelling (`europe/paris` → `Europe/Paris`); raises UserError."""
    zone = _time_zones().get(text.strip().lower())
    if zone is None:
        raise UserError(f"I don't know the time zone {quoted(text)}.", ZONE_USAGE)
    return zone


@cache
def _time_zones() -> dict[str, str]:
    """IANA zone names by their lower-case spelling."""
    return {name.lower(): name for name in available_timezones()}


def _read_in(options: _Options, values: list[Token], written: str) -> None:
    """`in #channel`, which Slack sends as `<#C123|name>`; raises UserError for anything else."""
    usage = (
        "Pick the channel from the list Slack shows as you type `#`, "
        'e.g. `/cadence add "Weekly sync" every monday at 09:30 in #team`.'
    )
    if not values:
        raise UserError(f"I couldn't find the channel after `in` in {quoted(written)}.", usage)
    channel_id = None if values[0].quoted else read_channel_mention(values[0].text)
    if channel_id is None:
        # Slack turns a real #channel into <#C…|name>; plain text means no channel by that name exists.
        raise UserError(f"I couldn't find the channel {quoted(_written(values))}.", usage)
    options.channel_id = channel_id


def _read_to(options: _Options, values: list[Token], written: str) -> None:
    """`to @alex @sam`, which Slack sends as `<@U…>` mentions; raises UserError for anything else."""
    usage = (
        "Mention each person with `@` and pick them from Slack's list, "
        'e.g. `/cadence add "Weekly sync" every monday at 09:30 to @alex @sam`.'
    )
    if not values:
        raise UserError(f"I couldn't find anyone after `to` in {quoted(written)}.", usage)
    user_ids: list[str] = []
    for value in values:
        user_id = None if value.quoted else read_user_mention(value.text)
        if user_id is None:
            raise UserError(f"I couldn't find the person {quoted(value.written)}.", usage)
        if user_id not in user_ids:
            user_ids.append(user_id)
    options.user_ids = tuple(user_ids)


def _read_weekends(options: _Options, values: list[Token], written: str) -> None:
    """`weekends to monday`; raises UserError for any other words after `weekends`."""
    if [value.written.lower() for value in values] != ["to", "monday"]:
        raise UserError(
            f"I couldn't read {quoted(_written([Token('weekends'), *values]))} in {quoted(written)}.",
            "Write `weekends to monday` to move Saturday and Sunday reminders to the Monday after, "
            'e.g. `/cadence add "Sync" every month on the 15th at 09:30 weekends to monday`.',
        )
    options.weekend_to_monday = True


_OPTION_READERS = {"at": _read_at, "tz": _read_tz, "in": _read_in, "to": _read_to, "weekends": _read_weekends}


@dataclass(frozen=True, slots=True)
class _Day:
    """Which day of a period a rule names: a weekday, a day number or an ordinal weekday, maybe in a month."""

    weekday: int | None = None
    ordinal: int | None = None
    day: int | None = None
    month: int | None = None


def parse_rule(words: list[str], at: time, timezone: str) -> Recurrence:
    """Read the rule after `every` ("other monday", "month on the 15th", "fiscal year"…); raises UserError.

    `anchor` is left None (the service anchors `every other …` on the creation date), and fiscal rules keep
    `year_start_month=1` with `fiscal=True` (the service sets the workspace's start month).
    """
    return _parse_rule(words, at, timezone, written=" ".join(["every", *words]))


def parse_rule_sentence(when: str, at: str, timezone: str = "", weekend_to_monday: bool = False) -> Recurrence:
    """Read a rule from the modal's fields ("every monday", "09:30", "" or a zone, the weekend box); raises UserError.

    `when` may start with `every`, with `weekly`… or with the rule itself ("first monday").
    """
    tokens = tokenize(when)
    if not tokens:
        raise UserError("I couldn't find how often it repeats: the rule is empty.", RULE_USAGE)
    try:
        at_time = read_time(at)
    except UserError as error:
        raise UserError(error.problem, f"Write it as 24-hour `HH:MM`, e.g. {EXAMPLE}.") from error
    zone = read_zone(timezone) if timezone.strip() else ""
    rule = _parse_rule(_rule_words(tokens), at_time, zone, written=_written(tokens))
    return replace(rule, weekend_to_monday=weekend_to_monday)


def _parse_rule(words: list[str], at: time, timezone: str, *, written: str) -> Recurrence:
    """`parse_rule`, echoing `written` (the rule as the user typed it) in errors."""
    cleaned = [word.lower().strip(",") for word in words if word.lower() != "the"]
    fiscal = cleaned[:1] == ["fiscal"]
    interval, rest = _read_interval(cleaned[1:] if fiscal else cleaned)
    unit = _UNITS.get(rest[0]) if rest else None
    if unit is None and not fiscal:
        frequency, day = _read_bare_rule(rest)
    elif unit is not None and (rest[1:2] == ["on"] or len(rest) == 1):
        frequency, day = unit, _read_day(rest[2:]) if len(rest) > 1 else _Day()
    else:
        frequency, day = None, None
    if frequency is None or day is None or not _fits(frequency, day, fiscal=fiscal):
        raise UserError(f"I couldn't read the rule {quoted(written)}.", RULE_USAGE)
    _check_interval(frequency, interval, written)
    _check_day_exists(day, written)
    return _recurrence(frequency, day, interval=interval, fiscal=fiscal, at=at, timezone=timezone)


def _read_interval(words: list[str]) -> tuple[int | None, list[str]]:
    """The gap in `2 weeks …` or `other monday`, or None when no gap is written, with the words after it."""
    if words and words[0] == "other":
        return 2, words[1:]
    if words and words[0].isascii() and words[0].isdigit():
        return int(words[0]), words[1:]
    return None, words


def _read_bare_rule(words: list[str]) -> tuple[Frequency | None, _Day | None]:
    """`monday` (weekly), `first monday` (monthly) or `march 15` (yearly), without a unit word; None when neither."""
    day = _read_day(words)
    if day is None or (day.day is not None and day.month is None):
        return None, None  # "every 15th" is too easily a typo of "every 15 weeks"
    if day.month is not None:
        return Frequency.ANNUALLY, day
    return (Frequency.MONTHLY if day.ordinal is not None else Frequency.WEEKLY), day


def _read_day(words: list[str]) -> _Day | None:
    """`monday`, `15th`, `day 15`, `last day`, `first monday`, `march 15`, `15 march`, `first monday of march`."""
    if "of" in words:
        split = words.index("of")
        inner, month = _read_day_in_month(words[:split]), read_month(" ".join(words[split + 1 :]))
        dated = inner is not None and (inner.day is not None or inner.ordinal is not None)
        return replace(inner, month=month) if dated and month is not None else None
    if len(words) == 2 and read_month(words[0]) is not None:
        day = read_day_of_month(words[1])
        return _Day(day=day, month=read_month(words[0])) if day is not None and day > 0 else None
    if len(words) == 2 and read_month(words[1]) is not None:
        day = read_day_of_month(words[0])
        return _Day(day=day, month=read_month(words[1])) if day is not None and day > 0 else None
    return _read_day_in_month(words)


def _read_day_in_month(words: list[str]) -> _Day | None:
    """`monday`, `15th`, `day 15`, `last day` or `first monday`; None for anything else."""
    if not words:
        return None
    if len(words) == 1 and read_weekday(words[0]) is not None:
        return _Day(weekday=read_weekday(words[0]))
    day = read_day_of_month(" ".join(words))
    if day is not None:
        return _Day(day=day)
    if len(words) == 2 and read_ordinal(words[0]) is not None and read_weekday(words[1]) is not None:
        return _Day(weekday=read_weekday(words[1]), ordinal=read_ordinal(words[0]))
    return None


def _fits(frequency: Frequency, day: _Day, *, fiscal: bool) -> bool:
    """Whether the day suits the frequency: weeks need a plain weekday, the rest a date or an ordinal weekday."""
    plain_weekday = day.weekday is not None and day.ordinal is None
    if frequency is Frequency.WEEKLY:
        return plain_weekday and not fiscal
    if plain_weekday or (fiscal and frequency is Frequency.MONTHLY):
        return False
    # Month names only make sense in calendar years: a fiscal year's months count from its start.
    return day.month is None or (frequency is Frequency.ANNUALLY and not fiscal)


def _check_interval(frequency: Frequency, interval: int | None, written: str) -> None:
    """Refuse gaps Recurrence can't hold: 1..52 weeks, 1..12 months, none for quarters and years."""
    limit = _MAX_INTERVAL[frequency]
    if interval is None or 1 <= interval <= limit:
        return
    if limit == 1:
        raise UserError(f"I can't skip quarters or years, as {quoted(written)} asks.", RULE_USAGE)
    unit = _UNIT_NAMES[frequency]
    raise UserError(
        f"I can repeat every 1 to {limit} {unit}; {quoted(written)} is outside that.",
        f'Write a gap such as `every 2 {unit} on …`, e.g. `/cadence add "Sync" every 2 weeks on monday at 09:30`.',
    )


def _check_day_exists(day: _Day, written: str) -> None:
    """Refuse a date no year has, such as February 30; raises UserError."""
    if day.month is None or day.day is None:
        return
    longest = calendar.monthrange(2024, day.month)[1]  # 2024 is a leap year, so February 29 passes
    if day.day > longest:
        month = calendar.month_name[day.month]
        raise UserError(
            f"{month} has at most {longest} days, so {quoted(written)} never happens.",
            f'Pick a day that exists, e.g. `/cadence add "Sync" every year on {month.lower()} 1 at 09:30`.',
        )


def _recurrence(
    frequency: Frequency, day: _Day, *, interval: int | None, fiscal: bool, at: time, timezone: str
) -> Recurrence:
    """Build the Recurrence; months, quarters and years with no day named fall on day 1 of their first month."""
    date_given = day.day is not None or day.ordinal is not None
    return Recurrence(
        frequency=frequency,
        at=at,
        timezone=timezone,
        interval=interval or 1,
        weekday=day.weekday,
        ordinal=day.ordinal,
        day=day.day if date_given or frequency is Frequency.WEEKLY else 1,
        month=day.month or 1,
        fiscal=fiscal,
    )
