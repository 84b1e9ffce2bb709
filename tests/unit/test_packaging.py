"""What an installed copy relies on: --version names the data it decides with, the console-less launcher
survives having no stdout/stderr (a Windows gui-script), and both launchers declared in pyproject.toml exist.
The wheel, the bundle and the .deb themselves are built and run from their installed files by .ci/run."""

from __future__ import annotations

import importlib
import io
import sys
import tomllib
from pathlib import Path

import pytest

from xinfang_desk import __version__
from xinfang_desk.cli import main
from xinfang_desk.paths import resource, resources_dir
from xinfang_desk.statutes.rules import rules_document

ROOT = Path(__file__).resolve().parents[2]


def test_version_names_rule_set_catalogue_and_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    out = capsys.readouterr().out.splitlines()
    years = sorted(int(p.stem) for p in resource("calendar").glob("*.json"))
    instruments = len(list(resource("statutes", "instruments").glob("*.json")))
    assert out[0] == f"xinfang-desk {__version__}"
    assert out[1].startswith(f"rule set {rules_document()['ruleset_version']} (digest ")
    assert out[2].startswith(f"statute catalogue {instruments} instruments (digest ")
    assert out[3].startswith(f"holiday calendar {years[0]}-{years[-1]} (digest ")


def test_gui_launcher_without_a_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """pythonw / a gui-script on Windows has sys.stdout = sys.stderr = None: printing must not crash it."""
    from xinfang_desk.launch import gui_main

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(sys, "argv", ["xinfang-desk-gui", "--version"])
    with pytest.raises(SystemExit) as done:
        gui_main()
    assert done.value.code == 0
    assert isinstance(sys.stdout, io.TextIOBase) and isinstance(sys.stderr, io.TextIOBase)


def test_declared_launchers_exist() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"] == {"xinfang-desk": "xinfang_desk.cli:main"}
    assert project["gui-scripts"] == {"xinfang-desk-gui": "xinfang_desk.launch:gui_main"}
    for target in (*project["scripts"].values(), *project["gui-scripts"].values()):
        module, func = target.split(":")
        assert callable(getattr(importlib.import_module(module), func))


def test_resources_found_and_overridable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (resources_dir() / "rules" / "rules.json").is_file()
    monkeypatch.setenv("XINFANG_DESK_RESOURCES", str(tmp_path))
    assert resources_dir() == tmp_path


def test_build_tools_are_not_in_the_runtime_package() -> None:
    """Build tools read shared/reference, which an installed copy never has: they live in tools/, not in the
    wheel (the catalogue builder was once xinfang_desk/statutes/tools/)."""
    assert [p for p in (ROOT / "xinfang_desk").rglob("tools") if p.is_dir()] == []
    assert (ROOT / "tools" / "build_catalogue.py").is_file()
