from datetime import date

import pytest

from bot.errors import UserError
from bot.fiscal import FiscalCalendar
from bot.okrs.commands import (
    HELP_LINES,
    MAX_OBJECTIVE,
    TEAM_LIMIT,
    ListQuarters,
    MapOwner,
    OpenImport,
    OpenRetro,
    ScoreKeyResult,
    SetupOkrs,
    ShowMine,
    ShowOkrHelp,
    ShowOwners,
    ShowScoreHistory,
    ShowTree,
    TryToActionItem,
    UnmapOwner,
    parse_okr_command,
)
from bot.okrs.rules import COMMENT_LIMIT, ROLE_LIMIT, read_quarter

TODAY = date(2019, 8, 1)  # a Thursday, the first day of FY20-Q3 (2019-08-01..2019-10-31) when years start in February
DANA = "<@U0DANA|dana>"  # how Slack sends a picked @mention
LEE, SAM = "<@U0LEE>", "<@U0SAM>"
OKRS = "<#C123ABC|okrs>"  # how Slack sends a picked #channel


def parse(text: str, **kwargs):
    """Parse as if today were TODAY."""
    return parse_okr_command(text, today=TODAY, **kwargs)


def error_of(text: str, **kwargs) -> UserError:
    """The UserError that parsing `text` raises."""
    with pytest.raises(UserError) as caught:
        parse(text, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # help and setup
        ("", ShowOkrHelp()),
        ("   ", ShowOkrHelp()),
        ("help", ShowOkrHelp()),
        ("HELP score", ShowOkrHelp()),
        (f"setup {OKRS}", SetupOkrs("C123ABC")),
        ("setup <#C123ABC>", SetupOkrs("C123ABC")),
        (f"setup {OKRS} tz Europe/Paris", SetupOkrs("C123ABC", "Europe/Paris")),
        (f"setup {OKRS} TZ america/new_york", SetupOkrs("C123ABC", "America/New_York")),
        (f"setup tz UTC {OKRS}", None),  # the channel comes first: see the errors below
        # quarters and imports
        ("import", OpenImport()),
        ("import FY20-Q2", OpenImport("FY20-Q2")),
        ("import 2018-Q2", OpenImport("2018-Q2")),
        ("quarters", ListQuarters()),
        ("Quarters", ListQuarters()),
        # the tree
        ("tree", ShowTree()),
        ("tree FY20-Q2", ShowTree("FY20-Q2")),
        ("tree FY20-Q2 objective 2", ShowTree("FY20-Q2", 2)),
        ("tree FY20-Q2 2", ShowTree("FY20-Q2", 2)),
        ("tree objective 3", ShowTree(None, 3)),
        ("tree obj 3", ShowTree(None, 3)),
        ("tree Objective #3", ShowTree(None, 3)),
        ("tree 3", ShowTree(None, 3)),
        (f"tree CY2018-Q2 obj {MAX_OBJECTIVE}", ShowTree("CY2018-Q2", MAX_OBJECTIVE)),
        ("mine", ShowMine()),
        ("mine fy20q2", ShowMine("fy20q2")),  # kept as written: the service resolves it
        ("mine FY2020-Q2", ShowMine("FY2020-Q2")),
        # scores
        ("score 42 70", ScoreKeyResult(42, 70.0)),
        ("score #42 70", ScoreKeyResult(42, 70.0)),
        ("score KR42 70", ScoreKeyResult(42, 70.0)),
        ("score kr-42 70", ScoreKeyResult(42, 70.0)),
        ("score Kr#42 70", ScoreKeyResult(42, 70.0)),
        ("score 42 70%", ScoreKeyResult(42, 70.0)),
        ("score 42 70 %", ScoreKeyResult(42, 70.0)),
        ("score 42 0", ScoreKeyResult(42, 0.0)),
        ("score 42 100%", ScoreKeyResult(42, 100.0)),
        ("score 42 87.5", ScoreKeyResult(42, 87.5)),
        # a share, as OKR tools that score 0.0 to 1.0 write it, is a percentage, and the reply says so
        ("score 58 0.7", ScoreKeyResult(58, 70.0, None, "Read 0.7 as 70%; write `0.7%` to mean it.")),
        ("score 58 .45 halfway", ScoreKeyResult(58, 45.0, "halfway", "Read 0.45 as 45%; write `0.45%` to mean it.")),
        ("score 58 0.7%", ScoreKeyResult(58, 0.7)),  # a % says it is a percentage already
        ("score 58 1", ScoreKeyResult(58, 1.0, None, "Read 1 as 1%; a full score is `100`.")),
        ("score 58 1.5", ScoreKeyResult(58, 1.5)),
        ("score 42 70 on track after the launch", ScoreKeyResult(42, 70.0, "on track after the launch")),
        ("score 42 70% on track", ScoreKeyResult(42, 70.0, "on track")),
        ('score 42 70 "on track after the launch"', ScoreKeyResult(42, 70.0, "on track after the launch")),
        ("score 42 70 “on track”", ScoreKeyResult(42, 70.0, "on track")),
        ('score 42 70 the team said "ship it" today', ScoreKeyResult(42, 70.0, 'the team said "ship it" today')),
        ('score 42 70 ""', ScoreKeyResult(42, 70.0)),
        ("score 42 70 it's 3 &lt; 5 &amp; fine", ScoreKeyResult(42, 70.0, "it's 3 < 5 & fine")),
        ("history 42", ShowScoreHistory(42)),
        ("history KR42", ShowScoreHistory(42)),
        ("history #7", ShowScoreHistory(7)),
        # owners
        (f'owner "VP Eng" {DANA}', MapOwner("VP Eng", ("U0DANA",), "@dana")),
        (f'owner "VP Eng" {DANA} {LEE} {DANA}', MapOwner("VP Eng", ("U0DANA", "U0LEE"), "@dana @U0LEE")),
        (f"owner CRO {DANA}", MapOwner("CRO", ("U0DANA",), "@dana")),
        (f"owner CRO: {DANA}", MapOwner("CRO", ("U0DANA",), "@dana")),  # the page writes "1. CRO:"
        (f'owner "  VP   Eng " {SAM}', MapOwner("VP Eng", ("U0SAM",), "@U0SAM")),
        (f'owner "remove" {SAM}', MapOwner("remove", ("U0SAM",), "@U0SAM")),  # a quoted word is a role, not a keyword
        ('owner remove "VP Eng"', UnmapOwner("VP Eng")),
        (f'owner remove "VP Eng" {LEE}', UnmapOwner("VP Eng", ("U0LEE",))),
        (f"owner REMOVE CRO {DANA} {LEE}", UnmapOwner("CRO", ("U0DANA", "U0LEE"))),
        ("owners", ShowOwners()),
        ("owners FY20-Q2", ShowOwners("FY20-Q2")),
        # retrospectives
        ("retro", OpenRetro()),
        ("retro FY20-Q2", OpenRetro("FY20-Q2")),
        ("retro FY20-Q2 Infrastructure", OpenRetro("FY20-Q2", "Infrastructure")),
        ("retro FY20-Q2 Product Marketing", OpenRetro("FY20-Q2", "Product Marketing")),
        ('retro "Product Marketing"', OpenRetro(None, "Product Marketing")),
        ('retro 2018-Q2 "Product  Marketing "', OpenRetro("2018-Q2", "Product  Marketing")),
        ("retro Infrastructure", OpenRetro(None, "Infrastructure")),
        ("retro R&amp;D", OpenRetro(None, "R&D")),
        # TRY items
        (f"try 12 {DANA} 2019-08-15", TryToActionItem(12, "U0DANA", date(2019, 8, 15))),
        (f"try #12 {DANA} friday", TryToActionItem(12, "U0DANA", date(2019, 8, 2))),
        (f"try 12 {DANA} by friday", TryToActionItem(12, "U0DANA", date(2019, 8, 2))),
        (f"try 12 {DANA} due in 2 weeks", TryToActionItem(12, "U0DANA", date(2019, 8, 15))),
        (f"try 12 {DANA} today", TryToActionItem(12, "U0DANA", TODAY)),
        (f"try 12 {DANA} end of quarter", TryToActionItem(12, "U0DANA", date(2019, 10, 31))),
        # a past date is read: whether it may be the item's is the service's rule (rules.try_window)
        (f"try 12 {DANA} 2019-07-31", TryToActionItem(12, "U0DANA", date(2019, 7, 31))),
    ],
)
def test_every_form(text, expected):
    if expected is None:
        return
    assert parse(text) == expected


