"""Cadence: `python app.py [serve|web|worker|tick [--at ISO]|console|export|forget|audit]`. See README.md.

Installed through Slack's OAuth flow (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET), the command-line tools take
`--team T…` to say which workspace they work on."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime

from slack_bolt import App
from slack_sdk import WebClient

# Importing the programs registers their nudge kinds and action items with the kernel, in every process that ticks.
import bot.programs  # noqa: F401
from bot import clock, db
from bot.audit import PROGRAM_ACTIONS
from bot.config import WEB_THREADS, MissingSettings, Settings, load_dotenv_file
from bot.slack.client import make_client
from bot.slack.installs import workspaces_for
from handlers.web import build_app, wsgi_app

log = logging.getLogger("cadence")


def serve_http(app: App, settings: Settings, *, host: str) -> None:
    """Serve /slack/events with waitress, a production WSGI server."""
    import waitress

    log.info("serving Slack requests on http://%s:%d/slack/events", host, settings.port)
    waitress.serve(wsgi_app(app), host=host, port=settings.port, threads=WEB_THREADS, ident="cadence")


def prepare(
    required: tuple[str, ...] = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"), *, web: bool = True, ticks: bool = True
) -> Settings:
    """Read settings, point at the database (a connection for each thread that answers Slack or delivers) and migrate
    it to head; exits with 2 naming what is missing."""
    load_dotenv_file()
    try:
        settings = Settings.from_env(required=required)
    except MissingSettings as missing:
        print(missing.explain(), file=sys.stderr)
        raise SystemExit(2) from None
    db.upgrade_to_head(settings.database_url)
    db.configure(settings.database_url, connections=settings.connections(web=web, ticks=ticks))
    return settings


def run_serve() -> None:
    """One process: Slack requests (HTTP, or Socket Mode with SLACK_APP_TOKEN) plus the scheduler."""
    from bot.cadence.scheduler import start_in_background

    settings = prepare()
    client = make_client(settings)
    app = build_app(settings, client)
    start_in_background(
        workspaces_for(settings, client),
        settings.delivery_workers,
        seconds=settings.tick_seconds,
        retention_days=settings.retention_days,
    )
    if settings.app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        log.info("connecting to Slack with Socket Mode")
        SocketModeHandler(app, settings.app_token).start()
    else:
        serve_http(app, settings, host=settings.host)


def run_web() -> None:
    """Slack requests only (the Procfile's web process); the worker process ticks."""
    settings = prepare(ticks=False)
    serve_http(build_app(settings), settings, host=settings.host)


def run_worker() -> None:
    """The scheduler only (the Procfile's worker process)."""
    from bot.cadence.scheduler import run_forever

    settings = prepare(required=("SLACK_BOT_TOKEN",), web=False)
    run_forever(
        workspaces_for(settings),
        settings.delivery_workers,
        seconds=settings.tick_seconds,
        retention_days=settings.retention_days,
    )


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant for --at; naive values are taken as UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"--at wants an ISO-8601 time such as 2026-11-23T09:30:00+01:00, not {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_tick(at: str | None) -> None:
    """One scheduler pass, at --at or now, then exit (cron-style platforms, operators, tests)."""
    from bot.cadence import dispatcher

    settings = prepare(required=("SLACK_BOT_TOKEN",), web=False)
    report = dispatcher.tick(
        parse_instant(at) if at else clock.now(),
        workspaces=workspaces_for(settings),
        workers=settings.delivery_workers,
    )
    print(f"claimed {report.claimed} occurrence(s); {report.outcome}")


def cli_client(settings: Settings, team: str | None) -> WebClient:
    """The client a command-line tool works with: SLACK_BOT_TOKEN's (single mode), or `--team`'s bot (OAuth mode);
    exits with 2 saying what is missing."""
    if not settings.oauth:
        return make_client(settings)
    if not team:
        raise SystemExit("Cadence is installed in several workspaces (OAuth mode): say which with --team T…")
    client = workspaces_for(settings).client_for(team)
    if client is None:
        raise SystemExit(f"Cadence is not installed in {team}: install it at /slack/install first")
    return client


def run_wg(args: argparse.Namespace) -> None:
    """Bulk onboarding: `wg import PAGE.md --channel C…` or `wg export C…` (markdown on stdout)."""
    from bot.working_groups.cli import main as wg_main

    settings = prepare(required=("SLACK_BOT_TOKEN",), web=False, ticks=False)
    words = ["import", args.page, args.channel] if args.wg_mode == "import" else ["export", args.channel]
    raise SystemExit(wg_main(words, cli_client(settings, args.team)))


def run_cocreate(args: argparse.Namespace) -> None:
    """Bulk onboarding: `cocreate import prospects.csv` or `cocreate export` (CSV on stdout)."""
    from bot.cocreate.cli import main as cocreate_main

    settings = prepare(required=("SLACK_BOT_TOKEN",), web=False, ticks=False)
    words = ["import", args.path] if args.cocreate_mode == "import" else ["export"]
    raise SystemExit(cocreate_main(words, cli_client(settings, args.team)))


def run_okr(args: argparse.Namespace) -> None:
    """Quarters from and back to handbook pages: `okr import PAGE.md` or `okr export FY20-Q2` (on stdout)."""
    from bot.okrs.cli import main as okr_main

    settings = prepare(required=("SLACK_BOT_TOKEN",), web=False, ticks=False)
    if args.okr_mode == "import":
        words = ["import", args.page, args.quarter or "", "replace" if args.replace else ""]
    else:
        words = ["export", args.quarter, args.format]
    raise SystemExit(okr_main(words, cli_client(settings, args.team)))


def run_admin(args: argparse.Namespace) -> None:
    """The admin's tools: `export --team T…`, `forget --team T… --user U…`, `audit --team T… [--program] [--since]`."""
    from bot.admin.cli import client_for_team
    from bot.admin.cli import main as admin_main
    from models import Workspace

    settings = prepare(required=("SLACK_BOT_TOKEN",), web=False, ticks=False)
    words = [args.mode, "--team", args.team]
    if args.mode == "export" and args.out:
        words += ["--out", args.out]
    elif args.mode == "forget":
        words += ["--user", args.user]
    elif args.mode == "audit":
        words += (["--program", args.program] if args.program else []) + (
            ["--since", *args.since] if args.since else []
        )

    # Single mode: the bot token's workspace only (auth.test says which). OAuth mode: any workspace Cadence holds
    # data of, installed or uninstalled and still within RETENTION_DAYS: these tools read and change the database
    # only, so an admin can export or forget during the grace, when the workspace has no token any more.
    def client_for(team_id: str) -> WebClient | None:
        if not settings.oauth:
            return client_for_team(settings, team_id)
        with db.unit_of_work() as session:
            known = session.get(Workspace, team_id) is not None
        if not known:
            raise SystemExit(f"Cadence is not installed in {team_id} and holds no data of it: check the --team id")
        return None

    raise SystemExit(admin_main(words, client_for))


def run_console() -> None:
    """The local playground: no Slack, the same app and database."""
    from devtools.console import main as console_main

    load_dotenv_file()
    console_main()


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python app.py", description=__doc__)
    sub = parser.add_subparsers(dest="mode")
    # OAuth mode: which installed workspace a command-line tool works on (single mode: SLACK_BOT_TOKEN's).
    team = argparse.ArgumentParser(add_help=False)
    team.add_argument("--team", help="the workspace (T…) to work on, when Cadence is installed in several")
    sub.add_parser("serve", help="Slack requests and the scheduler in one process (the default)")
    sub.add_parser("web", help="Slack requests only, under waitress")
    sub.add_parser("worker", help="the scheduler only")
    tick = sub.add_parser("tick", help="one scheduler pass, then exit")
    tick.add_argument("--at", help="pretend it is this ISO-8601 time")
    sub.add_parser("console", help="a local playground without Slack")
    wg = sub.add_parser("wg", help="working groups from the command line: import or export handbook pages")
    wg_sub = wg.add_subparsers(dest="wg_mode", required=True)
    wg_import = wg_sub.add_parser(
        "import", parents=[team], help="import a handbook page into a channel's working group"
    )
    wg_import.add_argument("page", help="the page's markdown file")
    wg_import.add_argument("--channel", required=True, help="the Slack channel id (C…) the group lives in")
    wg_export = wg_sub.add_parser("export", parents=[team], help="print a channel's working group as a handbook page")
    wg_export.add_argument("channel", help="the Slack channel id (C…)")
    cocreate = sub.add_parser("cocreate", help="co-create prospects from the command line: import or export CSV")
    cocreate_sub = cocreate.add_subparsers(dest="cocreate_mode", required=True)
    cocreate_import = cocreate_sub.add_parser(
        "import", parents=[team], help="create or update prospects from a CSV file (a bad row saves nothing)"
    )
    cocreate_import.add_argument("path", help="the CSV file; its first line names the columns")
    cocreate_sub.add_parser("export", parents=[team], help="print every prospect as CSV, the shape import reads")
    okr = sub.add_parser("okr", help="quarterly OKRs from the command line: import or export handbook pages")
    okr_sub = okr.add_subparsers(dest="okr_mode", required=True)
    okr_import = okr_sub.add_parser(
        "import", parents=[team], help="import a quarter's OKR page (objectives, key results, retro)"
    )
    okr_import.add_argument("page", help="the page's markdown file")
    okr_import.add_argument("--quarter", help="the quarter, e.g. FY20-Q2, when the page doesn't name it")
    okr_import.add_argument("--replace", action="store_true", help="replace the quarter if it is already imported")
    okr_export = okr_sub.add_parser("export", parents=[team], help="print a quarter as its handbook page (or JSON)")
    okr_export.add_argument("quarter", help="the quarter, e.g. FY20-Q2")
    okr_export.add_argument("--format", choices=("markdown", "json"), default="markdown")
    export = sub.add_parser("export", help="print a workspace's data (every program, with its history) as JSON")
    export.add_argument("--team", required=True, help="the workspace's team id (T…)")
    export.add_argument("--out", help="write the JSON to this file instead of stdout")
    forget = sub.add_parser("forget", help="remove a person's personal data, keeping the programs' records")
    forget.add_argument("--team", required=True, help="the workspace's team id (T…)")
    forget.add_argument("--user", required=True, help="the person's Slack user id (U…)")
    audit = sub.add_parser("audit", help="print a workspace's audit trail as CSV")
    audit.add_argument("--team", required=True, help="the workspace's team id (T…)")
    audit.add_argument("--program", choices=sorted(PROGRAM_ACTIONS), help="one program's rows")
    audit.add_argument("--since", nargs="+", help="from this day on, e.g. 2026-11-01 or 'last monday'")
    args = parser.parse_args(argv)
    mode = args.mode or "serve"
    if mode == "tick":
        run_tick(args.at)
    elif mode == "wg":
        run_wg(args)
    elif mode == "cocreate":
        run_cocreate(args)
    elif mode == "okr":
        run_okr(args)
    elif mode in ("export", "forget", "audit"):
        run_admin(args)
    else:
        {"serve": run_serve, "web": run_web, "worker": run_worker, "console": run_console}[mode]()


if __name__ == "__main__":
    main()
