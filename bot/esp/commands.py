"""The text of `/esp` read into a request: pure, so every form and every error is tested without Slack.

Forms: `help`, `setup [@program-manager]`, `account add "Name" …`, `account "Name" …`, `accounts`,
`assign @sponsor "Account" [from <date>] [force]`, `unassign "Account" [@sponsor] [reason "…"]`, `map`,
`touchpoint "Account" informal|face-to-face|ebr [<date>] ["notes"]`, `kpi "Account" influence 4 …`,
`nps "Account" 9 10 7`, `roadblock "Account" ["note"]`, `reference "Account" ["note"]`, `scorecard ["Account"]`,
`cadence`, `cadence off|on <item>`, `cadence <item> every <rule> at <time>` and `checklist ["Account"]`.
Account names, notes and reasons are stored unescaped, as typed; they are escaped again whenever they are shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from bot.cadence.commands import parse_rule_sentence
from bot.cadence.rules import Recurrence
from bot.errors import UserError
from bot.esp.rules import OBLIGATION_KEYS, Metric

# Generic readers written for /wg: quoted text, options in any order, dates and lengths, all echoing escaped input.
from bot.parsing import DateContext as _Context
from bot.parsing import Token, command_text, dispatch_subcommand, expect_end, no_words, read_mention
from bot.parsing import as_typed as _written
from bot.parsing import check_length as _check_length
from bot.parsing import keyword as _keyword
from bot.parsing import read_date_words as _read_date
from bot.parsing import read_quoted_text as _read_text
from bot.parsing import refuse_extra as _refuse_extra
from bot.parsing import split_options as _split_options
from bot.text import quoted, unescape
from models.esp import TouchpointKind

NAME_LIMIT = 200  # esp_account.name
NOTE_LIMIT = 2000  # touchpoint notes, roadblock and reference notes, reasons
MAX_TIER = 9
MAX_RESPONSES = 500

ACCOUNT_EXAMPLE = '`/esp account add "Acme Corp" tier 1 csm @casey ae @alex sa @sam`'
EDIT_EXAMPLE = '`/esp account "Acme Corp" tier 2 csm @casey`'
ASSIGN_EXAMPLE = '`/esp assign @dana "Acme Corp" from 2026-02-01`'
UNASSIGN_EXAMPLE = '`/esp unassign "Acme Corp" @dana reason "Dana moved to another region"`'
TOUCHPOINT_EXAMPLE = '`/esp touchpoint "Acme Corp" informal 2026-02-06 "Coffee with their CTO"`'
KPI_EXAMPLE = '`/esp kpi "Acme Corp" influence 4 sentiment 3 use-cases 5 arr-growth 12%`'
NPS_EXAMPLE = '`/esp nps "Acme Corp" 9 10 7`'
SCORECARD_EXAMPLE = '`/esp scorecard "Acme Corp"`'
CHECKLIST_EXAMPLE = '`/esp checklist "Acme Corp"`'
CADENCE_EXAMPLE = "`/esp cadence 5 every fiscal quarter on the second tuesday at 15:00`"

SETUP_USAGE = "Write `/esp setup` to run the program yourself, or `/esp setup @program-manager`."
ACCOUNT_USAGE = (
    f'Write `/esp account add "Name"` to add an account or `/esp account "Name"` to change one, followed by any of '
    "`tier 1`, `csm @person`, `ae @person`, `sa @person`, and `active` or `inactive` when changing one, "
    f"e.g. {ACCOUNT_EXAMPLE}; `/esp accounts` lists them."
)
TIER_USAGE = f"Tiers are whole numbers from 1 to {MAX_TIER}, e.g. {ACCOUNT_EXAMPLE}."
PERSON_USAGE = "Mention the person with `@` and pick them from Slack's list, e.g. {}."
ASSIGN_USAGE = (
    'Write `/esp assign @sponsor "Account"`, with `from <date>` for a commitment that starts another day and `force` '
    f"for a second sponsor (program manager only), e.g. {ASSIGN_EXAMPLE}."
)
UNASSIGN_USAGE = (
    'Write `/esp unassign "Account"`, with the `@sponsor` when it has two, and `reason "…"` when the year is not up, '
    f"e.g. {UNASSIGN_EXAMPLE}."
)
TOUCHPOINT_USAGE = (
    'Write `/esp touchpoint "Account"`, the kind (`informal`, `face-to-face` or `ebr`), the date if it wasn\'t today, '
    f'and "notes" if you want them, e.g. {TOUCHPOINT_EXAMPLE}.'
)
KPI_USAGE = (
    "Give one or more of `influence`, `sentiment`, `strength` and `engagement` (1 to 5), `use-cases` (a count), "
    f"`time-to-value` (days) and `arr-growth` (a percentage), each followed by its number, e.g. {KPI_EXAMPLE}."
)
NPS_USAGE = f"Give one or more survey responses, each a whole number from 0 to 10, e.g. {NPS_EXAMPLE}."
CADENCE_USAGE = (
    "Write `/esp cadence` to list the operating cadence, `/esp cadence off 3` or `/esp cadence on 3` to turn an item "
    "off or on, or `/esp cadence 3 every <rule> at HH:MM` to move it; rules read as in `/cadence`, "
    f"e.g. {CADENCE_EXAMPLE}."
)
SUBCOMMAND_USAGE = (
    "Try `/esp setup`, `/esp account add`, `/esp account`, `/esp accounts`, `/esp assign`, `/esp unassign`, "
    "`/esp map`, `/esp touchpoint`, `/esp kpi`, `/esp nps`, `/esp roadblock`, `/esp reference`, `/esp scorecard`, "
    f"`/esp cadence`, `/esp checklist` or `/esp help`, e.g. {ASSIGN_EXAMPLE}."
)

_ACCOUNT_OPTIONS = frozenset({"tier", "csm", "ae", "sa", "active", "inactive"})
_ASSIGN_OPTIONS = frozenset({"from", "force"})
_RESCHEDULE_OPTIONS = frozenset({"at", "tz"})
_TOUCHPOINT_KINDS = {
    "informal": TouchpointKind.INFORMAL,
    "face-to-face": TouchpointKind.FACE_TO_FACE,
    "face_to_face": TouchpointKind.FACE_TO_FACE,
    "facetoface": TouchpointKind.FACE_TO_FACE,
    "f2f": TouchpointKind.FACE_TO_FACE,
    "ebr": TouchpointKind.EBR,
}
_KPI_NAMES = {
    **{metric.value: metric for metric in (Metric.INFLUENCE, Metric.SENTIMENT, Metric.STRENGTH, Metric.ENGAGEMENT)},
    "use-cases": Metric.USE_CASES_ADOPTED,
    "use-cases-adopted": Metric.USE_CASES_ADOPTED,
    "time-to-value": Metric.TIME_TO_VALUE_DAYS,
    "ttv": Metric.TIME_TO_VALUE_DAYS,
    "arr-growth": Metric.NET_ARR_GROWTH,
    "net-arr-growth": Metric.NET_ARR_GROWTH,
    "arr": Metric.NET_ARR_GROWTH,
}
_EVENT_NOTES = {
    Metric.ROADBLOCK_REMOVED: "Unblocked their SSO rollout",
    Metric.PUBLIC_REFERENCE: "Case study published",
}
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")
_OBLIGATION_KEY = re.compile(r"[a-z]+\.[a-z0-9_]+")

_command = partial(command_text, "/esp")
_expect_end = partial(expect_end, "/esp")
_no_words = partial(no_words, "/esp")


@dataclass(frozen=True, slots=True)
class ShowEspHelp:
    """`/esp`, `/esp help`."""


@dataclass(frozen=True, slots=True)
class SetupProgram:
    """`/esp setup [@program-manager]` in the program's channel; `program_manager_id` None means the user."""

    program_manager_id: str | None = None


