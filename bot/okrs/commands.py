"""The text of `/okr` read into a request: pure, so every form and every error is tested without Slack.

Forms: `help`, `setup #channel [tz Europe/Paris]`, `import [QUARTER]`, `quarters`, `tree [QUARTER] [objective N]`,
`mine [QUARTER]`, `score <KR> <0-100> [comment…]`, `history <KR>`, `owner "<role>" @person …`,
`owner remove "<role>" [@person …]`, `owners [QUARTER]`, `retro [QUARTER] [team…]` and `try <item> @owner <date>`.
Quarters are kept as written (`FY20-Q2`, `2018-Q2`): only the database knows which quarters were imported, so the
service resolves them with `rules.read_quarter`. Roles, comments and team names are stored unescaped, as typed; they
are escaped again whenever they are shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import takewhile

# The zone reader `/cadence` uses for `tz`; one list of zone names and one spelling for every program.
from bot.cadence.commands import read_zone
from bot.errors import UserError
from bot.okrs.rules import QUARTER_HELP, ROLE_LIMIT, SCORE_USAGE, ScoreRead, check_comment, check_role, read_score
from bot.parsing import DateContext as _Context
from bot.parsing import Token, command_text, dispatch_subcommand, no_words, read_channel_mention, read_user_mention
from bot.parsing import as_typed as _written
from bot.parsing import check_length as _check_length
from bot.parsing import keyword as _keyword
from bot.parsing import read_date_words as _read_date
from bot.parsing import read_mention as _read_mention
from bot.parsing import read_quoted_text as _read_text
from bot.parsing import refuse_extra as _refuse_extra
from bot.parsing import split_options as _split_options
from bot.text import quoted, unescape

TEAM_LIMIT = 200  # okr_retro_team.name
MAX_OBJECTIVE = 99
_MAX_ID = 2**31 - 1  # key result and retrospective item ids are 32-bit integers

SETUP_EXAMPLE = "`/okr setup #okrs tz Europe/Paris`"
IMPORT_EXAMPLE = "`/okr import FY20-Q2`"
TREE_EXAMPLE = "`/okr tree FY20-Q2 objective 2`"
MINE_EXAMPLE = "`/okr mine FY20-Q2`"
SCORE_EXAMPLE = "`/okr score 42 70 on track after the launch`"
HISTORY_EXAMPLE = "`/okr history KR42`"
OWNER_EXAMPLE = '`/okr owner "VP Eng" @dana @lee`'
UNMAP_EXAMPLE = '`/okr owner remove "VP Eng" @lee`'
OWNERS_EXAMPLE = "`/okr owners FY20-Q2`"
RETRO_EXAMPLE = '`/okr retro FY20-Q2 "Product Marketing"`'
# Relative dates: whatever the quarter and the day, they fall in `rules.try_window` (today to at least 90 days on).
TRY_EXAMPLE = "`/okr try 12 @dana in 2 weeks`"

QUOTE_USAGE = f"Put double quotes on both sides of the text, e.g. {OWNER_EXAMPLE}."
SETUP_USAGE = (
    "Write `/okr setup` with the OKR channel (pick it from Slack's list as you type `#`) and, if reminders should "
    f"follow a time zone other than UTC, `tz` with an IANA name such as `Europe/Paris`, e.g. {SETUP_EXAMPLE}."
)
IMPORT_USAGE = (
    "Write `/okr import`, or name the quarter the page is for. "
    f"{QUARTER_HELP.removesuffix('.')}, e.g. {IMPORT_EXAMPLE}."
)
TREE_USAGE = (
    "Write `/okr tree` for the current quarter, with a quarter and `objective N` (or just `N`) to narrow it. "
    f"{QUARTER_HELP.removesuffix('.')}, e.g. {TREE_EXAMPLE}."
)
OBJECTIVE_USAGE = f"Objectives are numbered 1 to {MAX_OBJECTIVE} as `/okr tree` shows them, e.g. {TREE_EXAMPLE}."
MINE_USAGE = f"Write `/okr mine`, or name a quarter. {QUARTER_HELP.removesuffix('.')}, e.g. {MINE_EXAMPLE}."
KEY_RESULT_USAGE = (
    f"Give the key result's number as `/okr tree` shows it, written `42`, `#42` or `KR42`, e.g. {SCORE_EXAMPLE}."
)
SCORE_COMMAND_USAGE = (
    "Write `/okr score`, the key result's number as `/okr tree` shows it, a score from 0 to 100 (`70` or `70%`; "
    f"a share `0.7` is 70%) and, if you want, a comment, e.g. {SCORE_EXAMPLE}."
)
HISTORY_USAGE = (
    f"Write `/okr history` and the key result's number as `/okr tree` shows it (`42`, `#42` or `KR42`), "
    f"e.g. {HISTORY_EXAMPLE}."
)
OWNER_USAGE = (
    "Write `/okr owner`, the role as the OKR page writes it (in double quotes when it has several words) and an "
    f"`@mention` for each person who holds it, e.g. {OWNER_EXAMPLE}."
)
UNMAP_USAGE = (
    'Write `/okr owner remove "<role>"` with the people to take off it, or no one to clear the role, '
    f"e.g. {UNMAP_EXAMPLE}."
)
PERSON_USAGE = "Mention the person with `@` and pick them from Slack's list, e.g. {}."
OWNERS_USAGE = f"Write `/okr owners`, or name a quarter. {QUARTER_HELP.removesuffix('.')}, e.g. {OWNERS_EXAMPLE}."
RETRO_USAGE = (
    "Write `/okr retro`, then the quarter if it isn't the last one and the team if it isn't yours (in double quotes "
    f"or as the last words). {QUARTER_HELP.removesuffix('.')}, e.g. {RETRO_EXAMPLE}."
)
TRY_USAGE = (
    "Write `/okr try`, the retrospective item's number, the `@owner` and the due date (`YYYY-MM-DD`, `friday`, "
    f"`in 2 weeks`, `end of quarter`), e.g. {TRY_EXAMPLE}."
)
OKR_USAGE = (
    "Try `/okr setup`, `/okr import`, `/okr quarters`, `/okr tree`, `/okr mine`, `/okr score`, `/okr history`, "
    f"`/okr owner`, `/okr owners`, `/okr retro`, `/okr try` or `/okr help`, e.g. {SCORE_EXAMPLE}."
)

# (form, what it does) for the help message, in the order of the module docstring.
HELP_LINES: tuple[tuple[str, str], ...] = (
    ("/okr help", "Show these commands."),
    ("/okr setup #channel [tz Europe/Paris]", "Run OKRs from a channel, with reminders in that time zone."),
    ("/okr import [FY20-Q2]", "Import a quarter's OKR page."),
    ("/okr quarters", "List the quarters imported so far."),
    ("/okr tree [FY20-Q2] [objective 2]", "Show each objective with its score; open one for its key results."),
    ("/okr mine [FY20-Q2]", "Show the key results your roles own."),
    ("/okr score <KR> <0-100> [comment]", "Score a key result, e.g. `/okr score 42 70% on track` (0.7 reads as 70%)."),
    ("/okr history <KR>", "Show every score a key result has had."),
    ('/okr owner "<role>" @person …', "Say who holds a role the OKR page names."),
    ('/okr owner remove "<role>" [@person …]', "Take people off a role, or clear it."),
    ("/okr owners [FY20-Q2]", "List the roles and who holds them."),
    ('/okr retro [FY20-Q2] ["team"]', "Open a team's retrospective: good, bad and try."),
    ("/okr try <item> @owner <date>", "Turn a TRY item into an action item with an owner and a due date."),
)

# One word naming a quarter, in the single-word forms `rules.read_quarter` reads: fiscal `FY20-Q2`, `FY2020-Q2`,
# `fy20q2`, `Q2-FY20`; calendar `2018-Q2`, `CY2018-Q2`, `Q2-2018`.
_YEAR = r"(?:fy[0-9]{2}(?:[0-9]{2})?|(?:cy)?[0-9]{4})"
_QUARTER = re.compile(rf"{_YEAR}[-_/]?q[1-4]|q[1-4][-_/]?{_YEAR}", re.IGNORECASE)
# Looks meant as a quarter but isn't one (`FY20-Q5`, `FY2-Q1`): refused, rather than read as a team or a number.
_QUARTER_LIKE = re.compile(
    r"(?:fy|cy)?[0-9]+[-_/]?q[0-9]+|q[0-9]+[-_/]?(?:fy|cy)?[0-9]+|fy[0-9]*[-_/]?q?[0-9]*", re.IGNORECASE
)
_KEY_RESULT_ID = re.compile(r"(?:#|kr[-_#]?)?(?P<number>[0-9]{1,10})", re.IGNORECASE)
_NUMBER = re.compile(r"#?(?P<number>[0-9]{1,10})")
_OBJECTIVE_WORDS = frozenset({"objective", "obj", "o"})
_DUE_WORDS = frozenset({"by", "due", "on"})

_command = partial(command_text, "/okr")
_no_words = partial(no_words, "/okr")


@dataclass(frozen=True, slots=True)
class ShowOkrHelp:
    """`/okr`, `/okr help`."""


@dataclass(frozen=True, slots=True)
class SetupOkrs:
    """`/okr setup #channel [tz Europe/Paris]`; `timezone` is an IANA name in its canonical spelling, None when
    not given."""

    channel_id: str
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class OpenImport:
    """`/okr import [QUARTER]`: the form that takes a quarter's page; `quarter` as written, None when not given."""

    quarter: str | None = None


