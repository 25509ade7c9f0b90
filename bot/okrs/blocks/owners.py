"""Block Kit for owners and quarters: `/okr owners`, the reply to `/okr owner "Role" @person`, `/okr quarters`."""

from __future__ import annotations

from collections.abc import Sequence

from bot.blocks.common import (
    MESSAGE_BLOCKS_LIMIT,
    Message,
    context,
    counted,
    ephemeral,
    header,
    packed_sections,
    section,
)
from bot.okrs.blocks.pieces import OWNER_USAGE, quarter_span, role_text, users_text
from bot.okrs.rules import QuarterSpan, RoleCheck
from bot.text import escape


def owners_message(
    mapped: Sequence[tuple[str, Sequence[str]]], missing: Sequence[str], *, quarter_label: str | None
) -> Message:
    """`/okr owners`: each role with the people mapped to it, then the quarter's roles no one is mapped to."""
    blocks = [header("OKR owners")]
    mapped_lines = [f"{role_text(name)} · {users_text(users)}" for name, users in mapped]
    blocks += packed_sections(mapped_lines or ["No role is mapped to anyone yet."], max_sections=20, more="")
    where = f" in {escape(quarter_label)}" if quarter_label else ""
    if missing:
        # A real quarter names dozens of roles: a paragraph reads better than a line each.
        blocks.append(section(f"*{counted(len(missing), 'role')} with no one mapped*{where}"))
        blocks += packed_sections(
            [escape(name) for name in missing], max_sections=MESSAGE_BLOCKS_LIMIT - len(blocks) - 1, separator=" · "
        )
    elif quarter_label:
        blocks.append(section(f"Every role{where} has someone mapped."))
    blocks.append(context(f'Map a role as the OKR page writes it: `/okr owner "Role" @someone`, e.g. {OWNER_USAGE}.'))
    text = f"{counted(len(mapped), 'role')} mapped, {len(missing)} with no one mapped"
    return ephemeral(text, blocks)


def owner_mapped_reply(role: str, users: Sequence[str], *, added: bool, check: RoleCheck, people: str) -> Message:
    """After `/okr owner "<role>" @person …`: who holds the role now; when no imported page names the role (no key
    result's role nor retrospective team), a warning with the closest roles the pages name, each as the command
    that maps it instead, and the command that takes this mapping back. `people` is as typed (`@bob`)."""
    held = (
        f"*{escape(role)}* is now held by {users_text(users)}."
        if added
        else f"*{escape(role)}* is already held by {users_text(users)}; nothing changed."
    )
    opening = f":white_check_mark: {held}" if added else f":information_source: {held}"
    if check.owns:
        return ephemeral(opening)
    if not check.checked:
        note = "No quarter is imported yet, so I couldn't check the role against a page: name it as the page will."
        return ephemeral(opening, [section(opening), context(note)])
    who = escape(people) or "@someone"
    warning = (
        f":warning: No key result or retrospective team in the imported quarters is owned by *{escape(role)}*, so "
        "holding it brings no reminders and scores nothing."
    )
    if check.closest:
        roles = " or ".join(f"*{escape(name)}*" for name in check.closest)
        fixes = "\n".join(f'`/okr owner "{escape(name)}" {who}`' for name in check.closest)
        warning += f" The pages name {roles}:\n{fixes}"
    else:
        warning += " `/okr owners` lists the roles the pages name."
    undo = f'Kept as you wrote it. `/okr owner remove "{escape(role)}" {who}` takes it back.'
    return ephemeral(f"{held} No imported page names that role.", [section(opening), section(warning), context(undo)])


def quarters_message(rows: Sequence[tuple[QuarterSpan, int, int, int]]) -> Message:
    """`/okr quarters`: each imported quarter with its dates and counts: (span, objectives, key results, scored)."""
    if not rows:
        return ephemeral("No OKR quarter is imported yet. `/okr import` loads a quarter's OKR page.")
    lines = [
        f"*{escape(span.label)}* · {quarter_span(span)} · {counted(objectives, 'objective')} · "
        f"{counted(key_results, 'key result')} · {scored} scored"
        for span, objectives, key_results, scored in rows
    ]
    blocks = [header("Imported OKR quarters"), *packed_sections(lines, max_sections=MESSAGE_BLOCKS_LIMIT - 2)]
    blocks.append(context("`/okr tree QUARTER` shows one."))
    return ephemeral(f"{counted(len(rows), 'imported quarter')}", blocks)
