"""Reading what a button or a form carries (a row id, a picked date, private_metadata) as a UserError-or-value.

A payload Slack sends for a message we drew always reads; one from a message drawn by an older version, or one made
by hand, may not, and that is the user's to hear about ("out of date"), not a crash with a reference.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from bot.blocks.common import USER_ID
from bot.errors import UserError

_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9_]{4,}")  # C0123ABCD as Slack writes them (C_TEAM in the tests)
MAX_ID = 2**31 - 1  # ids are 32-bit integer columns; a bigger number would fail in the database, not here
OUT_OF_DATE = (
    "I couldn't tell what this is for: the message or form may be out of date. "
    "Run its command again (e.g. `/cadence list`, `/wg actions`) and use the new one."
)


def row_id(value: object, *, field: str | None = None) -> int:
    """The row id in a button's value, a block_id's tail or private_metadata; raises UserError for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):  # private_metadata we wrote as JSON holds numbers
        value = str(value)
    digits = value.strip() if isinstance(value, str) else ""
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 10) or not 1 <= int(digits) <= MAX_ID:
        raise UserError(OUT_OF_DATE, field=field)
    return int(digits)


def picked_date(value: object, *, field: str | None = None) -> date:
    """The `YYYY-MM-DD` a date picker sends; raises UserError for anything else."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else date.fromisoformat("")
    except ValueError:
        raise UserError("I couldn't read the date picked. Pick it again from the calendar.", field=field) from None


def picked_user(value: object, *, field: str | None = None) -> str | None:
    """The user id a users menu sends, None when nobody is picked; raises UserError for anything else."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not USER_ID.fullmatch(value):
        raise UserError("I couldn't read the person picked. Pick them again from the list.", field=field)
    return value


def channel_of(view: dict[str, Any]) -> str:
    """The channel id a form opened from a channel carries in private_metadata; raises UserError for anything else."""
    channel_id = view.get("private_metadata")
    if not isinstance(channel_id, str) or not _CHANNEL_ID.fullmatch(channel_id):
        raise UserError(OUT_OF_DATE)
    return channel_id


def metadata_of(view: dict[str, Any]) -> dict[str, Any]:
    """A form's private_metadata, the JSON object we wrote into it; raises UserError when it isn't one."""
    try:
        metadata = json.loads(view.get("private_metadata") or "")
    except ValueError:
        metadata = None
    if not isinstance(metadata, dict):
        raise UserError(OUT_OF_DATE)
    return metadata


def text_value(action: dict[str, Any]) -> str:
    """A button's value as text ("" when missing or not text), for values that name a view rather than a row."""
    value = action.get("value")
    return value if isinstance(value, str) else ""
