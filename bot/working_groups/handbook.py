"""Working-group charters in and out of the handbook page format of `seeds/working-group-*.md`.

`read_charter` turns a page into a `CharterDraft` (pure values, nothing saved) and `write_charter` turns a draft
back into a page; `read_charter(write_charter(draft)) == draft` for any draft read from a page. Goals, exit criteria
and plan items keep their inline markdown (links survive an export); roles and attributes are plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from bot.handbook import HandbookError, reading
from bot.handbook.dates import find_date, is_placeholder, read_date_text, write_date
from bot.handbook.inline import escape_inline, link_markdown, plain_text, read_inline
from bot.handbook.markdown import (
    ListItem,
    Page,
    Section,
    Table,
    join_blocks,
    matches,
    read_list,
    read_page,
    read_paragraphs,
    read_tables,
    table_cell,
    table_cell_markdown,
    write_front_matter,
    write_list,
    write_section,
    write_table,
)
from bot.handbook.progress import Progress, progress_marker, read_progress, split_progress
from bot.handbook.report import ImportReport
from bot.text import escape, quoted

__all__ = [
    "Attribute",
    "CharterDraft",
    "CriterionEntry",
    "PlanItem",
    "RoleEntry",
    "Section",
    "WorkingGroupRole",
    "read_charter",
    "read_role",
    "slack_channel_of",
    "write_charter",
]

ATTRIBUTE_HEADINGS = ("Attributes", "Working Group Attributes", "Properties", "Details")
GOAL_HEADINGS = ("Business Goal", "Business Goals", "Goal", "Goals", "Objective", "Objectives", "Purpose")
EXIT_CRITERIA_HEADINGS = (
    "Exit Criteria", "Proposed Exit Criteria", "Exit Criterion", "Exit Criteria (Proposed)", "Success Criteria",
)  # fmt: skip
PLAN_HEADINGS = ("Plan", "Proposed Plan", "Action Plan", "Roadmap")
ROLE_HEADINGS = (
    "Roles and Responsibilities", "Roles", "Working Group Roles", "Members", "Working Group Members", "Team",
)  # fmt: skip

CREATED_NAMES = ("Date Created", "Created", "Created On", "Creation Date", "Start Date", "Started", "Date Started")
END_NAMES = (
    "End Date", "Target End Date", "Target Date", "Planned End Date", "Estimated End Date", "Date Ended", "Ended",
)  # fmt: skip
SLACK_NAMES = ("Slack", "Slack Channel", "Channel")
AGENDA_NAMES = ("Google Doc", "Agenda", "Agenda Doc", "Meeting Agenda", "Google Doc Agenda", "Meeting Notes")
BOARD_NAMES = ("Issue Board", "Epic", "Issues", "Issue", "Board", "Epics", "Issue Tracker")

ROLE_COLUMN = ("Working Group Role", "Role", "WG Role", "Roles")
PERSON_COLUMN = ("Person", "Team Member", "Name", "Member", "Team Members", "People", "Who")
TITLE_COLUMN = ("Title", "Functional Title", "Job Title", "Position")
FUNCTION_COLUMN = ("Function", "Functional Area", "Department", "Area")
USERNAME_COLUMN = ("Username", "GitLab handle", "GitLab Username", "Handle", "Slack", "Slack handle", "GitLab")
CRITERION_COLUMN = ("Exit Criterion", "Exit Criteria", "Criterion", "Criteria", "Description", "Item", "Deliverable")
PROGRESS_COLUMN = ("%", "Progress", "Percent", "% Complete", "Percent Complete", "Completion", "Status", "State")
DONE_COLUMN = ("Done", "Done On", "Done Date", "Completed", "Completed On", "Date Completed", "Completion Date")

DEFAULT_GOALS_HEADING = "Business Goals"
DEFAULT_EXIT_CRITERIA_HEADING = "Exit Criteria"
DEFAULT_END_LABEL = "End Date"
PLAN_HEADING = "Plan"
ROLES_HEADING = "Roles and Responsibilities"
ATTRIBUTES_HEADING = "Attributes"

ROLE_USAGE = (
    "Write the role as one of DRI, Executive Sponsor, Executive Stakeholder, Facilitator, "
    "`Functional Lead: <function>`, Contributor or Member."
)
TITLE_USAGE = 'Start the page with front matter (`---`, `title: "… Working Group"`, `---`) or a `# Title` heading.'


class WorkingGroupRole(StrEnum):
    """The roles a working group's charter names, as the handbook writes them."""

    DRI = "DRI"
    EXECUTIVE_STAKEHOLDER = "Executive Stakeholder"
    EXECUTIVE_SPONSOR = "Executive Sponsor"
    FACILITATOR = "Facilitator"
    FUNCTIONAL_LEAD = "Functional Lead"
    CONTRIBUTOR = "Contributor"
    MEMBER = "Member"


