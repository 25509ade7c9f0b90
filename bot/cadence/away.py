"""Time away: while a person is on holiday, every nudge addressed to them (a DM, in any program) is held, and
when they are back one catch-up lists what came due. Channel nudges still go out, naming who is away.

Exactly once, with several processes: holding a nudge is one transaction that counts it on the open time away
(a compare-and-set on `Away.open_for`) and moves the leased delivery to HELD; the catch-up is a one-shot cadence
whose claim clears `open_for` in the claim's transaction. On the same row, the two serialize: a nudge held first
is listed in the catch-up, and one that comes after the claim finds the time away closed and is posted as usual.
The catch-up itself is an ordinary delivery (leased, retried, looked for in Slack before posting again).

Rules are plain functions over values (reading the command, the range, the Slack status); services take the
session first, scope by team, write the audit row and never call Slack.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot import audit, clock
from bot.blocks.common import Message
from bot.cadence.away_rules import EXAMPLE, AwayChange, CatchUpItem, short_day
from bot.cadence.blocks.away import catch_up_message, home_section
from bot.cadence.kinds import DueOccurrence, register_kind
from bot.cadence.rules import Frequency, Recurrence, to_dict
from bot.cadence.service import ensure_workspace
from bot.cadence.views import ProgramNudge
from bot.db import insert_or_ignore, lock_row, unit_of_work
from bot.errors import UserError
from bot.home import register_home_section
from bot.parsing import DateContext, Token, as_typed, keyword, read_date_words
from models import Away, AwayOffer, Cadence, CadenceStatus, Delivery, DeliveryStatus, HeldNudge

CATCH_UP = "away.catchup"
USAGE = (
    f"Write the first and the last day you're away, e.g. {EXAMPLE} (or `until`), one day as "
    "`/cadence away 2026-12-24`; `/cadence away off` ends it early and `/cadence away` shows it."
)
_SEPARATORS = frozenset({"to", "until", "till", "through", "-", "–", "—"})
_OFF_WORDS = frozenset({"off", "back", "end", "stop", "cancel", "none"})
# Channel posts name people away now, and those leaving within this long (a digest is read to plan the week).
UPCOMING = timedelta(days=7)
SUMMARY_LIMIT = 600
_MENTION = re.compile(r"<@([UW][A-Z0-9_]+)(?:\|[^<>]*)?>")
HOLIDAY_EMOJI = frozenset(
    {":palm_tree:", ":desert_island:", ":beach_with_umbrella:", ":airplane:", ":airplane_departure:", ":luggage:"}
)
_HOLIDAY_WORDS = re.compile(
    r"\b(vacation|vacances|holidays?|ooo|out of (the )?office|pto|annual leave|on leave|urlaub)\b", re.IGNORECASE
)


# ---- reading `/cadence away …` ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShowAway:
    """`/cadence away`: what is set."""


@dataclass(frozen=True, slots=True)
class EndAway:
    """`/cadence away off`: back early (or call off a time away that has not begun)."""


@dataclass(frozen=True, slots=True)
class SetAway:
    """`/cadence away <first> to <last>`: both days inclusive, in the person's zone."""

    first_day: date
    last_day: date


AwayRequest = ShowAway | EndAway | SetAway


def read_away(tokens: Sequence[Token], context: DateContext) -> AwayRequest:
    """Read what follows `/cadence away`, dates as every command reads them (`2026-12-21`, `friday`, `in 2 weeks`);
    raises UserError for a date it can't read, a range written backwards, or one that is over."""
    tokens = list(tokens)
    if not tokens:
        return ShowAway()
    if len(tokens) == 1 and keyword(tokens[0]) in _OFF_WORDS:
        return EndAway()
    if keyword(tokens[0]) == "from":
        tokens = tokens[1:]
    split = next((n for n, token in enumerate(tokens) if keyword(token) in _SEPARATORS), None)
    written = "/cadence away " + as_typed(tokens)
    before, after = (tokens, tokens) if split is None else (tokens[:split], tokens[split + 1 :])
    first = read_date_words(before, context, what="first day away", written=written, example=EXAMPLE)
    last = read_date_words(after, context, what="last day away", written=written, example=EXAMPLE)
    return SetAway(*check_range(first, last, today=context.today))