@dataclass(frozen=True, slots=True)
class AddAccount:
    """`/esp account add "Name" [tier N] [csm @u] [ae @u] [sa @u]`; a tier left out is the service's default."""

    name: str
    tier: int | None = None
    csm_id: str | None = None
    ae_id: str | None = None
    sa_id: str | None = None


@dataclass(frozen=True, slots=True)
class EditAccount:
    """`/esp account "Name" [tier N] [csm @u] [ae @u] [sa @u] [active|inactive]`; None leaves a field as it is,
    and at least one field is set."""

    name: str
    tier: int | None = None
    csm_id: str | None = None
    ae_id: str | None = None
    sa_id: str | None = None
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class ListAccounts:
    """`/esp accounts`."""


@dataclass(frozen=True, slots=True)
class AssignSponsor:
    """`/esp assign @sponsor "Account" [from <date>] [force]`; `start_on` is today unless `from` says otherwise."""

    sponsor_id: str
    account: str
    start_on: date
    force: bool = False


@dataclass(frozen=True, slots=True)
class UnassignSponsor:
    """`/esp unassign "Account" [@sponsor] [reason "…"]`; whether a reason is needed is the service's rule."""

    account: str
    sponsor_id: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ShowMap:
    """`/esp map`: sponsors and their accounts."""


