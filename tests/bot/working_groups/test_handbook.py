from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.handbook import HandbookError
from bot.handbook.report import ImportReport
from bot.working_groups.handbook import (
    Attribute,
    CharterDraft,
    CriterionEntry,
    PlanItem,
    RoleEntry,
    Section,
    WorkingGroupRole,
    read_charter,
    read_role,
    slack_channel_of,
    write_charter,
)

PAGES = Path(__file__).parent / "pages"
GOOD_PAGES = [
    "seed-enterprise-market-leadership.md",
    "seed-leading-organizations.md",
    "headings-and-username.md",
    "checkbox-criteria.md",
    "criteria-table.md",
    "html-cells.md",
    "ended-group.md",
]
R = WorkingGroupRole


def charter(name: str) -> CharterDraft:
    """The draft read from one of the test pages."""
    return read_charter((PAGES / name).read_text(encoding="utf-8"))


def charter_with_report(name: str, report: ImportReport) -> CharterDraft:
    """The draft read from one of the test pages, its report filled."""
    return read_charter((PAGES / name).read_text(encoding="utf-8"), report)


# The seeds ---------------------------------------------------------------------------------------------------------


def test_enterprise_seed_imports_every_attribute_goal_criterion_and_role():
    draft = charter("seed-enterprise-market-leadership.md")
    assert draft.title == "Enterprise Market Leadership Working Group"
    assert draft.description.startswith("Learn more about how GTM and Product Management")
    assert draft.status is None
    assert (draft.created_on, draft.end_on, draft.end_label) == (
        date(2022, 5, 20),
        date(2022, 7, 28),
        "Target End Date",
    )
    assert draft.slack_channel == "wg_ent-mkt-leadership"
    assert draft.agenda_url == (
        "https://docs.google.com/document/d/1nXo8r11TxFyNPMdEpGzS8f95Gm0CtUoeElCCjY93isU/edit?usp=sharing"
    )
    assert draft.board_url is None  # "Issues | TBD"
    assert [attribute.name for attribute in draft.attributes] == [
        "Date Created", "Target End Date", "Slack", "Google Doc", "Docs", "Issues", "Label",
        "Associated KPIs/OKRs", "GitLab group for working group",
    ]  # fmt: skip
    assert draft.attributes[3] == Attribute(
        "Google Doc", "Working Group Agenda (only accessible by GitLab team members)", draft.agenda_url
    )
    assert draft.attributes[7] == Attribute("Associated KPIs/OKRs", "Increase market share in the enterprise segment")
    assert draft.goals_heading == "Business Goals"
    assert draft.goals == (
        "Increase enterprise market deal support related to the DevOps Platform.",
        "Increase market share in the enterprise segment.",
    )
    assert draft.exit_criteria_heading == "Exit Criteria"
    assert draft.exit_criteria == tuple(
        CriterionEntry(text)
        for text in (
            "Craft a vision to deliver on the needs of the enterprise market.",
            "Establish business cases/investment cases to accelerate most critical scope.",
            "Deliver iteration plan for vision.",
            "Deliver updates to Product Marketing Platform Content.",
            "Deliver market research (e.g. message testing).",
            "PMs to prioritize iteration plans.",
        )
    )
    assert draft.plan == ()
    assert draft.roles == (
        RoleEntry(R.EXECUTIVE_SPONSOR, "David DeSanto", "VP, Product"),
        RoleEntry(R.FACILITATOR, "Jackie Porter", "Director, Product Management"),
        RoleEntry(R.CONTRIBUTOR, "Dave Steer", "VP, Product Marketing"),
        RoleEntry(R.CONTRIBUTOR, "Brian Wald", "Director, Strategic Field"),
        RoleEntry(R.CONTRIBUTOR, "Lee Faus", "Global Field CTO"),
        RoleEntry(R.CONTRIBUTOR, "Francis Ofungwu", "Global Field CISO"),
    )  # the empty "Contributor | | |" row is skipped
    assert [(section.heading, section.level) for section in draft.other_sections] == [
        ("Protocols and Processes", 3),
        ("Meetings", 2),
    ]
    assert draft.other_sections[0].body.startswith(
        "1. We will have a recurring bi-weekly sync with the working group\n"
    )


