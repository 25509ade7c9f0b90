"""The text of `/wg` read into a request: pure, so every form and every error is tested without Slack.

In a group's channel `/wg` acts on that group, so no command names it. Forms: `create`, `charter`, `export`,
`import`, `role add|remove`, `roles`, `criterion add|done|undo|progress`, `criteria`, `action`, `actions`,
`done|reopen|reassign|due N`, `sync`, `digest on|off`, `extend <date>`, `close` and `help`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import takewhile

from bot.action_items.service import ActionChange, ActionFilter
from bot.cadence.commands import parse_rule_sentence
from bot.cadence.rules import Recurrence
from bot.errors import UserError
from bot.parsing import DateContext as _Context
from bot.parsing import Token, command_text, dispatch_subcommand, expect_end, no_words, read_user_mention, read_web_link
from bot.parsing import as_typed as _written
from bot.parsing import check_length as _check_length
from bot.parsing import keyword as _keyword
from bot.parsing import read_date_words as _read_date
from bot.parsing import read_quoted_text as _read_text
from bot.parsing import refuse_extra as _refuse_extra
from bot.parsing import split_options as _split_options
from bot.text import quoted, unescape
from bot.working_groups.rules import GOAL_LIMIT, LABEL_LIMIT, NAME_LIMIT, TEXT_LIMIT, URL_LIMIT

_MAX_ID = 2**31 - 1  # ids and positions are 32-bit integers

CREATE_EXAMPLE = '`/wg create "Leading Organizations" goal "Grow monthly contributors" ends 2027-01-31`'
CREATE_OPTIONS_USAGE = (
    'After the name come, in any order and only if you want them, `goal "…"`, `created <date>`, `ends <date>`, '
    f"`agenda <link>` and `board <link>`, e.g. {CREATE_EXAMPLE}."
)
LINK_USAGE = (
    "Paste the whole link, starting with `https://`, "
    'e.g. `/wg create "Leading Organizations" agenda https://docs.google.com/document/d/1D5J`.'
)
ROLE_EXAMPLE = '`/wg role add lead "Contributor Success" @nick as "Director, Contributor Success"`'
ROLE_USAGE = (
    'Write `/wg role add <role> @person`, with `as "Title"` if you want, or `/wg role remove [<role>] @person`, '
    f"e.g. {ROLE_EXAMPLE}."
)
REMOVE_USAGE = (
    "Write the role, then the person (mentioned with `@`, or a name in double quotes), e.g. "
    "`/wg role remove facilitator @alice`; without a role, `/wg role remove @alice` removes every role they hold."
)
ROLE_NAMES_USAGE = (
    "The roles are `dri`, `facilitator`, `executive sponsor`, `executive stakeholder`, "
    "`functional lead: <function>`, `contributor` and `member`, "
    'e.g. `/wg role add "functional lead: Contributor Success" @nick`.'
)
FUNCTION_USAGE = 'Name the function after `lead`, e.g. `/wg role add lead "Contributor Success" @nick`.'
LEAD_PERSON_USAGE = (
    "Give the function, then the person (mentioned with `@`, or a name in double quotes), "
    'e.g. `/wg role add lead "Contributor Success" @nick`.'
)
PERSON_USAGE = (
    "Mention the person with `@` and pick them from Slack's list, or put their name in double quotes, "
    'e.g. `/wg role add dri @emilio` or `/wg role add member "Sid Sijbrandij"`.'
)
CRITERION_USAGE = (
    'Write `/wg criterion add "…"`, `/wg criterion done 2`, `/wg criterion undo 2` or '
    "`/wg criterion progress 2 50%`, with the number the charter shows; `/wg criteria` lists them."
)
CRITERION_EXAMPLE = '`/wg criterion add "Activate 100 Leading Organizations"`'
PERCENT_USAGE = "Write a whole percentage from 0 to 100, e.g. `/wg criterion progress 2 50%`."
ACTION_EXAMPLE = '`/wg action "Draft the FY25 plan" @nick due friday`'
OWNER_USAGE = (
    "Name the owner after the text: mention them with `@`, write `me`, or put a name in double quotes, "
    f"e.g. {ACTION_EXAMPLE}."
)
ACTIONS_USAGE = (
    "Write `/wg actions` for the open items, or `/wg actions mine`, `/wg actions overdue` or `/wg actions all`."
)
SYNC_EXAMPLE = "`/wg sync every other tuesday at 16:00 tz Europe/Amsterdam`"
SYNC_USAGE = (
    "Write `/wg sync every <rule> at HH:MM`, with `tz <zone>` if you want one, or `/wg sync off`; rules read as "
    "in `/cadence`: `every monday`, `biweekly on tuesday`, `every month on the first monday`, `every fiscal quarter`…, "
    f"e.g. {SYNC_EXAMPLE}."
)
QUOTE_USAGE = f"Put double quotes on both sides of the text, e.g. {ACTION_EXAMPLE}."
DIGEST_USAGE = "Write `/wg digest on` or `/wg digest off`."
SUBCOMMAND_USAGE = (
    "Try `/wg create`, `/wg charter`, `/wg export`, `/wg import`, `/wg people`, `/wg role add`, `/wg role remove`, "
    "`/wg roles`, `/wg criterion add`, `/wg criteria`, `/wg action`, `/wg actions`, `/wg done 12`, `/wg reopen 12`, "
    "`/wg reassign 12 @person`, `/wg due 12 friday`, `/wg sync`, `/wg digest off`, `/wg extend 2027-01-31`, "
    f"`/wg close` or `/wg help`, e.g. {ACTION_EXAMPLE}."
)
_CHANGE_EXAMPLES = {
    ActionChange.DONE: "`/wg done 12`",
    ActionChange.REOPEN: "`/wg reopen 12`",
    ActionChange.REASSIGN: "`/wg reassign 12 @nick`",
    ActionChange.DUE: "`/wg due 12 friday`",
}

DRI, FACILITATOR, FUNCTIONAL_LEAD = "DRI", "Facilitator", "Functional Lead"
EXECUTIVE_SPONSOR, EXECUTIVE_STAKEHOLDER = "Executive Sponsor", "Executive Stakeholder"
CONTRIBUTOR, MEMBER = "Contributor", "Member"
ROLES = (DRI, EXECUTIVE_SPONSOR, EXECUTIVE_STAKEHOLDER, FACILITATOR, FUNCTIONAL_LEAD, CONTRIBUTOR, MEMBER)
_ROLE_NAMES = {
    "dri": DRI,
    "facilitator": FACILITATOR,
    "executive sponsor": EXECUTIVE_SPONSOR,
    "exec sponsor": EXECUTIVE_SPONSOR,
    "sponsor": EXECUTIVE_SPONSOR,
    "executive stakeholder": EXECUTIVE_STAKEHOLDER,
    "exec stakeholder": EXECUTIVE_STAKEHOLDER,
    "stakeholder": EXECUTIVE_STAKEHOLDER,
    "functional lead": FUNCTIONAL_LEAD,
    "lead": FUNCTIONAL_LEAD,
    "contributor": CONTRIBUTOR,
    "member": MEMBER,
}
_CREATE_OPTIONS = frozenset({"goal", "created", "ends", "agenda", "board"})
_SYNC_OPTIONS = frozenset({"at", "tz"})
# Slack sends a pasted link as <https://x> or <https://x|label>; anything a user typed as < or > arrives as &lt; &gt;.

_command = partial(command_text, "/wg")
_expect_end = partial(expect_end, "/wg")
_no_words = partial(no_words, "/wg")


@dataclass(frozen=True, slots=True)
class ShowWgHelp:
    """`/wg`, `/wg help`."""


@dataclass(frozen=True, slots=True)
class OpenCreateModal:
    """`/wg create` with nothing after it."""


@dataclass(frozen=True, slots=True)
class CreateGroup:
    """`/wg create "Name" [goal "…"] [created <date>] [ends <date>] [agenda <link>] [board <link>]` in this channel.

    Text is stored as typed (unescaped); it is escaped again whenever it is shown.
    """

    name: str
    goal: str | None = None
    created_on: date | None = None
    end_on: date | None = None
    agenda_url: str | None = None
    board_url: str | None = None


@dataclass(frozen=True, slots=True)
class PostCharter:
    """`/wg charter`: post the group's charter in its channel."""


