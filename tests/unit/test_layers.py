"""The layers hold in the suite too (CI also runs `lint-imports` with the contracts in pyproject.toml): the GUI
imports no SQLAlchemy, psycopg, persistence or sync module itself, and sync and persistence never import
services or the GUI."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("xinfang_desk", include_external_packages=True, cache_dir=None)


def _direct(graph: grimp.ImportGraph, source: str, forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for m in sorted(graph.find_descendants(source) | {source}):
        for imported in graph.find_modules_directly_imported_by(m):
            if imported == source or not imported.startswith(forbidden):
                continue
            if any(imported == f or imported.startswith(f + ".") for f in forbidden):
                lines = [d["line_number"] for d in graph.get_import_details(importer=m, imported=imported)]
                bad.append(f"{m} imports {imported} (line {', '.join(map(str, lines))})")
    return bad


def test_the_gui_imports_no_sqlalchemy_psycopg_persistence_or_sync(graph: grimp.ImportGraph) -> None:
    gui = graph.find_descendants("xinfang_desk.gui")
    assert {"xinfang_desk.gui.sync_page", "xinfang_desk.gui.sync_status"} <= gui  # the check sees the sync screens
    assert _direct(graph, "xinfang_desk.gui", ("sqlalchemy", "psycopg", "xinfang_desk.persistence",
                                               "xinfang_desk.sync")) == []


@pytest.mark.parametrize("low", ["xinfang_desk.sync", "xinfang_desk.persistence", "xinfang_desk.domain"])
def test_the_core_below_services_imports_nothing_above_it(graph: grimp.ImportGraph, low: str) -> None:
    assert _direct(graph, low, ("xinfang_desk.services", "xinfang_desk.gui", "xinfang_desk.cli",
                                "xinfang_desk.app")) == []


def test_the_migrations_do_not_import_sync() -> None:
    """env.py is not a package module (import-linter does not see it): read it."""
    env = (ROOT / "xinfang_desk" / "persistence" / "migrations" / "env.py").read_text(encoding="utf-8")
    assert "xinfang_desk.sync" not in env and "from xinfang_desk.persistence.models import Base" in env
