"""Build request bodies the way Slack sends them, sign them the way Slack does, and POST them to the app.

Shapes follow Slack's own payloads (slash command form POST, `payload=<json>` interactions, the Events API wrapper in
/work/shared/slack/slack_common_event_wrapper_schema.json). No pytest imports: the console uses this module too.

    body = command_body("/cadence", "list", user_id="U_ALICE", channel_id="C_GENERAL")
    status, reply = post_signed(app_url, body, SIGNING_SECRET)
"""

from __future__ import annotations

import copy
import itertools
import json
import time
import uuid
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from slack_sdk.signature import SignatureVerifier

from devtools.slack_stand_in import APP_ID, BOT_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
VERIFICATION_TOKEN = "verification-token"  # deprecated by Slack but still sent in every payload
# Port 9 (discard) refuses at once: an app that calls respond() without the test passing
# response_url=slack.response_url() fails fast instead of reaching hooks.slack.com.
UNSET_RESPONSE_URL = "http://127.0.0.1:9/hooks/commands/unset"

_sequence = itertools.count(1)


def sign(
    body: bytes | str, secret: str, timestamp: int | None = None, *, content_type: str | None = None
) -> dict[str, str]:
    """Headers Slack sends with `body`: X-Slack-Signature, X-Slack-Request-Timestamp (default now) and Content-Type."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "X-Slack-Signature": signature or "",
        "X-Slack-Request-Timestamp": ts,
        "Content-Type": content_type or _content_type_of(body),
    }


def new_trigger_id() -> str:
    """A fresh trigger_id shaped like Slack's ("13345224609.738474920.8088930838d88f008e0")."""
    return f"{int(time.time())}.{next(_sequence):09d}.{uuid.uuid4().hex[:21]}"


def command_body(
    command: str,
    text: str,
    *,
    user_id: str,
    channel_id: str,
    team_id: str = TEAM_ID,
    user_name: str | None = None,
    channel_name: str | None = None,
    trigger_id: str | None = None,
    response_url: str = UNSET_RESPONSE_URL,
) -> str:
    """The form-encoded body of a slash command POST, field for field as Slack sends it."""
    if channel_name is None:
        channel_name = "directmessage" if channel_id.startswith("D") else channel_id.lower()
    return urlencode(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "team_domain": TEAM_DOMAIN,
            "enterprise_id": "",
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_name or user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id or new_trigger_id(),
        }
    )


def block_actions_body(
    action_id: str,
    value: str,
    *,
    user_id: str,
    channel_id: str | None = None,
    message_ts: str | None = None,
    message: dict[str, Any] | None = None,
    team_id: str = TEAM_ID,
    block_id: str = "b",
    trigger_id: str | None = None,
    container: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    action: dict[str, Any] | None = None,
    response_url: str = UNSET_RESPONSE_URL,
) -> str:
    """A button click (`payload=<json>` form body) on a message, or on a view when `view` is given.

    Pass the stored message (`slack.messages(channel)[-1]`) as `message` to click what the app really posted;
    `action` overrides fields of the action, e.g. {"type": "static_select", "selected_option": {...}}.
    """
    if message is None and message_ts is not None:
        message = {"type": "message", "ts": message_ts, "user": BOT_USER_ID, "bot_id": BOT_ID, "text": "", "blocks": []}
    if message is not None and message_ts is None:
        message_ts = message.get("ts")
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, team_id),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or new_trigger_id(),
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": {}},
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": action_id, "emoji": True},
                "value": value,
                "action_ts": f"{time.time():.6f}",
                **(action or {}),
            }
        ],
    }
    if view is not None:
        payload["container"] = container or {"type": "view", "view_id": view.get("id", "")}
        payload["view"] = copy.deepcopy(view)
        payload["state"] = copy.deepcopy(view.get("state") or {"values": {}})
    else:
        payload["container"] = container or {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        payload["response_url"] = response_url
    if channel_id is not None:
        payload["channel"] = {"id": channel_id, "name": channel_id.lower()}
    if message is not None:
        payload["message"] = copy.deepcopy(message)
    return urlencode({"payload": json.dumps(payload)})


def view_submission_body(
    callback_id: str,
    values: dict[str, dict[str, Any]],
    *,
    user_id: str,
    private_metadata: str = "",
    team_id: str = TEAM_ID,
    view_id: str | None = None,
    blocks: list[dict[str, Any]] | None = None,
    trigger_id: str | None = None,
) -> str:
    """A modal submission (`payload=<json>` form body); `values` is view.state.values, {block_id: {action_id: …}}.

    A plain string as the innermost value stands for a plain_text_input: {"b": {"a": "text"}}; give a dict for other
    elements, e.g. {"type": "static_select", "selected_option": {"value": "x", "text": {...}}}.
    """
    state = {block: {action: _element_state(v) for action, v in actions.items()} for block, actions in values.items()}
    view_id = view_id or f"V{next(_sequence):08d}"
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": _user(user_id, team_id),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or new_trigger_id(),
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "blocks": copy.deepcopy(blocks or []),
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": state},
            "hash": f"{int(time.time())}.{uuid.uuid4().hex[:8]}",
            "title": {"type": "plain_text", "text": "Cadence", "emoji": True},
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": {"type": "plain_text", "text": "Save", "emoji": True},
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": APP_ID,
            "external_id": "",
            "app_installed_team_id": team_id,
            "bot_id": BOT_ID,
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return urlencode({"payload": json.dumps(payload)})


def event_body(event: dict[str, Any], team_id: str = TEAM_ID) -> str:
    """An Events API `event_callback` JSON body wrapping `event` (event_ts filled in when missing)."""
    event = {**event, "event_ts": event.get("event_ts") or f"{time.time():.6f}"}
    return json.dumps(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "context_team_id": team_id,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authed_users": [BOT_USER_ID],
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": team_id,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
    )


def post_signed(
    url: str,
    body: bytes | str,
    secret: str,
    *,
    content_type: str | None = None,
    timestamp: int | None = None,
    timeout: float = 5,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any] | str]:
    """POST a signed body; returns (status, parsed JSON body or text, "" when empty). Raises URLError if unreachable.

    `content_type` defaults to JSON for a body starting with "{", else form; `headers` adds e.g. X-Slack-Retry-Num.
    """
    data = body.encode("utf-8") if isinstance(body, str) else body
    request = Request(url, data=data, method="POST", headers=sign(data, secret, timestamp, content_type=content_type))
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urlopen(request, timeout=timeout) as response:
            status, reply_type, raw = response.status, response.headers.get("Content-Type", ""), response.read()
    except HTTPError as error:  # 4xx/5xx still carry the app's answer
        status, reply_type, raw = error.code, error.headers.get("Content-Type", ""), error.read()
    text = raw.decode("utf-8")
    if not text:
        return status, ""
    if "json" in reply_type:
        return status, json.loads(text)
    return status, text


def _content_type_of(body: bytes | str) -> str:
    start = body.lstrip()[:1]
    return JSON if start in ("{", b"{") else FORM


def _user(user_id: str, team_id: str) -> dict[str, str]:
    name = user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def _element_state(value: Any) -> Any:
    if isinstance(value, str):
        return {"type": "plain_text_input", "value": value}
    return copy.deepcopy(value)
