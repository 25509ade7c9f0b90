"""Handbook pages as blocks: front matter, sections by heading, GitHub pipe tables, nested lists; and writers for each.

Readers are forgiving, as people write pages by hand: headings at any level (ATX `##` or setext underlines),
tables with or without outer pipes and with ragged rows, lists nested by 2-4 spaces or a tab. Writers produce the
seeds' format, and whatever they write reads back to the same values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from bot.handbook.inline import escape_inline, plain_text

_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(?P<underline>=+|-+)[ \t]*$")
_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?:[ \t]+(?P<text>.*?))?[ \t]*$")
_CHECKBOX = re.compile(r"^\[(?P<mark>[ xX])\](?:[ \t]+|$)")
_SEPARATOR_CELL = re.compile(r"^:?-+:?$")
_BOLD_LABEL = re.compile(r"^\s*(?P<stars>\*\*|__)(?P<label>[^*_].*?)(?P=stars):?\s*$")
_FRONT_MATTER_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w.-]*)\s*:(?:\s+(?P<value>.*?))?\s*$")
# Between two `---` lines, only keys, indented or list lines, comments and blanks: else the dashes were rules.
_FRONT_MATTER_SHAPE = re.compile(r"^(?:[A-Za-z_][\w.-]*\s*:.*|[ \t].*|-.*|#.*|\s*)$")
_NOT_KEY_CHARACTERS = re.compile(r"[^\w%]+")
_NESTING = 2  # an item indented 2+ columns past the one above it is its child; fewer and it is a sibling


# Names -------------------------------------------------------------------------------------------------------------


def name_key(text: str) -> str:
    """How headings and column names are compared: plain text, `&` as "and", case, spaces and punctuation ignored."""
    return _NOT_KEY_CHARACTERS.sub("", plain_text(text).casefold().replace("&", " and "))


def matches(text: str, names: Iterable[str]) -> bool:
    """Whether a heading or column name is one of the accepted `names` ("Business Goals" matches "business goals")."""
    return name_key(text) in {name_key(name) for name in names}


# Front matter ------------------------------------------------------------------------------------------------------


def _unquote(value: str) -> str:
    """A front matter value without its quotes: `"a \\"b\\""` is `a "b"`, `'it''s'` is `it's`, bare text stays."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", lambda match: {"n": "\n", "t": "\t"}.get(match[1], match[1]), value[1:-1])
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return re.sub(r"\s+#.*$", "", value)


def _block_scalar(style: str, lines: list[str]) -> str:
    """A `key: >` (folded, lines joined by spaces) or `key: |` (literal, lines kept) value."""
    stripped = [line.strip() for line in lines]
    return " ".join(line for line in stripped if line) if style.startswith(">") else "\n".join(stripped).strip()


def read_front_matter(lines: Sequence[str]) -> dict[str, str]:
    """`key: value` pairs from the lines between the `---` fences; lists, nesting and comments are skipped."""
    fields: dict[str, str] = {}
    index = 0
    while index < len(lines):
        match = _FRONT_MATTER_LINE.match(lines[index])
        index += 1
        if match is None:
            continue
        value = match["value"] or ""
        if value in (">", "|", ">-", "|-", ">+", "|+"):
            start = index
            while index < len(lines) and (not lines[index].strip() or lines[index][:1] in " \t"):
                index += 1
            fields[match["key"]] = _block_scalar(value, lines[start:index])
        else:
            fields[match["key"]] = _unquote(value)
    return fields