@pytest.mark.parametrize(
    "written",
    ["FY20-Q2", "FY2020-Q2", "fy20q2", "FY20_Q2", "Q2-FY20", "2018-Q2", "2018Q2", "CY2018-Q2", "cy2018q2", "Q2-2018"],
)
def test_every_one_word_quarter_is_kept_as_written_and_the_rules_can_read_it(written):
    assert parse(f"tree {written} objective 1") == ShowTree(written, 1)
    assert read_quarter(written, FiscalCalendar()).label in ("FY20-Q2", "2018-Q2")


def test_dates_are_read_against_a_february_fiscal_year_unless_told_otherwise():
    assert parse(f"try 12 {DANA} end of quarter", fiscal_start_month=1).due_on == date(2019, 9, 30)


@pytest.mark.parametrize(
    ("text", "problem", "usage"),
    [
        # subcommands and quotes
        ("bogus", "I don't know `/okr bogus`.", "/okr score"),
        ('"tree"', 'I don\'t know `/okr "tree"`.', "/okr help"),
        ('owner "VP Eng', "I couldn't find the closing quote in `\"VP Eng`.", "/okr owner"),
        ("quarters FY20-Q2", "I didn't expect `FY20-Q2` after `/okr quarters`.", "Write just `/okr quarters`."),
        # setup
        ("setup", "I couldn't find the channel in `/okr setup`.", "/okr setup #okrs"),
        ("setup #okrs", "I couldn't find the channel `#okrs`.", "pick it from Slack's list"),
        (f"setup {DANA}", "I couldn't find the channel `@dana`.", "/okr setup"),
        (f'setup "{OKRS}"', "I couldn't find the channel", "/okr setup"),
        (f"setup {OKRS} <#C999>", "I didn't understand `#C999`", "/okr setup"),
        (f"setup {OKRS} tz", "I couldn't find the time zone after `tz`", "Europe/Paris"),
        (f"setup {OKRS} tz Mars/Base", "I don't know the time zone `Mars/Base`.", "/okr setup"),
        (f"setup {OKRS} tz Europe/Paris Europe/Berlin", "I didn't understand `Europe/Berlin`", "/okr setup"),
        (f"setup {OKRS} tz UTC tz UTC", "You wrote `tz` twice", "/okr setup"),
        (f"setup tz UTC {OKRS}", "I couldn't find the channel in", "/okr setup"),
        # quarters
        ("import next", "I couldn't read the quarter `next` in `/okr import next`.", "/okr import FY20-Q2"),
        ("import FY20-Q5", "I couldn't read the quarter `FY20-Q5`", "`2018-Q2` (calendar)"),
        ("import FY20-Q2 FY20-Q3", "I didn't understand `FY20-Q3`", "/okr import"),
        ("mine FY20", "I couldn't read the quarter `FY20`", "/okr mine FY20-Q2"),
        ("mine Q2 FY20", "I couldn't read the quarter `Q2`", "/okr mine"),
        ('mine "FY20-Q2"', 'I couldn\'t read the quarter `"FY20-Q2"`', "/okr mine"),
        ("owners everyone", "I couldn't read the quarter `everyone`", "/okr owners FY20-Q2"),
        # the tree
        ("tree banana", "I couldn't read `banana` in `/okr tree banana` as a quarter or an objective number.", "tree"),
        ("tree FY2-Q1", "I couldn't read the quarter `FY2-Q1`", "/okr tree FY20-Q2 objective 2"),
        ("tree objective", "I couldn't find the objective number in `/okr tree objective`.", "1 to 99"),
        ("tree FY20-Q2 objective two", "I couldn't read the objective number `two`", "1 to 99"),
        ("tree FY20-Q2 objective 0", "I couldn't read the objective number `0`", "1 to 99"),
        ("tree 100", "I couldn't read the objective number `100`", "1 to 99"),
        ("tree FY20-Q2 banana", "I couldn't read the objective number `banana`", "/okr tree"),
        ("tree objective 2 3", "I didn't understand `3`", "/okr tree"),
        ("tree 2 FY20-Q2", "I didn't understand `FY20-Q2`", "/okr tree"),
        # scores
        ("score", "I couldn't find the key result in `/okr score`.", "`KR42`"),
        ("score abc 70", "I couldn't read the key result `abc`", "`42`, `#42` or `KR42`"),
        ("score KR 42 70", "I couldn't read the key result `KR`", "/okr score"),
        ("score 0 70", "I couldn't read the key result `0`", "/okr score"),
        ("score 99999999999 70", "I couldn't read the key result `99999999999`", "/okr score"),
        ('score "42" 70', 'I couldn\'t read the key result `"42"`', "/okr score"),
        ("score 42", "I couldn't find the score in `/okr score 42`.", "from 0 to 100 (`70` or `70%`; a share `0.7`"),
        ("score 42 150", "`150` is outside 0 to 100.", "from 0 to 100"),
        ("score 42 -5", "`-5` is outside 0 to 100.", "from 0 to 100"),
        ("score 42 101%", "`101%` is outside 0 to 100.", "/okr score 42 70"),
        ("score 42 seventy", "`seventy` isn't a score.", "from 0 to 100"),
        ("score 42 on track", "`on` isn't a score.", "from 0 to 100"),
        ('score 42 "70"', '`"70"` isn\'t a score.', "from 0 to 100"),
        ("score 42 70 “on track", "I couldn't find the closing quote", "/okr owner"),
        ("history", "I couldn't find the key result in `/okr history`.", "/okr history KR42"),
        ("history KR-x", "I couldn't read the key result `KR-x`", "/okr tree"),
        ("history 42 43", "I didn't understand `43`", "/okr history"),
        # owners
        ("owner", "I couldn't find the role in `/okr owner`.", '/okr owner "VP Eng" @dana'),
        (f"owner {DANA}", "I couldn't find the role", "in double quotes when it has several words"),
        ('owner "VP Eng"', "I couldn't find who holds the role", "Mention the person with `@`"),
        ("owner CRO", "I couldn't find who holds the role in `/okr owner CRO`.", "Mention the person"),
        ('owner "VP Eng" dana', "I couldn't find the person `dana`.", "Mention the person"),
        (f'owner "VP Eng" {DANA} lee', "I couldn't find the person `lee`.", "Mention the person"),
        (f'owner "VP Eng" {DANA} "Lee"', 'I couldn\'t find the person `"Lee"`.', "Mention the person"),
        (f"owner VP Eng {DANA}", "I couldn't tell where the role ends", "in double quotes when it has several"),
        ("owner CRO dana", "is `dana` part of it, or a person?", "/okr owner"),
        (f'owner "" {DANA}', 'The role `""` is empty.', '/okr owner "VP Eng"'),
        (f'owner ":" {DANA}', "Name the role as the OKR page writes it.", "/okr owner"),
        ("owner remove", "I couldn't find the role in `/okr owner remove`.", "/okr owner remove"),
        (f"owner remove {DANA}", "I couldn't find the role", "no one to clear the role"),
        ('owner remove "VP Eng" lee', "I couldn't find the person `lee`.", "/okr owner remove"),
        # retrospectives
        ("retro Infrastructure FY20-Q2", "The quarter `FY20-Q2` comes after the team", "/okr retro FY20-Q2"),
        ('retro "Product Marketing" extra', "I didn't understand `extra`", "/okr retro"),
        ('retro Product "Marketing"', 'I didn\'t understand `"Marketing"`', "/okr retro"),
        ('retro FY20-Q2 ""', 'The team name `""` is empty.', "/okr retro"),
        ("retro FY20-Q7 Infrastructure", "I couldn't read the quarter `FY20-Q7`", "/okr retro"),
        # TRY items
        ("try", "I couldn't find the retrospective item in `/okr try`.", "/okr try 12 @dana"),
        (f"try twelve {DANA} friday", "I couldn't read the retrospective item `twelve`", "/okr try"),
        (f"try 0 {DANA} friday", "I couldn't read the retrospective item `0`", "/okr try"),
        ("try 12", "I couldn't find the owner in `/okr try 12`.", "Mention the person"),
        ("try 12 dana friday", "I couldn't find the person `dana`.", "Mention the person"),
        (f"try 12 {DANA}", "I couldn't find the due date", "/okr try 12 @dana"),
        (f"try 12 {DANA} by", "I couldn't find the due date", "`in 2 weeks`"),
        (f"try 12 {DANA} someday", "I couldn't read the date `someday`.", "/okr try"),
        (f"try 12 {DANA} aug 15", "I couldn't read the date `aug 15`.", "/okr try"),
        (f"try 12 {DANA} 2019-02-30", "The due date `2019-02-30` isn't a day on the calendar.", "/okr try"),
    ],
)
def test_every_malformed_form_says_what_and_how(text, problem, usage):
    error = error_of(text)
    assert problem in error.problem
    assert usage in error.usage


