"""Property: whatever a button press, a form submission or a slash command carries, the app answers it (or refuses
it with a 4xx), never with a 500 or a "Something went wrong", and a refused request changes no row.

Payloads are well-formed at the HTTP level (signed, JSON, the ids Bolt routes on) with odd contents: values that
are no row id, selected options, dates and users of the wrong shape, missing and extra fields, empty state, a
stranger, another workspace. Every registered action_id and view callback_id is listed from the handlers' own
registrations, so a new handler is covered the day it is wired.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

import handlers
from bot import db as bot_db
from bot.action_items import ids as item_ids
from bot.cadence import commands as cadence_commands
from bot.cadence import dispatcher, ids
from bot.cocreate import commands as cocreate_commands
from bot.cocreate import ids as cocreate_ids
from bot.esp import commands as esp_commands
from bot.okrs import commands as okr_commands
from bot.okrs import ids as okr_ids
from bot.okrs import ids as retro_ids
from bot.working_groups import commands as wg_commands
from bot.working_groups import ids as wg_ids
from devtools.app_client import AppClient, Reply
from devtools.signing import block_actions_body, command_body, view_submission_body
from devtools.slack_stand_in import SlackStandIn
from models import Base
from tests.bot.test_parsers_property import texts_for

EXAMPLES_PER_ID = int(os.environ.get("PAYLOAD_EXAMPLES", "15"))  # PAYLOAD_EXAMPLES=200 hunts longer, locally
PAYLOAD_SETTINGS = settings(
    max_examples=EXAMPLES_PER_ID,
    deadline=None,
    database=None,  # examples are not replayed across runs: each run tries new ones
    # NO_SHRINK=1 reports every failing id fast while hunting; by default a failure is shrunk to its smallest payload.
    phases=[Phase.explicit, Phase.generate] if os.environ.get("NO_SHRINK") else tuple(Phase),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CRASH = re.compile(r"something went wrong", re.IGNORECASE)


# ---- what the app registers ---------------------------------------------------------------------------------------


class _Registrations:
    """Stands in for the Bolt App while handlers register, writing down every id they wire."""

    def __init__(self) -> None:
        self.actions: list[str] = []
        self.views: list[str] = []
        self.commands: list[str] = []

    def _record(self, into: list[str], key: object) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        if isinstance(key, str) and key not in into:
            into.append(key)
        return lambda function: function

    def action(self, key: object, *_: Any, **__: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self._record(self.actions, key)

    def view(self, key: object, *_: Any, **__: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self._record(self.views, key)

    def command(self, key: object, *_: Any, **__: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self._record(self.commands, key)

    def __getattr__(self, name: str) -> Callable[..., Any]:  # event, use, options, shortcut, error…
        return lambda *args, **kwargs: lambda function: function


REGISTERED = _Registrations()
handlers.register_all(REGISTERED)  # type: ignore[arg-type]

# Block ids a form or a row of controls is read by: the ids module's strings, which odd payloads then misuse.
KNOWN_IDS = sorted(value for name, value in vars(ids).items() if name.isupper() and isinstance(value, str))


# ---- odd contents --------------------------------------------------------------------------------------------------

# Strings that are no row id of this workspace (ids here start at 1 and stay small), nor a date, nor a user.
_ODD_TEXT = st.one_of(
    st.sampled_from([
        "", " ", "0", "-1", "+1", "1.5", "1e3", "0x10", "١٢", "１２", "2147483648", "99999999999999999999",
        "9" * 5000, "null", "None", "true", "[]", "{}", '{"kr": "x"}', '{"item": -1}', '{"quarter": 5}', "x|y",
        "FY20-Q2|", "|", "FY20-Q2|999999", "FY99-Q9|1", "2026-13-45", "not a date", "\x00", "\n", "<@U1>",
        "<!channel>", "&lt;", "U_NOBODY", "#", "#999999", "C_NOWHERE",
    ]),
    st.text(max_size=40),
)  # fmt: skip
_ODD_VALUE = st.one_of(_ODD_TEXT, st.none(), st.integers(), st.booleans(), st.just([]), st.just({}))
_ODD_OPTION = st.one_of(
    st.none(), st.just({}), _ODD_TEXT, st.builds(lambda v: {"value": v}, _ODD_VALUE),
    st.builds(lambda v: {"text": {"type": "plain_text", "text": "x"}, "value": v}, _ODD_TEXT),
    st.lists(st.builds(lambda v: {"value": v}, _ODD_TEXT), max_size=3),
)  # fmt: skip
_ODD_DATE = st.one_of(st.none(), _ODD_TEXT, st.integers(), st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-29"]))
_ODD_USER = st.one_of(st.none(), _ODD_TEXT, st.integers(), st.just({"id": "U_ALICE"}), st.just(["U_ALICE"]))
_WHO = st.sampled_from([("U_ALICE", "T0001"), ("U_BOB", "T0001"), ("U_STRANGER", "T0001"), ("U_ALICE", "T0002")])


def _maybe(field: str, strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """{field: value} or {} (the field missing)."""
    return st.one_of(st.just({}), strategy.map(lambda value: {field: value}))


@st.composite
def odd_action(draw: st.DrawFn) -> dict[str, Any]:
    """The fields of actions[0] besides action_id: any element type, with values of any shape or none."""
    action: dict[str, Any] = {
        "type": draw(st.sampled_from(["button", "static_select", "datepicker", "users_select", "overflow", "x"])),
        "block_id": draw(st.one_of(_ODD_TEXT, st.sampled_from(KNOWN_IDS).map(lambda prefix: prefix + draw(_ODD_TEXT)))),
    }
    for field, strategy in (
        ("value", _ODD_VALUE),
        ("selected_option", _ODD_OPTION),
        ("selected_date", _ODD_DATE),
        ("selected_user", _ODD_USER),
        ("selected_users", _ODD_USER),
        ("extra", _ODD_VALUE),
    ):
        action.update(draw(_maybe(field, strategy)))
    if "value" not in action and draw(st.booleans()):
        action["value"] = draw(_ODD_TEXT)  # the helper fills "" otherwise; a missing key is tried below
    return action


@st.composite
def odd_state(draw: st.DrawFn) -> dict[str, Any]:
    """view.state.values: empty, or known and unknown blocks holding elements of any shape."""
    element = st.fixed_dictionaries(
        {"type": st.sampled_from(["plain_text_input", "static_select", "datepicker", "users_select", "checkboxes",
                                  "multi_users_select", "conversations_select", "file_input", "radio_buttons"])},
        optional={
            "value": _ODD_VALUE, "selected_option": _ODD_OPTION, "selected_options": _ODD_OPTION,
            "selected_date": _ODD_DATE, "selected_time": _ODD_TEXT, "selected_user": _ODD_USER,
            "selected_users": _ODD_USER, "selected_conversation": _ODD_USER, "files": _ODD_OPTION,
        },
    )  # fmt: skip
    block_id = st.one_of(st.sampled_from(KNOWN_IDS), _ODD_TEXT)
    state = draw(st.dictionaries(block_id, st.dictionaries(block_id, element, max_size=2), max_size=3))
    # Forms read an input whose block_id and action_id are the same string: fill some of those, oddly.
    for input_id in draw(st.lists(st.sampled_from(KNOWN_IDS), max_size=8)):
        state[input_id] = {input_id: draw(element)}
    return state


def _private_metadata() -> st.SearchStrategy[str]:
    return st.one_of(_ODD_TEXT, _ODD_VALUE.map(json.dumps), st.dictionaries(st.sampled_from(["kr", "item", "quarter",
                     "channel", "team", "prospect"]), _ODD_VALUE, max_size=3).map(json.dumps))  # fmt: skip


# ---- what a refused request must leave alone -----------------------------------------------------------------------


# A workspace's first request of any kind records the workspace (its settings row), refused or not; that write, like
# any, records the delivery's key (handled_request), so a second copy of it changes nothing. Who the presser is
# (slack_user) is Slack's answer kept, not a change: it is stored on their first request, whatever it asks.
UNCOUNTED = frozenset({"workspace", "handled_request", "slack_user"})


def row_counts() -> dict[str, int]:
    """How many rows every table but UNCOUNTED holds, in one statement."""
    tables = [table for table in Base.metadata.sorted_tables if table.name not in UNCOUNTED]
    statement = select(*(select(func.count()).select_from(table).scalar_subquery() for table in tables))
    with bot_db.engine().connect() as connection:
        return dict(zip((table.name for table in tables), connection.execute(statement).one(), strict=True))


def seen_so_far(slack: SlackStandIn) -> dict[str, int]:
    """How many ephemerals, and DMs to each person payloads come from, the stand-in holds now."""
    return {"": len(slack.ephemerals()), **{user: len(slack.messages(user)) for user in _PEOPLE}}


def check_answer(reply: Reply, slack: SlackStandIn, *, seen: dict[str, int], what: str) -> str:
    """The app answered below 500 with no crash text (in its answer, an ephemeral or a DM sent meanwhile); returns
    everything the user saw, for further checks."""
    assert reply.status < 500, f"{what}: HTTP {reply.status} {reply.body!r}"
    dms = [message for user in _PEOPLE for message in slack.messages(user)[seen[user] :]]
    shown = reply.all_text() + json.dumps([*slack.ephemerals()[seen[""] :], *dms], ensure_ascii=False)
    assert not CRASH.search(shown), f"{what}: a crash turned into text: {shown[:600]}"
    return shown


_PEOPLE = ("U_ALICE", "U_BOB", "U_STRANGER")  # who the payloads come from; a press in App Home is answered by DM


def send(app: AppClient, body: str) -> Reply:
    return app._post(body)


# ---- buttons, selects and date pickers -----------------------------------------------------------------------------


# Ids no handler has: Bolt answers them 404, and they must change nothing either.
UNKNOWN_ACTIONS = ["cadence.nudge.nope", "wg.action.row.1", ""]
UNKNOWN_VIEWS = ["cadence.modal.nope", ""]


def test_odd_button_payloads_are_answered_and_change_nothing(app: AppClient, slack: SlackStandIn) -> None:
    before = row_counts()
    for action_id in REGISTERED.actions + UNKNOWN_ACTIONS:
        press_oddly(app, slack, action_id, before)


def press_oddly(app: AppClient, slack: SlackStandIn, action_id: str, before: dict[str, int]) -> None:
    @PAYLOAD_SETTINGS
    @given(action=odd_action(), who=_WHO, where=st.sampled_from(["message", "view", "none"]),
           drop_value=st.booleans(), state=odd_state())  # fmt: skip
    def press(action: dict[str, Any], who: tuple[str, str], where: str, drop_value: bool, state: dict) -> None:
        view = {"id": "V_ODD", "callback_id": "x", "private_metadata": "", "state": {"values": state}, "blocks": []}
        body = block_actions_body(
            action_id, "", user_id=who[0], team_id=who[1], channel_id="C_TEAM" if where == "message" else None,
            message_ts="1700000000.000100" if where == "message" else None, view=view if where == "view" else None,
            response_url=slack.response_url("odd"), action=action,
        )  # fmt: skip
        payload = json.loads(_unform(body))
        if drop_value:
            payload["actions"][0].pop("value", None)
        if where == "none":  # neither a message nor a view: no container, no response_url
            payload.pop("container", None)
            payload.pop("response_url", None)
        seen = seen_so_far(slack)
        reply = send(app, urlencode({"payload": json.dumps(payload)}))
        what = f"{action_id} {payload['actions'][0]!r} by {who} in {where}"
        check_answer(reply, slack, seen=seen, what=what)
        assert row_counts() == before, f"{what} changed rows"

    press()


# ---- forms ---------------------------------------------------------------------------------------------------------


def test_odd_form_submissions_are_answered_and_change_nothing(app: AppClient, slack: SlackStandIn) -> None:
    before = row_counts()
    for callback_id in REGISTERED.views + UNKNOWN_VIEWS:
        submit_oddly(app, slack, callback_id, before)


def submit_oddly(app: AppClient, slack: SlackStandIn, callback_id: str, before: dict[str, int]) -> None:
    @PAYLOAD_SETTINGS
    @given(state=odd_state(), metadata=_private_metadata(), who=_WHO)
    def submit(state: dict[str, Any], metadata: str, who: tuple[str, str]) -> None:
        body = view_submission_body(callback_id, {}, user_id=who[0], team_id=who[1], private_metadata=metadata)
        payload = json.loads(_unform(body))
        payload["view"]["state"] = {"values": state}
        seen = seen_so_far(slack)
        reply = send(app, urlencode({"payload": json.dumps(payload)}))
        what = f"{callback_id} state={state!r} private_metadata={metadata!r} by {who}"
        check_answer(reply, slack, seen=seen, what=what)
        assert row_counts() == before, f"{what} changed rows"

    submit()


def _unform(body: str) -> str:
    """The JSON inside a `payload=` form body."""
    from urllib.parse import parse_qs

    return parse_qs(body)["payload"][0]


# ---- slash commands ------------------------------------------------------------------------------------------------

COMMAND_MODULES = {
    "/cadence": cadence_commands,
    "/wg": wg_commands,
    "/esp": esp_commands,
    "/cocreate": cocreate_commands,
    "/okr": okr_commands,
}


@pytest.mark.parametrize("command", REGISTERED.commands)
def test_any_command_text_gets_an_ephemeral_answer_and_a_refusal_saves_nothing(
    command: str, app: AppClient, slack: SlackStandIn
) -> None:
    @PAYLOAD_SETTINGS
    @given(text=texts_for(COMMAND_MODULES[command]), who=_WHO, channel=st.sampled_from(["C_TEAM", "C_GENERAL", "D1"]))
    def type_it(text: str, who: tuple[str, str], channel: str) -> None:
        user, team = who
        before, seen, opened = row_counts(), seen_so_far(slack), len(slack.views_opened())
        body = command_body(command, text, user_id=user, channel_id=channel, team_id=team,
                            response_url=slack.response_url("command"))  # fmt: skip
        reply = send(app, body)
        what = f"{command} {text!r} by {user} of {team} in {channel}"
        check_answer(reply, slack, seen=seen, what=what)
        assert reply.status == 200, what
        if reply.body == "":  # a command that opens a form acks with nothing and opens it
            assert len(slack.views_opened()) > opened, f"{what}: an empty answer and no form"
            return
        assert reply["response_type"] == "ephemeral", f"{what}: {reply.body!r}"
        if reply.text.startswith(":x:"):
            assert row_counts() == before, f"{what}: refused, yet rows changed"

    type_it()


# ---- the same, against real rows -----------------------------------------------------------------------------------

# Values that name rows the seed made (ids 1..3, the imported quarter), mixed with odd ones: these get past the
# "out of date" check into the handlers' deeper reading, where a press may also rightly change something.
_REAL_TEXT = st.sampled_from(["1", "2", "3", "FY20-Q2|1", "FY20-Q2|", "FY20-Q2|Product Marketing", "FY20-Q2"])
_SOME_TEXT = st.one_of(_REAL_TEXT, _REAL_TEXT, _ODD_TEXT)
_REAL_METADATA = st.one_of(
    _SOME_TEXT,
    st.dictionaries(st.sampled_from(["kr", "item", "quarter", "channel", "ts", "home", "edit"]),
                    st.one_of(_SOME_TEXT, st.integers(1, 3), _ODD_VALUE), max_size=4).map(json.dumps),
)  # fmt: skip
_REAL_DATE = st.one_of(_ODD_DATE, st.sampled_from(["2026-12-24", "2019-08-15", "2027-01-31"]))
_REAL_USER = st.one_of(_ODD_USER, st.sampled_from(["U_ALICE", "U_BOB", "U_NOBODY"]))


@st.composite
def some_action(draw: st.DrawFn) -> dict[str, Any]:
    """actions[0] with a value or block_id naming a real row (often), and odd or fitting picks."""
    prefix = draw(st.sampled_from([item_ids.ITEM_ROW, wg_ids.WG_GROUP_ROW, cocreate_ids.STEP_ROW, "b"]))
    action = {
        "type": draw(st.sampled_from(["button", "datepicker", "users_select", "static_select"])),
        "block_id": prefix + draw(_SOME_TEXT),
        "value": draw(_SOME_TEXT),
    }
    picks = (("selected_date", _REAL_DATE), ("selected_user", _REAL_USER), ("selected_option", _ODD_OPTION))
    for field, strategy in picks:
        action.update(draw(_maybe(field, strategy)))
    return action


SEEDED_PEOPLE = ("U_ALICE", "U_BOB", "U_ADMIN", "U_DANA", "U_INFRA")
SEEDED_CHANNELS = ("C_TEAM", "C_GENERAL", "C_OKRS", "C_ESP")


SEEDED_ANSWERS: list[tuple[str, dict[str, Any]]] = []  # (channel, ephemeral answer) of the seed's commands


@pytest.fixture
def seeded(app: AppClient, slack: SlackStandIn, slack_client: Any) -> AppClient:
    """A workspace with a posted nudge, a working group with an item and a criterion, a co-create checklist and an
    imported OKR quarter, each made the way people make them."""
    from tests.handlers.test_cocreate import started
    from tests.handlers.test_esp import esp, set_up
    from tests.handlers.test_nudges import post_one_nudge
    from tests.handlers.test_okr import import_seed, okr

    SEEDED_ANSWERS.clear()
    post_one_nudge(slack, slack_client)
    app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM")
    app.command("/wg", 'criterion add "Ship the new docs"', user="U_ALICE", channel="C_TEAM")
    app.command("/wg", 'action "Write outline" <@U_BOB|bob> due 2026-12-20', user="U_ALICE", channel="C_TEAM")
    started(app, slack)
    slack.add_channel("C_OKRS", "okrs", members=["U_ADMIN", "U_ALICE"])
    import_seed(app, slack)
    slack.add_user("U_INFRA", name="inf", real_name="Infra Lead", tz="UTC")
    okr(app, 'owner "Infrastructure" <@U_INFRA|inf>')
    after = datetime(2019, 8, 1, 9, tzinfo=UTC)
    okr(app, "retro FY20-Q2 Infrastructure", user="U_INFRA", at=after)
    retro = {block: {block: {"type": "plain_text_input", "value": text}} for block, text in (
        (retro_ids.OKR_RETRO_TEAM, "Infrastructure"), (retro_ids.OKR_RETRO_GOOD, "- Shipped"),
        (retro_ids.OKR_RETRO_BAD, "- Slow"), (retro_ids.OKR_RETRO_TRY, "Hire the data analyst"))}  # fmt: skip
    with time_machine.travel(after, tick=False):
        assert app.submit(slack.views_opened()[-1], retro, user="U_INFRA").body == ""
    for user_id, name in (("U_DANA", "dana"), ("U_SAM", "sam")):
        slack.add_user(user_id, name=name, tz="UTC")
    slack.add_channel("C_ESP", "executive-sponsor-program", members=["U_ADMIN", "U_DANA", "U_ALICE"])
    set_up(app)
    esp(app, 'assign <@U_DANA|dana> "Acct 1"')
    dispatcher.tick(datetime(2026, 2, 2, 10, 0, tzinfo=UTC), client=slack_client)  # the checklist nudges
    # Answers that carry controls, kept as the ephemeral messages the person sees (pressed with their response_url).
    for command, text, user, channel in (
        ("/cadence", "list", "U_ALICE", "C_TEAM"), ("/wg", "actions", "U_ALICE", "C_TEAM"),
        ("/wg", "charter", "U_ALICE", "C_TEAM"), ("/wg", "item 1", "U_BOB", "C_TEAM"),
        ("/okr", "tree FY20-Q2", "U_ADMIN", "C_GENERAL"), ("/okr", "mine FY20-Q2", "U_INFRA", "C_GENERAL"),
    ):  # fmt: skip
        reply = app.command(command, text, user=user, channel=channel)
        if isinstance(reply.body, dict) and reply.body.get("blocks"):
            SEEDED_ANSWERS.append((channel, {**reply.body, "ts": "1700000000.000100"}))
    for user in SEEDED_PEOPLE:  # each one's App Home, with the controls it draws
        app.event({"type": "app_home_opened", "user": user, "channel": "D_" + user, "tab": "home"})
    made = row_counts()
    seeded_tables = ("delivery", "working_group", "action_item", "exit_criterion", "outreach_step", "okr_key_result",
                     "okr_retro_item", "checklist_item", "esp_sponsorship")  # fmt: skip
    assert [table for table in seeded_tables if not made[table]] == []
    return app


def test_presses_and_submissions_on_real_rows_never_crash_and_a_refusal_changes_nothing(
    seeded: AppClient, slack: SlackStandIn
) -> None:
    for action_id in REGISTERED.actions:
        press_on_real_rows(seeded, slack, action_id)
    for callback_id in REGISTERED.views:
        submit_on_real_rows(seeded, slack, callback_id)


def refused(shown: str, reply: Reply) -> bool:
    """Whether the user was told no: a `:x:` answer, or errors under a form's fields."""
    return ":x:" in shown or (isinstance(reply.body, dict) and reply.body.get("response_action") == "errors")


