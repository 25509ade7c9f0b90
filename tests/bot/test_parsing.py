from datetime import date, time

import pytest

from bot.errors import UserError
from bot.parsing import (
    DateContext,
    Token,
    dispatch_subcommand,
    read_channel_mention,
    read_date,
    read_day_of_month,
    read_month,
    read_ordinal,
    read_time,
    read_user_mention,
    read_weekday,
    tokenize,
)
from bot.text import as_typed, quoted

WEDNESDAY = date(2026, 3, 11)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", []),
        ("   ", []),
        ("list", [Token("list")]),
        ("pause   #3", [Token("pause"), Token("#3")]),
        ('add "Weekly sync" every', [Token("add"), Token("Weekly sync", quoted=True), Token("every")]),
        ("add “Weekly sync” every", [Token("add"), Token("Weekly sync", quoted=True), Token("every")]),
        ('add “Weekly sync" every', [Token("add"), Token("Weekly sync", quoted=True), Token("every")]),
        ('"  spaced  out  "', [Token("  spaced  out  ", quoted=True)]),
        ('""', [Token("", quoted=True)]),
        ('"two\nlines"', [Token("two\nlines", quoted=True)]),
        ('"a""b"', [Token("a", quoted=True), Token("b", quoted=True)]),
        ('"a"b', [Token("a", quoted=True), Token("b")]),
        ('5"9 tall', [Token('5"9'), Token("tall")]),
        ("tab\tand\u00a0nbsp", [Token("tab"), Token("and"), Token("nbsp")]),
        ('"<!channel> now"', [Token("<!channel> now", quoted=True)]),
    ],
)
def test_tokenize_splits_on_whitespace_and_keeps_quoted_text_whole(text, tokens):
    assert tokenize(text) == tokens


def test_token_written_puts_the_quotes_back():
    assert [token.written for token in tokenize('add "Weekly sync" x')] == ["add", '"Weekly sync"', "x"]


@pytest.mark.parametrize(
    ("text", "echo"),
    [
        ('add "Weekly sync every monday', '`"Weekly sync every monday`'),
        ("add “Weekly sync", "`“Weekly sync`"),
        ('"a" "b" "<!channel>', '`"@channel`'),  # as typed: Slack sends `@channel` as <!channel>
        ('"a" "&lt;!channel&gt;', '`"&lt;!channel&gt;`'),  # typed as is: escaped, never live
    ],
)
def test_an_unclosed_quote_is_quoted_back_with_how_to_close_it(text, echo):
    with pytest.raises(UserError) as caught:
        tokenize(text)
    assert echo in caught.value.problem
    assert "double quotes" in caught.value.usage


@pytest.mark.parametrize(
    ("token", "user_id"),
    [
        ("<@U123ABC>", "U123ABC"),
        ("<@U123ABC|alex>", "U123ABC"),
        ("<@W0ENTERPRISE|sam.k>", "W0ENTERPRISE"),
        ("@alex", None),
        ("<@u123>", None),
        ("<!channel>", None),
        ("<!here>", None),
        ("<#C123|general>", None),
        ("<@U123>x", None),
        ("", None),
    ],
)
def test_read_user_mention(token, user_id):
    assert read_user_mention(token) == user_id


