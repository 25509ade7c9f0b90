"""The audit trail: services record each change in the same transaction as the change itself."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, insert, or_, select
from sqlalchemy.orm import Session

from bot.errors import PermissionDenied, UserError
from bot.handbook.dates import search_date
from bot.parsing import read_month, read_weekday
from bot.permissions import Actor
from bot.text import quoted
from models import ActionItem, AuditEvent


def record(
    session: Session,
    *,
    team_id: str,
    actor_id: str,
    action: str,
    subject_type: str,
    subject_id: int,
    at: datetime,
    **detail: Any,
) -> None:
    """Add one audit row (who did what to which row, when) in the caller's transaction."""
    # A Core insert, sent at once, rather than an ORM object flushed later: nothing reads the row back in the
    # same transaction, and the ORM's flush of it was a tenth of a /cadence add (bench/slash_roundtrip.py).
    values = {
        "team_id": team_id,
        "actor_id": actor_id,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "at": at,
        "detail": detail,
    }
    session.execute(_INSERT, values)


_INSERT = insert(AuditEvent.__table__)


def history(session: Session, *, team_id: str, subject_type: str, subject_id: int) -> list[AuditEvent]:
    """Every recorded change to one row, oldest first."""
    query = (
        select(AuditEvent)
        .where(
            AuditEvent.team_id == team_id,
            AuditEvent.subject_type == subject_type,
            AuditEvent.subject_id == subject_id,
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return list(session.scalars(query))


# ---- the audit trail exported: /cadence audit and `python app.py audit` --------------------------------------------

# Each program's actions, by the prefix its services record them under (bot/*/service.py). The engine's own are
# cadence's: reminders, nudge outcomes, workspace settings and time away. Action items (`action.*`) are shared by
# programs, so they go to the program the item belongs to (models.ActionItem.program).
PROGRAM_ACTIONS: dict[str, tuple[str, ...]] = {
    "cadence": ("cadence.", "nudge.", "workspace.", "away."),
    "wg": ("wg.",),
    "esp": ("esp.",),
    "cocreate": ("cocreate.",),
    "okr": ("okr.",),
}
ACTION_ITEM_ACTIONS = "action."
CSV_COLUMNS = ("at", "actor", "action", "subject_type", "subject_id", "detail")
# OWASP's CSV injection advice: a cell a spreadsheet would read as a formula starts with one of these; a leading
# apostrophe makes it text. Tab and carriage return are on OWASP's list too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
AUDIT_SINCE_USAGE = (
    "Write `/cadence audit`, `/cadence audit wg`, `/cadence audit since 2026-11-01` or "
    "`/cadence audit okr since last monday`; programs are "
    + ", ".join(f"`{name}`" for name in PROGRAM_ACTIONS)
    + ", and the date can be `2026-11-01`, `November 1, 2026`, `Nov 1`, `yesterday`, `monday`, `3 days ago` or "
    "`2 weeks ago`."
)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which rows an audit export holds: one program's (None: all) since the start of a day (None: from the first)."""

    program: str | None = None
    since: date | None = None


def read_audit_filter(words: list[str], *, today: date) -> AuditFilter:
    """`[program] [since DATE]`, the date read as people write it against the reader's `today`; raises UserError."""
    written = " ".join(words)
    lowered = [word.lower() for word in words]
    program = lowered[0] if lowered and lowered[0] in PROGRAM_ACTIONS else None
    rest = words[1:] if program else words
    if not rest:
        return AuditFilter(program=program)
    if rest[0].lower() != "since":
        raise UserError(
            f"I didn't understand {quoted(' '.join(rest))} in {quoted('/cadence audit ' + written)}.", AUDIT_SINCE_USAGE
        )
    if len(rest) == 1:
        raise UserError(
            f"I couldn't find the date after `since` in {quoted('/cadence audit ' + written)}.", AUDIT_SINCE_USAGE
        )
    return AuditFilter(program=program, since=read_past_date(" ".join(rest[1:]), today=today))


_AGO = re.compile(r"(?P<count>\d{1,3}|a|one)\s+(?P<unit>days?|weeks?)\s+ago")
_MONTH_DAY = re.compile(r"(?P<month>[a-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?")
_DAY_MONTH = re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>[a-z]{3,9})\.?")


def read_past_date(text: str, *, today: date) -> date:
    """A day on or before `today` as people write it: `2026-11-01`, `November 1, 2026`, `1 Nov 2026`, `Nov 1` (the
    last one that has been), `today`, `yesterday`, `monday` / `last monday` (the latest, today included), `3 days ago`;
    raises UserError for anything else or a day still to come."""
    cleaned = " ".join(text.lower().replace(",", ", ").split()).strip()
    found = _read_relative_past(cleaned, today) or _read_written_day(cleaned, today)
    if found is None:
        raise UserError(f"I couldn't read the date {quoted(text)}.", AUDIT_SINCE_USAGE)
    if found > today:
        raise UserError(f"{quoted(text)} is still to come, so there is nothing since then yet.", AUDIT_SINCE_USAGE)
    return found


def _read_relative_past(text: str, today: date) -> date | None:
    if text in ("today", "yesterday"):
        return today - timedelta(days=int(text == "yesterday"))
    weekday = read_weekday(text.removeprefix("last ").strip())
    if weekday is not None:
        return today - timedelta(days=(today.weekday() - weekday) % 7)
    match = _AGO.fullmatch(text)
    if match is None:
        return None
    count = int(match["count"]) if match["count"].isdigit() else 1
    return today - timedelta(days=count * (7 if match["unit"].startswith("week") else 1))


def _read_written_day(text: str, today: date) -> date | None:
    """A full date (any of bot/handbook/dates.py's forms, nothing else around it), or a month and day without a year:
    the latest such day on or before `today`."""
    found = search_date(text)
    if found is not None:
        return found.day if text[: found.start].strip(" ,") == "" and text[found.end :].strip(" ,.") == "" else None
    match = _MONTH_DAY.fullmatch(text) or _DAY_MONTH.fullmatch(text)
    month = read_month(match["month"]) if match else None
    if match is None or month is None:
        return None
    for year in (today.year, today.year - 1):
        try:
            day = date(year, month, int(match["day"]))
        except ValueError:
            return None
        if day <= today:
            return day
    return None


def check_may_export_audit(actor: Actor) -> None:
    """The audit trail names everyone's changes: workspace admins and owners only; raises PermissionDenied."""
    if not actor.is_admin:
        raise PermissionDenied(
            "Only a workspace admin or owner can export the audit trail.",
            "Ask one of them to run `/cadence audit`; `/cadence list` shows your own reminders.",
        )


def zone_of(timezone: str | None) -> ZoneInfo:
    """The named zone, UTC when none or unknown."""
    try:
        return ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def start_of_day(day: date, *, timezone: str | None) -> datetime:
    """00:00 of `day` in the reader's zone (UTC when unknown), as the instant it was."""
    return datetime.combine(day, time(0), zone_of(timezone)).astimezone(UTC)


def audit_rows(
    session: Session, *, team_id: str, program: str | None = None, since: datetime | None = None
) -> list[AuditEvent]:
    """The workspace's audit rows, oldest first: one program's (its action prefixes, and the action items that are
    its own) or all, from `since` on; raises KeyError for an unknown program."""
    query = select(AuditEvent).where(AuditEvent.team_id == team_id)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if program is not None:
        own = [AuditEvent.action.startswith(prefix, autoescape=True) for prefix in PROGRAM_ACTIONS[program]]
        items_of_program = (
            select(ActionItem.id).where(ActionItem.team_id == team_id, ActionItem.program == program).scalar_subquery()
        )
        own.append(
            and_(
                AuditEvent.action.startswith(ACTION_ITEM_ACTIONS, autoescape=True),
                AuditEvent.subject_type == "action_item",
                AuditEvent.subject_id.in_(items_of_program),
            )
        )
        query = query.where(or_(*own))
    return list(session.scalars(query.order_by(AuditEvent.at, AuditEvent.id)))


def safe_cell(value: str) -> str:
    """A cell no spreadsheet runs as a formula: one starting with = + - @ (or tab, CR) gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def audit_csv(events: list[AuditEvent]) -> str:
    """The rows as CSV (CSV_COLUMNS: `at` in ISO-8601 UTC, `detail` as JSON), every cell formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for event in events:
        cells = (
            event.at.astimezone(UTC).isoformat(),
            event.actor_id,
            event.action,
            event.subject_type,
            str(event.subject_id),
            json.dumps(event.detail or {}, ensure_ascii=False, sort_keys=True),
        )
        writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()