def places_of(slack: SlackStandIn, action_id: str) -> list[tuple[str | None, dict[str, Any]]]:
    """Where the bot drew the control `action_id`: (channel, message) for each message, (None, view) for each
    person's App Home."""
    carries = lambda blocks: f'"action_id": "{action_id}"' in json.dumps(blocks)  # noqa: E731
    found: list[tuple[str | None, dict[str, Any]]] = []
    for channel in [*SEEDED_CHANNELS, *(slack.dm_channel(user) for user in SEEDED_PEOPLE)]:
        found += [(channel, message) for message in slack.messages(channel) if carries(message.get("blocks", []))]
    found += [(channel, answer) for channel, answer in SEEDED_ANSWERS if carries(answer["blocks"])]
    for user in SEEDED_PEOPLE:
        homes = slack.views_published(user)
        if homes and carries(homes[-1].get("blocks", [])):
            found.append((None, homes[-1]))
    return found


def press_on_real_rows(app: AppClient, slack: SlackStandIn, action_id: str) -> None:
    # Pressed where the bot drew it, so a redraw has its message (or Home) to update.
    places = places_of(slack, action_id)
    if not places:
        return  # a control no seeded message or Home shows: the odd-payload property covers it

    @PAYLOAD_SETTINGS
    @given(action=some_action(), who=_WHO, place=st.sampled_from(places))
    def press(action: dict[str, Any], who: tuple[str, str], place: tuple[str | None, dict[str, Any]]) -> None:
        before, seen = row_counts(), seen_so_far(slack)
        channel, drawn = place
        body = block_actions_body(
            action_id, "", user_id=who[0], team_id=who[1], channel_id=channel,
            message=drawn if channel else None, view=None if channel else drawn,
            response_url=slack.response_url("real"), action=action,
        )  # fmt: skip
        reply = send(app, body)
        what = f"{action_id} {action!r} by {who} in {channel or 'App Home'}"
        shown = check_answer(reply, slack, seen=seen, what=what)
        if refused(shown, reply):
            assert row_counts() == before, f"{what}: refused, yet rows changed"

    press()


