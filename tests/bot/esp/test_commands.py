from datetime import date, time

import pytest

from bot.cadence.rules import Frequency
from bot.errors import UserError
from bot.esp.commands import (
    NAME_LIMIT,
    NOTE_LIMIT,
    AddAccount,
    AssignSponsor,
    EditAccount,
    ListAccounts,
    ListObligations,
    RecordEvent,
    RecordKpis,
    RecordNps,
    RecordTouchpoint,
    RescheduleObligation,
    SetObligationEnabled,
    SetupProgram,
    ShowChecklist,
    ShowEspHelp,
    ShowMap,
    ShowScorecard,
    UnassignSponsor,
    parse_esp_command,
)
from bot.esp.rules import Metric
from models.esp import TouchpointKind

TODAY = date(2026, 2, 10)  # a Tuesday in FY27-Q1 (2026-02-01..2026-04-30) when years start in February
DANA = "<@U0DANA|dana>"  # how Slack sends a picked @mention
CASEY, ALEX, SAM = "<@U0CASEY>", "<@U0ALEX>", "<@U0SAM>"


def parse(text: str, **kwargs):
    """Parse as if today were TODAY."""
    return parse_esp_command(text, today=TODAY, **kwargs)


def error_of(text: str) -> UserError:
    """The UserError that parsing `text` raises."""
    with pytest.raises(UserError) as caught:
        parse(text)
    return caught.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # help, setup, lists
        ("", ShowEspHelp()),
        ("  ", ShowEspHelp()),
        ("help", ShowEspHelp()),
        ("HELP kpi", ShowEspHelp()),
        ("setup", SetupProgram()),
        (f"setup {DANA}", SetupProgram("U0DANA")),
        ("accounts", ListAccounts()),
        ("map", ShowMap()),
        ("Map", ShowMap()),
        ("cadence", ListObligations()),
        ("scorecard", ShowScorecard()),
        ('scorecard "Acme Corp"', ShowScorecard("Acme Corp")),
        ("checklist", ShowChecklist()),
        ("checklist “Acme Corp”", ShowChecklist("Acme Corp")),
        # accounts
        ('account add "Acme Corp"', AddAccount("Acme Corp")),
        ('account add "  Acme Corp "', AddAccount("Acme Corp")),
        ('account add "R&amp;D &lt;labs&gt;"', AddAccount("R&D <labs>")),
        (
            f'account add "Acme Corp" tier 1 csm {CASEY} ae {ALEX} sa {SAM}',
            AddAccount("Acme Corp", tier=1, csm_id="U0CASEY", ae_id="U0ALEX", sa_id="U0SAM"),
        ),
        (f'account add "Acme Corp" SA {SAM} Tier 2', AddAccount("Acme Corp", tier=2, sa_id="U0SAM")),
        (f'accounts add "Acme Corp" csm {CASEY}', AddAccount("Acme Corp", csm_id="U0CASEY")),
        ('account "Acme Corp" tier 3', EditAccount("Acme Corp", tier=3)),
        (f'account "Acme Corp" ae {ALEX}', EditAccount("Acme Corp", ae_id="U0ALEX")),
        ('account "Acme Corp" inactive', EditAccount("Acme Corp", active=False)),
        ('account "Acme Corp" active tier 1', EditAccount("Acme Corp", tier=1, active=True)),
        ('account "add"', None),  # a quoted "add" is a name: see the errors below
        # sponsors
        (f'assign {DANA} "Acme Corp"', AssignSponsor("U0DANA", "Acme Corp", TODAY)),
        (f'assign "Acme Corp" {DANA}', AssignSponsor("U0DANA", "Acme Corp", TODAY)),
        (f'assign {DANA} "Acme Corp" force', AssignSponsor("U0DANA", "Acme Corp", TODAY, force=True)),
        (
            f'assign {DANA} "Acme Corp" from 2026-02-01',
            AssignSponsor("U0DANA", "Acme Corp", date(2026, 2, 1)),
        ),
        (
            f'assign {DANA} "Acme Corp" FORCE from end of quarter',
            AssignSponsor("U0DANA", "Acme Corp", date(2026, 4, 30), force=True),
        ),
        ('unassign "Acme Corp"', UnassignSponsor("Acme Corp")),
        (f'unassign "Acme Corp" {DANA}', UnassignSponsor("Acme Corp", "U0DANA")),
        (
            f'unassign "Acme Corp" {DANA} reason "Moved to EMEA &amp; APAC"',
            UnassignSponsor("Acme Corp", "U0DANA", "Moved to EMEA & APAC"),
        ),
        ('unassign "Acme Corp" reason left the company', UnassignSponsor("Acme Corp", None, "left the company")),
        # touchpoints
        ('touchpoint "Acme Corp" informal', RecordTouchpoint("Acme Corp", TouchpointKind.INFORMAL, TODAY)),
        (
            'touchpoint "Acme Corp" face-to-face 2026-02-06',
            RecordTouchpoint("Acme Corp", TouchpointKind.FACE_TO_FACE, date(2026, 2, 6)),
        ),
        ('touchpoint "Acme Corp" F2F', RecordTouchpoint("Acme Corp", TouchpointKind.FACE_TO_FACE, TODAY)),
        (
            'touchpoint "Acme Corp" ebr yesterday "QBR with the CIO"',
            RecordTouchpoint("Acme Corp", TouchpointKind.EBR, date(2026, 2, 9), "QBR with the CIO"),
        ),
        (
            'touchpoint "Acme Corp" informal on 2026-01-30 "Coffee"',
            RecordTouchpoint("Acme Corp", TouchpointKind.INFORMAL, date(2026, 1, 30), "Coffee"),
        ),
        (
            'touchpoint "Acme Corp" informal "Call &lt;notes&gt;"',
            RecordTouchpoint("Acme Corp", TouchpointKind.INFORMAL, TODAY, "Call <notes>"),
        ),
        ('touchpoint "Acme Corp" informal today', RecordTouchpoint("Acme Corp", TouchpointKind.INFORMAL, TODAY)),
        # KPIs
        ('kpi "Acme Corp" influence 4', RecordKpis("Acme Corp", ((Metric.INFLUENCE, 4.0),), TODAY)),
        (
            'kpi "Acme Corp" influence 4 sentiment 3 strength 5 engagement 2',
            RecordKpis(
                "Acme Corp",
                ((Metric.INFLUENCE, 4), (Metric.SENTIMENT, 3), (Metric.STRENGTH, 5), (Metric.ENGAGEMENT, 2)),
                TODAY,
            ),
        ),
        (
            'kpi "Acme Corp" use-cases 3 time-to-value 45 arr-growth 12%',
            RecordKpis(
                "Acme Corp",
                ((Metric.USE_CASES_ADOPTED, 3), (Metric.TIME_TO_VALUE_DAYS, 45), (Metric.NET_ARR_GROWTH, 12)),
                TODAY,
            ),
        ),
        (
            'kpi "Acme Corp" ARR_GROWTH -3.5 ttv 30d',
            RecordKpis("Acme Corp", ((Metric.NET_ARR_GROWTH, -3.5), (Metric.TIME_TO_VALUE_DAYS, 30)), TODAY),
        ),
        ('kpi "Acme Corp" influence 9', RecordKpis("Acme Corp", ((Metric.INFLUENCE, 9),), TODAY)),  # range: service
        # NPS and events
        ('nps "Acme Corp" 9', RecordNps("Acme Corp", (9,), TODAY)),
        ('nps "Acme Corp" 9 10 7 0', RecordNps("Acme Corp", (9, 10, 7, 0), TODAY)),
        ('nps "Acme Corp" 9,10, 7', RecordNps("Acme Corp", (9, 10, 7), TODAY)),
        ('roadblock "Acme Corp"', RecordEvent("Acme Corp", Metric.ROADBLOCK_REMOVED, TODAY)),
        (
            'roadblock "Acme Corp" "Unblocked SSO"',
            RecordEvent("Acme Corp", Metric.ROADBLOCK_REMOVED, TODAY, "Unblocked SSO"),
        ),
        ('reference "Acme Corp" "Case study"', RecordEvent("Acme Corp", Metric.PUBLIC_REFERENCE, TODAY, "Case study")),
        # the operating cadence
        ("cadence off 3", SetObligationEnabled("3", enabled=False)),
        ("cadence on #3", SetObligationEnabled("3", enabled=True)),
        ("cadence OFF quarterly.forum", SetObligationEnabled("quarterly.forum", enabled=False)),
        ("cadence 13 on", SetObligationEnabled("13", enabled=True)),
    ],
)
def test_every_form(text, expected):
    if expected is None:
        return
    assert parse(text) == expected


