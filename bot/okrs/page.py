"""OKR handbook pages (`seeds/okrs-fy20-q2.md`) in and out: objectives, nested key results and scores, the retro.

`read_okr_page` turns a page into an `OkrPage` (pure values, nothing saved) and `write_okr_page` turns one back into
a page; `read_okr_page(write_okr_page(page)) == page` for any page read from markdown. Texts keep their inline
markdown (links survive an export); owners and team names are plain text, as the page names the role.

People write these pages by hand, so the reader accepts objectives as headings (`### 1. CEO: …`, `## Objective 2:
…`, `<p class="h3">1. CEO: …</p>`) or as top-level numbered items, key results nested 2-4 spaces deep, bare owner
labels that group key results ("1. CMO:"), and scores written `=> 40%`, `=> 88`, ` - 83%`, `: 45% done` or `(45%)`.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from bot.errors import UserError
from bot.fiscal import FiscalCalendar
from bot.handbook import HandbookError
from bot.handbook.dates import search_date, write_date
from bot.handbook.inline import escape_inline, link_markdown, plain_text, repair_mojibake
from bot.handbook.markdown import (
    ListItem,
    Page,
    Section,
    html_heading,
    join_blocks,
    labelled_blocks,
    matches,
    name_key,
    normalize_newlines,
    read_list,
    read_page,
    read_paragraphs,
    read_tables,
    subsections,
    write_front_matter,
    write_section,
)
from bot.handbook.progress import progress_marker, split_progress
from bot.handbook.report import ImportReport
from bot.text import quoted

__all__ = [
    "KeyResult",
    "Objective",
    "OkrPage",
    "PageShape",
    "RetroTeam",
    "clean_text",
    "page_as_json",
    "read_okr_page",
    "read_quarter_label",
    "write_okr_page",
]

GOOD_NAMES = ("Good", "What went well", "Went well")
BAD_NAMES = ("Bad", "What went wrong", "Went wrong", "What didn't go well", "Not so good")
TRY_NAMES = ("Try", "What to try", "To try", "Try next", "Next time")
KEY_RESULT_HEADINGS = ("Key Results", "Key Result", "KRs", "KR")
RETRO_HEADING = "Retrospective"

OBJECTIVES_USAGE = (
    "Write each objective as a heading, such as `### 1. CEO: Grow revenue`, `## Objective 1: Grow revenue` or "
    '`<p class="h3">1. CEO: Grow revenue</p>`, or as a top-level numbered item `1. CEO: Grow revenue`, with its '
    "key results as a nested numbered list under it, e.g. `    1. CRO: Close 10 deals => 40%`."
)
QUARTER_USAGE = (
    'Name the quarter in the page title, e.g. `title: "FY20-Q2 OKRs"` or `# 2018-Q2 OKRs` for a calendar quarter, '
    "or give the quarter when you import the page."
)
DATES_USAGE = "Write it as `This fiscal quarter will run from May 1, 2019 to July 31, 2019.`"


@dataclass(frozen=True, slots=True)
class KeyResult:
    """One key result: its owner role as written (None when the line names none), its markdown text, its score.

    `score` is the mean of `percents` (None when no score is written), above 100 when the page says so; `percents`
    are the percentages as written (`=> 27%, 0%, 227%`), so an export writes them back unchanged. `status` is a
    status written in words, normalized ("achieved", "done", "missed", "not started", …), and `status_text` the
    marker as the page wrote it ("50% ACHIEVED", "=> Achieved over 2x goal"), which an export writes back.
    """

    owner: str | None
    text: str
    score: float | None
    percents: tuple[float, ...] = ()
    key_results: tuple[KeyResult, ...] = ()
    status: str | None = None
    status_text: str | None = None


@dataclass(frozen=True, slots=True)
class Objective:
    """One numbered objective, its owner ("CEO") and markdown text, and the key results under it."""

    number: int
    owner: str | None
    text: str
    key_results: tuple[KeyResult, ...] = ()


@dataclass(frozen=True, slots=True)
class RetroTeam:
    """One team's retrospective: what went well, what did not, what to try next (markdown items, in page order)."""

    team: str
    good: tuple[str, ...] = ()
    bad: tuple[str, ...] = ()
    try_: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PageShape:
    """How the page was laid out, so an export writes it back the way it was written (the seed's layout is the default).

    `objectives`: "heading" (`### 1. CEO: …`, `<p class="h3">`), "objective" (`## Objective 1: …`) or "item" (top-level
    numbered items); `level` the objective headings' level; `numbered` False when no objective heading wrote a
    number (the reader numbered them in page order); `bullet` how key results are listed ("1." or "-"); `title` the
    page title when it is not "<quarter> OKRs"; `retro_heading` the retrospective section's name; `retro_labels`
    "upper" (`- GOOD`) or "title" (`- Good`); `dates` False when the page doesn't say when the quarter runs (the
    database still holds the quarter's own days; an export doesn't write them); `html` True when the objective
    headings were written `<p class="h3">…</p>` (the Middleman pages' way, kept out of their table of contents).
    """

    objectives: str = "heading"
    level: int = 3
    numbered: bool = True
    bullet: str = "1."
    title: str | None = None
    retro_heading: str = "Retrospective"
    retro_labels: str = "upper"
    dates: bool = True
    html: bool = False

    def as_json(self) -> dict[str, Any]:
        """The shape as JSON values, only what differs from the seed's layout (`OkrQuarter.page_shape`)."""
        default = PageShape()
        return {name: getattr(self, name) for name in _SHAPE_FIELDS if getattr(self, name) != getattr(default, name)}

    @classmethod
    def from_json(cls, values: dict[str, Any] | None) -> PageShape:
        """The shape `as_json` wrote; unknown keys (from a later version) are ignored."""
        return cls(**{name: value for name, value in (values or {}).items() if name in _SHAPE_FIELDS})


