"""Readers shared by every slash command: "quoted text", Slack mentions, times, weekdays and dates.

All of them are pure: nothing reads the clock (`today` is passed in), and every failure is a `UserError`
that quotes what the user wrote, escaped, and says how to write it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import takewhile
from typing import Any, TypeVar
from urllib.parse import urlsplit

from bot.errors import UserError
from bot.fiscal import FiscalCalendar
from bot.text import quoted, unescape

TIME_USAGE = "Write it as 24-hour `HH:MM`, e.g. `09:30`."
DATE_USAGE = (
    "Write a date as `2026-12-01`, `today`, `tomorrow`, a weekday such as `friday`, `in 3 days`, `in 2 weeks`, "
    "`end of month` or `end of quarter`."
)
_Parsed = TypeVar("_Parsed")

QUOTE_USAGE = 'Put double quotes on both sides of the text, e.g. `"Weekly sync"`.'

# Slack clients turn " into “ and ”, and not always as a matching pair, so any of the three opens or closes.
_QUOTES = '"“”'
_TOKEN = re.compile(
    rf"[{_QUOTES}](?P<quoted>[^{_QUOTES}]*)[{_QUOTES}]|(?P<unclosed>[{_QUOTES}].*)|(?P<word>\S+)", re.DOTALL
)
# Slack escapes mentions as <@U123|name> (W… for Enterprise Grid users) and channels as <#C123|name>.
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9_]+)(?:\|[^<>]*)?>")
_CHANNEL_MENTION = re.compile(r"<#([CG][A-Z0-9_]+)(?:\|[^<>]*)?>")
_TWELVE_HOUR = re.compile(r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<half>[ap])\.?m\.?")
_TWENTY_FOUR_HOUR = re.compile(r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2})|h(?P<h_minute>\d{2})?)")
_DAY_NUMBER = re.compile(r"(?:the\s+)?(?:day\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?")
_LAST_DAY = re.compile(r"(?:the\s+)?last\s+day")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_IN_DAYS = re.compile(r"in\s+(?P<count>\d{1,3}|a|one)\s+(?P<unit>days?|weeks?)")
_PERIOD_END = re.compile(r"end\s+of\s+(?:the\s+)?(?P<period>month|quarter)")

_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS = {
    **{name: number for number, name in enumerate(_WEEKDAY_NAMES)},
    **{name + "s": number for number, name in enumerate(_WEEKDAY_NAMES)},
    **{name[:3]: number for number, name in enumerate(_WEEKDAY_NAMES)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1,
}  # fmt: skip
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}


@dataclass(frozen=True, slots=True)
class Token:
    """One word of command text, or one "double quoted" run (`quoted=True`, quotes removed, spacing kept)."""

    text: str
    quoted: bool = False

    @property
    def written(self) -> str:
        """The token as the user typed it, for echoing back in errors."""
        return f'"{self.text}"' if self.quoted else self.text


def tokenize(text: str) -> list[Token]:
    """Split on whitespace, keeping "double quoted text" as one token; raises UserError for an unclosed quote."""
    tokens = []
    for match in _TOKEN.finditer(text):
        if match["unclosed"] is not None:
            raise UserError(f"I couldn't find the closing quote in {quoted(match['unclosed'])}.", QUOTE_USAGE)
        if match["quoted"] is not None:
            tokens.append(Token(match["quoted"], quoted=True))
        else:
            tokens.append(Token(match["word"]))
    return tokens


def read_user_mention(token: str) -> str | None:
    """The user id in Slack's escaped `<@U123>` or `<@U123|name>`, or None when the token is not one."""
    match = _USER_MENTION.fullmatch(token.strip())
    return match[1] if match else None


def read_channel_mention(token: str) -> str | None:
    """The channel id in Slack's escaped `<#C123|name>` or `<#C123>`, or None (a plain `#name` is not a channel)."""
    match = _CHANNEL_MENTION.fullmatch(token.strip())
    return match[1] if match else None


def read_time(text: str) -> time:
    """Read "09:30", "9:30", "17h", "17h30", "9am", "9:30pm" or "12pm"; raises UserError when it can't."""
    cleaned = text.strip().lower()
    found = _read_twelve_hour(cleaned)
    if found is None:
        found = _read_twenty_four_hour(cleaned)
    if found is None:
        raise UserError(f"I couldn't read the time {quoted(text)}.", TIME_USAGE)
    return found


def _read_twelve_hour(text: str) -> time | None:
    """A time with am/pm ("9am", "12:15pm"), or None."""
    match = _TWELVE_HOUR.fullmatch(text)
    if match is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if not (1 <= hour <= 12 and minute <= 59):
        return None
    return time(hour % 12 + (12 if match["half"] == "p" else 0), minute)


def _read_twenty_four_hour(text: str) -> time | None:
    """A 24-hour time ("09:30", "17h", "17h30"), or None; a bare "9" is refused because 9 and 21 both fit."""
    match = _TWENTY_FOUR_HOUR.fullmatch(text)
    if match is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or match["h_minute"] or 0)
    if not (hour <= 23 and minute <= 59):
        return None
    return time(hour, minute)


