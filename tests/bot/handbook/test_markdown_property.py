"""Property: what the handbook writers write, the parser reads back the same (tables, lists, front matter, sections).

The program exporters are built on these writers, so a page a team exports must come back as the records it came
from whatever text they hold: pipes, backslashes, brackets, HTML, markers, unicode, line breaks in cells.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.handbook.inline import escape_inline, plain_text
from bot.handbook.markdown import (
    ListItem,
    Section,
    join_blocks,
    read_list,
    read_page,
    read_table,
    split_front_matter,
    table_cell,
    write_front_matter,
    write_list,
    write_section,
    write_table,
)

PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("PAGE_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

_MARKUP = (
    "|",
    "\\",
    "[",
    "]",
    "(",
    ")",
    "*",
    "_",
    "`",
    "<",
    ">",
    "&",
    "#",
    "-",
    "1.",
    "=>",
    "%",
    ":",
    "{:toc}",
    "<br>",
)
_WORD = st.one_of(
    st.sampled_from(_MARKUP),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=8),
)
# Text as a cell or an item holds it once read: one line, single spaces, no spaces at the ends.
TEXT = st.lists(_WORD, min_size=1, max_size=6).map(lambda words: " ".join(" ".join(words).split())).filter(bool)


def _readable(text: str) -> bool:
    """Whether an escaped text reads back as itself (the inline reader's own round trip)."""
    return plain_text(escape_inline(text)) == text


@PROPERTY_SETTINGS
@given(
    headers=st.lists(TEXT.filter(_readable), min_size=1, max_size=4),
    rows=st.lists(st.lists(TEXT.filter(_readable), min_size=1, max_size=4), max_size=4),
)
def test_a_written_table_reads_back_cell_for_cell(headers, rows):
    written = write_table([table_cell(header) for header in headers], [[table_cell(c) for c in row] for row in rows])
    table = read_table(written)
    assert table is not None
    assert [plain_text(header) for header in table.headers] == headers
    width = len(headers)
    assert [[plain_text(cell) for cell in row] for row in table.rows] == [(row + [""] * width)[:width] for row in rows]


def _items(depth: int) -> st.SearchStrategy[list[ListItem]]:
    item = st.builds(
        ListItem,
        text=TEXT.filter(lambda text: _readable(text) and not re.match(r"\[[ xX]\](\s|$)", text)).map(escape_inline),
        children=st.just(()) if depth == 0 else _items(depth - 1).map(tuple),
        checked=st.sampled_from([None, True, False]),
        ordered=st.booleans(),
    )
    return st.lists(item, min_size=1, max_size=3)


def _plain_tree(items):
    return [(plain_text(item.text), item.checked, item.ordered, _plain_tree(item.children)) for item in items]


@PROPERTY_SETTINGS
@given(items=_items(3))
def test_a_written_list_reads_back_as_the_same_tree(items):
    assert _plain_tree(read_list(write_list(items))) == _plain_tree(items)


@PROPERTY_SETTINGS
@given(fields=st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True), st.text(max_size=30), max_size=4))
def test_written_front_matter_reads_back_field_for_field(fields):
    read, body = split_front_matter(write_front_matter(fields) + "\nBody")
    assert read == {key: value.strip() for key, value in fields.items()}
    assert body == "Body"


@PROPERTY_SETTINGS
@given(
    sections=st.lists(
        st.tuples(TEXT.filter(lambda text: _readable(text) and not text.startswith("#")), st.integers(1, 4), TEXT),
        min_size=1,
        max_size=4,
    )
)
def test_written_sections_read_back_as_headings_at_their_levels(sections):
    page = join_blocks(
        [write_front_matter({"title": "T"})]
        + [
            write_section(escape_inline(heading), level, f"Text {table_cell(body)}")
            for heading, level, body in sections
        ]
    )
    read = read_page(page).sections
    assert [(plain_text(section.heading), section.level) for section in read] == [
        (heading, level) for heading, level, _body in sections
    ]
    assert all(isinstance(section, Section) for section in read)
