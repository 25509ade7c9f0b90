"""The HTTP boundary: signatures before parsing, a 4xx (never a 500) for what Slack would never send, no user text in
the logs, NUL bytes dropped the same way on both databases."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot import db as bot_db
from devtools.app_client import AppClient
from devtools.signing import block_actions_body, command_body, event_body, post_signed
from devtools.slack_stand_in import SlackStandIn
from handlers.replies import oops
from models import AuditEvent, Base, Cadence
from tests.conftest import SIGNING_SECRET, TEAM_ID

SECRET_WORDS = "PRIVATE-PLANS-4711"


def row_counts(db: Session) -> dict[str, int]:
    """Every table's row count: what "changes nothing" is checked against."""
    db.expire_all()
    return {table.name: db.scalar(select(func.count()).select_from(table)) for table in Base.metadata.sorted_tables}


def raw_post(url: str, data: bytes, headers: dict[str, str]) -> int:
    """POST bytes with exactly these headers; the HTTP status."""
    from urllib.error import HTTPError
    from urllib.request import Request, urlopen

    try:
        with urlopen(Request(url, data=data, method="POST", headers=headers), timeout=5) as response:
            return response.status
    except HTTPError as error:
        return error.code


def signed_headers(data: bytes, *, timestamp: str | None = None, content_type: str) -> dict[str, str]:
    import hashlib
    import hmac

    ts = timestamp or str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + ts.encode() + b":" + data, hashlib.sha256).hexdigest()
    return {"X-Slack-Signature": f"v0={digest}", "X-Slack-Request-Timestamp": ts, "Content-Type": content_type}


FORM = "application/x-www-form-urlencoded"


def payload_form(payload: object) -> bytes:
    return urlencode({"payload": payload if isinstance(payload, str) else json.dumps(payload)}).encode()


def test_an_unsigned_body_that_isnt_json_is_refused_before_it_is_read(app_url: str, db: Session) -> None:
    before = row_counts(db)
    for body, content_type in ((b"{not json", "application/json"), (b"payload=%7Bnope", FORM), (b"\xff\xfe", FORM)):
        assert raw_post(app_url, body, {"Content-Type": content_type}) == 401
        assert raw_post(app_url, body, {"Content-Type": content_type, "X-Slack-Signature": "v0=00"}) == 401
    assert row_counts(db) == before


