import pytest

from bot.handbook.markdown import (
    ListItem,
    Section,
    Table,
    find_section,
    join_blocks,
    labelled_blocks,
    matches,
    name_key,
    read_list,
    read_page,
    read_paragraphs,
    read_table,
    read_tables,
    split_front_matter,
    split_sections,
    subsections,
    table_cell,
    write_front_matter,
    write_list,
    write_section,
    write_table,
)

# Front matter ------------------------------------------------------------------------------------------------------


def test_front_matter_values_are_unquoted_and_the_body_follows():
    page = '---\ntitle: "Leading Organizations Working Group"\nstatus: active\n---\n\n## Attributes\n'
    fields, body = split_front_matter(page)
    assert fields == {"title": "Leading Organizations Working Group", "status": "active"}
    assert body.strip() == "## Attributes"


def test_front_matter_handles_escapes_single_quotes_comments_and_block_scalars():
    page = (
        "\ufeff---\r\n"
        'title: "Say \\"hi\\" \\\\ bye"\r\n'
        "owner: 'it''s mine'\r\n"
        "canonical_path: /company/okrs/ # where it lives\r\n"
        "tags:\r\n  - okr\r\n  - fy20\r\n"
        "summary: >\r\n  folded\r\n  lines\r\n"
        "empty:\r\n"
        "---\r\nbody\r\n"
    )
    fields, body = split_front_matter(page)
    assert fields == {
        "title": 'Say "hi" \\ bye',
        "owner": "it's mine",
        "canonical_path": "/company/okrs/",
        "tags": "",
        "summary": "folded lines",
        "empty": "",
    }
    assert body == "body\n"


def test_a_blank_line_after_the_opening_fence_is_allowed():
    fields, _ = split_front_matter('---\n\ntitle: "Executive Sponsorship Program"\n---\ntext')
    assert fields == {"title": "Executive Sponsorship Program"}


@pytest.mark.parametrize(
    "page", ["# Title\n\ntext", "---\ntitle: unclosed\n", "", "---\n\nA paragraph between rules.\n\n---\nmore"]
)
def test_pages_without_closed_front_matter_have_none(page):
    fields, body = split_front_matter(page)
    assert fields == {}
    assert body == page


def test_written_front_matter_reads_back_and_leaves_out_none():
    written = write_front_matter({"title": 'The "Best" \\ Group', "description": None, "status": "ended"})
    assert written == '---\ntitle: "The \\"Best\\" \\\\ Group"\nstatus: "ended"\n---'
    assert split_front_matter(written + "\n")[0] == {"title": 'The "Best" \\ Group', "status": "ended"}


# Sections ----------------------------------------------------------------------------------------------------------

PAGE = """\
Intro before any heading.

# Title #

## Business Goals

1. One

### Exit Criteria

Text under exit criteria.

#### Sub detail
Detail text.

Setext Heading
==============

Under setext.

Second Setext
-------------

```
# not a heading inside a fence
```

##Not a heading either
## Roles &amp; Responsibilities
"""


def test_sections_split_on_headings_at_every_level_outside_code_fences():
    sections = split_sections(PAGE)
    assert [(section.heading, section.level) for section in sections] == [
        ("", 0),
        ("Title", 1),
        ("Business Goals", 2),
        ("Exit Criteria", 3),
        ("Sub detail", 4),
        ("Setext Heading", 1),
        ("Second Setext", 2),
        ("Roles &amp; Responsibilities", 2),
    ]
    assert sections[0].body == "Intro before any heading."
    assert sections[1].body == ""
    assert sections[4].body == "Detail text."
    assert sections[6].body == "```\n# not a heading inside a fence\n```\n\n##Not a heading either"


def test_a_dash_line_after_a_table_or_list_is_not_a_setext_heading():
    sections = split_sections("## A\n\n| a | b |\n---|---\n\n- item\n---\n")
    assert [section.heading for section in sections] == ["A"]