_SHAPE_FIELDS = (
    "objectives", "level", "numbered", "bullet", "title", "retro_heading", "retro_labels", "dates", "html",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class OkrPage:
    """An OKR page read from (or to be written to) the handbook; `start`/`end` only when the page says them."""

    quarter: str | None
    start: date | None
    end: date | None
    objectives: tuple[Objective, ...]
    retro: tuple[RetroTeam, ...] = ()
    shape: PageShape = PageShape()


# Quarter and dates -------------------------------------------------------------------------------------------------

_FISCAL_LABEL = re.compile(
    r"(?<![A-Za-z0-9])(?:FY\s*(?P<fy>\d{4}|\d{2})\s*[-_/ ]?\s*Q\s*(?P<q>[1-4])"
    r"|Q\s*(?P<q_first>[1-4])\s*[-_/ ]?\s*FY\s*(?P<fy_last>\d{4}|\d{2}))(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_CALENDAR_LABEL = re.compile(
    r"(?<![A-Za-z0-9])(?:(?:CY\s*)?(?P<year>(?:19|20)\d{2})\s*[-_/ ]?\s*Q(?P<q>[1-4])"
    r"|Q(?P<q_first>[1-4])\s*[-_/ ]?\s*(?:CY\s*)?(?P<year_last>(?:19|20)\d{2}))(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_RUN_WORDS = re.compile(r"\b(?:quarter|runs?|ran|running|lasts?|spans?)\b", re.IGNORECASE)
_RANGE_START = re.compile(r"\bfrom\s+", re.IGNORECASE)
_RANGE_SEPARATOR = re.compile(r"\s*(?:(?:to|until|till|through|thru)\b|[-–—])\s*", re.IGNORECASE)
_NO_DATE_YET = re.compile(r"(?:TBD|TBA|TBC)\b", re.IGNORECASE)


def _quarter_label(match: re.Match[str]) -> str:
    """The label for one quarter match: `FY20-Q2` for a fiscal quarter, `2018-Q2` for a calendar one."""
    if match.re is _CALENDAR_LABEL:  # "CY2018-Q2" and "Q2 2018" are the same quarter as "2018-Q2"
        return f"{match['year'] or match['year_last']}-Q{match['q'] or match['q_first']}"
    written = f"FY{match['fy'] or match['fy_last']}-Q{match['q'] or match['q_first']}"
    try:
        return FiscalCalendar().parse_quarter(written).label  # the label alone does not depend on the start month
    except UserError as error:
        raise HandbookError(error.problem, error.usage) from error


def read_quarter_label(text: str) -> tuple[str, ...]:
    """Every quarter named in `text`, normalized ("fy2020 q2" is `FY20-Q2`), in order, once each.

    Raises HandbookError for a fiscal year out of range ("FY0000-Q1").
    """
    found = sorted([*_FISCAL_LABEL.finditer(text), *_CALENDAR_LABEL.finditer(text)], key=lambda match: match.start())
    return tuple(dict.fromkeys(_quarter_label(match) for match in found))


def _page_quarter(page: Page, given: str | None, report: ImportReport) -> str:
    """The quarter passed in, else the one the front matter, the title or the first `#` heading names, else the one
    the description or the path names (noted as taken from there). Raises HandbookError when none names one."""
    if given is not None:
        labels = read_quarter_label(given)
        if not labels:
            raise HandbookError(f"{quoted(given)} is not a quarter.", QUARTER_USAGE)
        return labels[0]
    first_heading = next((section.heading for section in page.sections if section.level == 1), None)
    places = (
        ("front matter quarter", page.front_matter.get("quarter")),
        ("title", page.front_matter.get("title")),
        ("first heading", first_heading),
        ("description", page.front_matter.get("description")),
        ("path", page.front_matter.get("canonical_path")),
    )
    for index, (place, text) in enumerate(places):
        labels = read_quarter_label(plain_text(text or ""))
        if len(labels) > 1:
            raise HandbookError(f"The page's {place} {quoted(text or '')} names more than one quarter.", QUARTER_USAGE)
        if labels and index >= 3:  # the title and headings said none: "FY25-Q14 OKRs"
            title = page.front_matter.get("title") or first_heading or ""
            said = f'the title "{plain_text(title)}" names no quarter; {labels[0]} is from the {place}'
            report.keep("Quarter", said)
        if labels:
            return labels[0]
    raise HandbookError("I couldn't tell which quarter this page is for: its title names none.", QUARTER_USAGE)


def _date_at(text: str) -> tuple[date | None, int] | None:
    """The date (or "TBD") that `text` starts with and where it ends, or None when it starts with neither."""
    found = search_date(text)
    if found is not None and found.start == 0:
        return found.day, found.end
    placeholder = _NO_DATE_YET.match(text)
    return (None, placeholder.end()) if placeholder else None


def _date_range(paragraph: str) -> tuple[date | None, date | None] | None:
    """The days in "This fiscal quarter will run from May 1, 2019 to July 31, 2019.", or None for other prose."""
    if not _RUN_WORDS.search(paragraph):
        return None
    for opening in _RANGE_START.finditer(paragraph):
        rest = paragraph[opening.end() :]
        first = _date_at(rest)
        separator = _RANGE_SEPARATOR.match(rest, first[1]) if first else None
        second = _date_at(rest[separator.end() :]) if first and separator else None
        if first and second and (first[0] or second[0]):
            return first[0], second[0]
    return None


def _read_dates(sections: Iterable[Section], report: ImportReport) -> tuple[date | None, date | None]:
    """The quarter's first and last day from the page's "will run from … to …" sentence; (None, None) without one,
    or when it ends before it starts (skipped, noted in the report)."""
    ranges = (
        found
        for section in sections
        for paragraph in read_paragraphs(section.body)
        if (found := _date_range(paragraph)) is not None
    )
    start, end = next(ranges, (None, None))
    if start and end and end < start:
        report.skip(
            "The sentence that says when the quarter runs",
            f"it ends on {end.isoformat()}, before it starts on {start.isoformat()}; the quarter's own dates are used",
        )
        return None, None
    report.count("dates", (start is not None) + (end is not None))
    return start, end


# Text --------------------------------------------------------------------------------------------------------------

_CODE_SPAN = re.compile(r"(`+).+?\1")
_HTML_LINK = re.compile(
    r"<a\s[^>]*?href\s*=\s*[\"']?(?P<url>[^\"'\s>]*)[\"']?[^>]*>(?P<text>.*?)</a\s*>", re.IGNORECASE | re.DOTALL
)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_SPACES = re.compile(r"\s+")


def _clean_prose(markdown: str) -> str:
    """Markdown outside code spans: HTML links as markdown links, other tags dropped, entities and mojibake fixed."""
    text = _HTML_LINK.sub(lambda link: link_markdown(plain_text(link["text"]), html.unescape(link["url"])), markdown)
    text = _TAG.sub("", _BREAK.sub(" ", text))
    return repair_mojibake(html.unescape(text))


def clean_text(markdown: str) -> str:
    """Item or heading markdown as a person sees it: hidden tags dropped, entities and mojibake fixed, spaces collapsed.

    Markdown links, emphasis and code spans are kept; an HTML `<a href>` becomes a markdown link.
    """
    parts, position = [], 0
    for code in _CODE_SPAN.finditer(markdown):
        parts += [_clean_prose(markdown[position : code.start()]), code[0]]
        position = code.end()
    parts.append(_clean_prose(markdown[position:]))
    return _SPACES.sub(" ", "".join(parts)).strip()


def _written(text: str) -> str:
    """Text as markdown that cleans back to itself: `&`, `<`, `>` as entities only when cleaning would change it."""
    if clean_text(text) == text:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Owners ------------------------------------------------------------------------------------------------------------

_LINK = r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"
# "Role: text", the role maybe a link; the first colon outside links and code, not a URL's "https:".
_OWNER_PREFIX = re.compile(rf"^(?P<prefix>(?:{_LINK}|`[^`]*`|[^:\[`])+?)\s*:(?!//)\s*")
_BOLD_OWNER = re.compile(r"^(?P<stars>\*\*|__)(?P<prefix>[^*_:]+?)(?:\s*:\s*(?P=stars)|(?P=stars)\s*:)\s*")
_CONNECTORS = frozenset({"of", "and", "the", "for", "&", "/", "-", "+"})
# "Dir. of Bus Ops" is a role; "Hire a team. Then ship:" is a sentence.
_SENTENCE = re.compile(r"\w{4,}[.!?](?:\s|$)|[!?]|://|www\.|%|[\"“”]")
# Key results start with a verb; roles never do. Words that are also roles ("Support", "Secure") are left out.
_KR_VERBS = frozenset(
    """accelerate achieve add attract automate build close collaborate commence complete conduct continue create cut
    decrease define deliver deploy develop document double drive enable enhance ensure establish evaluate evolve expand
    fill finish get grow hire identify implement improve increase initiate introduce iterate launch lower make measure
    migrate move optimize prioritize publish raise ramp reach reduce roll rollout sell ship sign standardize start
    streamline track transition update win write""".split()
)
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&/-]{1,5}")


def _is_owner(prefix: str) -> bool:
    """Whether plain text before a colon names a role: short, capitalized, not a sentence, a URL or a target."""
    words = [word for word in re.split(r"[\s,]+", prefix) if word and word.casefold() not in _CONNECTORS]
    return (
        0 < len(words) <= 6
        and len(prefix) <= 60
        and (prefix[0].isupper() or prefix[0].isdigit())
        # "Create BE" is a team; "Create a plan" is a key result.
        and (words[0].casefold() not in _KR_VERBS or (len(words) <= 3 and _ACRONYM.fullmatch(words[-1]) is not None))
        and not _SENTENCE.search(prefix)
    )


# "[CEO: Increase adoption …](url) …": a link whose words open with the owner.
_LEADING_LINK = re.compile(
    r"^\[(?P<words>(?:[^\[\]]|\[[^\[\]]*\])*)\](?P<target>\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\))"
)  # the same link as _LINK, its words and its target apart


def _split_owner(text: str) -> tuple[str | None, str]:
    """The owner prefix of cleaned markdown ("Director of Product, Dev: …") as plain text, and the text after it.

    An owner written inside a link that opens the line ("[CEO: Increase adoption](url)") is the owner too; the link
    keeps the rest of its words ("[Increase adoption](url)")."""
    match = _BOLD_OWNER.match(text) or _OWNER_PREFIX.match(text)
    if match is None:
        return _owner_in_link(text)
    owner, rest = plain_text(match["prefix"]).strip(), text[match.end() :]
    if not owner or not _is_owner(owner) or (owner[-1].isdigit() and rest[:1].isdigit()):  # "at 10:30"
        return None, text
    doubled = _OWNER_PREFIX.match(rest)  # "APAC: APAC: [Improve …]" is one owner
    if doubled and name_key(doubled["prefix"]) == name_key(owner):
        rest = rest[doubled.end() :]
    return owner, rest


def _owner_in_link(text: str) -> tuple[str | None, str]:
    """The owner that opens the words of a link opening `text`, and `text` with the link holding only the rest of
    its words; (None, text) when the link's words name no owner."""
    link = _LEADING_LINK.match(text)
    if link is None:
        return None, text
    owner, words = _split_owner(link["words"])
    if owner is None or not words.strip():
        return None, text
    return owner, f"[{words}]{link['target']}{text[link.end() :]}"


def _looks_like_role(text: str) -> bool:
    """Whether a line with no colon is only a role's name ("Development", "People Ops"), so it can group items."""
    words = text.split()
    capitalized = all(word[0].isupper() or word.casefold() in _CONNECTORS for word in words)
    return plain_text(text) == text and len(words) <= 4 and capitalized and _is_owner(text) and "." not in text


# Scores ------------------------------------------------------------------------------------------------------------

_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_PERCENT_NUMBER = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<sign>%?)")
# "=> 40%", "=> 27%, 0%, 227%", "=> 88", "=> 25% (still ongoing)": the words after the numbers stay in the text.
_ARROW_SCORE = re.compile(
    rf"\s*=>\s*(?P<numbers>{_NUMBER}\s*%?(?:\s*(?:,|;|/|&|\band\b)\s*{_NUMBER}\s*%?)*)"
    r"(?:\s*(?:complete|completed|done)\b)?[\s.,;]*(?P<note>(?:(?!=>).)*?)\s*$",
    re.IGNORECASE,
)
_DASH_SCORE = re.compile(rf"\s+[-–—]\s*(?P<number>{_NUMBER})\s*%(?:\s*(?:complete|completed|done)\b)?[\s.]*$", re.I)
# ": 45% done", and ": 100%" ending the line ("Preserve 100% of error budget: 100%", "…: -17%").
_COLON_SCORE = re.compile(rf"\s*:\s*(?P<number>{_NUMBER})\s*%\s*(?:(?:complete|completed|done)\b)?[\s.]*$", re.I)
# "… - 70% (moved to GCP, lots more to do)": the words in parentheses stay in the text.
_DASH_NOTE_SCORE = re.compile(rf"\s+[-–—]\s*(?P<number>{_NUMBER})\s*%\s*(?P<note>\([^()]*\))[\s.]*$")
# "Publish the roadmap. 100% [Trust Center](…)": a score after the last sentence, then the link that proves it.
_EVIDENCE_SCORE = re.compile(rf"(?<=[.!?])\s+(?P<number>{_NUMBER})\s*%\s+(?P<evidence>(?:{_LINK}[\s,;]*)+)$")


