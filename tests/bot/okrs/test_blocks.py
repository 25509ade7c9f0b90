"""OKR Block Kit: every payload is one Slack accepts, the tree collapses past two levels and fits in one message,
page text is escaped with its web links made Slack links, and the two modals read back what was typed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.errors import UserError
from bot.okrs import ids as okr_ids
from bot.okrs.blocks import help as help_blocks
from bot.okrs.blocks import home as home_blocks
from bot.okrs.blocks import importing as importing_blocks
from bot.okrs.blocks import owners as owners_blocks
from bot.okrs.blocks import pieces as pieces_blocks
from bot.okrs.blocks import reminders as reminders_blocks
from bot.okrs.blocks import scoring as scoring_blocks
from bot.okrs.blocks import tree as tree_blocks
from bot.okrs.rules import KrNode, ObjectiveNode, QuarterSpan, Reminder, RoleCheck

Q2 = QuarterSpan("FY20-Q2", date(2019, 5, 1), date(2019, 7, 31))
TODAY = date(2019, 7, 17)
WHEN = datetime(2019, 6, 3, 9, 30, tzinfo=UTC)

# --- helpers ---------------------------------------------------------------------------------------------------


def elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in blocks:
        if "accessory" in block:
            found.append(block["accessory"])
        found += block.get("elements", []) if block["type"] == "actions" else []
    return found


def buttons(payload: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, action id, value) of every button."""
    return [
        (e["text"]["text"], e["action_id"], e["value"]) for e in elements(payload["blocks"]) if e["type"] == "button"
    ]


def mrkdwn_texts(blocks: list[dict[str, Any]]) -> list[str]:
    found = []
    for block in blocks:
        if isinstance(block.get("text"), dict) and block["text"]["type"] == "mrkdwn":
            found.append(block["text"]["text"])
        found += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return found


def texts(payload: Any) -> str:
    """Every string in a payload, one a line."""
    if isinstance(payload, dict):
        return "\n".join(texts(v) for v in payload.values())
    if isinstance(payload, list):
        return "\n".join(texts(v) for v in payload)
    return payload if isinstance(payload, str) else ""


def assert_blocks_valid(blocks: list[dict[str, Any]], *, limit: int = 50) -> None:
    """Slack would take these blocks: slack_sdk parses each and checks its limits; sections, buttons within limits."""
    assert 0 < len(blocks) <= limit
    for parsed in Block.parse_all(blocks):
        assert parsed is not None, "unknown block type"
        parsed.to_dict()
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    assert all(len(text) <= 3000 for text in mrkdwn_texts(blocks))
    assert all(len(e["value"]) <= 2000 for e in elements(blocks) if e.get("type") == "button")


def assert_message_valid(payload: dict[str, Any]) -> None:
    assert payload["text"].strip() and len(payload["text"]) <= 3000
    assert_blocks_valid(payload["blocks"])


def assert_view_valid(view: dict[str, Any]) -> dict[str, Any]:
    assert View(**view).to_dict() == view
    assert_blocks_valid(view["blocks"], limit=100)
    return view


def kr(kid: int, text: str, score: float | None, depth: int, *children: KrNode, owner=None, role="CRO") -> KrNode:
    return KrNode(kid, owner, role, text, score, depth, tuple(children))


def small_objective() -> ObjectiveNode:
    """Four levels deep: #3, #4 and #5 sit below the second level."""
    return ObjectiveNode(
        1,
        "CEO",
        "Grow [revenue](https://about.gitlab.com/revenue) as the [handbook](/handbook/ceo/) says",
        (
            kr(
                1,
                "Close 10 deals",
                40.0,
                1,
                kr(
                    2,
                    "Sign 5 in EMEA",
                    80.0,
                    2,
                    kr(
                        3,
                        "Book 50 meetings",
                        None,
                        3,
                        kr(4, "Call 200 leads", 20.0, 4, role="SDR"),
                        owner="SDR",
                        role="SDR",
                    ),
                    kr(5, "Upsell 3", None, 3),
                ),
                owner="CRO",
            ),
            kr(6, "Launch the campaign", None, 1, owner="CMO", role="CMO"),
        ),
    )


def second_objective() -> ObjectiveNode:
    return ObjectiveNode(2, "CTO", "Ship faster", (kr(7, "Halve CI time", 100.0, 1, owner="VP Eng", role="VP Eng"),))


