"""Forms in the console: a modal's inputs filled in as typed text, and submitted in the shape Slack sends
(`view.state.values`), the view's initial values kept where nothing was typed."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from devtools.console.render import render_block, render_view, text_of

PLAIN_TEXT_LIMIT = 3000  # Slack's plain_text_input max_length when the view sets none
TEXT_KINDS = ("plain_text_input", "url_text_input", "email_text_input")
# Where view.state.values keeps each element's answer, and where the view keeps what it opens with.
STATE_KEYS = {
    "plain_text_input": "value",
    "url_text_input": "value",
    "email_text_input": "value",
    "number_input": "value",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "users_select": "selected_user",
    "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation",
    "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel",
    "multi_channels_select": "selected_channels",
    "static_select": "selected_option",
    "radio_buttons": "selected_option",
    "multi_static_select": "selected_options",
    "checkboxes": "selected_options",
    "file_input": "files",
}
INITIAL_KEYS = {
    "plain_text_input": "initial_value",
    "url_text_input": "initial_value",
    "email_text_input": "initial_value",
    "number_input": "initial_value",
    "datepicker": "initial_date",
    "timepicker": "initial_time",
    "users_select": "initial_user",
    "multi_users_select": "initial_users",
    "conversations_select": "initial_conversation",
    "multi_conversations_select": "initial_conversations",
    "channels_select": "initial_channel",
    "multi_channels_select": "initial_channels",
    "static_select": "initial_option",
    "radio_buttons": "initial_option",
    "multi_static_select": "initial_options",
    "checkboxes": "initial_options",
}
MANY_KEYS = ("selected_users", "selected_conversations", "selected_channels", "selected_options", "files")
FORM_HINT = "  (fill it in: `fill <field> = <value>` or `fill <field> from <file>`, then `submit`; `form` · `cancel`)"
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_CLOCK = re.compile(r"(\d{1,2}):(\d\d)")
FILL_LINE = re.compile(r"(?P<field>.+?)\s*(?:=(?P<value>.*)|\s+from\s+(?P<path>.+))", re.DOTALL)


class FillRefused(ValueError):
    """A value the form's input can't take, or a field it doesn't have; the text says how to write it instead."""


class TooLong(FillRefused):
    """Text over the input's max_length: Slack refuses it, and a file input may take the text instead."""


@dataclass(frozen=True, slots=True)
class FormInput:
    """One input block of a modal, numbered as `form` lists it."""

    number: int
    block_id: str
    label: str
    optional: bool
    element: dict[str, Any]

    @property
    def kind(self) -> str:
        """The element type, e.g. `plain_text_input`."""
        return str(self.element.get("type", ""))

    @property
    def action_id(self) -> str:
        """The key of its answer inside the block's state."""
        return str(self.element.get("action_id", ""))


@dataclass(slots=True)
class OpenForm:
    """A modal someone opened, with the inputs they filled (by block_id, in the state shape Slack sends)."""

    view: dict[str, Any]
    channel_id: str  # where it was opened: a conversations select that defaults to the current one picks it
    filled: dict[str, dict[str, Any]]

    @property
    def title(self) -> str:
        """The modal's title as shown."""
        return text_of(self.view.get("title"), None)

    def inputs(self) -> list[FormInput]:
        """Its input blocks, numbered from 1."""
        return form_inputs(self.view)

    def state_of(self, field: FormInput) -> dict[str, Any]:
        """What the input holds now: what was filled, else what the view opened with."""
        return self.filled.get(field.block_id) or initial_state(field.element, self.channel_id)

    def values(self) -> dict[str, dict[str, Any]]:
        """view.state.values as Slack submits it: every input, filled or as it opened."""
        return {field.block_id: {field.action_id: self.state_of(field)} for field in self.inputs()}


def form_inputs(view: Mapping[str, Any]) -> list[FormInput]:
    """A modal's input blocks, numbered from 1 in the order it shows them."""
    blocks = [b for b in view.get("blocks", []) if b.get("type") == "input"]
    return [
        FormInput(n, str(b.get("block_id", "")), text_of(b.get("label"), None), bool(b.get("optional")), b["element"])
        for n, b in enumerate(blocks, start=1)
    ]


