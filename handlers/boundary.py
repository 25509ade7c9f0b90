"""The HTTP boundary, in front of Bolt: the signature is checked before a byte is parsed, a malformed request gets a
4xx (never a 500, never a traceback), text loses NUL bytes, and each delivery is handled once (bot/replays).

Bolt parses a body before it checks the signature, answers 500 to a `payload` that isn't JSON, and reads any form
body that merely contains the word "payload" (a command's text, say) as empty; so the body is read here, and Bolt gets
the request with the body as read here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltResponse
from slack_bolt.context import BoltContext
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context

from bot import clock, db, replays
from bot.slack import users
from bot.text import without_nul

log = logging.getLogger("cadence.requests")

SLACK_PATH = "/slack/events"
MAX_BODY_BYTES = 1_000_000  # Slack's largest payloads (a form with a pasted page) are tens of kB
MAX_CLOCK_SKEW_SECONDS = 300  # Slack's own rule: older signed requests are replays


class Malformed(Exception):
    """A request Slack would never send: answered with its HTTP status and a short reason (no user text)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


# ----------------------------------------------------------------------------- signature and reading


def check_signature(raw: bytes, *, timestamp: str, signature: str, secret: str, now: float) -> None:
    """Slack's v0 signature over the raw bytes, within five minutes; raises Malformed(401)."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        raise Malformed(401, "missing, malformed or stale X-Slack-Request-Timestamp")
    expected = "v0=" + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise Malformed(401, "bad X-Slack-Signature")


def read_body(raw: bytes, content_type: str) -> tuple[str, dict[str, Any]]:
    """The body as text and as Slack's payload (a form, a form's `payload` JSON, or JSON); raises Malformed(400)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed(400, "the body isn't UTF-8") from None
    if content_type.startswith("application/json") or text.lstrip().startswith("{"):
        body = _json_object(text, "the body")
    else:
        form = dict(parse_qsl(text, keep_blank_values=True))
        body = _json_object(form["payload"], "`payload`") if "payload" in form else form
    check_shape(body)
    return text, body


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise Malformed(400, f"{what} isn't JSON") from None
    if not isinstance(value, dict):
        raise Malformed(400, f"{what} isn't a JSON object")
    return value


def _text(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def _id_of(value: Any) -> Any:
    return value.get("id") if isinstance(value, dict) else None


def check_shape(body: dict[str, Any]) -> None:
    """The fields every handler reads without checking, per kind of request; raises Malformed(400)."""
    kind = body.get("type")
    if "command" in body:
        if not all(_text(body.get(name)) for name in ("command", "team_id", "user_id", "channel_id")):
            raise Malformed(400, "a slash command needs command, team_id, user_id and channel_id")
        if not isinstance(body.get("text", ""), str):
            raise Malformed(400, "a slash command's text must be text")
    elif kind in ("block_actions", "block_suggestion", "view_submission", "view_closed"):
        if not _text(_id_of(body.get("user"))) or not _text(_id_of(body.get("team")) or body.get("team_id")):
            raise Malformed(400, f"{kind} needs user.id and team.id")
        if kind == "block_actions":
            actions = body.get("actions")
            if not isinstance(actions, list) or not actions:
                raise Malformed(400, "block_actions needs a non-empty actions list")
            if not all(isinstance(a, dict) and _text(a.get("action_id")) for a in actions):
                raise Malformed(400, "each action needs an action_id")
        elif kind == "block_suggestion":
            if not _text(body.get("action_id")):
                raise Malformed(400, "block_suggestion needs an action_id")
        else:
            view = body.get("view")
            if not isinstance(view, dict) or not _text(view.get("id")) or not _text(view.get("callback_id")):
                raise Malformed(400, f"{kind} needs view.id and view.callback_id")
            state = view.get("state", {"values": {}})
            if not isinstance(state, dict) or not isinstance(state.get("values", {}), dict):
                raise Malformed(400, f"{kind} needs view.state.values")
    elif kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict) or not _text(event.get("type")) or not _text(body.get("team_id")):
            raise Malformed(400, "event_callback needs team_id and an event with a type")
        if not _text(body.get("event_id")):
            raise Malformed(400, "event_callback needs event_id")
        if event["type"] == "app_home_opened" and not _text(event.get("user")):
            raise Malformed(400, "app_home_opened needs event.user")
    elif kind == "url_verification":
        if not _text(body.get("challenge")):
            raise Malformed(400, "url_verification needs a challenge")
    elif "ssl_check" not in body:
        raise Malformed(400, "not a kind of request Cadence handles")


