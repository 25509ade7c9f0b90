"""User text on its way into Slack mrkdwn: escaped so it cannot mention, link or format."""

from __future__ import annotations

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


def clip(text: str, limit: int = SECTION_TEXT_LIMIT) -> str:
    """Shorten text to at most `limit` characters, ending with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def quoted(text: str, limit: int = 80) -> str:
    """User input shown back in an error: escaped once (whether or not Slack escaped it), clipped, quoted."""
    shown = clip(unescape(text).replace("`", "'"), limit)
    return f"`{escape(shown)}`"
