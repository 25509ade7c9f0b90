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
from bot.cadence import delivery, dispatcher, retention
from bot.config import DEFAULT_RETENTION_DAYS
from bot.slack.installs import SingleWorkspace, Workspaces

log = logging.getLogger(__name__)

TICK_SECONDS = 60  # the default; TICK_SECONDS in the environment (bot.config) sets it per process
RETENTION_HOURS = 24  # how often uninstalled workspaces past their grace period are looked for


def tick_now(client: WebClient | Workspaces, workers: int = delivery.DEFAULT_WORKERS) -> None:
    """One pass at the current time, with single mode's client or each workspace's; errors are logged and the next
    tick tries again."""
    try:
        dispatcher.tick(clock.now(), workspaces=_workspaces(client), workers=workers)
    except Exception:
        log.exception("scheduler tick failed; the next tick retries")


def first_tick(seconds: int, *, rng: random.Random | None = None) -> datetime:
    """When a process ticks first: somewhere in its first interval, at random. Workers started together (a deploy,
    bench/load.py) would otherwise tick in step for ever: one claims nearly everything each time and the others
    find nothing, so the posts (and the web's database load) come in bursts instead of spread through the interval."""
    return clock.now() + timedelta(seconds=(rng or random).uniform(0, seconds))


def forget_now(retention_days: int) -> None:
    """Delete what is left of workspaces uninstalled over `retention_days` ago; errors are logged, tomorrow retries."""
    try:
        retention.forget_uninstalled(now=clock.now(), retention_days=retention_days)
    except Exception:
        log.exception("retention pass failed; the next one retries")


def _workspaces(client: WebClient | Workspaces) -> Workspaces:
    return SingleWorkspace(client) if isinstance(client, WebClient) else client


def _add_tick_job(scheduler: BaseScheduler, client: WebClient | Workspaces, workers: int, seconds: int) -> None:
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


def _add_retention_job(scheduler: BaseScheduler, retention_days: int) -> None:
    scheduler.add_job(
        forget_now,
        "interval",
        hours=RETENTION_HOURS,
        args=[retention_days],
        id="cadence-retention",
        max_instances=1,
        coalesce=True,
        next_run_time=clock.now(),
    )


def start_in_background(
    client: WebClient | Workspaces,
    workers: int = delivery.DEFAULT_WORKERS,
    *,
    seconds: int = TICK_SECONDS,
    retention_days: int = DEFAULT_RETENTION_DAYS,
) -> BackgroundScheduler:
    """Tick every `seconds` in a background thread of this process (the single-machine default), and once a day
    delete what uninstalled workspaces left past their grace."""
    scheduler = BackgroundScheduler(timezone="UTC")
    _add_tick_job(scheduler, client, workers, seconds)
    _add_retention_job(scheduler, retention_days)
    scheduler.start()
    return scheduler


def run_forever(
    client: WebClient | Workspaces,
    workers: int = delivery.DEFAULT_WORKERS,
    *,
    seconds: int = TICK_SECONDS,
    retention_days: int = DEFAULT_RETENTION_DAYS,
) -> None:
    """Tick every `seconds` in the foreground (the Procfile's worker), and run the daily retention pass."""
    scheduler = BlockingScheduler(timezone="UTC")
    _add_tick_job(scheduler, client, workers, seconds)
    _add_retention_job(scheduler, retention_days)
    log.info("worker ticking every %d s", seconds)
    scheduler.start()