def test_leading_organizations_seed_imports_prose_goal_prose_criterion_plan_and_functional_leads():
    draft = charter("seed-leading-organizations.md")
    assert (draft.title, draft.status) == ("Leading Organizations Working Group", "active")
    assert (draft.created_on, draft.end_on, draft.end_label) == (date(2022, 11, 9), date(2024, 1, 31), "End Date")
    assert draft.slack_channel == "wg_leading-organizations"
    assert draft.attributes[2].url == "https://gitlab.slack.com/archives/C03KC7N184D"
    assert draft.agenda_url == "https://docs.google.com/document/d/1D5JdVVOMshVWp-9DANaRKFgLlLCrT4LAqQDo6_vJCdo/edit"
    assert draft.board_url == "https://gitlab.com/groups/gitlab-com/-/epics/1880"
    assert draft.attributes[4] == Attribute("Issue Board", "Epic", draft.board_url)
    assert draft.goals_heading == "Business Goal"
    assert len(draft.goals) == 1
    assert draft.goals[0].startswith("Increase the number of unique monthly contributors by recognizing")
    assert "[dual flywheel](/handbook/company/strategy/#dual-flywheels) strategy" in draft.goals[0]
    assert draft.exit_criteria_heading == "Proposed Exit Criteria"
    assert draft.exit_criteria == (
        CriterionEntry("Build scalable model to activate 100 Leading Organizations by the end of FY24-Q4."),
    )
    assert [(item.text, len(item.children)) for item in draft.plan] == [
        ("Develop robust pipeline", 3),
        ("Faster time to value", 2),
        ("Recognize and amplify success", 2),
        ("Increase capacity and improve attribution", 2),
    ]
    assert draft.plan[1] == PlanItem(
        "Faster time to value",
        (PlanItem("Increase conversion rate of workshops"), PlanItem("Reduce time to activation")),
    )
    assert draft.roles == (
        RoleEntry(R.DRI, "Emilio Salvador", "VP, Developer Relations and Community"),
        RoleEntry(R.EXECUTIVE_STAKEHOLDER, "Ashley Kramer", "Chief Marketing & Strategy Officer"),
        RoleEntry(R.FUNCTIONAL_LEAD, "Nick Veenhof", "Director, Contributor Success", "Contributor Success"),
        RoleEntry(R.FUNCTIONAL_LEAD, "John Coghlan", "Director, Developer Advocacy", "Developer Advocates"),
        RoleEntry(
            R.FUNCTIONAL_LEAD, "Jackie Gragnola", "Sr. Manager, Marketing Campaigns and ABM", "Marketing Campaigns"
        ),
        RoleEntry(
            R.FUNCTIONAL_LEAD, "Nicole Smith", "Director, Product Marketing — Customer Advocacy", "Product Marketing"
        ),  # the seed's "â€”" mojibake repaired
        RoleEntry(R.FUNCTIONAL_LEAD, "Jamie Reid", "Manager, Strategic CSMs", "Customer Success"),
        RoleEntry(R.MEMBER, "Sid Sijbrandij", "Chief Executive Officer"),
    )
    assert draft.other_sections == ()


# Variations people write -------------------------------------------------------------------------------------------


def test_hash_title_deeper_headings_bare_links_and_a_reordered_roles_table_with_usernames():
    draft = charter("headings-and-username.md")
    assert (draft.title, draft.description, draft.status) == ("Developer Experience Working Group", None, None)
    assert draft.other_sections == (
        Section(
            "Developer Experience Working Group",
            1,
            "The group makes everyday engineering work faster for everyone who builds GitLab.",
        ),
    )
    assert (draft.created_on, draft.end_on, draft.end_label) == (date(2022, 5, 20), date(2022, 7, 28), "Target Date")
    assert draft.slack_channel == "wg_devex"
    assert draft.agenda_url == "https://docs.google.com/document/d/devex/edit"
    assert draft.board_url == "https://gitlab.com/groups/gitlab-com/-/epics/123"
    assert draft.goals_heading == "Goals"
    assert draft.goals == (
        "Cut CI wait time in half for internal projects.",
        "Make the local development kit start in under 5 minutes, measured on a fresh laptop.",
    )
    assert [criterion.text for criterion in draft.exit_criteria] == [
        "Median pipeline duration under 10 minutes",
        "GDK setup documented in the handbook",
    ]
    assert draft.roles == (
        RoleEntry(R.DRI, "Priya Natarajan", "Engineering Manager, Developer Experience", username="@pnatarajan"),
        RoleEntry(
            R.EXECUTIVE_SPONSOR, "Tom Becker", "VP, Engineering", username="@tbecker", role_title="executive sponsor"
        ),
        RoleEntry(R.FACILITATOR, "Ana Lima", "Staff Engineer"),
        RoleEntry(
            R.FUNCTIONAL_LEAD,
            "Kai Müller",
            "Quality Engineering Manager",
            "Quality",
            "@kmuller",
            role_title="Functional Lead - Quality",
        ),  # fmt: skip
        RoleEntry(R.CONTRIBUTOR, "Lee Chen", "Backend Engineer", username="@lchen", role_title="Contributors"),
        RoleEntry(R.MEMBER, None),  # "| | | Member | |": no one else is a member, so the role is open, not a spare line
    )  # role titles the writer would not write the same way are kept as written


