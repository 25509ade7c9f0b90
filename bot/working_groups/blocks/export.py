"""`/wg export`: the handbook page in code blocks, cut between its blocks so tables stay whole."""

from __future__ import annotations

import re

from bot.blocks.common import Message, context, ephemeral, section
from bot.text import escape

EXPORT_CHUNK = 2900  # a section holds 3000 characters; the code fence takes the rest
FENCE = "`" * 3


def _export_chunks(page: str) -> list[str]:
    """The page cut into pieces of at most EXPORT_CHUNK characters once escaped, between its blocks (at blank lines)
    where it can, so a copied table or list stays whole; a block too long for one piece is cut between lines, and a
    line too long for one piece between characters."""
    pieces: list[str] = []
    for block in re.split(r"(?<=\n)(?=\n)", page):  # each block keeps its line ends; blank lines start blocks
        if len(escape(block)) <= EXPORT_CHUNK:
            pieces.append(block)
            continue
        for line in block.splitlines(keepends=True):
            while len(escape(line)) > EXPORT_CHUNK:
                cut = EXPORT_CHUNK // 5  # an escaped character is at most 5 long (`&amp;`)
                pieces.append(line[:cut])
                line = line[cut:]
            pieces.append(line)
    chunks = [""]
    for piece in pieces:
        if chunks[-1] and len(escape(chunks[-1] + piece)) > EXPORT_CHUNK:
            chunks.append("")
        chunks[-1] += piece
    return [chunk for chunk in chunks if chunk.strip()]


def export_reply(group_name: str, page: str) -> Message:
    """`/wg export`: the handbook page in code blocks (ephemeral), cut between its blocks so tables stay whole."""
    chunks = _export_chunks(page.replace(FENCE, "´´´"))
    blocks = [section(f"The handbook page of *{escape(group_name)}*; copy it into the handbook:")]
    blocks += [section(f"{FENCE}{escape(chunk.strip(chr(10)))}{FENCE}") for chunk in chunks[:45]]
    if len(chunks) > 45:
        blocks.append(context("The page is longer than one Slack message; `python app.py wg export` prints it all."))
    return ephemeral(f"Handbook page of {escape(group_name)}", blocks)
