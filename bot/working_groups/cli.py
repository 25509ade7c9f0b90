"""`python app.py wg import PAGE.md --channel C…` and `python app.py wg export C…`: bulk onboarding."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import clock
from bot.db import unit_of_work
from bot.errors import UserError
from bot.permissions import operator_of
from bot.slack.users import people_matcher
from bot.working_groups import handbook, service
from bot.working_groups.rules import lead_ids

CHANNEL_USAGE = "Give the channel's id, e.g. `--channel C0123456789` (in Slack: the channel's name, About, at the end)."


def _read_page(path: Path) -> str:
    """The page's text; raises UserError for a file that is not there, not a file, or not UTF-8."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "it is not UTF-8 text"
        raise UserError(f"I couldn't read {path}: {reason}.", "Give the path of a UTF-8 markdown file.") from None


def _check_channel(client: WebClient, channel_id: str) -> str:
    """The channel's name; raises UserError for something that is not a channel id Slack shows the bot."""
    if not re.fullmatch(r"[CG][A-Z0-9_]{2,}", channel_id):
        raise UserError(f"`{channel_id}` is not a channel id.", CHANNEL_USAGE)
    try:
        return str(client.conversations_info(channel=channel_id)["channel"].get("name") or channel_id)
    except SlackApiError as error:
        problem = error.response.get("error")
        raise UserError(
            f"Slack doesn't show me the channel `{channel_id}` ({problem}).",
            f"{CHANNEL_USAGE} For a private channel, invite the bot first (`/invite @Cadence`).",
        ) from None


def import_page(path: Path, *, channel_id: str, client: WebClient, timezone: str = "UTC") -> str:
    """Import one handbook page into the channel's working group; returns a summary line, then the import report."""
    report = handbook.ImportReport()
    draft = handbook.read_charter(_read_page(path), report)
    channel_name = _check_channel(client, channel_id)
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
        if not lead_ids(group):
            report.check(
                f"No DRI or facilitator is a Slack user yet, so until one is linked a workspace admin manages the "
                f"group: `/wg people` in #{channel_name} links them."
            )
        roles, criteria = len(group.roles), len(group.exit_criteria)
        summary = (
            f"{'Created' if created else 'Updated'} {group.name} in #{channel_name} ({channel_id}): "
            f"{roles} {'role' if roles == 1 else 'roles'} ({linked} linked to Slack users), "
            f"{criteria} exit {'criterion' if criteria == 1 else 'criteria'}."
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