@pytest.mark.parametrize(
    ("token", "channel_id"),
    [
        ("<#C123ABC|general>", "C123ABC"),
        ("<#C123ABC>", "C123ABC"),
        ("<#G0PRIVATE|secret>", "G0PRIVATE"),
        ("<#C123ABC|>", "C123ABC"),
        ("#general", None),
        ("general", None),
        ("<@U123>", None),
        ("<#C123|a>b", None),
    ],
)
def test_read_channel_mention(token, channel_id):
    assert read_channel_mention(token) == channel_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:30", time(9, 30)),
        ("9:30", time(9, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("17h", time(17, 0)),
        ("17h30", time(17, 30)),
        ("9am", time(9, 0)),
        ("9AM", time(9, 0)),
        ("9 am", time(9, 0)),
        ("9:30pm", time(21, 30)),
        ("9:30 p.m.", time(21, 30)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("12:15am", time(0, 15)),
        (" 09:30 ", time(9, 30)),
    ],
)
def test_read_time(text, expected):
    assert read_time(text) == expected


@pytest.mark.parametrize(
    "text",
    ["25:00", "24:00", "9:60", "9", "930", "13pm", "0am", "9:5", "noonish", "", "9:30:00", "-1:00", "a<b"],
)
def test_an_unreadable_time_is_quoted_back_with_the_24_hour_form(text):
    with pytest.raises(UserError) as caught:
        read_time(text)
    assert caught.value.problem == f"I couldn't read the time `{text.replace('<', '&lt;').replace('>', '&gt;')}`."
    assert caught.value.usage == "Write it as 24-hour `HH:MM`, e.g. `09:30`."


def test_the_time_error_reads_as_the_style_guide_says():
    with pytest.raises(UserError) as caught:
        read_time("25:00")
    assert caught.value.message == "I couldn't read the time `25:00`. Write it as 24-hour `HH:MM`, e.g. `09:30`."


@pytest.mark.parametrize(
    ("text", "weekday"),
    [
        ("monday", 0),
        ("Mon", 0),
        ("Mondays", 0),
        ("tue", 1),
        ("tues", 1),
        ("Tuesday", 1),
        ("wed", 2),
        ("thu", 3),
        ("thurs", 3),
        ("thursdays", 3),
        ("fri", 4),
        ("saturday", 5),
        ("SUN", 6),
        ("weekday", None),
        ("mo", None),
        ("", None),
    ],
)
def test_read_weekday(text, weekday):
    assert read_weekday(text) == weekday


@pytest.mark.parametrize(
    ("text", "ordinal"),
    [
        ("first", 1),
        ("1st", 1),
        ("Second", 2),
        ("2nd", 2),
        ("third", 3),
        ("3rd", 3),
        ("fourth", 4),
        ("4th", 4),
        ("last", -1),
        ("fifth", None),
        ("5th", None),
        ("1", None),
    ],
)
def test_read_ordinal(text, ordinal):
    assert read_ordinal(text) == ordinal


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("15", 15),
        ("15th", 15),
        ("1st", 1),
        ("22nd", 22),
        ("the 3rd", 3),
        ("day 15", 15),
        ("31", 31),
        ("last day", -1),
        ("the last day", -1),
        ("0", None),
        ("32", None),
        ("last", None),
        ("monday", None),
        ("fifteenth", None),
    ],
)
def test_read_day_of_month(text, day):
    assert read_day_of_month(text) == day


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("jan", 1),
        ("January", 1),
        ("feb", 2),
        ("mar", 3),
        ("march", 3),
        ("may", 5),
        ("sep", 9),
        ("sept", 9),
        ("September", 9),
        ("dec", 12),
        ("decem", None),
        ("13", None),
    ],
)
def test_read_month(text, month):
    assert read_month(text) == month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("2024-02-29", date(2024, 2, 29)),
        ("today", WEDNESDAY),
        ("Tomorrow", date(2026, 3, 12)),
        ("thursday", date(2026, 3, 12)),
        ("friday", date(2026, 3, 13)),
        ("monday", date(2026, 3, 16)),
        ("wednesday", date(2026, 3, 18)),  # the next one, never today
        ("wed", date(2026, 3, 18)),
        ("in 3 days", date(2026, 3, 14)),
        ("in 1 day", date(2026, 3, 12)),
        ("in 2 weeks", date(2026, 3, 25)),
        ("in a week", date(2026, 3, 18)),
        ("In  2   Weeks", date(2026, 3, 25)),
        ("end of month", date(2026, 3, 31)),
        ("end of the month", date(2026, 3, 31)),
        ("end of quarter", date(2026, 4, 30)),  # the fiscal year starts in February: Q1 is Feb..Apr
    ],
)
def test_read_date(text, expected):
    assert read_date(text, WEDNESDAY) == expected


