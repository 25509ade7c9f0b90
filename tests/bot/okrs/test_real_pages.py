"""The OKR reader on real pages it was not written against (a probe of SOORAJTS2001/RagProject's copy of the handbook,
tests/bot/okrs/pages/real/PROVENANCE.md): each misread the probe found, read right, and each page read back from its
own export."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import pytest

from bot.handbook.report import ImportReport
from bot.okrs.page import KeyResult, OkrPage, read_okr_page, write_okr_page

REAL = Path(__file__).resolve().parent / "pages" / "real"
PAGES = sorted(path.name for path in REAL.glob("*.md") if path.name != "PROVENANCE.md")
Q4_2018 = "SOORAJTS2001+RagProject__2018-q4.md"


@cache
def read(file: str) -> OkrPage:
    return read_okr_page((REAL / file).read_text(encoding="utf-8"))


def all_key_results(results: tuple[KeyResult, ...]) -> list[KeyResult]:
    found = []
    for result in results:
        found += [result, *all_key_results(result.key_results)]
    return found


def key_results_of(page: OkrPage) -> list[KeyResult]:
    return [result for objective in page.objectives for result in all_key_results(objective.key_results)]


def starting(page: OkrPage, text: str) -> list[KeyResult]:
    return [result for result in key_results_of(page) if result.text.startswith(text)]


def test_every_real_page_is_listed_in_the_provenance_with_its_hash() -> None:
    provenance = (REAL / "PROVENANCE.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| (\S+\.md) \| SOORAJTS2001/RagProject \| \S+ \| [0-9a-f]{40} \| ([0-9a-f]{64}) \|$",
                             provenance, re.M))  # fmt: skip
    assert listed == {file: hashlib.sha256((REAL / file).read_bytes()).hexdigest() for file in PAGES}
    assert 'replaced "GitLab" by "Example Company"' in provenance


@pytest.mark.parametrize("file", PAGES)
def test_each_real_page_reads_back_from_its_own_export(file: str) -> None:
    page = read(file)
    assert read_okr_page(write_okr_page(page)) == page


# 2: a label that is also a verb ("- Create:", a stage) --------------------------------------------------------------


def test_a_label_named_like_a_verb_owns_its_key_results_and_is_exported_as_a_label() -> None:
    page = read(Q4_2018)
    budget = [r for r in starting(page, "Spend no more than 15 point of our [error budget]: 0/15") if r.percents]
    assert "Create" in [result.owner for result in budget]
    sourcing = starting(page, "Source 25 candidates (at least 5 by direct manager contact)")
    assert "Create" in [result.owner for result in sourcing]
    assert not [result for result in key_results_of(page) if (result.owner or "").endswith(":")]
    exported = write_okr_page(page)
    assert "Create::" not in exported
    assert "\n  - Create:\n    - Spend no more than 15 point" in exported
    assert read_okr_page(exported) == page


def test_a_verb_label_groups_a_run_of_key_results_and_leaves_the_next_one_alone() -> None:
    markdown = (
        "# FY20-Q2 OKRs\n\n### 1. CEO: Grow\n\n- CTO: Scale\n  - Create:\n    - Ship the editor => 40%\n"
        "      - Write the docs\n    - Hire 2 engineers\n  - Fix the build\n"
    )
    page = read_okr_page(markdown)
    (scale,) = page.objectives[0].key_results
    assert [(r.owner, r.text) for r in scale.key_results] == [
        ("Create", "Ship the editor"),
        ("Create", "Hire 2 engineers"),
        (None, "Fix the build"),
    ]
    assert scale.key_results[0].key_results == (KeyResult(None, "Write the docs", None),)
    exported = write_okr_page(page)
    assert exported.count("Create:") == 1
    assert read_okr_page(exported) == page


# 1: the owner inside a linked objective title ------------------------------------------------------------------------


def test_an_owner_inside_a_linked_objective_title_is_the_objectives_owner() -> None:
    page = read("SOORAJTS2001+RagProject__fy24-q1.md")
    assert [(objective.number, objective.owner) for objective in page.objectives] == [
        (1, "CEO"),
        (2, "CEO"),
        (3, "CEO"),
    ]
    first = page.objectives[0].text
    assert first.startswith("[Increase adoption through **customer results** and increasing operating income (NGOI)](")
    assert first.endswith("/work_items/5)")
    assert page.objectives[1].text.startswith("[Mature the Platform to be the leading DevSecOps platform](")


@pytest.mark.parametrize(
    ("line", "owner", "text"),
    [
        ("[CRO: Close deals](https://example.com/1) => 40%", "CRO", "[Close deals](https://example.com/1)"),
        ("[CRO: Close deals](https://example.com/1) in EMEA", "CRO", "[Close deals](https://example.com/1) in EMEA"),
        ("[Ship it: phase 1](https://example.com/2)", None, "[Ship it: phase 1](https://example.com/2)"),
        (
            "[Raise the rate to 95%: monthly](https://example.com/3)",
            None,
            "[Raise the rate to 95%: monthly](https://example.com/3)",
        ),
        ("[CRO:](https://example.com/4) Close deals", None, "[CRO:](https://example.com/4) Close deals"),
    ],
)
def test_an_owner_inside_a_leading_link_is_read_only_when_it_names_a_role(
    line: str, owner: str | None, text: str
) -> None:
    page = read_okr_page(f"# FY20-Q2 OKRs\n\n### 1. CEO: Grow\n\n1. {line}\n")
    (result,) = page.objectives[0].key_results
    assert (result.owner, result.text) == (owner, text)
    assert read_okr_page(write_okr_page(page)) == page


# 3 and 4: scores written other ways, known by where they stand -------------------------------------------------------

BLOG = "[Blog post](https://example.com/blog)"


@pytest.mark.parametrize(
    ("line", "text", "percents", "status", "status_text"),
    [
        ("Create scope for User Journey. *50%*", "Create scope for User Journey.", (50.0,), None, "*50%*"),
        (
            "Hire 1 APAC Manager **100% - hired new manager in November**",
            "Hire 1 APAC Manager",
            (100.0,),
            None,
            "**100% - hired new manager in November**",
        ),
        (
            "Convert a Vue app to GraphQL (100% - Related issues was delivered behind feature flag)",
            "Convert a Vue app to GraphQL",
            (100.0,),
            None,
            "(100% - Related issues was delivered behind feature flag)",
        ),
        ("Deprecate TLS 1.0: 100% " + BLOG, "Deprecate TLS 1.0", (100.0,), None, ": 100% " + BLOG),
        ("Document 5 runbooks: 5/5, 100% " + BLOG, "Document 5 runbooks", (100.0,), None, ": 5/5, 100% " + BLOG),
        (
            "Quality: Merge 6 MRs a week: 79% achieved - " + BLOG + " 4.75 MRs",
            "Merge 6 MRs a week",
            (79.0,),
            "achieved",
            ": 79% achieved - " + BLOG + " 4.75 MRs",
        ),
        (
            "Move vision forward. => **61% Complete**. Of nine stages - " + BLOG + ".",
            "Move vision forward.",
            (61.0,),
            None,
            "=> **61% Complete**. Of nine stages - " + BLOG + ".",
        ),
        ("Ship usage metrics. => **Missed ~0%**. " + BLOG, "Ship usage metrics.", (0.0,), "missed", None),
        (
            "Move to GCP in April - 0% done - now targeting end of July.",
            "Move to GCP in April",
            (0.0,),
            None,
            "- 0% done - now targeting end of July.",
        ),
        (
            "Organize files into /ee/. = 70% done, " + BLOG + ". JS is the hardest.",
            "Organize files into /ee/.",
            (70.0,),
            None,
            "= 70% done, " + BLOG + ". JS is the hardest.",
        ),
        (
            "Source 10 candidates and hire 1: 10 sourced (100%), 2 hired (200%) => Hired one extra developer",
            "Source 10 candidates and hire 1",
            (100.0, 200.0),
            None,
            ": 10 sourced (100%), 2 hired (200%) => Hired one extra developer",
        ),
        # a percentage that is part of the goal is no score
        ("Increase SMAU 10% m/m", "Increase SMAU 10% m/m", (), None, None),
        ("Grow trial pipeline 43% QoQ", "Grow trial pipeline 43% QoQ", (), None, None),
        ("Cut costs by 10% ACHIEVED", "Cut costs by 10%", (), "achieved", "ACHIEVED"),
        ("Launch PS - 25% of all deals include PS", "Launch PS - 25% of all deals include PS", (), None, None),
        (
            "Improve reliability: 99.9% uptime for the API",
            "Improve reliability: 99.9% uptime for the API",
            (),
            None,
            None,
        ),
        ("Grow revenue (30% YoY - stretch)", "Grow revenue (30% YoY - stretch)", (), None, None),
        ("Publish *10% more* posts", "Publish *10% more* posts", (), None, None),
    ],
)
def test_a_score_is_read_where_it_stands_and_its_marker_kept_as_written(line, text, percents, status, status_text):
    markdown = f"# FY20-Q2 OKRs\n\n### 1. CEO: Grow\n\n1. {line}\n"
    page = read_okr_page(markdown)
    (result,) = page.objectives[0].key_results
    assert (result.text, result.percents, result.status) == (text, percents, status)
    assert result.score == (round(sum(percents) / len(percents), 2) if percents else None)
    if status_text is not None:
        assert result.status_text == status_text
        assert f"1. {line}\n" in write_okr_page(page)  # the marker is written back as the page wrote it
    assert read_okr_page(write_okr_page(page)) == page


def test_a_status_and_score_too_long_to_keep_move_their_note_into_the_text() -> None:
    page = read(Q4_2018)
    (result,) = starting(page, "Every new feature ships with usage metrics on day 1")
    assert (result.percents, result.status, result.status_text) == ((0.0,), "missed", "=> **Missed ~0%**.")
    assert result.text.endswith("velocity. [Significant majority of features shipped without usage metrics on day 1]"
                                "(https://docs.google.com/document/d/1dAs9HoAbuiRzYYvk-AFMggbN-1Hb1l6L17jMzLePbkA/edit"
                                "#heading=h.896ibct85jd1).")  # fmt: skip


@pytest.mark.parametrize(
    ("file", "starts", "percents"),
    [
        (Q4_2018, "Create scope for User Journey that is documented", (50.0,)),
        (Q4_2018, "Convert a Vue app to use GraphQL", (100.0,)),
        (Q4_2018, "Deprecate support for TLS 1.0 and 1.1", (100.0,)),
        (Q4_2018, "Move vision forward every release.", (61.0,)),
        (Q4_2018, "Source 10 candidates by October 15 and hire 1 developer", (100.0, 200.0)),
        (Q4_2018, "Source 30 candidates by October 15 and hire 1 APAC Manager", (100.0,)),
        ("SOORAJTS2001+RagProject__2018-q2.md", "Move to GCP in April", (0.0,)),
        ("SOORAJTS2001+RagProject__2018-q2.md", "Complete the organization of files", (70.0,)),
    ],
)
def test_the_real_pages_scores_written_other_ways_are_read(file: str, starts: str, percents: tuple) -> None:
    assert [result.percents for result in starting(read(file), starts)] == [percents]


# 5: a child line that is only a score ------------------------------------------------------------------------------


def test_a_child_line_that_is_only_a_percentage_is_its_parents_score_and_the_report_says_so() -> None:
    report = ImportReport()
    page = read_okr_page((REAL / "SOORAJTS2001+RagProject__2018-q1.md").read_text(encoding="utf-8"), report=report)
    (ship,) = [r for r in starting(page, "Ship 100% of committed") if r.owner == "Discussion"]
    assert ship.percents == (81.0,)
    assert "81%." not in [child.text for child in ship.key_results]
    assert "10.7: 100% (8/8)." in [child.text for child in ship.key_results]  # a note with a label stays a line
    assert any(note.what == "the line under it that is only a score (81%.) is its score" for note in report.kept)
    # A line that holds more than the percentage keeps its words as a key result: taking it as the score would
    # drop "(36/47)"; no score is made up for it either.
    (contributions,) = [r for r in starting(page, "Make sure all [Platform backend community") if r.owner == "Platform"]
    assert contributions.percents == () and [c.text for c in contributions.key_results] == ["77% (36/47)"]


def test_an_only_a_score_line_is_taken_only_when_the_parent_has_no_score_of_its_own() -> None:
    page = read_okr_page(
        "# FY20-Q2 OKRs\n\n### 1. CEO: Grow\n\n1. CRO: Close deals\n    1. 81%.\n    1. 90%\n"
        "1. CMO: Launch => 40%\n    1. 50%\n"
    )
    close, launch = page.objectives[0].key_results
    assert (close.percents, [c.text for c in close.key_results]) == ((81.0,), ["90%"])
    assert (launch.percents, [c.text for c in launch.key_results]) == ((40.0,), ["50%"])
    assert read_okr_page(write_okr_page(page)) == page