def test_checkbox_criteria_with_progress_and_done_markers():
    draft = charter("checkbox-criteria.md")
    assert draft.title == "Pricing Working Group"
    assert draft.description == 'Decide pricing & packaging for the "Ultimate" tier'
    assert (draft.created_on, draft.end_on, draft.end_label) == (date(2022, 7, 28), None, "End Date")  # End Date: TBD
    assert (draft.slack_channel, draft.agenda_url, draft.board_url) == ("wg_pricing", None, None)
    assert draft.goals == ("Simplify the tier structure.", "Raise the average deal size.")
    assert draft.exit_criteria == (
        CriterionEntry("Publish the new price list", done=True),
        CriterionEntry("Migrate existing customers", progress=50),
        CriterionEntry("Update the handbook pricing page", done=True, done_on=date(2022, 7, 1)),
        CriterionEntry("Train the sales team", progress=25),
        CriterionEntry("Retire the old SKUs"),
    )
    assert draft.plan == (
        PlanItem("Research", (PlanItem("Interview 10 customers"), PlanItem("[x] Benchmark competitors"))),
        PlanItem("Rollout", (PlanItem("Announce", (PlanItem("Blog post"), PlanItem("Email to customers"))),)),
    )
    assert draft.roles == (
        RoleEntry(R.EXECUTIVE_SPONSOR, "Mara Olsen", "CFO", role_title="Exec Sponsor"),
        RoleEntry(R.DRI, "Jon Park", "Director, Pricing", role_title="Directly Responsible Individual"),
        RoleEntry(R.FACILITATOR, None),  # "TBD": the role is known, the person isn't yet
    )


def test_criteria_table_with_percent_and_done_on_columns_and_setext_headings():
    draft = charter("criteria-table.md")
    assert (draft.created_on, draft.end_on) == (date(2023, 3, 3), date(2023, 9, 30))
    assert draft.agenda_url == "https://docs.google.com/document/d/data/edit"  # from <a href> in a "Meeting Agenda" row
    assert draft.board_url == "https://gitlab.com/groups/gitlab-org/-/boards/42"
    assert draft.goals == (
        "Consolidate the three analytics pipelines into one platform.",
        "Retire the legacy warehouse by the end of the fiscal year.",
    )
    assert draft.exit_criteria == (
        CriterionEntry("Single ingestion pipeline in production", done=True, progress=100, done_on=date(2023, 6, 15)),
        CriterionEntry("Dashboards migrated | all teams", progress=60),
        CriterionEntry("Legacy warehouse switched off", progress=0),
    )
    assert (draft.plan, draft.roles, draft.other_sections) == ((), (), ())


