from dataclasses import replace
from datetime import time

import pytest

from bot.cadence.commands import (
    AddCadence,
    CadenceAction,
    ChangeCadence,
    ListCadences,
    OpenCadenceModal,
    ShowHelp,
    parse_cadence_command,
    parse_rule,
    parse_rule_sentence,
)
from bot.cadence.rules import Frequency, Recurrence
from bot.errors import UserError

AT = time(9, 30)
WEEKLY, MONTHLY, QUARTERLY, ANNUALLY = Frequency.WEEKLY, Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUALLY
MON, FRI = 0, 4


def rule(frequency: Frequency, **fields) -> Recurrence:
    """A Recurrence at 09:30 in no named zone, as the parser leaves it."""
    return Recurrence(frequency=frequency, at=AT, timezone="", **fields)


# ---- requests other than add -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("", ShowHelp()),
        ("   ", ShowHelp()),
        ("help", ShowHelp()),
        ("HELP", ShowHelp()),
        ("help add", ShowHelp()),
        ("list", ListCadences()),
        ("List", ListCadences()),
        ("new", OpenCadenceModal()),
        ("add", OpenCadenceModal()),
        ("add   ", OpenCadenceModal()),
        ("pause 3", ChangeCadence(CadenceAction.PAUSE, 3)),
        ("pause #3", ChangeCadence(CadenceAction.PAUSE, 3)),
        ("Resume 12", ChangeCadence(CadenceAction.RESUME, 12)),
        ("remove #7", ChangeCadence(CadenceAction.REMOVE, 7)),
    ],
)
def test_subcommands(text, request_):
    assert parse_cadence_command(text) == request_


# ---- add: every rule form ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # weekly
        ("monday", rule(WEEKLY, weekday=MON)),
        ("Mondays", rule(WEEKLY, weekday=MON)),
        ("fri", rule(WEEKLY, weekday=FRI)),
        ("week on monday", rule(WEEKLY, weekday=MON)),
        ("2 weeks on monday", rule(WEEKLY, weekday=MON, interval=2)),
        ("3 weeks on friday", rule(WEEKLY, weekday=FRI, interval=3)),
        ("other monday", rule(WEEKLY, weekday=MON, interval=2)),
        ("other week on monday", rule(WEEKLY, weekday=MON, interval=2)),
        ("52 weeks on monday", rule(WEEKLY, weekday=MON, interval=52)),
        # monthly
        ("month", rule(MONTHLY, day=1)),
        ("month on the 15th", rule(MONTHLY, day=15)),
        ("month on 15th", rule(MONTHLY, day=15)),
        ("month on day 15", rule(MONTHLY, day=15)),
        ("month on the 31st", rule(MONTHLY, day=31)),
        ("month on the last day", rule(MONTHLY, day=-1)),
        ("first monday", rule(MONTHLY, ordinal=1, weekday=MON)),
        ("2nd friday", rule(MONTHLY, ordinal=2, weekday=FRI)),
        ("last friday", rule(MONTHLY, ordinal=-1, weekday=FRI)),
        ("month on the first monday", rule(MONTHLY, ordinal=1, weekday=MON)),
        ("month on the last friday", rule(MONTHLY, ordinal=-1, weekday=FRI)),
        ("2 months on the 1st", rule(MONTHLY, day=1, interval=2)),
        ("other month on the 15th", rule(MONTHLY, day=15, interval=2)),
        ("12 months on the last day", rule(MONTHLY, day=-1, interval=12)),
        # quarterly
        ("quarter", rule(QUARTERLY, day=1)),
        ("quarter on the first monday", rule(QUARTERLY, ordinal=1, weekday=MON)),
        ("quarter on day 15", rule(QUARTERLY, day=15)),
        ("quarter on the last day", rule(QUARTERLY, day=-1)),
        ("fiscal quarter", rule(QUARTERLY, day=1, fiscal=True)),
        ("fiscal quarter on the first monday", rule(QUARTERLY, ordinal=1, weekday=MON, fiscal=True)),
        ("fiscal quarter on day 15", rule(QUARTERLY, day=15, fiscal=True)),
        # annually
        ("year on march 15", rule(ANNUALLY, month=3, day=15)),
        ("year on 15 march", rule(ANNUALLY, month=3, day=15)),
        ("year on mar 15th", rule(ANNUALLY, month=3, day=15)),
        ("year on february 29", rule(ANNUALLY, month=2, day=29)),
        ("year on the first monday of march", rule(ANNUALLY, month=3, ordinal=1, weekday=MON)),
        ("year on the last day of february", rule(ANNUALLY, month=2, day=-1)),
        ("year on the 15th of march", rule(ANNUALLY, month=3, day=15)),
        ("march 15", rule(ANNUALLY, month=3, day=15)),
        ("year", rule(ANNUALLY, month=1, day=1)),
        ("fiscal year", rule(ANNUALLY, month=1, day=1, fiscal=True)),
        ("fiscal year on the first monday", rule(ANNUALLY, month=1, ordinal=1, weekday=MON, fiscal=True)),
        ("fiscal year on day 15", rule(ANNUALLY, month=1, day=15, fiscal=True)),
        # case and commas
        ("Month On The 15th", rule(MONTHLY, day=15)),
        ("month on the 15th,", rule(MONTHLY, day=15)),
    ],
)
def test_every_rule_form(words, expected):
    assert parse_rule(words.split(), AT, "") == expected
    assert parse_cadence_command(f'add "Sync" every {words} at 09:30').recurrence == expected


