"""Handbook markdown shown in Slack: the one converter from a page's inline markdown to Slack mrkdwn.

Pages (and what people type) are stored as markdown, so an export gives the page back; whatever Slack shows goes
through `page_mrkdwn` on its way. Links become `<url|text>` (a handbook-relative `/handbook/…` made absolute),
`**bold**` becomes `*bold*`, `*italics*` `_italics_`, `~~struck~~` `~struck~`; inline code stays code; HTML tags are
dropped as the shared inline reader (bot/handbook/inline.py) drops them, with its own patterns, so a page reads the
same in Slack as it imports. Everything else is text and is escaped, so nobody can smuggle a mention (`<!channel>`,
`<@U1>`) or a link (`<javascript:…|x>`) in: only http(s) links are made links, and only by this function.
"""

from __future__ import annotations

import html
import re

from bot.blocks.common import WEB_URL, link
from bot.config import handbook_url
from bot.handbook.inline import (
    _BR,
    _CODE,
    _ESCAPED,
    _LINK,
    _TAG,
    _URL_TRAILING_PUNCTUATION,
    plain_text,
    repair_mojibake,
)
from bot.text import clip, escape

# Private-use characters: held text (links, code, escapes) and emphasis marks, set aside so no later step rewrites
# them; the input is stripped of them first, so nobody can forge one.
# (Not the inline reader's own: link texts go through it, placeholders and all.)
_HOLD_OPEN, _HOLD_CLOSE = "\ue010", "\ue011"
_BOLD, _ITALIC, _STRIKE = "\ue012", "\ue013", "\ue014"
_PRIVATE = re.compile("[\ue000-\ue001\ue010-\ue014]")
_HELD = re.compile(f"{_HOLD_OPEN}(\\d+){_HOLD_CLOSE}")
_MARKS = {_BOLD: "*", _ITALIC: "_", _STRIKE: "~"}

# (pattern, mark): strong before emphasis, so `**x**` is not read as two `*`; the patterns are the inline reader's.
_EMPHASIS = (
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), _BOLD),
    (re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"), _BOLD),
    (re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"), _ITALIC),
    (re.compile(r"(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"), _ITALIC),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), _STRIKE),
)


class _Conversion:
    """One conversion: the pieces of finished mrkdwn set aside so far."""

    def __init__(self, handbook_url: str) -> None:
        self.handbook_url = handbook_url.rstrip("/")
        self.held: list[str] = []

    def hold(self, mrkdwn: str) -> str:
        """A placeholder for finished mrkdwn, which no later step touches."""
        self.held.append(mrkdwn)
        return f"{_HOLD_OPEN}{len(self.held) - 1}{_HOLD_CLOSE}"

    def restore(self, text: str) -> str:
        """`text` with each placeholder replaced by what it held (a link's text may hold code or an escape)."""
        while _HELD.search(text):
            text = _HELD.sub(lambda match: self.held[int(match[1])], text)
        return text

    def convert(self, markdown: str) -> str:
        """Slack mrkdwn for inline markdown."""
        text = _PRIVATE.sub("", markdown)
        text = _ESCAPED.sub(lambda match: self.hold(escape(match[1])), text)
        text = _CODE.sub(lambda match: self.hold(f"`{escape(match['code'])}`"), text)
        text = _BR.sub("\n", text)
        text = _LINK.sub(self._link, text)
        text = _TAG.sub("", text)
        for pattern, mark in _EMPHASIS:
            text = pattern.sub(lambda match, mark=mark: f"{mark}{match[1]}{mark}", text)
        text = escape(repair_mojibake(html.unescape(text)))
        for mark, slack in _MARKS.items():
            text = text.replace(mark, slack)
        return self.restore(text)

    def _link(self, match: re.Match[str]) -> str:
        """One link as `<url|text>` when it points at the web (or the handbook); else its text alone."""
        if match["bare_url"] is not None:
            url = match["bare_url"].rstrip(_URL_TRAILING_PUNCTUATION)
            return self.hold(link(url, url)) + escape(match["bare_url"][len(url) :])
        url = html.unescape(match["a_url"] or match["md_angle_url"] or match["md_url"] or match["auto_url"] or "")
        label = match["a_text"] if match["a_text"] is not None else match["md_text"]
        text = " ".join(plain_text(label).split()) if label is not None else url
        target = self.absolute(url.strip())
        if target is None:
            return self.hold(escape(text)) if text else ""
        return self.hold(link(target, text or target))

    def absolute(self, url: str) -> str | None:
        """The web address a link points at: http(s) as written, `/handbook/…` under the handbook; None otherwise
        (`javascript:`, `mailto:`, `../page`, `#anchor`: shown as text)."""
        if url.startswith("/") and not url.startswith("//"):
            url = self.handbook_url + url
        return url if WEB_URL.fullmatch(url) else None


def page_mrkdwn(markdown: str, *, handbook_url: str) -> str:
    """Slack mrkdwn for a page's inline markdown (or a person's text): links `<url|text>`, `*bold*`, `_italics_`,
    `~struck~`, code kept, tags dropped, every other character escaped; raises nothing."""
    return _Conversion(handbook_url).convert(markdown)


def page_text(markdown: str, limit: int | None = None) -> str:
    """A page's (or a person's) markdown as Slack mrkdwn, clipped first so no link is cut in half; user text in it
    is escaped."""
    return page_mrkdwn(clip(markdown, limit) if limit else markdown, handbook_url=handbook_url())
