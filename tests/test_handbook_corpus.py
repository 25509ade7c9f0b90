"""The corpus of real handbook pages (issue 13): every page is there byte for byte as its provenance says, from a
repository the importers may be tested on, and has what a reader sees on it written down."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).parent / "fixtures" / "handbook"
KINDS = [kind.name for kind in sorted(CORPUS.iterdir()) if (kind / "PROVENANCE.md").exists()] if CORPUS.exists() else []
# Kept out of the project, so that the importers can be checked on pages they were not written against.
HELD_OUT = {"zalyoung/gitlab-handbook", "secretstartups/handbook", "spicysoft/jp-www-gitlab-com",
            "impactorbitco/handbook-main"}  # fmt: skip
_ROW = re.compile(r"^\| *(?P<file>[^|]+?\.md) *\| *(?P<repo>[^|]+?) *\|.*\| *`?(?P<sha>[0-9a-f]{64})`? *\|\s*$")


def provenance(kind: str) -> dict[str, tuple[str, str]]:
    """file → (repository, sha256), from the kind's PROVENANCE.md table."""
    rows = {}
    for line in (CORPUS / kind / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        if (match := _ROW.match(line)) is not None:
            rows[match["file"]] = (match["repo"].strip("` "), match["sha"])
    return rows


def test_the_corpus_has_both_kinds_of_page() -> None:
    assert {"working_groups", "okrs"} <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_is_as_its_provenance_says_and_none_is_held_out(kind: str) -> None:
    listed = provenance(kind)
    pages = sorted(path.name for path in (CORPUS / kind).glob("*.md") if path.name != "PROVENANCE.md")
    assert pages and sorted(listed) == pages
    for name, (repository, sha256) in listed.items():
        assert hashlib.sha256((CORPUS / kind / name).read_bytes()).hexdigest() == sha256, name
        assert repository not in HELD_OUT, name


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_has_what_a_reader_sees_written_down(kind: str) -> None:
    expected = yaml.safe_load((CORPUS / kind / "expected.yaml").read_text(encoding="utf-8"))
    described = [page["file"] for page in expected["pages"]]
    assert sorted(described) == sorted(provenance(kind)) and len(set(described)) == len(described)


_README_ROW = re.compile(r"^\| (?P<kind>working groups|OKR quarters)[^|]*\|(?P<figures>(?: *\d+ *\|){4})\s*$")


def test_the_readme_corpus_table_gives_the_figures_the_corpus_tests_find() -> None:
    from tests.bot.okrs.test_corpus import corpus_figures as okr_figures
    from tests.bot.working_groups.test_corpus import corpus_figures as working_group_figures

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    rows = {
        match["kind"]: [int(cell) for cell in match["figures"].strip(" |").split("|")]
        for line in readme.splitlines()
        if (match := _README_ROW.match(line)) is not None
    }
    keys = ("pages", "pages_imported", "facts_expected", "facts_found")
    for kind, figures in (("working groups", working_group_figures()), ("OKR quarters", okr_figures())):
        assert rows[kind] == [figures[key] for key in keys], kind
        assert figures["pages_imported"] == figures["pages"]
        assert figures["facts_found"] >= 0.98 * figures["facts_expected"]
