"""Posting deliveries to Slack: lease, post, record; never twice, never silently dropped.

A delivery is leased (status SENDING until `not_before`) by one process before it is posted, the
way APScheduler's SQL data store leases schedules with `acquired_until`: if that process dies, the
lease runs out and another picks the row up. A post whose outcome we did not hear (a timeout, or a
lease that ran out mid-post) is looked for in the channel by its message metadata before posting again.

Several deliveries are in flight at once (a bounded pool of `workers` threads, `DELIVERY_WORKERS`, 8 by default),
but one channel's deliveries go one at a time, in the order they were leased, and at most one per `Pace.spacing`
(Slack's limit is about one message per second per channel). A 429 pauses what it is about, that channel (from
chat.postMessage) or that method (from the look in the channel), for its Retry-After: that channel's or method's
other leased deliveries go back to pending until then, and the rest of the tick goes on.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import case, select, update

from bot.cadence import away
from bot.cadence.blocks.nudge import NUDGE_EVENT_TYPE
from bot.cadence.kinds import kind_of
from bot.db import unit_of_work
from bot.slack.installs import RememberedClients, SingleWorkspace, Workspaces
from models import Cadence, CadenceStatus, Delivery, DeliveryStatus

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)  # renewed just before each post, so a long tick never outlives its leases
LEASE_BATCH = 50
DEFAULT_WORKERS = 8
POST_METHOD = "chat.postMessage"
CHECK_METHODS = ("conversations.open", "conversations.history")  # the look in the channel before a re-post
MAX_ATTEMPTS = 5
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1)]
# Errors that retrying cannot fix: fail at once, with the reason shown in /cadence list.
PERMANENT_ERRORS = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "invalid_blocks",
    "msg_too_long",
    "user_not_found",
    "account_inactive",
    "cannot_dm_bot",
    "restricted_action",
    "invalid_auth",
    "not_authed",
    "token_revoked",
}
WORK_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.UNKNOWN)


@dataclass
class DeliveryReport:
    attempted: int = 0
    posted: int = 0
    found_already_posted: int = 0
    deferred: int = 0
    failed: int = 0
    held: int = 0  # DMs to someone away, listed in their catch-up instead
    taken_over: int = 0  # another process took the lease over before we posted: it posts, we don't
    uninstalled: int = 0  # called off: Cadence has no token in the delivery's workspace any more
    errors: list[str] = field(default_factory=list)
    # Deliveries are attempted by several threads at once; every count goes through count().
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, outcome: str, *, error: str | None = None) -> None:
        """Add one to `outcome` (a field name above), and note `error`; safe from any thread."""
        with self._lock:
            setattr(self, outcome, getattr(self, outcome) + 1)
            if error is not None:
                self.errors.append(error)

    def __str__(self) -> str:
        return (
            f"posted {self.posted}, found already posted {self.found_already_posted}, "
            f"deferred {self.deferred}, failed {self.failed}" + (f", held {self.held}" if self.held else "")
        )


@dataclass(frozen=True, slots=True)
class Leased:
    delivery_id: int
    needs_check: bool
    target: str = ""


@dataclass(frozen=True, slots=True)
class Paused:
    """What an attempt's 429 was about: `scope` is "channel" (chat.postMessage) or the method's name."""

    scope: str
    retry_after: int


@dataclass(frozen=True, slots=True)
class Pace:
    """How fast one channel is posted to, and the clock that paces it (tests give a fake one: no real sleeping)."""

    spacing: float = 1.0  # seconds between the starts of two posts to one channel
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


def deliver_ready(
    *,
    now: datetime,
    client: WebClient | None = None,
    workspaces: Workspaces | None = None,
    limit: int | None = None,
    workers: int = DEFAULT_WORKERS,
    pace: Pace | None = None,
) -> DeliveryReport:
    """Lease and post deliveries that are ready at `now`, until none is left: up to `workers` posts in flight,
    each channel's in lease order and paced by `pace`; a 429 pauses its channel or method, not the others. Each is
    posted with its workspace's client from `workspaces`, or with `client` (single mode)."""
    clients = RememberedClients(workspaces_of(client, workspaces))
    return _Run(now=now, clients=clients, limit=limit, workers=max(1, workers), pace=pace or Pace()).run()


