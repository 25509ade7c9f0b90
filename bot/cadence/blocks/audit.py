"""`/cadence audit`: the replies to an admin's export of the audit trail, and the comment on the file sent."""

from __future__ import annotations

from datetime import datetime

from bot.audit import AuditFilter
from bot.blocks.common import Message, ephemeral


def rows(count: int) -> str:
    """`1 audit row`, `12 audit rows`."""
    return f"{count:,} audit row" + ("" if count == 1 else "s")


def described(wanted: AuditFilter) -> str:
    """What the export covers: `every program's changes since 2026-11-01`, `wg's changes`…"""
    whose = f"`{wanted.program}`'s changes" if wanted.program else "every program's changes"
    return whose + (f" since {wanted.since.isoformat()}" if wanted.since else "")


def retry_command(wanted: AuditFilter) -> str:
    """The command that asks for the same export again."""
    words = ["/cadence audit"] + ([wanted.program] if wanted.program else [])
    words += [f"since {wanted.since.isoformat()}"] if wanted.since else []
    return "`" + " ".join(words) + "`"


def audit_filename(team_id: str, wanted: AuditFilter, *, now: datetime) -> str:
    """`cadence-audit-T0001-wg-since-2026-11-01-20261201T2238Z.csv`: what it holds, and when it was made."""
    parts = ["cadence-audit", team_id] + ([wanted.program] if wanted.program else [])
    parts += [f"since-{wanted.since.isoformat()}"] if wanted.since else []
    return "-".join(parts + [now.strftime("%Y%m%dT%H%MZ")]) + ".csv"


def audit_file_comment(count: int, wanted: AuditFilter) -> str:
    """The message the file comes with in the admin's DM."""
    return (
        f"The audit trail you asked for: {rows(count)}, {described(wanted)}. Columns: at (UTC), actor, action, "
        "subject type, subject id, detail (JSON)."
    )


def audit_sent_reply(count: int, wanted: AuditFilter) -> Message:
    """Said once Slack has the file in the admin's DM."""
    return ephemeral(f":page_facing_up: Sent you {rows(count)} ({described(wanted)}) as a CSV file in our DM.")


def audit_empty_reply(wanted: AuditFilter) -> Message:
    """No row matched: nothing is sent."""
    return ephemeral(
        f"There are no audit rows for {described(wanted)}, so I sent nothing. "
        "`/cadence audit` exports every program's changes from the first."
    )


def audit_not_sent_reply(count: int, wanted: AuditFilter, *, said: str) -> Message:
    """Slack refused or dropped the upload: nothing reached the admin and nothing was saved, so asking again is safe."""
    return ephemeral(
        f":warning: I couldn't send you the audit CSV ({rows(count)}): {said}. Nothing was sent, "
        f"and exporting changes nothing, so try again with {retry_command(wanted)}."
    )


def audit_maybe_sent_reply(count: int, wanted: AuditFilter) -> Message:
    """Slack didn't answer the upload in time: the file may still arrive, so don't claim either way."""
    return ephemeral(
        f":hourglass: Slack didn't answer in time while I sent you the audit CSV ({rows(count)}), so it may still "
        f"show up in our DM. If it hasn't in a minute, ask again with {retry_command(wanted)}: exporting changes "
        "nothing."
    )
