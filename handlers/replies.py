"""How handlers answer users: UserError becomes an ephemeral explanation, a crash becomes a reference."""

from __future__ import annotations

import functools
import logging
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import clock, db
from bot.blocks.common import Message, ephemeral
from bot.errors import UserError
from bot.permissions import Actor
from bot.slack import users

log = logging.getLogger(__name__)

Handler = Callable[..., None]


def oops(error: Exception) -> str:
    """Log an unexpected error under a short reference and return the text the user sees: "nothing was saved" only
    when nothing was (a retry after a save would do it twice)."""
    ref = uuid.uuid4().hex[:6]
    log_without_text(error, ref)
    if db.saved_in_this_request():
        return (
            f":warning: Your change was saved, but something went wrong on our side after that, ref `{ref}`. "
            "Don't send it again: look it up (each command's `list`, or App Home) to see where things stand."
        )
    return f":warning: Something went wrong on our side, ref `{ref}`. Nothing was saved; please try again."


def log_without_text(error: BaseException, ref: str) -> None:
    """Log an error's type and where it happened, not its message: a database's error quotes the value it refused
    (PostgreSQL: `invalid input syntax for type integer: "<what was typed>"`), and that is people's text."""
    chain = []
    current: BaseException | None = error
    while current is not None and len(chain) < 5:
        code = getattr(getattr(current, "orig", None), "sqlstate", None) or getattr(current, "sqlstate", None)
        chain.append(type(current).__name__ + (f" (sqlstate {code})" if code else ""))
        current = current.__cause__ or current.__context__
    where = "".join(traceback.format_tb(error.__traceback__)).rstrip()
    log.error("unexpected error, ref %s: %s\n%s", ref, " <- ".join(chain), where)


SLACK_FIXES = {
    "not_in_channel": "invite me with `/invite @Cadence`",
    "channel_not_found": "if it is private, invite me with `/invite @Cadence`",
    "is_archived": "it is archived; unarchive it or pick another channel",
    "restricted_action": "the channel only lets some people post; ask its admin to let me in",
    "ratelimited": "Slack is busy; it will show up on the next change",
}


def slack_failure_note(error: Exception, *, channel_id: str | None) -> str:
    """What didn't happen after a save, and the fix: "I couldn't post in #wg_docs: invite me with `/invite @Cadence`."
    (for an error from Slack; anything else says it couldn't reach Slack)."""
    where = f"in <#{channel_id}>" if channel_id and channel_id[:1] in "CG" else "there"
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error") or "")
        fix = SLACK_FIXES.get(code, f"Slack said `{code or error.response.status_code}`")
        return f"I couldn't post {where}: {fix}."
    return f"I couldn't post {where}: Slack didn't answer in time. It may still show up."


def answers_user_errors(handler: Handler) -> Handler:
    """For commands that ack with their reply: a UserError (or a crash) is acked as an ephemeral message.

    The handler's unit of work has rolled back by the time the exception arrives here, so nothing is half-saved.
    functools.wraps keeps Bolt's argument injection, which reads the wrapped function's signature.
    """

    @functools.wraps(handler)
    def wrapper(**kwargs: Any) -> None:
        ack = kwargs["ack"]
        try:
            handler(**kwargs)
        except UserError as error:
            ack(**ephemeral(f":x: {error.message}"))
        except Exception as error:  # noqa: BLE001 - the user gets a reference instead of silence
            ack(**ephemeral(oops(error)))

    return wrapper


def answers_user_errors_in_modal(handler: Handler) -> Handler:
    """For view submissions: a UserError shows under its field in the open modal."""

    @functools.wraps(handler)
    def wrapper(**kwargs: Any) -> None:
        ack = kwargs["ack"]
        try:
            handler(**kwargs)
        except UserError as error:
            ack(response_action="errors", errors={error.field or first_block_id(kwargs["view"]): error.message})
        except Exception as error:  # noqa: BLE001
            ack(response_action="errors", errors={first_block_id(kwargs["view"]): oops(error)})

    return wrapper


def answers_user_errors_after_ack(handler: Handler) -> Handler:
    """For buttons: they are acked first; a UserError is then sent back ephemerally through response_url."""

    @functools.wraps(handler)
    def wrapper(**kwargs: Any) -> None:
        kwargs["ack"]()
        try:
            handler(**kwargs)
        except UserError as error:
            answer_press(kwargs, ephemeral(f":x: {error.message}"))
        except Exception as error:  # noqa: BLE001
            answer_press(kwargs, ephemeral(oops(error)))

    return wrapper


def answer_press(kwargs: dict[str, Any], message: Message) -> None:
    """Answer a button press ephemerally through its response_url; a press in App Home or a modal comes without one,
    so it is answered by DM (with no way to answer at all, it is logged rather than failing the request)."""
    body = kwargs.get("body") or {}
    in_a_view = (body.get("container") or {}).get("type") == "view"
    if getattr(kwargs.get("respond"), "response_url", None) and not in_a_view:
        kwargs["respond"](**message, replace_original=False)
        return
    client, user_id = kwargs.get("client"), (body.get("user") or {}).get("id")
    try:
        client.chat_postMessage(channel=user_id, text=message["text"], blocks=message.get("blocks"))  # type: ignore[union-attr]
    except Exception:
        log.warning("couldn't answer a press by %s", user_id, exc_info=True)


def first_block_id(view: dict[str, Any]) -> str:
    """The first input block of a modal, where errors without a field are shown."""
    for block in view.get("blocks", []):
        if block.get("type") == "input":
            return str(block["block_id"])
    return ""


def ack_only(ack: Callable[..., None]) -> None:
    """Ack a button or a select whose value we read later."""
    ack()


def actor_of(client: WebClient, *, team_id: str, user_id: str) -> tuple[Actor, str | None]:
    """Who is acting (admin or not) and their Slack time zone, as stored (bot/slack/users.py asks users.info only when
    the row is missing or a day old); a plain member with no zone when Slack can't say and nothing is stored."""
    known = users.person(client, team_id=team_id, user_id=user_id, now=clock.now())
    return Actor(user_id=user_id, is_admin=known.is_admin), known.tz