@dataclass(frozen=True, slots=True)
class RecordTouchpoint:
    """`/esp touchpoint "Account" informal|face-to-face|ebr [<date>] ["notes"]`; never in the future."""

    account: str
    kind: TouchpointKind
    happened_on: date
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class RecordKpis:
    """`/esp kpi "Account" influence 4 …`: (metric, value) pairs in the order written, each metric once; ranges are
    checked by the service (`rules.validate_reading`)."""

    account: str
    readings: tuple[tuple[Metric, float], ...]
    measured_on: date


@dataclass(frozen=True, slots=True)
class RecordNps:
    """`/esp nps "Account" 9 10 7`: survey responses, each 0..10."""

    account: str
    responses: tuple[int, ...]
    measured_on: date


@dataclass(frozen=True, slots=True)
class RecordEvent:
    """`/esp roadblock "Account" ["note"]` or `/esp reference "Account" ["note"]`: one event counted on the KPIs."""

    account: str
    metric: Metric  # ROADBLOCK_REMOVED or PUBLIC_REFERENCE
    measured_on: date
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ShowScorecard:
    """`/esp scorecard ["Account"]`: one account's, or the program's when `account` is None."""

    account: str | None = None


@dataclass(frozen=True, slots=True)
class ListObligations:
    """`/esp cadence`: the operating cadence, numbered."""


@dataclass(frozen=True, slots=True)
class SetObligationEnabled:
    """`/esp cadence off|on <item>`; `ref` is the number `/esp cadence` shows (as text) or a key."""

    ref: str
    enabled: bool


@dataclass(frozen=True, slots=True)
class RescheduleObligation:
    """`/esp cadence <item> every <rule> at <time> [tz <zone>]`; as from `/cadence`, the service completes the rule
    (zone, fiscal year start)."""

    ref: str
    recurrence: Recurrence


@dataclass(frozen=True, slots=True)
class ShowChecklist:
    """`/esp checklist ["Account"]`: this period's checklists, for one account or every one."""

    account: str | None = None


EspCommand = (
    ShowEspHelp
    | SetupProgram
    | AddAccount
    | EditAccount
    | ListAccounts
    | AssignSponsor
    | UnassignSponsor
    | ShowMap
    | RecordTouchpoint
    | RecordKpis
    | RecordNps
    | RecordEvent
    | ShowScorecard
    | ListObligations
    | SetObligationEnabled
    | RescheduleObligation
    | ShowChecklist
)


def parse_esp_command(text: str, *, today: date, fiscal_start_month: int = 2) -> EspCommand:
    """Read the text of `/esp` into a request; raises UserError saying what was wrong and how to write it."""
    return dispatch_subcommand(
        text,
        command="/esp",
        subcommands=_SUBCOMMANDS,
        show_help=ShowEspHelp,
        context=_Context(today, fiscal_start_month),
        quote_usage=f"Put double quotes on both sides of the text, e.g. {ASSIGN_EXAMPLE}.",
        subcommand_usage=SUBCOMMAND_USAGE,
    )


# ---- shared readers --------------------------------------------------------------------------------------------


def _read_account(tokens: list[Token], *, written: str, example: str) -> str:
    """The quoted account name that must come first; raises UserError when missing, empty or too long."""
    return _read_text(tokens, what="account name", limit=NAME_LIMIT, example=example, written=written)