@dataclass(frozen=True, slots=True)
class ExportCharter:
    """`/wg export`: the charter as a handbook page."""


@dataclass(frozen=True, slots=True)
class OpenImportModal:
    """`/wg import`: the form to paste a handbook page into."""


@dataclass(frozen=True, slots=True)
class OpenLinkModal:
    """`/wg people` (or `/wg link`): the form that links the people a page named to Slack users."""


@dataclass(frozen=True, slots=True)
class AddRole:
    """`/wg role add <role> <@user|"Name"> [as "Title"]`; `role` is one of ROLES, `function` only for a Functional Lead.

    Exactly one of `user_id` and `person_name` is set.
    """

    role: str
    function: str | None = None
    user_id: str | None = None
    person_name: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class RemoveRole:
    """`/wg role remove [<role>] <@user|"Name">`; `role` None means every role the person holds, `function` (for a
    Functional Lead) None means whatever their function."""

    user_id: str | None = None
    person_name: str | None = None
    role: str | None = None
    function: str | None = None


@dataclass(frozen=True, slots=True)
class ListRoles:
    """`/wg roles`."""


@dataclass(frozen=True, slots=True)
class AddCriterion:
    """`/wg criterion add "…"`: a new exit criterion at the end of the list."""

    text: str


@dataclass(frozen=True, slots=True)
class TickCriterion:
    """`/wg criterion done N` (done=True) or `/wg criterion undo N`; N is the 1-based position in the charter."""

    number: int
    done: bool


