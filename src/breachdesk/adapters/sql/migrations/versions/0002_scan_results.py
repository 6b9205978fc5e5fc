"""Discovery results: scanned sources, leaked records, their keyed identifiers and contacts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from breachdesk.adapters.sql.types import EncryptedText, UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_RECORD_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the discovery tables."""
    op.create_table(
        "scan_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer()),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("format", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("records", sa.BigInteger(), nullable=False),
        sa.Column("hits", sa.BigInteger(), nullable=False),
        sa.Column("skipped", sa.BigInteger(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("scanned_by", sa.Text(), nullable=False),
        sa.Column("scanned_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_scan_sources_incident_id_incidents"
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence_items.id"],
            name="fk_scan_sources_evidence_id_evidence_items",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_scan_sources"),
        sa.UniqueConstraint("incident_id", "sha256", name="uq_scan_sources_incident_sha256"),
    )
    op.create_index("ix_scan_sources_incident_id", "scan_sources", ["incident_id"])
    op.create_table(
        "leaked_records",
        sa.Column("id", _RECORD_ID, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.Text()),
        sa.Column("row_number", sa.BigInteger(), nullable=False),
        sa.Column("elements", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["scan_sources.id"], name="fk_leaked_records_source_id_scan_sources"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_leaked_records"),
    )
    op.create_index("ix_leaked_records_source_id", "leaked_records", ["source_id"])
    op.create_table(
        "record_keys",
        sa.Column("record_id", _RECORD_ID, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("keyed_hash", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["leaked_records.id"], name="fk_record_keys_record_id_leaked_records"
        ),
    )
    op.create_index("ix_record_keys_record_id", "record_keys", ["record_id"])
    op.create_index("ix_record_keys_kind_hash", "record_keys", ["kind", "keyed_hash"])
    op.create_table(
        "record_contacts",
        sa.Column("record_id", _RECORD_ID, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("value", EncryptedText("record_contacts.value"), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["leaked_records.id"], name="fk_record_contacts_record_id_leaked_records"
        ),
    )
    op.create_index("ix_record_contacts_record_id", "record_contacts", ["record_id"])


def downgrade() -> None:
    """Drop the discovery tables."""
    for table in ("record_contacts", "record_keys", "leaked_records", "scan_sources"):
        op.drop_table(table)
