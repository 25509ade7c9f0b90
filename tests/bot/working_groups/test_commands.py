from datetime import date, time

import pytest

from bot.cadence.commands import parse_rule_sentence
from bot.cadence.rules import Frequency, Recurrence
from bot.errors import UserError
from bot.working_groups.commands import (
    GOAL_LIMIT,
    NAME_LIMIT,
    TEXT_LIMIT,
    ActionChange,
    ActionFilter,
    AddAction,
    AddCriterion,
    AddRole,
    ChangeAction,
    CloseGroup,
    CreateGroup,
    ExportCharter,
    ExtendGroup,
    ListActions,
    ListCriteria,
    ListRoles,
    OpenCreateModal,
    OpenImportModal,
    PostCharter,
    RemoveRole,
    SetCriterionProgress,
    SetDigest,
    SetSync,
    ShowSync,
    ShowWgHelp,
    TickCriterion,
    parse_wg_command,
)

TODAY = date(2026, 2, 10)  # a Tuesday, in the fiscal quarter 2026-02-01..2026-04-30 when years start in February
NICK = "<@U0NICK|nick>"  # how Slack sends a picked @mention


def parse(text: str, **kwargs):
    """Parse as if today were TODAY."""
    return parse_wg_command(text, today=TODAY, **kwargs)


def error_of(text: str, **kwargs) -> UserError:
    """The UserError that parsing `text` raises."""
    with pytest.raises(UserError) as caught:
        parse(text, **kwargs)
    return caught.value


# ---- requests without arguments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("", ShowWgHelp()),
        ("   ", ShowWgHelp()),
        ("help", ShowWgHelp()),
        ("HELP", ShowWgHelp()),
        ("help roles", ShowWgHelp()),
        ("create", OpenCreateModal()),
        ("Create  ", OpenCreateModal()),
        ("charter", PostCharter()),
        ("export", ExportCharter()),
        ("import", OpenImportModal()),
        ("roles", ListRoles()),
        ("criteria", ListCriteria()),
        ("actions", ListActions(ActionFilter.OPEN)),
        ("sync", ShowSync()),
        ("sync off", SetSync(None)),
        ("SYNC OFF", SetSync(None)),
        ("digest on", SetDigest(True)),
        ("digest off", SetDigest(False)),
        ("Digest OFF", SetDigest(False)),
        ("close", CloseGroup()),
    ],
)
def test_subcommands(text, request_):
    assert parse(text) == request_


# ---- create ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('create "Leading Organizations"', CreateGroup("Leading Organizations")),
        ('create "  Leading Organizations  "', CreateGroup("Leading Organizations")),
        ("create “Leading Organizations”", CreateGroup("Leading Organizations")),
        ('create "R&amp;D &lt;core&gt;"', CreateGroup("R&D <core>")),
        ('create "WG" goal "Grow contributors"', CreateGroup("WG", goal="Grow contributors")),
        ('create "WG" created 2022-11-09', CreateGroup("WG", created_on=date(2022, 11, 9))),
        ('create "WG" ends 2024-01-31', CreateGroup("WG", end_on=date(2024, 1, 31))),
        ('create "WG" ends end of quarter', CreateGroup("WG", end_on=date(2026, 4, 30))),
        ('create "WG" ends in 2 weeks', CreateGroup("WG", end_on=date(2026, 2, 24))),
        ('create "WG" created today', CreateGroup("WG", created_on=TODAY)),
        ('create "WG" agenda https://docs.google.com/d/1', CreateGroup("WG", agenda_url="https://docs.google.com/d/1")),
        (
            'create "WG" agenda <https://docs.google.com/d/1>',
            CreateGroup("WG", agenda_url="https://docs.google.com/d/1"),
        ),
        (
            'create "WG" agenda <https://docs.google.com/d/1|Working Group Agenda>',
            CreateGroup("WG", agenda_url="https://docs.google.com/d/1"),
        ),
        (
            'create "WG" board <https://gitlab.com/epics/1880?a=1&amp;b=2>',
            CreateGroup("WG", board_url="https://gitlab.com/epics/1880?a=1&b=2"),
        ),
        ('create "WG" board http://example.com', CreateGroup("WG", board_url="http://example.com")),
        (
            'create "Leading Organizations" board <https://gitlab.com/e/1> ENDS 2024-01-31 goal "More orgs" '
            "agenda https://docs.google.com/d/1 created 2022-11-09",
            CreateGroup(
                "Leading Organizations",
                goal="More orgs",
                created_on=date(2022, 11, 9),
                end_on=date(2024, 1, 31),
                agenda_url="https://docs.google.com/d/1",
                board_url="https://gitlab.com/e/1",
            ),
        ),
    ],
)
def test_create_reads_the_name_and_options_in_any_order(text, expected):
    assert parse(text) == expected


