"""Posting deliveries to Slack: lease, post, record; never twice, never silently dropped.

A delivery is leased (status SENDING until `not_before`) by one process before it is posted, the
way APScheduler's SQL data store leases schedules with `acquired_until`: if that process dies, the
lease runs out and another picks the row up. A post whose outcome we did not hear (a timeout, or a
lease that ran out mid-post) is looked for in the channel by its message metadata before posting again.
"""

from __future__ import annotations

import logging
import uuid
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
from models import Cadence, CadenceStatus, Delivery, DeliveryStatus

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
LEASE_BATCH = 50
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
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"posted {self.posted}, found already posted {self.found_already_posted}, "
            f"deferred {self.deferred}, failed {self.failed}" + (f", held {self.held}" if self.held else "")
        )


@dataclass(frozen=True, slots=True)
class Leased:
    delivery_id: int
    needs_check: bool


def deliver_ready(*, now: datetime, client: WebClient, limit: int | None = None) -> DeliveryReport:
    """Lease and post deliveries that are ready at `now`, batch by batch, until none is left."""
    report = DeliveryReport()
    owner = str(uuid.uuid4())
    while limit is None or report.attempted < limit:
        batch = lease_ready(now=now, owner=owner)
        if not batch:
            break
        for leased in batch:
            report.attempted += 1
            attempt(leased, owner=owner, now=now, client=client, report=report)
    return report


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
            select(Delivery.id, Delivery.needs_check)
            .where(Delivery.id.in_(ids), Delivery.lease_owner == owner, Delivery.status == DeliveryStatus.SENDING)
            .order_by(Delivery.id)
        ).all()
    return [Leased(row.id, row.needs_check) for row in mine]


def attempt(leased: Leased, *, owner: str, now: datetime, client: WebClient, report: DeliveryReport) -> None:
    """Post one leased delivery (after looking for an earlier copy when needed) and record what happened."""
    with unit_of_work() as session:
        delivery = session.get(Delivery, leased.delivery_id)
        if delivery is None:
            return
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
        return
    uncertain = leased.needs_check  # stays True until the channel has been searched
    try:
        if uncertain:
            found = find_posted(client, target=target, delivery_id=leased.delivery_id, since=created_at)
            if found is not None:
                record_sent(leased.delivery_id, owner=owner, channel=found[0], ts=found[1], now=now)
                report.found_already_posted += 1
                if once:
                    away.retire(delivery_cadence_id)
                return
            uncertain = False
        # Held only once it is certain not to be in Slack already; the catch-up itself is never held.
        if away.is_person(target) and not once:
            summary = away.summarize(message)
            if away.hold_if_away(
                team_id=team_id, delivery_id=leased.delivery_id, owner=owner, user_id=target, now=now, summary=summary
            ):
                report.held += 1
                return
        if not still_leased(leased.delivery_id, owner=owner):
            # Taken over after our lease ran out (a long pause here, or a process whose clock runs ahead): the
            # process holding it now looks in Slack before it posts, so posting here as well could post twice.
            report.taken_over += 1
            return
        response = client.chat_postMessage(
            channel=target,
            text=message["text"],
            blocks=message["blocks"],
            metadata={"event_type": NUDGE_EVENT_TYPE, "event_payload": {"delivery_id": leased.delivery_id}},
            unfurl_links=False,
        )
    except SlackApiError as error:
        record_api_error(leased.delivery_id, owner=owner, error=error, now=now, report=report, uncertain=uncertain)
        return
    except (TimeoutError, URLError, OSError) as error:
        record_transport_error(
            leased.delivery_id, owner=owner, error=error, now=now, report=report, uncertain=uncertain
        )
        return
    record_sent(leased.delivery_id, owner=owner, channel=response["channel"], ts=response["ts"], now=now)
    report.posted += 1
    if once:
        away.retire(delivery_cadence_id)


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


def still_leased(delivery_id: int, *, owner: str) -> bool:
    """Whether the delivery is still ours to post, read just before posting it."""
    with unit_of_work() as session:
        mine = session.scalar(
            select(Delivery.id).where(
                Delivery.id == delivery_id, Delivery.lease_owner == owner, Delivery.status == DeliveryStatus.SENDING
            )
        )
    return mine is not None


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
        retry_after = int(error.response.headers.get("Retry-After", error.response.headers.get("retry-after", 60)))
        _finish(
            delivery_id,
            owner,
            status=DeliveryStatus.PENDING,
            not_before=now + timedelta(seconds=retry_after),
            last_error=f"rate limited, retry after {retry_after}s",
            needs_check=uncertain,
        )
        report.deferred += 1
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
        report.failed += 1
        report.errors.append(reason)
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
    report.deferred += 1
