"""`python app.py forget --team T… --user U…`: remove one person's personal data and keep the programs' records.

What is personal here is what Slack's profile said of her (name, time zone, status), her time away, the text of
DMs held for her, and her name wherever it was written. Her user id is not removed: it is how a reminder, an item,
a score or an audit row keeps its owner, and those stay. Decided column by column:

- slack_user, her row (real and display name, time zone, status text/emoji/expiry, admin flag): deleted.
- away_offer, her rows (`status_key`: her Slack status text and emoji): deleted.
- away, her rows (her holiday's days and zone): deleted; their catch-up reminders are removed and unsent ones
  cancelled.
- held_nudge of her time away (`summary`: the text of a DM to her, as it would have been posted): deleted.
- audit_event `away.*` rows she made (`detail`: her holiday's days): detail emptied; the row (who, what, when) stays.
- working_group_member, her roles (`person_name`, `title`, `username` as a page wrote them): blanked; role and user
  id stay.
- action_item she owns (`owner_name`): blanked; owner id, text and dates stay.
- Every text and JSON column of every workspace table: her names (Slack's real and display name, the names written
  for her roles and items) are replaced by `[forgotten]`: a name of two words or more wherever it stands as whole
  words, in any case; a one-word name only where it is the whole value of a field that holds names (`person_name`,
  `owner_name`, a JSON `name` …): a handle like `will` is also a word, and a person named Cadence must not turn the
  code's own `cadence` (an audit row's subject type) into `[forgotten]`.
- Kept: cadence, delivery, every program's rows and the audit rows' who, what and when (ids, dates, outcomes,
  scores, what was asked).

Names shorter than three characters are not searched for: they would match other words. Slack keeps its own copy of
her profile: if she uses Cadence again, or a `user_change` event or a directory read arrives, what Slack then says is
stored again, as for anyone. Running it twice removes nothing the second time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, String, Table, delete, select, update
from sqlalchemy.orm import Session

from bot.admin.export import team_tables
from models import (
    ActionItem,
    AuditEvent,
    Away,
    AwayOffer,
    Cadence,
    CadenceStatus,
    Delivery,
    DeliveryStatus,
    HeldNudge,
    SlackUser,
    WorkingGroupMember,
)

FORGOTTEN = "[forgotten]"
MIN_NAME_LENGTH = 3
USER_ID = re.compile(r"[UW][A-Z0-9_]{2,}")
_UNSENT = (DeliveryStatus.PENDING, DeliveryStatus.UNKNOWN)


@dataclass(slots=True)
class ForgetReport:
    """What was removed, as (what, how many) in the order done; `lines()` is what the CLI prints."""

    team_id: str
    user_id: str
    counts: list[tuple[str, int]] = field(default_factory=list)

    def add(self, what: str, count: int) -> None:
        """Note `count` things removed (nothing is noted for 0)."""
        if count:
            self.counts.append((what, count))

    def lines(self) -> list[str]:
        """One line per kind of data removed, or one saying there was nothing left to remove."""
        if not self.counts:
            return [f"Nothing personal of {self.user_id} is left in workspace {self.team_id}: nothing to remove."]
        head = f"Forgot {self.user_id} in workspace {self.team_id}; their reminders, items, scores and audit rows stay:"
        return [head] + [f"  {what}: {count}" for what, count in self.counts]


def forget_person(session: Session, *, team_id: str, user_id: str) -> ForgetReport:
    """Remove the person's personal data from the workspace, as the module's list decides, in the caller's
    transaction; raises nothing for a person the workspace never knew (the report is then empty)."""
    report = ForgetReport(team_id, user_id)
    names = names_of(session, team_id=team_id, user_id=user_id)
    _forget_time_away(session, report, team_id=team_id, user_id=user_id)
    report.add(
        "status offers deleted (away_offer)",
        _deleted(session, AwayOffer, AwayOffer.team_id == team_id, AwayOffer.user_id == user_id),
    )
    report.add(
        "Slack profile copies deleted (slack_user)",
        _deleted(session, SlackUser, SlackUser.team_id == team_id, SlackUser.user_id == user_id),
    )
    mine = (WorkingGroupMember.team_id == team_id, WorkingGroupMember.user_id == user_id)
    written = WorkingGroupMember.person_name.is_not(None) | WorkingGroupMember.title.is_not(None)
    blanked = update(WorkingGroupMember).where(*mine, written | WorkingGroupMember.username.is_not(None))
    report.add(
        "names, titles and usernames blanked on roles (working_group_member)",
        _changed(session, blanked.values(person_name=None, title=None, username=None)),
    )
    owned = (ActionItem.team_id == team_id, ActionItem.owner_id == user_id, ActionItem.owner_name.is_not(None))
    report.add(
        "owner names blanked on action items (action_item)",
        _changed(session, update(ActionItem).where(*owned).values(owner_name=None)),
    )
    holiday = (AuditEvent.team_id == team_id, AuditEvent.actor_id == user_id, AuditEvent.action.startswith("away."))
    emptied = [event for event in session.scalars(select(AuditEvent).where(*holiday)) if event.detail]
    for event in emptied:
        event.detail = {}
    report.add("time-away details emptied in the audit trail (audit_event)", len(emptied))
    session.flush()
    for table, column, count in redact_names(session, team_id=team_id, names=names):
        report.add(f"name replaced by {FORGOTTEN} in {table}.{column}", count)
    return report


def _forget_time_away(session: Session, report: ForgetReport, *, team_id: str, user_id: str) -> None:
    """Her time away goes, with the nudges held for it; its catch-up (a reminder only for her) stops."""
    aways = list(session.scalars(select(Away).where(Away.team_id == team_id, Away.user_id == user_id)))
    away_ids = [away.id for away in aways]
    catch_ups = [away.catch_up_cadence_id for away in aways if away.catch_up_cadence_id is not None]
    if not aways:
        return
    report.add(
        "held DM texts deleted (held_nudge)",
        _deleted(session, HeldNudge, HeldNudge.team_id == team_id, HeldNudge.away_id.in_(away_ids)),
    )
    for away in aways:
        session.delete(away)
    session.flush()
    report.add("time away deleted (away)", len(aways))
    if catch_ups:
        stopped = update(Cadence).where(Cadence.id.in_(catch_ups), Cadence.status != CadenceStatus.REMOVED)
        report.add(
            "catch-up reminders removed (cadence)",
            _changed(session, stopped.values(status=CadenceStatus.REMOVED, next_run_at=None)),
        )
        unsent = update(Delivery).where(Delivery.cadence_id.in_(catch_ups), Delivery.status.in_(_UNSENT))
        report.add(
            "unsent catch-ups cancelled (delivery)",
            _changed(session, unsent.values(status=DeliveryStatus.CANCELLED)),
        )


def names_of(session: Session, *, team_id: str, user_id: str) -> list[str]:
    """Every name known for the person in the workspace, longest first: Slack's real and display names, and the
    names pages wrote for her roles and items; names under MIN_NAME_LENGTH characters are left out."""
    found: set[str] = set()
    profile = session.execute(
        select(SlackUser.real_name, SlackUser.display_name).where(
            SlackUser.team_id == team_id, SlackUser.user_id == user_id
        )
    ).first()
    found.update(profile or ())
    found.update(
        session.scalars(
            select(WorkingGroupMember.person_name).where(
                WorkingGroupMember.team_id == team_id, WorkingGroupMember.user_id == user_id
            )
        )
    )
    found.update(
        session.scalars(
            select(ActionItem.owner_name).where(ActionItem.team_id == team_id, ActionItem.owner_id == user_id)
        )
    )
    names = {" ".join(name.split()) for name in found if name}
    return sorted((n for n in names if len(n) >= MIN_NAME_LENGTH), key=lambda n: (-len(n), n))


def redact_names(session: Session, *, team_id: str, names: list[str]) -> list[tuple[str, str, int]]:
    """Replace her names in every text and JSON column of every workspace table; returns (table, column, values
    changed) for each column that changed. A name of two words or more is replaced wherever it stands as whole
    words, in any case; a one-word name only where it is the whole value: a handle such as `will` or `docs` is
    also an ordinary word, and replacing it inside sentences would rewrite everyone's records."""
    if not names:
        return []
    redact = name_redactor(names)
    changed: list[tuple[str, str, int]] = []
    for table in team_tables():
        columns = _text_columns(table)
        if not columns:
            continue
        keys = list(table.primary_key.columns)
        counts = dict.fromkeys((c.name for c in columns), 0)
        for row in session.execute(select(*keys, *columns).where(table.c.team_id == team_id)).all():
            values = {}
            for column in columns:
                before = row._mapping[column]
                after = redact(before, names_here=holds_names(column.name))
                if after != before:
                    values[column.name] = after
                    counts[column.name] += 1
            if values:
                session.execute(update(table).where(*(key == row._mapping[key] for key in keys)).values(**values))
        changed += [(table.name, name, count) for name, count in counts.items() if count]
    return changed


