import pytest

from bot.handbook import HandbookError
from bot.handbook.report import ImportReport


def test_a_report_counts_keeps_skips_and_says_what_to_check_in_order():
    report = ImportReport()
    report.count("people", 2)
    report.count("exit criteria", 5)
    report.count("people")
    report.keep("Roles table, row 3", 'role "Observer" kept as a member\'s title')
    report.skip("Roles table, row 4", "no person and no role")
    report.check("2 people are not linked to Slack users yet.")
    report.check("2 people are not linked to Slack users yet.")
    assert report.summary() == "3 people, 5 exit criteria"
    assert report.as_text() == (
        "Read:\n  - 3 people, 5 exit criteria\n"
        'Kept as written:\n  - Roles table, row 3: role "Observer" kept as a member\'s title\n'
        "Skipped:\n  - Roles table, row 4: no person and no role\n"
        "To check:\n  - 2 people are not linked to Slack users yet."
    )


def test_the_slack_report_is_escaped_and_cut_after_a_limit():
    report = ImportReport()
    report.count("people")
    for number in range(5):
        report.skip(f"row {number}", "<b>odd</b> & wrong")
    shown = report.as_mrkdwn(limit=2)
    assert "&lt;b&gt;odd&lt;/b&gt; &amp; wrong" in shown and "<b>" not in shown
    assert shown.count("• row") == 2 and "… and 3 more" in shown


def test_a_page_with_nothing_recognisable_is_refused_naming_what_was_skipped():
    report = ImportReport()
    report.count("people", 0)
    report.skip("Roles table", "it has no role or person column")
    with pytest.raises(HandbookError) as raised:
        report.check_something_read("Write a roles table.")
    assert "nothing I could import" in raised.value.problem and "Roles table" in raised.value.problem
    report.count("goals")
    report.check_something_read("Write a roles table.")  # something was read: no refusal


def test_a_count_of_one_is_said_in_the_singular():
    report = ImportReport()
    for what in ("people", "exit criteria", "key results", "statuses", "retro teams", "plan items", "entries"):
        report.count(what)
    assert report.summary() == "1 person, 1 exit criterion, 1 key result, 1 status, 1 retro team, 1 plan item, 1 entry"
