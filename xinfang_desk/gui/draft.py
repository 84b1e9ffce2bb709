"""The registration draft: the form as JSON in the data folder, written on edit, read at start, deleted after save.

A few hundred bytes, written atomically (temp file + replace), so a crash or an accidental close loses at most
the last half second of typing.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DRAFT_VERSION = 1


class DraftStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def default(cls, window_code: str, username: str) -> DraftStore:
        from xinfang_desk.paths import data_dir

        safe = "".join(c for c in f"{window_code}-{username}" if c.isalnum() or c in "-_.")
        return cls(data_dir() / "drafts" / f"registration-{safe}.json")

    def save(self, state: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        data = json.dumps({"version": DRAFT_VERSION, "form": state}, ensure_ascii=False, indent=1)
        from xinfang_desk.fileperm import open_private

        with open_private(tmp, "w", encoding="utf-8") as fh:  # 0600: what the clerk typed about a visitor
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def load(self) -> dict[str, Any] | None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            log.warning("ignoring unreadable draft %s: %s", self.path, e)
            return None
        if not isinstance(raw, dict) or raw.get("version") != DRAFT_VERSION or not isinstance(raw.get("form"), dict):
            return None
        return raw["form"]

    def delete(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