MALFORMED = {
    "payload isn't JSON": payload_form("{oops"),
    "payload is a JSON list": payload_form([1, 2]),
    "block_actions without actions": payload_form(
        {"type": "block_actions", "user": {"id": "U_ALICE"}, "team": {"id": TEAM_ID}}
    ),
    "block_actions with empty actions": payload_form(
        {"type": "block_actions", "user": {"id": "U_ALICE"}, "team": {"id": TEAM_ID}, "actions": []}
    ),
    "an action without action_id": payload_form(
        {"type": "block_actions", "user": {"id": "U_ALICE"}, "team": {"id": TEAM_ID}, "actions": [{"value": "1"}]}
    ),
    "block_actions without a user": payload_form(
        {
            "type": "block_actions",
            "team": {"id": TEAM_ID},
            "actions": [{"action_id": "cadence.nudge.done", "value": "1"}],
        }
    ),
    "view_submission without a view": payload_form(
        {"type": "view_submission", "user": {"id": "U_ALICE"}, "team": {"id": TEAM_ID}}
    ),
    "view_submission whose state isn't an object": payload_form(
        {
            "type": "view_submission",
            "user": {"id": "U_ALICE"},
            "team": {"id": TEAM_ID},
            "view": {"id": "V1", "callback_id": "cadence.modal.submit", "state": []},
        }
    ),
    "an unknown payload type": payload_form({"type": "nonsense", "user": {"id": "U_ALICE"}}),
    "a form that is no command": urlencode({"team_id": TEAM_ID, "text": "hi"}).encode(),
    "a command without a user": urlencode(
        {"command": "/cadence", "team_id": TEAM_ID, "channel_id": "C_GENERAL", "text": "list"}
    ).encode(),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_signed_but_malformed_interaction_gets_400_and_changes_nothing(
    case: str, app_url: str, db: Session, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    before = row_counts(db)
    data = MALFORMED[case]
    with caplog.at_level(logging.INFO):
        assert raw_post(app_url, data, signed_headers(data, content_type=FORM)) == 400
    assert row_counts(db) == before
    assert slack.calls("chat.postMessage") == [] and slack.calls("chat.update") == []
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_signed_events_missing_what_handlers_read_get_400(app_url: str, db: Session, slack: SlackStandIn) -> None:
    before = row_counts(db)
    home_without_user = json.loads(event_body({"type": "app_home_opened", "tab": "home"}))
    without_event_id = json.loads(event_body({"type": "app_home_opened", "user": "U_ALICE", "tab": "home"}))
    del without_event_id["event_id"]
    for body in (home_without_user, without_event_id, {"type": "event_callback", "team_id": TEAM_ID, "event": "x"}):
        data = json.dumps(body).encode()
        assert raw_post(app_url, data, signed_headers(data, content_type="application/json")) == 400
    assert slack.calls("views.publish") == [] and row_counts(db) == before


def test_a_non_numeric_or_stale_timestamp_and_bytes_that_arent_utf8_get_4xx(app_url: str, db: Session) -> None:
    before = row_counts(db)
    data = command_body("/cadence", "list", user_id="U_ALICE", channel_id="C_GENERAL").encode()
    assert raw_post(app_url, data, signed_headers(data, timestamp="12:00", content_type=FORM)) == 401
    assert (
        raw_post(app_url, data, signed_headers(data, timestamp=str(int(time.time()) - 3600), content_type=FORM)) == 401
    )
    latin1 = urlencode(
        {
            "command": "/cadence",
            "team_id": TEAM_ID,
            "user_id": "U_ALICE",
            "channel_id": "C_GENERAL",
            "text": 'add "Café" every monday at 09:30',
        },
        encoding="latin-1",
    ).encode()
    not_utf8 = latin1.replace(b"%E9", b"\xe9")
    assert raw_post(app_url, not_utf8, signed_headers(not_utf8, content_type=FORM)) == 400
    too_big = b"x" * 1_000_001
    assert raw_post(app_url, too_big, signed_headers(too_big, content_type=FORM)) == 413
    assert row_counts(db) == before


def test_a_command_whose_text_says_payload_is_read_as_the_command(app: AppClient, db: Session) -> None:
    # Bolt alone reads any form body containing the word "payload" as empty, so this command got no answer.
    reply = app.command("/cadence", 'add "Check the payload sizes" every monday at 09:30', user="U_ALICE")
    assert reply.status == 200 and "Saved reminder" in reply.text
    assert db.scalars(select(Cadence.title)).all() == ["Check the payload sizes"]


def test_a_nul_byte_is_dropped_the_same_way_on_both_databases(app: AppClient, db: Session) -> None:
    reply = app.command("/cadence", 'add "Weekly\x00 sync" every monday at 09:30', user="U_ALICE")
    assert reply.status == 200 and "Something went wrong" not in reply.all_text()
    assert db.scalars(select(Cadence.title)).all() == ["Weekly sync"]


def test_a_nul_byte_from_any_entry_point_is_stored_without_it_on_both_databases(db: Session) -> None:
    from datetime import UTC, datetime

    with bot_db.unit_of_work() as session:  # as a CLI import or the console would write it
        session.add(
            Cadence(
                team_id=TEAM_ID,
                title="Page\x00 one",
                rule={"kind": "weekly"},
                channel_id="C_GENERAL",
                recipient_ids=["U_ALICE"],
                created_by="U_ALICE",
                next_run_at=datetime(2027, 1, 1, tzinfo=UTC),
            )
        )
    db.expire_all()
    stored = db.scalars(select(Cadence)).one()
    assert stored.title == "Page one"  # JSON columns escape it (\\u0000), which both databases take


def test_the_log_has_ids_and_sizes_never_what_people_wrote(
    app: AppClient, app_url: str, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        app.command("/cadence", f'add "{SECRET_WORDS}" every monday at 09:30', user="U_ALICE")
        app.command("/cadence", f'add "{SECRET_WORDS}" every someday', user="U_ALICE")  # refused
        unhandled = block_actions_body("no.such.button", SECRET_WORDS, user_id="U_ALICE", channel_id="C_GENERAL")
        post_signed(app_url, unhandled, SIGNING_SECRET)
        forged = command_body(
            "/cadence", "list", user_id="U_ALICE\nINFO cadence: admin granted", channel_id="C_GENERAL"
        )
        post_signed(app_url, forged, SIGNING_SECRET)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert SECRET_WORDS not in logged and SECRET_WORDS not in caplog.text
    assert "team=T0001 user=U_ALICE" in logged  # the request log is still there, with ids
    assert not any("\n" in record.getMessage() for record in caplog.records)  # a newline can't start a forged line


def test_an_unexpected_database_error_is_logged_without_what_people_wrote(
    db: Session, caplog: pytest.LogCaptureFixture
) -> None:
    bot_db.start_request()
    with pytest.raises(Exception) as raised:  # either database's own error
        with bot_db.unit_of_work() as session:
            session.execute(text("INSERT INTO audit_event (id) VALUES (:secret)"), {"secret": SECRET_WORDS})
    with caplog.at_level(logging.INFO):
        said = oops(raised.value)
    assert "Nothing was saved" in said
    assert "unexpected error, ref" in caplog.text and SECRET_WORDS not in caplog.text
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_a_socket_mode_payload_gets_the_same_checks_and_the_same_once_rule(
    database_url: str, slack: SlackStandIn
) -> None:
    from slack_bolt.request import BoltRequest

    from handlers.web import build_app
    from tests.conftest import settings_for

    app = build_app(settings_for(slack.url))
    empty_actions = {"type": "block_actions", "user": {"id": "U_ALICE"}, "team": {"id": TEAM_ID}, "actions": []}
    assert app.dispatch(BoltRequest(body=empty_actions, mode="socket_mode")).status == 400
    command = dict(
        parse_qsl(
            command_body("/cadence", 'add "Sync" every monday at 09:30', user_id="U_ALICE", channel_id="C_GENERAL")
        )
    )
    first = app.dispatch(BoltRequest(body=dict(command), mode="socket_mode"))
    second = app.dispatch(BoltRequest(body=dict(command), mode="socket_mode"))
    assert first.status == second.status == 200
    assert "Saved reminder" in first.body and "already done" in second.body