@pytest.mark.parametrize(
    ("names", "found"),
    [
        (["Business Goal", "Business Goals", "Goal"], "Business Goals"),
        (["exit criteria"], "Exit Criteria"),
        (["Roles and Responsibilities"], "Roles &amp; Responsibilities"),
        (["SUB-DETAIL"], "Sub detail"),
        (["Plan"], None),
    ],
)
def test_sections_are_found_by_any_accepted_name_ignoring_case_and_punctuation(names, found):
    section = find_section(split_sections(PAGE), names)
    assert (section.heading if section else None) == found


def test_subsections_are_the_deeper_headings_up_to_the_next_sibling():
    sections = split_sections(PAGE)
    goals = find_section(sections, ["Business Goals"])
    assert [section.heading for section in subsections(sections, goals)] == ["Exit Criteria", "Sub detail"]


def test_a_page_is_its_front_matter_and_sections():
    page = read_page('---\ntitle: "T"\n---\n## Attributes\n\n| a | b |\n|---|---|\n| 1 | 2 |\n')
    assert page.front_matter == {"title": "T"}
    assert page.sections == (Section("Attributes", 2, "| a | b |\n|---|---|\n| 1 | 2 |"),)
    assert page.find(["attributes"]) is page.sections[0]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Roles & Responsibilities", "rolesandresponsibilities"),
        ("**Roles and Responsibilities:**", "rolesandresponsibilities"),
        ("Functional  Title", "functionaltitle"),
        ("% Complete", "%complete"),
    ],
)
def test_names_compare_without_case_markup_or_punctuation(text, key):
    assert name_key(text) == key
    assert matches(text, [key.upper()])


# Tables ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("| a | b |", ["a", "b"]),
        ("a | b", ["a", "b"]),
        ("| a | b", ["a", "b"]),
        ("a | b |", ["a", "b"]),
        ("| Contributor | | |", ["Contributor", "", ""]),
        (r"| a \| b | c |", ["a | b", "c"]),
        (r"| a backslash before an escaped pipe \\| c |", [r"a backslash before an escaped pipe \| c"]),  # as GFM
        (r"| `x` \| y |", ["`x` | y"]),
    ],
)
def test_rows_split_on_unescaped_pipes_with_outer_pipes_optional(line, cells):
    separator = "|".join(["---"] * len(cells))
    assert read_table(f"{line}\n{separator}").headers == tuple(cells)


def test_tables_tolerate_ragged_rows_and_missing_outer_pipes():
    body = "Intro\n\nProperty | Value\n:--- | ---:\nA | 1 | extra\nB\n| C | 3 |\n\nAfter"
    assert read_table(body) == Table(("Property", "Value"), (("A", "1"), ("B", ""), ("C", "3")))


def test_every_table_in_a_body_is_read_and_text_between_them_is_not_a_row():
    body = "| a |\n|---|\n| 1 |\n\ntext | not a table\n\n| b | c |\n|--|--|\n| 2 | 3 |"
    assert read_tables(body) == [Table(("a",), (("1",),)), Table(("b", "c"), (("2", "3"),))]
    assert read_table("no table here | at all") is None


def test_columns_are_found_by_accepted_names():
    table = Table(("Working Group Role", "Team Member", "Functional Title", "%"), ())
    assert table.column(["Person", "Team Member", "Name"]) == 1
    assert table.column(["title", "functional title"]) == 2
    assert table.column(["%"]) == 3
    assert table.column(["Username"]) is None


def test_written_tables_are_aligned_and_read_back():
    rows = [[table_cell("David DeSanto"), table_cell("VP, Product")], [table_cell("a|b"), table_cell("x\ny")]]
    written = write_table(["Person", "Title"], rows)
    assert written == (
        "| Person        | Title       |\n"
        "|---------------|-------------|\n"
        "| David DeSanto | VP, Product |\n"
        "| a\\|b          | x<br>y      |"
    )
    assert read_table(written) == Table(("Person", "Title"), (("David DeSanto", "VP, Product"), ("a|b", "x<br>y")))


# Lists -------------------------------------------------------------------------------------------------------------


def _shape(items):
    """Items as (text, checked, children) tuples, to compare trees at a glance."""
    return [(item.text, item.checked, _shape(item.children)) for item in items]


