"""Prospect services against a real database (SQLite and PostgreSQL): weights, targets, scores, tiers, the ranking,
and CSV import and export in one unit of work."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cocreate import prospects, service
from bot.cocreate.prospect_csv import ProspectRow, read_prospects, write_prospects
from bot.cocreate.rules import (
    DEFAULT_TARGETS,
    ProspectScore,
    Subscription,
    Targets,
    Tier,
    computed_tier,
    rank,
    total_score,
    validate_weights,
)
from bot.cocreate.rules import Criterion as C
from bot.cocreate.service import setup_program
from bot.db import unit_of_work
from bot.errors import PermissionDenied, UserError
from bot.permissions import Actor
from models import AuditEvent, CocreateProgram, Prospect, ProspectOutcome

TEAM = "T0001"
NOW = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)
MANAGER = Actor("U_MANAGER")
ADMIN = Actor("U_ADMIN", is_admin=True)
BOB = Actor("U_BOB")
HEADER = (
    "org,csm,ae,sa,subscription,seats,industry,tech_stack_overlap,public_issues_mrs,feature_usage,tier_and_seats,"
    "industry_focus,prior_oss_contribution,usage_growth,relationship_strength,tier_override,tier_reason"
)
GOOD_FILE = f"""{HEADER}
Acme Corp,U0CSM1,@alice,,Ultimate,"1,200",Finance,yes,4,3,5,5,2,3,4,,
Globex,,,,free,40,Telco,no,0,1,1,5,0,,,2,Strong champion
Initech,,,,,,,,,,,,,,,,
"""
BAD_LINE_4 = f"""{HEADER}
Acme Corp,U0CSM1,,,ultimate,1200,Finance,yes,4,3,5,5,2,3,4,,
Globex,,,,free,40,Telco,no,0,1,1,5,0,,,,
Initech,,,,,,,,9,,,,,,,,
Umbrella,,,,premium,10,,,,,,,,,,,
"""
HANDLES = {"@alice": "U0ALICE01", "@bob": "U0BOB0001"}


@pytest.fixture
def program(db: Session) -> int:
    """The workspace's program, managed by U_MANAGER; its id."""
    with unit_of_work() as session:
        created, _ = setup_program(
            session,
            team_id=TEAM,
            actor=MANAGER,
            channel_id="C_COCREATE",
            manager_id=MANAGER.user_id,
            timezone="UTC",
            now=NOW,
        )
        return created.id


def add(name: str, **fields: object) -> int:
    """A prospect saved straight to the database, as `/cocreate add` would leave it; its id."""
    with unit_of_work() as session:
        prospect = Prospect(team_id=TEAM, name=name, created_by="U_BOB", **fields)
        session.add(prospect)
        session.flush()
        return prospect.id


def get(session: Session, prospect_id: int) -> Prospect:
    return session.get_one(Prospect, prospect_id)


def stored(db: Session, *columns):  # type: ignore[no-untyped-def]
    """Columns of every prospect by name, read fresh from the database."""
    db.expire_all()
    return db.execute(select(*columns).order_by(Prospect.name)).all()


def actions(db: Session) -> list[str]:
    return list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Prospect)) or 0


# ---- weights and targets ------------------------------------------------------------------------------------------


def test_only_the_manager_or_an_admin_changes_weights_and_the_refusal_says_who_may(db: Session, program: int) -> None:
    with pytest.raises(PermissionDenied) as refused, unit_of_work() as session:
        prospects.set_weights(session, team_id=TEAM, actor=BOB, weights={"feature_usage": 2}, now=NOW)
    assert "<@U_MANAGER>" in refused.value.message and "workspace admin" in refused.value.message
    with unit_of_work() as session:
        prospects.set_weights(session, team_id=TEAM, actor=MANAGER, weights={"feature_usage": 2}, now=NOW)
    with unit_of_work() as session:
        # The admin changes another weight; the manager's stays.
        weights = prospects.set_weights(session, team_id=TEAM, actor=ADMIN, weights={C.USAGE_GROWTH: 0.5}, now=NOW)
    assert weights[C.FEATURE_USAGE] == 2 and weights[C.USAGE_GROWTH] == 0.5 and weights[C.PUBLIC_ISSUES_MRS] == 1
    assert prospects.weights_of(db.get_one(CocreateProgram, program)) == weights
    assert actions(db).count("cocreate.weights_changed") == 2


