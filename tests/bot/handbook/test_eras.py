"""Old Middleman pages (kramdown `- TOC` / `{:toc}`, raw HTML tables, `<p class="h3">` objectives) and Hugo pages
(pipe tables, `###` headings) that say the same things read as the same records, through each program's reader."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bot.handbook.markdown import read_list, read_page, read_paragraphs
from bot.okrs.page import read_okr_page, write_okr_page
from bot.working_groups.handbook import read_charter

ERAS = Path(__file__).parent / "eras"


def _read(name: str) -> str:
    return (ERAS / name).read_text(encoding="utf-8")


def test_a_middleman_working_group_page_reads_as_its_hugo_twin():
    middleman, hugo = read_charter(_read("working-group-middleman.md")), read_charter(_read("working-group-hugo.md"))
    layout = {"other_sections", "shape"}  # how the page was written, kept for its export
    for field in dataclasses.fields(hugo):
        if field.name not in layout:
            assert getattr(middleman, field.name) == getattr(hugo, field.name), field.name
    assert [(person.role, person.person_name) for person in hugo.roles] == [
        ("Executive Stakeholder", "Eric Johnson"),
        ("Facilitator", "Craig Gomes"),
        ("Member", "Jose Finotto"),
    ]
    assert [(criterion.text, criterion.done) for criterion in hugo.exit_criteria] == [
        ("Decide on a sharding approach", True),
        ("Ship the first shard", False),
    ]
    assert hugo.slack_channel == "wg_sharding" and str(hugo.created_on) == "2019-03-04"
    # The Middleman page's table of contents is no content: only its heading is kept, for the export.
    assert [section.heading for section in middleman.other_sections] == ["On this page"]


def test_a_middleman_okr_page_reads_as_its_hugo_twin():
    middleman, hugo = read_okr_page(_read("okrs-middleman.md")), read_okr_page(_read("okrs-hugo.md"))
    assert (middleman.quarter, middleman.start, middleman.end) == (hugo.quarter, hugo.start, hugo.end)
    assert middleman.objectives == hugo.objectives
    assert [(o.number, o.owner, len(o.key_results)) for o in hugo.objectives] == [(1, "CEO", 2), (2, "CEO", 1)]
    scores = [(kr.score, kr.status) for o in hugo.objectives for kr in o.key_results]
    assert scores == [(40.0, None), (None, "done"), (120.0, None)]


def test_the_table_of_contents_and_its_attribute_lines_are_not_content():
    sections = read_page(_read("working-group-middleman.md")).sections
    toc = next(section for section in sections if section.heading == "On this page")
    assert read_list(toc.body) == [] and read_paragraphs(toc.body) == []


def test_each_era_exports_its_objective_headings_as_it_wrote_them():
    middleman, hugo = read_okr_page(_read("okrs-middleman.md")), read_okr_page(_read("okrs-hugo.md"))
    assert '\n<p class="h3">1. CEO: Grow Incremental ACV.</p>\n' in write_okr_page(middleman)
    assert "\n### 1. CEO: Grow Incremental ACV.\n" in write_okr_page(hugo)
    assert read_okr_page(write_okr_page(middleman)) == middleman


def test_an_html_objective_whose_title_holds_a_link_is_exported_as_a_heading():
    page = read_okr_page(_read("okrs-middleman.md").replace("Great team.", '<a href="https://x.test">Great team</a>.'))
    written = write_okr_page(page)
    assert "\n### 2. CEO: [Great team](https://x.test).\n" in written  # HTML would show the link's markup
    assert read_okr_page(written) == page