def test_parse_rule_takes_the_time_and_zone_it_is_given():
    assert parse_rule(["monday"], time(17, 0), "Europe/Paris") == replace(
        rule(WEEKLY, weekday=MON), at=time(17, 0), timezone="Europe/Paris"
    )


def test_interval_rules_leave_the_anchor_for_the_service():
    assert parse_rule(["other", "monday"], AT, "").anchor is None
    assert parse_rule(["2", "months", "on", "the", "1st"], AT, "").anchor is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("weekly on monday", rule(WEEKLY, weekday=MON)),
        ("biweekly on monday", rule(WEEKLY, weekday=MON, interval=2)),
        ("fortnightly on friday", rule(WEEKLY, weekday=FRI, interval=2)),
        ("monthly on the 15th", rule(MONTHLY, day=15)),
        ("monthly on the last friday", rule(MONTHLY, ordinal=-1, weekday=FRI)),
        ("monthly", rule(MONTHLY, day=1)),
        ("quarterly", rule(QUARTERLY, day=1)),
        ("quarterly on the first monday", rule(QUARTERLY, ordinal=1, weekday=MON)),
        ("annually on march 15", rule(ANNUALLY, month=3, day=15)),
        ("yearly on 15 march", rule(ANNUALLY, month=3, day=15)),
        ("Weekly on Monday", rule(WEEKLY, weekday=MON)),
    ],
)
def test_shorthands_stand_in_for_every(text, expected):
    assert parse_cadence_command(f'add "Sync" {text} at 09:30').recurrence == expected


@pytest.mark.parametrize(
    ("when", "at", "zone", "weekend", "expected"),
    [
        ("every monday", "09:30", "", False, rule(WEEKLY, weekday=MON)),
        ("monday", "09:30", "", False, rule(WEEKLY, weekday=MON)),
        ("  Every 2 weeks on Friday ", "09:30", "", False, rule(WEEKLY, weekday=FRI, interval=2)),
        ("first monday", "09:30", "", False, rule(MONTHLY, ordinal=1, weekday=MON)),
        ("monthly on the last friday", "09:30", "", False, rule(MONTHLY, ordinal=-1, weekday=FRI)),
        ("every fiscal quarter on the first monday", "09:30", "", False,
         rule(QUARTERLY, ordinal=1, weekday=MON, fiscal=True)),
        ("every month on the 15th", "17:00", "europe/paris", True,
         replace(rule(MONTHLY, day=15), at=time(17, 0), timezone="Europe/Paris", weekend_to_monday=True)),
    ],
)  # fmt: skip
def test_the_modal_rule_uses_the_same_words(when, at, zone, weekend, expected):
    assert parse_rule_sentence(when, at, zone, weekend) == expected