def test_end_of_quarter_follows_the_fiscal_year_start():
    assert parse('create "WG" ends end of quarter', fiscal_start_month=1).end_on == date(2026, 3, 31)
    assert parse('create "WG" ends end of quarter', fiscal_start_month=2).end_on == date(2026, 4, 30)


def test_dates_are_read_against_the_day_passed_in():
    assert parse('action "x" me due tomorrow').due_on == date(2026, 2, 11)
    assert parse_wg_command('action "x" me due tomorrow', today=date(2030, 1, 1)).due_on == date(2030, 1, 2)


def test_names_and_goals_of_exactly_the_limit_are_kept():
    assert parse(f'create "{"n" * NAME_LIMIT}" goal "{"g" * GOAL_LIMIT}"') == CreateGroup(
        "n" * NAME_LIMIT, goal="g" * GOAL_LIMIT
    )


# ---- roles -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("role add dri <@U1>", AddRole("DRI", user_id="U1")),
        ("role add DRI <@U1|emilio>", AddRole("DRI", user_id="U1")),
        ("role add facilitator <@W2>", AddRole("Facilitator", user_id="W2")),
        ('role add "executive sponsor" <@U1>', AddRole("Executive Sponsor", user_id="U1")),
        ("role add executive sponsor <@U1>", AddRole("Executive Sponsor", user_id="U1")),
        ("role add exec-sponsor <@U1>", AddRole("Executive Sponsor", user_id="U1")),
        ("role add sponsor <@U1>", AddRole("Executive Sponsor", user_id="U1")),
        ('role add "Executive Stakeholder" <@U1>', AddRole("Executive Stakeholder", user_id="U1")),
        ("role add stakeholder <@U1>", AddRole("Executive Stakeholder", user_id="U1")),
        ("role add contributor <@U1>", AddRole("Contributor", user_id="U1")),
        ("role add member <@U1>", AddRole("Member", user_id="U1")),
        ('role add member "Sid Sijbrandij"', AddRole("Member", person_name="Sid Sijbrandij")),
        ('role add member "  Sid   Sijbrandij "', AddRole("Member", person_name="Sid Sijbrandij")),
        ('role add member "<@U1>"', AddRole("Member", user_id="U1")),
        (
            f'role add "functional lead: Contributor Success" {NICK}',
            AddRole("Functional Lead", function="Contributor Success", user_id="U0NICK"),
        ),
        (
            f'role add lead "Contributor Success" {NICK}',
            AddRole("Functional Lead", function="Contributor Success", user_id="U0NICK"),
        ),
        (
            f'role add functional lead "Contributor Success" {NICK}',
            AddRole("Functional Lead", function="Contributor Success", user_id="U0NICK"),
        ),
        (
            f"role add functional lead: Contributor Success {NICK}",
            AddRole("Functional Lead", function="Contributor Success", user_id="U0NICK"),
        ),
        (
            f'role add lead: "Marketing Campaigns" {NICK}',
            AddRole("Functional Lead", function="Marketing Campaigns", user_id="U0NICK"),
        ),
        (
            'role add lead "Customer Success" "Jamie Reid" as "Manager, Strategic CSMs"',
            AddRole(
                "Functional Lead",
                function="Customer Success",
                person_name="Jamie Reid",
                title="Manager, Strategic CSMs",
            ),
        ),
        (
            'role add dri <@U1> as "VP, Developer Relations"',
            AddRole("DRI", user_id="U1", title="VP, Developer Relations"),
        ),
        ("role add dri <@U1> AS VP Product", AddRole("DRI", user_id="U1", title="VP Product")),
        ('role add dri <@U1> as "R&amp;D lead"', AddRole("DRI", user_id="U1", title="R&D lead")),
        ("roles add dri <@U1>", AddRole("DRI", user_id="U1")),
        ("role remove <@U1>", RemoveRole(user_id="U1")),
        ('role remove "Sid Sijbrandij"', RemoveRole(person_name="Sid Sijbrandij")),
        ("role remove <@U1> dri", RemoveRole(user_id="U1", role="DRI")),
        ("role remove <@U1> executive sponsor", RemoveRole(user_id="U1", role="Executive Sponsor")),
        ("role remove <@U1> lead", RemoveRole(user_id="U1", role="Functional Lead")),
        (
            'role remove <@U1> "Functional Lead: Contributor Success"',
            RemoveRole(user_id="U1", role="Functional Lead", function="Contributor Success"),
        ),
        # the role first, as the help writes it
        ("role remove facilitator <@U1>", RemoveRole(user_id="U1", role="Facilitator")),
        ("role remove executive sponsor <@U1>", RemoveRole(user_id="U1", role="Executive Sponsor")),
        ('role remove dri "Sid Sijbrandij"', RemoveRole(person_name="Sid Sijbrandij", role="DRI")),
        (
            'role remove lead "Contributor Success" <@U1>',
            RemoveRole(user_id="U1", role="Functional Lead", function="Contributor Success"),
        ),
        ('role remove "executive sponsor" <@U1>', RemoveRole(user_id="U1", role="Executive Sponsor")),
    ],
)
def test_role_forms(text, expected):
    assert parse(text) == expected


