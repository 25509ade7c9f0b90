from datetime import date

import pytest

from bot.cocreate.commands import (
    CRITERION_KEYS,
    LABEL_LIMIT,
    ORG_LIMIT,
    REASON_LIMIT,
    STEP_KEYS,
    AddResource,
    ChangeStep,
    ClearTierOverride,
    ContributionKind,
    OpenProspectModal,
    OpenScoreModal,
    Outcome,
    OverrideTier,
    RecordContribution,
    RemoveResource,
    SetMeeting,
    SetOutcome,
    SetScores,
    SetTargets,
    Setup,
    SetWeights,
    ShowHelp,
    ShowPipeline,
    ShowResources,
    ShowSteps,
    ShowTargets,
    ShowTop,
    ShowWeights,
    StartOutreach,
    StepAction,
    parse_cocreate_command,
)
from bot.errors import UserError

TODAY = date(2026, 2, 10)  # a Tuesday in FY27-Q1 (2026-02-01..2026-04-30) when years start in February
PAT = "<@U0PAT|pat>"  # how Slack sends a picked @mention
CASEY, ALEX, SAM = "<@U0CASEY>", "<@U0ALEX>", "<@U0SAM>"
HOME = "<#C0COCREATE|co-create>"  # how Slack sends a picked #channel
MR = "https://gitlab.com/gitlab-org/gitlab/-/merge_requests/1"


def parse(text: str, **kwargs):
    """Parse as if today were TODAY."""
    return parse_cocreate_command(text, today=TODAY, **kwargs)


def error_of(text: str, **kwargs) -> UserError:
    """The UserError that parsing `text` raises."""
    with pytest.raises(UserError) as caught:
        parse(text, **kwargs)
    return caught.value