def big_tree(per_objective: int = 40, words: int = 30) -> list[ObjectiveNode]:
    """3 objectives × `per_objective` KRs, four levels deep: chains of depth 1→2→3→4."""
    objectives = []
    next_id = 1
    for number in range(1, 4):
        chains = []
        for _ in range(per_objective // 4):
            chain = None
            for depth in (4, 3, 2, 1):
                text = f"KR {next_id + depth - 1} [link](https://example.com/{next_id}) " + "word " * words
                score = None if (next_id + depth) % 3 == 0 else float((next_id * 7 + depth) % 101)
                chain = kr(next_id + depth - 1, text, score, depth, *([chain] if chain else []), owner=f"Role {depth}")
            chains.append(chain)
            next_id += 4
        objectives.append(ObjectiveNode(number, "CEO", f"Objective {number}", tuple(chains)))
    return objectives


def submitted(values: dict[str, dict[str, Any]], metadata: str = "C1") -> dict[str, Any]:
    """A view as Slack sends it back on submit: state.values[block_id][action_id]."""
    return {"private_metadata": metadata, "state": {"values": {k: {k: v} for k, v in values.items()}}}


# --- every builder gives Slack something it accepts -------------------------------------------------------------


MESSAGE_BUILDERS = {
    "help": lambda: help_blocks.okr_help(
        [("/okr tree [QUARTER]", "the objectives and key results"), ("/okr mine", "yours")]
    ),
    "tree": lambda: tree_blocks.tree_message(Q2, [small_objective(), second_objective()]),
    "tree-expanded": lambda: tree_blocks.tree_message(Q2, [small_objective()], expanded=frozenset({1})),
    "tree-only": lambda: tree_blocks.tree_message(Q2, [small_objective(), second_objective()], only=2),
    "tree-big": lambda: tree_blocks.tree_message(Q2, big_tree()),
    "tree-big-expanded": lambda: tree_blocks.tree_message(Q2, big_tree(), expanded=frozenset({1, 2, 3})),
    "tree-empty": lambda: tree_blocks.tree_message(Q2, []),
    "mine": lambda: scoring_blocks.mine_message(Q2, small_objective().all_key_results(), today=TODAY),
    "mine-empty": lambda: scoring_blocks.mine_message(Q2, [], today=TODAY),
    "saved": lambda: scoring_blocks.score_saved_reply(kr(42, "Close deals", 70.0, 1), previous=40.0),
    "history": lambda: scoring_blocks.score_history_message(
        kr(42, "Close deals", 70.0, 1), [(70.0, "on track", "U1", WHEN)]
    ),
    "history-empty": lambda: scoring_blocks.score_history_message(kr(42, "Close deals", None, 1), []),
    "reminder": lambda: reminders_blocks.reminder_dm(Reminder.MID_QUARTER, Q2, small_objective().all_key_results()),
    "retro": lambda: reminders_blocks.reminder_dm(Reminder.RETRO, Q2, []),
    "digest": lambda: reminders_blocks.digest_message(
        Q2, [small_objective(), second_objective()], [("CMO", ["U1"], [kr(6, "Launch", None, 1)])]
    ),
    "digest-all-scored": lambda: reminders_blocks.digest_message(Q2, [second_objective()], []),
    "owners": lambda: owners_blocks.owners_message([("CRO", ["U1", "U2"])], ["CMO"], quarter_label="FY20-Q2"),
    "owners-empty": lambda: owners_blocks.owners_message([], [], quarter_label=None),
    "quarters": lambda: owners_blocks.quarters_message([(Q2, 5, 120, 30)]),
    "quarters-empty": lambda: owners_blocks.quarters_message([]),
    "imported": lambda: importing_blocks.import_reply(
        Q2, objectives=5, key_results=120, scored=30, retro_teams=4, replaced=False
    ),
}


@pytest.mark.parametrize("name", MESSAGE_BUILDERS)
def test_every_message_is_valid_block_kit(name):
    assert_message_valid(MESSAGE_BUILDERS[name]())


@pytest.mark.parametrize(
    ("name", "ephemeral"),
    [("tree", True), ("mine", True), ("history", True), ("owners", True), ("reminder", False), ("digest", False)],
)
def test_replies_are_ephemeral_and_posts_are_not(name, ephemeral):
    assert (MESSAGE_BUILDERS[name]().get("response_type") == "ephemeral") is ephemeral


def test_modals_are_valid_views():
    scored = assert_view_valid(
        scoring_blocks.score_modal(kr(42, "Close deals", 40.0, 1), quarter_label="FY20-Q2", private_metadata="42")
    )
    assert scored["callback_id"] == okr_ids.OKR_SCORE_MODAL and scored["title"]["text"] == "Score key result"
    imported = assert_view_valid(importing_blocks.import_modal(quarter=None, private_metadata="C1"))
    assert imported["callback_id"] == okr_ids.OKR_IMPORT_MODAL and imported["private_metadata"] == "C1"


# --- the tree ---------------------------------------------------------------------------------------------------


def test_the_tree_is_one_line_per_objective_with_its_score_and_an_open_button():
    tree = tree_blocks.tree_message(Q2, [small_objective(), second_objective()])
    assert_message_valid(tree)
    dumped = texts(tree)
    assert tree["blocks"][0]["text"]["text"] == "OKRs FY20-Q2"
    assert "1 May – 31 Jul 2019" in texts(tree["blocks"][1])
    lines = [block["text"]["text"] for block in tree["blocks"][2:]]
    assert len(lines) == 2 and all("\n" not in line for line in lines)  # one line each
    assert lines[0].startswith("*1. CEO:* Grow") and lines[0].endswith("▰▰▰▰▰▱▱▱▱▱ 47% · 3 of 6 KRs scored")
    assert lines[1].endswith("▰▰▰▰▰▰▰▰▰▰ 100% · 1 of 1 KR scored")
    assert "`#1`" not in dumped and "Close 10 deals" not in dumped  # key results wait behind Open
    assert buttons(tree) == [("Open", okr_ids.OKR_TREE_OPEN, "FY20-Q2|1"), ("Open", okr_ids.OKR_TREE_OPEN, "FY20-Q2|2")]


def test_an_open_objective_shows_its_key_results_two_levels_deep_and_the_others_stay_one_line():
    tree = tree_blocks.tree_message(Q2, [small_objective(), second_objective()], opened=frozenset({1}))
    assert_message_valid(tree)
    dumped = texts(tree)
    assert "▰▰▰▰▰▱▱▱▱▱ 47% — mean of 3 scored KRs of 6" in dumped  # (40 + 80 + 20) / 3, over all four levels
    assert "`#1` *CRO:* Close 10 deals · ▰▰▰▰▱▱▱▱▱▱ 40%" in dumped
    assert "\u2003↳ `#2` _(CRO)_ Sign 5 in EMEA · ▰▰▰▰▰▰▰▰▱▱ 80%" in dumped  # inherited role in italics
    assert "`#6` *CMO:* Launch the campaign · _not scored_" in dumped
    assert all(f"`#{hidden}`" not in dumped for hidden in (3, 4, 5, 7))  # deeper ones, and the closed objective's
    assert buttons(tree) == [
        ("Close", okr_ids.OKR_TREE_CLOSE, "FY20-Q2|1"),
        ("Show 3 more", okr_ids.OKR_TREE_MORE, "FY20-Q2|1"),
        ("Open", okr_ids.OKR_TREE_OPEN, "FY20-Q2|2"),
    ]


def test_each_tree_button_says_what_the_redrawn_tree_shows():
    assert tree_blocks.tree_toggle(okr_ids.OKR_TREE_OPEN, 2) == (frozenset({2}), frozenset())
    assert tree_blocks.tree_toggle(okr_ids.OKR_TREE_MORE, 2) == (frozenset({2}), frozenset({2}))
    assert tree_blocks.tree_toggle(okr_ids.OKR_TREE_CLOSE, 2) == (frozenset(), frozenset())
    assert tree_blocks.tree_toggle(okr_ids.OKR_TREE_LESS, 2) == (
        frozenset(),
        frozenset(),
    )  # messages sent before this change


def test_expanded_objective_shows_every_level_and_offers_show_less():
    tree = tree_blocks.tree_message(Q2, [small_objective(), second_objective()], expanded=frozenset({1}))
    dumped = texts(tree)
    assert "\u2003\u2003↳ `#3` *SDR:* Book 50 meetings · _not scored_" in dumped
    assert "\u2003\u2003\u2003↳ `#4` _(SDR)_ Call 200 leads" in dumped
    order = [dumped.index(f"`#{kid}`") for kid in range(1, 7)]
    assert order == sorted(order)  # depth-first, as the page reads
    assert ("Show less", okr_ids.OKR_TREE_OPEN, "FY20-Q2|1") in buttons(tree)


def test_only_shows_one_objective_and_says_when_there_is_none():
    tree = tree_blocks.tree_message(Q2, [small_objective(), second_objective()], only=2)
    assert "Ship faster" in texts(tree) and "Grow" not in texts(tree)
    missing = tree_blocks.tree_message(Q2, [small_objective()], only=9)
    assert "FY20-Q2 has no objective 9" in missing["text"] and missing["response_type"] == "ephemeral"


def test_a_big_tree_is_three_lines_and_opens_one_objective_at_a_time():
    tree = tree_blocks.tree_message(Q2, big_tree())
    assert_message_valid(tree)
    assert buttons(tree) == [("Open", okr_ids.OKR_TREE_OPEN, f"FY20-Q2|{n}") for n in (1, 2, 3)]
    assert len(tree["blocks"]) == 5 and "of 40 KRs scored" in texts(tree)
    opened = tree_blocks.tree_message(Q2, big_tree(), opened=frozenset({2}))
    assert_message_valid(opened)
    assert ("Show 20 more", okr_ids.OKR_TREE_MORE, "FY20-Q2|2") in buttons(opened)
    dumped = texts(opened)
    second = big_tree()[1].all_key_results()
    assert all(f"`#{node.id}`" in dumped for node in second if node.depth <= 2)
    assert not any(f"`#{node.id}`" in dumped for node in big_tree()[0].all_key_results())


def test_big_tree_expanded_shows_every_key_result():
    tree = tree_blocks.tree_message(Q2, big_tree(), expanded=frozenset({1, 2, 3}))
    assert_message_valid(tree)
    dumped = texts(tree)
    assert all(f"`#{kid}`" in dumped for kid in range(1, 121))
    assert [label for label, _, _ in buttons(tree)] == ["Close", "Show less"] * 3


def test_tree_too_big_for_one_message_says_so_and_names_the_command():
    tree = tree_blocks.tree_message(Q2, big_tree(per_objective=400, words=40), expanded=frozenset({1, 2, 3}))
    assert_message_valid(tree)
    dumped = texts(tree)
    assert "`/okr tree FY20-Q2 objective 1` shows them all." in dumped
    assert "doesn't fit in one message" in texts(tree["blocks"][-1])
    assert all(f"*{n}. CEO:*" in dumped for n in (1, 2, 3))  # every objective still has its score
    many = [ObjectiveNode(n, "CEO", f"Objective {n}", (kr(n, "KR", 50.0, 1),)) for n in range(1, 61)]
    crowded = tree_blocks.tree_message(Q2, many, opened=frozenset({60}))
    assert_message_valid(crowded)
    assert "without an Open button" in texts(crowded["blocks"][-1])
    assert "`/okr tree FY20-Q2 objective N`" in texts(crowded)
    assert all(f"*{n}. CEO:* Objective {n} ·" in texts(crowded) for n in range(1, 60))  # a line each, if no button
    assert ("Close", okr_ids.OKR_TREE_CLOSE, "FY20-Q2|60") in buttons(crowded)


def test_one_huge_objective_is_cut_without_pointing_back_at_itself():
    tree = tree_blocks.tree_message(Q2, big_tree(per_objective=400, words=100), expanded=frozenset({1}), only=1)
    assert_message_valid(tree)
    assert "…and " in texts(tree) and "objective 1` shows" not in texts(tree)


# --- page text ----------------------------------------------------------------------------------------------------


EVIL = "Block &lt;script&gt; & <!channel> <@U999> *now* or 2 * 3"


def test_page_text_is_escaped_and_links_become_slack_links():
    assert pieces_blocks.page_text(EVIL) == "Block &lt;script&gt; &amp; &lt;!channel&gt; &lt;@U999&gt; now or 2 * 3"
    assert pieces_blocks.page_text("See [the plan](https://gitlab.com/a?b=1&c=2) now") == (
        "See <https://gitlab.com/a?b=1&amp;c=2|the plan> now"
    )
    assert pieces_blocks.page_text("As the [handbook](/handbook/ceo/) says") == "As the handbook says"
    assert pieces_blocks.page_text("[x](javascript:alert(1))") == "x"
    assert (
        pieces_blocks.page_text("Ship <b>it</b> at https://example.com/a.")
        == "Ship it at <https://example.com/a|https://example.com/a>."
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda node, objective: tree_blocks.tree_message(Q2, [objective], expanded=frozenset({1})),
        lambda node, objective: scoring_blocks.mine_message(Q2, [node], today=TODAY),
        lambda node, objective: reminders_blocks.reminder_dm(Reminder.LAST_CALL, Q2, [node]),
        lambda node, objective: scoring_blocks.score_saved_reply(node, previous=None),
        lambda node, objective: scoring_blocks.score_history_message(node, [(1.0, EVIL, "U1", WHEN)]),
        lambda node, objective: reminders_blocks.digest_message(Q2, [objective], [(EVIL, ["U1", "<!here>"], [node])]),
        lambda node, objective: owners_blocks.owners_message([(EVIL, ["U1"])], [EVIL], quarter_label="FY20-Q2"),
        lambda node, objective: owners_blocks.owner_mapped_reply(
            EVIL, ["U1"], added=True, check=RoleCheck(False, (EVIL,)), people="@bob <!here>"
        ),
    ],
)
def test_user_text_comes_out_escaped(build):
    node = kr(1, EVIL, 10.0, 1, owner="VP*Eng <b>", role="VP*Eng <b>")
    objective = ObjectiveNode(1, "C*O", EVIL, (node,))
    payload = build(node, objective)
    assert_message_valid(payload)
    parts = [*mrkdwn_texts(payload["blocks"]), payload["text"]]
    for live in ("<script>", "<!channel>", "<@U999>", "<!here>", "<b>"):
        assert not any(live in part for part in parts), live
    assert any("&lt;" in part for part in parts)
    assert "*VP∗Eng" not in texts(payload) or "*VP∗Eng &lt;b&gt;:*" in texts(payload)  # a role's * can't end our bold


