"""Who people are (admin or not, time zone, name, status), read from the `slack_user` table instead of asking Slack
on every request: users.info is called only for a person not yet stored, or stored more than STALE_AFTER ago, and a
`user_change` event refreshes the row as soon as Slack sends it. When Slack can't answer, the stored row is used,
however old; with none, a plain member with no zone (as before the table).

Every row, and so every read, is per workspace: the same user id in another workspace is another person here.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from bot import clock, db
from bot.slack.people import PeopleDirectory
from models import SlackUser

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(days=1)  # user_change events keep rows current; this catches a missed event within a day
# One request asks who its sender is more than once (its handler, then the time-away offer): the first answer serves
# the rest of that request and only that one (handlers/boundary.py opens the scope as a request begins, closes it
# as it ends); outside a request (ticks, CLIs) every call reads the table.
_answered_in_request: ContextVar[dict[tuple[str, str], Person] | None] = ContextVar("answered_in_request", default=None)


@dataclass(frozen=True, slots=True)
class Person:
    """What Cadence knows of a person: `tz` and `name` are None when Slack never said."""

    user_id: str
    is_admin: bool = False
    tz: str | None = None
    name: str | None = None
    status_text: str = ""
    status_emoji: str = ""
    status_expiration: int = 0

    @property
    def status(self) -> dict[str, Any]:
        """The status as a Slack profile carries it (what bot/cadence/away.py holiday_status reads)."""
        return {
            "status_text": self.status_text,
            "status_emoji": self.status_emoji,
            "status_expiration": self.status_expiration,
        }


def begin_request() -> None:
    """A Slack request begins on this thread: who people are is looked up afresh, once each, for it."""
    _answered_in_request.set({})


def end_request() -> None:
    """The request is over: the thread goes back to the server's pool with nothing of it."""
    _answered_in_request.set(None)


def person(client: WebClient, *, team_id: str, user_id: str, now: datetime) -> Person:
    """The person as stored, asking Slack (users.info) only when the row is missing or older than STALE_AFTER; when
    Slack fails, the stored row however old, else a plain member. Raises nothing for Slack's failures."""
    answered = _answered_in_request.get()
    if answered is None:
        return _look_up(client, team_id=team_id, user_id=user_id, now=now)
    key = (team_id, user_id)
    if key not in answered:
        answered[key] = _look_up(client, team_id=team_id, user_id=user_id, now=now)
    return answered[key]


def _look_up(client: WebClient, *, team_id: str, user_id: str, now: datetime) -> Person:
    # One read on a bare connection: no session for it to be part of (and none to cost what an ORM one does).
    with db.engine().connect() as connection:
        row = connection.execute(_STORED, {"team_id": team_id, "user_id": user_id}).first()
    known = None if row is None else person_of(row)
    fresh = row is not None and now - row.fetched_at < STALE_AFTER
    if known is not None and fresh:
        return known
    try:
        user = client.users_info(user=user_id)["user"]
    except Exception:  # who someone is must never fail their request
        log.warning("users.info failed for %r", user_id, exc_info=True)  # %r: an id with a newline forges no line
        return known or Person(user_id)
    with db.kept_aside() as session:
        remember(session, team_id=team_id, user=user, now=now)
    return person_of_slack(user_id, user)


# Read on nearly every request: built once, and read as a plain row (bench/slash_roundtrip.py).
_STORED = select(
    SlackUser.user_id,
    SlackUser.is_admin,
    SlackUser.tz,
    SlackUser.real_name,
    SlackUser.display_name,
    SlackUser.status_text,
    SlackUser.status_emoji,
    SlackUser.status_expiration,
    SlackUser.fetched_at,
).where(SlackUser.team_id == bindparam("team_id"), SlackUser.user_id == bindparam("user_id"))


def remember(session: Session, *, team_id: str, user: dict[str, Any], now: datetime) -> None:
    """Store what Slack said of a person (a users.info `user`, or a user_change event's), in workspace `team_id`;
    an upsert, so two requests storing one new person at once make one row. Raises KeyError without `user["id"]`."""
    values = {"team_id": team_id, "fetched_at": now, **_columns(user)}
    db.upsert(session, SlackUser, values, conflict=["team_id", "user_id"], newer="fetched_at")


def remember_listed(members: list[dict[str, Any]], *, now: datetime) -> int:
    """Store every person of a users.list page (each member says its workspace), so those who never wrote to the bot
    are known when they first do; returns how many were stored. A failure to store is logged, never raised: the
    list was read for something else."""
    listed = [
        {"team_id": str(member["team_id"])[:32], "fetched_at": now, **_columns(member)}
        for member in members
        if member.get("id") and member.get("team_id")
    ]
    try:
        with db.kept_aside() as session:
            db.upsert_many(session, SlackUser, listed, conflict=["team_id", "user_id"], newer="fetched_at")
    except Exception as error:  # noqa: BLE001 - who people are is a cache: the caller's work goes on
        log.warning("could not store users.list's people: %s", type(error).__name__)
        return 0
    return len(listed)


def person_of(row: SlackUser | Row[Any]) -> Person:
    """The Person a stored row describes."""
    return Person(
        user_id=row.user_id,
        is_admin=row.is_admin,
        tz=row.tz,
        name=row.real_name or row.display_name or None,
        status_text=row.status_text,
        status_emoji=row.status_emoji,
        status_expiration=row.status_expiration,
    )


def person_of_slack(user_id: str, user: dict[str, Any]) -> Person:
    """The Person a Slack user object describes (read as it will be stored)."""
    columns = _columns({**user, "id": user_id})
    return Person(
        user_id=user_id,
        is_admin=columns["is_admin"],
        tz=columns["tz"],
        name=columns["real_name"] or columns["display_name"] or None,
        status_text=columns["status_text"],
        status_emoji=columns["status_emoji"],
        status_expiration=columns["status_expiration"],
    )


def _columns(user: dict[str, Any]) -> dict[str, Any]:
    """The table's columns from a Slack user object, each cut to its column's size (PostgreSQL refuses longer)."""
    profile = user.get("profile") or {}
    return {
        "user_id": str(user["id"])[:32],
        "real_name": _text(user.get("real_name") or profile.get("real_name"), 255),
        "display_name": _text(profile.get("display_name"), 255),
        "tz": _text(user.get("tz"), 64),
        "is_admin": bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")),
        "deleted": bool(user.get("deleted")),
        "status_text": _text(profile.get("status_text"), 255) or "",
        "status_emoji": _text(profile.get("status_emoji"), 100) or "",
        "status_expiration": _expiration(profile.get("status_expiration")),
    }


def _text(value: Any, limit: int) -> str | None:
    return str(value)[:limit] if value else None


def _expiration(value: Any) -> int:
    try:
        seconds = int(value or 0)
    except (TypeError, ValueError):
        return 0
    return seconds if 0 <= seconds < 2**62 else 0


def people_matcher(client: WebClient) -> PeopleDirectory:
    """Everyone in the workspace, read from users.list page by page, to match a page's people to Slack users; what
    each page says of them is stored too, so their zones are known without asking again."""
    members: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = client.users_list(limit=200, cursor=cursor)
        members += page.get("members", [])
        remember_listed(page.get("members", []), now=clock.now())
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    return PeopleDirectory(members)
