"""Every asset and data-file lookup goes through here, so it works installed, editable and frozen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "xinfang-desk"
APP_AUTHOR = "xinfang"


def resources_dir() -> Path:
    """The `resources/` folder (statutes, rules, calendar, fonts, translations, towns, organs, matter kinds).

    In order: `$XINFANG_DESK_RESOURCES` (an office's own copy); a PyInstaller bundle
    (`_MEIPASS/xinfang_desk/resources`); an installed wheel (`xinfang_desk/resources`, copied in by setup.py);
    a source tree or editable install (`resources/` at the top of the repository, beside the package).
    """
    env = os.environ.get("XINFANG_DESK_RESOURCES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    candidates = [here / "resources", here.parent / "resources"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.insert(0, Path(frozen) / "xinfang_desk" / "resources")
    for candidate in candidates:
        if (candidate / "rules").is_dir():
            return candidate
    raise FileNotFoundError("resources/ not found; looked in " + ", ".join(str(c) for c in candidates))


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def data_dir() -> Path:
    d = Path(os.environ.get("XINFANG_DESK_DATA") or platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    d.mkdir(parents=True, exist_ok=True)
    return d


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'xinfang-desk.sqlite3'}"


def cache_dir() -> Path:
    """Where parsed resources are cached (nothing in it is needed: deleting it only slows the next start).
    `$XINFANG_DESK_CACHE`; else `cache/` in `$XINFANG_DESK_DATA` when that is set (tests, a portable install);
    else the user's cache folder (platformdirs). Not created here."""
    env = os.environ.get("XINFANG_DESK_CACHE")
    if env:
        return Path(env)
    data = os.environ.get("XINFANG_DESK_DATA")
    if data:
        return Path(data) / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))