def submit_on_real_rows(app: AppClient, slack: SlackStandIn, callback_id: str) -> None:
    @PAYLOAD_SETTINGS
    @given(state=odd_state(), metadata=_REAL_METADATA, who=_WHO)
    def submit(state: dict[str, Any], metadata: str, who: tuple[str, str]) -> None:
        before, seen = row_counts(), seen_so_far(slack)
        body = view_submission_body(callback_id, {}, user_id=who[0], team_id=who[1], private_metadata=metadata)
        payload = json.loads(_unform(body))
        payload["view"]["state"] = {"values": state}
        reply = send(app, urlencode({"payload": json.dumps(payload)}))
        what = f"{callback_id} state={state!r} private_metadata={metadata!r} by {who}"
        shown = check_answer(reply, slack, seen=seen, what=what)
        if refused(shown, reply):
            assert row_counts() == before, f"{what}: refused, yet rows changed"

    submit()


# ---- the crashes these properties found, one plain example each ---------------------------------------------------


def test_a_button_whose_value_is_no_row_id_is_told_it_is_out_of_date(app: AppClient, slack: SlackStandIn) -> None:
    before = row_counts()
    body = block_actions_body(ids.NUDGE_DONE, "abc", user_id="U_ALICE", channel_id="C_TEAM",
                              message_ts="1700000000.000100", response_url=slack.response_url("stale"))  # fmt: skip
    reply = send(app, body)
    assert reply.status == 200
    [answer] = reply.responses
    assert answer["response_type"] == "ephemeral" and "out of date" in answer["text"]
    assert row_counts() == before