@dataclass(frozen=True, slots=True)
class SetCriterionProgress:
    """`/wg criterion progress N 50%`; `percent` is 0..100."""

    number: int
    percent: int


@dataclass(frozen=True, slots=True)
class ListCriteria:
    """`/wg criteria`."""


@dataclass(frozen=True, slots=True)
class AddAction:
    """`/wg action "…" <@owner|"Name"|me> [due <date>]`; exactly one of the owner fields is set."""

    text: str
    owner_id: str | None = None
    owner_name: str | None = None
    owner_is_me: bool = False
    due_on: date | None = None


@dataclass(frozen=True, slots=True)
class ListActions:
    """`/wg actions [mine|overdue|all|open]`: open items of this group unless another filter is named."""

    filter: ActionFilter = ActionFilter.OPEN


@dataclass(frozen=True, slots=True)
class ChangeAction:
    """`/wg done N`, `reopen N`, `reassign N <@user|"Name"|me>`, `due N <date>`; N is the item number.

    The owner fields are set only for REASSIGN (exactly one of them), `due_on` only for DUE.
    """

    item_id: int
    change: ActionChange
    owner_id: str | None = None
    owner_name: str | None = None
    due_on: date | None = None
    owner_is_me: bool = False


@dataclass(frozen=True, slots=True)
class ShowSync:
    """`/wg sync`: when the group meets."""


@dataclass(frozen=True, slots=True)
class SetSync:
    """`/wg sync every <rule> at <time> [tz <zone>]`, or `/wg sync off` (recurrence None).

    As from `/cadence`: `timezone` is "" when none was named, fiscal rules keep `year_start_month=1` and `anchor`
    is None; the service fills them in.
    """

    recurrence: Recurrence | None


@dataclass(frozen=True, slots=True)
class SetDigest:
    """`/wg digest on|off`: whether the weekly digest is posted."""

    enabled: bool


@dataclass(frozen=True, slots=True)
class CloseGroup:
    """`/wg close`."""


@dataclass(frozen=True, slots=True)
class ExtendGroup:
    """`/wg extend <date>`: move the end date."""

    end_on: date


@dataclass(frozen=True, slots=True)
class ShowAction:
    """`/wg item N`: one action item with everything that happened to it."""

    item_id: int


WgCommand = (
    ShowAction
    | ShowWgHelp
    | OpenCreateModal
    | CreateGroup
    | PostCharter
    | ExportCharter
    | OpenImportModal
    | OpenLinkModal
    | AddRole
    | RemoveRole
    | ListRoles
    | AddCriterion
    | TickCriterion
    | SetCriterionProgress
    | ListCriteria
    | AddAction
    | ListActions
    | ChangeAction
    | ShowSync
    | SetSync
    | SetDigest
    | CloseGroup
    | ExtendGroup
)


