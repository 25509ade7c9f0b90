"""Small Block Kit pieces every surface shares, built as plain dicts.

Messages are built here as dicts rather than `slack_sdk.models` objects because `to_dict()` validation
costs more than the rest of a slash command put together (see bench/slash_roundtrip.py). The limits it
would check are applied here by clipping, and the test suite's Slack stand-in parses every payload the
app sends with `slack_sdk.models` and fails the test on anything Slack would reject. Modals, which are
rare, still use `slack_sdk.models.views.View` directly, as do the page inputs the import modals share.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.blocks.block_elements import FileInputElement  # not re-exported by slack_sdk.models.blocks

from bot.errors import UserError
from bot.text import clip, escape

Block = dict[str, Any]
Message = dict[str, Any]

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
CONTEXT_ELEMENTS_LIMIT = 10
MESSAGE_BLOCKS_LIMIT = 50
PAGE_INPUT_LIMIT = 3000  # Slack's plain_text_input max_length; real handbook pages are longer, hence two inputs
PAGE_FILE_TYPES = ["md", "markdown", "txt"]

USER_ID = re.compile(r"[UW][A-Z0-9_]+")
WEB_URL = re.compile(r"https?://\S+", re.IGNORECASE)


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


def reader_time(moment: datetime, timezone: str | None) -> str:
    """A moment as its reader reads it in their own zone, e.g. `Mon 7 Dec 09:30`; with no zone (or one Python
    doesn't know), in UTC, saying so: `Mon 7 Dec 08:30 UTC`."""
    try:
        zone = ZoneInfo(timezone) if timezone else None
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    local = moment.astimezone(zone or ZoneInfo("UTC"))
    return f"{local:%a} {local.day} {local:%b %H:%M}" + ("" if zone else " UTC")


def slack_date(moment: datetime, fmt: str = "{date_short_pretty} at {time}", *, timezone: str | None = None) -> str:
    """A date Slack shows in each reader's own time zone. Its fallback (old clients, notifications, the console)
    is in `timezone`, the reader's zone from users.info, when the caller knows it (`Mon 7 Dec 09:30`), else UTC."""
    fallback = reader_time(moment, timezone) if timezone else moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{fmt}|{fallback}>"


def packed_sections(lines: Sequence[str], *, max_sections: int, more: str = "", separator: str = "\n") -> list[Block]:
    """Lines packed into as few sections as fit Slack's 3000 characters, ending with `…and N more` if cut; a
    `separator` other than a new line runs short items on (`CRO · CMO · VP Eng`).

    Callers escape user text first. Working groups and OKRs share it.
    """
    chunks: list[list[str]] = [[]]
    size = 0
    room = SECTION_LIMIT - 120  # space kept for the "…and N more" line
    for index, line in enumerate(lines):
        line = clip(line, room)
        if chunks[-1] and size + len(line) + len(separator) > room:
            if len(chunks) >= max_sections:
                chunks[-1].append(f"_…and {len(lines) - index} more.{' ' + more if more else ''}_")
                break
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += len(line) + len(separator)
    return [section(separator.join(chunk)) for chunk in chunks if chunk]


def view_input(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    """The submitted state of a modal input whose block_id and action_id are both `block_id` ({} when absent)."""
    return element_state(view.get("state", {}).get("values", {}).get(block_id, {}).get(block_id, {}))


def _is_option(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("value"), str)


def _is_texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


_SLACK_SHAPES = {
    **dict.fromkeys(
        ("type", "value", "selected_date", "selected_time", "selected_user", "selected_conversation",
         "selected_channel"),
        lambda value: isinstance(value, str),
    ),
    **dict.fromkeys(("selected_users", "selected_conversations", "selected_channels"), _is_texts),
    "selected_option": _is_option,
    "selected_options": lambda value: isinstance(value, list) and all(_is_option(item) for item in value),
    "files": lambda value: isinstance(value, list)
    and all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in value),
}  # fmt: skip


def element_state(state: object) -> dict[str, Any]:
    """One input's submitted state, each field in the shape Slack sends it; a field of another shape (only a
    hand-made payload has one) is left out, so the form reads it as not filled in rather than crashing on it."""
    if not isinstance(state, dict):
        return {}
    return {key: value for key, value in state.items() if _SLACK_SHAPES.get(key, lambda _: True)(value)}


def mention(user_id: str | None, name: str | None = None, *, nobody: str = "no owner") -> str:
    """A person: a mention built from a stored Slack id, else the escaped plain name, else `nobody`."""
    if user_id and USER_ID.fullmatch(user_id):
        return f"<@{user_id}>"
    if name or user_id:
        return escape(name or user_id or "")
    return nobody


def link(url: str, label: str) -> str:
    """`<url|label>` for an http(s) URL; any other text is shown escaped and not made a link."""
    url = url.strip()
    if not WEB_URL.fullmatch(url):
        return escape(url)
    return f"<{escape(url).replace('|', '%7C')}|{escape(label)}>"


# ---- a handbook page pasted or attached, for the import modals ----------------------------------------------------


def page_inputs(*, page: str, more: str, file: str, placeholder: str | None = None) -> list[InputBlock]:
    """The page pasted in two parts (3000 characters each) or attached as a file; each id is block and action id."""
    return [
        InputBlock(
            block_id=page,
            label="Page",
            optional=True,
            element=PlainTextInputElement(
                action_id=page, multiline=True, max_length=PAGE_INPUT_LIMIT, placeholder=placeholder
            ),
        ),
        InputBlock(
            block_id=more,
            label="Page, continued",
            optional=True,
            element=PlainTextInputElement(action_id=more, multiline=True, max_length=PAGE_INPUT_LIMIT),
        ),
        InputBlock(
            block_id=file,
            label="Or attach the page",
            optional=True,
            hint="A .md, .markdown or .txt file.",
            element=FileInputElement(action_id=file, filetypes=PAGE_FILE_TYPES, max_files=1),
        ),
    ]


def read_page_inputs(view: dict[str, Any], *, page: str, more: str, file: str) -> tuple[str, list[str]]:
    """The pasted page (both parts joined by a line break) and the ids of attached files, from `page_inputs`.

    Raises UserError, under the first paste box, when nothing was given, or under the file when both were.
    """
    # Keep the text as typed (no strip inside): markdown indentation carries the nesting.
    parts = [view_input(view, block).get("value") or "" for block in (page, more)]
    text = "\n".join(part.rstrip("\n") for part in parts if part.strip())
    files = [f["id"] for f in view_input(view, file).get("files") or [] if f.get("id")]
    if not text and not files:
        raise UserError("Paste the page, or attach it as a file.", field=page)
    if text and files:
        raise UserError("Paste the page or attach it, not both: I can't tell which one to import.", field=file)
    return text, files


def day(value: date, today: date | None = None) -> str:
    """A calendar day, `Mon 30 Nov`, with the year when it is not today's year (or when no today is given)."""
    if today is not None and value.year == today.year:
        return f"{value:%a} {value.day} {value:%b}"
    return f"{value:%a} {value.day} {value:%b %Y}"


def counted(number: int, noun: str) -> str:
    """`1 item`, `3 items`: a count with its noun, plural when it is not one."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def more_note(total: int, shown: int, hint: str = "") -> list[Block]:
    """A closing `…and N more.` line (with a hint of where the rest are) when a list was cut; nothing otherwise."""
    return [context(f"…and {total - shown} more. {hint}".strip())] if total > shown else []
