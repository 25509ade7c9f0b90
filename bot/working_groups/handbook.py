"""Working-group charters in and out of the handbook page format of `seeds/working-group-*.md` and real pages.

`read_charter` turns a page into a `CharterDraft` (pure values, nothing saved) and `write_charter` turns a draft
back into a page; `read_charter(write_charter(draft)) == draft` for any draft read from a page. Goals, exit criteria
and plan items keep their inline markdown (links survive an export); roles and attributes are plain text.

A read is never all-or-nothing: what the reader cannot map is kept as written (an unknown role title is a member
with that title, a date cell that is not a day keeps its text) and named in the `ImportReport`; what it leaves out
is named with why. Only a page with nothing recognisable is refused. The page's layout (heading names and levels,
role-table columns, part order, prose around lists) goes in `CharterDraft.shape`, so an export writes the page
back the way its team wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from bot.handbook.dates import find_date, is_placeholder, read_written_date, write_date
from bot.handbook.inline import escape_inline, link_markdown, plain_text, read_inline
from bot.handbook.markdown import (
    ListItem,
    Page,
    Section,
    Table,
    join_blocks,
    matches,
    name_key,
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

__all__ = [
    "Attribute",
    "CharterDraft",
    "CriterionEntry",
    "ImportReport",
    "PlanItem",
    "RoleEntry",
    "Section",
    "WorkingGroupRole",
    "read_charter",
    "read_role",
    "read_roles",
    "slack_channel_of",
    "write_charter",
    "written_role",
]

ATTRIBUTE_HEADINGS = ("Attributes", "Working Group Attributes", "Properties", "Details")
GOAL_HEADINGS = (
    "Business Goal", "Business Goals", "Goal", "Goals", "Objective", "Objectives", "Purpose", "Business Outcomes",
    "Working Group Goal", "Working Group Goals",
)  # fmt: skip
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
    "Estimated Date Ended", "Close Date", "Closed Date", "Date Closed", "Closed On", "Closing Date",
    "Actual End Date", "Actual Date Ended", "Actual Close Date",
)  # fmt: skip
# An end that happened beats a planned one: "Actual End Date 2024-05-20" under "Target End Date 2024-03-31".
ACTUAL_END_NAMES = (
    "Date Ended", "Ended", "Close Date", "Closed Date", "Date Closed", "Closed On", "Closing Date", "Actual End Date",
    "Actual Date Ended", "Actual Close Date",
)  # fmt: skip
STATUS_NAMES = ("Status", "Overview & Status", "Overview and Status", "State")
SLACK_NAMES = ("Slack", "Slack Channel", "Channel")
AGENDA_NAMES = ("Google Doc", "Agenda", "Agenda Doc", "Meeting Agenda", "Google Doc Agenda", "Meeting Notes")
BOARD_NAMES = ("Issue Board", "Epic", "Issues", "Issue", "Board", "Epics", "Issue Tracker")

ROLE_COLUMN = ("Working Group Role", "Role", "WG Role", "Roles", "Task Group Role")
PERSON_COLUMN = ("Person", "Team Member", "Name", "Member", "Team Members", "People", "Who", "Person(s)")
TITLE_COLUMN = ("Title", "Functional Title", "Job Title", "Position", "Responsibility", "Responsibilities")
FUNCTION_COLUMN = ("Function", "Functional Area", "Department", "Area", "Stakeholder Department")
USERNAME_COLUMN = ("Username", "GitLab handle", "GitLab Username", "Handle", "Slack", "Slack handle", "GitLab")
# A column of names a roles table may have instead of a person column ("Primary Contact", a second one for more people).
NAME_COLUMN = (
    "Primary Contact", "Contact", "Contacts", "Supporting Contact Name", "Supporting Contact", "Supporting Contacts",
    "Contact Name", "Primary Contact Name", "DRI", "DRIs", "Owner", "Owners", "Lead", "Leads",
)  # fmt: skip
# A column whose cells are role titles written as functions ("Functional Lead: Channel Partners").
FUNCTIONS_ROLE_COLUMN = (
    "Working Group Functions", "Working Group Functions (alphabetical)", "Function(s)", "Functions",
    "Working Group Function",
)  # fmt: skip
CRITERION_COLUMN = ("Exit Criterion", "Exit Criteria", "Criterion", "Criteria", "Description", "Item", "Deliverable")
PROGRESS_COLUMN = ("%", "Progress", "Percent", "% Complete", "Percent Complete", "Completion", "Status", "State")
DONE_COLUMN = ("Done", "Done On", "Done Date", "Completed", "Completed On", "Date Completed", "Completion Date")

DEFAULT_GOALS_HEADING = "Business Goals"
DEFAULT_EXIT_CRITERIA_HEADING = "Exit Criteria"
DEFAULT_END_LABEL = "End Date"
PLAN_HEADING = "Plan"
ROLES_HEADING = "Roles and Responsibilities"
ATTRIBUTES_HEADING = "Attributes"
UNTITLED = "Untitled working group"
CHARTER_USAGE = (
    "A working-group page has an Attributes table, Goals, Exit Criteria, a Plan or a Roles table "
    "(`| Working Group Role | Person |`) under headings of those names."
)

ROLE_USAGE = (
    "Write the role as one of DRI, Executive Sponsor, Executive Stakeholder, Facilitator, "
    "`Functional Lead: <function>`, Contributor or Member."
)
TITLE_USAGE = 'Start the page with front matter (`---`, `title: "… Working Group"`, `---`) or a `# Title` heading.'
PAGE_USAGE = (
    "A working-group page has a title (front matter `title:` or a `# Title` heading), an Attributes table, "
    "goals, exit criteria and a roles table (`| Working Group Role | Person | Title |`)."
)


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
    """One person holding one role; `person_name` is None for "TBD", `username` is like "@jdoe".

    `role_title` is the role as the page wrote it when that differs from how `role` is written ("Engineering DRI",
    "Facilitator/DRI", "Triage Lead" kept as a Member); a cell naming two roles gives one entry per role.
    """

    role: WorkingGroupRole
    person_name: str | None
    title: str | None = None
    function: str | None = None
    username: str | None = None
    role_title: str | None = None


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
    """One row of the Attributes table: its name, its value as plain text, the URL when the value held a link.

    `markdown` is the cell as written when it held several links (an agenda and a project plan in one cell), so
    an export writes every link back.
    """

    name: str
    value: str
    url: str | None = None
    markdown: str | None = None


@dataclass(frozen=True, slots=True)
class CharterDraft:
    """A working-group charter as read from (or to be written to) a handbook page; nothing saved yet.

    `created_written`/`end_written` hold a date cell kept as written when it is not one day ("March, 2022");
    the date field is then None. `shape` is how the page was laid out (JSON-ready; {} for the seeds' layout).
    """

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
    created_written: str | None = None
    end_written: str | None = None
    shape: dict[str, Any] = field(default_factory=dict)


# Reading: sections -------------------------------------------------------------------------------------------------


class _Sections:
    """The page's sections, each taken at most once by the part of the charter it holds, and which part took it."""

    def __init__(self, sections: Sequence[Section]) -> None:
        self.sections = list(sections)
        self.taken: dict[int, str] = {}

    def _take(self, index: int, part: str) -> Section:
        self.taken[index] = part
        return self.sections[index]

    def find(self, names: Iterable[str], *, prefix: str = "", only_with_table: bool = False) -> int | None:
        """The index of the first untaken section named one of `names` (or starting with `prefix`), or None.

        With `only_with_table`, None when that section has no table.
        """
        names, start = tuple(names), name_key(prefix) if prefix else None
        for index, section in enumerate(self.sections):
            if index in self.taken or not section.level:
                continue
            if matches(section.heading, names) or (start and name_key(section.heading).startswith(start)):
                return None if only_with_table and not read_tables(section.body) else index
        return None

    def take(self, names: Iterable[str], part: str, **how: Any) -> Section | None:
        """The first untaken section named one of `names`, now taken by `part`."""
        index = self.find(names, **how)
        return None if index is None else self._take(index, part)

    def take_table_with(self, columns: Iterable[str], part: str) -> Section | None:
        """The first untaken section with a table that has one of `columns`, now taken (roles under any heading)."""
        columns = tuple(columns)
        for index, section in enumerate(self.sections):
            tables = read_tables(section.body) if index not in self.taken and section.level else []
            if any(table.column(columns) is not None for table in tables):
                return self._take(index, part)
        return None

    def under(self, parent: Section) -> list[int]:
        """The indexes of the untaken sections nested under `parent` (deeper headings up to its next sibling)."""
        start = next(index for index, section in enumerate(self.sections) if section is parent)
        found = []
        for index in range(start + 1, len(self.sections)):
            if self.sections[index].level <= parent.level:
                break
            if index not in self.taken:
                found.append(index)
        return found

    def take_under(self, parent: Section, part: str, keep: Callable[[Section], bool]) -> list[Section]:
        """The sections under `parent` that `keep` accepts, each now taken by `part` plus its number (`goals:1`)."""
        taken = []
        for index in self.under(parent):
            if keep(self.sections[index]):
                taken.append(self._take(index, f"{part}:{len(taken) + 1}"))
        return taken

    def take_first(self, part: str, keep: Callable[[Section], bool]) -> list[Section]:
        """The first untaken section under a heading that `keep` accepts, now taken by `part` (or none)."""
        for index, section in enumerate(self.sections):
            if index not in self.taken and section.level and keep(section):
                return [self._take(index, part)]
        return []

    def rest(self, title: str) -> tuple[tuple[int, Section], ...]:
        """(index, section) for the sections no part took, without an empty `# Title` heading (kept as the title)."""
        return tuple(
            (index, section)
            for index, section in enumerate(self.sections)
            if index not in self.taken and not (section.level == 1 and not section.body and _is_title(section, title))
        )

    def order(self, rest: Sequence[tuple[int, Section]]) -> list[str | int]:
        """The page's parts and kept sections in page order: part names, and kept sections by their number."""
        kept = {index: number for number, (index, _section) in enumerate(rest)}
        return [self.taken[index] if index in self.taken else kept[index] for index in sorted([*self.taken, *kept])]


def _is_title(section: Section, title: str) -> bool:
    """Whether a heading is the page title written again as a heading."""
    return plain_text(section.heading) == title


_PART_HEADINGS = ATTRIBUTE_HEADINGS + GOAL_HEADINGS + EXIT_CRITERIA_HEADINGS + PLAN_HEADINGS + ROLE_HEADINGS


def _read_title(page: Page, report: ImportReport) -> str | None:
    """The title from front matter, else the first `#` heading, else the first heading that names no part."""
    title = str(page.front_matter.get("title") or "").strip()
    if title:
        return title
    headings = [section for section in page.sections if section.level and plain_text(section.heading)]
    first = next((s for s in headings if s.level == 1), None) or next(
        (s for s in headings if not matches(s.heading, _PART_HEADINGS)), None
    )
    if first is None:
        return None
    if first.level > 1:
        report.keep("Title", f"the page has no `title:`; I took its first heading, “{plain_text(first.heading)}”")
    return plain_text(first.heading)


def read_charter(markdown: str, report: ImportReport | None = None) -> CharterDraft:
    """A charter draft from a working-group handbook page; what it read, kept and skipped goes in `report`.

    Raises HandbookError only when nothing on the page is recognisable (no title and nothing else read); a page
    with a title alone is an empty charter (a group starting its page), and the report says only the title was read.
    """
    report = ImportReport() if report is None else report
    page = read_page(markdown)
    sections = _Sections(page.sections)
    attributes_section = sections.take(ATTRIBUTE_HEADINGS, "attributes", only_with_table=True)
    attributes, fields = _read_attributes(attributes_section, report)
    goals, goals_heading, goals_shape = _read_goals(sections, report)
    criteria, criteria_heading, criteria_shape = _read_criteria(sections, report)
    plan_section = sections.take(PLAN_HEADINGS, "plan")
    roles, roles_shape = _read_all_roles(sections, report)
    title = _read_title(page, report)
    if not report.read_anything:
        report.check(f"I found only a title on this page. {CHARTER_USAGE}")
    if title is None:
        report.check_something_read(TITLE_USAGE)
        title = UNTITLED
        report.check(f"The page has no title: I named the group “{UNTITLED}”. {_plain(TITLE_USAGE)}")
    status, status_shape = _read_status(page, attributes)
    rest = sections.rest(title)
    shape = {
        **_front_matter_shape(page),
        **status_shape,
        **_section_shape("attributes", attributes_section, ATTRIBUTES_HEADING, 2),
        **goals_shape,
        **criteria_shape,
        **_section_shape("plan", plan_section, PLAN_HEADING, 3),
        **roles_shape,
        **_order_shape(sections.order(rest), [section for _index, section in rest]),
    }
    plan = _read_plan(plan_section)
    report.count("plan items", _count_plan(plan))
    return CharterDraft(
        title=title,
        description=_optional_text(page.front_matter.get("description")),
        status=status,
        **fields,
        attributes=attributes,
        goals=goals,
        goals_heading=goals_heading,
        exit_criteria=criteria,
        exit_criteria_heading=criteria_heading,
        plan=plan,
        roles=roles,
        other_sections=tuple(section for _index, section in rest),
        shape=shape,
    )


def _plain(usage: str) -> str:
    """A usage line without its code marks, for the report's plain text."""
    return usage.replace("`", "")


def _optional_text(value: object) -> str | None:
    """A front matter value as text, None when absent."""
    return None if value is None else str(value)


def _count_plan(items: Sequence[PlanItem]) -> int:
    """How many plan items there are, nested ones included."""
    return sum(1 + _count_plan(item.children) for item in items)


_WRITTEN_FRONT_MATTER = ("title", "description", "status")


def _front_matter_shape(page: Page) -> dict[str, Any]:
    """The page's other front matter keys with text values (`layout: markdown_page`), to write back."""
    extra = {
        str(key): value
        for key, value in page.front_matter.items()
        if key not in _WRITTEN_FRONT_MATTER and isinstance(value, str)
    }
    return {"front_matter": extra} if extra else {}


def _section_shape(part: str, section: Section | None, heading: str, level: int) -> dict[str, Any]:
    """A part's heading and level when they differ from what the writer writes by default."""
    if section is None or (section.heading, section.level) == (heading, level):
        return {}
    return {part: {"heading": section.heading, "level": section.level}}


_PART_RANK = {"attributes": 0, "goals": 1, "exit_criteria": 2, "plan": 3, "roles": 4}


def _part_rank(token: str) -> tuple[int, int]:
    """Where a part goes by default: attributes, goals, exit criteria, plan, roles; numbered parts in order."""
    name, _, number = token.partition(":")
    return _PART_RANK[name], int(number or 0)


def _default_order(parts: Iterable[str], kept: Sequence[Section]) -> list[str | int]:
    """Where the writer puts these parts and kept sections without a recorded order (the seeds' order)."""
    leading = len(_leading_sections(kept))
    return [*range(leading), *sorted(parts, key=_part_rank), *range(leading, len(kept))]


def _order_shape(order: list[str | int], kept: Sequence[Section]) -> dict[str, Any]:
    """The page order when the writer would not write the parts in that order by default."""
    parts = [token for token in order if isinstance(token, str)]
    return {} if order == _default_order(parts, kept) else {"order": order}


def _read_status(page: Page, attributes: Sequence[Attribute]) -> tuple[str | None, dict[str, Any]]:
    """The status from front matter, else from a Status row holding a word or two ("Closed", "Open")."""
    written = page.front_matter.get("status")
    if written is not None:
        return str(written), {}
    status = _status_of(attributes)
    return (status, {"status_in_attributes": True}) if status is not None else (None, {})


def _status_of(attributes: Sequence[Attribute]) -> str | None:
    """The status a Status row holds: a short word or two without a link; None when there is none."""
    rows = _matching(attributes, STATUS_NAMES)
    if not rows or rows[0].url or not re.fullmatch(r"[A-Za-z][A-Za-z -]{0,30}", rows[0].value.strip()):
        return None
    return rows[0].value.strip()


# Reading: attributes -----------------------------------------------------------------------------------------------


def _where(section: Section | None, default: str) -> str:
    """How the report names a section: its heading as plain text."""
    return plain_text(section.heading) if section is not None else default


def _read_attributes(section: Section | None, report: ImportReport) -> tuple[tuple[Attribute, ...], dict[str, Any]]:
    """Every Attributes row with a name, in order, and the charter fields they hold (dates, channel, links)."""
    if section is None:
        return (), _read_fields((), report, "Attributes")
    attributes = []
    for table in read_tables(section.body):
        name_column = table.column(("Property", "Attribute", "Field", "Name", "Key")) or 0
        value_column = table.column(("Value", "Details"))
        value_column = min(1, len(table.headers) - 1) if value_column is None else value_column
        for number, row in enumerate(table.rows, start=1):
            name, value = plain_text(row[name_column]), read_inline(row[value_column])
            if name:
                several = row[value_column].strip() if len({link.url for link in value.links}) > 1 else None
                attributes.append(Attribute(name, value.text, value.url, several))
            elif value.text:
                report.skip(f"{_where(section, 'Attributes')} row {number}", "it has a value but no name")
    report.count("attributes", len(attributes))
    report.count("links", sum(1 for attribute in attributes if attribute.url))
    return tuple(attributes), _read_fields(attributes, report, _where(section, "Attributes"))


def _matching(attributes: Iterable[Attribute], names: Sequence[str]) -> list[Attribute]:
    """The attributes whose name is one of `names`, in order; for the end date, the rows of an actual end first."""
    found = [attribute for attribute in attributes if matches(attribute.name, names)]
    if names is END_NAMES:
        found.sort(key=lambda row: not (matches(row.name, ACTUAL_END_NAMES) and _holds_a_date(row.value)))
    return found


def _holds_a_date(text: str) -> bool:
    """Whether a cell holds a day or a month (not empty, not "TBD", not prose)."""
    written = read_written_date(text)
    return written is not None and (written.day is not None or written.month is not None)


def _date_of(attributes: Sequence[Attribute], names: Sequence[str]) -> tuple[date | None, str | None]:
    """(day, text kept as written) for the first row named one of `names`: a day, or a month or prose kept as
    written; (None, None) for no row, an empty cell or a placeholder ("TBD")."""
    rows = _matching(attributes, names)
    if not rows or not rows[0].value.strip():
        return None, None
    written = read_written_date(rows[0].value)
    if written is not None and written.day is not None:
        return written.day, None
    if written is not None and written.is_placeholder:
        return None, None
    return None, rows[0].value


def _read_dates(attributes: Sequence[Attribute], report: ImportReport, where: str) -> dict[str, Any]:
    """The created and end dates, each a day or kept as written (and said so in the report)."""
    fields: dict[str, Any] = {}
    for key, names in (("created", CREATED_NAMES), ("end", END_NAMES)):
        day, written = _date_of(attributes, names)
        fields[f"{key}_on"], fields[f"{key}_written"] = day, written
        if day is not None:
            report.count("dates")
            continue
        if written is None:
            continue
        row = _matching(attributes, names)[0]
        month = read_written_date(written)
        if month is not None and month.month is not None:
            report.count("dates")
            report.keep(f"{where}: {row.name}", f"“{written}” is a month, not a day: kept as written")
        else:
            report.keep(f"{where}: {row.name}", f"“{written}” is not a date I can read: kept as written")
            report.check(f"The {row.name} “{written}” is kept as text; nudges about the end date need a day.")
    return fields


def _lenient_date(attributes: Sequence[Attribute], names: Sequence[str]) -> tuple[date | None, str | None]:
    """The (day, kept text) the first row named one of `names` holds, as the reader reads it."""
    return _date_of(attributes, names)


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


def _read_fields(attributes: Sequence[Attribute], report: ImportReport, where: str) -> dict[str, Any]:
    """The charter fields that come from attributes: dates, end label, channel, agenda and board links."""
    end_rows = _matching(attributes, END_NAMES)
    return {
        **_read_dates(attributes, report, where),
        "end_label": end_rows[0].name if end_rows else DEFAULT_END_LABEL,
        "slack_channel": slack_channel_of(attributes),
        "agenda_url": _url(attributes, AGENDA_NAMES),
        "board_url": _url(attributes, BOARD_NAMES),
    }


# Reading: goals, exit criteria, plan -------------------------------------------------------------------------------


def _item_json(item: ListItem) -> dict[str, Any]:
    """A nested list item as JSON (text, checkbox, marker kind, children), for the shape."""
    return {
        "text": item.text,
        "checked": item.checked,
        "ordered": item.ordered,
        "children": [_item_json(child) for child in item.children],
    }


def _item_from_json(data: dict[str, Any]) -> ListItem:
    """The list item `_item_json` wrote."""
    children = tuple(_item_from_json(child) for child in data.get("children") or [])
    return ListItem(str(data["text"]), children, data.get("checked"), bool(data.get("ordered", True)))


def _goals_of(section: Section) -> tuple[list[str], dict[str, Any]]:
    """A goal section's goals: its paragraphs, then its top-level list items; and how they were written."""
    paragraphs = read_paragraphs(section.body)
    items = [item for item in read_list(section.body) if item.text]
    goals = [*paragraphs, *(item.text for item in items)]
    part: dict[str, Any] = {"heading": section.heading, "level": section.level, "count": len(goals)}
    part["lead"] = len(paragraphs)
    part["ordered"] = items[0].ordered if items else True
    children = {item.text: [_item_json(child) for child in item.children] for item in items if item.children}
    if children:
        part["children"] = children
    return goals, part


def _default_goals_part(heading: str, count: int) -> dict[str, Any]:
    """How the writer lays out goals without a shape: one as a paragraph, several as a numbered list."""
    return {"heading": heading, "level": 2, "count": count, "lead": 1 if count == 1 else 0, "ordered": True}


def _is_goal_heading(section: Section) -> bool:
    return matches(section.heading, GOAL_HEADINGS)


def _read_goals(sections: _Sections, report: ImportReport) -> tuple[tuple[str, ...], str, dict[str, Any]]:
    """The goals of the first goal section and of the goal sections under it ("### Goals" under "## Goal")."""
    first = sections.take(GOAL_HEADINGS, "goals")
    if first is None:
        return (), DEFAULT_GOALS_HEADING, {}
    goals, parts = [], []
    for section in [first, *sections.take_under(first, "goals", _is_goal_heading)]:
        found, part = _goals_of(section)
        goals += found
        parts.append(part)
    report.count("goals", len(goals))
    if parts == [_default_goals_part(first.heading, len(goals))]:
        return tuple(goals), first.heading, {}
    return tuple(goals), first.heading, {"goals": parts}


# "=> **Done** The customer confirmed…", "-> Done": done, said with more words after it; the words stay in the text.
_SAID_DONE = re.compile(r"(?:=|-{1,2})>\s*(?:\*\*|__)?\s*(?:done|complete|completed|finished)\b", re.IGNORECASE)


# "✅ Fulfillment of the blueprint": done, said by a mark at the start; the mark stays in the text as written.
_DONE_MARK = re.compile(r"^\s*(?:✅|✔️?|☑️?)")
# "Reword the OKRs. `=> 100%, completed`": a marker written inside a trailing code span.
_CODE_MARKER = re.compile(r"\s*`\s*(?P<marker>(?:=|-{1,2})>[^`]*?)\s*`\s*$")


def _criterion(text: str, checked: bool | None = None) -> CriterionEntry:
    """A criterion from its line: the checkbox and every trailing `=> 50%`/`=> Done` marker read off it (a marker
    in a trailing code span too)."""
    code = _CODE_MARKER.search(text)
    if code is not None:
        entry = _criterion(f"{text[: code.start()]} {code['marker']}", checked)
        if text.startswith(entry.text):
            return entry
    said_done = _SAID_DONE.search(text) is not None or _DONE_MARK.match(text) is not None
    done, percent, done_on = bool(checked) or said_done, None, None
    text, progress = split_progress(text)
    while progress is not None:
        done, done_on = done or progress.done, done_on or progress.done_on
        percent = progress.percent if percent is None else percent
        text, progress = split_progress(text)
    return CriterionEntry(text, done, percent, done_on)


def _is_criteria_heading(section: Section) -> bool:
    return matches(section.heading, EXIT_CRITERIA_HEADINGS) or name_key(section.heading).startswith("exitcriteria")


def _criteria_of(
    section: Section, report: ImportReport, *, first: bool = True, prose_is_intro: bool = False
) -> tuple[list[CriterionEntry], dict[str, Any]]:
    """A criteria section's criteria (a table, else a list, else one per paragraph) and how they were written."""
    part: dict[str, Any] = {"heading": section.heading, "level": section.level}
    tables = read_tables(section.body)
    items = read_list(section.body)
    paragraphs = read_paragraphs(section.body)
    part["ordered"] = True
    if tables:
        entries = [entry for table in tables for entry in _table_criteria(table, section, report)]
        part["intro"], part["table"] = paragraphs, _criteria_columns(tables[0])
    elif items:
        entries = [_criterion(item.text, item.checked) for item in items]
        part["intro"], part["ordered"] = paragraphs, items[0].ordered
        pairs = list(zip(items, entries, strict=True))
        children = {
            entry.text: [_item_json(child) for child in item.children] for item, entry in pairs if item.children
        }
        if children:
            part["children"] = children
        if all(item.checked is None for item in items) and any(entry.done for entry in entries):
            part["checkboxes"] = False
        boxes = any(entry.done for entry in entries) and part.get("checkboxes", True) is not False
        markers = {
            entry.text: item.text[len(entry.text) :]
            for item, entry in pairs
            if item.text != entry.text
            and item.text[len(entry.text) :] != _criterion_marker(entry, {}, entry.done if boxes else None)
        }
        if markers:
            part["markers"] = markers
        for number, (item, entry) in enumerate(pairs, start=1):
            _note_marker_words(item.text[len(entry.text) :], f"{plain_text(section.heading)} item {number}", report)
    else:
        about = [paragraph for paragraph in paragraphs if prose_is_intro or _is_about_criteria(paragraph)]
        entries = [_criterion(paragraph) for paragraph in paragraphs if paragraph not in about]
        part["intro"] = about
        for paragraph in about:
            said = "is an introduction to the criteria under it" if prose_is_intro else "is about the criteria"
            report.keep(plain_text(section.heading), f"“{_clip(plain_text(paragraph))}” {said}, not one")
    skipped = [number for number, entry in enumerate(entries, start=1) if not entry.text]
    for number in skipped:
        report.skip(f"{plain_text(section.heading)} item {number}", "it has no text")
    entries = [entry for entry in entries if entry.text]
    part["count"] = len(entries)
    if not _writes_list(entries, part, first=first):
        part.pop("ordered", None)
    return entries, {key: value for key, value in part.items() if value not in ([], None)}


def _note_marker_words(marker: str, where: str, report: ImportReport) -> None:
    """Say so when a progress marker carries words besides the progress ("=> 100%, working on triage automation"):
    they stay on the page as written (an export writes the marker back), not in the criterion's text."""
    code = _CODE_MARKER.search(marker)
    _text, progress = split_progress(f"x {code['marker']}" if code else f"x{marker}")
    if progress is not None and progress.note.strip("*_ "):
        said = f"the words after its progress, “{_clip(marker.strip().strip('`'), 100)}”, are kept with the marker"
        report.keep(where, f"{said}, not in the criterion's text")


def _is_about_criteria(paragraph: str) -> bool:
    """Whether a paragraph in a criteria section speaks about the criteria ("are defined here", "Coming soon…")."""
    text = plain_text(paragraph).strip()
    legend = text.startswith("(") and text.endswith(")") and bool(_DONE_MARK.search(text[1:]))  # "(✅ Done, ✏️ …)"
    return "exit criteria" in text.casefold() or text.endswith(("...", "…")) or legend


def _clip(text: str, limit: int = 60) -> str:
    """Text cut to `limit` characters with an ellipsis, for a report line."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _criteria_columns(table: Table) -> list[list[str]]:
    """A criteria table's columns by kind (criterion, progress, done, other), to write the table back."""
    kinds = {table.column(CRITERION_COLUMN) or 0: "criterion"}
    for kind, names in (("progress", PROGRESS_COLUMN), ("done", DONE_COLUMN)):
        index = table.column(names)
        if index is not None and index not in kinds:
            kinds[index] = kind
    return [[kinds.get(index, "other"), header] for index, header in enumerate(table.headers)]


def _writes_list(criteria: Sequence[CriterionEntry], part: dict[str, Any], *, first: bool) -> bool:
    """Whether the writer writes a part's criteria as a list: not a table, and not a lone plain paragraph."""
    if part.get("table") or not criteria:
        return False
    return not first or bool(part.get("intro") or part.get("children")) or _criteria_as_list(criteria)


def _criteria_as_list(criteria: Sequence[CriterionEntry]) -> bool:
    """Whether the writer writes these criteria as a list (a lone plain criterion is a paragraph)."""
    return not (len(criteria) == 1 and criteria[0] == CriterionEntry(criteria[0].text)) and bool(criteria)


def _names_and_holds_criteria(section: Section) -> bool:
    """Whether a section's heading speaks of exit criteria and it lists some."""
    return "exitcriteria" in name_key(section.heading) and _holds_criteria(section)


def _holds_criteria(section: Section) -> bool:
    """Whether a section under an empty criteria heading lists criteria (a list or a table)."""
    return bool(read_list(section.body) or read_tables(section.body))


def _read_criteria(sections: _Sections, report: ImportReport) -> tuple[tuple[CriterionEntry, ...], str, dict[str, Any]]:
    """The exit criteria of the first criteria section, and of the sections under it when it holds none itself."""
    index = sections.find(EXIT_CRITERIA_HEADINGS, prefix="Exit Criteria")
    if index is None:
        return (), DEFAULT_EXIT_CRITERIA_HEADING, {}
    index = _better_criteria_section(sections, index, report)
    first = sections._take(index, "exit_criteria")
    entries: list[CriterionEntry] = []
    parts: list[dict[str, Any]] = []
    grouped = _read_criteria_group(sections, first, report, entries, parts)
    if not grouped:
        found, part = _criteria_of(first, report)
        entries += found
        parts.append(part)
        more = sections.take_under(first, "exit_criteria", _holds_criteria) if not entries else []
        if not entries and not more:  # "Exit criteria are defined elsewhere", then "Deliverables and Exit Criteria"
            more = sections.take_first(f"exit_criteria:{len(parts)}", _names_and_holds_criteria)
        for section in more:
            found, part = _criteria_of(section, report, first=False)
            entries += found
            parts.append(part)
    if _PHASE.match(plain_text(first.heading)):  # "Exit Criteria - Phase 1", then "Exit Criteria - Phase 2"
        for later, section in enumerate(sections.sections):
            if later in sections.taken or section.level != first.level or not _PHASE.match(plain_text(section.heading)):
                continue
            sections._take(later, f"exit_criteria:{len(parts)}")
            if not _read_criteria_group(sections, section, report, entries, parts, taken=True):
                found, part = _criteria_of(section, report, first=False)
                entries += found
                parts.append(part)
    report.count("exit criteria", len(entries))
    default = {"heading": first.heading, "level": 3, "count": len(entries)}
    if default.get("count") and _criteria_as_list(entries):
        default["ordered"] = True
    if parts == [default]:
        return tuple(entries), first.heading, {}
    return tuple(entries), first.heading, {"exit_criteria": parts}


# "Exit Criteria - Phase 1": one of a series of criteria sections, all read.
_PHASE = re.compile(r"^\s*exit\s+criteri(?:a|on)\s*[-–—:(]\s*\S", re.IGNORECASE)


def _marked_heading(section: Section) -> bool:
    """Whether a heading is itself a criterion, with a progress marker (`### One Real-Time Feature … => 100%`)."""
    entry = _criterion(section.heading)
    return entry.text != section.heading.strip() and (entry.progress is not None or entry.done)


def _read_criteria_group(
    sections: _Sections,
    parent: Section,
    report: ImportReport,
    entries: list[CriterionEntry],
    parts: list[dict[str, Any]],
    *,
    taken: bool = False,
) -> bool:
    """Read a criteria section whose criteria are under subheadings: subheadings with a marker are criteria
    themselves (their body kept as written), subheadings holding a list are parts ("### FY25"); the prose of the
    section itself is then an introduction, not a criterion. False (nothing read) when it has no such subheadings."""
    other_parts = ATTRIBUTE_HEADINGS + GOAL_HEADINGS + PLAN_HEADINGS + ROLE_HEADINGS  # "### Roles" is no criteria part
    under = [
        i
        for i in sections.under(parent)
        if sections.sections[i].level == parent.level + 1 and not matches(sections.sections[i].heading, other_parts)
    ]
    marked = [i for i in under if _marked_heading(sections.sections[i])]
    own = bool(read_list(parent.body) or read_tables(parent.body))
    holding = [] if own or marked else [i for i in under if _holds_criteria(sections.sections[i])]
    if not marked and not holding:
        return False
    found, part = _criteria_of(parent, report, first=not parts, prose_is_intro=not own)
    entries += found
    parts.append(part)
    for index in marked or holding:
        section = sections._take(index, f"exit_criteria:{len(parts)}")
        if index in marked:
            entry = _criterion(section.heading)
            entries.append(entry)
            heading_part: dict[str, Any] = {"level": section.level, "count": 1, "as_heading": True}
            heading_part["marker"] = section.heading.strip()[len(entry.text) :]
            if section.body:
                heading_part["body"] = section.body
            parts.append(heading_part)
        else:
            found, part = _criteria_of(section, report, first=False)
            entries += found
            parts.append(part)
    return True


def _better_criteria_section(sections: _Sections, index: int, report: ImportReport) -> int:
    """The criteria section to read: the first one, unless it holds only a table with nothing filled in beside the
    criteria ("Exit Criteria Progress" with empty Progress cells) and a later criteria section, not under it, lists
    criteria; the one left out stays a section as written and the report says so."""
    first = sections.sections[index]
    if not _is_bare_table(first):
        return index
    nested = set(sections.under(first))
    for later, section in enumerate(sections.sections):
        if later <= index or later in sections.taken or later in nested or not section.level:
            continue
        if _is_criteria_heading(section) and _holds_criteria(section) and not _is_bare_table(section):
            said = f"its table has nothing filled in beside the criteria; I read “{plain_text(section.heading)}”"
            report.keep(plain_text(first.heading), f"{said} and kept this section as written")
            return later
    return index


def _is_bare_table(section: Section) -> bool:
    """Whether a section holds only tables (no list) whose rows have nothing but the criterion cell filled in."""
    tables = read_tables(section.body)
    if not tables or read_list(section.body):
        return False
    for table in tables:
        text_column = table.column(CRITERION_COLUMN) or 0
        if any(plain_text(cell).strip() for row in table.rows for i, cell in enumerate(row) if i != text_column):
            return False
    return True


def _table_criteria(table: Table, section: Section, report: ImportReport) -> list[CriterionEntry]:
    """Criteria from a table: a criterion column (else the first), and optional progress and done-date columns."""
    text_column = table.column(CRITERION_COLUMN)
    if text_column is None:
        text_column = 0
        report.keep(plain_text(section.heading), f"no criterion column: I read the “{table.headers[0]}” column")
    progress_column, done_column = table.column(PROGRESS_COLUMN), table.column(DONE_COLUMN)
    entries = []
    for number, row in enumerate(table.rows, start=1):
        status, target = _cell_progress(row, progress_column, done_column)
        if target and done_column is not None:
            column, shown = plain_text(table.headers[done_column]), _clip(plain_text(row[done_column]))
            said = f"the {column} “{shown}” is beside {status.percent}% progress: read as a target, not as done"
            report.keep(f"{plain_text(section.heading)} row {number}", said)
        for text in _cell_items(row[text_column]):
            entry = _criterion(text)
            entries.append(
                CriterionEntry(
                    entry.text,
                    entry.done or status.done,
                    status.percent if status.percent is not None else entry.progress,
                    status.done_on or entry.done_on,
                )
            )
    return entries


_CELL_BULLET = re.compile(r"^([*+-])\s+")


def _cell_items(cell: str) -> list[str]:
    """The criteria one cell holds: its bulleted items when it is a list ("* A * B" in an HTML cell), else itself."""
    text = cell.strip()
    bullet = _CELL_BULLET.match(text)
    if bullet is None:
        return [text] if text else []
    items = re.split(rf"\s+{re.escape(bullet[1])}\s+", text[bullet.end() :])
    return [item.strip() for item in items if item.strip()]


_YES = re.compile(r"^(?:x|yes|y|true|✓|✔️?|✅|☑️?)$", re.IGNORECASE)


def _cell_progress(row: Sequence[str], progress_column: int | None, done_column: int | None) -> tuple[Progress, bool]:
    """What a row's status and done-date cells say: "50%", "Done", "✅", a date or "yes" in the done column; and
    whether a date in the done column was read as a target, not done.

    A "Completion Date" column often holds the target date of work still under way ("2024-04-30" beside 70%): a
    date alone marks the row done only when its progress, if written, is 100%. A wrong "done" is worse than a miss.
    """
    status = (read_progress(plain_text(row[progress_column])) if progress_column is not None else None) or Progress()
    done_text = plain_text(row[done_column]) if done_column is not None else ""
    said_done = _YES.match(done_text) is not None or (read_progress(done_text) or Progress()).done
    dated = find_date(done_text)
    if dated is not None and not (status.done or said_done) and status.percents and max(status.percents) < 100:
        return Progress(status.percents, False, status.done_on), True
    done_on = status.done_on or dated
    return Progress(status.percents, status.done or said_done or done_on is not None, done_on), False


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
    r"^functional\s+leads?(?:\s*\(s\))?(?:\s*\((?P<in_parentheses>.+)\)|\s*[:\-–—,]\s*(?P<after>.+))?$"
    r"|^(?P<before>.+?)\s+functional\s+leads?(?:\s*\(s\))?$",
    re.IGNORECASE,
)
# "Functional Lead Compliance": the function written after the role with only a space.
_FUNCTIONAL_LEAD_THEN_FUNCTION = re.compile(r"^functional\s+leads?\s+(?P<function>[^\s:\-–—(,].*)$", re.IGNORECASE)
# The known roles as they appear inside longer titles ("Engineering DRI", "Facilitator APAC", "Facilitator/DRI").
_ROLES_INSIDE = (
    (re.compile(r"\bdri\b|\bdirectly\s+responsible\s+individual\b", re.IGNORECASE), WorkingGroupRole.DRI),
    (re.compile(r"\bexec(?:utive|\.)?\s*sponsors?\b", re.IGNORECASE), WorkingGroupRole.EXECUTIVE_SPONSOR),
    (re.compile(r"\bexec(?:utive|\.)?\s*stakeholders?\b", re.IGNORECASE), WorkingGroupRole.EXECUTIVE_STAKEHOLDER),
    (re.compile(r"\bfacilitators?\b", re.IGNORECASE), WorkingGroupRole.FACILITATOR),
    (re.compile(r"\bfunctional\s+leads?\b", re.IGNORECASE), WorkingGroupRole.FUNCTIONAL_LEAD),
    (re.compile(r"\bcontributors?\b", re.IGNORECASE), WorkingGroupRole.CONTRIBUTOR),
    (re.compile(r"\bmembers?\b", re.IGNORECASE), WorkingGroupRole.MEMBER),
)
# "Jane Doe (@jdoe)", "Jane Doe @jdoe"; an email address ("jane@example.com") is not a handle.
_HANDLE = re.compile(r"^(?P<name>.*?)\s*(?:[(<\[]\s*)?(?<![\w.])(?P<handle>@[\w.-]*\w)\s*[)>\]]?$")
# "Angela Pesta (UX)": a remark after the name, read as the title when the table has no title column.
_REMARK = re.compile(r"^(?P<name>[^()]*?)\s*\((?P<remark>[^()@]+)\)$")
# "Open - TBD", "Open", "Vacant": a role no one holds yet, not a person named so.
_OPEN_ROLE = re.compile(r"(?:open|vacant|tbd|tba|tbc)(?:\s*[-–—/:,]?\s*(?:tbd|tba|tbc))?\.?", re.IGNORECASE)
_NAME_SUFFIX = re.compile(r"^(?:ph\.?d\.?|m\.?d\.?|mba|jr\.?|sr\.?|ii|iii|iv|esq\.?)$", re.IGNORECASE)
_LIST_MARK = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")

