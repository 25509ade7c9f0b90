"""APScheduler only ticks: one interval job calls the dispatcher; the database decides the rest.

There is no job per cadence and no APScheduler job store: its FAQ says a job store can't be shared
between processes without duplicate runs, so claiming happens in bot.cadence.dispatcher instead.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from slack_sdk import WebClient

from bot import clock
from bot.cadence import delivery, dispatcher

log = logging.getLogger(__name__)

TICK_SECONDS = 60  # the default; TICK_SECONDS in the environment (bot.config) sets it per process


def tick_now(client: WebClient, workers: int = delivery.DEFAULT_WORKERS) -> None:
    """One pass at the current time; errors are logged and the next tick tries again."""
    try:
        dispatcher.tick(clock.now(), client=client, workers=workers)
    except Exception:
        log.exception("scheduler tick failed; the next tick retries")


def first_tick(seconds: int, *, rng: random.Random | None = None) -> datetime:
    """When a process ticks first: somewhere in its first interval, at random. Workers started together (a deploy,
    bench/load.py) would otherwise tick in step for ever: one claims nearly everything each time and the others
    find nothing, so the posts (and the web's database load) come in bursts instead of spread through the interval."""
    return clock.now() + timedelta(seconds=(rng or random).uniform(0, seconds))


def _add_tick_job(scheduler: BaseScheduler, client: WebClient, workers: int, seconds: int) -> None:
    scheduler.add_job(
        tick_now,
        "interval",
        seconds=seconds,
        args=[client, workers],
        id="cadence-tick",
        max_instances=1,
        coalesce=True,
        next_run_time=first_tick(seconds),
    )


def start_in_background(
    client: WebClient, workers: int = delivery.DEFAULT_WORKERS, *, seconds: int = TICK_SECONDS
) -> BackgroundScheduler:
    """Tick every `seconds` in a background thread of this process (the single-machine default)."""
    scheduler = BackgroundScheduler(timezone="UTC")
    _add_tick_job(scheduler, client, workers, seconds)
    scheduler.start()
    return scheduler


def run_forever(client: WebClient, workers: int = delivery.DEFAULT_WORKERS, *, seconds: int = TICK_SECONDS) -> None:
    """Tick every `seconds` in the foreground (the Procfile's worker)."""
    scheduler = BlockingScheduler(timezone="UTC")
    _add_tick_job(scheduler, client, workers, seconds)
    log.info("worker ticking every %d s", seconds)
    scheduler.start()
