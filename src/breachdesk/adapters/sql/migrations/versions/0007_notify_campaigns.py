"""Notification campaigns: approvals (approver, template versions) and suppressed duplicates.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from breachdesk.adapters.sql.types import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the approvals and suppressions tables."""
    op.create_table(
        "notice_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("campaign", sa.String(64), nullable=False),
        sa.Column("approver", sa.String(128), nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("approved_at", UtcDateTime(), nullable=False),
        sa.Column("templates", sa.Text(), nullable=False),
        sa.Column("overrides", sa.Text()),
        sa.Column("overrides_hash", sa.String(64)),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_notice_approvals_incident_id_incidents"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notice_approvals"),
    )
    op.create_index("ix_notice_approvals_incident_id", "notice_approvals", ["incident_id"])
    op.create_table(
        "notice_suppressions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("campaign", sa.String(64), nullable=False),
        sa.Column("match_hash", sa.String(64), nullable=False),
        sa.Column("other_incident_id", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name="fk_notice_suppressions_incident_id_incidents",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notice_suppressions"),
        sa.UniqueConstraint(
            "incident_id", "campaign", "person_id", name="uq_notice_suppressions_person"
        ),
    )
    op.create_index("ix_notice_suppressions_incident_id", "notice_suppressions", ["incident_id"])


def downgrade() -> None:
    """Drop the campaign tables."""
    op.drop_table("notice_suppressions")
    op.drop_table("notice_approvals")