def _read_note(tokens: list[Token], *, what: str, written: str, usage: str) -> str | None:
    """An optional quoted note that ends the command; raises UserError for stray words or a note over the limit."""
    if not tokens:
        return None
    if not tokens[0].quoted:
        raise UserError(f"I didn't understand {quoted(_written(tokens))} in {quoted(written)}.", usage)
    _refuse_extra(tokens[1:], written=written, usage=usage)
    note = unescape(tokens[0].text).strip()
    return _check_length(note, what=what, limit=NOTE_LIMIT, usage=usage) if note else None


def _read_mention(tokens: list[Token], *, who: str, written: str, example: str) -> str:
    """The Slack user id in the one `@mention` given; raises UserError for none, text or several."""
    usage = PERSON_USAGE.format(example)
    # A quoted first word is the account, not a person: the person is missing.
    first = tokens[0] if tokens and not tokens[0].quoted else None
    user_id = read_mention(first, who=who, written=written, usage=usage)
    _refuse_extra(tokens[1:], written=written, usage=usage)
    return user_id


def _read_past_date(tokens: list[Token], context: _Context, *, what: str, written: str, example: str) -> date:
    """A day that has happened: `2026-02-06`, `today`, `yesterday`…; raises UserError for a future one."""
    if [_keyword(token) for token in tokens] == ["yesterday"]:
        return context.today - timedelta(days=1)
    day = _read_date(tokens, context, what=what, written=written, example=example)
    if day > context.today:
        raise UserError(
            f"The {what} {day.isoformat()} in {quoted(written)} hasn't happened yet; a weekday means the next one.",
            f"Record it once it has happened, or write the date, e.g. {example}.",
        )
    return day


def _optional_account(
    name: str, request: Callable[[str | None], EspCommand], example: str
) -> Callable[[list[Token], _Context], EspCommand]:
    """A parser for `<name>` alone or `<name> "Account"`, e.g. `scorecard`."""

    def parse(rest: list[Token], context: _Context) -> EspCommand:
        if not rest:
            return request(None)
        written = _command(name, _written(rest))
        account = _read_account(rest, written=written, example=example)
        _refuse_extra(rest[1:], written=written, usage=f"Name one account in double quotes, e.g. {example}.")
        return request(account)

    return parse


# ---- program, accounts, sponsors -------------------------------------------------------------------------------


def _parse_setup(rest: list[Token], context: _Context) -> SetupProgram:
    """`setup` or `setup @program-manager`; raises UserError for anything else."""
    if not rest:
        return SetupProgram()
    user_id = _read_mention(
        rest, who="program manager", written=_command("setup", _written(rest)), example="`/esp setup @pat`"
    )
    return SetupProgram(user_id)


def _parse_account(rest: list[Token], context: _Context) -> AddAccount | EditAccount:
    """`account add "Name" …` or `account "Name" …`; raises UserError."""
    adding = bool(rest) and _keyword(rest[0]) == "add"
    tokens = rest[1:] if adding else rest
    written = _command("account", _written(rest))
    if not tokens:
        raise UserError(f"I couldn't find the account name in {quoted(written)}.", ACCOUNT_USAGE)
    head, options = _split_options(tokens, _ACCOUNT_OPTIONS, written=written, usage=ACCOUNT_USAGE)
    name = _read_account(head, written=written, example=ACCOUNT_EXAMPLE if adding else EDIT_EXAMPLE)
    _refuse_extra(head[1:], written=written, usage=ACCOUNT_USAGE)
    fields = _read_account_options(options, written=written, adding=adding)
    if adding:
        return AddAccount(name, **fields)
    if not fields:
        raise UserError(f"{quoted(written)} doesn't say what to change.", ACCOUNT_USAGE)
    return EditAccount(name, **fields)


def _read_account_options(options: dict[str, list[Token]], *, written: str, adding: bool) -> dict[str, object]:
    """The fields `tier`, `csm`, `ae`, `sa` and (when editing) `active`/`inactive` set; raises UserError."""
    fields: dict[str, object] = {}
    if "tier" in options:
        fields["tier"] = _read_tier(options["tier"], written=written)
    for role in ("csm", "ae", "sa"):
        if role in options:
            example = f'`/esp account "Acme Corp" {role} @casey`'
            fields[f"{role}_id"] = _read_mention(options[role], who=role.upper(), written=written, example=example)
    states = [word for word in ("active", "inactive") if word in options]
    if states and adding:
        raise UserError(
            f"A new account is always active, so {quoted(states[0])} has no place in {quoted(written)}.", ACCOUNT_USAGE
        )
    if len(states) == 2:
        raise UserError(f"{quoted(written)} says both `active` and `inactive`.", ACCOUNT_USAGE)
    for state in states:
        _refuse_extra(options[state], written=written, usage=ACCOUNT_USAGE)
        fields["active"] = state == "active"
    return fields


