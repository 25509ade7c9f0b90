"""`/wg import` answers with the import report, and the page's people are linked to Slack users afterwards: through
signed requests into the running app, the Slack stand-in and both databases."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.slack.people import PeopleDirectory, PersonMatch
from bot.working_groups import ids
from devtools.app_client import AppClient, Reply, find_element
from devtools.signing import block_actions_body, post_signed
from devtools.slack_stand_in import SlackStandIn
from models import AuditEvent, WorkingGroup, WorkingGroupMember
from tests.support.concurrency import at_once

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "handbook" / "working_groups"
ESCALATION = CORPUS / "01-account-escalation-process-2023.md"
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
CHANNEL = "C_WG_ESC"

# A small page in the handbook's shape whose DRI is written with an email and whose facilitator with a handle.
DOCS_PAGE = """\
# Docs Revamp Working Group

## Exit Criteria

1. Ship the new docs

## Roles and Responsibilities

| Working Group Role | Person | Username | Title |
|---|---|---|---|
| DRI | Jamie Reid | jamie.reid@example.com | VP Docs |
| Facilitator | Sam Lee | @slee | Director |
| Member | Alex Smith | | Writer |
"""


def import_values(page: str) -> dict[str, Any]:
    lines = page.splitlines()
    half = len(lines) // 2
    return {
        ids.WG_IMPORT_PAGE: {ids.WG_IMPORT_PAGE: {"type": "plain_text_input", "value": "\n".join(lines[:half])}},
        ids.WG_IMPORT_PAGE_MORE: {
            ids.WG_IMPORT_PAGE_MORE: {"type": "plain_text_input", "value": "\n".join(lines[half:])}
        },
        ids.WG_IMPORT_FILE: {ids.WG_IMPORT_FILE: {"type": "file_input", "files": []}},
    }


def wg(app: AppClient, text: str, *, user: str = "U_ALICE", channel: str = CHANNEL) -> Reply:
    with time_machine.travel(MONDAY, tick=False):
        return app.command("/wg", text, user=user, channel=channel)


def import_page(app: AppClient, slack: SlackStandIn, page: str, *, user: str = "U_ALICE") -> Reply:
    wg(app, "import", user=user)
    with time_machine.travel(MONDAY, tick=False):
        return app.submit(slack.views_opened()[-1], import_values(page), user=user)


def the_group(db: Session) -> WorkingGroup:
    db.expire_all()
    return db.scalars(select(WorkingGroup).where(WorkingGroup.channel_id == CHANNEL)).one()


def links(db: Session) -> dict[str, str | None]:
    return {m.person_name or "": m.user_id for m in the_group(db).roles}


def linked_events(db: Session) -> list[AuditEvent]:
    db.expire_all()
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == "wg.role_linked")))


def import_reply(slack: SlackStandIn, user: str = "U_ALICE") -> dict[str, Any]:
    [reply] = [e for e in slack.ephemerals(CHANNEL, user=user) if "Saved" in e["text"]]
    return reply


def press_link_people(app: AppClient, slack: SlackStandIn, *, user: str, answers: str = "link") -> int:
    """Press Link people on the importer's ephemeral reply, as `user` (Slack shows an ephemeral only to its
    recipient; a stranger's press is a replayed or forged one)."""
    reply = import_reply(slack)
    button = find_element(reply["blocks"], ids.WG_LINK_OPEN)
    body = block_actions_body(
        ids.WG_LINK_OPEN,
        button["value"],
        user_id=user,
        channel_id=CHANNEL,
        team_id=app.team_id,
        block_id=button["_block_id"],
        container={"type": "message", "is_ephemeral": True, "channel_id": CHANNEL, "message_ts": reply["ts"]},
        response_url=slack.response_url(answers),
    )
    return post_signed(app.url, body, app.secret)[0]


def link_form(slack: SlackStandIn) -> dict[str, Any]:
    view = slack.views_opened()[-1]
    assert view["callback_id"] == ids.WG_LINK_MODAL
    return view