@dataclass(frozen=True, slots=True)
class ListQuarters:
    """`/okr quarters`."""


@dataclass(frozen=True, slots=True)
class ShowTree:
    """`/okr tree [QUARTER] [objective N]`; `quarter` as written (None: the current one), `objective` 1..99 or
    None for all of them."""

    quarter: str | None = None
    objective: int | None = None


@dataclass(frozen=True, slots=True)
class ShowMine:
    """`/okr mine [QUARTER]`: the key results the user's roles own."""

    quarter: str | None = None


@dataclass(frozen=True, slots=True)
class ScoreKeyResult:
    """`/okr score <KR> <0-100> [comment…]`; `score` read by `rules.read_score` (0.7 is 70%, and `read_as` says
    so), `comment` tidied by `rules.check_comment` (None when there is none)."""

    key_result_id: int
    score: float
    comment: str | None = None
    read_as: str | None = None


@dataclass(frozen=True, slots=True)
class ShowScoreHistory:
    """`/okr history <KR>`."""

    key_result_id: int


@dataclass(frozen=True, slots=True)
class MapOwner:
    """`/okr owner "<role>" @person …`: at least one person, in the order written, each once; `people` is how they
    were written (`@bob @lee`), for the commands a reply suggests."""

    role: str
    user_ids: tuple[str, ...]
    people: str = ""


