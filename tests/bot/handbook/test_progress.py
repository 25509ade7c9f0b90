from datetime import date

import pytest

from bot.handbook.progress import Progress, progress_marker, read_progress, split_progress


@pytest.mark.parametrize(
    ("line", "text", "progress"),
    [
        ("Ship it => 50%", "Ship it", Progress((50.0,))),
        ("Ship it => Done", "Ship it", Progress(done=True)),
        ("Ship it =>done", "Ship it", Progress(done=True)),
        ("Ship it (50%)", "Ship it", Progress((50.0,))),
        ("Ship it (Done)", "Ship it", Progress(done=True)),
        ("Ship it — Done 2022-07-01", "Ship it", Progress(done=True, done_on=date(2022, 7, 1))),
        ("Ship it - completed on July 1, 2022", "Ship it", Progress(done=True, done_on=date(2022, 7, 1))),
        ("Ship it => Done 2022-07-01", "Ship it", Progress(done=True, done_on=date(2022, 7, 1))),
        ("Ship it => 100%, Done 2022-07-01", "Ship it", Progress((100.0,), True, date(2022, 7, 1))),
        ("Ship it => 50% complete", "Ship it", Progress((50.0,))),
        ("KR => 27%, 0%, 227%", "KR", Progress((27.0, 0.0, 227.0))),
        ("KR => 100%, 33%, 0%.", "KR", Progress((100.0, 33.0, 0.0))),
        ("KR => -1.2%", "KR", Progress((-1.2,))),
        ("KR => 50% (blocked by legal)", "KR", Progress((50.0,), note="(blocked by legal)")),
        ("Grow at 95% => 80%", "Grow at 95%", Progress((80.0,))),
    ],
)
def test_trailing_markers_are_read_off_the_line(line, text, progress):
    assert split_progress(line) == (text, progress)


@pytest.mark.parametrize(
    "line",
    [
        "Grow revenue (30% YoY)",
        "Build model by the end of (FY24-Q4)",
        "Ship it => on track",
        "Ship it => not done",
        "Not done yet",
        "Reduce time-to-value - done by the field team",
        "Increase adoption by 50%",
    ],
)
def test_lines_without_a_marker_are_left_whole(line):
    assert split_progress(line) == (line, None)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("50%", Progress((50.0,))),
        ("Done", Progress(done=True)),
        ("✅", Progress(done=True)),
        ("Completed 2023-06-15", Progress(done=True, done_on=date(2023, 6, 15))),
        ("In progress", None),
        ("Not started", None),
        ("", None),
    ],
)
def test_status_cells_are_read_like_markers(cell, expected):
    assert read_progress(cell) == expected


def test_percent_is_the_rounded_average():
    assert Progress((27.0, 0.0, 227.0)).percent == 85
    assert Progress((50.0,)).percent == 50
    assert Progress(done=True).percent is None


@pytest.mark.parametrize(
    ("percents", "done", "done_on", "marker"),
    [
        ((), False, None, ""),
        ((50.0,), False, None, " => 50%"),
        ((1.25,), False, None, " => 1.25%"),
        ((), True, None, " => Done"),
        ((100,), True, date(2022, 7, 1), " => 100%, Done 2022-07-01"),
    ],
)
def test_written_markers_read_back_the_same(percents, done, done_on, marker):
    assert progress_marker(percents, done=done, done_on=done_on) == marker
    if marker:
        text, progress = split_progress("Item" + marker)
        assert text == "Item"
        assert (progress.percents, progress.done, progress.done_on) == (tuple(map(float, percents)), done, done_on)