@dataclass(frozen=True, slots=True)
class _Person:
    """Who a command names: a Slack user, a plain name, or the user themselves."""

    user_id: str | None = None
    name: str | None = None
    is_me: bool = False


def parse_wg_command(text: str, *, today: date, fiscal_start_month: int = 2) -> WgCommand:
    """Read the text of `/wg` into a request; raises UserError saying what was wrong and how to write it."""
    return dispatch_subcommand(
        text,
        command="/wg",
        subcommands=_SUBCOMMANDS,
        show_help=ShowWgHelp,
        context=_Context(today, fiscal_start_month),
        quote_usage=QUOTE_USAGE,
        subcommand_usage=SUBCOMMAND_USAGE,
    )


# ---- shared readers --------------------------------------------------------------------------------------------


def _read_number(tokens: list[Token], *, what: str, written: str, usage: str) -> int:
    """The number in `12` or `#12` that must come first; raises UserError when missing or not a number."""
    if not tokens:
        raise UserError(f"I couldn't find the {what} number in {quoted(written)}.", usage)
    digits = tokens[0].text.removeprefix("#")
    if tokens[0].quoted or not (digits.isascii() and digits.isdigit()) or not 1 <= int(digits) <= _MAX_ID:
        raise UserError(f"I couldn't read the {what} number {quoted(tokens[0].written)}.", usage)
    return int(digits)


def _read_person(token: Token, *, usage: str, allow_me: bool = False) -> _Person:
    """A Slack mention (`<@U123>`), a "Plain Name" or, when allowed, `me`; raises UserError for anything else."""
    user_id = read_user_mention(token.text)
    if user_id is not None:
        return _Person(user_id=user_id)
    if allow_me and _keyword(token) == "me":
        return _Person(is_me=True)
    if not token.quoted:
        # A real @mention arrives as <@U…>; plain text means Slack found no one by that name.
        raise UserError(f"I couldn't find the person {quoted(token.written)}.", usage)
    name = " ".join(unescape(token.text).split())
    if not name:
        raise UserError(f"The name {quoted(token.written)} is empty.", usage)
    return _Person(name=_check_length(name, what="name", limit=LABEL_LIMIT, usage=usage))


def _read_url(tokens: list[Token], *, option: str, written: str) -> str:
    """An http(s) link, bare or as Slack sends it (`<https://x|label>`); raises UserError for anything else."""
    if not tokens:
        raise UserError(f"I couldn't find the link after `{option}` in {quoted(written)}.", LINK_USAGE)
    return read_web_link(tokens, what=f"{option} link", written=written, usage=LINK_USAGE, limit=URL_LIMIT)


# ---- create --------------------------------------------------------------------------------------------------


def _parse_create(rest: list[Token], context: _Context) -> CreateGroup | OpenCreateModal:
    """`create` alone (the form), or `create "Name"` and its options in any order; raises UserError."""
    if not rest:
        return OpenCreateModal()
    written = _command("create", _written(rest))
    head, options = _split_options(rest, _CREATE_OPTIONS, written=written, usage=CREATE_OPTIONS_USAGE)
    name = _read_text(head, what="group name", limit=NAME_LIMIT, example=CREATE_EXAMPLE, written=written)
    _refuse_extra(head[1:], written=written, usage=CREATE_OPTIONS_USAGE)
    created_on, end_on = _read_create_dates(options, context, written=written)
    return CreateGroup(
        name=name,
        goal=_read_goal(options["goal"], written=written) if "goal" in options else None,
        created_on=created_on,
        end_on=end_on,
        agenda_url=_read_url(options["agenda"], option="agenda", written=written) if "agenda" in options else None,
        board_url=_read_url(options["board"], option="board", written=written) if "board" in options else None,
    )


def _read_goal(values: list[Token], *, written: str) -> str:
    """The quoted goal after `goal`; raises UserError when unquoted, empty, too long or followed by stray words."""
    goal = _read_text(values, what="goal", limit=GOAL_LIMIT, example=CREATE_EXAMPLE, written=written)
    _refuse_extra(values[1:], written=written, usage=CREATE_OPTIONS_USAGE)
    return goal


