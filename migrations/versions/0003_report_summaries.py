"""report cache: a snapshot of derived report facts, so the first dashboard is fast

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_cache",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("computed_on", sa.String(length=10), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_report_cache")),
    )


def downgrade() -> None:
    op.drop_table("report_cache")