def test_a_bad_weight_is_explained_and_nothing_changes(db: Session, program: int) -> None:
    for weights, said in [({"charisma": 1}, "`charisma`"), ({"feature_usage": -1}, "`-1`"), (dict.fromkeys(C, 0), "0")]:
        with pytest.raises(UserError) as bad, unit_of_work() as session:
            prospects.set_weights(session, team_id=TEAM, actor=MANAGER, weights=weights, now=NOW)
        assert said in bad.value.message
    db.expire_all()
    assert db.get_one(CocreateProgram, program).weights == {}


def test_only_the_manager_or_an_admin_changes_targets_and_the_others_keep_the_seeds(db: Session, program: int) -> None:
    with pytest.raises(PermissionDenied) as refused, unit_of_work() as session:
        prospects.set_targets(session, team_id=TEAM, actor=BOB, projects=9, now=NOW)
    assert "<@U_MANAGER>" in refused.value.message and "targets" in refused.value.message
    with unit_of_work() as session:
        targets = prospects.set_targets(
            session, team_id=TEAM, actor=MANAGER, projects=8, conversion_percent=40, now=NOW
        )
    assert targets == Targets(projects_per_quarter=8, conversion=0.4)
    with unit_of_work() as session:
        prospects.set_targets(session, team_id=TEAM, actor=ADMIN, weeks_min=6, weeks_max=9, now=NOW)
    db.expire_all()
    assert service.targets_of(db.get_one(CocreateProgram, program)) == Targets(
        projects_per_quarter=8, conversion=0.4, weeks_min=6, weeks_max=9
    )


def test_targets_that_dont_fit_together_are_refused_and_nothing_changes(db: Session, program: int) -> None:
    with pytest.raises(UserError) as bad, unit_of_work() as session:
        prospects.set_targets(session, team_id=TEAM, actor=MANAGER, weeks_min=11, now=NOW)  # past the seed's 10
    assert "weeks" in bad.value.message
    db.expire_all()
    assert service.targets_of(db.get_one(CocreateProgram, program)) == DEFAULT_TARGETS


# ---- scores, profile and tiers ------------------------------------------------------------------------------------


def test_anyone_scores_a_prospect_and_other_scores_stay(db: Session, program: int) -> None:
    acme = add("Acme Corp", scores={"feature_usage": 2})
    with unit_of_work() as session:
        scores = prospects.set_scores(
            session,
            team_id=TEAM,
            actor=BOB,
            prospect=get(session, acme),
            scores={C.PUBLIC_ISSUES_MRS: 4, "Previous open source contribution experience": "3"},
            now=NOW,
        )
    assert scores[C.PUBLIC_ISSUES_MRS] == 4 and scores[C.PRIOR_OSS_CONTRIBUTION] == 3 and scores[C.FEATURE_USAGE] == 2
    assert stored(db, Prospect.scores) == [({"feature_usage": 2, "public_issues_mrs": 4, "prior_oss_contribution": 3},)]
    with unit_of_work() as session:
        clear = {C.FEATURE_USAGE: None}
        prospects.set_scores(session, team_id=TEAM, actor=BOB, prospect=get(session, acme), scores=clear, now=NOW)
    assert stored(db, Prospect.scores) == [({"public_issues_mrs": 4, "prior_oss_contribution": 3},)]
    assert actions(db).count("cocreate.scored") == 2


@pytest.mark.parametrize(
    ("scores", "said"),
    [({C.FEATURE_USAGE: 6}, "`6`"), ({C.FEATURE_USAGE: -1}, "`-1`"), ({C.FEATURE_USAGE: 2.5}, "`2.5`"),
     ({C.FEATURE_USAGE: True}, "`True`"), ({"charisma": 3}, "no criterion `charisma`")],
)  # fmt: skip
def test_a_bad_score_is_explained_and_nothing_changes(db: Session, program: int, scores: dict, said: str) -> None:
    acme = add("Acme Corp", scores={"feature_usage": 2})
    with pytest.raises(UserError) as bad, unit_of_work() as session:
        prospects.set_scores(session, team_id=TEAM, actor=BOB, prospect=get(session, acme), scores=scores, now=NOW)
    assert said in bad.value.message
    assert stored(db, Prospect.scores) == [({"feature_usage": 2},)]