def test_every_error_shows_an_okr_example():
    for text in ("bogus", "setup", "mine next", "tree 0", "score x 1", "score 1 x", "owner", "retro A 2018-Q1", "try"):
        assert "`/okr " in error_of(text).usage


def test_a_channel_mention_is_echoed_escaped():
    error = error_of("<!channel> please")
    assert "`/okr @channel`" in error.problem and "<!channel>" not in error.message  # as typed, never live
    error = error_of(f'owner "VP Eng" {DANA} <!here>')
    assert "`@here`" in error.problem and "<!here>" not in error.message


def test_user_text_is_stored_unescaped():
    assert parse(f'owner "R&amp;D &lt;lead&gt;" {DANA}') == MapOwner("R&D <lead>", ("U0DANA",), "@dana")
    assert parse('score 42 70 "&lt;!channel&gt; &amp; friends"').comment == "<!channel> & friends"
    assert parse('retro "&lt;Growth&gt;"') == OpenRetro(None, "<Growth>")


def test_long_roles_comments_and_team_names_are_refused_with_the_limit():
    role_error = error_of(f'owner "{"R" * (ROLE_LIMIT + 1)}" {DANA}')
    assert f"is {ROLE_LIMIT + 1} characters long; the limit is {ROLE_LIMIT}" in role_error.problem
    assert parse(f'owner "{"R" * ROLE_LIMIT}" {DANA}').role == "R" * ROLE_LIMIT
    comment_error = error_of(f"score 42 70 {'x' * (COMMENT_LIMIT + 1)}")
    assert f"Keep the comment under {COMMENT_LIMIT} characters." in comment_error.problem
    assert parse(f'score 42 70 "{"x" * COMMENT_LIMIT}"').comment == "x" * COMMENT_LIMIT
    team_error = error_of(f"retro {'T' * (TEAM_LIMIT + 1)}")
    assert f"is {TEAM_LIMIT + 1} characters long; the limit is {TEAM_LIMIT}" in team_error.problem
    assert len(team_error.message) < 1000  # the name itself is clipped when echoed
    quoted_team_error = error_of(f'retro "{"T" * (TEAM_LIMIT + 1)}"')
    assert f"the limit is {TEAM_LIMIT}" in quoted_team_error.problem


def test_help_lines_name_every_subcommand_in_order():
    words = [form.split()[1] for form, _ in HELP_LINES]
    assert words == [
        "help", "setup", "import", "quarters", "tree", "mine", "score", "history", "owner", "owner", "owners",
        "retro", "try",
    ]  # fmt: skip
    for word in dict.fromkeys(words):
        try:
            parse(word)
        except UserError as error:  # missing arguments are fine; an unknown subcommand is not
            assert "I don't know" not in error.problem
    assert all(what.endswith(".") for _, what in HELP_LINES)
