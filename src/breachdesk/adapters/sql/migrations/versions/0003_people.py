"""Affected people: link runs, people, their records, exposures, lookup keys, conflicts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from breachdesk.adapters.sql.types import EncryptedText, UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_RECORD_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    """Create the people tables."""
    op.create_table(
        "link_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("source_label", sa.Text(), nullable=False),
        sa.Column("keys", sa.Text(), nullable=False),
        sa.Column("fuzzy", sa.Boolean(), nullable=False),
        sa.Column("stats", sa.Text(), nullable=False),
        sa.Column("linked_by", sa.Text(), nullable=False),
        sa.Column("linked_at", UtcDateTime(), nullable=False),
        _fk("link_runs", "incident_id", "incidents"),
        sa.PrimaryKeyConstraint("id", name="pk_link_runs"),
    )
    op.create_index("ix_link_runs_incident_id", "link_runs", ["incident_id"])
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("person_ref", sa.String(64), nullable=False),
        sa.Column("known", sa.Boolean(), nullable=False),
        sa.Column("customer_ref", EncryptedText("people.customer_ref")),
        sa.Column("country", sa.String(8)),
        sa.Column("region", sa.String(16)),
        sa.Column("residence_source", sa.String(16), nullable=False),
        sa.Column("elements", sa.Text(), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("review", sa.Boolean(), nullable=False),
        sa.Column("name", EncryptedText("people.name")),
        sa.Column("email", EncryptedText("people.email")),
        sa.Column("phone", EncryptedText("people.phone")),
        sa.Column("address", EncryptedText("people.address")),
        _fk("people", "incident_id", "incidents"),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
        sa.UniqueConstraint("incident_id", "person_ref", name="uq_people_incident_person_ref"),
    )
    op.create_index("ix_people_incident_id", "people", ["incident_id"])
    op.create_table(
        "person_records",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("record_id", _RECORD_ID, nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("score", sa.Float()),
        _fk("person_records", "person_id", "people"),
        sa.ForeignKeyConstraint(
            ["record_id"], ["leaked_records.id"], name="fk_person_records_record_id_leaked_records"
        ),
    )
    op.create_index("ix_person_records_person_id", "person_records", ["person_id"])
    op.create_index("ix_person_records_record_id", "person_records", ["record_id"])
    op.create_table(
        "exposures",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("element", sa.String(64), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        _fk("exposures", "person_id", "people"),
        _fk("exposures", "source_id", "scan_sources"),
    )
    op.create_index("ix_exposures_person_id", "exposures", ["person_id"])
    op.create_table(
        "person_keys",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("keyed_hash", sa.String(64), nullable=False),
        _fk("person_keys", "person_id", "people"),
    )
    op.create_index("ix_person_keys_person_id", "person_keys", ["person_id"])
    op.create_index("ix_person_keys_kind_hash", "person_keys", ["kind", "keyed_hash"])
    op.create_table(
        "link_conflicts",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("record_id", _RECORD_ID, nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        _fk("link_conflicts", "incident_id", "incidents"),
        sa.ForeignKeyConstraint(
            ["record_id"], ["leaked_records.id"], name="fk_link_conflicts_record_id_leaked_records"
        ),
    )
    op.create_index("ix_link_conflicts_incident_id", "link_conflicts", ["incident_id"])


def downgrade() -> None:
    """Drop the people tables."""
    for table in (
        "link_conflicts",
        "person_keys",
        "exposures",
        "person_records",
        "people",
        "link_runs",
    ):
        op.drop_table(table)