@pytest.mark.parametrize(
    "body",
    [
        "1. A\n   1. A1\n   1. A2\n1. B\n   1. B1",
        "1. A\n  1. A1\n  1. A2\n1. B\n  1. B1",
        "1. A\n    1. A1\n    1. A2\n1. B\n    1. B1",
        "1. A\n\t1. A1\n\t1. A2\n1. B\n\t1. B1",
        "- A\n  - A1\n  - A2\n- B\n  - B1",
        "* A\n    + A1\n    + A2\n* B\n    - B1",
        "1) A\n   2) A1\n   3) A2\n2) B\n   1) B1",  # kramdown nests what CommonMark would continue
        "1. A\n    1. A1\n   1. A2\n1. B\n   1. B1",
    ],
)
def test_lists_nest_by_indentation_of_two_to_four_spaces_or_a_tab(body):
    assert _shape(read_list(body)) == [
        ("A", None, [("A1", None, []), ("A2", None, [])]),
        ("B", None, [("B1", None, [])]),
    ]


def test_deep_okr_style_lists_with_uneven_indentation_keep_their_depth():
    body = (
        "1. CMO:\n"
        "    1. Open a channel\n"
        "       1. Digital: redesign\n"
        "          1. Content: align\n"
        "    1. Re-focus\n"
        "1. CPO"
    )
    assert _shape(read_list(body)) == [
        ("CMO:", None, [("Open a channel", None, [("Digital: redesign", None, [("Content: align", None, [])])]),
                        ("Re-focus", None, [])]),
        ("CPO", None, []),
    ]  # fmt: skip


def test_checkboxes_are_read_off_item_text():
    body = "- [x] Done thing\n- [X] Also done\n- [ ] Open thing\n- [] not a checkbox\n- [link](x) text"
    assert _shape(read_list(body)) == [
        ("Done thing", True, []),
        ("Also done", True, []),
        ("Open thing", False, []),
        ("[] not a checkbox", None, []),
        ("[link](x) text", None, []),
    ]


def test_continuation_lines_join_their_item():
    body = (
        "1. First line\n   continues here\nlazily too\n1. Second\n\n   second paragraph\n\nNot in the list.\n1. Third"
    )
    assert [item.text for item in read_list(body)] == [
        "First line continues here lazily too",
        "Second second paragraph",
        "Third",
    ]


def test_items_know_whether_they_are_ordered_and_thematic_breaks_are_not_items():
    items = read_list("- bullet\n\n---\n\n1. number\n**bold** is not a bullet")
    assert [(item.text, item.ordered) for item in items] == [
        ("bullet", False),
        ("number **bold** is not a bullet", True),
    ]


def test_lists_inside_code_fences_are_ignored():
    assert _shape(read_list("```\n- not an item\n```\n- item")) == [("item", None, [])]


def test_written_lists_read_back_as_the_same_tree():
    items = [
        ListItem("Develop robust pipeline", (ListItem("Execute campaigns"), ListItem("Integrate", checked=True))),
        ListItem("Bullet", (ListItem("Child", ordered=False),), checked=False, ordered=False),
    ]
    written = write_list(items)
    assert (
        written == "1. Develop robust pipeline\n   1. Execute campaigns\n   1. [x] Integrate\n- [ ] Bullet\n  - Child"
    )
    assert read_list(written) == items


# Paragraphs and labelled blocks ------------------------------------------------------------------------------------


def test_paragraphs_are_prose_blocks_without_lists_or_tables():
    body = (
        "First line\nsecond line.\n\n- item\n  continued\n\n| a |\n|---|\n| 1 |\n\nLast paragraph.\n1. item right after"
    )
    assert read_paragraphs(body) == ["First line second line.", "Last paragraph."]


def test_bold_lines_label_the_blocks_under_them():
    body = "Intro.\n\n**Weekly**\n\n1. Review\n2. Engage\n\n**Monthly:**\n\n1. Plan"
    blocks = labelled_blocks(body)
    assert blocks == [("", "Intro."), ("Weekly", "1. Review\n2. Engage"), ("Monthly", "1. Plan")]
    assert [item.text for item in read_list(blocks[1][1])] == ["Review", "Engage"]


