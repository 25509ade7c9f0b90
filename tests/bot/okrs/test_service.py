"""OKR services against a real database (SQLite and PostgreSQL): the seed saved and read back as the same page."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.db import unit_of_work
from bot.errors import PermissionDenied, UserError
from bot.okrs import page as okr_page
from bot.okrs import service
from bot.permissions import Actor
from models import ActionItem, RetroItem

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "okrs-fy20-q2.md"
NOW = datetime(2019, 5, 1, 9, tzinfo=UTC)
ADMIN = Actor("U_ADMIN", is_admin=True)


@pytest.fixture
def imported(db: Session) -> okr_page.OkrPage:
    page = okr_page.read_okr_page(SEED.read_text())
    with unit_of_work() as session:
        service.setup_program(session, team_id="T0001", actor=ADMIN, channel_id="C_OKRS", timezone="UTC", now=NOW)
        service.import_page(session, team_id="T0001", actor=ADMIN, page=page, now=NOW)
    return page


def test_the_seed_saved_reads_back_as_the_same_page_and_json(imported: okr_page.OkrPage) -> None:
    with unit_of_work() as session:
        quarter = service.quarter_named(session, team_id="T0001", label="FY20-Q2", today=date(2019, 6, 1))
        back = service.page_of(session, quarter=quarter)
    assert back == imported
    assert okr_page.read_okr_page(okr_page.write_okr_page(back)) == imported  # export, import again: the same tree
    exported = okr_page.page_as_json(back)
    assert (exported["quarter"], exported["start"], exported["end"]) == ("FY20-Q2", "2019-05-01", "2019-07-31")
    assert [o["number"] for o in exported["objectives"]] == [1, 2, 3]
    assert [t["team"] for t in exported["retro"]] == ["Infrastructure", "Delivery", "Development"]


def test_a_score_from_slack_is_what_the_export_writes(imported: okr_page.OkrPage) -> None:
    with unit_of_work() as session:
        quarter = service.quarter_named(session, team_id="T0001", label=None, today=date(2019, 6, 1))
        unscored = service.unscored_by_role(session, quarter=quarter)
        row = next(rows[0] for rows in unscored.values())
        service.score_key_result(
            session, team_id="T0001", actor=ADMIN, key_result_id=row.id, score="35", comment=None, now=NOW
        )
        text = okr_page.write_okr_page(service.page_of(session, quarter=quarter))
    assert f"{row.text} => 35%" in text


def test_importing_a_quarter_twice_is_refused_unless_replaced_by_the_manager(imported: okr_page.OkrPage) -> None:
    with pytest.raises(UserError, match="already imported"), unit_of_work() as session:
        service.import_page(session, team_id="T0001", actor=ADMIN, page=imported, now=NOW)
    with pytest.raises(PermissionDenied, match="Only the program manager"), unit_of_work() as session:
        service.import_page(session, team_id="T0001", actor=Actor("U_BOB"), page=imported, now=NOW, replace=True)
    with unit_of_work() as session:
        quarter = service.import_page(session, team_id="T0001", actor=ADMIN, page=imported, now=NOW, replace=True)
        assert service.counts_of(session, quarter=quarter).key_results == 206


def test_saving_a_retro_again_keeps_the_lines_kept_with_their_numbers_and_action_items(
    imported: okr_page.OkrPage,
) -> None:
    after = datetime(2019, 8, 1, 9, tzinfo=UTC)
    with unit_of_work() as session:
        quarter = service.quarter_named(session, team_id="T0001", label="FY20-Q2", today=date(2019, 8, 1))
        team = service.save_retro(
            session,
            team_id="T0001",
            actor=ADMIN,
            quarter=quarter,
            name="Platform",
            good=["Shipped the API"],
            bad=["Too many pages"],
            try_=["Smaller changes", "Pair on reviews"],
            now=after,
        )
        ids = {(item.kind, item.text): item.id for item in team.items}
        action = service.try_to_action_item(
            session,
            team_id="T0001",
            actor=ADMIN,
            item_id=ids[("try", "Pair on reviews")],
            owner_id="U_BOB",
            due_on=date(2019, 9, 2),
            now=after,
            today=after.date(),
        )
        action_id = action.id
    with unit_of_work() as session:
        quarter = service.quarter_named(session, team_id="T0001", label="FY20-Q2", today=date(2019, 8, 1))
        team = service.save_retro(
            session,
            team_id="T0001",
            actor=ADMIN,
            quarter=quarter,
            name="Platform",
            good=["Hired two engineers", "Shipped the API"],
            bad=[],
            try_=["Pair on reviews", "Write it down"],
            now=after,
        )
        now_held = [(item.kind, item.text, item.id, item.action_item_id) for item in team.items]
    pair = ids[("try", "Pair on reviews")]
    assert [(kind, text) for kind, text, _id, _link in now_held] == [
        ("good", "Hired two engineers"),
        ("good", "Shipped the API"),
        ("try", "Pair on reviews"),
        ("try", "Write it down"),
    ]
    kept = {text: (item_id, link) for _kind, text, item_id, link in now_held}
    assert kept["Shipped the API"] == (ids[("good", "Shipped the API")], None)
    assert kept["Pair on reviews"] == (pair, action_id)  # the same row, still linked
    with unit_of_work() as session:
        gone = session.get(RetroItem, ids[("bad", "Too many pages")])
        assert gone is None or gone.text != "Too many pages"
        assert session.get_one(ActionItem, action_id).subject_id == pair