# ----------------------------------------------------------------------------- once per delivery


def delivery_key(body: dict[str, Any]) -> tuple[str, str] | None:
    """(team, key) naming a delivery, so a second copy of it is known: events by event_id, commands and clicks by
    trigger_id, a form by its view id and what was typed into it (a form sent back with errors and corrected is a
    new submission; the same values sent twice are one). None for what changes nothing (suggestions, closes)."""
    kind = body.get("type")
    if kind == "event_callback":
        return body.get("team_id") or "", f"event:{body.get('event_id')}"
    team = body.get("team_id") or _id_of(body.get("team")) or (body.get("user") or {}).get("team_id") or ""
    if "command" in body and body.get("trigger_id"):
        return team, f"command:{body['trigger_id']}"
    if kind == "block_actions" and body.get("trigger_id"):
        return team, f"action:{body['trigger_id']}"
    if kind == "view_submission":
        view = body.get("view") or {}
        values = json.dumps((view.get("state") or {}).get("values") or {}, sort_keys=True)
        return team, f"view:{view.get('id')}:{hashlib.sha256(values.encode()).hexdigest()[:40]}"
    return None


def dispatch_once(dispatch: Callable[[BoltRequest], BoltResponse], request: BoltRequest) -> BoltResponse:
    """Run Bolt on a delivery; a copy of one that already made its change is rolled back and told so (bot/replays)."""
    request.body = without_nul(request.body)
    key = delivery_key(request.body)
    if key is not None and not key[0]:
        key = None
    if key is not None and key[1].startswith("event:"):
        return _dispatch_event_once(dispatch, request, *key)
    db.start_request(key)
    users.begin_request()
    try:
        return dispatch(request)
    except db.AlreadyHandled:
        _log_repeat(request)
        return _already_done(request)
    finally:
        db.start_request(None)  # the thread goes back to the server's pool: nothing of this request stays on it
        users.end_request()


def _dispatch_event_once(
    dispatch: Callable[[BoltRequest], BoltResponse], request: BoltRequest, team_id: str, key: str
) -> BoltResponse:
    """Events are claimed before they are handled (bot/replays); a copy that finds the claim is acknowledged only."""
    db.start_request(None)  # the claim is made here, so no write of the handler needs to claim it again
    if not replays.claim_event(team_id=team_id, key=key, now=clock.now()):
        _log_repeat(request)
        return BoltResponse(status=200, body="")
    db.start_request(None)  # the claim's own write is not the handler's: a failure after it saved nothing yet
    try:
        response = dispatch(request)
    except BaseException:
        replays.release_event(team_id=team_id, key=key)
        raise
    finally:
        db.start_request(None)
    if response.status >= 500:
        replays.release_event(team_id=team_id, key=key)
    else:
        replays.event_handled(team_id=team_id, key=key, now=clock.now())
    return response


def _already_done(request: BoltRequest) -> BoltResponse:
    """The answer to a second copy: a plain acknowledgement (a click, a form: the form closes, as the first one's
    did), or for a command a line saying so (whoever sent the copy saw the first one's answer)."""
    if "command" not in request.body:
        return BoltResponse(status=200, body="")
    text = "That was already done: Slack delivered this command twice, and I acted on it once."
    return BoltResponse(
        status=200,
        body=json.dumps({"response_type": "ephemeral", "text": text}),
        headers={"content-type": ["application/json;charset=utf-8"]},
    )


def _log_repeat(request: BoltRequest) -> None:
    retry = (request.headers.get("x-slack-retry-num") or [""])[0]
    reason = (request.headers.get("x-slack-retry-reason") or [""])[0]
    kind = request.body.get("type") or ("command" if "command" in request.body else "")
    log.info(
        "a second copy of a %s was answered without acting retry=%s reason=%s", safe(kind), safe(retry), safe(reason)
    )


class CadenceApp(App):
    """Bolt's App, with each delivery handled once and NUL bytes dropped (HTTP and Socket Mode alike)."""

    def __init__(self, *, signing_secret: str, **options: Any) -> None:
        super().__init__(signing_secret=signing_secret, **options)
        self.signing_secret = signing_secret  # the boundary checks signatures before Bolt parses anything

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        """See dispatch_once; a Socket Mode payload gets the same shape check the HTTP boundary makes."""
        if req.mode == "socket_mode":
            try:
                check_shape(req.body)
            except Malformed as refused:
                log.warning("refused socket mode payload: %s", refused.reason)
                return BoltResponse(status=refused.status, body=refused.reason)
        return dispatch_once(super().dispatch, req)


# ----------------------------------------------------------------------------- WSGI


def safe(value: Any, limit: int = 40) -> str:
    """An id-like value fit for a log line: letters, digits and `._:/-` only, so a newline can't forge a line."""
    text = str(value)[:limit]
    return "".join(c if c.isascii() and (c.isalnum() or c in "._:/-") else "?" for c in text) or "-"


class SlackBoundary:
    """The WSGI application Slack talks to: checks and reads each request, then hands it to Bolt."""

    def __init__(self, app: App, *, signing_secret: str, path: str = SLACK_PATH) -> None:
        from slack_bolt.adapter.wsgi import SlackRequestHandler

        self.app = app
        self.secret = signing_secret
        self.path = path
        # GETs and other paths: Bolt's own answers. In OAuth mode its handler serves GET /slack/install and
        # /slack/oauth_redirect (the flow checks the state cookie and parameter itself); otherwise a 404.
        self.fallback = SlackRequestHandler(app, path)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Answer one HTTP request."""
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != self.path:
            return self.fallback(environ, start_response)
        try:
            response = self._handle(environ)
        except Malformed as refused:
            log.warning("refused request: %d %s (%d bytes)", refused.status, refused.reason, _length(environ))
            response = BoltResponse(status=refused.status, body=refused.reason + "\n")
        headers = [(k, v) for k, values in response.headers.items() for v in values if k.lower() != "content-length"]
        body = response.body.encode("utf-8")
        start_response(_status_line(response.status), [*headers, ("content-length", str(len(body)))])
        return [body]

    def _handle(self, environ: dict[str, Any]) -> BoltResponse:
        length = _length(environ)
        if length < 0:
            raise Malformed(400, "missing or malformed Content-Length")
        if length > MAX_BODY_BYTES:
            raise Malformed(413, "body too large")
        raw = environ["wsgi.input"].read(length)
        check_signature(
            raw,
            timestamp=environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""),
            signature=environ.get("HTTP_X_SLACK_SIGNATURE", ""),
            secret=self.secret,
            now=time.time(),
        )
        text, body = read_body(raw, environ.get("CONTENT_TYPE", ""))
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
        request = BoltRequest(body="", query=environ.get("QUERY_STRING", ""), headers=headers)
        request.raw_body = text  # Bolt checks the signature again over this
        request.body = body
        request.context = build_context(BoltContext({}), body)
        return self.app.dispatch(request)


def _length(environ: dict[str, Any]) -> int:
    try:
        return int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return -1


def _status_line(status: int) -> str:
    from http import HTTPStatus

    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


class WithoutBodies(logging.Filter):
    """Bolt's own warnings quote the request ("Unhandled request ({…})", a middleware's "({body})"): keep the words,
    drop what follows, because a body is people's text."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        message = record.getMessage()
        cut = min((i for i in (message.find(" ("), message.find("{")) if i >= 0), default=-1)
        if cut >= 0:
            record.msg, record.args = message[:cut] + " (request body not logged)", ()
        return True


def quiet_bolt_logger() -> logging.Logger:
    """The logger Bolt's parts copy their level and filters from (slack_bolt.logger._configure_from_base_logger)."""
    logger = logging.getLogger("cadence.bolt")
    logger.setLevel(logging.INFO)  # Bolt builds its debug lines whenever its level admits them: that costs per request
    if not any(isinstance(f, WithoutBodies) for f in logger.filters):
        logger.addFilter(WithoutBodies())
    return logger
