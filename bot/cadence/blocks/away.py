"""Time away in Slack: the command's replies, the catch-up DM, the App Home section, the form and the offer.

Its ids live here rather than in ids.py: one file per surface of this feature, named `cadence.away.thing.verb`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.common import Block, Message, actions, button, context, ephemeral, header, message, section
from bot.cadence.away_rules import EXAMPLE, AwayChange, CatchUpItem, short_day
from bot.errors import UserError
from bot.text import clip, escape
from models import Away

AWAY_MODAL = "cadence.away.modal.submit"
AWAY_OPEN_MODAL = "cadence.away.home.open"
AWAY_END = "cadence.away.home.end"
AWAY_OFFER_SET = "cadence.away.offer.set"
AWAY_OFFER_PICK = "cadence.away.offer.pick"
MODAL_FIRST = "cadence.away.modal.first"
MODAL_LAST = "cadence.away.modal.last"
CATCH_UP_LIMIT = 40  # cadences listed one block each, under Slack's 50 blocks with the heading and the closing lines
# Where each program's held nudges are acted on (names only: the kernel imports no program): a kind's own entry,
# else its program's.
ACT_HERE = {
    "reminder": "`/cadence list`",
    # The overdue DM lists every program's items (an OKR retrospective's too, in no group's channel), and it comes
    # again each morning while one stays overdue.
    "wg.overdue": "the buttons of the overdue DM, which comes each morning while an item stays overdue",
    "wg": "`/wg actions mine` in the group's channel",
    "esp": "`/esp checklist`",
    "cocreate": "`/cocreate`",
    "okr": "`/okr`",
}


def span_words(first: date, last: date) -> str:
    """`Mon 21 Dec – Mon 4 Jan`, or one day."""
    return short_day(first) if first == last else f"{short_day(first)} – {short_day(last)}"


def _back_day(away: Away) -> str:
    return short_day(away.last_day + timedelta(days=1))


def away_state(away: Away | None, *, now: datetime) -> str:
    """One line: away now, away to come, or not away."""
    if away is None:
        return f"You aren't set as away. When you go on holiday: {EXAMPLE}."
    held = f" {away.held_count} held so far." if away.held_count else ""
    if away.starts_at <= now:
        return (
            f":palm_tree: You're away until {short_day(away.last_day)}: nudges sent to you are held.{held} "
            f"One catch-up comes on {_back_day(away)}."
        )
    return f":palm_tree: You'll be away {span_words(away.first_day, away.last_day)}."


def away_reply(change: AwayChange | None, *, away: Away | None, now: datetime) -> Message:
    """The answer to `/cadence away …`: what is set now, what it does, and how to end it."""
    if change is not None and change.what in ("ended", "cancelled"):
        if change.what == "cancelled":
            days = span_words(change.away.first_day, change.away.last_day)
            text = f":white_check_mark: Called off your time away ({days}). Nothing was held."
        else:
            held = f"{change.held} nudge" + ("" if change.held == 1 else "s")
            text = f":wave: Welcome back! {held} came due while you were away: your catch-up is on its way."
        return ephemeral(text)
    if away is None:
        return ephemeral(away_state(None, now=now))
    verb = "Changed: you're" if change is not None and change.what == "changed" else "Set: you're"
    days = span_words(away.first_day, away.last_day)
    lines = [
        f":palm_tree: {verb} away {days} ({escape(away.timezone)})."
        if change is not None
        else away_state(away, now=now),
        "Every nudge sent to you by DM, in every program, is held until you're back; then one catch-up lists "
        f"what came due (on {_back_day(away)}). Channel nudges still go out and say you're away.",
        "Back early? `/cadence away off`.",
    ]
    return ephemeral(" ".join(lines[:1]), [section("\n".join(lines))])


def catch_up_message(away: Away, items: list[CatchUpItem], *, held_count: int) -> Message:
    """The welcome-back DM: each held cadence once, the days it came due (in the person's zone), its latest text."""
    days = span_words(away.first_day, away.last_day if away.ended_at is None else _ended_day(away))
    if not items:
        text = f"Welcome back! Nothing came due for you while you were away ({days})."
        return message(text, [section(f":wave: {text}")])
    noun = "nudge" if held_count == 1 else "nudges"
    text = f"Welcome back! {held_count} {noun} came due while you were away ({days})"
    blocks: list[Block] = [
        header("Welcome back"),
        section(f":wave: While you were away ({days}), {held_count} {noun} came due. Each is listed once:"),
    ]
    zone = ZoneInfo(away.timezone)
    for item in items[:CATCH_UP_LIMIT]:
        blocks.append(section(_item_text(item, zone)))
    if len(items) > CATCH_UP_LIMIT:
        blocks.append(context(f"…and {len(items) - CATCH_UP_LIMIT} more."))
    blocks.append(context("Nudges come to you as usual again from now on."))
    return message(text, blocks)


def _ended_day(away: Away) -> date:
    assert away.ended_at is not None
    return min(away.last_day, away.ended_at.astimezone(ZoneInfo(away.timezone)).date())


def _item_text(item: CatchUpItem, zone: ZoneInfo) -> str:
    days = [moment.astimezone(zone) for moment in item.due]
    when = ", ".join(f"{d:%a} {d.day} {d:%b} {d:%H:%M}" for d in days[:6]) + (
        f" and {len(days) - 6} more time{'' if len(days) == 7 else 's'}" if len(days) > 6 else ""
    )
    where = f" · also in <#{item.channel_id}>" if item.channel_id else ""
    act = ACT_HERE.get(item.kind) or ACT_HERE.get(item.kind.split(".")[0], ACT_HERE["reminder"])
    title = escape(clip(item.title, 150))
    said = [line for line in item.summary.splitlines() if title not in line][:8]  # the title is shown already
    summary = "".join(f"\n> {line}" for line in said)
    return clip(f"*{title}* · due {when}{where} · act on it with {act}{summary}", 2900)


def home_section(away: Away | None, *, now: datetime) -> list[Block]:
    """App Home: whether nudges to you are held, with a button to set time away, change it or end it."""
    if away is None:
        return [
            section(
                ":palm_tree: *Going on holiday?* Hold every nudge sent to you until you're back, "
                "then get one catch-up.",
                accessory=button("Set time away", AWAY_OPEN_MODAL, "new"),
            )
        ]
    end = "I'm back" if away.starts_at <= now else "Call it off"
    return [
        section(away_state(away, now=now)),
        actions(button("Change dates", AWAY_OPEN_MODAL, str(away.id)), button(end, AWAY_END, str(away.id))),
    ]


def away_modal(*, first: date, last: date | None) -> dict[str, Any]:
    """The form: first and last day away (both inclusive, in your zone)."""
    last_picker: dict[str, Any] = {"type": "datepicker", "action_id": MODAL_LAST}
    if last is not None:
        last_picker["initial_date"] = last.isoformat()
    return {
        "type": "modal",
        "callback_id": AWAY_MODAL,
        "title": {"type": "plain_text", "text": "Time away"},
        "submit": {"type": "plain_text", "text": "Hold my nudges"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section("Nudges sent to you are held from the first day to the last; one catch-up comes the day after."),
            {
                "type": "input",
                "block_id": MODAL_FIRST,
                "label": {"type": "plain_text", "text": "First day away"},
                "element": {"type": "datepicker", "action_id": MODAL_FIRST, "initial_date": first.isoformat()},
            },
            {
                "type": "input",
                "block_id": MODAL_LAST,
                "label": {"type": "plain_text", "text": "Last day away"},
                "element": last_picker,
            },
        ],
    }


def saved_modal(reply: Message) -> dict[str, Any]:
    """What the form turns into when its confirmation DM can't be sent: the confirmation itself, and that the time
    away is saved (nothing to set again)."""
    note = "I couldn't send you this by DM. It is saved: `/cadence away` shows it."
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Time away"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [*(reply.get("blocks") or [section(reply["text"])]), context(note)],
    }


