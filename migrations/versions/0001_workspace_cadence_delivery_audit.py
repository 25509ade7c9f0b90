"""workspace, cadence, delivery, audit

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 18:18:18.002348

"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.String(length=32), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_subject', ['subject_type', 'subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_team_id'), ['team_id'], unique=False)

    op.create_table('cadence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('rule', sa.JSON(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=True),
    sa.Column('recipient_ids', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('next_run_at', models.base.UTCDateTime(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cadence'))
    )
    with op.batch_alter_table('cadence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cadence_next_run_at'), ['next_run_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadence_team_id'), ['team_id'], unique=False)

    op.create_table('workspace',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('fiscal_year_start_month', sa.Integer(), nullable=False),
    sa.Column('default_timezone', sa.String(length=64), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', name=op.f('pk_workspace'))
    )
    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cadence_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_at', models.base.UTCDateTime(), nullable=False),
    sa.Column('target', sa.String(length=32), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('not_before', models.base.UTCDateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('lease_owner', sa.String(length=36), nullable=True),
    sa.Column('needs_check', sa.Boolean(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('channel_id', sa.String(length=32), nullable=True),
    sa.Column('message_ts', sa.String(length=32), nullable=True),
    sa.Column('sent_at', models.base.UTCDateTime(), nullable=True),
    sa.Column('snoozed_from_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('outcome_by', sa.String(length=32), nullable=True),
    sa.Column('outcome_at', models.base.UTCDateTime(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cadence_id'], ['cadence.id'], name=op.f('fk_delivery_cadence_id_cadence')),
    sa.ForeignKeyConstraint(['snoozed_from_id'], ['delivery.id'], name=op.f('fk_delivery_snoozed_from_id_delivery')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery')),
    sa.UniqueConstraint('cadence_id', 'occurrence_at', 'target', name=op.f('uq_delivery_cadence_id_occurrence_at_target'))
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_cadence_id'), ['cadence_id'], unique=False)
        batch_op.create_index('ix_delivery_status_not_before', ['status', 'not_before'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_team_id'), ['team_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_team_id'))
        batch_op.drop_index('ix_delivery_status_not_before')
        batch_op.drop_index(batch_op.f('ix_delivery_cadence_id'))

    op.drop_table('delivery')
    op.drop_table('workspace')
    with op.batch_alter_table('cadence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cadence_team_id'))
        batch_op.drop_index(batch_op.f('ix_cadence_next_run_at'))

    op.drop_table('cadence')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_team_id'))
        batch_op.drop_index('ix_audit_event_subject')

    op.drop_table('audit_event')
