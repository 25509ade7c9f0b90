"""`/wg help`: every subcommand and who may use it."""

from __future__ import annotations

from bot.blocks.common import Message, context, ephemeral, header, section

WG_HELP_SETUP = """\
*Set up*
*`/wg create`*: a form for a new working group in this channel.
*`/wg create "Name" [goal "…"] [created <date>] [ends <date>] [agenda <url>] [board <url>]`*: the same in one line.
*`/wg import`*: paste or attach the group's handbook page (the markdown of the page) and get everything in it.
*`/wg people`*: link the people the page named to Slack users (a form, pre-filled with the best match).
*`/wg charter`*: the charter, as the handbook page reads. *`/wg export`*: the handbook page, to paste back.
"""


WG_HELP_ROLES = """\
*Roles*
*`/wg role add <role> @user|"Name" [as "Title"]`*: e.g. `/wg role add DRI @emilio as "VP, Developer Relations"` \
or `/wg role add "Functional Lead: Customer Success" "Jamie Reid"`.
*`/wg role remove [<role>] @user|"Name"`*: e.g. `/wg role remove facilitator @alice`; without a role, \
`/wg role remove @alice` removes every role they hold. *`/wg roles`*: who holds which role.
Roles: DRI, Executive Stakeholder, Executive Sponsor, Facilitator, Functional Lead (with its function), \
Contributor, Member.
"""


WG_HELP_CRITERIA = """\
*Exit criteria*
*`/wg criterion add "…"`* · *`/wg criterion done N`* · *`/wg criterion undo N`* · \
*`/wg criterion progress N 50%`* · *`/wg criteria`*: N is the number in the list.
"""


WG_HELP_ACTIONS = """\
*Action items*
*`/wg action "<text>" @owner [due <date>]`*: e.g. `/wg action "Draft the plan" @alex due friday`.
*`/wg actions [mine|overdue|all]`*: open items (the default), yours, late ones, or all including done.
*`/wg done N`* · *`/wg reopen N`* · *`/wg reassign N @user`* · *`/wg due N <date>`*: N is the item's `#` number.
Dates: `2026-12-01`, `today`, `tomorrow`, a weekday such as `friday`, `in 2 weeks`, `end of quarter`.
"""


WG_HELP_RHYTHM = """\
*Meetings, digest and end*
*`/wg sync every 2 weeks on tuesday at 10:00`*: a "sync today" reminder with the agenda and open items. \
*`/wg sync off`* stops it.
*`/wg digest on|off`*: a weekly digest of open, due, overdue and done items and exit-criteria progress.
*`/wg close`*: close the group. *`/wg extend <date>`*: move its end date.
"""


WG_HELP_WHO = """\
*Who may do what*
Anyone in the channel adds action items; anyone with a role in the group ticks exit criteria. \
An item's owner, the DRI or the facilitator close, reopen, reassign or re-date it. \
The DRI, the facilitator and workspace admins edit the charter, roles and exit criteria, link people, set the sync \
and digest, close and extend; whoever imported the page may too, until a DRI or facilitator is linked.
"""


def wg_help() -> Message:
    """The /wg help: every subcommand and who may use it, ephemeral."""
    blocks = [
        header("Working groups: /wg"),
        section(WG_HELP_SETUP),
        section(WG_HELP_ROLES),
        section(WG_HELP_CRITERIA),
        section(WG_HELP_ACTIONS),
        section(WG_HELP_RHYTHM),
        section(WG_HELP_WHO),
        context("In a working group's channel, /wg acts on that group. `/wg help` shows this again."),
    ]
    return ephemeral('How to use /wg: /wg create "Name", /wg charter, /wg action "<text>" @owner, /wg help', blocks)