MAX_AHEAD = timedelta(days=366)  # a last day further off is a typo (`9999-12-31`), not a holiday


def check_range(first: date, last: date, *, today: date) -> tuple[date, date]:
    """The days away, starting no earlier than today; raises UserError for a backwards range or one that is over."""
    if last < first:
        raise UserError(
            f"The last day `{last.isoformat()}` comes before the first `{first.isoformat()}`.",
            f"Write the first day first, e.g. {EXAMPLE}.",
        )
    if last > today + MAX_AHEAD:
        raise UserError(
            f"That time away ends on `{last.isoformat()}`, more than a year from today ({short_day(today)}).",
            f"Give a last day within a year, e.g. `/cadence away {today.isoformat()} to "
            f"{(today + timedelta(days=7)).isoformat()}`; set the next one when it comes nearer.",
        )
    if last < today:
        raise UserError(
            f"That time away (`{first.isoformat()}` to `{last.isoformat()}`) is over: today is "
            f"{short_day(today)} where you are.",
            f"Give days from today on, e.g. `/cadence away {today.isoformat()} to "
            f"{(today + timedelta(days=7)).isoformat()}`.",
        )
    return max(first, today), last


def span_of(first: date, last: date, timezone: str) -> tuple[datetime, datetime]:
    """(start, back) in UTC: 00:00 on the first day and 00:00 the day after the last, in `timezone`."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(first, time(0), zone).astimezone(UTC)
    back = datetime.combine(last + timedelta(days=1), time(0), zone).astimezone(UTC)
    return start, back


def is_away_at(away: Away, moment: datetime) -> bool:
    """Whether nudges to the person are held at `moment`."""
    return away.open_for is not None and away.ended_at is None and away.starts_at <= moment < away.back_at


# ---- the Slack status ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HolidayStatus:
    """A Slack status that says its person is on holiday: what it said (the key an offer is made once for), and
    the day it expires on, in their zone, when it has an expiry."""

    key: str
    last_day: date | None


def holiday_status(profile: dict[str, Any], *, timezone: str) -> HolidayStatus | None:
    """The holiday a Slack profile's status announces (:palm_tree:, "Vacation", "OOO"…), or None."""
    text = str(profile.get("status_text") or "")
    emoji = str(profile.get("status_emoji") or "")
    if emoji not in HOLIDAY_EMOJI and not _HOLIDAY_WORDS.search(text):
        return None
    expiry = int(profile.get("status_expiration") or 0)
    last_day = None
    if expiry > 0:  # a status set "until Friday" expires at the end of Friday: the second before is the last day
        last_day = (datetime.fromtimestamp(expiry, UTC) - timedelta(seconds=1)).astimezone(ZoneInfo(timezone)).date()
    return HolidayStatus(key=f"{emoji}|{text}|{expiry}"[:200], last_day=last_day)


# ---- setting, showing and ending ----------------------------------------------------------------------------------


def open_away(session: Session, *, team_id: str, user_id: str) -> Away | None:
    """The person's time away that is set (now or to come), or None."""
    return session.scalar(select(Away).where(Away.team_id == team_id, Away.open_for == user_id))


def set_away(
    session: Session, *, team_id: str, user_id: str, first_day: date, last_day: date, timezone: str, now: datetime
) -> AwayChange:
    """Set (or change) the person's time away; one that has begun keeps its start and takes the new last day.

    Two requests at once take turns on the workspace row, so the later one changes what the first set."""

    lock_row(session, ensure_workspace(session, team_id=team_id))
    existing = open_away(session, team_id=team_id, user_id=user_id)
    if existing is not None and existing.starts_at <= now:
        first_day, timezone = existing.first_day, existing.timezone
    starts_at, back_at = span_of(first_day, last_day, timezone)
    if existing is not None and _move(session, existing, starts_at=starts_at, back_at=back_at):
        existing.first_day, existing.last_day, existing.timezone = first_day, last_day, timezone
        existing.starts_at, existing.back_at = starts_at, back_at
        _audit(session, existing, "away.changed", now)
        return AwayChange(existing, "changed", existing.held_count)
    catch_up = Cadence(
        team_id=team_id,
        title="Catch-up after your time away",
        rule=to_dict(Recurrence(frequency=Frequency.DAILY, at=time(0), timezone=timezone)),
        channel_id=None,
        recipient_ids=[user_id],
        created_by=user_id,
        kind=CATCH_UP,
        next_run_at=back_at,
    )
    session.add(catch_up)
    session.flush()
    away = Away(
        team_id=team_id,
        user_id=user_id,
        first_day=first_day,
        last_day=last_day,
        timezone=timezone,
        starts_at=starts_at,
        back_at=back_at,
        open_for=user_id,
        created_by=user_id,
        catch_up_cadence_id=catch_up.id,
    )
    session.add(away)
    session.flush()
    catch_up.subject_id = away.id
    _audit(session, away, "away.set", now)
    return AwayChange(away, "set")


