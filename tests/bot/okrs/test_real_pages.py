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