def test_a_date_picker_sending_no_date_is_asked_to_pick_again(app: AppClient, slack: SlackStandIn) -> None:
    body = block_actions_body(item_ids.ITEM_DUE, "", user_id="U_ALICE", channel_id="C_TEAM",
                              message_ts="1700000000.000100", block_id=item_ids.ITEM_ROW + "1",
                              action={"type": "datepicker", "selected_date": "2026-13-45"},
                              response_url=slack.response_url("date"))  # fmt: skip
    reply = send(app, body)
    assert reply.status == 200 and "Pick it again" in reply.responses[0]["text"]


def test_a_form_whose_private_metadata_is_not_ours_is_refused_under_its_field(app: AppClient) -> None:
    before = row_counts()
    field = {"type": "input", "block_id": okr_ids.OKR_SCORE_VALUE, "label": {"type": "plain_text", "text": "Score"},
             "element": {"type": "plain_text_input", "action_id": okr_ids.OKR_SCORE_VALUE}}  # fmt: skip
    values = {okr_ids.OKR_SCORE_VALUE: {okr_ids.OKR_SCORE_VALUE: "70"}}
    body = view_submission_body(okr_ids.OKR_SCORE_MODAL, values, user_id="U_ALICE", private_metadata="42",
                                blocks=[field])  # fmt: skip
    reply = send(app, body)
    assert reply.status == 200 and reply["response_action"] == "errors"
    assert "out of date" in reply["errors"][okr_ids.OKR_SCORE_VALUE]
    assert row_counts() == before