def _read_create_dates(
    options: dict[str, list[Token]], context: _Context, *, written: str
) -> tuple[date | None, date | None]:
    """The `created` and `ends` dates, when given; raises UserError when unreadable or ending before the start."""
    read = partial(_read_date, context=context, written=written, example=CREATE_EXAMPLE)
    created_on = read(options["created"], what="created date") if "created" in options else None
    end_on = read(options["ends"], what="end date") if "ends" in options else None
    if created_on and end_on and end_on < created_on:
        raise UserError(
            f"The end date {end_on.isoformat()} comes before the created date {created_on.isoformat()} "
            f"in {quoted(written)}.",
            f"Give an end date on or after the created date, e.g. {CREATE_EXAMPLE}.",
        )
    return created_on, end_on


# ---- roles ---------------------------------------------------------------------------------------------------


def _parse_role(rest: list[Token], context: _Context) -> AddRole | RemoveRole:
    """`role add …` or `role remove …`; raises UserError for anything else."""
    verb = _keyword(rest[0]) if rest else ""
    if verb == "add":
        return _parse_role_add(rest[1:], written=_command("role", _written(rest)))
    if verb == "remove":
        return _parse_role_remove(rest[1:], written=_command("role", _written(rest)))
    if not rest:
        raise UserError(f"I couldn't tell what to do with roles from {quoted('/wg role')}.", ROLE_USAGE)
    raise UserError(f"I don't know {quoted(_command('role', rest[0].written))}.", ROLE_USAGE)


def _parse_roles(rest: list[Token], context: _Context) -> ListRoles | AddRole | RemoveRole:
    """`roles` lists them; `roles add …` reads as `role add …`."""
    return _parse_role(rest, context) if rest else ListRoles()


def _parse_role_add(tokens: list[Token], *, written: str) -> AddRole:
    """`<role> <@user|"Name"> [as "Title"]` after `role add`; raises UserError."""
    role, function, rest = _read_role(tokens, written=written, function_required=True)
    if not rest:
        usage = LEAD_PERSON_USAGE if role == FUNCTIONAL_LEAD else PERSON_USAGE
        raise UserError(f"I couldn't find who becomes {role} in {quoted(written)}.", usage)
    person = _read_person(rest[0], usage=PERSON_USAGE)
    title = _read_title(rest[1:], written=written)
    return AddRole(role=role, function=function, user_id=person.user_id, person_name=person.name, title=title)


def _parse_role_remove(tokens: list[Token], *, written: str) -> RemoveRole:
    """`[<role>] <@user|"Name">` or `<@user|"Name"> [<role>]` after `role remove`: the help writes the role first, and
    the person first reads too; a functional lead's function, if written, narrows it to that function."""
    if not tokens:
        raise UserError(f"I couldn't find whose role to remove in {quoted(written)}.", REMOVE_USAGE)
    first = tokens[0]
    looks_like_a_role = not first.quoted and read_user_mention(first.text) is None and len(tokens) > 1
    if _names_a_role(first) or looks_like_a_role:  # `facilitatr @alice` is told the role is unknown
        role, function, rest = _read_role(tokens, written=written, function_required=False)
        if not rest:
            raise UserError(f"I couldn't find who stops being {role} in {quoted(written)}.", REMOVE_USAGE)
        person = _read_person(rest[0], usage=REMOVE_USAGE)
        _refuse_extra(rest[1:], written=written, usage=REMOVE_USAGE)
        return RemoveRole(user_id=person.user_id, person_name=person.name, role=role, function=function)
    person = _read_person(tokens[0], usage=REMOVE_USAGE)
    role, function = None, None
    if tokens[1:]:
        role, function, rest = _read_role(tokens[1:], written=written, function_required=False)
        _refuse_extra(rest, written=written, usage=REMOVE_USAGE)
    return RemoveRole(user_id=person.user_id, person_name=person.name, role=role, function=function)