def _arrow_score(text: str) -> tuple[str, tuple[float, ...]] | None:
    """`=> …` at the end of a line: the text (with any words after the numbers) and the numbers, or None."""
    for match in _ARROW_SCORE.finditer(text):
        numbers = list(_PERCENT_NUMBER.finditer(match["numbers"]))
        if match["note"] and not all(number["sign"] for number in numbers):
            continue  # "=> 2 of 3" counts things; only a bare "=> 88" is a score without a % sign
        before = text[: match.start()].rstrip()
        return f"{before} {match['note']}".strip(), tuple(float(number["number"]) for number in numbers)
    return None


def _split_score(text: str) -> tuple[str, tuple[float, ...]]:
    """A key result's text without its trailing score, and the percentages the score wrote (empty when none)."""
    if (arrow := _arrow_score(text)) is not None:
        return arrow
    rest, progress = split_progress(text)  # "(45%)" and the other markers the shared reader knows
    if progress is not None and progress.percents:
        return rest, progress.percents
    if match := _COLON_SCORE.search(text) or _DASH_SCORE.search(text):
        return text[: match.start()].rstrip(), (float(match["number"]),)
    if match := _DASH_NOTE_SCORE.search(text):
        return f"{text[: match.start()].rstrip()} {match['note']}", (float(match["number"]),)
    if match := _EVIDENCE_SCORE.search(text):
        return f"{text[: match.start()]} {match['evidence'].strip()}", (float(match["number"]),)
    return text, ()