def test_moving_an_obligation_reads_the_rule_like_cadence():
    request = parse("cadence 5 every fiscal quarter on the second tuesday at 15:00 tz Europe/Paris")
    assert isinstance(request, RescheduleObligation) and request.ref == "5"
    rule = request.recurrence
    assert (rule.frequency, rule.fiscal, rule.ordinal, rule.weekday) == (Frequency.QUARTERLY, True, 2, 1)
    assert (rule.at, rule.timezone) == (time(15, 0), "Europe/Paris")
    weekly = parse("cadence weekly.action_planning weekly on friday at 9am").recurrence
    assert (weekly.frequency, weekly.weekday, weekly.at, weekly.timezone) == (Frequency.WEEKLY, 4, time(9), "")


def test_dates_are_read_against_a_february_fiscal_year_unless_told_otherwise():
    request = parse(f'assign {DANA} "Acme" from end of quarter', fiscal_start_month=1)
    assert request.start_on == date(2026, 3, 31)


@pytest.mark.parametrize(
    ("text", "problem", "usage"),
    [
        # subcommands
        ("bogus", "I don't know `/esp bogus`.", "/esp assign"),
        ('"Acme Corp"', 'I don\'t know `/esp "Acme Corp"`.', "/esp help"),
        ("map now", "I didn't expect `now` after `/esp map`.", "Write just `/esp map`."),
        ('touchpoint "Acme', "closing quote", "/esp assign"),
        # setup
        ("setup pat", "I couldn't find the person `pat`.", "Mention the person with `@`"),
        (f"setup {DANA} {CASEY}", "I didn't understand", "/esp setup @pat"),
        # accounts
        ("account", "I couldn't find the account name in `/esp account`.", "/esp account add"),
        ("account add", "I couldn't find the account name in `/esp account add`.", "/esp account add"),
        ("account add Acme Corp", "I couldn't find the account name", "Put the account name in double quotes"),
        ('account add ""', 'The account name `""` is empty.', "/esp account add"),
        ('account add "Acme" tier 0', "I couldn't read the tier `0`.", "from 1 to 9"),
        ('account add "Acme" tier abc', "I couldn't read the tier `abc`.", "from 1 to 9"),
        ('account add "Acme" tier 10', "I couldn't read the tier `10`.", "from 1 to 9"),
        ('account add "Acme" tier', "I couldn't find the tier after `tier`", "from 1 to 9"),
        ('account add "Acme" tier 1 2', "I didn't understand `2`", "from 1 to 9"),
        ('account add "Acme" tier 1 tier 2', "You wrote `tier` twice", "/esp account add"),
        ('account add "Acme" csm casey', "I couldn't find the person `casey`.", "Mention the person"),
        ('account add "Acme" csm', "I couldn't find the CSM", "Mention the person"),
        ('account add "Acme" inactive', "A new account is always active", "/esp account add"),
        ('account add "Acme" "Globex"', 'I didn\'t understand `"Globex"`', "/esp account add"),
        ('account "Acme Corp"', "doesn't say what to change", "`tier 1`"),
        ('account "Acme" active inactive', "says both `active` and `inactive`", "/esp account"),
        ('account "Acme" inactive now', "I didn't understand `now`", "/esp account"),
        ('account "add"', "doesn't say what to change", "/esp account"),
        # sponsors
        ('assign "Acme Corp"', "I couldn't find the sponsor", "Mention the person"),
        ("assign", "I couldn't find the sponsor in `/esp assign`.", "Mention the person"),
        (f"assign {DANA}", "I couldn't find the account name", "/esp assign @dana"),
        (f"assign {DANA} Acme", "I couldn't find the account name", "double quotes"),
        ('assign dana "Acme"', "I couldn't find the person `dana`.", "Mention the person"),
        (f'assign {DANA} "Acme" from someday', "I couldn't read the date `someday`.", "2026-12-01"),
        (f'assign {DANA} "Acme" from 2026-02-30', "The start date `2026-02-30` isn't a day on the calendar.", "e.g."),
        (f'assign {DANA} "Acme" from', "I couldn't find the start date", "e.g."),
        (f'assign {DANA} "Acme" force please', "I didn't understand `please`", "/esp assign @sponsor"),
        (f'assign {DANA} "Acme" "Globex"', 'I didn\'t understand `"Globex"`', "/esp assign @sponsor"),
        ("unassign", "I couldn't find the account name", "/esp unassign"),
        ("unassign Acme", "I couldn't find the account name", "/esp unassign"),
        ('unassign "Acme" dana', "I couldn't find the person `dana`.", "Mention the person"),
        ('unassign "Acme" reason', "I couldn't find the reason after `reason`", "/esp unassign"),
        ('unassign "Acme" reason ""', "I couldn't find the reason after `reason`", "/esp unassign"),
        # touchpoints
        ('touchpoint "Acme"', "I couldn't find the kind of touchpoint", "`informal`, `face-to-face` or `ebr`"),
        ('touchpoint "Acme" lunch', "I don't know the kind of touchpoint `lunch`.", "`face-to-face`"),
        ('touchpoint "Acme" "informal"', 'I don\'t know the kind of touchpoint `"informal"`.', "`ebr`"),
        ("touchpoint Acme informal", "I couldn't find the account name", "double quotes"),
        ('touchpoint "Acme" informal last tuesday', "I couldn't read the date `last tuesday`.", "/esp touchpoint"),
        ('touchpoint "Acme" informal 2026-13-01', "The touchpoint date `2026-13-01` isn't a day", "/esp touchpoint"),
        ('touchpoint "Acme" informal friday', "2026-02-13 in", "write the date"),
        ('touchpoint "Acme" informal tomorrow', "hasn't happened yet", "write the date"),
        ('touchpoint "Acme" informal on', "I couldn't find the touchpoint date", "/esp touchpoint"),
        ('touchpoint "Acme" informal "notes" extra', "I didn't understand `extra`", "/esp touchpoint"),
        ('touchpoint "Acme" informal "notes" "more"', 'I didn\'t understand `"more"`', "/esp touchpoint"),
        # KPIs
        ('kpi "Acme"', "I couldn't find any KPI", "`influence`"),
        ("kpi", "I couldn't find the account name", "/esp kpi"),
        ('kpi "Acme" influence', "I couldn't find the number after `influence`.", "`influence`"),
        ('kpi "Acme" influence high', "I couldn't read `high` after `influence` as a number.", "`influence`"),
        ('kpi "Acme" influence 4% ', "I couldn't read `4%` after `influence` as a number.", "`arr-growth`"),
        ('kpi "Acme" influence "4"', 'I couldn\'t read `"4"` after `influence` as a number.', "`influence`"),
        ('kpi "Acme" arr-growth twelve', "I couldn't read `twelve` after `arr-growth`", "`arr-growth`"),
        ('kpi "Acme" happiness 4', "I don't know the KPI `happiness`.", "`sentiment`"),
        ('kpi "Acme" nps 9', "I don't know the KPI `nps`.", '`/esp nps "Acme Corp" 9 10 7`'),
        ('kpi "Acme" roadblocks 1', "I don't know the KPI `roadblocks`.", '`/esp roadblock "Acme Corp"`'),
        ('kpi "Acme" influence 4 influence 5', "You gave `influence` twice", "`influence`"),
        ('kpi "Acme" influence 4 5', "I don't know the KPI `5`.", "`influence`"),
        # NPS
        ('nps "Acme"', "I couldn't find any survey response", "from 0 to 10"),
        ('nps "Acme" 11', "I couldn't read the NPS response `11`: responses go from 0 to 10.", "/esp nps"),
        ('nps "Acme" 9 -1', "I couldn't read the NPS response `-1`", "from 0 to 10"),
        ('nps "Acme" 9.5', "I couldn't read the NPS response `9.5`", "from 0 to 10"),
        ('nps "Acme" nine', "I couldn't read the NPS response `nine`", "from 0 to 10"),
        ("nps Acme 9", "I couldn't find the account name", "/esp nps"),
        ('nps "Acme" ' + "9 " * 501, "That is 501 responses; one command takes at most 500.", "/esp nps"),
        # events
        ("roadblock", "I couldn't find the account name", "/esp roadblock"),
        ('roadblock "Acme" unblocked sso', "I didn't understand `unblocked sso`", '"note"'),
        ('reference "Acme" "Case study" "again"', 'I didn\'t understand `"again"`', "/esp reference"),
        # scorecards and checklists
        ("scorecard Acme", "I couldn't find the account name in `/esp scorecard Acme`.", "/esp scorecard"),
        ('scorecard "Acme" "Globex"', 'I didn\'t understand `"Globex"`', "Name one account"),
        ('checklist "Acme" now', "I didn't understand `now`", "/esp checklist"),
        # the operating cadence
        ("cadence off", "I couldn't find which item to turn off", "/esp cadence off 3"),
        ("cadence on 0", "There's no operating-cadence item `0`", "1 to 13"),
        ("cadence off 14", "There's no operating-cadence item `14`", "1 to 13"),
        ("cadence off weekly.nothing", "There's no operating-cadence item `weekly.nothing`", "quarterly.forum"),
        ('cadence off "3"', 'There\'s no operating-cadence item `"3"`', "/esp cadence"),
        ("cadence off 3 4", "I didn't understand `4`", "/esp cadence"),
        ("cadence 3", "doesn't say what to do with the item", "/esp cadence 3 every"),
        ("cadence forum every monday at 09:00", "There's no operating-cadence item `forum`", "/esp cadence"),
        ("cadence 3 every monday", "I couldn't find the time", "at HH:MM"),
        ("cadence 3 every monday at", "I couldn't find the time", "at HH:MM"),
        ("cadence 3 every monday at 25:00", "I couldn't read the time `25:00`.", "/esp cadence"),
        ("cadence 3 every blue moon at 09:00", "I couldn't read the rule", "/esp cadence"),
        ("cadence 3 every monday at 09:00 tz", "I couldn't find the time zone", "/esp cadence"),
        ("cadence 3 every monday at 09:00 tz Mars/Base", "I don't know the time zone `Mars/Base`.", "/esp cadence"),
    ],
)
def test_every_malformed_form_says_what_and_how(text, problem, usage):
    error = error_of(text)
    assert problem in error.problem
    assert usage in error.usage


