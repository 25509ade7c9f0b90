"""The OKR reader on real pages it was not written against (a probe of SOORAJTS2001/RagProject's copy of the handbook,
tests/bot/okrs/pages/real/PROVENANCE.md): each misread the probe found, read right, and each page read back from its
own export."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import pytest

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