@dataclass(frozen=True, slots=True)
class UnmapOwner:
    """`/okr owner remove "<role>" [@person …]`; no one means everyone who holds the role."""

    role: str
    user_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ShowOwners:
    """`/okr owners [QUARTER]`: the roles and who holds them, with the roles that quarter's page names."""

    quarter: str | None = None


@dataclass(frozen=True, slots=True)
class OpenRetro:
    """`/okr retro [QUARTER] [team…]`; None for the quarter means the last one, None for the team the user's."""

    quarter: str | None = None
    team: str | None = None


@dataclass(frozen=True, slots=True)
class TryToActionItem:
    """`/okr try <item> @owner <date>`: a TRY line of a retrospective made an action item; `due_on` as written
    (the service checks it with `rules.check_try_due`)."""

    retro_item_id: int
    owner_id: str
    due_on: date


OkrCommand = (
    ShowOkrHelp
    | SetupOkrs
    | OpenImport
    | ListQuarters
    | ShowTree
    | ShowMine
    | ScoreKeyResult
    | ShowScoreHistory
    | MapOwner
    | UnmapOwner
    | ShowOwners
    | OpenRetro
    | TryToActionItem
)


def parse_okr_command(text: str, *, today: date, fiscal_start_month: int = 2) -> OkrCommand:
    """Read the text of `/okr` into a request; raises UserError saying what was wrong and how to write it."""
    return dispatch_subcommand(
        text,
        command="/okr",
        subcommands=_SUBCOMMANDS,
        show_help=ShowOkrHelp,
        context=_Context(today, fiscal_start_month),
        quote_usage=QUOTE_USAGE,
        subcommand_usage=OKR_USAGE,
    )


