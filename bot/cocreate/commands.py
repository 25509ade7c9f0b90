"""The text of `/cocreate` read into a request: pure, so every form and every error is tested without Slack.

Forms: `help`, `setup [#channel] [manager @pm]`, `add ["Org"]`, `score "Org" [<criterion> <0-5> …]`,
`tier "Org" 1|2|3 reason "…"`, `tier "Org" auto`, `top [N]`, `start "Org" [in #channel] [new-channel]`,
`step "Org" <step> done|skip "reason"|due <date>|reassign @person|reopen`, `meeting "Org" <date> [with @people]`,
`steps ["Org"]`, `outcome "Org" started|declined "reason"|deferred <date> ["reason"]`, `pipeline [FY26-Q1]`,
`contribution "Org" mr|issue|comment <link>`, `resources [add "Label" <link>|remove N]`, `targets [projects N]
[multiple N] [conversion N%] [weeks N-M]` and `weights [<criterion> <weight> …]`.
Organization names, labels and reasons are stored unescaped, as typed; they are escaped again whenever they are shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from functools import partial
from typing import TypeVar

from bot.cocreate import rules
from bot.cocreate.rules import ContributionKind, Criterion, Step
from bot.errors import UserError
from bot.fiscal import QUARTER_USAGE, FiscalCalendar
from bot.parsing import DateContext as _Context
from bot.parsing import Token, command_text, dispatch_subcommand, read_channel_mention, read_web_link
from bot.parsing import as_typed as _written
from bot.parsing import check_length as _check_length
from bot.parsing import keyword as _keyword
from bot.parsing import read_date_words as _read_date
from bot.parsing import read_mention as _read_mention
from bot.parsing import read_quoted_text as _read_text
from bot.parsing import refuse_extra as _refuse_extra
from bot.parsing import split_options as _split_options
from bot.text import PLAIN_TEXT_LIMIT, quoted, unescape

ORG_LIMIT = rules.ORG_NAME_LIMIT
REASON_LIMIT = rules.SKIP_REASON_LIMIT  # tier overrides, skipped steps, declined and deferred outcomes
LABEL_LIMIT = PLAIN_TEXT_LIMIT  # resource labels are shown as plain text
URL_LIMIT = 2000
DEFAULT_TOP = 25  # the seed: "prioritize top 25 scored customers"
MAX_TOP = 500
MAX_SCORE = 5
MAX_WEIGHT = 100
MAX_PROJECTS = 100
MAX_MULTIPLE = 20
MAX_WEEKS = 52
_MAX_ID = 2**31 - 1  # positions are 32-bit integers
_Value = TypeVar("_Value")

# The seed's seven prioritization criteria, in its order.
CRITERION_KEYS = ("public-issues", "feature-usage", "tier-seats", "industry", "oss", "growth", "relationship")
# The seed's engagement steps, in order; `/cocreate step` also takes their number, 1 to 6.
STEP_KEYS = ("contact", "follow-up", "meeting", "outcomes", "started", "contributions")

SETUP_EXAMPLE = "`/cocreate setup #co-create manager @pat`"
ADD_EXAMPLE = '`/cocreate add "Acme Corp"`'
SCORE_EXAMPLE = '`/cocreate score "Acme Corp" public-issues 4 feature-usage 3 oss 5`'
TIER_EXAMPLE = '`/cocreate tier "Acme Corp" 1 reason "Signed the contributor agreement last year"`'
TOP_EXAMPLE = "`/cocreate top 10`"
START_EXAMPLE = '`/cocreate start "Acme Corp" new-channel`'
STEP_EXAMPLE = '`/cocreate step "Acme Corp" follow-up skip "They answered the same day"`'
MEETING_EXAMPLE = '`/cocreate meeting "Acme Corp" 2026-03-04 with @casey @alex @sam`'
STEPS_EXAMPLE = '`/cocreate steps "Acme Corp"`'
OUTCOME_EXAMPLE = '`/cocreate outcome "Acme Corp" declined "No engineering time this year"`'
PIPELINE_EXAMPLE = "`/cocreate pipeline FY26-Q1`"
CONTRIBUTION_EXAMPLE = '`/cocreate contribution "Acme Corp" mr https://gitlab.com/gitlab-org/gitlab/-/merge_requests/1`'
RESOURCES_EXAMPLE = '`/cocreate resources add "ROI calculator" https://example.com/roi`'
TARGETS_EXAMPLE = "`/cocreate targets projects 7 multiple 3 conversion 33% weeks 8-10`"
WEIGHTS_EXAMPLE = "`/cocreate weights public-issues 2 relationship 1.5`"

QUOTE_USAGE = f"Put double quotes on both sides of the text, e.g. {STEP_EXAMPLE}."
SETUP_USAGE = (
    "Write `/cocreate setup` in the program's channel, or name it (pick it from Slack's list as you type `#`), "
    f"with `manager @person` for a program manager other than you, e.g. {SETUP_EXAMPLE}."
)
PERSON_USAGE = "Mention the person with `@` and pick them from Slack's list, e.g. {}."
ADD_USAGE = f'Write `/cocreate add` or `/cocreate add "Org"`; the form that opens has every field, e.g. {ADD_EXAMPLE}.'
CRITERIA_LIST = ", ".join(f"`{key}`" for key in CRITERION_KEYS)
SCORE_USAGE = (
    f'Write `/cocreate score "Org"` for the form, or give any of {CRITERIA_LIST}, each followed by a whole number '
    f"from 0 to {MAX_SCORE}, e.g. {SCORE_EXAMPLE}."
)
TIER_USAGE = (
    'Write `/cocreate tier "Org" 1`, `2` or `3` with `reason "…"`, or `/cocreate tier "Org" auto` to go back to the '
    f"computed tier, e.g. {TIER_EXAMPLE}."
)
TOP_USAGE = (
    f"Write `/cocreate top` for the top {DEFAULT_TOP}, or a whole number from 1 to {MAX_TOP}, e.g. {TOP_EXAMPLE}."
)
START_USAGE = (
    'Write `/cocreate start "Org"`, with `in #channel` to use an existing channel or `new-channel` to create one '
    f"for the account team, e.g. {START_EXAMPLE}."
)
# The words people type, mapped onto the keys the rules and the database use (both in the seed's order).
CRITERION_FOR_KEY = dict(zip(CRITERION_KEYS, Criterion, strict=True))
STEP_FOR_KEY = dict(zip(STEP_KEYS, Step, strict=True))
STEPS_LIST = ", ".join(f"`{key}` ({number})" for number, key in enumerate(STEP_KEYS, start=1))
STEP_NAMES_USAGE = f"The steps, by name or number, are {STEPS_LIST}, e.g. {STEP_EXAMPLE}."
_STEP_FORMS = (
    'Write `/cocreate step "Org" <step>` and then `done`, `skip "reason"`, `due <date>`, `reassign @person` or `reopen`'
)
STEP_USAGE = f"{_STEP_FORMS}, e.g. {STEP_EXAMPLE}."
MEETING_USAGE = (
    f'Write `/cocreate meeting "Org" <date>`, with `with @person …` for who attends, e.g. {MEETING_EXAMPLE}.'
)
OUTCOME_USAGE = (
    'Write `/cocreate outcome "Org" started`, `declined "reason"` or `deferred <date to revisit>`, '
    f"e.g. {OUTCOME_EXAMPLE}."
)
PIPELINE_USAGE = f"{QUARTER_USAGE.removesuffix('.')}, e.g. {PIPELINE_EXAMPLE}."
CONTRIBUTION_USAGE = (
    'Write `/cocreate contribution "Org"`, the kind (`mr`, `issue` or `comment`) and its whole link, starting with '
    f"`https://`, e.g. {CONTRIBUTION_EXAMPLE}."
)
RESOURCES_USAGE = (
    'Write `/cocreate resources` to list them, `/cocreate resources add "Label" <link>` to add one or '
    f"`/cocreate resources remove 2` with the number the list shows, e.g. {RESOURCES_EXAMPLE}."
)
TARGETS_USAGE = (
    f"Write `/cocreate targets` to see them, or set any of `projects N` (1 to {MAX_PROJECTS} a quarter), "
    f"`multiple N` (pipeline over projects, 1 to {MAX_MULTIPLE}), `conversion N%` (1 to 100) and `weeks N-M` "
    f"(contact to start, 1 to {MAX_WEEKS}), e.g. {TARGETS_EXAMPLE}."
)
WEIGHTS_USAGE = (
    f"Write `/cocreate weights` to see them, or give any of {CRITERIA_LIST}, each followed by a number from 0 to "
    f"{MAX_WEIGHT}, e.g. {WEIGHTS_EXAMPLE}."
)
SUBCOMMAND_USAGE = (
    "Try `/cocreate setup`, `/cocreate add`, `/cocreate score`, `/cocreate tier`, `/cocreate top`, "
    "`/cocreate start`, `/cocreate step`, `/cocreate meeting`, `/cocreate steps`, `/cocreate outcome`, "
    "`/cocreate pipeline`, `/cocreate contribution`, `/cocreate resources`, `/cocreate targets`, "
    f"`/cocreate weights` or `/cocreate help`, e.g. {STEP_EXAMPLE}."
)

_command = partial(command_text, "/cocreate")


class StepAction(StrEnum):
    """What `/cocreate step` does to one checklist step."""

    DONE = "done"
    SKIP = "skip"
    DUE = "due"
    REASSIGN = "reassign"
    REOPEN = "reopen"


class Outcome(StrEnum):
    """How a prospect's outreach ends."""

    STARTED = "started"
    DECLINED = "declined"
    DEFERRED = "deferred"