@dataclass(frozen=True, slots=True)
class RoleEntry:
    """One row of the roles table; `person_name` is None for "TBD", `username` is like "@jdoe"."""

    role: WorkingGroupRole
    person_name: str | None
    title: str | None = None
    function: str | None = None
    username: str | None = None


@dataclass(frozen=True, slots=True)
class CriterionEntry:
    """One exit criterion: its text (markdown), whether it is done, its progress in percent, when it was done."""

    text: str
    done: bool = False
    progress: int | None = None
    done_on: date | None = None


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One plan item (markdown, checkbox kept as written) and the items nested under it."""

    text: str
    children: tuple[PlanItem, ...] = ()


@dataclass(frozen=True, slots=True)
class Attribute:
    """One row of the Attributes table: its name, its value as plain text, the URL when the value held a link."""

    name: str
    value: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class CharterDraft:
    """A working-group charter as read from (or to be written to) a handbook page; nothing saved yet."""

    title: str
    description: str | None
    status: str | None
    created_on: date | None
    end_on: date | None
    end_label: str
    slack_channel: str | None
    agenda_url: str | None
    board_url: str | None
    attributes: tuple[Attribute, ...]
    goals: tuple[str, ...]
    goals_heading: str
    exit_criteria: tuple[CriterionEntry, ...]
    exit_criteria_heading: str
    plan: tuple[PlanItem, ...]
    roles: tuple[RoleEntry, ...]
    other_sections: tuple[Section, ...]


# Reading: sections -------------------------------------------------------------------------------------------------


class _Sections:
    """The page's sections, each taken at most once by the part of the charter it holds."""

    def __init__(self, sections: Sequence[Section]) -> None:
        self.sections = list(sections)
        self.taken: set[int] = set()

    def take(self, names: Iterable[str], *, only_with_table: bool = False) -> Section | None:
        """The first untaken section named one of `names`, now taken; with `only_with_table`, one with a table."""
        names = tuple(names)
        for index, section in enumerate(self.sections):
            if index in self.taken or not section.level or not matches(section.heading, names):
                continue
            if only_with_table and not read_tables(section.body):
                return None
            self.taken.add(index)
            return section
        return None

    def take_table_with(self, columns: Iterable[str]) -> Section | None:
        """The first untaken section with a table that has one of `columns`, now taken (roles under any heading)."""
        columns = tuple(columns)
        for index, section in enumerate(self.sections):
            tables = read_tables(section.body) if index not in self.taken and section.level else []
            if any(table.column(columns) is not None for table in tables):
                self.taken.add(index)
                return section
        return None

    def rest(self, title: str) -> tuple[Section, ...]:
        """The sections no part took, without an empty `# Title` heading (the title is kept in front matter)."""
        return tuple(
            section
            for index, section in enumerate(self.sections)
            if index not in self.taken and not (section.level == 1 and not section.body and _is_title(section, title))
        )


def _is_title(section: Section, title: str) -> bool:
    """Whether a heading is the page title written again as a heading."""
    return plain_text(section.heading) == title


def _read_title(page: Page) -> str:
    """The title from front matter, else the first `#` heading; raises HandbookError when the page has neither."""
    title = page.front_matter.get("title", "").strip()
    if title:
        return title
    heading = next((section.heading for section in page.sections if section.level == 1), "")
    if not plain_text(heading):
        raise HandbookError("I couldn't find the page title.", TITLE_USAGE)
    return plain_text(heading)