@pytest.mark.parametrize(
    ("when", "at", "zone", "echo", "usage"),
    [
        ("", "09:30", "", "the rule is empty", "`every monday`"),
        ("every fortnight", "09:30", "", "`every fortnight`", "`every other monday`"),
        ("<!channel>", "09:30", "", "`@channel`", "`every monday`"),
        ("every monday", "25:00", "", "`25:00`", "HH:MM"),
        ("every monday", "09:30", "Mars/Base", "`Mars/Base`", "`Europe/Paris`"),
    ],
)
def test_the_modal_rule_errors_quote_the_field(when, at, zone, echo, usage):
    with pytest.raises(UserError) as caught:
        parse_rule_sentence(when, at, zone, False)
    assert echo in caught.value.problem and usage in caught.value.usage


# ---- add: text and options -------------------------------------------------------------------------------------


def test_the_simplest_add():
    assert parse_cadence_command('add "Weekly sync" every monday at 09:30') == AddCadence(
        text="Weekly sync", recurrence=rule(WEEKLY, weekday=MON), channel_id=None, user_ids=()
    )


def test_every_option_in_any_order():
    expected = AddCadence(
        text="Weekly sync",
        recurrence=replace(rule(WEEKLY, weekday=MON), timezone="Europe/Paris", weekend_to_monday=True),
        channel_id="C024BE91L",
        user_ids=("U111", "U222"),
    )
    options = [
        "at 9:30",
        "tz Europe/Paris",
        "in <#C024BE91L|team-sync>",
        "to <@U111|alex> <@U222>",
        "weekends to monday",
    ]
    for ordering in (options, options[::-1], options[2:] + options[:2]):
        assert parse_cadence_command(f'add "Weekly sync" every monday {" ".join(ordering)}') == expected


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("add “Weekly sync” every monday at 09:30", "text", "Weekly sync"),
        ('ADD "  padded  " Every monday AT 09:30', "text", "padded"),
        ('add "<!channel> standup & <@U1>" every monday at 09:30', "text", "<!channel> standup & <@U1>"),
        ('add "Sync" every monday at 9am', "at", time(9, 0)),
        ('add "Sync" every monday at 9 pm', "at", time(21, 0)),
        ('add "Sync" every monday at 17h', "at", time(17, 0)),
        ('add "Sync" every monday at 09:30 tz europe/paris', "timezone", "Europe/Paris"),
        ('add "Sync" every monday at 09:30 tz UTC', "timezone", "UTC"),
        ('add "Sync" every monday at 09:30 in <#C1>', "channel_id", "C1"),
        ('add "Sync" every monday at 09:30 to <@U1> <@U1|alex>', "user_ids", ("U1",)),
        ('add "Sync" every monday at 09:30 to <@W1>', "user_ids", ("W1",)),
        ('add "Sync" every month on the 15th at 09:30 weekend to monday', "weekend_to_monday", True),
    ],
)
def test_add_reads_text_and_options(text, field, value):
    request = parse_cadence_command(text)
    found = getattr(request.recurrence, field) if hasattr(request.recurrence, field) else getattr(request, field)
    assert found == value


def test_text_of_exactly_the_limit_is_kept():
    request = parse_cadence_command(f'add "{"x" * 1000}" every monday at 09:30')
    assert request.text == "x" * 1000


# ---- errors ------------------------------------------------------------------------------------------------------

EXAMPLE = '`/cadence add "Weekly sync" every monday at 09:30`'


