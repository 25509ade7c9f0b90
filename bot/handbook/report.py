"""The import report: what an importer read from a handbook page, what it kept as written, what it skipped and why.

Every program's importer fills one while it reads, so an import is never all-or-nothing: a page is refused only
when nothing on it is recognisable (`ImportReport.check_something_read`). `/wg import`, `/okr import` and both
command lines show `as_mrkdwn()` / `as_text()`; tests read the fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.handbook import HandbookError
from bot.text import escape

_SINGULAR = {"people": "person", "criteria": "criterion", "statuses": "status"}


def _singular(what: str) -> str:
    """The singular of a counted noun's last word: "exit criteria" → "exit criterion", "key results" → "key result"."""
    head, _, last = what.rpartition(" ")
    single = _SINGULAR.get(last) or (last[:-3] + "y" if last.endswith("ies") else last.removesuffix("s"))
    return f"{head} {single}".strip()


@dataclass(frozen=True, slots=True)
class Note:
    """One thing the reader could not take as it is: where on the page (section, row), and what it kept or why it
    skipped it."""

    where: str
    what: str


@dataclass(slots=True)
class ImportReport:
    """What one read of a page found, in page order.

    `counts` are what was read ("people": 6, "exit criteria": 5), in the order they were first counted; `kept`
    lists values kept as written rather than mapped (an unknown role kept as a member's title); `skipped` lists
    what was left out and why; `to_check` lists what a person should look at (a person not linked to Slack yet).
    Texts are plain text as the page wrote them; the renderers escape them.
    """

    counts: dict[str, int] = field(default_factory=dict)
    kept: list[Note] = field(default_factory=list)
    skipped: list[Note] = field(default_factory=list)
    to_check: list[str] = field(default_factory=list)

    def count(self, what: str, how_many: int = 1) -> None:
        """Add `how_many` to the count of `what` (a plural noun: "people", "key results")."""
        self.counts[what] = self.counts.get(what, 0) + how_many

    def keep(self, where: str, what: str) -> None:
        """Note a value kept as written: `where` names the section (and row), `what` says what was kept."""
        self.kept.append(Note(where, what))

    def skip(self, where: str, why: str) -> None:
        """Note something left out: `where` names the section (and row), `why` says why."""
        self.skipped.append(Note(where, why))

    def check(self, what: str) -> None:
        """Note something a person should look at after the import."""
        if what not in self.to_check:
            self.to_check.append(what)

    @property
    def read_anything(self) -> bool:
        """Whether any count is above zero."""
        return any(self.counts.values())

    def check_something_read(self, usage: str) -> None:
        """Raise HandbookError when nothing on the page was recognisable; the problem lists what was skipped."""
        if self.read_anything:
            return
        skipped = "; ".join(f"{note.where}: {note.what}" for note in self.skipped[:3])
        said = f" I skipped {escape(skipped)}." if skipped else ""
        raise HandbookError(f"I found nothing I could import on this page.{said}", usage)

    def summary(self) -> str:
        """The counts as one line: "6 people, 1 exit criterion, 2 dates"; "nothing" when there are none."""
        parts = [
            f"{number} {what if number != 1 else _singular(what)}" for what, number in self.counts.items() if number
        ]
        return ", ".join(parts) or "nothing"

    def lines(self) -> list[tuple[str, list[str]]]:
        """(heading, lines) for each part of the report that has something to say, as plain text."""
        parts = [("Read", [self.summary()])]
        if self.kept:
            parts.append(("Kept as written", [f"{note.where}: {note.what}" for note in self.kept]))
        if self.skipped:
            parts.append(("Skipped", [f"{note.where}: {note.what}" for note in self.skipped]))
        if self.to_check:
            parts.append(("To check", list(self.to_check)))
        return parts

    def as_text(self) -> str:
        """The report for a terminal: one heading per part, one indented line per note."""
        out = []
        for heading, lines in self.lines():
            out.append(f"{heading}:")
            out += [f"  - {line}" for line in lines]
        return "\n".join(out)

    def as_mrkdwn(self, *, limit: int = 12) -> str:
        """The report for Slack (escaped), each part cut after `limit` lines with "… and N more"."""
        out = []
        for heading, lines in self.lines():
            shown = [f"• {escape(line)}" for line in lines[:limit]]
            if len(lines) > limit:
                shown.append(f"• … and {len(lines) - limit} more")
            out.append(f"*{heading}*\n" + "\n".join(shown))
        return "\n".join(out)