def _what(section: Section, kind: str) -> str:
    """How an error names a section: "the Roles and Responsibilities table" (heading escaped)."""
    return f"the {escape(plain_text(section.heading))} {kind}"


def read_charter(markdown: str, report: ImportReport | None = None) -> CharterDraft:
    """A charter draft from a working-group handbook page; raises HandbookError naming the section it couldn't read."""
    page = read_page(markdown)
    title = _read_title(page)
    sections = _Sections(page.sections)
    attributes, fields = _read_attributes(sections.take(ATTRIBUTE_HEADINGS, only_with_table=True))
    goals_section = sections.take(GOAL_HEADINGS)
    criteria_section = sections.take(EXIT_CRITERIA_HEADINGS)
    plan_section = sections.take(PLAN_HEADINGS)
    roles_section = sections.take(ROLE_HEADINGS, only_with_table=True) or sections.take_table_with(ROLE_COLUMN)
    return CharterDraft(
        title=title,
        description=page.front_matter.get("description"),
        status=page.front_matter.get("status"),
        **fields,
        attributes=attributes,
        goals=_read_goals(goals_section),
        goals_heading=goals_section.heading if goals_section else DEFAULT_GOALS_HEADING,
        exit_criteria=tuple(entry for entry in _read_criteria(criteria_section) if entry.text),
        exit_criteria_heading=criteria_section.heading if criteria_section else DEFAULT_EXIT_CRITERIA_HEADING,
        plan=_read_plan(plan_section),
        roles=_read_roles(roles_section),
        other_sections=sections.rest(title),
    )


# Reading: attributes -----------------------------------------------------------------------------------------------


def _read_attributes(section: Section | None) -> tuple[tuple[Attribute, ...], dict[str, object]]:
    """Every Attributes row with a name, in order, and the charter fields they hold (dates, channel, links).

    Raises HandbookError naming the table and the row whose date it can't read.
    """
    if section is None:
        return (), _read_fields(())
    attributes = []
    for table in read_tables(section.body):
        name_column = table.column(("Property", "Attribute", "Field", "Name", "Key")) or 0
        value_column = table.column(("Value", "Details"))
        value_column = min(1, len(table.headers) - 1) if value_column is None else value_column
        for row in table.rows:
            name, value = plain_text(row[name_column]), read_inline(row[value_column])
            if name:
                attributes.append(Attribute(name, value.text, value.url))
    with reading(_what(section, "table")):
        return tuple(attributes), _read_fields(attributes)


def _matching(attributes: Iterable[Attribute], names: Sequence[str]) -> list[Attribute]:
    """The attributes whose name is one of `names`, in order."""
    return [attribute for attribute in attributes if matches(attribute.name, names)]


def _read_dates(attributes: Sequence[Attribute]) -> tuple[date | None, date | None]:
    """The created and end dates; raises HandbookError naming the row whose date it can't read."""
    found = []
    for names in (CREATED_NAMES, END_NAMES):
        rows = _matching(attributes, names)
        try:
            found.append(read_date_text(rows[0].value) if rows else None)
        except HandbookError as error:
            raise HandbookError(f"the {escape(rows[0].name)} {error.problem}", error.usage) from error
    return found[0], found[1]


def _lenient_date(attributes: Sequence[Attribute], names: Sequence[str]) -> date | None:
    """The date in the first attribute named one of `names`, or None (no such row, a placeholder, no date)."""
    rows = _matching(attributes, names)
    return find_date(rows[0].value) if rows and not is_placeholder(rows[0].value) else None


def slack_channel_of(attributes: Sequence[Attribute]) -> str | None:
    """The channel name from the Slack row (`#wg_x (only accessible…)` gives `wg_x`); None for "TBD" or no row."""
    rows = _matching(attributes, SLACK_NAMES)
    if not rows or is_placeholder(rows[0].value):
        return None
    text = rows[0].value
    hashed = re.search(r"#([\w.-]+)", text)
    if hashed:
        return hashed[1]
    alone = re.fullmatch(r"[\w.-]+", text.split(" (")[0].strip())
    return alone[0] if alone else None


