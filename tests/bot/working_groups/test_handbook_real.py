"""One test per kind of page the importer used to refuse or misread (issue 13), on small synthetic pages."""

from datetime import date
from pathlib import Path

import pytest

from bot.handbook.report import ImportReport
from bot.working_groups.handbook import (
    CharterDraft,
    RoleEntry,
    WorkingGroupRole,
    read_charter,
    read_roles,
    write_charter,
    written_role,
)

PAGES = Path(__file__).parent / "pages"
R = WorkingGroupRole


def read(name: str) -> tuple[CharterDraft, ImportReport]:
    """The draft and the report for one test page."""
    report = ImportReport()
    return read_charter((PAGES / name).read_text(encoding="utf-8"), report), report


def roles_of(draft: CharterDraft, person: str) -> list[tuple[R, str | None, str | None]]:
    """(role, function, title as written) for each entry of one person."""
    return [(entry.role, entry.function, entry.role_title) for entry in draft.roles if entry.person_name == person]


# Roles -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("Ada Lovelace", [(R.DRI, None, "Working Group DRI")]),
        ("Alan Turing", [(R.DRI, None, "Engineering DRI")]),
        ("Grace Hopper", [(R.DRI, None, "DRI for Sharding Working Group")]),
        ("Edsger Dijkstra", [(R.DRI, None, "DRI - CI")]),
        ("Barbara Liskov", [(R.FACILITATOR, None, "Facilitator APAC")]),
        ("Radia Perlman", [(R.FUNCTIONAL_LEAD, "Compliance", "Functional Lead Compliance")]),
    ],
)
def test_a_known_role_inside_a_longer_title_is_that_role_with_the_title_kept(person, expected):
    draft, _report = read("real-role-titles.md")
    assert roles_of(draft, person) == expected


@pytest.mark.parametrize(
    ("person", "title", "roles"),
    [
        ("Ken Thompson", "Facilitator/DRI", [R.FACILITATOR, R.DRI]),
        ("Dennis Ritchie", "DRI/Facilitator", [R.DRI, R.FACILITATOR]),
        ("Linus Torvalds", "Facilitator DRI", [R.FACILITATOR, R.DRI]),
        ("Margaret Hamilton", "Executive Sponsor & Facilitator", [R.EXECUTIVE_SPONSOR, R.FACILITATOR]),
    ],
)
def test_a_cell_naming_two_roles_gives_the_person_both(person, title, roles):
    draft, _report = read("real-role-titles.md")
    assert roles_of(draft, person) == [(role, None, title) for role in roles]
    rows = [line for line in write_charter(draft).split("\n") if person in line]
    assert len(rows) == 1 and rows[0].startswith(f"| {title} ")  # exported as the one row the page wrote


@pytest.mark.parametrize("title", ["Stakeholder", "Observer", "Triage Lead", "Development Department Lead"])
def test_an_unknown_role_title_is_a_member_with_the_title_as_written_and_reported(title):
    draft, report = read("real-role-titles.md")
    [entry] = [entry for entry in draft.roles if entry.role_title == title]
    assert entry.role is R.MEMBER and written_role(entry) == title
    assert any(f"“{title}” is not one I know" in note.what for note in report.kept)
    assert f"| {title} " in write_charter(draft)


def test_several_people_in_one_cell_are_several_people():
    draft, _report = read("real-role-titles.md")
    members = [entry.person_name for entry in draft.roles if entry.role is R.MEMBER and entry.role_title is None]
    assert members == ["Jean Sammet", "Adele Goldberg", "Lynn Conway"]


@pytest.mark.parametrize(
    ("cell", "people"),
    [
        ("Jackie Porter, Giuliana Lucchesi", ["Jackie Porter", "Giuliana Lucchesi"]),
        ("Ana<br>Bo<br/>Cy", ["Ana", "Bo", "Cy"]),
        ("<ul><li>Ana Lima</li><li>Bo Chen</li></ul>", ["Ana Lima", "Bo Chen"]),
        ("Taylor A. Murphy, PhD", ["Taylor A. Murphy, PhD"]),
        ("Angela Pesta (UX), TBA (Product Management)", ["Angela Pesta", None]),
    ],
)
def test_person_cells_name_people_in_many_ways(cell, people):
    page = f"# T\n\n## Roles\n\n| Role | Person |\n|---|---|\n| Member | {cell} |\n"
    assert [entry.person_name for entry in read_charter(page).roles] == people


def test_a_remark_after_a_name_is_the_title_when_the_table_has_no_title_column():
    page = "# T\n\n## Roles\n\n| Role | Person |\n|---|---|\n| Functional Lead(s) | Angela Pesta (UX), TBA (PM) |\n"
    draft = read_charter(page)
    assert [(e.person_name, e.title, e.role_title) for e in draft.roles] == [
        ("Angela Pesta", "UX", "Functional Lead(s)"),
        (None, "PM", "Functional Lead(s)"),
    ]
    assert read_charter(write_charter(draft)) == draft