def _score(percents: Sequence[float]) -> float | None:
    """The mean of the percentages rounded to 2 places, or None when none were written; above 100 when the page says
    so ("=> 120%"), never below 0 (a "-1.2%" change scores 0, as written in `percents`)."""
    if not percents:
        return None
    return round(max(0.0, sum(percents) / len(percents)), 2)


# Statuses ----------------------------------------------------------------------------------------------------------

STATUS_TEXT_LIMIT = 200  # KeyResult.status_text
# Longest first, so "not started" is not read as "started" and "missed" not as "miss".
_STATUS_NAMES = {
    "not started": "not started",
    "not achieved": "missed",
    "not completed": "not done",
    "not complete": "not done",
    "not done": "not done",
    "not hit": "missed",
    "not met": "missed",
    "in progress": "in progress",
    "achieved": "achieved",
    "completed": "done",
    "complete": "done",
    "finished": "done",
    "skipped": "skipped",
    "missed": "missed",
    "miss": "missed",
    "done": "done",
}
_STATUS_WORDS = "|".join(sorted(_STATUS_NAMES, key=len, reverse=True)).replace(" ", r"\s+")
_CAPITAL_WORDS = "|".join(sorted((name.upper() for name in _STATUS_NAMES), key=len, reverse=True)).replace(" ", r"\s+")
_PROGRESS_WORDS = frozenset({"done", "complete", "completed", "finished"})  # "=> 20% done" is a score, not done
# After an arrow, any case: "=> Achieved over 2x goal", "=> **DONE**", "=> [Miss](…)", "-> Not Hit.", "=> 50% ACHIEVED".
_ARROW_STATUS = re.compile(
    rf"\s*(?:=>|->|→)\s*(?P<marker>(?:\*\*|__|\*|_|\[)*(?:(?P<number>{_NUMBER})\s*%\s*)?"
    rf"(?P<word>{_STATUS_WORDS})(?![\w-])(?:\s*~?\s*(?P<after>{_NUMBER})\s*%)?(?P<head>(?:\*\*|__|\*|_|\])*\.?)"
    r"(?P<note>.*))$",
    re.IGNORECASE,
)  # "=> **Missed ~0%**. [Most features shipped without metrics](…)": the percentage after the word is the score
# Without an arrow, only capitals at the end of the line: "… DONE", "… 50% ACHIEVED - 20% OF METRICS".
_CAPITAL_STATUS = re.compile(
    rf"(?<=\S)\s+(?P<marker>(?:(?P<number>{_NUMBER})\s*%\s+)?"
    rf"(?P<word>{_CAPITAL_WORDS})(?:\s*[-–—:,.;]\s*[^a-z]*)?)\s*$"
)
# "Cut costs by 10% ACHIEVED": the percentage after "by" is the target, not the score.
_TARGET_WORDS = frozenset("by of to than from at over under above below least most about around".split())


@dataclass(frozen=True, slots=True)
class _Status:
    """A status read off the end of a line: the text before it, its percentage (when one is next to the word)."""

    text: str
    percents: tuple[float, ...]
    status: str | None
    written: str


def _status_name(word: str) -> str:
    """The normalized status for a status word as written ("NOT  STARTED" is "not started")."""
    return _STATUS_NAMES[" ".join(word.casefold().split())]


def _split_status(text: str) -> _Status | None:
    """The status written in words at the end of a key result's text, or None when it ends with none, or with one
    longer than the database keeps (`STATUS_TEXT_LIMIT`: it then stays in the text, as written)."""
    status = _status_at_end(text)
    if status is not None and len(status.written) > STATUS_TEXT_LIMIT:
        status = _status_cut(text)
    return status if status is not None and len(status.written) <= STATUS_TEXT_LIMIT else None


def _status_cut(text: str) -> _Status | None:
    """A status after an arrow with its score (`=> **Missed ~0%**.`) whose note makes it too long to keep: the
    status and score as written, the note moved into the text, so the score is not lost; None for any other."""
    match = _ARROW_STATUS.search(text)
    if match is None or match["after"] is None or not match["note"].strip():
        return None
    head = text[match.start() : match.end("head")].strip()
    before = text[: match.start()].rstrip()
    return _Status(f"{before} {match['note'].strip()}", (float(match["after"]),), _status_name(match["word"]), head)


def _status_at_end(text: str) -> _Status | None:
    """The status at the end of `text`, however long."""
    if match := _ARROW_STATUS.search(text):
        if match["number"] is not None and match["word"].casefold() in _PROGRESS_WORDS:
            return None  # "=> 20% done": progress, read as a score
        number = match["number"] if match["number"] is not None else match["after"]
        percents = (float(number),) if number is not None else ()
        return _Status(text[: match.start()].rstrip(), percents, _status_name(match["word"]), match[0].strip())
    match = _CAPITAL_STATUS.search(text)
    if match is None:
        return None
    before, marker, status = text[: match.start()].rstrip(), match["marker"].strip(), _status_name(match["word"])
    if match["number"] is not None and before.split()[-1].casefold() in _TARGET_WORDS:
        target, marker = marker.split("%", 1)
        return _Status(f"{before} {target.strip()}%", (), status, marker.strip())
    percents = (float(match["number"]),) if match["number"] is not None else ()
    return _Status(before, percents, status, marker)


# Scores written other ways ---------------------------------------------------------------------------------------
# A score is known by where it stands: at the end of the line, after a separator (` - `, `: `, ` = `, `=>`) or in
# trailing emphasis or parentheses, with only a progress or status word and a note after it. The marker is kept as
# the page wrote it (`status_text`), so an export writes it back. A percentage inside the sentence is the goal's
# ("Increase SMAU 10% m/m", "grow 43% QoQ", "by 10% ACHIEVED"), never a score.