def split_front_matter(markdown: str) -> tuple[dict[str, str], str]:
    """The page's front matter fields and the rest of the page; `{}` and the whole page when there is none."""
    lines = normalize_newlines(markdown).split("\n")
    start = next((index for index, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].strip() != "---":
        return {}, "\n".join(lines)
    end = next((index for index in range(start + 1, len(lines)) if lines[index].strip() in ("---", "...")), None)
    if end is None or not all(_FRONT_MATTER_SHAPE.match(line) for line in lines[start + 1 : end]):
        return {}, "\n".join(lines)
    return read_front_matter(lines[start + 1 : end]), "\n".join(lines[end + 1 :])


def write_front_matter(fields: Mapping[str, str | None]) -> str:
    """A `---` block with each field as `key: "value"` (quotes escaped); fields that are None are left out."""
    lines = ["---"]
    for key, value in fields.items():
        if value is not None:
            escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            lines.append(f'{key}: "{escaped}"')
    lines.append("---")
    return "\n".join(lines)


def normalize_newlines(markdown: str) -> str:
    """The text with `\\r\\n` and `\\r` line ends as `\\n` and without a byte-order mark."""
    return markdown.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


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


def _trimmed(lines: Sequence[str]) -> str:
    """The lines joined, without the blank lines at either end."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    return "\n".join(lines[filled[0] : filled[-1] + 1]) if filled else ""


def _is_setext_title(lines: Sequence[str], index: int) -> bool:
    """Whether `lines[index - 1]` is a one-line paragraph that the underline at `index` turns into a heading."""
    if index == 0 or not lines[index - 1].strip():
        return False
    title = lines[index - 1]
    if _ATX.match(title) or _ITEM.match(title) or _FENCE.match(title) or "|" in title or title.startswith("    "):
        return False
    return index == 1 or not lines[index - 2].strip() or _ATX.match(lines[index - 2]) is not None


def _headings(lines: Sequence[str]) -> Iterator[tuple[int, int, str, int]]:
    """(first line, line after, heading text, level) for each heading, outside fenced code blocks."""
    fence: str | None = None
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if opened and (fence is None or opened["fence"].startswith(fence)):
            fence = None if fence else opened["fence"][:3]
            continue
        if fence:
            continue
        if atx := _ATX.match(line):
            yield index, index + 1, atx["text"] or "", len(atx["hashes"])
        elif (setext := _SETEXT.match(line)) and _is_setext_title(lines, index):
            yield index - 1, index + 1, lines[index - 1].strip(), 1 if setext["underline"][0] == "=" else 2


def split_sections(body: str) -> list[Section]:
    """The sections of a page body, flat, in order; text before the first heading is a level-0 section."""
    lines = normalize_newlines(body).split("\n")
    sections: list[Section] = []
    heading, level, start = "", 0, 0
    for first, after, text, text_level in _headings(lines):
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
    """A GitHub pipe table: header cells and rows of cells as markdown, every row as wide as the header."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def column(self, names: Iterable[str]) -> int | None:
        """The index of the first column whose header is one of `names` (case and spaces ignored), or None."""
        keys = {name_key(name) for name in names}
        return next((index for index, header in enumerate(self.headers) if name_key(header) in keys), None)


def split_row(line: str) -> list[str]:
    """The cells of one table line, stripped; outer pipes optional, `\\|` is a pipe inside a cell."""
    text = line.strip()
    cells, current, index, ends_with_pipe = [], [], 0, False
    while index < len(text):
        char, ends_with_pipe = text[index], False
        if char == "\\" and index + 1 < len(text):
            current.append("|" if text[index + 1] == "|" else text[index : index + 2])
            index += 2
            continue
        if char == "|":
            cells.append("".join(current).strip())
            current, ends_with_pipe = [], True
        else:
            current.append(char)
        index += 1
    if not ends_with_pipe:
        cells.append("".join(current).strip())
    return cells[1:] if text.startswith("|") else cells


def _is_separator(line: str) -> bool:
    """Whether a line is a table's `|---|:---:|` row."""
    cells = split_row(line)
    return "|" in line and "-" in line and all(_SEPARATOR_CELL.match(cell.replace(" ", "")) for cell in cells)


def _fit(cells: list[str], width: int) -> tuple[str, ...]:
    """A row cut or padded with empty cells to `width` (extra cells are dropped, as GitHub does)."""
    return tuple(cells[:width] + [""] * (width - len(cells)))


def _ends_table(line: str) -> bool:
    """Whether a line ends a table, as on GitHub: a blank line or another block (heading, fence, list, quote)."""
    return not line.strip() or bool(_ATX.match(line) or _FENCE.match(line) or _ITEM.match(line)) or line.startswith(">")


def read_tables(body: str) -> list[Table]:
    """Every pipe table in a section body, in order: a header line, a separator line, then rows up to a blank line.

    As on GitHub, a line without pipes right under a table is a one-cell row.
    """
    lines = normalize_newlines(body).split("\n")
    tables, index = [], 0
    while index < len(lines) - 1:
        if "|" not in lines[index] or not _is_separator(lines[index + 1]):
            index += 1
            continue
        headers = split_row(lines[index])
        index += 2
        rows = []
        while index < len(lines) and not _ends_table(lines[index]):
            rows.append(_fit(split_row(lines[index]), len(headers)))
            index += 1
        tables.append(Table(tuple(headers), tuple(rows)))
    return tables


def read_table(body: str) -> Table | None:
    """The first pipe table in a section body, or None when it has none."""
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
class _OpenItem:
    """A list item still being read: more lines or children may follow."""

    indent: int
    lines: list[str]
    checked: bool | None
    ordered: bool
    children: list[_OpenItem] = field(default_factory=list)

    def closed(self) -> ListItem:
        """The finished, immutable item."""
        text = " ".join(line.strip() for line in self.lines if line.strip())
        return ListItem(text, tuple(child.closed() for child in self.children), self.checked, self.ordered)


def _opened(match: re.Match[str]) -> _OpenItem:
    """A new open item for a list marker line, its checkbox read off its text."""
    text = match["text"] or ""
    checkbox = _CHECKBOX.match(text)
    checked = None if checkbox is None else checkbox["mark"] != " "
    text = text[checkbox.end() :] if checkbox else text
    return _OpenItem(len(match["indent"]), [text], checked, match["marker"][-1] in ".)")


def _ends_list(line: str) -> bool:
    """Whether a line is a block (heading, table row, fence) that a list cannot continue into."""
    return bool(_ATX.match(line) or _FENCE.match(line) or line.lstrip().startswith("|"))


class _ListReader:
    """Reads lines one by one into a forest of items, keeping the path of items still open."""

    def __init__(self) -> None:
        self.roots: list[_OpenItem] = []
        self.open: list[_OpenItem] = []
        self.after_blank = False

    def add_item(self, item: _OpenItem) -> None:
        """Place a new item under the deepest open item it is indented past, else at the top."""
        while self.open and item.indent < self.open[-1].indent + _NESTING:
            self.open.pop()
        (self.open[-1].children if self.open else self.roots).append(item)
        self.open.append(item)

    def add_text(self, line: str) -> None:
        """A continuation line joins the deepest open item it is indented past; a paragraph ends the list."""
        indent = len(line) - len(line.lstrip())
        owners = [item for item in self.open if item.indent < indent]
        if owners:
            owners[-1].lines.append(line)
        elif self.open and not self.after_blank:
            self.open[-1].lines.append(line)
        else:
            self.open = []

    def read(self, line: str) -> None:
        """Take the next line of the body."""
        if not line.strip():
            self.after_blank = True
            return
        if item := _ITEM.match(line):
            self.add_item(_opened(item))
        elif _ends_list(line):
            self.open = []
        else:
            self.add_text(line)
        self.after_blank = False


def _outside_fences(lines: Iterable[str]) -> Iterator[str]:
    """The lines that are not inside fenced code blocks (fence lines included, as block boundaries)."""
    fence: str | None = None
    for line in lines:
        opened = _FENCE.match(line)
        if opened and (fence is None or opened["fence"].startswith(fence)):
            fence = None if fence else opened["fence"][:3]
            yield line
        elif fence is None:
            yield line


def read_list(body: str) -> list[ListItem]:
    """The top-level items of every list in a section body, in order, each with its nested items."""
    reader = _ListReader()
    for line in _outside_fences(normalize_newlines(body).expandtabs(4).split("\n")):
        reader.read(line)
    return [item.closed() for item in reader.roots]


def write_list(items: Iterable[ListItem], depth: int = 0) -> str:
    """Items as a markdown list, `1.` or `-` by item, checkboxes as `[x]`/`[ ]`, children indented under the text."""
    lines = []
    for item in items:
        marker = "1." if item.ordered else "-"
        checkbox = "" if item.checked is None else ("[x] " if item.checked else "[ ] ")
        lines.append(f"{' ' * depth}{marker} {checkbox}{item.text}".rstrip())
        if item.children:
            lines.append(write_list(item.children, depth + len(marker) + 1))
    return "\n".join(lines)


# Paragraphs --------------------------------------------------------------------------------------------------------


def _paragraph_lines(body: str) -> Iterator[str | None]:
    """The lines of a body that belong to paragraphs, None at each paragraph's end (lists and tables skipped)."""
    in_list = in_table = after_blank = False
    for line in _outside_fences(normalize_newlines(body).expandtabs(4).split("\n")):
        if not line.strip():
            in_table, after_blank = False, True
            yield None
            continue
        if _ITEM.match(line) or (in_list and (line.startswith(" ") or not after_blank)):
            in_list = True
            yield None
        elif in_table or _ends_list(line) or line.lstrip().startswith("<!--"):
            in_table, in_list = in_table or "|" in line, False
            yield None
        else:
            in_list = False
            yield line.strip()
        after_blank = False


def read_paragraphs(body: str) -> list[str]:
    """The prose paragraphs of a section body, each as one line (lines joined by a space); lists and tables skipped."""
    paragraphs, current = [], []
    for line in [*_paragraph_lines(body), None]:
        if line is not None:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs


def labelled_blocks(body: str) -> list[tuple[str, str]]:
    """A body cut at lines that are only bold text (`**Weekly**`): (label as plain text, text under it) pairs.

    Text before the first label comes first with the label "" when there is any.
    """
    blocks: list[tuple[str, list[str]]] = [("", [])]
    for line in normalize_newlines(body).split("\n"):
        label = _BOLD_LABEL.match(line)
        if label:
            blocks.append((plain_text(label["label"]).rstrip(":").strip(), []))
        else:
            blocks[-1][1].append(line)
    return [(label, _trimmed(lines)) for label, lines in blocks if label or _trimmed(lines)]


# Whole pages -------------------------------------------------------------------------------------------------------


def write_section(heading: str, level: int, body: str) -> str:
    """A heading (`##` for level 2) and its body; a level-0 section is its body alone."""
    if level == 0:
        return body
    return f"{'#' * level} {heading}\n\n{body}".rstrip()


def join_blocks(blocks: Iterable[str]) -> str:
    """Blocks (front matter, sections) as one page: a blank line between them, one new line at the end."""
    return "\n\n".join(block.strip("\n") for block in blocks if block.strip()) + "\n"
