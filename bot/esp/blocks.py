"""Block Kit for the Executive Sponsorship Program: help, accounts, the sponsor map, scorecards, the operating
cadence, its nudges and checklists, and the missing-touchpoint DM."""

from __future__ import annotations

from datetime import date

from bot.blocks.common import (
    MESSAGE_BLOCKS_LIMIT,
    Block,
    Message,
    button,
    context,
    ephemeral,
    header,
    mention,
    message,
    packed_sections,
    section,
    slack_date,
)
from bot.cadence.rules import describe, from_dict
from bot.esp import ids
from bot.esp.rules import (
    MAX_ACCOUNTS_PER_SPONSOR,
    METRIC_LABELS,
    Metric,
    Scorecard,
    audience_label,
    counted,
    rule_period,
    touchpoint_label,
)
from bot.esp.views import DigestLine, PeriodChecklist
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

# Under the scorecard line of the operating cadence, in its nudge and in a digest.
SCORECARD_HINT = 'The scorecard as it stands: `/esp scorecard` (one account: `/esp scorecard "Acme"`).'


def esp_help() -> Message:
    """The /esp help, ephemeral."""
    blocks = [
        header("Executive Sponsorship Program: /esp"),
        section(ESP_HELP),
        context(
            "In the program's channel (#executive-sponsor-program in the handbook). "
            "The program manager owns the operating cadence and the accounts. "
            "Everyone hears from the program at most once a day: one digest of what is theirs."
        ),
    ]
    return ephemeral("How to use /esp", blocks)


def person(user_id: str | None) -> str:
    """A mention built from a stored id, or a dash."""
    return mention(user_id, nobody="—")


def account_line(account: EspAccount, sponsors: list[str]) -> str:
    """`*Acme* · tier 1 · CSM @a · AE @b · SA @c · sponsor @s`."""
    team = f"CSM {person(account.csm_id)} · AE {person(account.ae_id)} · SA {person(account.sa_id)}"
    names = ", ".join(person(s) for s in sponsors)
    sponsor = f"{'sponsor' if len(sponsors) == 1 else 'sponsors'} {names}" if sponsors else "no sponsor yet"
    state = "" if account.active else " · inactive"
    return f"*{escape(account.name)}* · tier {account.tier} · {team} · {sponsor}{state}"


def accounts_list(accounts: list[tuple[EspAccount, list[str]]]) -> Message:
    """`/esp accounts`."""
    if not accounts:
        return ephemeral('No accounts yet. `/esp account add "Acme" tier 1 csm @csm` adds one.')
    lines = [account_line(a, sponsors) for a, sponsors in accounts]
    return ephemeral(counted(len(accounts), "account"), [header(f"Accounts ({len(accounts)})"), *_packed(lines)])


def sponsor_map(rows: list[tuple[Sponsorship, EspAccount]], *, today: date) -> Message:
    """`/esp map`: each sponsor with their accounts and commitment end dates."""
    if not rows:
        return ephemeral('Nobody is assigned yet. `/esp assign @sponsor "Acme"` maps a sponsor to an account.')
    by_sponsor: dict[str, list[str]] = {}
    for sponsorship, account in rows:
        ends = sponsorship.commitment_ends_on
        committed = "committed until " + ends.isoformat() if ends > today else f"commitment met {ends.isoformat()}"
        by_sponsor.setdefault(sponsorship.sponsor_id, []).append(f"{escape(account.name)} ({committed})")
    lines = [f"{person(s)} · {len(a)}/{MAX_ACCOUNTS_PER_SPONSOR} · " + "; ".join(a) for s, a in by_sponsor.items()]
    return ephemeral(counted(len(by_sponsor), "sponsor"), [header("Sponsor map"), *_packed(lines)])


def _packed(lines: list[str]) -> list[Block]:
    """Lines in as few sections as fit, room left in the message for its header and context."""
    return packed_sections(lines, max_sections=45)


