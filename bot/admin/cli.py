"""`python app.py export|forget|audit --team T…`: the admin's tools on the command line.

The Slack client for a workspace comes from one function, `client_for_team(settings, team_id)`: in single-workspace
mode (SLACK_BOT_TOKEN) it refuses a --team other than the token's own (auth.test), so an operator can't export or
forget in a workspace the token doesn't belong to. An install store (OAuth mode) puts its look-up behind the same
signature.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import audit, clock
from bot.admin import export, forget
from bot.config import Settings
from bot.db import unit_of_work
from bot.errors import UserError
from bot.slack.client import make_client
from models import Workspace

ClientFor = Callable[[str], WebClient | None]  # checks the workspace may be worked on; raises when not
USAGE = (
    "usage: python app.py export --team T… [--out FILE] | forget --team T… --user U… | "
    "audit --team T… [--program P] [--since DATE]"
)


def client_for_team(settings: Settings, team_id: str) -> WebClient:
    """The client that acts in workspace `team_id`: the bot token's, when auth.test says it belongs there; raises
    UserError otherwise (or when Slack can't say)."""
    client = make_client(settings)
    try:
        token_team = client.auth_test()["team_id"]
    except SlackApiError as error:
        raise UserError(
            f"Slack refused the bot token ({error.response.get('error')}), so I can't check workspace {team_id}.",
            "Check SLACK_BOT_TOKEN.",
        ) from None
    except OSError as error:  # URLError and timeouts: Slack is out of reach, so the token's workspace is unknown
        raise UserError(
            f"I couldn't reach Slack ({type(error).__name__}) to check that the bot token is workspace {team_id}'s.",
            "Check SLACK_API_URL and the network, then run it again; nothing was changed.",
        ) from None
    if token_team != team_id:
        raise UserError(
            f"The bot token belongs to workspace {token_team}, not {team_id}: Cadence runs in single-workspace mode, "
            "so it only acts in the token's workspace.",
            f"Give --team {token_team}, or run with that workspace's token.",
        )
    return client


def parser() -> argparse.ArgumentParser:
    """The three commands and their options, as app.py's subparsers give them."""
    parser = argparse.ArgumentParser(prog="python app.py", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    exporting = sub.add_parser("export")
    exporting.add_argument("--team", required=True)
    exporting.add_argument("--out")
    forgetting = sub.add_parser("forget")
    forgetting.add_argument("--team", required=True)
    forgetting.add_argument("--user", required=True)
    auditing = sub.add_parser("audit")
    auditing.add_argument("--team", required=True)
    auditing.add_argument("--program", choices=sorted(audit.PROGRAM_ACTIONS))
    auditing.add_argument("--since", nargs="+")
    return parser


def main(argv: list[str], client_for: ClientFor, *, out: TextIO | None = None) -> int:
    """Run one command; 0 when done, 1 with the reason on stderr when refused (nothing changed then)."""
    args = parser().parse_args(argv)
    out = out or sys.stdout
    try:
        client_for(args.team)
        if args.command == "export":
            text = export_json(team_id=args.team)
            if args.out:
                Path(args.out).write_text(text, encoding="utf-8")
                print(f"Wrote workspace {args.team}'s data to {args.out}.", file=out)
            else:
                out.write(text)
        elif args.command == "forget":
            print("\n".join(forget_user(team_id=args.team, user_id=args.user)), file=out)
        else:
            out.write(audit_text(team_id=args.team, program=args.program, since=" ".join(args.since or [])))
    except UserError as error:
        print(error.message, file=sys.stderr)
        return 1
    return 0


def export_json(*, team_id: str) -> str:
    """The workspace's data as JSON; raises UserError when it has none."""
    with unit_of_work() as session:
        return export.to_json(export.export_workspace(session, team_id=team_id, now=clock.now()))


def forget_user(*, team_id: str, user_id: str) -> list[str]:
    """Forget the person, then say what was removed (printed only once it is committed); raises UserError for a
    user id that isn't one."""
    if not forget.USER_ID.fullmatch(user_id):
        raise UserError(f"`{user_id}` is not a Slack user id.", "Give it as Slack shows it, e.g. --user U0123456789.")
    with unit_of_work() as session:
        report = forget.forget_person(session, team_id=team_id, user_id=user_id)
    return report.lines()


def audit_text(*, team_id: str, program: str | None, since: str) -> str:
    """The audit CSV, the rows from the start of `since` in the workspace's zone; raises UserError for a bad date."""
    with unit_of_work() as session:
        workspace = session.get(Workspace, team_id)
        zone = workspace.default_timezone if workspace else "UTC"
        start = None
        if since:
            today = clock.now().astimezone(audit.zone_of(zone)).date()
            start = audit.start_of_day(audit.read_past_date(since, today=today), timezone=zone)
        events = audit.audit_rows(session, team_id=team_id, program=program, since=start)
    if not events:
        print("No audit rows matched: the CSV has its header only.", file=sys.stderr)
    return audit.audit_csv(events)