def test_link_label_and_relative_link_in_the_tree():
    dumped = texts(tree_blocks.tree_message(Q2, [small_objective()]))
    assert "Grow <https://about.gitlab.com/revenue|revenue> as the handbook says" in dumped
    assert "/handbook/ceo/" not in dumped


# --- your key results, scoring -----------------------------------------------------------------------------------


def test_mine_lists_each_key_result_with_a_score_button():
    mine = scoring_blocks.mine_message(Q2, small_objective().all_key_results(), today=TODAY)
    assert [(label, action) for label, action, _ in buttons(mine)] == [("Score", okr_ids.OKR_SCORE_OPEN)] * 6
    assert [value for _, _, value in buttons(mine)] == ["1", "2", "3", "4", "5", "6"]
    dumped = texts(mine)
    assert "3 of 6 key results scored" in dumped and "14 days left, ends on 31 July" in dumped
    assert "`#3` *SDR:* Book 50 meetings\n_not scored_" in dumped


def test_mine_with_many_key_results_stays_within_50_blocks():
    nodes = [kr(i, f"Key result {i}", None, 1) for i in range(1, 81)]
    mine = scoring_blocks.mine_message(Q2, nodes, today=TODAY)
    assert_message_valid(mine)
    shown = len(buttons(mine))
    assert shown == 47 and f"…and {80 - shown} more" in texts(mine["blocks"][-1])


