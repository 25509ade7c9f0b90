"""ESP builders on paths no default set-up reaches through a request: a channel line listing more than four
accounts' checklists."""

from __future__ import annotations

from bot.esp import blocks as esp_blocks
from models import ChecklistItem, EspObligation


def test_a_channel_checklist_past_four_accounts_says_1_more_account() -> None:
    obligation = EspObligation(
        team_id="T", key="quarterly.nps_survey", period="quarterly", text="NPS", audience="channel"
    )
    lists = [(f"Acct {n}", [ChecklistItem(id=n, text="NPS", done=False)]) for n in range(1, 6)]
    nudge = esp_blocks.obligation_nudge(
        obligation, period="FY27-Q1", rule_label="quarterly", checklists=lists, program_items=[], late=False
    )
    assert "…and 1 more account: `/esp checklist`" in str(nudge["blocks"])
    assert "more accounts" not in str(nudge["blocks"])
    assert "ESP operating cadence · quarterly" in str(nudge["blocks"])