def _read_tier(tokens: list[Token], *, written: str) -> int:
    """The tier after `tier`: a whole number 1..MAX_TIER; raises UserError."""
    if not tokens:
        raise UserError(f"I couldn't find the tier after `tier` in {quoted(written)}.", TIER_USAGE)
    digits = tokens[0].text
    if tokens[0].quoted or not (digits.isascii() and digits.isdigit()) or not 1 <= int(digits) <= MAX_TIER:
        raise UserError(f"I couldn't read the tier {quoted(tokens[0].written)}.", TIER_USAGE)
    _refuse_extra(tokens[1:], written=written, usage=TIER_USAGE)
    return int(digits)


def _parse_accounts(rest: list[Token], context: _Context) -> ListAccounts | AddAccount | EditAccount:
    """`accounts` lists them; `accounts add …` reads as `account add …`."""
    return _parse_account(rest, context) if rest else ListAccounts()


def _parse_assign(rest: list[Token], context: _Context) -> AssignSponsor:
    """`assign @sponsor "Account" [from <date>] [force]`, options in any order; raises UserError."""
    written = _command("assign", _written(rest))
    head, options = _split_options(rest, _ASSIGN_OPTIONS, written=written, usage=ASSIGN_USAGE)
    if len(head) > 1 and head[0].quoted and not head[1].quoted:
        head = [head[1], head[0], *head[2:]]  # `assign "Acme" @dana` says the same as `assign @dana "Acme"`
    sponsor_id = _read_mention(head[:1], who="sponsor", written=written, example=ASSIGN_EXAMPLE)
    account = _read_account(head[1:], written=written, example=ASSIGN_EXAMPLE)
    _refuse_extra(head[2:], written=written, usage=ASSIGN_USAGE)
    _refuse_extra(options.get("force", []), written=written, usage=ASSIGN_USAGE)
    start_on = context.today
    if "from" in options:
        start_on = _read_date(options["from"], context, what="start date", written=written, example=ASSIGN_EXAMPLE)
    return AssignSponsor(sponsor_id, account, start_on, force="force" in options)


def _parse_unassign(rest: list[Token], context: _Context) -> UnassignSponsor:
    """`unassign "Account" [@sponsor] [reason "…"]`; raises UserError."""
    written = _command("unassign", _written(rest))
    head, options = _split_options(rest, frozenset({"reason"}), written=written, usage=UNASSIGN_USAGE)
    account = _read_account(head, written=written, example=UNASSIGN_EXAMPLE)
    sponsor_id = None
    if head[1:]:
        sponsor_id = _read_mention(head[1:], who="sponsor", written=written, example=UNASSIGN_EXAMPLE)
    reason = None
    if "reason" in options:
        reason = unescape(" ".join(token.text for token in options["reason"])).strip()
        if not reason:
            raise UserError(f"I couldn't find the reason after `reason` in {quoted(written)}.", UNASSIGN_USAGE)
        _check_length(reason, what="reason", limit=NOTE_LIMIT, usage=UNASSIGN_USAGE)
    return UnassignSponsor(account, sponsor_id, reason)


# ---- touchpoints and KPIs --------------------------------------------------------------------------------------