def test_mine_without_key_results_says_how_to_map_a_role():
    mine = scoring_blocks.mine_message(Q2, [], today=TODAY)
    assert "No key result in FY20-Q2 is owned by a role mapped to you" in mine["text"]
    assert '`/okr owner "Role" @you`' in mine["text"]


@pytest.mark.parametrize(("score", "initial"), [(40.0, "40"), (62.5, "62.5"), (100.0, "100"), (None, None)])
def test_score_modal_fills_in_the_current_score(score, initial):
    view = scoring_blocks.score_modal(
        kr(42, "Close [deals](https://x.example/d)", score, 1), quarter_label="FY20-Q2", private_metadata="42|FY20-Q2"
    )
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    number = inputs[okr_ids.OKR_SCORE_VALUE]
    assert number["type"] == "number_input" and number["is_decimal_allowed"] is True
    assert (number["min_value"], number["max_value"]) == ("0", "100")
    assert number.get("initial_value") == initial
    comment = inputs[okr_ids.OKR_SCORE_COMMENT]
    assert comment["multiline"] and comment["max_length"] == 1000
    assert "<https://x.example/d|deals>" in texts(view["blocks"][0]) and view["private_metadata"] == "42|FY20-Q2"


def test_score_modal_reads_the_score_as_typed_and_the_comment():
    view = submitted(
        {
            okr_ids.OKR_SCORE_VALUE: {"type": "number_input", "value": "70.5"},
            okr_ids.OKR_SCORE_COMMENT: {"type": "plain_text_input", "value": "  on track after the launch \n"},
        }
    )
    assert scoring_blocks.read_score_modal(view) == ("70.5", "on track after the launch")
    blank = submitted({okr_ids.OKR_SCORE_VALUE: {"value": "40"}, okr_ids.OKR_SCORE_COMMENT: {"value": None}})
    assert scoring_blocks.read_score_modal(blank) == ("40", None)


