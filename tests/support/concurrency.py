"""Run things at the same moment on real threads: two people pressing one button, a form submitted twice at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def at_once(*calls: Callable[[], T], timeout: float = 30) -> list[T]:
    """Start every call on its own thread behind one barrier, so they reach the app together; their results in order
    (an exception in any call is raised here)."""
    barrier = threading.Barrier(len(calls))

    def released(call: Callable[[], T]) -> T:
        barrier.wait(timeout)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(released, call) for call in calls]
        return [future.result(timeout) for future in futures]