# ---- shared readers --------------------------------------------------------------------------------------------


def _is_quarter(token: Token) -> bool:
    """Whether the token is one word naming a quarter (`FY20-Q2`, `2018-Q2`…)."""
    return not token.quoted and _QUARTER.fullmatch(token.text) is not None


def _take_quarter(tokens: list[Token], *, written: str, usage: str) -> tuple[str | None, list[Token]]:
    """The quarter the tokens start with, as written, and the tokens after it; raises UserError for a word that
    looks meant as a quarter but names none (`FY20-Q5`)."""
    if not tokens or tokens[0].quoted:
        return None, tokens
    if _is_quarter(tokens[0]):
        return tokens[0].text, tokens[1:]
    if _QUARTER_LIKE.fullmatch(tokens[0].text):
        raise UserError(f"I couldn't read the quarter {quoted(tokens[0].written)} in {quoted(written)}.", usage)
    return None, tokens


def _read_whole(
    token: Token | None, pattern: re.Pattern[str], *, what: str, high: int, written: str, usage: str
) -> int:
    """The whole number 1..high in the token, as `pattern` finds it; raises UserError when missing or unreadable."""
    if token is None:
        raise UserError(f"I couldn't find the {what} in {quoted(written)}.", usage)
    match = None if token.quoted else pattern.fullmatch(token.text)
    if match is None or not 1 <= int(match["number"]) <= high:
        raise UserError(f"I couldn't read the {what} {quoted(token.written)} in {quoted(written)}.", usage)
    return int(match["number"])


def _read_key_result(tokens: list[Token], *, written: str) -> int:
    """The key result's id that must come first: `42`, `#42`, `KR42` or `kr-42`; raises UserError."""
    token = tokens[0] if tokens else None
    return _read_whole(token, _KEY_RESULT_ID, what="key result", high=_MAX_ID, written=written, usage=KEY_RESULT_USAGE)


def _quarter_only(
    name: str, request: Callable[[str | None], OkrCommand], usage: str
) -> Callable[[list[Token], _Context], OkrCommand]:
    """A parser for `<name>` alone or `<name> QUARTER`, e.g. `mine`."""

    def parse(rest: list[Token], context: _Context) -> OkrCommand:
        written = _command(name, _written(rest))
        quarter, extra = _take_quarter(rest, written=written, usage=usage)
        if quarter is None and extra:
            raise UserError(f"I couldn't read the quarter {quoted(extra[0].written)} in {quoted(written)}.", usage)
        _refuse_extra(extra, written=written, usage=usage)
        return request(quarter)

    return parse


# ---- setup and the tree ----------------------------------------------------------------------------------------


def _parse_setup(rest: list[Token], context: _Context) -> SetupOkrs:
    """`setup #channel [tz Europe/Paris]`; raises UserError."""
    written = _command("setup", _written(rest))
    head, options = _split_options(rest, frozenset({"tz"}), written=written, usage=SETUP_USAGE)
    if not head:
        raise UserError(f"I couldn't find the channel in {quoted(written)}.", SETUP_USAGE)
    channel_id = None if head[0].quoted else read_channel_mention(head[0].text)
    if channel_id is None:
        # A real #channel arrives as <#C…|name>; plain text means Slack found no channel by that name.
        raise UserError(f"I couldn't find the channel {quoted(head[0].written)}.", SETUP_USAGE)
    _refuse_extra(head[1:], written=written, usage=SETUP_USAGE)
    if "tz" not in options:
        return SetupOkrs(channel_id)
    zone_words = options["tz"]
    if not zone_words:
        raise UserError(f"I couldn't find the time zone after `tz` in {quoted(written)}.", SETUP_USAGE)
    try:
        timezone = read_zone(zone_words[0].written)
    except UserError as error:  # its usage shows a `/cadence add` example
        raise UserError(error.problem, SETUP_USAGE) from error
    _refuse_extra(zone_words[1:], written=written, usage=SETUP_USAGE)
    return SetupOkrs(channel_id, timezone)