def _move(session: Session, away: Away, *, starts_at: datetime, back_at: datetime) -> bool:
    """Move an open time away and its catch-up; False when its catch-up was claimed meanwhile (it is over)."""
    # The cadence first, then the away: the order the dispatcher's claim takes them in, so the two never deadlock.
    moved = session.execute(
        update(Cadence)
        .where(Cadence.id == away.catch_up_cadence_id, Cadence.next_run_at.is_not(None))
        .values(next_run_at=back_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    still_open = session.execute(
        update(Away)
        .where(Away.id == away.id, Away.open_for.is_not(None))
        .values(starts_at=starts_at, back_at=back_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    return moved == 1 and still_open == 1


def end_away(session: Session, *, team_id: str, user_id: str, now: datetime) -> AwayChange:
    """Back early: the catch-up goes out on the next tick; a time away that has not begun is called off, with no
    catch-up. Raises UserError when none is set."""
    away = open_away(session, team_id=team_id, user_id=user_id)
    if away is None:
        raise UserError("You aren't set as away, so there is nothing to end.", f"Set it with {EXAMPLE}.")
    begun = away.starts_at <= now
    # Begun: the catch-up is due now. Not begun: nothing was held, so there is nothing to catch up on.
    cadence_values: dict[str, Any] = (
        {"next_run_at": now} if begun else {"next_run_at": None, "status": CadenceStatus.REMOVED}
    )
    due = session.execute(
        update(Cadence)
        .where(Cadence.id == away.catch_up_cadence_id, Cadence.next_run_at.is_not(None))
        .values(**cadence_values)
        .execution_options(synchronize_session=False)
    ).rowcount
    closed = session.execute(
        update(Away)
        .where(Away.id == away.id, Away.open_for.is_not(None))
        .values(open_for=None, ended_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if due != 1 or closed != 1:
        raise UserError("Your time away has just ended: the catch-up is on its way.")
    session.refresh(away)
    _audit(session, away, "away.ended" if begun else "away.cancelled", now)
    return AwayChange(away, "ended" if begun else "cancelled", away.held_count)


def _audit(session: Session, away: Away, action: str, now: datetime) -> None:
    audit.record(
        session,
        team_id=away.team_id,
        actor_id=away.user_id,
        action=action,
        subject_type="away",
        subject_id=away.id,
        at=now,
        first_day=away.first_day.isoformat(),
        last_day=away.last_day.isoformat(),
    )


def suggested_away(session: Session, *, team_id: str, offer_id: int, user_id: str) -> date | None:
    """The last day an offer suggested (its status's expiry), for the person it was made to; None if it had none."""
    offer = session.scalar(
        select(AwayOffer).where(AwayOffer.id == offer_id, AwayOffer.team_id == team_id, AwayOffer.user_id == user_id)
    )
    if offer is None:
        raise UserError("That offer isn't yours or has gone.", f"Set your time away with {EXAMPLE}.")
    return offer.suggested_last_day


def record_offer(session: Session, *, team_id: str, user_id: str, status: HolidayStatus) -> int | None:
    """Remember that an offer is being made for this status: its id the first time, None ever after (two commands
    at the same moment make one offer: the unique key decides)."""
    values = {
        "team_id": team_id,
        "user_id": user_id,
        "status_key": status.key,
        "suggested_last_day": status.last_day,
        "created_at": _now(),
    }
    if not insert_or_ignore(session, AwayOffer, values, conflict=["team_id", "user_id", "status_key"]):
        return None
    return session.scalar(
        select(AwayOffer.id).where(
            AwayOffer.team_id == team_id, AwayOffer.user_id == user_id, AwayOffer.status_key == status.key
        )
    )


def was_offered(session: Session, *, team_id: str, user_id: str) -> set[str]:
    """The statuses an offer was already made for."""
    return set(
        session.scalars(select(AwayOffer.status_key).where(AwayOffer.team_id == team_id, AwayOffer.user_id == user_id))
    )


def _now() -> datetime:

    return clock.now()


# ---- the engine's side: holding, naming, catching up -------------------------------------------------------------


def is_person(target: str) -> bool:
    """A delivery to a user id is a DM (channels start with C, G or D)."""
    return target[:1] in ("U", "W")


class _LeaseLost(Exception):
    """Another process owns the delivery now: roll the hold back and leave the row to it."""


def hold_if_away(*, team_id: str, delivery_id: int, owner: str, user_id: str, now: datetime, summary: str) -> bool:
    """Hold a leased DM delivery when its person is away at `now`: True when it was held (or is no longer ours to
    post), False when it should be posted as usual. One transaction: the count on the open time away (refused once
    its catch-up is claimed), the HELD status (only while the lease is ours) and the row the catch-up lists."""
    try:
        with unit_of_work() as session:
            away = session.scalar(
                select(Away).where(
                    Away.team_id == team_id,
                    Away.open_for == user_id,
                    Away.ended_at.is_(None),
                    Away.starts_at <= now,
                    Away.back_at > now,
                )
            )
            if away is None:
                return False
            counted = session.execute(
                update(Away)
                .where(Away.id == away.id, Away.open_for.is_not(None), Away.ended_at.is_(None), Away.back_at > now)
                .values(held_count=Away.held_count + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            if counted != 1:
                return False  # back (or its catch-up claimed) meanwhile: post it as usual
            delivery = session.get(Delivery, delivery_id)
            assert delivery is not None
            held = session.execute(
                update(Delivery)
                .where(
                    Delivery.id == delivery_id, Delivery.lease_owner == owner, Delivery.status == DeliveryStatus.SENDING
                )
                .values(status=DeliveryStatus.HELD, lease_owner=None, last_error=None, needs_check=False)
                .execution_options(synchronize_session=False)
            ).rowcount
            if held != 1:
                raise _LeaseLost
            session.execute(
                insert(HeldNudge).values(
                    team_id=team_id,
                    away_id=away.id,
                    delivery_id=delivery_id,
                    cadence_id=delivery.cadence_id,
                    occurrence_at=delivery.occurrence_at,
                    summary=summary,
                    created_at=now,
                )
            )
    except _LeaseLost:
        return True
    return True


def summarize(message: Message) -> str:
    """What a held nudge said, for the catch-up: its sections' lines (else its fallback text), whole lines only (a cut
    mid-line could break a link or a mention), at most SUMMARY_LIMIT characters."""
    lines: list[str] = []
    for block in message.get("blocks") or []:
        if block.get("type") == "section":
            texts = [block.get("text") or {}] + list(block.get("fields") or [])
            lines += [line for part in texts for line in str(part.get("text") or "").splitlines()]
    lines = lines or [str(message.get("text") or "")]
    kept: list[str] = []
    for line in dict.fromkeys(line.strip() for line in lines if line.strip()):
        if sum(len(k) + 1 for k in kept) + len(line) > SUMMARY_LIMIT:
            break
        kept.append(line)
    return "\n".join(kept)


def people_in(message: Message) -> list[str]:
    """The people a message mentions (`<@U…>`), in order, each once."""
    return list(dict.fromkeys(_MENTION.findall(json.dumps(message.get("blocks") or []) + str(message.get("text")))))


@dataclass(frozen=True, slots=True)
class AwayNote:
    """Someone a channel post names as away: until their last day, or from their first day when still to come."""

    user_id: str
    first_day: date
    last_day: date
    begun: bool


def away_among(session: Session, *, team_id: str, user_ids: Iterable[str], now: datetime) -> list[AwayNote]:
    """Those of `user_ids` away at `now`, or leaving within UPCOMING, in the order given."""
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        return []
    rows = session.scalars(
        select(Away).where(
            Away.team_id == team_id,
            Away.open_for.in_(wanted),
            Away.ended_at.is_(None),
            Away.back_at > now,
            Away.starts_at <= now + UPCOMING,
        )
    ).all()
    by_user = {row.user_id: row for row in rows}
    return [
        AwayNote(uid, by_user[uid].first_day, by_user[uid].last_day, by_user[uid].starts_at <= now)
        for uid in wanted
        if uid in by_user
    ]


def away_line(notes: Sequence[AwayNote]) -> str:
    """`:palm_tree: Away: <@U1> until Mon 4 Jan · <@U2> from Thu 24 Dec to Sun 27 Dec`."""
    parts = [
        f"<@{n.user_id}> until {short_day(n.last_day)}"
        if n.begun
        else f"<@{n.user_id}> from {short_day(n.first_day)} to {short_day(n.last_day)}"
        for n in notes
    ]
    return ":palm_tree: Away: " + " · ".join(parts)


def with_away_line(
    session: Session, message: Message, *, cadence: Cadence, people: Iterable[str], now: datetime
) -> Message:
    """A channel post with a closing line naming who of its people is away; unchanged when nobody is."""
    everyone = [*people, *cadence.recipient_ids, *people_in(message)]
    notes = away_among(session, team_id=cadence.team_id, user_ids=everyone, now=now)
    if not notes:
        return message
    line = away_line(notes)
    blocks = list(message.get("blocks") or [])
    if len(blocks) < 50:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": line[:3000]}]})
    return {**message, "text": f"{message.get('text', '')}\n{line}"[:3000], "blocks": blocks}


def catch_up_items(held: Sequence[HeldNudge], cadences: dict[int, Cadence]) -> list[CatchUpItem]:
    """Held nudges grouped per cadence (each once), in the order they first came due; the latest text of each."""
    by_cadence: dict[int, list[HeldNudge]] = {}
    for nudge in sorted(held, key=lambda n: (n.occurrence_at, n.id)):
        by_cadence.setdefault(nudge.cadence_id, []).append(nudge)
    items = []
    for cadence_id, nudges in by_cadence.items():
        cadence = cadences.get(cadence_id)
        items.append(
            CatchUpItem(
                cadence_id=cadence_id,
                title=cadence.title if cadence else "A reminder since removed",
                kind=cadence.kind if cadence else "reminder",
                channel_id=cadence.channel_id if cadence else None,
                due=list(dict.fromkeys(n.occurrence_at for n in nudges)),
                summary=nudges[-1].summary,
            )
        )
    return items


class CatchUp:
    """The one message a person gets when they are back: what came due while they were away."""

    once = True  # the dispatcher claims it one time and leaves it with no next run

    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        """The person, closing their time away in the claim's transaction: nothing more is held for it."""
        away = session.get(Away, due.subject_id) if due.subject_id is not None else None
        if away is None or away.team_id != due.team_id:
            return []
        session.execute(
            update(Away)
            .where(Away.id == away.id, Away.open_for.is_not(None))
            .values(open_for=None)
            .execution_options(synchronize_session=False)
        )
        return [away.user_id]

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """Every cadence held for the person once, with the times it came due, in their zone."""
        away = session.get(Away, cadence.subject_id)
        assert away is not None
        held = session.scalars(select(HeldNudge).where(HeldNudge.away_id == away.id)).all()
        ids = {n.cadence_id for n in held}
        cadences = {c.id: c for c in session.scalars(select(Cadence).where(Cadence.id.in_(ids)))} if ids else {}
        return catch_up_message(away, catch_up_items(held, cadences), held_count=len(held))


def retire(cadence_id: int) -> None:
    """A one-shot cadence that has been posted leaves the lists."""
    with unit_of_work() as session:
        session.execute(
            update(Cadence)
            .where(Cadence.id == cadence_id, Cadence.next_run_at.is_(None))
            .values(status=CadenceStatus.REMOVED)
            .execution_options(synchronize_session=False)
        )


register_kind(
    CATCH_UP,
    CatchUp(),
    listing=ProgramNudge(
        "time away",
        "one DM when you're back, listing what was held",
        "`/cadence away` shows it; `/cadence away off` ends the time away early.",
    ),
)


def _away_home(session: Session, team_id: str, user_id: str, now: datetime) -> list[dict[str, Any]]:
    """App Home's first section: whether nudges to the user are held, with a button to set or end time away."""
    return home_section(open_away(session, team_id=team_id, user_id=user_id), now=now)


register_home_section("away", order=0, build=_away_home)