def _parse_touchpoint(rest: list[Token], context: _Context) -> RecordTouchpoint:
    """`touchpoint "Account" <kind> [<date>] ["notes"]`; raises UserError."""
    written = _command("touchpoint", _written(rest))
    account = _read_account(rest, written=written, example=TOUCHPOINT_EXAMPLE)
    if len(rest) < 2:
        raise UserError(f"I couldn't find the kind of touchpoint in {quoted(written)}.", TOUCHPOINT_USAGE)
    kind = _TOUCHPOINT_KINDS.get(_keyword(rest[1]))
    if kind is None:
        raise UserError(f"I don't know the kind of touchpoint {quoted(rest[1].written)}.", TOUCHPOINT_USAGE)
    tail = rest[2:]
    notes_at = next((index for index, token in enumerate(tail) if token.quoted), len(tail))
    date_words = tail[:notes_at]
    if date_words and _keyword(date_words[0]) == "on":
        date_words = date_words[1:]
    happened_on = context.today
    if tail[:notes_at]:
        happened_on = _read_past_date(
            date_words, context, what="touchpoint date", written=written, example=TOUCHPOINT_EXAMPLE
        )
    notes = _read_note(tail[notes_at:], what="notes", written=written, usage=TOUCHPOINT_USAGE)
    return RecordTouchpoint(account, kind, happened_on, notes)


def _parse_kpi(rest: list[Token], context: _Context) -> RecordKpis:
    """`kpi "Account" <metric> <number> …`, at least one pair, each metric once; raises UserError."""
    written = _command("kpi", _written(rest))
    account = _read_account(rest, written=written, example=KPI_EXAMPLE)
    pairs = rest[1:]
    if not pairs:
        raise UserError(f"I couldn't find any KPI in {quoted(written)}.", KPI_USAGE)
    readings: dict[Metric, float] = {}
    for position in range(0, len(pairs), 2):
        metric = _KPI_NAMES.get(_keyword(pairs[position]).replace("_", "-"))
        if metric is None:
            raise UserError(f"I don't know the KPI {quoted(pairs[position].written)}.", _kpi_usage(pairs[position]))
        if metric in readings:
            raise UserError(f"You gave {quoted(pairs[position].written)} twice in {quoted(written)}.", KPI_USAGE)
        if position + 1 == len(pairs):
            raise UserError(f"I couldn't find the number after {quoted(pairs[position].written)}.", KPI_USAGE)
        readings[metric] = _read_kpi_value(metric, pairs[position + 1], after=pairs[position])
    return RecordKpis(account, tuple(readings.items()), context.today)


def _kpi_usage(token: Token) -> str:
    """How to write KPIs, pointing NPS, roadblocks and references at their own commands."""
    word = _keyword(token)
    if word == "nps":
        return f"NPS responses have their own command, e.g. {NPS_EXAMPLE}."
    if word.startswith(("roadblock", "reference")):
        return f'Count one with its own command, e.g. `/esp {word.rstrip("s")} "Acme Corp"`.'
    return KPI_USAGE


def _read_kpi_value(metric: Metric, token: Token, *, after: Token) -> float:
    """A number; `12%` for ARR growth and `45d` for time to value; raises UserError when it isn't one."""
    text = token.text.lower()
    if metric is Metric.NET_ARR_GROWTH:
        text = text.removesuffix("%")
    elif metric is Metric.TIME_TO_VALUE_DAYS:
        text = text.removesuffix("days").removesuffix("d")
    if token.quoted or not _NUMBER.fullmatch(text):
        raise UserError(
            f"I couldn't read {quoted(token.written)} after {quoted(after.written)} as a number.", KPI_USAGE
        )
    return float(text)


def _parse_nps(rest: list[Token], context: _Context) -> RecordNps:
    """`nps "Account" 9 10 7` (commas allowed); raises UserError for a response that isn't 0..10."""
    written = _command("nps", _written(rest))
    account = _read_account(rest, written=written, example=NPS_EXAMPLE)
    responses = []
    for token in rest[1:]:
        for part in filter(None, token.text.split(",")):
            if token.quoted or not (part.isascii() and part.isdigit()) or int(part) > 10:
                raise UserError(
                    f"I couldn't read the NPS response {quoted(part)}: responses go from 0 to 10.", NPS_USAGE
                )
            responses.append(int(part))
    if not responses:
        raise UserError(f"I couldn't find any survey response in {quoted(written)}.", NPS_USAGE)
    if len(responses) > MAX_RESPONSES:
        raise UserError(f"That is {len(responses):,} responses; one command takes at most {MAX_RESPONSES}.", NPS_USAGE)
    return RecordNps(account, tuple(responses), context.today)