def _parse_tree(rest: list[Token], context: _Context) -> ShowTree:
    """`tree [QUARTER] [objective N]`, `tree [QUARTER] N`; raises UserError."""
    written = _command("tree", _written(rest))
    quarter, words = _take_quarter(rest, written=written, usage=TREE_USAGE)
    if not words:
        return ShowTree(quarter)
    if _keyword(words[0]) in _OBJECTIVE_WORDS:
        words = words[1:]
    elif quarter is None and not _NUMBER.fullmatch(words[0].text):
        raise UserError(
            f"I couldn't read {quoted(words[0].written)} in {quoted(written)} as a quarter or an objective number.",
            TREE_USAGE,
        )
    number = _read_whole(
        words[0] if words else None,
        _NUMBER,
        what="objective number",
        high=MAX_OBJECTIVE,
        written=written,
        usage=OBJECTIVE_USAGE,
    )
    _refuse_extra(words[1:], written=written, usage=TREE_USAGE)
    return ShowTree(quarter, number)


# ---- scores ----------------------------------------------------------------------------------------------------


def _parse_score(rest: list[Token], context: _Context) -> ScoreKeyResult:
    """`score <KR> <0-100> [comment…]`; raises UserError."""
    written = _command("score", _written(rest))
    key_result_id = _read_key_result(rest, written=written)
    if len(rest) < 2:
        raise UserError(f"I couldn't find the score in {quoted(written)}.", SCORE_COMMAND_USAGE)
    comment_words = rest[2:]
    if comment_words and not comment_words[0].quoted and comment_words[0].text == "%":
        comment_words = comment_words[1:]  # `70 %` says `70%`
    score = _read_score(rest[1])
    return ScoreKeyResult(key_result_id, score.score, _read_comment(comment_words), score.note)


def _read_score(token: Token) -> ScoreRead:
    """A score 0..100, `70`, `70%` or a share `0.7`, as the rules read it; raises UserError."""
    if token.quoted:
        raise UserError(f"{quoted(token.written)} isn't a score.", SCORE_USAGE)
    return read_score(token.text)


def _read_comment(tokens: list[Token]) -> str | None:
    """The rest of the command as the comment, unescaped: one "quoted" comment loses its quotes, while quotes
    inside a longer comment stay as typed; None when there is none. Raises UserError when it is too long."""
    if len(tokens) == 1 and tokens[0].quoted:
        return check_comment(unescape(tokens[0].text))
    return check_comment(unescape(_written(tokens)))


def _parse_history(rest: list[Token], context: _Context) -> ShowScoreHistory:
    """`history <KR>`; raises UserError."""
    written = _command("history", _written(rest))
    if not rest:
        raise UserError(f"I couldn't find the key result in {quoted(written)}.", HISTORY_USAGE)
    key_result_id = _read_key_result(rest, written=written)
    _refuse_extra(rest[1:], written=written, usage=HISTORY_USAGE)
    return ShowScoreHistory(key_result_id)


# ---- owners ----------------------------------------------------------------------------------------------------


def _parse_owner(rest: list[Token], context: _Context) -> MapOwner | UnmapOwner:
    """`owner "<role>" @person …` or `owner remove "<role>" [@person …]`; raises UserError."""
    removing = bool(rest) and _keyword(rest[0]) == "remove"
    tokens = rest[1:] if removing else rest
    written = _command("owner", _written(rest))
    usage = UNMAP_USAGE if removing else OWNER_USAGE
    role = _read_role(tokens, written=written, usage=usage)
    people = tokens[1:]
    if not people and not removing:
        raise UserError(f"I couldn't find who holds the role in {quoted(written)}.", PERSON_USAGE.format(OWNER_EXAMPLE))
    person_usage = PERSON_USAGE.format(UNMAP_EXAMPLE if removing else OWNER_EXAMPLE)
    user_ids = [_read_mention(token, who="person", written=written, usage=person_usage) for token in people]
    if removing:
        return UnmapOwner(role, tuple(dict.fromkeys(user_ids)))
    typed = dict.fromkeys(_as_handle(token.text, user_id) for token, user_id in zip(people, user_ids, strict=True))
    return MapOwner(role, tuple(dict.fromkeys(user_ids)), " ".join(typed))