def step(org: str, key: str, action: StepAction, **fields) -> ChangeStep:
    """A ChangeStep, shorter to write in the table."""
    return ChangeStep(org, key, action, **fields)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # help and setup
        ("", ShowHelp()),
        ("   ", ShowHelp()),
        ("help", ShowHelp()),
        ("HELP step", ShowHelp()),
        ("setup", Setup()),
        (f"setup {HOME}", Setup("C0COCREATE")),
        ("setup <#C0COCREATE>", Setup("C0COCREATE")),
        (f"setup manager {PAT}", Setup(None, "U0PAT")),
        (f"setup {HOME} MANAGER {PAT}", Setup("C0COCREATE", "U0PAT")),
        # prospects, scores and tiers
        ("add", OpenProspectModal()),
        ('add "Acme Corp"', OpenProspectModal("Acme Corp")),
        ("add “Acme Corp”", OpenProspectModal("Acme Corp")),
        ('add "  R&amp;D &lt;Labs&gt; "', OpenProspectModal("R&D <Labs>")),
        ('score "Acme Corp"', OpenScoreModal("Acme Corp")),
        ('score "Acme Corp" public-issues 4', SetScores("Acme Corp", (("public-issues", 4),))),
        (
            'score "Acme Corp" public-issues 4 feature-usage 3 tier-seats 5 industry 0 oss 2 growth 1 relationship 5',
            SetScores(
                "Acme Corp",
                (
                    ("public-issues", 4),
                    ("feature-usage", 3),
                    ("tier-seats", 5),
                    ("industry", 0),
                    ("oss", 2),
                    ("growth", 1),
                    ("relationship", 5),
                ),
            ),
        ),
        ('score "Acme" OSS 5 Public_Issues 1', SetScores("Acme", (("oss", 5), ("public-issues", 1)))),
        ('score "Acme" issues 3 seats 2', SetScores("Acme", (("public-issues", 3), ("tier-seats", 2)))),
        ('tier "Acme Corp" 1 reason "Signed the CLA"', OverrideTier("Acme Corp", 1, "Signed the CLA")),
        ('tier "Acme" 3 reason no budget this year', OverrideTier("Acme", 3, "no budget this year")),
        ('tier "Acme" auto', ClearTierOverride("Acme")),
        ('tier "Acme" AUTO', ClearTierOverride("Acme")),
        ("top", ShowTop(25)),
        ("top 10", ShowTop(10)),
        ("top 1", ShowTop(1)),
        ("top 500", ShowTop(500)),
        # outreach
        ('start "Acme"', StartOutreach("Acme")),
        (f'start "Acme" in {HOME}', StartOutreach("Acme", "C0COCREATE")),
        ('start "Acme" new-channel', StartOutreach("Acme", None, create_channel=True)),
        ('start "Acme" NEW-CHANNEL', StartOutreach("Acme", None, create_channel=True)),
        ('step "Acme" contact done', step("Acme", "contact", StepAction.DONE)),
        ('step "Acme" 1 done', step("Acme", "contact", StepAction.DONE)),
        ('step "Acme" #2 reopen', step("Acme", "follow-up", StepAction.REOPEN)),
        ('step "Acme" initial DONE', step("Acme", "contact", StepAction.DONE)),
        ('step "Acme" alignment done', step("Acme", "meeting", StepAction.DONE)),
        ('step "Acme" 4 done', step("Acme", "outcomes", StepAction.DONE)),
        ('step "Acme" project done', step("Acme", "started", StepAction.DONE)),
        ('step "Acme" 6 done', step("Acme", "contributions", StepAction.DONE)),
        (
            'step "Acme" follow-up skip "They answered the same day"',
            step("Acme", "follow-up", StepAction.SKIP, reason="They answered the same day"),
        ),
        (
            'step "Acme" 2 skip answered &lt;same day&gt;',
            step("Acme", "follow-up", StepAction.SKIP, reason="answered <same day>"),
        ),
        ('step "Acme" 3 due 2026-03-04', step("Acme", "meeting", StepAction.DUE, due_on=date(2026, 3, 4))),
        ('step "Acme" meeting due friday', step("Acme", "meeting", StepAction.DUE, due_on=date(2026, 2, 13))),
        ('step "Acme" meeting due in 2 weeks', step("Acme", "meeting", StepAction.DUE, due_on=date(2026, 2, 24))),
        ('step "Acme" meeting due today', step("Acme", "meeting", StepAction.DUE, due_on=TODAY)),
        (f'step "Acme" 3 reassign {CASEY}', step("Acme", "meeting", StepAction.REASSIGN, owner_id="U0CASEY")),
        ('meeting "Acme" 2026-03-04', SetMeeting("Acme", date(2026, 3, 4))),
        (
            f'meeting "Acme" in 2 weeks with {CASEY} {ALEX} {SAM} {CASEY}',
            SetMeeting("Acme", date(2026, 2, 24), ("U0CASEY", "U0ALEX", "U0SAM")),
        ),
        ('meeting "Acme" 2026-02-02', SetMeeting("Acme", date(2026, 2, 2))),  # a meeting that happened
        ("steps", ShowSteps()),
        ('steps "Acme"', ShowSteps("Acme")),
        ('outcome "Acme" started', SetOutcome("Acme", Outcome.STARTED)),
        (
            'outcome "Acme" declined "No engineering time"',
            SetOutcome("Acme", Outcome.DECLINED, "No engineering time"),
        ),
        ('outcome "Acme" DECLINED no time', SetOutcome("Acme", Outcome.DECLINED, "no time")),
        (
            'outcome "Acme" deferred 2026-09-01',
            SetOutcome("Acme", Outcome.DEFERRED, None, date(2026, 9, 1)),
        ),
        (
            'outcome "Acme" deferred end of quarter "Budget freeze"',
            SetOutcome("Acme", Outcome.DEFERRED, "Budget freeze", date(2026, 4, 30)),
        ),
        ('outcome "Acme" deferred tomorrow', SetOutcome("Acme", Outcome.DEFERRED, None, date(2026, 2, 11))),
        # pipeline and contributions
        ("pipeline", ShowPipeline()),
        ("pipeline FY26-Q1", ShowPipeline("FY26-Q1")),
        ("pipeline fy2026-q1", ShowPipeline("FY26-Q1")),
        ("pipeline Q3 FY27", ShowPipeline("FY27-Q3")),
        (f'contribution "Acme" mr {MR}', RecordContribution("Acme", ContributionKind.MR, MR)),
        (f'contribution "Acme" MR <{MR}>', RecordContribution("Acme", ContributionKind.MR, MR)),
        (f'contribution "Acme" issue <{MR}|the MR, merged>', RecordContribution("Acme", ContributionKind.ISSUE, MR)),
        (f'contribution "Acme" comment &lt;{MR}&gt;', RecordContribution("Acme", ContributionKind.COMMENT, MR)),
        (
            'contribution "Acme" merge-request http://gitlab.example/a?b=1&amp;c=2',
            RecordContribution("Acme", ContributionKind.MR, "http://gitlab.example/a?b=1&c=2"),
        ),
        (f'contributions "Acme" note {MR}', RecordContribution("Acme", ContributionKind.COMMENT, MR)),
        # resources
        ("resources", ShowResources()),
        (
            'resources add "ROI calculator" https://example.com/roi',
            AddResource("ROI calculator", "https://example.com/roi"),
        ),
        (
            'resources add "Legal &amp; CLA" <https://example.com/cla|Corporate Contributor Agreement>',
            AddResource("Legal & CLA", "https://example.com/cla"),
        ),
        ("resources remove 2", RemoveResource(2)),
        ("resource REMOVE #3", RemoveResource(3)),
        # targets and weights
        ("targets", ShowTargets()),
        (
            "targets projects 7 multiple 3 conversion 33% weeks 8-10",
            SetTargets(projects=7, multiple=3.0, conversion=33, weeks_min=8, weeks_max=10),
        ),
        ("targets projects 9", SetTargets(projects=9)),
        ("targets multiple 2.5x", SetTargets(multiple=2.5)),
        ("targets conversion 40 %", SetTargets(conversion=40)),
        ("targets conversion 100%", SetTargets(conversion=100)),
        ("targets weeks 8 - 10", SetTargets(weeks_min=8, weeks_max=10)),
        ("targets weeks 8 to 12", SetTargets(weeks_min=8, weeks_max=12)),
        ("targets weeks 9", SetTargets(weeks_min=9, weeks_max=9)),
        ("targets weeks 6–8 conversion 25", SetTargets(conversion=25, weeks_min=6, weeks_max=8)),
        ("weights", ShowWeights()),
        ("weights public-issues 2", SetWeights((("public-issues", 2.0),))),
        (
            "weights oss 0 relationship 1.5 growth .5",
            SetWeights((("oss", 0.0), ("relationship", 1.5), ("growth", 0.5))),
        ),
    ],
)
def test_every_form(text, expected):
    assert parse(text) == expected