_CRITERION_NAMES = {
    **{key: key for key in CRITERION_KEYS},
    "issues": "public-issues",
    "public-mrs": "public-issues",
    "usage": "feature-usage",
    "features": "feature-usage",
    "tier": "tier-seats",
    "seats": "tier-seats",
    "subscription": "tier-seats",
    "open-source": "oss",
    "prior-contribution": "oss",
    "usage-growth": "growth",
    "relationship-strength": "relationship",
}
_STEP_NAMES = {
    **{key: key for key in STEP_KEYS},
    **{str(number): key for number, key in enumerate(STEP_KEYS, start=1)},
    "initial": "contact",
    "initial-contact": "contact",
    "followup": "follow-up",
    "alignment": "meeting",
    "alignment-meeting": "meeting",
    "outcome": "outcomes",
    "project": "started",
    "project-started": "started",
    "start": "started",
    "contribution": "contributions",
}
_CONTRIBUTION_KINDS = {
    "mr": ContributionKind.MR,
    "merge-request": ContributionKind.MR,
    "issue": ContributionKind.ISSUE,
    "comment": ContributionKind.COMMENT,
    "note": ContributionKind.COMMENT,
}
_STEP_ACTIONS = frozenset(action.value for action in StepAction)
_OUTCOMES = frozenset(outcome.value for outcome in Outcome)
_SETUP_OPTIONS = frozenset({"manager"})
_START_OPTIONS = frozenset({"in", "new-channel"})
_TARGET_OPTIONS = frozenset({"projects", "multiple", "conversion", "weeks"})
# Slack sends a pasted link as <https://x> or <https://x|label>; anything a user typed as < or > arrives as &lt; &gt;.
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_WEEKS = re.compile(r"(?P<low>\d{1,3})(?:\s*(?:-|–|—|to)\s*(?P<high>\d{1,3}))?")


