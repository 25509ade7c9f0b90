"""The one clock: everything that needs "now" asks here, so tests can travel in time.

The console travels too (`tick 2026-12-07T09:30`): from then on now() reads that moment and runs on from it, so a
button pressed after the tick happens on the simulated day, as the tick did. Nothing else moves the clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_offset = timedelta(0)


def now() -> datetime:
    """The current time as an aware UTC datetime (moved by `travel_to`, in the console only)."""
    return datetime.now(UTC) + _offset


def travel_to(moment: datetime | None) -> None:
    """Make now() read `moment` from here on, running on from it; None goes back to the real time."""
    global _offset
    _offset = timedelta(0) if moment is None else moment - datetime.now(UTC)
