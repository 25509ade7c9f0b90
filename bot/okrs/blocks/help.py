"""Block Kit for `/okr help`."""

from __future__ import annotations

from collections.abc import Sequence

from bot.blocks.common import MESSAGE_BLOCKS_LIMIT, Message, context, ephemeral, header, packed_sections
from bot.text import escape


def okr_help(lines: Sequence[tuple[str, str]]) -> Message:
    """The /okr help from (command as written, what it does) pairs, ephemeral."""
    shown = [f"*`{escape(command)}`*: {escape(what)}" for command, what in lines]
    blocks = [
        header("Quarterly OKRs: /okr"),
        *packed_sections(shown or ["No commands yet."], max_sections=MESSAGE_BLOCKS_LIMIT - 2),
        context(
            "Scores are 0 to 100 (a share such as 0.7 reads as 70%). A key result is scored by the people mapped to "
            "its owner's role."
        ),
    ]
    commands = ", ".join(command for command, _ in lines[:4])
    return ephemeral(f"How to use /okr: {commands}" if commands else "How to use /okr", blocks)