# ---- exit criteria ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('criterion add "Activate 100 Leading Organizations"', AddCriterion("Activate 100 Leading Organizations")),
        ('criteria add "Ship the plan"', AddCriterion("Ship the plan")),
        ('criterion add "Keep &lt;!channel&gt; quiet"', AddCriterion("Keep <!channel> quiet")),
        ("criterion done 2", TickCriterion(2, done=True)),
        ("Criterion DONE #2", TickCriterion(2, done=True)),
        ("criterion undo 2", TickCriterion(2, done=False)),
        ("criterion progress 2 50%", SetCriterionProgress(2, 50)),
        ("criterion progress 2 50", SetCriterionProgress(2, 50)),
        ("criterion progress 2 50 %", SetCriterionProgress(2, 50)),
        ("criterion progress 1 0%", SetCriterionProgress(1, 0)),
        ("criterion progress 1 100%", SetCriterionProgress(1, 100)),
    ],
)
def test_criterion_forms(text, expected):
    assert parse(text) == expected


# ---- action items ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('action "Draft the plan" <@U1>', AddAction("Draft the plan", owner_id="U1")),
        ('action "Draft the plan" "Jackie Porter"', AddAction("Draft the plan", owner_name="Jackie Porter")),
        ('action "Draft the plan" me', AddAction("Draft the plan", owner_is_me=True)),
        ('ACTION "Draft the plan" ME', AddAction("Draft the plan", owner_is_me=True)),
        ('action "Draft the plan" "me"', AddAction("Draft the plan", owner_name="me")),
        ('action "Q&amp;A prep" <@U1>', AddAction("Q&A prep", owner_id="U1")),
        ('action "Draft" <@U1> due 2026-03-01', AddAction("Draft", owner_id="U1", due_on=date(2026, 3, 1))),
        ('action "Draft" <@U1> due today', AddAction("Draft", owner_id="U1", due_on=TODAY)),
        ('action "Draft" <@U1> due tomorrow', AddAction("Draft", owner_id="U1", due_on=date(2026, 2, 11))),
        ('action "Draft" <@U1> due friday', AddAction("Draft", owner_id="U1", due_on=date(2026, 2, 13))),
        ('action "Draft" <@U1> due tuesday', AddAction("Draft", owner_id="U1", due_on=date(2026, 2, 17))),
        ('action "Draft" <@U1> DUE In 2 Weeks', AddAction("Draft", owner_id="U1", due_on=date(2026, 2, 24))),
        ('action "Draft" <@U1> due end of month', AddAction("Draft", owner_id="U1", due_on=date(2026, 2, 28))),
        ('action "Draft" <@U1> due end of quarter', AddAction("Draft", owner_id="U1", due_on=date(2026, 4, 30))),
        ('action "Draft" <@U1> due "2026-03-01"', AddAction("Draft", owner_id="U1", due_on=date(2026, 3, 1))),
    ],
)
def test_action_forms(text, expected):
    assert parse(text) == expected