def workspaces_of(client: WebClient | None, workspaces: Workspaces | None) -> Workspaces:
    """`workspaces`, or single mode's one `client`; raises ValueError when neither is given."""
    if workspaces is not None:
        return workspaces
    if client is None:
        raise ValueError("a tick needs the workspaces' clients, or the one client of single-workspace mode")
    return SingleWorkspace(client)


class _Run:
    """One tick's deliveries: per-channel queues fed by leased batches, drained by a thread pool.

    Only this (the tick's) thread touches the queues; the workers only attempt one delivery each and return.
    """

    def __init__(self, *, now: datetime, clients: Workspaces, limit: int | None, workers: int, pace: Pace) -> None:
        self.now, self.clients, self.limit, self.workers, self.pace = now, clients, limit, workers, pace
        self.report = DeliveryReport()
        self.owner = str(uuid.uuid4())
        self.started = pace.monotonic()
        self.queues: dict[str, deque[Leased]] = {}
        self.ready: list[tuple[float, int, str]] = []  # (when the channel may post next, order, channel)
        self.order = 0
        self.waiting = 0  # leased, not yet started
        self.paused: dict[str, tuple[float, int]] = {}  # method → (until, retry_after)
        self.leased_all = False

    def clock(self) -> datetime:
        """The tick's time, moved on by what has elapsed since it began (what a renewed lease counts from)."""
        return self.now + timedelta(seconds=self.pace.monotonic() - self.started)

    def run(self) -> DeliveryReport:
        in_flight: dict[Future[Paused | None], tuple[str, float]] = {}
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="deliver") as pool:
            while True:
                self.lease_more()
                moment = self.pace.monotonic()
                while self.ready and self.ready[0][0] <= moment and len(in_flight) < self.workers:
                    _, _, channel = heapq.heappop(self.ready)
                    leased = self.next_of(channel, moment)
                    if leased is None:
                        continue
                    self.report.count("attempted")
                    future = pool.submit(
                        attempt,
                        leased,
                        owner=self.owner,
                        now=self.now,
                        workspaces=self.clients,
                        report=self.report,
                        lease_clock=self.clock,
                    )
                    in_flight[future] = (channel, moment)
                if not in_flight and not self.ready:
                    if self.leased_all or self.limit_reached():
                        break
                    continue
                if in_flight:
                    pause = None if not self.ready or len(in_flight) >= self.workers else self.ready[0][0] - moment
                    done, _ = wait(in_flight, timeout=pause, return_when=FIRST_COMPLETED)
                    for future in done:
                        channel, began = in_flight.pop(future)
                        self.finished(channel, began, future.result())
                else:
                    self.pace.sleep(max(0.0, self.ready[0][0] - moment))
        return self.report

    def limit_reached(self) -> bool:
        return self.limit is not None and self.report.attempted + self.waiting >= self.limit

    def lease_more(self) -> None:
        """Lease another batch once fewer than a few rounds of work are waiting, so the pool never runs dry."""
        if self.leased_all or self.limit_reached() or self.waiting >= 2 * self.workers:
            return
        size = (
            LEASE_BATCH if self.limit is None else min(LEASE_BATCH, self.limit - self.report.attempted - self.waiting)
        )
        # Leased at the tick's moving clock: a batch taken minutes into a slow tick gets a lease that is still live.
        batch = lease_ready(now=self.clock(), owner=self.owner, batch_size=size)
        if not batch:
            self.leased_all = True
        for leased in batch:
            queue = self.queues.get(leased.target)
            if queue is None:
                queue = self.queues[leased.target] = deque()
                self.schedule(leased.target, self.pace.monotonic())
            queue.append(leased)
            self.waiting += 1

    def schedule(self, channel: str, when: float) -> None:
        self.order += 1
        heapq.heappush(self.ready, (when, self.order, channel))

    def next_of(self, channel: str, moment: float) -> Leased | None:
        """The channel's next delivery, skipping (deferring) those that need a method paused by a 429."""
        queue = self.queues[channel]
        while queue:
            leased = queue.popleft()
            self.waiting -= 1
            held = [
                self.paused[m] for m in CHECK_METHODS if leased.needs_check and self.paused.get(m, (0, 0))[0] > moment
            ]
            if not held:
                return leased
            self.defer(leased, max(retry for _, retry in held))
        del self.queues[channel]
        return None

    def finished(self, channel: str, began: float, paused: Paused | None) -> None:
        """One attempt is over: the channel may post again after the spacing, or after Retry-After if it was 429'd."""
        queue = self.queues.get(channel)
        if paused is not None and paused.scope != "channel":
            self.paused[paused.scope] = (self.pace.monotonic() + paused.retry_after, paused.retry_after)
        if paused is not None and paused.scope == "channel":
            while queue:  # the whole channel waits its Retry-After; the next tick takes it from there
                self.waiting -= 1
                self.defer(queue.popleft(), paused.retry_after)
        if queue:
            self.schedule(channel, began + self.pace.spacing)
        else:
            self.queues.pop(channel, None)

    def defer(self, leased: Leased, retry_after: int) -> None:
        """Back to pending until Retry-After has passed, as if this delivery had been answered 429 itself."""
        _finish(
            leased.delivery_id,
            self.owner,
            status=DeliveryStatus.PENDING,
            not_before=self.clock() + timedelta(seconds=retry_after),
            last_error=f"rate limited, retry after {retry_after}s",
            needs_check=leased.needs_check,
        )
        self.report.count("deferred")