def _as_handle(mention: str, user_id: str) -> str:
    """`<@U0BOB|bob>` as the person typed it, `@bob` (Slack sends the name after the bar); `@U0BOB` without one."""
    name = mention.strip().removesuffix(">").partition("|")[2].strip()
    return f"@{name or user_id}"


def _read_role(tokens: list[Token], *, written: str, usage: str) -> str:
    """The role that must come first: "quoted", or one word; raises UserError when missing, empty or too long."""
    if not tokens or (not tokens[0].quoted and read_user_mention(tokens[0].text) is not None):
        raise UserError(f"I couldn't find the role in {quoted(written)}.", usage)
    if tokens[0].quoted:
        role = _read_text(tokens, what="role", limit=ROLE_LIMIT, example=OWNER_EXAMPLE, written=written)
    else:
        following = tokens[1] if len(tokens) > 1 else None
        if following is not None and not following.quoted and read_user_mention(following.text) is None:
            raise UserError(
                f"I couldn't tell where the role ends in {quoted(written)}: is {quoted(following.written)} part of "
                "it, or a person?",
                usage,
            )
        role = unescape(tokens[0].text)
    try:
        return check_role(role)
    except UserError as error:  # its usage is an example alone
        raise UserError(error.problem, usage) from error


# ---- retrospectives --------------------------------------------------------------------------------------------


def _parse_retro(rest: list[Token], context: _Context) -> OpenRetro:
    """`retro [QUARTER] [team…]`, the team "quoted" or the last words; raises UserError."""
    written = _command("retro", _written(rest))
    quarter, words = _take_quarter(rest, written=written, usage=RETRO_USAGE)
    if not words:
        return OpenRetro(quarter)
    if words[0].quoted:
        team = _read_text(words, what="team name", limit=TEAM_LIMIT, example=RETRO_EXAMPLE, written=written)
        _refuse_extra(words[1:], written=written, usage=RETRO_USAGE)
        return OpenRetro(quarter, team)
    plain = list(takewhile(lambda token: not token.quoted, words))
    _refuse_extra(words[len(plain) :], written=written, usage=RETRO_USAGE)
    late_quarter = next((token for token in plain if _is_quarter(token)), None)
    if late_quarter is not None:
        raise UserError(
            f"The quarter {quoted(late_quarter.written)} comes after the team in {quoted(written)}.", RETRO_USAGE
        )
    team = unescape(" ".join(token.text for token in plain))
    return OpenRetro(quarter, _check_length(team, what="team name", limit=TEAM_LIMIT, usage=RETRO_USAGE))


def _parse_try(rest: list[Token], context: _Context) -> TryToActionItem:
    """`try <item> @owner [by] <date>`; raises UserError."""
    written = _command("try", _written(rest))
    item_id = _read_whole(
        rest[0] if rest else None,
        _NUMBER,
        what="retrospective item",
        high=_MAX_ID,
        written=written,
        usage=TRY_USAGE,
    )
    owner_id = _read_mention(
        rest[1] if len(rest) > 1 else None, who="owner", written=written, usage=PERSON_USAGE.format(TRY_EXAMPLE)
    )
    date_words = rest[2:]
    if date_words and _keyword(date_words[0]) in _DUE_WORDS:
        date_words = date_words[1:]
    # Whether the date may be the item's is `rules.check_try_due`'s to say (the service asks it, as the form does):
    # it depends on the retrospective's quarter, which only the database knows.
    due_on = _read_date(date_words, context, what="due date", written=written, example=TRY_EXAMPLE)
    return TryToActionItem(item_id, owner_id, due_on)


_SUBCOMMANDS: dict[str, Callable[[list[Token], _Context], OkrCommand]] = {
    "help": lambda rest, context: ShowOkrHelp(),
    "setup": _parse_setup,
    "import": _quarter_only("import", OpenImport, IMPORT_USAGE),
    "quarters": _no_words("quarters", ListQuarters),
    "tree": _parse_tree,
    "mine": _quarter_only("mine", ShowMine, MINE_USAGE),
    "score": _parse_score,
    "history": _parse_history,
    "owner": _parse_owner,
    "owners": _quarter_only("owners", ShowOwners, OWNERS_USAGE),
    "retro": _parse_retro,
    "try": _parse_try,
}