def test_every_criterion_and_step_has_its_key():
    assert parse('score "A" ' + " ".join(f"{key} 1" for key in CRITERION_KEYS)).scores == tuple(
        (key, 1) for key in CRITERION_KEYS
    )
    for number, key in enumerate(STEP_KEYS, start=1):
        assert parse(f'step "A" {number} done').step_key == key == parse(f'step "A" {key} done').step_key


def test_dates_are_read_against_a_february_fiscal_year_unless_told_otherwise():
    assert parse('outcome "Acme" deferred end of quarter').revisit_on == date(2026, 4, 30)
    assert parse('outcome "Acme" deferred end of quarter', fiscal_start_month=1).revisit_on == date(2026, 3, 31)


def test_choices_are_str_enums_that_equal_their_words():
    request = parse('step "Acme" 2 skip "x"')
    assert request.action == "skip" and request.step_key == "follow-up"
    assert parse(f'contribution "A" mr {MR}').kind == "mr" and parse('outcome "A" started').outcome == "started"


@pytest.mark.parametrize(
    ("text", "problem", "usage"),
    [
        # subcommands and quotes
        ("bogus", "I don't know `/cocreate bogus`.", "`/cocreate pipeline`"),
        ('"Acme"', 'I don\'t know `/cocreate "Acme"`.', "`/cocreate help`"),
        ('add "Acme', "I couldn't find the closing quote in `\"Acme`.", '/cocreate step "Acme Corp"'),
        # setup
        ("setup #co-create", "I couldn't find the channel `#co-create`.", "`/cocreate setup #co-create manager @pat`"),
        (f"setup {HOME} <#C0OTHER>", "I didn't understand `#C0OTHER`", "/cocreate setup"),
        ("setup manager", "I couldn't find the program manager", "Mention the person"),
        ("setup manager pat", "I couldn't find the person `pat`.", "/cocreate setup"),
        (f"setup manager {PAT} {CASEY}", "I didn't understand `@U0CASEY`", "Mention the person"),
        (f"setup manager {PAT} manager {CASEY}", "You wrote `manager` twice", "/cocreate setup"),
        # add and score
        ("add Acme Corp", "I couldn't find the organization name in `/cocreate add Acme Corp`.", "double quotes"),
        ('add ""', 'The organization name `""` is empty.', '/cocreate add "Acme Corp"'),
        ('add "Acme" tier 1', "I didn't understand `tier 1`", "the form that opens has every field"),
        ("score", "I couldn't find the organization name in `/cocreate score`.", "/cocreate score"),
        ("score Acme oss 3", "I couldn't find the organization name", "/cocreate score"),
        ('score "Acme" oss 6', "I couldn't read the score `6` for `oss`: scores are whole numbers from 0 to 5.", "oss"),
        ('score "Acme" oss high', "I couldn't read the score `high` for `oss`", "/cocreate score"),
        ('score "Acme" oss 2.5', "I couldn't read the score `2.5`", "from 0 to 5"),
        ('score "Acme" oss -1', "I couldn't read the score `-1`", "from 0 to 5"),
        ('score "Acme" oss "3"', 'I couldn\'t read the score `"3"`', "from 0 to 5"),
        ('score "Acme" oss', "I couldn't find the number after `oss`.", "/cocreate score"),
        ('score "Acme" karma 3', "I don't know the criterion `karma`.", "`relationship`"),
        ('score "Acme" oss 3 open-source 4', "You gave `oss` twice", "/cocreate score"),
        ('score "Acme" 3 oss', "I don't know the criterion `3`.", "/cocreate score"),
        # tiers and top
        ('tier "Acme"', "I couldn't find the tier in", '/cocreate tier "Acme Corp" 1 reason'),
        ('tier "Acme" 1', "Setting a tier by hand needs a reason", "/cocreate tier"),
        ('tier "Acme" 1 reason', "I couldn't find the reason after `reason`", "/cocreate tier"),
        ('tier "Acme" 1 reason ""', "I couldn't find the reason after `reason`", "/cocreate tier"),
        ('tier "Acme" 4 reason "x"', "I couldn't read the tier `4`: it goes from 1 to 3.", "/cocreate tier"),
        ('tier "Acme" gold reason "x"', "I couldn't read the tier `gold`", "auto` to go back"),
        ('tier "Acme" reason "Growth &amp; reach" 2', "I couldn't find the tier in", "/cocreate tier"),
        ('tier "Acme" auto reason "x"', "needs no reason", "/cocreate tier"),
        ('tier "Acme" auto now', "I didn't understand `now`", "/cocreate tier"),
        ("tier Acme 1", "I couldn't find the organization name", "/cocreate tier"),
        ("top 0", "I couldn't read the number of prospects `0`: it goes from 1 to 500.", "/cocreate top 10"),
        ("top 501", "I couldn't read the number of prospects `501`", "/cocreate top"),
        ("top ten", "I couldn't read the number of prospects `ten`", "/cocreate top"),
        ("top -5", "I couldn't read the number of prospects `-5`", "/cocreate top"),
        ("top 5 6", "I didn't understand `6`", "/cocreate top"),
        # start
        ("start", "I couldn't find the organization name in `/cocreate start`.", "/cocreate start"),
        ("start Acme", "I couldn't find the organization name", "/cocreate start"),
        ('start "Acme" in', "I couldn't find the channel in", "/cocreate start"),
        ('start "Acme" in #acme', "I couldn't find the channel `#acme`.", "/cocreate start"),
        (f'start "Acme" in {HOME} new-channel', "names a channel and asks for a new one", "/cocreate start"),
        ('start "Acme" new-channel please', "I didn't understand `please`", "/cocreate start"),
        ('start "Acme" "Globex"', 'I didn\'t understand `"Globex"`', "/cocreate start"),
        # steps
        ('step "Acme"', "I couldn't find the step in", "`contact` (1)"),
        ('step "Acme" 7 done', "I don't know the step `7`.", "`contributions` (6)"),
        ('step "Acme" 0 done', "I don't know the step `0`.", "/cocreate step"),
        ('step "Acme" lunch done', "I don't know the step `lunch`.", "`follow-up` (2)"),
        ('step "Acme" "contact" done', 'I don\'t know the step `"contact"`.', "/cocreate step"),
        ('step "Acme" contact', "doesn't say what to do with the step", "`reopen`"),
        ('step "Acme" contact finish', "I don't know what to do with `finish`", "`done`"),
        ('step "Acme" contact done now', "I didn't understand `now`", '/cocreate step "Acme Corp" contact done'),
        ('step "Acme" 2 skip', "A skipped step needs a reason", '/cocreate step "Acme Corp" follow-up skip'),
        ('step "Acme" 2 skip ""', "A skipped step needs a reason", "/cocreate step"),
        ('step "Acme" 3 due', "I couldn't find the due date", '/cocreate step "Acme Corp" meeting due friday'),
        ('step "Acme" 3 due someday', "I couldn't read the date `someday`.", "/cocreate step"),
        ('step "Acme" 3 due 2026-02-30', "The due date `2026-02-30` isn't a day on the calendar.", "/cocreate step"),
        ('step "Acme" 3 due 2026-02-09', "The due date 2026-02-09 in", "/cocreate step"),
        ('step "Acme" 3 reassign', "I couldn't find the new owner", "/cocreate step"),
        ('step "Acme" 3 reassign casey', "I couldn't find the person `casey`.", "reassign @casey"),
        (f'step "Acme" 3 reassign {CASEY} {ALEX}', "I didn't understand `@U0ALEX`", "/cocreate step"),
        ("step Acme 3 done", "I couldn't find the organization name", "/cocreate step"),
        # meetings and checklists
        ('meeting "Acme"', "I couldn't find the meeting date", "/cocreate meeting"),
        (f'meeting "Acme" with {CASEY}', "I couldn't find the meeting date", "/cocreate meeting"),
        (f'meeting "Acme" next week with {CASEY}', "I couldn't read the date `next week`.", "/cocreate meeting"),
        ('meeting "Acme" 2026-13-01', "The meeting date `2026-13-01` isn't a day on the calendar.", "/cocreate"),
        ('meeting "Acme" friday with', "I couldn't find who attends after `with`", "/cocreate meeting"),
        (f'meeting "Acme" friday with {CASEY} alex', "I couldn't find the person `alex`.", "/cocreate meeting"),
        ("steps Acme", "I couldn't find the organization name in `/cocreate steps Acme`.", "/cocreate steps"),
        ('steps "Acme" "Globex"', 'I didn\'t understand `"Globex"`', "Name one organization"),
        # outcomes
        ('outcome "Acme"', "I couldn't find the outcome", "/cocreate outcome"),
        ('outcome "Acme" won', "I don't know the outcome `won`.", '`declined "reason"`'),
        ('outcome "Acme" started today', "I didn't understand `today`", "/cocreate outcome"),
        ('outcome "Acme" declined', "A declined outcome needs a reason", "/cocreate outcome"),
        ('outcome "Acme" deferred', "I couldn't find the date to revisit", '/cocreate outcome "Acme Corp" deferred'),
        ('outcome "Acme" deferred "budget"', "I couldn't find the date to revisit", "/cocreate outcome"),
        ('outcome "Acme" deferred later', "I couldn't read the date `later`.", "/cocreate outcome"),
        ('outcome "Acme" deferred today', "The date to revisit 2026-02-10 in", "/cocreate outcome"),
        ('outcome "Acme" deferred 2025-12-01', "has to be after today", "/cocreate outcome"),
        ('outcome "Acme" deferred friday "a" "b"', 'I didn\'t understand `"b"`', "/cocreate outcome"),
        ('outcome "Acme" deferred friday ""', "The reason is empty", "/cocreate outcome"),
        # pipeline
        ("pipeline FY26-Q5", "There is no quarter 5 in `FY26-Q5`", "/cocreate pipeline FY26-Q1"),
        ("pipeline next", "I couldn't read the fiscal quarter `next`.", "/cocreate pipeline FY26-Q1"),
        ("pipeline 2026", "I couldn't read the fiscal quarter `2026`.", "`FY20-Q2`"),
        # contributions
        ('contribution "Acme"', "I couldn't find the kind of contribution", "/cocreate contribution"),
        (f'contribution "Acme" review {MR}', "I don't know the kind of contribution `review`.", "`comment`"),
        ('contribution "Acme" mr', "I couldn't find the link", "/cocreate contribution"),
        ('contribution "Acme" mr gitlab.com/x/-/merge_requests/1', "I couldn't read the link", "`https://`"),
        ('contribution "Acme" mr ftp://example.com/x', "I couldn't read the link `ftp://example.com/x`", "https://"),
        ('contribution "Acme" mr https://', "I couldn't read the link", "/cocreate contribution"),
        ('contribution "Acme" mr http://[x', "I couldn't read the link", "/cocreate contribution"),
        (f'contribution "Acme" mr {MR} {MR}', "I couldn't read the link", "/cocreate contribution"),
        (f"contribution Acme mr {MR}", "I couldn't find the organization name", "/cocreate contribution"),
        # resources
        ("resources list", "I don't know `/cocreate resources list`.", "/cocreate resources remove 2"),
        ("resources add", "I couldn't find the label", "/cocreate resources add"),
        ("resources add ROI https://example.com", "I couldn't find the label", "/cocreate resources add"),
        ('resources add "ROI"', "I couldn't find the link", "/cocreate resources"),
        ('resources add "ROI" example.com', "I couldn't read the link `example.com`", "/cocreate resources"),
        ("resources remove", "I couldn't find the resource number", "/cocreate resources"),
        ("resources remove 0", "I couldn't read the resource number `0`", "/cocreate resources"),
        ("resources remove two", "I couldn't read the resource number `two`", "/cocreate resources"),
        ("resources remove 2 3", "I didn't understand `3`", "/cocreate resources"),
        # targets
        ("targets 7", "I didn't understand `7`", "/cocreate targets projects 7"),
        ("targets projects", "I couldn't find the number after `projects`", "/cocreate targets"),
        ("targets projects 0", "I couldn't read the projects target `0`: it goes from 1 to 100.", "/cocreate"),
        ("targets projects seven", "I couldn't read the projects target `seven`", "/cocreate targets"),
        ('targets projects "7"', 'I couldn\'t read `"7"` after `projects`.', "/cocreate targets"),
        ("targets multiple 0.5", "I couldn't read the pipeline multiple `0.5`: it goes from 1 to 20.", "/cocreate"),
        ("targets multiple lots", "I couldn't read the pipeline multiple `lots`", "/cocreate targets"),
        ("targets conversion 150%", "The conversion target `150%` is out of range", "/cocreate targets"),
        ("targets conversion 0%", "The conversion target `0%` is out of range", "/cocreate targets"),
        ("targets conversion 33.3%", "I couldn't read the conversion target `33.3%`.", "/cocreate targets"),
        ("targets weeks 10-8", "The weeks `10-8` run backwards", "/cocreate targets"),
        ("targets weeks 8-60", "The weeks `8-60` go from 1 to 52.", "/cocreate targets"),
        ("targets weeks 0", "The weeks `0` go from 1 to 52.", "/cocreate targets"),
        ("targets weeks soon", "I couldn't read the weeks `soon`.", "/cocreate targets"),
        ("targets projects 7 projects 8", "You wrote `projects` twice", "/cocreate targets"),
        # weights
        ("weights oss", "I couldn't find the number after `oss`.", "/cocreate weights"),
        ("weights oss heavy", "I couldn't read the weight `heavy` for `oss`", "/cocreate weights public-issues 2"),
        ("weights oss -1", "I couldn't read the weight `-1`", "from 0 to 100"),
        ("weights oss 101", "I couldn't read the weight `101`", "from 0 to 100"),
        ("weights karma 2", "I don't know the criterion `karma`.", "`public-issues`"),
        ("weights oss 1 oss 2", "You gave `oss` twice", "/cocreate weights"),
    ],
)
def test_every_malformed_form_says_what_and_how(text, problem, usage):
    error = error_of(text)
    assert problem in error.problem
    assert usage in error.usage
    assert "`/cocreate " in error.usage  # every error shows how to write it


