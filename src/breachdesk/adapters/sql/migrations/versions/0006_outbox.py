"""Notification outbox (encrypted rendered content, leases) and delivery attempts (the ledger).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from breachdesk.adapters.sql.types import EncryptedText, UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _big() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the outbox and delivery attempts tables."""
    op.create_table(
        "outbox",
        sa.Column("id", _big(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer()),
        sa.Column("campaign", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("recipient", EncryptedText("outbox.recipient"), nullable=False),
        sa.Column("subject", EncryptedText("outbox.subject"), nullable=False),
        sa.Column("body_text", EncryptedText("outbox.body_text"), nullable=False),
        sa.Column("body_html", EncryptedText("outbox.body_html")),
        sa.Column("fallback", EncryptedText("outbox.fallback")),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("template_version", sa.String(128), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UtcDateTime(), nullable=False),
        sa.Column("lease_owner", sa.String(128)),
        sa.Column("lease_until", UtcDateTime()),
        sa.Column("message_id", sa.String(255)),
        sa.Column("fallback_of", _big()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_outbox_incident_id_incidents"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    op.create_index("ix_outbox_incident_id", "outbox", ["incident_id"])
    op.create_index("ix_outbox_claim", "outbox", ["channel", "state", "next_attempt_at"])
    op.create_table(
        "delivery_attempts",
        sa.Column("id", _big(), nullable=False),
        sa.Column("outbox_id", _big(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("server_response", sa.Text(), nullable=False),
        sa.Column("duration", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name="fk_delivery_attempts_outbox_id_outbox"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_delivery_attempts"),
    )
    op.create_index("ix_delivery_attempts_outbox_id", "delivery_attempts", ["outbox_id"])


def downgrade() -> None:
    """Drop the outbox tables."""
    op.drop_table("delivery_attempts")
    op.drop_table("outbox")