def _names_a_role(token: Token) -> bool:
    """Whether a token starts a role (`facilitator`, `"executive sponsor"`, `lead`, `"functional lead: X"`), not a
    person: a mention never does, and a quoted name only when it is a role's name."""
    if read_user_mention(token.text) is not None:
        return False
    head = _normalize(token.text.partition(":")[0])
    return head in _ROLE_NAMES or any(name.startswith(head + " ") for name in _ROLE_NAMES if not token.quoted)


def _read_role(tokens: list[Token], *, written: str, function_required: bool) -> tuple[str, str | None, list[Token]]:
    """The role at the start (`dri`, `"executive sponsor"`, `lead "Contributor Success"`…), its function, the rest."""
    if not tokens:
        raise UserError(f"I couldn't find the role in {quoted(written)}.", ROLE_NAMES_USAGE)
    phrase, rest = _role_phrase(tokens)
    head, colon, inline_function = phrase.partition(":")
    role = _ROLE_NAMES.get(_normalize(head))
    if role is None or (colon and role != FUNCTIONAL_LEAD):
        raise UserError(f"I don't know the role {quoted(phrase)}.", ROLE_NAMES_USAGE)
    if role != FUNCTIONAL_LEAD:
        return role, None, rest
    function: str | None = " ".join(unescape(inline_function).split())
    if not function:
        function, rest = _read_function(rest)
    if function is None and function_required:
        raise UserError(f"I couldn't find the function of the functional lead in {quoted(written)}.", FUNCTION_USAGE)
    if function is not None:
        _check_length(function, what="function", limit=LABEL_LIMIT, usage=FUNCTION_USAGE)
    return role, function, rest


def _role_phrase(tokens: list[Token]) -> tuple[str, list[Token]]:
    """The role's words: one quoted token, two words that name a role (`executive sponsor`), or one word."""
    first = tokens[0]
    if first.quoted:
        return first.text, tokens[1:]
    if len(tokens) > 1 and not tokens[1].quoted:
        two = f"{first.text} {tokens[1].text}"
        if _normalize(two.partition(":")[0]) in _ROLE_NAMES:
            return two, tokens[2:]
    return first.text, tokens[1:]


def _read_function(tokens: list[Token]) -> tuple[str | None, list[Token]]:
    """A functional lead's function: one quoted token, or the plain words before the person; None when absent."""
    if tokens and tokens[0].quoted and read_user_mention(tokens[0].text) is None:
        return " ".join(unescape(tokens[0].text).split()) or None, tokens[1:]
    plain = list(takewhile(lambda token: not token.quoted and read_user_mention(token.text) is None, tokens))
    function = " ".join(unescape(token.text) for token in plain).strip(": ")
    return (function or None), tokens[len(plain) :]


def _normalize(role: str) -> str:
    """A role name in lower case with `-` and `_` as spaces, so `Exec-Sponsor` reads as `exec sponsor`."""
    return " ".join(role.lower().replace("-", " ").replace("_", " ").split())


def _read_title(tokens: list[Token], *, written: str) -> str | None:
    """The title in `as "VP, Product"`, or None when there is no `as`; raises UserError for stray words."""
    if not tokens:
        return None
    if _keyword(tokens[0]) != "as":
        _refuse_extra(tokens, written=written, usage=ROLE_USAGE)
    title = " ".join(unescape(token.text) for token in tokens[1:]).strip()
    if not title:
        raise UserError(f"I couldn't find the title after `as` in {quoted(written)}.", ROLE_USAGE)
    return _check_length(title, what="title", limit=LABEL_LIMIT, usage=ROLE_USAGE)


# ---- exit criteria -------------------------------------------------------------------------------------------


