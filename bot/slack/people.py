"""The Slack people directory: everyone in the workspace (users.list), looked up by what a handbook page writes
about a person (a name, an @handle, an email), so importers link a page's people to Slack users.

Slack-facing but free of Bolt payloads, so the /wg handlers and the `python app.py wg import` CLI share it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def _folded(text: str) -> str:
    """A name as compared: accents dropped, case folded, spaces collapsed ("José  Núñez" ~ "jose nunez")."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """Who a page's person is in Slack: `user_id` when exactly one user fits the strongest thing the page wrote
    (`how`: "email", "handle" or "name"); `several` counts the users who fit when that was more than one."""

    user_id: str | None = None
    how: str = ""
    several: int = 0


class PeopleDirectory:
    """Slack's people (users.list, without bots and deactivated accounts), looked up by what a handbook page writes
    about a person: a name, an @handle, an email. Only a unique match counts; an ambiguous one is no guess.

    Calling it with a name is the matcher the importers take (name → user id or None).
    """

    def __init__(self, members: Iterable[dict[str, Any]]) -> None:
        self._by: dict[str, dict[str, set[str]]] = {"email": {}, "handle": {}, "name": {}}
        for member in members:
            if member.get("deleted") or member.get("is_bot") or member.get("id") == "USLACKBOT":
                continue
            profile = member.get("profile") or {}
            keys = {
                "email": [profile.get("email")],
                "handle": [member.get("name"), profile.get("display_name")],
                "name": [member.get("real_name"), profile.get("real_name"), profile.get("display_name")],
            }
            for kind, values in keys.items():
                for value in values:
                    if value and _folded(value).lstrip("@"):
                        self._by[kind].setdefault(_folded(value).lstrip("@"), set()).add(member["id"])

    def __call__(self, name: str) -> str | None:
        """The one user whose real or display name is `name`; None when nobody or several are."""
        found = self._by["name"].get(_folded(name), set())
        return next(iter(found)) if len(found) == 1 else None

    def best_match(self, name: str | None, *, username: str | None = None) -> PersonMatch:
        """The Slack user a page's person is, by the strongest thing it wrote: an email (in the name or username
        cell), else the @handle, else the name. The first of these that fits anyone decides: one user is a match,
        several are no match (`several` says how many)."""
        written = [text for text in (username, name) if text]
        emails = [found.group(0) for text in written if (found := _EMAIL.search(text))]
        handles = [username] if username and not _EMAIL.search(username) else []
        for how, values in (("email", emails), ("handle", handles), ("name", [name] if name else [])):
            found = set().union(*(self._by[how].get(_folded(value).lstrip("@"), set()) for value in values))
            if len(found) == 1:
                return PersonMatch(next(iter(found)), how)
            if found:
                return PersonMatch(several=len(found), how=how)
        return PersonMatch()