_SCORE_AT = rf"(?P<number>{_NUMBER})\s*%(?:\s*(?P<word>{_STATUS_WORDS})(?![\w-]))?"
_NOTE_AFTER = r"\s*[-–—:,;]\s+"
_MARKED_SCORES = (
    # "… *50%*", "… **100% - hired new manager in November**"
    re.compile(rf"(?<=\S)\s+(?P<marker>(?P<em>\*\*|__|\*|_){_SCORE_AT}(?:{_NOTE_AFTER}.*?)?(?P=em)\.?)\s*$", re.I),
    # "… (100% - Related issues was delivered …)", "… (50% complete, first iteration merged)"
    re.compile(rf"\s*(?P<marker>\({_SCORE_AT}(?:{_NOTE_AFTER}[^()]*?)?\s*\)\.?)\s*$", re.I),
    # "…: 100% [Blog post](…)", "…: 5/5, 100% [Kanban board](…)", "…: 79% achieved - [Actual weekly average](…) …"
    re.compile(rf"(?<=\S)\s*(?P<marker>:\s+(?:\d+\s*/\s*\d+\s*,\s*)?{_SCORE_AT}(?:\s+{_LINK}.*|\s+[-–—]\s+.*))$", re.I),
    # "… - 0% done - now targeting end of July."
    re.compile(rf"\s+(?P<marker>[-–—]\s*{_SCORE_AT}{_NOTE_AFTER}.*)$", re.I),
    # "… = 70% done, [remaining work scoped](…). …"
    re.compile(rf"\s+(?P<marker>=(?!>)\s*{_SCORE_AT}(?:\s*[-–—:,;.]\s*.*)?)$", re.I),
)
# "… => **61% Complete**. Of nine stages …": read before the `=> …` the shared reader knows, which drops the note.
_ARROW_EMPHASIS_SCORE = re.compile(rf"\s*(?P<marker>=>\s*(?:\*\*|__|\*|_)+{_SCORE_AT}.*)$", re.I)
# "…: 10 sourced (100%), 2 hired (200%) => Hired one extra developer …": a result per part, each a percentage.
_PART_SCORE = rf"[^():,;]*?\(\s*{_NUMBER}\s*%\s*\)"
_SEVERAL_SCORES = re.compile(
    rf"(?<=\S)\s*(?P<marker>:\s+(?P<parts>{_PART_SCORE}(?:\s*[,;]?\s+{_PART_SCORE})+)\.?(?:\s*=>\s*(?P<note>.*))?)$"
)


def _marked_score(text: str) -> _Status | None:
    """A score written one of the other ways at the end of `text`, its marker as written; None when there is none,
    or when the marker is longer than the database keeps (it then stays in the text)."""
    found = _several_scores(text)
    for pattern in () if found else (_ARROW_EMPHASIS_SCORE, *_MARKED_SCORES):
        if (match := pattern.search(text)) is not None:
            word = match["word"]
            status = _status_name(word) if word and word.casefold() not in _PROGRESS_WORDS else None
            found = _Status(text[: match.start()].rstrip(), (float(match["number"]),), status, match["marker"])
            break
    if found is None or not found.text or len(found.written) > STATUS_TEXT_LIMIT:
        return None
    return found


def _arrow_emphasis_score(text: str) -> _Status | None:
    """`… => **61% Complete**. note`, the marker as written, or None."""
    match = _ARROW_EMPHASIS_SCORE.search(text)
    if match is None or len(match["marker"]) > STATUS_TEXT_LIMIT or not text[: match.start()].strip():
        return None
    return _Status(text[: match.start()].rstrip(), (float(match["number"]),), None, match["marker"])


def _several_scores(text: str) -> _Status | None:
    """`…: 10 sourced (100%), 2 hired (200%)`, each percentage kept, or None."""
    match = _SEVERAL_SCORES.search(text)
    if match is None or (match["note"] and _PERCENT_NUMBER.search(match["note"])):
        return None  # "… => 100% done for both": the score after the arrow is the one
    percents = tuple(float(number) for number in re.findall(rf"\(\s*({_NUMBER})\s*%\s*\)", match["parts"]))
    return _Status(text[: match.start()].rstrip(), percents, None, match["marker"])


# Key results -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    """One list item's text read: its owner, its text without owner and score, the percentages of its score, and a
    status written in words (normalized and as written)."""

    owner: str | None
    text: str
    percents: tuple[float, ...]
    status: str | None = None
    status_text: str | None = None


def _read_line(markdown: str) -> _Line:
    """Owner, text, score and status of one item's markdown."""
    owner, rest = _split_owner(clean_text(markdown))
    if (status := _split_status(rest)) is not None:
        return _Line(owner, status.text, status.percents, status.status, status.written)
    if _arrow_score(rest) is None and (first := _several_scores(rest) or _arrow_emphasis_score(rest)) is not None:
        return _Line(owner, first.text, first.percents, first.status, first.written)
    text, percents = _split_score(rest)
    if not percents and (marked := _marked_score(rest)) is not None:
        return _Line(owner, marked.text, marked.percents, marked.status, marked.written)
    return _Line(owner, text, percents)


def _owner_keys(items: Iterable[ListItem]) -> Iterator[str]:
    """The `name_key` of every owner prefix in the items and their children."""
    for item in items:
        owner = _read_line(item.text).owner
        if owner is not None:
            yield name_key(owner)
        yield from _owner_keys(item.children)


def _grouping(line: _Line, item: ListItem, known: frozenset[str]) -> tuple[bool, str | None]:
    """Whether an item is a bare owner label ("1. CMO:", "1. Development", "1. CPO") and the owner it names."""
    if line.percents or line.status:
        return False, None
    if not line.text:
        return True, line.owner
    if line.owner is not None:
        return False, None
    named = name_key(line.text) in known or _ACRONYM.fullmatch(line.text) is not None
    if named or (item.children and _looks_like_role(line.text)):
        return True, _label_name(line.text)
    return False, None


def _label_name(text: str) -> str:
    """The owner a grouping label names, without the colon that may end it: "- Create:" (a stage whose name is also
    a verb, so `_split_owner` leaves it as text) groups key results owned by "Create"."""
    name = plain_text(text).strip()
    return name.removesuffix(":").rstrip() or name


_ONLY_A_SCORE = re.compile(rf"(?P<number>{_NUMBER})\s*%\.?")


def _score_child(children: Sequence[KeyResult]) -> KeyResult | None:
    """The first child line that is only a percentage ("81%.", "100%."): its parent's score, written on a line of its
    own. Lines that hold more ("77% (36/47)", "Overall: 71% (70/99)", "10% (from community contributions)") stay key
    results as written: taking them as the score would drop their words."""
    return next(
        (c for c in children if c.owner is None and not c.key_results and _ONLY_A_SCORE.fullmatch(c.text)), None
    )


@dataclass(frozen=True, slots=True)
class _Reading:
    """What reading one objective's items needs: the owners named anywhere, the report, where on the page it is."""

    known: frozenset[str]
    report: ImportReport
    where: str


_BOLD_NAME = re.compile(r"^(?P<stars>\*\*|__)(?P<name>[^*_:]+?)(?P=stars)\s+(?P<rest>\S.*)$")


def _bold_owner(line: _Line, known: frozenset[str]) -> _Line:
    """A line that opens with a bold owner and no colon ("**Senior Director, People Success** 5,000 …") gets that
    owner when the page names it as an owner elsewhere; other bold openings stay text."""
    match = _BOLD_NAME.match(line.text) if line.owner is None else None
    if match is None or name_key(match["name"]) not in known:
        return line
    return replace(line, owner=plain_text(match["name"]).strip(), text=match["rest"])