def _url(attributes: Sequence[Attribute], names: Sequence[str]) -> str | None:
    """The first URL held by an attribute named one of `names`, or None ("TBD" holds none)."""
    return next((row.url for row in _matching(attributes, names) if row.url), None)


def _read_fields(attributes: Sequence[Attribute]) -> dict[str, object]:
    """The charter fields that come from attributes: dates, end label, channel, agenda and board links."""
    end_rows = _matching(attributes, END_NAMES)
    created_on, end_on = _read_dates(attributes)
    return {
        "created_on": created_on,
        "end_on": end_on,
        "end_label": end_rows[0].name if end_rows else DEFAULT_END_LABEL,
        "slack_channel": slack_channel_of(attributes),
        "agenda_url": _url(attributes, AGENDA_NAMES),
        "board_url": _url(attributes, BOARD_NAMES),
    }


# Reading: goals, exit criteria, plan -------------------------------------------------------------------------------


def _read_goals(section: Section | None) -> tuple[str, ...]:
    """Each top-level list item, or each paragraph when the goal is written as prose."""
    if section is None:
        return ()
    items = read_list(section.body)
    return tuple(item.text for item in items if item.text) if items else tuple(read_paragraphs(section.body))


def _criterion(text: str, checked: bool | None = None) -> CriterionEntry:
    """A criterion from its line: the checkbox and every trailing `=> 50%`/`=> Done` marker read off it."""
    done, percent, done_on = bool(checked), None, None
    text, progress = split_progress(text)
    while progress is not None:
        done, done_on = done or progress.done, done_on or progress.done_on
        percent = progress.percent if percent is None else percent
        text, progress = split_progress(text)
    return CriterionEntry(text, done, percent, done_on)


def _read_criteria(section: Section | None) -> tuple[CriterionEntry, ...]:
    """Criteria from a table, else from a list (checkboxes and markers), else one per prose paragraph."""
    if section is None:
        return ()
    tables = read_tables(section.body)
    if tables:
        return tuple(entry for table in tables for entry in _table_criteria(table))
    items = read_list(section.body)
    if items:
        return tuple(_criterion(item.text, item.checked) for item in items)
    return tuple(_criterion(paragraph) for paragraph in read_paragraphs(section.body))


def _table_criteria(table: Table) -> list[CriterionEntry]:
    """Criteria from a table: a criterion column (else the first), and optional progress and done-date columns."""
    text_column = table.column(CRITERION_COLUMN) or 0
    progress_column, done_column = table.column(PROGRESS_COLUMN), table.column(DONE_COLUMN)
    entries = []
    for row in table.rows:
        if not row[text_column].strip():
            continue
        entry = _criterion(row[text_column])
        status = _cell_progress(row, progress_column, done_column)
        entries.append(
            CriterionEntry(
                entry.text,
                entry.done or status.done,
                status.percent if status.percent is not None else entry.progress,
                status.done_on or entry.done_on,
            )
        )
    return entries


_YES = re.compile(r"^(?:x|yes|y|true|✓|✔️?|✅|☑️?)$", re.IGNORECASE)


def _cell_progress(row: Sequence[str], progress_column: int | None, done_column: int | None) -> Progress:
    """What a row's status and done-date cells say: "50%", "Done", "✅", a date or "yes" in the done column."""
    status = (read_progress(plain_text(row[progress_column])) if progress_column is not None else None) or Progress()
    done_text = plain_text(row[done_column]) if done_column is not None else ""
    done_on = status.done_on or find_date(done_text)
    said_done = _YES.match(done_text) is not None or (read_progress(done_text) or Progress()).done
    return Progress(status.percents, status.done or said_done or done_on is not None, done_on)


def _plan_item(item: ListItem) -> PlanItem:
    """A plan item from a list item, its checkbox kept in the text as written."""
    checkbox = "" if item.checked is None else ("[x] " if item.checked else "[ ] ")
    return PlanItem(checkbox + item.text, tuple(_plan_item(child) for child in item.children))


def _read_plan(section: Section | None) -> tuple[PlanItem, ...]:
    """The nested plan items, or one item per paragraph when the plan is prose."""
    if section is None:
        return ()
    items = read_list(section.body)
    if items:
        return tuple(_plan_item(item) for item in items)
    return tuple(PlanItem(paragraph) for paragraph in read_paragraphs(section.body))


