"""prospect standing

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 21:13:05.869038

"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('prospect', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rank_tier', sa.Integer(), nullable=False, server_default='3'))
        batch_op.add_column(sa.Column('total_score', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('fully_scored', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('current_step', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('stage_began_on', sa.Date(), nullable=True))
        batch_op.create_index('ix_prospect_rank', ['team_id', 'outcome', 'rank_tier', 'total_score'], unique=False)
        batch_op.create_index(
            'ix_prospect_funnel',
            ['team_id', 'contacted_on', 'outcome', 'outcome_on', 'project_started_on', 'meeting_on'],
            unique=False,
        )
        batch_op.create_index('ix_prospect_stage', ['team_id', 'outcome', 'current_step', 'stage_began_on'], unique=False)
    with op.batch_alter_table('prospect', schema=None) as batch_op:
        batch_op.alter_column('rank_tier', server_default=None)
        batch_op.alter_column('fully_scored', server_default=None)
    _compute_standing()


def _compute_standing() -> None:
    # Existing prospects get their standing the way the app computes it from now on (bot/cocreate/standing.py, as
    # of this revision): every prospect is ranked and placed once.
    from sqlalchemy.orm import Session

    from bot.cocreate import standing
    from models import Prospect

    with Session(bind=op.get_bind()) as session:
        teams = session.scalars(sa.select(Prospect.team_id).distinct()).all()
        for team_id in teams:
            weights = standing.weights_for(session, team_id)
            for prospect in session.scalars(sa.select(Prospect).where(Prospect.team_id == team_id)):
                standing.rank(prospect, weights)
                standing.place(prospect)
        session.commit()


def downgrade() -> None:
    with op.batch_alter_table('prospect', schema=None) as batch_op:
        batch_op.drop_index('ix_prospect_stage')
        batch_op.drop_index('ix_prospect_funnel')
        batch_op.drop_index('ix_prospect_rank')
        batch_op.drop_column('stage_began_on')
        batch_op.drop_column('current_step')
        batch_op.drop_column('fully_scored')
        batch_op.drop_column('total_score')
        batch_op.drop_column('rank_tier')

