"""A keyring backend for tests only: a JSON file named by $XFD_TEST_KEYRING (0600). Selected in a CLI
subprocess with PYTHON_KEYRING_BACKEND=keyring_file.FileKeyring (tests/ on PYTHONPATH). Never for real use."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _path(self) -> Path:
        return Path(os.environ["XFD_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        p = self._path()
        return json.loads(p.read_text()) if p.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\x1f{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        d = self._load()
        d[f"{service}\x1f{username}"] = password
        fd = os.open(self._path(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(d, f)

    def delete_password(self, service: str, username: str) -> None:
        d = self._load()
        d.pop(f"{service}\x1f{username}", None)
        self._path().write_text(json.dumps(d))
