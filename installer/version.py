"""Print the application version from its one source, xinfang_desk/__init__.py (read, not imported, so no
dependency needs to be installed). Used by the .spec, build-deb.sh and the Inno Setup build (ISCC /DAppVersion)."""

from __future__ import annotations

import re
from pathlib import Path

INIT = Path(__file__).resolve().parent.parent / "xinfang_desk" / "__init__.py"


def version() -> str:
    m = re.search(r'^__version__\s*=\s*"([^"]+)"', INIT.read_text(encoding="utf-8"), re.M)
    if not m:
        raise SystemExit(f"no __version__ in {INIT}")
    return m.group(1)


if __name__ == "__main__":
    print(version())