@pytest.mark.parametrize(
    ("text", "echo", "problem", "usage"),
    [
        # the reminder text
        ("add Weekly sync every monday at 09:30", "`/cadence add Weekly sync every monday at 09:30`",
         "couldn't find the reminder text", "Put the reminder text in double quotes"),
        ('add "" every monday at 09:30', '`""`', "is empty", "between the quotes"),
        ('add "   " every monday at 09:30', '`"   "`', "is empty", "between the quotes"),
        ('add "Weekly sync every monday at 09:30', '`"Weekly sync every monday at 09:30`',
         "closing quote", "double quotes"),
        # every and the rule
        ('add "Sync"', '`"Sync"`', "couldn't find `every`", "how often"),
        ('add "Sync" monday at 09:30', "`monday at 09:30`", "couldn't find `every`", "how often"),
        ('add "Sync" "more" every monday at 09:30', '`"more" every monday at 09:30`', "`every`", "how often"),
        ('add "Sync" every fortnight at 09:30', "`every fortnight`", "couldn't read the rule", "`every other monday`"),
        ('add "Sync" every weekday at 09:30', "`every weekday`", "couldn't read the rule", "`every monday`"),
        ('add "Sync" every at 09:30', "`every`", "couldn't read the rule", "`every monday`"),
        ('add "Sync" every week at 09:30', "`every week`", "couldn't read the rule", "`every monday`"),
        ('add "Sync" every 15th at 09:30', "`every 15th`", "couldn't read the rule", "`every month on the 15th`"),
        ('add "Sync" every fifth monday at 09:30', "`every fifth monday`", "couldn't read the rule", "`every"),
        ('add "Sync" every month on monday at 09:30', "`every month on monday`", "read the rule", "`every"),
        ('add "Sync" every month on march 15 at 09:30', "`every month on march 15`", "read the rule", "`every"),
        ('add "Sync" every month on the 32nd at 09:30', "`every month on the 32nd`", "read the rule", "`every"),
        ('add "Sync" every quarter on march 1 at 09:30', "`every quarter on march 1`", "read the rule", "`every"),
        ('add "Sync" every fiscal month at 09:30', "`every fiscal month`", "read the rule", "`every"),
        ('add "Sync" every fiscal monday at 09:30', "`every fiscal monday`", "read the rule", "`every"),
        ('add "Sync" every fiscal year on march 15 at 09:30', "`every fiscal year on march 15`", "read the rule",
         "`every fiscal year`"),
        ('add "Sync" every year on monday at 09:30', "`every year on monday`", "read the rule", "`every"),
        ('add "Sync" every year on march at 09:30', "`every year on march`", "read the rule", "`every"),
        ('add "Sync" every monday of march at 09:30', "`every monday of march`", "read the rule", "`every"),
        ('add "Sync" weekly at 09:30', "`weekly`", "read the rule", "`weekly`"),
        ('add "Sync" monthly on the 42nd at 09:30', "`monthly on the 42nd`", "read the rule", "`monthly`"),
        ('add "Sync" every "monday" at 09:30', '`every "monday"`', "read the rule", "`every monday`"),
        ('add "Sync" every <!channel> at 09:30', "`every @channel`", "read the rule", "`every monday`"),
        ('add "Sync" every 0 weeks on monday at 09:30', "`every 0 weeks on monday`", "1 to 52 weeks", "every 2 weeks"),
        ('add "Sync" every 53 weeks on monday at 09:30', "`every 53 weeks on monday`", "1 to 52 weeks", "2 weeks"),
        ('add "Sync" every 13 months on the 1st at 09:30', "`every 13 months on the 1st`", "1 to 12 months",
         "every 2 months"),
        ('add "Sync" every 2 quarters at 09:30', "`every 2 quarters`", "can't skip", "`every quarter`"),
        ('add "Sync" every other year on march 15 at 09:30', "`every other year on march 15`", "can't skip",
         "`every year on march 15`"),
        ('add "Sync" every year on february 30 at 09:30', "`every year on february 30`", "at most 29 days",
         "every year on february 1"),
        ('add "Sync" every year on april 31 at 09:30', "`every year on april 31`", "at most 30 days", "april 1"),
        # the time
        ('add "Sync" every monday', "`every monday`", "couldn't find the time", "`at`"),
        ('add "Sync" every monday 9:30', "`every monday 9:30`", "couldn't find the time", "`at`"),
        ('add "Sync" every monday at', "`every monday at`", "couldn't find the time after `at`", "HH:MM"),
        ('add "Sync" every monday at 25:00', "`25:00`", "couldn't read the time", "24-hour `HH:MM`"),
        ('add "Sync" every monday at 9', "`9`", "couldn't read the time", "24-hour `HH:MM`"),
        ('add "Sync" every monday at <!here>', "`@here`", "couldn't read the time", "24-hour `HH:MM`"),
        ('add "Sync" every monday at 9:30 at 10:00', "`at`", "twice", "`at HH:MM`"),
        ('add "Sync" every monday at 9:30 pm please', "`please`", "didn't understand", "`at HH:MM`"),
        ('add "Sync" every monday at 9:30 10:00', "`10:00`", "didn't understand", "`at HH:MM`"),
        # the time zone
        ('add "Sync" every monday at 09:30 tz', "`every monday at 09:30 tz`", "couldn't find the time zone",
         "`Europe/Paris`"),
        ('add "Sync" every monday at 09:30 tz Mars/Base', "`Mars/Base`", "don't know the time zone",
         "Use an IANA name such as `Europe/Paris`"),
        ('add "Sync" every monday at 09:30 tz Europe Paris', "`Europe`", "don't know the time zone",
         "`Europe/Paris`"),
        ('add "Sync" every monday at 09:30 tz "Europe/Paris"', '`"Europe/Paris"`', "don't know the time zone",
         "`Europe/Paris`"),
        ('add "Sync" every monday at 09:30 tz <!channel>', "`@channel`", "time zone", "`Europe/Paris`"),
        # the channel
        ('add "Sync" every monday at 09:30 in #foo', "`#foo`", "couldn't find the channel", "type `#`"),
        ('add "Sync" every monday at 09:30 in foo', "`foo`", "couldn't find the channel", "type `#`"),
        ('add "Sync" every monday at 09:30 in <@U1>', "`@U1`", "couldn't find the channel", "type `#`"),
        ('add "Sync" every monday at 09:30 in <#C1|a> <#C2|b>', "`#b`", "didn't understand",
         "`in #channel`"),
        ('add "Sync" every monday at 09:30 in "<#C1|a>"', '`"#a"`', "couldn't find the channel",
         "type `#`"),
        ('add "Sync" every monday at 09:30 in', "`every monday at 09:30 in`", "couldn't find the channel after `in`",
         "type `#`"),
        ('add "Sync" every monday at 09:30 in <#C1> in <#C2>', "`in`", "twice", "`in #channel`"),
        # the people
        ('add "Sync" every monday at 09:30 to @alex', "`@alex`", "couldn't find the person", "`@`"),
        ('add "Sync" every monday at 09:30 to <!channel>', "`@channel`", "couldn't find the person", "`@`"),
        ('add "Sync" every monday at 09:30 to <@U1> bob', "`bob`", "couldn't find the person", "`@`"),
        ('add "Sync" every monday at 09:30 to <#C1|general>', "`#general`", "the person", "`@`"),
        ('add "Sync" every monday at 09:30 to', "`every monday at 09:30 to`", "couldn't find anyone after `to`", "`@`"),
        # weekends and stray words
        ('add "Sync" every monday at 09:30 weekends', "`weekends`", "couldn't read", "`weekends to monday`"),
        ('add "Sync" every monday at 09:30 weekends to friday', "`weekends to friday`", "couldn't read",
         "`weekends to monday`"),
        ('add "Sync" every monday weekends at 09:30', "`weekends`", "couldn't read",
         "`weekends to monday`"),
        ('add "Sync" every monday at 09:30 weekends to monday please', "`please`", "didn't understand",
         "`weekends to monday`"),
        ('add "Sync" every monday at 09:30 please', "`please`", "didn't understand", "`at HH:MM`"),
        ('add "Sync" every monday at 09:30 "extra"', '`"extra"`', "didn't understand", "`at HH:MM`"),
        # subcommands
        ("frobnicate", "`/cadence frobnicate`", "don't know", "`/cadence list`"),
        ('"Sync" every monday at 09:30', '`/cadence "Sync"`', "don't know", "`/cadence add`"),
        ("<!channel>", "`/cadence @channel`", "don't know", "`/cadence help`"),
        ("list everything", "`everything`", "didn't expect", "`/cadence list`"),
        ("new thing", "`thing`", "didn't expect", "`/cadence new`"),
        ("pause", "`/cadence pause`", "couldn't find a reminder number", "`/cadence pause 3`"),
        ("resume", "`/cadence resume`", "couldn't find a reminder number", "`/cadence list`"),
        ("remove", "`/cadence remove`", "couldn't find a reminder number", "`/cadence list`"),
        ("pause abc", "`abc`", "couldn't read the reminder number", "`/cadence pause 3`"),
        ("pause 0", "`0`", "couldn't read the reminder number", "`/cadence pause 3`"),
        ("pause -3", "`-3`", "couldn't read the reminder number", "`/cadence pause 3`"),
        ("pause ３", "`３`", "couldn't read the reminder number", "`/cadence pause 3`"),
        ("pause 99999999999", "`99999999999`", "couldn't read the reminder number", "`/cadence pause 3`"),
        ('pause "3"', '`"3"`', "couldn't read the reminder number", "`/cadence pause 3`"),
        ("pause <!channel>", "`@channel`", "couldn't read the reminder number", "`/cadence pause 3`"),
        ("pause 3 4", "`3 4`", "one reminder number", "`/cadence pause 3`"),
    ],
)  # fmt: skip
def test_each_error_quotes_the_input_and_shows_how_to_write_it(text, echo, problem, usage):
    with pytest.raises(UserError) as caught:
        parse_cadence_command(text)
    assert echo in caught.value.problem
    assert problem in caught.value.problem
    assert usage in caught.value.usage


