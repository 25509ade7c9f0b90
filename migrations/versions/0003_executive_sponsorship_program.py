"""executive sponsorship program

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 19:09:41.102117

"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('checklist_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_by', sa.String(length=32), nullable=True),
    sa.Column('done_at', models.base.UTCDateTime(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_item')),
    sa.UniqueConstraint('program', 'subject_id', 'period', 'key', name=op.f('uq_checklist_item_program_subject_id_period_key'))
    )
    with op.batch_alter_table('checklist_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_item_team_id'), ['team_id'], unique=False)

    op.create_table('esp_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('tier', sa.Integer(), nullable=False),
    sa.Column('csm_id', sa.String(length=32), nullable=True),
    sa.Column('ae_id', sa.String(length=32), nullable=True),
    sa.Column('sa_id', sa.String(length=32), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_esp_account')),
    sa.UniqueConstraint('team_id', 'name', name=op.f('uq_esp_account_team_id_name'))
    )
    with op.batch_alter_table('esp_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_esp_account_team_id'), ['team_id'], unique=False)

    op.create_table('esp_program',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('program_manager_id', sa.String(length=32), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('touchpoints_reminded_for', sa.String(length=16), nullable=True),
    sa.Column('face_to_face_reminded_for', sa.String(length=16), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_esp_program')),
    sa.UniqueConstraint('team_id', name=op.f('uq_esp_program_team_id'))
    )
    with op.batch_alter_table('esp_program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_esp_program_team_id'), ['team_id'], unique=False)

    op.create_table('esp_kpi_reading',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=32), nullable=False),
    sa.Column('recorded_at', models.base.UTCDateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['esp_account.id'], name=op.f('fk_esp_kpi_reading_account_id_esp_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_esp_kpi_reading'))
    )
    with op.batch_alter_table('esp_kpi_reading', schema=None) as batch_op:
        batch_op.create_index('ix_esp_kpi_account_metric', ['account_id', 'metric', 'measured_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_esp_kpi_reading_team_id'), ['team_id'], unique=False)

    op.create_table('esp_obligation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('audience', sa.String(length=32), nullable=False),
    sa.Column('per_account', sa.Boolean(), nullable=False),
    sa.Column('cadence_id', sa.Integer(), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cadence_id'], ['cadence.id'], name=op.f('fk_esp_obligation_cadence_id_cadence')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_esp_obligation')),
    sa.UniqueConstraint('team_id', 'key', name=op.f('uq_esp_obligation_team_id_key'))
    )
    with op.batch_alter_table('esp_obligation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_esp_obligation_team_id'), ['team_id'], unique=False)

    op.create_table('esp_sponsorship',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('sponsor_id', sa.String(length=32), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('commitment_ends_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('ended_early', sa.Boolean(), nullable=False),
    sa.Column('end_reason', sa.Text(), nullable=True),
    sa.Column('forced_by', sa.String(length=32), nullable=True),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['esp_account.id'], name=op.f('fk_esp_sponsorship_account_id_esp_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_esp_sponsorship'))
    )
    with op.batch_alter_table('esp_sponsorship', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_esp_sponsorship_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_esp_sponsorship_sponsor', ['team_id', 'sponsor_id', 'ended_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_esp_sponsorship_team_id'), ['team_id'], unique=False)

    op.create_table('esp_touchpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('sponsor_id', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['esp_account.id'], name=op.f('fk_esp_touchpoint_account_id_esp_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_esp_touchpoint'))
    )
    with op.batch_alter_table('esp_touchpoint', schema=None) as batch_op:
        batch_op.create_index('ix_esp_touchpoint_account_on', ['account_id', 'happened_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_esp_touchpoint_team_id'), ['team_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('esp_touchpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_esp_touchpoint_team_id'))
        batch_op.drop_index('ix_esp_touchpoint_account_on')

    op.drop_table('esp_touchpoint')
    with op.batch_alter_table('esp_sponsorship', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_esp_sponsorship_team_id'))
        batch_op.drop_index('ix_esp_sponsorship_sponsor')
        batch_op.drop_index(batch_op.f('ix_esp_sponsorship_account_id'))

    op.drop_table('esp_sponsorship')
    with op.batch_alter_table('esp_obligation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_esp_obligation_team_id'))

    op.drop_table('esp_obligation')
    with op.batch_alter_table('esp_kpi_reading', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_esp_kpi_reading_team_id'))
        batch_op.drop_index('ix_esp_kpi_account_metric')

    op.drop_table('esp_kpi_reading')
    with op.batch_alter_table('esp_program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_esp_program_team_id'))

    op.drop_table('esp_program')
    with op.batch_alter_table('esp_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_esp_account_team_id'))

    op.drop_table('esp_account')
    with op.batch_alter_table('checklist_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_item_team_id'))

    op.drop_table('checklist_item')