def test_a_roles_table_without_a_person_column_imports_roles_no_one_holds_yet():
    draft, report = read("roles-without-people.md")
    assert draft.roles == (
        RoleEntry(R.DRI, None, "Owns the outcome"),
        RoleEntry(R.FACILITATOR, None, "Runs the meetings"),
    )
    assert report.counts["roles"] == 2 and "2 roles have no one named yet." in report.to_check
    assert any("no person column" in note.what for note in report.kept)
    assert "| Role        | Responsibility    |" in write_charter(draft)  # its own columns, no Person added


def test_an_empty_row_for_a_role_someone_holds_is_a_spare_line_and_one_for_an_open_role_is_kept():
    page = "# T\n\n## Roles\n\n| Role | Person |\n|---|---|\n| Member | Al |\n| Member | |\n| Facilitator | |\n"
    report = ImportReport()
    assert read_charter(page, report).roles == (RoleEntry(R.MEMBER, "Al"), RoleEntry(R.FACILITATOR, None))
    assert [note.where for note in report.skipped] == ["Roles row 2"]


def test_a_table_with_neither_role_nor_person_column_is_skipped_with_a_note():
    page = "# T\n\n## Roles\n\n| Phase | When |\n|---|---|\n| One | May |\n"
    report = ImportReport()
    assert read_charter(page, report).roles == ()
    assert report.skipped[0].where == "Roles table 1" and "no role and no person column" in report.skipped[0].what


@pytest.mark.parametrize("cell", ["Triage Lead", "Stakeholder", "Engineering Lead", ""])
def test_cells_naming_no_known_role_read_as_none(cell):
    assert read_roles(cell) == ()


# Dates -------------------------------------------------------------------------------------------------------------


def test_a_month_and_year_end_date_is_kept_as_written_and_exported_as_written():
    draft, report = read("real-role-titles.md")
    assert (draft.created_on, draft.end_on, draft.end_written) == (date(2022, 1, 10), None, "March, 2022")
    assert report.counts["dates"] == 2
    assert any(note.what == "“March, 2022” is a month, not a day: kept as written" for note in report.kept)
    assert "| End Date     | March, 2022 |" in write_charter(draft)


def test_tbd_stays_tbd_and_is_no_date():
    draft = read_charter("# T\n\n## Attributes\n\n| Property | Value |\n|---|---|\n| End Date | TBD |\n")
    assert (draft.end_on, draft.end_written) == (None, None)
    assert "| End Date | TBD   |" in write_charter(draft)


# Goals -------------------------------------------------------------------------------------------------------------


def test_a_goal_written_as_prose_then_a_list_keeps_both():
    draft, report = read("goals-prose-and-list.md")
    assert draft.goals == ("The group exists to make releases boring.", "Ship every month", "Never break an upgrade")
    assert report.counts["goals"] == 3
    written = write_charter(draft)
    assert "## Business Goal\n\nThe group exists to make releases boring.\n\n1. Ship every month\n" in written
    assert read_charter(written) == draft


def test_goals_under_a_goals_heading_at_another_level_are_found():
    draft, _report = read("goals-other-levels.md")
    assert draft.goals == ("Find the goals under a subsection", "Keep both items")
    assert [criterion.text for criterion in draft.exit_criteria] == ["One criterion"]
    written = write_charter(draft)
    assert "## Goal\n\n### Goals\n\n- Find the goals under a subsection\n- Keep both items" in written
    assert read_charter(written) == draft


@pytest.mark.parametrize("level", ["#", "###"])
def test_a_lone_goals_heading_at_any_level_is_the_goal(level):
    draft = read_charter(f'---\ntitle: "T"\n---\n\n{level} Goals\n\n- Grow\n- Learn\n')
    assert draft.goals == ("Grow", "Learn") and draft.goals_heading == "Goals"
    assert read_charter(write_charter(draft)) == draft


# The page as a whole -----------------------------------------------------------------------------------------------


def test_every_synthetic_page_reads_back_the_same_after_export():
    for name in ("real-role-titles.md", "roles-without-people.md", "goals-prose-and-list.md", "goals-other-levels.md"):
        draft, _report = read(name)
        assert read_charter(write_charter(draft)) == draft, name


def test_a_page_with_only_unknown_sections_and_a_title_is_imported_with_its_sections_kept():
    draft = read_charter("# Notes Working Group\n\n## Meetings\n\nTuesdays.\n")
    assert draft.title == "Notes Working Group" and [s.heading for s in draft.other_sections] == ["Meetings"]


def test_a_roles_section_under_the_criteria_heading_is_roles_not_a_part_of_the_criteria():
    """Found by the property test: a lone criterion written as prose, then `### Roles and Responsibilities` under
    `## Exit Criteria`, read the roles table as criteria."""
    page = (
        '---\ntitle: "Grow Working Group"\n---\n\n## Exit Criteria\n\nGrow\n\n'
        "### Roles and Responsibilities\n\n| Working Group Role | Person |\n|---|---|\n| DRI | Ana Lima |\n"
    )
    draft = read_charter(page)
    assert [entry.text for entry in draft.exit_criteria] == ["Grow"]
    assert [(entry.role, entry.person_name) for entry in draft.roles] == [("DRI", "Ana Lima")]
    assert read_charter(write_charter(draft)) == draft