def holds_names(field: str) -> bool:
    """Whether a column (or a JSON key) is where a person's name is written (`person_name`, `owner_name`, `name`,
    `username` …): only there does a one-word name count when it is the whole value. Elsewhere a whole value of one
    word is as likely the code's own (`cadence` in `subject_type`, a role `member`, a program `okr`)."""
    field = field.casefold()
    return "name" in field or field in ("who", "owner", "person")


def name_redactor(names: list[str]) -> Callable[..., Any]:
    """A function that gives a value back with her names replaced, inside JSON lists and objects too (their keys are
    the code's, kept): a name of two words or more wherever it stands as whole words; a one-word name only as the
    whole value of a field that holds names (`names_here`, or a JSON key that says so)."""
    whole_values = {name.casefold() for name in names}
    spans = [r"\s+".join(re.escape(word) for word in name.split()) for name in names if len(name.split()) > 1]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(spans) + r")(?!\w)", re.IGNORECASE) if spans else None

    def redact(value: Any, *, names_here: bool = False) -> Any:
        if isinstance(value, str):
            if names_here and " ".join(value.split()).casefold() in whole_values:
                return FORGOTTEN
            return pattern.sub(FORGOTTEN, value) if pattern else value
        if isinstance(value, list):
            return [redact(item, names_here=names_here) for item in value]
        if isinstance(value, dict):
            return {key: redact(item, names_here=names_here or holds_names(str(key))) for key, item in value.items()}
        return value

    return redact


def _text_columns(table: Table) -> list[Any]:
    """The columns people's words can be in: text and JSON, not keys (ids are not names)."""
    return [
        column
        for column in table.c
        if isinstance(column.type, String | JSON) and not column.primary_key and not column.foreign_keys
    ]


def _deleted(session: Session, model: Any, *where: Any) -> int:
    return session.execute(delete(model).where(*where).execution_options(synchronize_session=False)).rowcount


def _changed(session: Session, statement: Any) -> int:
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount
