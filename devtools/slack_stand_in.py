"""A local stand-in for Slack's Web API: a real HTTP server that `WebClient(base_url=stand_in.url)` talks to.

It keeps messages per channel with real-looking, strictly increasing `ts` values, records every call, validates
Block Kit the way `slack_sdk.models` does, and can answer 429, 5xx, an `ok: false` error, or a slow response after the
call was processed ("posted, outcome unknown"). `set_latency` makes it answer at Slack's pace (every call, or one
method), and `in_flight_peak` says how many calls of a method it was answering at once. Response shapes follow
/work/shared/slack/slack_web_openapi_v2.json; message metadata, which that spec predates, follows the live
chat.postMessage / conversations.history docs.

No pytest imports: the console uses this module too.

    with SlackStandIn() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.url)
        client.chat_postMessage(channel="C_GENERAL", text="hi")
        assert slack.messages("C_GENERAL")[-1]["text"] == "hi" and slack.problems == []
"""

from __future__ import annotations

import base64
import copy
import json
import re
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

TEAM_ID = "T0001"
TEAM_DOMAIN = "cadence-test"
APP_ID = "A0001"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
BOT_NAME = "cadence"
DEFAULT_CHANNELS = {"C_GENERAL": "general", "C_RANDOM": "random"}
# The app's credentials for oauth.v2.access (Basic auth, as slack_sdk sends them), and what the tokens it issues
# look like: a token of that shape it didn't issue (or revoked, or expired) is refused as Slack refuses it.
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "stand-in-client-secret"
ISSUED_PREFIX = "xoxb-i-"
REFRESH_PREFIX = "xoxe-1-"
CLIENT_AUTH_METHODS = ("oauth.v2.access",)  # methods that take the app's credentials, not a token

MAX_TEXT_LENGTH = 40_000  # chat.postMessage: longer text fails with msg_too_long
MAX_MESSAGE_BLOCKS = 50  # a message takes at most 50 blocks; views allow 100 (View checks that itself)
JSON_PARAMS = ("blocks", "attachments", "metadata", "view")  # form-encoded callers send these as JSON strings
_POSTABLE_ID = re.compile(r"^[CG][A-Z0-9_]+$")  # unknown ids of this shape are created on first post


@dataclass(frozen=True, slots=True)
class _Fault:
    """One upcoming misbehaviour for one method."""

    kind: str  # "fail" | "rate_limit" | "time_out" | "error"
    status: int = 200
    retry_after: int = 0
    delay: float = 0.0
    error: str = ""
    channel: str | None = None  # only calls with this `channel` param (None: any call)


class _ApiError(Exception):
    """A Slack `ok: false` answer; with `problem` it also lands in `SlackStandIn.problems` (Slack would reject it)."""

    def __init__(self, error: str, detail: str | None = None, *, problem: bool = False) -> None:
        super().__init__(error)
        self.error = error
        self.detail = detail
        self.problem = problem

    def body(self) -> dict[str, Any]:
        """The JSON body Slack would answer with."""
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.detail:
            body["detail"] = self.detail
        return body


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a delayed (time_out_next) response must never keep the process alive
    # socketserver's default listen backlog is 5: under load (bench/load.py: several processes calling at once) a
    # sixth waiting connection was dropped and its client retried a second later; Slack itself refuses none.
    request_queue_size = 128

    def __init__(self, stand_in: SlackStandIn) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stand_in = stand_in

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: the only errors left here are clients that hung up (a timed-out WebClient)."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        self.server.stand_in._serve(self)

    def do_GET(self) -> None:
        self.server.stand_in._serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean; `calls()` is the request log."""


class SlackStandIn:
    """Slack's Web API on 127.0.0.1: messages per channel, users, views, a call log, Block Kit checks and faults."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._methods: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.delete": self._chat_delete,
            "conversations.open": self._conversations_open,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "conversations.info": self._conversations_info,
            "conversations.members": self._conversations_members,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.info": self._files_info,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.completeUploadExternal": self._files_complete_upload_external,
            "conversations.create": self._conversations_create,
            "conversations.invite": self._conversations_invite,
            "oauth.v2.access": self._oauth_v2_access,
        }
        self._issued = 0  # never reset: a token issued in one test is never issued again in another
        self.reset()

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> SlackStandIn:
        """Serve on a free port in a daemon thread; raises RuntimeError if already started."""
        if self._server is not None:
            raise RuntimeError("SlackStandIn is already running")
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever, name="slack-stand-in", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; responses still being delayed by time_out_next are dropped. Safe to call twice."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        """`http://127.0.0.1:PORT/`; raises RuntimeError before start()."""
        if self._server is None:
            raise RuntimeError("SlackStandIn is not running; call start() or use it as a context manager")
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    @property
    def url(self) -> str:
        """WebClient base_url, `http://127.0.0.1:PORT/api/`; raises RuntimeError before start()."""
        return self.root_url + "api/"

    def response_url(self, name: str = "default") -> str:
        """A response_url served here: what the app POSTs to it shows up in `responses(name)`."""
        return f"{self.root_url}hooks/{name}"

    # ----------------------------------------------------------------- set-up API for tests

    def reset(self) -> None:
        """Forget messages, calls, views, users, faults and problems; keep serving; re-add the default channels."""
        with self._lock:
            self.problems: list[str] = []
            self._calls: list[tuple[str, dict[str, Any]]] = []
            self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
            self._users: dict[str, dict[str, Any]] = {}
            self._files: dict[str, dict[str, Any]] = {}
            self._uploads: dict[str, dict[str, Any]] = {}  # files.getUploadURLExternal → upload POST → complete
            self._channels: dict[str, dict[str, Any]] = {}
            self._dm_by_user: dict[str, str] = {}
            self._messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
            self._ephemerals: list[dict[str, Any]] = []
            self._views: dict[str, dict[str, Any]] = {}
            self._view_owner: dict[str, str] = {}
            self._opened_views: list[dict[str, Any]] = []
            self._published: dict[str, list[dict[str, Any]]] = defaultdict(list)
            self._responses: list[dict[str, Any]] = []
            self._counter = 0
            self._latency: dict[str | None, float] = {}  # method (None: every call) → seconds before answering
            self._every: dict[str, tuple[int, _Fault]] = {}  # method → (n, fault): every n-th call faults
            self._seen: dict[str, int] = defaultdict(int)
            self._spans: list[tuple[str, float, float]] = []  # (method, received, answered), time.monotonic()
            # The messages are gone, so ts need only increase from here on, and may follow a travelled clock.
            self._last_ts = 0
            self._installs: dict[str, dict[str, Any]] = {}  # code → the workspace or org it installs into
            self._tokens: dict[str, dict[str, Any]] = {}  # issued token → its install, expiry and whether revoked
            self._refresh_tokens: dict[str, dict[str, Any]] = {}  # unused refresh token → its install
            self._call_token: str | None = None  # the token of the call being processed (the lock is held)
            self.add_user(BOT_USER_ID, name=BOT_NAME, real_name="Cadence", display_name="Cadence", is_bot=True)
            for channel_id, name in DEFAULT_CHANNELS.items():
                self.add_channel(channel_id, name)

    def add_user(
        self,
        user_id: str,
        name: str | None = None,
        tz: str = "UTC",
        real_name: str | None = None,
        display_name: str | None = None,
        is_admin: bool = False,
        *,
        is_bot: bool = False,
        email: str | None = None,
    ) -> dict[str, Any]:
        """Add (or replace) a workspace member, who also joins #general; raises ZoneInfoNotFoundError for a bad tz."""
        ZoneInfo(tz)  # fail here, in set-up, rather than inside users.info
        name = name or user_id.lower()
        real_name = real_name if real_name is not None else name.title()
        user = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "deleted": False,
            "color": "9f69e7",
            "real_name": real_name,
            "tz": tz,
            "is_admin": is_admin,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(time.time()),
            "profile": {
                "real_name": real_name,
                "real_name_normalized": real_name,
                "display_name": display_name if display_name is not None else name,
                "display_name_normalized": display_name if display_name is not None else name,
                "email": email or f"{name}@{TEAM_DOMAIN}.example.com",
                "team": TEAM_ID,
                **({"bot_id": BOT_ID, "api_app_id": APP_ID} if is_bot else {}),
            },
        }
        with self._lock:
            self._users[user_id] = user
            general = self._channels.get("C_GENERAL")
            if general is not None and user_id not in general["members"]:
                general["members"].append(user_id)
        return copy.deepcopy(user)

    def change_user(self, user_id: str, **changes: Any) -> dict[str, Any]:
        """Change a member as Slack would (`tz`, `real_name`, `is_admin`…; `profile` keys merge into the profile) and
        return the `user_change` event Slack then sends, carrying the whole user as users.info shows it; raises
        KeyError for an unknown member, ZoneInfoNotFoundError for a bad tz."""
        if "tz" in changes:
            ZoneInfo(changes["tz"])
        with self._lock:
            user = self._users[user_id]
            user["profile"].update(changes.pop("profile", {}))
            user.update(changes, updated=int(time.time()))
            return {"type": "user_change", "user": _with_tz_offset(user), "cache_ts": int(time.time())}

    def set_status(self, user_id: str, text: str = "", emoji: str = "", expiration: int = 0) -> None:
        """Set a member's Slack status, as users.info shows it in `profile` (expiration: epoch seconds, 0 = none)."""
        with self._lock:
            self._users[user_id]["profile"].update(status_text=text, status_emoji=emoji, status_expiration=expiration)

    def add_channel(
        self, channel_id: str, name: str | None = None, members: Iterable[str] = (), *, is_private: bool = False
    ) -> None:
        """Add (or replace) a channel; `members` are user ids (the bot is only a member if listed)."""
        with self._lock:
            self._channels[channel_id] = {
                "id": channel_id,
                "name": name or channel_id.lower(),
                "is_im": False,
                "is_private": is_private,
                "members": list(members),
                "created": int(time.time()),
            }

    def add_message(
        self,
        channel: str,
        text: str = "",
        *,
        user: str,
        blocks: list[dict[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
        thread_ts: str | None = None,
    ) -> str:
        """Put a message from a person (not the bot) into a channel, as if typed in Slack; returns its ts."""
        with self._lock:
            channel_id = self._resolve(channel, allow_user=True, create=True)
            message: dict[str, Any] = {"type": "message", "ts": self._next_ts(), "user": user, "team": TEAM_ID}
            message["text"] = text
            if blocks is not None:
                message["blocks"] = copy.deepcopy(blocks)
            if metadata is not None:
                message["metadata"] = copy.deepcopy(metadata)
            if thread_ts is not None:
                message["thread_ts"] = thread_ts
            self._messages[channel_id].append(message)
            return message["ts"]

    def dm_channel(self, user_id: str) -> str:
        """The D… id of the bot's DM with `user_id`, opening it if needed (as conversations.open does)."""
        with self._lock:
            return self._open_dm(user_id)

    # ----------------------------------------------------------------- what tests read

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Messages in a channel (C…/D… id, or a user id for the bot's DM), oldest first, with metadata and replies."""
        with self._lock:
            channel_id = self._dm_by_user.get(channel, channel)
            return copy.deepcopy(self._messages.get(channel_id, []))

    def ephemerals(self, channel: str | None = None, user: str | None = None) -> list[dict[str, Any]]:
        """Ephemeral messages sent, oldest first, optionally only in `channel` (or a user's DM) and/or to `user`."""
        with self._lock:
            channel_id = self._dm_by_user.get(channel, channel) if channel else None
            return copy.deepcopy(
                [
                    e
                    for e in self._ephemerals
                    if (channel_id is None or e["channel"] == channel_id) and (user is None or e["user"] == user)
                ]
            )

    def files_shared(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Files uploaded (files_upload_v2's three steps done), oldest first, optionally only those shared in `channel`
        (a C…/D… id, or a user id for the bot's DM): id, name, title, content (bytes), channels."""
        with self._lock:
            channel_id = self._dm_by_user.get(channel, channel) if channel else None
            return copy.deepcopy(
                [
                    f
                    for f in self._files.values()
                    if "channels" in f and (channel_id is None or channel_id in f["channels"])
                ]
            )

    def calls(self, method: str) -> list[dict[str, Any]]:
        """Every request received for `method` (faulted ones too), oldest first: params plus "token"."""
        with self._lock:
            return [copy.deepcopy(params) for name, params in self._calls if name == method]

    def methods_called(self) -> list[str]:
        """Names of every method called, in order (e.g. assert no Slack call at all: `== []`)."""
        with self._lock:
            return [name for name, _ in self._calls]

    def views_published(self, user_id: str) -> list[dict[str, Any]]:
        """Every Home tab view published to (or updated for) `user_id`, oldest first; [-1] is what they see."""
        with self._lock:
            return copy.deepcopy(self._published.get(user_id, []))

    def views_opened(self) -> list[dict[str, Any]]:
        """Every modal opened or pushed (views.open / views.push), oldest first, as stored (with "id")."""
        with self._lock:
            return copy.deepcopy(self._opened_views)

    def view(self, view_id: str) -> dict[str, Any]:
        """The current version of a view by id; raises KeyError if unknown."""
        with self._lock:
            return copy.deepcopy(self._views[view_id])

    def responses(self, name: str | None = None) -> list[dict[str, Any]]:
        """JSON bodies POSTed to `response_url(name)` (all of them when name is None), oldest first."""
        with self._lock:
            return [copy.deepcopy(r["body"]) for r in self._responses if name is None or r["name"] == name]

    # ----------------------------------------------------------------- fault injection

    def fail_next(self, method: str, status: int = 500, *, times: int = 1, channel: str | None = None) -> None:
        """The next `times` calls of `method` (to `channel`, when given) answer HTTP `status` and are not processed."""
        self._queue(method, _Fault("fail", status=status, channel=channel), times)

    def rate_limit_next(
        self, method: str, retry_after: int = 30, *, times: int = 1, channel: str | None = None
    ) -> None:
        """The next `times` calls of `method` (to `channel`, when given) answer 429 with Retry-After, unprocessed."""
        self._queue(method, _Fault("rate_limit", status=429, retry_after=retry_after, channel=channel), times)

    def time_out_next(self, method: str, delay: float = 1.0, *, times: int = 1, channel: str | None = None) -> None:
        """The next `times` calls of `method` (to `channel`, if given) ARE processed, answered only after `delay` s."""
        self._queue(method, _Fault("time_out", delay=delay, channel=channel), times)

    def error_next(
        self, method: str, error: str = "channel_not_found", *, times: int = 1, channel: str | None = None
    ) -> None:
        """The next `times` calls of `method` (to `channel`, if given) answer 200 {"ok": false, "error": error}."""
        self._queue(method, _Fault("error", error=error, channel=channel), times)

    def rate_limit_every(self, method: str, n: int, retry_after: int = 1) -> None:
        """From now on every `n`-th call of `method` answers 429 with Retry-After and is not processed (n=0: stop)."""
        with self._lock:
            if n <= 0:
                self._every.pop(method, None)
            else:
                self._every[method] = (n, _Fault("rate_limit", status=429, retry_after=retry_after))
                self._seen[method] = 0

    def set_latency(self, seconds: float, method: str | None = None) -> None:
        """Answer every call (or only `method`'s, which then overrides the default) `seconds` after receiving it,
        the work done first, as Slack takes 100–300 ms for chat.postMessage. 0 takes it away."""
        with self._lock:
            self._latency[method] = seconds

    def in_flight_peak(self, method: str) -> int:
        """The most calls of `method` being answered at the same moment (received, not yet answered)."""
        with self._lock:
            edges = sorted(
                edge
                for name, received, answered in self._spans
                if name == method
                for edge in ((received, 1), (answered, -1))
            )  # an answer at the same instant as a receipt counts as over first
        peak = current = 0
        for _, step in edges:
            current += step
            peak = max(peak, current)
        return peak

    def call_times(self, method: str) -> list[tuple[float, float]]:
        """(received, answered) of every answered call of `method`, in the order received, on time.monotonic()."""
        with self._lock:
            return sorted((received, answered) for name, received, answered in self._spans if name == method)

    def _take_fault(self, method: str, channel: Any) -> _Fault | None:
        """The first queued fault of `method` that applies to a call to `channel`, taken off the queue."""
        queue = self._faults.get(method)
        for fault in queue or ():
            if fault.channel is None or fault.channel == channel:
                queue.remove(fault)  # type: ignore[union-attr]
                return fault
        return None

    def _queue(self, method: str, fault: _Fault, times: int) -> None:
        with self._lock:
            self._faults[method].extend([fault] * times)

    # ----------------------------------------------------------------- HTTP

    def _serve(self, request: _Handler) -> None:
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        if parts.path.startswith("/hooks/"):
            self._serve_response_url(request, parts.path.removeprefix("/hooks/"), raw)
            return
        if parts.path.startswith("/files/"):
            self._serve_file(request, parts.path.removeprefix("/files/"))
            return
        if parts.path.startswith("/upload/"):
            self._receive_upload(request, parts.path.removeprefix("/upload/"), raw)
            return
        if not parts.path.startswith("/api/"):
            _send(request, 404, {"ok": False, "error": "not_found"})
            return
        method = parts.path.removeprefix("/api/")
        params, token, unreadable = _read_params(parts.query, raw, request.headers)
        if method in CLIENT_AUTH_METHODS:
            params["client_auth"] = _basic_auth(request.headers)
        received = time.monotonic()
        with self._lock:
            self._calls.append((method, copy.deepcopy({**params, "token": token})))
            fault = self._take_fault(method, params.get("channel"))
            if fault is None and method in self._every:
                self._seen[method] += 1
                every, periodic = self._every[method]
                fault = periodic if self._seen[method] % every == 0 else None
            if fault is None or fault.kind == "time_out":
                status, body, headers = 200, self._process(method, params, token, unreadable), {}
            else:
                status, body, headers = _fault_answer(fault)
            latency = self._latency.get(method, self._latency.get(None, 0.0))
        if fault is not None and fault.kind == "time_out":
            self._stopping.wait(fault.delay)  # the work is done; only the answer is late
        elif latency > 0:
            self._stopping.wait(max(0.0, received + latency - time.monotonic()))
        with self._lock:
            self._spans.append((method, received, time.monotonic()))
        _send(request, status, body, headers)

    def _serve_response_url(self, request: _Handler, name: str, raw: bytes) -> None:
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {"unreadable": raw.decode("utf-8", "replace")}
        status, answer = 200, "ok"
        with self._lock:
            self._responses.append({"name": name, "body": body})
            try:
                if isinstance(body, dict) and ("text" in body or "blocks" in body):
                    warning = _check_text_and_blocks(body.get("text"), body.get("blocks"), body.get("attachments"))
                    self._warn(f"response_url {name}", warning)
            except _ApiError as err:
                self.problems.append(f"response_url {name}: {err.detail or err.error}")
                status, answer = 400, err.error
        _send(request, status, answer)

    def _process(self, method: str, params: dict[str, Any], token: str | None, unreadable: str | None) -> dict:
        handler = self._methods.get(method)
        if handler is None:
            self.problems.append(f"{method}: not a method this stand-in knows (unknown_method)")
            return {"ok": False, "error": "unknown_method"}
        if unreadable:
            self.problems.append(f"{method}: {unreadable}")
            return {"ok": False, "error": "invalid_json", "detail": unreadable}
        if method in CLIENT_AUTH_METHODS:
            token = None  # the app's credentials, checked by the method
        elif not token:
            self.problems.append(f"{method}: called without a token")
            return {"ok": False, "error": "not_authed"}
        elif refused := self._token_refused(token):
            return {"ok": False, "error": refused}
        self._call_token = token
        try:
            return {"ok": True, **handler(params)}
        except _ApiError as err:
            if err.problem:
                self.problems.append(f"{method}: {err.detail or err.error}")
            return err.body()
        except Exception as exc:  # noqa: BLE001 (a stand-in bug or unreadable params must be loud, not a hang)
            self.problems.append(f"{method}: the stand-in failed on {params!r}: {exc!r}")
            return {"ok": False, "error": "fatal_error", "detail": repr(exc)}

    # ----------------------------------------------------------------- state helpers (caller holds the lock)

    def _next_ts(self) -> str:
        micros = max(int(time.time() * 1_000_000), self._last_ts + 1)
        self._last_ts = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _new_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter:08d}"

    def _open_dm(self, user_id: str) -> str:
        dm = self._dm_by_user.get(user_id)
        if dm is None:
            dm = "D" + user_id  # readable in failure output; apps must use the id Slack returns anyway
            self._dm_by_user[user_id] = dm
            self._channels[dm] = {
                "id": dm,
                "name": None,
                "is_im": True,
                "is_private": True,
                "user": user_id,
                "members": [user_id, BOT_USER_ID],
                "created": int(time.time()),
            }
        return dm

    def _resolve(self, channel: Any, *, allow_user: bool, create: bool) -> str:
        """A conversation id for `channel`; U…/W… ids map to the bot's DM when allow_user; raises channel_not_found."""
        if not isinstance(channel, str) or not channel:
            raise _ApiError("channel_not_found", "no channel given")
        if channel in self._channels:
            record = self._channels[channel]
            if record["is_private"] and not record["is_im"] and BOT_USER_ID not in record["members"]:
                # As Slack: a private channel the bot wasn't invited to doesn't exist, for the bot.
                raise _ApiError("channel_not_found", f"{channel} is private and the bot isn't in it")
            return channel
        if allow_user and channel[0] in "UW":
            if create or channel in self._dm_by_user:
                return self._open_dm(channel)
        elif create and _POSTABLE_ID.match(channel):
            self.add_channel(channel)
            return channel
        raise _ApiError("channel_not_found", f"no conversation {channel!r} (channel names are not ids)")

    def _warn(self, where: str, warning: str | None) -> None:
        if warning:
            self.problems.append(f"{where}: {warning}")

    def _find_message(self, channel_id: str, ts: Any) -> dict[str, Any] | None:
        return next((m for m in self._messages.get(channel_id, []) if m["ts"] == ts), None)

    # ----------------------------------------------------------------- methods

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        issued = self._tokens.get(self._call_token or "")
        if issued is not None:  # a token the install flow issued: its own workspace (or org)
            install = issued["install"]
            answer = {
                "url": f"https://{install['domain']}.slack.com/",
                "team": install["team_name"] or install["enterprise_name"],
                "user": BOT_NAME,
                "team_id": install["team_id"] or install["enterprise_id"],
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": install["org_wide"],
            }
            return {**answer, **({"enterprise_id": install["enterprise_id"]} if install["enterprise_id"] else {})}
        return {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "Cadence Test",
            "user": BOT_NAME,
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    # ----------------------------------------------------------------- installs (OAuth), tokens per workspace

    def add_install(
        self,
        code: str,
        *,
        team_id: str | None,
        team_name: str = "",
        enterprise_id: str | None = None,
        enterprise_name: str = "",
        installer: str = "U_ADMIN",
        expires_in: int | None = None,
    ) -> None:
        """What oauth.v2.access answers for `code`: an install into `team_id` (of the Grid org `enterprise_id`, if
        given), or with team_id None an org-wide install into `enterprise_id`; with `expires_in`, the bot token
        expires and comes with a refresh token (token rotation). A code works once, as Slack's do."""
        with self._lock:
            self._installs[code] = {
                "team_id": team_id,
                "team_name": team_name or team_id or "",
                "enterprise_id": enterprise_id,
                "enterprise_name": enterprise_name or enterprise_id or "",
                "org_wide": team_id is None,
                "installer": installer,
                "expires_in": expires_in,
                "domain": (team_id or enterprise_id or "grid").lower(),
            }

    def revoke_tokens(self, *, team_id: str | None = None, enterprise_id: str | None = None) -> None:
        """Slack's side of an uninstall: every token issued for the workspace (or org-wide for the org) stops
        working (calls with it answer `token_revoked`)."""
        with self._lock:
            for issued in self._tokens.values():
                install = issued["install"]
                if (team_id is not None and install["team_id"] == team_id) or (
                    team_id is None and enterprise_id is not None and install["enterprise_id"] == enterprise_id
                ):
                    issued["revoked"] = True
            for refresh, install in list(self._refresh_tokens.items()):
                if install["team_id"] == team_id or (team_id is None and install["enterprise_id"] == enterprise_id):
                    del self._refresh_tokens[refresh]

    def tokens_used(self, since: int = 0) -> list[tuple[str, str | None]]:
        """(method, token) of every call from the `since`-th on (`len(methods_called())` before an action)."""
        with self._lock:
            return [(name, params.get("token")) for name, params in self._calls[since:]]

    def tokens_of(self, *, team_id: str | None = None, enterprise_id: str | None = None) -> list[str]:
        """Every bot token issued for the workspace (or the org-wide install of `enterprise_id`), oldest first."""
        with self._lock:
            return [
                token
                for token, issued in self._tokens.items()
                if issued["install"]["team_id"] == team_id
                and (enterprise_id is None or issued["install"]["enterprise_id"] == enterprise_id)
            ]

    def _token_refused(self, token: str) -> str | None:
        """Slack's error for a token it won't take: revoked, expired, or never issued; None when it is good (tokens
        not of the issued shape are the single workspace's, TEAM_ID's, as every test without installs uses)."""
        issued = self._tokens.get(token)
        if issued is None:
            return "invalid_auth" if token.startswith(ISSUED_PREFIX) else None
        if issued["revoked"]:
            return "token_revoked"
        if issued["expires_at"] is not None and time.time() >= issued["expires_at"]:
            return "token_expired"
        return None

    def _issue(self, install: dict[str, Any]) -> dict[str, Any]:
        """A new bot token (and, when it expires, a refresh token) for `install`: oauth.v2.access's answer."""
        self._issued += 1
        token = f"{ISSUED_PREFIX}{install['domain']}-{self._issued}"
        expires_in = install["expires_in"]
        self._tokens[token] = {
            "install": install,
            "revoked": False,
            "expires_at": time.time() + expires_in if expires_in else None,
        }
        org = install["enterprise_id"]
        answer: dict[str, Any] = {
            "access_token": token,
            "token_type": "bot",
            "scope": "commands,chat:write",
            "bot_user_id": BOT_USER_ID,
            "app_id": APP_ID,
            "team": None if install["org_wide"] else {"id": install["team_id"], "name": install["team_name"]},
            "enterprise": {"id": org, "name": install["enterprise_name"]} if org else None,
            "is_enterprise_install": install["org_wide"],
            "authed_user": {"id": install["installer"]},
        }
        if expires_in:
            refresh = f"{REFRESH_PREFIX}{install['domain']}-{self._issued}"
            self._refresh_tokens[refresh] = install
            answer |= {"expires_in": expires_in, "refresh_token": refresh}
        return answer

    def _oauth_v2_access(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("client_auth") != (CLIENT_ID, CLIENT_SECRET):
            raise _ApiError("invalid_client_id", "oauth.v2.access needs the app's client id and secret")
        if params.get("grant_type") == "refresh_token":
            install = self._refresh_tokens.pop(str(params.get("refresh_token")), None)  # a refresh token works once
            if install is None:
                raise _ApiError("invalid_refresh_token")
            return self._issue(install)
        install = self._installs.pop(str(params.get("code")), None)  # a code works once
        if install is None:
            raise _ApiError("invalid_code")
        return self._issue(install)

    def _chat_post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id = self._resolve(params.get("channel"), allow_user=True, create=True)
        text = _text(params.get("text"))
        warning = _check_text_and_blocks(text, params.get("blocks"), params.get("attachments"))
        _check_metadata(params.get("metadata"))
        self._warn("chat.postMessage", warning)
        message: dict[str, Any] = {
            "type": "message",
            "ts": self._next_ts(),
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": text or "",
        }
        for key in ("blocks", "attachments", "metadata", "thread_ts", "reply_broadcast", "username", "icon_emoji"):
            if params.get(key) is not None:
                message[key] = params[key]
        self._messages[channel_id].append(message)
        return {"channel": channel_id, "ts": message["ts"], "message": copy.deepcopy(message)}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id = self._resolve(params.get("channel"), allow_user=True, create=False)
        message = self._find_message(channel_id, params.get("ts"))
        if message is None:
            raise _ApiError("message_not_found", f"no message ts={params.get('ts')!r} in {channel_id}")
        if message.get("user") != BOT_USER_ID:
            raise _ApiError("cant_update_message", "only the bot's own messages can be updated", problem=True)
        if all(params.get(key) is None for key in ("text", "blocks", "attachments")):
            raise _ApiError("no_text", "chat.update needs text, blocks or attachments", problem=True)
        # Fields left out keep their old value, as Slack documents for blocks; an empty list clears them.
        updated = {**message, **{k: params[k] for k in ("blocks", "attachments", "metadata") if k in params}}
        if params.get("text") is not None:
            updated["text"] = _text(params["text"])
        warning = _check_text_and_blocks(updated.get("text"), updated.get("blocks"), updated.get("attachments"))
        _check_metadata(updated.get("metadata"))
        self._warn("chat.update", warning)
        updated["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        message.clear()
        message.update(updated)
        return {"channel": channel_id, "ts": message["ts"], "text": message["text"], "message": copy.deepcopy(message)}

    def _chat_post_ephemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id = self._resolve(params.get("channel"), allow_user=True, create=True)
        user = params.get("user")
        if not user:
            raise _ApiError("user_not_in_channel", "chat.postEphemeral needs user", problem=True)
        text = _text(params.get("text"))
        self._warn("chat.postEphemeral", _check_text_and_blocks(text, params.get("blocks"), params.get("attachments")))
        ts = self._next_ts()
        ephemeral = {"channel": channel_id, "user": user, "ts": ts, "text": text or ""}
        for key in ("blocks", "attachments", "thread_ts"):
            if params.get(key) is not None:
                ephemeral[key] = params[key]
        self._ephemerals.append(ephemeral)
        return {"message_ts": ts}

    def _chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id = self._resolve(params.get("channel"), allow_user=True, create=False)
        message = self._find_message(channel_id, params.get("ts"))
        if message is None:
            raise _ApiError("message_not_found", f"no message ts={params.get('ts')!r} in {channel_id}")
        self._messages[channel_id].remove(message)
        return {"channel": channel_id, "ts": message["ts"]}

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("channel"):
            channel_id = self._resolve(params["channel"], allow_user=False, create=False)
            return {"no_op": True, "already_open": True, "channel": {"id": channel_id}}
        users = [u.strip() for u in str(params.get("users") or "").split(",") if u.strip()]
        if len(users) != 1:
            raise _ApiError("not_enough_users" if not users else "too_many_users", "the stand-in opens 1:1 DMs only")
        already = users[0] in self._dm_by_user
        channel_id = self._open_dm(users[0])
        channel = self._channel_object(channel_id) if _truthy(params.get("return_im")) else {"id": channel_id}
        return {"no_op": already, "already_open": already, "channel": channel}

    def _conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id = self._resolve(params.get("channel"), allow_user=False, create=False)
        oldest = _ts_key(params.get("oldest"), "invalid_ts_oldest", default=0)
        latest = _ts_key(params.get("latest"), "invalid_ts_latest", default=None)
        inclusive = _truthy(params.get("inclusive"))

        def in_range(key: int) -> bool:
            above = key >= oldest if inclusive else key > oldest
            below = latest is None or (key <= latest if inclusive else key < latest)
            return above and below

        top_level = [
            m
            for m in self._messages.get(channel_id, [])
            if in_range(_ts_key(m["ts"], "invalid_ts", default=0))
            and (m.get("thread_ts") in (None, m["ts"]) or _truthy(m.get("reply_broadcast")))
        ]
        page, next_cursor = _page(list(reversed(top_level)), params, default_limit=100)
        return {
            "messages": [_as_listed(m, params) for m in page],
            "has_more": bool(next_cursor),
            "pin_count": 0,
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id = self._resolve(params.get("channel"), allow_user=False, create=False)
        parent = self._find_message(channel_id, params.get("ts"))
        if parent is None:
            raise _ApiError("thread_not_found", f"no message ts={params.get('ts')!r} in {channel_id}")
        thread = [parent] + [
            m for m in self._messages[channel_id] if m.get("thread_ts") == parent["ts"] and m is not parent
        ]
        page, next_cursor = _page(thread, params, default_limit=1000)
        return {
            "messages": [_as_listed(m, params) for m in page],
            "has_more": bool(next_cursor),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id = self._resolve(params.get("channel"), allow_user=False, create=False)
        return {"channel": self._channel_object(channel_id)}

    def _conversations_members(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id = self._resolve(params.get("channel"), allow_user=False, create=False)
        page, next_cursor = _page(list(self._channels[channel_id]["members"]), params, default_limit=100)
        return {"members": page, "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_create(self, params: dict[str, Any]) -> dict[str, Any]:
        name = str(params.get("name") or "")
        if not re.fullmatch(r"[a-z0-9_-]{1,80}", name):
            raise _ApiError("invalid_name_specials", f"bad channel name {name!r}", problem=True)
        if any(c["name"] == name for c in self._channels.values()):
            raise _ApiError("name_taken", f"a channel is already named {name!r}")
        channel_id = f"C{len(self._channels) + 1:08d}"
        self._channels[channel_id] = {
            "id": channel_id,
            "name": name,
            "is_im": False,
            "is_private": str(params.get("is_private")).lower() == "true",
            "members": [BOT_USER_ID],
            "created": int(time.time()),
        }
        return {"channel": self._channel_object(channel_id)}

    def _conversations_invite(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id = self._resolve(params.get("channel"), allow_user=False, create=False)
        users = [u for u in str(params.get("users") or "").split(",") if u]
        unknown = [u for u in users if u not in self._users]
        if unknown:
            raise _ApiError("user_not_found", f"unknown users {unknown}")
        members = self._channels[channel_id]["members"]
        members.extend(u for u in users if u not in members)
        return {"channel": self._channel_object(channel_id)}

    def add_file(self, file_id: str, name: str, content: bytes) -> None:
        """A file someone uploaded (e.g. through a modal's file input), served to bearers of a bot token."""
        with self._lock:
            self._files[file_id] = {"id": file_id, "name": name, "content": content}

    def _files_info(self, params: dict[str, Any]) -> dict[str, Any]:
        found = self._files.get(params.get("file") or "")
        if found is None:
            raise _ApiError("file_not_found", f"no file {params.get('file')!r}")
        url = f"{self.root_url}files/{found['id']}"
        info = {
            "id": found["id"],
            "name": found["name"],
            "size": len(found["content"]),
            "url_private": url,
            "url_private_download": url,
        }
        return {"file": info}

    def _serve_file(self, request: _Handler, file_id: str) -> None:
        authorized = (request.headers.get("Authorization") or "").startswith("Bearer xox")
        with self._lock:
            found = self._files.get(file_id)
        if found is None or not authorized:
            request.send_response(404 if found is None else 403)
            request.end_headers()
            return
        request.send_response(200)
        request.send_header("Content-Type", "text/markdown")
        request.send_header("Content-Length", str(len(found["content"])))
        request.end_headers()
        request.wfile.write(found["content"])

    # files_upload_v2: files.getUploadURLExternal gives an upload URL (served here), the client POSTs the bytes to it,
    # then files.completeUploadExternal shares the file (with `initial_comment` as its message) in `channel_id`.

    def _files_get_upload_url_external(self, params: dict[str, Any]) -> dict[str, Any]:
        filename = params.get("filename")
        try:
            length = int(params.get("length") or 0)
        except ValueError:
            length = 0
        if not filename or length <= 0:
            raise _ApiError(
                "invalid_arguments", "files.getUploadURLExternal needs filename and length > 0", problem=True
            )
        file_id = self._new_id("F")
        self._uploads[file_id] = {"filename": filename, "length": length, "content": None}
        return {"upload_url": f"{self.root_url}upload/{file_id}", "file_id": file_id}

    def _receive_upload(self, request: _Handler, file_id: str, raw: bytes) -> None:
        with self._lock:
            upload = self._uploads.get(file_id)
            if upload is not None and len(raw) != upload["length"]:
                self.problems.append(f"upload {file_id}: {len(raw)} bytes sent, {upload['length']} announced")
            if upload is not None:
                upload["content"] = raw
        if upload is None:
            _send(request, 404, "no such upload")
            return
        _send(request, 200, f"OK - {len(raw)}")

    def _files_complete_upload_external(self, params: dict[str, Any]) -> dict[str, Any]:
        try:
            files = json.loads(params.get("files") or "[]")
        except ValueError:
            files = None
        if not isinstance(files, list) or not files:
            raise _ApiError(
                "invalid_arguments", f"files must be a JSON array of {{id, title}}: {files!r:.200}", problem=True
            )
        channel_id = (
            self._resolve(params["channel_id"], allow_user=False, create=False) if params.get("channel_id") else None
        )
        shared = []
        for entry in files:
            upload = self._uploads.get(str(entry.get("id")))
            if upload is None or upload["content"] is None:
                raise _ApiError("file_not_found", f"no uploaded file {entry.get('id')!r}", problem=True)
            record = {
                "id": entry["id"],
                "name": upload["filename"],
                "title": entry.get("title") or upload["filename"],
                "content": upload["content"],
                "channels": [channel_id] if channel_id else [],
            }
            self._files[entry["id"]] = record
            shared.append({"id": record["id"], "name": record["name"], "title": record["title"]})
        if channel_id is not None:
            message = {"type": "message", "ts": self._next_ts(), "user": BOT_USER_ID, "bot_id": BOT_ID, "team": TEAM_ID}
            message.update(text=str(params.get("initial_comment") or ""), files=copy.deepcopy(shared))
            self._messages[channel_id].append(message)
        return {"files": shared}

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self._users.get(params.get("user") or "")
        if user is None:
            raise _ApiError("user_not_found", f"no user {params.get('user')!r}")
        return {"user": _with_tz_offset(user)}

    def _users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        members = [_with_tz_offset(u) for u in self._users.values()]
        page, next_cursor = _page(members, params, default_limit=len(members) or 1)
        return {"members": page, "cache_ts": int(time.time()), "response_metadata": {"next_cursor": next_cursor}}

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id") and not params.get("interactivity_pointer"):
            raise _ApiError("invalid_arguments", "views.open/views.push need trigger_id", problem=True)
        view = _checked_view(params.get("view"), expected_type="modal")
        stored = self._store_view(view, view_id=self._new_id("V"))
        self._opened_views.append(copy.deepcopy(stored))
        return {"view": copy.deepcopy(stored)}

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = params.get("user_id")
        if not user_id:
            raise _ApiError("invalid_arguments", "views.publish needs user_id", problem=True)
        view = _checked_view(params.get("view"), expected_type="home")
        current_id = next((v for v, owner in self._view_owner.items() if owner == user_id), None)
        if current_id and params.get("hash") and params["hash"] != self._views[current_id]["hash"]:
            raise _ApiError("hash_conflict", "the Home tab changed since that hash")
        stored = self._store_view(view, view_id=current_id or self._new_id("V"))
        self._view_owner[stored["id"]] = user_id
        self._published[user_id].append(copy.deepcopy(stored))
        return {"view": copy.deepcopy(stored)}

    def _views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view_id = params.get("view_id")
        if not view_id and params.get("external_id"):
            view_id = next((v["id"] for v in self._views.values() if v["external_id"] == params["external_id"]), None)
        if not view_id or view_id not in self._views:
            raise _ApiError("not_found", f"no view {params.get('view_id') or params.get('external_id')!r}")
        if params.get("hash") and params["hash"] != self._views[view_id]["hash"]:
            raise _ApiError("hash_conflict", "the view changed since that hash")
        view = _checked_view(params.get("view"), expected_type=self._views[view_id]["type"])
        stored = self._store_view(view, view_id=view_id)
        if view_id in self._view_owner:
            self._published[self._view_owner[view_id]].append(copy.deepcopy(stored))
        return {"view": copy.deepcopy(stored)}

    def _store_view(self, view: dict[str, Any], *, view_id: str) -> dict[str, Any]:
        previous = self._views.get(view_id)
        stored = {
            "callback_id": "",
            "external_id": "",
            "private_metadata": "",
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": None,
            **copy.deepcopy(view),
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{self._new_id('')}",
            "root_view_id": view_id,
            "previous_view_id": previous["id"] if previous else None,
        }
        self._views[view_id] = stored
        return stored

    def _channel_object(self, channel_id: str) -> dict[str, Any]:
        record = self._channels[channel_id]
        if record["is_im"]:
            return {
                "id": channel_id,
                "created": record["created"],
                "is_im": True,
                "is_org_shared": False,
                "user": record["user"],
                "is_user_deleted": False,
                "priority": 0,
            }
        return {
            "id": channel_id,
            "name": record["name"],
            "name_normalized": record["name"],
            "created": record["created"],
            "creator": BOT_USER_ID,
            "is_channel": not record["is_private"],
            "is_group": record["is_private"],
            "is_im": False,
            "is_mpim": False,
            "is_private": record["is_private"],
            "is_archived": False,
            "is_general": channel_id == "C_GENERAL",
            "is_shared": False,
            "is_ext_shared": False,
            "is_org_shared": False,
            "is_member": BOT_USER_ID in record["members"],
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
            "previous_names": [],
        }


# --------------------------------------------------------------------- request parsing and answers


def _read_params(query: str, raw: bytes, headers: Any) -> tuple[dict[str, Any], str | None, str | None]:
    """Query + body params (form or JSON), JSON-string params decoded, the token, and why the body was unreadable."""
    params: dict[str, Any] = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
    unreadable = None
    content_type = headers.get("Content-Type", "")
    if raw and "json" in content_type:
        try:
            body = json.loads(raw)
            if not isinstance(body, dict):
                raise ValueError("the JSON body is not an object")
            params.update(body)
        except ValueError as exc:
            unreadable = f"unreadable JSON body: {exc}"
    elif raw:
        params.update({k: v[0] for k, v in parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()})
    for key in JSON_PARAMS:
        if isinstance(params.get(key), str) and params[key]:
            try:
                params[key] = json.loads(params[key])
            except ValueError:
                pass  # left as a string: validation says it is not Block Kit
    authorization = headers.get("Authorization") or ""
    token = authorization.removeprefix("Bearer ").strip() if authorization.startswith("Bearer ") else None
    token = token or params.pop("token", None)
    params.pop("token", None)
    return params, token, unreadable


def _basic_auth(headers: Any) -> tuple[str, str] | None:
    """The (client id, secret) of an `Authorization: Basic` header, or None."""
    authorization = headers.get("Authorization") or ""
    if not authorization.startswith("Basic "):
        return None
    try:
        client_id, _, secret = base64.b64decode(authorization.removeprefix("Basic ")).decode().partition(":")
    except ValueError:
        return None
    return client_id, secret


def _fault_answer(fault: _Fault) -> tuple[int, dict[str, Any], dict[str, str]]:
    if fault.kind == "rate_limit":
        return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(fault.retry_after)}
    if fault.kind == "error":
        return 200, {"ok": False, "error": fault.error}, {}
    return fault.status, {"ok": False, "error": "fatal_error"}, {}


def _send(request: _Handler, status: int, body: dict[str, Any] | str, headers: dict[str, str] | None = None) -> None:
    is_json = not isinstance(body, str)
    data = (json.dumps(body) if is_json else body).encode("utf-8")
    try:
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8" if is_json else "text/plain")
        request.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)
    except OSError:
        pass  # the client gave up waiting (time_out_next); the call was processed all the same


# --------------------------------------------------------------------- validation


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _check_text_and_blocks(text: str | None, blocks: Any, attachments: Any) -> str | None:
    """Raise _ApiError (a recorded problem) for what Slack rejects: no content, over-long text, invalid blocks.

    Returns a warning for what Slack accepts but we don't: blocks without a plain `text` fallback (screen readers and
    notifications show only `text`; slack_sdk warns too).
    """
    if blocks is not None:
        _check_blocks(blocks, max_blocks=MAX_MESSAGE_BLOCKS)
    if not text and not blocks and not attachments:
        raise _ApiError("no_text", "a message needs text or blocks", problem=True)
    if text and len(text) > MAX_TEXT_LENGTH:
        raise _ApiError("msg_too_long", f"text is {len(text)} characters, over {MAX_TEXT_LENGTH}", problem=True)
    if blocks and not text:
        return "blocks without a text fallback (accepted, as Slack does, but every message needs `text`)"
    return None


def _check_blocks(blocks: Any, *, max_blocks: int) -> None:
    if not isinstance(blocks, list):
        raise _ApiError("invalid_blocks", f"blocks must be a JSON array, got {blocks!r:.200}", problem=True)
    if len(blocks) > max_blocks:
        raise _ApiError("invalid_blocks", f"{len(blocks)} blocks, over the limit of {max_blocks}", problem=True)
    seen_block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        kind = block.get("type") if isinstance(block, dict) else type(block).__name__
        try:
            parsed = Block.parse_all([block])[0]
            if parsed is None:
                raise ValueError("unknown or missing block type")
            parsed.to_dict()  # slack_sdk checks lengths and required fields here
        except Exception as exc:  # SlackObjectFormationError, or TypeError/KeyError from a malformed dict
            raise _ApiError("invalid_blocks", f"block {index} ({kind}): {exc}", problem=True) from exc
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if block_id is not None:
            if block_id in seen_block_ids:
                raise _ApiError("invalid_blocks", f"block {index}: duplicate block_id {block_id!r}", problem=True)
            seen_block_ids.add(block_id)


def _check_metadata(metadata: Any) -> None:
    if metadata is None:
        return
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not metadata["event_type"]
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        detail = f"metadata must be {{event_type: str, event_payload: object}}, got {metadata!r:.200}"
        raise _ApiError("invalid_metadata_format", detail, problem=True)


def _checked_view(view: Any, *, expected_type: str) -> dict[str, Any]:
    """The view dict if Slack would accept it; raises _ApiError(invalid_blocks) with the reason otherwise."""
    if not isinstance(view, dict):
        raise _ApiError("invalid_blocks", f"view must be a JSON object, got {view!r:.200}", problem=True)
    if view.get("type") != expected_type:
        raise _ApiError("invalid_blocks", f"view type {view.get('type')!r}, expected {expected_type!r}", problem=True)
    _check_blocks(view.get("blocks", []), max_blocks=100)
    try:
        View(**view).to_dict()
    except Exception as exc:  # SlackObjectFormationError or TypeError from unexpected keys
        raise _ApiError("invalid_blocks", f"view: {exc}", problem=True) from exc
    if expected_type == "modal":
        if not view.get("title"):
            raise _ApiError("invalid_blocks", "a modal needs a title", problem=True)
        if any(isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks", [])) and not view.get(
            "submit"
        ):
            raise _ApiError("invalid_blocks", "a modal with input blocks needs a submit button", problem=True)
    return view


# --------------------------------------------------------------------- small helpers


def _truthy(value: Any) -> bool:
    return value is True or value == 1 or (isinstance(value, str) and value.lower() in ("1", "true"))


def _ts_key(value: Any, error: str, *, default: int | None) -> int | None:
    """A ts as integer microseconds, so "1700000000.000100" compares exactly; raises _ApiError(error) if unreadable."""
    if value in (None, ""):
        return default
    match = re.fullmatch(r"(\d+)(?:\.(\d{1,6}))?", str(value))
    if match is None:
        raise _ApiError(error, f"not a ts: {value!r}")
    return int(match.group(1)) * 1_000_000 + int((match.group(2) or "0").ljust(6, "0"))


def _page(items: list[Any], params: dict[str, Any], *, default_limit: int) -> tuple[list[Any], str]:
    """One page of `items` by Slack's cursor/limit params, and the next cursor ("" on the last page)."""
    start = 0
    if params.get("cursor"):
        try:
            start = int(base64.b64decode(str(params["cursor"])).decode().removeprefix("offset:"))
        except ValueError as exc:
            raise _ApiError("invalid_cursor", f"cursor {params['cursor']!r}") from exc
    try:
        limit = int(params.get("limit") or default_limit)
    except ValueError as exc:
        raise _ApiError("invalid_limit", f"limit {params.get('limit')!r}") from exc
    end = start + max(limit, 1)
    next_cursor = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(items) else ""
    return copy.deepcopy(items[start:end]), next_cursor


def _as_listed(message: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """A message as conversations.history shows it: metadata only when include_all_metadata is true."""
    listed = copy.deepcopy(message)
    if not _truthy(params.get("include_all_metadata")):
        listed.pop("metadata", None)
    return listed


def _with_tz_offset(user: dict[str, Any]) -> dict[str, Any]:
    """The user with tz_label/tz_offset for the current moment (they move with DST)."""
    now = datetime.now(ZoneInfo(user["tz"]))
    offset = now.utcoffset()
    return {**copy.deepcopy(user), "tz_label": now.tzname(), "tz_offset": int(offset.total_seconds()) if offset else 0}
