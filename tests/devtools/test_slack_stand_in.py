"""The Slack stand-in and the signing helpers, exercised through a real WebClient, urllib and a real Bolt app."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from urllib.error import URLError
from urllib.parse import parse_qs
from urllib.request import Request, urlopen
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, SectionBlock
from slack_sdk.signature import SignatureVerifier

from devtools.signing import (
    block_actions_body,
    command_body,
    event_body,
    post_signed,
    sign,
    view_submission_body,
)
from devtools.slack_stand_in import SlackStandIn

SECRET = "test-signing-secret"
TS = re.compile(r"^\d{10}\.\d{6}$")
NUDGE = {"event_type": "cadence_nudge", "event_payload": {"delivery_id": 42}}


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as stand_in:
        stand_in.add_user("U_ALICE", name="alice", real_name="Alice Archer", tz="Europe/Paris", display_name="ali")
        yield stand_in


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-test", base_url=slack.url, retry_handlers=[])


def nudge_blocks(label: str = "Done") -> list[dict]:
    return [
        SectionBlock(block_id="nudge.text", text="*Weekly sync* is due").to_dict(),
        ActionsBlock(
            block_id="nudge.actions", elements=[ButtonElement(text=label, action_id="done", value="7")]
        ).to_dict(),
    ]


# ------------------------------------------------------------------- messages


def test_post_update_and_history_round_trip_keeps_metadata(slack: SlackStandIn, client: WebClient) -> None:
    posted = client.chat_postMessage(
        channel="C_GENERAL", text="Weekly sync is due", blocks=nudge_blocks(), metadata=NUDGE
    )
    assert posted["channel"] == "C_GENERAL" and TS.match(posted["ts"])
    assert posted["message"]["metadata"] == NUDGE and posted["message"]["bot_id"] == "BBOT"

    updated = client.chat_update(channel="C_GENERAL", ts=posted["ts"], text="Weekly sync: done by Alice")
    assert updated["ts"] == posted["ts"] and updated["text"] == "Weekly sync: done by Alice"

    with_metadata = client.conversations_history(channel="C_GENERAL", include_all_metadata=True)["messages"]
    assert [m["ts"] for m in with_metadata] == [posted["ts"]]
    assert with_metadata[0]["metadata"] == NUDGE
    assert with_metadata[0]["blocks"] == nudge_blocks()  # left out of chat.update, so kept
    assert with_metadata[0]["text"] == "Weekly sync: done by Alice" and with_metadata[0]["user"] == "UBOT"
    assert "metadata" not in client.conversations_history(channel="C_GENERAL")["messages"][0]

    stored = slack.messages("C_GENERAL")
    assert len(stored) == 1 and stored[0]["metadata"] == NUDGE and "edited" in stored[0]
    assert slack.calls("chat.postMessage")[0]["token"] == "xoxb-test"
    assert slack.calls("chat.postMessage")[0]["blocks"] == nudge_blocks()
    assert slack.problems == []


def test_history_is_newest_first_and_honours_oldest_latest_and_limit(client: WebClient) -> None:
    ts = [client.chat_postMessage(channel="C_GENERAL", text=f"m{i}")["ts"] for i in range(5)]
    everything = client.conversations_history(channel="C_GENERAL")
    assert [m["text"] for m in everything["messages"]] == ["m4", "m3", "m2", "m1", "m0"]
    between = client.conversations_history(channel="C_GENERAL", oldest=ts[1], latest=ts[3])["messages"]
    assert [m["text"] for m in between] == ["m2"]  # exclusive, as Slack is by default
    inclusive = client.conversations_history(channel="C_GENERAL", oldest=ts[1], latest=ts[3], inclusive=True)
    assert [m["text"] for m in inclusive["messages"]] == ["m3", "m2", "m1"]
    first_page = client.conversations_history(channel="C_GENERAL", limit=2)
    assert [m["text"] for m in first_page["messages"]] == ["m4", "m3"] and first_page["has_more"] is True
    cursor = first_page["response_metadata"]["next_cursor"]
    second_page = client.conversations_history(channel="C_GENERAL", limit=2, cursor=cursor)
    assert [m["text"] for m in second_page["messages"]] == ["m2", "m1"]


def test_ts_values_look_real_and_strictly_increase(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C_GENERAL", text=str(i))["ts"] for i in range(20)]
    assert all(TS.match(ts) for ts in stamps)
    assert [Decimal(ts) for ts in stamps] == sorted({Decimal(ts) for ts in stamps})
    assert abs(float(stamps[0]) - time.time()) < 60


def test_posting_to_a_user_id_opens_a_dm_that_every_route_agrees_on(slack: SlackStandIn, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U_ALICE", text="Your turn", metadata=NUDGE)
    dm = posted["channel"]
    assert dm.startswith("D")
    assert client.conversations_open(users="U_ALICE")["channel"]["id"] == dm == slack.dm_channel("U_ALICE")
    assert slack.messages("U_ALICE") == slack.messages(dm) and slack.messages(dm)[0]["text"] == "Your turn"

    client.chat_update(channel="U_ALICE", ts=posted["ts"], text="Done, thanks")
    assert slack.messages(dm)[0]["text"] == "Done, thanks"
    history = client.conversations_history(channel=dm, include_all_metadata=True)["messages"]
    assert history[0]["metadata"] == NUDGE
    assert client.conversations_info(channel=dm)["channel"]["is_im"] is True


def test_unknown_targets_answer_like_slack(client: WebClient) -> None:
    for call, error in [
        (lambda: client.chat_update(channel="C_GENERAL", ts="1700000000.000100", text="x"), "message_not_found"),
        (lambda: client.chat_postMessage(channel="#general", text="x"), "channel_not_found"),
        (lambda: client.conversations_info(channel="C_NOPE"), "channel_not_found"),
        (lambda: client.users_info(user="U_NOBODY"), "user_not_found"),
    ]:
        with pytest.raises(SlackApiError) as caught:
            call()
        assert caught.value.response["error"] == error


def test_ephemeral_and_delete(slack: SlackStandIn, client: WebClient) -> None:
    reply = client.chat_postEphemeral(channel="C_GENERAL", user="U_ALICE", text="Only you can see this")
    assert TS.match(reply["message_ts"])
    assert slack.ephemerals("C_GENERAL", user="U_ALICE")[0]["text"] == "Only you can see this"
    assert slack.messages("C_GENERAL") == []
    posted = client.chat_postMessage(channel="C_GENERAL", text="oops")
    client.chat_delete(channel="C_GENERAL", ts=posted["ts"])
    assert slack.messages("C_GENERAL") == []


# ------------------------------------------------------------------- validation


def test_invalid_blocks_are_refused_and_recorded(slack: SlackStandIn, client: WebClient) -> None:
    too_long_label = nudge_blocks()
    too_long_label[1]["elements"][0]["text"]["text"] = "x" * 76  # ButtonElement.text_max_length is 75
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C_GENERAL", text="fallback", blocks=too_long_label)
    assert caught.value.response["error"] == "invalid_blocks"
    assert "block 1" in caught.value.response["detail"]
    assert slack.messages("C_GENERAL") == []
    assert len(slack.problems) == 1 and "chat.postMessage" in slack.problems[0]


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"text": "x", "blocks": [{"type": "no_such_block"}]}, "invalid_blocks"),
        ({"text": "x", "blocks": nudge_blocks() + nudge_blocks()}, "invalid_blocks"),  # duplicate block_id
        ({"text": "x", "blocks": [{"type": "divider"}] * 51}, "invalid_blocks"),
        ({"text": ""}, "no_text"),
        ({"text": "x" * 40_001}, "msg_too_long"),
        ({"text": "x", "metadata": {"event_payload": {}}}, "invalid_metadata_format"),
    ],
)
@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
def test_what_slack_rejects_is_refused_and_recorded(slack: SlackStandIn, client: WebClient, params, error) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C_GENERAL", **params)
    assert caught.value.response["error"] == error
    assert slack.problems and slack.messages("C_GENERAL") == []


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
def test_blocks_without_a_text_fallback_are_posted_but_recorded(slack: SlackStandIn, client: WebClient) -> None:
    client.chat_postMessage(channel="C_GENERAL", blocks=nudge_blocks())
    assert len(slack.messages("C_GENERAL")) == 1
    assert slack.problems == [
        "chat.postMessage: blocks without a text fallback (accepted, as Slack does, but every message needs `text`)"
    ]


def test_mentions_are_stored_verbatim(slack: SlackStandIn, client: WebClient) -> None:
    client.chat_postMessage(channel="C_GENERAL", text="hi <!channel> &lt;!here&gt;")
    assert slack.messages("C_GENERAL")[0]["text"] == "hi <!channel> &lt;!here&gt;" and slack.problems == []


def test_form_encoded_and_get_calls_are_read_like_json(slack: SlackStandIn, client: WebClient) -> None:
    client.api_call(
        "chat.postMessage", params={"channel": "C_GENERAL", "text": "form", "blocks": json.dumps(nudge_blocks())}
    )
    assert slack.calls("chat.postMessage")[0]["blocks"] == nudge_blocks()
    request = Request(f"{slack.url}users.info?user=U_ALICE", headers={"Authorization": "Bearer xoxb-get"})
    with urlopen(request, timeout=5) as response:
        assert json.loads(response.read())["user"]["id"] == "U_ALICE"
    assert slack.calls("users.info") == [{"user": "U_ALICE", "token": "xoxb-get"}]


def test_unknown_methods_and_missing_tokens_are_recorded(slack: SlackStandIn, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.api_call("reactions.addEverything", json={"name": "tada"})
    assert caught.value.response["error"] == "unknown_method"
    assert slack.calls("reactions.addEverything") == [{"name": "tada", "token": "xoxb-test"}]
    with pytest.raises(SlackApiError) as caught:
        WebClient(base_url=slack.url, retry_handlers=[]).auth_test()
    assert caught.value.response["error"] == "not_authed"
    assert len(slack.problems) == 2


def test_views_are_validated_and_recorded(slack: SlackStandIn, client: WebClient) -> None:
    home = {"type": "home", "blocks": nudge_blocks()}
    published = client.views_publish(user_id="U_ALICE", view=home)["view"]
    again = client.views_publish(user_id="U_ALICE", view={"type": "home", "blocks": nudge_blocks("Mark done")})
    assert again["view"]["id"] == published["id"]
    assert [v["blocks"][1]["elements"][0]["text"]["text"] for v in slack.views_published("U_ALICE")] == [
        "Done",
        "Mark done",
    ]

    modal = {"type": "modal", "callback_id": "cadence.add", "title": {"type": "plain_text", "text": "New cadence"}}
    opened = client.views_open(trigger_id="123.456.abc", view={**modal, "blocks": nudge_blocks()})["view"]
    client.views_update(view_id=opened["id"], view={**modal, "blocks": nudge_blocks("Saved")})
    assert slack.view(opened["id"])["blocks"] == nudge_blocks("Saved") and len(slack.views_opened()) == 1
    assert slack.problems == []

    long_title = {**modal, "title": {"type": "plain_text", "text": "x" * 25}, "blocks": nudge_blocks()}
    with pytest.raises(SlackApiError) as caught:
        client.views_open(trigger_id="123.456.abc", view=long_title)
    assert caught.value.response["error"] == "invalid_blocks" and "title" in slack.problems[0]


def test_users_info_gives_time_zone_and_names(client: WebClient) -> None:
    user = client.users_info(user="U_ALICE")["user"]
    assert user["tz"] == "Europe/Paris" and user["tz_offset"] in (3600, 7200)
    assert user["real_name"] == "Alice Archer" and user["profile"]["display_name"] == "ali"
    assert "U_ALICE" in [m["id"] for m in client.users_list()["members"]]
    assert "U_ALICE" in client.conversations_members(channel="C_GENERAL")["members"]


# ------------------------------------------------------------------- faults


def test_rate_limit_surfaces_as_429_with_retry_after(slack: SlackStandIn, client: WebClient) -> None:
    slack.rate_limit_next("chat.postMessage", retry_after=30)
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C_GENERAL", text="nudge")
    assert caught.value.response.status_code == 429
    assert caught.value.response.headers["Retry-After"] == "30"
    assert caught.value.response["error"] == "ratelimited"
    assert slack.messages("C_GENERAL") == []
    client.chat_postMessage(channel="C_GENERAL", text="nudge")  # one fault per queued call
    assert len(slack.messages("C_GENERAL")) == 1 and len(slack.calls("chat.postMessage")) == 2


def test_server_error_surfaces_as_500_and_nothing_is_posted(slack: SlackStandIn, client: WebClient) -> None:
    slack.fail_next("chat.postMessage")
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C_GENERAL", text="nudge")
    assert caught.value.response.status_code == 500 and slack.messages("C_GENERAL") == []


def test_error_next_answers_ok_false(slack: SlackStandIn, client: WebClient) -> None:
    slack.error_next("chat.postMessage", error="not_in_channel")
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C_GENERAL", text="nudge")
    assert caught.value.response.status_code == 200 and caught.value.response["error"] == "not_in_channel"


def test_time_out_posts_the_message_but_the_client_never_hears(slack: SlackStandIn) -> None:
    impatient = WebClient(token="xoxb-test", base_url=slack.url, timeout=0.3, retry_handlers=[])
    slack.time_out_next("chat.postMessage", delay=1.0)
    started = time.monotonic()
    with pytest.raises((TimeoutError, socket.timeout, URLError)):
        impatient.chat_postMessage(channel="C_GENERAL", text="nudge", metadata=NUDGE)
    assert time.monotonic() - started < 0.9
    assert [m["metadata"] for m in slack.messages("C_GENERAL")] == [NUDGE]  # posted; outcome unknown to the client


def test_reset_forgets_everything_but_keeps_serving(slack: SlackStandIn, client: WebClient) -> None:
    slack.fail_next("auth.test")
    client.chat_postMessage(channel="C_GENERAL", text="x")
    slack.reset()
    assert slack.messages("C_GENERAL") == [] and slack.calls("chat.postMessage") == [] and slack.problems == []
    assert client.auth_test()["user_id"] == "UBOT"


# ------------------------------------------------------------------- signing


def test_signed_headers_verify_with_slack_sdk() -> None:
    body = command_body(
        "/cadence", 'add "Weekly sync" every monday at 09:30', user_id="U_ALICE", channel_id="C_GENERAL"
    )
    headers = sign(body, SECRET)
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert SignatureVerifier(SECRET).is_valid(body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
    assert not SignatureVerifier("other-secret").is_valid_request(body, headers)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert (
        sign(event_body({"type": "app_home_opened", "user": "U_ALICE"}), SECRET)["Content-Type"] == "application/json"
    )
    stale = sign(body, SECRET, timestamp=int(time.time()) - 600)
    assert not SignatureVerifier(SECRET).is_valid_request(body, stale)


def test_bodies_have_slacks_shape() -> None:
    command = {
        k: v[0] for k, v in parse_qs(command_body("/cadence", "list", user_id="U1", channel_id="C1"), True).items()
    }
    assert command["command"] == "/cadence" and command["text"] == "list" and command["enterprise_id"] == ""
    assert command["team_id"] == "T0001" and command["response_url"] and command["trigger_id"]

    message = {"type": "message", "ts": "1700000000.000100", "text": "due", "blocks": nudge_blocks()}
    click = json.loads(
        parse_qs(block_actions_body("done", "7", user_id="U1", channel_id="C1", message=message))["payload"][0]
    )
    assert click["type"] == "block_actions" and click["actions"][0]["value"] == "7"
    assert click["container"] == {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": "C1",
        "is_ephemeral": False,
    }

    values = {"name": {"name.input": "Weekly sync"}}
    submit = json.loads(
        parse_qs(view_submission_body("cadence.add", values, user_id="U1", private_metadata="9"))["payload"][0]
    )
    assert submit["view"]["state"]["values"]["name"]["name.input"] == {
        "type": "plain_text_input",
        "value": "Weekly sync",
    }
    assert submit["view"]["callback_id"] == "cadence.add" and submit["view"]["private_metadata"] == "9"

    event = json.loads(event_body({"type": "app_home_opened", "user": "U1"}))
    assert event["type"] == "event_callback" and event["event"]["event_ts"] and event["authed_users"]


@pytest.fixture
def bolt_url(slack: SlackStandIn) -> Iterator[str]:
    """A real Bolt app (WSGI, loopback) whose WebClient talks to the stand-in."""
    # process_before_response: the listener finishes before the HTTP answer, as in the app (else the test races it)
    client = WebClient(token="xoxb-test", base_url=slack.url)
    app = App(token="xoxb-test", signing_secret=SECRET, client=client, process_before_response=True)

    @app.command("/echo")
    def echo(ack, command, client) -> None:  # type: ignore[no-untyped-def]
        client.chat_postMessage(channel=command["channel_id"], text=command["text"])
        ack(text=f"echoed {command['text']}", response_type="ephemeral")

    @app.action("done")
    def done(ack, body, client, respond) -> None:  # type: ignore[no-untyped-def]
        ack()
        client.chat_update(channel=body["channel"]["id"], ts=body["message"]["ts"], text="done")
        respond(text="Marked done", replace_original=False, response_type="ephemeral")

    handler = SlackRequestHandler(app)

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = make_server("127.0.0.1", 0, handler, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/slack/events"
    finally:
        server.shutdown()
        server.server_close()


def test_post_signed_reaches_a_bolt_app_that_posts_to_the_stand_in(slack: SlackStandIn, bolt_url: str) -> None:
    status, reply = post_signed(
        bolt_url, command_body("/echo", "hello", user_id="U_ALICE", channel_id="C_GENERAL"), SECRET
    )
    assert status == 200 and reply == {"text": "echoed hello", "response_type": "ephemeral"}
    posted = slack.messages("C_GENERAL")[-1]
    assert posted["text"] == "hello"

    click = block_actions_body(
        "done", "7", user_id="U_ALICE", channel_id="C_GENERAL", message=posted, response_url=slack.response_url("click")
    )
    assert post_signed(bolt_url, click, SECRET) == (200, "")
    assert slack.messages("C_GENERAL")[-1]["text"] == "done"
    assert slack.responses("click") == [
        {"text": "Marked done", "replace_original": False, "response_type": "ephemeral"}
    ]
    assert slack.problems == []

    status, _ = post_signed(bolt_url, command_body("/echo", "x", user_id="U1", channel_id="C1"), "wrong-secret")
    assert status == 401
