"""Credential resets: providers, reset accounts, attempts, password assessments, credit codes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from breachdesk.adapters.sql.types import EncryptedText, UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _big() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _accounts() -> None:
    op.create_table(
        "reset_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("provider", sa.String(64)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("done_actions", sa.Text(), nullable=False),
        sa.Column("flagged_at", UtcDateTime()),
        sa.Column("completed_at", UtcDateTime()),
        sa.Column("link_nonce", sa.String(32)),
        sa.Column("link_expires_at", UtcDateTime()),
        sa.Column("link_sent_at", UtcDateTime()),
        sa.Column("clicked_at", UtcDateTime()),
        sa.Column("reminded_at", UtcDateTime()),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text()),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_reset_accounts_incident_id_incidents"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reset_accounts"),
        sa.UniqueConstraint("incident_id", "person_id", name="uq_reset_accounts_incident_person"),
    )
    op.create_index("ix_reset_accounts_incident_id", "reset_accounts", ["incident_id"])
    op.create_table(
        "reset_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("phase", sa.String(8), nullable=False),
        sa.Column("outcome", sa.String(16)),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["reset_accounts.id"],
            name="fk_reset_attempts_account_id_reset_accounts",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reset_attempts"),
    )
    op.create_index("ix_reset_attempts_account_id", "reset_attempts", ["account_id"])


def upgrade() -> None:
    """Create the tables of credential resets."""
    op.create_table(
        "credential_providers",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("config", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_credential_providers"),
    )
    _accounts()
    op.create_table(
        "password_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("record_id", _big()),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("scheme", sa.String(32), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("pwned", sa.Integer()),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_password_assessments_incident_id_incidents"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["scan_sources.id"],
            name="fk_password_assessments_source_id_scan_sources",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_password_assessments"),
    )
    op.create_index("ix_password_assessments_incident_id", "password_assessments", ["incident_id"])
    op.create_table(
        "credit_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("code", EncryptedText("credit_codes.code"), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("person_id", sa.Integer()),
        sa.Column("allocated_at", UtcDateTime()),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_credit_codes_incident_id_incidents"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_credit_codes"),
        sa.UniqueConstraint("incident_id", "code_hash", name="uq_credit_codes_incident_code_hash"),
    )
    op.create_index("ix_credit_codes_incident_id", "credit_codes", ["incident_id"])


def downgrade() -> None:
    """Drop the tables of credential resets."""
    for name in (
        "credit_codes",
        "password_assessments",
        "reset_attempts",
        "reset_accounts",
        "credential_providers",
    ):
        op.drop_table(name)
