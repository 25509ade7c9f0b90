"""Handbook pages as blocks: front matter, sections by heading, tables, nested lists; and writers for each.

Pages are read with markdown-it-py (CommonMark with its GitHub table rule, and mdit-py-plugins' front matter rule),
so a heading, a table or a list is one where GitHub, GitLab and Hugo see one; front matter is YAML (PyYAML). On
top of the parser's tokens, three readings follow the older Middleman (kramdown) pages, which people still keep:

- list items nest by their indentation, 2 or more columns past the item above (kramdown nests `1. A` / `  1. B`,
  where CommonMark makes them siblings); the tree comes from each item's marker line, as the page shows it;
- raw HTML `<table>`s are tables too (read with the standard library's HTMLParser), and kramdown's `{:toc}`
  attribute lines and the `- TOC` placeholder list are not content;
- a page whose front matter YAML refuses still gives its `key: value` lines (its title above all).

Sections keep their body verbatim (source lines), so program readers can read them again and exporters can write
what they did not understand back unchanged. Writers produce the seeds' format; what they write reads back the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from bot.handbook.inline import escape_inline, plain_text

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
# Front matter alone: the "zero" preset reads nothing else, so splitting it off costs next to nothing.
_FRONT_MATTER_PARSER = MarkdownIt("zero").use(front_matter_plugin)

_MARKER_LINE = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])[ \t]+(?P<text>\S.*)$")
_CHECKBOX = re.compile(r"^\[(?P<mark>[ xX])\](?:[ \t]+|$)")
_KRAMDOWN_ATTRIBUTES = re.compile(r"^\s*\{:[^{}]*\}\s*$")  # `{:toc}`, `{: .alert}`: kramdown attribute lists
_FRONT_MATTER_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w.-]*)\s*:(?:\s+(?P<value>.*?))?\s*$")
_NOT_KEY_CHARACTERS = re.compile(r"[^\w%]+")
_NESTING = 2  # an item indented 2+ columns past the one above it is its child; fewer and it is a sibling
_LISTS = ("bullet_list_open", "ordered_list_open")


# Names -------------------------------------------------------------------------------------------------------------


def name_key(text: str) -> str:
    """How headings and column names are compared: plain text, `&` as "and", case, spaces and punctuation ignored."""
    return _NOT_KEY_CHARACTERS.sub("", plain_text(text).casefold().replace("&", " and "))


def matches(text: str, names: Iterable[str]) -> bool:
    """Whether a heading or column name is one of the accepted `names` ("Business Goals" matches "business goals")."""
    return name_key(text) in {name_key(name) for name in names}


# Parsing -----------------------------------------------------------------------------------------------------------


def normalize_newlines(markdown: str) -> str:
    """The text with `\\r\\n` and `\\r` line ends as `\\n`, without a byte-order mark or NUL bytes (the parser would
    keep a NUL as U+FFFD; nobody writes one on purpose)."""
    return markdown.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


@lru_cache(maxsize=512)
def _tokens(body: str) -> tuple[Token, ...]:
    """The block tokens of a body (an importer reads each section several times: tables, lists, paragraphs)."""
    return tuple(_PARSER.parse(body))


def _lines(body: str) -> list[str]:
    return normalize_newlines(body).split("\n")


def _trimmed(lines: Sequence[str]) -> str:
    """The lines joined, without the blank lines at either end."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    return "\n".join(lines[filled[0] : filled[-1] + 1]) if filled else ""


def _without_attributes(text: str, *, keep_first: bool = False) -> str:
    """Inline content without kramdown's attribute-list lines (`{:toc}`), its lines joined by spaces.

    With `keep_first`, the first line stays whatever it holds: an item's own text is content even when it looks
    like an attribute list (kramdown puts those on the lines after a block).
    """
    lines = [line.strip() for line in text.split("\n")]
    kept = [
        line
        for number, line in enumerate(lines)
        if (keep_first and number == 0) or not _KRAMDOWN_ATTRIBUTES.match(line)
    ]
    return " ".join(line for line in kept if line)


# Front matter ------------------------------------------------------------------------------------------------------


def _scalar(value: object) -> str:
    """A front matter value as text; lists and mappings as "" (no program reads them)."""
    return value.strip() if isinstance(value, str) else ""