def _key_results(items: Iterable[ListItem], reading: _Reading, owner: str | None = None) -> tuple[KeyResult, ...]:
    """Items as key results; a grouping label's items join its parent's, and those without an owner take its owner."""
    results: list[KeyResult] = []
    for item in items:
        line = _bold_owner(_read_line(item.text), reading.known)
        grouping, label_owner = _grouping(line, item, reading.known)
        if grouping:
            if not item.children:
                label = label_owner or plain_text(clean_text(item.text))
                reading.report.skip(f'{reading.where}, item "{label}"', "a label with no key results under it")
            results += _key_results(item.children, reading, label_owner if label_owner is not None else owner)
            continue
        children = _key_results(item.children, reading)
        if not line.percents and not line.status and (scored := _score_child(children)) is not None:
            line = replace(line, percents=(float(_ONLY_A_SCORE.fullmatch(scored.text)["number"]),))
            children = tuple(child for child in children if child is not scored)
            label = plain_text(line.text)[:60]
            reading.report.keep(
                f'{reading.where}, item "{label}"',
                f"the line under it that is only a score ({scored.text}) is its score",
            )
        line_owner = line.owner if line.owner is not None else owner
        score = _score(line.percents)
        results.append(KeyResult(line_owner, line.text, score, line.percents, children, line.status, line.status_text))
    return tuple(results)


# Objectives --------------------------------------------------------------------------------------------------------