def test_html_in_cells_is_read_as_plain_text_and_links():
    draft = charter("html-cells.md")
    assert draft.created_on == date(2023, 1, 9)  # <strong>2023-01-09</strong>
    assert draft.end_on == date(2023, 12, 15)
    assert draft.attributes[1] == Attribute("End Date", "2023-12-15\n(may extend)")
    assert draft.slack_channel == "wg_security-culture"
    assert draft.attributes[2].url == "https://gitlab.slack.com/archives/C0SEC"
    assert draft.attributes[3] == Attribute(
        "Google Doc", "Agenda & notes", "https://docs.google.com/document/d/sec/edit"
    )
    assert draft.attributes[5] == Attribute("Label", '~"wg::security"')
    assert draft.goals == ("Every engineer completes **secure coding** training.",)
    assert draft.exit_criteria == (CriterionEntry("Training completion at 95%", progress=80),)
    assert draft.roles == (
        RoleEntry(R.DRI, "Jo Smith", "Director, Security"),
        RoleEntry(R.EXECUTIVE_STAKEHOLDER, "Rémi Dubois", "CISO"),
        RoleEntry(R.CONTRIBUTOR, "Sam O'Neil", "Security Engineer — AppSec"),
    )


def test_an_ended_group_with_prose_dates_and_a_table_without_outer_pipes():
    draft = charter("ended-group.md")
    assert draft.status == "ended"
    assert (draft.created_on, draft.end_on) == (date(2021, 2, 14), date(2021, 8, 31))
    assert draft.slack_channel == "wg_isolation"
    assert draft.attributes[2] == Attribute("Slack", "#wg_isolation (archived)")
    assert draft.board_url == "https://gitlab.com/groups/gitlab-org/-/epics/4567"
    assert draft.goals == ("Limit the impact of any one customer's workload on everyone else.",)
    assert draft.exit_criteria == (
        CriterionEntry("Noisy-neighbour protections enabled for all shared runners", True, None, date(2021, 7, 30)),
        CriterionEntry("Rate limits documented", done=True),
    )
    assert draft.roles == (
        RoleEntry(R.EXECUTIVE_SPONSOR, "Eric Johnson", "CTO"),
        RoleEntry(R.FACILITATOR, "Grace Hopper", "Principal Engineer"),
        RoleEntry(R.MEMBER, "Alan Turing", "Staff SRE"),  # the extra cell is dropped
        RoleEntry(R.CONTRIBUTOR, "Ada Lovelace"),  # the short row is padded
    )
    assert draft.other_sections == (
        Section("Results", 2, "The group closed on 2021-08-31 after meeting every exit criterion."),
    )


def test_a_page_with_only_a_title_is_an_empty_charter():
    draft = read_charter("# Tiny Working Group\n")
    assert draft == CharterDraft(
        title="Tiny Working Group", description=None, status=None, created_on=None, end_on=None,
        end_label="End Date", slack_channel=None, agenda_url=None, board_url=None, attributes=(), goals=(),
        goals_heading="Business Goals", exit_criteria=(), exit_criteria_heading="Exit Criteria", plan=(), roles=(),
        other_sections=(),
    )  # fmt: skip


def test_a_roles_section_without_a_table_is_kept_as_written():
    draft = read_charter('---\ntitle: "T"\n---\n\n## Roles and Responsibilities\n\nTo be staffed next week.\n')
    assert draft.roles == ()
    assert draft.other_sections == (Section("Roles and Responsibilities", 2, "To be staffed next week."),)


def test_a_roles_table_under_another_heading_is_still_found_by_its_role_column():
    draft = read_charter('---\ntitle: "T"\n---\n\n## Who\n\n| Role | Name |\n|---|---|\n| DRI | Jo Smith |\n')
    assert draft.roles == (RoleEntry(R.DRI, "Jo Smith"),)
    assert draft.other_sections == ()


@pytest.mark.parametrize(
    ("cell", "role", "function"),
    [
        ("DRI", R.DRI, None),
        ("Directly Responsible Individual", R.DRI, None),
        ("DRI (Directly Responsible Individual)", R.DRI, None),
        ("Executive Sponsor", R.EXECUTIVE_SPONSOR, None),
        ("Exec. Sponsor", R.EXECUTIVE_SPONSOR, None),
        ("executive stakeholder", R.EXECUTIVE_STAKEHOLDER, None),
        ("Exec Stakeholder", R.EXECUTIVE_STAKEHOLDER, None),
        ("**Facilitator**", R.FACILITATOR, None),
        ("Functional Lead: Contributor Success", R.FUNCTIONAL_LEAD, "Contributor Success"),
        ("Functional Lead - Developer Advocates", R.FUNCTIONAL_LEAD, "Developer Advocates"),
        ("Functional Lead (Product (Core) Marketing)", R.FUNCTIONAL_LEAD, "Product (Core) Marketing"),
        ("Functional Lead (Marketing)", R.FUNCTIONAL_LEAD, "Marketing"),
        ("Marketing Functional Lead", R.FUNCTIONAL_LEAD, "Marketing"),
        ("Functional Lead", R.FUNCTIONAL_LEAD, None),
        ("Contributor", R.CONTRIBUTOR, None),
        ("Contributors", R.CONTRIBUTOR, None),
        ("Member", R.MEMBER, None),
        ("Members:", R.MEMBER, None),
    ],
)
def test_role_cells_name_roles_in_many_ways(cell, role, function):
    assert read_role(cell) == (role, function)