def test_score_saved_reply_says_what_it_was():
    saved = scoring_blocks.score_saved_reply(kr(42, "Close deals", 70.0, 1), previous=40.0)
    assert saved["text"] == "Scored #42 70% (was 40%)" and saved["response_type"] == "ephemeral"
    first = scoring_blocks.score_saved_reply(kr(42, "Close deals", 62.5, 1), previous=None)
    assert first["text"] == "Scored #42 62.5% (its first score)"


def test_score_history_is_newest_first_with_who_and_when():
    older, newer = datetime(2019, 5, 20, tzinfo=UTC), datetime(2019, 6, 20, tzinfo=UTC)
    history = scoring_blocks.score_history_message(
        kr(42, "Close deals", 70.0, 1), [(40.0, None, "U1", older), (70.0, "on track", "U2", newer)]
    )
    dumped = texts(history)
    assert dumped.index("<@U2> · *70%* — on track") < dumped.index("<@U1> · *40%*")
    assert f"<!date^{int(newer.timestamp())}^" in dumped
    assert "2 scores" in history["text"]


# --- reminders and the digest ----------------------------------------------------------------------------------------


def test_reminders_open_with_what_is_due():
    unscored = [kr(i, f"KR {i}", None, 1) for i in (3, 5, 6)]
    mid = reminders_blocks.reminder_dm(Reminder.MID_QUARTER, Q2, unscored)
    assert mid["text"] == "Mid-quarter check on FY20-Q2: 3 of your key results have no score yet."
    assert buttons(mid) == [("Score", okr_ids.OKR_SCORE_OPEN, str(i)) for i in (3, 5, 6)]
    two_weeks = reminders_blocks.reminder_dm(Reminder.TWO_WEEKS_LEFT, Q2, [*unscored, kr(9, "Scored", 50.0, 1)])
    assert two_weeks["text"].startswith("Two weeks left in FY20-Q2 (it ends on 31 July): 3 of your 4 key results")
    last = reminders_blocks.reminder_dm(Reminder.LAST_CALL, Q2, unscored[:1])
    assert last["text"].startswith("Last call: FY20-Q2 ended on 31 July; 1 of your key results still has no score.")
    all_scored = reminders_blocks.reminder_dm(Reminder.MID_QUARTER, Q2, [kr(9, "Scored", 50.0, 1)])
    assert (
        all_scored["text"]
        == "Mid-quarter check on FY20-Q2: every key result of yours has a score. Update any that moved."
    )