@pytest.mark.parametrize(
    ("today", "fiscal_start_month", "end"),
    [
        (date(2026, 2, 1), 2, date(2026, 4, 30)),
        (date(2026, 4, 30), 2, date(2026, 4, 30)),
        (date(2026, 5, 1), 2, date(2026, 7, 31)),
        (date(2026, 12, 10), 2, date(2027, 1, 31)),
        (date(2026, 1, 15), 2, date(2026, 1, 31)),
        (date(2026, 3, 11), 1, date(2026, 3, 31)),
        (date(2026, 12, 31), 1, date(2026, 12, 31)),
        (date(2026, 3, 11), 7, date(2026, 3, 31)),
        (date(2026, 7, 1), 7, date(2026, 9, 30)),
    ],
)
def test_end_of_quarter_follows_the_fiscal_year(today, fiscal_start_month, end):
    assert read_date("end of quarter", today, fiscal_start_month=fiscal_start_month) == end


def test_end_of_month_knows_leap_years():
    assert read_date("end of month", date(2024, 2, 3)) == date(2024, 2, 29)
    assert read_date("end of month", date(2026, 2, 3)) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("text", "echo"),
    [
        ("2026-02-30", "`2026-02-30`"),
        ("2026-13-01", "`2026-13-01`"),
        ("12/01/2026", "`12/01/2026`"),
        ("next monday", "`next monday`"),
        ("in 2 months", "`in 2 months`"),
        ("in 9999 days", "`in 9999 days`"),
        ("end of year", "`end of year`"),
        ("", "``"),
        ("<!channel>", "`@channel`"),
        ("&lt;!channel&gt;", "`&lt;!channel&gt;`"),
    ],
)
def test_an_unreadable_date_is_quoted_back_with_the_accepted_forms(text, echo):
    with pytest.raises(UserError) as caught:
        read_date(text, WEDNESDAY)
    assert caught.value.problem == f"I couldn't read the date {echo}."
    for form in ("`2026-12-01`", "`today`", "`tomorrow`", "`friday`", "`in 2 weeks`", "`end of quarter`"):
        assert form in caught.value.usage


@pytest.mark.parametrize(
    ("sent", "echo"),
    [
        ("<@U_BOB|bob>", "`@bob`"),
        ("<@U_BOB>", "`@U_BOB`"),
        ("<#C_TEAM|team>", "`#team`"),
        ("<!here>", "`@here`"),
        ("<!subteam^S1|@devs>", "`@devs`"),
        ("<https://example.com|example.com>", "`example.com`"),
        ("<!date^1764491400^{date}|2025-11-30>", "`2025-11-30`"),
        ("&lt;@U_BOB&gt;", "`&lt;@U_BOB&gt;`"),  # typed with the brackets: shown as typed, never live
    ],
)
def test_every_programs_unknown_subcommand_echoes_what_the_person_typed_not_slacks_escapes(sent, echo):
    with pytest.raises(UserError) as caught:
        dispatch_subcommand(
            f"{sent} now",
            command="/wg",
            subcommands={},
            show_help=lambda: None,
            context=DateContext(WEDNESDAY, 2),
            quote_usage="",
            subcommand_usage="Try `/wg help`.",
        )
    assert caught.value.problem == f"I don't know `/wg {echo.strip('`')}`."
    assert "<" not in caught.value.message and "`/wg help`" in caught.value.usage


def test_a_mention_in_any_error_is_echoed_as_typed():
    assert quoted("to <@U_BOB|bob> in <#C_TEAM|team>") == "`to @bob in #team`"
    assert as_typed("<@U_BOB|bob> <!channel>") == "@bob @channel"
