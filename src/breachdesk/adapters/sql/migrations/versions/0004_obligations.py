"""Obligations: recorded incident facts and evaluated notification obligations.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from breachdesk.adapters.sql.types import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the facts and obligations tables."""
    op.create_table(
        "incident_facts",
        sa.Column("incident_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("determined_at", UtcDateTime()),
        sa.Column("assessed_at", UtcDateTime()),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.Column("key_exposed", sa.Boolean(), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("no_risk", sa.Text(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_incident_facts_incident_id_incidents"
        ),
        sa.PrimaryKeyConstraint("incident_id", name="pk_incident_facts"),
    )
    op.create_table(
        "obligations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("rule_id", sa.String(128), nullable=False),
        sa.Column("jurisdiction", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("due_at", UtcDateTime()),
        sa.Column("target_at", UtcDateTime()),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("evaluated_at", UtcDateTime(), nullable=False),
        sa.Column("met_at", UtcDateTime()),
        sa.Column("met_by", sa.Text()),
        sa.Column("met_note", sa.Text()),
        sa.Column("proof_evidence_id", sa.Integer()),
        sa.Column("late", sa.Boolean()),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_obligations_incident_id_incidents"
        ),
        sa.ForeignKeyConstraint(
            ["proof_evidence_id"],
            ["evidence_items.id"],
            name="fk_obligations_proof_evidence_id_evidence_items",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_obligations"),
        sa.UniqueConstraint("incident_id", "key", name="uq_obligations_incident_key"),
    )
    op.create_index("ix_obligations_incident_id", "obligations", ["incident_id"])


def downgrade() -> None:
    """Drop the obligations tables."""
    op.drop_table("obligations")
    op.drop_table("incident_facts")
