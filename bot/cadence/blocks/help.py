"""Help texts for each slash command."""

from __future__ import annotations

from bot.blocks.common import Message, context, header, message, section

CADENCE_HELP = """\
*`/cadence add "<text>" every <rule> at <time> [tz <zone>] [in #channel] [to @user …] [weekends to monday]`*
Posts a reminder with Done / Snooze / Skip buttons, in this channel unless you say `in #channel` \
or `to @someone` (a DM each).
*Rules:* `every monday` · `every 2 weeks on friday` · `every other tuesday` · `every month on the 15th` · \
`every month on the last day` · `every first monday` · `every month on the last friday` · `every quarter` · \
`every quarter on the first monday` · `every fiscal quarter on day 1` · `every year on march 15` · `every fiscal year`
*Times:* `09:30`, `9am`, `2:30pm`, in your Slack time zone unless you add `tz Europe/Paris`.
*`/cadence list`*: this channel's reminders, yours and those sent to you, each with its next run and anything \
that failed to post, then the programs' nudges and the command that changes each; `/cadence list page 2` for more; \
`/cadence list all` shows every one (workspace admins).
*`/cadence pause N`* · *`/cadence resume N`* · *`/cadence remove N`*: N is the reminder number in the list.
*`/cadence away 2026-12-21 to 2027-01-04`*: going on holiday; every nudge to you by DM is held until you're back, \
then comes in one catch-up message. `/cadence away` shows it, `/cadence away off` ends it.
*`/cadence new`*: the same as `add`, in a form.
*`/cadence fiscal-year [month]`*: the month the fiscal year starts in (February unless an admin changes it).
*`/cadence audit [program] [since DATE]`* (workspace admins): who changed what, as a CSV file sent to you by DM; \
programs are `cadence`, `wg`, `esp`, `cocreate` and `okr`, e.g. `/cadence audit wg since 2026-11-01`.
"""

EXAMPLES = [
    '`/cadence add "Weekly sync: fill in the agenda" every monday at 09:30`',
    '`/cadence add "Scorecard update" every fiscal quarter on the first monday at 10:00 in #exec`',
    '`/cadence add "Send the monthly update" every month on the last friday at 16:00 to @alex`',
]


def cadence_help() -> Message:
    """The /cadence help message, ephemeral."""
    blocks = [
        header("Cadence: recurring reminders"),
        section(CADENCE_HELP),
        context("Examples: " + " · ".join(EXAMPLES)),
    ]
    payload = message('How to use /cadence: /cadence add "<text>" every <rule> at <time>', blocks)
    payload["response_type"] = "ephemeral"
    return payload
