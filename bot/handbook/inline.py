"""The text inside a table cell or a list item: links set aside, HTML and emphasis dropped, entities and mojibake fixed.

Readers turn handbook markdown into plain text plus the links it held; writers turn plain text back into markdown
that reads as the same text (`escape_inline`, `link_markdown`), so an export always imports to the same values.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Text set aside while the rest of a cell is cleaned (escapes, code, link text), so no later step rewrites it.
_HOLD_OPEN, _HOLD_CLOSE = "\ue000", "\ue001"
_HELD = re.compile(f"{_HOLD_OPEN}(\\d+){_HOLD_CLOSE}")

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_CODE = re.compile(r"(`+)(?P<code>.+?)\1", re.DOTALL)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_LINK = re.compile(
    r"<a\s[^>]*?href\s*=\s*(?P<quote>[\"']?)(?P<a_url>[^\"'\s>]*)(?P=quote)[^>]*>(?P<a_text>.*?)</a\s*>"
    r"|(?P<image>!)?\[(?P<md_text>(?:\\.|[^\[\]\\]|\[[^\[\]]*\])*)\]"
    r"\((?:<(?P<md_angle_url>[^<>]*)>|(?P<md_url>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*))(?:\s+\"[^\"]*\")?\s*\)"
    r"|<(?P<auto_url>https?://[^\s<>]+)>"
    r"|(?P<bare_url>https?://[^\s<>\[\]()|\"']+)",
    re.IGNORECASE | re.DOTALL,
)
_URL_TRAILING_PUNCTUATION = ".,;:!?"
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_EMPHASIS = (
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"),
    re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"),
    re.compile(r"(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"),
)
_SPACES = re.compile(r"[ \t\u00a0]+")
# UTF-8 read as Windows-1252 ("â€”" for "—"): a lead byte and its continuation bytes, each shown as one character.
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_CONTINUATION = f"[\u00a0-\u00bf{_CP1252_HIGH}]"
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df]{_CONTINUATION}|[\u00e0-\u00ef]{_CONTINUATION}{{2}}|[\u00f0-\u00f4]{_CONTINUATION}{{3}}"
)
_SPECIAL = "\\`*_[]<>&~"


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in a cell: its text as plain text, and where it points, as written."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Inline:
    """A cell or item read as plain text (`<br>` as a new line) with the links it held, in order."""

    text: str
    links: tuple[Link, ...] = ()

    @property
    def url(self) -> str | None:
        """The first link's URL, or None when the text held no link."""
        return self.links[0].url if self.links else None


class _Reading:
    """One read of inline markdown: the text set aside so far and the links found, shared by nested link texts."""

    def __init__(self) -> None:
        self.held: list[str] = []
        self.links: list[Link] = []

    def hold(self, text: str) -> str:
        """A placeholder for `text`, which no later cleaning step will touch."""
        self.held.append(text)
        return f"{_HOLD_OPEN}{len(self.held) - 1}{_HOLD_CLOSE}"

    def restore(self, text: str) -> str:
        """`text` with every placeholder replaced by what it held (held text may hold placeholders too)."""
        while _HELD.search(text):
            text = _HELD.sub(lambda match: self.held[int(match[1])], text)
        return text

    def clean(self, markdown: str) -> str:
        """Plain text for `markdown`, with placeholders still in it."""
        text = _ESCAPED.sub(lambda match: self.hold(match[1]), markdown)
        text = _CODE.sub(lambda match: self.hold(match["code"].strip()), text)
        text = _BR.sub("\n", text)
        text = _LINK.sub(self._link, text)
        text = _TAG.sub("", text)
        for pattern in _EMPHASIS:
            text = pattern.sub(r"\1", text)
        return repair_mojibake(html.unescape(text))

    def _link(self, match: re.Match[str]) -> str:
        """The placeholder for one link's text; the link itself is recorded."""
        if match["bare_url"] is not None:
            url = match["bare_url"].rstrip(_URL_TRAILING_PUNCTUATION)
            trailing = match["bare_url"][len(url) :]
            self.links.append(Link(url, url))
            return self.hold(url) + trailing
        url = match["a_url"] or match["md_angle_url"] or match["md_url"] or match["auto_url"] or ""
        label = match["a_text"] if match["a_text"] is not None else match["md_text"]
        index = len(self.links)
        self.links.append(Link("", ""))
        text = self.clean(label) if label is not None else url
        self.links[index] = Link(_tidy(self.restore(text)), html.unescape(self.restore(url)))
        return "" if match["image"] and not text else self.hold(text)


def _tidy(text: str) -> str:
    """Whitespace collapsed inside each line, blank lines and the spaces around lines dropped."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def read_inline(markdown: str) -> Inline:
    """Plain text and links for a cell or an item: `[t](u)`, `<a href>`, bare URLs; tags, emphasis, entities gone."""
    reading = _Reading()
    text = _tidy(reading.restore(reading.clean(markdown)))
    return Inline(text, tuple(reading.links))


def plain_text(markdown: str) -> str:
    """The plain text of inline markdown (link text kept, URLs dropped)."""
    return read_inline(markdown).text


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was read as Windows-1252 (`â€”` becomes `—`); text that isn't such a run is left alone."""

    def repaired(match: re.Match[str]) -> str:
        try:
            return match[0].encode("cp1252").decode("utf-8")
        except UnicodeError:
            return match[0]

    return _MOJIBAKE.sub(repaired, text)


def escape_inline(text: str, must_escape: str = "") -> str:
    """Markdown that reads back as the plain `text`: unchanged when it already does, else backslash-escaped."""
    if plain_text(text) == text and not any(char in text for char in must_escape):
        return text
    return "".join(f"\\{char}" if char in _SPECIAL else char for char in text)


def link_markdown(text: str, url: str) -> str:
    """A markdown link `[text](url)` that reads back as `text` and `url`; `<url>` when the URL has spaces or parens."""
    destination = f"<{url}>" if re.search(r"[\s()<>]", url) else url
    return f"[{escape_inline(text, must_escape='[]')}]({destination})"