# Whole pages -------------------------------------------------------------------------------------------------------


def test_sections_and_blocks_join_into_a_page():
    page = join_blocks(
        [write_front_matter({"title": "T"}), write_section("", 0, "Intro."), write_section("Goals", 2, ""), "\n"]
    )
    assert page == '---\ntitle: "T"\n---\n\nIntro.\n\n## Goals\n'
    assert read_page(page).sections == (Section("", 0, "Intro."), Section("Goals", 2, ""))


# What older (Middleman, kramdown) pages write ---------------------------------------------------------------------


def test_raw_html_tables_are_tables_with_their_cells_markup_kept():
    body = (
        "Intro.\n\n<table>\n  <tr><th>Role</th><th>Person</th></tr>\n"
        '  <tr><td>DRI</td><td><a href="https://x.test/a">Ana &amp; Bo</a></td></tr>\n\n'
        "  <tr><td>Member</td></tr>\n</table>\n\n| a |\n|---|\n| 1 |"
    )
    assert read_tables(body) == [
        Table(("Role", "Person"), (("DRI", '<a href="https://x.test/a">Ana &amp; Bo</a>'), ("Member", ""))),
        Table(("a",), (("1",),)),
    ]


def test_an_html_table_inside_a_code_fence_is_not_a_table():
    assert read_tables("```\n<table><tr><td>x</td></tr></table>\n```") == []


def test_items_too_deep_for_commonmark_nest_as_kramdown_showed_them():
    body = "1. CPO:\n        1. Define metrics\n        1. Run training\n    1. Compensation: evolve\n1. CFO"
    assert _shape(read_list(body)) == [
        ("CPO:", None, [("Define metrics", None, []), ("Run training", None, []), ("Compensation: evolve", None, [])]),
        ("CFO", None, []),
    ]


def test_the_kramdown_table_of_contents_is_not_content():
    body = "- TOC\n{:toc}\n\nThe goal.\n{: .alert}\n\n- [x] A real item"
    assert _shape(read_list(body)) == [("A real item", True, [])]
    assert read_paragraphs(body) == ["The goal."]


def test_html_paragraphs_are_prose_but_comments_are_not():
    body = '<p class="h3">1. CEO: Grow</p>\n\n<!-- a note -->\n\nText.'
    assert read_paragraphs(body) == ['<p class="h3">1. CEO: Grow</p>', "Text."]


def test_front_matter_is_yaml_dates_and_numbers_read_as_text():
    fields, body = split_front_matter("---\ntitle: Group\ncreated: 2022-11-15\nyear: 2022\nok: true\n---\nText")
    assert fields == {"title": "Group", "created": "2022-11-15", "year": "2022", "ok": "true"}
    assert body == "Text"


def test_front_matter_that_yaml_refuses_still_gives_its_lines():
    fields, body = split_front_matter("---\ntitle: Sharding: the working group\nstatus: active\n---\nText")
    assert fields == {"title": "Sharding: the working group", "status": "active"}
    assert body == "Text"


@pytest.mark.parametrize("value", ["tab\there", "bell\x07", "a\\b \"c\" 'd'", "line\nbreak", "émoji 🚀"])
def test_written_front_matter_reads_back_whatever_the_text(value):
    assert split_front_matter(write_front_matter({"title": value}) + "\n")[0] == {"title": value}


def test_one_line_html_headings_are_sections_as_the_middleman_pages_wrote_them():
    body = (
        '<p class="h3">1. CEO: Grow</p>\n1. CRO: Close deals\n\n<h2>Retro</h2>\n\n<p>A plain paragraph</p>\n\n'
        '```\n<p class="h3">not a heading in a fence</p>\n```'
    )
    sections = split_sections(body)
    assert [(section.heading, section.level) for section in sections] == [("1. CEO: Grow", 3), ("Retro", 2)]
    assert [item.text for item in read_list(sections[0].body)] == ["CRO: Close deals"]
    assert read_paragraphs(sections[1].body) == ["<p>A plain paragraph</p>"]