def initial_state(element: Mapping[str, Any], channel_id: str = "") -> dict[str, Any]:
    """The state Slack submits for an input nobody touched: the element's initial value, or empty."""
    kind = str(element.get("type", ""))
    key = STATE_KEYS.get(kind)
    if key is None:
        return {"type": kind}
    value = copy.deepcopy(element.get(INITIAL_KEYS.get(kind, "")))
    if value is None and kind.endswith("conversations_select") and element.get("default_to_current_conversation"):
        value = [channel_id] if key in MANY_KEYS else channel_id
    if value is None and key in MANY_KEYS:
        value = []
    return {"type": kind, key: value}


def is_empty(state: Mapping[str, Any]) -> bool:
    """Whether an input's state holds no answer (Slack won't submit a required input like that)."""
    key = STATE_KEYS.get(str(state.get("type", "")))
    return key is not None and state.get(key) in (None, "", [])


def match_input(fields: list[FormInput], wanted: str) -> FormInput:
    """The input meant by its number, label, block_id or the block_id's last dotted part (any case), else by the
    start of its label; raises FillRefused naming the fields when none or several fit."""
    key = wanted.strip().lower()
    exact = [
        f
        for f in fields
        if key in (str(f.number), f.label.lower(), f.block_id.lower(), f.block_id.lower().rsplit(".", 1)[-1])
    ]
    found = exact or [f for f in fields if f.label.lower().startswith(key)]
    if len(found) == 1:
        return found[0]
    if found:
        raise FillRefused(f"`{wanted}` could be {' or '.join(field_name(f) for f in found)}; the number says which.")
    listing = "; ".join(field_name(f) for f in fields) or "none"
    raise FillRefused(f"This form has no field `{wanted}`. Its fields: {listing}.")


def field_name(field: FormInput) -> str:
    """`2. Page`."""
    return f"{field.number}. {field.label}"


def typed_state(
    element: Mapping[str, Any], typed: str, *, people: Mapping[str, str], channels: Mapping[str, str]
) -> dict[str, Any]:
    """The state for what a person typed into `fill`; raises FillRefused saying how to write it."""
    kind = str(element.get("type", ""))
    text = typed.strip()
    if kind in TEXT_KINDS:
        return {"type": kind, "value": checked_text(element, text.replace("\\n", "\n"))}
    if kind == "file_input":
        raise FillRefused("It takes a file: `fill <field> from <path>`.")
    reader = READERS.get(kind)
    if reader is None:
        raise FillRefused(f"The console can't fill a {kind.replace('_', ' ')} input.")
    return {"type": kind, STATE_KEYS[kind]: reader(element, text, people if "users" in kind else channels)}


def checked_text(element: Mapping[str, Any], text: str) -> str | None:
    """Text a box takes as it is (None when empty); raises TooLong over max_length, FillRefused for what else Slack's
    own form refuses (a line break in a one-line box, too short, not a web or email address)."""
    kind = element.get("type")
    if not text:
        return None
    if "\n" in text and not element.get("multiline"):
        raise FillRefused("It's a one-line box: leave out the line breaks.")
    limit = int(element.get("max_length") or PLAIN_TEXT_LIMIT)
    if len(text) > limit:
        raise TooLong(f"That's {len(text)} characters; this box takes at most {limit}, and Slack refuses more.")
    if len(text) < int(element.get("min_length") or 0):
        raise FillRefused(f"It needs at least {element['min_length']} characters.")
    if kind == "url_text_input" and not re.fullmatch(r"https?://\S+", text):
        raise FillRefused("Write a web address, e.g. https://example.com/page.")
    if kind == "email_text_input" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise FillRefused("Write an email address, e.g. ada@example.com.")
    return text