@pytest.mark.parametrize("cell", ["Chief Vibes Officer", "Lead", "", "Sponsor of fun"])
def test_unknown_role_cells_are_not_guessed(cell):
    assert read_role(cell) is None


def test_a_function_column_gives_the_function_when_the_role_cell_does_not():
    page = (
        "# T\n\n## Roles\n\n| Role | Person | Function |\n|---|---|---|\n"
        "| Functional Lead | Jo | Legal |\n| Member | Al | Sales |\n"
    )
    assert read_charter(page).roles == (
        RoleEntry(R.FUNCTIONAL_LEAD, "Jo", function="Legal", role_title="Functional Lead"),
        RoleEntry(R.MEMBER, "Al", function="Sales"),
    )  # the title is kept: written from the role and function alone it would be "Functional Lead: Legal"


# Malformed pages ---------------------------------------------------------------------------------------------------


def test_a_page_without_a_title_is_imported_untitled_and_says_so():
    report = ImportReport()
    draft = read_charter((PAGES / "no-title.md").read_text(encoding="utf-8"), report)
    assert draft.title == "Untitled working group" and draft.roles == (RoleEntry(R.DRI, "Jo Smith", "Director"),)
    assert any("no title" in line and "title:" in line for line in report.to_check)


def test_a_page_with_nothing_recognisable_is_refused():
    with pytest.raises(HandbookError) as raised:
        read_charter("Just some notes.\n\n- one\n- two\n")
    assert raised.value.problem == "I found nothing I could import on this page."
    assert "title:" in raised.value.usage and "# Title" in raised.value.usage


def test_an_unknown_role_is_kept_as_a_member_with_its_title_and_reported():
    report = ImportReport()
    draft = read_charter((PAGES / "unknown-role.md").read_text(encoding="utf-8"), report)
    assert draft.roles == (
        RoleEntry(R.DRI, "Jo Smith", "Director"),
        RoleEntry(R.MEMBER, "Pat Doe", "Manager", role_title="Chief Vibes Officer"),
    )
    assert [(note.where, note.what) for note in report.kept] == [
        ("Team roles row 2", "the role “Chief Vibes Officer” is not one I know: kept as a member with that title")
    ]
    assert "| Chief Vibes Officer | Pat Doe  | Manager  |" in write_charter(draft)


def test_a_roles_table_without_a_role_column_gives_members():
    report = ImportReport()
    draft = read_charter((PAGES / "roles-without-role-column.md").read_text(encoding="utf-8"), report)
    assert draft.roles == (RoleEntry(R.MEMBER, "Jo Smith", "Director"),)
    assert any("no role column" in note.what for note in report.kept)


def test_a_roles_table_without_a_person_column_gives_roles_no_one_holds_yet():
    report = ImportReport()
    draft = read_charter(
        "# T\n\n## Roles and Responsibilities\n\n| Role | Title |\n|---|---|\n| DRI | Director |\n", report
    )
    assert draft.roles == (RoleEntry(R.DRI, None, "Director"),)
    assert any("no person column" in note.what for note in report.kept)
    assert report.counts["roles"] == 1 and "people" not in report.counts or report.counts["people"] == 0


def test_an_end_date_that_is_not_a_date_is_kept_as_written_and_reported():
    report = ImportReport()
    draft = charter_with_report("bad-end-date.md", report)
    assert (draft.end_on, draft.end_written) == (None, "sometime next year")
    assert [(note.where, note.what) for note in report.kept] == [
        ("Attributes: Target End Date", "“sometime next year” is not a date I can read: kept as written")
    ]
    assert "| Target End Date | sometime next year |" in write_charter(draft)


