"""Round trip over generated working-group pages in the handbook's shapes: read → write → read gives the same draft.

Pages vary as the corpus does: front matter or a `#` title, an Attributes table whose dates are days, months,
"TBD" or prose, goals as prose, a list or both (under a Goals subsection or not), exit criteria as a list with
checkboxes and `=> 50%` markers or as a table, and a roles table with its columns in any order, role titles known,
known inside longer titles, doubled ("Facilitator/DRI") or unknown, and several people in one cell.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.handbook.report import ImportReport
from bot.working_groups.handbook import read_charter, write_charter

WORDS = ("grow", "ship", "the", "platform", "review", "docs", "release", "faster", "customers", "pipeline", "v2")
FIRST = ("Ana", "Bo", "Chidi", "Dana", "Émile", "Farah", "Gus", "Hiro")
LAST = ("Lima", "Chen", "Okafor", "Ngata", "Müller", "Singh", "Park")
ROLE_TITLES = (
    "DRI", "Executive Sponsor", "Executive Stakeholder", "Facilitator", "Functional Lead", "Functional Lead: Sales",
    "Functional Lead - Quality", "Functional Lead(s)", "Contributor", "Member", "Members", "Working Group DRI",
    "Engineering DRI", "DRI for Sharding Working Group", "DRI - CI", "Facilitator APAC", "Facilitator/DRI",
    "DRI/Facilitator", "Executive Sponsor & Facilitator", "Functional Lead Compliance", "Stakeholder", "Observer",
    "Triage Lead", "Development Department Lead", "exec sponsor",
)  # fmt: skip
DATES = ("2022-11-09", "May 20, 2022", "20 May 2022", "March, 2022", "TBD", "sometime next year", "2023-04")

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(lambda w: " ".join(w).capitalize())
names = st.builds(lambda first, last: f"{first} {last}", st.sampled_from(FIRST), st.sampled_from(LAST))


@st.composite
def front(draw: st.DrawFn) -> str:
    """Front matter with a title (and maybe a description and status), or a `# Title` heading."""
    title = draw(words) + " Working Group"
    if draw(st.booleans()):
        return f"# {title}\n"
    lines = ["---", f'title: "{title}"']
    if draw(st.booleans()):
        lines.append(f'description: "{draw(words)}"')
    if draw(st.booleans()):
        lines.append(f"status: {draw(st.sampled_from(['active', 'closed', 'not started']))}")
    return "\n".join([*lines, "---"]) + "\n"


@st.composite
def attributes(draw: st.DrawFn) -> str:
    """An Attributes table: dates in every way pages write them, a channel, an agenda link."""
    rows = [("Date Created", draw(st.sampled_from(DATES)))]
    rows.append((draw(st.sampled_from(["End Date", "Target End Date", "Date Ended"])), draw(st.sampled_from(DATES))))
    if draw(st.booleans()):
        rows.append(("Slack", f"#wg_{draw(st.sampled_from(WORDS))} (only accessible by team members)"))
    if draw(st.booleans()):
        rows.append(("Google Doc", "[Agenda](https://docs.google.com/document/d/abc/edit)"))
    if draw(st.booleans()):
        rows.append(("Overview & Status", draw(st.sampled_from(["Open", "Closed", "[Epic](https://e.x/1)"]))))
    level = draw(st.sampled_from(["##", "###"]))
    return f"{level} Attributes\n\n| Property | Value |\n|---|---|\n" + "".join(f"| {n} | {v} |\n" for n, v in rows)


@st.composite
def goals(draw: st.DrawFn) -> str:
    """A goal as prose, a list, prose then a list, or a `### Goals` list under a `## Goal` heading."""
    heading = draw(st.sampled_from(["## Business Goal", "## Goals", "### Goals", "# Goal"]))
    prose = draw(st.lists(words, max_size=2))
    items = draw(st.lists(words, max_size=3, unique=True))
    marker = draw(st.sampled_from(["1.", "-"]))
    body = "\n\n".join([*(f"{p}." for p in prose), "\n".join(f"{marker} {item}" for item in items)]).strip()
    if draw(st.booleans()):
        return f"## Goal\n\n{prose[0] + '.' if prose else ''}\n\n### Goals\n\n{body}\n"
    return f"{heading}\n\n{body}\n"


@st.composite
def criterion(draw: st.DrawFn) -> str:
    """One criterion's text with maybe a trailing progress marker."""
    return draw(words) + draw(st.sampled_from(["", " => 50%", " => Done", " => Done 2022-07-01", " (25%)"]))


