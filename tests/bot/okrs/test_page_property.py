"""Property: any OKR page in the shapes the handbook has used (objective headings numbered or not, `## Objective N:`,
top-level numbered items, `1.` or `-` key results nested several deep, scores above 100, statuses in words, a retro
with `GOOD` or `Good` labels) is written and read back to the same page."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.okrs.page import KeyResult, Objective, OkrPage, PageShape, RetroTeam, read_okr_page, write_okr_page

WORDS = st.sampled_from(
    "grow revenue ship the roadmap hire engineers reduce churn close deals publish report launch beta "
    "improve uptime measure adoption partner program".split()
)
OWNERS = st.sampled_from(["CRO", "CMO", "VP Eng", "Director of Product, Dev", "Support", "PM, Create", "Sales, EMEA"])
EXECUTIVES = st.sampled_from(["CEO", "CMO", "CRO", "VPE", "CFO"])
SCORES = st.sampled_from([0.0, 17.0, 40.0, 55.5, 100.0, 120.0, 227.0])
# A status as a page writes it after a key result, and what it normalizes to.
STATUSES = st.sampled_from(
    [
        ("DONE", "done", ()),
        ("MISSED", "missed", ()),
        ("NOT STARTED", "not started", ()),
        ("SKIPPED", "skipped", ()),
        ("50% ACHIEVED", "achieved", (50.0,)),
        ("=> Achieved over 2x goal", "achieved", ()),
        ("=> **DONE**", "done", ()),
        ("=> 120% ACHIEVED", "achieved", (120.0,)),
    ]
)


@st.composite
def texts(draw: st.DrawFn) -> str:
    """A key result's or objective's text: capitalized words, maybe a link, ending in a word (not a percentage, so
    a status after it can't be taken for one)."""
    words = draw(st.lists(WORDS, min_size=2, max_size=6))
    text = " ".join(words).capitalize()
    if draw(st.booleans()):
        text += f" [{draw(WORDS)}](https://example.com/{draw(st.integers(1, 999))})"
    return text + " " + draw(WORDS)


@st.composite
def key_results(draw: st.DrawFn, depth: int = 0) -> KeyResult:
    owner = draw(st.one_of(st.none(), OWNERS))
    text = draw(texts())
    children = tuple(draw(st.lists(key_results(depth + 1), max_size=2))) if depth < 3 else ()
    kind = draw(st.sampled_from(["none", "score", "scores", "status"]))
    if kind == "score":
        score = draw(SCORES)
        return KeyResult(owner, text, score, (score,), children)
    if kind == "scores":
        percents = tuple(draw(st.lists(SCORES, min_size=2, max_size=3)))
        return KeyResult(owner, text, round(sum(percents) / len(percents), 2), percents, children)
    if kind == "status":
        written, status, percents = draw(STATUSES)
        score = percents[0] if percents else None
        return KeyResult(owner, text, score, percents, children, status, written)
    return KeyResult(owner, text, None, (), children)


@st.composite
def pages(draw: st.DrawFn) -> OkrPage:
    form = draw(st.sampled_from(["heading", "objective", "item"]))
    numbered = form != "heading" or draw(st.booleans())
    shape = PageShape(
        objectives=form,
        level=draw(st.sampled_from([2, 3, 4])) if form != "item" else 3,
        numbered=numbered,
        bullet=draw(st.sampled_from(["1.", "-"])),
        retro_labels=draw(st.sampled_from(["upper", "title"])),
    )
    count = draw(st.integers(1, 4))
    objectives = []
    for number in range(1, count + 1):
        # An objective heading without a number is known by its executive owner (`<p class="h3">CEO: …</p>`).
        owner = draw(EXECUTIVES) if not numbered else draw(st.one_of(st.none(), EXECUTIVES))
        results = tuple(draw(st.lists(key_results(), min_size=1, max_size=4)))
        objectives.append(Objective(number, owner, draw(texts()), results))
    teams = draw(
        st.lists(
            st.builds(
                RetroTeam,
                st.sampled_from(["Infrastructure", "Delivery", "Plan BE", "Support - Services"]),
                st.tuples(texts()),
                st.lists(texts(), max_size=2).map(tuple),
                st.lists(texts(), max_size=2).map(tuple),
            ),
            max_size=2,
            unique_by=lambda team: team.team,
        )
    )
    dated = draw(st.booleans())
    start, end = (date(2019, 5, 1), date(2019, 7, 31)) if dated else (None, None)
    labels = shape.retro_labels if teams else "upper"  # how GOOD / BAD / TRY are written, only with a retro
    shape = PageShape(**{**_fields(shape), "dates": dated, "retro_labels": labels})
    return OkrPage("FY20-Q2", start, end, tuple(objectives), tuple(teams), shape)


def _fields(shape: PageShape) -> dict:
    return {name: getattr(shape, name) for name in PageShape.__slots__}


@settings(max_examples=150, deadline=None)
@given(pages())
def test_a_page_in_the_handbooks_shapes_reads_back_from_what_the_writer_wrote(page: OkrPage) -> None:
    assert read_okr_page(write_okr_page(page)) == page
