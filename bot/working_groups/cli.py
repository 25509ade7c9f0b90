"""`python app.py wg import PAGE.md --channel C…` and `python app.py wg export C…`: bulk onboarding."""

from __future__ import annotations

import sys
from pathlib import Path

from slack_sdk import WebClient

from bot import clock
from bot.db import unit_of_work
from bot.errors import UserError
from bot.permissions import operator_of
from bot.working_groups import handbook, service


def import_page(path: Path, *, channel_id: str, client: WebClient, timezone: str = "UTC") -> str:
    """Import one handbook page into the channel's working group; returns a summary line, then the import report."""
    from handlers.context import people_matcher

    report = handbook.ImportReport()
    draft = handbook.read_charter(path.read_text(encoding="utf-8"), report)
    team_id, actor = operator_of(client)
    match = people_matcher(client)
    with unit_of_work() as session:
        group, created = service.import_charter(
            session,
            team_id=team_id,
            actor=actor,
            channel_id=channel_id,
            draft=draft,
            match_user=match,
            timezone=timezone,
            now=clock.now(),
        )
        linked = sum(1 for m in group.roles if m.user_id)
        unlinked = sorted({m.person_name for m in group.roles if m.person_name and not m.user_id})
        if unlinked:
            report.check(f"Not linked to a Slack user yet: {', '.join(unlinked)}.")
        summary = (
            f"{'Created' if created else 'Updated'} {group.name} in {channel_id}: {len(group.roles)} roles "
            f"({linked} linked to Slack users), {len(group.exit_criteria)} exit criteria."
        )
    return f"{summary}\n{report.as_text()}"


def export_page(channel_id: str, *, client: WebClient) -> str:
    """The channel's working group as a handbook page."""
    team_id, _actor = operator_of(client)
    with unit_of_work() as session:
        group = service.group_in_channel(session, team_id=team_id, channel_id=channel_id)
        return handbook.write_charter(service.charter_draft(group))


def main(args: list[str], client: WebClient) -> int:
    """Dispatch `wg import|export`; prints the problem and returns 1 on a user error."""
    try:
        if args[0] == "import":
            print(import_page(Path(args[1]), channel_id=args[2], client=client))
        else:
            sys.stdout.write(export_page(args[1], client=client))
    except (UserError, FileNotFoundError) as error:
        print(getattr(error, "message", str(error)), file=sys.stderr)
        return 1
    return 0