_OBJECTIVE_HEADING = re.compile(
    r"^(?:(?P<word>objective)\s*#?\s*(?P<named>\d{1,3})(?:\s*[.):]|\s+[-–—])?|(?P<numbered>\d{1,3})[.)])\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
# Who owns an objective heading that has no number (`<p class="h3">CEO: …</p>`): an executive, not a team.
_EXECUTIVE = re.compile(r"C[A-Z]{1,3}O|VPE|(?:S|E)?VP\b.*|Chief\b.*|President\b.*")


@dataclass(frozen=True, slots=True)
class _ObjectiveDraft:
    """An objective found on the page, its key results still list items; `numbered` whether the page numbered it."""

    number: int
    owner: str | None
    text: str
    items: tuple[ListItem, ...]
    numbered: bool = True


@dataclass(frozen=True, slots=True)
class _Heading:
    """An objective heading read: its number (None when it wrote none), the "Objective N:" form, owner, text."""

    number: int | None
    named: bool
    owner: str | None
    text: str


def _objective_heading(heading: str) -> _Heading | None:
    """An objective heading ("1. CEO: …", "Objective 2 - CEO: …", "CEO: …"), or None for any other heading."""
    cleaned = clean_text(heading)
    if (match := _OBJECTIVE_HEADING.match(cleaned)) is not None:
        owner, text = _split_owner(match["rest"])
        return _Heading(int(match["named"] or match["numbered"]), bool(match["word"]), owner, text)
    owner, text = _split_owner(cleaned)
    if owner is not None and text and _EXECUTIVE.fullmatch(owner):
        return _Heading(None, False, owner, text)
    return None


def _headed_objectives(
    sections: Sequence[Section], skip: set[int]
) -> tuple[list[_ObjectiveDraft], set[int], PageShape | None]:
    """Objectives written as headings, each with the lists under it (and under a "Key Results" subheading); the
    sections they used; the shape of their headings (None when there are none)."""
    drafts, used, headings = [], set(), []
    for index, section in enumerate(sections):
        heading = _objective_heading(section.heading) if section.level and index not in skip else None
        if heading is None:
            continue
        under = [
            (offset, sub)
            for offset, sub in enumerate(subsections(sections, section), start=index + 1)
            if matches(sub.heading, KEY_RESULT_HEADINGS)
        ]
        used |= {index, *(offset for offset, _ in under)}
        items = [item for part in (section, *(sub for _, sub in under)) for item in read_list(part.body)]
        number = heading.number if heading.number is not None else len(drafts) + 1
        drafts.append(_ObjectiveDraft(number, heading.owner, heading.text, tuple(items), heading.number is not None))
        headings.append((section.level, heading))
    if not headings:
        return drafts, used, None
    level, first = headings[0]
    numbered = any(heading.number is not None for _, heading in headings)
    return drafts, used, PageShape(objectives="objective" if first.named else "heading", level=level, numbered=numbered)


def _listed_objectives(sections: Sequence[Section], skip: set[int]) -> tuple[list[_ObjectiveDraft], set[int]]:
    """Objectives written as top-level numbered items (numbered in page order), their nested items the key results;
    the sections they came from."""
    drafts, used = [], set()
    for index, section in enumerate(sections):
        items = [item for item in read_list(section.body) if item.ordered] if index not in skip else []
        for item in items:
            owner, text = _split_owner(clean_text(item.text))
            drafts.append(_ObjectiveDraft(len(drafts) + 1, owner, text, item.children))
        used |= {index} if items else set()
    return drafts, used


def _first_bullet(drafts: Iterable[_ObjectiveDraft]) -> str:
    """How the key results are listed: "-" when the first one is a bullet, else "1." (the seed's numbered lists)."""
    first = next((item for draft in drafts for item in draft.items), None)
    return "-" if first is not None and not first.ordered else "1."


def _read_objectives(
    sections: Sequence[Section], retro_indexes: set[int], report: ImportReport
) -> tuple[tuple[Objective, ...], set[int], PageShape]:
    """The page's objectives, from headings when it has any, else from its numbered lists outside the retro; the
    sections they used; how they were written."""
    drafts, used, shape = _headed_objectives(sections, retro_indexes)
    if shape is None:
        drafts, used = _listed_objectives(sections, retro_indexes)
        shape = PageShape(objectives="item") if drafts else PageShape()
    shape = replace(shape, bullet=_first_bullet(drafts))
    if drafts and not shape.numbered:
        report.keep("Objectives", f"the page numbers none; they are numbered 1 to {len(drafts)} in page order")
    known = frozenset(key for draft in drafts for key in _owner_keys(draft.items))
    objectives = tuple(
        Objective(
            draft.number,
            draft.owner,
            draft.text,
            _key_results(draft.items, _Reading(known, report, f"Objective {draft.number}")),
        )
        for draft in drafts
    )
    return objectives, used, shape


# Retrospective -----------------------------------------------------------------------------------------------------

_RETRO_KINDS = (("good", GOOD_NAMES), ("bad", BAD_NAMES), ("try", TRY_NAMES))
_RETRO_KEYS = {name_key(name): kind for kind, names in _RETRO_KINDS for name in names}


def _retro_kind(label: str) -> str | None:
    """The kind ("good", "bad" or "try") of a GOOD / BAD / TRY label (`**Good:**`, "What went well"), else None."""
    return _RETRO_KEYS.get(name_key(label)) if label.strip() else None


def _retro_label(markdown: str) -> tuple[str | None, str]:
    """The kind of a `- GOOD` item and any text written after the label on its line ("Good: we shipped")."""
    text = clean_text(markdown)
    if kind := _retro_kind(text):
        return kind, ""
    owner, rest = _split_owner(text)
    kind = _retro_kind(owner) if owner else None
    return (kind, rest) if kind else (None, "")


def _flattened(items: Iterable[ListItem]) -> Iterator[str]:
    """Every item's cleaned text, children right after their parent, empty items skipped."""
    for item in items:
        if text := clean_text(item.text):
            yield text
        yield from _flattened(item.children)


def _retro_items(body: str) -> list[str]:
    """The items under a GOOD / BAD / TRY label: its list, or its paragraphs when it has no list."""
    return list(_flattened(read_list(body))) or [text for text in map(clean_text, read_paragraphs(body)) if text]


def _body_retro(body: str) -> dict[str, list[str]]:
    """GOOD / BAD / TRY items in one section body: `- GOOD` lists, `**Good:**` labels, a Good | Bad | Try table."""
    found: dict[str, list[str]] = {}
    for item in read_list(body):
        kind, rest = _retro_label(item.text)
        if kind:
            found.setdefault(kind, []).extend([rest] if rest else [])
            found[kind] += _flattened(item.children)
    for label, text in labelled_blocks(body):
        if kind := _retro_kind(label):
            found.setdefault(kind, []).extend(_retro_items(text))
    for table in read_tables(body):
        for kind, names in _RETRO_KINDS:
            column = table.column(names)
            if column is not None:
                cells = (part for row in table.rows for part in _BREAK.split(row[column]))
                found.setdefault(kind, []).extend(text for text in map(clean_text, cells) if text)
    return found


def _retro_team(sections: Sequence[Section], index: int) -> tuple[RetroTeam, set[int]] | None:
    """The team whose heading is `sections[index]` and the sections it used, or None when it has no GOOD/BAD/TRY."""
    section = sections[index]
    if not section.level or _retro_kind(section.heading) or _objective_heading(section.heading):
        return None
    found, used = _body_retro(section.body), {index}
    for offset, sub in enumerate(subsections(sections, section), start=index + 1):
        kind = _retro_kind(sub.heading)
        if kind is None:
            break  # a deeper heading that is not GOOD / BAD / TRY is the next team ("#### Delivery")
        found.setdefault(kind, []).extend(_retro_items(sub.body))
        used.add(offset)
    if not found:
        return None
    good, bad, try_ = (tuple(found.get(kind, ())) for kind, _ in _RETRO_KINDS)
    return RetroTeam(plain_text(clean_text(section.heading)), good, bad, try_), used


def _read_retro(sections: Sequence[Section]) -> tuple[tuple[RetroTeam, ...], set[int]]:
    """Every team with GOOD / BAD / TRY of its own, in page order, and the indexes of the sections they used."""
    teams, used = [], set()
    for index in range(len(sections)):
        if index in used or (read := _retro_team(sections, index)) is None:
            continue
        teams.append(read[0])
        used |= read[1]
    return tuple(teams), used


RETRO_NAMES = ("Retrospective", "Retrospectives", "Retro", "Quarterly retrospective", "Quarterly retro")
_LABEL_WORDS = frozenset(name.upper() for _, names in _RETRO_KINDS for name in names)


def _retro_shape(sections: Sequence[Section], used: set[int]) -> dict[str, str]:
    """How the retrospective was written, where it differs from the seed: its heading's name, `- Good` labels."""
    shape = {}
    heading = next((section.heading for section in sections if matches(section.heading, RETRO_NAMES)), None)
    if heading is not None and heading.strip() != RETRO_HEADING:
        shape["retro_heading"] = plain_text(clean_text(heading))
    bodies = (sections[index].body for index in sorted(used))
    labels = (clean_text(item.text) for body in bodies for item in read_list(body))
    first = next((label for label in labels if _retro_kind(label)), None)
    if first is not None and not first.isupper() and first.upper() in _LABEL_WORDS:
        shape["retro_labels"] = "title"
    return shape


def _skipped_sections(sections: Sequence[Section], used: set[int], report: ImportReport) -> None:
    """Name in the report each list and table that is neither an objective's nor the retrospective's."""
    for index, section in enumerate(sections):
        if index in used:
            continue
        where = f'Section "{plain_text(clean_text(section.heading))}"' if section.level else "Top of the page"
        items = read_list(section.body)
        if items:
            report.skip(where, f"{len(items)} list items that are not under an objective")
        for table in read_tables(section.body):
            report.skip(where, f"a table of {len(table.rows)} rows, not objectives or key results")


def _all_key_results(results: Iterable[KeyResult]) -> Iterator[KeyResult]:
    """Key results at every depth, depth-first."""
    for result in results:
        yield result
        yield from _all_key_results(result.key_results)


def _count(report: ImportReport, objectives: Sequence[Objective], retro: Sequence[RetroTeam]) -> None:
    """What was read, counted in the report."""
    results = [result for objective in objectives for result in _all_key_results(objective.key_results)]
    report.count("objectives", len(objectives))
    report.count("key results", len(results))
    report.count("scores", sum(result.score is not None for result in results))
    report.count("statuses", sum(result.status is not None for result in results))
    report.count("retro teams", len(retro))


def _kept_title(page: Page, quarter: str) -> str | None:
    """The page title when it names the quarter but is not "<quarter> OKRs" (written back as it was), else None."""
    title = plain_text(page.front_matter.get("title") or "").strip()
    if not title or title == f"{quarter} OKRs" or read_quarter_label(title) != (quarter,):
        return None
    return title


def read_okr_page(markdown: str, quarter: str | None = None, report: ImportReport | None = None) -> OkrPage:
    """The OKR page in `markdown`; `quarter` ("FY20-Q2") wins over the title. What it read, kept as written and
    skipped goes into `report`.

    Raises HandbookError when nothing on the page is recognisable (no objective, date or retrospective), or when it
    can't tell the quarter (none passed in, none in the title).
    """
    report = report if report is not None else ImportReport()
    page = read_page(markdown)
    sections = page.sections
    retro, retro_indexes = _read_retro(sections)
    objectives, objective_indexes, shape = _read_objectives(sections, retro_indexes, report)
    start, end = _read_dates(sections, report)
    _count(report, objectives, retro)
    _skipped_sections(sections, retro_indexes | objective_indexes, report)
    if not report.read_anything:
        raise HandbookError("I couldn't find any objectives on this page.", OBJECTIVES_USAGE)
    label = _page_quarter(page, quarter, report)
    if not objectives:
        report.check("The page has no objectives: the quarter is saved with its dates only.")
    dates = start is not None or end is not None
    shape = replace(shape, title=_kept_title(page, label), dates=dates, **_retro_shape(sections, retro_indexes))
    if shape.objectives == "heading" and objectives:
        shape = replace(shape, html=_objectives_in_html(markdown, shape.level))
    return OkrPage(label, start, end, objectives, retro, shape)


def _objectives_in_html(markdown: str, level: int) -> bool:
    """Whether the page wrote its objective headings as HTML (`<p class="h3">1. CEO: …</p>`) at `level`."""
    for line in normalize_newlines(markdown).split("\n"):
        heading = html_heading(line)
        if heading is not None and heading[1] == level and _objective_heading(heading[0]) is not None:
            return True
    return False


def _key_result_line(result: KeyResult) -> str:
    """One key result as `Owner: text => 40%`, the percentages as written (the score alone when none were kept), or
    with its status as the page wrote it (`Owner: text 50% ACHIEVED`)."""
    owner = f"{escape_inline(result.owner)}: " if result.owner is not None else ""
    if result.status_text:
        joint = "" if result.status_text.startswith((":", ",", ";")) else " "  # "…: 100% [Blog post](…)"
        return f"{owner}{_written(result.text)}{joint}{_written(result.status_text)}".strip()
    percents = result.percents or ((result.score,) if result.score is not None else ())
    return f"{owner}{_written(result.text)}{progress_marker(percents)}".strip()


def _key_result_lines(results: Iterable[KeyResult], bullet: str, indent: str, depth: int = 0) -> Iterator[str]:
    """Key results as a `1.` (or `-`) list, each level indented once more. An owner that would not read back in front
    of its text ("Create: Spend …" reads as a sentence) is written as the page wrote it, a label with its key results
    under it (`- Create:`), one label for each run of key results it owns."""
    label = None
    for result in results:
        grouped = _label_owner(result)
        if grouped is not None and grouped != label:
            yield f"{indent * depth}{bullet} {escape_inline(grouped)}:"
        label = grouped
        if grouped is not None:
            yield f"{indent * (depth + 1)}{bullet} {_key_result_line(replace(result, owner=None))}"
            yield from _key_result_lines(result.key_results, bullet, indent, depth + 2)
            continue
        yield f"{indent * depth}{bullet} {_key_result_line(result)}"
        yield from _key_result_lines(result.key_results, bullet, indent, depth + 1)


def _label_owner(result: KeyResult) -> str | None:
    """The owner to write as a label above the key result, when it has one that would not read back written in front
    of its text but does as a label; else None (the owner is written `Owner: text`)."""
    if result.owner is None:
        return None
    if _split_owner(clean_text(f"{escape_inline(result.owner)}: {_written(result.text)}"))[0] == result.owner:
        return None
    label = _read_line(f"{escape_inline(result.owner)}:")
    if label.owner is None and _looks_like_role(label.text) and _label_name(label.text) == result.owner:
        return result.owner
    return None


def _indent(bullet: str) -> str:
    """How far a nested item goes in: 4 spaces under `1.` (the seed's), 2 under `-`."""
    return "  " if bullet == "-" else "    "


def _objective_title(objective: Objective, shape: PageShape) -> str:
    """`1. CEO: text`, `Objective 1: CEO: text`, or `CEO: text` when the page numbered none."""
    owner = f"{escape_inline(objective.owner)}: " if objective.owner is not None else ""
    text = f"{owner}{_written(objective.text)}".strip()
    if shape.objectives == "objective":
        return f"Objective {objective.number}: {text}"
    if not shape.numbered and objective.owner is not None and _EXECUTIVE.fullmatch(objective.owner):
        return text
    return f"{objective.number}. {text}"


def _objective_section(objective: Objective, shape: PageShape) -> str:
    """An objective as a heading (`### 1. CEO: text`, or `<p class="h3">…</p>` as the page wrote it) with its key
    results under it. A title holding markdown (a link) is written `###`: HTML would show its markup."""
    lines = "\n".join(_key_result_lines(objective.key_results, shape.bullet, _indent(shape.bullet)))
    title = _objective_title(objective, shape)
    if shape.html and not re.search(r"[\\\[\]<>&`*_]", title):
        return f'<p class="h{shape.level}">{title}</p>\n\n{lines}'.rstrip()
    return write_section(title, shape.level, lines)


def _objective_items(objectives: Iterable[Objective], shape: PageShape) -> str:
    """Objectives as top-level numbered items, their key results nested 4 spaces under each."""
    lines = []
    for objective in objectives:
        lines.append(f"1. {_objective_title(objective, shape)[len(str(objective.number)) + 2 :]}")
        lines += _key_result_lines(objective.key_results, shape.bullet, "    ", 1)
    return "\n".join(lines)


def _team_section(team: RetroTeam, shape: PageShape) -> str:
    """A team's retrospective as `### Team` and `- GOOD` / `- BAD` / `- TRY` lists (all three when all are empty)."""
    names = ("GOOD", "BAD", "TRY") if shape.retro_labels == "upper" else ("Good", "Bad", "Try")
    lists = list(zip(names, (team.good, team.bad, team.try_), strict=True))
    shown = [(label, items) for label, items in lists if items] or lists
    lines = []
    for label, items in shown:
        lines.append(f"- {label}")
        lines += [f"  {shape.bullet} {_written(text)}" for text in items]
    return write_section(escape_inline(team.team), 3, "\n".join(lines))


def _prose_date(day: date | None) -> str:
    """A day as the seed writes it in prose ("May 1, 2019"), or "TBD" for none."""
    return f"{calendar.month_name[day.month]} {day.day}, {day.year}" if day else write_date(day)


def write_okr_page(page: OkrPage) -> str:
    """The page as handbook markdown, laid out as `page.shape` says (the seed's format by default);
    `read_okr_page` reads it back to the same page."""
    shape = page.shape
    title = shape.title or (f"{page.quarter} OKRs" if page.quarter else None)
    blocks = [write_front_matter({"title": title}) if title else ""]
    if page.start or page.end:
        kind = "fiscal quarter" if (page.quarter or "").upper().startswith("FY") else "quarter"
        blocks.append(f"This {kind} will run from {_prose_date(page.start)} to {_prose_date(page.end)}.")
    if shape.objectives == "item":
        blocks.append(_objective_items(page.objectives, shape))
    else:
        blocks += [_objective_section(objective, shape) for objective in page.objectives]
    if page.retro:
        blocks.append(write_section(escape_inline(shape.retro_heading), 2, ""))
        blocks += [_team_section(team, shape) for team in page.retro]
    return join_blocks(blocks)


def _key_result_json(result: KeyResult) -> dict[str, Any]:
    """One key result and those under it as JSON values."""
    children = [_key_result_json(child) for child in result.key_results]
    return {
        "owner": result.owner,
        "text": result.text,
        "score": result.score,
        "status": result.status,
        "status_text": result.status_text,
        "key_results": children,
    }


def page_as_json(page: OkrPage) -> dict[str, Any]:
    """The page as JSON values: dates as ISO strings (or null), scores in percent (or null, above 100 when the page
    says so) with the status written in words beside them, retro lists by kind."""
    return {
        "quarter": page.quarter,
        "start": page.start.isoformat() if page.start else None,
        "end": page.end.isoformat() if page.end else None,
        "objectives": [
            {
                "number": objective.number,
                "owner": objective.owner,
                "text": objective.text,
                "key_results": [_key_result_json(result) for result in objective.key_results],
            }
            for objective in page.objectives
        ],
        "retro": [
            {"team": team.team, "good": list(team.good), "bad": list(team.bad), "try": list(team.try_)}
            for team in page.retro
        ],
    }