def _read_number(element: Mapping[str, Any], text: str, _names: Mapping[str, str]) -> str | None:
    decimal = bool(element.get("is_decimal_allowed"))
    if not text:
        return None
    if not re.fullmatch(r"-?\d+(\.\d+)?" if decimal else r"-?\d+", text):
        raise FillRefused(
            f"`{text}` isn't a {'number' if decimal else 'whole number'}; e.g. {'0.7' if decimal else '3'}."
        )
    low, high = element.get("min_value"), element.get("max_value")
    if low is not None and float(text) < float(low):
        raise FillRefused(f"It takes {low} or more.")
    if high is not None and float(text) > float(high):
        raise FillRefused(f"It takes {high} or less.")
    return text


def _read_date(_element: Mapping[str, Any], text: str, _names: Mapping[str, str]) -> str | None:
    if not text:
        return None
    if _DAY.fullmatch(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass  # 2019-02-30: shaped like a date, but none
    raise FillRefused(f"`{text}` isn't a date; write it as YYYY-MM-DD, e.g. 2019-09-02.")


def _read_time(_element: Mapping[str, Any], text: str, _names: Mapping[str, str]) -> str | None:
    if not text:
        return None
    found = _CLOCK.fullmatch(text)
    if found is None or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        raise FillRefused(f"`{text}` isn't a time; write it as 24-hour HH:MM, e.g. 09:30.")
    return f"{int(found.group(1)):02d}:{found.group(2)}"


def _named(element: Mapping[str, Any], text: str, names: Mapping[str, str]) -> str | list[str] | None:
    """People (`@bob`) or channels (`#team`) by name: one for a select, any number for a multi select."""
    many = str(element.get("type", "")).startswith("multi_")
    sigil = "@" if "users" in str(element.get("type")) else "#"
    words = [] if text.lower() in ("", "none") else [w for w in re.split(r"[\s,]+", text) if w]
    ids = []
    for word in words:
        found = names.get(word.lstrip(sigil).lower())
        if found is None:
            raise FillRefused(f"There's no {sigil}{word.lstrip(sigil)} here; pick from {_choices(sigil, names)}.")
        ids.append(found)
    if many:
        return ids
    if len(ids) > 1:
        raise FillRefused(f"It takes one, e.g. {sigil}{next(iter(names))}.")
    return ids[0] if ids else None


def _choices(sigil: str, names: Mapping[str, str]) -> str:
    return ", ".join(sigil + name for name in names)


def options_of(element: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A select's, radio group's or checkbox group's options, option groups flattened."""
    grouped = [o for group in element.get("option_groups") or [] for o in group.get("options", [])]
    return [*(element.get("options") or []), *grouped]


def _pick_option(options: list[dict[str, Any]], wanted: str) -> dict[str, Any] | None:
    """The option whose label or value is `wanted` (any case), else the one whose label starts with it."""
    key = wanted.strip().lower()
    exact = [o for o in options if key in (text_of(o.get("text"), None).lower(), str(o.get("value", "")).lower())]
    found = exact or [o for o in options if text_of(o.get("text"), None).lower().startswith(key)]
    return copy.deepcopy(found[0]) if len(found) == 1 else None


def _read_options(element: Mapping[str, Any], text: str, _names: Mapping[str, str]) -> Any:
    options = options_of(element)
    many = element.get("type") in ("checkboxes", "multi_static_select")
    labels = " | ".join(text_of(o.get("text"), None) for o in options)
    if text.lower() in ("", "none"):
        return [] if many else None
    whole = _pick_option(options, text)
    if not many:
        if whole is None:
            raise FillRefused(f"Pick one of: {labels}.")
        return whole
    picked = [whole] if whole else [_pick_option(options, part) for part in text.split(",")]
    if None in picked:
        raise FillRefused(f"Pick any of: {labels} (comma-separated), or none.")
    return picked


READERS: dict[str, Callable[[Mapping[str, Any], str, Mapping[str, str]], Any]] = {
    "number_input": _read_number,
    "datepicker": _read_date,
    "timepicker": _read_time,
    "users_select": _named,
    "multi_users_select": _named,
    "conversations_select": _named,
    "multi_conversations_select": _named,
    "channels_select": _named,
    "multi_channels_select": _named,
    "static_select": _read_options,
    "multi_static_select": _read_options,
    "radio_buttons": _read_options,
    "checkboxes": _read_options,
}


KIND_TEXT = {
    "url_text_input": "a web address",
    "email_text_input": "an email address",
    "datepicker": "a date, YYYY-MM-DD",
    "timepicker": "a time, HH:MM",
    "users_select": "a person, @name",
    "multi_users_select": "people, @name @name",
    "conversations_select": "a channel, #name",
    "channels_select": "a channel, #name",
    "multi_conversations_select": "channels, #name #name",
    "multi_channels_select": "channels, #name #name",
}


def kind_text(element: Mapping[str, Any]) -> str:
    """What an input takes and how to write it: `a date, YYYY-MM-DD`, `one of: Yes | No`."""
    kind = str(element.get("type", ""))
    labels = " | ".join(text_of(o.get("text"), None) for o in options_of(element))
    if kind == "plain_text_input":
        what = "lines of text (\\n starts a line)" if element.get("multiline") else "text"
        return f"{what}, up to {element.get('max_length') or PLAIN_TEXT_LIMIT} characters"
    if kind == "number_input":
        return "a number" if element.get("is_decimal_allowed") else "a whole number"
    if kind in ("static_select", "radio_buttons"):
        return f"one of: {labels}"
    if kind in ("multi_static_select", "checkboxes"):
        return f"any of: {labels} (comma-separated), or none"
    if kind == "file_input":
        types = element.get("filetypes") or []
        return "a file" + (f" (.{', .'.join(types)})" if types else "") + ": `fill … from <path>`"
    return KIND_TEXT.get(kind, f"a {kind.replace('_', ' ')}, which the console can't fill")


def shown_state(state: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """What an input holds, as `form` prints it: text quoted (long text cut), people as @name, options by label."""
    key = STATE_KEYS.get(str(state.get("type", "")), "")
    value = state.get(key)
    if value in (None, "", []):
        return "(empty)"
    if key == "value":
        return preview(str(value))
    if key == "selected_option":
        return text_of(value.get("text"), None)
    if key == "selected_options":
        return ", ".join(text_of(option.get("text"), None) for option in value)
    if key == "files":
        return ", ".join(f"{f.get('name') or f['id']} ({f.get('size', '?')} bytes)" for f in value)
    sigil = "@" if "user" in key else "#" if key.startswith(("selected_conv", "selected_chan")) else ""
    return ", ".join(sigil + names.get(v, v) for v in (value if isinstance(value, list) else [value]))


def preview(text: str, width: int = 60) -> str:
    """Text quoted on one line; longer or multi-line text cut, with its size."""
    lines = text.splitlines() or [""]
    if len(lines) == 1 and len(text) <= width:
        return f'"{text}"'
    return f'"{lines[0][:width]}…" ({len(text)} characters, {len(lines)} lines)'


def render_form(form: OpenForm, names: Mapping[str, str]) -> str:
    """The open form with its inputs numbered: `2. Page (optional) · what it takes: what it holds`."""
    fields = {f.block_id: f for f in form.inputs()}
    lines = render_view({**form.view, "blocks": []}, names).splitlines()
    for block in form.view.get("blocks", []):
        field = fields.get(str(block.get("block_id"))) if block.get("type") == "input" else None
        if field is None:
            lines += ["  " + line for line in render_block(block, names)]
            continue
        optional = " (optional)" if field.optional else ""
        held = shown_state(form.state_of(field), names)
        lines.append(f"  {field_name(field)}{optional} · {kind_text(field.element)}: {held}")
        lines += [f"     {text_of(block['hint'], names)}"] if block.get("hint") else []
    return "\n".join([*lines, FORM_HINT])


def attachment(element: Mapping[str, Any], path: Path, content: bytes, file_id: str) -> dict[str, Any]:
    """A file_input's state once `path` is attached, as Slack submits it; raises FillRefused for a type it refuses."""
    types = [t.lower() for t in element.get("filetypes") or []]
    suffix = path.suffix.lstrip(".").lower()
    if types and suffix not in types:
        raise FillRefused(f"It takes .{', .'.join(types)} files, not {path.name}.")
    size = len(content)
    return {"type": "file_input", "files": [{"id": file_id, "name": path.name, "title": path.name, "size": size}]}
