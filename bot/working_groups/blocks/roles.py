"""A working group's roles: one line per holder, the charter's "Roles and Responsibilities", and `/wg roles`."""

from __future__ import annotations

from bot.blocks.common import Block, Message, context, ephemeral, header, mention, packed_sections, section
from bot.text import escape
from bot.working_groups.rules import role_label
from models import WorkingGroup, WorkingGroupMember


def role_line(member: WorkingGroupMember) -> str:
    """One row of the roles table: role, person (mention or plain name), title."""
    person = mention(member.user_id, member.person_name, nobody="_(open)_")
    line = f"*{escape(role_label(member))}* · {person}"
    if member.title:
        line += f" · _{escape(member.title)}_"
    return line


def roles_blocks(group: WorkingGroup, *, max_sections: int = 3) -> list[Block]:
    """The "Roles and Responsibilities" part of the charter."""
    members = list(group.roles or [])
    if not members:
        return [section("*Roles and Responsibilities*\n_Nobody yet._ Add people with `/wg role add DRI @user`.")]
    lines = ["*Roles and Responsibilities*", *(role_line(m) for m in members)]
    return packed_sections(lines, max_sections=max_sections, more="`/wg roles` lists them all.")


def roles_list(group: WorkingGroup, *, note: str | None = None) -> Message:
    """`/wg roles`: who holds which role, ephemeral; `note` (our own text) leads when a change was just made."""
    blocks = [*([section(note)] if note else []), header(f"Roles: {group.name}"), *roles_blocks(group, max_sections=10)]
    blocks.append(
        context(
            'Change them with `/wg role add <role> @user|"Name" [as "Title"]` or '
            '`/wg role remove [<role>] @user|"Name"`.'
        )
    )
    return ephemeral(f"Roles in {escape(group.name)}", blocks)