@pytest.mark.parametrize(
    "text",
    [
        "add Weekly sync every monday at 09:30",
        'add "Sync" every fortnight at 09:30',
        'add "Sync" every monday at 25:00',
        'add "Sync" every monday at 09:30 in #foo',
        'add "Sync" every monday at 09:30 to @alex',
        'add "Sync" every monday at 09:30 tz Mars/Base',
        "frobnicate",
    ],
)
def test_add_errors_carry_a_full_example(text):
    with pytest.raises(UserError) as caught:
        parse_cadence_command(text)
    assert "/cadence add" in caught.value.usage or "/cadence list" in caught.value.usage


def test_bad_time_reads_as_the_style_guide_says():
    with pytest.raises(UserError) as caught:
        parse_cadence_command('add "Sync" every monday at 25:00')
    assert caught.value.message == f"I couldn't read the time `25:00`. Write it as 24-hour `HH:MM`, e.g. {EXAMPLE}."


def test_unknown_zone_reads_as_asked():
    with pytest.raises(UserError) as caught:
        parse_cadence_command('add "Sync" every monday at 09:30 tz Mars/Base')
    assert caught.value.message.startswith(
        "I don't know the time zone `Mars/Base`. Use an IANA name such as `Europe/Paris`"
    )


def test_a_5000_character_text_is_refused_with_the_limit_and_its_length():
    with pytest.raises(UserError) as caught:
        parse_cadence_command(f'add "{"x" * 5000}" every monday at 09:30')
    assert "5,000 characters" in caught.value.problem and "the limit is 1,000" in caught.value.problem
    assert "`xxxx" in caught.value.problem  # the text itself is quoted back, clipped
    assert len(caught.value.message) < 600
    assert EXAMPLE in caught.value.usage


