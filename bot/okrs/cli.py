"""`python app.py okr import PAGE.md [--quarter FY20-Q2] [--replace]` and
`python app.py okr export QUARTER [--format markdown|json]`: quarters from and back to handbook pages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from slack_sdk import WebClient

from bot import clock
from bot.db import unit_of_work
from bot.errors import UserError
from bot.handbook.report import ImportReport
from bot.okrs import page as okr_page
from bot.okrs import service
from bot.okrs.blocks.importing import whole_quarter_warning
from bot.permissions import operator_of


def import_file(path: Path, *, quarter: str | None, replace: bool, client: WebClient) -> str:
    """Import the page in one transaction; returns what was saved (one line) and the import report. Raises UserError
    with nothing saved when the page can't be read or the quarter is already imported (without `replace`)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"I couldn't read {path}: {error}.", "Give the path of a UTF-8 markdown file.") from None
    report = ImportReport()
    page = okr_page.read_okr_page(text, quarter=quarter, report=report)
    team_id, actor = operator_of(client)
    with unit_of_work() as session:
        saved = service.import_page(
            session, team_id=team_id, actor=actor, page=page, now=clock.now(), replace=replace, report=report
        )
        counts = service.counts_of(session, quarter=saved)
        label, span, reminded = saved.label, service.span_of(saved), service.reminded_as(session, quarter=saved)
    if reminded is not None:
        print(f"Warning: {whole_quarter_warning(span, reminded).replace('`', '')}", file=sys.stderr)
    saved_line = (
        f"Imported {label}: {counts.objectives} objectives, {counts.key_results} key results "
        f"({counts.scored} scored), {counts.retro_teams} retrospective teams"
    )
    return f"{saved_line}\n{report.as_text()}"


def export_quarter(label: str, *, as_json: bool, client: WebClient) -> str:
    """The quarter as the handbook's markdown (or JSON); raises UserError when it isn't imported."""
    team_id, _actor = operator_of(client)
    with unit_of_work() as session:
        quarter = service.quarter_named(session, team_id=team_id, label=label, today=clock.now().date())
        page = service.page_of(session, quarter=quarter)
    if as_json:
        return json.dumps(okr_page.page_as_json(page), indent=2, ensure_ascii=False) + "\n"
    return okr_page.write_okr_page(page)


def main(words: list[str], client: WebClient) -> int:
    """Run `import` or `export` (already parsed by app.py into words); prints the problem to stderr and returns 1 on
    a user error (nothing saved)."""
    try:
        if words[0] == "import":
            print(import_file(Path(words[1]), quarter=words[2] or None, replace=words[3] == "replace", client=client))
        else:
            sys.stdout.write(export_quarter(words[1], as_json=words[2] == "json", client=client))
    except UserError as error:
        print(error.message, file=sys.stderr)
        return 1
    return 0