def test_the_profile_changes_only_the_fields_given_and_checks_each(db: Session, program: int) -> None:
    acme = add("Acme Corp", industry="Finance", csm_id="U0ALICE01")
    with unit_of_work() as session:
        changed = prospects.set_profile(
            session,
            team_id=TEAM,
            actor=BOB,
            prospect=get(session, acme),
            subscription="Premium",
            seats=250,
            tech_stack_overlap=True,
            csm_id=None,
            now=NOW,
        )
    assert changed == ["subscription", "seats", "tech_stack_overlap", "csm_id"]
    columns = (Prospect.subscription, Prospect.seats, Prospect.industry, Prospect.tech_stack_overlap, Prospect.csm_id)
    assert stored(db, *columns) == [("premium", 250, "Finance", True, None)]
    for field, value, said in [
        ("subscription", "gold", "`gold`"),
        ("seats", -3, "`-3`"),
        ("industry", "x" * 101, "101 characters"),
        ("ae_id", "<!channel>", "isn't a Slack member"),
    ]:
        with pytest.raises(UserError) as bad, unit_of_work() as session:
            prospects.set_profile(
                session, team_id=TEAM, actor=BOB, prospect=get(session, acme), now=NOW, **{field: value}
            )
        assert said in bad.value.message
    assert stored(db, *columns) == [("premium", 250, "Finance", True, None)]


def override(actor: Actor, prospect_id: int, tier: int | str | None, reason: str | None) -> Tier:
    with unit_of_work() as session:
        prospect = get(session, prospect_id)
        return prospects.override_tier(
            session, team_id=TEAM, actor=actor, prospect=prospect, tier=tier, reason=reason, now=NOW
        )


def test_a_tier_set_by_hand_needs_a_reason_and_the_manager_and_clearing_it_brings_back_the_computed_one(
    db: Session, program: int
) -> None:
    acme = add("Acme Corp", tech_stack_overlap=True, scores={"public_issues_mrs": 4})
    with unit_of_work() as session:
        assert prospects.tier_of(get(session, acme)) is Tier.MEDIUM
    with pytest.raises(UserError) as no_reason:
        override(MANAGER, acme, 1, " ")
    assert "needs a reason" in no_reason.value.message
    with pytest.raises(PermissionDenied) as refused:
        override(BOB, acme, 1, "CTO asked")
    assert "<@U_MANAGER>" in refused.value.message
    with pytest.raises(UserError) as bad_tier:
        override(MANAGER, acme, 4, "why")
    assert "no tier `4`" in bad_tier.value.message
    tier = override(ADMIN, acme, "tier 1", " CTO asked ")
    assert tier is Tier.HIGH and stored(db, Prospect.tier_override, Prospect.tier_reason) == [(1, "CTO asked")]
    tier = override(MANAGER, acme, None, None)
    assert tier is Tier.MEDIUM and stored(db, Prospect.tier_override, Prospect.tier_reason) == [(None, None)]
    assert actions(db)[-2:] == ["cocreate.tier_overridden", "cocreate.tier_cleared"]


def test_the_computed_tier_follows_the_seed(db: Session, program: int) -> None:
    strong = {"public_issues_mrs": 3, "prior_oss_contribution": 1}
    high = add("High", subscription="ultimate", scores=strong)
    free = add("Free", subscription="free", scores=strong, tech_stack_overlap=True)
    future = add("Future", subscription="premium", scores={"public_issues_mrs": 5})
    with unit_of_work() as session:
        tiers = [prospects.tier_of(get(session, i)) for i in (high, free, future)]
        assert prospects.score_of(get(session, high), validate_weights({})) == pytest.approx(4 / 10 * 100)
        assert prospects.score_of(get(session, future), validate_weights({"public_issues_mrs": 0})) is None
    assert tiers == [Tier.HIGH, Tier.MEDIUM, Tier.FUTURE]


# ---- the ranking --------------------------------------------------------------------------------------------------


def seeded_thirty() -> list[dict]:
    """Thirty varied prospects: scores, subscriptions, overlaps, a few unscored, contacted, overridden or closed."""
    subscriptions = [None, "free", "premium", "ultimate"]
    seeded = []
    for i in range(30):
        scores = {} if i % 7 == 0 else {c.value: (i * (k + 3) + k) % 6 for k, c in enumerate(C) if (i + k) % 5}
        seeded.append(
            {
                "name": f"Org {i:02d}",
                "scores": scores,
                "subscription": subscriptions[i % 4],
                "tech_stack_overlap": i % 3 == 0,
                "tier_override": 1 if i == 29 else None,
                "tier_reason": "Board-level sponsor" if i == 29 else None,
                "contacted_on": date(2025, 1, 6) if i % 4 == 0 else None,
                "outcome": ProspectOutcome.DECLINED if i == 28 else ProspectOutcome.OPEN,
            }
        )
    return seeded


