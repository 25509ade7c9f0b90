"""quarterly okrs

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 21:17:36.713498

"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base



revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('okr_owner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('role_key', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_okr_owner')),
    sa.UniqueConstraint('team_id', 'role_key', 'user_id', name=op.f('uq_okr_owner_team_id_role_key_user_id'))
    )
    with op.batch_alter_table('okr_owner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_okr_owner_team_id'), ['team_id'], unique=False)

    op.create_table('okr_program',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('manager_id', sa.String(length=32), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_okr_program')),
    sa.UniqueConstraint('team_id', name=op.f('uq_okr_program_team_id'))
    )
    with op.batch_alter_table('okr_program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_okr_program_team_id'), ['team_id'], unique=False)

    op.create_table('okr_quarter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=16), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('imported_by', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_okr_quarter')),
    sa.UniqueConstraint('team_id', 'label', name=op.f('uq_okr_quarter_team_id_label'))
    )
    with op.batch_alter_table('okr_quarter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_okr_quarter_team_id'), ['team_id'], unique=False)

    op.create_table('okr_objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quarter_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['quarter_id'], ['okr_quarter.id'], name=op.f('fk_okr_objective_quarter_id_okr_quarter')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_okr_objective'))
    )
    with op.batch_alter_table('okr_objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_okr_objective_quarter_id'), ['quarter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_okr_objective_team_id'), ['team_id'], unique=False)

    op.create_table('okr_retro_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quarter_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('updated_at', models.base.UTCDateTime(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['quarter_id'], ['okr_quarter.id'], name=op.f('fk_okr_retro_team_quarter_id_okr_quarter')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_okr_retro_team')),
    sa.UniqueConstraint('quarter_id', 'name', name=op.f('uq_okr_retro_team_quarter_id_name'))
    )
    with op.batch_alter_table('okr_retro_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_okr_retro_team_quarter_id'), ['quarter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_okr_retro_team_team_id'), ['team_id'], unique=False)

    op.create_table('okr_key_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=True),
    sa.Column('role', sa.String(length=200), nullable=True),
    sa.Column('role_key', sa.String(length=200), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('percents', sa.JSON(), nullable=False),
    sa.Column('scored_by', sa.String(length=32), nullable=True),
    sa.Column('scored_at', models.base.UTCDateTime(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['objective_id'], ['okr_objective.id'], name=op.f('fk_okr_key_result_objective_id_okr_objective')),
    sa.ForeignKeyConstraint(['parent_id'], ['okr_key_result.id'], name=op.f('fk_okr_key_result_parent_id_okr_key_result')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_okr_key_result'))
    )
    with op.batch_alter_table('okr_key_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_okr_key_result_objective_id'), ['objective_id'], unique=False)
        batch_op.create_index('ix_okr_key_result_role', ['team_id', 'role_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_okr_key_result_team_id'), ['team_id'], unique=False)

    op.create_table('okr_retro_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('retro_team_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('action_item_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['action_item_id'], ['action_item.id'], name=op.f('fk_okr_retro_item_action_item_id_action_item')),
    sa.ForeignKeyConstraint(['retro_team_id'], ['okr_retro_team.id'], name=op.f('fk_okr_retro_item_retro_team_id_okr_retro_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_okr_retro_item'))
    )
    with op.batch_alter_table('okr_retro_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_okr_retro_item_retro_team_id'), ['retro_team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_okr_retro_item_team_id'), ['team_id'], unique=False)

    op.create_table('okr_key_result_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_result_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('scored_by', sa.String(length=32), nullable=False),
    sa.Column('scored_at', models.base.UTCDateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['key_result_id'], ['okr_key_result.id'], name=op.f('fk_okr_key_result_score_key_result_id_okr_key_result')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_okr_key_result_score'))
    )
    with op.batch_alter_table('okr_key_result_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_okr_key_result_score_key_result_id'), ['key_result_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_okr_key_result_score_team_id'), ['team_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('okr_key_result_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_okr_key_result_score_team_id'))
        batch_op.drop_index(batch_op.f('ix_okr_key_result_score_key_result_id'))

    op.drop_table('okr_key_result_score')
    with op.batch_alter_table('okr_retro_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_okr_retro_item_team_id'))
        batch_op.drop_index(batch_op.f('ix_okr_retro_item_retro_team_id'))

    op.drop_table('okr_retro_item')
    with op.batch_alter_table('okr_key_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_okr_key_result_team_id'))
        batch_op.drop_index('ix_okr_key_result_role')
        batch_op.drop_index(batch_op.f('ix_okr_key_result_objective_id'))

    op.drop_table('okr_key_result')
    with op.batch_alter_table('okr_retro_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_okr_retro_team_team_id'))
        batch_op.drop_index(batch_op.f('ix_okr_retro_team_quarter_id'))

    op.drop_table('okr_retro_team')
    with op.batch_alter_table('okr_objective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_okr_objective_team_id'))
        batch_op.drop_index(batch_op.f('ix_okr_objective_quarter_id'))

    op.drop_table('okr_objective')
    with op.batch_alter_table('okr_quarter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_okr_quarter_team_id'))

    op.drop_table('okr_quarter')
    with op.batch_alter_table('okr_program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_okr_program_team_id'))

    op.drop_table('okr_program')
    with op.batch_alter_table('okr_owner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_okr_owner_team_id'))

    op.drop_table('okr_owner')