@dataclass(frozen=True, slots=True)
class ShowHelp:
    """`/cocreate`, `/cocreate help`."""


@dataclass(frozen=True, slots=True)
class Setup:
    """`/cocreate setup [#channel] [manager @pm]`; None means this channel, and the user as program manager."""

    channel_id: str | None = None
    manager_id: str | None = None


@dataclass(frozen=True, slots=True)
class OpenProspectModal:
    """`/cocreate add ["Org"]`: the form with every field of a new prospect, its name filled in when given."""

    org: str | None = None


@dataclass(frozen=True, slots=True)
class OpenScoreModal:
    """`/cocreate score "Org"`: the form with the prospect's seven scores."""

    org: str


@dataclass(frozen=True, slots=True)
class SetScores:
    """`/cocreate score "Org" public-issues 4 …`: (criterion key, 0..5) pairs in the order written, each key once."""

    org: str
    scores: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class OverrideTier:
    """`/cocreate tier "Org" 1|2|3 reason "…"`: a tier set by hand instead of computed."""

    org: str
    tier: int
    reason: str


@dataclass(frozen=True, slots=True)
class ClearTierOverride:
    """`/cocreate tier "Org" auto`: back to the computed tier."""

    org: str


@dataclass(frozen=True, slots=True)
class ShowTop:
    """`/cocreate top [N]`: the N best-scored prospects, 1..MAX_TOP."""

    n: int = DEFAULT_TOP


@dataclass(frozen=True, slots=True)
class StartOutreach:
    """`/cocreate start "Org" [in #channel] [new-channel]`; neither means this channel, never both."""

    org: str
    channel_id: str | None = None
    create_channel: bool = False


@dataclass(frozen=True, slots=True)
class ChangeStep:
    """`/cocreate step "Org" <step> done|skip "reason"|due <date>|reassign @person|reopen`; `step_key` is one of
    STEP_KEYS. `reason` is set only for SKIP, `due_on` only for DUE (today or later), `owner_id` only for REASSIGN."""

    org: str
    step_key: str
    action: StepAction
    reason: str | None = None
    due_on: date | None = None
    owner_id: str | None = None


@dataclass(frozen=True, slots=True)
class SetMeeting:
    """`/cocreate meeting "Org" <date> [with @person …]`: the alignment meeting; attendees in order, each once."""

    org: str
    on: date
    attendee_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ShowSteps:
    """`/cocreate steps ["Org"]`: one prospect's checklist, or the user's open steps when `org` is None."""

    org: str | None = None


@dataclass(frozen=True, slots=True)
class SetOutcome:
    """`/cocreate outcome "Org" started|declined "reason"|deferred <date> ["reason"]`; DECLINED always has a
    reason, DEFERRED always a `revisit_on` after today."""

    org: str
    outcome: Outcome
    reason: str | None = None
    revisit_on: date | None = None


@dataclass(frozen=True, slots=True)
class ShowPipeline:
    """`/cocreate pipeline [FY26-Q1]`; `quarter_label` is normalized (`FY26-Q1`), None for the current quarter."""

    quarter_label: str | None = None


@dataclass(frozen=True, slots=True)
class RecordContribution:
    """`/cocreate contribution "Org" mr|issue|comment <link>`; `url` is an http(s) link."""

    org: str
    kind: ContributionKind
    url: str


