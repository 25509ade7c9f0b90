"""Misreads found by a probe of the reader on real pages it was not written against (pages/real/, PROVENANCE.md).

Each test reads one real page byte for byte and checks what a person reading it sees.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.handbook.report import ImportReport
from bot.working_groups.handbook import CharterDraft, read_charter, write_charter

REAL = Path(__file__).parent / "pages" / "real"


def read(name: str) -> tuple[CharterDraft, ImportReport]:
    """The draft and the report for one real page (`name` without the repository prefix)."""
    report = ImportReport()
    text = (REAL / f"SOORAJTS2001+RagProject__{name}.md").read_text(encoding="utf-8")
    return read_charter(text, report), report


def notes(report: ImportReport) -> list[str]:
    """Every kept and skipped note, as "where: what"."""
    return [f"{note.where}: {note.what}" for note in [*report.kept, *report.skipped]]


def test_a_completion_date_beside_progress_below_100_is_a_target_not_done():
    draft, report = read("vuejs-3-migration")
    got = [(criterion.progress, criterion.done, criterion.done_on) for criterion in draft.exit_criteria]
    assert [progress for progress, _done, _on in got] == [100, 70, 50, 30, 0, 0, 0]
    assert got[0][1:] == (True, date(2022, 10, 25))
    assert all(done is False and on is None for _progress, done, on in got[1:])
    assert any("row 2" in note and "“2024-04-30” is beside 70% progress" in note for note in notes(report))
    assert read_charter(write_charter(draft)) == draft


def test_a_progress_marker_inside_a_code_span_is_read_and_written_back_as_written():
    draft, report = read("transient-bugs")
    texts = [criterion.text for criterion in draft.exit_criteria]
    assert texts[0] == "Reword Engineering FY21Q4 OKRs to reflect proactive mitigation of transient issues."
    assert not any(text.endswith("`") for text in texts)
    assert [criterion.progress for criterion in draft.exit_criteria] == [100] * 7
    assert "have minimal prioritization, working on triage automation" in " ".join(notes(report))
    written = write_charter(draft)
    assert (
        "prioritization.](https://example_company.com/example_company-org/quality/team-tasks/-/issues/760) "
        "`=> 100%, have minimal prioritization, working on triage automation`\n   - [https://handbook." in written
    )
    assert "[ ]" not in written  # the page marks done with its markers, not checkboxes
    assert read_charter(written) == draft


def test_nested_items_under_criteria_with_markers_are_all_written_back():
    draft, _report = read("dogfood-plan")
    written = write_charter(draft)
    assert "- [x] Finalized Q3 OKR's => **Done**\n  - [FY21-Q3 Engineering Division OKRs]" in written
    assert "=> **Done**\n  - [Iterations in Example Company]" in written
    assert "=> **Done**\n  - In Q4 we are introducing Epic Swimlanes" in written
    assert read_charter(written) == draft
