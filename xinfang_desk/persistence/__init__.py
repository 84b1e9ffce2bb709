"""SQLAlchemy 2.0 models, engine set-up, migrations (Alembic) and the unit of work."""
