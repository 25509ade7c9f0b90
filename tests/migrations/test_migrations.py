"""Models and migrations agree, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import models
from bot import db as bot_db


def test_a_freshly_upgraded_database_matches_the_models(database_url: str) -> None:
    with bot_db.engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, models.Base.metadata)
    assert differences == []


# An OAuth state is issued before anyone knows which workspace will install: the one table of no workspace.
UNSCOPED = {"slack_oauth_states"}


def test_every_table_is_scoped_by_team_except_the_oauth_flows_states(database_url: str) -> None:
    tables = set(inspect(bot_db.engine()).get_table_names()) - {"alembic_version"}
    assert tables == set(models.Base.metadata.tables)
    assert UNSCOPED <= tables
    for name in tables - UNSCOPED:
        columns = {column["name"] for column in inspect(bot_db.engine()).get_columns(name)}
        assert "team_id" in columns, name


def _alembic(database_url: str, action: str, revision: str) -> None:
    from pathlib import Path

    from alembic import command
    from alembic.config import Config

    root = Path(__file__).resolve().parents[2]
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.attributes["database_url"] = database_url
    getattr(command, action)(config, revision)


def test_prospects_saved_before_0005_get_their_standing_when_it_runs(database_url: str) -> None:
    from datetime import date

    from sqlalchemy import text

    bot_db.engine().dispose()
    _alembic(database_url, "downgrade", "0004")
    scores = '{"public_issues_mrs": 5, "prior_oss_contribution": 2, "feature_usage": 3}'
    with bot_db.engine().begin() as connection:
        connection.execute(
            text(
                "INSERT INTO cocreate_program (id, team_id, channel_id, manager_id, timezone, targets, weights, "
                "resources, created_at) VALUES (1, 'T0001', 'C1', 'U1', 'UTC', '{}', :weights, '[]', :now)"
            ),
            {"weights": '{"public_issues_mrs": 2}', "now": date(2025, 2, 3)},
        )
        connection.execute(
            text(
                "INSERT INTO prospect (id, team_id, name, subscription, tech_stack_overlap, scores, meeting_attendees, "
                "outreach_started_on, outcome, created_by, created_at) VALUES (1, 'T0001', 'Acme', 'ultimate', "
                "false, :scores, '[]', :started, 'open', 'U1', :now)"
            ),
            {"scores": scores, "started": date(2025, 2, 3), "now": date(2025, 2, 3)},
        )
        for position, (key, state, changed_at) in enumerate(
            [("initial_contact", "done", "2025-02-05 10:00:00"), ("csm_follow_up", "open", None)]
        ):
            connection.execute(
                text(
                    "INSERT INTO outreach_step (team_id, prospect_id, position, key, state, changed_at) "
                    "VALUES ('T0001', 1, :position, :key, :state, :changed_at)"
                ),
                {"position": position, "key": key, "state": state, "changed_at": changed_at},
            )
    bot_db.engine().dispose()
    _alembic(database_url, "upgrade", "head")
    with bot_db.engine().connect() as connection:
        row = connection.execute(
            text("SELECT rank_tier, total_score, fully_scored, current_step, stage_began_on FROM prospect")
        ).one()
    assert row.rank_tier == 1  # issues/MRs 5, Ultimate, a prior contribution
    assert abs(row.total_score - (2 * 5 + 2 + 3) / (4 * 5) * 100) < 1e-9  # over the scored three; issues/MRs weighs 2
    assert not row.fully_scored and row.current_step == "csm_follow_up"
    assert str(row.stage_began_on)[:10] == "2025-02-05"


def test_processes_that_start_together_on_one_fresh_postgresql_database_all_migrate_it(postgres) -> None:
    """Scaled out (2 web and 3 workers, each migrating as it starts), the processes meet on an empty database: one
    migrates it, the others wait for its lock and find it at head, and every one of them starts."""
    import subprocess
    import sys
    from pathlib import Path

    from sqlalchemy import create_engine, text

    url = postgres.create_database("migrated_by_three_at_once")
    root = Path(__file__).resolve().parents[2]
    script = "import sys; from bot import db; db.upgrade_to_head(sys.argv[1])"
    starts = [
        subprocess.Popen([sys.executable, "-c", script, url], cwd=root, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [(process.wait(timeout=120), process.stderr.read()) for process in starts]  # type: ignore[union-attr]
    assert [code for code, _ in results] == [0, 0, 0], [err[-2000:] for _, err in results]
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    finally:
        engine.dispose()
    assert len(versions) == 1 and versions[0].startswith("0011")