Role = tuple[WorkingGroupRole, str | None]


def _role_text(text: str) -> str:
    """A role cell as plain text on one line."""
    return re.sub(r"\s+", " ", plain_text(text)).strip()


def read_role(text: str) -> Role | None:
    """The role and function a role cell names exactly ("Functional Lead: Contributor Success"), or None."""
    cleaned = _role_text(text).rstrip(":").strip()
    lead = _FUNCTIONAL_LEAD.match(cleaned)
    if lead:
        function = lead["in_parentheses"] or lead["after"] or lead["before"]
        return WorkingGroupRole.FUNCTIONAL_LEAD, function.strip() if function else None
    key = re.sub(r"[^a-z]", "", cleaned.casefold())
    role = _ROLE_NAMES.get(key) or (_ROLE_NAMES.get(key[:-1]) if key.endswith("s") else None)
    return (role, None) if role else None


def _roles_inside(text: str) -> list[WorkingGroupRole]:
    """The known roles named anywhere in `text`, in the order written, each once."""
    found = sorted((match.start(), role) for pattern, role in _ROLES_INSIDE for match in pattern.finditer(text))
    roles: list[WorkingGroupRole] = []
    for _start, role in found:
        if role not in roles:
            roles.append(role)
    return roles


def read_roles(text: str) -> tuple[Role, ...]:
    """Every role a role cell names: one for "Engineering DRI" or "Functional Lead Compliance", two for
    "Facilitator/DRI"; () when it names no known role ("Triage Lead")."""
    cleaned = _role_text(text).rstrip(":").strip()
    exact = read_role(cleaned)
    lead = _FUNCTIONAL_LEAD.match(cleaned)
    if exact is not None and not (lead and lead["before"] and _roles_inside(lead["before"])):
        return (exact,)  # "Facilitator and Functional Lead" names two roles, not a lead for "Facilitator and"
    then = _FUNCTIONAL_LEAD_THEN_FUNCTION.match(cleaned)
    if then is not None and not _roles_inside(then["function"]):
        return ((WorkingGroupRole.FUNCTIONAL_LEAD, then["function"].strip()),)
    return tuple((role, None) for role in _roles_inside(cleaned))


