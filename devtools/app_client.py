"""Talk to the running app the way Slack does: signed slash commands, button clicks, modal submits, events.

No pytest imports: the console drives the app through this too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from devtools.signing import (
    block_actions_body,
    command_body,
    event_body,
    new_trigger_id,
    post_signed,
    view_submission_body,
)
from devtools.slack_stand_in import SlackStandIn


@dataclass
class Reply:
    """What the app answered over HTTP (the ack), plus what it sent to the response_url meanwhile."""

    status: int
    body: dict[str, Any] | str
    responses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The ack's text, or '' when the ack was empty."""
        return self.body.get("text", "") if isinstance(self.body, dict) else ""

    def __getitem__(self, key: str) -> Any:
        assert isinstance(self.body, dict), f"the app answered {self.body!r}, not JSON"
        return self.body[key]

    def all_text(self) -> str:
        """Every text the user saw: the ack, its blocks, and response_url posts, joined."""
        parts = [json.dumps(self.body, ensure_ascii=False)] + [
            json.dumps(r, ensure_ascii=False) for r in self.responses
        ]
        return "\n".join(parts)


class AppClient:
    """Signed requests into the app at `url`, as a given user in a given channel."""

    def __init__(self, url: str, secret: str, slack: SlackStandIn, *, team_id: str = "T0001") -> None:
        self.url, self.secret, self.slack, self.team_id = url, secret, slack, team_id
        self._responses_seen = 0

    def _post(self, body: str) -> Reply:
        seen = len(self.slack.responses())
        status, answer = post_signed(self.url, body, self.secret)
        return Reply(status, answer, self.slack.responses()[seen:])

    def command(self, command: str, text: str, *, user: str, channel: str = "C_GENERAL") -> Reply:
        """A slash command typed by `user` in `channel`."""
        body = command_body(
            command,
            text,
            user_id=user,
            channel_id=channel,
            team_id=self.team_id,
            trigger_id=new_trigger_id(),
            response_url=self.slack.response_url("command"),
        )
        return self._post(body)

    def click(self, message: dict[str, Any], action_id: str, *, user: str, channel: str) -> Reply:
        """Press the button `action_id` on a message the app posted (as read from the stand-in)."""
        button = find_element(message.get("blocks", []), action_id)
        body = block_actions_body(
            action_id,
            button.get("value", ""),
            user_id=user,
            channel_id=channel,
            message_ts=message["ts"],
            message=message,
            team_id=self.team_id,
            block_id=button["_block_id"],
            trigger_id=new_trigger_id(),
            response_url=self.slack.response_url("action"),
        )
        return self._post(body)

    def submit(self, view: dict[str, Any], values: dict[str, Any], *, user: str) -> Reply:
        """Submit an opened modal with `values` ({block_id: {action_id: state}})."""
        body = view_submission_body(
            view["callback_id"],
            values,
            user_id=user,
            private_metadata=view.get("private_metadata", ""),
            team_id=self.team_id,
            blocks=view.get("blocks"),
        )
        reply = self._post(body)
        check_errors_name_inputs(reply.body, view)
        return reply

    def event(self, event: dict[str, Any]) -> Reply:
        """An Events API callback."""
        return self._post(event_body(event, team_id=self.team_id))


def find_element(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    """The interactive element with `action_id` in a message's blocks, with its block_id; KeyError if absent."""
    for block in blocks:
        candidates = list(block.get("elements", [])) + ([block["accessory"]] if block.get("accessory") else [])
        for element in candidates:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return {**element, "_block_id": block.get("block_id", "")}
    raise KeyError(f"no element {action_id!r} in the message")


def check_errors_name_inputs(answer: dict[str, Any] | str, view: dict[str, Any]) -> None:
    """Slack rejects a `response_action: errors` that names a block the form doesn't have (the user then sees a
    generic failure, not the message), so an answer naming one is a bug, whichever test meets it."""
    if not isinstance(answer, dict) or answer.get("response_action") != "errors":
        return
    inputs = {block.get("block_id") for block in view.get("blocks", []) if block.get("type") == "input"}
    strays = sorted(set(answer.get("errors", {})) - inputs)
    if strays:
        raise AssertionError(
            f"the form's errors name {strays}, which are not input blocks of {view.get('callback_id')}"
        )


class GridAppClient(AppClient):
    """Signed requests from a workspace of an Enterprise Grid org, as Slack sends them: `enterprise_id` set, and
    `is_enterprise_install` true when the app was installed org-wide."""

    def __init__(
        self, url: str, secret: str, slack: SlackStandIn, *, team_id: str, enterprise_id: str, org_wide: bool
    ) -> None:
        super().__init__(url, secret, slack, team_id=team_id)
        self.enterprise_id, self.org_wide = enterprise_id, org_wide

    def _post(self, body: str) -> Reply:
        return super()._post(self._in_org(body))

    def _in_org(self, body: str) -> str:
        from urllib.parse import parse_qsl, urlencode

        if body.startswith("{"):  # an event: its authorization names the org
            payload = json.loads(body)
            payload["enterprise_id"] = self.enterprise_id
            for authorization in payload.get("authorizations", []):
                authorization.update(enterprise_id=self.enterprise_id, is_enterprise_install=self.org_wide)
            payload["is_enterprise_install"] = self.org_wide
            return json.dumps(payload)
        form = dict(parse_qsl(body, keep_blank_values=True))
        if "payload" in form:  # a click or a form: enterprise object, user's team
            payload = json.loads(form["payload"])
            payload.update(enterprise={"id": self.enterprise_id}, is_enterprise_install=self.org_wide)
            return urlencode({"payload": json.dumps(payload)})
        form.update(enterprise_id=self.enterprise_id, is_enterprise_install="true" if self.org_wide else "false")
        return urlencode(form)


@dataclass
class InstallPage:
    """What a browser got from /slack/install: the status, the page, the state in its Slack link, and the cookie."""

    status: int
    html: str
    state: str
    cookie: str


def open_install_page(base_url: str) -> InstallPage:
    """GET /slack/install as a browser does: the page's "Add to Slack" link carries the state, the cookie binds it."""
    import re
    from html import unescape
    from urllib.parse import parse_qs, urlsplit
    from urllib.request import urlopen

    with urlopen(f"{base_url}/slack/install", timeout=5) as response:
        html = response.read().decode("utf-8")
        cookie = (response.headers.get("Set-Cookie") or "").split(";", 1)[0]
        status = response.status
    link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', html)
    state = parse_qs(urlsplit(unescape(link.group(1))).query)["state"][0] if link else ""
    return InstallPage(status=status, html=html, state=state, cookie=cookie)


def oauth_redirect(base_url: str, *, code: str, state: str, cookie: str) -> tuple[int, str]:
    """GET /slack/oauth_redirect as Slack sends the browser back: (status, page)."""
    from urllib.error import HTTPError
    from urllib.parse import urlencode
    from urllib.request import Request, urlopen

    request = Request(f"{base_url}/slack/oauth_redirect?{urlencode({'code': code, 'state': state})}")
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except HTTPError as error:
        return error.code, error.read().decode("utf-8")


def install_through_the_flow(base_url: str, *, code: str) -> tuple[int, str]:
    """An admin's install: open /slack/install, approve in Slack (the stand-in answers `code`), come back."""
    page = open_install_page(base_url)
    return oauth_redirect(base_url, code=code, state=page.state, cookie=page.cookie)