def read_away_modal(view: dict[str, Any]) -> tuple[date, date]:
    """The two days picked; raises UserError under the field that is missing."""
    values = view.get("state", {}).get("values", {})
    picked = []
    for block_id, what in ((MODAL_FIRST, "first"), (MODAL_LAST, "last")):
        raw = (values.get(block_id, {}).get(block_id) or {}).get("selected_date")
        try:
            picked.append(date.fromisoformat(str(raw)))
        except ValueError:
            raise UserError(f"Pick the {what} day you're away.", field=block_id) from None
    return picked[0], picked[1]


def offer_message(offer_id: int, *, last_day: date | None) -> Message:
    """The one-time ephemeral offer when a Slack status says the person is on holiday."""
    text = "Your Slack status says you're on holiday. Shall I hold your nudges until you're back?"
    buttons = []
    if last_day is not None:
        label = f"Hold them until {short_day(last_day)}"
        buttons.append(button(label, AWAY_OFFER_SET, str(offer_id), style="primary"))
    buttons.append(button("Pick dates…", AWAY_OFFER_PICK, str(offer_id)))
    blocks = [
        section(f":palm_tree: {text}"),
        actions(*buttons),
        context(f"Or type {EXAMPLE}. I'll only ask once for this status."),
    ]
    return message(text, blocks)
