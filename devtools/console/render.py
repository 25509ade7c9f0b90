"""The console's view of Slack: Block Kit messages and modals as plain terminal text."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import clock

EMOJI = {
    "alarm_clock": "⏰",
    "arrow_forward": "▶️",
    "double_vertical_bar": "⏸️",
    "fast_forward": "⏩",
    "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳",
    "information_source": "ℹ️",
    "leftwards_arrow_with_hook": "↩️",
    "red_circle": "🔴",
    "spiral_calendar_pad": "🗓️",
    "wastebasket": "🗑️",
    "warning": "⚠️",
    "white_check_mark": "✅",
    "x": "❌",
    "zzz": "💤",
}
SELECTS = {
    "users_select": "a person",
    "multi_users_select": "people",
    "conversations_select": "a channel",
    "channels_select": "a channel",
    "multi_conversations_select": "channels",
    "static_select": "choose",
}
_DATE = re.compile(r"<!date\^(?P<stamp>-?\d+)\^(?P<format>[^|>^]*)(?:\^[^|>]*)?(?:\|(?P<fallback>[^>]*))?>")
_DATE_TOKEN = re.compile(r"\{(\w+)\}")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_MENTION = re.compile(r"<([@#!])([^|>]+)(?:\|([^>]*))?>")
_SHORTCODE = re.compile(r":([a-z0-9_+-]+):")


class Reader(dict[str, str]):
    """Ids to names (for mentions), and the zone of the person reading: Slack shows each `<!date^…>` in its
    reader's own zone, and so does the console."""

    def __init__(self, names: Mapping[str, str], *, timezone: str) -> None:
        super().__init__(names)
        self.timezone = timezone


def slack_date_text(stamp: int, fmt: str, timezone: str) -> str:
    """A `<!date^stamp^fmt>` as its reader sees it, in their zone: `{date_short_pretty} at {time}` →
    `Mon 7 Dec at 09:30` (`today`, `tomorrow`, `yesterday` for the pretty forms; the year when it isn't this one)."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = datetime.fromtimestamp(stamp, UTC).astimezone(zone)
    today = clock.now().astimezone(zone).date()

    def piece(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "date_num":
            return local.date().isoformat()
        if name in ("time", "time_secs"):
            return local.strftime("%H:%M:%S" if name == "time_secs" else "%H:%M")
        if not name.startswith("date"):
            return match.group(0)
        if name.endswith("_pretty"):
            near = {today: "today", today + timedelta(days=1): "tomorrow", today - timedelta(days=1): "yesterday"}
            if local.date() in near:
                return near[local.date()]
        year = "" if local.year == today.year else f" {local.year}"
        return f"{local:%a} {local.day} {local:%b}{year}"

    return _DATE_TOKEN.sub(piece, fmt)


def _date(match: re.Match[str], names: Mapping[str, str]) -> str:
    """A date token: in the reader's zone when the console knows who reads, else its fallback text."""
    timezone = getattr(names, "timezone", None)
    if timezone and match["format"]:
        return slack_date_text(int(match["stamp"]), match["format"], timezone)
    return match["fallback"] or "(a date)"


def terminal_text(mrkdwn: str, names: Mapping[str, str] | None = None) -> str:
    """Slack mrkdwn as a terminal shows it: dates in the reader's zone (`names` a Reader) or as their fallback,
    mentions by name, links, emoji, entities."""
    names = {} if names is None else names
    text = _DATE.sub(lambda m: _date(m, names), mrkdwn)
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    text = _MENTION.sub(lambda m: _mention(m, names), text)
    text = _SHORTCODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _mention(match: re.Match[str], names: Mapping[str, str]) -> str:
    sigil, target, label = match.groups()
    if sigil == "!":  # <!here>, <!channel>, <!subteam^S1|@team>
        return label or "@" + target.split("^")[0]
    return sigil + (names.get(target) or label or target)


def text_of(obj: Any, names: Mapping[str, str] | None) -> str:
    """A text object (or a bare string) as terminal text."""
    if isinstance(obj, dict):
        return terminal_text(str(obj.get("text", "")), names)
    return terminal_text(str(obj or ""), names)