# Reading: roles ----------------------------------------------------------------------------------------------------

_ROLE_NAMES = {
    "dri": WorkingGroupRole.DRI,
    "directlyresponsibleindividual": WorkingGroupRole.DRI,
    "dridirectlyresponsibleindividual": WorkingGroupRole.DRI,
    "executivesponsor": WorkingGroupRole.EXECUTIVE_SPONSOR,
    "execsponsor": WorkingGroupRole.EXECUTIVE_SPONSOR,
    "executivestakeholder": WorkingGroupRole.EXECUTIVE_STAKEHOLDER,
    "execstakeholder": WorkingGroupRole.EXECUTIVE_STAKEHOLDER,
    "facilitator": WorkingGroupRole.FACILITATOR,
    "functionallead": WorkingGroupRole.FUNCTIONAL_LEAD,
    "contributor": WorkingGroupRole.CONTRIBUTOR,
    "member": WorkingGroupRole.MEMBER,
}
_FUNCTIONAL_LEAD = re.compile(
    r"^functional\s+leads?(?:\s*\((?P<in_parentheses>.+)\)|\s*[:\-–—,]\s*(?P<after>.+))?$"
    r"|^(?P<before>.+?)\s+functional\s+lead$",
    re.IGNORECASE,
)
# "Jane Doe (@jdoe)", "Jane Doe @jdoe"; an email address ("jane@example.com") is not a handle.
_HANDLE = re.compile(r"^(?P<name>.*?)\s*(?:[(<\[]\s*)?(?<![\w.])(?P<handle>@[\w.-]*\w)\s*[)>\]]?$")


def read_role(text: str) -> tuple[WorkingGroupRole, str | None] | None:
    """The role and function a role cell names ("Functional Lead: Contributor Success"), or None when unknown."""
    cleaned = plain_text(text).strip().rstrip(":").strip()
    lead = _FUNCTIONAL_LEAD.match(cleaned)
    if lead:
        function = lead["in_parentheses"] or lead["after"] or lead["before"]
        return WorkingGroupRole.FUNCTIONAL_LEAD, function.strip() if function else None
    key = re.sub(r"[^a-z]", "", cleaned.casefold())
    role = _ROLE_NAMES.get(key) or (_ROLE_NAMES.get(key[:-1]) if key.endswith("s") else None)
    return (role, None) if role else None


def _username(text: str) -> str | None:
    """A username as "@jdoe" from a username cell ("jdoe", "@jdoe", a link), or None when empty or "TBD"."""
    cleaned = plain_text(text).strip()
    if is_placeholder(cleaned):
        return None
    return cleaned if cleaned.startswith("@") or " " in cleaned else f"@{cleaned}"


def _person(text: str) -> tuple[str | None, str | None]:
    """The person's name (None for "TBD" or empty) and a trailing "@handle" written next to it."""
    cleaned = plain_text(text).replace("\n", " ").strip()
    handle = _HANDLE.match(cleaned)
    name, username = (handle["name"].strip(), handle["handle"]) if handle else (cleaned, None)
    return (None if is_placeholder(name) else name), username


@dataclass(frozen=True, slots=True)
class _RoleColumns:
    """Where each field of a role row is, by column index (None when the table has no such column)."""

    role: int
    person: int
    title: int | None
    function: int | None
    username: int | None

    def cell(self, row: Sequence[str], index: int | None) -> str:
        """The plain text of a cell, "" when the column is missing."""
        return plain_text(row[index]).replace("\n", " ") if index is not None else ""


def _role_columns(table: Table) -> _RoleColumns:
    """The columns of a roles table; raises HandbookError when there is no role or no person column."""
    role, person = table.column(ROLE_COLUMN), table.column(PERSON_COLUMN)
    shown = ", ".join(quoted(header) for header in table.headers)
    if role is None:
        raise HandbookError(f"it has no role column (its columns are {shown}).", "Add a `Working Group Role` column.")
    if person is None:
        raise HandbookError(f"it has no person column (its columns are {shown}).", "Add a `Person` column.")
    username = table.column(USERNAME_COLUMN)
    return _RoleColumns(role, person, table.column(TITLE_COLUMN), table.column(FUNCTION_COLUMN), username)


