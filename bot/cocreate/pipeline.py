"""The pipeline as `/cocreate pipeline` and the weekly digest show it: the quarter's funnel and, when it runs short,
whom to contact next.

It stands above both services: the funnel is counted in `service`, the ranking read in `prospects`, and neither
imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cadence.service import calendar_of
from bot.cocreate import rules
from bot.cocreate.prospects import top
from bot.cocreate.service import quarter_funnel
from models import Prospect


@dataclass(frozen=True, slots=True)
class PipelineView:
    """What `/cocreate pipeline` and the weekly digest show: the quarter's funnel, the prospects to contact next when
    its pipeline is short, and whether the workspace has any prospect at all (none: say how to add the first)."""

    funnel: rules.Funnel
    next_up: list[str]
    has_prospects: bool


def pipeline_of(session: Session, *, team_id: str, today: date, quarter_label: str | None = None) -> PipelineView:
    """The pipeline of the named fiscal quarter (the current one by default); raises UserError for a label that is no
    fiscal quarter, or before `/cocreate setup`."""
    calendar = calendar_of(session, team_id=team_id)
    quarter = calendar.parse_quarter(quarter_label) if quarter_label else calendar.quarter_of(today)
    funnel = quarter_funnel(session, team_id=team_id, quarter=quarter)
    next_up = next_to_contact(session, team_id=team_id) if funnel.short_by else []
    # Only an empty list needs the extra read: a name to contact next is itself a prospect.
    any_row = select(Prospect.id).where(Prospect.team_id == team_id).limit(1)
    return PipelineView(funnel, next_up, bool(next_up) or session.scalar(any_row) is not None)


def next_to_contact(session: Session, *, team_id: str, limit: int = 5) -> list[str]:
    """The seed's top-25 prospects not yet contacted or not fully scored, best first: whom the digest names when the
    pipeline runs short."""
    ranked = top(session, team_id=team_id, n=rules.TOP_N)
    return [row.name for row in ranked if not row.contacted or not row.fully_scored][:limit]