def test_a_channel_mention_is_echoed_escaped():
    error = error_of("<!channel> please")
    assert "`/cocreate @channel`" in error.problem and "<!channel>" not in error.message  # as typed
    error = error_of("step &lt;!here&gt; done")  # what Slack sends when a user types <!here>
    assert "&lt;!here&gt;" in error.problem and "<!here>" not in error.message
    error = error_of('step "Acme" <!channel> done')
    assert "`@channel`" in error.problem and "<!channel>" not in error.message


def test_user_text_is_stored_unescaped():
    request = parse('step "&lt;!channel&gt; &amp; Co" 2 skip "a &lt; b"')
    assert (request.org, request.reason) == ("<!channel> & Co", "a < b")


@pytest.mark.parametrize(
    "template",
    [
        'tier "Acme" 1 reason "{}"',
        'step "Acme" 2 skip "{}"',
        'outcome "Acme" declined "{}"',
        'outcome "Acme" deferred friday "{}"',
    ],
)
def test_long_reasons_are_refused_with_the_limit(template):
    error = error_of(template.format("x" * 5000))
    assert "is 5,000 characters long" in error.problem and f"the limit is {REASON_LIMIT:,}" in error.problem
    assert len(error.message) < 1000  # the reason itself is clipped when echoed
    assert parse(template.format("x" * REASON_LIMIT))  # the limit itself is fine