def _control(element: Mapping[str, Any], names: Mapping[str, str] | None) -> str:
    """An interactive element as a bracketed word: [Done], [channel ▾], [09:00]."""
    kind = element.get("type", "")
    if kind == "button":
        return f"[{text_of(element.get('text'), names)}]"
    if kind in ("checkboxes", "radio_buttons"):
        return " ".join(f"[ ] {text_of(o.get('text'), names)}" for o in element.get("options", []))
    if kind == "timepicker":
        return f"[{element.get('initial_time', 'HH:MM')}]"
    if kind == "datepicker":
        return f"[{element.get('initial_date', 'YYYY-MM-DD')}]"
    placeholder = text_of(element.get("placeholder"), names)
    if kind in ("plain_text_input", "url_text_input", "email_text_input"):
        return f"[{element.get('initial_value') or ('e.g. ' + placeholder if placeholder else '…')}]"
    initial = element.get("initial_conversation") or element.get("initial_channel") or element.get("initial_user")
    shown = (names or {}).get(initial, initial) if initial else None
    return f"[{shown or placeholder or SELECTS.get(kind, kind.replace('_', ' '))} ▾]"


def _section(block: Mapping[str, Any], names: Mapping[str, str] | None) -> list[str]:
    lines = text_of(block.get("text"), names).splitlines() if block.get("text") else []
    lines += ["  " + text_of(f, names) for f in block.get("fields", [])]
    if block.get("accessory"):
        button = _control(block["accessory"], names)
        lines = [*lines[:-1], f"{lines[-1]}  {button}"] if lines else [button]
    return lines


def _context(block: Mapping[str, Any], names: Mapping[str, str] | None) -> list[str]:
    parts = [text_of(e.get("text", e.get("alt_text")), names) for e in block.get("elements", [])]
    return ["  " + " · ".join(parts)]


def _input(block: Mapping[str, Any], names: Mapping[str, str] | None) -> list[str]:
    optional = " (optional)" if block.get("optional") else ""
    lines = [f"{text_of(block.get('label'), names)}{optional}: {_control(block.get('element') or {}, names)}"]
    return lines + ([f"  {text_of(block['hint'], names)}"] if block.get("hint") else [])


BLOCKS: dict[str, Callable[[Mapping[str, Any], Mapping[str, str] | None], list[str]]] = {
    "section": _section,
    "input": _input,
    "header": lambda b, names: [f"== {text_of(b.get('text'), names)} =="],
    "context": _context,
    "actions": lambda b, names: [" ".join(_control(e, names) for e in b.get("elements", []))],
    "divider": lambda b, names: ["─" * 40],
    "image": lambda b, names: [f"[image: {b.get('alt_text', '')}]"],
}


def render_block(block: Mapping[str, Any], names: Mapping[str, str] | None = None) -> list[str]:
    """One Block Kit block as lines of text; an unknown kind shows as `(kind block)`."""
    render = BLOCKS.get(block.get("type", ""))
    return render(block, names) if render else [f"({block.get('type')} block)"]


def render_message(message: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """A message, ack or response_url body as text: its blocks when it has any, else its `text` fallback."""
    lines = [line for block in message.get("blocks") or [] for line in render_block(block, names)]
    return "\n".join(lines) if lines else terminal_text(str(message.get("text", "")), names)


def render_view(view: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """A modal as text: its title and buttons, then each block indented (inputs as `Label: [control]`)."""
    buttons = " ".join(f"[{text_of(view[key], names)}]" for key in ("close", "submit") if view.get(key))
    head = f'modal "{text_of(view.get("title"), names)}"  {buttons}'.rstrip()
    return "\n".join([head, *("  " + line for block in view.get("blocks", []) for line in render_block(block, names))])


def indent(head: str, body: str) -> str:
    """`body` after `head`, its later lines lined up under its first."""
    pad = "\n" + " " * len(head)
    return head + pad.join(body.splitlines() or [""])
