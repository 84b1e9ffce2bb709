"""Alembic environment of the central PostgreSQL schema (separate from the window's local schema)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

VERSION_TABLE = "xinfang_central_version"
config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=None, version_table=VERSION_TABLE,
                          transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url", ""))
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=None, version_table=VERSION_TABLE, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=None,
                      version_table=VERSION_TABLE, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
