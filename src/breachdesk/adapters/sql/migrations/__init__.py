"""Alembic migration scripts (run through ``breachdesk.adapters.sql.migrate``)."""
