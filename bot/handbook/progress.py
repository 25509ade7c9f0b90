"""Progress markers at the end of a checklist line: `=> 50%`, `=> Done`, `(50%)`, `— Done 2022-07-01`.

The OKR pages score key results with `=> 40%` (sometimes several: `=> 27%, 0%, 227%`); working-group exit
criteria say `=> Done` or `— Done 2022-07-01`. "100%" and "Done" are kept apart: a reader decides what 100% means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.handbook.dates import search_date

_ARROW = re.compile(r"\s*=>\s*(?P<marker>[^=]*?)\s*$")
_PARENTHESES = re.compile(r"\s*\((?P<marker>[^()]*)\)\s*$")
_DASH = re.compile(r"\s+(?:--?|[–—])\s*(?P<marker>(?:done|completed?|finished)\b[^–—]*?)\s*$", re.IGNORECASE)
# "50% complete" and "50% done" are progress, not done.
_PERCENT = re.compile(r"(?<![\w.])(?P<number>[-+]?\d+(?:\.\d+)?)\s*%(?:\s*(?:complete|completed|done)\b)?", re.I)
_DONE = re.compile(r"(?<!not )(?<!not yet )\b(?:done|complete|completed|finished)\b|✅|✔️?|☑️?", re.IGNORECASE)
_FILLER = re.compile(r"\b(?:on|since|and)\b|[\s,;:/.&+]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Progress:
    """What a marker said: the percentages in it, whether it said done, on which day, and any words left over."""

    percents: tuple[float, ...] = ()
    done: bool = False
    done_on: date | None = None
    note: str = ""

    @property
    def percent(self) -> int | None:
        """The percentages averaged and rounded to a whole number, or None when the marker had none."""
        return round(sum(self.percents) / len(self.percents)) if self.percents else None


def read_progress(marker: str) -> Progress | None:
    """The Progress in a marker or a status cell ("50%", "Done 2022-07-01", "✅"), or None when it says neither."""
    percents = tuple(float(match["number"]) for match in _PERCENT.finditer(marker))
    rest = _PERCENT.sub(" ", marker)
    found = search_date(rest)
    if found is not None:
        rest = rest[: found.start] + " " + rest[found.end :]
    done = _DONE.search(rest) is not None
    if not percents and not done:
        return None
    note = _FILLER.sub(" ", _DONE.sub(" ", rest)).strip()
    return Progress(percents, done, found.day if found and done else None, note)


def split_progress(text: str) -> tuple[str, Progress | None]:
    """A line's text without its trailing progress marker, and that marker read (None when it has none).

    `=> …` may carry other words (kept as `note`); `(…)` and `— Done …` count only when they hold nothing else,
    so "Grow revenue (30% YoY)" keeps its parentheses.
    """
    for pattern, strict in ((_ARROW, False), (_PARENTHESES, True), (_DASH, True)):
        match = pattern.search(text)
        if match is None:
            continue
        progress = read_progress(match["marker"])
        if progress is not None and not (strict and progress.note):
            return text[: match.start()].rstrip(), progress
    return text, None


def _number(percent: float) -> str:
    """A percentage without a needless `.0`: 50.0 is "50", 1.25 stays "1.25"."""
    return f"{percent:g}"


def progress_marker(percents: tuple[float, ...] = (), *, done: bool = False, done_on: date | None = None) -> str:
    """The ` => 50%, Done 2022-07-01` to append to a line (empty when there is nothing to say); reads back the same."""
    parts = [f"{_number(percent)}%" for percent in percents]
    if done_on is not None:
        parts.append(f"Done {done_on.isoformat()}")
    elif done:
        parts.append("Done")
    return f" => {', '.join(parts)}" if parts else ""