def _parse_criterion(
    rest: list[Token], context: _Context
) -> AddCriterion | TickCriterion | SetCriterionProgress | ListCriteria:
    """`criterion add "…"`, `criterion done|undo N` or `criterion progress N 50%`; raises UserError."""
    verb = _keyword(rest[0]) if rest else ""
    written = _command("criterion", _written(rest))
    if verb == "add":
        text = _read_text(rest[1:], what="criterion", limit=TEXT_LIMIT, example=CRITERION_EXAMPLE, written=written)
        _refuse_extra(rest[2:], written=written, usage=CRITERION_USAGE)
        return AddCriterion(text)
    if verb in ("done", "undo", "progress"):
        number = _read_number(rest[1:], what="criterion", written=written, usage=CRITERION_USAGE)
        if verb == "progress":
            return SetCriterionProgress(number, _read_percent(rest[2:], written=written))
        _expect_end(rest[2:], after=f"criterion {verb} {number}")
        return TickCriterion(number, done=verb == "done")
    if not rest:
        raise UserError(f"I couldn't tell what to do with the exit criteria from {quoted(written)}.", CRITERION_USAGE)
    raise UserError(f"I don't know {quoted(_command('criterion', rest[0].written))}.", CRITERION_USAGE)


def _parse_criteria(
    rest: list[Token], context: _Context
) -> AddCriterion | TickCriterion | SetCriterionProgress | ListCriteria:
    """`criteria` lists them; `criteria add …` reads as `criterion add …`."""
    return _parse_criterion(rest, context) if rest else ListCriteria()


def _read_percent(tokens: list[Token], *, written: str) -> int:
    """A whole percentage 0..100 written `50%` or `50`; raises UserError when missing, unreadable or out of range."""
    if not tokens:
        raise UserError(f"I couldn't find the progress in {quoted(written)}.", PERCENT_USAGE)
    text = "".join(token.text for token in tokens)  # `50 %` reads as `50%`
    digits = text.removesuffix("%")
    if any(token.quoted for token in tokens) or not (digits.isascii() and digits.isdigit()):
        raise UserError(f"I couldn't read the progress {quoted(_written(tokens))}.", PERCENT_USAGE)
    if int(digits) > 100:
        raise UserError(f"Progress goes up to 100%, so {quoted(_written(tokens))} is too much.", PERCENT_USAGE)
    return int(digits)


# ---- action items --------------------------------------------------------------------------------------------


def _parse_action(rest: list[Token], context: _Context) -> AddAction:
    """`action "…" <@owner|"Name"|me> [due <date>]`; raises UserError."""
    written = _command("action", _written(rest))
    text = _read_text(rest, what="action item text", limit=TEXT_LIMIT, example=ACTION_EXAMPLE, written=written)
    if len(rest) < 2 or _keyword(rest[1]) == "due":
        raise UserError(f"I couldn't find who owns the action item in {quoted(written)}.", OWNER_USAGE)
    owner = _read_person(rest[1], usage=OWNER_USAGE, allow_me=True)
    due_on = None
    if rest[2:]:
        if _keyword(rest[2]) != "due":
            _refuse_extra(
                rest[2:], written=written, usage=f"Only `due <date>` may follow the owner, e.g. {ACTION_EXAMPLE}."
            )
        due_on = _read_date(rest[3:], context, what="due date", written=written, example=ACTION_EXAMPLE)
    return AddAction(text, owner.user_id, owner.name, owner.is_me, due_on)


def _parse_actions(rest: list[Token], context: _Context) -> ListActions:
    """`actions`, `actions mine|overdue|all|open`; raises UserError for any other filter."""
    if not rest:
        return ListActions()
    choice = _keyword(rest[0])
    if len(rest) > 1 or choice not in {member.value for member in ActionFilter}:
        raise UserError(f"I don't know the list {quoted(_command('actions', _written(rest)))}.", ACTIONS_USAGE)
    return ListActions(ActionFilter(choice))


def _parse_change(change: ActionChange, rest: list[Token], context: _Context) -> ChangeAction:
    """`done N`, `reopen N`, `reassign N <@user|"Name"|me>` or `due N <date>`; raises UserError."""
    example = _CHANGE_EXAMPLES[change]
    written = _command(change.value, _written(rest))
    usage = f"Give the item number `/wg actions` shows, e.g. {example}."
    item_id = _read_number(rest, what="item", written=written, usage=usage)
    args = rest[1:]
    if change == ActionChange.REASSIGN:
        return _read_reassign(item_id, args, written=written, example=example)
    if change == ActionChange.DUE:
        due_on = _read_date(args, context, what="new due date", written=written, example=example)
        return ChangeAction(item_id, change, due_on=due_on)
    _expect_end(args, after=f"{change.value} {item_id}")
    return ChangeAction(item_id, change)


