"""sharing ledger, withdrawal queue and outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('batch_id', sa.String(length=64), nullable=False),
    sa.Column('partner', sa.String(length=64), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('record_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('manifest', sa.Text(), nullable=False),
    sa.Column('receipt', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('batch_id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('partner', 'sequence', name=op.f('uq_outbox_partner'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_partner'), ['partner'], unique=False)

    op.create_table('shared_records',
    sa.Column('partner', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('pseudonym', sa.String(length=64), nullable=False),
    sa.Column('batch_id', sa.String(length=64), nullable=False),
    sa.Column('shared_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_shared_records_case_id_cases')),
    sa.PrimaryKeyConstraint('partner', 'case_id', 'revision', name=op.f('pk_shared_records'))
    )
    with op.batch_alter_table('shared_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shared_records_batch_id'), ['batch_id'], unique=False)

    op.create_table('withdrawal_notices',
    sa.Column('partner', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.Column('pseudonym', sa.String(length=64), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.Column('batch_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_withdrawal_notices_case_id_cases')),
    sa.PrimaryKeyConstraint('partner', 'case_id', name=op.f('pk_withdrawal_notices'))
    )


def downgrade() -> None:
    op.drop_table('withdrawal_notices')
    with op.batch_alter_table('shared_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shared_records_batch_id'))

    op.drop_table('shared_records')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_partner'))

    op.drop_table('outbox')
