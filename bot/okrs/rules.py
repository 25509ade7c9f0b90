"""OKR rules without a database: quarter names, role keys, scores, the objective's score, the reminder days, and the
tree as handlers and Block Kit read it."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from difflib import SequenceMatcher
from enum import StrEnum

from bot.errors import UserError
from bot.fiscal import FiscalCalendar, add_months
from bot.text import quoted

PROGRAM = "okr"  # action items made from TRY lines carry this program
QUARTER_HELP = "Name a quarter as the pages do: `FY20-Q2` (fiscal) or `2018-Q2` (calendar)."
SCORE_USAGE = (
    "A score is a number from 0 to 100 (a share such as 0.7 reads as 70%), e.g. "
    "`/okr score 42 70 on track after the launch`."
)
COMMENT_LIMIT = 1000
ROLE_LIMIT = 200
RETRO_LINE_LIMIT = 1000  # one GOOD / BAD / TRY line: a TRY line becomes an action item's text, which holds 1000
RETRO_LIST_LIMIT = 3000  # one list, a line each: what the form's box holds, so a saved retro can be edited again

_CALENDAR = re.compile(r"(?:cy\s*)?(?P<year>\d{4})\s*[-_/ ]?\s*q\s*(?P<q>[1-4])", re.IGNORECASE)
_CALENDAR_Q_FIRST = re.compile(r"q\s*(?P<q>[1-4])\s*[-_/ ]?\s*(?:cy\s*)?(?P<year>\d{4})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class QuarterSpan:
    """A quarter as OKRs name it, with its first and last day (both inclusive)."""

    label: str
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def read_quarter(text: str, calendar: FiscalCalendar) -> QuarterSpan:
    """`FY20-Q2` (dates from the workspace's fiscal year) or `2018-Q2` / `CY2018-Q2` / `Q2 2018` (calendar);
    raises UserError for anything else."""
    written = text.strip()
    calendar_match = _CALENDAR.fullmatch(written) or _CALENDAR_Q_FIRST.fullmatch(written)
    if calendar_match is not None:
        year, number = int(calendar_match["year"]), int(calendar_match["q"])
        start = date(year, 3 * (number - 1) + 1, 1)
        return QuarterSpan(f"{year}-Q{number}", start, add_months(start, 3) - timedelta(days=1))
    try:
        fiscal = calendar.parse_quarter(written)
    except UserError as error:
        raise UserError(error.problem.replace("the fiscal quarter", "the quarter"), QUARTER_HELP) from error
    return QuarterSpan(fiscal.label, fiscal.start, fiscal.end)


def next_quarter(span: QuarterSpan) -> QuarterSpan:
    """The quarter after `span`, named the same way (fiscal or calendar)."""
    start = span.end + timedelta(days=1)
    end = add_months(start, 3) - timedelta(days=1)
    match = re.fullmatch(r"FY(\d{2})-Q([1-4])", span.label)
    if match:
        fy, number = int(match[1]), int(match[2]) + 1
        fy, number = (fy + 1, 1) if number == 5 else (fy, number)
        return QuarterSpan(f"FY{fy % 100:02d}-Q{number}", start, end)
    return QuarterSpan(f"{start.year}-Q{(start.month - 1) // 3 + 1}", start, end)


TRY_LEAD = timedelta(days=30)  # a TRY's suggested due date: a month into the next quarter, or a month from today
TRY_HORIZON = timedelta(days=90)  # a TRY's latest due date, from today, once the next quarter is (nearly) over


@dataclass(frozen=True, slots=True)
class TryWindow:
    """When a TRY line's action item may be due: `first` (today) to `last`, both inclusive; `following` is the
    quarter after the retrospective."""

    first: date
    last: date
    following: QuarterSpan

    @property
    def suggested(self) -> date:
        """The date the form starts on and the refusals suggest: a month into the next quarter, or a month from
        today once that quarter has begun; always inside the window."""
        return max(self.first, self.following.start) + TRY_LEAD

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    def describe(self) -> str:
        """`1 Aug 2019 to 31 Oct 2019 (from today to the end of FY20-Q3, the quarter after the retrospective, …)`."""
        return (
            f"{long_day(self.first)} to {long_day(self.last)} (from today to the end of {self.following.label}, the "
            f"quarter after the retrospective, or to {TRY_HORIZON.days} days from today if that is later)"
        )


def long_day(day: date) -> str:
    """`1 Aug 2019`."""
    return f"{day.day} {day:%b %Y}"


def try_window(retro_quarter: QuarterSpan, today: date) -> TryWindow:
    """The one rule for a TRY line's due date, for the command, the button's form and its submission: never before
    today, and at the latest the end of the quarter after the retrospective, or 90 days from today when that comes
    later (a past quarter's retrospective, imported years on, still gets a date ahead, never one already overdue)."""
    following = next_quarter(retro_quarter)
    return TryWindow(today, max(following.end, today + TRY_HORIZON), following)


class DueOutsideTryWindow(UserError):
    """A TRY line's action item due outside `try_window` (a form shows it under the date)."""


def check_try_due(retro_quarter: QuarterSpan, due_on: date, *, today: date, item_id: int) -> None:
    """A TRY line's action item is due inside `try_window`; raises DueOutsideTryWindow with a date that passes."""
    window = try_window(retro_quarter, today)
    if window.contains(due_on):
        return
    said = "has passed" if due_on < window.first else "is too far ahead"
    raise DueOutsideTryWindow(
        f"The due date {due_on.isoformat()} {said}. Pick one from {window.describe()}.",
        f"For example `/okr try {item_id} @owner {window.suggested:%Y-%m-%d}`.",
    )


def role_key(role: str) -> str:
    """Roles compare any case, runs of spaces as one, without a trailing colon: "VP  Eng:" is "vp eng"."""
    return " ".join(role.strip().rstrip(":").split()).casefold()


def check_role(role: str) -> str:
    """A role as a user typed it, tidied; raises UserError when empty or too long."""
    tidy = " ".join(role.strip().rstrip(":").split())
    if not tidy:
        raise UserError("Name the role as the OKR page writes it.", '`/okr owner "VP Eng" @dana`')
    if len(tidy) > ROLE_LIMIT:
        raise UserError(f"Keep the role under {ROLE_LIMIT} characters.", '`/okr owner "VP Eng" @dana`')
    return tidy


def check_score(value: float | int | str) -> float:
    """A score from 0 to 100 (a trailing % allowed), taken as it is; raises UserError otherwise. What people type
    goes through `read_score` first, which reads a share (0.7) as a percentage."""
    text = str(value).strip().rstrip("%").strip()
    try:
        score = float(text)
    except ValueError:
        raise UserError(f"{quoted(str(value)[:20])} isn't a score.", SCORE_USAGE) from None
    if not math.isfinite(score) or not 0 <= score <= 100:
        raise UserError(f"{quoted(str(value)[:20])} is outside 0 to 100.", SCORE_USAGE)
    return score


@dataclass(frozen=True, slots=True)
class ScoreRead:
    """A score as typed, read: the percentage, and what the reply says about how it was read (or None)."""

    score: float
    note: str | None = None


def read_score(typed: str) -> ScoreRead:
    """A score as a person types it, from the command or the form: 0 to 100, `70` or `70%`. A number strictly between
    0 and 1 without a `%` is a share, as OKR tools that score 0.0 to 1.0 write it: 0.7 is 70%. 1 stays 1% (a share of
    1 and 1% can't be told apart, and the page's scores are percentages), and the reply says how to write 100%.
    Raises UserError."""
    text = typed.strip()
    score = check_score(text)
    if text.endswith("%"):
        return ScoreRead(score)
    if 0 < score < 1:
        share = round(score * 100, 2)
        return ScoreRead(share, f"Read {_number(score)} as {_number(share)}%; write `{_number(score)}%` to mean it.")
    if score == 1:
        return ScoreRead(score, "Read 1 as 1%; a full score is `100`.")
    return ScoreRead(score)


def _number(value: float) -> str:
    return f"{round(value, 4):g}"


def check_comment(comment: str | None) -> str | None:
    """A score's comment, tidied; None when empty; raises UserError when too long."""
    tidy = (comment or "").strip()
    if len(tidy) > COMMENT_LIMIT:
        raise UserError(f"Keep the comment under {COMMENT_LIMIT} characters.", SCORE_USAGE)
    return tidy or None


# ---- names the pages give: roles and retrospective teams ---------------------------------------------------------

CLOSE_ENOUGH = 0.6  # difflib's own default cutoff: "VP Engineering" and "VP Eng" score 0.6, "Infra"… 0.53
SURE_ENOUGH = 0.85  # a typo ("Infrastucture", 0.96) is taken for the one name it is this close to
_PREFIX = 0.9  # "Infra" for "Infrastructure", "VP Eng" for "VP Engineering": each word the start of the other's


def _is_prefix(short: str, long: str) -> bool:
    """Whether `short` starts `long`, as a whole ("infra" of "infrastructure") or word by word ("prod mkt" of
    "product marketing")."""
    if long.startswith(short):
        return True
    words, longer = short.split(), long.split()
    return len(words) == len(longer) and all(b.startswith(a) for a, b in zip(words, longer, strict=True))


def likeness(typed: str, name: str) -> float:
    """How close a typed name is to a name on a page, 0 to 1: 1 the same (any case and spacing), 0.9 one starting
    the other, else difflib's ratio."""
    a, b = role_key(typed), role_key(name)
    if a == b:
        return 1.0
    if a and b and (_is_prefix(a, b) or _is_prefix(b, a)):
        return _PREFIX
    return SequenceMatcher(None, a, b).ratio()


def closest_names(typed: str, names: Iterable[str], *, limit: int = 3) -> list[str]:
    """The names (each once, any case) at least CLOSE_ENOUGH to `typed`, closest first, at most `limit`."""
    unique = {role_key(name): name for name in names}
    ranked = sorted(((likeness(typed, name), name) for name in unique.values()), key=lambda pair: -pair[0])
    return [name for score, name in ranked if score >= CLOSE_ENOUGH][:limit]


@dataclass(frozen=True, slots=True)
class RoleCheck:
    """Whether a role owns anything on the imported pages, and if not the closest roles they name; `checked` is
    False when no quarter is imported to check against."""

    owns: bool
    closest: tuple[str, ...] = ()
    checked: bool = True


@dataclass(frozen=True, slots=True)
class TeamMatch:
    """What a typed team name stands for: `team`, the team meant (None when unsure or new), and `offered`, the
    teams to ask about (empty when the name is new: nothing on the pages is close to it)."""

    team: str | None
    offered: tuple[str, ...] = ()


def match_team(typed: str, teams: Sequence[str]) -> TeamMatch:
    """The retrospective team a typed name means, among the teams the pages have: the same name; else the one team
    it starts (`Infra` for `Infrastructure`) or the one it is a typo of; several such, or one only somewhat close,
    are offered to pick from; a name close to none is a new team. Never a new team for a near miss."""
    unique = list({role_key(name): name for name in teams}.values())
    same = [name for name in unique if role_key(name) == role_key(typed)]
    if same:
        return TeamMatch(same[0])
    key = role_key(typed)
    starts = [name for name in unique if key and _is_prefix(key, role_key(name))]
    if len(starts) == 1:
        return TeamMatch(starts[0])
    if starts:
        return TeamMatch(None, tuple(starts))
    close = closest_names(typed, unique, limit=len(unique))
    sure = [name for name in close if likeness(typed, name) >= SURE_ENOUGH]
    if len(sure) == 1:
        return TeamMatch(sure[0])
    return TeamMatch(None, tuple(close))


class RetroListTooLong(UserError):
    """A GOOD / BAD / TRY list (or one of its lines) past its limit; `kind` says which list, so a form shows it under
    that box."""

    def __init__(self, problem: str, usage: str, *, kind: str) -> None:
        super().__init__(problem, usage)
        self.kind = kind


def check_retro_lines(*, good: Sequence[str], bad: Sequence[str], try_: Sequence[str]) -> None:
    """Each line at most RETRO_LINE_LIMIT characters and each list, a line each, at most RETRO_LIST_LIMIT, however
    the lines arrive (the form's own limit is only a hint to Slack); raises RetroListTooLong."""
    usage = f"Keep each line under {RETRO_LINE_LIMIT} characters and each list under {RETRO_LIST_LIMIT}."
    for kind, lines in (("good", good), ("bad", bad), ("try", try_)):
        for number, line in enumerate(lines, start=1):
            if len(line) > RETRO_LINE_LIMIT:
                raise RetroListTooLong(
                    f"{kind.upper()} line {number} is {len(line):,} characters long: {quoted(line, 40)}…",
                    usage,
                    kind=kind,
                )
        total = sum(len(line) for line in lines) + max(len(lines) - 1, 0)
        if total > RETRO_LIST_LIMIT:
            raise RetroListTooLong(f"The {kind.upper()} list is {total:,} characters long.", usage, kind=kind)


# ---- the tree as it is read --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KrNode:
    """One key result in the tree: its id (what `/okr score` takes), the owner written on its line, the role in
    effect (its users score it), its text, latest score (above 100 when the page says so), depth (1 under the
    objective), and the status the page wrote in words ("achieved"), if any."""

    id: int
    owner: str | None
    role: str | None
    text: str
    score: float | None
    depth: int
    children: tuple[KrNode, ...] = ()
    status: str | None = None


@dataclass(frozen=True, slots=True)
class ObjectiveNode:
    number: int
    owner: str | None
    text: str
    key_results: tuple[KrNode, ...] = ()

    def all_key_results(self) -> list[KrNode]:
        """Every key result under the objective, depth-first."""
        found: list[KrNode] = []
        stack = list(reversed(self.key_results))
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(reversed(node.children))
        return found

    @property
    def score(self) -> float | None:
        """The mean of its scored key results, at every depth; None when none is scored."""
        scores = [node.score for node in self.all_key_results() if node.score is not None]
        return sum(scores) / len(scores) if scores else None

    @property
    def scored(self) -> tuple[int, int]:
        """(scored key results, all key results)."""
        nodes = self.all_key_results()
        return sum(node.score is not None for node in nodes), len(nodes)


# ---- reminders -----------------------------------------------------------------------------------------------------


class Reminder(StrEnum):
    """The quarter's reminders, each a quarterly cadence on the engine (see service.install_cadences)."""

    MID_QUARTER = "okr.mid_quarter"  # unscored KRs, DM per owner: the 15th of the quarter's second month
    TWO_WEEKS_LEFT = "okr.two_weeks_left"  # the same, two weeks before the quarter ends
    LAST_CALL = "okr.last_call"  # a week after it ends: last call DMs, then the digest to the OKR channel
    RETRO = "okr.retro"  # the day after it ends: each team lead is asked for the retrospective


def quarter_reminded(reminder: Reminder, day: date, quarters: list[QuarterSpan]) -> QuarterSpan | None:
    """Which quarter a reminder firing on `day` is about: the quarter running on `day` for the mid-quarter and
    two-weeks-left reminders, the one that ended before `day` (at most 14 days before) for the last call and the
    retrospective; None when no such quarter is known. A reminder moved past a weekend still finds its quarter."""
    if reminder in (Reminder.MID_QUARTER, Reminder.TWO_WEEKS_LEFT):
        running = [q for q in quarters if q.contains(day)]
        return running[0] if running else None
    ended = [q for q in quarters if q.end < day <= q.end + timedelta(days=14)]
    return max(ended, key=lambda q: q.end) if ended else None
