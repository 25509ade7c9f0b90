"""The `/wg create` and `/wg import` forms, with their readers beside them so a form's block ids stay in one
module, and the notice a submitted form turns into when Slack refused what came after the save.

The two forms use `slack_sdk.models.views.View`, as /cadence's does.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
    UrlInputElement,
)
from slack_sdk.models.views import View

from bot.blocks.common import WEB_URL, page_inputs, read_page_inputs, view_input
from bot.errors import UserError
from bot.text import clip, quoted
from bot.working_groups import ids
from bot.working_groups.rules import GOAL_LIMIT, NAME_LIMIT, URL_LIMIT


def create_modal(channel_id: str) -> View:
    """The form behind `/wg create`: name, goal, dates and links; the channel travels in private_metadata."""
    return View(
        type="modal",
        callback_id=ids.WG_CREATE_MODAL,
        private_metadata=channel_id,
        title="New working group",
        submit="Create",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id=ids.WG_CREATE_NAME,
                label="Name",
                element=PlainTextInputElement(
                    action_id=ids.WG_CREATE_NAME,
                    max_length=NAME_LIMIT,
                    placeholder="Leading Organizations Working Group",
                ),
            ),
            InputBlock(
                block_id=ids.WG_CREATE_GOAL,
                label="Business goal",
                optional=True,
                element=PlainTextInputElement(action_id=ids.WG_CREATE_GOAL, multiline=True, max_length=GOAL_LIMIT),
            ),
            InputBlock(
                block_id=ids.WG_CREATE_CREATED_ON,
                label="Date created",
                optional=True,
                hint="Empty means today.",
                element=DatePickerElement(action_id=ids.WG_CREATE_CREATED_ON),
            ),
            InputBlock(
                block_id=ids.WG_CREATE_END_ON,
                label="End date",
                optional=True,
                element=DatePickerElement(action_id=ids.WG_CREATE_END_ON),
            ),
            InputBlock(
                block_id=ids.WG_CREATE_AGENDA,
                label="Agenda doc",
                optional=True,
                element=UrlInputElement(action_id=ids.WG_CREATE_AGENDA, placeholder="https://docs.google.com/…"),
            ),
            InputBlock(
                block_id=ids.WG_CREATE_BOARD,
                label="Issue board or epic",
                optional=True,
                element=UrlInputElement(action_id=ids.WG_CREATE_BOARD, placeholder="https://gitlab.com/…"),
            ),
        ],
    )


def _text(view: dict[str, Any], block_id: str) -> str:
    return (view_input(view, block_id).get("value") or "").strip()


def _date(view: dict[str, Any], block_id: str) -> date | None:
    picked = view_input(view, block_id).get("selected_date")
    return date.fromisoformat(picked) if picked else None


def _limited(view: dict[str, Any], block_id: str, *, what: str, limit: int) -> str:
    """A text field within the limit its command holds to (Slack's max_length is only the client's word)."""
    text = _text(view, block_id)
    if len(text) > limit:
        raise UserError(
            f"The {what} is {len(text):,} characters long; the limit is {limit:,}.", "Shorten it.", field=block_id
        )
    return text


def _url(view: dict[str, Any], block_id: str) -> str | None:
    url = _limited(view, block_id, what="link", limit=URL_LIMIT)
    if url and not WEB_URL.fullmatch(url):
        raise UserError(
            f"I can only link to web addresses, not {quoted(url)}.", "Start it with `https://`.", field=block_id
        )
    return url or None


def read_create_modal(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted create form as `channel_id, name, goal, created_on, end_on, agenda_url, board_url`.

    Raises UserError with `field` set to the block to show it under.
    """
    name = _limited(view, ids.WG_CREATE_NAME, what="name", limit=NAME_LIMIT)
    if not name:
        raise UserError("Give the working group a name.", field=ids.WG_CREATE_NAME)
    created_on = _date(view, ids.WG_CREATE_CREATED_ON)
    end_on = _date(view, ids.WG_CREATE_END_ON)
    if created_on is not None and end_on is not None and end_on < created_on:
        raise UserError(
            f"The end date {end_on:%Y-%m-%d} is before the date created {created_on:%Y-%m-%d}.",
            "Pick an end date on or after it.",
            field=ids.WG_CREATE_END_ON,
        )
    return {
        "channel_id": view.get("private_metadata") or "",
        "name": name,
        "goal": _limited(view, ids.WG_CREATE_GOAL, what="goal", limit=GOAL_LIMIT) or None,
        "created_on": created_on,
        "end_on": end_on,
        "agenda_url": _url(view, ids.WG_CREATE_AGENDA),
        "board_url": _url(view, ids.WG_CREATE_BOARD),
    }


def import_modal(channel_id: str) -> View:
    """The form behind `/wg import`: the page pasted in two parts (3000 characters each), or attached as a file."""
    return View(
        type="modal",
        callback_id=ids.WG_IMPORT_MODAL,
        private_metadata=channel_id,
        title="Import a handbook page",
        submit="Import",
        close="Cancel",
        blocks=[
            SectionBlock(
                text="Paste the markdown of the working group's handbook page, or attach it as a file. "
                "A page longer than 3000 characters goes in two parts: cut it at a line break."
            ),
            *page_inputs(
                page=ids.WG_IMPORT_PAGE,
                more=ids.WG_IMPORT_PAGE_MORE,
                file=ids.WG_IMPORT_FILE,
                placeholder="## Attributes",
            ),
        ],
    )


def saved_notice_modal(text: str) -> dict[str, Any]:
    """What a submitted form turns into when its change is saved but Slack refused what came after: the words
    of `handlers.replies.slack_failure_note`, with a Close button only."""
    return View(
        type="modal",
        title="Saved",
        close="Close",
        blocks=[SectionBlock(text=MarkdownTextObject(text=clip(text)))],
    ).to_dict()


def read_import_modal(view: dict[str, Any]) -> tuple[str, list[str]]:
    """The pasted page (both parts joined by a line break) and the ids of attached files.

    Raises UserError, under the first paste box, when nothing was given, or under the file when both were.
    """
    return read_page_inputs(view, page=ids.WG_IMPORT_PAGE, more=ids.WG_IMPORT_PAGE_MORE, file=ids.WG_IMPORT_FILE)
