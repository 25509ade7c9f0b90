"""Small Block Kit pieces every surface shares."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.text import clip

Message = dict[str, Any]


def header(text: str) -> HeaderBlock:
    """A header block; plain text, clipped to Slack's 150 characters."""
    return HeaderBlock(text=clip(text, 150))


def section(mrkdwn: str, *, accessory: ButtonElement | None = None, block_id: str | None = None) -> SectionBlock:
    """A mrkdwn section, clipped to Slack's 3000 characters (callers escape user text first)."""
    return SectionBlock(text=MarkdownTextObject(text=clip(mrkdwn)), accessory=accessory, block_id=block_id)


def context(*mrkdwn: str) -> ContextBlock:
    """A context line of small grey text."""
    return ContextBlock(elements=[MarkdownTextObject(text=clip(part, 3000)) for part in mrkdwn[:10]])


def divider() -> DividerBlock:
    """A horizontal rule."""
    return DividerBlock()


def button(label: str, action_id: str, value: str, *, style: str | None = None) -> ButtonElement:
    """A button whose value is a row id and nothing more: state lives in the database."""
    return ButtonElement(text=clip(label, 75), action_id=action_id, value=value, style=style)


def message(text: str, blocks: list[Block], **extra: Any) -> Message:
    """A message payload: the plain-text fallback plus blocks as dicts (to_dict checks Slack's limits)."""
    return {"text": clip(text, 3000), "blocks": [block.to_dict() for block in blocks], **extra}


def ephemeral(text: str, blocks: list[Block] | None = None) -> Message:
    """A reply only the user sees."""
    payload = message(text, blocks or [section(text)])
    payload["response_type"] = "ephemeral"
    return payload


def progress_bar(fraction: float, width: int = 10) -> str:
    """A text progress bar, e.g. ▰▰▰▱▱▱▱▱▱▱ 30%."""
    fraction = max(0.0, min(1.0, fraction))
    filled = round(fraction * width)
    return "▰" * filled + "▱" * (width - filled) + f" {round(fraction * 100)}%"


def slack_date(moment: Any, fmt: str = "{date_short_pretty} at {time}") -> str:
    """A date Slack shows in each reader's own time zone, with a UTC fallback for old clients."""
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{fmt}|{fallback}>"
