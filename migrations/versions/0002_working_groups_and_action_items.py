"""working groups and action items

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 18:46:36.342106

"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('action_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.String(length=32), nullable=True),
    sa.Column('owner_name', sa.String(length=200), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('done_by', sa.String(length=32), nullable=True),
    sa.Column('done_at', models.base.UTCDateTime(), nullable=True),
    sa.Column('snoozed_until', sa.Date(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_item'))
    )
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.create_index('ix_action_item_owner', ['team_id', 'owner_id', 'status'], unique=False)
        batch_op.create_index('ix_action_item_subject', ['program', 'subject_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_team_id'), ['team_id'], unique=False)

    op.create_table('working_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('goals', sa.JSON(), nullable=False),
    sa.Column('goals_heading', sa.String(length=100), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=True),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('end_label', sa.String(length=50), nullable=False),
    sa.Column('agenda_url', sa.Text(), nullable=True),
    sa.Column('board_url', sa.Text(), nullable=True),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('plan', sa.JSON(), nullable=False),
    sa.Column('other_sections', sa.JSON(), nullable=False),
    sa.Column('exit_criteria_heading', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('closed_by', sa.String(length=32), nullable=True),
    sa.Column('closed_at', models.base.UTCDateTime(), nullable=True),
    sa.Column('sync_on', sa.Boolean(), nullable=False),
    sa.Column('digest_on', sa.Boolean(), nullable=False),
    sa.Column('end_warning_sent_on', sa.Date(), nullable=True),
    sa.Column('end_question_sent_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_group')),
    sa.UniqueConstraint('team_id', 'channel_id', name=op.f('uq_working_group_team_id_channel_id'))
    )
    with op.batch_alter_table('working_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_working_group_team_id'), ['team_id'], unique=False)

    op.create_table('exit_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('working_group_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('done_by', sa.String(length=32), nullable=True),
    sa.Column('done_at', models.base.UTCDateTime(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['working_group_id'], ['working_group.id'], name=op.f('fk_exit_criterion_working_group_id_working_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exit_criterion'))
    )
    with op.batch_alter_table('exit_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exit_criterion_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exit_criterion_working_group_id'), ['working_group_id'], unique=False)

    op.create_table('working_group_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('working_group_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('function', sa.String(length=200), nullable=True),
    sa.Column('user_id', sa.String(length=32), nullable=True),
    sa.Column('person_name', sa.String(length=200), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('username', sa.String(length=100), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['working_group_id'], ['working_group.id'], name=op.f('fk_working_group_member_working_group_id_working_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_group_member'))
    )
    with op.batch_alter_table('working_group_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_working_group_member_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_working_group_member_working_group_id'), ['working_group_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('working_group_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_working_group_member_working_group_id'))
        batch_op.drop_index(batch_op.f('ix_working_group_member_team_id'))

    op.drop_table('working_group_member')
    with op.batch_alter_table('exit_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exit_criterion_working_group_id'))
        batch_op.drop_index(batch_op.f('ix_exit_criterion_team_id'))

    op.drop_table('exit_criterion')
    with op.batch_alter_table('working_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_working_group_team_id'))

    op.drop_table('working_group')
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_item_team_id'))
        batch_op.drop_index('ix_action_item_subject')
        batch_op.drop_index('ix_action_item_owner')

    op.drop_table('action_item')
