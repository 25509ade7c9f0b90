"""`python app.py cocreate import prospects.csv` and `python app.py cocreate export`: bulk onboarding of prospects."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from slack_sdk import WebClient

from bot import clock
from bot.cocreate import prospects
from bot.cocreate.prospect_csv import read_prospects, write_prospects
from bot.cocreate.rules import counted
from bot.db import unit_of_work
from bot.errors import UserError
from bot.permissions import operator_of

USAGE = "usage: python app.py cocreate import PROSPECTS.csv | python app.py cocreate export"


def handle_resolver(client: WebClient) -> Callable[[str], str | None]:
    """A function from `@handle` to a Slack member id, by username or display name (None when unknown or
    ambiguous). The member list is fetched on the first look-up, so a file of member ids never asks Slack."""
    by_handle: dict[str, set[str]] | None = None

    def resolve(handle: str) -> str | None:
        nonlocal by_handle
        if by_handle is None:
            by_handle = _members_by_handle(client)
        found = by_handle.get(handle.removeprefix("@").strip().lower(), set())
        return next(iter(found)) if len(found) == 1 else None

    return resolve


def _members_by_handle(client: WebClient) -> dict[str, set[str]]:
    """Every active person's username and display name (lower case), each to the member ids that carry it."""
    by_handle: dict[str, set[str]] = {}
    cursor = None
    while True:
        page = client.users_list(limit=200, cursor=cursor)
        for member in page.get("members", []):
            if member.get("deleted") or member.get("is_bot"):
                continue
            for name in (member.get("name"), (member.get("profile") or {}).get("display_name")):
                if name:
                    by_handle.setdefault(name.strip().lower(), set()).add(member["id"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return by_handle


def import_file(path: Path, *, client: WebClient) -> str:
    """Import every prospect in the CSV file in one transaction; returns a one-line summary. Raises UserError (or
    OSError) with nothing saved when any row is bad."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"I couldn't read {path}: {error}.", "Give the path of a UTF-8 CSV file.") from None
    rows = read_prospects(text)
    team_id, actor = operator_of(client)
    with unit_of_work() as session:
        created, updated = prospects.import_rows(
            session,
            team_id=team_id,
            actor=actor,
            rows=rows,
            now=clock.now(),
            resolve_user=handle_resolver(client),
        )
    # Printed only once the unit of work has committed, so "Imported" is never shown for rows that weren't saved.
    return f"Imported {counted(created + updated, 'prospect')} ({created} new, {updated} updated)"


def export_file(*, client: WebClient) -> str:
    """Every prospect as CSV, the shape `import` reads; raises UserError before `/cocreate setup`."""
    team_id, _actor = operator_of(client)
    with unit_of_work() as session:
        return write_prospects(prospects.export_rows(session, team_id=team_id))


def main(args: list[str], client: WebClient) -> int:
    """Dispatch `cocreate import PATH | export`; prints the problem to stderr and returns 1 on a user error (nothing
    saved), 2 on a malformed command line."""
    if not args or (args[0], len(args)) not in {("import", 2), ("export", 1)}:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        if args[0] == "import":
            print(import_file(Path(args[1]), client=client))
        else:
            sys.stdout.write(export_file(client=client))
    except UserError as error:
        print(error.message, file=sys.stderr)
        return 1
    return 0