def _role_entry(row: Sequence[str], columns: _RoleColumns, number: int) -> RoleEntry | None:
    """One role row as a RoleEntry; None for an empty row; raises HandbookError for a role it doesn't know."""
    name, handle = _person(row[columns.person])
    title = columns.cell(row, columns.title) or None
    username = _username(columns.cell(row, columns.username)) or handle
    if not row[columns.person].strip() and not title and not username:
        return None
    role, written = read_role(row[columns.role]), columns.cell(row, columns.role)
    if role is None:
        who = f" for {quoted(name)}" if name else ""
        said = f"the role {quoted(written)}, which I don't know" if written else "no role"
        raise HandbookError(f"row {number}{who} has {said}.", ROLE_USAGE)
    function = role[1] or columns.cell(row, columns.function) or None
    return RoleEntry(role[0], name, title, function, username)


def _read_roles(section: Section | None) -> tuple[RoleEntry, ...]:
    """Every filled row of the roles tables; raises HandbookError naming the table and the row it couldn't read."""
    if section is None:
        return ()
    entries = []
    with reading(_what(section, "table")):
        for table in read_tables(section.body):
            columns = _role_columns(table)
            for number, row in enumerate(table.rows, start=1):
                entry = _role_entry(row, columns, number)
                if entry is not None:
                    entries.append(entry)
    return tuple(entries)


# Writing -----------------------------------------------------------------------------------------------------------


def write_charter(draft: CharterDraft) -> str:
    """The handbook page for a charter, in the seeds' format: front matter, attributes, goals, criteria, plan, roles."""
    leading = _leading_sections(draft.other_sections)
    blocks = [write_front_matter({"title": draft.title, "description": draft.description, "status": draft.status})]
    blocks += [write_section(section.heading, section.level, section.body) for section in leading]
    attributes = _attribute_rows(draft)
    if attributes:
        blocks.append(write_section(ATTRIBUTES_HEADING, 2, _attributes_table(attributes)))
    blocks.append(write_section(draft.goals_heading, 2, _goals_body(draft.goals)))
    blocks.append(write_section(draft.exit_criteria_heading, 3, _criteria_body(draft.exit_criteria)))
    if draft.plan:
        blocks.append(write_section(PLAN_HEADING, 3, write_list(_plan_list(draft.plan))))
    if draft.roles:
        blocks.append(write_section(ROLES_HEADING, 2, _roles_table(draft.roles)))
    blocks += [write_section(s.heading, s.level, s.body) for s in draft.other_sections[len(leading) :]]
    return join_blocks(blocks)


def _leading_sections(sections: Sequence[Section]) -> tuple[Section, ...]:
    """The sections that open the page, before the attributes: the text before any heading and `#` intros."""
    count = 0
    while count < len(sections) and sections[count].level <= 1:
        count += 1
    return tuple(sections[:count])


def _goals_body(goals: Sequence[str]) -> str:
    """One goal as a paragraph (as the seeds write a prose goal), several as a numbered list."""
    if len(goals) == 1:
        return goals[0]
    return write_list(ListItem(goal) for goal in goals)


def _criteria_body(criteria: Sequence[CriterionEntry]) -> str:
    """A lone plain criterion as a paragraph; else a numbered list, with checkboxes once any criterion is done."""
    if len(criteria) == 1 and criteria[0] == CriterionEntry(criteria[0].text):
        return criteria[0].text
    with_checkboxes = any(criterion.done for criterion in criteria)
    return write_list(
        ListItem(
            criterion.text
            + progress_marker(() if criterion.progress is None else (criterion.progress,), done_on=criterion.done_on),
            checked=criterion.done if with_checkboxes else None,
        )
        for criterion in criteria
    )


def _plan_list(items: Sequence[PlanItem]) -> list[ListItem]:
    """Plan items as list items; a checkbox written in an item's text stays at its start."""
    return [ListItem(item.text, tuple(_plan_list(item.children))) for item in items]


