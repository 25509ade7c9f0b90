"""Working groups through signed requests into the running app: import, charter, roles, items, nudges, close."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cadence import dispatcher
from devtools.app_client import AppClient
from devtools.slack_stand_in import SlackStandIn
from models import ActionItem, ActionItemStatus, AuditEvent, Cadence, CadenceStatus, WorkingGroup, WorkingGroupMember

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
LEADING = SEEDS / "working-group-leading-organizations.md"
ENTERPRISE = SEEDS / "working-group-enterprise-market-leadership.md"
# Monday 23 November 2026, 08:00 UTC = 09:00 in Paris (Alice's zone)
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="the seed pages live in shared/ beside the repo")


def nudges_to(slack: SlackStandIn, user: str) -> list[dict]:
    """The DMs a person got, but for those telling them an item became theirs (tests/handlers/test_wg_first_week.py)."""
    return [m for m in slack.messages(user) if "to you: action item" not in m["text"]]


def import_values(page: str) -> dict:
    lines = page.splitlines()
    half = len(lines) // 2
    return {
        "wg.import.page": {"wg.import.page": {"type": "plain_text_input", "value": "\n".join(lines[:half])}},
        "wg.import.page_more": {"wg.import.page_more": {"type": "plain_text_input", "value": "\n".join(lines[half:])}},
        "wg.import.file": {"wg.import.file": {"type": "file_input", "files": []}},
    }


def import_page(app: AppClient, slack: SlackStandIn, page: str, *, user: str, channel: str) -> dict | str:
    app.command("/wg", "import", user=user, channel=channel)
    view = slack.views_opened()[-1]
    return app.submit(view, import_values(page), user=user).body


def group(db: Session, channel: str) -> WorkingGroup:
    db.expire_all()
    return db.scalars(select(WorkingGroup).where(WorkingGroup.channel_id == channel)).one()


@pytest.fixture
def seed_people(slack: SlackStandIn) -> SlackStandIn:
    slack.add_user("U_EMILIO", name="emilio", real_name="Emilio Salvador", tz="America/Los_Angeles")
    slack.add_user("U_ASHLEY", name="ashley", real_name="Ashley Kramer", tz="America/New_York")
    slack.add_user("U_NICK", name="nick", real_name="Nick Veenhof", tz="Europe/Brussels")
    slack.add_channel("C_WG_LO", "wg_leading-organizations", members=["U_ALICE", "U_BOB", "U_EMILIO"])
    slack.add_channel("C_WG_EML", "wg_ent-mkt-leadership", members=["U_ALICE", "U_BOB"])
    slack.add_channel("C_WG_COPY", "wg_copy", members=["U_ALICE"])
    return slack


def test_both_seed_pages_import_with_every_role_criterion_and_date(
    app: AppClient, db: Session, seed_people: SlackStandIn
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        assert import_page(app, seed_people, LEADING.read_text(), user="U_ALICE", channel="C_WG_LO") == ""
        assert import_page(app, seed_people, ENTERPRISE.read_text(), user="U_ALICE", channel="C_WG_EML") == ""

    lo = group(db, "C_WG_LO")
    assert lo.name == "Leading Organizations Working Group"
    assert (lo.created_on, lo.end_on) == (date(2022, 11, 9), date(2024, 1, 31))
    assert lo.board_url == "https://gitlab.com/groups/gitlab-com/-/epics/1880"
    roles = [(m.role, m.function, m.person_name, m.user_id) for m in lo.roles]
    assert roles[:3] == [
        ("DRI", None, "Emilio Salvador", "U_EMILIO"),
        ("Executive Stakeholder", None, "Ashley Kramer", "U_ASHLEY"),
        ("Functional Lead", "Contributor Success", "Nick Veenhof", "U_NICK"),
    ]
    assert [r[1] for r in roles if r[0] == "Functional Lead"] == [
        "Contributor Success",
        "Developer Advocates",
        "Marketing Campaigns",
        "Product Marketing",
        "Customer Success",
    ]
    assert roles[-1][:3] == ("Member", None, "Sid Sijbrandij") and roles[-1][3] is None  # not in Slack: kept by name
    assert [c.text for c in lo.exit_criteria] == [
        "Build scalable model to activate 100 Leading Organizations by the end of FY24-Q4."
    ]
    assert len(lo.plan) == 4 and all(len(item["children"]) >= 2 for item in lo.plan)

    eml = group(db, "C_WG_EML")
    assert (eml.created_on, eml.end_on, eml.end_label) == (date(2022, 5, 20), date(2022, 7, 28), "Target End Date")
    assert [m.role for m in eml.roles] == ["Executive Sponsor", "Facilitator"] + ["Contributor"] * 4
    assert len(eml.exit_criteria) == 6 and len(eml.goals) == 2
    charter = seed_people.messages("C_WG_LO")[-1]
    assert "Leading Organizations" in charter["text"] and "Contributor Success" in str(charter["blocks"])


@pytest.mark.parametrize("seed", [LEADING, ENTERPRISE], ids=["leading-organizations", "enterprise"])
def test_an_exported_page_imports_to_the_same_charter(
    app: AppClient, db: Session, seed_people: SlackStandIn, seed: Path
) -> None:
    import_page(app, seed_people, seed.read_text(), user="U_ALICE", channel="C_WG_LO")
    exported = app.command("/wg", "export", user="U_ALICE", channel="C_WG_LO")
    # each code block is one or more whole blocks of the page (blank lines between them), as a person copies them
    page = (
        "\n\n".join(block["text"]["text"].strip("`") for block in exported["blocks"][1:] if block["type"] == "section")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )
    import_page(app, seed_people, page, user="U_ALICE", channel="C_WG_COPY")

    original, copy = group(db, "C_WG_LO"), group(db, "C_WG_COPY")
    for field in ("name", "goals", "created_on", "end_on", "end_label", "agenda_url", "board_url", "plan"):
        assert getattr(copy, field) == getattr(original, field), field
    assert [(m.role, m.function, m.person_name, m.title) for m in copy.roles] == [
        (m.role, m.function, m.person_name, m.title) for m in original.roles
    ]
    assert [(c.text, c.done, c.progress) for c in copy.exit_criteria] == [
        (c.text, c.done, c.progress) for c in original.exit_criteria
    ]


def test_a_page_the_importer_cannot_read_is_explained_under_the_field(
    app: AppClient, db: Session, seed_people: SlackStandIn
) -> None:
    # Prose with no heading at all: no title, nothing recognisable; nothing is saved.
    notes = "We met on Tuesday and talked about the roadmap.\n"
    reply = import_page(app, seed_people, notes, user="U_ALICE", channel="C_WG_LO")
    assert reply["response_action"] == "errors"
    assert "nothing I could import" in reply["errors"]["wg.import.page"]
    assert "title" in reply["errors"]["wg.import.page"]  # how to write one
    assert db.scalars(select(WorkingGroup)).all() == []


def test_a_role_the_importer_does_not_know_is_kept_as_written_and_reported(
    app: AppClient, db: Session, seed_people: SlackStandIn
) -> None:
    page = "# A group\n\n## Roles and Responsibilities\n\n| Role | Person |\n|---|---|\n| Wizard | Merlin |\n"
    import_page(app, seed_people, page, user="U_ALICE", channel="C_WG_LO")
    (member,) = db.scalars(select(WorkingGroupMember)).all()
    assert (member.role, member.role_title, member.person_name) == ("Member", "Wizard", "Merlin")
    told = json.dumps(seed_people.ephemerals("C_WG_LO", user="U_ALICE"), ensure_ascii=False)
    assert "Kept as written" in told and "Wizard" in told


def test_permissions_say_who_may(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    with time_machine.travel(MONDAY, tick=False):
        app.command("/wg", 'create "Docs revamp" ends 2027-03-31', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", 'criterion add "Ship the new docs"', user="U_ALICE", channel="C_TEAM")
        added = app.command("/wg", 'action "Write outline" <@U_ALICE|alice> due friday', user="U_BOB", channel="C_TEAM")
        assert "Added" in added.all_text()  # anyone in the channel adds items

        refused_role = app.command("/wg", "role add member <@U_BOB|bob>", user="U_BOB", channel="C_TEAM")
        refused_criterion = app.command("/wg", 'criterion add "More"', user="U_BOB", channel="C_TEAM")
        refused_tick = app.command("/wg", "criterion done 1", user="U_BOB", channel="C_TEAM")
        refused_close = app.command("/wg", "done 1", user="U_BOB", channel="C_TEAM")
        refused_group_close = app.command("/wg", "close", user="U_BOB", channel="C_TEAM")
        owner_closes = app.command("/wg", "done 1", user="U_ALICE", channel="C_TEAM")
        admin_edits = app.command("/wg", "role add member <@U_BOB|bob>", user="U_ADMIN", channel="C_TEAM")
        member_ticks = app.command("/wg", "criterion done 1", user="U_BOB", channel="C_TEAM")

    for refused in (refused_role, refused_criterion, refused_group_close):
        assert refused["response_type"] == "ephemeral" and "Only the DRI or facilitator" in refused.text
        assert "<@U_ALICE>" in refused.text
    assert "Only people with a role" in refused_tick.text
    assert "Only its owner <@U_ALICE>" in refused_close.text
    assert "done" in owner_closes.all_text().lower() and "Role added" in admin_edits.all_text()
    assert "1 of 1 done" in member_ticks.all_text()
    db.expire_all()
    item = db.scalars(select(ActionItem)).one()
    assert (item.status, item.done_by) == (ActionItemStatus.DONE, "U_ALICE")
    history = [e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.subject_type == "action_item"))]
    assert history == ["action.added", "action.done"]


def test_malformed_wg_commands_are_explained_and_change_nothing(app: AppClient, db: Session) -> None:
    with time_machine.travel(MONDAY, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM")
        for text, explains in [
            ('action "Outline"', "owner"),
            ('action "Outline" <@U_ALICE|alice> due someday', "someday"),
            ("role add wizard @bob", "wizard"),
            ("criterion progress 1 150%", "150"),
            ("done twelve", "twelve"),
            ("frobnicate", "frobnicate"),
        ]:
            reply = app.command("/wg", text, user="U_ALICE", channel="C_TEAM")
            assert reply["response_type"] == "ephemeral" and explains in reply.text and "/wg" in reply.text, text
        elsewhere = app.command("/wg", "charter", user="U_ALICE", channel="C_GENERAL")
    assert "no working group" in elsewhere.text and "/wg create" in elsewhere.text
    assert db.scalars(select(ActionItem)).all() == []


def test_a_working_group_life_over_simulated_weeks(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    # Alice (Paris) creates the group on Monday 23 Nov; it ends Thursday 7 Jan 2027.
    with time_machine.travel(MONDAY, tick=False):
        app.command("/wg", 'create "Docs revamp" goal "Better docs" ends 2027-01-07', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", "role add facilitator <@U_BOB|bob>", user="U_ALICE", channel="C_TEAM")
        app.command("/wg", 'criterion add "Ship the new docs"', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", 'action "Write outline" <@U_BOB|bob> due 2026-11-25', user="U_ALICE", channel="C_TEAM")
        app.command(
            "/wg", 'action "Review style guide" <@U_ALICE|alice> due 2026-12-04', user="U_ALICE", channel="C_TEAM"
        )

    moment, posted = MONDAY, []
    seen = {"C_TEAM": 0, "U_ALICE": 0, "U_BOB": 0}
    while moment < datetime(2027, 1, 12, tzinfo=UTC):  # a tick every 30 minutes for seven weeks
        dispatcher.tick(moment, client=slack_client)
        for conversation, count in seen.items():
            messages = slack.messages(conversation)
            posted += [(moment, conversation, m["text"]) for m in messages[count:]]
            seen[conversation] = len(messages)
        if moment == datetime(2026, 11, 27, 12, 0, tzinfo=UTC):  # Bob closes his item on Friday
            with time_machine.travel(moment, tick=False):
                app.command("/wg", "done 1", user="U_BOB", channel="C_TEAM")
        moment += timedelta(minutes=30)

    def when(fragment: str, target: str) -> list[datetime]:
        return [at for at, channel, text in posted if fragment in text.lower() and channel == target]

    # Bi-weekly sync on Tuesdays at 10:00 Paris (09:00 UTC), starting this week.
    assert when("sync today", "C_TEAM") == [
        datetime(2026, 11, 24, 9, 0, tzinfo=UTC) + timedelta(weeks=2 * n) for n in range(4)
    ]
    # Weekly digest on Mondays at 09:00 Paris (08:00 UTC), from next Monday, until someone closes the group.
    assert when("weekly digest", "C_TEAM")[:2] == [
        datetime(2026, 11, 30, 8, 0, tzinfo=UTC),
        datetime(2026, 12, 7, 8, 0, tzinfo=UTC),
    ]
    # Bob's item was overdue on Thursday 26 and Friday 27 (before he closed it at 12:00): one DM each morning.
    assert when("overdue action item", "U_BOB") == [
        datetime(2026, 11, 26, 8, 0, tzinfo=UTC),
        datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
    ]
    # Alice's item is due 4 Dec: overdue DMs from Saturday 5 Dec, once a day.
    alice_overdue = when("overdue action item", "U_ALICE")
    assert alice_overdue[0] == datetime(2026, 12, 5, 8, 0, tzinfo=UTC) and len(
        set(d.date() for d in alice_overdue)
    ) == len(alice_overdue)
    # Two weeks before the end (24 Dec) the channel hears it once; after the end the DRI (Alice) is asked once.
    assert [d.date() for d in when("ends in 14 days", "C_TEAM")] == [date(2026, 12, 24)]
    asked = when("reached its end date", "U_ALICE")
    assert len(asked) == 1 and asked[0].date() == date(2027, 1, 8)

    # Alice closes the group from the question's button: everything stops, the history stays.
    question = [m for m in nudges_to(slack, "U_ALICE") if "reached its end date" in m["text"]][-1]
    with time_machine.travel(datetime(2027, 1, 8, 10, tzinfo=UTC), tick=False):
        app.click(question, "wg.group.close", user="U_ALICE", channel=slack.dm_channel("U_ALICE"))
    db.expire_all()
    assert group(db, "C_TEAM").status == "ended"
    assert {c.status for c in db.scalars(select(Cadence).where(Cadence.kind != "wg.overdue"))} == {CadenceStatus.PAUSED}
    before = len(slack.messages("C_TEAM"))
    for day in range(14):
        dispatcher.tick(datetime(2027, 1, 12, 9, tzinfo=UTC) + timedelta(days=day), client=slack_client)
    assert len(slack.messages("C_TEAM")) == before
    assert len(db.scalars(select(ActionItem)).all()) == 2


def test_overdue_dm_buttons_close_snooze_and_redate_in_place(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM")
        for text in ("Outline", "Style guide", "Glossary"):
            app.command("/wg", f'action "{text}" <@U_BOB|bob> due 2026-11-20', user="U_ALICE", channel="C_TEAM")
    dispatcher.tick(datetime(2026, 11, 24, 8, 0, tzinfo=UTC), client=slack_client)
    [dm] = nudges_to(slack, "U_BOB")
    assert "3 overdue" in dm["text"]
    dm_channel = slack.dm_channel("U_BOB")

    with time_machine.travel(datetime(2026, 11, 24, 9, 0, tzinfo=UTC), tick=False):
        app.click(dm, "wg.action.done", user="U_BOB", channel=dm_channel)
        [dm] = nudges_to(slack, "U_BOB")
        assert "2 overdue" in dm["text"]  # redrawn in place, the closed item gone
        app.click(dm, "wg.action.snooze", user="U_BOB", channel=dm_channel)
        [dm] = nudges_to(slack, "U_BOB")
        assert "1 overdue" in dm["text"]

    items = {i.text: i for i in db.scalars(select(ActionItem))}
    db.expire_all()
    assert items["Outline"].status == ActionItemStatus.DONE and items["Outline"].done_by == "U_BOB"
    assert items["Style guide"].snoozed_until == date(2026, 11, 25) and items["Style guide"].due_on == date(
        2026, 11, 20
    )
    # The next morning only the unsnoozed item is listed; the day after, the snoozed one is back.
    dispatcher.tick(datetime(2026, 11, 25, 8, 0, tzinfo=UTC), client=slack_client)
    assert "1 overdue" in nudges_to(slack, "U_BOB")[-1]["text"]
    dispatcher.tick(datetime(2026, 11, 26, 8, 0, tzinfo=UTC), client=slack_client)
    assert "2 overdue" in nudges_to(slack, "U_BOB")[-1]["text"]


def test_ticking_a_criterion_on_the_charter_redraws_it(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    with time_machine.travel(MONDAY, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", 'criterion add "Ship the new docs"', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", "charter", user="U_ALICE", channel="C_TEAM")
        charter = slack.messages("C_TEAM")[-1]
        app.click(charter, "wg.criterion.done", user="U_ALICE", channel="C_TEAM")
    [redrawn] = [m for m in slack.messages("C_TEAM") if m["ts"] == charter["ts"]]
    assert "1 of 1 done" in str(redrawn["blocks"])
    assert group(db, "C_TEAM").exit_criteria[0].done_by == "U_ALICE"


def test_app_home_shows_the_users_groups_and_open_items_overdue_first(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", 'action "Later thing" me due 2026-12-20', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", 'action "Late thing" me due 2026-11-20', user="U_ALICE", channel="C_TEAM")
        app.event({"type": "app_home_opened", "user": "U_ALICE", "channel": "D_ALICE", "tab": "home"})
    home = str(slack.views_published("U_ALICE")[-1]["blocks"])
    assert "Docs revamp" in home and home.index("Late thing") < home.index("Later thing")


def test_the_command_line_imports_and_exports_a_page(
    tmp_path: Path, database_url: str, seed_people: SlackStandIn
) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": seed_people.url, "DATABASE_URL": database_url}
    imported = subprocess.run(
        [sys.executable, "app.py", "wg", "import", str(LEADING), "--channel", "C_WG_LO"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert imported.returncode == 0, imported.stderr
    assert "Leading Organizations Working Group" in imported.stdout and "8 roles" in imported.stdout
    assert "3 linked to Slack users" in imported.stdout
    exported = subprocess.run(
        [sys.executable, "app.py", "wg", "export", "C_WG_LO"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert exported.returncode == 0, exported.stderr
    nick_row = next(line for line in exported.stdout.splitlines() if "Nick Veenhof" in line)
    assert "Functional Lead: Contributor Success" in nick_row and "Director, Contributor Success" in nick_row
    missing = subprocess.run(
        [sys.executable, "app.py", "wg", "export", "C_NOWHERE"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 1 and "no working group" in missing.stderr


def test_a_role_held_by_name_is_linked_when_the_person_joins_slack(
    app: AppClient, db: Session, seed_people: SlackStandIn
) -> None:
    import_page(app, seed_people, LEADING.read_text(), user="U_ALICE", channel="C_WG_LO")
    seed_people.add_user("U_SID", name="sid", real_name="Sid Sijbrandij")
    reply = app.command("/wg", "role add member <@U_SID|sid>", user="U_EMILIO", channel="C_WG_LO")
    assert "Role added" in reply.all_text()
    members = [(m.role, m.person_name, m.user_id) for m in group(db, "C_WG_LO").roles if m.role == "Member"]
    assert members == [("Member", "Sid Sijbrandij", "U_SID")]
    assert "wg.role_linked" in list(db.scalars(select(AuditEvent.action)))


def test_an_attached_md_file_imports_like_a_pasted_page(app: AppClient, db: Session, seed_people: SlackStandIn) -> None:
    seed_people.add_file("F_PAGE", "working-group-enterprise-market-leadership.md", ENTERPRISE.read_bytes())
    app.command("/wg", "import", user="U_ALICE", channel="C_WG_EML")
    values = {
        "wg.import.page": {"wg.import.page": {"type": "plain_text_input", "value": ""}},
        "wg.import.page_more": {"wg.import.page_more": {"type": "plain_text_input", "value": ""}},
        "wg.import.file": {"wg.import.file": {"type": "file_input", "files": [{"id": "F_PAGE"}]}},
    }
    assert app.submit(seed_people.views_opened()[-1], values, user="U_ALICE").body == ""
    eml = group(db, "C_WG_EML")
    assert eml.name == "Enterprise Market Leadership Working Group" and len(eml.exit_criteria) == 6


def test_every_change_to_an_item_is_visible_on_it(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    with time_machine.travel(MONDAY, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", 'action "Outline" <@U_BOB|bob> due 2026-11-27', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", "due 1 2026-12-04", user="U_BOB", channel="C_TEAM")
        app.command("/wg", "reassign 1 <@U_ALICE|alice>", user="U_BOB", channel="C_TEAM")
        app.command("/wg", "done 1", user="U_ALICE", channel="C_TEAM")
        shown = app.command("/wg", "item 1", user="U_BOB", channel="C_TEAM").all_text()
    for line in (
        "<@U_ALICE> added it",
        "<@U_BOB> changed its due date (2026-11-27 → 2026-12-04)",
        "<@U_BOB> reassigned it (U_BOB → U_ALICE)",
        "<@U_ALICE> closed it",
    ):
        assert line in shown, line
    assert shown.index("added it") < shown.index("changed its due date") < shown.index("closed it")


def test_one_overdue_dm_lists_a_persons_items_across_groups(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    slack.add_channel("C_WG_B", "wg_b", members=["U_ALICE", "U_BOB"])
    with time_machine.travel(MONDAY, tick=False):
        for channel, name in (("C_TEAM", "Docs revamp"), ("C_WG_B", "Pricing")):
            app.command("/wg", f'create "{name}"', user="U_ALICE", channel=channel)
            app.command("/wg", f'action "{name} task" <@U_BOB|bob> due 2026-11-20', user="U_ALICE", channel=channel)
    dispatcher.tick(datetime(2026, 11, 24, 8, 0, tzinfo=UTC), client=slack_client)
    dispatcher.tick(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), client=slack_client)
    [dm] = nudges_to(slack, "U_BOB")
    assert "2 overdue" in dm["text"]
    assert "Docs revamp task" in str(dm["blocks"]) and "Pricing task" in str(dm["blocks"])


def test_the_create_form_binds_a_group_and_posts_its_charter(app: AppClient, db: Session, slack: SlackStandIn) -> None:
    app.command("/wg", "create", user="U_ALICE", channel="C_TEAM")
    view = slack.views_opened()[-1]

    def values(name: str, end: str | None) -> dict:
        return {
            "wg.create.name": {"wg.create.name": {"type": "plain_text_input", "value": name}},
            "wg.create.goal": {"wg.create.goal": {"type": "plain_text_input", "value": "Better docs"}},
            "wg.create.created_on": {"wg.create.created_on": {"type": "datepicker", "selected_date": "2026-11-23"}},
            "wg.create.end_on": {"wg.create.end_on": {"type": "datepicker", "selected_date": end}},
            "wg.create.agenda_url": {
                "wg.create.agenda_url": {"type": "url_text_input", "value": "https://docs.example/a"}
            },
            "wg.create.board_url": {"wg.create.board_url": {"type": "url_text_input", "value": None}},
        }

    bad = app.submit(view, values("Docs revamp", "2026-11-01"), user="U_ALICE")
    assert bad["response_action"] == "errors" and "wg.create.end_on" in bad["errors"]
    assert db.scalars(select(WorkingGroup)).all() == []
    with time_machine.travel(MONDAY, tick=False):
        assert app.submit(view, values("Docs revamp", "2027-01-31"), user="U_ALICE").body == ""
    created = group(db, "C_TEAM")
    assert (created.name, created.end_on, created.agenda_url) == (
        "Docs revamp",
        date(2027, 1, 31),
        "https://docs.example/a",
    )
    assert [(m.role, m.user_id, m.person_name) for m in created.roles] == [("DRI", "U_ALICE", "Alice Archer")]
    assert "Docs revamp" in slack.messages("C_TEAM")[-1]["text"]


def test_items_are_reassigned_and_redated_from_their_own_controls(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", 'action "Outline" <@U_BOB|bob> due 2026-11-27', user="U_ALICE", channel="C_TEAM")
        listing = app.command("/wg", "actions", user="U_BOB", channel="C_TEAM")
        row = [b for b in listing["blocks"] if b.get("block_id", "").startswith("wg.action.row.")][0]
        from devtools.signing import block_actions_body, post_signed

        def pick(action: dict) -> None:
            body = block_actions_body(
                action["action_id"],
                "",
                user_id="U_BOB",
                channel_id="C_TEAM",
                team_id="T0001",
                block_id=row["block_id"],
                action=action,
                response_url=slack.response_url("list"),
                container={"type": "message", "is_ephemeral": True, "channel_id": "C_TEAM", "message_ts": "1.2"},
            )
            assert post_signed(app.url, body, app.secret)[0] == 200

        pick(
            {
                "type": "datepicker",
                "action_id": "wg.action.due",
                "block_id": row["block_id"],
                "selected_date": "2026-12-11",
            }
        )
        pick(
            {
                "type": "users_select",
                "action_id": "wg.action.reassign",
                "block_id": row["block_id"],
                "selected_user": "U_ALICE",
            }
        )
    db.expire_all()
    item = db.scalars(select(ActionItem)).one()
    assert (item.due_on, item.owner_id) == (date(2026, 12, 11), "U_ALICE")
    replies = [json for json in slack.responses("list")]
    assert "now due" in str(replies[0]) and "now belongs to <@U_ALICE>" in str(replies[1])


def test_the_sync_and_digest_are_configured_or_turned_off_by_the_leads(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM")
        refused = app.command("/wg", "sync every monday at 11:00", user="U_BOB", channel="C_TEAM")
        weekly = app.command("/wg", "sync every thursday at 3pm", user="U_ALICE", channel="C_TEAM")
        fiscal = app.command(
            "/wg", "sync every fiscal quarter on the first monday at 10:00", user="U_ALICE", channel="C_TEAM"
        )
        off = app.command("/wg", "sync off", user="U_ALICE", channel="C_TEAM")
        digest_off = app.command("/wg", "digest off", user="U_ALICE", channel="C_TEAM")
    assert "Only the DRI or facilitator" in refused.text
    assert "every Thursday at 15:00 (Europe/Paris)" in weekly.text
    assert "fiscal quarter" in fiscal.text and "|Mon 1 Feb 10:00>" in fiscal.all_text()  # FY starts in February
    assert "is off" in off.text and "is off" in digest_off.text
    cadences = {c.kind: c for c in db.scalars(select(Cadence))}
    assert cadences["wg.sync"].status == CadenceStatus.PAUSED and cadences["wg.sync"].next_run_at is None
    assert cadences["wg.digest"].status == CadenceStatus.PAUSED
    assert cadences["wg.lifecycle"].status == CadenceStatus.ACTIVE


def test_done_on_the_channels_sync_reminder_closes_the_item_and_leaves_the_reminder(
    app: AppClient, db: Session, slack: SlackStandIn, slack_client: WebClient
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM")
        app.command("/wg", 'action "Outline" <@U_BOB|bob> due 2026-12-01', user="U_ALICE", channel="C_TEAM")
    dispatcher.tick(datetime(2026, 11, 24, 9, 0, tzinfo=UTC), client=slack_client)
    reminder = slack.messages("C_TEAM")[-1]
    assert reminder["text"].startswith("Sync today")
    reply = app.click(reminder, "wg.action.done", user="U_BOB", channel="C_TEAM")
    assert "Marked done" in str(reply.responses)
    assert slack.messages("C_TEAM")[-1] == reminder  # the reminder itself is left as posted
    assert db.scalars(select(ActionItem.status)).one() == ActionItemStatus.DONE


def test_a_groups_cadences_are_listed_but_changed_only_through_wg(
    app: AppClient, db: Session, slack: SlackStandIn
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        app.command("/wg", 'create "Docs revamp"', user="U_ALICE", channel="C_TEAM")
        listing = app.command("/cadence", "list", user="U_ALICE", channel="C_TEAM")
        sync = db.scalars(select(Cadence).where(Cadence.kind == "wg.sync")).one()
        refused = app.command("/cadence", f"pause {sync.id}", user="U_ADMIN", channel="C_TEAM")
    assert "Docs revamp: sync" in listing.all_text() and "cadence.list.pause" not in listing.all_text()
    assert "belongs to a program" in refused.text and "/wg sync" in refused.text
    db.expire_all()
    assert db.get(Cadence, sync.id).status == CadenceStatus.ACTIVE


def test_an_ended_groups_page_imports_without_nudges(app: AppClient, db: Session, seed_people: SlackStandIn) -> None:
    page = LEADING.read_text().replace("status: active", "status: ended")
    import_page(app, seed_people, page, user="U_ALICE", channel="C_WG_LO")
    assert group(db, "C_WG_LO").status == "ended"
    statuses = {c.kind: c.status for c in db.scalars(select(Cadence)) if c.kind != "wg.overdue"}
    assert statuses == {"wg.sync": "paused", "wg.digest": "paused", "wg.lifecycle": "paused"}