def _read_reassign(item_id: int, args: list[Token], *, written: str, example: str) -> ChangeAction:
    """The new owner after `reassign N`; raises UserError when missing, unreadable or followed by more."""
    usage = f"Name the new owner: mention them with `@`, write `me`, or put a name in double quotes, e.g. {example}."
    if not args:
        raise UserError(f"I couldn't find the new owner in {quoted(written)}.", usage)
    owner = _read_person(args[0], usage=usage, allow_me=True)
    _refuse_extra(args[1:], written=written, usage=usage)
    return ChangeAction(item_id, ActionChange.REASSIGN, owner.user_id, owner.name, owner_is_me=owner.is_me)


# ---- sync, digest, end -----------------------------------------------------------------------------------------


def _parse_sync(rest: list[Token], context: _Context) -> ShowSync | SetSync:
    """`sync` shows it, `sync off` stops it, `sync every <rule> at <time> [tz <zone>]` sets it; raises UserError."""
    if not rest:
        return ShowSync()
    if [_keyword(token) for token in rest] == ["off"]:
        return SetSync(None)
    written = _command("sync", _written(rest))
    rule, options = _split_options(rest, _SYNC_OPTIONS, written=written, usage=SYNC_USAGE)
    if not rule:
        raise UserError(f"I couldn't find how often the group meets in {quoted(written)}.", SYNC_USAGE)
    if not options.get("at"):
        raise UserError(f"I couldn't find the time in {quoted(written)}.", SYNC_USAGE)
    if "tz" in options and not options["tz"]:
        raise UserError(f"I couldn't find the time zone after `tz` in {quoted(written)}.", SYNC_USAGE)
    try:
        recurrence = parse_rule_sentence(_written(rule), _written(options["at"]), _written(options.get("tz", [])))
    except UserError as error:  # its own usage shows `/cadence add` examples
        raise UserError(error.problem, SYNC_USAGE) from error
    return SetSync(recurrence)


def _parse_digest(rest: list[Token], context: _Context) -> SetDigest:
    """`digest on` or `digest off`; raises UserError for anything else."""
    words = [_keyword(token) for token in rest]
    if words not in (["on"], ["off"]):
        raise UserError(f"I couldn't read {quoted(_command('digest', _written(rest)))}.", DIGEST_USAGE)
    return SetDigest(enabled=words == ["on"])


def _parse_extend(rest: list[Token], context: _Context) -> ExtendGroup:
    """`extend <date>` (or `extend to|until <date>`); raises UserError when the date is missing or unreadable."""
    written = _command("extend", _written(rest))
    words = rest[1:] if rest and _keyword(rest[0]) in ("to", "until") else rest
    example = "`/wg extend 2027-01-31`"
    return ExtendGroup(_read_date(words, context, what="new end date", written=written, example=example))


def _parse_item(rest: list[Token], context: _Context) -> ShowAction:
    """`item N` (or `history N`); raises UserError."""
    written = _command("item", _written(rest))
    usage = "Give the item number `/wg actions` shows, e.g. `/wg item 12`."
    item_id = _read_number(rest, what="item", written=written, usage=usage)
    _expect_end(rest[1:], after=f"item {item_id}")
    return ShowAction(item_id)


_SUBCOMMANDS: dict[str, Callable[[list[Token], _Context], WgCommand]] = {
    "item": _parse_item,
    "history": _parse_item,
    "help": lambda rest, context: ShowWgHelp(),
    "create": _parse_create,
    "charter": _no_words("charter", PostCharter),
    "export": _no_words("export", ExportCharter),
    "import": _no_words("import", OpenImportModal),
    "people": _no_words("people", OpenLinkModal),
    "link": _no_words("link", OpenLinkModal),
    "role": _parse_role,
    "roles": _parse_roles,
    "criterion": _parse_criterion,
    "criteria": _parse_criteria,
    "action": _parse_action,
    "actions": _parse_actions,
    **{change.value: partial(_parse_change, change) for change in ActionChange},
    "sync": _parse_sync,
    "digest": _parse_digest,
    "close": _no_words("close", CloseGroup),
    "extend": _parse_extend,
}