def _event_parser(name: str, metric: Metric) -> Callable[[list[Token], _Context], RecordEvent]:
    """A parser for `roadblock|reference "Account" ["note"]`."""
    example = f'`/esp {name} "Acme Corp" "{_EVENT_NOTES[metric]}"`'
    usage = f'Write `/esp {name} "Account"`, with a "note" if you want one, e.g. {example}.'

    def parse(rest: list[Token], context: _Context) -> RecordEvent:
        written = _command(name, _written(rest))
        account = _read_account(rest, written=written, example=example)
        note = _read_note(rest[1:], what="note", written=written, usage=usage)
        return RecordEvent(account, metric, context.today, note)

    return parse


# ---- operating cadence -----------------------------------------------------------------------------------------


def _parse_cadence(
    rest: list[Token], context: _Context
) -> ListObligations | SetObligationEnabled | RescheduleObligation:
    """`cadence`, `cadence off|on <item>`, `cadence <item> off|on`, `cadence <item> every <rule> at <time>`."""
    if not rest:
        return ListObligations()
    written = _command("cadence", _written(rest))
    words = [_keyword(token) for token in rest]
    if words[0] in ("off", "on"):
        if len(rest) < 2:
            raise UserError(f"I couldn't find which item to turn {words[0]} in {quoted(written)}.", CADENCE_USAGE)
        _refuse_extra(rest[2:], written=written, usage=CADENCE_USAGE)
        return SetObligationEnabled(_read_ref(rest[1], written=written), enabled=words[0] == "on")
    ref = _read_ref(rest[0], written=written)
    if words[1:] in (["off"], ["on"]):
        return SetObligationEnabled(ref, enabled=words[1] == "on")
    if len(rest) < 2:
        raise UserError(f"{quoted(written)} doesn't say what to do with the item.", CADENCE_USAGE)
    rule, options = _split_options(rest[1:], _RESCHEDULE_OPTIONS, written=written, usage=CADENCE_USAGE)
    if not options.get("at"):
        raise UserError(f"I couldn't find the time in {quoted(written)}.", CADENCE_USAGE)
    if "tz" in options and not options["tz"]:
        raise UserError(f"I couldn't find the time zone after `tz` in {quoted(written)}.", CADENCE_USAGE)
    try:
        recurrence = parse_rule_sentence(_written(rule), _written(options["at"]), _written(options.get("tz", [])))
    except UserError as error:  # its own usage shows `/cadence add` examples
        raise UserError(error.problem, CADENCE_USAGE) from error
    return RescheduleObligation(ref, recurrence)


def _read_ref(token: Token, *, written: str) -> str:
    """An operating-cadence item: its number in `/esp cadence` (`3`, `#3`) or its key (`quarterly.forum`)."""
    text = token.text.lower().removeprefix("#")
    if not token.quoted and text.isascii() and text.isdigit() and 1 <= int(text) <= len(OBLIGATION_KEYS):
        return str(int(text))
    if not token.quoted and _OBLIGATION_KEY.fullmatch(text) and text in OBLIGATION_KEYS:
        return text
    raise UserError(
        f"There's no operating-cadence item {quoted(token.written)} in {quoted(written)}.",
        f"Give the number `/esp cadence` shows (1 to {len(OBLIGATION_KEYS)}) or a key such as `quarterly.forum`, "
        f"e.g. {CADENCE_EXAMPLE}.",
    )


_SUBCOMMANDS: dict[str, Callable[[list[Token], _Context], EspCommand]] = {
    "help": lambda rest, context: ShowEspHelp(),
    "setup": _parse_setup,
    "account": _parse_account,
    "accounts": _parse_accounts,
    "assign": _parse_assign,
    "unassign": _parse_unassign,
    "map": _no_words("map", ShowMap),
    "touchpoint": _parse_touchpoint,
    "kpi": _parse_kpi,
    "kpis": _parse_kpi,
    "nps": _parse_nps,
    "roadblock": _event_parser("roadblock", Metric.ROADBLOCK_REMOVED),
    "reference": _event_parser("reference", Metric.PUBLIC_REFERENCE),
    "scorecard": _optional_account("scorecard", ShowScorecard, SCORECARD_EXAMPLE),
    "cadence": _parse_cadence,
    "checklist": _optional_account("checklist", ShowChecklist, CHECKLIST_EXAMPLE),
}