def test_top_ranks_open_prospects_by_tier_then_weighted_score_then_name(db: Session, program: int) -> None:
    seeded = seeded_thirty()
    for fields in seeded:
        add(**fields)
    with unit_of_work() as session:
        prospects.set_weights(session, team_id=TEAM, actor=MANAGER, weights={"public_issues_mrs": 3}, now=NOW)
    weights = validate_weights({"public_issues_mrs": 3})
    expected = rank(
        [
            ProspectScore(
                f["name"],
                Tier(f["tier_override"])
                if f["tier_override"]
                else computed_tier(
                    public_issues_mrs=f["scores"].get("public_issues_mrs"),
                    subscription=f["subscription"],
                    prior_oss_contribution=f["scores"].get("prior_oss_contribution"),
                    tech_stack_overlap=f["tech_stack_overlap"],
                ),
                total_score({c: f["scores"].get(c.value) for c in C}, weights),
            )
            for f in seeded
            if f["outcome"] == ProspectOutcome.OPEN
        ]
    )
    with unit_of_work() as session:
        ranked = prospects.top(session, team_id=TEAM)
        five = prospects.top(session, team_id=TEAM, n=5)
    assert len(ranked) == 25 and five == ranked[:5]
    assert [(r.name, r.tier, r.score) for r in ranked] == [(e.name, e.tier, e.score) for e in expected[:25]]
    assert {r.name: r.tier for r in ranked}["Org 29"] is Tier.HIGH  # overridden; it would be tier 3
    assert {r.tier for r in ranked} == set(Tier) and ranked[-1].tier is Tier.FUTURE
    assert "Org 28" not in [r.name for r in ranked]  # declined
    assert [r.tier for r in ranked] == sorted(r.tier for r in ranked)
    by_name = {f["name"]: f for f in seeded}
    for r in ranked:
        assert r.contacted == (by_name[r.name]["contacted_on"] is not None)
        assert r.fully_scored == (len(by_name[r.name]["scores"]) == 7)
        assert r.prospect_id == db.scalar(select(Prospect.id).where(Prospect.name == r.name))
    with unit_of_work() as session:
        everyone = prospects.top(session, team_id=TEAM, n=100)
    assert len(everyone) == 29 and [(r.name, r.tier, r.score) for r in everyone] == [
        (e.name, e.tier, e.score) for e in expected
    ]


def test_top_before_setup_says_how_to_set_up(database_url: str) -> None:
    with pytest.raises(UserError) as unset, unit_of_work() as session:
        prospects.top(session, team_id=TEAM)
    assert "/cocreate setup" in unset.value.message


# ---- import and export --------------------------------------------------------------------------------------------


def test_a_good_file_creates_its_prospects_with_handles_resolved(db: Session, program: int) -> None:
    with unit_of_work() as session:
        counts = prospects.import_rows(
            session,
            team_id=TEAM,
            actor=ADMIN,
            rows=read_prospects(GOOD_FILE),
            now=NOW,
            resolve_user=HANDLES.get,
        )
    assert counts == (3, 0)
    columns = (Prospect.name, Prospect.csm_id, Prospect.ae_id, Prospect.subscription, Prospect.seats, Prospect.scores)
    acme, globex, initech = stored(db, *columns)
    assert acme == (
        "Acme Corp",
        "U0CSM1",
        "U0ALICE01",
        "ultimate",
        1200,
        dict(zip(C, [4, 3, 5, 5, 2, 3, 4], strict=True)),
    )
    assert globex.scores == {"public_issues_mrs": 0, "feature_usage": 1, "tier_and_seats": 1, "industry_focus": 5,
                             "prior_oss_contribution": 0}  # fmt: skip
    assert initech == ("Initech", None, None, None, None, {})
    assert stored(db, Prospect.tier_override, Prospect.tier_reason)[1] == (2, "Strong champion")
    assert actions(db).count("cocreate.prospect_added") == 3