def _role_cell(entry: RoleEntry) -> str:
    """The role as the seeds write it: "Functional Lead: Contributor Success" carries the function."""
    if entry.role is WorkingGroupRole.FUNCTIONAL_LEAD and entry.function:
        return f"{entry.role.value}: {entry.function}"
    return entry.role.value


def _roles_table(roles: Sequence[RoleEntry]) -> str:
    """The roles table; Function and Username columns only when some row needs them."""
    with_function = any(entry.function and entry.role is not WorkingGroupRole.FUNCTIONAL_LEAD for entry in roles)
    with_username = any(entry.username for entry in roles)
    headers = ["Working Group Role", "Person", "Title"] + ["Function"] * with_function + ["Username"] * with_username
    rows = []
    for entry in roles:
        row = [_role_cell(entry), entry.person_name or "TBD", entry.title or ""]
        row += [entry.function or ""] * with_function + [entry.username or ""] * with_username
        rows.append([table_cell(cell) for cell in row])
    return write_table(headers, rows)


# Writing: attributes -----------------------------------------------------------------------------------------------


def _attribute_rows(draft: CharterDraft) -> list[Attribute]:
    """The draft's attributes with the typed fields written into them (rows kept as written when they agree)."""
    rows = list(draft.attributes)
    rows = _reconcile(
        rows, CREATED_NAMES, "Date Created", draft.created_on, lambda found: _lenient_date(found, CREATED_NAMES),
        lambda name, day: Attribute(name, write_date(day)),
    )  # fmt: skip
    rows = _reconcile(
        rows, END_NAMES, draft.end_label, draft.end_on, lambda found: _lenient_date(found, END_NAMES),
        lambda _name, day: Attribute(draft.end_label, write_date(day)),
    )  # fmt: skip
    rows = _reconcile(
        rows, SLACK_NAMES, "Slack", draft.slack_channel, slack_channel_of,
        lambda name, channel: Attribute(name, f"#{channel}" if channel else "TBD"),
    )  # fmt: skip
    links = ((AGENDA_NAMES, "Google Doc", draft.agenda_url), (BOARD_NAMES, "Issue Board", draft.board_url))
    for names, default, url in links:
        rows = _reconcile(
            rows, names, default, url, lambda found, names=names: _url(found, names),
            lambda name, url: Attribute(name, url or "TBD", url),
        )  # fmt: skip
    return rows


def _reconcile(
    rows: list[Attribute],
    names: Sequence[str],
    default_name: str,
    wanted: Any,
    derive: Callable[[Sequence[Attribute]], Any],
    make: Callable[[str, Any], Attribute],
) -> list[Attribute]:
    """Rows whose `derive` gives `wanted`: unchanged when they already do, else matching rows rewritten, or one added.

    Rows that hold a value are rewritten first ("Issue Board" with a link before "Issues: TBD").
    """
    if derive(rows) == wanted:
        return rows
    holding = [index for index, row in enumerate(rows) if matches(row.name, names) and derive([row]) is not None]
    others = [index for index, row in enumerate(rows) if matches(row.name, names) and index not in holding]
    for index in holding + (others if wanted is not None else []):
        rows = rows[:index] + [make(rows[index].name, wanted)] + rows[index + 1 :]
        if derive(rows) == wanted:
            return rows
    return rows if wanted is None else rows + [make(default_name, wanted)]


def _value_markdown(attribute: Attribute) -> str:
    """An attribute value as cell markdown: its link on the text before a trailing "(…)" remark, as the seeds do."""
    if attribute.url is None:
        return table_cell(attribute.value)
    if attribute.value == attribute.url and escape_inline(attribute.url) == attribute.url:
        return table_cell_markdown(attribute.url)
    remark = re.fullmatch(r"(?P<text>.+?)(?P<remark>\s+\([^()\n]*\))", attribute.value)
    text, rest = (remark["text"], remark["remark"]) if remark else (attribute.value, "")
    return table_cell_markdown(link_markdown(text, attribute.url)) + table_cell(rest)


def _attributes_table(attributes: Sequence[Attribute]) -> str:
    """The Attributes table: a Property column and a Value column."""
    return write_table(
        ["Property", "Value"], [[table_cell(attribute.name), _value_markdown(attribute)] for attribute in attributes]
    )
