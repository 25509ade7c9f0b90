"""Small Block Kit pieces every surface shares, built as plain dicts.

Messages are built here as dicts rather than `slack_sdk.models` objects because `to_dict()` validation
costs more than the rest of a slash command put together (see bench/slash_roundtrip.py). The limits it
would check are applied here by clipping, and the test suite's Slack stand-in parses every payload the
app sends with `slack_sdk.models` and fails the test on anything Slack would reject. Modals, which are
rare, still use `slack_sdk.models.views.View` directly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.text import clip

Block = dict[str, Any]
Message = dict[str, Any]

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
CONTEXT_ELEMENTS_LIMIT = 10
MESSAGE_BLOCKS_LIMIT = 50


def mrkdwn(text: str, limit: int = SECTION_LIMIT) -> dict[str, str]:
    """A mrkdwn text object (callers escape user text first)."""
    return {"type": "mrkdwn", "text": clip(text, limit)}


def plain(text: str, limit: int) -> dict[str, Any]:
    """A plain_text object; emoji codes render."""
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def header(text: str) -> Block:
    """A header block; plain text, clipped to Slack's 150 characters."""
    return {"type": "header", "text": plain(text, HEADER_LIMIT)}


def section(text: str, *, accessory: dict[str, Any] | None = None, block_id: str | None = None) -> Block:
    """A mrkdwn section, clipped to Slack's 3000 characters, with an optional button beside it."""
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory is not None:
        block["accessory"] = accessory
    if block_id is not None:
        block["block_id"] = block_id
    return block


def context(*parts: str) -> Block:
    """A context line of small grey text (at most 10 parts)."""
    return {"type": "context", "elements": [mrkdwn(part) for part in parts[:CONTEXT_ELEMENTS_LIMIT]]}


def divider() -> Block:
    """A horizontal rule."""
    return {"type": "divider"}


def button(label: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    """A button whose value is a row id and nothing more: state lives in the database."""
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(label, BUTTON_TEXT_LIMIT),
        "action_id": action_id,
        "value": value[:BUTTON_VALUE_LIMIT],
    }
    if style is not None:
        element["style"] = style
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    """A row of buttons."""
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def message(text: str, blocks: list[Block], **extra: Any) -> Message:
    """A message payload: the plain-text fallback plus at most 50 blocks."""
    return {"text": clip(text, SECTION_LIMIT), "blocks": blocks[:MESSAGE_BLOCKS_LIMIT], **extra}


def ephemeral(text: str, blocks: list[Block] | None = None) -> Message:
    """A reply only the user sees."""
    return message(text, blocks or [section(text)], response_type="ephemeral")


def progress_bar(fraction: float, width: int = 10) -> str:
    """A text progress bar, e.g. ▰▰▰▱▱▱▱▱▱▱ 30%."""
    fraction = max(0.0, min(1.0, fraction))
    filled = round(fraction * width)
    return "▰" * filled + "▱" * (width - filled) + f" {round(fraction * 100)}%"


def slack_date(moment: datetime, fmt: str = "{date_short_pretty} at {time}") -> str:
    """A date Slack shows in each reader's own time zone, with a UTC fallback for old clients."""
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{fmt}|{fallback}>"
