"""`python app.py export --team T…`: every row of every table of one workspace, as JSON, grouped by table.

Generic over `models.Base.metadata`: every table with a `team_id` column is exported, so a table added later is in
the export without touching this module (tests/bot/admin/test_export.py fails if one is missed). Datetimes are
ISO-8601 UTC, dates ISO, JSON columns stay JSON. Credentials are never written out: a column whose name says it
holds a token, a secret or a webhook URL (an OAuth installation's) is left out, by name, wherever it is.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Table, select
from sqlalchemy.orm import Session

from bot.errors import UserError
from models import Base

CREDENTIAL_COLUMN = re.compile(r"token|secret|webhook|password", re.IGNORECASE)


def team_tables() -> list[Table]:
    """Every table that holds a workspace's rows (it has `team_id`), by name."""
    return sorted((t for t in Base.metadata.tables.values() if "team_id" in t.c), key=lambda t: t.name)


def exported_columns(table: Table) -> list[Column[Any]]:
    """The table's columns but its credentials."""
    return [column for column in table.c if not CREDENTIAL_COLUMN.search(column.name)]


def workspace_rows(session: Session, *, team_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows of the workspace, in primary-key order, as plain values (datetimes aware UTC)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table in team_tables():
        columns = exported_columns(table)
        query = select(*columns).where(table.c.team_id == team_id).order_by(*table.primary_key.columns)
        found[table.name] = [dict(row._mapping) for row in session.execute(query)]
    return found


def export_workspace(session: Session, *, team_id: str, now: datetime) -> dict[str, Any]:
    """The workspace's data as one JSON-ready document; raises UserError when it has none at all."""
    tables = workspace_rows(session, team_id=team_id)
    if not any(tables.values()):
        raise UserError(
            f"Workspace {team_id} has no Cadence data, so there is nothing to export.",
            "Check the team id (`auth.test` of its bot token gives it, e.g. T0123456789).",
        )
    return {
        "team_id": team_id,
        "exported_at": now.isoformat(),
        "row_counts": {name: len(rows) for name, rows in tables.items()},
        "tables": tables,
    }


def to_json(document: dict[str, Any]) -> str:
    """The export as indented JSON: datetimes and dates as ISO-8601 (aware datetimes are UTC, as stored)."""
    return json.dumps(document, indent=2, ensure_ascii=False, default=_iso) + "\n"


def _iso(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")