def test_long_names_labels_and_links_are_refused_with_the_limit():
    error = error_of(f'add "{"A" * (ORG_LIMIT + 1)}"')
    assert f"is {ORG_LIMIT + 1} characters long; the limit is {ORG_LIMIT}" in error.problem
    error = error_of(f'resources add "{"L" * (LABEL_LIMIT + 1)}" https://example.com')
    assert f"the limit is {LABEL_LIMIT}" in error.problem
    error = error_of(f'contribution "Acme" mr https://example.com/{"x" * 2000}')
    assert "the limit is 2,000" in error.problem and "`/cocreate " in error.usage


def test_typed_keys_map_onto_the_rules_keys_in_the_seeds_order() -> None:
    from bot.cocreate.commands import CRITERION_FOR_KEY, STEP_FOR_KEY
    from bot.cocreate.rules import Criterion, Step

    assert CRITERION_FOR_KEY["public-issues"] == Criterion.PUBLIC_ISSUES_MRS
    assert CRITERION_FOR_KEY["relationship"] == Criterion.RELATIONSHIP_STRENGTH
    assert (
        STEP_FOR_KEY["follow-up"] == Step.CSM_FOLLOW_UP and STEP_FOR_KEY["contributions"] == Step.CONTRIBUTIONS_TRACKED
    )
