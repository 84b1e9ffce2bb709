"""Every asset and data-file lookup goes through here, so it works installed, editable and frozen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "xinfang-desk"
APP_AUTHOR = "xinfang"


def resources_dir() -> Path:
    """The `resources/` folder: beside the package in a source tree, inside `_MEIPASS` when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    env = os.environ.get("XINFANG_DESK_RESOURCES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "resources", here / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("resources/ folder not found next to the xinfang_desk package")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def data_dir() -> Path:
    d = Path(os.environ.get("XINFANG_DESK_DATA") or platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    d.mkdir(parents=True, exist_ok=True)
    return d


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'xinfang-desk.sqlite3'}"
