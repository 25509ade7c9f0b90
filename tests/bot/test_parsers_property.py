"""Property: whatever a person types, every command parser answers with a request or a UserError, never a crash.

Texts come from two strategies: any text at all (NUL, newlines, unicode, quotes, mentions), and texts built from
each parser's own words (its subcommands, options and the literals it compares against), so the examples reach
the deep branches too. A UserError must say something, and whatever user text it quotes is escaped: the only
`<` a message may hold is a mention the parser built from a validated id.
"""

from __future__ import annotations

import ast
import inspect
import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot import parsing
from bot.cadence import commands as cadence_commands
from bot.cocreate import commands as cocreate_commands
from bot.errors import UserError
from bot.esp import commands as esp_commands
from bot.handbook import HandbookError
from bot.handbook import dates as handbook_dates
from bot.okrs import commands as okr_commands
from bot.working_groups import commands as wg_commands

# Pure functions: fast, so many examples; no deadline, because CI machines are shared and slow at times.
# PARSER_EXAMPLES=5000 hunts longer, locally.
PARSER_SETTINGS = settings(
    max_examples=int(os.environ.get("PARSER_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# A mention the parser wrote itself from an id it validated: `<@U123>`, `<#C123>` (no user-chosen label).
_BUILT_MENTION = re.compile(r"<[@#][UWCG][A-Z0-9_]+>")
_PLACEHOLDER = re.compile(r"<[^<>]{1,40}>")
_SOURCE_TEXT = "\n".join(path.read_text() for path in (Path(__file__).parents[2] / "bot").rglob("*.py"))

# ---- text strategies -------------------------------------------------------------------------------------------

_FRAGMENTS = (
    '"', "“", "”", '""', '" "', "`", "'", "\x00", "\n", "\t", "\u200b", "\ufeff", "\u202e", "&lt;", "&gt;", "&amp;",
    "<", ">", "<!channel>", "<!here>", "<@U0123ABC>", "<@U0123ABC|alice>", "<@W9>", "<@u1>", "<@U1|<x>>",
    "<#C0123ABC|general>", "<#C1>", "<#G1|x|y>", "<#C1|>", "#general", "@alice", "me", "<https://example.com|x>",
    "<https://example.com>", "https://example.com/a?b=c", "http://[x", "https://", "mailto:a@b.c", "0", "1", "-1",
    "12", "#12", "#", "007", "2147483647", "2147483648", "99999999999999999999", "1e9", "1.5", "0.5", "-0.0", "nan",
    "inf", "50%", "101%", "%", "٣", "１２", "²", "½", "09:30", "9:30pm", "25:00", "24:00", "17h", "9am", "12pm",
    "0am", "13pm", "am", "pm", "2026-12-01", "2026-02-30", "0000-00-00", "9999-12-31", "2026/12/01", "today",
    "tomorrow", "friday", "in 3 days", "in 999 weeks", "in a week", "end of month", "end of quarter", "the",
    "last", "first", "day", "of", "on", "every", "other", "FY20-Q2", "FY99-Q9", "2018-Q2", "FY20-Q5", "Q2", "KR42",
    "kr-42", "O1", "Europe/Paris", "europe/paris", "Mars/Olympus", "UTC", "weekends", "to", "monday",
)  # fmt: skip
_WORDLIKE = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)


def _quoted(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(['"', "“", "”"]), inner, st.sampled_from(['"', "“", "”", ""])).map("".join)


ALL_EXAMPLES: list[str] = []  # filled below, once every parser module is read


def vocabulary(module: ModuleType) -> list[str]:
    """Every word the parser compares against: the short lower-case string literals in its source, split."""
    words: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) <= 40:
            for word in node.value.split():
                if re.fullmatch(r"[a-z][a-z0-9:_%/-]*", word):
                    words.add(word)
    return sorted(words)


def examples_of(module: ModuleType) -> list[str]:
    """The commands a parser's help and usage texts show (`/wg action "Draft" @nick due friday`), without the
    command, with @people and #channels as Slack sends them (`<@U…>`, `<#C…|name>`)."""
    found = re.findall(r"`/(?:cadence|wg|esp|cocreate|okr)\b ?([^`]*)`", inspect.getsource(module))
    slack_form = [
        re.sub(r"#([a-z][\w-]*)", lambda m: f"<#C0{m[1].upper().replace('-', '')}|{m[1]}>",
               re.sub(r"@([a-z]\w*)", lambda m: f"<@U0{m[1].upper()}>", example))
        for example in found
    ]  # fmt: skip
    return sorted(set(found) | set(slack_form)) or ALL_EXAMPLES


_HANDBOOK_DATES = ("2022-07-28", "2022/7/8", "July 28, 2022", "Jul. 28 2022", "28 July 2022", "28th of July, 2022",
                   "Feb 30, 2022", "TBD", "N/A", "TBD (Q3)", "Sprint 12 2022", "Done on July 1, 2022", "—")  # fmt: skip


@st.composite
def _mutated(draw: st.DrawFn, examples: list[str], piece: st.SearchStrategy[str]) -> str:
    """One of the examples with a few words replaced, added, dropped or swapped (or none: the example itself)."""
    words = draw(st.sampled_from(examples)).split(" ")
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        where = draw(st.integers(min_value=0, max_value=len(words)))
        change = draw(st.sampled_from(["replace", "insert", "drop", "swap"]))
        if change == "insert" or not words:
            words.insert(where, draw(piece))
        elif change == "replace":
            words[min(where, len(words) - 1)] = draw(piece)
        elif change == "drop":
            del words[min(where, len(words) - 1)]
        else:
            other = draw(st.integers(min_value=0, max_value=len(words) - 1))
            here = min(where, len(words) - 1)
            words[here], words[other] = words[other], words[here]
    return " ".join(words)


def command_texts(module: ModuleType) -> st.SearchStrategy[str]:
    """The parser's own usage examples, mutated with its own words, the fragments above, quoted runs and noise."""
    words = vocabulary(module)
    piece = st.one_of(
        st.sampled_from(words),
        st.sampled_from(_FRAGMENTS),
        _quoted(st.one_of(st.just(""), st.sampled_from(_FRAGMENTS), _WORDLIKE, st.text(max_size=1200))),
        st.integers(min_value=-(10**12), max_value=10**12).map(str),
        _WORDLIKE,
    )
    return _mutated(examples_of(module), piece)


def any_text() -> st.SearchStrategy[str]:
    """Any text at all, with the odd characters mixed in."""
    return st.one_of(
        st.text(),
        st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=5)), max_size=10).map(" ".join),
    )