def _role_cell(entry: RoleEntry) -> str:
    """The role as the seeds write it: "Functional Lead: Contributor Success" carries the function."""
    if entry.role is WorkingGroupRole.FUNCTIONAL_LEAD and entry.function:
        return f"{entry.role.value}: {entry.function}"
    return entry.role.value


def _title_gives(title: str, entry: RoleEntry) -> bool:
    """Whether a written role title reads back as the entry's role (and the function it names, if any)."""
    roles = read_roles(title) or ((WorkingGroupRole.MEMBER, None),)
    return any(role is entry.role and (function is None or function == entry.function) for role, function in roles)


def written_role(entry: RoleEntry) -> str:
    """The role as the page shows it: the title as written when it still says this role, else the role's name."""
    if entry.role_title and _title_gives(entry.role_title, entry):
        return entry.role_title
    return _role_cell(entry)


def _username(text: str) -> str | None:
    """A username as "@jdoe" from a username cell ("jdoe", "@jdoe", a link), or None when empty or "TBD"."""
    cleaned = plain_text(text).strip()
    if is_placeholder(cleaned):
        return None
    return cleaned if cleaned.startswith("@") or " " in cleaned else f"@{cleaned}"


def _split_outside_parentheses(text: str, separator: re.Pattern[str]) -> list[str]:
    """`text` cut at each `separator` match that is not inside parentheses."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and (match := separator.match(text, index)) and match.end() > index:
            parts.append(text[start:index])
            start = match.end()
    parts.append(text[start:])
    return [part for part in parts if part.strip()]


_PEOPLE_SEPARATOR = re.compile(r",|;|\s+and\s+|\s+&\s+", re.IGNORECASE)


def _people_texts(cell: str) -> list[str]:
    """The people a person cell names, one text each: lines (`<br>`, list items), then commas and "and"."""
    text = plain_text(re.sub(r"</?li\b[^>]*>", "\n", cell, flags=re.IGNORECASE))
    names: list[str] = []
    for line in text.split("\n"):
        line = _LIST_MARK.sub("", line).strip()
        for part in _split_outside_parentheses(line, _PEOPLE_SEPARATOR):
            part = part.strip()
            if names and _NAME_SUFFIX.match(part):
                names[-1] = f"{names[-1]}, {part}"  # "Taylor A. Murphy, PhD" is one person
            elif part:
                names.append(part)
    return names


def _person(text: str, *, remark_as_title: bool) -> tuple[str | None, str | None, str | None]:
    """(name or None for "TBD", "@handle" written next to it, remark in parentheses when read as the title)."""
    cleaned = re.sub(r"\s+", " ", text).strip()
    handle = _HANDLE.match(cleaned)
    name, username = (handle["name"].strip(), handle["handle"]) if handle else (cleaned, None)
    remark = _REMARK.match(name) if remark_as_title else None
    if remark is not None:
        name = remark["name"].strip()
    no_one = is_placeholder(name) or _OPEN_ROLE.fullmatch(name) is not None
    return (None if no_one else name), username, (remark["remark"].strip() if remark else None)


_COLUMN_KINDS = (
    ("role", ROLE_COLUMN),
    ("person", PERSON_COLUMN),
    ("title", TITLE_COLUMN),
    ("function", FUNCTION_COLUMN),
    ("username", USERNAME_COLUMN),
)


def _role_columns(table: Table) -> dict[str, int]:
    """Where each field of a role row is, by kind ("role", "person", …); a header ending in "Role" is the role.

    A table with no person column may name people in name columns ("Primary Contact", then "Supporting Contact
    Name" as "person2"), each with the handle column after it ("… Handle"); its first column ("Function") is then
    the role column, read as written (`_NAMED_BY_FUNCTION`).
    """
    columns: dict[str, int] = {}
    functions = table.column(FUNCTIONS_ROLE_COLUMN)
    if functions is not None and table.column(ROLE_COLUMN) is None:
        columns["role"] = functions
    for kind, names in _COLUMN_KINDS:
        index = table.column(names)
        if kind not in columns and index is not None and index not in columns.values():
            columns[kind] = index
    if "role" not in columns:
        role = next((i for i, h in enumerate(table.headers) if name_key(h).endswith(("role", "roles"))), None)
        if role is not None and role not in columns.values():
            columns["role"] = role
    if "person" not in columns:
        _name_columns(table, columns)
    return columns


def _name_columns(table: Table, columns: dict[str, int]) -> None:
    """The name columns of a table with no person column, and their handle columns; its first column, when it is
    a function column, becomes the role column (`Function | Primary Contact | … Handle | Supporting Contact Name`)."""
    names = [i for i, header in enumerate(table.headers) if matches(header, NAME_COLUMN) and i not in columns.values()]
    if not names:
        return
    for kind, index in zip(("person", "person2"), names, strict=False):
        columns[kind] = index
    columns[_BY_NAME_COLUMNS] = -1
    handles = [
        i
        for i, header in enumerate(table.headers)
        if name_key(header).endswith(("handle", "handles", "username", "usernames")) and i not in names
    ]
    if "username" in columns and columns["username"] not in handles:
        handles.insert(0, columns["username"])
    columns.pop("username", None)
    for kind, person in (("username", "person"), ("username2", "person2")):
        after = [i for i in handles if person in columns and i > columns[person] and i not in columns.values()]
        if after:
            columns[kind] = after[0]
    if "role" not in columns and columns.get("function") == 0:
        columns["role"] = columns.pop("function")
        columns[_NAMED_BY_FUNCTION] = columns["role"]


# Marks a roles table whose role column is a Function column: an unknown role keeps its function as written.
_NAMED_BY_FUNCTION = "function_role"
# Marks a roles table that names people in name columns (handles paired with names, one per name).
_BY_NAME_COLUMNS = "by_names"
_FLAGS = (_NAMED_BY_FUNCTION, _BY_NAME_COLUMNS)


@dataclass(frozen=True, slots=True)
class _Row:
    """One role-table row read: its number, the roles its role cell gives, the people its person cell names."""

    number: int
    written: str
    roles: tuple[Role, ...]
    people: tuple[tuple[str | None, str | None, str | None], ...]
    title: str | None
    function: str | None
    username: str | None
    usernames: tuple[str | None, ...] = ()
    notes: tuple[str, ...] = ()


def _cell(row: Sequence[str], columns: dict[str, int], kind: str) -> str:
    """The plain text of a row's cell of this kind on one line, "" when the table has no such column."""
    return re.sub(r"\s+", " ", plain_text(row[columns[kind]])).strip() if kind in columns else ""


def _read_row(row: Sequence[str], number: int, columns: dict[str, int]) -> _Row:
    """One role row, its role and person cells read (several people, a remark, a handle).

    A second name column ("Supporting Contact Name") gives more people with the row's role, each with its own
    handle column; handles are paired with names only when there are as many of each (else noted, not guessed).
    """
    written = _cell(row, columns, "role")
    people: list[tuple[str | None, str | None, str | None]] = []
    usernames: list[str | None] = []
    notes: list[str] = []
    remark_as_title = "title" not in columns
    for person, handle_kind in (("person", "username"), ("person2", "username2")):
        if person not in columns:
            continue
        found = [_person(text, remark_as_title=remark_as_title) for text in _people_texts(row[columns[person]])]
        people += found
        if _BY_NAME_COLUMNS not in columns:
            continue  # the seeds' person and username columns: read below as before
        handles = _HANDLE_ALONE.findall(_cell(row, columns, handle_kind))
        if len(handles) == len(found):
            usernames += handles
        else:
            usernames += [None] * len(found)
            if handles and found:
                shown = plain_text(row[columns[person]]).strip()
                notes.append(f"{len(found)} names (“{_clip(shown)}”) beside {len(handles)} handles: handles not read")
    function = _cell(row, columns, "function") or None
    roles = read_roles(written) if written else ()
    if _NAMED_BY_FUNCTION in columns and written and not roles:
        function = written  # "Strategic Marketing" in a Function column: a member of that function, kept as written
    return _Row(
        number, written, roles, tuple(people), _cell(row, columns, "title") or None, function,
        _username(_cell(row, columns, "username")) if not usernames else None, tuple(usernames), tuple(notes),
    )  # fmt: skip


def _role_title(written: str, roles: Sequence[Role], function: str | None) -> str | None:
    """The written title when the writer would not write it the same from the role and function, else None.

    A function from a Function column counts: "Functional Lead" beside "Verify" would be written back as
    "Functional Lead: Verify", so the title is kept.
    """
    if len(roles) == 1 and _role_cell(RoleEntry(roles[0][0], None, function=function)) == written:
        return None
    return written or None


def _row_entries(row: _Row, held: set[WorkingGroupRole], where: str, report: ImportReport) -> list[RoleEntry]:
    """The entries of one row: each person × each role; a row naming no one is a role no one holds yet."""
    roles = row.roles
    if not roles:
        roles = ((WorkingGroupRole.MEMBER, None),)
        if row.written:
            said = f"the role “{row.written}” is not one I know: kept as a member with that title"
            report.keep(f"{where} row {row.number}", said)
        elif row.people:
            report.keep(f"{where} row {row.number}", "no role written: kept as a member")
    if row.written and row.roles and read_role(row.written) is None:
        named = " and ".join(role.value for role, _function in roles)
        report.keep(f"{where} row {row.number}", f"the role “{row.written}” read as {named}, the title kept as written")
    people = row.people or ((None, None, None),)
    if not row.people and not row.title and not row.username:  # a person cell saying "TBD" or "Open" is kept
        if all(role in held for role, _function in roles):
            report.skip(f"{where} row {row.number}", f"an empty {row.written or 'role'} row (others hold that role)")
            return []
    for note in row.notes:
        report.keep(f"{where} row {row.number}", note)
    entries = []
    for number, (name, handle, remark) in enumerate(people):
        if row.usernames and number < len(row.usernames):
            handle = row.usernames[number] or handle
        for role, function in roles:
            role_title = _role_title(row.written, roles, function or row.function) if row.written else None
            entries.append(
                RoleEntry(
                    role, name, row.title or remark, function or row.function,
                    row.username if len(people) == 1 and row.username else handle, role_title,
                )
            )  # fmt: skip
    return entries


def _read_all_roles(sections: _Sections, report: ImportReport) -> tuple[tuple[RoleEntry, ...], dict[str, Any]]:
    """The roles of the roles section and of the sections beside it under the same roles heading (a table per
    team, a `**Role**: Name - Title` list); a table under a roles heading that is not read is named in the report."""
    first = (
        sections.take(ROLE_HEADINGS, "roles", only_with_table=True)
        or sections.take_table_with(ROLE_COLUMN + PERSON_COLUMN, "roles")
        or next(iter(sections.take_first("roles", _has_name_table)), None)
        or next(iter(sections.take_first("roles", _is_role_list_section)), None)
    )
    if first is None:
        _note_unread_role_tables(sections, report)
        return (), {}
    entries, shape = _read_role_part(first, report)
    parent = _parent(sections, first)
    parts = []
    if parent is not None and (matches(parent.heading, ROLE_HEADINGS) or parent is first):
        for index in sections.under(parent):
            section = sections.sections[index]
            if _has_role_table(section) or _is_role_list_section(section):
                sections._take(index, f"roles:{len(parts) + 1}")
                found, part = _read_role_part(section, report)
                entries += found
                part = {key: value for key, value in part.items() if value not in ("", [], None)}
                parts.append({"heading": section.heading, "level": section.level, "count": len(found), **part})
    _note_unread_role_tables(sections, report)
    report.count("roles", len(entries))
    report.count("people", len({entry.person_name for entry in entries if entry.person_name}))
    unheld = sum(1 for entry in entries if entry.person_name is None)
    if unheld:
        report.check("1 role has no one named yet." if unheld == 1 else f"{unheld} roles have no one named yet.")
    first_entries = entries[: len(entries) - sum(part["count"] for part in parts)]
    if "list" in shape:
        roles_shape = {"roles": {"heading": first.heading, "level": first.level, "list": shape["list"]}}
    else:
        roles_shape = _roles_shape(first, shape.get("columns") or [], first_entries)
    if parts:
        roles_shape.setdefault("roles", {})["parts"] = parts
    return tuple(entries), roles_shape


def _parent(sections: _Sections, section: Section) -> Section | None:
    """The section a section is nested under (the last one before it with a lower level), or None."""
    start = next(index for index, found in enumerate(sections.sections) if found is section)
    for index in range(start - 1, -1, -1):
        if 0 < sections.sections[index].level < section.level:
            return sections.sections[index]
    return None


def _has_role_table(section: Section) -> bool:
    """Whether a section holds a table the roles reader reads (a role, person or name column)."""
    return any(_readable_role_table(table) for table in read_tables(section.body))


def _readable_role_table(table: Table) -> bool:
    """A table with a role or person column; one naming people only in name columns ("Primary Contact", "DRI")
    only when the reader knows every one of its columns (an `Area | Tasks | DRI` table is not read as roles)."""
    columns = _role_columns(table)
    if _BY_NAME_COLUMNS not in columns:
        return "role" in columns or "person" in columns
    known = {index for kind, index in columns.items() if kind not in _FLAGS}
    return all(index in known or not plain_text(header) for index, header in enumerate(table.headers))


def _has_name_table(section: Section) -> bool:
    """Whether a section holds a roles table that names people in name columns only."""
    return any(_BY_NAME_COLUMNS in _role_columns(t) and _readable_role_table(t) for t in read_tables(section.body))


_ROLES_LIKE = re.compile(r"\b(?:roles?|dris?|team|members?|people|leads?)\b", re.IGNORECASE)


def _note_unread_role_tables(sections: _Sections, report: ImportReport) -> None:
    """Name every table left under a roles heading, or with a role or person column, that no part read."""
    roles_parents = [s for s in sections.sections if s.level and matches(s.heading, ROLE_HEADINGS)]
    nested = {index for parent in roles_parents for index in sections.under(parent)}
    for index, section in enumerate(sections.sections):
        if index in sections.taken or not section.level:
            continue
        tables = read_tables(section.body)
        under_roles = index in nested or matches(section.heading, ROLE_HEADINGS)
        for number, table in enumerate(tables, start=1):
            columns = _role_columns(table)
            if under_roles or "role" in columns or "person" in columns:
                shown = ", ".join(f"“{plain_text(header)}”" for header in table.headers)
                why = f"a table of people I don't read as roles (its columns are {shown}); kept as written"
                report.skip(f"{plain_text(section.heading)} table {number}", why)


# "**Exec Sponsor**: David DeSanto - Chief Product Officer", "**DRI:** Jane", "Facilitator: Jane Doe (@jdoe)".
_ROLE_ITEM_BOLD = re.compile(r"^\*\*(?P<role>[^*\n]{1,60}?)(?P<inner>:?)\*\*(?P<outer>:?)\s+(?P<rest>\S.*)$", re.DOTALL)
_ROLE_ITEM_PLAIN = re.compile(r"^(?P<role>[A-Za-z][^:*\n]{0,59}):\s+(?P<rest>\S.*)$", re.DOTALL)
_NAME_THEN_TITLE = re.compile(r"\s+[-–—]\s+")


def _role_item(text: str) -> tuple[str, str, str] | None:
    """(style, role as written, the rest) of a `**Role**: Name - Title` item, or None."""
    bold = _ROLE_ITEM_BOLD.match(text)
    if bold is not None and (bold["inner"] or bold["outer"]):
        return ("bold_inner" if bold["inner"] else "bold"), bold["role"].strip(), bold["rest"].strip()
    plain = _ROLE_ITEM_PLAIN.match(text)
    return ("plain", plain["role"].strip(), plain["rest"].strip()) if plain is not None else None


def _is_role_list_section(section: Section) -> bool:
    """Whether a section under a roles-like heading ("Initiative DRIs", "Roles", "Team") lists `**Role**: Name`
    items only, one of them naming a known role."""
    if not _ROLES_LIKE.search(plain_text(section.heading)) or read_tables(section.body):
        return False
    items = read_list(section.body)
    read = [_role_item(item.text) for item in items]
    return bool(items) and all(read) and any(read_roles(found[1]) for found in read if found)


def _read_role_list(section: Section, report: ImportReport) -> tuple[list[RoleEntry], dict[str, Any]]:
    """The people of a `**Role**: Name - Title` list, and how it was written (style, children, prose)."""
    where = plain_text(section.heading)
    items = read_list(section.body)
    rows, children, style = [], [], "bold"
    for number, item in enumerate(items, start=1):
        style, written, rest = _role_item(item.text) or ("plain", "", item.text)
        name_text, title = (_NAME_THEN_TITLE.split(rest, maxsplit=1) + [""])[:2]
        name, handle, _remark = _person(plain_text(name_text), remark_as_title=False)
        rows.append(
            _Row(number, _role_text(written), read_roles(written), ((name, handle, None),),
                 plain_text(title).strip() or None, None, None)
        )  # fmt: skip
        children.append([_item_json(child) for child in item.children])
    entries = [entry for row in rows for entry in _row_entries(row, set(), where, report)]
    shape: dict[str, Any] = {"style": style, "ordered": items[0].ordered if items else True}
    if any(children):
        shape["children"] = children
    paragraphs = read_paragraphs(section.body)
    if paragraphs:
        shape["intro"] = paragraphs
    return entries, {"list": shape}


def _read_role_part(section: Section, report: ImportReport) -> tuple[list[RoleEntry], dict[str, Any]]:
    """One roles section's entries and layout: its tables, else its `**Role**: Name` list."""
    if not read_tables(section.body) and _is_role_list_section(section):
        return _read_role_list(section, report)
    entries, columns = _read_roles(section, report)
    intro, outro = _outside_tables(section.body)
    return list(entries), {"columns": columns, "intro": intro, "outro": outro}


def _read_roles(section: Section, report: ImportReport) -> tuple[tuple[RoleEntry, ...], list[list[str]]]:
    """Every role row of a section's roles tables; tables it cannot read are skipped and named in the report."""
    where = plain_text(section.heading)
    rows: list[_Row] = []
    table_columns: list[list[str]] | None = None
    for number, table in enumerate(read_tables(section.body), start=1):
        columns = _role_columns(table)
        if "role" not in columns and "person" not in columns:
            shown = ", ".join(f"“{plain_text(header)}”" for header in table.headers)
            report.skip(f"{where} table {number}", f"it has no role and no person column (its columns are {shown})")
            continue
        if "person" not in columns:
            report.keep(where, "the table has no person column: its roles are kept with no one holding them yet")
        elif "role" not in columns:
            report.keep(where, "the table has no role column: its people are kept as members")
        for header_index, header in enumerate(table.headers):
            if header_index not in columns.values() and plain_text(header):
                report.skip(f"{where}: column “{plain_text(header)}”", "a column I don't import")
        if table_columns is None:
            by_index = {index: kind for kind, index in columns.items() if kind not in _FLAGS}
            table_columns = [[by_index[i], table.headers[i]] for i in sorted(by_index)]
        rows += [_read_row(row, n, columns) for n, row in enumerate(table.rows, start=len(rows) + 1)]
    held = {role for row in rows if any(name for name, _h, _r in row.people) for role, _f in row.roles}
    entries = tuple(entry for row in rows for entry in _row_entries(row, held, where, report))
    return entries, table_columns or []


_SEPARATOR_LINE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


def _outside_tables(body: str) -> tuple[str, str]:
    """The text of a section body before its first pipe table and after its last one (prose, lists)."""
    lines = body.split("\n")
    starts = [
        index
        for index in range(len(lines) - 1)
        if "|" in lines[index] and "-" in lines[index + 1] and _SEPARATOR_LINE.match(lines[index + 1])
    ]
    if not starts:
        return body, ""
    end = starts[-1] + 2
    while end < len(lines) and lines[end].strip():
        end += 1
    return "\n".join(lines[: starts[0]]).strip(), "\n".join(lines[end:]).strip()


def _roles_shape(section: Section, columns: list[list[str]], entries: Sequence[RoleEntry]) -> dict[str, Any]:
    """How the roles section was written, where it differs from the writer's default."""
    shape: dict[str, Any] = {}
    if (section.heading, section.level) != (ROLES_HEADING, 2):
        shape["heading"], shape["level"] = section.heading, section.level
    if columns and columns != _default_role_columns(entries):
        shape["columns"] = columns
    intro, outro = _outside_tables(section.body)
    if intro:
        shape["intro"] = intro
    if outro:
        shape["outro"] = outro
    return {"roles": shape} if shape else {}


# Writing -----------------------------------------------------------------------------------------------------------


def write_charter(draft: CharterDraft) -> str:
    """The handbook page for a charter: the page's own layout when `shape` holds it, else the seeds' format."""
    parts = _part_blocks(draft)
    blocks = [write_front_matter(_front_matter(draft))]
    for token in _write_order(draft, parts):
        if isinstance(token, int):
            section = draft.other_sections[token]
            blocks.append(write_section(section.heading, section.level, section.body))
        else:
            blocks.append(parts[token])
    return join_blocks(blocks)


def _front_matter(draft: CharterDraft) -> dict[str, str | None]:
    """Title, description, status (unless the Attributes table says it) and the page's other keys."""
    status = draft.status
    if draft.shape.get("status_in_attributes") and _status_of(_attribute_rows(draft)) == draft.status:
        status = None
    extra = {key: value for key, value in (draft.shape.get("front_matter") or {}).items() if isinstance(value, str)}
    return {"title": draft.title, "description": draft.description, "status": status, **extra}


def _write_order(draft: CharterDraft, parts: dict[str, str]) -> list[str | int]:
    """The parts and kept sections in page order: as recorded, with parts added since at the end of the parts."""
    kept = draft.other_sections
    recorded = draft.shape.get("order")
    if not isinstance(recorded, list) or sorted(t for t in recorded if isinstance(t, int)) != list(range(len(kept))):
        return _default_order(parts, kept)
    order = [token for token in recorded if isinstance(token, int) or token in parts]
    missing = sorted((token for token in parts if token not in order), key=_part_rank)
    last_part = max((n for n, token in enumerate(order) if isinstance(token, str)), default=len(order) - 1)
    return order[: last_part + 1] + missing + order[last_part + 1 :]


def _leading_sections(sections: Sequence[Section]) -> tuple[Section, ...]:
    """The sections that open the page, before the attributes: the text before any heading and `#` intros."""
    count = 0
    while count < len(sections) and sections[count].level <= 1:
        count += 1
    return tuple(sections[:count])


def _part_blocks(draft: CharterDraft) -> dict[str, str]:
    """Each part of the page written (attributes, goals, criteria, plan, roles), by its place in the order."""
    shape, recorded = draft.shape, draft.shape.get("order")
    written = set(recorded) if isinstance(recorded, list) else None
    blocks: dict[str, str] = {}
    attributes = _attribute_rows(draft)
    if attributes:
        heading, level = _heading(shape.get("attributes"), ATTRIBUTES_HEADING, 2)
        blocks["attributes"] = write_section(heading, level, _attributes_table(attributes))
    for token, block in _goal_blocks(draft):
        if written is None or token in written or draft.goals:
            blocks[token] = block
    for token, block in _criteria_blocks(draft):
        if written is None or token in written or draft.exit_criteria:
            blocks[token] = block
    if draft.plan:
        heading, level = _heading(shape.get("plan"), PLAN_HEADING, 3)
        blocks["plan"] = write_section(heading, level, write_list(_plan_list(draft.plan)))
    if draft.roles:
        blocks.update(_roles_blocks(draft.roles, shape.get("roles") or {}))
    return blocks


def _heading(part: Any, heading: str, level: int) -> tuple[str, int]:
    """A part's recorded heading and level, else the defaults."""
    if isinstance(part, dict) and isinstance(part.get("heading"), str) and isinstance(part.get("level"), int):
        return part["heading"], part["level"]
    return heading, level


def _split_parts(recorded: Any, total: int, default: dict[str, Any]) -> list[dict[str, Any]]:
    """The recorded parts when their counts still add up to `total`, else the one default part."""
    if isinstance(recorded, list) and recorded and all(isinstance(part, dict) for part in recorded):
        if sum(int(part.get("count", 0)) for part in recorded) == total:
            return recorded
    return [default]


def _token(part: str, number: int) -> str:
    return part if number == 0 else f"{part}:{number}"


def _children(part: dict[str, Any], text: str) -> tuple[ListItem, ...]:
    """The nested items the page wrote under an item with this text."""
    children = (part.get("children") or {}).get(text) or []
    return tuple(_item_from_json(child) for child in children)


def _goal_blocks(draft: CharterDraft) -> list[tuple[str, str]]:
    """Each goal section: its paragraphs, then its list (numbered or bulleted as written)."""
    parts = _split_parts(draft.shape.get("goals"), len(draft.goals), _default_goals_part("", len(draft.goals)))
    blocks, start = [], 0
    for number, part in enumerate(parts):
        goals = draft.goals[start : start + int(part.get("count", len(draft.goals)))]
        start += len(goals)
        lead = min(int(part.get("lead", 0)), len(goals))
        ordered = bool(part.get("ordered", True))
        body = [*goals[:lead]]
        items = [ListItem(goal, _children(part, goal), ordered=ordered) for goal in goals[lead:]]
        if items:
            body.append(write_list(items))
        heading = draft.goals_heading if number == 0 else str(part.get("heading"))
        level = int(part.get("level", 2))
        blocks.append((_token("goals", number), write_section(heading, level, "\n\n".join(body))))
    return blocks


def _criteria_blocks(draft: CharterDraft) -> list[tuple[str, str]]:
    """Each exit-criteria section: the prose before the list, then the criteria."""
    total = len(draft.exit_criteria)
    default = {"heading": "", "level": 3, "count": total}
    parts = _split_parts(draft.shape.get("exit_criteria"), total, default)
    with_checkboxes = any(criterion.done for criterion in draft.exit_criteria)
    blocks, start = [], 0
    for number, part in enumerate(parts):
        criteria = draft.exit_criteria[start : start + int(part.get("count", total))]
        start += len(criteria)
        if part.get("as_heading") and len(criteria) == 1:
            marker = part.get("marker")
            if not (isinstance(marker, str) and _criterion(criteria[0].text + marker) == criteria[0]):
                marker = _criterion_marker(criteria[0], {}, None)
            heading = criteria[0].text + marker
            blocks.append(
                (
                    _token("exit_criteria", number),
                    write_section(heading, int(part.get("level", 3)), str(part.get("body") or "")),
                )
            )
            continue
        intro = [str(paragraph) for paragraph in part.get("intro") or []]
        if isinstance(part.get("table"), list):
            written = _criteria_table(criteria, part["table"])
        else:
            as_list = _writes_list(criteria, part, first=number == 0)
            written = _criteria_body(criteria, part, with_checkboxes, as_list=as_list)
        body = "\n\n".join([*intro, written])
        heading = draft.exit_criteria_heading if number == 0 else str(part.get("heading"))
        blocks.append((_token("exit_criteria", number), write_section(heading, int(part.get("level", 3)), body)))
    return blocks


def _criteria_body(
    criteria: Sequence[CriterionEntry], part: dict[str, Any], with_checkboxes: bool, *, as_list: bool
) -> str:
    """A lone plain criterion as a paragraph; else a list, with checkboxes once any criterion is done."""
    if not criteria:
        return ""
    if not as_list:
        return criteria[0].text
    ordered = bool(part.get("ordered", True))
    boxes = with_checkboxes and part.get("checkboxes", True) is not False
    items = []
    for criterion in criteria:
        checked = criterion.done if boxes else None
        items.append(
            ListItem(
                criterion.text + _criterion_marker(criterion, part, checked),
                _children(part, criterion.text),
                checked=checked,
                ordered=ordered,
            )
        )
    return write_list(items)


def _criterion_marker(criterion: CriterionEntry, part: dict[str, Any], checked: bool | None) -> str:
    """The marker after a criterion: as the page wrote it when it still reads the same, else a written one (which
    says "Done" when there is no checkbox to say it)."""
    recorded = (part.get("markers") or {}).get(criterion.text)
    if isinstance(recorded, str) and _criterion(criterion.text + recorded, checked) == criterion:
        return recorded
    percents = () if criterion.progress is None else (criterion.progress,)
    said_done = criterion.done and checked is None and not _criterion(criterion.text).done  # not "… -> Done" again
    return progress_marker(percents, done=said_done, done_on=criterion.done_on)


def _criteria_table(criteria: Sequence[CriterionEntry], columns: list[list[str]]) -> str:
    """Criteria as the table the page wrote: text, progress and done cells where it had them, others empty."""
    kinds = {kind for kind, _header in columns}
    rows = []
    for criterion in criteria:
        percents = () if criterion.progress is None else (criterion.progress,)
        marker = (
            ""
            if {"progress", "done"} & kinds
            else progress_marker(percents, done=criterion.done, done_on=criterion.done_on)
        )
        progress = [f"{criterion.progress}%"] * (criterion.progress is not None)
        said_done = f"Done {criterion.done_on.isoformat()}" if criterion.done_on else "Done"
        progress += [said_done] * (criterion.done and "done" not in kinds)
        done = criterion.done_on.isoformat() if criterion.done_on else ("Done" if criterion.done else "")
        if "progress" not in kinds and "done" in kinds and percents:
            marker = progress_marker(percents)
        cells = {
            "criterion": table_cell_markdown(criterion.text + marker),
            "progress": ", ".join(progress),
            "done": done,
            "other": "",
        }
        rows.append([cells[kind] for kind, _header in columns])
    return write_table([header for _kind, header in columns], rows)


def _plan_list(items: Sequence[PlanItem]) -> list[ListItem]:
    """Plan items as list items; a checkbox written in an item's text stays at its start."""
    return [ListItem(item.text, tuple(_plan_list(item.children))) for item in items]


# Writing: roles ----------------------------------------------------------------------------------------------------


def _default_role_columns(roles: Sequence[RoleEntry]) -> list[list[str]]:
    """The seeds' roles columns; Function and Username only when some row needs them."""
    with_function = any(entry.function and entry.role is not WorkingGroupRole.FUNCTIONAL_LEAD for entry in roles)
    with_username = any(entry.username for entry in roles)
    columns = [["role", "Working Group Role"], ["person", "Person"], ["title", "Title"]]
    return columns + [["function", "Function"]] * with_function + [["username", "Username"]] * with_username


_HANDLE_ALONE = re.compile(r"@[\w.-]*\w")


def _role_table_columns(roles: Sequence[RoleEntry], recorded: Any) -> list[list[str]]:
    """The recorded columns, with the columns added that some row now needs (a role, a person, a function)."""
    if not isinstance(recorded, list) or not all(isinstance(c, list) and len(c) == 2 for c in recorded):
        return _default_role_columns(roles)
    columns = [list(column) for column in recorded]
    kinds = [kind for kind, _header in columns]
    if "role" not in kinds and any(entry.role is not WorkingGroupRole.MEMBER or entry.role_title for entry in roles):
        columns.insert(0, ["role", "Working Group Role"])
    if "person" not in kinds and any(entry.person_name for entry in roles):
        columns.insert(1 if columns and columns[0][0] == "role" else 0, ["person", "Person"])
    if "function" not in kinds and any(
        entry.function and entry.role is not WorkingGroupRole.FUNCTIONAL_LEAD and entry.function != entry.role_title
        for entry in roles
    ):
        columns.append(["function", "Function"])
    has = {kind for kind, _header in columns}
    if "username" not in has and any(
        entry.username and ("person" not in has or not _HANDLE_ALONE.fullmatch(entry.username)) for entry in roles
    ):
        columns.append(["username", "Username"])
    if "title" not in has and "person" not in has and any(entry.title for entry in roles):
        columns.append(["title", "Title"])
    return columns


def _row_groups(roles: Sequence[RoleEntry]) -> list[tuple[str, RoleEntry]]:
    """(role cell, entry) per table row: the entries of one person whose written title names them all share a row."""
    rows, index = [], 0
    while index < len(roles):
        entry = roles[index]
        named = read_roles(entry.role_title) if entry.role_title else ()
        if len(named) > 1:
            together = roles[index : index + len(named)]
            same = [replace_role(e, entry.role) for e in together] == [entry] * len(named)
            if same and [e.role for e in together] == [role for role, _f in named]:
                rows.append((entry.role_title or "", entry))
                index += len(named)
                continue
            rows.append((_role_cell(entry), entry))
        else:
            rows.append((written_role(entry), entry))
        index += 1
    return rows


def replace_role(entry: RoleEntry, role: WorkingGroupRole) -> RoleEntry:
    """The entry with another role (to compare the rows of one person)."""
    return RoleEntry(role, entry.person_name, entry.title, entry.function, entry.username, entry.role_title)


def _person_cell(entry: RoleEntry, has: set[str]) -> str:
    """The person as written: "TBD" for no one; the title and handle beside the name when there is no column."""
    text = entry.person_name or "TBD"
    if entry.title and "title" not in has:
        text += f" ({entry.title})"
    if entry.username and "username" not in has:
        text += f" ({entry.username})"
    return text


def _roles_blocks(roles: Sequence[RoleEntry], shape: dict[str, Any]) -> dict[str, str]:
    """The roles section, and the sections beside it that the page wrote roles in (`roles:1`, …), each its share
    of the entries as recorded (all in the first when the counts no longer add up)."""
    parts = shape.get("parts")
    if not isinstance(parts, list) or not all(isinstance(part, dict) for part in parts):
        parts = []
    counts = [int(part.get("count", 0)) for part in parts]
    if sum(counts) > len(roles):
        parts, counts = [], []
    first = len(roles) - sum(counts)
    blocks = {"roles": _roles_block(roles[:first], shape)}
    start = first
    for number, (part, count) in enumerate(zip(parts, counts, strict=True), start=1):
        blocks[f"roles:{number}"] = _roles_block(roles[start : start + count], part)
        start += count
    return blocks


def _role_list_block(roles: Sequence[RoleEntry], shape: dict[str, Any]) -> str:
    """Roles as the `**Role**: Name - Title` list the page wrote, nested items and prose kept."""
    style = shape.get("style", "bold")
    children = shape.get("children") if isinstance(shape.get("children"), list) else []
    items = []
    for number, (role_cell, entry) in enumerate(_row_groups(roles)):
        marker = {"bold": f"**{role_cell}**:", "bold_inner": f"**{role_cell}:**"}.get(style, f"{role_cell}:")
        text = f"{marker} {_person_cell(entry, {'title'})}" + (f" - {entry.title}" if entry.title else "")
        nested = tuple(_item_from_json(child) for child in children[number]) if number < len(children) else ()
        items.append(ListItem(text, nested, ordered=bool(shape.get("ordered", True))))
    return "\n\n".join([*(str(p) for p in shape.get("intro") or []), write_list(items)])


def _roles_block(roles: Sequence[RoleEntry], shape: dict[str, Any]) -> str:
    """The roles section: the prose around the table as written, the table in the page's columns."""
    heading, level = _heading(shape, ROLES_HEADING, 2)
    if isinstance(shape.get("list"), dict):
        return write_section(heading, level, _role_list_block(roles, shape["list"]))
    columns = _role_table_columns(roles, shape.get("columns"))
    has = {kind for kind, _header in columns}
    rows = []
    for role_cell, entry in _row_groups(roles):
        values = {
            "role": role_cell,
            "person": _person_cell(entry, has),
            "title": entry.title or "",
            "function": entry.function or "",
            "username": entry.username or "",
            "person2": "",
            "username2": "",
        }
        rows.append([table_cell(values[kind]) for kind, _header in columns])
    table = write_table([header for _kind, header in columns], rows)
    body = "\n\n".join(text for text in (shape.get("intro") or "", table, shape.get("outro") or "") if text)
    return write_section(heading, level, body)


# Writing: attributes -----------------------------------------------------------------------------------------------


def _written_date(day: date | None, written: str | None) -> str:
    """A date cell: the day as the handbook writes it, else the text kept as written, else "TBD"."""
    return write_date(day) if day is not None or written is None else written


def _attribute_rows(draft: CharterDraft) -> list[Attribute]:
    """The draft's attributes with the typed fields written into them (rows kept as written when they agree)."""
    rows = list(draft.attributes)
    rows = _reconcile(
        rows, CREATED_NAMES, "Date Created", (draft.created_on, draft.created_written),
        lambda found: _lenient_date(found, CREATED_NAMES),
        lambda name, value: Attribute(name, _written_date(*value)),
    )  # fmt: skip
    rows = _reconcile(
        rows, END_NAMES, draft.end_label, (draft.end_on, draft.end_written),
        lambda found: _lenient_date(found, END_NAMES),
        lambda _name, value: Attribute(draft.end_label, _written_date(*value)),
        empty=(None, None),
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
    if draft.shape.get("status_in_attributes") and draft.status:
        rows = _reconcile(
            rows, STATUS_NAMES, "Status", draft.status, _status_of, lambda name, status: Attribute(name, status or "")
        )
    return rows


def _reconcile(
    rows: list[Attribute],
    names: Sequence[str],
    default_name: str,
    wanted: Any,
    derive: Callable[[Sequence[Attribute]], Any],
    make: Callable[[str, Any], Attribute],
    empty: Any = None,
) -> list[Attribute]:
    """Rows whose `derive` gives `wanted`: unchanged when they already do, else matching rows rewritten, or one added.

    Rows that hold a value are rewritten first ("Issue Board" with a link before "Issues: TBD"); `empty` is what
    `derive` gives when nothing is held.
    """
    if derive(rows) == wanted:
        return rows
    matching = [index for row in _matching(rows, names) for index, held in enumerate(rows) if held is row]
    holding = [index for index in matching if derive([rows[index]]) != empty]  # the row that is read, first
    others = [index for index in matching if index not in holding]
    for index in holding + (others if wanted != empty else []):
        rows = rows[:index] + [make(rows[index].name, wanted)] + rows[index + 1 :]
        if derive(rows) == wanted:
            return rows
    return rows if wanted == empty else rows + [make(default_name, wanted)]


def _value_markdown(attribute: Attribute) -> str:
    """An attribute value as cell markdown: its link on the text before a trailing "(…)" remark, as the seeds do."""
    if attribute.markdown is not None and read_inline(attribute.markdown).text == attribute.value:
        return table_cell_markdown(attribute.markdown)
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
