"""Notification campaigns: approvals, suppression, bounces.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables of this feature (filled in as the feature lands)."""


def downgrade() -> None:
    """Drop the tables of this feature."""