@st.composite
def criteria(draw: st.DrawFn) -> str:
    """Exit criteria as a list (checkboxes or not, prose before it) or as a table with a progress column."""
    heading = draw(
        st.sampled_from(["### Exit Criteria", "## Exit Criteria", "#### Exit Criteria", "## Exit Criteria (50%)"])
    )
    texts = draw(st.lists(criterion(), min_size=1, max_size=4))
    if draw(st.booleans()):
        progress = draw(st.lists(st.sampled_from(["", "50%", "Done", "TBD"]), min_size=len(texts), max_size=len(texts)))
        pairs = enumerate(zip(texts, progress, strict=True), start=1)
        rows = "".join(f"| {n} | {text} | {cell} |\n" for n, (text, cell) in pairs)
        return f"{heading}\n\n| # | Criteria | Progress |\n|---|---|---|\n{rows}"
    checkbox = draw(st.sampled_from(["", "[ ] ", "[x] "]))
    marker = draw(st.sampled_from(["1.", "-"]))
    intro = draw(st.sampled_from(["", "The group is done when:\n\n"]))
    return f"{heading}\n\n{intro}" + "".join(f"{marker} {checkbox}{text}\n" for text in texts)


@st.composite
def person_cell(draw: st.DrawFn) -> str:
    """A person cell: one name, a handle beside it, "TBD", or several people."""
    people = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    how = draw(st.sampled_from(["one", "handle", "tbd", "commas", "br"]))
    if how == "handle":
        return f"{people[0]} (@{people[0].split()[0].lower()})"
    if how == "tbd":
        return "TBD"
    if how == "commas":
        return ", ".join(people)
    return "<br>".join(people) if how == "br" else people[0]


@st.composite
def roles(draw: st.DrawFn) -> str:
    """A roles table with its columns in any order (role, person, title, maybe username)."""
    columns = draw(st.permutations(["Working Group Role", "Person", "Title"]))
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        cells = {
            "Working Group Role": draw(st.sampled_from(ROLE_TITLES)),
            "Person": draw(person_cell()),
            "Title": draw(st.sampled_from(["", "Director", "Staff Engineer", "VP, Product"])),
        }
        rows.append("| " + " | ".join(cells[column] for column in columns) + " |")
    heading = draw(st.sampled_from(["## Roles and Responsibilities", "### Roles and Responsibilities", "## Team"]))
    return f"{heading}\n\n| {' | '.join(columns)} |\n|{'---|' * len(columns)}\n" + "\n".join(rows) + "\n"


@st.composite
def pages(draw: st.DrawFn) -> str:
    """A whole page: a title, then the parts in a shuffled order, maybe with a section of prose among them."""
    parts = [draw(attributes()), draw(goals()), draw(criteria()), draw(roles())]
    if draw(st.booleans()):
        parts.append("## Meetings\n\nWe meet on Tuesdays.\n")
    return draw(front()) + "\n" + "\n".join(draw(st.permutations(parts)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_a_generated_page_reads_back_the_same_after_export(page):
    report = ImportReport()
    draft = read_charter(page, report)
    assert report.read_anything
    written = write_charter(draft)
    assert read_charter(written) == draft
    assert write_charter(read_charter(written)) == written
