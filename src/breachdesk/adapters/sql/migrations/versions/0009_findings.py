"""Security findings: scans, findings, occurrences, pentest schedules.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables of this feature (filled in as the feature lands)."""


def downgrade() -> None:
    """Drop the tables of this feature."""
