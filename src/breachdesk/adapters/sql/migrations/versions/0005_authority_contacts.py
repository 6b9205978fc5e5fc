"""Contacts with authorities and law enforcement (who, when, channel, reference, delay).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from breachdesk.adapters.sql.types import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the authority contacts table."""
    op.create_table(
        "authority_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("authority", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("reference", sa.Text()),
        sa.Column("outcome", sa.Text()),
        sa.Column("jurisdiction", sa.String(16)),
        sa.Column("delay_requested", sa.Boolean(), nullable=False),
        sa.Column("delay_until", UtcDateTime()),
        sa.Column("evidence_id", sa.Integer()),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_authority_contacts_incident_id_incidents"
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence_items.id"],
            name="fk_authority_contacts_evidence_id_evidence_items",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_authority_contacts"),
    )
    op.create_index("ix_authority_contacts_incident_id", "authority_contacts", ["incident_id"])


def downgrade() -> None:
    """Drop the authority contacts table."""
    op.drop_table("authority_contacts")
