"""Block Kit for the Executive Sponsorship Program: help, accounts, the sponsor map, scorecards, the operating
cadence, its nudges and checklists, and the missing-touchpoint DM."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.blocks import ids
from bot.blocks.common import Block, Message, button, context, ephemeral, header, message, section, slack_date
from bot.cadence.rules import describe, from_dict
from bot.text import clip, escape
from models import Cadence, ChecklistItem, EspAccount, EspObligation, Sponsorship

ESP_HELP = """\
*`/esp setup [@program-manager]`*: install the program in this channel with every line of the operating cadence.
*`/esp account add "Name" [tier 1] [csm @u] [ae @u] [sa @u]`* · *`/esp account "Name" tier 2`* · *`/esp accounts`*
*`/esp assign @sponsor "Account" [from <date>] [force]`*: a commitment of at least a year; at most 4 accounts a sponsor.
*`/esp unassign "Account" [@sponsor] [reason "…"]`*: before a year is up it needs a reason and is marked early.
*`/esp map`*: sponsors, their accounts and when each commitment ends.
*`/esp touchpoint "Account" informal|face-to-face|ebr [date] ["notes"]`*
*`/esp kpi "Account" influence 4 sentiment 3 strength 5 engagement 2`* (1–5 each; also `use-cases 3`, \
`time-to-value 45`, `arr-growth 12%`) · *`/esp nps "Account" 9 10 6`* · *`/esp roadblock "Account"`* · \
*`/esp reference "Account"`*
*`/esp scorecard ["Account"]`*: KPIs now, this quarter's change and what is missing.
*`/esp cadence`*: the operating cadence · *`/esp cadence off 3`* · *`/esp cadence 3 every monday at 08:00`*
*`/esp checklist ["Account"]`*: this quarter's and year's obligations per account, ticked from buttons.
"""


def esp_help() -> Message:
    """The /esp help, ephemeral."""
    blocks = [
        header("Executive Sponsorship Program: /esp"),
        section(ESP_HELP),
        context(
            "In the program's channel (#executive-sponsor-program in the handbook). "
            "The program manager owns the operating cadence and the accounts."
        ),
    ]
    return ephemeral("How to use /esp", blocks)


def person(user_id: str | None) -> str:
    """A mention built from a stored id, or a dash."""
    return f"<@{user_id}>" if user_id else "—"


def account_line(account: EspAccount, sponsors: list[str]) -> str:
    """`*Acme* · tier 1 · CSM @a · AE @b · SA @c · sponsor @s`."""
    team = f"CSM {person(account.csm_id)} · AE {person(account.ae_id)} · SA {person(account.sa_id)}"
    sponsor = ", ".join(person(s) for s in sponsors) or "no sponsor yet"
    state = "" if account.active else " · inactive"
    return f"*{escape(account.name)}* · tier {account.tier} · {team} · sponsor {sponsor}{state}"


def accounts_list(accounts: list[tuple[EspAccount, list[str]]]) -> Message:
    """`/esp accounts`."""
    if not accounts:
        return ephemeral('No accounts yet. `/esp account add "Acme" tier 1 csm @csm` adds one.')
    lines = [account_line(a, sponsors) for a, sponsors in accounts]
    return ephemeral(f"{len(accounts)} accounts", [header(f"Accounts ({len(accounts)})"), *_packed(lines)])


def sponsor_map(rows: list[tuple[Sponsorship, EspAccount]], *, today: date) -> Message:
    """`/esp map`: each sponsor with their accounts and commitment end dates."""
    if not rows:
        return ephemeral('Nobody is assigned yet. `/esp assign @sponsor "Acme"` maps a sponsor to an account.')
    by_sponsor: dict[str, list[str]] = {}
    for sponsorship, account in rows:
        ends = sponsorship.commitment_ends_on
        committed = "committed until " + ends.isoformat() if ends > today else f"commitment met {ends.isoformat()}"
        by_sponsor.setdefault(sponsorship.sponsor_id, []).append(f"{escape(account.name)} ({committed})")
    lines = [f"{person(s)} · {len(a)}/4 · " + "; ".join(a) for s, a in by_sponsor.items()]
    return ephemeral(f"{len(by_sponsor)} sponsors", [header("Sponsor map"), *_packed(lines)])


def _packed(lines: list[str], limit: int = 2900) -> list[Block]:
    blocks: list[Block] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > limit:
            blocks.append(section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(section(current))
    return blocks[:45]


def scorecard_message(title: str, card: Any) -> Message:
    """A scorecard: each KPI's current value and its change this quarter, then what is missing."""
    lines = [f"*{escape(label)}*: {escape(value)}" for label, value in card.lines()]
    missing = [f":warning: {escape(m)}" for m in card.missing]
    blocks = [header(clip(title, 150)), *_packed(lines or ["No readings yet."])]
    if missing:
        blocks.append(section("*Missing*\n" + "\n".join(missing)))
    return ephemeral(escape(title), blocks)  # the fallback is mrkdwn too: an account's name in it is escaped