def test_a_long_text_that_mentions_channel_is_echoed_escaped():
    with pytest.raises(UserError) as caught:
        parse_cadence_command(f'add "<!channel> {"x" * 1000}" every monday at 09:30')
    assert "`@channel xxx" in caught.value.problem  # as typed: Slack sent `@channel` as <!channel>
    assert "<!channel>" not in caught.value.message


@pytest.mark.parametrize(
    "text",
    [
        'add "<!channel>" every <!channel> at 09:30',
        'add "Sync" every monday at <!channel>',
        'add "Sync" every monday at 09:30 tz <!channel>',
        'add "Sync" every monday at 09:30 in <!channel>',
        'add "Sync" every monday at 09:30 to <!channel>',
        'add "Sync" every monday at 09:30 <!channel>',
        'add "Sync" <!channel>',
        "add <!channel> every monday at 09:30",
        'add "<!channel>',
        "pause <!channel>",
        "list <!channel>",
        "<!channel>",
        "<!here|here> <@U1> <http://evil.example|click>",
    ],
)
def test_no_error_can_carry_a_live_mention_or_link(text):
    with pytest.raises(UserError) as caught:
        parse_cadence_command(text)
    assert "<!" not in caught.value.message and "<@" not in caught.value.message and "<http" not in caught.value.message
    assert "@channel" in caught.value.problem or "@here" in caught.value.problem  # echoed as the person typed it


@pytest.mark.parametrize(
    ("text", "month"),
    [("fiscal-year", None), ("fiscal-year february", 2), ("fiscal-year starts in Feb", 2), ("fiscal_year jan", 1)],
)
def test_fiscal_year_reads_an_optional_month(text: str, month: int | None) -> None:
    from bot.cadence.commands import SetFiscalYearStart

    assert parse_cadence_command(text) == SetFiscalYearStart(month)


def test_fiscal_year_with_a_bad_month_is_explained() -> None:
    with pytest.raises(UserError) as raised:
        parse_cadence_command("fiscal-year <!channel>")
    assert "`@channel`" in raised.value.message and "fiscal-year february" in raised.value.message
