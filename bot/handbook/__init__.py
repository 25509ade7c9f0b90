"""Handbook pages in and out: the markdown helpers every program's importer and exporter shares.

`markdown` reads and writes the block structure (front matter, sections, tables, lists), `inline` the text
inside a cell or an item, `dates` the dates people write in prose, `progress` the `=> 50%` markers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot.errors import UserError


class HandbookError(UserError):
    """A handbook page an importer could not read; the message names the section (and row) it stopped at."""


@contextmanager
def reading(what: str) -> Iterator[None]:
    """Prefix a HandbookError raised inside with "I couldn't read {what}: " so the user knows where to look.

    `what` is already escaped (it may quote a heading from the page); raises the prefixed HandbookError.
    """
    try:
        yield
    except HandbookError as error:
        raise HandbookError(f"I couldn't read {what}: {error.problem}", error.usage) from error
