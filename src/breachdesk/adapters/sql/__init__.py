"""SQLAlchemy tables, column types, migrations and the unit of work."""