def _lines_as_fields(text: str) -> dict[str, str]:
    """`key: value` lines, for front matter that YAML refuses (`title: A: B`): the page still has a title."""
    fields = {}
    for line in text.split("\n"):
        if match := _FRONT_MATTER_LINE.match(line):
            fields[match["key"]] = (match["value"] or "").strip("\"' ")
    return fields


def read_front_matter(text: str) -> dict[str, str] | None:
    """The fields of a front matter block's YAML, each as the text written (`2022-11-15`, `true` and `on` stay
    text: YAML's BaseLoader types nothing); None when it is not a mapping (then it was no front matter, only a
    paragraph between two rules)."""
    try:
        loaded = yaml.load(text, Loader=yaml.BaseLoader)  # BaseLoader builds only str, list and dict
    except yaml.YAMLError:
        return _lines_as_fields(text) or None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        return None
    return {str(key): _scalar(value) for key, value in loaded.items()}


def split_front_matter(markdown: str) -> tuple[dict[str, str], str]:
    """The page's front matter fields and the rest of the page; `{}` and the whole page when there is none."""
    text = normalize_newlines(markdown)
    lines = text.split("\n")
    start = next((index for index, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return {}, text
    tokens = _FRONT_MATTER_PARSER.parse("\n".join(lines[start:]))
    opening = tokens[0] if tokens else None
    if opening is None or opening.type != "front_matter" or opening.map is None or not opening.markup.startswith("-"):
        return {}, text
    fields = read_front_matter(opening.content)
    if fields is None:
        return {}, text
    return fields, "\n".join(lines[start + opening.map[1] :])


# What YAML reads as itself in a double-quoted string: printable, and not one of its line breaks (NEL, LS, PS).
_YAML_PRINTABLE = re.compile(r"[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write_front_matter(fields: Mapping[str, str | None]) -> str:
    """A `---` block with each field as `key: "value"` (a YAML double-quoted string); None fields are left out."""
    lines = ["---"]
    for key, value in fields.items():
        if value is not None:
            escaped = (
                value.replace("\\", "\\\\")
                .replace('"', '\\"')
                .replace("\n", "\\n")
                .replace("\r", "\\r")
                .replace("\t", "\\t")
            )
            escaped = _YAML_PRINTABLE.sub(lambda match: f"\\u{ord(match[0]):04x}", escaped)
            lines.append(f'{key}: "{escaped}"')
    lines.append("---")
    return "\n".join(lines)


# Sections ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    """One heading and the lines under it up to the next heading of any level, kept verbatim.

    `heading` is the heading's markdown as written; `level` is 1-6, or 0 for the text before the first heading.
    `body` has no leading or trailing blank lines.
    """

    heading: str
    level: int
    body: str


@dataclass(frozen=True, slots=True)
class Page:
    """A handbook page read into its front matter and its sections, in page order."""

    front_matter: dict[str, str]
    sections: tuple[Section, ...]

    def find(self, names: Iterable[str]) -> Section | None:
        """The first section whose heading is one of `names` (compared as `name_key` does), or None."""
        return find_section(self.sections, names)


# A one-line HTML heading, as Middleman pages write them: `<h3>…</h3>`, or `<p class="h3">…</p>` (styled as one and
# kept out of the page's table of contents).
_HTML_HEADING = re.compile(
    r"^ {0,3}<(?P<tag>h(?P<level>[1-6])|p|div)(?P<attributes>\s[^>]*)?>(?P<text>.*)</(?P=tag)\s*>\s*$", re.IGNORECASE
)
_HEADING_CLASS = re.compile(r"\bclass\s*=\s*[\"']?[^\"'>]*?\bh(?P<level>[1-6])\b", re.IGNORECASE)


def html_heading(line: str) -> tuple[str, int] | None:
    """The text and level of a line that is an HTML heading (`<h3>…</h3>`, `<p class="h3">…</p>`), else None."""
    match = _HTML_HEADING.match(line)
    if match is None:
        return None
    styled = _HEADING_CLASS.search(match["attributes"] or "")
    level = int(match["level"]) if match["level"] else int(styled["level"]) if styled else None
    return (match["text"].strip(), level) if level is not None and match["text"].strip() else None


def _headings(tokens: Sequence[Token]) -> Iterator[tuple[int, int, str, int]]:
    """(first line, line after, heading text, level) for each heading of the page itself (not inside a list): the
    parser's headings, and the first line of an HTML block when it is an HTML heading (see `html_heading`)."""
    for index, token in enumerate(tokens):
        if token.level != 0 or token.map is None:
            continue
        if token.type == "heading_open":
            yield token.map[0], token.map[1], tokens[index + 1].content, int(token.tag[1])
        elif token.type == "html_block" and (found := html_heading(token.content.split("\n", 1)[0])) is not None:
            yield token.map[0], token.map[0] + 1, found[0], found[1]


def split_sections(body: str) -> list[Section]:
    """The sections of a page body, flat, in order; text before the first heading is a level-0 section."""
    lines = _lines(body)
    sections: list[Section] = []
    heading, level, start = "", 0, 0
    for first, after, text, text_level in _headings(_tokens("\n".join(lines))):
        if level or _trimmed(lines[start:first]):
            sections.append(Section(heading, level, _trimmed(lines[start:first])))
        heading, level, start = text, text_level, after
    if level or _trimmed(lines[start:]):
        sections.append(Section(heading, level, _trimmed(lines[start:])))
    return sections


def read_page(markdown: str) -> Page:
    """A whole page: its front matter and its sections."""
    front_matter, body = split_front_matter(markdown)
    return Page(front_matter, tuple(split_sections(body)))


def find_section(sections: Iterable[Section], names: Iterable[str]) -> Section | None:
    """The first section whose heading is one of the accepted `names`, case and punctuation ignored, or None."""
    keys = {name_key(name) for name in names}
    return next((section for section in sections if section.level and name_key(section.heading) in keys), None)


def subsections(sections: Sequence[Section], parent: Section) -> tuple[Section, ...]:
    """The sections under `parent`: those after it with deeper headings, up to the next one at its level or above."""
    start = sections.index(parent) + 1
    found = []
    for section in sections[start:]:
        if section.level <= parent.level:
            break
        found.append(section)
    return tuple(found)


# Tables ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Table:
    """A table: header cells and rows of cells as markdown (inline HTML kept), every row as wide as the header."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def column(self, names: Iterable[str]) -> int | None:
        """The index of the first column whose header is one of `names` (case and spaces ignored), or None."""
        keys = {name_key(name) for name in names}
        return next((index for index, header in enumerate(self.headers) if name_key(header) in keys), None)


def _fit(cells: Sequence[str], width: int) -> tuple[str, ...]:
    """A row cut or padded with empty cells to `width` (extra cells are dropped, as GitHub does)."""
    return tuple(list(cells[:width]) + [""] * (width - len(cells)))


def _pipe_tables(tokens: Sequence[Token]) -> Iterator[tuple[int, Table]]:
    """(first line, table) for each pipe table the parser found, cells as the inline markdown written in them."""
    index = 0
    while index < len(tokens):
        if tokens[index].type != "table_open":
            index += 1
            continue
        first_line = tokens[index].map[0] if tokens[index].map else 0
        rows: list[list[str]] = []
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline":
                rows[-1].append(token.content.strip())
            index += 1
        headers = tuple(rows[0])  # the parser gives a table only with its header row
        yield first_line, Table(headers, tuple(_fit(cells, len(headers)) for cells in rows[1:]))
        index += 1


class _HtmlTables(HTMLParser):
    """Raw HTML `<table>`s (old Middleman pages): each cell's inner HTML as written, `<th>` rows as the header."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tables: list[tuple[int, list[list[str]], int]] = []  # (line, rows, rows that were headers)
        self.depth = 0
        self.rows: list[list[str]] = []
        self.header_rows = 0
        self.cell: list[str] | None = None
        self.cell_is_header = False
        self.line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.rows, self.header_rows, self.line = [], 0, self.getpos()[0] - 1
        elif self.depth == 1 and tag == "tr":
            self._close_cell()
            self.rows.append([])
        elif self.depth == 1 and tag in ("td", "th"):
            self._close_cell()
            if not self.rows:
                self.rows.append([])
            self.cell, self.cell_is_header = [], tag == "th"
        elif self.cell is not None:
            self.cell.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            if self.depth == 1:
                self._close_cell()
                rows = [row for row in self.rows if row]
                if rows:
                    self.tables.append((self.line, rows, self.header_rows))
            self.depth = max(0, self.depth - 1)
        elif self.depth == 1 and tag in ("td", "th", "tr"):
            self._close_cell()
        elif self.cell is not None:
            self.cell.append(f"</{tag}>")

    def _close_cell(self) -> None:
        if self.cell is None:
            return
        self.rows[-1].append(" ".join("".join(self.cell).split()))
        if self.cell_is_header and len(self.rows) == self.header_rows + 1:
            self.header_rows = len(self.rows)
        self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


def _html_tables(body: str, tokens: Sequence[Token]) -> Iterator[tuple[int, Table]]:
    """(first line, table) for each raw HTML table in the body, code blocks and fences left out."""
    lines = _lines(body)
    for token in tokens:
        if token.type in ("fence", "code_block") and token.map:
            lines[token.map[0] : token.map[1]] = [""] * (token.map[1] - token.map[0])
    text = "\n".join(lines)
    if "<table" not in text.lower():
        return
    reader = _HtmlTables()
    reader.feed(text)
    reader.close()
    for line, rows, header_rows in reader.tables:
        headers = rows[max(0, header_rows - 1)] if header_rows else rows[0]
        body_rows = rows[max(1, header_rows) :]
        yield line, Table(tuple(headers), tuple(_fit(row, len(headers)) for row in body_rows))


def read_tables(body: str) -> list[Table]:
    """Every table in a section body, in page order: pipe tables and raw HTML tables."""
    tokens = _tokens(normalize_newlines(body))
    found = [*_pipe_tables(tokens), *_html_tables(body, tokens)]
    return [table for _line, table in sorted(found, key=lambda pair: pair[0])]


def read_table(body: str) -> Table | None:
    """The first table in a section body, or None when it has none."""
    return next(iter(read_tables(body)), None)


def table_cell(text: str) -> str:
    """Plain text as a table cell that reads back as the same text: escaped, pipes as `\\|`, lines joined by `<br>`."""
    return table_cell_markdown("\n".join(escape_inline(line) for line in text.split("\n")))


def table_cell_markdown(markdown: str) -> str:
    """Markdown (links and all) made safe for one table cell: `|` escaped, new lines as `<br>`."""
    return markdown.replace("|", "\\|").replace("\n", "<br>")


def write_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A pipe table with aligned columns from cells that are already markdown (see `table_cell`)."""
    body = [_fit(list(row), len(headers)) for row in rows]
    widths = [max([3, len(header)] + [len(row[index]) for row in body]) for index, header in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(headers), separator] + [line(row) for row in body])


# Lists -------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListItem:
    """One list item: its text (markdown, continuation lines joined by a space), nested items, checkbox, kind.

    `checked` is None when the item has no `[ ]`/`[x]` checkbox; `ordered` is True for `1.`/`1)` items.
    """

    text: str
    children: tuple[ListItem, ...] = ()
    checked: bool | None = None
    ordered: bool = True


@dataclass
class _FoundItem:
    """An item as the parser found it: the indentation of its marker line, its kind, its paragraphs' text."""

    indent: int
    ordered: bool
    texts: list[str]
    children: list[_FoundItem]
    list_start: int = -1  # the line its list starts on: items of one list share it

    def closed(self) -> ListItem:
        text = " ".join(part for part in self.texts if part)
        checkbox = _CHECKBOX.match(text)
        checked = None if checkbox is None else checkbox["mark"] != " "
        text = text[checkbox.end() :] if checkbox else text
        return ListItem(text, tuple(child.closed() for child in self.children), checked, self.ordered)


def _found_items(body: str) -> list[_FoundItem]:
    """Every list item outside quotes, in page order, flat; text from the paragraphs directly inside each."""
    lines = _lines(body)
    tokens = _tokens("\n".join(lines))
    found: list[_FoundItem] = []
    open_items: list[tuple[int, _FoundItem]] = []  # (token level, item)
    kinds: list[tuple[bool, int]] = []  # (ordered, first line) of each list open around
    quoted = 0
    for index, token in enumerate(tokens):
        if token.type == "blockquote_open":
            quoted += 1
        elif token.type == "blockquote_close":
            quoted -= 1
        elif quoted:
            continue
        elif token.type in _LISTS:
            kinds.append((token.type == "ordered_list_open", token.map[0] if token.map else -1))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            kinds.pop()
        elif token.type == "list_item_open" and token.map is not None:
            marker_line = lines[token.map[0]].expandtabs(4)
            ordered, list_start = kinds[-1]
            item = _FoundItem(len(marker_line) - len(marker_line.lstrip()), ordered, [], [], list_start)
            found.append(item)
            open_items.append((token.level, item))
        elif token.type == "list_item_close":
            open_items.pop()
        elif token.type == "inline" and open_items and token.level == open_items[-1][0] + 2:
            if tokens[index - 1].type in ("paragraph_open", "heading_open"):
                found += _item_paragraph(open_items[-1][1], token, lines)
    return found


def _item_paragraph(item: _FoundItem, inline: Token, lines: Sequence[str]) -> list[_FoundItem]:
    """Add an item's paragraph to its text; return the items kramdown would see in it.

    CommonMark continues a paragraph with a deeper line such as `        1. Defined metrics` (too deep to open a
    list, or an ordered list not starting at 1); kramdown, which the older pages were written for, opens an item
    there. Each such line starts a new item, and the lines after it are its text.
    """
    source = lines[inline.map[0] : inline.map[1]] if inline.map else []
    written = inline.content.split("\n")
    if len(source) != len(written):
        item.texts.append(_without_attributes(inline.content, keep_first=not item.texts))
        return []
    opened: list[_FoundItem] = []
    current, parts = item, [written[0]]
    for line, text in zip(source[1:], written[1:], strict=True):
        marker = _MARKER_LINE.match(line.expandtabs(4))
        if marker is not None and len(marker["indent"]) >= item.indent + _NESTING:
            current.texts.append(_without_attributes("\n".join(parts), keep_first=not current.texts))
            current = _FoundItem(len(marker["indent"]), marker["marker"][-1] in ".)", [], [])
            opened.append(current)
            parts = [marker["text"]]
        else:
            parts.append(text)
    current.texts.append(_without_attributes("\n".join(parts), keep_first=not current.texts))
    return opened


def _is_toc(item: _FoundItem, roots: Sequence[_FoundItem]) -> bool:
    """Whether an item is kramdown's table-of-contents placeholder (`- TOC` then `{:toc}`), alone in its list."""
    alone = sum(1 for other in roots if other.list_start == item.list_start) == 1
    return alone and not item.children and " ".join(item.texts).strip().upper() == "TOC"


def read_list(body: str) -> list[ListItem]:
    """The top-level items of every list in a section body, in order, each with its nested items.

    Nesting follows each item's indentation (see the module docstring), so pages written for kramdown keep theirs.
    """
    roots: list[_FoundItem] = []
    path: list[_FoundItem] = []
    for item in _found_items(body):
        while path and item.indent < path[-1].indent + _NESTING:
            path.pop()
        (path[-1].children if path else roots).append(item)
        path.append(item)
    return [item.closed() for item in roots if not _is_toc(item, roots)]


# Text that would open a block of its own at the start of an item: a list marker, a heading, a quote, a fence,
# HTML; its first character is escaped, which reads back as the same plain text. A leading `[x] ` is written as
# it is and reads back as a checkbox: the working-group plan keeps its checkboxes in the text that way.
_OPENS_A_BLOCK = re.compile(r"^(?:[-*+](?:\s|$)|\d{1,9}[.)](?:\s|$)|#|>|`{3}|~{3}|<|[=-]+\s*$)")


def _item_text(text: str) -> str:
    """An item's text as written after its marker: as it is, unless it would open a block (see _OPENS_A_BLOCK)."""
    if _OPENS_A_BLOCK.match(text):
        return "\\" + text if not text[0].isdigit() else re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return text


def write_list(items: Iterable[ListItem], depth: int = 0) -> str:
    """Items as a markdown list, `1.` or `-` by item, checkboxes as `[x]`/`[ ]`, children indented under the text.

    Texts are written as they are (they are markdown), except where one would open a block of its own.
    """
    lines = []
    for item in items:
        marker = "1." if item.ordered else "-"
        checkbox = "" if item.checked is None else ("[x] " if item.checked else "[ ] ")
        lines.append(f"{' ' * depth}{marker} {checkbox}{_item_text(item.text)}".rstrip())
        if item.children:
            lines.append(write_list(item.children, depth + len(marker) + 1))
    return "\n".join(lines)


# Paragraphs --------------------------------------------------------------------------------------------------------


def _paragraphs(body: str) -> Iterator[tuple[Token, Token]]:
    """(paragraph_open, inline) for each paragraph of the body itself or of a quote in it (not in lists or tables)."""
    tokens = _tokens(normalize_newlines(body))
    in_list = 0
    for index, token in enumerate(tokens):
        if token.type in _LISTS:
            in_list += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            in_list -= 1
        elif token.type == "paragraph_open" and not in_list:
            yield token, tokens[index + 1]


_NOT_PROSE_HTML = re.compile(r"^\s*<(?:!--|table|script|style|iframe|/)", re.IGNORECASE)


def read_paragraphs(body: str) -> list[str]:
    """The prose paragraphs of a section body, each as one line (lines joined by a space); lists and tables skipped.

    An HTML block that holds text (`<p class="h3">…</p>`, `<div>…</div>`) is a paragraph too, its markup kept;
    comments, tables and scripts are not.
    """
    tokens = _tokens(normalize_newlines(body))
    found = [(opening.map[0] if opening.map else 0, inline.content) for opening, inline in _paragraphs(body)]
    found += [
        (token.map[0] if token.map else 0, token.content)
        for token in tokens
        if token.type == "html_block" and token.level == 0 and not _NOT_PROSE_HTML.match(token.content)
    ]
    in_order = (content for _line, content in sorted(found, key=lambda pair: pair[0]))
    return [text for content in in_order if (text := _without_attributes(content))]


def _bold_label(inline: Token) -> str | None:
    """The label of a paragraph that is only bold text (`**Weekly**`, `**Monthly:**`), as plain text; else None."""
    parts = [child for child in inline.children or [] if not (child.type == "text" and not child.content.strip())]
    if len(parts) >= 3 and parts[0].type == "strong_open" and parts[-1].type == "text" and parts[-1].content == ":":
        parts = parts[:-1]
    if len(parts) < 3 or parts[0].type != "strong_open" or parts[-1].type != "strong_close" or "\n" in inline.content:
        return None
    return plain_text(inline.content).rstrip(":").strip() or None


def labelled_blocks(body: str) -> list[tuple[str, str]]:
    """A body cut at paragraphs that are only bold text (`**Weekly**`): (label as plain text, text under it) pairs.

    Text before the first label comes first with the label "" when there is any.
    """
    lines = _lines(body)
    cuts = [
        (opening.map[0], opening.map[1], label)
        for opening, inline in _paragraphs("\n".join(lines))
        if opening.level == 0 and opening.map is not None and (label := _bold_label(inline)) is not None
    ]
    blocks, label, start = [], "", 0
    for first, after, next_label in cuts:
        blocks.append((label, _trimmed(lines[start:first])))
        label, start = next_label, after
    blocks.append((label, _trimmed(lines[start:])))
    return [(label, text) for label, text in blocks if label or text]


# Whole pages -------------------------------------------------------------------------------------------------------


def write_section(heading: str, level: int, body: str) -> str:
    """A heading (`##` for level 2) and its body; a level-0 section is its body alone."""
    if level == 0:
        return body
    closing = re.search(r"(?<=\s)#+\s*$", heading)  # would read as the optional closing `##`
    if closing is not None:
        heading = heading[: closing.start()] + "\\" + heading[closing.start() :]
    return f"{'#' * level} {heading}\n\n{body}".rstrip()


def join_blocks(blocks: Iterable[str]) -> str:
    """Blocks (front matter, sections) as one page: a blank line between them, one new line at the end."""
    return "\n\n".join(block.strip("\n") for block in blocks if block.strip()) + "\n"