def person_inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The form's pickers by the label's person name."""
    return {
        b["label"]["text"].split(" · ")[0]: b
        for b in view["blocks"]
        if b.get("type") == "input" and b["block_id"].startswith(ids.WG_LINK_PERSON)
    }


def picks(view: dict[str, Any], chosen: dict[str, str | None]) -> dict[str, Any]:
    """Form values: each person's picker as the form showed it (its pre-fill), with `chosen` changes."""
    values = {}
    for name, block in person_inputs(view).items():
        user = chosen.get(name, block["element"].get("initial_user"))
        values[block["block_id"]] = {block["block_id"]: {"type": "users_select", "selected_user": user}}
    return values


def said(slack: SlackStandIn, answers: str) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in slack.responses(answers))


@pytest.fixture
def people(slack: SlackStandIn) -> SlackStandIn:
    """The workspace of `add_people`."""
    return add_people(slack)


def add_people(slack: SlackStandIn) -> SlackStandIn:
    """The Account Escalation page's people as this workspace has them: Sherrod under her page name, Lyle only under
    his handle, two Manuel Krafts, and nobody for the rest."""
    slack.add_user("U_SHERROD", name="spatching", real_name="Sherrod Patching")
    slack.add_user("U_LYLE", name="lyle", real_name="L. K.")
    slack.add_user("U_MANUEL1", name="mkraft", real_name="Manuel Kraft")
    slack.add_user("U_MANUEL2", name="manuelk", real_name="Manuel Kraft")
    slack.add_user("U_CAROL", name="carol", real_name="Carol Outsider")
    slack.add_user("U_JAMIE", name="jr", real_name="J. Reid", email="jamie.reid@example.com")
    slack.add_user("U_SAM", name="slee", real_name="Samuel Lee")
    slack.add_user("U_ALEX1", name="alex", real_name="Alex Smith")
    slack.add_user("U_ALEX2", name="asmith", real_name="Alex Smith")
    slack.add_channel(CHANNEL, "wg_account_escalation", members=["U_ALICE", "U_BOB", "U_ADMIN", "U_LYLE"])
    return slack


# --------------------------------------------------------------------------------------------- the import reply


