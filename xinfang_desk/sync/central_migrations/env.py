"""Alembic environment of the central PostgreSQL schema (separate from the window's local schema)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from xinfang_desk.sync.central_schema import SCHEMA
from xinfang_desk.sync.central_schema import metadata as target_metadata

VERSION_TABLE = "xinfang_central_version"
config = context.config


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """`alembic check` looks at the `central` schema only (not public, where the version table lives)."""
    if type_ == "schema":
        return name == SCHEMA
    return not (type_ == "table" and name == VERSION_TABLE)


OPTIONS: dict[str, Any] = dict(target_metadata=target_metadata, version_table=VERSION_TABLE, include_schemas=True,
               include_name=include_name)


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, transactional_ddl=True, **OPTIONS)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url", ""))
    with engine.connect() as conn:
        context.configure(connection=conn, transactional_ddl=True, **OPTIONS)
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
