"""The pipeline's numbers as the database counts them (SQLite and PostgreSQL): the funnel of a fiscal quarter that
starts in February from 30 seeded prospects, the standing kept on each prospect's row (rank and current stage), and
the stalled stages the digest names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cocreate import prospects, rules, service
from bot.cocreate.rules import Criterion as C
from bot.cocreate.rules import Step
from bot.db import unit_of_work
from bot.fiscal import FiscalCalendar
from bot.permissions import Actor
from models import OutreachStep, Prospect

TEAM = "T0001"
NOW = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)
MANAGER = Actor("U_MANAGER")
CSM = Actor("U_CSM")
FEB = FiscalCalendar(start_month=2)
FY26_Q1 = FEB.quarter(2026, 1)  # 2025-02-01..2025-04-30
FY26_Q2 = FEB.quarter(2026, 2)  # 2025-05-01..2025-07-31

d = date
# name, contacted, meeting, started, outcome, outcome day: 30 prospects around FY26-Q1 (2025-02-01..2025-04-30).
SEEDED = [
    # contacted in FY25-Q4 (before 1 February)
    ("Carry started Feb", d(2024, 12, 2), d(2025, 1, 10), d(2025, 2, 14), "started", d(2025, 2, 14)),  # 74 days
    ("Carry started Mar", d(2024, 12, 16), d(2025, 2, 5), d(2025, 3, 3), "started", d(2025, 3, 3)),  # 77 days
    ("Carry open", d(2025, 1, 6), d(2025, 2, 20), None, "open", None),
    ("Carry declined Jan", d(2024, 11, 4), None, None, "declined", d(2025, 1, 20)),  # closed before the quarter
    ("Carry declined Feb", d(2025, 1, 13), None, None, "declined", d(2025, 2, 10)),
    ("Started last quarter", d(2024, 10, 1), d(2024, 11, 1), d(2024, 12, 9), "started", d(2024, 12, 9)),
    # contacted in FY26-Q1: 20
    ("Q1 started A", d(2025, 2, 3), d(2025, 2, 24), d(2025, 3, 31), "started", d(2025, 3, 31)),  # 56 days
    ("Q1 started B", d(2025, 2, 10), d(2025, 3, 3), d(2025, 4, 14), "started", d(2025, 4, 14)),  # 63 days
    ("Q1 started C", d(2025, 2, 17), d(2025, 3, 10), d(2025, 4, 28), "started", d(2025, 4, 28)),  # 70 days
    ("Q1 declined A", d(2025, 2, 4), d(2025, 3, 12), None, "declined", d(2025, 3, 20)),
    ("Q1 declined B", d(2025, 2, 11), None, None, "declined", d(2025, 2, 25)),
    ("Q1 declined in May", d(2025, 3, 5), None, None, "declined", d(2025, 5, 12)),  # still open on 30 April
    ("Q1 deferred", d(2025, 2, 18), None, None, "deferred", d(2025, 3, 18)),
    *[(f"Q1 open meeting {n}", d(2025, 2, 3 + n), d(2025, 3, 3 + n), None, "open", None) for n in range(1, 6)],
    ("Q1 open meeting May", d(2025, 4, 1), d(2025, 5, 6), None, "open", None),
    *[(f"Q1 open {n}", d(2025, 3, 10) + timedelta(days=4 * n), None, None, "open", None) for n in range(1, 8)],
    # contacted in FY26-Q2, and never contacted
    ("Q2 open A", d(2025, 5, 5), None, None, "open", None),
    ("Q2 open B", d(2025, 5, 19), d(2025, 6, 2), None, "open", None),
    ("Not contacted A", None, None, None, "open", None),
    ("Not contacted B", None, None, None, "open", None),
]


@pytest.fixture
def program(db: Session) -> None:
    with unit_of_work() as session:
        service.setup_program(
            session,
            team_id=TEAM,
            actor=MANAGER,
            channel_id="C_COCREATE",
            manager_id=MANAGER.user_id,
            timezone="UTC",
            now=NOW,
        )


@pytest.fixture
def seeded(program: None) -> None:
    with unit_of_work() as session:
        for name, contacted, meeting, started, outcome, outcome_on in SEEDED:
            session.add(
                Prospect(
                    team_id=TEAM,
                    name=name,
                    contacted_on=contacted,
                    meeting_on=meeting,
                    project_started_on=started,
                    outcome=outcome,
                    outcome_on=outcome_on,
                    created_by="U_BOB",
                )
            )


def quarter_funnel(quarter):  # type: ignore[no-untyped-def]
    with unit_of_work() as session:
        return service.quarter_funnel(session, team_id=TEAM, quarter=quarter)


def test_the_seeded_prospects_are_thirty():
    assert len(SEEDED) == 30 and len({row[0] for row in SEEDED}) == 30
    assert (FY26_Q1.start, FY26_Q1.end, FY26_Q1.label) == (d(2025, 2, 1), d(2025, 4, 30), "FY26-Q1")


def test_funnel_for_fy26_q1_counts_the_quarter_against_its_targets(seeded: None) -> None:
    result = quarter_funnel(FY26_Q1)
    assert result.contacted == 20
    assert result.in_pipeline == 24  # the 20 contacted in the quarter, and 4 still open on 1 February
    assert result.meetings_scheduled == 11  # 2 carried over, 3 started, 1 declined, 5 open; not January's nor May's
    assert result.active_conversations == 15  # open on 30 April: 1 carried, 13 open, the one declined in May
    assert result.projects_initiated == 5  # 2 carried over, 3 contacted this quarter
    assert result.conversion == pytest.approx(5 / 20)
    assert result.median_days_to_start == 70.0  # 56, 63, 70, 74, 77
    assert result.mean_days_to_start == pytest.approx(68.0)
    assert result.projects_still_needed == 2
    assert result.pipeline_target == 6  # 3 x the 2 still needed
    assert result.short_by == 0


def test_funnel_for_fy26_q2_is_short_of_its_pipeline(seeded: None) -> None:
    result = quarter_funnel(FY26_Q2)
    assert result.contacted == 2
    assert result.in_pipeline == 17  # 2 contacted in May, 15 open on 1 May
    assert result.meetings_scheduled == 2  # 6 May and 2 June
    assert result.active_conversations == 16  # the one declined in May has left
    assert result.projects_initiated == 0 and result.conversion == 0.0
    assert result.median_days_to_start is None and result.mean_days_to_start is None
    assert result.pipeline_target == 21
    assert result.short_by == 5


def test_a_quarter_with_no_prospects_counts_zero(program: None) -> None:
    result = quarter_funnel(FY26_Q1)
    assert (result.in_pipeline, result.active_conversations, result.projects_initiated) == (0, 0, 0)
    assert (result.conversion, result.pipeline_target, result.short_by) == (None, 21, 21)


# ---- the standing kept on each row -------------------------------------------------------------------------------


def standing_of(db: Session, name: str) -> tuple:  # type: ignore[type-arg]
    db.expire_all()
    prospect = db.scalars(select(Prospect).where(Prospect.name == name)).one()
    return (
        prospect.rank_tier,
        prospect.total_score,
        prospect.fully_scored,
        prospect.current_step,
        prospect.stage_began_on,
    )


def test_rank_follows_scores_profile_override_and_weights(db: Session, program: None) -> None:
    with unit_of_work() as session:
        acme = service.add_prospect(session, team_id=TEAM, actor=CSM, name="Acme", now=NOW)
        assert acme.id
    assert standing_of(db, "Acme")[:3] == (3, None, False)
    with unit_of_work() as session:
        acme = service.prospect_named(session, team_id=TEAM, name="Acme")
        prospects.set_scores(
            session,
            team_id=TEAM,
            actor=CSM,
            prospect=acme,
            scores={c: 5 if c == C.PUBLIC_ISSUES_MRS else 1 for c in C},
            now=NOW,
        )
        prospects.set_profile(session, team_id=TEAM, actor=CSM, prospect=acme, subscription="ultimate", now=NOW)
    tier, score, fully, *_ = standing_of(db, "Acme")
    assert (tier, fully) == (1, True) and score == pytest.approx((5 + 6 * 1) / 35 * 100)
    with unit_of_work() as session:
        prospects.set_weights(session, team_id=TEAM, actor=MANAGER, weights={C.PUBLIC_ISSUES_MRS: 3}, now=NOW)
    assert standing_of(db, "Acme")[1] == pytest.approx((3 * 5 + 6 * 1) / (9 * 5) * 100)  # every prospect re-scored
    with unit_of_work() as session:
        acme = service.prospect_named(session, team_id=TEAM, name="Acme")
        prospects.override_tier(
            session, team_id=TEAM, actor=MANAGER, prospect=acme, tier="3", reason="no budget", now=NOW
        )
    assert standing_of(db, "Acme")[0] == 3


def test_the_current_stage_moves_with_the_checklist(db: Session, program: None) -> None:
    start = date(2025, 2, 3)
    with unit_of_work() as session:
        acme = service.add_prospect(session, team_id=TEAM, actor=CSM, name="Acme", now=NOW, csm_id=CSM.user_id)
        service.start_outreach(session, team_id=TEAM, actor=CSM, prospect=acme, channel_id=None, today=start, now=NOW)
    assert standing_of(db, "Acme")[3:] == (Step.INITIAL_CONTACT, start)
    later = NOW + timedelta(days=2)
    with unit_of_work() as session:
        acme = service.prospect_named(session, team_id=TEAM, name="Acme")
        for key in (Step.INITIAL_CONTACT, Step.CSM_FOLLOW_UP):
            step = service.step_of(acme, key)
            service.change_step(
                session,
                actor=CSM,
                step=step,
                action="skip" if key == Step.CSM_FOLLOW_UP else "done",
                reason="they replied",
                today=later.date(),
                now=later,
            )
    assert standing_of(db, "Acme")[3:] == (Step.ALIGNMENT_MEETING, later.date())
    with unit_of_work() as session:
        acme = service.prospect_named(session, team_id=TEAM, name="Acme")
        service.change_step(
            session,
            actor=CSM,
            step=service.step_of(acme, Step.CSM_FOLLOW_UP),
            action="reopen",
            today=later.date(),
            now=later,
        )
    assert standing_of(db, "Acme")[3:] == (Step.CSM_FOLLOW_UP, later.date())


def test_stalled_names_the_longest_stalled_first_and_counts_the_rest(db: Session, program: None) -> None:
    today = date(2025, 4, 7)
    with unit_of_work() as session:
        for n in range(20):  # started 0..19 weeks... contact may take 7 days: started more than 7 days ago stalls
            prospect = service.add_prospect(session, team_id=TEAM, actor=CSM, name=f"Org {n:02d}", now=NOW)
            service.start_outreach(
                session,
                team_id=TEAM,
                actor=CSM,
                prospect=prospect,
                channel_id=None,
                today=today - timedelta(days=3 * n),
                now=NOW,
            )
        declined = service.prospect_named(session, team_id=TEAM, name="Org 19")
        declined.outcome = "declined"
    with unit_of_work() as session:
        found = service.stalled_prospects(session, team_id=TEAM, today=today, shown=3)
    # Org 03 began 9 days ago (past 7); Org 02, 6 days ago, is not stalled; Org 19 is declined.
    assert found.count == 16
    label = rules.STEP_SPECS[Step.INITIAL_CONTACT].label
    assert found.longest == [("Org 18", label, 54), ("Org 17", label, 51), ("Org 16", label, 48)]


def test_steps_written_without_their_prospect_loaded_still_move_its_stage(db: Session, program: None) -> None:
    with unit_of_work() as session:
        acme = service.add_prospect(session, team_id=TEAM, actor=CSM, name="Acme", now=NOW)
        service.start_outreach(
            session, team_id=TEAM, actor=CSM, prospect=acme, channel_id=None, today=NOW.date(), now=NOW
        )
        acme_id = acme.id
    with unit_of_work() as session:
        first = session.scalars(
            select(OutreachStep).where(OutreachStep.prospect_id == acme_id, OutreachStep.position == 0)
        ).one()
        first.state, first.changed_at = "done", NOW + timedelta(days=1)
    assert standing_of(db, "Acme")[3:] == (Step.CSM_FOLLOW_UP, (NOW + timedelta(days=1)).date())