def test_a_corpus_page_import_posts_the_charter_and_tells_the_importer_the_report_with_link_people(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    answer = import_page(app, people, ESCALATION.read_text())

    assert answer.body == ""  # the form closes; the charter is in the channel, the report with the importer
    assert "Account Escalation Process" in people.messages(CHANNEL)[-1]["text"]
    reply = import_reply(people)
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    assert "Saved the working group *Account Escalation Process*." in text and "*Read*" in text
    assert "5 people on the page are not linked to Slack users yet" in text
    assert "You can manage this group until a DRI or facilitator is linked." in text
    assert find_element(reply["blocks"], ids.WG_LINK_OPEN)["value"] == str(the_group(db).id)
    assert people.ephemerals(CHANNEL, user="U_BOB") == []  # nobody else sees it
    # Only the unique exact name was linked by the import itself.
    assert links(db) == {
        "Sherrod Patching": "U_SHERROD",
        "Lyle Kozloff": None,
        "Christiaan Conover": None,
        "Manuel Kraft": None,
        "Ricardo Amarilla": None,
        "Anthony Fappiano": None,
    }


def test_a_page_whose_people_are_all_slack_users_gets_no_link_button(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    page = "# Docs\n\n## Roles and Responsibilities\n\n| Working Group Role | Person |\n|---|---|\n"
    page += "| DRI | Alice Archer |\n"
    import_page(app, people, page)
    reply = import_reply(people)
    with pytest.raises(KeyError):
        find_element(reply["blocks"], ids.WG_LINK_OPEN)
    assert links(db) == {"Alice Archer": "U_ALICE"}
    assert "You can manage this group" not in json.dumps(reply)  # Alice is the DRI: the usual rule already serves


def test_when_the_charter_post_fails_the_form_says_what_was_saved_and_carries_the_report(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    people.error_next("chat.postMessage", "not_in_channel")
    answer = import_page(app, people, ESCALATION.read_text())

    assert answer["response_action"] == "update"
    dumped = json.dumps(answer["view"], ensure_ascii=False)
    assert "Saved the working group. I couldn't post in <#C_WG_ESC>: invite me with `/invite @Cadence`." in dumped
    assert "*Read*" in dumped and ids.WG_LINK_OPEN in dumped
    assert the_group(db).name == "Account Escalation Process" and len(the_group(db).roles) == 6


def test_when_the_ephemeral_reply_is_refused_it_comes_by_dm_and_when_that_fails_too_in_the_form(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    people.error_next("chat.postEphemeral", "channel_not_found")
    assert import_page(app, people, ESCALATION.read_text()).body == ""
    dm = people.messages("U_ALICE")[-1]
    assert "Saved the working group *Account Escalation Process*." in json.dumps(dm["blocks"])
    assert find_element(dm["blocks"], ids.WG_LINK_OPEN)["value"] == str(the_group(db).id)

    people.error_next("chat.postEphemeral", "channel_not_found")
    people.fail_next("chat.postMessage", 500, times=2)  # the charter, then the DM
    answer = import_page(app, people, ESCALATION.read_text(), user="U_ADMIN")
    assert answer["response_action"] == "update"
    dumped = json.dumps(answer["view"], ensure_ascii=False)
    assert "Saved the new charter." in dumped and "Saved the new charter of *Account Escalation Process*." in dumped
    assert ids.WG_LINK_OPEN in dumped


# --------------------------------------------------------------------------------------------- the link form


def test_link_people_opens_a_form_pre_filled_with_unique_matches_only(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    import_page(app, people, ESCALATION.read_text())
    assert press_link_people(app, people, user="U_ALICE") == 200
    inputs = person_inputs(link_form(people))

    assert list(inputs) == [
        "Lyle Kozloff",
        "Christiaan Conover",
        "Manuel Kraft",
        "Ricardo Amarilla",
        "Anthony Fappiano",
    ]
    assert inputs["Lyle Kozloff"]["label"]["text"] == "Lyle Kozloff · Facilitator"
    assert inputs["Lyle Kozloff"]["element"]["initial_user"] == "U_LYLE"  # by the @lyle the page wrote
    assert "Found by @lyle on the page" in inputs["Lyle Kozloff"]["hint"]["text"]
    assert "initial_user" not in inputs["Manuel Kraft"]["element"]  # two Slack users are called that
    assert "2 Slack users match" in inputs["Manuel Kraft"]["hint"]["text"]
    assert "initial_user" not in inputs["Ricardo Amarilla"]["element"]


def test_the_form_pre_fills_by_email_and_by_handle_and_not_when_a_name_is_ambiguous(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    import_page(app, people, DOCS_PAGE)
    wg(app, "link")  # the other name of `/wg people`
    inputs = person_inputs(link_form(people))
    assert {name: block["element"].get("initial_user") for name, block in inputs.items()} == {
        "Jamie Reid": "U_JAMIE",  # jamie.reid@example.com is U_JAMIE's Slack email
        "Sam Lee": "U_SAM",  # @slee
        "Alex Smith": None,  # two Alex Smiths
    }
    assert inputs["Jamie Reid"]["label"]["text"] == "Jamie Reid · DRI"


def test_submitting_the_form_links_the_rows_audited_and_says_so(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    import_page(app, people, ESCALATION.read_text())
    press_link_people(app, people, user="U_ALICE")
    form = link_form(people)
    with time_machine.travel(MONDAY, tick=False):
        answer = app.submit(form, picks(form, {"Manuel Kraft": "U_MANUEL2"}), user="U_ALICE")

    assert answer.body == ""
    assert links(db)["Lyle Kozloff"] == "U_LYLE" and links(db)["Manuel Kraft"] == "U_MANUEL2"
    assert links(db)["Ricardo Amarilla"] is None  # left empty: linked later
    events = linked_events(db)
    assert sorted(e.detail["who"] for e in events) == ["U_LYLE", "U_MANUEL2"]
    assert {e.actor_id for e in events} == {"U_ALICE"}
    told = json.dumps(people.ephemerals(CHANNEL, user="U_ALICE")[-1], ensure_ascii=False)
    assert "Linked 2 people of *Account Escalation Process* to Slack." in told
    assert "Lyle Kozloff · Facilitator is <@U_LYLE>." in told

    # The facilitator is a Slack user now: Alice no longer manages the group, and Lyle does. His form holds only
    # who is left.
    assert "Only the DRI or facilitator of Account Escalation Process (<@U_LYLE>)" in wg(app, "people")["text"]
    wg(app, "people", user="U_LYLE")
    assert list(person_inputs(link_form(people))) == ["Christiaan Conover", "Ricardo Amarilla", "Anthony Fappiano"]


def test_two_submissions_at_once_link_each_row_once_and_the_later_one_is_told(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    import_page(app, people, ESCALATION.read_text())
    press_link_people(app, people, user="U_ALICE")
    form = link_form(people)
    # Members only, so that both stay allowed to link (linking the facilitator ends the importer's say).
    alices = picks(form, {"Lyle Kozloff": None, "Manuel Kraft": "U_MANUEL1", "Ricardo Amarilla": "U_BOB"})
    admins = picks(form, {"Lyle Kozloff": None, "Manuel Kraft": "U_MANUEL2", "Ricardo Amarilla": "U_ADMIN"})

    with time_machine.travel(MONDAY, tick=False):
        at_once(
            lambda: app.submit(form, alices, user="U_ALICE"),
            lambda: app.submit(form, admins, user="U_ADMIN"),
        )

    events = linked_events(db)
    assert len(events) == 2 and len({e.detail["member"] for e in events}) == 2  # each row linked once
    [winner] = {e.actor_id for e in events}
    loser = "U_ADMIN" if winner == "U_ALICE" else "U_ALICE"
    expected = {"U_ALICE": ("U_MANUEL1", "U_BOB"), "U_ADMIN": ("U_MANUEL2", "U_ADMIN")}[winner]
    assert (links(db)["Manuel Kraft"], links(db)["Ricardo Amarilla"]) == expected
    told = json.dumps(people.ephemerals(CHANNEL, user=loser)[-1], ensure_ascii=False)
    assert "Nothing changed" in told and f"was already linked by <@{winner}> to <@{expected[0]}>" in told


# --------------------------------------------------------------------------------------------- who may link


def test_strangers_cannot_open_or_submit_the_link_form(app: AppClient, db: Session, people: SlackStandIn) -> None:
    import_page(app, people, ESCALATION.read_text())
    opened = len(people.views_opened())

    press_link_people(app, people, user="U_CAROL", answers="carol")  # not in the channel
    assert "Only members of <#C_WG_ESC> can link the people" in said(people, "carol")
    reply = wg(app, "people", user="U_BOB")  # in the channel, but neither the importer nor a lead
    assert reply["response_type"] == "ephemeral"
    assert "Only <@U_ALICE>, who set up Account Escalation Process, or a workspace admin" in reply["text"]
    assert len(people.views_opened()) == opened  # no form opened for either

    press_link_people(app, people, user="U_ALICE")
    form = link_form(people)
    # A form submitted by someone else (replayed or forged): the outsider, then the member who is not a lead.
    outsider = app.submit(form, picks(form, {}), user="U_CAROL")
    member = app.submit(form, picks(form, {}), user="U_BOB")
    assert outsider["response_action"] == member["response_action"] == "errors"
    assert "Only members of <#C_WG_ESC>" in json.dumps(outsider["errors"])
    assert "Only <@U_ALICE>, who set up" in json.dumps(member["errors"])
    assert linked_events(db) == [] and links(db)["Lyle Kozloff"] is None


def test_a_form_cannot_link_rows_of_another_group_or_workspace(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    people.add_channel("C_OTHER", "wg_other", members=["U_ALICE"])
    wg(app, "import", channel="C_OTHER")
    with time_machine.travel(MONDAY, tick=False):
        app.submit(people.views_opened()[-1], import_values(DOCS_PAGE), user="U_ALICE")
    db.expire_all()
    other_rows = db.scalars(
        select(WorkingGroupMember.id).join(WorkingGroup).where(WorkingGroup.channel_id == "C_OTHER")
    ).all()
    import_page(app, people, ESCALATION.read_text())
    press_link_people(app, people, user="U_ALICE")
    form = link_form(people)
    forged = {
        f"{ids.WG_LINK_PERSON}{row}": {f"{ids.WG_LINK_PERSON}{row}": {"type": "users_select", "selected_user": "U_BOB"}}
        for row in other_rows
    }
    with time_machine.travel(MONDAY, tick=False):
        app.submit(form, forged, user="U_ALICE")
        elsewhere = AppClient(app.url, app.secret, people, team_id="T_ELSEWHERE")
        refused = elsewhere.submit(form, picks(form, {}), user="U_ALICE")

    db.expire_all()
    assert all(
        m.user_id is None for m in db.scalars(select(WorkingGroupMember).where(WorkingGroupMember.id.in_(other_rows)))
    )
    assert "no longer on this group's charter" in json.dumps(people.ephemerals(CHANNEL, user="U_ALICE")[-1])
    assert refused["response_action"] == "errors" and "no working group" in json.dumps(refused["errors"])
    assert linked_events(db) == []


def test_the_importer_manages_the_group_until_a_dri_is_linked_unless_they_are_the_dri(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    import_page(app, people, DOCS_PAGE)  # no DRI or facilitator is linked: the page's names are not Slack users
    wg(app, 'criterion add "Review the style guide"')
    assert [c.text for c in the_group(db).exit_criteria] == ["Ship the new docs", "Review the style guide"]
    assert "Only <@U_ALICE>, who set up" in wg(app, 'criterion add "Bob was here"', user="U_BOB")["text"]

    wg(app, "people")
    form = link_form(people)
    with time_machine.travel(MONDAY, tick=False):
        app.submit(form, picks(form, {"Jamie Reid": "U_BOB", "Sam Lee": None, "Alex Smith": None}), user="U_ALICE")
    assert links(db)["Jamie Reid"] == "U_BOB"
    told = json.dumps(people.ephemerals(CHANNEL, user="U_ALICE")[-1], ensure_ascii=False)
    assert "<@U_BOB> now leads" in told  # the importer is told the group is no longer theirs to manage

    refused = wg(app, 'criterion add "One more"')
    assert refused["response_type"] == "ephemeral" and "Only the DRI or facilitator" in refused["text"]
    assert "<@U_BOB>" in refused["text"] and len(the_group(db).exit_criteria) == 2
    wg(app, 'criterion add "One more"', user="U_BOB")  # the DRI now manages it
    assert len(the_group(db).exit_criteria) == 3


def test_an_importer_who_links_themselves_as_dri_keeps_managing_the_group(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    import_page(app, people, DOCS_PAGE)
    wg(app, "people")
    form = link_form(people)
    with time_machine.travel(MONDAY, tick=False):
        app.submit(form, picks(form, {"Jamie Reid": "U_ALICE", "Sam Lee": None, "Alex Smith": None}), user="U_ALICE")
    assert "now leads" not in json.dumps(people.ephemerals(CHANNEL, user="U_ALICE")[-1])  # they lead it themselves
    wg(app, 'criterion add "Still mine"')
    assert [c.text for c in the_group(db).exit_criteria][-1] == "Still mine"
    refused = wg(app, "people", user="U_BOB")
    assert "Only the DRI or facilitator of Docs Revamp Working Group (<@U_ALICE>)" in refused["text"]


def test_wg_help_and_the_unknown_subcommand_hint_name_wg_people(app: AppClient, people: SlackStandIn) -> None:
    assert "/wg people" in wg(app, "help").all_text()
    assert "`/wg people`" in wg(app, "peeple").all_text()


def test_wg_people_with_everyone_linked_says_so(app: AppClient, db: Session, people: SlackStandIn) -> None:
    wg(app, 'create "Docs revamp"')
    reply = wg(app, "people")
    assert reply["response_type"] == "ephemeral" and "linked to Slack already" in reply["text"]


# --------------------------------------------------------------------------------------------- the matcher


def directory() -> PeopleDirectory:
    def member(user_id: str, name: str, real_name: str, **extra: Any) -> dict[str, Any]:
        profile = {"real_name": real_name, "display_name": extra.pop("display_name", ""), **extra}
        return {"id": user_id, "name": name, "real_name": real_name, "profile": profile}

    return PeopleDirectory(
        [
            member("U1", "jose", "José Núñez", email="jose@example.com"),
            member("U2", "ana", "Ana Lima", display_name="Annie"),
            member("U3", "ana2", "Ana Lima"),
            member("U4", "ghost", "Gone Person") | {"deleted": True},
            member("U5", "bot", "Helper Bot") | {"is_bot": True},
            member("U6", "annie", "Someone Else"),
        ]
    )


@pytest.mark.parametrize(
    ("name", "username", "expected"),
    [
        ("jose nunez", None, PersonMatch("U1", "name")),  # accents and case do not matter
        ("J. Núñez", "JOSE@example.com", PersonMatch("U1", "email")),
        ("Ana Lima", None, PersonMatch(several=2, how="name")),  # ambiguous: no guess
        ("Ana Lima", "@ana2", PersonMatch("U3", "handle")),  # the handle decides between them
        ("Annie", "@annie", PersonMatch(several=2, how="handle")),  # U2's display name, U6's username
        ("Gone Person", None, PersonMatch()),  # deactivated
        ("Helper Bot", None, PersonMatch()),
        ("Nobody", "nobody@example.com", PersonMatch()),
    ],
)
def test_the_people_directory_matches_one_user_by_email_handle_or_name(
    name: str, username: str | None, expected: PersonMatch
) -> None:
    assert directory().best_match(name, username=username) == expected


def test_the_directory_called_with_a_name_is_still_the_importers_matcher() -> None:
    people = directory()
    assert people("JOSÉ NÚÑEZ") == "U1" and people("Ana Lima") is None and people("Nobody") is None


def test_a_link_form_with_nobody_picked_says_so_under_the_first_picker(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    import_page(app, people, DOCS_PAGE)
    wg(app, "people")
    form = link_form(people)
    answer = app.submit(form, picks(form, {"Jamie Reid": None, "Sam Lee": None}), user="U_ALICE")
    first = next(b["block_id"] for b in form["blocks"] if b.get("type") == "input")
    assert answer["response_action"] == "errors" and "Pick a Slack user" in answer["errors"][first]
    assert linked_events(db) == []


def test_links_saved_when_slack_refuses_the_answer_are_said_in_the_form(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    import_page(app, people, DOCS_PAGE)
    wg(app, "people")
    form = link_form(people)
    people.error_next("chat.postEphemeral", "channel_not_found")
    people.fail_next("chat.postMessage", 500)  # the DM it falls back to
    with time_machine.travel(MONDAY, tick=False):
        answer = app.submit(form, picks(form, {"Sam Lee": None}), user="U_ALICE")
    assert answer["response_action"] == "update"
    assert "Linked 1 person of *Docs Revamp Working Group* to Slack." in json.dumps(answer["view"])
    assert links(db)["Jamie Reid"] == "U_JAMIE"


def test_link_people_in_the_saved_form_pushes_the_link_form_on_top(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    people.error_next("chat.postMessage", "not_in_channel")
    saved = import_page(app, people, DOCS_PAGE)["view"]
    button = find_element(saved["blocks"], ids.WG_LINK_OPEN)
    body = block_actions_body(
        ids.WG_LINK_OPEN,
        button["value"],
        user_id="U_ALICE",
        team_id=app.team_id,
        block_id=button["_block_id"],
        view={**saved, "id": "V_SAVED"},
    )
    assert post_signed(app.url, body, app.secret)[0] == 200
    assert len(people.calls("views.push")) == 1  # on top of the saved form, not a second modal beside it
    assert list(person_inputs(link_form(people))) == ["Jamie Reid", "Sam Lee", "Alex Smith"]


def test_the_form_opens_without_suggestions_when_slack_cannot_list_people(
    app: AppClient, db: Session, people: SlackStandIn
) -> None:
    import_page(app, people, DOCS_PAGE)
    people.fail_next("users.list", 500)
    wg(app, "people")
    inputs = person_inputs(link_form(people))
    assert list(inputs) == ["Jamie Reid", "Sam Lee", "Alex Smith"]
    assert all("initial_user" not in block["element"] for block in inputs.values())