def test_user_text_in_a_refusal_is_escaped():
    page = "## Roles\n\n| <!channel> | <@U123> |\n|---|---|\n| a | b |\n"
    with pytest.raises(HandbookError) as raised:
        read_charter(page)
    assert "<!channel>" not in raised.value.problem and "&lt;!channel&gt;" in raised.value.problem


# Writing -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GOOD_PAGES)
def test_every_page_reads_back_the_same_after_export(name):
    draft = charter(name)
    written = write_charter(draft)
    assert read_charter(written) == draft
    assert write_charter(read_charter(written)) == written


def test_export_follows_the_seed_format():
    written = write_charter(charter("seed-leading-organizations.md"))
    assert written.startswith(
        '---\ntitle: "Leading Organizations Working Group"\n'
        'description: "The charter of this working group is to scale the Leading Organizations intiative."\n'
        'status: "active"\n---\n\n## Attributes\n\n| Property     | Value'
    )
    assert (
        "| Slack        | [#wg_leading-organizations](https://gitlab.slack.com/archives/C03KC7N184D) (only" in written
    )
    assert "| Issue Board  | [Epic](https://gitlab.com/groups/gitlab-com/-/epics/1880)" in written
    assert "\n### Proposed Exit Criteria\n\nBuild scalable model to activate 100 Leading Organizations" in written
    assert "\n### Plan\n\n1. Develop robust pipeline\n   1. Execute nurture campaigns" in written
    assert "| Functional Lead: Contributor Success | Nick Veenhof    | Director, Contributor Success" in written


def test_export_writes_checkboxes_and_markers_for_criteria_state():
    draft = charter("checkbox-criteria.md")
    [part] = draft.shape["exit_criteria"]
    unmarked = {**draft.shape, "exit_criteria": [{key: value for key, value in part.items() if key != "markers"}]}
    written = write_charter(replace(draft, shape=unmarked))  # no markers recorded: written from the state
    assert (
        "## Exit Criteria\n\n"
        "1. [x] Publish the new price list\n"
        "1. [ ] Migrate existing customers => 50%\n"
        "1. [x] Update the handbook pricing page => Done 2022-07-01\n"
        "1. [ ] Train the sales team => 25%\n"
        "1. [ ] Retire the old SKUs\n"
    ) in written
    assert "| Facilitator                     | TBD        |                   |" in written.split("\n")


def test_export_writes_each_criterion_marker_as_the_page_wrote_it_while_it_reads_the_same():
    draft = charter("checkbox-criteria.md")
    assert (
        "1. [x] Publish the new price list => Done\n"
        "1. [ ] Migrate existing customers => 50%\n"
        "1. [x] Update the handbook pricing page — Done 2022-07-01\n"
        "1. [ ] Train the sales team (25%)\n"
        "1. [ ] Retire the old SKUs\n"
    ) in write_charter(draft)
    criteria = list(draft.exit_criteria)
    criteria[3] = CriterionEntry("Train the sales team", progress=75)
    changed = replace(draft, exit_criteria=tuple(criteria))
    assert "1. [ ] Train the sales team => 75%\n" in write_charter(changed)  # the state changed: a new marker


def test_export_keeps_the_role_table_columns_and_role_titles_as_written():
    written = write_charter(charter("headings-and-username.md"))
    lines = written.split("\n")
    assert (
        "| Person          | Username    | Working Group Role        | Functional Title                          |"
        in lines
    )
    assert (
        "| Kai Müller      | @kmuller    | Functional Lead - Quality | Quality Engineering Manager               |"
        in lines
    )
    assert "\n### Roles\n" in written and "\n#### Goals\n\n- Cut CI wait time" in written
    assert "Function " not in written


def test_export_adds_username_and_function_columns_only_when_needed():
    draft = replace(charter("checkbox-criteria.md"), shape={})
    assert "Username" not in write_charter(draft) and "Function" not in write_charter(draft)
    draft = replace(draft, roles=(*draft.roles, RoleEntry(R.MEMBER, "Al", function="Sales", username="@al")))
    lines = write_charter(draft).split("\n")
    assert "| Working Group Role              | Person     | Title             | Function | Username |" in lines