@dataclass(frozen=True, slots=True)
class ShowResources:
    """`/cocreate resources`: the numbered links for common concerns."""


@dataclass(frozen=True, slots=True)
class AddResource:
    """`/cocreate resources add "Label" <link>`."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class RemoveResource:
    """`/cocreate resources remove N`; N is the number `/cocreate resources` shows."""

    n: int


@dataclass(frozen=True, slots=True)
class ShowTargets:
    """`/cocreate targets`."""


@dataclass(frozen=True, slots=True)
class SetTargets:
    """`/cocreate targets …`: None leaves a target as it is, and at least one is set. `conversion` is a whole
    percentage 1..100; `weeks_min` and `weeks_max` are set together, min <= max."""

    projects: int | None = None
    multiple: float | None = None
    conversion: int | None = None
    weeks_min: int | None = None
    weeks_max: int | None = None


@dataclass(frozen=True, slots=True)
class ShowWeights:
    """`/cocreate weights`."""


@dataclass(frozen=True, slots=True)
class SetWeights:
    """`/cocreate weights public-issues 2 …`: (criterion key, 0..MAX_WEIGHT) pairs in the order written, each once."""

    weights: tuple[tuple[str, float], ...]


CocreateCommand = (
    ShowHelp
    | Setup
    | OpenProspectModal
    | OpenScoreModal
    | SetScores
    | OverrideTier
    | ClearTierOverride
    | ShowTop
    | StartOutreach
    | ChangeStep
    | SetMeeting
    | ShowSteps
    | SetOutcome
    | ShowPipeline
    | RecordContribution
    | ShowResources
    | AddResource
    | RemoveResource
    | ShowTargets
    | SetTargets
    | ShowWeights
    | SetWeights
)


def parse_cocreate_command(text: str, *, today: date, fiscal_start_month: int = 2) -> CocreateCommand:
    """Read the text of `/cocreate` into a request; raises UserError saying what was wrong and how to write it."""
    return dispatch_subcommand(
        text,
        command="/cocreate",
        subcommands=_SUBCOMMANDS,
        show_help=ShowHelp,
        context=_Context(today, fiscal_start_month),
        quote_usage=QUOTE_USAGE,
        subcommand_usage=SUBCOMMAND_USAGE,
    )


# ---- shared readers --------------------------------------------------------------------------------------------


def _read_org(tokens: list[Token], *, written: str, example: str) -> str:
    """The quoted organization name that must come first; raises UserError when missing, empty or too long."""
    return _read_text(tokens, what="organization name", limit=ORG_LIMIT, example=example, written=written)


def _read_reason(tokens: list[Token], *, missing: str, written: str, usage: str) -> str:
    """The reason the tokens spell, quoted or not, unescaped; raises UserError (`missing`) when empty or too long."""
    reason = unescape(" ".join(token.text for token in tokens)).strip()
    if not reason:
        raise UserError(f"{missing} in {quoted(written)}.", usage)
    return _check_length(reason, what="reason", limit=REASON_LIMIT, usage=usage)


def _read_channel(tokens: list[Token], *, written: str, usage: str) -> str:
    """The channel id in the one `#channel` given; raises UserError for none, plain text or several."""
    if not tokens:
        raise UserError(f"I couldn't find the channel in {quoted(written)}.", usage)
    channel_id = None if tokens[0].quoted else read_channel_mention(tokens[0].text)
    if channel_id is None:
        # A real #channel arrives as <#C…|name>; plain text means Slack found no channel by that name.
        raise UserError(f"I couldn't find the channel {quoted(tokens[0].written)}.", usage)
    _refuse_extra(tokens[1:], written=written, usage=usage)
    return channel_id


def _read_whole(tokens: list[Token], *, what: str, low: int, high: int, written: str, usage: str) -> int:
    """The one whole number low..high the tokens hold (`#3` too); raises UserError when missing, unreadable or more."""
    if not tokens:
        raise UserError(f"I couldn't find the {what} in {quoted(written)}.", usage)
    digits = tokens[0].text.removeprefix("#")
    if tokens[0].quoted or not (digits.isascii() and digits.isdigit()) or not low <= int(digits) <= high:
        raise UserError(f"I couldn't read the {what} {quoted(tokens[0].written)}: it goes from {low} to {high}.", usage)
    _refuse_extra(tokens[1:], written=written, usage=usage)
    return int(digits)


def _read_url(tokens: list[Token], *, what: str, written: str, usage: str) -> str:
    """An http(s) link, bare or as Slack sends it (`<https://x|label>`); raises UserError for anything else."""
    return read_web_link(tokens, what=what, written=written, usage=usage, limit=URL_LIMIT)


def _read_later_date(
    tokens: list[Token], context: _Context, *, what: str, written: str, example: str, after_today: bool
) -> date:
    """A date that is today or later (after today when `after_today`); raises UserError for an earlier one."""
    day = _read_date(tokens, context, what=what, written=written, example=example)
    if day < context.today or (after_today and day == context.today):
        when = "after today" if after_today else "today or later"
        raise UserError(
            f"The {what} {day.isoformat()} in {quoted(written)} has to be {when}.",
            f"Give a later date, e.g. {example}.",
        )
    return day


def _criterion(token: Token, *, usage: str) -> str:
    """The criterion key a word names (`public-issues`, `Public_Issues`, `issues`…); raises UserError."""
    key = _CRITERION_NAMES.get(_keyword(token).replace("_", "-"))
    if key is None:
        raise UserError(f"I don't know the criterion {quoted(token.written)}.", usage)
    return key


def _read_pairs(
    pairs: list[Token], read_value: Callable[[Token, Token], _Value], *, written: str, usage: str
) -> tuple[tuple[str, _Value], ...]:
    """(criterion key, value) pairs in the order written, each key once; raises UserError."""
    if not pairs:
        raise UserError(f"I couldn't find any criterion in {quoted(written)}.", usage)
    values: dict[str, _Value] = {}
    for position in range(0, len(pairs), 2):
        key = _criterion(pairs[position], usage=usage)
        if key in values:
            raise UserError(f"You gave {quoted(key)} twice in {quoted(written)}.", usage)
        if position + 1 == len(pairs):
            raise UserError(f"I couldn't find the number after {quoted(pairs[position].written)}.", usage)
        values[key] = read_value(pairs[position + 1], pairs[position])
    return tuple(values.items())


# ---- setup and prospects ---------------------------------------------------------------------------------------


def _parse_setup(rest: list[Token], context: _Context) -> Setup:
    """`setup [#channel] [manager @pm]`; raises UserError."""
    written = _command("setup", _written(rest))
    head, options = _split_options(rest, _SETUP_OPTIONS, written=written, usage=SETUP_USAGE)
    channel_id = _read_channel(head, written=written, usage=SETUP_USAGE) if head else None
    manager_id = None
    if "manager" in options:
        usage = PERSON_USAGE.format(SETUP_EXAMPLE)
        words = options["manager"]
        manager_id = _read_mention(words[0] if words else None, who="program manager", written=written, usage=usage)
        _refuse_extra(words[1:], written=written, usage=usage)
    return Setup(channel_id, manager_id)


def _parse_add(rest: list[Token], context: _Context) -> OpenProspectModal:
    """`add` alone or `add "Org"`; the form asks for everything else."""
    if not rest:
        return OpenProspectModal()
    written = _command("add", _written(rest))
    org = _read_org(rest, written=written, example=ADD_EXAMPLE)
    _refuse_extra(rest[1:], written=written, usage=ADD_USAGE)
    return OpenProspectModal(org)


def _parse_score(rest: list[Token], context: _Context) -> OpenScoreModal | SetScores:
    """`score "Org"` (the form) or `score "Org" <criterion> <0-5> …`; raises UserError."""
    written = _command("score", _written(rest))
    org = _read_org(rest, written=written, example=SCORE_EXAMPLE)
    if not rest[1:]:
        return OpenScoreModal(org)
    return SetScores(org, _read_pairs(rest[1:], _read_score, written=written, usage=SCORE_USAGE))


def _read_score(token: Token, after: Token) -> int:
    """A score: a whole number 0..MAX_SCORE; raises UserError."""
    if token.quoted or not (token.text.isascii() and token.text.isdigit()) or int(token.text) > MAX_SCORE:
        raise UserError(
            f"I couldn't read the score {quoted(token.written)} for {quoted(after.written)}: "
            f"scores are whole numbers from 0 to {MAX_SCORE}.",
            SCORE_USAGE,
        )
    return int(token.text)


def _parse_tier(rest: list[Token], context: _Context) -> OverrideTier | ClearTierOverride:
    """`tier "Org" 1|2|3 reason "…"` or `tier "Org" auto`; raises UserError."""
    written = _command("tier", _written(rest))
    head, options = _split_options(rest, frozenset({"reason"}), written=written, usage=TIER_USAGE)
    org = _read_org(head, written=written, example=TIER_EXAMPLE)
    if [_keyword(token) for token in head[1:2]] == ["auto"]:
        _refuse_extra(head[2:], written=written, usage=TIER_USAGE)
        if "reason" in options:
            raise UserError(f"Going back to the computed tier needs no reason, in {quoted(written)}.", TIER_USAGE)
        return ClearTierOverride(org)
    tier = _read_whole(head[1:], what="tier", low=1, high=3, written=written, usage=TIER_USAGE)
    if "reason" not in options:
        raise UserError(f"Setting a tier by hand needs a reason, and {quoted(written)} has none.", TIER_USAGE)
    reason = _read_reason(
        options["reason"], missing="I couldn't find the reason after `reason`", written=written, usage=TIER_USAGE
    )
    return OverrideTier(org, tier, reason)


def _parse_top(rest: list[Token], context: _Context) -> ShowTop:
    """`top` or `top N`; raises UserError for N outside 1..MAX_TOP."""
    if not rest:
        return ShowTop()
    written = _command("top", _written(rest))
    return ShowTop(_read_whole(rest, what="number of prospects", low=1, high=MAX_TOP, written=written, usage=TOP_USAGE))


def _parse_steps(rest: list[Token], context: _Context) -> ShowSteps:
    """`steps` (the user's open steps) or `steps "Org"` (its checklist)."""
    if not rest:
        return ShowSteps()
    written = _command("steps", _written(rest))
    org = _read_org(rest, written=written, example=STEPS_EXAMPLE)
    _refuse_extra(rest[1:], written=written, usage=f"Name one organization in double quotes, e.g. {STEPS_EXAMPLE}.")
    return ShowSteps(org)


# ---- outreach --------------------------------------------------------------------------------------------------


def _parse_start(rest: list[Token], context: _Context) -> StartOutreach:
    """`start "Org" [in #channel] [new-channel]`, not both; raises UserError."""
    written = _command("start", _written(rest))
    head, options = _split_options(rest, _START_OPTIONS, written=written, usage=START_USAGE)
    org = _read_org(head, written=written, example=START_EXAMPLE)
    _refuse_extra(head[1:], written=written, usage=START_USAGE)
    _refuse_extra(options.get("new-channel", []), written=written, usage=START_USAGE)
    if "in" in options and "new-channel" in options:
        raise UserError(f"{quoted(written)} names a channel and asks for a new one; pick one.", START_USAGE)
    channel_id = _read_channel(options["in"], written=written, usage=START_USAGE) if "in" in options else None
    return StartOutreach(org, channel_id, create_channel="new-channel" in options)


def _parse_step(rest: list[Token], context: _Context) -> ChangeStep:
    """`step "Org" <step> <action> …`; raises UserError."""
    written = _command("step", _written(rest))
    org = _read_org(rest, written=written, example=STEP_EXAMPLE)
    if len(rest) < 2:
        raise UserError(f"I couldn't find the step in {quoted(written)}.", STEP_NAMES_USAGE)
    step_key = _STEP_NAMES.get(_keyword(rest[1]).removeprefix("#").replace("_", "-"))
    if step_key is None:
        raise UserError(f"I don't know the step {quoted(rest[1].written)}.", STEP_NAMES_USAGE)
    if len(rest) < 3:
        raise UserError(f"{quoted(written)} doesn't say what to do with the step.", STEP_USAGE)
    action = _keyword(rest[2])
    if action not in _STEP_ACTIONS:
        raise UserError(f"I don't know what to do with {quoted(rest[2].written)} in {quoted(written)}.", STEP_USAGE)
    change = ChangeStep(org, step_key, StepAction(action))
    return _read_step_change(change, rest[3:], context, written=written)


def _read_step_change(change: ChangeStep, args: list[Token], context: _Context, *, written: str) -> ChangeStep:
    """The change filled in from the words after its action: a reason, a due date or the new owner."""
    example = f'`/cocreate step "Acme Corp" {change.step_key} {_ACTION_EXAMPLES[change.action]}`'
    usage = f"{_STEP_FORMS}, e.g. {example}."
    if change.action is StepAction.SKIP:
        missing = "A skipped step needs a reason, and I couldn't find one"
        return replace(change, reason=_read_reason(args, missing=missing, written=written, usage=usage))
    if change.action is StepAction.DUE:
        due_on = _read_later_date(args, context, what="due date", written=written, example=example, after_today=False)
        return replace(change, due_on=due_on)
    if change.action is StepAction.REASSIGN:
        usage = PERSON_USAGE.format(example)
        owner_id = _read_mention(args[0] if args else None, who="new owner", written=written, usage=usage)
        _refuse_extra(args[1:], written=written, usage=usage)
        return replace(change, owner_id=owner_id)
    _refuse_extra(args, written=written, usage=usage)
    return change


_ACTION_EXAMPLES = {
    StepAction.DONE: "done",
    StepAction.SKIP: 'skip "Not needed"',
    StepAction.DUE: "due friday",
    StepAction.REASSIGN: "reassign @casey",
    StepAction.REOPEN: "reopen",
}


def _parse_meeting(rest: list[Token], context: _Context) -> SetMeeting:
    """`meeting "Org" <date> [with @person …]`; raises UserError."""
    written = _command("meeting", _written(rest))
    head, options = _split_options(rest, frozenset({"with"}), written=written, usage=MEETING_USAGE)
    org = _read_org(head, written=written, example=MEETING_EXAMPLE)
    on = _read_date(head[1:], context, what="meeting date", written=written, example=MEETING_EXAMPLE)
    if "with" not in options:
        return SetMeeting(org, on)
    usage = PERSON_USAGE.format(MEETING_EXAMPLE)
    if not options["with"]:
        raise UserError(f"I couldn't find who attends after `with` in {quoted(written)}.", usage)
    attendees = [_read_mention(token, who="attendee", written=written, usage=usage) for token in options["with"]]
    return SetMeeting(org, on, tuple(dict.fromkeys(attendees)))


def _parse_outcome(rest: list[Token], context: _Context) -> SetOutcome:
    """`outcome "Org" started|declined "reason"|deferred <date> ["reason"]`; raises UserError."""
    written = _command("outcome", _written(rest))
    org = _read_org(rest, written=written, example=OUTCOME_EXAMPLE)
    if len(rest) < 2:
        raise UserError(f"I couldn't find the outcome in {quoted(written)}.", OUTCOME_USAGE)
    word, args = _keyword(rest[1]), rest[2:]
    if word not in _OUTCOMES:
        raise UserError(f"I don't know the outcome {quoted(rest[1].written)}.", OUTCOME_USAGE)
    outcome = Outcome(word)
    if outcome is Outcome.STARTED:
        _refuse_extra(args, written=written, usage=OUTCOME_USAGE)
        return SetOutcome(org, outcome)
    if outcome is Outcome.DECLINED:
        missing = "A declined outcome needs a reason, and I couldn't find one"
        return SetOutcome(org, outcome, _read_reason(args, missing=missing, written=written, usage=OUTCOME_USAGE))
    reason_at = next((index for index, token in enumerate(args) if token.quoted), len(args))
    example = '`/cocreate outcome "Acme Corp" deferred 2026-09-01 "Budget freeze until Q3"`'
    revisit_on = _read_later_date(
        args[:reason_at], context, what="date to revisit", written=written, example=example, after_today=True
    )
    reason = None
    if args[reason_at:]:
        _refuse_extra(args[reason_at + 1 :], written=written, usage=OUTCOME_USAGE)
        reason = _read_reason(
            args[reason_at : reason_at + 1], missing="The reason is empty", written=written, usage=OUTCOME_USAGE
        )
    return SetOutcome(org, outcome, reason, revisit_on)


# ---- pipeline and contributions --------------------------------------------------------------------------------


def _parse_pipeline(rest: list[Token], context: _Context) -> ShowPipeline:
    """`pipeline` (this quarter) or `pipeline FY26-Q1`; raises UserError for a label that isn't a fiscal quarter."""
    if not rest:
        return ShowPipeline()
    label = " ".join(token.text for token in rest)
    try:
        quarter = FiscalCalendar(context.fiscal_start_month).parse_quarter(label)
    except UserError as error:  # its usage shows no command
        raise UserError(error.problem, PIPELINE_USAGE) from error
    return ShowPipeline(quarter.label)


def _parse_contribution(rest: list[Token], context: _Context) -> RecordContribution:
    """`contribution "Org" mr|issue|comment <link>`; raises UserError."""
    written = _command("contribution", _written(rest))
    org = _read_org(rest, written=written, example=CONTRIBUTION_EXAMPLE)
    if len(rest) < 2:
        raise UserError(f"I couldn't find the kind of contribution in {quoted(written)}.", CONTRIBUTION_USAGE)
    kind = _CONTRIBUTION_KINDS.get(_keyword(rest[1]).replace("_", "-"))
    if kind is None:
        raise UserError(f"I don't know the kind of contribution {quoted(rest[1].written)}.", CONTRIBUTION_USAGE)
    url = _read_url(rest[2:], what="link", written=written, usage=CONTRIBUTION_USAGE)
    return RecordContribution(org, kind, url)


def _parse_resources(rest: list[Token], context: _Context) -> ShowResources | AddResource | RemoveResource:
    """`resources`, `resources add "Label" <link>` or `resources remove N`; raises UserError."""
    if not rest:
        return ShowResources()
    written = _command("resources", _written(rest))
    verb = _keyword(rest[0])
    if verb == "add":
        label = _read_text(rest[1:], what="label", limit=LABEL_LIMIT, example=RESOURCES_EXAMPLE, written=written)
        return AddResource(label, _read_url(rest[2:], what="link", written=written, usage=RESOURCES_USAGE))
    if verb == "remove":
        n = _read_whole(rest[1:], what="resource number", low=1, high=_MAX_ID, written=written, usage=RESOURCES_USAGE)
        return RemoveResource(n)
    raise UserError(f"I don't know {quoted(_command('resources', rest[0].written))}.", RESOURCES_USAGE)


# ---- targets and weights ---------------------------------------------------------------------------------------


def _parse_targets(rest: list[Token], context: _Context) -> ShowTargets | SetTargets:
    """`targets` or `targets [projects N] [multiple N] [conversion N%] [weeks N-M]`; raises UserError."""
    if not rest:
        return ShowTargets()
    written = _command("targets", _written(rest))
    head, options = _split_options(rest, _TARGET_OPTIONS, written=written, usage=TARGETS_USAGE)
    _refuse_extra(head, written=written, usage=TARGETS_USAGE)
    weeks_min, weeks_max = _target(options, "weeks", _read_weeks, written=written) or (None, None)
    return SetTargets(
        projects=_target(options, "projects", _read_projects, written=written),
        multiple=_target(options, "multiple", _read_multiple, written=written),
        conversion=_target(options, "conversion", _read_conversion, written=written),
        weeks_min=weeks_min,
        weeks_max=weeks_max,
    )


def _target(
    options: dict[str, list[Token]], name: str, read: Callable[[str, str], _Value], *, written: str
) -> _Value | None:
    """One target's value read from its words, or None when it wasn't given; raises UserError."""
    if name not in options:
        return None
    tokens = options[name]
    if not tokens:
        raise UserError(f"I couldn't find the number after `{name}` in {quoted(written)}.", TARGETS_USAGE)
    text = "".join(token.text for token in tokens)  # `33 %` reads as `33%`, `8 - 10` as `8-10`
    if any(token.quoted for token in tokens):
        raise UserError(f"I couldn't read {quoted(_written(tokens))} after `{name}`.", TARGETS_USAGE)
    return read(text, _written(tokens))


def _read_projects(text: str, shown: str) -> int:
    """Projects a quarter: a whole number 1..MAX_PROJECTS."""
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_PROJECTS:
        raise UserError(
            f"I couldn't read the projects target {quoted(shown)}: it goes from 1 to {MAX_PROJECTS}.",
            TARGETS_USAGE,
        )
    return int(text)


def _read_multiple(text: str, shown: str) -> float:
    """The pipeline multiple, `3` or `3x`: a number 1..MAX_MULTIPLE."""
    number = text.lower().removesuffix("x")
    if not _NUMBER.fullmatch(number) or not 1 <= float(number) <= MAX_MULTIPLE:
        raise UserError(
            f"I couldn't read the pipeline multiple {quoted(shown)}: it goes from 1 to {MAX_MULTIPLE}.",
            TARGETS_USAGE,
        )
    return float(number)


def _read_conversion(text: str, shown: str) -> int:
    """The conversion target, `33%` or `33`: a whole percentage 1..100."""
    digits = text.removesuffix("%")
    if not (digits.isascii() and digits.isdigit()):
        raise UserError(f"I couldn't read the conversion target {quoted(shown)}.", TARGETS_USAGE)
    if not 1 <= int(digits) <= 100:
        raise UserError(
            f"The conversion target {quoted(shown)} is out of range: it goes from 1% to 100%.", TARGETS_USAGE
        )
    return int(digits)


def _read_weeks(text: str, shown: str) -> tuple[int, int]:
    """Weeks from contact to start, `8-10` or `9`: the lower and upper bound, 1..MAX_WEEKS."""
    match = _WEEKS.fullmatch(text.lower())
    if match is None:
        raise UserError(f"I couldn't read the weeks {quoted(shown)}.", TARGETS_USAGE)
    low, high = int(match["low"]), int(match["high"] or match["low"])
    if not 1 <= low <= MAX_WEEKS or not 1 <= high <= MAX_WEEKS:
        raise UserError(f"The weeks {quoted(shown)} go from 1 to {MAX_WEEKS}.", TARGETS_USAGE)
    if low > high:
        raise UserError(f"The weeks {quoted(shown)} run backwards; write the fewer weeks first.", TARGETS_USAGE)
    return low, high


def _parse_weights(rest: list[Token], context: _Context) -> ShowWeights | SetWeights:
    """`weights` or `weights <criterion> <weight> …`; raises UserError."""
    if not rest:
        return ShowWeights()
    written = _command("weights", _written(rest))
    return SetWeights(_read_pairs(rest, _read_weight, written=written, usage=WEIGHTS_USAGE))


def _read_weight(token: Token, after: Token) -> float:
    """A weight: a number 0..MAX_WEIGHT; raises UserError."""
    if token.quoted or not _NUMBER.fullmatch(token.text) or float(token.text) > MAX_WEIGHT:
        raise UserError(
            f"I couldn't read the weight {quoted(token.written)} for {quoted(after.written)}: "
            f"weights are numbers from 0 to {MAX_WEIGHT}.",
            WEIGHTS_USAGE,
        )
    return float(token.text)


_SUBCOMMANDS: dict[str, Callable[[list[Token], _Context], CocreateCommand]] = {
    "help": lambda rest, context: ShowHelp(),
    "setup": _parse_setup,
    "add": _parse_add,
    "score": _parse_score,
    "tier": _parse_tier,
    "top": _parse_top,
    "start": _parse_start,
    "step": _parse_step,
    "meeting": _parse_meeting,
    "steps": _parse_steps,
    "outcome": _parse_outcome,
    "pipeline": _parse_pipeline,
    "contribution": _parse_contribution,
    "contributions": _parse_contribution,
    "resources": _parse_resources,
    "resource": _parse_resources,
    "targets": _parse_targets,
    "target": _parse_targets,
    "weights": _parse_weights,
    "weight": _parse_weights,
}
