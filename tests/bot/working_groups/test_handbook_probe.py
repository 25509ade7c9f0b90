"""Misreads found by a probe of the reader on real pages it was not written against (pages/real/, PROVENANCE.md).

Each test reads one real page byte for byte and checks what a person reading it sees.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.handbook.report import ImportReport
from bot.working_groups.handbook import CharterDraft, WorkingGroupRole, read_charter, write_charter, written_role

REAL = Path(__file__).parent / "pages" / "real"


def read(name: str) -> tuple[CharterDraft, ImportReport]:
    """The draft and the report for one real page (`name` without the repository prefix)."""
    report = ImportReport()
    text = (REAL / f"SOORAJTS2001+RagProject__{name}.md").read_text(encoding="utf-8")
    return read_charter(text, report), report


def notes(report: ImportReport) -> list[str]:
    """Every kept and skipped note, as "where: what"."""
    return [f"{note.where}: {note.what}" for note in [*report.kept, *report.skipped]]


def test_a_completion_date_beside_progress_below_100_is_a_target_not_done():
    draft, report = read("vuejs-3-migration")
    got = [(criterion.progress, criterion.done, criterion.done_on) for criterion in draft.exit_criteria]
    assert [progress for progress, _done, _on in got] == [100, 70, 50, 30, 0, 0, 0]
    assert got[0][1:] == (True, date(2022, 10, 25))
    assert all(done is False and on is None for _progress, done, on in got[1:])
    assert any("row 2" in note and "“2024-04-30” is beside 70% progress" in note for note in notes(report))
    assert read_charter(write_charter(draft)) == draft


def test_a_progress_marker_inside_a_code_span_is_read_and_written_back_as_written():
    draft, report = read("transient-bugs")
    texts = [criterion.text for criterion in draft.exit_criteria]
    assert texts[0] == "Reword Engineering FY21Q4 OKRs to reflect proactive mitigation of transient issues."
    assert not any(text.endswith("`") for text in texts)
    assert [criterion.progress for criterion in draft.exit_criteria] == [100] * 7
    assert "have minimal prioritization, working on triage automation" in " ".join(notes(report))
    written = write_charter(draft)
    assert (
        "prioritization.](https://example_company.com/example_company-org/quality/team-tasks/-/issues/760) "
        "`=> 100%, have minimal prioritization, working on triage automation`\n   - [https://handbook." in written
    )
    assert "[ ]" not in written  # the page marks done with its markers, not checkboxes
    assert read_charter(written) == draft


def test_nested_items_under_criteria_with_markers_are_all_written_back():
    draft, _report = read("dogfood-plan")
    written = write_charter(draft)
    assert "- [x] Finalized Q3 OKR's => **Done**\n  - [FY21-Q3 Engineering Division OKRs]" in written
    assert "=> **Done**\n  - [Iterations in Example Company]" in written
    assert "=> **Done**\n  - In Q4 we are introducing Epic Swimlanes" in written
    assert read_charter(written) == draft


@pytest.mark.parametrize(
    ("name", "label", "day"),
    [
        ("dashboards", "Close Date", date(2023, 2, 28)),
        ("isolation", "Date Closed", date(2020, 2, 28)),
        ("bounded-contexts", "Actual End Date", date(2024, 5, 20)),  # beats "Target End Date 2024-03-31"
    ],
)
def test_the_row_that_says_when_a_group_closed_is_its_end(name, label, day):
    draft, report = read(name)
    assert (draft.end_on, draft.end_label) == (day, label)
    assert report.counts["dates"] == 2
    assert read_charter(write_charter(draft)) == draft


def test_a_new_end_date_rewrites_the_actual_end_row_and_leaves_the_target_as_written():
    draft, _report = read("bounded-contexts")
    written = write_charter(replace(draft, end_on=date(2024, 6, 1)))
    rows = {attribute.name: attribute.value for attribute in read_charter(written).attributes}
    assert (rows["Target End Date"], rows["Actual End Date"]) == ("2024-03-31", "2024-06-01")
    assert read_charter(written).end_on == date(2024, 6, 1)


def test_a_check_mark_at_the_start_of_a_criterion_says_it_is_done_and_stays_as_written():
    draft, _report = read("feature-flag-usage")
    assert len(draft.exit_criteria) == 6
    assert all(criterion.done and criterion.text.startswith("✅ ") for criterion in draft.exit_criteria)
    written = write_charter(draft)
    assert "\n1. ✅ Fulfillment of the feature flag [architectural blueprint]" in written  # no checkbox, no marker
    assert read_charter(written) == draft


def test_working_group_goals_are_goals_and_a_filled_criteria_list_beats_an_empty_progress_table():
    draft, report = read("event-stream")
    assert draft.goals_heading == "Working Group Goals"
    assert "Document the current event systems" in draft.goals and len(draft.goals) == 6  # the lead line, 5 goals
    assert draft.exit_criteria_heading == "Exit Criteria"
    assert [criterion.text for criterion in draft.exit_criteria][:2] == [
        "Define the tool(s)/service(s) we should use for SaaS and on-prem (they might be different)",
        "Define system architecture",
    ]
    assert len(draft.exit_criteria) == 4
    assert "Exit Criteria Progress" in [section.heading for section in draft.other_sections]
    assert any(note.startswith("Exit Criteria Progress: its table has nothing filled in") for note in notes(report))
    assert read_charter(write_charter(draft)) == draft


def test_open_tbd_in_a_person_cell_is_a_role_no_one_holds_yet():
    draft, report = read("customer-use-case-adoption")
    [entry] = [entry for entry in draft.roles if entry.role_title == "Functional Lead - Sales"]
    assert entry.person_name is None
    assert not any(entry.person_name and "Open" in entry.person_name for entry in draft.roles)
    assert "1 role has no one named yet." in report.to_check
    assert read_charter(write_charter(draft)) == draft


def test_a_roles_table_naming_people_in_contact_columns_reads_each_function_and_person():
    draft, report = read("china-service")
    people = {(entry.person_name, entry.role_title) for entry in draft.roles}
    [sid] = [entry for entry in draft.roles if entry.person_name == "Sid Sijbrandij"]
    assert (sid.role, sid.role_title, sid.username) == (
        WorkingGroupRole.EXECUTIVE_STAKEHOLDER,
        "Exec Stakeholder",
        "@sytses",
    )
    [supporting] = [entry for entry in draft.roles if entry.person_name == "Nout Boctor-Smith"]  # the second column
    assert (supporting.role, supporting.role_title, supporting.function) == (
        WorkingGroupRole.MEMBER, "Strategic Marketing", "Strategic Marketing",
    )  # fmt: skip
    assert supporting.username == "@nbsmith"
    assert {("Stella Treas", "General"), ("Jerome Ng", "General"), ("Simon Liang", "Internal Comms")} <= people
    assert report.counts["roles"] == len(draft.roles) > 70  # both tables: the enablement team and the informed
    # 2 names beside 3 handles: no handle is guessed, and the report says so
    assert [e.username for e in draft.roles if e.role_title == "Field Operations"] == [None, None]
    assert any("row 10: 2 names" in note and "handles not read" in note for note in notes(report))
    assert read_charter(write_charter(draft)) == draft


def test_a_roles_table_the_reader_does_not_read_is_named_in_the_report():
    draft, report = read("gitlab-dedicated")
    assert "Dedicated Team DRIs" in [section.heading for section in draft.other_sections]
    assert any(
        note.startswith("Dedicated Team DRIs table 1:") and "“Area”, “Tasks”, “DRI”" in note for note in notes(report)
    )


def test_a_functions_column_of_role_titles_and_a_role_list_read_as_people_with_roles():
    draft, report = read("gitlab-dedicated")
    leads = [entry for entry in draft.roles if entry.role is WorkingGroupRole.FUNCTIONAL_LEAD]
    assert len(leads) == 9 and leads[0].function == "Channel Partners" and leads[0].person_name == "Honora Duncan"
    assert [e.person_name for e in draft.roles if e.role is WorkingGroupRole.MEMBER] == [
        "Josh Lambert",
        "Jake Bielecki",
    ]
    listed = [(e.role, e.person_name, e.title, written_role(e)) for e in draft.roles[11:]]
    assert listed == [
        (WorkingGroupRole.EXECUTIVE_SPONSOR, "David DeSanto", "Chief Product Officer", "Exec Sponsor"),
        (WorkingGroupRole.DRI, "Ryan Wedmore", "Director, Strategy & Operations", "Initiative DRI"),
        (WorkingGroupRole.DRI, "Marin Jankovski", "Director of Infrastructure, Platforms", "Engineering DRI"),
        (WorkingGroupRole.DRI, "Fabian Zimmer", "Director of Product Management, SaaS Platforms", "Product DRI"),
    ]
    assert not any("column “Working Group Functions" in note for note in notes(report))
    written = write_charter(draft)
    assert "### Initiative DRIs\n\n1. **Exec Sponsor**: David DeSanto - Chief Product Officer\n" in written
    assert "   - DRI for cross-functional initiative strategy, collaboration, and work streams" in written
    assert read_charter(written) == draft


def test_criteria_written_as_marked_subheadings_of_each_phase_are_read_and_a_legend_is_not_one():
    draft, report = read("real-time")
    assert [(c.text, c.progress) for c in draft.exit_criteria] == [
        ("One Real-Time Feature, Usable by Single Instance/Small Cluster, Self-Hosting Customers", 100),
        ("One Real-Time Feature, Usable on larger deployments", 100),
        ("Working, Real-Time Feature Available on .com", 100),
    ]
    assert not any("Phase 2" in section.heading for section in draft.other_sections)
    assert any("“(✅ Done, ✏️ In-progress)” is an introduction" in note for note in notes(report))
    written = write_charter(draft)
    assert "### Working, Real-Time Feature Available on .com `=> 100%`\n\n[Epic](" in written
    assert read_charter(written) == draft


def test_criteria_under_subheadings_of_the_criteria_heading_are_read_and_the_intro_is_not_one():
    draft, report = read("customer-use-case-adoption")
    texts = [criterion.text for criterion in draft.exit_criteria]
    assert texts[:2] == [
        "80 of top 100 (child account) largest customers utilizing CI",
        "65% of Ultimate ARR utilizing Security & Compliance",
    ]
    assert texts[2].startswith("Improve CI Adoption ARR from 40% to 50% by the end of FY24-Q3")
    assert len(texts) == 3 and not any(criterion.done for criterion in draft.exit_criteria)
    assert not any(text.startswith("Note that these goals are aspirational") for text in texts)
    assert any(note.startswith("Exit criteria: “Note that these goals") for note in notes(report))
    written = write_charter(draft)
    assert "### FY25\n\nIncluded in our [FY 25 Yearlies]" in written and "### FY24\n\n- Improve CI" in written
    assert read_charter(written) == draft
