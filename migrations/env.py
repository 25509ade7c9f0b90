"""Alembic environment: the URL comes from the app's settings, the metadata from models."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import pool

import models
from bot.config import DEFAULT_DATABASE_URL, normalize_database_url
from bot.db import make_engine

config = context.config
target_metadata = models.Base.metadata
MIGRATION_LOCK = 0x0CADE2CE  # a constant key for pg_advisory_xact_lock, held by whoever is migrating


def database_url() -> str:
    """The URL handed in by bot.db.upgrade_to_head, else DATABASE_URL, else the SQLite default."""
    given = config.attributes.get("database_url")
    return normalize_database_url(given or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)


def run_migrations_offline() -> None:
    url = database_url()
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = database_url()
    engine = make_engine(url, poolclass=pool.NullPool)  # one-off connection, as Alembic's template does
    with engine.connect() as connection:
        if url.startswith("sqlite"):
            # SQLite alters a table by copying it and dropping the old one; with foreign keys enforced, dropping a
            # parent whose children have rows fails. Off for the migration (the pragma can't change inside a
            # transaction, so it is set before one starts); the copy keeps every row and key as it was.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=url.startswith("sqlite"),  # SQLite alters tables by copying them
            compare_type=True,
        )
        with context.begin_transaction():
            if url.startswith("postgresql"):
                # Every process migrates as it starts (web, workers): scaled out, several start at once. The first
                # takes this lock and migrates; the others wait for it, then read the version it left (head).
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
