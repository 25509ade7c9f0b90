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


def test_every_table_is_scoped_by_team_except_the_workspace_itself(database_url: str) -> None:
    tables = set(inspect(bot_db.engine()).get_table_names()) - {"alembic_version"}
    assert tables == set(models.Base.metadata.tables)
    for name in tables:
        columns = {column["name"] for column in inspect(bot_db.engine()).get_columns(name)}
        assert "team_id" in columns, name
