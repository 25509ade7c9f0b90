"""The nudge message a cadence posts, before and after someone answers it."""

from __future__ import annotations

from bot.blocks.common import Message, actions, button, context, ephemeral, message, reader_time, section, slack_date
from bot.cadence import ids
from bot.cadence.rules import Recurrence, describe
from bot.cadence.views import NudgeState
from bot.text import escape
from models import Cadence, Delivery, NudgeOutcome

NUDGE_EVENT_TYPE = "cadence_nudge"

OUTCOME_WORDS = {
    NudgeOutcome.DONE: ":white_check_mark: Done",
    NudgeOutcome.SNOOZED: ":zzz: Snoozed",
    NudgeOutcome.SKIPPED: ":fast_forward: Skipped this time",
}


def nudge_message(cadence: Cadence, delivery: Delivery, rule: Recurrence) -> Message:
    """The nudge: the reminder text, its rule, a late or snooze note, and Done/Snooze/Skip (or who answered)."""
    title = escape(cadence.title)
    about = [f"{escape(describe(rule))} · reminder #{cadence.id}"]
    if delivery.snoozed_from_id is not None:
        about.append("snoozed reminder")
    if delivery.late:
        # Each reader sees the time in their own zone; the fallback (notifications, the console) in the cadence's.
        about.append(f":hourglass: late: this was due {slack_date(delivery.occurrence_at, timezone=rule.timezone)}")
    blocks = [section(f":alarm_clock: *{title}*"), context(" · ".join(about))]
    value = str(delivery.id)
    if delivery.outcome is None:
        blocks.append(
            actions(
                button("Done", ids.NUDGE_DONE, value, style="primary"),
                button("Snooze 1 day", ids.NUDGE_SNOOZE_DAY, value),
                button("Snooze 1 week", ids.NUDGE_SNOOZE_WEEK, value),
                button("Skip this time", ids.NUDGE_SKIP, value),
                block_id=f"cadence.nudge.{delivery.id}",
            )
        )
    else:
        answered = f"{OUTCOME_WORDS[NudgeOutcome(delivery.outcome)]} by <@{delivery.outcome_by}>"
        if delivery.outcome_at is not None:
            answered += f", {slack_date(delivery.outcome_at, timezone=rule.timezone)}"
        blocks.append(section(answered, accessory=button("Undo", ids.NUDGE_UNDO, value)))
    return message(f"Reminder: {title}", blocks)


ALREADY_WORDS = {
    NudgeOutcome.DONE: "done",
    NudgeOutcome.SNOOZED: "snoozed",
    NudgeOutcome.SKIPPED: "skipped this time",
}


def already_answered(state: NudgeState, *, timezone: str) -> Message:
    """For the press that came second: who answered first and how (times in the reader's zone); nothing changed."""
    delivery = state.delivery
    if delivery.outcome is None:
        by = f" by <@{state.reopened_by}>" if state.reopened_by else ""
        return ephemeral(f":information_source: Already reopened{by}; nothing changed.")
    said = f"Already {ALREADY_WORDS[NudgeOutcome(delivery.outcome)]} by <@{delivery.outcome_by}>"
    if delivery.outcome == NudgeOutcome.SNOOZED and state.snoozed_until is not None:
        said += f" until {reader_time(state.snoozed_until, timezone)}"
    return ephemeral(f":information_source: {said}; nothing changed.")
