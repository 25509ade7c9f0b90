"""manifest.json: valid for Slack, and in step with what the app handles and calls."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from handlers.web import build_app
from tests.conftest import settings_for

ROOT = Path(__file__).resolve().parents[1]
SHARED_SLACK = ROOT.parent / "shared" / "slack"
MANIFEST = json.loads((ROOT / "manifest.json").read_text())
# Slack's OpenAPI file predates granular bot scopes: chat:write:bot is today's chat:write.
RENAMED_SCOPES = {"chat:write:bot": "chat:write", "chat:write:user": "chat:write"}


def methods_the_code_calls() -> set[str]:
    """Web API methods called as client.<family>_<method>(…) anywhere in bot/ and handlers/."""
    called = set()
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]:
        for family, method in re.findall(r"client\.([a-z]+)_([A-Za-z]+)\(", path.read_text()):
            called.add(f"{family}.{method}")
    return called


@pytest.mark.skipif(not SHARED_SLACK.exists(), reason="shared/slack (Slack's published schemas) is not beside the repo")
def test_the_manifest_matches_slacks_schema() -> None:
    schema = json.loads((SHARED_SLACK / "manifest.schema.1.0.0.json").read_text())
    jsonschema.validate(MANIFEST, schema)


@pytest.mark.skipif(not SHARED_SLACK.exists(), reason="shared/slack (Slack's published schemas) is not beside the repo")
def test_every_web_api_method_the_code_calls_has_a_scope_in_the_manifest() -> None:
    spec = json.loads((SHARED_SLACK / "slack_web_openapi_v2.json").read_text())
    granted = set(MANIFEST["oauth_config"]["scopes"]["bot"]) | {"none"}
    called = methods_the_code_calls()
    assert {"chat.postMessage", "chat.update", "conversations.history", "users.info"} <= called
    for method in sorted(called):
        operation = next(iter(spec["paths"][f"/{method}"].values()))
        needed = {RENAMED_SCOPES.get(s, s) for req in operation.get("security", []) for s in req.get("slackAuth", [])}
        assert needed & granted, f"{method} needs one of {sorted(needed)}"


def test_every_slash_command_in_the_manifest_is_handled_and_vice_versa() -> None:
    app = build_app(settings_for("http://127.0.0.1:9/api/"))
    handled = set()
    for listener in app._listeners:
        for matcher in listener.matchers:
            source = getattr(matcher, "func", None)
            closure = getattr(source, "__closure__", None) or ()
            values = [c.cell_contents for c in closure]
            handled |= {v for v in values if isinstance(v, str) and v.startswith("/")}
    declared = {command["command"] for command in MANIFEST["features"]["slash_commands"]}
    assert declared == handled == {"/cadence", "/wg", "/esp", "/cocreate", "/okr"}
    for command in MANIFEST["features"]["slash_commands"]:
        assert command["usage_hint"] and command["should_escape"] is True  # mentions arrive as <@U…> ids


@pytest.mark.skipif(not SHARED_SLACK.exists(), reason="shared/slack (Slack's published schemas) is not beside the repo")
def test_every_subscribed_event_has_its_scope_and_a_listener() -> None:
    spec = json.loads((SHARED_SLACK / "slack_events_api_async_v1.json").read_text())
    granted = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    events = MANIFEST["settings"]["event_subscriptions"]["bot_events"]
    assert {"app_home_opened", "user_change"} <= set(events)  # user_change keeps who people are current
    app = build_app(settings_for("http://127.0.0.1:9/api/"))
    listened = {listener.ack_function.__name__ for listener in app._listeners}
    for event in events:
        topic = spec["topics"].get(event.replace("_", "."), {})  # the spec predates app_home_opened (no scope)
        needed = set(topic.get("subscribe", {}).get("x-scopes-required", []))
        assert needed <= granted, f"{event} needs {sorted(needed - granted)}"
        assert f"on_{event}" in listened, f"nothing listens to {event}"


def test_the_manifest_has_the_oauth_redirect_and_the_uninstall_events_and_allows_org_wide_installs() -> None:
    from bot.slack.installs import REDIRECT_PATH

    assert [url.endswith(REDIRECT_PATH) for url in MANIFEST["oauth_config"]["redirect_urls"]] == [True]
    assert {"app_uninstalled", "tokens_revoked"} <= set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    assert MANIFEST["settings"]["org_deploy_enabled"] is True


def test_in_oauth_mode_every_subscribed_event_has_a_listener_too() -> None:
    from tests.conftest import oauth_settings_for

    app = build_app(oauth_settings_for("http://127.0.0.1:9/api/"))
    listened = {listener.ack_function.__name__ for listener in app._listeners}
    for event in MANIFEST["settings"]["event_subscriptions"]["bot_events"]:
        assert f"on_{event}" in listened, f"nothing listens to {event}"
