"""Evidence encryption: each evidence item keeps its blob's key, encrypted under the incident's.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from breachdesk.adapters.sql.types import EncryptedText

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``evidence_items.blob_key`` (NULL: a plain blob stored before)."""
    op.add_column("evidence_items", sa.Column("blob_key", EncryptedText("evidence_items.blob_key")))


def downgrade() -> None:
    """Drop ``evidence_items.blob_key`` (encrypted blobs then cannot be read)."""
    with op.batch_alter_table("evidence_items") as batch:
        batch.drop_column("blob_key")
