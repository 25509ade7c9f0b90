"""User text on its way into Slack mrkdwn: escaped so it cannot mention, link or format."""

from __future__ import annotations

import re
from typing import Any

SECTION_TEXT_LIMIT = 3000
PLAIN_TEXT_LIMIT = 150


def without_nul(value: Any) -> Any:
    """`value` (text, or dicts and lists of it) with NUL bytes taken out of every text: PostgreSQL refuses them in
    text columns and SQLite keeps them, so they are dropped on the way in and both databases see the same text."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(without_nul(v) for v in value)
    return value


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control characters in mrkdwn.

    After this, `<!channel>`, `<@U123>` and `<http://x|y>` show as plain text, never as
    live mentions or links. `@here` typed as plain text is never expanded because we
    never set `link_names`.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Undo Slack's escaping of `&`, `<` and `>` in text users typed (slash command text arrives escaped)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# What Slack makes of what a person typed: `@bob` arrives as <@U123|bob>, `#team` as <#C123|team>, `@here` as
# <!here>, a user group as <!subteam^S123|@team>, a link as <https://x.example|x.example>. A `<` the person typed
# arrives as &lt;, so a bare `<` is always Slack's.
_SLACK_ESCAPE = re.compile(
    r"<(?:(?P<sigil>@|#)(?P<id>[UWCG][A-Z0-9_]+)|!(?P<special>[a-z]+(?:\^[^<>|]*)?)|(?P<url>(?:https?|mailto):[^<>|]+))"
    r"(?:\|(?P<label>[^<>]*))?>"
)


def as_typed(text: str) -> str:
    """Command text with Slack's escapes turned back into what the person typed: `<@U123|bob>` → `@bob`,
    `<#C123|team>` → `#team`, `<!here>` → `@here`, `<https://x.example|x.example>` → `x.example`.

    Entities (`&lt;`) are left as they are: `unescape` undoes those.
    """

    def typed(match: re.Match[str]) -> str:
        label = match["label"]
        if match["sigil"]:
            return match["sigil"] + (label or match["id"])
        if match["special"] is not None:
            special = match["special"]
            if special.startswith("date^"):
                return label or special
            return label if label and label.startswith("@") else "@" + (label or special.split("^")[0])
        return label or match["url"].removeprefix("mailto:")

    return _SLACK_ESCAPE.sub(typed, text)


def clip(text: str, limit: int = SECTION_TEXT_LIMIT) -> str:
    """Shorten text to at most `limit` characters, ending with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def quoted(text: str, limit: int = 80) -> str:
    """User input shown back in an error as the person typed it (`@bob`, not Slack's `<@U123|bob>`): escaped once
    (whether or not Slack escaped it), clipped, quoted."""
    shown = clip(unescape(as_typed(text)).replace("`", "'"), limit)
    return f"`{escape(shown)}`"