def read_weekday(text: str) -> int | None:
    """0 for "monday", "mon" or "Mondays" up to 6 for Sunday; None when the text is not a weekday."""
    return _WEEKDAYS.get(text.strip().lower())


def read_ordinal(text: str) -> int | None:
    """1..4 for "first"/"1st" up to "fourth"/"4th", -1 for "last"; None otherwise."""
    return _ORDINALS.get(text.strip().lower())


def read_day_of_month(text: str) -> int | None:
    """1..31 for "15", "15th", "the 1st" or "day 15", -1 for "last day"; None otherwise."""
    cleaned = " ".join(text.lower().split())
    if _LAST_DAY.fullmatch(cleaned):
        return -1
    match = _DAY_NUMBER.fullmatch(cleaned)
    if match is None or not 1 <= int(match["day"]) <= 31:
        return None
    return int(match["day"])


def read_month(text: str) -> int | None:
    """1..12 for "jan"/"january" up to "dec"/"december"; None otherwise."""
    return _MONTHS.get(text.strip().lower())


def read_date(text: str, today: date, *, fiscal_start_month: int = 2) -> date:
    """Read an ISO date, "today", "tomorrow", a weekday, "in 3 days", "end of month" or "end of quarter".

    A weekday means the next such day after `today`; "end of quarter" is the last day of the fiscal quarter
    containing `today`, with fiscal years starting in `fiscal_start_month`. Raises UserError when it can't.
    """
    cleaned = " ".join(text.lower().split())
    found = _read_iso_date(cleaned)
    if found is None:
        found = _read_relative_date(cleaned, today)
    if found is None:
        found = _read_period_end(cleaned, today, fiscal_start_month)
    if found is None:
        raise UserError(f"I couldn't read the date {quoted(text)}.", DATE_USAGE)
    return found


def _read_iso_date(text: str) -> date | None:
    """A `YYYY-MM-DD` date that exists, or None."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _read_relative_date(text: str, today: date) -> date | None:
    """The date for "today", "tomorrow", a weekday (the next one after today) or "in N days/weeks", or None."""
    if text in ("today", "tomorrow"):
        return today + timedelta(days=int(text == "tomorrow"))
    weekday = read_weekday(text)
    if weekday is not None:
        return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    match = _IN_DAYS.fullmatch(text)
    if match is None:
        return None
    count = int(match["count"]) if match["count"].isdigit() else 1
    return today + timedelta(days=count * (7 if match["unit"].startswith("week") else 1))


def _read_period_end(text: str, today: date, fiscal_start_month: int) -> date | None:
    """The last day of the current month or fiscal quarter for "end of month"/"end of quarter", or None."""
    match = _PERIOD_END.fullmatch(text)
    if match is None:
        return None
    if match["period"] == "quarter":
        return FiscalCalendar(start_month=fiscal_start_month).quarter_of(today).end
    return today.replace(day=calendar.monthrange(today.year, today.month)[1])


# ---- command readers shared by every program's parser (/wg, /esp, …) -------------------------------------------

_ISO_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class DateContext:
    """What date words (`today`, `friday`, `end of quarter`) are read against."""

    today: date
    fiscal_start_month: int


def keyword(token: Token) -> str:
    """The token lower-cased when it could be a keyword; "" for quoted text, which never is."""
    return "" if token.quoted else token.text.lower()


def as_typed(tokens: list[Token]) -> str:
    """Tokens as the user typed them, for echoing back."""
    return " ".join(token.written for token in tokens)


def refuse_extra(extra: list[Token], *, written: str, usage: str) -> None:
    """Refuse stray words at the end of a command; raises UserError."""
    if extra:
        raise UserError(f"I didn't understand {quoted(as_typed(extra))} in {quoted(written)}.", usage)


def check_length(text: str, *, what: str, limit: int, usage: str) -> str:
    """The text, when it fits the limit; raises UserError with its length and the limit."""
    if len(text) > limit:
        raise UserError(f"The {what} {quoted(text)} is {len(text):,} characters long; the limit is {limit:,}.", usage)
    return text


def read_quoted_text(tokens: list[Token], *, what: str, limit: int, example: str, written: str) -> str:
    """The quoted text that must come first, unescaped; raises UserError when missing, empty or too long."""
    if not tokens or not tokens[0].quoted:
        raise UserError(
            f"I couldn't find the {what} in {quoted(written)}.", f"Put the {what} in double quotes, e.g. {example}."
        )
    text = unescape(tokens[0].text).strip()  # stored as typed; escaped again whenever it is shown
    if not text:
        raise UserError(
            f"The {what} {quoted(tokens[0].written)} is empty.", f"Write the {what} between the quotes, e.g. {example}."
        )
    usage = f"Shorten it, or link to a doc that holds the details, e.g. {example}."
    return check_length(text, what=what, limit=limit, usage=usage)


def read_date_words(tokens: list[Token], context: DateContext, *, what: str, written: str, example: str) -> date:
    """The date the tokens spell (`2027-01-31`, `friday`, `in 2 weeks`, `end of quarter`…); raises UserError."""
    usage = DATE_USAGE.removesuffix(".") + f", e.g. {example}."
    if not tokens:
        raise UserError(f"I couldn't find the {what} in {quoted(written)}.", usage)
    text = " ".join(token.text for token in tokens)
    try:
        return read_date(text, context.today, fiscal_start_month=context.fiscal_start_month)
    except UserError as error:
        if _ISO_SHAPE.fullmatch(text.strip()):
            raise UserError(f"The {what} {quoted(text)} isn't a day on the calendar.", usage) from error
        raise UserError(error.problem, usage) from error


def split_options(
    tokens: list[Token], keywords: frozenset[str], *, written: str, usage: str
) -> tuple[list[Token], dict[str, list[Token]]]:
    """The tokens before the first keyword, and each keyword's tokens up to the next; raises UserError on a repeat."""
    is_keyword: Callable[[Token], bool] = lambda token: keyword(token) in keywords  # noqa: E731
    head = list(takewhile(lambda token: not is_keyword(token), tokens))
    options: dict[str, list[Token]] = {}
    position = len(head)
    while position < len(tokens):
        word = keyword(tokens[position])
        if word in options:
            raise UserError(f"You wrote {quoted(word)} twice in {quoted(written)}.", usage)
        options[word] = list(takewhile(lambda token: not is_keyword(token), tokens[position + 1 :]))
        position += 1 + len(options[word])
    return head, options