def test_a_refused_press_in_app_home_is_answered_by_dm_not_a_500(app: AppClient, slack: SlackStandIn) -> None:
    home = {"id": "V_HOME", "type": "home", "callback_id": "", "private_metadata": "", "blocks": []}
    body = block_actions_body(ids.CADENCE_PAUSE, "999", user_id="U_ALICE", view=home)
    reply = send(app, body)
    assert reply.status == 200 and reply.responses == []
    [dm] = slack.messages("U_ALICE")
    assert dm["text"].startswith(":x:")


def test_a_users_menu_sending_no_user_id_is_asked_to_pick_again_and_saves_nothing(
    seeded: AppClient, slack: SlackStandIn
) -> None:
    before = row_counts()
    for action_id, block_id in ((item_ids.ITEM_REASSIGN, item_ids.ITEM_ROW + "1"),
                                (cocreate_ids.STEP_REASSIGN, cocreate_ids.STEP_ROW + "1")):  # fmt: skip
        body = block_actions_body(action_id, "", user_id="U_ALICE", channel_id="C_GENERAL",
                                  message_ts="1700000000.000100", block_id=block_id,
                                  action={"type": "users_select", "selected_user": {"id": "U_BOB"}},
                                  response_url=slack.response_url("who"))  # fmt: skip
        reply = send(seeded, body)
        assert reply.status == 200 and "Pick them again" in reply.responses[-1]["text"], action_id
    assert row_counts() == before


