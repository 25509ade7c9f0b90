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
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.errors import UserError
from bot.fiscal import FiscalCalendar
from bot.handbook import HandbookError, reading
from bot.handbook.dates import search_date, write_date
from bot.handbook.inline import escape_inline, link_markdown, plain_text, repair_mojibake
from bot.handbook.markdown import (
    ListItem,
    Page,
    Section,
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
    write_list,
    write_section,
)
from bot.handbook.progress import progress_marker, split_progress
from bot.text import quoted

__all__ = [
    "KeyResult",
    "Objective",
    "OkrPage",
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

    `score` is the mean of `percents` clamped to 0..100 (None when no score is written); `percents` are the
    percentages as written (`=> 27%, 0%, 227%`), so an export writes them back unchanged.
    """

    owner: str | None
    text: str
    score: float | None
    percents: tuple[float, ...] = ()
    key_results: tuple[KeyResult, ...] = ()


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
class OkrPage:
    """An OKR page read from (or to be written to) the handbook; `start`/`end` only when the page says them."""

    quarter: str | None
    start: date | None
    end: date | None
    objectives: tuple[Objective, ...]
    retro: tuple[RetroTeam, ...] = ()


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


def _page_quarter(page: Page, given: str | None) -> str:
    """The quarter passed in, else the one the front matter, the title or the first `#` heading names."""
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
    )
    for place, text in places:
        labels = read_quarter_label(plain_text(text or ""))
        if len(labels) > 1:
            raise HandbookError(f"The page's {place} {quoted(text or '')} names more than one quarter.", QUARTER_USAGE)
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


def _read_dates(sections: Iterable[Section]) -> tuple[date | None, date | None]:
    """The quarter's first and last day from the page's "will run from … to …" sentence; (None, None) without one."""
    ranges = (
        found
        for section in sections
        for paragraph in read_paragraphs(section.body)
        if (found := _date_range(paragraph)) is not None
    )
    start, end = next(ranges, (None, None))
    with reading("the sentence that says when the quarter runs"):
        if start and end and end < start:
            raise HandbookError(f"it ends on {end.isoformat()}, before it starts on {start.isoformat()}.", DATES_USAGE)
    return start, end


# Text --------------------------------------------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})")
_HTML_HEADING = re.compile(
    r"^ {0,3}<(?P<tag>h(?P<level>[1-6])|p|div)(?P<attributes>\s[^>]*)?>(?P<text>.*)</(?P=tag)\s*>\s*$", re.IGNORECASE
)
_HEADING_CLASS = re.compile(r"\bclass\s*=\s*[\"']?[^\"'>]*?\bh(?P<level>[1-6])\b", re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+).+?\1")
_HTML_LINK = re.compile(
    r"<a\s[^>]*?href\s*=\s*[\"']?(?P<url>[^\"'\s>]*)[\"']?[^>]*>(?P<text>.*?)</a\s*>", re.IGNORECASE | re.DOTALL
)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_SPACES = re.compile(r"\s+")


def _html_headings_as_markdown(markdown: str) -> str:
    """The page with one-line HTML headings (`<h3>…</h3>`, `<p class="h3">…</p>`) as `###` headings, code untouched."""
    lines, in_fence = [], False
    for line in normalize_newlines(markdown).split("\n"):
        in_fence = in_fence != bool(_FENCE.match(line))
        heading = None if in_fence else _HTML_HEADING.match(line)
        level = _html_heading_level(heading) if heading else None
        lines.append(f"{'#' * level} {heading['text'].strip()}" if heading and level else line)
    return "\n".join(lines)


def _html_heading_level(heading: re.Match[str]) -> int | None:
    """The level of an `<h3>` or `<p class="h3">` line; None for a `<p>` or `<div>` that is not styled as a heading."""
    if heading["level"]:
        return int(heading["level"])
    styled = _HEADING_CLASS.search(heading["attributes"] or "")
    return int(styled["level"]) if styled else None


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
        and words[0].casefold() not in _KR_VERBS
        and not _SENTENCE.search(prefix)
    )


def _split_owner(text: str) -> tuple[str | None, str]:
    """The owner prefix of cleaned markdown ("Director of Product, Dev: …") as plain text, and the text after it."""
    match = _BOLD_OWNER.match(text) or _OWNER_PREFIX.match(text)
    if match is None:
        return None, text
    owner, rest = plain_text(match["prefix"]).strip(), text[match.end() :]
    if not owner or not _is_owner(owner) or (owner[-1].isdigit() and rest[:1].isdigit()):  # "at 10:30"
        return None, text
    doubled = _OWNER_PREFIX.match(rest)  # "APAC: APAC: [Improve …]" is one owner
    if doubled and name_key(doubled["prefix"]) == name_key(owner):
        rest = rest[doubled.end() :]
    return owner, rest


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
_COLON_SCORE = re.compile(rf"\s*:\s*(?P<number>{_NUMBER})\s*%\s*(?:complete|completed|done)\b[\s.]*$", re.I)
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
    if match := _DASH_SCORE.search(text) or _COLON_SCORE.search(text):
        return text[: match.start()].rstrip(), (float(match["number"]),)
    if match := _EVIDENCE_SCORE.search(text):
        return f"{text[: match.start()]} {match['evidence'].strip()}", (float(match["number"]),)
    return text, ()


def _score(percents: Sequence[float]) -> float | None:
    """The mean of the percentages clamped to 0..100 and rounded to 2 places, or None when none were written."""
    if not percents:
        return None
    return round(min(100.0, max(0.0, sum(percents) / len(percents))), 2)


# Key results -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    """One list item's text read: its owner, its text without owner and score, the percentages of its score."""

    owner: str | None
    text: str
    percents: tuple[float, ...]


def _read_line(markdown: str) -> _Line:
    """Owner, text and score of one item's markdown."""
    owner, rest = _split_owner(clean_text(markdown))
    text, percents = _split_score(rest)
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
    if line.percents:
        return False, None
    if not line.text:
        return True, line.owner
    if line.owner is not None:
        return False, None
    named = name_key(line.text) in known or _ACRONYM.fullmatch(line.text) is not None
    if named or (item.children and _looks_like_role(line.text)):
        return True, plain_text(line.text)
    return False, None


def _key_results(items: Iterable[ListItem], known: frozenset[str], owner: str | None = None) -> tuple[KeyResult, ...]:
    """Items as key results; a grouping label's items join its parent's, and those without an owner take its owner."""
    results: list[KeyResult] = []
    for item in items:
        line = _read_line(item.text)
        grouping, label_owner = _grouping(line, item, known)
        if grouping:  # a label with no items says nothing and is dropped
            results += _key_results(item.children, known, label_owner if label_owner is not None else owner)
            continue
        children = _key_results(item.children, known)
        line_owner = line.owner if line.owner is not None else owner
        results.append(KeyResult(line_owner, line.text, _score(line.percents), line.percents, children))
    return tuple(results)


# Objectives --------------------------------------------------------------------------------------------------------

_OBJECTIVE_HEADING = re.compile(
    r"^(?:objective\s*#?\s*(?P<named>\d{1,3})(?:\s*[.):]|\s+[-–—])?|(?P<numbered>\d{1,3})[.)])\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _ObjectiveDraft:
    """An objective found on the page, its key results still list items."""

    number: int
    owner: str | None
    text: str
    items: tuple[ListItem, ...]


def _objective_heading(heading: str) -> re.Match[str] | None:
    """The match for an objective heading ("1. CEO: …", "Objective 2 - CEO: …"), or None for any other heading."""
    return _OBJECTIVE_HEADING.match(clean_text(heading))


def _headed_objectives(sections: Sequence[Section]) -> list[_ObjectiveDraft]:
    """Objectives written as headings, each with the lists under it (and under a "Key Results" subheading)."""
    drafts = []
    for section in sections:
        match = _objective_heading(section.heading) if section.level else None
        if match is None:
            continue
        owner, text = _split_owner(match["rest"])
        under = [sub for sub in subsections(sections, section) if matches(sub.heading, KEY_RESULT_HEADINGS)]
        items = [item for part in (section, *under) for item in read_list(part.body)]
        drafts.append(_ObjectiveDraft(int(match["named"] or match["numbered"]), owner, text, tuple(items)))
    return drafts


def _listed_objectives(sections: Iterable[Section]) -> list[_ObjectiveDraft]:
    """Objectives written as top-level numbered items (numbered in page order), their nested items the key results."""
    items = [item for section in sections for item in read_list(section.body) if item.ordered]
    drafts = []
    for number, item in enumerate(items, start=1):
        owner, text = _split_owner(clean_text(item.text))
        drafts.append(_ObjectiveDraft(number, owner, text, item.children))
    return drafts


def _read_objectives(sections: Sequence[Section], retro_indexes: set[int]) -> tuple[Objective, ...]:
    """The page's objectives, from headings when it has any, else from its numbered lists outside the retro."""
    drafts = _headed_objectives(sections) or _listed_objectives(
        section for index, section in enumerate(sections) if index not in retro_indexes
    )
    known = frozenset(key for draft in drafts for key in _owner_keys(draft.items))
    return tuple(Objective(draft.number, draft.owner, draft.text, _key_results(draft.items, known)) for draft in drafts)


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


# Whole pages -------------------------------------------------------------------------------------------------------


def read_okr_page(markdown: str, *, quarter: str | None = None) -> OkrPage:
    """The OKR page in `markdown`; `quarter` ("FY20-Q2") wins over the title.

    Raises HandbookError naming what it could not read: no objectives in any form it knows, no quarter, bad dates.
    """
    page = read_page(_html_headings_as_markdown(markdown))
    sections = page.sections
    retro, retro_indexes = _read_retro(sections)
    objectives = _read_objectives(sections, retro_indexes)
    if not objectives:
        raise HandbookError("I couldn't find any objectives on this page.", OBJECTIVES_USAGE)
    label = _page_quarter(page, quarter)
    start, end = _read_dates(sections)
    return OkrPage(label, start, end, objectives, retro)


def _key_result_line(result: KeyResult) -> str:
    """One key result as `Owner: text => 40%`, the percentages as written (the score alone when none were kept)."""
    owner = f"{escape_inline(result.owner)}: " if result.owner is not None else ""
    percents = result.percents or ((result.score,) if result.score is not None else ())
    return f"{owner}{_written(result.text)}{progress_marker(percents)}".strip()


def _key_result_lines(results: Iterable[KeyResult], depth: int = 0) -> Iterator[str]:
    """Key results as a `1.` list, each level indented 4 more spaces."""
    for result in results:
        yield f"{'    ' * depth}1. {_key_result_line(result)}"
        yield from _key_result_lines(result.key_results, depth + 1)


def _objective_section(objective: Objective) -> str:
    """An objective as `### 1. CEO: text` with its key results under it."""
    owner = f"{escape_inline(objective.owner)}: " if objective.owner is not None else ""
    heading = f"{objective.number}. {owner}{_written(objective.text)}".strip()
    return write_section(heading, 3, "\n".join(_key_result_lines(objective.key_results)))


def _team_section(team: RetroTeam) -> str:
    """A team's retrospective as `### Team` and `- GOOD` / `- BAD` / `- TRY` lists (all three when all are empty)."""
    lists = [("GOOD", team.good), ("BAD", team.bad), ("TRY", team.try_)]
    shown = [(label, items) for label, items in lists if items] or lists
    body = [ListItem(label, tuple(ListItem(_written(text)) for text in items), ordered=False) for label, items in shown]
    return write_section(escape_inline(team.team), 3, write_list(body))


def _prose_date(day: date | None) -> str:
    """A day as the seed writes it in prose ("May 1, 2019"), or "TBD" for none."""
    return f"{calendar.month_name[day.month]} {day.day}, {day.year}" if day else write_date(day)


def write_okr_page(page: OkrPage) -> str:
    """The page as handbook markdown in the seed's format; `read_okr_page` reads it back to the same page."""
    blocks = [write_front_matter({"title": f"{page.quarter} OKRs"}) if page.quarter else ""]
    if page.start or page.end:
        kind = "fiscal quarter" if (page.quarter or "").upper().startswith("FY") else "quarter"
        blocks.append(f"This {kind} will run from {_prose_date(page.start)} to {_prose_date(page.end)}.")
    blocks += [_objective_section(objective) for objective in page.objectives]
    if page.retro:
        blocks.append(write_section(RETRO_HEADING, 2, ""))
        blocks += [_team_section(team) for team in page.retro]
    return join_blocks(blocks)


def _key_result_json(result: KeyResult) -> dict[str, Any]:
    """One key result and those under it as JSON values."""
    children = [_key_result_json(child) for child in result.key_results]
    return {"owner": result.owner, "text": result.text, "score": result.score, "key_results": children}


def page_as_json(page: OkrPage) -> dict[str, Any]:
    """The page as JSON values: dates as ISO strings (or null), scores 0-100 (or null), retro lists by kind."""
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