def texts_for(module: ModuleType) -> st.SearchStrategy[str]:
    """Mostly the parser's own commands, sometimes anything."""
    return st.one_of(any_text(), command_texts(module), command_texts(module), command_texts(module))


ALL_EXAMPLES.extend(
    example
    for module in (cadence_commands, wg_commands, esp_commands, cocreate_commands, okr_commands)
    for example in examples_of(module)
)
ALL_EXAMPLES.extend(_HANDBOOK_DATES)

# Real "today" values: the clock gives dates in this century, in the user's zone; any fiscal start month.
_TODAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
_FISCAL_STARTS = st.integers(min_value=1, max_value=12)

# ---- the property -------------------------------------------------------------------------------------------------


def answers_or_refuses(parse: Callable[[], object]) -> None:
    """Call the parser: a result is fine; a UserError must be non-empty and escaped; anything else fails the test."""
    try:
        parse()
    except UserError as error:
        check_message(error.message)


def check_message(message: str) -> None:
    """A refusal says something, and holds no `<` or `>` but those of mentions the parser built and of the
    placeholders its usage text writes (`<link>`, found verbatim in the source): none comes from the input."""
    assert message.strip(), "a UserError with no message"
    stray = _PLACEHOLDER.sub(lambda m: "" if m[0] in _SOURCE_TEXT else m[0], _BUILT_MENTION.sub("", message))
    assert "<" not in stray and ">" not in stray, f"unescaped user text in: {message!r}"


# ---- every program's parser ---------------------------------------------------------------------------------------