def lease_ready(*, now: datetime, owner: str, batch_size: int = LEASE_BATCH) -> list[Leased]:
    """Take a lease on up to `batch_size` ready deliveries; rows another process leased stay its own."""
    with unit_of_work() as session:
        query = (
            select(Delivery.id)
            .where(Delivery.status.in_(WORK_STATUSES), Delivery.not_before <= now)
            .order_by(Delivery.not_before, Delivery.id)
            .limit(batch_size)
        )
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = list(session.scalars(query))
        if not ids:
            return []
        session.execute(
            update(Delivery)
            # The same condition again: only rows still ready when we write are ours (compare-and-set).
            .where(Delivery.id.in_(ids), Delivery.status.in_(WORK_STATUSES), Delivery.not_before <= now)
            .values(
                # A row that was SENDING (lease ran out) or UNKNOWN may already be in Slack.
                needs_check=case(
                    (Delivery.status.in_((DeliveryStatus.SENDING, DeliveryStatus.UNKNOWN)), True),
                    else_=Delivery.needs_check,
                ),
                status=DeliveryStatus.SENDING,
                not_before=now + LEASE,
                lease_owner=owner,
            )
            .execution_options(synchronize_session=False)
        )
        mine = session.execute(
            select(Delivery.id, Delivery.needs_check, Delivery.target)
            .where(Delivery.id.in_(ids), Delivery.lease_owner == owner, Delivery.status == DeliveryStatus.SENDING)
            .order_by(Delivery.not_before, Delivery.id)
        ).all()
    order = {delivery_id: n for n, delivery_id in enumerate(ids)}  # claim order, which each channel keeps
    return sorted((Leased(row.id, row.needs_check, row.target) for row in mine), key=lambda d: order[d.delivery_id])


