"""The /cocreate help: every subcommand, as one ephemeral message."""

from __future__ import annotations

from bot.blocks.common import Message, ephemeral, header, section

COCREATE_HELP = """\
*`/cocreate setup [#channel] [manager @someone]`*: the program's home channel and manager.
*`/cocreate add ["Org"]`*: a prospect, in a form with every field. \
*`/cocreate score "Org" public-issues 4 relationship 3 …`* (0–5; `feature-usage`, `tier-seats`, `industry`, `oss`, \
`growth`) · *`/cocreate tier "Org" 1 reason "…"`* / *`auto`* · *`/cocreate top [N]`*
*`/cocreate start "Org" [in #channel | new-channel]`*: the outreach checklist, one message, a row per step.
*`/cocreate step "Org" <step> done|skip "reason"|due <date>|reassign @someone|reopen`*: steps are `contact`, \
`follow-up`, `meeting`, `outcomes`, `started`, `contributions` (or 1–6). *`/cocreate steps "Org"`*
*`/cocreate meeting "Org" <date> [with @u …]`* · *`/cocreate outcome "Org" started|declined "why"|deferred <date>`*
*`/cocreate pipeline [FY26-Q1]`* · *`/cocreate contribution "Org" mr|issue|comment <link>`*
*`/cocreate resources [add "Label" <link> | remove N]`* · *`/cocreate targets […]`* · *`/cocreate weights […]`*
"""


def cocreate_help() -> Message:
    """The /cocreate help, ephemeral."""
    return ephemeral("How to use /cocreate", [header("Co-create outreach: /cocreate"), section(COCREATE_HELP)])