def test_a_form_field_of_another_shape_reads_as_not_filled_in(app: AppClient) -> None:
    files_as_a_dict = {"type": "file_input", "files": {"id": "F1"}}
    values = {
        wg_ids.WG_IMPORT_PAGE: {wg_ids.WG_IMPORT_PAGE: ""},
        wg_ids.WG_IMPORT_FILE: {wg_ids.WG_IMPORT_FILE: files_as_a_dict},
    }
    reply = send(
        app, view_submission_body(wg_ids.WG_IMPORT_MODAL, values, user_id="U_ALICE", private_metadata="C_TEAM")
    )
    assert reply.status == 200 and reply["errors"] == {wg_ids.WG_IMPORT_PAGE: "Paste the page, or attach it as a file."}


def test_a_form_whose_step_or_channel_is_not_one_is_told_it_is_out_of_date(app: AppClient) -> None:
    before = row_counts()
    skip = {cocreate_ids.SKIP_REASON: {cocreate_ids.SKIP_REASON: "No budget"}}
    create = {wg_ids.WG_CREATE_NAME: {wg_ids.WG_CREATE_NAME: "Docs revamp"}}
    for callback_id, values in ((cocreate_ids.SKIP_MODAL, skip), (wg_ids.WG_CREATE_MODAL, create)):
        body = view_submission_body(callback_id, values, user_id="U_ALICE", private_metadata="not ours")
        reply = send(app, body)
        assert reply.status == 200 and reply["response_action"] == "errors", callback_id
        assert "out of date" in json.dumps(reply["errors"]), callback_id
    assert row_counts() == before