def test_reminder_with_many_key_results_stays_within_50_blocks():
    dm = reminders_blocks.reminder_dm(Reminder.TWO_WEEKS_LEFT, Q2, [kr(i, f"KR {i}", None, 1) for i in range(1, 101)])
    assert_message_valid(dm)
    assert "…and 53 more" in texts(dm) and "/okr mine" in texts(dm["blocks"][-1])


def test_digest_gives_scores_then_unscored_by_owner():
    many = [kr(i, f"KR {i}", None, 1) for i in range(100, 160)]
    digest = reminders_blocks.digest_message(
        Q2,
        [small_objective(), second_objective()],
        [("CMO", ["U1", "U2"], [kr(6, "Launch", None, 1)]), ("SDR", [], many)],
    )
    assert_message_valid(digest)
    assert "response_type" not in digest
    dumped = texts(digest)
    assert digest["blocks"][0]["text"]["text"] == "FY20-Q2 OKR scores"
    assert "mean of 3 scored KRs of 6" in dumped and "mean of 1 scored KR of 1" in dumped
    assert "*Unscored key results by owner*" in dumped
    assert "*CMO* · <@U1>, <@U2> · 1 unscored: `#6`" in dumped
    assert "*SDR* · _no one mapped_ · 60 unscored: `#100`" in dumped and "`#124` and 35 more" in dumped
    assert "`#125`" not in dumped


def test_digest_with_many_roles_stays_within_50_blocks():
    roles = [(f"Role {i} " + "x" * 80, [f"U{i}"], [kr(j, "KR", None, 1) for j in range(30)]) for i in range(600)]
    digest = reminders_blocks.digest_message(Q2, big_tree(), roles)
    assert_message_valid(digest)
    assert "…and " in texts(digest)


# --- owners, quarters, help, import ------------------------------------------------------------------------------