def test_action_text_of_exactly_the_limit_is_kept():
    assert parse(f'action "{"a" * TEXT_LIMIT}" me').text == "a" * TEXT_LIMIT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("actions", ListActions(ActionFilter.OPEN)),
        ("actions open", ListActions(ActionFilter.OPEN)),
        ("actions mine", ListActions(ActionFilter.MINE)),
        ("actions OVERDUE", ListActions(ActionFilter.OVERDUE)),
        ("actions all", ListActions(ActionFilter.ALL)),
    ],
)
def test_action_lists(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("done 12", ChangeAction(12, ActionChange.DONE)),
        ("done #12", ChangeAction(12, ActionChange.DONE)),
        ("Reopen 12", ChangeAction(12, ActionChange.REOPEN)),
        ("reassign 12 <@U1>", ChangeAction(12, ActionChange.REASSIGN, owner_id="U1")),
        ('reassign #12 "Jackie Porter"', ChangeAction(12, ActionChange.REASSIGN, owner_name="Jackie Porter")),
        ("reassign 12 me", ChangeAction(12, ActionChange.REASSIGN, owner_is_me=True)),
        ("due 12 2026-03-01", ChangeAction(12, ActionChange.DUE, due_on=date(2026, 3, 1))),
        ("due #12 friday", ChangeAction(12, ActionChange.DUE, due_on=date(2026, 2, 13))),
        ("due 12 in 3 days", ChangeAction(12, ActionChange.DUE, due_on=date(2026, 2, 13))),
        ("due 12 end of quarter", ChangeAction(12, ActionChange.DUE, due_on=date(2026, 4, 30))),
    ],
)
def test_action_changes(text, expected):
    assert parse(text) == expected


# ---- sync, digest, end -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "when", "at", "zone"),
    [
        ("sync every monday at 09:30", "every monday", "09:30", ""),
        ("sync every other tuesday at 16:00 tz Europe/Amsterdam", "every other tuesday", "16:00", "Europe/Amsterdam"),
        ("sync biweekly on tuesday at 4pm", "biweekly on tuesday", "4pm", ""),
        ("sync every 2 weeks on thursday at 9 am tz europe/paris", "every 2 weeks on thursday", "9 am", "Europe/Paris"),
        ("sync every month on the first monday tz UTC at 17:00", "every month on the first monday", "17:00", "UTC"),
        ("sync every fiscal quarter at 10:00", "every fiscal quarter", "10:00", ""),
    ],
)
def test_sync_reads_rules_as_cadence_does(text, when, at, zone):
    assert parse(text) == SetSync(parse_rule_sentence(when, at, zone))


def test_sync_every_other_tuesday_is_a_biweekly_recurrence():
    assert parse("sync every other tuesday at 16:00 tz Europe/Amsterdam") == SetSync(
        Recurrence(Frequency.WEEKLY, at=time(16, 0), timezone="Europe/Amsterdam", interval=2, weekday=1)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("extend 2027-01-31", ExtendGroup(date(2027, 1, 31))),
        ("extend to 2027-01-31", ExtendGroup(date(2027, 1, 31))),
        ("extend until end of quarter", ExtendGroup(date(2026, 4, 30))),
        ("extend in 2 weeks", ExtendGroup(date(2026, 2, 24))),
    ],
)
def test_extend(text, expected):
    assert parse(text) == expected


# ---- errors ----------------------------------------------------------------------------------------------------

LONG = "x" * 5000


