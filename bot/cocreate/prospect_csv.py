"""Prospects as CSV, for `python app.py cocreate import|export`: pure text in and out, no database.

The header row names the fields, in any order, case and spacing aside. A file is read whole before anything is
saved: every bad row is reported by its line number (as an editor counts lines, the header being line 1) and the
caller saves nothing from a file that raised.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from bot.cocreate.rules import (
    INDUSTRY_LIMIT,
    NAME_LIMIT,
    Criterion,
    Subscription,
    Tier,
    check_tier_override,
    computed_tier,
    counted,
    criterion_of,
    read_subscription,
    read_tier,
    validate_score,
)
from bot.errors import UserError
from bot.parsing import read_user_mention
from bot.text import quoted


class Column(StrEnum):
    """The fields of a prospect row that are not criterion scores; the value is the header `write_prospects` uses."""

    ORG = "org"
    CSM = "csm"
    AE = "ae"
    SA = "sa"
    SUBSCRIPTION = "subscription"
    SEATS = "seats"
    INDUSTRY = "industry"
    TECH_STACK_OVERLAP = "tech_stack_overlap"
    TIER_OVERRIDE = "tier_override"
    TIER_REASON = "tier_reason"


# The header `write_prospects` writes: the account, then the seven scores in the seed's order, then the tier override.
HEADER: tuple[str, ...] = (
    *(column.value for column in list(Column)[:8]),
    *(criterion.value for criterion in Criterion),
    Column.TIER_OVERRIDE.value,
    Column.TIER_REASON.value,
)
_COLUMN_NAMES: Mapping[str, Column] = {
    **{column.value: column for column in Column},
    "organization": Column.ORG,
    "organisation": Column.ORG,  # read from a British spreadsheet too; the bot itself writes "organization"
    "name": Column.ORG,
    "customer_success_manager": Column.CSM,
    "account_executive": Column.AE,
    "solutions_architect": Column.SA,
    "seat_count": Column.SEATS,
    "industry_sector": Column.INDUSTRY,
}
TEAM_ID_LIMIT = 32  # prospect.csm_id, ae_id, sa_id
SEATS_MAX = 2**31 - 1  # prospect.seats is a 32-bit integer
MAX_PROBLEMS_SHOWN = 10
CSV_USAGE = (
    "The first line names the columns: `org` (required), `csm`, `ae`, `sa`, `subscription`, `seats`, `industry`, "
    "`tech_stack_overlap`, the criteria (" + ", ".join(f"`{c.value}`" for c in Criterion) + "), `tier_override` and "
    "`tier_reason`; `python app.py cocreate export` writes a file in this shape."
)
FIX_USAGE = "Fix those lines and import the file again; nothing from it is saved until every row reads."
TEAM_USAGE = "write their Slack member id, e.g. `U0123ABCD`, or their `@handle`"
_TEAM_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_HANDLE = re.compile(r"@[\w.\-]+")
_SEATS = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0", ""})
# Spreadsheets run a cell that starts with one of these as a formula; export prefixes it with ' and import drops it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class ProspectRow:
    """One prospect as the file holds it. `scores` always has the seven criteria in order, None where unscored."""

    org: str
    csm: str | None = None
    ae: str | None = None
    sa: str | None = None
    subscription: Subscription | None = None
    seats: int | None = None
    industry: str | None = None
    tech_stack_overlap: bool = False
    scores: Mapping[Criterion, int | None] = field(default_factory=dict)
    tier_override: Tier | None = None
    tier_reason: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "scores", {criterion: self.scores.get(criterion) for criterion in Criterion})

    @property
    def computed_tier(self) -> Tier:
        """The seed's tier from this row's fields."""
        return computed_tier(
            public_issues_mrs=self.scores[Criterion.PUBLIC_ISSUES_MRS],
            subscription=self.subscription,
            prior_oss_contribution=self.scores[Criterion.PRIOR_OSS_CONTRIBUTION],
            tech_stack_overlap=self.tech_stack_overlap,
        )

    @property
    def tier(self) -> Tier:
        """The tier set by hand, or else the computed one."""
        return self.tier_override if self.tier_override is not None else self.computed_tier


# ---- reading -------------------------------------------------------------------------------------------------------


def read_prospects(text: str) -> list[ProspectRow]:
    """Every prospect row of a CSV file, in file order; raises UserError naming the header's unknown or repeated
    columns, or every bad line by its number (bad values, too many cells, an org named twice)."""
    records = _records(text)
    if not records:
        raise UserError("The file is empty.", CSV_USAGE)
    header_line, header = records[0]
    fields = _read_header(header, header_line)
    rows: list[ProspectRow] = []
    problems: list[str] = []
    first_line_of: dict[str, int] = {}
    for line, cells in records[1:]:
        try:
            row = _read_row(fields, cells)
        except UserError as error:
            problems.append(f"Line {line}: {_lower_first(error.message)}")
            continue
        key = " ".join(row.org.casefold().split())
        if key in first_line_of:
            problems.append(f"Line {line}: {quoted(row.org)} is already on line {first_line_of[key]}.")
            continue
        first_line_of[key] = line
        rows.append(row)
    if problems:
        raise UserError(_problem_list(problems), FIX_USAGE)
    return rows


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, cells) for every record that is not blank; raises UserError for broken quoting."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    records = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as error:
            raise UserError(f"Line {line}: I couldn't read the quoting ({error}).", CSV_USAGE) from None
        if any(cell.strip() for cell in cells):
            records.append((line, cells))


def _read_header(header: list[str], line: int) -> list[Column | Criterion | None]:
    """What each column holds (None: an unnamed column, which must stay empty); raises UserError for unknown or
    repeated columns and for a file without `org`."""
    fields: list[Column | Criterion | None] = []
    unknown: list[str] = []
    for name in header:
        simple = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
        found = (_COLUMN_NAMES.get(simple) or criterion_of(name)) if simple else None
        if simple and found is None:
            unknown.append(quoted(name.strip()))
        fields.append(found)
    if unknown:
        columns = "a column" if len(unknown) == 1 else "columns"
        raise UserError(f"Line {line} names {columns} I don't know: {', '.join(unknown)}.", CSV_USAGE)
    for target in dict.fromkeys(f for f in fields if f is not None):
        named = [quoted(name.strip()) for name, f in zip(header, fields, strict=True) if f == target]
        if len(named) > 1:
            raise UserError(f"Line {line} has {' and '.join(named)}, which are the same column.", CSV_USAGE)
    if Column.ORG not in fields:
        raise UserError(f"Line {line} has no `org` column for the organization's name.", CSV_USAGE)
    return fields


def _read_row(fields: list[Column | Criterion | None], cells: list[str]) -> ProspectRow:
    """One prospect from the cells of a line; raises UserError for the first thing wrong with it."""
    if len(cells) > len(fields) and any(cell.strip() for cell in cells[len(fields) :]):
        raise UserError(
            f"it has {counted(len(cells), 'value')} but the first line names {counted(len(fields), 'column')}."
        )
    values: dict[Column, str] = {}
    scores: dict[Criterion, int | None] = {}
    for target, cell in zip(fields, cells, strict=False):
        if "\x00" in cell:
            raise UserError("it holds a NUL character, which can't be saved.")
        text = _unguarded(cell.strip())
        if target is None and text:
            raise UserError(f"it has the value {quoted(text)} under a column with no name.")
        if isinstance(target, Criterion):
            scores[target] = validate_score(target, text) if text else None
        elif isinstance(target, Column):
            values[target] = text
    return _row(values, scores)


def _row(values: Mapping[Column, str], scores: dict[Criterion, int | None]) -> ProspectRow:
    """The row from its non-score cells, each read and checked; raises UserError for the first bad one."""
    org = values.get(Column.ORG, "")
    if not org:
        raise UserError("the organization name (`org`) is empty.")
    if len(org) > NAME_LIMIT:
        raise UserError(f"the organization name is {len(org):,} characters; the limit is {NAME_LIMIT}.")
    industry = values.get(Column.INDUSTRY) or None
    if industry is not None and len(industry) > INDUSTRY_LIMIT:
        raise UserError(f"the industry is {len(industry):,} characters; the limit is {INDUSTRY_LIMIT}.")
    tier_text = values.get(Column.TIER_OVERRIDE, "")
    tier = read_tier(tier_text) if tier_text else None
    return ProspectRow(
        org=org,
        csm=_team_member(values.get(Column.CSM, ""), "CSM"),
        ae=_team_member(values.get(Column.AE, ""), "AE"),
        sa=_team_member(values.get(Column.SA, ""), "SA"),
        subscription=read_subscription(values.get(Column.SUBSCRIPTION)),
        seats=_seats(values.get(Column.SEATS, "")),
        industry=industry,
        tech_stack_overlap=_yes_no(values.get(Column.TECH_STACK_OVERLAP, "")),
        scores=scores,
        tier_override=tier,
        tier_reason=check_tier_override(tier, values.get(Column.TIER_REASON)),
    )


def _team_member(text: str, role: str) -> str | None:
    """A Slack member id (`U0123ABCD`, or the id in `<@U0123ABCD>`) or an `@handle`, as given; None when empty;
    raises UserError for anything else."""
    if not text:
        return None
    member = read_user_mention(text) or text
    if len(member) <= TEAM_ID_LIMIT and (_TEAM_ID.fullmatch(member) or _HANDLE.fullmatch(member)):
        return member
    raise UserError(f"the {role} {quoted(text)} isn't a Slack user: {TEAM_USAGE}.")


def _seats(text: str) -> int | None:
    """A whole number of seats (`1,200` too); None when empty; raises UserError for anything else."""
    if not text:
        return None
    if not _SEATS.fullmatch(text) or int(text.replace(",", "")) > SEATS_MAX:
        raise UserError(f"the seats {quoted(text)} aren't a whole number of seats, e.g. `250`.")
    return int(text.replace(",", ""))


def _yes_no(text: str) -> bool:
    """`yes`, `true`, `1` (and `y`) as True; `no`, `false`, `0`, `n` or empty as False; raises UserError otherwise."""
    if text.lower() in _YES:
        return True
    if text.lower() in _NO:
        return False
    raise UserError(f"`tech_stack_overlap` is `yes` or `no`, not {quoted(text)}.")


def _unguarded(text: str) -> str:
    """The cell without the ' that `write_prospects` puts before a formula-like or '-led text."""
    return text[1:] if text.startswith("'") and text[1:].startswith((*_FORMULA_START, "'")) else text


def _lower_first(problem: str) -> str:
    """ "There is no tier" → "there is no tier", to follow "Line 4: "."""
    return problem[:1].lower() + problem[1:]


def _problem_list(problems: list[str]) -> str:
    """The bad lines, one a line, at most MAX_PROBLEMS_SHOWN of them."""
    shown = problems[:MAX_PROBLEMS_SHOWN]
    if len(problems) > len(shown):
        shown.append(f"…and {counted(len(problems) - len(shown), 'more bad line')}.")
    return "\n".join(shown)


# ---- writing -------------------------------------------------------------------------------------------------------


def write_prospects(rows: Iterable[ProspectRow]) -> str:
    """The rows as CSV under HEADER, which `read_prospects` reads back to equal rows; never raises."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(_cells(row))
    return out.getvalue()


def _cells(row: ProspectRow) -> list[str]:
    """The row's cells in HEADER order."""
    return [
        _guarded(row.org),
        row.csm or "",
        row.ae or "",
        row.sa or "",
        row.subscription.value if row.subscription is not None else "",
        "" if row.seats is None else str(row.seats),
        _guarded(row.industry or ""),
        "yes" if row.tech_stack_overlap else "no",
        *("" if row.scores[criterion] is None else str(row.scores[criterion]) for criterion in Criterion),
        "" if row.tier_override is None else str(row.tier_override.value),
        _guarded(row.tier_reason or ""),
    ]


def _guarded(text: str) -> str:
    """Free text with a ' before it when a spreadsheet would otherwise run it as a formula (CSV injection), or when
    it starts with ' itself, so that `_unguarded` gives back exactly the text."""
    return "'" + text if text.startswith((*_FORMULA_START, "'")) else text