def obligations_list(rows: list[tuple[EspObligation, Cadence | None]]) -> Message:
    """`/esp cadence`: every line of the operating cadence, numbered, with when it runs and to whom."""
    lines = []
    for number, (row, cadence) in enumerate(rows, start=1):
        when = escape(describe(from_dict(cadence.rule))) if cadence else "not scheduled"
        state = "" if row.enabled else " · :double_vertical_bar: off"
        lines.append(
            f"*{number}.* {escape(row.text)} · _{row.period}_ · to {row.audience.replace('_', ' ')} · {when}{state}"
        )
    return ephemeral(
        "Operating cadence",
        [
            header("Operating cadence"),
            *_packed(lines),
            context("`/esp cadence off N`, `/esp cadence on N`, `/esp cadence N every monday at 08:00`"),
        ],
    )


def checklist_blocks(account_name: str, items: list[ChecklistItem]) -> list[Block]:
    """One account's checklist: a line per item, a Done button on the open ones."""
    blocks: list[Block] = [section(f"*{escape(account_name)}*")]
    for item in items[:10]:
        mark = ":white_check_mark:" if item.done else ":white_large_square:"
        who = f" · <@{item.done_by}>" if item.done and item.done_by else ""
        accessory = None if item.done else button("Done", ids.ESP_CHECKLIST_DONE, str(item.id))
        blocks.append(section(f"{mark} {escape(item.text)}{who}", accessory=accessory))
    return blocks


def obligation_nudge(
    obligation: EspObligation,
    *,
    period: str,
    checklists: list[tuple[str, list[ChecklistItem]]],
    program_items: list[ChecklistItem],
    late: bool,
) -> Message:
    """A line of the operating cadence, with the recipient's checklists when it is per account."""
    title = f":calendar: *{escape(obligation.text)}*" + (f" · {period}" if period else "")
    blocks: list[Block] = [section(title)]
    if late:
        blocks.append(context(":hourglass: late: Cadence was down when this was due"))
    if program_items:
        blocks += checklist_blocks("Program manager checklist", program_items)
    for account_name, items in checklists[:4]:
        blocks += checklist_blocks(account_name, items)
    if len(checklists) > 4:
        blocks.append(context(f"…and {len(checklists) - 4} more accounts: `/esp checklist` shows them all."))
    if obligation.key == "quarterly.scorecard":
        blocks.append(section('The scorecard as it stands: `/esp scorecard` (one account: `/esp scorecard "Acme"`).'))
    blocks.append(context(f"ESP operating cadence · {obligation.period} · `/esp cadence` to change it"))
    return message(f"ESP: {escape(obligation.text)}", blocks[:50])


def checklist_message(period_lists: list[tuple[str, list[tuple[str, list[ChecklistItem]]]]]) -> Message:
    """`/esp checklist`: per period, per account."""
    blocks: list[Block] = []
    for period, lists in period_lists:
        blocks.append(header(f"Checklist {period}"))
        for name, items in lists:
            blocks += checklist_blocks(name, items)
    if not blocks:
        return ephemeral("No checklists yet: they start with the quarter's first operating-cadence nudge.")
    return ephemeral("ESP checklists", blocks[:50])


def touchpoint_reminder(
    *, quarterly: list[str], face_to_face: list[str], quarter_end: date | None, year_end: date | None
) -> Message:
    """The sponsor's one DM: accounts with no touchpoint this quarter, and no face-to-face meeting this year."""
    blocks: list[Block] = []
    if quarterly:
        names = ", ".join(f"*{escape(n)}*" for n in quarterly)
        blocks.append(
            section(
                f":handshake: No touchpoint yet this quarter (ends {quarter_end}) with {names}. "
                "The program asks for at least one informal touchpoint a quarter."
            )
        )
    if face_to_face:
        names = ", ".join(f"*{escape(n)}*" for n in face_to_face)
        blocks.append(
            section(
                f":busts_in_silhouette: No face-to-face meeting yet this fiscal year (ends {year_end}) with {names}."
            )
        )
    blocks.append(context('Log one with `/esp touchpoint "Account" informal 2026-11-20 "coffee with their CTO"`.'))
    count = len(set(quarterly) | set(face_to_face))
    return message(f"{count} of your accounts need a touchpoint", blocks)


def assigned_reply(sponsorship: Sponsorship, account: EspAccount) -> Message:
    """After `/esp assign`."""
    return ephemeral(
        f":white_check_mark: <@{sponsorship.sponsor_id}> now sponsors *{escape(account.name)}* from "
        f"{sponsorship.started_on}, committed until {sponsorship.commitment_ends_on}."
    )


def unassigned_reply(sponsorship: Sponsorship, account: EspAccount) -> Message:
    """After `/esp unassign`."""
    early = " early (before the one-year commitment)" if sponsorship.ended_early else ""
    return ephemeral(f"Ended <@{sponsorship.sponsor_id}>'s sponsorship of *{escape(account.name)}*{early}.")


def setup_reply(channel_id: str, program_manager_id: str, created: bool, obligations: int) -> Message:
    """After `/esp setup`."""
    if not created:
        return ephemeral(f"The program now lives in <#{channel_id}>, run by <@{program_manager_id}>.")
    return ephemeral(
        f":white_check_mark: The Executive Sponsorship Program lives in <#{channel_id}>, run by "
        f"<@{program_manager_id}>, with {obligations} operating-cadence items scheduled. "
        "`/esp cadence` lists them; `/esp account add` starts the account list."
    )


def slack_when(moment: Any) -> str:
    """A stored instant, shown in each reader's zone."""
    return slack_date(moment)