def dispatch_subcommand(
    text: str,
    *,
    command: str,
    subcommands: dict[str, Callable[[list[Token], DateContext], Any]],
    show_help: Callable[[], Any],
    context: DateContext,
    quote_usage: str,
    subcommand_usage: str,
) -> Any:
    """The entry of every program's parser: tokenize, empty text is help, the first word picks the subcommand.

    Raises UserError for an unclosed quote or an unknown subcommand, each with the program's own usage.
    """
    try:
        tokens = tokenize(text)
    except UserError as error:  # tokenize's usage names no command
        raise UserError(error.problem, quote_usage) from error
    if not tokens:
        return show_help()
    parser = subcommands.get(keyword(tokens[0]))
    if parser is None:
        raise UserError(f"I don't know {quoted(command + ' ' + tokens[0].written)}.", subcommand_usage)
    return parser(tokens[1:], context)


# ---- readers every program's parser shares (each program binds its slash command with functools.partial) ----

# Slack sends a pasted link as <https://x> or <https://x|label>.
_SLACK_LINK = re.compile(r"<(?P<url>[^<>|\s]+)(?:\|[^<>]*)?>")


def command_text(slash: str, *words: str) -> str:
    """A command as the user typed it, e.g. `/okr score 42 70`, for echoing back."""
    return " ".join([slash, *(word for word in words if word)])


def expect_end(slash: str, rest: list[Token], *, after: str) -> None:
    """Refuse words after a subcommand that takes none; raises UserError."""
    if rest:
        problem = f"I didn't expect {quoted(as_typed(rest))} after `{slash} {after}`."
        raise UserError(problem, f"Write just `{slash} {after}`.")


def no_words(slash: str, name: str, request: Callable[[], _Parsed]) -> Callable[[list[Token], DateContext], _Parsed]:
    """A parser for a subcommand that takes no words, e.g. `/wg charter`."""

    def parse(rest: list[Token], context: DateContext) -> _Parsed:
        expect_end(slash, rest, after=name)
        return request()

    return parse


def read_mention(token: Token | None, *, who: str, written: str, usage: str) -> str:
    """The Slack user id in one `@mention`; raises UserError for none or plain text."""
    if token is None:
        raise UserError(f"I couldn't find the {who} in {quoted(written)}.", usage)
    user_id = None if token.quoted else read_user_mention(token.text)
    if user_id is None:
        # A real @mention arrives as <@U…>; plain text means Slack found no one by that name.
        raise UserError(f"I couldn't find the person {quoted(token.written)}.", usage)
    return user_id


def is_web_link(url: str) -> bool:
    """Whether the text is one http(s) URL with a host and no spaces or brackets."""
    if any(character.isspace() or character in '<>"' for character in url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a malformed host such as `http://[x`
        return False


def read_web_link(tokens: list[Token], *, what: str, written: str, usage: str, limit: int) -> str:
    """An http(s) link, bare or as Slack sends it (`<https://x|label>`); raises UserError for anything else."""
    if not tokens:
        raise UserError(f"I couldn't find the {what} in {quoted(written)}.", usage)
    text = unescape(" ".join(token.text for token in tokens)).strip()
    match = _SLACK_LINK.fullmatch(text)
    url = match["url"] if match else text
    if not is_web_link(url):
        raise UserError(f"I couldn't read the {what} {quoted(as_typed(tokens))}.", usage)
    return check_length(url, what=what, limit=limit, usage=usage)
