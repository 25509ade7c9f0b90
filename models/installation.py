"""Where Slack's OAuth flow keeps what it learns: slack_sdk's own installation, bot and state tables, declared on
Cadence's metadata so Alembic creates and checks them like every other table (the stores are given Cadence's engine).

The tables are built by slack_sdk's own builders, so their shape is the one its SQLAlchemy stores read and write.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from models.base import Base

INSTALLATIONS_TABLE = SQLAlchemyInstallationStore.default_installations_table_name  # "slack_installations"
BOTS_TABLE = SQLAlchemyInstallationStore.default_bots_table_name  # "slack_bots"
OAUTH_STATES_TABLE = SQLAlchemyOAuthStateStore.default_table_name  # "slack_oauth_states"

slack_installations = SQLAlchemyInstallationStore.build_installations_table(Base.metadata, INSTALLATIONS_TABLE)
slack_bots = SQLAlchemyInstallationStore.build_bots_table(Base.metadata, BOTS_TABLE)
# The one table that belongs to no workspace: a state is issued before anyone knows which workspace will install.
slack_oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, OAUTH_STATES_TABLE)
