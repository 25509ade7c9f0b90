"""Working-group Block Kit: every payload is one Slack accepts, user text is escaped, nothing spills past 50 blocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.action_items import blocks as item_blocks
from bot.action_items import ids as item_ids
from bot.blocks import common
from bot.errors import UserError
from bot.working_groups import ids
from bot.working_groups.blocks import charter as wg_charter
from bot.working_groups.blocks import criteria as wg_criteria
from bot.working_groups.blocks import export as wg_export
from bot.working_groups.blocks import help as wg_help
from bot.working_groups.blocks import home as wg_home
from bot.working_groups.blocks import items as wg_items
from bot.working_groups.blocks import modals as wg_modals
from bot.working_groups.blocks import pieces as wg_pieces
from bot.working_groups.blocks import roles as wg_roles
from bot.working_groups.blocks import scheduled as wg_scheduled
from models import (
    ActionItem,
    ActionItemStatus,
    ExitCriterion,
    WorkingGroup,
    WorkingGroupMember,
    WorkingGroupStatus,
)

TODAY = date(2026, 12, 3)  # a Thursday
EVIL = "<!channel> <http://x|y> & <@U999>"


# --- helpers ---------------------------------------------------------------------------------------------------


def assert_blocks_valid(blocks: list[dict[str, Any]]) -> None:
    """Slack would take these blocks: slack_sdk parses each one and checks its limits, at most 50, unique ids."""
    assert 0 < len(blocks) <= 50
    for parsed in Block.parse_all(blocks):
        assert parsed is not None, "unknown block type"
        parsed.to_dict()
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    for element in elements(blocks):
        if element.get("type") == "button":
            assert element["value"].isdigit(), "a button value is a row id and nothing more"


def assert_message_valid(payload: dict[str, Any]) -> None:
    """A message: a non-empty plain-text fallback and valid blocks."""
    assert payload["text"].strip()
    assert_blocks_valid(payload["blocks"])


def assert_view_valid(view: View) -> dict[str, Any]:
    as_dict = view.to_dict()
    assert View(**as_dict).to_dict() == as_dict
    return as_dict


def elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in blocks:
        if "accessory" in block:
            found.append(block["accessory"])
        found += block.get("elements", []) if block["type"] == "actions" else []
    return found


def texts(payload: Any) -> str:
    """Every string in a payload, one a line: what the reader can see (and the ids and values)."""
    if isinstance(payload, dict):
        return "\n".join(texts(v) for v in payload.values())
    if isinstance(payload, list):
        return "\n".join(texts(v) for v in payload)
    return payload if isinstance(payload, str) else ""


def action_ids(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["action_id"] for e in elements(blocks)]


def member(role: str, name: str | None = None, title: str | None = None, *, user_id=None, function=None, pos=0):
    return WorkingGroupMember(
        team_id="T", role=role, person_name=name, title=title, user_id=user_id, function=function, position=pos
    )


def criterion(cid: int, text: str, *, done: bool = False, progress: int | None = None, done_on=None):
    return ExitCriterion(
        id=cid, team_id="T", position=cid, text=text, done=done, progress=progress, done_on=done_on, done_by=None
    )


def item(iid: int, text: str = "Write the plan", *, owner="U1", due: date | None = None, done=False, group=1):
    return ActionItem(
        id=iid,
        team_id="T",
        program="wg",
        subject_id=group,
        text=text,
        owner_id=owner,
        owner_name=None,
        due_on=due,
        status=ActionItemStatus.DONE if done else ActionItemStatus.OPEN,
        created_by="U1",
    )


def group(**overrides: Any) -> WorkingGroup:
    fields: dict[str, Any] = {
        "id": 1,
        "team_id": "T",
        "channel_id": "C1",
        "name": "Enterprise Market Leadership Working Group",
        "goals": ["Increase enterprise market deal support.", "Increase market share in the enterprise segment."],
        "goals_heading": "Business Goals",
        "created_on": date(2022, 5, 20),
        "end_on": date(2026, 12, 17),
        "end_label": "Target End Date",
        "agenda_url": "https://docs.google.com/document/d/1nXo8r11/edit?usp=sharing&x=1",
        "board_url": None,
        "exit_criteria_heading": "Exit Criteria",
        "status": WorkingGroupStatus.ACTIVE,
        "created_by": "U1",
        "roles": [member("executive_sponsor", "David DeSanto", "VP, Product")],
        "exit_criteria": [
            criterion(1, "Craft a vision", done=True, done_on=date(2026, 11, 30)),
            criterion(2, "Establish business cases", progress=50),
            criterion(3, "Deliver iteration plan"),
        ],
    }
    fields.update(overrides)
    return WorkingGroup(**fields)


def leading_organizations() -> WorkingGroup:
    """Shaped like seeds/working-group-leading-organizations.md."""
    leads = [
        ("Contributor Success", "Nick Veenhof", "Director, Contributor Success"),
        ("Developer Advocates", "John Coghlan", "Director, Developer Advocacy"),
        ("Marketing Campaigns", "Jackie Gragnola", "Sr. Manager, Marketing Campaigns and ABM"),
        ("Product Marketing", "Nicole Smith", "Director, Product Marketing — Customer Advocacy"),
        ("Customer Success", "Jamie Reid", "Manager, Strategic CSMs"),
    ]
    roles = [
        member("dri", "Emilio Salvador", "VP, Developer Relations and Community", user_id="UEMILIO", pos=0),
        member("executive_stakeholder", "Ashley Kramer", "Chief Marketing & Strategy Officer", pos=1),
        *(member("functional_lead", n, t, function=f, pos=i + 2) for i, (f, n, t) in enumerate(leads)),
        member("member", "Sid Sijbrandij", "Chief Executive Officer", pos=7),
    ]
    return group(
        name="Leading Organizations Working Group",
        goals=["Increase the number of unique monthly contributors by recognizing organizations."],
        goals_heading="Business Goal",
        created_on=date(2022, 11, 9),
        end_on=date(2024, 1, 31),
        end_label="End Date",
        agenda_url="https://docs.google.com/document/d/1D5JdVVOMshVWp/edit",
        board_url="https://gitlab.com/groups/gitlab-com/-/epics/1880",
        exit_criteria_heading="Proposed Exit Criteria",
        exit_criteria=[criterion(1, "Build scalable model to activate 100 Leading Organizations by FY24-Q4.")],
        roles=roles,
    )


def mixed_items() -> list[ActionItem]:
    return [
        item(1, "No date yet"),
        item(2, "Due later", due=TODAY + timedelta(days=10)),
        item(3, "Long overdue", due=TODAY - timedelta(days=9)),
        item(4, "Finished", due=TODAY - timedelta(days=20), done=True),
        item(5, "Just overdue", due=TODAY - timedelta(days=1)),
    ]


# --- every builder gives Slack something it accepts -------------------------------------------------------------


MESSAGE_BUILDERS = {
    "help": lambda: wg_help.wg_help(),
    "charter": lambda: wg_charter.charter_message(group(), today=TODAY),
    "charter-seed": lambda: wg_charter.charter_message(leading_organizations(), today=TODAY),
    "charter-empty": lambda: wg_charter.charter_message(
        WorkingGroup(id=2, team_id="T", channel_id="C2", name="Bare", created_by="U1"), today=TODAY
    ),
    "criteria": lambda: wg_criteria.criteria_list(group(), today=TODAY),
    "roles": lambda: wg_roles.roles_list(leading_organizations()),
    "actions": lambda: wg_items.action_items_message(
        mixed_items(), title="Action items", today=TODAY, empty_text="None"
    ),
    "actions-empty": lambda: wg_items.action_items_message(
        [], title="Action items", today=TODAY, empty_text="Nothing."
    ),
    "added": lambda: wg_items.action_added_reply(item(12, due=TODAY), today=TODAY),
    "done": lambda: item_blocks.action_changed_reply(item(12, done=True), "done", today=TODAY),
    "reopen": lambda: item_blocks.action_changed_reply(item(12), "reopen", today=TODAY),
    "reassign": lambda: item_blocks.action_changed_reply(item(12, owner="U2"), "reassign", today=TODAY),
    "due": lambda: item_blocks.action_changed_reply(item(12, due=TODAY + timedelta(days=3)), "due", today=TODAY),
    "sync": lambda: wg_scheduled.sync_reminder(group(), mixed_items(), today=TODAY),
    "sync-empty": lambda: wg_scheduled.sync_reminder(group(agenda_url=None), [], today=TODAY),
    "digest": lambda: wg_scheduled.weekly_digest(
        group(),
        open_items=[i for i in mixed_items() if i.status == ActionItemStatus.OPEN],
        due_this_week=[item(6, "This week", due=TODAY + timedelta(days=1))],
        overdue=[i for i in mixed_items() if i.id in (3, 5)],
        done_last_week=[item(4, "Finished", done=True)],
        today=TODAY,
    ),
    "overdue-dm": lambda: item_blocks.overdue_dm(
        [(wg_items.overdue_heading(group()), mixed_items()), (wg_items.overdue_heading(leading_organizations()), [])],
        today=TODAY,
    ),
    "end-warning": lambda: wg_scheduled.end_warning(group(), today=TODAY),
    "end-question": lambda: wg_scheduled.end_question(group(end_on=TODAY - timedelta(days=1)), today=TODAY),
    "closed": lambda: wg_scheduled.group_closed_message(group(status=WorkingGroupStatus.ENDED), "U2"),
    "extended": lambda: wg_scheduled.group_extended_message(group()),
}


@pytest.mark.parametrize("build", MESSAGE_BUILDERS.values(), ids=MESSAGE_BUILDERS.keys())
def test_every_message_is_valid_block_kit_with_a_fallback(build):
    assert_message_valid(build())


@pytest.mark.parametrize(
    "build",
    [wg_help.wg_help, lambda: wg_criteria.criteria_list(group(), today=TODAY), lambda: wg_roles.roles_list(group())]
    + [lambda: wg_items.action_added_reply(item(1), today=TODAY)],
)
def test_replies_to_a_command_are_ephemeral(build):
    assert build()["response_type"] == "ephemeral"


def test_home_section_is_valid_block_kit():
    blocks = wg_home.home_section([(group(), mixed_items()), (leading_organizations(), [])], user_id="U1", today=TODAY)
    assert_blocks_valid(blocks)
    assert_blocks_valid(wg_home.home_section([], user_id="U1", today=TODAY))


def test_modals_are_valid_views():
    create = assert_view_valid(wg_modals.create_modal("C1"))
    assert create["callback_id"] == ids.WG_CREATE_MODAL and create["private_metadata"] == "C1"
    imported = assert_view_valid(wg_modals.import_modal("C1"))
    inputs = {b["block_id"]: b["element"] for b in imported["blocks"] if b["type"] == "input"}
    assert inputs[ids.WG_IMPORT_PAGE]["max_length"] == 3000 and inputs[ids.WG_IMPORT_PAGE]["multiline"]
    assert inputs[ids.WG_IMPORT_PAGE_MORE]["max_length"] == 3000
    assert inputs[ids.WG_IMPORT_FILE] == {
        "type": "file_input",
        "action_id": ids.WG_IMPORT_FILE,
        "filetypes": ["md", "markdown", "txt"],
        "max_files": 1,
    }


# --- user text --------------------------------------------------------------------------------------------------


def evil_group() -> WorkingGroup:
    return group(
        name=EVIL,
        description=EVIL,
        goals=[EVIL],
        goals_heading=EVIL,
        end_label=EVIL,
        exit_criteria_heading=EVIL,
        exit_criteria=[criterion(1, EVIL), criterion(2, EVIL, done=True)],
        roles=[member(EVIL, EVIL, EVIL, function=EVIL)],
        agenda_url="https://example.com/?a=<!channel>",
        board_url="javascript:alert(1)",
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda: wg_charter.charter_message(evil_group(), today=TODAY),
        lambda: wg_criteria.criteria_list(evil_group(), today=TODAY),
        lambda: wg_roles.roles_list(evil_group()),
        lambda: wg_items.action_items_message([item(1, EVIL, owner=None)], title="Items", today=TODAY, empty_text="-"),
        lambda: wg_items.action_added_reply(item(1, EVIL), today=TODAY),
        lambda: item_blocks.action_changed_reply(item(1, EVIL), "due", today=TODAY),
        lambda: wg_scheduled.sync_reminder(evil_group(), [item(1, EVIL)], today=TODAY),
        lambda: wg_scheduled.weekly_digest(
            evil_group(), open_items=[item(1, EVIL)], due_this_week=[], overdue=[], done_last_week=[], today=TODAY
        ),
        lambda: item_blocks.overdue_dm(
            [(wg_items.overdue_heading(evil_group()), [item(1, EVIL, due=TODAY - timedelta(days=2))])], today=TODAY
        ),
        lambda: wg_scheduled.end_warning(evil_group(), today=TODAY),
        lambda: wg_scheduled.end_question(evil_group(), today=TODAY),
        lambda: wg_scheduled.group_closed_message(evil_group(), "U2"),
        lambda: wg_scheduled.group_extended_message(evil_group()),
        lambda: {
            "text": "home",
            "blocks": wg_home.home_section([(evil_group(), [item(1, EVIL)])], user_id="U1", today=TODAY),
        },
    ],
)
def test_user_text_comes_out_escaped(build):
    payload = build()
    assert_message_valid(payload)
    # Headers are plain_text, which Slack shows literally; everything read as mrkdwn must be escaped.
    mrkdwn_parts = [*_mrkdwn(payload["blocks"]), payload["text"]]
    for live in ("<!channel>", "<http://x|y>", "<@U999>", "javascript:alert(1)|"):
        assert not any(live in part for part in mrkdwn_parts), live
    assert any("&lt;!channel&gt;" in part for part in mrkdwn_parts)


def _mrkdwn(blocks: list[dict[str, Any]]) -> list[str]:
    found = []
    for block in blocks:
        if isinstance(block.get("text"), dict) and block["text"]["type"] == "mrkdwn":
            found.append(block["text"]["text"])
        found += [f["text"] for f in block.get("fields", [])]
        found += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return found


def test_links_are_made_only_for_web_addresses():
    assert common.link("https://a.example/x?a=1&b=2", "Agenda") == "<https://a.example/x?a=1&amp;b=2|Agenda>"
    assert common.link("javascript:alert(1)", "Agenda") == "javascript:alert(1)"
    assert common.link("http://x|y", "Agenda") == "<http://x%7Cy|Agenda>"
    charter = texts(wg_charter.charter_message(leading_organizations(), today=TODAY))
    assert "<https://gitlab.com/groups/gitlab-com/-/epics/1880|Board>" in charter
    assert "<#C1>" in charter


def test_mentions_are_built_only_from_stored_ids():
    assert common.mention("U123") == "<@U123>"
    assert common.mention(None, "Jamie <Reid>") == "Jamie &lt;Reid&gt;"
    assert common.mention("not an id>") == "not an id&gt;"
    assert common.mention(None, None) == "no owner"


# --- action items ---------------------------------------------------------------------------------------------


def test_action_item_line_reads_like_a_sentence():
    line = item_blocks.action_item_line(item(12, due=date(2026, 11, 30)), today=TODAY)
    assert line == ":red_circle: *#12* Write the plan — <@U1> · due Mon 30 Nov (overdue by 3 days)"
    assert (
        item_blocks.action_item_line(item(3, owner=None), today=TODAY) == "*#3* Write the plan — no owner · no due date"
    )
    # The text reads as markdown (a tag dropped, as the page reader drops it); a mention typed in it stays text.
    named = ActionItem(id=4, text="x <b> <@U2>", owner_id=None, owner_name="Jamie <Reid>", due_on=TODAY, status="open")
    assert (
        item_blocks.action_item_line(named, today=TODAY)
        == "*#4* x  &lt;@U2&gt; — Jamie &lt;Reid&gt; · due Thu 3 Dec (today)"
    )
    next_year = item_blocks.action_item_line(item(5, due=date(2027, 1, 4)), today=TODAY)
    assert next_year.endswith("due Mon 4 Jan 2027")
    assert item_blocks.action_item_line(item(6, done=True), today=TODAY).startswith(":white_check_mark: *#6*")


def test_overdue_items_come_first_everywhere():
    order = [3, 5, 2, 1, 4]  # overdue oldest first, then by due date, undated, done last
    listed = wg_items.action_items_message(mixed_items(), title="Items", today=TODAY, empty_text="-")
    assert [int(e["value"]) for e in elements(listed["blocks"]) if "value" in e] == order  # pickers carry no value
    reminder = wg_scheduled.sync_reminder(group(), mixed_items(), today=TODAY)
    assert [int(e["value"]) for e in elements(reminder["blocks"])] == [3, 5, 2, 1]  # done ones are not "open"
    home = wg_home.home_section([(group(), mixed_items())], user_id="U1", today=TODAY)
    assert [int(e["value"]) for e in elements(home)] == [3, 5, 2, 1]


def test_action_list_has_done_and_reopen_buttons_and_is_capped():
    listed = wg_items.action_items_message(mixed_items(), title="Items", today=TODAY, empty_text="-")
    by_value = {e["value"]: e["action_id"] for e in elements(listed["blocks"]) if "value" in e}
    assert by_value["4"] == item_ids.ITEM_REOPEN and by_value["3"] == item_ids.ITEM_DONE
    pickers = [e["action_id"] for e in elements(listed["blocks"]) if "value" not in e]
    assert pickers.count(item_ids.ITEM_REASSIGN) == pickers.count(item_ids.ITEM_DUE) == 4  # open items only
    many = [item(i, due=TODAY + timedelta(days=i)) for i in range(1, 31)]
    capped = wg_items.action_items_message(many, title="Items", today=TODAY, empty_text="-")
    assert_message_valid(capped)
    buttons = [e for e in elements(capped["blocks"]) if "value" in e]
    assert len(buttons) == 20 and "…and 10 more" in texts(capped["blocks"][-1])


def test_empty_action_list_says_so():
    reply = wg_items.action_items_message([], title="Items", today=TODAY, empty_text="Nothing open here.")
    assert reply["text"] == "Nothing open here." and reply["response_type"] == "ephemeral"


def test_added_reply_offers_undo_and_changes_offer_the_way_back():
    added = wg_items.action_added_reply(item(12), today=TODAY)
    assert action_ids(added["blocks"]) == [ids.WG_ACTION_UNDO] and elements(added["blocks"])[0]["value"] == "12"
    assert action_ids(item_blocks.action_changed_reply(item(12, done=True), "done", today=TODAY)["blocks"]) == [
        item_ids.ITEM_REOPEN
    ]
    assert "<@U2>" in texts(item_blocks.action_changed_reply(item(12, owner="U2"), "reassign", today=TODAY))
    assert "due Sun 6 Dec" in texts(
        item_blocks.action_changed_reply(item(12, due=TODAY + timedelta(days=3)), "due", today=TODAY)
    )
    with pytest.raises(ValueError):
        item_blocks.action_changed_reply(item(12), "delete", today=TODAY)


def test_overdue_dm_has_done_snooze_and_a_date_per_item():
    dm = item_blocks.overdue_dm([(wg_items.overdue_heading(group()), mixed_items())], today=TODAY)
    rows = [b for b in dm["blocks"] if b["type"] == "actions"]
    assert [wg_pieces.row_id(r["block_id"]) for r in rows] == [3, 5]
    first = rows[0]["elements"]
    assert [e["action_id"] for e in first] == [item_ids.ITEM_DONE, item_ids.ITEM_SNOOZE, item_ids.ITEM_DUE]
    assert (
        first[2]["type"] == "datepicker" and first[2]["initial_date"] == (TODAY - timedelta(days=9)).isoformat()
    )  # item 3's due date
    assert "2 overdue action items" in dm["text"]


def test_overdue_dm_with_many_items_stays_within_50_blocks():
    groups = [
        (
            wg_items.overdue_heading(group(id=g, channel_id=f"C{g}", name=f"Group {g}")),
            [item(g * 100 + i, due=TODAY - timedelta(days=i + 1)) for i in range(15)],
        )
        for g in range(1, 4)
    ]
    dm = item_blocks.overdue_dm(groups, today=TODAY)
    assert_message_valid(dm)
    shown = sum(1 for b in dm["blocks"] if b["type"] == "actions")
    assert shown >= 20 and f"…and {45 - shown} more" in texts(dm)
    assert "45 overdue action items" in dm["text"]


def test_row_id_reads_only_our_block_ids():
    assert wg_pieces.row_id(f"{item_ids.ITEM_ROW}12") == 12 and wg_pieces.row_id(f"{ids.WG_GROUP_ROW}7") == 7
    with pytest.raises(ValueError):
        wg_pieces.row_id("cadence.nudge.3")


# --- charter, criteria, roles ---------------------------------------------------------------------------------


def test_charter_reads_like_the_handbook_page():
    charter = wg_charter.charter_message(group(), today=TODAY)
    dumped = texts(charter)
    assert charter["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Enterprise Market Leadership Working Group", "emoji": True},
    }
    for expected in ("Target End Date", "Thu 17 Dec", "Fri 20 May 2022", "Business Goals", "1. Increase enterprise"):
        assert expected in dumped
    assert "<https://docs.google.com/document/d/1nXo8r11/edit?usp=sharing&amp;x=1|Agenda>" in dumped
    assert ":white_check_mark: *1.* Craft a vision · done Mon 30 Nov" in dumped
    assert "1 of 3 done" in dumped
    assert "*Roles and Responsibilities*\n*Executive Sponsor* · David DeSanto · _VP, Product_" in dumped


def test_criteria_show_progress_bars_and_buttons_for_open_ones():
    listed = wg_criteria.criteria_list(group(), today=TODAY)
    dumped = texts(listed)
    assert ":white_large_square: *2.* Establish business cases\n▰▰▰▰▰▱▱▱▱▱ 50%" in dumped
    assert "1 of 3 done ▰▰▰▰▰▱▱▱▱▱ 50%" in dumped  # 100% + 50% + 0% over three criteria
    buttons = elements(listed["blocks"])
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        (ids.WG_CRITERION_DONE, "2"),
        (ids.WG_CRITERION_DONE, "3"),
    ]


def test_leading_organizations_charter_shows_every_role_with_its_function():
    charter = wg_charter.charter_message(leading_organizations(), today=TODAY)
    assert_message_valid(charter)
    dumped = texts(charter)
    for line in (
        "*DRI* · <@UEMILIO> · _VP, Developer Relations and Community_",
        "*Executive Stakeholder* · Ashley Kramer · _Chief Marketing &amp; Strategy Officer_",
        "*Functional Lead: Contributor Success* · Nick Veenhof · _Director, Contributor Success_",
        "*Functional Lead: Developer Advocates* · John Coghlan",
        "*Functional Lead: Marketing Campaigns* · Jackie Gragnola",
        "*Functional Lead: Product Marketing* · Nicole Smith · _Director, Product Marketing — Customer Advocacy_",
        "*Functional Lead: Customer Success* · Jamie Reid",
        "*Member* · Sid Sijbrandij · _Chief Executive Officer_",
        "Proposed Exit Criteria",
        "Wed 31 Jan 2024",
    ):
        assert line in dumped
    roles = wg_roles.roles_list(leading_organizations())
    assert texts(roles).count("Functional Lead: ") == 5


@pytest.mark.parametrize("count", [30, 100])
def test_many_criteria_stay_within_50_blocks_and_nothing_after_them_is_cut(count):
    criteria = [
        criterion(i, f"Criterion number {i} " + "with a long description " * 20, done=i % 3 == 0, progress=i % 100)
        for i in range(1, count + 1)
    ]
    charter = wg_charter.charter_message(group(exit_criteria=criteria), today=TODAY)
    assert_message_valid(charter)
    blocks = charter["blocks"]
    assert "`/wg help`" in texts(blocks[-1]) and "Roles and Responsibilities" in texts(blocks)
    buttons = elements(blocks)
    assert 0 < len(buttons) <= wg_charter.CHARTER_CRITERION_BUTTONS
    open_ids = {str(c.id) for c in criteria if not c.done}
    assert {b["value"] for b in buttons} <= open_ids
    assert "/wg criterion done N" in texts(blocks)
    listed = wg_criteria.criteria_list(group(exit_criteria=criteria), today=TODAY)
    assert_message_valid(listed)


def test_thirty_short_criteria_are_all_shown():
    criteria = [criterion(i, f"Criterion {i}", done=i <= 5) for i in range(1, 31)]
    charter = wg_charter.charter_message(group(exit_criteria=criteria), today=TODAY)
    assert_message_valid(charter)
    dumped = texts(charter)
    assert all(f"*{i}.* Criterion {i}" in dumped for i in range(1, 31))
    assert "5 of 30 done" in dumped


# --- scheduled messages -----------------------------------------------------------------------------------------


def test_sync_reminder_links_the_agenda_and_says_how_to_change_it():
    reminder = wg_scheduled.sync_reminder(group(), mixed_items(), today=TODAY)
    dumped = texts(reminder)
    assert "Sync today: Enterprise Market Leadership Working Group" in reminder["text"]
    assert "|agenda doc>" in dumped and "/wg sync off" in texts(reminder["blocks"][-1])
    assert "2 overdue" in dumped


def test_weekly_digest_counts_and_lists_the_four_buckets():
    digest = wg_scheduled.weekly_digest(
        group(),
        open_items=[item(1, "Open one"), item(2, "Late one", due=TODAY - timedelta(days=2))],
        due_this_week=[],
        overdue=[item(2, "Late one", due=TODAY - timedelta(days=2))],
        done_last_week=[item(9, "Shipped", done=True)],
        today=TODAY,
    )
    dumped = texts(digest)
    assert digest["text"] == (
        "Weekly digest for Enterprise Market Leadership Working Group: 2 open, 1 overdue, 0 due this week, "
        "1 done last week"
    )
    assert "*Overdue (1)*" in dumped and "*Also open (1)*" in dumped and "*Done last week (1)*" in dumped
    assert dumped.count("Late one") == 1  # not repeated under "Also open"
    assert "1 of 3 done" in dumped and "in 14 days" in dumped


def test_end_warning_gives_the_date_and_exit_criteria():
    warning = wg_scheduled.end_warning(group(), today=TODAY)
    assert "ends in 14 days, on Thu 17 Dec" in texts(warning)
    assert ids.WG_CRITERION_DONE in action_ids(warning["blocks"])


def test_end_question_offers_close_and_extend():
    question = wg_scheduled.end_question(group(end_on=TODAY - timedelta(days=1)), today=TODAY)
    row = next(b for b in question["blocks"] if b["type"] == "actions")
    close, extend = row["elements"]
    assert close["action_id"] == ids.WG_GROUP_CLOSE and close["value"] == "1" and close["style"] == "danger"
    assert extend["type"] == "datepicker" and extend["action_id"] == ids.WG_GROUP_EXTEND
    assert wg_pieces.row_id(row["block_id"]) == 1
    all_met = group(end_on=TODAY, exit_criteria=[criterion(1, "Only one", done=True)])
    met_row = next(b for b in wg_scheduled.end_question(all_met, today=TODAY)["blocks"] if b["type"] == "actions")
    assert met_row["elements"][0]["style"] == "primary"


def test_closed_and_extended_notices():
    closed = wg_scheduled.group_closed_message(group(), "U2")
    assert "closed by <@U2>" in texts(closed) and "1 of 3 exit criteria were met" in texts(closed)
    extended = wg_scheduled.group_extended_message(group(end_on=date(2027, 3, 31)))
    assert "Wed 31 Mar 2027" in texts(extended)


# --- modals ---------------------------------------------------------------------------------------------------


def submitted(values: dict[str, dict[str, Any]], metadata: str = "C1") -> dict[str, Any]:
    return {"private_metadata": metadata, "state": {"values": {k: {k: v} for k, v in values.items()}}}


def test_create_modal_is_read_into_plain_values():
    view = submitted(
        {
            ids.WG_CREATE_NAME: {"type": "plain_text_input", "value": "  Leading Organizations  "},
            ids.WG_CREATE_GOAL: {"type": "plain_text_input", "value": "Grow contributors"},
            ids.WG_CREATE_CREATED_ON: {"type": "datepicker", "selected_date": "2022-11-09"},
            ids.WG_CREATE_END_ON: {"type": "datepicker", "selected_date": "2024-01-31"},
            ids.WG_CREATE_AGENDA: {"type": "url_text_input", "value": "https://docs.google.com/d/1"},
            ids.WG_CREATE_BOARD: {"type": "url_text_input", "value": None},
        }
    )
    assert wg_modals.read_create_modal(view) == {
        "channel_id": "C1",
        "name": "Leading Organizations",
        "goal": "Grow contributors",
        "created_on": date(2022, 11, 9),
        "end_on": date(2024, 1, 31),
        "agenda_url": "https://docs.google.com/d/1",
        "board_url": None,
    }


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({ids.WG_CREATE_NAME: {"value": "   "}}, ids.WG_CREATE_NAME),
        (
            {
                ids.WG_CREATE_NAME: {"value": "WG"},
                ids.WG_CREATE_CREATED_ON: {"selected_date": "2024-02-01"},
                ids.WG_CREATE_END_ON: {"selected_date": "2024-01-31"},
            },
            ids.WG_CREATE_END_ON,
        ),
        ({ids.WG_CREATE_NAME: {"value": "WG"}, ids.WG_CREATE_BOARD: {"value": "ftp://x"}}, ids.WG_CREATE_BOARD),
    ],
)
def test_create_modal_problems_are_shown_under_their_field(values, field):
    with pytest.raises(UserError) as raised:
        wg_modals.read_create_modal(submitted(values))
    assert raised.value.field == field


def test_import_modal_joins_the_two_pastes_and_reads_files():
    view = submitted(
        {
            ids.WG_IMPORT_PAGE: {"value": "## Attributes\n\n| a | b |\n"},
            ids.WG_IMPORT_PAGE_MORE: {"value": "### Plan\n   1. nested"},
            ids.WG_IMPORT_FILE: {"type": "file_input", "files": []},
        }
    )
    assert wg_modals.read_import_modal(view) == ("## Attributes\n\n| a | b |\n### Plan\n   1. nested", [])
    attached = submitted({ids.WG_IMPORT_FILE: {"type": "file_input", "files": [{"id": "F1", "name": "wg.md"}]}})
    assert wg_modals.read_import_modal(attached) == ("", ["F1"])


def test_import_modal_wants_exactly_one_source():
    with pytest.raises(UserError) as nothing:
        wg_modals.read_import_modal(submitted({ids.WG_IMPORT_PAGE: {"value": "  "}}))
    assert nothing.value.field == ids.WG_IMPORT_PAGE
    both = submitted({ids.WG_IMPORT_PAGE: {"value": "# Page"}, ids.WG_IMPORT_FILE: {"files": [{"id": "F1"}]}})
    with pytest.raises(UserError) as twice:
        wg_modals.read_import_modal(both)
    assert twice.value.field == ids.WG_IMPORT_FILE


# --- help and Home ----------------------------------------------------------------------------------------------


def test_help_names_every_subcommand_and_who_may_do_what():
    dumped = texts(wg_help.wg_help())
    for command in (
        "/wg create`", '/wg create "Name" [goal', "[agenda <url>] [board <url>]", "/wg charter", "/wg import",
        "/wg export", "/wg role add <role>", '[as "Title"]', "/wg role remove", "/wg roles", "/wg criterion add",
        "/wg criterion done N", "/wg criterion undo N", "/wg criterion progress N 50%", "/wg criteria",
        '/wg action "<text>" @owner [due <date>]', "/wg actions [mine|overdue|all]", "/wg done N",
        "/wg reopen N", "/wg reassign N @user", "/wg due N <date>", "/wg sync every 2 weeks on tuesday at 10:00",
        "/wg sync off", "/wg digest on|off", "/wg close", "/wg extend <date>", "end of quarter", "in 2 weeks",
        "Who may do what", "Anyone in the channel",
    ):  # fmt: skip
        assert command in dumped, command


def test_home_lists_groups_with_progress_and_only_my_open_items():
    items = [*mixed_items(), item(7, "Someone else's", owner="U2", due=TODAY - timedelta(days=30))]
    blocks = wg_home.home_section([(group(), items), (leading_organizations(), [])], user_id="U1", today=TODAY)
    dumped = texts(blocks)
    assert "Enterprise Market Leadership Working Group" in dumped and "1 of 3 done" in dumped
    assert "Someone else" not in dumped and "2 overdue" in dumped
    assert all(e["action_id"] == item_ids.ITEM_DONE for e in elements(blocks))


def test_closed_group_status_in_charter():
    closed = group(status=WorkingGroupStatus.ENDED, closed_by="U2", closed_at=datetime(2026, 12, 1, 10, tzinfo=UTC))
    assert ":lock: Closed by <@U2> on Tue 1 Dec" in texts(wg_charter.charter_message(closed, today=TODAY))


def _exported(message: dict[str, Any]) -> list[str]:
    """The code blocks of an export reply, unescaped, as a person copies them."""
    import html

    texts = [block["text"]["text"] for block in message["blocks"][1:] if block["type"] == "section"]
    assert all(len(text) <= 3000 for text in texts)
    return [html.unescape(text.removeprefix("```").removesuffix("```")) for text in texts]


def test_an_export_is_cut_between_blocks_so_a_table_stays_whole():
    table = "| Working Group Role | Person |\n|---|---|\n" + "".join(f"| Member | Person {n} |\n" for n in range(60))
    goal = "A goal sentence that runs on. " * 60
    page = '---\ntitle: "T"\n---\n\n## Goal\n\n' + goal + "\n\n## Roles\n\n" + table
    pieces = _exported(wg_export.export_reply("T", page))
    assert len(pieces) > 1
    assert any(piece.startswith("| Working Group Role") and piece.count("| Member |") == 60 for piece in pieces)
    assert "\n\n".join(pieces) == page.strip("\n")


def test_an_export_full_of_characters_slack_escapes_still_fits_each_block():
    page = "## A & B <c>\n\n" + "& < > " * 2000 + "\n"
    pieces = _exported(wg_export.export_reply("T", page))
    assert "".join(pieces).replace("\n", "") == page.replace("\n", "")