def test_export_of_a_hash_title_page_writes_the_title_in_front_matter():
    written = write_charter(charter("headings-and-username.md"))
    assert written.startswith('---\ntitle: "Developer Experience Working Group"\n---\n\n# Developer Experience')


def test_export_writes_changed_fields_into_the_attributes_table():
    draft = charter("seed-enterprise-market-leadership.md")
    changed = replace(
        draft,
        created_on=draft.created_on,
        end_on=date(2022, 9, 30),
        slack_channel="wg_enterprise",
        agenda_url=None,
        board_url="https://gitlab.com/groups/gitlab-com/-/epics/9",
    )
    reread = read_charter(write_charter(changed))
    assert (reread.end_on, reread.end_label) == (date(2022, 9, 30), "Target End Date")
    assert (reread.slack_channel, reread.agenda_url, reread.board_url) == (
        "wg_enterprise",
        None,
        "https://gitlab.com/groups/gitlab-com/-/epics/9",
    )
    assert reread.attributes[:6] == (
        Attribute("Date Created", "May 20,2022"),  # unchanged rows keep their wording
        Attribute("Target End Date", "2022-09-30"),
        Attribute("Slack", "#wg_enterprise"),
        Attribute("Google Doc", "TBD"),
        Attribute("Docs", "TBD"),
        Attribute(
            "Issues", "https://gitlab.com/groups/gitlab-com/-/epics/9", "https://gitlab.com/groups/gitlab-com/-/epics/9"
        ),
    )


def test_a_draft_built_without_attributes_exports_its_fields_as_rows():
    draft = CharterDraft(
        title="New Working Group",
        description=None,
        status="active",
        created_on=date(2025, 2, 3),
        end_on=None,
        end_label="Target End Date",
        slack_channel="wg_new",
        agenda_url="https://docs.google.com/document/d/new/edit",
        board_url=None,
        attributes=(),
        goals=("Ship the thing.", "Tell everyone | loudly."),
        goals_heading="Business Goals",
        exit_criteria=(CriterionEntry("Thing shipped", progress=40),),
        exit_criteria_heading="Exit Criteria",
        plan=(PlanItem("Build", (PlanItem("Design"),)),),
        roles=(RoleEntry(R.DRI, "Jo Smith", "Director", username="@jsmith"), RoleEntry(R.CONTRIBUTOR, None)),
        other_sections=(Section("Meetings", 2, "Bi-weekly on Tuesdays."),),
    )
    reread = read_charter(write_charter(draft))
    assert reread.attributes == (
        Attribute("Date Created", "2025-02-03"),
        Attribute("Slack", "#wg_new"),
        Attribute(
            "Google Doc", "https://docs.google.com/document/d/new/edit", "https://docs.google.com/document/d/new/edit"
        ),
    )
    assert replace(reread, attributes=(), end_label="Target End Date") == draft


@pytest.mark.parametrize(
    ("value", "channel"),
    [
        ("#wg_ent-mkt-leadership (only accessible by GitLab team members)", "wg_ent-mkt-leadership"),
        ("wg_pricing", "wg_pricing"),
        ("wg_pricing (private)", "wg_pricing"),
        ("Join us in #wg_devex!", "wg_devex"),
        ("TBD", None),
        ("Ask in the team channel", None),
    ],
)
def test_the_slack_channel_is_read_from_the_slack_row(value, channel):
    assert slack_channel_of([Attribute("Docs", "#not-this"), Attribute("Slack", value)]) == channel


def test_windows_line_endings_and_a_byte_order_mark_read_the_same():
    text = (PAGES / "seed-leading-organizations.md").read_text(encoding="utf-8")
    assert read_charter("\ufeff" + text.replace("\n", "\r\n")) == read_charter(text)


def test_a_row_with_a_person_but_no_role_is_kept_as_a_member():
    report = ImportReport()
    draft = read_charter("# T\n\n## Roles\n\n| Role | Person |\n|---|---|\n| DRI | Jo |\n|  | Al |\n", report)
    assert draft.roles == (RoleEntry(R.DRI, "Jo"), RoleEntry(R.MEMBER, "Al"))
    assert [(note.where, note.what) for note in report.kept] == [("Roles row 2", "no role written: kept as a member")]
