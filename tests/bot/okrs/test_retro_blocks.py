"""OKR retrospective Block Kit: every payload is one Slack accepts, the form round-trips, TRY lines become action items,
user text is escaped, and a big retro stays inside 50 blocks."""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.errors import UserError
from bot.okrs import ids as okr_ids
from bot.okrs.blocks import pieces as pieces_blocks
from bot.okrs.blocks import retro as retro_blocks
from bot.okrs.blocks import tries as tries_blocks
from bot.okrs.rules import QuarterSpan, next_quarter, try_window
from models import ActionItem, ActionItemStatus
from tests.bot.working_groups import test_blocks as wg_checks
from tests.bot.working_groups.test_blocks import assert_view_valid, elements, texts

TODAY = date(2019, 8, 2)
FY20_Q2 = QuarterSpan("FY20-Q2", date(2019, 5, 1), date(2019, 7, 31))
FY20_Q3 = next_quarter(FY20_Q2)
WINDOW = try_window(FY20_Q2, date(2019, 8, 1))  # the day after FY20-Q2: FY20-Q3 is ahead
EVIL = "<!channel> <http://x|y> & <@U999>"
RETRO_KEY = re.compile(r"\d+:\d*")  # the quarter's row id and the team's, or none
QUARTER_ID, TEAM_ID = 7, 31


# --- helpers ---------------------------------------------------------------------------------------------------


