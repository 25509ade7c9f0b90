"""Block Kit for a retrospective's TRY line made an action item: the form (its reader beside it) and the reply."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import DatePickerElement, InputBlock, PlainTextInputElement, UserSelectElement
from slack_sdk.models.views import View

from bot.blocks.common import Message, context, day, ephemeral, mention, view_input
from bot.errors import UserError
from bot.okrs import ids
from bot.okrs.blocks.retro import ITEM_TEXT_LIMIT
from bot.okrs.rules import TryWindow
from bot.text import clip, escape
from models import ActionItem

TRY_TEXT_LIMIT = 1000


def try_modal(*, item_id: int, text: str, window: TryWindow, private_metadata: str) -> dict[str, Any]:
    """The form behind "Make it an action item": the TRY's text (editable), an owner and a due date, starting on
    the date `rules.try_window` suggests and saying which dates it takes (the date picker has no bounds: the
    submission is checked by the same rule). A TRY over 1000 characters starts clipped; the retro keeps it whole."""
    text_input = PlainTextInputElement(
        action_id=ids.OKR_TRY_TEXT, multiline=True, max_length=TRY_TEXT_LIMIT, initial_value=clip(text, TRY_TEXT_LIMIT)
    )
    view = View(
        type="modal",
        callback_id=ids.OKR_TRY_MODAL,
        private_metadata=private_metadata,
        title="New action item",
        submit="Create",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id=ids.OKR_TRY_TEXT,
                label="Action item",
                hint="Shortened to fit: finish it here." if len(text) > TRY_TEXT_LIMIT else None,
                element=text_input,
            ),
            InputBlock(
                block_id=ids.OKR_TRY_OWNER,
                label="Owner",
                element=UserSelectElement(action_id=ids.OKR_TRY_OWNER, placeholder="Who does it?"),
            ),
            InputBlock(
                block_id=ids.OKR_TRY_DUE,
                label="Due",
                element=DatePickerElement(action_id=ids.OKR_TRY_DUE, initial_date=window.suggested.isoformat()),
            ),
            context(f"TRY #{item_id} · Due from {escape(window.describe())}."),
        ],
    )
    return view.to_dict()


def read_try_modal(view: dict[str, Any]) -> tuple[str, str | None, date | None]:
    """The submitted TRY form as (text, owner's user id, due date); raises UserError under the text when blank."""
    text = (view_input(view, ids.OKR_TRY_TEXT).get("value") or "").strip()
    if not text:
        raise UserError("Say what the action item is.", field=ids.OKR_TRY_TEXT)
    if len(text) > TRY_TEXT_LIMIT:
        raise UserError(f"Keep the action item under {TRY_TEXT_LIMIT} characters.", field=ids.OKR_TRY_TEXT)
    picked = view_input(view, ids.OKR_TRY_DUE).get("selected_date")
    return (
        text,
        view_input(view, ids.OKR_TRY_OWNER).get("selected_user") or None,
        date.fromisoformat(picked) if picked else None,
    )


def try_done_reply(item: ActionItem, *, today: date) -> Message:
    """Confirmation after a TRY became an action item (its subject is the TRY), ephemeral."""
    due = f", due {day(item.due_on, today)}" if item.due_on is not None else ""
    return ephemeral(
        f":white_check_mark: TRY #{item.subject_id} is now action item #{item.id} for "
        f"{mention(item.owner_id, item.owner_name)}{due}.\n_{escape(clip(item.text, ITEM_TEXT_LIMIT))}_"
    )