def test_owners_lists_roles_and_the_ones_no_one_is_mapped_to():
    owners = owners_blocks.owners_message(
        [("CRO", ["U1", "U2"]), ("VP Eng", ["U3"])], ["CMO", "SDR"], quarter_label="FY20-Q2"
    )
    dumped = texts(owners)
    assert "*CRO* · <@U1>, <@U2>\n*VP Eng* · <@U3>" in dumped
    assert "*2 roles with no one mapped* in FY20-Q2" in dumped and "CMO · SDR" in dumped
    assert '`/okr owner "Role" @someone`' in dumped
    everyone = owners_blocks.owners_message([("CRO", ["U1"])], [], quarter_label="FY20-Q2")
    assert "Every role in FY20-Q2 has someone mapped." in texts(everyone)


def test_long_owner_lists_are_packed_within_50_blocks():
    mapped = [(f"Role {i} " + "y" * 100, [f"U{i}", f"U{i}X"]) for i in range(600)]
    owners = owners_blocks.owners_message(
        mapped, [f"Missing {i} " + "z" * 100 for i in range(1200)], quarter_label=None
    )
    assert_message_valid(owners)
    assert texts(owners).count("…and ") == 2


def test_quarters_list_counts():
    listed = owners_blocks.quarters_message(
        [(Q2, 5, 120, 30), (QuarterSpan("2018-Q2", date(2018, 4, 1), date(2018, 6, 30)), 1, 1, 0)]
    )
    dumped = texts(listed)
    assert "*FY20-Q2* · 1 May – 31 Jul 2019 · 5 objectives · 120 key results · 30 scored" in dumped
    assert "*2018-Q2* · 1 Apr – 30 Jun 2018 · 1 objective · 1 key result · 0 scored" in dumped
    assert "/okr import" in owners_blocks.quarters_message([])["text"]


def test_help_shows_each_command():
    help_ = help_blocks.okr_help([("/okr score <id> <0-100> [comment]", "score a key result"), ("/okr mine", "yours")])
    dumped = texts(help_)
    assert "*`/okr score &lt;id&gt; &lt;0-100&gt; [comment]`*: score a key result" in dumped
    assert help_["response_type"] == "ephemeral"


def test_import_reply_gives_counts_and_next_steps():
    reply = importing_blocks.import_reply(Q2, objectives=5, key_results=120, scored=30, retro_teams=4, replaced=True)
    assert reply["text"] == (
        "Replaced FY20-Q2 (1 May – 31 Jul 2019): 5 objectives, 120 key results (30 scored), "
        "the retrospective of 4 teams."
    )
    dumped = texts(reply)
    assert "`/okr tree FY20-Q2`" in dumped and "`/okr owners FY20-Q2`" in dumped
    assert ":warning:" not in dumped


def test_import_reply_warns_when_the_quarter_is_not_three_whole_months():
    odd = QuarterSpan("FY20-Q2", date(2019, 5, 15), date(2019, 8, 14))
    reminded_as = QuarterSpan("FY20-Q2", date(2019, 5, 1), date(2019, 7, 31))
    reply = importing_blocks.import_reply(
        odd, objectives=1, key_results=2, scored=0, retro_teams=0, replaced=False, reminded_as=reminded_as
    )
    warning = reply["blocks"][1]["text"]["text"]
    assert warning.startswith(":warning: FY20-Q2 runs 15 May – 14 Aug 2019, not three whole months from the 1st")
    assert "follow the quarter it starts in, 1 May – 31 Jul 2019" in warning and "early or late" in warning