def test_a_channel_mention_is_echoed_escaped():
    error = error_of("<!channel> please")
    assert "`/esp @channel`" in error.problem and "<!channel>" not in error.message  # as typed, never live
    error = error_of('touchpoint "Acme" <!here>')
    assert "`@here`" in error.problem and "<!here>" not in error.message


def test_user_text_is_stored_unescaped():
    request = parse('roadblock "&lt;!channel&gt; &amp; friends" "a &lt; b"')
    assert request == RecordEvent("<!channel> & friends", Metric.ROADBLOCK_REMOVED, TODAY, "a < b")


@pytest.mark.parametrize(
    "template",
    [
        'touchpoint "Acme" informal "{}"',
        'roadblock "Acme" "{}"',
        'reference "Acme" "{}"',
        'unassign "Acme" reason "{}"',
    ],
)
def test_long_notes_are_refused_with_the_limit(template):
    error = error_of(template.format("x" * 5000))
    assert "is 5,000 characters long" in error.problem and f"the limit is {NOTE_LIMIT:,}" in error.problem
    assert len(error.message) < 1000  # the note itself is clipped when echoed
    assert parse(template.format("x" * NOTE_LIMIT))  # the limit itself is fine


def test_long_account_names_are_refused_with_the_limit():
    error = error_of(f'account add "{"A" * (NAME_LIMIT + 1)}"')
    assert f"is {NAME_LIMIT + 1} characters long; the limit is {NAME_LIMIT}" in error.problem


def test_every_error_shows_an_esp_example():
    for text in ("bogus", "account add", 'kpi "Acme" x 1', 'nps "Acme" 11', "cadence 3", 'touchpoint "Acme" x'):
        assert "`/esp " in error_of(text).usage