def test_importing_again_updates_by_name_in_any_case(db: Session, program: int) -> None:
    acme = add("Acme Corp", industry="Retail", csm_id="U0BOB0001")
    again = f"{HEADER}\nACME  corp,,@bob,,premium,300,Finance,no,1,,,,,,,,\nHooli,,,,,,,,,,,,,,,,\n"
    with unit_of_work() as session:
        counts = prospects.import_rows(
            session, team_id=TEAM, actor=BOB, rows=read_prospects(again), now=NOW, resolve_user=HANDLES.get
        )
    assert counts == (1, 1) and count(db) == 2
    db.expire_all()
    updated = db.get_one(Prospect, acme)
    assert (updated.name, updated.csm_id, updated.ae_id, updated.industry, updated.scores) == (
        "Acme Corp",
        None,  # the row is the prospect: an empty cell clears
        "U0BOB0001",
        "Finance",
        {"public_issues_mrs": 1},
    )
    assert "cocreate.prospect_imported" in actions(db)


def test_a_file_with_one_bad_row_names_its_line_and_saves_nothing(db: Session, program: int) -> None:
    with pytest.raises(UserError) as bad, unit_of_work() as session:
        prospects.import_rows(session, team_id=TEAM, actor=ADMIN, rows=read_prospects(BAD_LINE_4), now=NOW)
    assert bad.value.message.startswith("Line 4:") and "`9`" in bad.value.message
    assert count(db) == 0


def test_an_unknown_handle_names_its_org_and_after_the_rollback_nothing_is_saved(db: Session, program: int) -> None:
    acme = add("Acme Corp", industry="Retail")
    file = f"{HEADER}\nAcme Corp,,,,,,Finance,,,,,,,,,,\nGlobex,,,,,,,,,,,,,,,,\nInitech,@nobody,,,,,,,,,,,,,,,\n"
    with pytest.raises(UserError) as bad, unit_of_work() as session:
        prospects.import_rows(
            session, team_id=TEAM, actor=ADMIN, rows=read_prospects(file), now=NOW, resolve_user=HANDLES.get
        )
    assert "`Initech`" in bad.value.message and "CSM `@nobody`" in bad.value.message
    assert "member id" in bad.value.message
    assert stored(db, Prospect.name, Prospect.industry) == [("Acme Corp", "Retail")] and count(db) == 1
    assert db.get_one(Prospect, acme).industry == "Retail"


def test_a_failure_after_rows_were_written_saves_nothing_once_the_unit_of_work_rolls_back(
    db: Session, program: int
) -> None:
    with pytest.raises(RuntimeError), unit_of_work() as session:
        assert prospects.import_rows(
            session, team_id=TEAM, actor=ADMIN, rows=read_prospects(GOOD_FILE), now=NOW, resolve_user=HANDLES.get
        ) == (3, 0)
        raise RuntimeError("the operator's connection dropped")
    assert count(db) == 0 and actions(db) == ["cocreate.setup"]


def test_a_tier_override_in_a_file_is_for_the_manager_or_an_admin(db: Session, program: int) -> None:
    with pytest.raises(PermissionDenied) as refused, unit_of_work() as session:
        prospects.import_rows(session, team_id=TEAM, actor=BOB, rows=read_prospects(GOOD_FILE), now=NOW)
    assert "<@U_MANAGER>" in refused.value.message and count(db) == 0


def test_export_round_trips_through_the_csv_and_a_reimport_changes_nothing(db: Session, program: int) -> None:
    with unit_of_work() as session:
        prospects.import_rows(
            session, team_id=TEAM, actor=ADMIN, rows=read_prospects(GOOD_FILE), now=NOW, resolve_user=HANDLES.get
        )
    add("=Evil()", industry="-sneaky", tier_override=3, tier_reason="'quoted' reason, with a comma")
    with unit_of_work() as session:
        exported = prospects.export_rows(session, team_id=TEAM)
    assert [row.org for row in exported] == ["=Evil()", "Acme Corp", "Globex", "Initech"]
    assert exported[1] == ProspectRow(
        org="Acme Corp",
        csm="U0CSM1",
        ae="U0ALICE01",
        subscription=Subscription.ULTIMATE,
        seats=1200,
        industry="Finance",
        tech_stack_overlap=True,
        scores=dict(zip(C, [4, 3, 5, 5, 2, 3, 4], strict=True)),
    )
    text = write_prospects(exported)
    assert read_prospects(text) == exported
    before = actions(db)
    with unit_of_work() as session:
        counts = prospects.import_rows(session, team_id=TEAM, actor=ADMIN, rows=read_prospects(text), now=NOW)
    assert counts == (0, 4) and actions(db) == before  # nothing changed, so nothing audited