def test_import_modal_round_trip():
    view = importing_blocks.import_modal(quarter="FY20-Q2", private_metadata="C1")
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == [
        okr_ids.OKR_IMPORT_QUARTER,
        okr_ids.OKR_IMPORT_PAGE,
        okr_ids.OKR_IMPORT_PAGE_MORE,
        okr_ids.OKR_IMPORT_FILE,
        okr_ids.OKR_IMPORT_REPLACE,
    ]
    assert inputs[okr_ids.OKR_IMPORT_QUARTER]["initial_value"] == "FY20-Q2"
    assert inputs[okr_ids.OKR_IMPORT_PAGE]["max_length"] == inputs[okr_ids.OKR_IMPORT_PAGE_MORE]["max_length"] == 3000
    assert inputs[okr_ids.OKR_IMPORT_FILE]["filetypes"] == ["md", "markdown", "txt"]
    option = inputs[okr_ids.OKR_IMPORT_REPLACE]["options"][0]
    assert option["text"]["text"] == "Replace the quarter if it is already imported"
    # What Slack sends back on submit, for each input in the form:
    state = {
        okr_ids.OKR_IMPORT_QUARTER: {"type": "plain_text_input", "value": " FY20-Q2 "},
        okr_ids.OKR_IMPORT_PAGE: {"type": "plain_text_input", "value": "### 1. CEO: Grow\n\n1. CRO: Close => 40%\n"},
        okr_ids.OKR_IMPORT_PAGE_MORE: {"type": "plain_text_input", "value": "    1. Sign 5 => 80%"},
        okr_ids.OKR_IMPORT_FILE: {"type": "file_input", "files": []},
        okr_ids.OKR_IMPORT_REPLACE: {"type": "checkboxes", "selected_options": [option]},
    }
    assert importing_blocks.read_import_modal(submitted(state)) == (
        "FY20-Q2",
        "### 1. CEO: Grow\n\n1. CRO: Close => 40%\n    1. Sign 5 => 80%",
        [],
        True,
    )
    attached = {
        okr_ids.OKR_IMPORT_QUARTER: {"type": "plain_text_input", "value": None},
        okr_ids.OKR_IMPORT_FILE: {"type": "file_input", "files": [{"id": "F1", "name": "okrs.md"}]},
        okr_ids.OKR_IMPORT_REPLACE: {"type": "checkboxes", "selected_options": []},
    }
    assert importing_blocks.read_import_modal(submitted(attached)) == (None, "", ["F1"], False)


def test_import_modal_wants_exactly_one_page():
    with pytest.raises(UserError) as nothing:
        importing_blocks.read_import_modal(submitted({okr_ids.OKR_IMPORT_PAGE: {"value": "  "}}))
    assert nothing.value.field == okr_ids.OKR_IMPORT_PAGE
    both = submitted({okr_ids.OKR_IMPORT_PAGE: {"value": "# OKRs"}, okr_ids.OKR_IMPORT_FILE: {"files": [{"id": "F1"}]}})
    with pytest.raises(UserError) as twice:
        importing_blocks.read_import_modal(both)
    assert twice.value.field == okr_ids.OKR_IMPORT_FILE


def test_home_section_gives_objective_scores_then_the_users_unscored_first_ten():
    nodes = [kr(n, f"Key result {n}", 50.0 if n % 5 == 0 else None, 1) for n in range(1, 16)]
    objectives = [ObjectiveNode(1, "CEO", "Grow revenue", tuple(nodes)), ObjectiveNode(2, "CEO", "Hire", ())]
    blocks = home_blocks.home_section(Q2, objectives, nodes, today=date(2019, 6, 3))
    dumped = texts({"blocks": blocks})
    assert blocks[0]["text"]["text"] == "OKRs FY20-Q2"
    assert "3 of 15 key results scored" in dumped and "58 days left" in dumped
    assert "*1. CEO:* Grow revenue\n▰▰▰▰▰▱▱▱▱▱ 50% — mean of 3 scored KRs of 15" in dumped
    assert "*2. CEO:* Hire\n_no key results_" in dumped
    assert "*Yours:* 3 of 15 key results scored" in dumped
    buttons = [b["accessory"]["value"] for b in blocks if "accessory" in b]
    assert buttons == ["1", "2", "3", "4", "6", "7", "8", "9", "11", "12"]  # unscored only, in tree order
    assert blocks[-1]["elements"][0]["text"] == "…and 2 more unscored. `/okr mine` lists them all."


def test_home_section_without_key_results_of_ones_own_shows_the_scores_only():
    done = kr(1, "Done", 80.0, 1)
    objectives = [ObjectiveNode(1, "CEO", "Grow revenue", (done,))]
    mine = home_blocks.home_section(Q2, objectives, [done], today=date(2019, 6, 3))
    assert "All scored" in mine[-1]["elements"][0]["text"] and not any("accessory" in b for b in mine)
    others = home_blocks.home_section(Q2, objectives, [], today=date(2019, 6, 3))
    assert "Yours" not in texts({"blocks": others}) and "80%" in texts({"blocks": others})


@pytest.mark.parametrize(
    ("score", "shown"), [(0.7, "0.7%"), (5.25, "5.2%"), (42.6, "43%"), (40.0, "40%"), (120.0, "120%")]
)
def test_a_score_under_ten_keeps_its_decimal_beside_the_bar(score, shown):
    assert pieces_blocks.score_text(score).endswith(f" {shown}")  # `/okr score 58 0.7%` showed 1%