def assert_message_valid(payload: dict[str, Any]) -> None:
    """test_working_groups' check (slack_sdk parses every block, at most 50, unique block ids, a text fallback), plus
    sections within 3000 characters. The retro's Write and Edit buttons carry two row ids, `QUARTER_ID:TEAM_ID` (the
    DM's team is a row of another quarter's retro), so their values are checked for that shape and then stood in for."""
    checked = copy.deepcopy(payload)
    for element in elements(checked["blocks"]):
        if element["action_id"] in (okr_ids.OKR_RETRO_OPEN, okr_ids.OKR_RETRO_EDIT):
            assert RETRO_KEY.fullmatch(element["value"]), element["value"]
            element["value"] = "0"
    wg_checks.assert_message_valid(checked)
    for block in payload["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


def modal_valid(modal: dict[str, Any]) -> dict[str, Any]:
    """What the Slack stand-in checks of a modal: slack_sdk takes it, it has a title, and a submit for its inputs."""
    as_dict = assert_view_valid(View(**modal))
    assert as_dict["type"] == "modal" and as_dict["title"]["text"] and as_dict["submit"]["text"]
    return as_dict


def submitted(modal: dict[str, Any], **overrides: dict[str, Any]) -> dict[str, Any]:
    """The view Slack sends back on submit: each input's initial value as its state, unless overridden."""
    values: dict[str, Any] = {}
    for block in modal["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        state: dict[str, Any] = {"type": element["type"]}
        if element["type"] == "plain_text_input":
            state["value"] = element.get("initial_value")
        elif element["type"] == "datepicker":
            state["selected_date"] = element.get("initial_date")
        elif element["type"] == "users_select":
            state["selected_user"] = element.get("initial_user")
        state.update(overrides.get(block["block_id"], {}))
        values[block["block_id"]] = {element["action_id"]: state}
    return {**modal, "id": "V1", "state": {"values": values}}


def action(aid: int, try_id: int, *, owner: str | None = "U1", due: date | None = date(2019, 8, 15), done=False):
    return ActionItem(
        id=aid,
        team_id="T",
        program="okr",
        subject_id=try_id,
        text="Move away from project-based KRs",
        owner_id=owner,
        owner_name=None if owner else "Dana Ops",
        due_on=due,
        status=ActionItemStatus.DONE if done else ActionItemStatus.OPEN,
        created_by="U1",
    )


def infrastructure() -> list[tuple[int, str, str, ActionItem | None]]:
    """Shaped like the Infrastructure retro of seeds/okrs-fy20-q2.md; TRY #8 is already action item #12."""
    return [
        (1, "good", "We made it to 72%, so we *guesstimated* well on **overall** ambition", None),
        (2, "good", "Significant achievements on Continuous Delivery (June) and the code base merge", None),
        (3, "bad", "We focused too much on OKRs while neglecting availability, so production suffered.", None),
        (4, "bad", "Project-based KRs contributed to diverting attention from availability", None),
        (7, "try", "Move away from project-based KRs into proper data-driven KRs", None),
        (8, "try", "Improve KR tracking internally in Infrastructure", action(12, 8)),
        (9, "try", "We must hire the operations/data analyst to have a full-time driver behind cost management", None),
    ]


def big_retro(per_kind: int = 60) -> list[tuple[int, str, str, ActionItem | None]]:
    words = "a sentence long enough to make a retro line read like the handbook's own lines do"
    return [
        (100 * k + n, kind, f"{kind.upper()} {n}: {words}", None)
        for k, kind in enumerate(("good", "bad", "try"), start=1)
        for n in range(1, per_kind + 1)
    ]


def retro_message(items=None, team: str = "Infrastructure") -> dict[str, Any]:
    items = infrastructure() if items is None else items
    return retro_blocks.retro_message(
        quarter_id=QUARTER_ID, team_id=TEAM_ID, quarter_label="FY20-Q2", team=team, items=items, today=TODAY
    )


def ask_dm(names: list[str]) -> dict[str, Any]:
    """The ask DM for teams numbered from TEAM_ID, as rows of the previous retrospective."""
    teams = list(enumerate(names, start=TEAM_ID))
    return retro_blocks.retro_ask_dm(quarter=FY20_Q2, quarter_id=QUARTER_ID, teams=teams)


def mrkdwn_texts(blocks: list[dict[str, Any]]) -> list[str]:
    found = []
    for block in blocks:
        if block["type"] == "section":
            found.append(block["text"]["text"])
        found += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return found


def buttons(blocks: list[dict[str, Any]], action_id: str) -> list[dict[str, Any]]:
    return [e for e in elements(blocks) if e["action_id"] == action_id]


# --- every payload is valid --------------------------------------------------------------------------------------

MESSAGES = {
    "retro": lambda: retro_message(),
    "retro, empty": lambda: retro_message([]),
    "retro, big": lambda: retro_message(big_retro()),
    "retro, only TRY with action items": lambda: retro_message([(n, "try", "x", action(n, n)) for n in range(1, 90)]),
    "ask, teams": lambda: ask_dm(["Infrastructure", "Delivery"]),
    "ask, no team": lambda: ask_dm([]),
    "ask, 60 teams": lambda: ask_dm([f"Team {n}" for n in range(60)]),
    "saved": lambda: retro_blocks.retro_saved_reply(quarter_label="FY20-Q2", team="Delivery", counts=(4, 4, 3)),
    "try done": lambda: tries_blocks.try_done_reply(action(12, 5), today=TODAY),
}


@pytest.mark.parametrize("build", MESSAGES.values(), ids=MESSAGES.keys())
def test_every_message_is_valid_block_kit_with_a_fallback(build):
    assert_message_valid(build())


def test_replies_are_ephemeral_and_channel_posts_are_not():
    assert (
        retro_blocks.retro_saved_reply(quarter_label="FY20-Q2", team="D", counts=(1, 2, 3))["response_type"]
        == "ephemeral"
    )
    assert tries_blocks.try_done_reply(action(12, 5), today=TODAY)["response_type"] == "ephemeral"
    assert "response_type" not in retro_message()
    assert "response_type" not in ask_dm(["Delivery"])


def test_modals_are_valid_views_with_their_callback_ids():
    modal = modal_valid(
        retro_blocks.retro_modal(
            quarter_label="FY20-Q2", team="Delivery", good=["a"], bad=[], try_=["b"], private_metadata='{"q": 1}'
        )
    )
    assert modal["callback_id"] == okr_ids.OKR_RETRO_MODAL and modal["title"]["text"] == "Retrospective"
    assert modal["private_metadata"] == '{"q": 1}'
    try_form = modal_valid(tries_blocks.try_modal(item_id=7, text="Try it", window=WINDOW, private_metadata="7"))
    assert try_form["callback_id"] == okr_ids.OKR_TRY_MODAL


# --- the retro form ---------------------------------------------------------------------------------------------


def test_retro_form_of_a_new_team_names_the_teams_the_pages_have():
    modal = modal_valid(
        retro_blocks.retro_modal(
            quarter_label="FY20-Q2",
            team="<!channel> Marketing",
            good=[],
            bad=[],
            try_=[],
            private_metadata="",
            new_beside=["Infrastructure", "Delivery", "Development"],
        )
    )
    note = texts(modal["blocks"])
    assert ":new: *&lt;!channel&gt; Marketing* is a new team" in note
    assert "the retrospectives have Infrastructure, Delivery and Development." in note
    plain = retro_blocks.retro_modal(
        quarter_label="FY20-Q2", team="Delivery", good=[], bad=[], try_=[], private_metadata=""
    )
    assert ":new:" not in texts(plain["blocks"])


def test_retro_form_names_the_quarter_and_requires_only_the_team():
    modal = retro_blocks.retro_modal(quarter_label="FY20-Q2", team=None, good=[], bad=[], try_=[], private_metadata="")
    inputs = {b["block_id"]: b for b in modal["blocks"] if b["type"] == "input"}
    assert list(inputs) == [
        okr_ids.OKR_RETRO_TEAM,
        okr_ids.OKR_RETRO_GOOD,
        okr_ids.OKR_RETRO_BAD,
        okr_ids.OKR_RETRO_TRY,
    ]
    assert not inputs[okr_ids.OKR_RETRO_TEAM].get("optional") and "initial_value" not in inputs[okr_ids.OKR_RETRO_TEAM]
    for block_id in (okr_ids.OKR_RETRO_GOOD, okr_ids.OKR_RETRO_BAD, okr_ids.OKR_RETRO_TRY):
        assert inputs[block_id]["optional"] and inputs[block_id]["element"]["multiline"]
        assert inputs[block_id]["element"]["max_length"] == 3000
        assert "one item per line" in texts(inputs[block_id]).lower()
    assert "*FY20-Q2*" in texts(modal["blocks"][0])


def test_retro_form_round_trips_its_items_through_the_reader():
    good = ["We made it to 72%, so we *guesstimated* well", "1.5% better than planned", EVIL]
    bad = ["- a line that starts like a list", "2) so does this", "[ ] and this", "broken\nacross lines"]
    try_ = ["Move to data-driven KRs"]
    modal = retro_blocks.retro_modal(
        quarter_label="FY20-Q2", team="Infrastructure", good=good, bad=bad, try_=try_, private_metadata=""
    )
    team, good_read, bad_read, try_read = retro_blocks.read_retro_modal(submitted(modal))
    assert team == "Infrastructure"
    assert good_read == good and try_read == try_
    assert bad_read == [*bad[:3], "broken across lines"]


def test_list_markers_and_empty_lines_are_dropped_when_reading():
    typed = (
        "- dash\n* star\n• bullet\n1. one\n12) twelve\n[ ] box\n[x] ticked\n\n   \n  - indented\n-\n1.5% kept\n-kept"
    )
    view = submitted(
        retro_blocks.retro_modal(quarter_label="FY20-Q2", team=None, good=[], bad=[], try_=[], private_metadata=""),
        **{okr_ids.OKR_RETRO_TEAM: {"value": "  Delivery "}, okr_ids.OKR_RETRO_TRY: {"value": typed}},
    )
    team, good, bad, try_ = retro_blocks.read_retro_modal(view)
    assert (team, good, bad) == ("Delivery", [], [])
    assert try_ == ["dash", "star", "bullet", "one", "twelve", "box", "ticked", "indented", "1.5% kept", "-kept"]


def test_a_blank_team_is_refused_under_the_team_box():
    view = submitted(
        retro_blocks.retro_modal(quarter_label="FY20-Q2", team=None, good=[], bad=[], try_=[], private_metadata=""),
        **{okr_ids.OKR_RETRO_TEAM: {"value": "   "}},
    )
    with pytest.raises(UserError) as raised:
        retro_blocks.read_retro_modal(view)
    assert raised.value.field == okr_ids.OKR_RETRO_TEAM


def test_a_retro_too_long_for_a_slack_box_is_refused_not_cut():
    long_bad = [f"BAD {n}: " + "x" * 90 for n in range(40)]  # about 4000 characters
    with pytest.raises(UserError) as raised:
        retro_blocks.retro_modal(
            quarter_label="FY20-Q2", team=EVIL, good=["fine"], bad=long_bad, try_=[], private_metadata=""
        )
    message = raised.value.message
    assert "too long to edit in Slack" in message and "BAD" in message and "GOOD" not in message
    assert "`python app.py okr import`" in message
    assert "<!channel>" not in message and "`@channel y &amp; @U999`" in message  # as typed, never live


def test_a_retro_that_just_fits_is_prefilled_whole():
    good = ["y" * 999, "y" * 999, "y" * 1000]  # 3000 characters with the two line breaks
    modal = retro_blocks.retro_modal(quarter_label="FY20-Q2", team="T", good=good, bad=[], try_=[], private_metadata="")
    assert retro_blocks.read_retro_modal(submitted(modal))[1] == good


# --- the posted retro -------------------------------------------------------------------------------------------


def test_retro_message_reads_good_bad_try_under_a_header():
    payload = retro_message()
    blocks = payload["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "FY20-Q2 retrospective: Infrastructure", "emoji": True},
    }
    shown = "\n".join(mrkdwn_texts(blocks))
    assert shown.index(":white_check_mark: *GOOD*") < shown.index(":x: *BAD*") < shown.index(":bulb: *TRY*")
    assert "1. We made it to 72%" in shown and "2. Project-based KRs" in shown
    assert "2 GOOD, 2 BAD, 3 TRY" in payload["text"]


def test_a_try_without_an_action_item_has_a_button_and_one_with_shows_the_item():
    blocks = retro_message()["blocks"]
    make = buttons(blocks, okr_ids.OKR_TRY_OPEN)
    assert [b["value"] for b in make] == ["7", "9"]
    assert {b["text"]["text"] for b in make} == {"Make it an action item"}
    linked = next(b for b in blocks if b["type"] == "section" and "*#8*" in b["text"]["text"])
    assert "accessory" not in linked
    assert "→ action item #12, <@U1> by Thu 15 Aug" in linked["text"]["text"]


def test_a_done_action_item_says_done_and_an_unlinked_owner_is_named():
    done = retro_message([(8, "try", "Improve tracking", action(12, 8, done=True))])
    assert "→ action item #12, <@U1> · done" in texts(done["blocks"])
    named = retro_message([(8, "try", "Improve tracking", action(12, 8, owner=None, due=None))])
    assert (
        "→ action item #12, Dana Ops" in texts(named["blocks"]) and buttons(named["blocks"], okr_ids.OKR_TRY_OPEN) == []
    )


def test_edit_is_the_last_row_and_names_the_quarter_and_team():
    blocks = retro_message(team="Product Marketing")["blocks"]
    assert blocks[-1]["type"] == "actions"
    assert [(e["action_id"], e["value"]) for e in blocks[-1]["elements"]] == [
        (okr_ids.OKR_RETRO_EDIT, f"{QUARTER_ID}:{TEAM_ID}")
    ]


def test_an_empty_retro_says_so_under_each_heading():
    shown = "\n".join(mrkdwn_texts(retro_message([])["blocks"]))
    assert shown.count("_None._") == 3


def test_user_text_comes_out_escaped():
    items = [(1, "good", EVIL, None), (2, "bad", EVIL, None), (3, "try", EVIL, None), (4, "try", EVIL, action(5, 4))]
    payload = retro_message(items, team=EVIL)
    for text in [payload["text"], *mrkdwn_texts(payload["blocks"])]:
        assert "<!channel>" not in text and "<http://x|y>" not in text and "<@U999>" not in text
    assert "&lt;!channel&gt; &lt;http://x|y&gt; &amp; &lt;@U999&gt;" in texts(payload["blocks"])
    ask = ask_dm([EVIL])
    saved = retro_blocks.retro_saved_reply(quarter_label="FY20-Q2", team=EVIL, counts=(1, 1, 1))
    evil_action = action(5, 4)
    evil_action.text = EVIL
    done = tries_blocks.try_done_reply(evil_action, today=TODAY)
    for payload in (ask, saved, done):
        assert all("<!channel>" not in text for text in [payload["text"], *mrkdwn_texts(payload["blocks"])])


def test_a_big_retro_stays_within_50_blocks_and_keeps_try_buttons_before_good_and_bad_lines():
    payload = retro_message(big_retro())
    assert_message_valid(payload)
    blocks = payload["blocks"]
    assert len(blocks) <= 50 and blocks[-1]["elements"][0]["action_id"] == okr_ids.OKR_RETRO_EDIT
    shown = mrkdwn_texts(blocks)
    good = [t for t in shown if t.startswith(":white_check_mark: *GOOD*")]
    bad = [t for t in shown if t.startswith(":x: *BAD*")]
    assert len(good) == len(bad) == 1  # GOOD and BAD gave way to the TRY buttons
    assert re.search(r"_…and \d+ more\._$", good[0]) and re.search(r"_…and \d+ more\._$", bad[0])
    make = buttons(blocks, okr_ids.OKR_TRY_OPEN)
    assert len(make) >= 40 and [b["value"] for b in make] == [str(300 + n) for n in range(1, len(make) + 1)]
    note = texts(blocks[-2])
    assert f"{60 - len(make)} TRY items have no button here" in note and "`/okr try" in note
    every_try = "\n".join(shown)
    assert all(f"*#{300 + n}*" in every_try for n in range(1, 61))  # every TRY is still listed


def test_good_and_bad_take_more_sections_when_the_try_rows_leave_room():
    items = [item for item in big_retro() if item[1] != "try"]
    shown = mrkdwn_texts(retro_message(items)["blocks"])
    assert not any("more._" in text for text in shown)
    listed = "\n".join(shown)
    assert all(f"{n}. GOOD {n}:" in listed and f"{n}. BAD {n}:" in listed for n in range(1, 61))


# --- a TRY becomes an action item -------------------------------------------------------------------------------


def test_try_form_suggests_a_due_date_a_month_into_the_next_quarter():
    modal = tries_blocks.try_modal(item_id=7, text="Move to data-driven KRs", window=WINDOW, private_metadata="7")
    inputs = {b["block_id"]: b for b in modal["blocks"] if b["type"] == "input"}
    assert inputs[okr_ids.OKR_TRY_TEXT]["element"]["initial_value"] == "Move to data-driven KRs"
    assert inputs[okr_ids.OKR_TRY_TEXT]["element"]["max_length"] == 1000
    assert inputs[okr_ids.OKR_TRY_OWNER]["element"]["type"] == "users_select"
    assert not any(block.get("optional") for block in inputs.values())
    due = date.fromisoformat(inputs[okr_ids.OKR_TRY_DUE]["element"]["initial_date"])
    assert due == date(2019, 8, 31) and FY20_Q3.contains(due)
    assert "Due from 1 Aug 2019 to 31 Oct 2019 (from today to the end of FY20-Q3, the quarter after" in (
        texts(modal["blocks"])
    )


def test_try_form_of_a_quarter_long_gone_starts_a_month_from_today_and_spans_show_both_years():
    window = try_window(FY20_Q2, date(2026, 7, 10))  # FY20-Q2 imported years later
    modal = tries_blocks.try_modal(item_id=1, text="x", window=window, private_metadata="1")
    picker = next(b for b in modal["blocks"] if b.get("block_id") == okr_ids.OKR_TRY_DUE)["element"]
    assert picker["initial_date"] == "2026-08-09" and window.contains(date(2026, 8, 9))
    assert "Due from 10 Jul 2026 to 8 Oct 2026 (from today to the end of FY20-Q3" in texts(modal["blocks"])
    winter = next_quarter(FY20_Q3)
    assert pieces_blocks.quarter_span(winter) == "1 Nov 2019 – 31 Jan 2020"


def test_a_try_longer_than_the_box_starts_clipped_with_a_hint():
    modal = modal_valid(tries_blocks.try_modal(item_id=1, text="z" * 1500, window=WINDOW, private_metadata="1"))
    block = next(b for b in modal["blocks"] if b.get("block_id") == okr_ids.OKR_TRY_TEXT)
    assert len(block["element"]["initial_value"]) == 1000 and block["hint"]["text"]


def test_read_try_modal_gives_text_owner_and_due_date():
    modal = tries_blocks.try_modal(item_id=7, text="Move to data-driven KRs", window=WINDOW, private_metadata="7")
    view = submitted(
        modal,
        **{
            okr_ids.OKR_TRY_TEXT: {"value": "  Move to data-driven KRs by Q3  "},
            okr_ids.OKR_TRY_OWNER: {"selected_user": "U2"},
            okr_ids.OKR_TRY_DUE: {"selected_date": "2019-09-15"},
        },
    )
    assert tries_blocks.read_try_modal(view) == ("Move to data-driven KRs by Q3", "U2", date(2019, 9, 15))
    assert tries_blocks.read_try_modal(submitted(modal)) == ("Move to data-driven KRs", None, date(2019, 8, 31))
    with pytest.raises(UserError) as raised:
        tries_blocks.read_try_modal(submitted(modal, **{okr_ids.OKR_TRY_TEXT: {"value": " "}}))
    assert raised.value.field == okr_ids.OKR_TRY_TEXT


def test_try_done_reply_names_the_try_the_item_the_owner_and_the_day():
    reply = tries_blocks.try_done_reply(action(12, 5), today=TODAY)
    assert "TRY #5 is now action item #12 for <@U1>, due Thu 15 Aug" in reply["blocks"][0]["text"]["text"]
    later = tries_blocks.try_done_reply(action(12, 5, due=date(2020, 1, 15)), today=TODAY)
    assert "due Wed 15 Jan 2020" in later["text"]


# --- asking for the retro and confirming it ---------------------------------------------------------------------


def test_ask_dm_has_a_write_button_per_team():
    blocks = ask_dm(["Infrastructure", "Delivery"])["blocks"]
    write = buttons(blocks, okr_ids.OKR_RETRO_OPEN)
    assert [b["value"] for b in write] == ["7:31", "7:32"]
    assert {b["text"]["text"] for b in write} == {"Write the retro"}
    assert "*FY20-Q2* (1 May – 31 Jul 2019) has ended" in texts(blocks)


def test_ask_dm_without_a_known_team_has_one_button_for_the_form():
    blocks = ask_dm([])["blocks"]
    assert [b["value"] for b in buttons(blocks, okr_ids.OKR_RETRO_OPEN)] == ["7:"]


def test_ask_dm_for_many_teams_counts_the_rest_and_offers_the_form():
    payload = ask_dm([f"Team {n}" for n in range(60)])
    values = [b["value"] for b in buttons(payload["blocks"], okr_ids.OKR_RETRO_OPEN)]
    assert len(payload["blocks"]) <= 50 and values[-1] == "7:" and len(values) == retro_blocks.ASK_TEAM_LIMIT + 1
    assert f"…and {60 - retro_blocks.ASK_TEAM_LIMIT} more teams" in texts(payload["blocks"])


def test_saved_reply_counts_the_lists():
    reply = retro_blocks.retro_saved_reply(quarter_label="FY20-Q2", team="Delivery", counts=(4, 4, 3))
    assert "FY20-Q2 retrospective of *Delivery*: 4 GOOD, 4 BAD, 3 TRY" in reply["text"]


def test_retro_values_read_back_and_old_messages_still_read():
    assert retro_blocks.read_retro_value(retro_blocks.retro_value(7, 31)) == retro_blocks.RetroValue("7", "31")
    assert retro_blocks.read_retro_value(retro_blocks.retro_value(7, None)) == retro_blocks.RetroValue("7", "")
    legacy = retro_blocks.read_retro_value("FY20-Q2|Product Marketing")
    assert legacy == retro_blocks.RetroValue("FY20-Q2", "Product Marketing", legacy=True)
    assert retro_blocks.read_retro_value("FY20-Q2|") == retro_blocks.RetroValue("FY20-Q2", "", legacy=True)