@pytest.mark.parametrize(
    ("text", "echo", "problem"),
    [
        # subcommands
        ("frobnicate", "`/wg frobnicate`", "I don't know"),
        ('"charter"', '`/wg "charter"`', "I don't know"),
        ("charter now", "`now`", "didn't expect"),
        ("close please", "`please`", "didn't expect"),
        # create
        ("create Leading Orgs", "`/wg create Leading Orgs`", "couldn't find the group name"),
        ('create goal "x"', '`/wg create goal "x"`', "couldn't find the group name"),
        ('create ""', '`""`', "is empty"),
        ('create "Unclosed', '`"Unclosed`', "closing quote"),
        ('create "A" "B"', '`"B"`', "didn't understand"),
        ('create "A" goal Grow things', '`/wg create "A" goal Grow things`', "couldn't find the goal"),
        ('create "A" goal "x" goal "y"', "`goal`", "twice"),
        ('create "A" ends', '`/wg create "A" ends`', "couldn't find the end date"),
        ('create "A" ends someday', "`someday`", "couldn't read the date"),
        ('create "A" ends 2026-02-30', "`2026-02-30`", "isn't a day on the calendar"),
        ('create "A" created 2026-13-01', "`2026-13-01`", "isn't a day on the calendar"),
        ('create "A" created 2026-03-01 ends 2026-02-01', "2026-02-01", "comes before the created date"),
        ('create "A" agenda docs.google.com/d/1', "`docs.google.com/d/1`", "couldn't read the agenda link"),
        ('create "A" agenda javascript:alert(1)', "`javascript:alert(1)`", "couldn't read the agenda link"),
        ('create "A" board ftp://example.com/x', "`ftp://example.com/x`", "couldn't read the board link"),
        ('create "A" board <mailto:a@b.c|a@b.c>', "`a@b.c`", "couldn't read the board link"),
        ('create "A" board https://', "`https://`", "couldn't read the board link"),
        ('create "A" board http://[oops', "`http://[oops`", "couldn't read the board link"),
        ('create "A" board https://a.com extra', "`https://a.com extra`", "couldn't read the board link"),
        ('create "A" agenda', '`/wg create "A" agenda`', "couldn't find the link after `agenda`"),
        # roles
        ("role", "`/wg role`", "couldn't tell what to do with roles"),
        ("role promote <@U1>", "`/wg role promote`", "I don't know"),
        ("role add", "`/wg role add`", "couldn't find the role"),
        ("role add wizard <@U1>", "`wizard`", "I don't know the role"),
        ('role add "dri: Sales" <@U1>', "`dri: Sales`", "I don't know the role"),
        ("role add dri", "`/wg role add dri`", "couldn't find who becomes DRI"),
        ("role add dri nick", "`nick`", "couldn't find the person"),
        ("role add dri @nick", "`@nick`", "couldn't find the person"),
        ('role add dri ""', '`""`', "is empty"),
        ("role add lead <@U1>", "`/wg role add lead @U1`", "couldn't find the function"),
        ('role add lead "Contributor Success"', '`/wg role add lead "Contributor Success"`', "who becomes Functional"),
        ("role add dri <@U1> <@U2>", "`@U2`", "didn't understand"),
        ("role add dri <@U1> as", "`/wg role add dri @U1 as`", "couldn't find the title"),
        ("role remove", "`/wg role remove`", "couldn't find whose role"),
        ("role remove dri", "`/wg role remove dri`", "couldn't find who stops being DRI"),
        ("role remove facilitatr <@U1>", "`facilitatr`", "I don't know the role"),
        ("role remove dri <@U1> extra", "`extra`", "didn't understand"),
        ("role remove @alice", "`@alice`", "couldn't find the person"),
        ("role remove <@U1> wizard", "`wizard`", "I don't know the role"),
        ("role remove <@U1> dri extra", "`extra`", "didn't understand"),
        # criteria
        ("criterion", "`/wg criterion`", "couldn't tell what to do with the exit criteria"),
        ("criterion tick 2", "`/wg criterion tick`", "I don't know"),
        ("criterion add Ship it", "`/wg criterion add Ship it`", "couldn't find the criterion"),
        ('criterion add "A" "B"', '`"B"`', "didn't understand"),
        ("criterion done", "`/wg criterion done`", "couldn't find the criterion number"),
        ("criterion done two", "`two`", "couldn't read the criterion number"),
        ("criterion done 0", "`0`", "couldn't read the criterion number"),
        ("criterion done -1", "`-1`", "couldn't read the criterion number"),
        ("criterion done 2 3", "`3`", "didn't expect"),
        ("criterion progress 2", "`/wg criterion progress 2`", "couldn't find the progress"),
        ("criterion progress 2 150%", "`150%`", "up to 100%"),
        ("criterion progress 2 101", "`101`", "up to 100%"),
        ("criterion progress 2 half", "`half`", "couldn't read the progress"),
        ("criterion progress 2 -5%", "`-5%`", "couldn't read the progress"),
        ("criterion progress 2 12.5%", "`12.5%`", "couldn't read the progress"),
        ("criterion progress x 50%", "`x`", "couldn't read the criterion number"),
        # action items
        ("action", "`/wg action`", "couldn't find the action item text"),
        (
            "action Draft the plan <@U1>",
            "`/wg action Draft the plan @U1`",
            "couldn't find the action item text",
        ),
        ('action "" <@U1>', '`""`', "is empty"),
        ('action "Draft the plan"', '`/wg action "Draft the plan"`', "couldn't find who owns"),
        ('action "Draft the plan" due friday', '`/wg action "Draft the plan" due friday`', "couldn't find who owns"),
        ('action "Draft the plan" nick', "`nick`", "couldn't find the person"),
        ('action "Draft the plan" <@U1> due', '`/wg action "Draft the plan" @U1 due`', "find the due date"),
        ('action "Draft" <@U1> due 2026-02-30', "`2026-02-30`", "isn't a day on the calendar"),
        ('action "Draft" <@U1> due someday', "`someday`", "couldn't read the date"),
        ('action "Draft" <@U1> due next blue moon', "`next blue moon`", "couldn't read the date"),
        ('action "Draft" <@U1> by friday', "`by friday`", "didn't understand"),
        ('action "Draft" <!channel>', "`@channel`", "couldn't find the person"),
        ('action "Draft" &lt;!channel&gt;', "`&lt;!channel&gt;`", "couldn't find the person"),
        ("actions late", "`/wg actions late`", "I don't know the list"),
        ("actions mine all", "`/wg actions mine all`", "I don't know the list"),
        ("done", "`/wg done`", "couldn't find the item number"),
        ("done twelve", "`twelve`", "couldn't read the item number"),
        ('done "12"', '`"12"`', "couldn't read the item number"),
        ("done 99999999999", "`99999999999`", "couldn't read the item number"),
        ("done 12 13", "`13`", "didn't expect"),
        ("reopen #x", "`#x`", "couldn't read the item number"),
        ("reassign 12", "`/wg reassign 12`", "couldn't find the new owner"),
        ("reassign 12 nick", "`nick`", "couldn't find the person"),
        ("reassign 12 <@U1> <@U2>", "`@U2`", "didn't understand"),
        ("reassign <@U1> 12", "`@U1`", "couldn't read the item number"),
        ("due 12", "`/wg due 12`", "couldn't find the new due date"),
        ("due 12 someday", "`someday`", "couldn't read the date"),
        ("due 12 2026-02-30", "`2026-02-30`", "isn't a day on the calendar"),
        ("due friday 12", "`friday`", "couldn't read the item number"),
        # sync, digest, end
        ("sync every monday", "`/wg sync every monday`", "couldn't find the time"),
        ("sync at 10:00", "`/wg sync at 10:00`", "couldn't find how often"),
        ("sync every monday at", "`/wg sync every monday at`", "couldn't find the time"),
        ("sync every monday at 25:00", "`25:00`", "couldn't read the time"),
        ("sync every monday at 10:00 tz Mars/Olympus", "`Mars/Olympus`", "don't know the time zone"),
        ("sync every monday at 10:00 tz", "`/wg sync every monday at 10:00 tz`", "couldn't find the time zone"),
        ("sync every monday at 10:00 at 11:00", "`at`", "twice"),
        ("sync every blue moon at 10:00", "`every blue moon`", "couldn't read the rule"),
        ("sync every 60 weeks on monday at 10:00", "`every 60 weeks on monday`", "1 to 52 weeks"),
        ("sync on", "`/wg sync on`", "couldn't find the time"),
        ("sync on at 10:00", "`on`", "couldn't read the rule"),
        ("digest", "`/wg digest`", "couldn't read"),
        ("digest maybe", "`/wg digest maybe`", "couldn't read"),
        ("digest on off", "`/wg digest on off`", "couldn't read"),
        ("extend", "`/wg extend`", "couldn't find the new end date"),
        ("extend someday", "`someday`", "couldn't read the date"),
        ("extend 2026-02-30", "`2026-02-30`", "isn't a day on the calendar"),
    ],
)
def test_each_error_quotes_the_input_and_shows_how_to_write_it(text, echo, problem):
    error = error_of(text)
    assert echo in error.problem and problem in error.problem
    assert "`/wg" in (error.usage or "")