def attempt(
    leased: Leased,
    *,
    owner: str,
    now: datetime,
    report: DeliveryReport,
    client: WebClient | None = None,
    workspaces: Workspaces | None = None,
    lease_clock: Callable[[], datetime] | None = None,
) -> Paused | None:
    """Post one leased delivery (after looking for an earlier copy when needed) with its workspace's client (from
    `workspaces`, else `client`) and record what happened; says what a 429 paused, if one came. A workspace with no
    token (uninstalled) has its delivery called off, not failed. `lease_clock` is the time the lease is renewed from
    just before posting (default `now`). Safe to call from several threads at once: each call has its own units of
    work."""
    with unit_of_work() as session:
        delivery = session.get(Delivery, leased.delivery_id)
        if delivery is None:
            return None
        cadence = session.get(Cadence, delivery.cadence_id)
        assert cadence is not None
        stopped = cadence.status != CadenceStatus.ACTIVE
        kind = kind_of(cadence.kind)
        once = getattr(kind, "once", False)
        if not stopped:
            message = kind.render(session, cadence, delivery)
            if not away.is_person(delivery.target):  # a channel post names who of its people is away
                people = kind.people(session, cadence) if hasattr(kind, "people") else []
                message = away.with_away_line(session, message, cadence=cadence, people=people, now=now)
        target, created_at, team_id = delivery.target, delivery.created_at, delivery.team_id
        delivery_cadence_id = delivery.cadence_id
    if stopped:
        # Paused or removed (or its group closed) after this copy was made, e.g. a Snooze saved at the same moment
        # as the Pause: the copy is called off rather than posted.
        _finish(leased.delivery_id, owner, status=DeliveryStatus.CANCELLED)
        return None
    workspace_client = workspaces_of(client, workspaces).client_for(team_id)
    if workspace_client is None:
        # Uninstalled (or its token revoked) after this copy was made: nobody there to post to, nothing to retry.
        _finish(leased.delivery_id, owner, status=DeliveryStatus.CANCELLED, last_error="Cadence was uninstalled")
        report.count("uninstalled")
        return None
    uncertain = leased.needs_check  # stays True until the channel has been searched
    try:
        if uncertain:
            found = find_posted(workspace_client, target=target, delivery_id=leased.delivery_id, since=created_at)
            if found is not None:
                record_sent(leased.delivery_id, owner=owner, channel=found[0], ts=found[1], now=now)
                report.count("found_already_posted")
                if once:
                    away.retire(delivery_cadence_id)
                return None
            uncertain = False
        # Held only once it is certain not to be in Slack already; the catch-up itself is never held.
        if away.is_person(target) and not once:
            summary = away.summarize(message)
            if away.hold_if_away(
                team_id=team_id, delivery_id=leased.delivery_id, owner=owner, user_id=target, now=now, summary=summary
            ):
                report.count("held")
                return None
        if not still_leased(leased.delivery_id, owner=owner, renew_from=lease_clock() if lease_clock else None):
            # Taken over after our lease ran out (a long pause here, or a process whose clock runs ahead): the
            # process holding it now looks in Slack before it posts, so posting here as well could post twice.
            report.count("taken_over")
            return None
        response = workspace_client.chat_postMessage(
            channel=target,
            text=message["text"],
            blocks=message["blocks"],
            metadata={"event_type": NUDGE_EVENT_TYPE, "event_payload": {"delivery_id": leased.delivery_id}},
            unfurl_links=False,
        )
    except SlackApiError as error:
        record_api_error(leased.delivery_id, owner=owner, error=error, now=now, report=report, uncertain=uncertain)
        return paused_by(error)
    except (TimeoutError, URLError, OSError) as error:
        record_transport_error(
            leased.delivery_id, owner=owner, error=error, now=now, report=report, uncertain=uncertain
        )
        return None
    record_sent(leased.delivery_id, owner=owner, channel=response["channel"], ts=response["ts"], now=now)
    report.count("posted")
    if once:
        away.retire(delivery_cadence_id)
    return None


def retry_after_of(error: SlackApiError) -> int:
    """A 429's Retry-After in seconds (60 when Slack left it out)."""
    headers = error.response.headers
    return int(headers.get("Retry-After", headers.get("retry-after", 60)))


def paused_by(error: SlackApiError) -> Paused | None:
    """What a 429 is about: chat.postMessage's limit is per channel; any other method's is the method's."""
    if error.response.status_code != 429:
        return None
    method = (error.response.api_url or "").rstrip("/").rsplit("/", 1)[-1]
    return Paused("channel" if method in ("", POST_METHOD) else method, retry_after_of(error))


def find_posted(client: WebClient, *, target: str, delivery_id: int, since: datetime) -> tuple[str, str] | None:
    """Look in the target's channel for a message carrying this delivery's metadata: (channel, ts) or None."""
    channel = target
    if target.startswith(("U", "W")):
        channel = client.conversations_open(users=target)["channel"]["id"]
    oldest = f"{(since - timedelta(minutes=5)).timestamp():.6f}"
    cursor = None
    while True:
        page = client.conversations_history(
            channel=channel, oldest=oldest, include_all_metadata=True, limit=200, cursor=cursor
        )
        for message in page.get("messages", []):
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == NUDGE_EVENT_TYPE and payload.get("delivery_id") == delivery_id:
                return channel, message["ts"]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None


def still_leased(delivery_id: int, *, owner: str, renew_from: datetime | None = None) -> bool:
    """Whether the delivery is still ours to post, read just before posting it; with `renew_from`, the lease is also
    renewed to `renew_from + LEASE` (compare-and-set), so a delivery that waited its turn in a long tick keeps it."""
    mine = (Delivery.id == delivery_id, Delivery.lease_owner == owner, Delivery.status == DeliveryStatus.SENDING)
    with unit_of_work() as session:
        if renew_from is None:
            return session.scalar(select(Delivery.id).where(*mine)) is not None
        # Only a lease that hasn't run out is renewed: once it has, another process may hold the row at any moment.
        return (
            session.execute(
                update(Delivery)
                .where(*mine, Delivery.not_before > renew_from)
                .values(not_before=renew_from + LEASE)
                .execution_options(synchronize_session=False)
            ).rowcount
            == 1
        )