def scorecard_message(title: str, card: Scorecard) -> Message:
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
        rule = from_dict(cadence.rule) if cadence else None
        when = escape(describe(rule)) if rule else "not scheduled"
        label = rule_period(rule) if rule else row.period  # the label follows the rule, as the handbook's headings do
        state = "" if row.enabled else " · :double_vertical_bar: off"
        lines.append(f"*{number}.* {escape(row.text)} · _{label}_ · {audience_label(row.audience)} · {when}{state}")
    return ephemeral(
        "Operating cadence",
        [
            header("Operating cadence"),
            *_packed(lines),
            context(
                "Lines for people arrive in one digest a day each, at the daily digest's time or at the earliest "
                "line's. `/esp cadence off N`, `/esp cadence on N`, `/esp cadence N every monday at 08:00`"
            ),
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
    rule_label: str,
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
        more = counted(len(checklists) - 4, "more account")
        blocks.append(context(f"…and {more}: `/esp checklist` shows them all."))
    if obligation.key == "quarterly.scorecard":
        blocks.append(section(SCORECARD_HINT))
    blocks.append(context(f"ESP operating cadence · {rule_label} · `/esp cadence` to change it"))
    return message(f"ESP: {escape(obligation.text)}", blocks[:50])


def _tick_row(label: str, item: ChecklistItem | None) -> Block:
    """A row of a digest line: ticked with who, or open with its Done button."""
    if item is None:
        return section(f":white_large_square: {label} · `/esp checklist` to tick it")
    if item.done:
        who = f" · <@{item.done_by}>" if item.done_by else ""
        return section(f":white_check_mark: {label}{who}")
    return section(f":white_large_square: {label}", accessory=button("Done", ids.ESP_CHECKLIST_DONE, str(item.id)))


def _digest_line_blocks(line: DigestLine) -> list[Block]:
    """A line's heading (with its Done button when it is the person's own), then a row per account."""
    period = f" · {escape(line.period)}" if line.period else ""
    title = f"*{escape(line.title)}*{period}"
    if len(line.rows) == 1 and line.rows[0][0] == "":
        blocks = [_tick_row(title, line.rows[0][1])]
    else:
        blocks = [section(title)]
        blocks += [_tick_row(f"*{escape(name)}*" if line.accounts else escape(name), item) for name, item in line.rows]
    if line.key == "quarterly.scorecard":
        blocks.append(context(SCORECARD_HINT))
    return blocks


def touchpoint_sections(
    *, quarterly: list[str], face_to_face: list[str], quarter_end: date | None, year_end: date | None
) -> list[Block]:
    """Accounts with no touchpoint this quarter, and no face-to-face meeting this year."""
    blocks: list[Block] = []
    if quarterly:
        names = ", ".join(f"*{escape(n)}*" for n in quarterly)
        blocks.append(
            section(
                f":handshake: No touchpoint yet this quarter (ends {_day(quarter_end)}) with {names}. "
                "The program asks for at least one informal touchpoint a quarter."
            )
        )
    if face_to_face:
        names = ", ".join(f"*{escape(n)}*" for n in face_to_face)
        blocks.append(
            section(
                f":busts_in_silhouette: No face-to-face meeting yet this fiscal year (ends {_day(year_end)}) "
                f"with {names}."
            )
        )
    if blocks:
        blocks.append(context('Log one with `/esp touchpoint "Account" informal 2026-11-20 "coffee with their CTO"`.'))
    return blocks


def _day(day: date | None) -> str:
    """ "Thu 30 Apr 2026" (a day, the same in every zone)."""
    return f"{day:%a %-d %b %Y}" if day else "—"


def digest_message(
    *,
    day: date,
    lines: list[DigestLine],
    quarterly: list[str],
    face_to_face: list[str],
    quarter_end: date | None,
    year_end: date | None,
    late: bool,
) -> Message:
    """A person's one ESP message of the day: every line due for them, each once with its Done buttons, then the
    accounts missing a touchpoint."""
    blocks: list[Block] = [section(f":calendar: *Executive Sponsorship Program* · what is yours on {day:%a %-d %b}")]
    if late:
        blocks.append(context(":hourglass: late: Cadence was down when this was due"))
    gaps = touchpoint_sections(
        quarterly=quarterly, face_to_face=face_to_face, quarter_end=quarter_end, year_end=year_end
    )
    room = MESSAGE_BLOCKS_LIMIT - len(gaps) - 2
    left_out = 0
    for line in lines:
        line_blocks = _digest_line_blocks(line)
        if len(blocks) + len(line_blocks) > room:
            left_out += 1
            continue
        blocks += line_blocks
    if left_out:
        blocks.append(context(f"…and {counted(left_out, 'more line')}: `/esp checklist` shows every checklist."))
    blocks += gaps
    blocks.append(context("ESP · one message a day · `/esp cadence` lists the operating cadence"))
    due = [title for line in lines for title in line.covers]
    missing = len(set(quarterly) | set(face_to_face))
    parts = [f"ESP today: {'; '.join(due)}"] if due else []
    if missing:
        verb = "needs" if missing == 1 else "need"
        parts.append(f"{missing} of your accounts {verb} a touchpoint")
    return message(escape(" · ".join(parts) or "ESP: nothing due today"), blocks)


def checklist_message(periods: list[PeriodChecklist], *, account: str | None, timezone: str | None = None) -> Message:
    """`/esp checklist`: per period, each account's items; for an account without a list, why and when it comes
    (an ephemeral reply: its times' fallback text is in `timezone`, its one reader's zone)."""
    blocks: list[Block] = []
    for period in periods:
        blocks.append(header(f"Checklist {period.label}"))
        for name, items in period.lists:
            blocks += checklist_blocks(name, items)
        if period.waiting:
            blocks.append(section(_waiting_text(period, timezone)))
    if not any(period.lists for period in periods) and not any(period.waiting for period in periods):
        return ephemeral('No accounts yet. `/esp account add "Acme" tier 1 csm @csm` adds one.')
    fallback = f"ESP checklists for {escape(account)}" if account else "ESP checklists"
    return ephemeral(fallback, blocks[:MESSAGE_BLOCKS_LIMIT])


def _waiting_text(period: PeriodChecklist, timezone: str | None) -> str:
    """Why these accounts have no list for the period, and when it comes."""
    names = ", ".join(f"*{escape(n)}*" for n in period.waiting[:20])
    if len(period.waiting) > 20:
        names += f" and {counted(len(period.waiting) - 20, 'more')}"
    if period.off:
        return (
            f":white_large_square: No {period.label} checklist for {names}: the lines that bring it are off. "
            "`/esp cadence` lists them; `/esp cadence on N` turns one back on."
        )
    when = slack_date(period.comes_at, timezone=timezone) if period.comes_at else "its first operating-cadence nudge"
    return (
        f":hourglass_flowing_sand: No {period.label} checklist for {names} yet: it comes with the period's "
        f"first operating-cadence nudge, {when}."
    )


def touchpoint_logged(kind: str, account: str, happened_on: date) -> Message:
    """After `/esp touchpoint`: the kind as the handbook writes it ("EBR")."""
    return ephemeral(
        f":white_check_mark: Logged the {touchpoint_label(kind)} touchpoint with *{escape(account)}* "
        f"on {_day(happened_on)}."
    )


# Readings that are counted, as a sentence names them: "1 NPS response", "2 roadblocks removed".
_COUNTED_METRICS = {
    Metric.NPS: ("NPS response", "NPS responses"),
    Metric.ROADBLOCK_REMOVED: ("roadblock removed", "roadblocks removed"),
    Metric.PUBLIC_REFERENCE: ("public reference", "public references"),
}


def recorded_names(counts: dict[str, int]) -> str:
    """What `/esp kpi`, `/esp nps` and the event commands recorded, from {metric: how many}: "Influence, Sentiment",
    "1 NPS response", "3 NPS responses", "1 public reference" (plain text: the caller escapes it)."""
    names = []
    for metric, n in counts.items():
        if metric in _COUNTED_METRICS:
            one, many = _COUNTED_METRICS[metric]
            names.append(counted(n, one, many))
        else:
            names.append(METRIC_LABELS.get(metric, metric))  # a Metric's value finds its label: StrEnum keys
    return ", ".join(names)


def readings_recorded(counts: dict[str, int], account: str) -> Message:
    """After `/esp kpi`, `/esp nps`, `/esp roadblock` and `/esp reference`: what was recorded for the account."""
    return ephemeral(f":white_check_mark: Recorded {escape(recorded_names(counts))} for *{escape(account)}*.")


def account_saved(account: EspAccount, sponsors: list[str], *, added: bool) -> Message:
    """After `/esp account add` (added) or `/esp account "Name" …`: the account's line as it now stands."""
    return ephemeral(f":white_check_mark: {'Added' if added else 'Updated'} {account_line(account, sponsors)}.")


def item_ticked(text: str) -> Message:
    """After a checklist item's Done button."""
    return ephemeral(f":white_check_mark: Ticked: {escape(text)}.")


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
