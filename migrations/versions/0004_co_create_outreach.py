"""co-create outreach

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 19:34:11.358120

"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('cocreate_program',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('manager_id', sa.String(length=32), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('targets', sa.JSON(), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('resources', sa.JSON(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cocreate_program')),
    sa.UniqueConstraint('team_id', name=op.f('uq_cocreate_program_team_id'))
    )
    with op.batch_alter_table('cocreate_program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cocreate_program_team_id'), ['team_id'], unique=False)

    op.create_table('prospect',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('csm_id', sa.String(length=32), nullable=True),
    sa.Column('ae_id', sa.String(length=32), nullable=True),
    sa.Column('sa_id', sa.String(length=32), nullable=True),
    sa.Column('subscription', sa.String(length=32), nullable=True),
    sa.Column('seats', sa.Integer(), nullable=True),
    sa.Column('industry', sa.String(length=100), nullable=True),
    sa.Column('tech_stack_overlap', sa.Boolean(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('tier_override', sa.Integer(), nullable=True),
    sa.Column('tier_reason', sa.Text(), nullable=True),
    sa.Column('outreach_channel_id', sa.String(length=32), nullable=True),
    sa.Column('outreach_started_on', sa.Date(), nullable=True),
    sa.Column('contacted_on', sa.Date(), nullable=True),
    sa.Column('meeting_on', sa.Date(), nullable=True),
    sa.Column('meeting_attendees', sa.JSON(), nullable=False),
    sa.Column('project_started_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.Column('outcome_reason', sa.Text(), nullable=True),
    sa.Column('revisit_on', sa.Date(), nullable=True),
    sa.Column('checklist_channel_id', sa.String(length=32), nullable=True),
    sa.Column('checklist_ts', sa.String(length=32), nullable=True),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prospect')),
    sa.UniqueConstraint('team_id', 'name', name=op.f('uq_prospect_team_id_name'))
    )
    with op.batch_alter_table('prospect', schema=None) as batch_op:
        batch_op.create_index('ix_prospect_outcome', ['team_id', 'outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_prospect_team_id'), ['team_id'], unique=False)

    op.create_table('contribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('normalized_url', sa.String(length=500), nullable=False),
    sa.Column('contributed_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospect.id'], name=op.f('fk_contribution_prospect_id_prospect')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution')),
    sa.UniqueConstraint('team_id', 'normalized_url', name=op.f('uq_contribution_team_id_normalized_url'))
    )
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_prospect_id'), ['prospect_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_team_id'), ['team_id'], unique=False)

    op.create_table('outreach_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('owner_id', sa.String(length=32), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('skip_reason', sa.Text(), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('changed_at', models.base.UTCDateTime(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospect.id'], name=op.f('fk_outreach_step_prospect_id_prospect')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_step'))
    )
    with op.batch_alter_table('outreach_step', schema=None) as batch_op:
        batch_op.create_index('ix_outreach_step_owner', ['team_id', 'owner_id', 'state', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_step_prospect_id'), ['prospect_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_step_team_id'), ['team_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outreach_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_step_team_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_step_prospect_id'))
        batch_op.drop_index('ix_outreach_step_owner')

    op.drop_table('outreach_step')
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_team_id'))
        batch_op.drop_index(batch_op.f('ix_contribution_prospect_id'))

    op.drop_table('contribution')
    with op.batch_alter_table('prospect', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prospect_team_id'))
        batch_op.drop_index('ix_prospect_outcome')

    op.drop_table('prospect')
    with op.batch_alter_table('cocreate_program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cocreate_program_team_id'))

    op.drop_table('cocreate_program')