def _finish(delivery_id: int, owner: str, **values: object) -> bool:
    """Write the outcome, if the lease is still ours; False when another process took the row over."""
    with unit_of_work() as session:
        changed = session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.lease_owner == owner, Delivery.status == DeliveryStatus.SENDING)
            .values(lease_owner=None, **values)
            .execution_options(synchronize_session=False)
        ).rowcount
    if changed != 1:
        log.warning("delivery %s: lease lost before its outcome was recorded", delivery_id)
    return changed == 1


def record_sent(delivery_id: int, *, owner: str, channel: str, ts: str, now: datetime) -> None:
    """The message is in Slack: remember where, so its buttons can update it."""
    _finish(
        delivery_id,
        owner,
        status=DeliveryStatus.SENT,
        channel_id=channel,
        message_ts=ts,
        sent_at=now,
        needs_check=False,
        last_error=None,
    )


def backoff_after(attempts: int) -> timedelta:
    """How long to wait before attempt number `attempts + 1`."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1] if attempts > 0 else BACKOFF[0]


def _attempts_so_far(delivery_id: int) -> int:
    with unit_of_work() as session:
        return session.scalar(select(Delivery.attempts).where(Delivery.id == delivery_id)) or 0


def record_api_error(
    delivery_id: int, *, owner: str, error: SlackApiError, now: datetime, report: DeliveryReport, uncertain: bool
) -> None:
    """Slack answered with an error: wait out a 429, retry a passing error later, fail a permanent one."""
    status_code = error.response.status_code
    code = error.response.get("error") if isinstance(error.response.data, dict) else None
    if status_code == 429:
        retry_after = retry_after_of(error)
        _finish(
            delivery_id,
            owner,
            status=DeliveryStatus.PENDING,
            not_before=now + timedelta(seconds=retry_after),
            last_error=f"rate limited, retry after {retry_after}s",
            needs_check=uncertain,
        )
        report.count("deferred")
        return
    reason = f"Slack said {code or 'nothing useful'}" + (f" (HTTP {status_code})" if status_code != 200 else "")
    record_failure(
        delivery_id,
        owner=owner,
        reason=reason,
        now=now,
        report=report,
        permanent=code in PERMANENT_ERRORS,
        outcome_unknown=uncertain,
    )


def record_transport_error(
    delivery_id: int, *, owner: str, error: Exception, now: datetime, report: DeliveryReport, uncertain: bool
) -> None:
    """No answer from Slack: a timeout may hide a post that went through, so it is checked before re-posting."""
    timed_out = isinstance(error, TimeoutError) or (
        isinstance(error, URLError) and isinstance(error.reason, TimeoutError)
    )
    reason = "Slack did not answer in time" if timed_out else f"could not reach Slack ({error})"
    record_failure(
        delivery_id,
        owner=owner,
        reason=reason,
        now=now,
        report=report,
        permanent=False,
        outcome_unknown=timed_out or uncertain,
    )


def record_failure(
    delivery_id: int,
    *,
    owner: str,
    reason: str,
    now: datetime,
    report: DeliveryReport,
    permanent: bool,
    outcome_unknown: bool,
) -> None:
    """Count a failed attempt: back off and retry, or after MAX_ATTEMPTS (or a permanent error) give up visibly."""
    attempts = _attempts_so_far(delivery_id) + 1
    if permanent or attempts >= MAX_ATTEMPTS:
        _finish(
            delivery_id,
            owner,
            status=DeliveryStatus.FAILED,
            attempts=attempts,
            last_error=reason,
            needs_check=outcome_unknown,
        )
        log.error("delivery %s failed for good after %d attempt(s): %s", delivery_id, attempts, reason)
        report.count("failed", error=reason)
        return
    status = DeliveryStatus.UNKNOWN if outcome_unknown else DeliveryStatus.PENDING
    _finish(
        delivery_id,
        owner,
        status=status,
        attempts=attempts,
        last_error=reason,
        not_before=now + backoff_after(attempts),
        needs_check=outcome_unknown,
    )
    log.warning("delivery %s attempt %d failed (%s); retrying later", delivery_id, attempts, reason)
    report.count("deferred")