@pytest.mark.parametrize(
    ("text", "what", "length", "limit"),
    [
        (f'create "{LONG}"', "group name", 5000, NAME_LIMIT),
        (f'create "WG" goal "{LONG}"', "goal", 5000, GOAL_LIMIT),
        (f'criterion add "{LONG}"', "criterion", 5000, TEXT_LIMIT),
        (f'action "{LONG}" me', "action item text", 5000, TEXT_LIMIT),
        (f'action "Draft" "{LONG}"', "name", 5000, 200),
        (f'role add member "{LONG}"', "name", 5000, 200),
        (f'role add dri <@U1> as "{LONG}"', "title", 5000, 200),
        (f'role add lead "{LONG}" <@U1>', "function", 5000, 200),
        (f'create "WG" agenda https://a.com/{LONG}', "agenda link", 5014, 2000),
    ],
)
def test_a_5000_character_text_is_refused_with_the_limit_and_its_length(text, what, length, limit):
    error = error_of(text)
    assert f"The {what} `" in error.problem
    assert f"is {length:,} characters long" in error.problem
    assert f"the limit is {limit:,}" in error.problem
    assert len(error.message) < 600  # the echo is clipped, not the whole text


@pytest.mark.parametrize(
    "text",
    [
        'action "Draft" <!channel>',
        'action "Draft" &lt;!channel&gt;',
        'create "A" agenda <!channel>',
        "charter <!channel>",
        'criterion add "A" <!channel>',
        "role add <!channel> <@U1>",
        "<!channel>",
        "done <!here>",
    ],
)
def test_slack_control_sequences_are_echoed_escaped(text):
    message = error_of(text).message
    # Slack's <!channel> is echoed as typed (`@channel`, in code: not live); a typed `<!channel>` stays escaped
    assert "<!" not in message and ("&lt;!" in message or "@channel" in message or "@here" in message)