@PARSER_SETTINGS
@given(text=texts_for(cadence_commands))
def test_cadence_parser_answers_any_text(text: str) -> None:
    answers_or_refuses(lambda: cadence_commands.parse_cadence_command(text))


@PARSER_SETTINGS
@given(when=texts_for(cadence_commands), at=texts_for(cadence_commands), zone=texts_for(cadence_commands),
       weekends=st.booleans())  # fmt: skip
def test_cadence_modal_rule_answers_any_text(when: str, at: str, zone: str, weekends: bool) -> None:
    answers_or_refuses(lambda: cadence_commands.parse_rule_sentence(when, at, zone, weekends))


@pytest.mark.parametrize(
    "parse, module",
    [
        (wg_commands.parse_wg_command, wg_commands),
        (esp_commands.parse_esp_command, esp_commands),
        (cocreate_commands.parse_cocreate_command, cocreate_commands),
        (okr_commands.parse_okr_command, okr_commands),
    ],
    ids=["wg", "esp", "cocreate", "okr"],
)
def test_program_parser_answers_any_text(parse: Callable[..., object], module: ModuleType) -> None:
    @PARSER_SETTINGS
    @given(text=texts_for(module), today=_TODAYS, fiscal_start=_FISCAL_STARTS)
    def prop(text: str, today: date, fiscal_start: int) -> None:
        answers_or_refuses(lambda: parse(text, today=today, fiscal_start_month=fiscal_start))

    prop()


# ---- the shared readers -------------------------------------------------------------------------------------------


@PARSER_SETTINGS
@given(text=texts_for(parsing), today=_TODAYS, fiscal_start=_FISCAL_STARTS)
def test_shared_readers_answer_any_text(text: str, today: date, fiscal_start: int) -> None:
    answers_or_refuses(lambda: parsing.tokenize(text))
    answers_or_refuses(lambda: parsing.read_time(text))
    answers_or_refuses(lambda: parsing.read_date(text, today, fiscal_start_month=fiscal_start))
    for reader in (
        parsing.read_user_mention,
        parsing.read_channel_mention,
        parsing.read_weekday,
        parsing.read_ordinal,
        parsing.read_day_of_month,
        parsing.read_month,
    ):
        reader(text)  # these answer None for text they don't read; they never raise


@PARSER_SETTINGS
@given(text=texts_for(parsing), today=_TODAYS, fiscal_start=_FISCAL_STARTS, limit=st.integers(0, 50))
def test_command_readers_answer_any_tokens(text: str, today: date, fiscal_start: int, limit: int) -> None:
    try:
        tokens = parsing.tokenize(text)
    except UserError as error:
        check_message(error.message)
        return
    context = parsing.DateContext(today, fiscal_start)
    common = {"written": text}
    answers_or_refuses(lambda: parsing.refuse_extra(tokens, usage="Write it.", **common))
    answers_or_refuses(lambda: parsing.check_length(text, what="text", limit=limit, usage="Shorten it."))
    answers_or_refuses(lambda: parsing.read_quoted_text(tokens, what="name", limit=limit, example="`x`", **common))
    answers_or_refuses(lambda: parsing.read_date_words(tokens, context, what="date", example="`x`", **common))
    keywords = frozenset(token.text.lower() for token in tokens[1::2])
    answers_or_refuses(lambda: parsing.split_options(tokens, keywords, usage="Write it.", **common))


@PARSER_SETTINGS
@given(text=texts_for(handbook_dates))
def test_handbook_dates_answer_any_text(text: str) -> None:
    handbook_dates.is_placeholder(text)
    handbook_dates.find_date(text)
    found = handbook_dates.search_date(text)
    assert found is None or text[found.start : found.end]
    try:
        handbook_dates.read_date_text(text)
    except HandbookError as error:  # the handbook's own UserError
        check_message(error.message)


@example(text="\x00")
@PARSER_SETTINGS
@given(text=texts_for(cadence_commands))
def test_cadence_zone_reader_answers_any_text(text: str) -> None:
    answers_or_refuses(lambda: cadence_commands.read_zone(text))
