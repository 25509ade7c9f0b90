"""Imports at the edges, through signed requests into the app: long texts on both databases, Slack unable to say
who is who, NUL bytes; found by trying the import paths as an attacker would (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.okrs import ids
from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from models import KeyResult, OkrQuarter, WorkingGroup
from tests.handlers.test_okr import DAY_ONE, okr, text_input
from tests.handlers.test_wg_import import DOCS_PAGE, add_people, import_page, the_group

# 230 characters, as responsibility cells and long role titles are written
LONG = (
    "Coordinates the quarterly planning across Engineering, Product and Marketing, keeps the agenda, writes the "
    "notes, follows up on every action item with its owner and reports progress to the executive sponsor each month "
    "in the e-group meeting"
)
ROLES = "# WG\n\n## Roles and Responsibilities\n\n"


@pytest.fixture
def people(slack: SlackStandIn) -> SlackStandIn:
    return add_people(slack)


@pytest.mark.parametrize(
    ("page", "kept"),
    [
        pytest.param(f"# {'Long ' * 45}WG\n\n## Exit Criteria\n\n1. Ship\n", "Long " * 45 + "WG", id="title"),
        pytest.param(
            ROLES + "| Working Group Role | Person | Responsibility |\n|---|---|---|\n"
            f"| Facilitator | Ann Lee | {LONG} |\n",
            "Ann Lee",
            id="responsibility",
        ),
        pytest.param(ROLES + f"| Role | Responsibility |\n|---|---|\n| Facilitator | {LONG} |\n", None, id="no-person"),
        pytest.param(
            ROLES + f"| Working Group Role | Person | Title |\n|---|---|---|\n| {LONG} | Ann Lee | Dir |\n",
            LONG,
            id="unknown-role",
        ),
        pytest.param(
            "# WG\n\n## Attributes\n\n| Property | Value |\n|---|---|\n"
            f"| Target end date, to be agreed with the sponsor and the e-group | {'2023-01-01'} |\n",
            "Target end date, to be agreed with the sponsor and the e-group",
            id="end-label",
        ),
    ],
)
def test_long_texts_on_a_page_are_saved_as_written_on_both_databases(
    app: AppClient,
    db: Session,
    people: SlackStandIn,
    page: str,
    kept: str | None,
) -> None:
    answer = import_page(app, people, page)
    assert "Something went wrong" not in json.dumps(answer.body)
    group = the_group(db)
    written = [group.name, *(attribute["name"] for attribute in group.attributes)] + [
        text for member in group.roles for text in (member.role_title, member.person_name, member.title)
    ]
    assert kept is None or kept in written


def test_a_long_key_result_owner_and_status_import(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    slack.add_channel("C_OKRS", "okrs", members=["U_ADMIN"])
    okr(app, "setup <#C_OKRS|okrs>")
    okr(app, "import")
    page = f"# FY21-Q1 OKRs\n\n### 1. CEO: Grow\n\n1. {LONG}: ship it => 10%\n1. VP Eng: ship => MISSED\n"
    with time_machine.travel(DAY_ONE, tick=False):
        answer = app.submit(slack.views_opened()[-1], _okr_values(page), user="U_ADMIN")
    assert "Something went wrong" not in json.dumps(answer.body)
    assert db.scalar(select(func.count()).select_from(OkrQuarter)) == 1
    saved = [f"{owner}: {text}" for owner, text in db.execute(select(KeyResult.owner, KeyResult.text)).all()]
    assert any(LONG in line for line in saved)


def _okr_values(page: str) -> dict[str, Any]:
    return {
        **text_input(ids.OKR_IMPORT_QUARTER, ""),
        **text_input(ids.OKR_IMPORT_PAGE, page),
        **text_input(ids.OKR_IMPORT_PAGE_MORE, ""),
    }


@pytest.mark.parametrize("fault", ["error", "rate_limited"])
def test_an_import_goes_on_when_slack_cannot_say_who_is_who(
    app: AppClient,
    db: Session,
    people: SlackStandIn,
    fault: str,
) -> None:
    if fault == "error":
        people.fail_next("users.list", 500, times=3)
    else:
        people.rate_limit_next("users.list", retry_after=30, times=3)
    import_page(app, people, DOCS_PAGE)
    group = the_group(db)
    assert group.roles and all(member.user_id is None for member in group.roles)  # nobody guessed
    told = json.dumps(people.ephemerals(group.channel_id, user="U_ALICE"), ensure_ascii=False)
    assert "couldn't ask Slack who is who" in told and "Link people" in told


def test_nul_bytes_in_a_page_are_dropped_not_kept_as_replacement_characters(
    app: AppClient,
    db: Session,
    people: SlackStandIn,
) -> None:
    import_page(app, people, "# Docs\x00Revamp Working Group\n\n## Exit Criteria\n\n1. Ship\x00 it\n")
    group = the_group(db)
    assert group.name == "DocsRevamp Working Group"
    assert [criterion.text for criterion in group.exit_criteria] == ["Ship it"]
    assert db.scalar(select(func.count()).select_from(WorkingGroup)) == 1


def test_a_page_naming_another_channel_is_told_where_the_group_lives(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    attributes = "## Attributes\n\n| Property | Value |\n|---|---|\n| Slack | {} |\n\n## Exit Criteria\n\n1. Ship\n"
    import_page(app, people, "# Docs WG\n\n" + attributes.format("#wg_account_escalation"))
    group = the_group(db)
    said = json.dumps(people.ephemerals(group.channel_id, user="U_ALICE"), ensure_ascii=False)
    assert "as its channel" not in said  # the page's own channel: nothing to say

    import_page(app, people, "# Docs WG\n\n" + attributes.format("[#wg_docs](https://x.slack.com/archives/C9)"))
    said = json.dumps(people.ephemerals(group.channel_id, user="U_ALICE")[-1], ensure_ascii=False)
    assert "The page names #wg_docs as its channel; the group lives in #wg_account_escalation" in said


def test_re_importing_the_page_keeps_who_was_linked_to_whom(app: AppClient, db: Session, people: SlackStandIn) -> None:
    """Alice imports; links the DRI (a name Slack doesn't know) to Bob; Bob, now the DRI, re-imports the page to fix
    a typo: he stays the DRI, and Alice no longer manages the group."""
    from tests.handlers.test_wg_import import MONDAY, link_form, links, picks, wg

    page = DOCS_PAGE.replace("Jamie Reid | jamie.reid@example.com", "Zed Nobody |")
    import_page(app, people, page)
    wg(app, "people")
    form = link_form(people)
    with time_machine.travel(MONDAY, tick=False):
        app.submit(form, picks(form, {"Zed Nobody": "U_BOB", "Sam Lee": None, "Alex Smith": None}), user="U_ALICE")
    import_page(app, people, page.replace("Ship the new docs", "Ship the new docs (typo fixed)"), user="U_BOB")
    assert links(db)["Zed Nobody"] == "U_BOB"
    assert [criterion.text for criterion in the_group(db).exit_criteria][0] == "Ship the new docs (typo fixed)"
    assert "Only the DRI" in wg(app, 'criterion add "Alice again"')["text"]


def test_a_person_holding_two_roles_is_linked_once_for_both(app: AppClient, db: Session, people: SlackStandIn) -> None:
    """The Administration page's "Facilitator/DRI | Peter Lu" is two role rows and one person: one picker links both."""
    from tests.handlers.test_wg_import import MONDAY, link_form, person_inputs, picks, wg

    page = Path(__file__).resolve().parents[1] / "fixtures/handbook/working_groups/02-administration-2023.md"
    import_page(app, people, page.read_text(encoding="utf-8"))
    wg(app, "people")
    form = link_form(people)
    labels = [block["label"]["text"] for block in form["blocks"] if block.get("type") == "input"]
    assert sum(label.startswith("Peter Lu ·") for label in labels) == 1
    with time_machine.travel(MONDAY, tick=False):
        app.submit(
            form, picks(form, {name: None for name in person_inputs(form)} | {"Peter Lu": "U_BOB"}), user="U_ALICE"
        )
    peter = [(m.role, m.user_id) for m in the_group(db).roles if m.person_name == "Peter Lu"]
    assert peter == [("Facilitator", "U_BOB"), ("DRI", "U_BOB")]
