"""The App Home tab."""

from __future__ import annotations

from typing import Any

from bot.blocks.common import actions, button, context, divider, header, section
from bot.cadence import ids
from bot.cadence.blocks.reminders import LIST_LIMIT, cadence_line, failure_note
from bot.cadence.views import CadenceView


def home_view(views: list[CadenceView], *, user_id: str, program_sections: list[Any] | None = None) -> dict[str, Any]:
    """The Home tab: each program's section for the user (working groups and items, outreach steps, key results to
    score), then the reminders they created or that are sent to them, then the others in `views` (the caller passes
    only what the user may see: reminders in channels they are in)."""
    mine = [v for v in views if user_id in (v.created_by, *v.recipient_ids)]
    others = [v for v in views if v not in mine]
    blocks: list[Any] = [
        header("Cadence"),
        section("Recurring reminders for this workspace. Type `/cadence help` in any channel for the commands."),
        actions(button("New reminder", ids.CADENCE_OPEN_MODAL, "new", style="primary")),
        divider(),
        *(program_sections or []),
    ]
    for title, group in (("Yours", mine), ("In your channels", others)):
        if not group:
            continue
        blocks.append(header(f"{title} ({len(group)})"))
        for view in group[:LIST_LIMIT]:
            blocks.append(section(cadence_line(view)))
            if view.failed:
                blocks.append(context(failure_note(view)))
    if not views:
        blocks.append(context("No reminders yet."))
    return {"type": "home", "blocks": blocks[:100]}
