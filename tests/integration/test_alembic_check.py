"""`alembic check` on both databases (tools/alembic_check.py, also run by CI): the migrations produce exactly the
declared models, and a model edit that no migration carries out is caught."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.pg

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "alembic_check.py"
spec = importlib.util.spec_from_file_location("alembic_check", TOOL)
assert spec and spec.loader
alembic_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(alembic_check)


def test_local_migrations_match_the_models() -> None:
    assert alembic_check.check_local() is None


def test_central_migrations_match_the_declared_schema(pg) -> None:
    assert alembic_check.check_central(pg.create_database()) is None


MUTATE = """
import importlib.util, sys
from sqlalchemy import Column, Integer, Text
from xinfang_desk.persistence.models import Base
from xinfang_desk.sync import central_schema
spec = importlib.util.spec_from_file_location("alembic_check", sys.argv[1])
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
Base.metadata.tables["visits"].append_column(Column("not_migrated", Text))
central_schema.central_changes.append_column(Column("not_migrated_either", Integer))
print("LOCAL", m.check_local())
print("CENTRAL", m.check_central(sys.argv[2]))
"""


def test_a_model_change_without_a_migration_is_reported(pg) -> None:
    # in a child process, so the mutated models never reach another test
    out = subprocess.run([sys.executable, "-c", MUTATE, str(TOOL), pg.create_database()],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    local = next(line for line in out.stdout.splitlines() if line.startswith("LOCAL"))
    central = next(line for line in out.stdout.splitlines() if line.startswith("CENTRAL"))
    assert "add_column" in local and "not_migrated" in local
    assert "add_column" in central and "not_migrated_either" in central