def test_unknown_subcommand_lists_the_subcommands():
    usage = error_of("frobnicate").usage
    for subcommand in ("create", "charter", "export", "import", "role add", "roles", "criterion add", "criteria"):
        assert f"`/wg {subcommand}" in usage
    for subcommand in ("action", "actions", "done", "reopen", "reassign", "due", "sync", "digest", "extend", "close"):
        assert f"`/wg {subcommand}" in usage


def test_an_unknown_role_lists_the_roles():
    usage = error_of("role add wizard <@U1>").usage
    for role in ("dri", "facilitator", "executive sponsor", "executive stakeholder", "functional lead", "member"):
        assert f"`{role}" in usage


def test_a_bad_date_says_which_dates_work():
    error = error_of('action "Draft" <@U1> due someday')
    assert error.problem == "I couldn't read the date `someday`."
    assert "`tomorrow`" in error.usage and "`end of quarter`" in error.usage
    assert error.usage.endswith('e.g. `/wg action "Draft the FY25 plan" @nick due friday`.')


def test_an_impossible_date_reads_as_asked():
    assert error_of("due 12 2026-02-30").message == (
        "The new due date `2026-02-30` isn't a day on the calendar. Write a date as `2026-12-01`, `today`, "
        "`tomorrow`, a weekday such as `friday`, `in 3 days`, `in 2 weeks`, `end of month` or `end of quarter`, "
        "e.g. `/wg due 12 friday`."
    )


def test_sync_errors_show_wg_examples_not_cadence_ones():
    usage = error_of("sync every blue moon at 10:00").usage
    assert "/wg sync every other tuesday at 16:00" in usage and "/cadence add" not in usage
