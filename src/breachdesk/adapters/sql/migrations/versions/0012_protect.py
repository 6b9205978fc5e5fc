"""Protection: per-incident data keys and retention schedules.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from breachdesk.adapters.sql.types import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the key and retention tables; existing rows stay readable under the workspace key."""
    op.create_table(
        "incident_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("wrapped", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("retired_at", UtcDateTime()),
        sa.Column("destroyed_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id", "version", name="uq_incident_keys_incident_version"),
    )
    op.create_index("ix_incident_keys_incident_id", "incident_keys", ["incident_id"])
    op.create_table(
        "retention_policies",
        sa.Column("incident_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("keep_people_days", sa.Integer(), nullable=False),
        sa.Column("keep_evidence_days", sa.Integer(), nullable=False),
        sa.Column("legal_hold", sa.Boolean(), nullable=False),
        sa.Column("hold_reason", sa.Text()),
        sa.Column("set_by", sa.Text(), nullable=False),
        sa.Column("set_at", UtcDateTime(), nullable=False),
        sa.Column("people_purged_at", UtcDateTime()),
        sa.Column("evidence_purged_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("incident_id"),
    )


def downgrade() -> None:
    """Drop the tables (rows under incident keys become unreadable: keep a backup of keys)."""
    op.drop_table("retention_policies")
    op.drop_index("ix_incident_keys_incident_id", table_name="incident_keys")
    op.drop_table("incident_keys")
