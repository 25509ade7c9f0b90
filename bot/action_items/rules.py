"""What an action item's state means, without a database: done, overdue, the one reading order, the digest's weeks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from models import ActionItem, ActionItemStatus


def is_done(item: ActionItem) -> bool:
    return item.status == ActionItemStatus.DONE


def is_overdue(item: ActionItem, today: date) -> bool:
    """Open with a due date before today."""
    return not is_done(item) and item.due_on is not None and item.due_on < today


def by_urgency(items: Iterable[ActionItem], today: date) -> list[ActionItem]:
    """Overdue first, then by due date, then undated, then done; ties by number (the one shared ordering)."""
    return sort_for_reading(list(items), today=today)


def sort_for_reading(items: list[ActionItem], *, today: date) -> list[ActionItem]:
    """Open before done, overdue first, then by due date (undated last), then by number."""

    def key(item: ActionItem) -> tuple[int, int, date, int]:
        done = item.status == ActionItemStatus.DONE
        overdue = not done and item.due_on is not None and item.due_on < today
        return (int(done), 0 if overdue else 1, item.due_on or date.max, item.id)

    return sorted(items, key=key)


def week_buckets(items: list[ActionItem], *, today: date) -> dict[str, list[ActionItem]]:
    """The weekly digest's buckets: open, due this week, overdue, done in the last seven days."""
    week_end = today + timedelta(days=6 - today.weekday())
    since = today - timedelta(days=7)
    open_items = [i for i in items if i.status == ActionItemStatus.OPEN]
    return {
        "open": open_items,
        "due_this_week": [i for i in open_items if i.due_on is not None and today <= i.due_on <= week_end],
        "overdue": [i for i in open_items if i.due_on is not None and i.due_on < today],
        "done_last_week": [
            i for i in items if i.status == ActionItemStatus.DONE and i.done_at and i.done_at.date() >= since
        ],
    }
